"""Reading the opened folder in the background: the core's scan run through ``workers``.

One scan job per opened folder streams a :class:`ScannedPhoto` per file as soon as it
is read (hash, thumbnail, faces), already judged by the core, so the GUI thread only has
to store it. The photo on screen is read before any other (:meth:`FolderScan.read_first`),
then the cells the grid shows, from the top-left one (:meth:`FolderScan.prioritise`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from photoscreen.core.identifiers import with_writing, writing_problem
from photoscreen.core.imaging import ThumbnailStore
from photoscreen.core.rules import NOT_SCANNED, PhotoDecisions, PhotoStatus, photo_status
from photoscreen.core.session import Session
from photoscreen.core.workflows import ScanQueue, ScanResult, scan_photos
from photoscreen.ui.threads import JobContext, JobError, JobHandle, Workers, grid_thumbnail

# Photos that get a quick thumbnail before any face detection starts: about the first
# screens of the grid at 1366 x 768 (the goal of issue 6 counts the first 40).
FIRST_SCREEN = 40


@dataclass(frozen=True)
class ScannedPhoto:
    """One file read by scan, with the decisions and status the core now holds for it."""

    path: Path
    photo_hash: str | None
    thumbnail: QImage | None
    decisions: PhotoDecisions | None
    status: PhotoStatus
    complete: bool = True  # False: an early thumbnail only; the full result follows


class FolderScan(QObject):
    """Runs scan for one session; emits each photo as it is read."""

    photo_scanned = Signal(object)  # ScannedPhoto
    progressed = Signal(int, int)  # done, total
    finished = Signal()
    failed = Signal(object)  # JobError

    def __init__(
        self,
        workers: Workers,
        session: Session,
        detector_factory: Callable[[], Any] | None,
        parent: QObject | None = None,
        thumbnail_scale: float = 1.0,
    ) -> None:
        super().__init__(parent)
        self._thumbnail_scale = thumbnail_scale  # the screen's device pixel ratio
        self._workers = workers
        self._session = session
        self._detector_factory = detector_factory
        # Writing is looked for beside faces when the centre has it on (the default) and
        # its model is installed; otherwise writing_problem says why not.
        wanted = detector_factory is not None and session.settings.writing_detection
        self.writing_problem = writing_problem() if wanted else None
        self.looks_for_writing = wanted and self.writing_problem is None
        self._queue: ScanQueue | None = None
        self._handle: JobHandle | None = None
        self._asked: list[Path] = []  # cells asked for in this turn of the event loop
        self._total = 0
        self._done = 0

    @property
    def running(self) -> bool:
        return self._handle is not None

    def start(self, paths: Sequence[Path], cells_on_screen: int = 0) -> None:
        """Read ``paths`` (files the session does not know yet, or all to refresh).

        The first ``cells_on_screen`` of them (at least :data:`FIRST_SCREEN`), in grid
        order, get quick thumbnails before any face detection starts.
        """
        self.cancel()
        self._asked = []
        first = max(FIRST_SCREEN, cells_on_screen)
        self._queue = ScanQueue(list(paths), visible_first=first)
        self._total, self._done = len(paths), 0
        if not paths:
            self.finished.emit()
            return
        self._handle = self._workers.stream(
            "scan",
            self._job(self._queue),
            on_item=self._on_item,
            on_error=self._on_error,
            on_finished=lambda _: self._on_finished(),
            lane="scan",
        )
        self.progressed.emit(0, self._total)

    def read_first(self, path: Path) -> None:
        """``path`` is the photo on screen: read it before any other, if not started yet."""
        if self._queue is not None:
            self._queue.read_first(path)

    def prioritise(self, paths: Sequence[Path]) -> None:
        """Read these next (the cells on screen), after the photo on screen.

        The grid asks for one cell at a time as it paints them; the cells asked for in
        one turn of the event loop (one paint) go to the queue together, to be read in
        the grid's order, ahead of cells asked for in earlier turns.
        """
        if self._queue is None:
            return
        if not self._asked:
            QTimer.singleShot(0, self, self._send_asked)
        self._asked.extend(paths)

    def _send_asked(self) -> None:
        asked, self._asked = self._asked, []
        if self._queue is not None and asked:
            self._queue.prioritise(asked)

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _job(self, queue: ScanQueue) -> Callable[[JobContext], Iterator[ScannedPhoto]]:
        session, factory = self._session, self._detector_factory
        if factory is not None and self.looks_for_writing:
            factory = with_writing(factory)
        thumbs = ThumbnailStore(session.session_dir)
        scale = self._thumbnail_scale

        def job(context: JobContext) -> Iterator[ScannedPhoto]:
            results = scan_photos(
                queue,
                detector_factory=factory,
                cancel=context.cancel,
                cache=session,
                sink=session,
                thumbs=thumbs,
                early_thumbnails=True,
            )
            for result in results:
                yield _scanned(session, result, scale)

        return job

    def _on_item(self, photo: ScannedPhoto) -> None:
        if not photo.complete:
            self.photo_scanned.emit(photo)
            return
        self._done += 1
        self.photo_scanned.emit(photo)
        self.progressed.emit(self._done, self._total)

    def _on_error(self, error: JobError) -> None:
        self._handle = None
        self.failed.emit(error)

    def _on_finished(self) -> None:
        self._handle = None
        self.finished.emit()


def _scanned(session: Session, result: ScanResult, scale: float = 1.0) -> ScannedPhoto:
    """Judge a freshly read photo on the worker thread, so the GUI thread only stores it;
    its thumbnail is made for a screen of this device pixel ratio."""
    pixels = result.thumbnail
    thumbnail = grid_thumbnail(pixels, scale) if pixels is not None else None
    if not result.complete:
        return ScannedPhoto(result.path, None, thumbnail, None, NOT_SCANNED, complete=False)
    activities = session.activities()
    if result.error is not None or result.photo_hash is None:
        unreadable = PhotoDecisions(photo_hash="", unreadable_reason=result.error or "unknown")
        return ScannedPhoto(result.path, None, None, None, photo_status(unreadable, activities))
    decisions = session.photo(result.photo_hash)
    status = photo_status(decisions, activities)
    return ScannedPhoto(result.path, result.photo_hash, thumbnail, decisions, status)
