"""Scan: every file gets one result, read once, thumbnail upright, faces in full-res coords."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import cv2
import numpy as np
import piexif
import pytest
import skimage.data
from PIL import Image

from photoscreen.core.basics.geometry import Box
from photoscreen.core.basics.jobs import CancelToken
from photoscreen.core.faces.detector import Detection, FaceDetector, PreparedPhoto
from photoscreen.core.imaging.loading import photo_hash
from photoscreen.core.imaging.thumbnails import ThumbnailStore
from photoscreen.core.workflows.scan import ScanQueue, ScanResult, scan_photos
from tests.helpers.photos import make_paged_tiff

# The astronaut's face (forehead to chin, ear to ear) in skimage.data.astronaut().
FACE_IN_ASTRONAUT = Box(170, 40, 120, 150)
# Where the scaled astronaut portrait lands in the test photo, and how much it is scaled.
PASTE_AT = (1500, 300)
PASTE_SCALE = 0.8


class MemorySession:
    """A real in-memory session: the cache and sink that scan talks to."""

    def __init__(self) -> None:
        self.detections: dict[tuple[str, str], list[Detection]] = {}
        self.scanned: dict[Path, tuple[str, int, int, str]] = {}
        self.unreadable: dict[Path, str] = {}
        self.threads: set[int] = set()

    def cached_detections(self, photo_hash: str, settings_key: str) -> list[Detection] | None:
        self.threads.add(threading.get_ident())
        return self.detections.get((photo_hash, settings_key))

    def record_scan(
        self,
        path: Path,
        photo_hash: str,
        width: int,
        height: int,
        format: str,
        detections: list[Detection] | None,
        settings_key: str | None,
    ) -> None:
        self.threads.add(threading.get_ident())
        self.scanned[path] = (photo_hash, width, height, format)
        if detections is not None and settings_key is not None:
            self.detections[(photo_hash, settings_key)] = detections

    def record_unreadable(self, path: Path, reason: str) -> None:
        self.threads.add(threading.get_ident())
        self.unreadable[path] = reason


class CountingDetector:
    """The real detector, counting how often it is asked to look at a photo."""

    def __init__(self, calls: list[tuple[int, ...]]) -> None:
        self._detector = FaceDetector()
        self._calls = calls
        self._given: dict[int, tuple[int, ...]] = {}
        self.settings_key = self._detector.settings_key

    def min_decode_long_side(self) -> int:
        return self._detector.min_decode_long_side()

    def prepare(self, pixels: np.ndarray, scale: float) -> PreparedPhoto:
        prepared = self._detector.prepare(pixels, scale)
        self._given[id(prepared)] = pixels.shape
        return prepared

    def detect_prepared(self, prepared: PreparedPhoto) -> list[Detection]:
        self._calls.append(self._given.pop(id(prepared)))  # the decode scan gave it
        return self._detector.detect_prepared(prepared)


def _counting_factory(calls: list[tuple[int, ...]]) -> Callable[[], FaceDetector]:
    def make() -> FaceDetector:
        return CountingDetector(calls)  # type: ignore[return-value]

    return make


def _scene(width: int, height: int, face: bool, at: tuple[int, int] = PASTE_AT) -> np.ndarray:
    """A faceless photo (coffee) scaled up, optionally with the astronaut pasted at ``at``."""
    scene = cv2.resize(skimage.data.coffee(), (width, height), interpolation=cv2.INTER_LINEAR)
    if face:
        portrait = skimage.data.astronaut()
        size = round(512 * PASTE_SCALE)
        small = cv2.resize(portrait, (size, size), interpolation=cv2.INTER_AREA)
        x, y = at
        scene[y : y + size, x : x + size] = small
    return scene


def _save(path: Path, pixels: np.ndarray, orientation: int | None = None) -> Path:
    kwargs = {}
    if orientation is not None:
        kwargs["exif"] = piexif.dump({"0th": {piexif.ImageIFD.Orientation: orientation}})
    Image.fromarray(pixels).save(path, "JPEG", quality=90, **kwargs)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three good photos and three files that are not usable photos."""
    photos = tmp_path / "photos"
    photos.mkdir()
    for index in range(3):
        _save(photos / f"good{index}.jpg", _scene(640 + 32 * index, 480, face=False))
    (photos / "empty.jpg").write_bytes(b"")
    (photos / "notes.jpg").write_text("not a photo at all")
    whole = (photos / "good0.jpg").read_bytes()
    (photos / "cut.jpg").write_bytes(whole[: len(whole) // 2])
    return photos


def _run(paths: list[Path], **kwargs: object) -> dict[Path, ScanResult]:
    kwargs.setdefault("detector_factory", None)
    kwargs.setdefault("cancel", CancelToken())
    results: dict[Path, ScanResult] = {}
    for result in scan_photos(paths, **kwargs):  # type: ignore[arg-type]
        assert result.path not in results, "each photo is reported once"
        results[result.path] = result
    return results


def test_every_file_gets_exactly_one_result(folder: Path) -> None:
    paths = sorted(folder.iterdir())
    session = MemorySession()
    results = _run(paths, sink=session, workers=2)
    assert set(results) == set(paths)
    good = {p for p in paths if p.name.startswith("good")}
    for path in good:
        result = results[path]
        assert result.error is None
        assert result.photo_hash == photo_hash(path.read_bytes())
        assert result.format == "jpeg"
        assert result.thumbnail is not None and max(result.thumbnail.shape[:2]) == 336
        assert session.scanned[path][0] == result.photo_hash
    assert set(session.unreadable) == set(paths) - good


def test_unreadable_files_are_listed_with_their_reason(folder: Path) -> None:
    session = MemorySession()
    results = _run(sorted(folder.iterdir()), sink=session)
    assert results[folder / "empty.jpg"].error == "the file is empty"
    assert "not an image" in (results[folder / "notes.jpg"].error or "")
    assert "truncated" in (results[folder / "cut.jpg"].error or "")
    assert session.unreadable[folder / "cut.jpg"] == results[folder / "cut.jpg"].error
    missing = folder / "gone.jpg"
    assert "does not exist" in (_run([missing])[missing].error or "")


def test_cache_and_sink_are_called_only_from_the_iterating_thread(folder: Path) -> None:
    session = MemorySession()
    _run(sorted(folder.iterdir()), sink=session, cache=session, workers=2)
    assert session.threads == {threading.get_ident()}


def test_thumbnail_is_upright_for_an_exif_rotated_photo(tmp_path: Path) -> None:
    upright = np.full((400, 300, 3), 120, dtype=np.uint8)
    upright[:100, :] = (230, 20, 20)  # red sky at the top of the upright picture
    # Stored turned a quarter anticlockwise; orientation 6 tells viewers to turn it back.
    stored = np.ascontiguousarray(np.rot90(upright, k=1))
    path = _save(tmp_path / "turned.jpg", stored, orientation=6)
    result = _run([path])[path]
    assert result.full_size == (300, 400)
    thumb = result.thumbnail
    assert thumb is not None and thumb.shape[:2] == (336, 252)
    assert thumb[5, 126, 0] > 180 and thumb[5, 126, 1] < 80, "red must be at the top"
    assert thumb[330, 126, 0] < 160


def test_faces_are_found_in_full_resolution_upright_coordinates(tmp_path: Path) -> None:
    # A 12-megapixel portrait stored sideways (orientation 8) and decoded reduced for
    # detection: the box must still land on the pasted face in full-size upright pixels.
    upright = _scene(3000, 4000, face=True)
    stored = np.ascontiguousarray(np.rot90(upright, k=-1))
    path = _save(tmp_path / "portrait.jpg", stored, orientation=8)
    calls: list[tuple[int, ...]] = []
    result = _run([path], detector_factory=_counting_factory(calls))[path]
    assert result.error is None and result.full_size == (3000, 4000)
    assert len(calls) == 1, "one detector pass per photo"
    seen_height, seen_width = calls[0][:2]
    assert seen_height > seen_width, "detection ran on the upright picture"
    # The decode is as small as the detector allows: the strongest JPEG DCT scaling
    # (1/8, 1/4, 1/2) that keeps the long side at or above what the detector needs.
    need = FaceDetector().min_decode_long_side()
    allowed = [-(-4000 // n) for n in (8, 4, 2, 1) if -(-4000 // n) >= need]
    assert seen_height == allowed[0]
    assert result.detections is not None
    x, y = PASTE_AT
    expected = Box(
        x + FACE_IN_ASTRONAUT.x * PASTE_SCALE,
        y + FACE_IN_ASTRONAUT.y * PASTE_SCALE,
        FACE_IN_ASTRONAUT.w * PASTE_SCALE,
        FACE_IN_ASTRONAUT.h * PASTE_SCALE,
    )
    best = max((d.box.iou(expected) for d in result.detections), default=0.0)
    assert best > 0.4, f"no box on the face: {result.detections}"


def test_reopening_uses_the_cache_and_skips_decoding(tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    paths = [
        _save(photos / f"p{i}.jpg", _scene(800, 600, face=i == 0, at=(100, 50))) for i in range(2)
    ]
    session = MemorySession()
    thumbs = ThumbnailStore(photos / ".photoscreen")
    calls: list[tuple[int, ...]] = []
    factory = _counting_factory(calls)
    first = _run(paths, detector_factory=factory, cache=session, sink=session, thumbs=thumbs)
    assert len(calls) == 2 and not any(r.from_cache for r in first.values())
    second = _run(paths, detector_factory=factory, cache=session, sink=session, thumbs=thumbs)
    assert len(calls) == 2, "cached photos must not be run through the detector again"
    for path in paths:
        assert second[path].from_cache
        assert second[path].detections == first[path].detections
        assert second[path].full_size == (800, 600)
        assert second[path].thumbnail is not None


def test_a_tiff_read_again_from_the_cache_keeps_its_photos_size_not_its_previews(
    tmp_path: Path,
) -> None:
    """Face boxes are kept in the photo's coordinates: a TIFF whose first page is a small
    preview must report the full page's size when its results come from the cache."""
    photos = tmp_path / "photos"
    photos.mkdir()
    preview = np.zeros((24, 32, 3), np.uint8)
    photo = np.full((300, 400, 3), 180, np.uint8)
    path = photos / "scan.tif"
    path.write_bytes(make_paged_tiff([(preview, {254: (4, (1,))}), (photo, {})]))
    session = MemorySession()
    thumbs = ThumbnailStore(photos / ".photoscreen")
    factory = _counting_factory([])
    first = _run([path], detector_factory=factory, cache=session, sink=session, thumbs=thumbs)
    second = _run([path], detector_factory=factory, cache=session, sink=session, thumbs=thumbs)
    assert second[path].from_cache
    assert first[path].full_size == second[path].full_size == (400, 300)


def test_a_changed_photo_is_detected_again(tmp_path: Path) -> None:
    path = _save(tmp_path / "p.jpg", _scene(800, 600, face=False))
    session = MemorySession()
    thumbs = ThumbnailStore(tmp_path / ".photoscreen")
    calls: list[tuple[int, ...]] = []
    factory = _counting_factory(calls)
    _run([path], detector_factory=factory, cache=session, sink=session, thumbs=thumbs)
    _save(path, _scene(800, 600, face=True, at=(100, 50)))
    again = _run([path], detector_factory=factory, cache=session, sink=session, thumbs=thumbs)
    assert len(calls) == 2 and not again[path].from_cache
    assert again[path].photo_hash == photo_hash(path.read_bytes())


def test_cancel_stops_between_photos(tmp_path: Path) -> None:
    paths = [_save(tmp_path / f"p{i}.jpg", _scene(320, 240, face=False)) for i in range(12)]
    cancel = CancelToken()
    session = MemorySession()
    seen = []
    for result in scan_photos(
        paths, detector_factory=None, cancel=cancel, sink=session, workers=1
    ):
        seen.append(result.path)
        cancel.cancel()
    # Photos already in flight (at most two per worker) finish; nothing new is started.
    assert 1 <= len(seen) <= 2
    assert set(session.scanned) == set(seen)


def test_photos_moved_to_the_front_are_done_first(tmp_path: Path) -> None:
    paths = [_save(tmp_path / f"p{i}.jpg", _scene(320, 240, face=False)) for i in range(6)]
    queue = ScanQueue(paths)
    queue.prioritise([paths[4], paths[5]])
    results = scan_photos(queue, detector_factory=None, cancel=CancelToken(), workers=1)
    order = [result.path for result in results]
    assert order == [paths[4], paths[5], *paths[:4]]


def test_a_photo_asked_for_again_gets_one_quick_thumbnail() -> None:
    """The window asks again for the cells on screen as it scrolls; a photo whose quick
    thumbnail was already made only has its full pass moved forward."""
    paths = [Path(f"p{i}.jpg") for i in range(4)]
    queue = ScanQueue(paths, visible_first=2)
    assert queue.pop_wanted() == paths[0]
    queue.prioritise([paths[0], paths[3]])
    assert queue.pop_wanted() == paths[3]
    assert queue.pop_wanted() == paths[1]
    assert queue.pop_wanted() is None
    assert [queue.pop() for _ in paths] == [paths[0], paths[3], paths[1], paths[2]]


def test_thumbnails_go_only_into_the_session_dir_and_originals_stay_untouched(
    folder: Path,
) -> None:
    originals = {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in folder.iterdir()}
    thumbs = ThumbnailStore(folder / ".photoscreen")
    results = _run(sorted(originals), thumbs=thumbs, workers=2)
    for path, (data, mtime) in originals.items():
        assert path.read_bytes() == data and os.stat(path).st_mtime_ns == mtime
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [".photoscreen", *(p.name for p in originals)]
    )
    written = sorted(p.name for p in (folder / ".photoscreen" / "thumbs").iterdir())
    hashes = sorted(f"{r.photo_hash}.jpg" for r in results.values() if r.error is None)
    assert written == hashes


def test_early_thumbnails_come_first_and_do_not_count_as_scanned(tmp_path: Path) -> None:
    paths = [_save(tmp_path / f"p{i}.jpg", _scene(640, 480, face=False)) for i in range(5)]
    queue = ScanQueue(paths, visible_first=2)
    session = MemorySession()
    thumbs = ThumbnailStore(tmp_path / ".photoscreen")
    results = list(
        scan_photos(
            queue,
            detector_factory=None,
            cancel=CancelToken(),
            sink=session,
            thumbs=thumbs,
            workers=1,
            early_thumbnails=True,
        )
    )
    early = [r for r in results if not r.complete]
    assert [r.path for r in results[:2]] == paths[:2]
    assert [r.path for r in early] == paths[:2], "only the photos wanted on screen"
    for result in early:
        assert result.thumbnail is not None and result.detections is None
        assert result.full_size == (640, 480)
    assert sorted(r.path for r in results if r.complete) == paths
    assert set(session.scanned) == set(paths)


def test_without_early_thumbnails_every_result_is_complete(tmp_path: Path) -> None:
    paths = [_save(tmp_path / f"p{i}.jpg", _scene(320, 240, face=False)) for i in range(3)]
    queue = ScanQueue(paths, visible_first=3)
    results = list(scan_photos(queue, detector_factory=None, cancel=CancelToken()))
    assert len(results) == 3 and all(r.complete for r in results)


def test_a_thumbnail_cache_that_cannot_be_written_does_not_fail_the_photo(
    tmp_path: Path,
) -> None:
    path = _save(tmp_path / "p.jpg", _scene(640, 480, face=False))
    session_dir = tmp_path / ".photoscreen"
    session_dir.mkdir()
    (session_dir / "thumbs").write_text("a file where the thumbnail folder should be")
    for early in (False, True):
        queue = ScanQueue([path], visible_first=1)
        results = list(
            scan_photos(
                queue,
                detector_factory=None,
                cancel=CancelToken(),
                thumbs=ThumbnailStore(session_dir),
                early_thumbnails=early,
            )
        )
        complete = [r for r in results if r.complete]
        assert len(complete) == 1 and complete[0].error is None
        assert complete[0].thumbnail is not None


class OneAtATimeDetector(CountingDetector):
    """The real detector, noting every instance made and any two threads inside it at once."""

    made: ClassVar[list[OneAtATimeDetector]] = []

    def __init__(self, calls: list[tuple[int, ...]]) -> None:
        super().__init__(calls)
        self.inside = 0
        self.overlapped = False
        OneAtATimeDetector.made.append(self)

    def detect_prepared(self, prepared: PreparedPhoto) -> list[Detection]:
        self.inside += 1
        self.overlapped |= self.inside > 1
        try:
            time.sleep(0.02)  # widen the window in which a second worker could come in
            return super().detect_prepared(prepared)
        finally:
            self.inside -= 1


def test_workers_share_one_detector_and_take_turns(tmp_path: Path) -> None:
    """A detector's network holds ~180 MB and is not thread-safe: one per scan run, used
    by one worker at a time, every photo still detected."""
    photos = tmp_path / "photos"
    photos.mkdir()
    paths = [
        _save(photos / f"p{index}.jpg", _scene(800, 600, face=True, at=(100, 50)))
        for index in range(6)
    ]
    OneAtATimeDetector.made.clear()
    calls: list[tuple[int, ...]] = []
    results = _run(paths, detector_factory=lambda: OneAtATimeDetector(calls), workers=2)
    assert len(OneAtATimeDetector.made) == 1
    assert not OneAtATimeDetector.made[0].overlapped
    assert len(calls) == len(paths)
    assert all(r.detections for r in results.values()), "the pasted face is found in each"


class SideBySideDetector(OneAtATimeDetector):
    """The real detector, saying it may run two photos at once, noting the most inside."""

    parallel_runs = 2

    def __init__(self, calls: list[tuple[int, ...]]) -> None:
        super().__init__(calls)
        self.most = 0
        self._counting = threading.Lock()
        self._running = 0

    def detect_prepared(self, prepared: PreparedPhoto) -> list[Detection]:
        with self._counting:
            self._running += 1
            self.most = max(self.most, self._running)
        try:
            return super().detect_prepared(prepared)
        finally:
            with self._counting:
                self._running -= 1


def test_workers_run_side_by_side_as_many_photos_as_the_detector_may(tmp_path: Path) -> None:
    """On ONNX Runtime with cores to spare a detector runs photos side by side: never more
    at once than it says, every photo still detected, still one detector per run."""
    photos = tmp_path / "photos"
    photos.mkdir()
    paths = [
        _save(photos / f"p{index}.jpg", _scene(800, 600, face=True, at=(100, 50)))
        for index in range(8)
    ]
    OneAtATimeDetector.made.clear()
    calls: list[tuple[int, ...]] = []
    results = _run(paths, detector_factory=lambda: SideBySideDetector(calls), workers=4)
    (detector,) = OneAtATimeDetector.made
    assert isinstance(detector, SideBySideDetector)
    assert detector.most == 2
    assert len(calls) == len(paths)
    assert all(r.detections for r in results.values())


def test_scan_leaves_opencv_threading_alone(folder: Path) -> None:
    """OpenCV's thread count is process-wide: the shared detector needs both cores, and
    overlapping scans (a folder reopened while the last one winds down) must not race
    over a setting the export and the viewer use too."""
    before = cv2.getNumThreads()
    paths = sorted(folder.iterdir())
    first = scan_photos(paths, detector_factory=None, cancel=CancelToken(), workers=2)
    second = scan_photos(paths, detector_factory=None, cancel=CancelToken(), workers=2)
    next(first)
    next(second)
    list(first)
    list(second)
    assert cv2.getNumThreads() == before
