"""The rules that protect one person's concern from another (core/session/decision_rules.py).

An unclothed mark is cleared only by whoever raised it in the same sitting, or with the
reviewer PIN; a question to the manager is taken back only by the person who asked, in
the same sitting, or answered by the manager. Every path is tried: the direct action,
undo, redo, a change of name (to another person's name too), a later sitting.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from photoscreen.core.rules.policy import PhotoState, Verdict
from photoscreen.core.rules.review import ReviewRefused
from photoscreen.core.session.folder_session import DecisionError, Session
from photoscreen.core.settings import pin_attempts
from photoscreen.core.workflows.export import export_photos
from tests.helpers.session_fixtures import make_ready, scan, write_photo

PIN = "418263"  # six digits, not a trivial run (the PIN rules ask for that)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with one photo, ready to go out, and a reviewer PIN set."""
    write_photo(tmp_path / "a.jpg", 1)
    with Session.open(tmp_path, "Manager") as session:
        make_ready(session, scan(session, tmp_path / "a.jpg"))
        session.settings.pin.change(PIN)
    return tmp_path


@pytest.fixture
def digest(folder: Path) -> str:
    with Session.open(folder, "Manager") as session:
        return session.photos()[0].photo_hash or ""


def _exported(session: Session, folder: Path) -> int:
    return len(export_photos(session, folder.parent / f"out-{session.user}").written)


# Item 1: undo and redo pass the same rules as the direct action -------------------------


def test_undo_after_a_change_of_name_does_not_clear_someone_elses_mark(
    folder: Path, digest: str
) -> None:
    with Session.open(folder, "Bob") as session:
        session.set_unclothed(digest, True)
        session.change_user("Alice")
        with pytest.raises(ReviewRefused, match="Bob marked this photo"):
            session.set_unclothed(digest, False)
        assert not session.can_undo  # Bob's steps went with Bob
        assert session.undo() is None
        assert session.status(digest).state is PhotoState.BLOCKED
        assert _exported(session, folder) == 0


def test_undo_after_a_change_of_name_does_not_take_back_someone_elses_question(
    folder: Path, digest: str
) -> None:
    with Session.open(folder, "Bob") as session:
        session.flag_for_review(digest, "is the logo ok?")
        session.change_user("Alice")
        with pytest.raises(DecisionError, match="Bob asked the manager"):
            session.unflag(digest)
        assert session.undo() is None
        assert session.status(digest).state is PhotoState.AWAITING_REVIEW
        assert _exported(session, folder) == 0


def test_redoing_a_mark_cleared_with_the_pin_needs_the_pin_again(folder: Path, digest: str) -> None:
    with Session.open(folder, "Bob") as session:
        session.set_unclothed(digest, True)
    with Session.open(folder, "Manager") as session:
        session.set_unclothed(digest, False, pin=PIN)
        session.undo()  # Bob's mark is back, still Bob's
        with pytest.raises(ReviewRefused, match="Bob marked this photo"):
            session.redo()
        assert session.can_redo  # refused, not lost
        session.change_user("Alice")
        assert session.redo() is None
        assert session.status(digest).state is PhotoState.BLOCKED
    with Session.open(folder, "Manager") as session:
        session.set_unclothed(digest, False, pin=PIN)  # the direct way, with the PIN
        assert session.status(digest).exportable


def test_one_may_undo_and_redo_ones_own_mark_and_question(folder: Path, digest: str) -> None:
    with Session.open(folder, "Alice") as session:
        session.set_unclothed(digest, True)
        session.flag_for_review(digest, "arm in a sling")
        session.unflag(digest)
        session.set_unclothed(digest, False)
        session.undo()
        session.undo()
        assert session.status(digest).state is PhotoState.BLOCKED
        session.redo()
        session.redo()
        assert session.status(digest).exportable


@pytest.mark.parametrize("new_name", ["Bob", "bob", " BOB ", "Вob", "B o b."])
def test_taking_someone_elses_name_does_not_make_their_concerns_ones_own(
    folder: Path, digest: str, new_name: str
) -> None:
    with Session.open(folder, "Bob") as session:
        session.set_unclothed(digest, True)
        session.flag_for_review(digest, "child not on the consent list")
    with Session.open(folder, "Alice") as session:
        session.change_user(new_name)
        with pytest.raises(ReviewRefused, match="only the manager can clear"):
            session.set_unclothed(digest, False)
        with pytest.raises(DecisionError, match="only the manager can answer"):
            session.unflag(digest)
        assert session.status(digest).state is PhotoState.BLOCKED


def test_a_concern_is_ones_own_only_in_the_sitting_it_was_raised_in(
    folder: Path, digest: str
) -> None:
    with Session.open(folder, "Bob") as session:
        session.set_unclothed(digest, True)
        session.change_user("Alice")
        session.change_user("Bob")  # a new sitting: it could be anyone typing "Bob"
        with pytest.raises(
            ReviewRefused, match="Bob marked this photo unclothed / semi-clothed earlier"
        ):
            session.set_unclothed(digest, False)
    with Session.open(folder, "Bob") as session:
        assert session.clearing_unclothed_needs_pin(digest)
        assert session.unclothed_mark_needing_pin(digest) == "Bob"
        session.set_unclothed(digest, False, pin=PIN)
        session.set_unclothed(digest, True)
        assert not session.clearing_unclothed_needs_pin(digest)
        session.set_unclothed(digest, False)  # his own, in this sitting
        assert session.status(digest).exportable


def test_marking_someone_elses_mark_again_does_not_take_it_over(folder: Path, digest: str) -> None:
    with Session.open(folder, "Bob") as session:
        session.set_unclothed(digest, True)
    with Session.open(folder, "Alice") as session:
        session.set_unclothed(digest, True)  # already marked: it stays Bob's
        with pytest.raises(ReviewRefused, match="Bob marked"):
            session.set_unclothed(digest, False)


def test_without_a_pin_anyone_may_clear_a_mark(folder: Path, digest: str) -> None:
    with Session.open(folder, "Bob") as session:
        session.set_unclothed(digest, True)
        session.settings.pin.change(None, current_pin=PIN)
    with Session.open(folder, "Alice") as session:
        session.set_unclothed(digest, False)  # no PIN set: names are all there is
        assert session.status(digest).exportable


# Item 4: every person who asked has a question of their own ------------------------------


def test_a_question_stays_until_the_manager_answers_it_whoever_else_takes_theirs_back(
    folder: Path, digest: str
) -> None:
    """The attack: Alice asks, Bob adds his concern, Alice takes hers back: Bob's stays."""
    with Session.open(folder, "Alice") as session:
        session.flag_for_review(digest, "is the logo ok?")
    with Session.open(folder, "Bob") as session:
        session.flag_for_review(digest, "child not on the consent list")
    with Session.open(folder, "Alice") as session:
        with pytest.raises(DecisionError):
            session.unflag(digest)  # hers is from an earlier sitting: the manager answers it
        photo = session.photo(digest)
        assert photo is not None and photo.askers == ("Alice", "Bob")
        assert session.status(digest).state is PhotoState.AWAITING_REVIEW
        assert _exported(session, folder) == 0


def test_taking_back_ones_own_question_leaves_the_others_standing(
    folder: Path, digest: str
) -> None:
    with Session.open(folder, "Bob") as session:
        session.flag_for_review(digest, "child not on the consent list")
    with Session.open(folder, "Alice") as session:
        session.flag_for_review(digest, "is the logo ok?")
        session.flag_for_review(digest, "is the logo on the apron ok?")  # her note, again
        photo = session.photo(digest)
        assert photo is not None
        assert [(q.who, q.note) for q in photo.questions] == [
            ("Bob", "child not on the consent list"),
            ("Alice", "is the logo on the apron ok?"),
        ]
        session.unflag(digest)
        photo = session.photo(digest)
        assert photo is not None and photo.askers == ("Bob",)
        assert session.status(digest).state is PhotoState.AWAITING_REVIEW
        assert _exported(session, folder) == 0
        session.flag_for_review(digest, "")  # asking without a note is a question too
        session.undo()
        session.undo()  # her withdrawal undone: her question is back
        photo = session.photo(digest)
        assert photo is not None and photo.askers == ("Bob", "Alice")


@pytest.mark.parametrize("reviewer", ["Alice", "Bob", "bob", "Вob", "ALICE."])
def test_nobody_who_asked_may_approve(folder: Path, digest: str, reviewer: str) -> None:
    with Session.open(folder, "Alice") as session:
        session.flag_for_review(digest, "is the logo ok?")
    with Session.open(folder, "Bob") as session:
        session.flag_for_review(digest, "child not on the consent list")
        with pytest.raises(ReviewRefused, match="asked the manager about this photo"):
            session.approve(digest, reviewer, pin=PIN)
        session.approve(digest, "Sam", pin=PIN, note="both answered")
        assert session.status(digest).exportable


@pytest.mark.parametrize("reviewer", ["Bob", "bob", "Вob", "BOB."])
@pytest.mark.parametrize("pin", [PIN, "000000", None])
def test_an_asker_is_refused_before_the_pin_is_tried(
    folder: Path, digest: str, reviewer: str, pin: str | None
) -> None:
    """Whatever PIN comes with it (right, wrong, none), an asker's approval is refused
    for being the asker, and no PIN try is spent or counted: the check comes first."""
    with Session.open(folder, "Bob") as session:
        session.flag_for_review(digest, "not sure")
        with pytest.raises(ReviewRefused, match="asked the manager about this photo"):
            session.check_reviewer(digest, reviewer, Verdict.APPROVED)
        with pytest.raises(ReviewRefused, match="asked the manager about this photo"):
            session.approve(digest, reviewer, pin=pin)
        with session.store.reading() as conn:
            assert pin_attempts.read(conn).failures == 0
        assert session.check_reviewer(digest, " Morgan ", Verdict.APPROVED) == "Morgan"
        # Rejecting keeps the photo out, so an asker may reject it (with the PIN).
        assert session.check_reviewer(digest, reviewer, Verdict.REJECTED)
        assert session.status(digest).state is PhotoState.AWAITING_REVIEW
