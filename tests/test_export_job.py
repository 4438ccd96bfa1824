"""The export job: only eligible photos, neutral names, progress, cancel, and a summary
kept in the session directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from photoscreen.core.export import ExportRefused
from photoscreen.core.geometry import Box
from photoscreen.core.jobs import CancelToken, Progress
from photoscreen.core.loading import photo_hash
from photoscreen.core.policy import CHANGED_SINCE_CHECKED
from photoscreen.core.session import Session
from tests.session_fixtures import jpeg_bytes, make_ready, scan, write_photo


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    folder = tmp_path / "photos"
    folder.mkdir()
    opened = Session.open(folder, "Alice")
    yield opened
    opened.close()


def add_photo(session: Session, name: str, seed: int) -> str:
    write_photo(session.folder / name, seed)
    return scan(session, session.folder / name)


def test_only_eligible_photos_are_written_under_neutral_names(
    session: Session, tmp_path: Path
) -> None:
    ready = add_photo(session, "IMG_0001.jpg", 1)
    also_ready = add_photo(session, "IMG_0002.jpg", 2)
    swimming = add_photo(session, "IMG_0003.jpg", 3)
    add_photo(session, "IMG_0004.jpg", 4)  # nothing decided
    make_ready(session, ready, "messy_play")
    make_ready(session, also_ready, "messy_play")
    make_ready(session, swimming, "swimming")
    summary = session.export(tmp_path / "upload")
    assert [(w.name, w.source.name) for w in summary.written] == [
        ("messy-play-001.jpg", "IMG_0001.jpg"),
        ("messy-play-002.jpg", "IMG_0002.jpg"),
    ]
    assert sorted(p.name for p in (tmp_path / "upload").iterdir()) == [
        "messy-play-001.jpg",
        "messy-play-002.jpg",
    ]
    withheld = {w.source.name: w.reasons for w in summary.withheld}
    assert withheld == {
        "IMG_0003.jpg": ("Blocked: swimming involves undress (policy)",),
        "IMG_0004.jpg": ("No activity tagged yet", "Faces not checked yet"),
    }
    assert summary.ok and summary.failed == []


def test_sequence_continues_after_existing_files(session: Session, tmp_path: Path) -> None:
    make_ready(session, add_photo(session, "a.jpg", 1), "story_time")
    upload = tmp_path / "upload"
    upload.mkdir()
    (upload / "story-time-007.jpg").write_bytes(b"an earlier export")
    summary = session.export(upload)
    assert [w.name for w in summary.written] == ["story-time-008.jpg"]
    assert (upload / "story-time-007.jpg").read_bytes() == b"an earlier export"
    again = session.export(upload)
    assert [w.name for w in again.written] == ["story-time-009.jpg"]


def test_changed_file_is_withheld_not_exported_on_its_old_approval(
    session: Session, tmp_path: Path
) -> None:
    digest = add_photo(session, "a.jpg", 1)
    make_ready(session, digest)
    session.flag_for_review(digest, "ok?")
    session.approve(digest, "Sam")
    write_photo(session.folder / "a.jpg", 50)  # edited after approval, not rescanned
    summary = session.export(tmp_path / "upload")
    assert summary.written == []
    assert [w.reasons for w in summary.withheld] == [(CHANGED_SINCE_CHECKED,)]


def test_renamed_file_exports_on_its_decisions_and_duplicates_once(
    session: Session, tmp_path: Path
) -> None:
    digest = add_photo(session, "IMG_0001.jpg", 1)
    make_ready(session, digest)
    (session.folder / "IMG_0001.jpg").rename(session.folder / "holiday.jpg")
    (session.folder / "copy.jpg").write_bytes((session.folder / "holiday.jpg").read_bytes())
    summary = session.export(tmp_path / "upload")
    assert [(w.name, w.source.name) for w in summary.written] == [
        ("messy-play-001.jpg", "copy.jpg")
    ]
    assert [(a.name, b.name) for a, b in summary.duplicates] == [("holiday.jpg", "copy.jpg")]


def test_faces_are_redacted_unless_consent_is_on_file(session: Session, tmp_path: Path) -> None:
    path = session.folder / "face.jpg"
    pixels = np.zeros((200, 300, 3), np.uint8)
    pixels[::2, ::2] = 255  # fine detail that any redaction destroys
    Image.fromarray(pixels).save(path, quality=95)
    digest = scan(session, path)
    redacted = session.add_face(digest, Box(20, 20, 60, 60))
    consented = session.add_face(digest, Box(200, 100, 60, 60))
    session.set_consent(digest, consented, True)
    make_ready(session, digest)
    summary = session.export(tmp_path / "upload")
    out = np.asarray(Image.open(tmp_path / "upload" / summary.written[0].name).convert("L"))
    source = np.asarray(Image.open(path).convert("L")).astype(float)

    def detail(image: np.ndarray, box: Box) -> float:
        x, y, w, h = (int(v) for v in (box.x, box.y, box.w, box.h))
        return float(np.std(image[y + 10 : y + h - 10, x + 10 : x + w - 10]))

    assert redacted != consented
    assert detail(out, Box(20, 20, 60, 60)) < 0.2 * detail(source, Box(20, 20, 60, 60))
    assert detail(out, Box(200, 100, 60, 60)) > 0.5 * detail(source, Box(200, 100, 60, 60))


def test_progress_and_cancel_between_photos(session: Session, tmp_path: Path) -> None:
    for seed in range(4):
        make_ready(session, add_photo(session, f"p{seed}.jpg", seed))
    cancel = CancelToken()
    seen: list[Progress] = []

    def progress(report: Progress) -> None:
        seen.append(report)
        if report.done == 2:
            cancel.cancel()

    summary = session.export(tmp_path / "upload", cancel=cancel, progress=progress)
    assert summary.cancelled
    assert [p.done for p in seen] == [0, 1, 2]
    assert len(summary.written) == 3  # the photo in hand when cancel came is finished
    assert len(list((tmp_path / "upload").iterdir())) == 3
    assert "(cancelled)" in summary.counts_line()


def test_summary_and_audit_stay_in_the_session_directory(session: Session, tmp_path: Path) -> None:
    digest = add_photo(session, "IMG_0001.jpg", 1)
    make_ready(session, digest)
    summary = session.export(tmp_path / "upload")
    assert summary.log_path is not None
    assert summary.log_path.parent == session.session_dir / "exports"
    text = summary.log_path.read_text()
    assert "written  messy-play-001.jpg <- IMG_0001.jpg" in text
    assert [p.name for p in (tmp_path / "upload").iterdir()] == ["messy-play-001.jpg"]
    exported = [e for e in session.audit_trail(digest) if e.action == "exported"]
    assert exported[0].details["name"] == "messy-play-001.jpg"
    actions = [e.action for e in session.audit_trail()]
    assert actions[-1] == "export_finished"


def test_failed_photo_is_reported_and_leaves_nothing(session: Session, tmp_path: Path) -> None:
    # A damaged picture recorded as scanned and then checked (ingest would normally list
    # it as unreadable): export cannot decode it, reports it and writes nothing.
    path = session.folder / "cut.jpg"
    data = jpeg_bytes(1)
    path.write_bytes(data[: len(data) // 2])
    digest = photo_hash(path.read_bytes())
    session.record_ingest(path, digest, 64, 48, "JPEG", [], "test")
    make_ready(session, digest)
    summary = session.export(tmp_path / "upload")
    assert not summary.ok
    assert [f.source.name for f in summary.failed] == ["cut.jpg"]
    assert list((tmp_path / "upload").iterdir()) == []


def test_destination_must_not_be_the_photo_folder_or_session_dir(session: Session) -> None:
    with pytest.raises(ExportRefused, match="photo folder itself"):
        session.export(session.folder)
    with pytest.raises(ExportRefused, match="session folder"):
        session.export(session.session_dir / "out")
    file_target = session.folder.parent / "a-file"
    file_target.write_text("x")
    with pytest.raises(ExportRefused, match="is a file"):
        session.export(file_target)
