"""Review means two people: reviewer name, PIN (salted scrypt, stored only as a hash), and
nobody who asked the manager about a photo approving it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from photoscreen.core.rules.names import same_person
from photoscreen.core.rules.policy import NOT_SCANNED, Concern, PhotoDecisions, PhotoState, Verdict
from photoscreen.core.rules.review import ReviewRefused, hash_pin, verify_pin
from photoscreen.core.session.decision_rules import DecisionError
from photoscreen.core.session.folder_session import Session
from photoscreen.core.session.photo_list import PhotoEntry, review_queue
from tests.helpers.session_fixtures import make_ready, scan, write_photo


@pytest.fixture
def flagged(tmp_path: Path) -> Iterator[tuple[Session, str]]:
    write_photo(tmp_path / "a.jpg", 1)
    session = Session.open(tmp_path, "Alice")
    digest = scan(session, tmp_path / "a.jpg")
    make_ready(session, digest)
    session.flag_for_review(digest, "is the child's face ok?")
    yield session, digest
    session.close()


def test_pin_hash_is_salted_scrypt_and_verifies() -> None:
    first, second = hash_pin("246813"), hash_pin("246813")
    assert first.startswith("scrypt2$") and "246813" not in first
    assert first != second  # a fresh salt every time
    assert verify_pin("246813", first) and verify_pin("246813", second)
    assert not verify_pin("246814", first)
    assert not verify_pin("246813", "not a hash")


def test_short_pin_refused() -> None:
    with pytest.raises(ReviewRefused, match="at least 6"):
        hash_pin("12")


def test_names_compare_without_case_or_spacing() -> None:
    assert same_person("  alice   SMITH ", "Alice Smith")
    # Full-width letters and invisible characters do not make another person.
    assert same_person("\uff21lice", "Alice")
    assert same_person("Ali\u200bce", "Alice")
    assert same_person("\u200fAlice\u200e", "alice")
    assert not same_person("Alice", "Alicia")
    assert not same_person(None, "Alice")


def test_approval_needs_a_name(flagged: tuple[Session, str]) -> None:
    session, digest = flagged
    with pytest.raises(ReviewRefused, match="reviewer's name"):
        session.approve(digest, "   ")
    assert session.status(digest).state is PhotoState.AWAITING_REVIEW


def test_flagger_cannot_approve_under_the_same_name(flagged: tuple[Session, str]) -> None:
    session, digest = flagged
    for same in ("Alice", " alice ", "ALICE"):
        with pytest.raises(ReviewRefused, match="someone else must approve"):
            session.approve(digest, same)
    assert session.status(digest).state is PhotoState.AWAITING_REVIEW
    session.approve(digest, "Sam", note="fine, faces hidden")
    photo = session.photo(digest)
    assert photo is not None and photo.reviewer == "Sam" and photo.reviewed_at
    assert session.status(digest).exportable


def test_flagger_may_reject_their_own_flag(flagged: tuple[Session, str]) -> None:
    session, digest = flagged
    session.reject(digest, "alice", note="on reflection, no")
    assert session.status(digest).reasons == ("Rejected by alice: on reflection, no",)


def test_rejection_keeps_the_photo_out_until_a_reviewer_approves(
    flagged: tuple[Session, str],
) -> None:
    session, digest = flagged
    session.reject(digest, "Sam", note="a name badge shows")
    session.unflag(digest)
    session.set_activity(digest, "story_time")
    session.set_faces_checked(digest)
    assert session.status(digest).state is PhotoState.REJECTED
    session.approve(digest, "Sam", note="badge now covered")
    assert session.status(digest).exportable


def test_pin_is_required_once_set_and_stored_only_as_hash(
    flagged: tuple[Session, str],
) -> None:
    session, digest = flagged
    session.settings.pin.change("864209")
    with pytest.raises(ReviewRefused, match="Enter the reviewer PIN"):
        session.approve(digest, "Sam")
    with pytest.raises(ReviewRefused, match="not right"):
        session.approve(digest, "Sam", pin="1111")
    assert session.status(digest).state is PhotoState.AWAITING_REVIEW
    session.approve(digest, "Sam", pin="864209")
    assert session.status(digest).exportable
    raw = (session.session_dir / "session.sqlite3").read_bytes()
    assert b"864209" not in raw
    conn = sqlite3.connect(session.session_dir / "session.sqlite3")
    stored = conn.execute("SELECT value FROM settings WHERE key = 'review.pin_hash'").fetchone()
    audit_text = " ".join(row[0] for row in conn.execute("SELECT details FROM audit"))
    conn.close()
    assert stored[0].startswith('"scrypt2$')
    assert "scrypt$" not in audit_text  # the audit says a PIN was set, not what it hashes to


def test_changing_the_pin_needs_the_current_one(flagged: tuple[Session, str]) -> None:
    session, digest = flagged
    session.settings.pin.change("864209")
    with pytest.raises(ReviewRefused, match="current reviewer PIN"):
        session.settings.pin.change("705813")
    with pytest.raises(ReviewRefused, match="current reviewer PIN"):
        session.settings.pin.change(None, current_pin="1234")
    session.settings.pin.change("975310", current_pin="864209")
    session.approve(digest, "Sam", pin="975310")
    session.settings.pin.change(None, current_pin="975310")
    assert not session.settings.pin.is_set


def test_review_queue_lists_the_flagged_photos_awaiting_a_verdict(tmp_path: Path) -> None:
    with Session.open(tmp_path, "Alice") as session:
        digests = []
        for seed, name in enumerate(("a.jpg", "b.jpg", "c.jpg")):
            write_photo(tmp_path / name, seed)
            digests.append(scan(session, tmp_path / name))
        session.flag_for_review(digests[0], "first")
        session.flag_for_review(digests[2], "third")
        session.reject(digests[0], "Sam", note="no")
        queue = session.review_queue()
        assert [entry.name for entry in queue] == ["c.jpg"]  # a.jpg was judged: it left
        assert queue[0].decisions is not None
        assert [q.note for q in queue[0].decisions.questions] == ["third"]


def test_verdicts_are_audited_with_the_reviewer(flagged: tuple[Session, str]) -> None:
    session, digest = flagged
    session.approve(digest, "Sam", note="ok")
    last = session.audit_trail(digest)[-1]
    assert last.action == "approved"
    assert last.details == {"reviewer": "Sam", "note": "ok"}
    assert last.who == "Alice"  # the name given at start-up, beside the reviewer's name


def test_only_the_shape_of_a_scrypt_hash_is_taken_for_a_stored_pin() -> None:
    from photoscreen.core.rules.review import hash_pin, looks_like_pin_hash

    assert looks_like_pin_hash(hash_pin("864209"))
    for stored in ("864209", "", None, 8642, "scrypt$16384$8$1$zz$00", "md5$1$2$3$aabb$ccdd"):
        assert not looks_like_pin_hash(stored), stored


def test_someone_else_cannot_take_back_a_question_to_the_manager(tmp_path: Path) -> None:
    """Only the person who asked may take the question back, in the sitting they asked
    it in; anyone else (or the same name later) needs the manager's verdict. Asking about
    a photo someone else asked about adds a question of one's own beside theirs."""
    write_photo(tmp_path / "a.jpg", 1)
    with Session.open(tmp_path, "Alice") as session:
        digest = scan(session, tmp_path / "a.jpg")
        make_ready(session, digest)
        session.flag_for_review(digest, "is the badge ok?")
    with Session.open(tmp_path, "Bob") as session:
        with pytest.raises(DecisionError, match="Alice asked the manager"):
            session.unflag(digest)
        session.flag_for_review(digest, "and the name on the coat peg?")
        photo = session.photo(digest)
        assert photo is not None and photo.askers == ("Alice", "Bob")
        assert [q.note for q in photo.questions] == [
            "is the badge ok?",
            "and the name on the coat peg?",
        ]
        assert session.status(digest).state is PhotoState.AWAITING_REVIEW
    with Session.open(tmp_path, "Alice") as session:
        for asker in ("Alice", "bob"):
            with pytest.raises(ReviewRefused, match="someone else must approve"):
                session.approve(digest, asker)
        with pytest.raises(DecisionError, match="Alice asked the manager about this photo earlier"):
            session.unflag(digest)  # hers, but from an earlier sitting
        session.approve(digest, "Sam", note="both fine")
        assert session.status(digest).exportable


def test_clearing_someone_elses_unclothed_mark_needs_the_manager(tmp_path: Path) -> None:
    write_photo(tmp_path / "a.jpg", 1)
    with Session.open(tmp_path, "Manager") as session:
        session.settings.pin.change("246813")
    with Session.open(tmp_path, "Alice") as session:
        digest = scan(session, tmp_path / "a.jpg")
        make_ready(session, digest)
        session.set_unclothed(digest, True)
        assert not session.clearing_unclothed_needs_pin(digest)
        session.set_unclothed(digest, False)  # her own mark: no PIN
        session.set_unclothed(digest, True)
    with Session.open(tmp_path, "Bob") as session:
        assert session.clearing_unclothed_needs_pin(digest)
        with pytest.raises(ReviewRefused, match="Alice marked this photo unclothed"):
            session.set_unclothed(digest, False)
        with pytest.raises(ReviewRefused, match="not right"):
            session.set_unclothed(digest, False, pin="1111")
        assert session.status(digest).state is PhotoState.BLOCKED
        session.set_unclothed(digest, False, pin="246813")
        assert session.status(digest).exportable
        session.set_unclothed(digest, True)  # Bob's own mark now
        session.settings.pin.change(None, current_pin="246813")
    with Session.open(tmp_path, "Alice") as session:
        assert not session.clearing_unclothed_needs_pin(digest)  # no PIN: names are trusted
        session.set_unclothed(digest, False)
        assert session.status(digest).exportable


@settings(max_examples=60, deadline=None)
@given(
    photos=st.lists(
        st.tuples(st.booleans(), st.booleans(), st.sampled_from([None, *Verdict])), max_size=8
    )
)
def test_the_queue_holds_exactly_the_photos_awaiting_a_verdict_in_folder_order(
    photos: list[tuple[bool, bool, Verdict | None]],
) -> None:
    entries = []
    for index, (read, asked, verdict) in enumerate(photos):
        questions = (Concern(who="Alice", note="logo?"),) if asked else ()
        decisions = PhotoDecisions(f"h{index}", questions=questions, verdict=verdict)
        shown = decisions if read else None
        entries.append(PhotoEntry(Path(f"{index:02}.jpg"), f"h{index}", NOT_SCANNED, shown))
    queue = review_queue(entries)
    expected = [
        f"{i:02}.jpg" for i, (read, asked, v) in enumerate(photos) if read and asked and v is None
    ]
    assert [entry.name for entry in queue] == expected
