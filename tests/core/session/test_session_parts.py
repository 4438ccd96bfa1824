"""The parts a session is made of, each on its own contract: the one path of staff
decisions (core/session/changes.py), the listeners, and opening (core/session/opening.py).

The parts are given a real store and records guard (those of a session opened for the
test) and their own ``who``, ``notify`` and ``keep``, so what they write, keep and tell
is seen directly, not through the session.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from photoscreen.core.rules import Concern, PhotoDecisions
from photoscreen.core.session.changes import Desk, Listeners, StaffChanges
from photoscreen.core.session.decision_rules import DecisionError, Identity
from photoscreen.core.session.folder_session import Session
from photoscreen.core.session.opening import open_folder
from photoscreen.core.session.undo import Change, Direction
from tests.helpers.session_fixtures import scan, write_photo


class Parts:
    """A StaffChanges on a session's store, with what it kept and told."""

    def __init__(self, session: Session, who: Identity) -> None:
        self.who = who
        self.kept: list[Change] = []
        self.told: list[str | None] = []
        desk = Desk(session.store, session.records, session.settings, lambda: self.who,
                    self.told.append)  # fmt: skip
        self.changes = StaffChanges(desk, keep=self.kept.append)


@pytest.fixture
def session(tmp_path: Path) -> Any:
    write_photo(tmp_path / "a.jpg", 1)
    with Session.open(tmp_path, "Alice") as opened:
        yield opened


def _digest(session: Session) -> str:
    return scan(session, session.folder / "a.jpg")


def _sets(**fields: Any) -> Any:
    return lambda conn, before, photo: dict(fields)


def test_a_change_keeps_only_the_fields_it_changed_and_tells_once(session: Session) -> None:
    digest = _digest(session)
    parts = Parts(session, Identity.begin("Alice"))
    trail = len(session.audit_trail(digest))
    parts.changes.make(digest, "tag_activity", "Tag", {"activity": "messy_play"},
                       _sets(activity="messy_play", excluded=False))  # fmt: skip
    # ``excluded`` was already False: only the activity is written, kept and audited.
    assert parts.kept == [
        Change(digest, "tag_activity", "Tag", {"activity": None}, {"activity": "messy_play"})
    ]
    assert parts.told == [digest]
    added = session.audit_trail(digest)[trail:]
    assert [(e.action, e.who, e.details["approval_cleared"]) for e in added] == [
        ("tag_activity", "Alice", False)
    ]


@pytest.mark.parametrize("activity", [None, "messy_play"])
@pytest.mark.parametrize("excluded", [False, True])
def test_a_change_that_changes_nothing_writes_keeps_and_tells_nothing(
    session: Session, activity: str | None, excluded: bool
) -> None:
    digest = _digest(session)
    session.set_activity(digest, activity)
    session.set_excluded(digest, excluded)
    parts, trail = Parts(session, Identity.begin("Alice")), session.audit_trail(digest)
    parts.changes.make(digest, "again", "Again", {},
                       _sets(activity=activity, excluded=excluded))  # fmt: skip
    assert parts.kept == [] and parts.told == []
    assert session.audit_trail(digest) == trail


def test_restoring_is_judged_as_the_person_now_at_the_pc(session: Session) -> None:
    digest = _digest(session)
    alice = Parts(session, Identity.begin("Alice"))
    question = Concern("Alice", "2026-01-01T00:00:00Z", "logo?", alice.who.sitting)
    alice.changes.make(digest, "flag", "Flag", {}, _sets(questions=(question,)))
    (step,) = alice.kept
    # Bob may not take Alice's question back by undoing her step: nothing is written.
    bob = Parts(session, Identity.begin("Bob"))
    with pytest.raises(DecisionError, match="Alice asked the manager"):
        bob.changes.restore(step, Direction.UNDO.fields(step), "undo")
    assert _stored(session, digest).questions == (question,)
    alice.changes.restore(step, Direction.UNDO.fields(step), "undo")
    assert _stored(session, digest).questions == ()
    assert session.audit_trail(digest)[-1].details == {"of": "flag", "approval_cleared": False}


def test_a_photo_never_read_is_refused_before_anything_is_written(session: Session) -> None:
    parts = Parts(session, Identity.begin("Alice"))
    with pytest.raises(DecisionError, match="not been read"):
        parts.changes.make("0" * 64, "tag_activity", "Tag", {}, _sets(activity="messy_play"))
    assert parts.kept == [] and parts.told == []


def _stored(session: Session, digest: str) -> PhotoDecisions:
    found = session.photo(digest)
    assert found is not None
    return found


def test_listeners_each_hear_a_change_once_even_when_one_leaves(session: Session) -> None:
    listeners, heard = Listeners(), []

    def once(photo_hash: str | None) -> None:
        heard.append(("once", photo_hash))
        listeners.remove(once)

    listeners.add(once)
    listeners.add(lambda photo_hash: heard.append(("always", photo_hash)))
    listeners("a")
    listeners(None)
    assert heard == [("once", "a"), ("always", "a"), ("always", None)]


def test_a_session_that_cannot_be_made_gives_the_folder_back(tmp_path: Path) -> None:
    write_photo(tmp_path / "a.jpg", 1)

    def broken(opened: Any) -> Session:
        raise RuntimeError("made wrong")

    with pytest.raises(RuntimeError, match="made wrong"):
        open_folder(broken, tmp_path, "Alice", read_only=False, centre_file=None, take_over=None)
    with Session.open(tmp_path, "Bob") as session:  # not locked by the failed open
        assert session.user == "Bob"


def test_a_check_that_fails_on_opening_closes_the_session(tmp_path: Path) -> None:
    made: list[Session] = []

    def make(opened: Any) -> Session:
        made.append(Session(opened))
        made[-1].settings.adopt_centre_settings = _refuse  # type: ignore[method-assign]
        return made[-1]

    with pytest.raises(DecisionError, match="refused"):
        open_folder(make, tmp_path, "Alice", read_only=False, centre_file=None, take_over=None)
    with Session.open(tmp_path, "Bob") as session:  # the lock was given back
        assert session.user == "Bob"


def _refuse() -> None:
    raise DecisionError("refused")
