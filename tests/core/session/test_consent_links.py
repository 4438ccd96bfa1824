"""Faces linked to people of the consent register: shown only with current consent,
checked again at the moment of export, never-publish people keep the whole photo back,
names never leave the register, and older "consent on file" marks are blurred again."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from photoscreen.core.basics.geometry import Box
from photoscreen.core.consent import ConsentRegister, Kind, NewPerson
from photoscreen.core.consent.export_check import NEEDS_APPROVAL
from photoscreen.core.session import DecisionError, Session
from photoscreen.core.settings.declared import APPROVAL_KEY, REGISTER_KEY
from photoscreen.core.storage.location import DB_NAME, SESSION_DIR_NAME
from photoscreen.core.storage.migrations import MIGRATIONS
from photoscreen.core.trail.audit_chain import Replay
from photoscreen.core.trail.decision_state import BY_NAME
from photoscreen.core.workflows import export_photos
from tests.helpers.consent_fixtures import FakeClock, consenting, today_clock
from tests.helpers.session_fixtures import make_ready, scan, write_photo

NAME = "Samantha Zed"


@pytest.fixture
def clock() -> FakeClock:
    return today_clock()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    photos = tmp_path / "photos"
    photos.mkdir()
    for seed, name in enumerate(("a.jpg", "b.jpg"), start=1):
        write_photo(photos / name, seed)
    return photos


def _open(folder: Path, clock: FakeClock) -> tuple[Session, ConsentRegister, list[str]]:
    session = Session.open(folder, "Alice", clock=clock)
    path = folder.parent / "shared" / "register.sqlite3"
    path.parent.mkdir(exist_ok=True)
    session.settings.set(REGISTER_KEY, str(path))
    register = ConsentRegister(path, "Manager", clock=clock)
    digests = [scan(session, folder / name) for name in ("a.jpg", "b.jpg")]
    for digest in digests:
        session.add_face(digest, Box(10, 10, 20, 20))
        make_ready(session, digest)
    return session, register, digests


def _face(session: Session, digest: str) -> int:
    return session.faces(digest)[0].id


def _show(session: Session, register: ConsentRegister, digest: str, person_id: str) -> None:
    person = register.person(person_id)
    assert person is not None
    session.show_face(digest, _face(session, digest), person, register.today())
    session.set_faces_checked(digest)


def test_a_face_is_shown_only_for_a_person_with_current_consent(
    folder: Path, clock: FakeClock
) -> None:
    session, register, (a, _) = _open(folder, clock)
    with session:
        sam = register.add(consenting(NAME, clock))
        jo = register.add(NewPerson("Jo", Kind.ADULT, False))
        with pytest.raises(DecisionError, match="only for a person in the consent register"):
            session.set_consent(a, _face(session, a), True)
        with pytest.raises(DecisionError, match="Jo's face cannot be shown: there is no consent"):
            session.show_face(a, _face(session, a), jo, register.today())
        withdrawn = register.withdraw(sam.id)
        with pytest.raises(DecisionError, match="consent was withdrawn"):
            session.show_face(a, _face(session, a), withdrawn, register.today())
        assert session.faces(a)[0].redacted


def test_export_asks_the_register_again_when_it_runs(folder: Path, clock: FakeClock) -> None:
    session, register, (a, b) = _open(folder, clock)
    with session:
        sam = register.add(consenting(NAME, clock))
        _show(session, register, a, sam.id)
        first = export_photos(session, folder.parent / "up1")
        assert {w.photo_hash for w in first.written} == {a, b}
        register.withdraw(sam.id)
        second = export_photos(session, folder.parent / "up2")
        assert [w.photo_hash for w in second.written] == [b]
        [held] = second.withheld
        assert held.source.name == "a.jpg"
        assert any(f"A face shown is of {sam.id}: consent was withdrawn" in r for r in held.reasons)
        register.give_consent(sam.id, given_by="Mum", given_on=register.today())
        assert len(export_photos(session, folder.parent / "up3").written) == 2
        clock.days(366)  # the renewed consent lapses
        third = export_photos(session, folder.parent / "up4")
        assert [w.photo_hash for w in third.written] == [b]
        assert "needs renewing" in " ".join(third.withheld[0].reasons)


def test_a_never_publish_link_keeps_the_photo_back_even_blurred(
    folder: Path, clock: FakeClock
) -> None:
    session, register, (a, b) = _open(folder, clock)
    with session:
        kim = register.add(NewPerson("Kim", Kind.CHILD, False, never_publish=True,
                                     never_publish_reason="court order"))  # fmt: skip
        session.link_face(a, _face(session, a), kim.id)
        assert session.faces(a)[0].redacted  # linked, still blurred
        summary = export_photos(session, folder.parent / "up")
        assert [w.photo_hash for w in summary.written] == [b]
        assert "never publish (court order)" in " ".join(summary.withheld[0].reasons)
        session.link_face(a, _face(session, a), None)
        session.set_faces_checked(a)  # a face change: checked again, as any other
        assert len(export_photos(session, folder.parent / "up2").written) == 2


def test_marking_never_publish_after_a_face_was_shown_keeps_it_back(
    folder: Path, clock: FakeClock
) -> None:
    session, register, (a, b) = _open(folder, clock)
    with session:
        sam = register.add(consenting(NAME, clock))
        _show(session, register, a, sam.id)
        register.set_never_publish(sam.id, True, "family safety")
        summary = export_photos(session, folder.parent / "up")
        assert [w.photo_hash for w in summary.written] == [b]


def test_an_unreachable_register_holds_back_only_what_depends_on_it(
    folder: Path, clock: FakeClock
) -> None:
    session, register, (a, b) = _open(folder, clock)
    with session:
        sam = register.add(consenting(NAME, clock))
        _show(session, register, a, sam.id)
        shutil.rmtree(register.path.parent)  # the shared drive went away
        summary = export_photos(session, folder.parent / "up")
        assert [w.photo_hash for w in summary.written] == [b]  # every face blurred
        reasons = " ".join(summary.withheld[0].reasons)
        assert "consent register cannot be used" in reasons and "is not there" in reasons


def test_names_never_leave_the_register(folder: Path, clock: FakeClock) -> None:
    session, register, (a, _) = _open(folder, clock)
    with session:
        sam = register.add(consenting(NAME, clock))
        _show(session, register, a, sam.id)
        summary = export_photos(session, folder.parent / "up")
        register.withdraw(sam.id)
        withheld = export_photos(session, folder.parent / "up2")
        trail = session.audit_trail(a)
    assert any(e.details.get("person") == sam.id for e in trail)
    assert summary.log_path is not None and withheld.log_path is not None
    places = [*(folder.parent / "up").iterdir(), summary.log_path, withheld.log_path,
              folder / SESSION_DIR_NAME / DB_NAME]  # fmt: skip
    for place in places:
        assert b"Samantha" not in place.read_bytes(), place
        assert "Samantha" not in place.name
    assert not any("Samantha" in line for line in withheld.lines())


def test_the_centre_can_ask_the_manager_to_approve_every_shown_face(
    folder: Path, clock: FakeClock
) -> None:
    session, register, (a, b) = _open(folder, clock)
    with session:
        session.settings.set(APPROVAL_KEY, True)
        sam = register.add(consenting(NAME, clock))
        _show(session, register, a, sam.id)
        summary = export_photos(session, folder.parent / "up")
        assert [w.photo_hash for w in summary.written] == [b]
        assert NEEDS_APPROVAL in summary.withheld[0].reasons
        session.flag_for_review(a, "Sam's face is shown")
        session.approve(a, "Manager")
        assert len(export_photos(session, folder.parent / "up2").written) == 2


def test_an_older_consent_on_file_mark_is_blurred_until_linked(tmp_path: Path) -> None:
    """A session from before the register (schema 2 here, sealed by schema 5 before schema 7
    added the person): its consent mark stays recorded, the face is blurred again, and
    nothing reads as changed outside photoscreen."""
    (tmp_path / SESSION_DIR_NAME).mkdir()
    conn = sqlite3.connect(tmp_path / SESSION_DIR_NAME / DB_NAME)
    for step in (*MIGRATIONS[0], *MIGRATIONS[1]):
        assert isinstance(step, str)
        conn.execute(step)
    conn.execute("UPDATE schema_version SET version = 2")
    conn.execute("INSERT INTO photos (hash, activity) VALUES ('abc', 'messy_play')")
    conn.execute(
        "INSERT INTO faces (photo_hash, id, x, y, w, h, source, state, consent_by, consent_at) "
        "VALUES ('abc', 1, 1, 1, 5, 5, 'hand', 'face', 'Al', 't')"
    )
    conn.commit()
    conn.close()
    with Session.open(tmp_path, "Alice") as session:
        assert session.records_problem is None
        [face] = session.faces("abc")
        assert face.consent_by == "Al" and face.needs_linking and face.redacted
        assert session.photo("abc").records_changed == ()  # type: ignore[union-attr]


def test_a_face_recorded_before_people_replays_as_unlinked() -> None:
    width = len(BY_NAME["faces"].columns)
    replay = Replay()
    old_row = [1, 1.0, 1.0, 5.0, 5.0, "hand", "face", "Al", "t", None]
    replay.apply({"photos": {"abc": {"faces": [old_row]}}})
    assert replay.photos["abc"]["faces"] == [[*old_row, None]]
    assert len(replay.photos["abc"]["faces"][0]) == width
