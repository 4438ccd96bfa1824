"""The Session API: decisions keyed by content, faces, approvals that cover what was seen,
undo/redo, listeners and the folder listing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from photoscreen.core.basics.geometry import Box
from photoscreen.core.rules.policy import FaceSource, FaceState, PhotoState
from photoscreen.core.session import DecisionError, Session
from tests.helpers.consent_fixtures import consenting, register_for, today_clock
from tests.helpers.session_fixtures import detection, make_ready, scan, write_photo


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    opened = Session.open(tmp_path, "Alice")
    yield opened
    opened.close()


@pytest.fixture
def photo(session: Session) -> str:
    write_photo(session.folder / "IMG_0001.jpg", 1)
    return scan(session, session.folder / "IMG_0001.jpg")


def test_listing_shows_every_file_with_status(session: Session, photo: str) -> None:
    write_photo(session.folder / "IMG_0002.jpg", 2)
    (session.folder / "notes.txt").write_text("not a photo")
    session.record_unreadable(session.folder / "notes.txt", "not a supported image format")
    entries = {entry.name: entry for entry in session.photos()}
    assert set(entries) == {"IMG_0001.jpg", "IMG_0002.jpg", "notes.txt"}
    assert entries["IMG_0001.jpg"].photo_hash == photo
    assert entries["IMG_0001.jpg"].state is PhotoState.NEEDS_ACTIVITY
    assert entries["IMG_0002.jpg"].photo_hash is None
    assert entries["IMG_0002.jpg"].reasons == ("Not read yet",)
    assert entries["notes.txt"].state is PhotoState.UNREADABLE
    assert entries["notes.txt"].reasons == ("Could not be read: not a supported image format",)


def test_renaming_keeps_decisions(session: Session, photo: str) -> None:
    make_ready(session, photo)
    (session.folder / "IMG_0001.jpg").rename(session.folder / "renamed.jpg")
    assert scan(session, session.folder / "renamed.jpg") == photo
    [entry] = session.photos()
    assert entry.name == "renamed.jpg" and entry.state is PhotoState.READY


def test_editing_a_file_sends_it_back_to_unchecked(session: Session, photo: str) -> None:
    make_ready(session, photo)
    session.flag_for_review(photo, "ok?")
    session.approve(photo, "Sam")
    assert session.status(photo).exportable
    write_photo(session.folder / "IMG_0001.jpg", 99)  # edited in another program
    [entry] = session.photos()
    assert entry.photo_hash is None  # changed since it was read: not trusted
    edited = scan(session, session.folder / "IMG_0001.jpg")
    [entry] = session.photos()
    assert edited != photo and entry.photo_hash == edited
    assert entry.state is PhotoState.NEEDS_ACTIVITY
    assert entry.reasons == ("No activity tagged yet", "Faces not checked yet")


def test_first_detections_become_faces_and_are_never_overwritten(session: Session) -> None:
    path = session.folder / "group.jpg"
    write_photo(path, 5)
    found = [detection(Box(1, 1, 10, 10)), detection(Box(30, 5, 8, 8), possible=True)]
    digest = scan(session, path, found, settings_key="centerface@832")
    faces = session.faces(digest)
    assert [(f.source, f.state) for f in faces] == [
        (FaceSource.DETECTOR, FaceState.FACE),
        (FaceSource.DETECTOR, FaceState.POSSIBLE_PENDING),
    ]
    assert session.status(digest).reasons[-1] == "1 possible face to accept or dismiss"
    session.remove_face(digest, faces[0].id)
    scan(session, path, [detection(Box(2, 2, 9, 9))], settings_key="centerface@1248")
    assert [f.id for f in session.faces(digest)] == [faces[1].id]
    cached = session.cached_detections(digest, "centerface@832")
    assert cached is not None and [d.box for d in cached] == [d.box for d in found]
    assert session.cached_detections(digest, "other") is None


def test_face_edits_clear_the_check_and_record_consent(session: Session, photo: str) -> None:
    make_ready(session, photo)
    face_id = session.add_face(photo, Box(10, 10, 20, 20))
    assert session.status(photo).reasons == ("Faces not checked yet",)
    session.set_faces_checked(photo)
    with pytest.raises(DecisionError, match="only for a person in the consent register"):
        session.set_consent(photo, face_id, True)
    register = register_for(session, session.folder.parent)
    sam = register.add(consenting("Sam", today_clock()))
    session.show_face(photo, face_id, sam, register.today())
    [face] = session.faces(photo)
    assert face.consent_by == "Alice" and face.consent_at and not face.redacted
    assert face.person_id == sam.id
    assert session.photo(photo).faces_checked_by is None  # type: ignore[union-attr]
    session.move_face(photo, face_id, Box(50, 40, 30, 30))
    [face] = session.faces(photo)
    assert face.box == Box(50, 40, 14, 8)  # clipped to the 64 x 48 photo
    with pytest.raises(DecisionError, match="outside the photo"):
        session.move_face(photo, face_id, Box(100, 100, 5, 5))
    with pytest.raises(DecisionError, match="no longer on this photo"):
        session.remove_face(photo, face_id + 100)


def test_accepting_and_dismissing_possible_faces(session: Session) -> None:
    path = session.folder / "p.jpg"
    write_photo(path, 6)
    found = [detection(Box(1, 1, 9, 9), possible=True), detection(Box(20, 1, 9, 9), possible=True)]
    digest = scan(session, path, found)
    first, second = session.faces(digest)
    session.accept_face(digest, first.id)
    session.dismiss_face(digest, second.id)
    make_ready(session, digest)
    photo = session.photo(digest)
    assert photo is not None and photo.faces_to_redact == (first.box,)
    assert session.status(digest).exportable
    hand = session.add_face(digest, Box(40, 20, 5, 5))
    with pytest.raises(DecisionError, match="removed, not dismissed"):
        session.dismiss_face(digest, hand)


def test_material_changes_clear_an_approval(session: Session, photo: str) -> None:
    changes = [
        lambda: session.set_activity(photo, "story_time"),
        lambda: session.add_face(photo, Box(1, 1, 5, 5)),
        lambda: session.set_excluded(photo, True),
        lambda: session.flag_for_review(photo, "a different worry"),
    ]
    for change in changes:
        make_ready(session, photo, "messy_play")
        session.set_excluded(photo, False)
        session.flag_for_review(photo, "worried")
        session.approve(photo, "Sam")
        assert session.status(photo).exportable
        change()
        after = session.photo(photo)
        assert after is not None and after.verdict is None, change
        assert not session.status(photo).exportable


def test_unknown_activity_and_unscanned_photo_are_refused(session: Session, photo: str) -> None:
    with pytest.raises(DecisionError, match="not one of the centre's activities"):
        session.set_activity(photo, "rock_climbing")
    with pytest.raises(DecisionError, match="not been read"):
        session.set_activity("0" * 64, "messy_play")
    with pytest.raises(DecisionError, match="Enter your name"):
        Session.open(session.folder / "x", "  ")


def test_undo_and_redo_are_saved_and_audited(session: Session, photo: str) -> None:
    assert not session.can_undo
    session.set_activity(photo, "messy_play")
    face_id = session.add_face(photo, Box(1, 1, 10, 10))
    assert session.undo_description() == "Add face"
    assert session.undo() == photo
    assert session.faces(photo) == ()
    assert session.can_redo and session.redo_description() == "Add face"
    session.redo()
    assert [f.id for f in session.faces(photo)] == [face_id]
    session.undo()
    session.undo()
    assert session.photo(photo).activity is None  # type: ignore[union-attr]
    assert not session.can_undo
    actions = [e.action for e in session.audit_trail(photo)]
    assert actions[-4:] == ["undo", "redo", "undo", "undo"]
    session.redo()
    session.set_excluded(photo, True)  # a new decision: nothing left to redo
    assert not session.can_redo
    with Session.open(session.folder, "status", read_only=True) as other:
        assert other.photo(photo).activity == "messy_play"  # type: ignore[union-attr]


def test_undo_restores_only_what_the_decision_changed(session: Session, photo: str) -> None:
    session.set_activity(photo, "messy_play")
    session.set_excluded(photo, True)
    session.set_activity(photo, "story_time")
    session.undo()  # the activity goes back; the exclusion made in between stays
    decisions = session.photo(photo)
    assert decisions is not None
    assert decisions.activity == "messy_play" and decisions.excluded


def test_undo_keeps_faces_the_detector_found_since(session: Session) -> None:
    """A photo read before its detection finished gets its faces later, off the undo
    stack; undoing a box drawn in between removes that box only, never those faces."""
    path = session.folder / "IMG_0002.jpg"
    digest = write_photo(path, 2)
    session.record_scan(path, digest, 64, 48, "JPEG", None, None)  # no detections yet
    drawn = session.add_face(digest, Box(1, 1, 5, 5))
    session.record_scan(path, digest, 64, 48, "JPEG", [detection(Box(30, 10, 12, 12))], "det")
    assert len(session.faces(digest)) == 2
    session.undo()
    faces = session.faces(digest)
    assert [f.source for f in faces] == [FaceSource.DETECTOR] and faces[0].redacted
    session.redo()
    assert {f.id for f in session.faces(digest)} == {drawn, faces[0].id}


def test_undo_after_approval_clears_it(session: Session, photo: str) -> None:
    make_ready(session, photo)
    session.flag_for_review(photo, "check")
    session.approve(photo, "Sam")
    session.undo()  # undoes the flag; the approval covered a flagged photo as it was
    session.redo()
    assert session.status(photo).state is PhotoState.AWAITING_REVIEW


def test_listeners_hear_every_change(session: Session, photo: str) -> None:
    heard: list[str | None] = []
    session.add_listener(heard.append)
    session.set_activity(photo, "messy_play")
    session.set_activity(photo, "messy_play")  # no change: nothing saved, nothing heard
    session.undo()
    session.settings.set_export(quality=80)
    assert heard == [photo, photo, None]  # None: a setting changed, refresh everything
    session.remove_listener(heard.append)


def test_settings_activities_can_be_added_renamed_and_blocked(session: Session, photo: str) -> None:
    forest = session.settings.activity_list.add("Forest school")
    assert forest.key == "forest_school" and not forest.blocked
    make_ready(session, photo, forest.key)
    assert session.status(photo).exportable
    session.settings.activity_list.rename(forest.key, "Forest club")
    session.settings.activity_list.set_blocked(forest.key, True, "paddling involves undress")
    assert session.status(photo).reasons == ("Blocked: paddling involves undress (policy)",)
    labels = [a.label for a in session.activities()]
    assert "Forest club" in labels and "Forest school" not in labels


def test_export_settings_are_checked(session: Session) -> None:
    from photoscreen.core.settings.centre_settings import SettingError

    with pytest.raises(SettingError, match="from 50 to 95"):
        session.settings.set_export(quality=5)
    session.settings.set_export(long_side=1024, quality=85)
    options = session.export_options()
    assert (options.long_side, options.quality) == (1024, 85)


def test_look_harder_adds_faces_and_possible_faces_in_one_undoable_step(session: Session) -> None:
    path = session.folder / "group.jpg"
    write_photo(path, 7)
    digest = scan(session, path, [detection(Box(1, 1, 10, 10))])
    make_ready(session, digest)
    found = [
        detection(Box(2, 2, 10, 10)),  # the face already known, found again
        detection(Box(30, 5, 10, 10)),  # a new face
        detection(Box(45, 25, 9, 9), possible=True),  # a new possible face
    ]
    assert session.add_detections(digest, found, "thorough-key") == (1, 1)
    faces = session.faces(digest)
    assert [(f.box, f.state) for f in faces[1:]] == [
        (Box(30, 5, 10, 10), FaceState.FACE),
        (Box(45, 25, 9, 9), FaceState.POSSIBLE_PENDING),
    ]
    assert all(f.source is FaceSource.DETECTOR for f in faces)
    status = session.status(digest)
    assert not status.exportable
    assert status.reasons == ("Faces not checked yet", "1 possible face to accept or dismiss")
    [entry] = [e for e in session.audit_trail(digest) if e.action == "add_detections"]
    assert entry.details["detector"] == "thorough-key"
    assert (entry.details["faces"], entry.details["possible"]) == (1, 1)
    assert session.undo_description() == "Add faces found by looking harder"
    session.undo()
    assert len(session.faces(digest)) == 1 and session.status(digest).exportable


def test_look_harder_never_brings_back_a_dismissed_box(session: Session) -> None:
    path = session.folder / "p.jpg"
    write_photo(path, 8)
    digest = scan(session, path, [detection(Box(20, 10, 10, 10), possible=True)])
    [possible] = session.faces(digest)
    session.dismiss_face(digest, possible.id)
    make_ready(session, digest)
    again = [detection(Box(21, 11, 10, 10)), detection(Box(50, 30, 8, 8), possible=True)]
    assert session.add_detections(digest, again, "k") == (0, 1)
    photo = session.photo(digest)
    assert photo is not None and photo.pending_faces == 1
    # Only a possible face was added: the check still stands, the possible face blocks.
    assert photo.faces_checked_by == "Alice"
    assert session.status(digest).reasons == ("1 possible face to accept or dismiss",)


def test_look_harder_that_finds_nothing_new_changes_nothing(session: Session, photo: str) -> None:
    session.add_face(photo, Box(10, 10, 20, 20))
    make_ready(session, photo)
    steps = session.undo_description()
    assert session.add_detections(photo, [detection(Box(11, 11, 20, 20))], "k") == (0, 0)
    assert session.status(photo).exportable and session.undo_description() == steps
