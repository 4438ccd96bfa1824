"""The export job: only eligible photos, neutral names, progress, cancel, and a summary
kept in the session directory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from photoscreen.core.basics.geometry import Box
from photoscreen.core.basics.jobs import CancelToken, Progress
from photoscreen.core.imaging.loading import photo_hash
from photoscreen.core.render import encode, safe_export
from photoscreen.core.rules.policy import CHANGED_SINCE_CHECKED
from photoscreen.core.session import Session
from photoscreen.core.workflows import export
from photoscreen.core.workflows.export import CHANGED_DURING_EXPORT, ExportRefused, export_photos
from tests.helpers.consent_fixtures import consenting, register_for, today_clock
from tests.helpers.session_fixtures import jpeg_bytes, make_ready, scan, write_photo


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
    summary = export_photos(session, tmp_path / "upload")
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
    summary = export_photos(session, upload)
    assert [w.name for w in summary.written] == ["story-time-008.jpg"]
    assert (upload / "story-time-007.jpg").read_bytes() == b"an earlier export"
    # The same picture is never written twice into one folder: once it is gone from
    # there, it is exported again, after the highest number left.
    again = export_photos(session, upload)
    assert not again.written and [a.record.name for a in again.already] == ["story-time-008.jpg"]
    (upload / "story-time-008.jpg").unlink()
    third = export_photos(session, upload)
    assert [w.name for w in third.written] == ["story-time-008.jpg"]
    assert (upload / "story-time-007.jpg").read_bytes() == b"an earlier export"


def test_photos_rendered_side_by_side_are_written_in_folder_order(
    session: Session, tmp_path: Path
) -> None:
    """Pixel work runs on several threads; each name still holds its own source's picture,
    numbered in folder order, with a withheld photo between them changing nothing."""
    activities = ["story_time", "messy_play"] * 4
    for index, activity in enumerate(activities):
        digest = add_photo(session, f"IMG_{index:04d}.jpg", 100 + index)
        if index != 3:  # one photo left untagged in the middle
            make_ready(session, digest, activity)
    summary = export_photos(session, tmp_path / "upload")
    expected = [
        (f"{activity.replace('_', '-')}-{number:03d}.jpg", f"IMG_{index:04d}.jpg")
        for index, activity, number in [
            (0, "story_time", 1),
            (1, "messy_play", 1),
            (2, "story_time", 2),
            (4, "story_time", 3),
            (5, "messy_play", 2),
            (6, "story_time", 4),
            (7, "messy_play", 3),
        ]
    ]
    assert [(w.name, w.source.name) for w in summary.written] == expected
    for name, source in expected:
        out = np.asarray(Image.open(tmp_path / "upload" / name), dtype=float)
        for other in range(len(activities)):
            original = np.asarray(Image.open(session.folder / f"IMG_{other:04d}.jpg"), float)
            difference = np.abs(out - original).mean()
            if f"IMG_{other:04d}.jpg" == source:
                assert difference < 12, (name, source)
            else:
                assert difference > 40, (name, "holds", f"IMG_{other:04d}.jpg")


def test_changed_file_is_withheld_not_exported_on_its_old_approval(
    session: Session, tmp_path: Path
) -> None:
    digest = add_photo(session, "a.jpg", 1)
    make_ready(session, digest)
    session.flag_for_review(digest, "ok?")
    session.approve(digest, "Sam")
    write_photo(session.folder / "a.jpg", 50)  # edited after approval, not rescanned
    summary = export_photos(session, tmp_path / "upload")
    assert summary.written == []
    assert [w.reasons for w in summary.withheld] == [(CHANGED_SINCE_CHECKED,)]


def test_renamed_file_exports_on_its_decisions_and_duplicates_once(
    session: Session, tmp_path: Path
) -> None:
    digest = add_photo(session, "IMG_0001.jpg", 1)
    make_ready(session, digest)
    (session.folder / "IMG_0001.jpg").rename(session.folder / "holiday.jpg")
    (session.folder / "copy.jpg").write_bytes((session.folder / "holiday.jpg").read_bytes())
    summary = export_photos(session, tmp_path / "upload")
    assert [(w.name, w.source.name) for w in summary.written] == [
        ("messy-play-001.jpg", "copy.jpg")
    ]
    assert [(a.name, b.name) for a, b in summary.duplicates] == [("holiday.jpg", "copy.jpg")]


def test_faces_are_redacted_unless_shown_with_consent(session: Session, tmp_path: Path) -> None:
    path = session.folder / "face.jpg"
    pixels = np.zeros((200, 300, 3), np.uint8)
    pixels[::2, ::2] = 255  # fine detail that any redaction destroys
    Image.fromarray(pixels).save(path, quality=95)
    digest = scan(session, path)
    redacted = session.add_face(digest, Box(20, 20, 60, 60))
    consented = session.add_face(digest, Box(200, 100, 60, 60))
    register = register_for(session, tmp_path)
    sam = register.add(consenting("Sam", today_clock()))
    session.show_face(digest, consented, sam, register.today())
    make_ready(session, digest)
    summary = export_photos(session, tmp_path / "upload")
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

    summary = export_photos(session, tmp_path / "upload", cancel=cancel, progress=progress)
    assert summary.cancelled
    assert [p.done for p in seen] == [0, 1, 2]
    assert len(summary.written) == 3  # the photo in hand when cancel came is finished
    assert len(list((tmp_path / "upload").iterdir())) == 3
    assert "(cancelled)" in summary.counts_line()


def test_summary_and_audit_stay_in_the_session_directory(session: Session, tmp_path: Path) -> None:
    digest = add_photo(session, "IMG_0001.jpg", 1)
    make_ready(session, digest)
    summary = export_photos(session, tmp_path / "upload")
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
    # A damaged picture recorded as scanned and then checked (scan would normally list
    # it as unreadable): export cannot decode it, reports it and writes nothing.
    path = session.folder / "cut.jpg"
    data = jpeg_bytes(1)
    path.write_bytes(data[: len(data) // 2])
    digest = photo_hash(path.read_bytes())
    session.record_scan(path, digest, 64, 48, "JPEG", [], "test")
    make_ready(session, digest)
    summary = export_photos(session, tmp_path / "upload")
    assert not summary.ok
    assert [f.source.name for f in summary.failed] == ["cut.jpg"]
    assert list((tmp_path / "upload").iterdir()) == []


@pytest.mark.parametrize("when", ["between render and write", "while being written"])
def test_a_photo_that_became_ineligible_before_it_was_named_is_never_published(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    first = add_photo(session, "IMG_0001.jpg", 1)
    make_ready(session, first)
    make_ready(session, add_photo(session, "IMG_0002.jpg", 2))
    published: list[str] = []
    real_publish = encode._publish

    def publish(temporary: Path, final: Path) -> None:
        published.append(final.name)
        real_publish(temporary, final)

    monkeypatch.setattr(encode, "_publish", publish)
    monkeypatch.setattr(export, "render_workers", lambda: 2)  # the first is in flight
    progress = None
    if when == "between render and write":

        def progress(report: Progress) -> None:
            # Reported as the second photo starts: the first is rendered, not written.
            if report.done == 1:
                session.set_excluded(first, True)

    else:
        real_check = safe_export._check_written

        def check_written(path: Path, expected: bytes, size: tuple[int, int]) -> list[str]:
            decisions = session.photo(first)
            if decisions is not None and not decisions.excluded:
                session.set_excluded(first, True)  # as its file is read back and verified
            return real_check(path, expected, size)

        monkeypatch.setattr(safe_export, "_check_written", check_written)
    summary = export_photos(session, tmp_path / "upload", progress=progress)
    assert [w.source.name for w in summary.written] == ["IMG_0002.jpg"]
    assert [(w.source.name, w.reasons) for w in summary.withheld] == [
        ("IMG_0001.jpg", (CHANGED_DURING_EXPORT,))
    ]
    assert published == ["messy-play-002.jpg"]  # the first never had a final name
    assert [p.name for p in (tmp_path / "upload").iterdir()] == ["messy-play-002.jpg"]
    assert not [e for e in session.audit_trail(first) if e.action == "exported"]


def test_destination_must_not_be_the_photo_folder_or_session_dir(session: Session) -> None:
    with pytest.raises(ExportRefused, match="photo folder itself"):
        export_photos(session, session.folder)
    with pytest.raises(ExportRefused, match="session folder"):
        export_photos(session, session.session_dir / "out")
    file_target = session.folder.parent / "a-file"
    file_target.write_text("x")
    with pytest.raises(ExportRefused, match="is a file"):
        export_photos(session, file_target)


# Temporary files left by an export that was killed or interrupted mid-write --------------

# The child exports with a file-size limit smaller than the photo's export, so the kernel
# stops it in the middle of writing the temporary file: SIGXFSZ kills it outright ("kill"),
# or, ignored, makes the write fail ("fail"), or, handled, interrupts it ("interrupt", as
# Ctrl-C would). The session database stays well under the limit.
WRITE_LIMIT = 256 * 1024
STOPPED_WRITER = f"""
import resource, signal, sys
from pathlib import Path
from photoscreen.core.session.folder_session import Session
from photoscreen.core.workflows.export import export_photos
mode = sys.argv[3]
def interrupt(*_):
    raise KeyboardInterrupt
handlers = {{"kill": signal.SIG_DFL, "fail": signal.SIG_IGN, "interrupt": interrupt}}
signal.signal(signal.SIGXFSZ, handlers[mode])
session = Session.open(Path(sys.argv[1]), "Stopped")
resource.setrlimit(resource.RLIMIT_FSIZE, ({WRITE_LIMIT}, {WRITE_LIMIT}))
summary = export_photos(session, Path(sys.argv[2]))
print("written", len(summary.written), "failed", [f.reason for f in summary.failed], flush=True)
"""


def _noisy_photo(session: Session, name: str, seed: int) -> str:
    """A 1200 x 900 photo of noise: its export (about 1 MB) is over the write limit."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 255, size=(900, 1200, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(session.folder / name, quality=90)
    digest = scan(session, session.folder / name)
    make_ready(session, digest)
    return digest


def _run_stopped_writer(folder: Path, upload: Path, mode: str) -> subprocess.CompletedProcess[str]:
    repo = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    return subprocess.run(
        [sys.executable, "-c", STOPPED_WRITER, str(folder), str(upload), mode],
        capture_output=True,
        text=True,
        env=env,
        cwd=repo,
        timeout=120,
    )


def _partials(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


posix_only = pytest.mark.skipif(os.name != "posix", reason="file-size limits are POSIX")


@posix_only
def test_next_export_removes_the_file_a_killed_export_left(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    with Session.open(folder, "Alice") as session:
        _noisy_photo(session, "IMG_0001.jpg", 1)
        _noisy_photo(session, "IMG_0002.jpg", 2)
    upload = tmp_path / "upload"
    upload.mkdir()
    # The person's own files in the upload folder, some named much like ours.
    theirs = {
        ".holiday.jpg": b"a hidden photo of theirs",
        ".holiday.jpg.partial": b"theirs too",
        ".notes.txt.0123456789ab.partial": b"not a photo of ours",
        "holiday.jpg.0123456789ab.partial": b"not hidden, so not ours",
        ".x.jpg.0123456789.partial": b"token too short",
        "messy-play-001.txt": b"unrelated",
    }
    for name, data in theirs.items():
        (upload / name).write_bytes(data)

    killed = _run_stopped_writer(folder, upload, "kill")
    assert killed.returncode == -signal.SIGXFSZ, killed.stderr
    left = _partials(upload)
    assert len(left) == len([n for n in theirs if n.endswith(".partial")]) + 1
    (leftover,) = set(left) - set(theirs)
    assert leftover.startswith(".messy-play-001.jpg.")
    assert not (upload / "messy-play-001.jpg").exists()  # never under a final name

    with Session.open(folder, "Checker") as session:  # the killed child's lock is stale
        summary = export_photos(session, upload)
    assert summary.ok and len(summary.written) == 2
    assert summary.leftovers_removed == [leftover]
    assert any("left unfinished" in line for line in summary.lines())
    assert not (upload / leftover).exists()
    for name, data in theirs.items():
        assert (upload / name).read_bytes() == data, name
    exported = sorted(p.name for p in upload.iterdir() if p.name not in theirs)
    assert exported == ["messy-play-001.jpg", "messy-play-002.jpg"]


@posix_only
@pytest.mark.parametrize("mode", ["fail", "interrupt"])
def test_a_failed_or_interrupted_write_removes_its_own_temporary_file(
    tmp_path: Path, mode: str
) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    with Session.open(folder, "Alice") as session:
        _noisy_photo(session, "IMG_0001.jpg", 1)
    upload = tmp_path / "upload"
    stopped = _run_stopped_writer(folder, upload, mode)
    if mode == "fail":
        assert stopped.returncode == 0, stopped.stderr
        assert "written 0 failed ['could not write messy-play-001.jpg: File too large']" in (
            stopped.stdout
        )
    else:
        assert stopped.returncode != 0 and "KeyboardInterrupt" in stopped.stderr
    assert list(upload.iterdir()) == []  # no temporary file, no final name
