"""Opening a folder: each photo read once for its content hash, thumbnail and face detection.

For every photo the work is the smallest that gives all three answers:

1. read the file's bytes once and hash them (sha256; hashlib releases the GIL);
2. if the session already holds detections for (hash, detector settings) and the thumbnail
   is on disk, stop there: nothing is decoded;
3. otherwise decode once, reduced with JPEG DCT scaling to the larger of what the thumbnail
   and the detector need, make the thumbnail from that decode and run the detector on it.

Work runs on one thread per core (decoding, resizing, hashing and the network all release
the GIL). The workers share **one** detector (a :class:`FaceDetector`, with a text
detector beside it when writing is looked for): its runs already use the cores
(on ONNX Runtime a photo's mirror image and tiles run side by side, one thread each; on
OpenCV's dnn one run on OpenCV's own threads), so while one worker's photo is detected the
other decodes and hashes the next. A detector says how many photos it may detect at once
(``parallel_runs``: one on 2 cores, two from 4 cores on ONNX Runtime, where the next
photo's runs are queued while the last one's boxes are merged); the workers take turns for
those places. Scan never changes OpenCV's process-wide thread count. Photos wanted on
screen can get a quick thumbnail first, on a pool of their own, and the photo on screen is
read ahead of everything, taking the decoder and the detector next (see
:mod:`photoscreen.core.workflows.scan_schedule`).

The session cache and sink are only ever called from the thread that iterates the
generator, so a SQLite-backed session needs no locking. At most two photos per worker are
in flight and a decode lives only as long as its photo's work: memory stays flat however
big the folder is (beyond what the detector's network holds).
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from photoscreen.core.basics import CancelToken, return_big_buffers_promptly
from photoscreen.core.faces import Detection
from photoscreen.core.imaging import (
    THUMBNAIL_LONG_SIDE,
    ThumbnailStore,
    UnreadablePhoto,
    decode_photo,
    make_thumbnail,
    photo_hash,
    probe_photo,
    read_photo_file,
)
from photoscreen.core.workflows.scan_ends import PhotoDetector, ScanCache, ScanSink
from photoscreen.core.workflows.scan_schedule import ScanQueue, TaskPipeline, Turns

log = logging.getLogger(__name__)

RGBImage = npt.NDArray[np.uint8]


@dataclass
class ScanResult:
    """What scan learned about one file. ``error`` is set (and the rest None) on failure.

    ``complete`` is False for an early, thumbnail-only result (see ``early_thumbnails`` in
    :func:`scan_photos`): no hash or detections yet and nothing recorded; the complete
    result for the same photo follows later.
    """

    path: Path
    photo_hash: str | None = None
    thumbnail: RGBImage | None = None
    full_size: tuple[int, int] | None = None  # upright (width, height)
    format: str | None = None
    detections: list[Detection] | None = None
    from_cache: bool = False
    error: str | None = None
    settings_key: str | None = None  # the detector settings the detections belong to
    complete: bool = True


@dataclass
class _Hashed:
    """Stage one done: the bytes read and hashed, the cached thumbnail if there is one."""

    path: Path
    data: bytes
    photo_hash: str
    thumbnail: RGBImage | None
    settings_key: str | None


@dataclass
class _Plan:
    """Settings of one scan run and its one detector, shared by the worker threads."""

    detector_factory: Callable[[], PhotoDetector] | None
    thumbs: ThumbnailStore | None
    thumbnail_side: int
    _detector: PhotoDetector | None = None
    _making: threading.Lock = field(default_factory=threading.Lock)
    # Held while the detector runs, by as many workers as it may serve at once
    # (parallel_runs). The photo on screen takes the next turn (see Turns).
    detecting: Turns = field(default_factory=Turns)
    # Held from a photo's decode until it is shrunk for the detector: one full-size decode
    # (36 MB for 12 megapixels) at a time. A decode takes a fifth of a detection, so the
    # next photo is still ready before the detector is free.
    decoding: Turns = field(default_factory=Turns)

    def detector(self) -> PhotoDetector | None:
        """The run's detector, built on first use (call :meth:`detect` to run it)."""
        if self.detector_factory is None:
            return None
        with self._making:
            if self._detector is None:
                self._detector = self.detector_factory()
                # On ONNX Runtime, with cores to spare, photos may be detected side by side.
                self.detecting.slots = getattr(self._detector, "parallel_runs", 1)
            return self._detector

    def detect(self, prepared: Any, urgent: bool = False) -> list[Detection]:
        """Faces in one prepared photo, waiting while another worker's photo is detected
        (``urgent``: the photo on screen, which goes before the others waiting)."""
        detector = self.detector()
        assert detector is not None, "prepared photos come from this run's detector"
        with self.detecting.turn(urgent):
            return detector.detect_prepared(prepared)


def default_workers() -> int:
    """One worker per core: each photo's work is CPU-bound and releases the GIL."""
    return max(1, os.cpu_count() or 1)


def scan_photos(
    paths: Sequence[Path] | ScanQueue,
    *,
    detector_factory: Callable[[], PhotoDetector] | None,
    cancel: CancelToken,
    cache: ScanCache | None = None,
    sink: ScanSink | None = None,
    thumbs: ThumbnailStore | None = None,
    workers: int | None = None,
    thumbnail_side: int = THUMBNAIL_LONG_SIDE,
    early_thumbnails: bool = False,
) -> Iterator[ScanResult]:
    """Hash, thumbnail and detect faces in every photo; yield each result as it completes.

    Photos are started in the order of ``paths`` (pass an :class:`ScanQueue` to reorder
    while running, e.g. to put the cells on screen first). ``detector_factory`` builds the
    run's one detector (shared by the workers, one photo at a time); None skips detection.
    Every file yields exactly one complete result unless cancelled: unreadable ones carry
    ``error``. After ``cancel`` no new photo is started; photos already being decoded
    finish and are still yielded.

    With ``early_thumbnails``, photos the queue wants on screen first get an extra
    thumbnail-only result (``complete=False``) from a 1/8-scale decode, ahead of all
    detection work: the first screen fills in while detection runs. It costs one extra
    small decode for those photos only.

    ``cache`` and ``sink`` are called only from the thread iterating this generator.
    Errors building the detector (e.g. the model is missing) are raised from here.
    """
    queue = paths if isinstance(paths, ScanQueue) else ScanQueue(paths)
    plan = _Plan(detector_factory, thumbs, thumbnail_side)
    workers = workers or default_workers()
    return_big_buffers_promptly()
    pipeline: TaskPipeline[_Outcome] = TaskPipeline(
        queue,
        workers,
        functools.partial(_read_and_hash, plan),
        functools.partial(_quick_thumbnail, plan) if early_thumbnails else None,
    )
    # With early thumbnails the loop wakes often, so photos the window asks for while
    # detection runs are started within a few tens of milliseconds.
    timeout = _POLL_SECONDS if early_thumbnails else None
    try:
        while True:
            pipeline.fill(cancel.cancelled)
            if not pipeline.in_flight:
                return
            for future in pipeline.finished(timeout):
                result = _handle(future.result(), pipeline, plan, cache, cancel)
                if result is None:
                    continue
                if result.complete:
                    _record(sink, result)
                yield result
    finally:
        pipeline.close()


_POLL_SECONDS = 0.02
_Outcome = _Hashed | ScanResult | None


def _handle(
    outcome: _Outcome,
    pipeline: TaskPipeline[_Outcome],
    plan: _Plan,
    cache: ScanCache | None,
    cancel: CancelToken,
) -> ScanResult | None:
    """The result to yield for a finished task, or None (e.g. detection was started)."""
    if not isinstance(outcome, _Hashed):
        return outcome
    cached = _from_cache(outcome, cache)
    if cached is None and not cancel.cancelled:
        urgent = pipeline.started_on_screen(outcome.path)
        pipeline.submit(_decode_and_detect, plan, outcome, urgent, on_screen=urgent)
    return cached


def _quick_thumbnail(plan: _Plan, path: Path) -> ScanResult | None:
    """A thumbnail-only early result (None if unreadable: the full pass reports why).

    Only what the first screen needs: one small decode. The file is neither hashed nor
    its thumbnail stored (the full pass does both, with the thumbnail made from its own
    decode): the window asks this way only for photos the session has not read yet, whose
    stored thumbnail would be found only after a rename, and on a 12-megapixel JPEG the
    hash and the store cost a fifth of the 1/8 decode's 35 ms.
    """
    try:
        data = read_photo_file(path)
        decoded = decode_photo(data, min_long_side=plan.thumbnail_side)
        thumbnail = make_thumbnail(decoded.pixels, plan.thumbnail_side)
        size, fmt = (decoded.full_width, decoded.full_height), decoded.format
    except UnreadablePhoto:
        return None
    except Exception:
        # Only a preview failed; the full pass still reads this photo and reports why.
        log.exception("quick thumbnail failed for %s", path)
        return None
    return ScanResult(path, None, thumbnail, size, fmt, complete=False)


def _save_thumbnail(plan: _Plan, photo_hash: str, thumbnail: RGBImage) -> None:
    """Cache the thumbnail; a full disk only costs a remake next time, never the photo."""
    if plan.thumbs is None:
        return
    try:
        plan.thumbs.save(photo_hash, thumbnail)
    except OSError as error:
        log.warning("thumbnail not cached for %s: %s", photo_hash[:12], error)


def _read_and_hash(plan: _Plan, path: Path) -> _Hashed | ScanResult:
    """Worker stage one: the file's bytes, their hash and any cached thumbnail."""
    try:
        data = read_photo_file(path)
        detector = plan.detector()
    except UnreadablePhoto as error:
        return ScanResult(path, error=error.reason)
    digest = photo_hash(data)
    thumbnail = plan.thumbs.load(digest) if plan.thumbs is not None else None
    key = detector.settings_key if detector is not None else None
    return _Hashed(path, data, digest, thumbnail, key)


def _from_cache(hashed: _Hashed, cache: ScanCache | None) -> ScanResult | None:
    """A result without decoding when the thumbnail and any needed detections are cached."""
    if hashed.thumbnail is None:
        return None
    detections: list[Detection] | None = None
    if hashed.settings_key is not None:
        if cache is None:
            return None
        detections = cache.cached_detections(hashed.photo_hash, hashed.settings_key)
        if detections is None:
            return None
    try:
        # The same measure as a decode's (the loader's one decision of the upright size).
        upright, fmt = probe_photo(hashed.data)
    except UnreadablePhoto:
        return None  # decoded instead, which reports why
    return ScanResult(
        hashed.path,
        hashed.photo_hash,
        hashed.thumbnail,
        upright.size,
        fmt,
        detections,
        from_cache=True,
        settings_key=hashed.settings_key,
    )


def _decode_and_detect(plan: _Plan, hashed: _Hashed, urgent: bool = False) -> ScanResult:
    """Worker stage two: one reduced decode feeds both the thumbnail and the detector.

    ``urgent`` (the photo on screen) takes the decoder and the detector before photos
    already waiting for them.
    """
    try:
        return _decode_and_detect_unguarded(plan, hashed, urgent)
    except UnreadablePhoto as error:
        return ScanResult(hashed.path, hashed.photo_hash, error=error.reason)
    except Exception as error:
        # One odd photo must not stop the folder: it is listed with the reason and the
        # traceback is logged for whoever looks into it.
        log.exception("scan failed for %s", hashed.path)
        return ScanResult(
            hashed.path, hashed.photo_hash, error=f"the photo could not be processed: {error}"
        )


def _decode_and_detect_unguarded(plan: _Plan, hashed: _Hashed, urgent: bool) -> ScanResult:
    detector = plan.detector()
    need = plan.thumbnail_side
    if detector is not None:
        need = max(need, detector.min_decode_long_side())
    with plan.decoding.turn(urgent):
        decoded = decode_photo(hashed.data, min_long_side=need)
        thumbnail = hashed.thumbnail
        if thumbnail is None:
            thumbnail = make_thumbnail(decoded.pixels, plan.thumbnail_side)
        full_size, fmt = (decoded.full_width, decoded.full_height), decoded.format
        # Shrunk to what the detector looks at here, in parallel with the other worker's
        # detection; the full decode is let go before waiting for the detector.
        prepared = detector.prepare(decoded.pixels, decoded.scale) if detector else None
        del decoded
    if hashed.thumbnail is None:
        _save_thumbnail(plan, hashed.photo_hash, thumbnail)
    detections = plan.detect(prepared, urgent) if prepared is not None else None
    return ScanResult(
        hashed.path,
        hashed.photo_hash,
        thumbnail,
        full_size,
        fmt,
        detections,
        from_cache=False,
        settings_key=hashed.settings_key,
    )


def _record(sink: ScanSink | None, result: ScanResult) -> None:
    """Tell the session what one photo turned out to be."""
    if sink is None:
        return
    if result.error is not None or result.photo_hash is None or result.full_size is None:
        sink.record_unreadable(result.path, result.error or "the file could not be read")
        return
    width, height = result.full_size
    sink.record_scan(
        result.path,
        result.photo_hash,
        width,
        height,
        result.format or "unknown",
        None if result.from_cache else result.detections,
        result.settings_key,
    )
