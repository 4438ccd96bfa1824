"""Writing regions in the session: found at scan, cached, decided like possible faces,
drawn by hand, undone, sealed by the audit chain, and redacted at export with a fill."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from photoscreen.core.basics.geometry import Box
from photoscreen.core.basics.jobs import CancelToken
from photoscreen.core.faces import Detection, FaceBand, FaceDetector
from photoscreen.core.identifiers.combined import FacesAndWriting, with_writing
from photoscreen.core.imaging.thumbnails import ThumbnailStore
from photoscreen.core.render.redact_writing import WRITING_FILL, writing_region
from photoscreen.core.rules.policy import FaceState, PhotoState
from photoscreen.core.session import Session
from photoscreen.core.session.decision_rules import DecisionError
from photoscreen.core.session.scan_records import WRITING_MARK
from photoscreen.core.workflows import export_photos
from photoscreen.core.workflows.scan import scan_photos
from tests.helpers import text_scenes
from tests.helpers.session_fixtures import make_ready, scan


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    folder = tmp_path / "photos"
    folder.mkdir()
    opened = Session.open(folder, "Alice")
    yield opened
    opened.close()


def _writing(box: Box, score: float = 0.8) -> Detection:
    return Detection(box, score, FaceBand.TEXT)


def _scene_photo(session: Session, seed: int = 11) -> tuple[Path, list[list[int]]]:
    scene = text_scenes.text_scene(np.random.default_rng(seed), (1600, 1200))
    path = session.folder / f"scene{seed}.jpg"
    Image.fromarray(scene.pixels).save(path, quality=92)
    return path, [b for b, h in zip(scene.boxes, scene.letters, strict=True) if h >= 12]


def _scan(session: Session, factory: object) -> None:
    results = scan_photos(
        session.folder_files(),
        detector_factory=factory,  # type: ignore[arg-type]
        cancel=CancelToken(),
        cache=session,
        sink=session,
        thumbs=ThumbnailStore(session.session_dir),
        workers=1,
    )
    for _ in results:
        pass


def test_scan_offers_writing_where_it_was_drawn_and_the_photo_waits(session: Session) -> None:
    _, lines = _scene_photo(session)
    _scan(session, with_writing(FaceDetector))
    (entry,) = session.photos()
    regions = [f for f in entry.decisions.faces if f.is_text]
    assert regions and all(f.state is FaceState.POSSIBLE_PENDING for f in regions)
    found = [b for b in lines if any(f.box.iou(Box(*map(float, b))) >= 0.3 for f in regions)]
    assert len(found) >= 0.8 * len(lines)
    digest = entry.photo_hash
    make_ready(session, digest)
    status = session.status(digest)
    assert status.state is PhotoState.CHECK_FACES
    assert any("writing region" in reason for reason in status.reasons)
    for region in regions:
        session.dismiss_face(digest, region.id)
    session.set_faces_checked(digest)  # deciding a region changes the faces: check again
    assert session.status(digest).exportable


def test_writing_found_once_is_read_back_from_the_cache(session: Session) -> None:
    _scene_photo(session)
    _scan(session, with_writing(FaceDetector))
    before = session.photos()[0].decisions.faces
    ran: list[bool] = []

    class Counting(FacesAndWriting):
        def detect_prepared(self, prepared: object) -> list[Detection]:
            ran.append(True)
            return super().detect_prepared(prepared)  # type: ignore[arg-type]

    built = with_writing(FaceDetector)()
    _scan(session, lambda: Counting(built.faces, built.writing))
    assert not ran
    assert session.photos()[0].decisions.faces == before


def _record(session: Session, path: Path, found: list[Detection], key: str) -> str:
    return scan(session, path, found, settings_key=key)


def test_turning_writing_on_later_adds_it_to_photos_read_before(session: Session) -> None:
    path, _ = _scene_photo(session, 12)
    face = Detection(Box(10, 10, 50, 50), 0.9, FaceBand.FACE)
    digest = _record(session, path, [face], "faces-only")
    assert [f.is_text for f in session.faces(digest)] == [False]
    label = _writing(Box(100, 100, 200, 40))
    _record(session, path, [face, label], f"faces-only{WRITING_MARK}text-1")
    kinds = sorted(f.is_text for f in session.faces(digest))
    assert kinds == [False, True]  # the face was not added twice, the writing was added
    _record(session, path, [face, label, label], f"faces-only{WRITING_MARK}text-2")
    assert len(session.faces(digest)) == 2  # writing is applied once, like faces


def test_accepted_writing_is_redacted_and_dismissed_writing_is_not(session: Session) -> None:
    path, _ = _scene_photo(session, 13)
    digest = _record(
        session, path, [_writing(Box(100, 100, 200, 40)), _writing(Box(600, 500, 300, 60))],
        f"k{WRITING_MARK}t",
    )  # fmt: skip
    first, second = (f.id for f in session.faces(digest))
    session.accept_face(digest, first)
    session.dismiss_face(digest, second)
    photo = session.photo(digest)
    assert photo is not None
    assert photo.writing_to_redact == (Box(100, 100, 200, 40),)
    assert photo.faces_to_redact == ()  # writing is not counted as a face
    assert photo.pending_writing == 0 and photo.pending_faces == 0


def test_writing_drawn_by_hand_is_redacted_undone_and_has_no_consent(session: Session) -> None:
    path, _ = _scene_photo(session, 14)
    digest = _record(session, path, [], "k")
    region = session.add_writing(digest, Box(50, 60, 120, 30))
    (record,) = session.faces(digest)
    assert record.is_text and record.redacted and record.state is FaceState.FACE
    with pytest.raises(DecisionError, match="Writing has no consent"):
        session.set_consent(digest, region, True)
    with pytest.raises(DecisionError, match="Writing marked by hand"):
        session.dismiss_face(digest, region)
    assert session.undo_description() == "Add writing"
    session.undo()
    assert session.faces(digest) == ()
    session.redo()
    assert [f.is_text for f in session.faces(digest)] == [True]


def test_writing_survives_reopening_and_an_edit_outside_is_caught(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    with Session.open(folder, "Alice") as session:
        path, _ = _scene_photo(session, 15)
        digest = _record(session, path, [], "k")
        session.add_writing(digest, Box(50, 60, 120, 30))
    conn = sqlite3.connect(folder / ".photoscreen" / "session.sqlite3")
    with conn:
        # Turned into a face by hand: a face could then be given consent and left visible.
        conn.execute("UPDATE faces SET source = 'hand'")
    conn.close()
    with Session.open(folder, "Alice") as session:
        assert session.records_problem
        photo = session.photo(digest)
        assert photo is not None and any("face boxes" in why for why in photo.records_changed)
        assert not session.status(digest).exportable


def test_export_covers_accepted_writing_with_a_solid_fill(session: Session, tmp_path: Path) -> None:
    path = session.folder / "label.jpg"
    pixels = np.zeros((400, 600, 3), np.uint8)
    pixels[::2, ::2] = 255
    Image.fromarray(pixels).save(path, quality=95)
    digest = scan(session, path)
    box = Box(100, 100, 200, 40)
    session.add_writing(digest, box)
    make_ready(session, digest)
    summary = export_photos(session, tmp_path / "upload")
    out = np.asarray(Image.open(tmp_path / "upload" / summary.written[0].name).convert("RGB"))
    assert out.shape[:2] == (400, 600)
    region = writing_region(box, 600, 400)
    inner = out[
        int(region.y) + 3 : int(region.bottom) - 3, int(region.x) + 3 : int(region.right) - 3
    ]
    # One flat colour (up to the JPEG's own noise): nothing of the letters is left.
    assert float(np.std(inner)) < 4 and abs(float(inner.mean()) - WRITING_FILL[0]) < 4
    assert float(np.std(out[300:380, 400:580])) > 60  # elsewhere the detail is kept


def test_the_writing_setting_is_on_by_default_and_can_be_turned_off(session: Session) -> None:
    assert session.settings.writing_detection
    session.settings.set_writing(detect=False)
    assert not session.settings.writing_detection
