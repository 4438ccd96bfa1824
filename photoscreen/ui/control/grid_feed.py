"""Keeping the grid fed while the open folder is read: rows as photos arrive, thumbnails.

The controller keeps one :class:`GridFeed`. While a folder is open it runs the folder's
reading (:class:`~photoscreen.ui.folder.FolderScan`, the core's scan) and stores each
photo it streams in the controller's :class:`~photoscreen.ui.control.photo_rows.PhotoRows`;
it makes the thumbnail of each cell the grid paints (the stored one, or a quick one for a
file not read yet) and reads again, after the folder's reading, a file found changed on
disk. The controller hears what changed through its signals and updates the photo on
screen; nothing here decides anything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from photoscreen.core.basics import name_key
from photoscreen.core.imaging import ThumbnailStore
from photoscreen.core.rules import PhotoState
from photoscreen.core.session import PhotoEntry, Session
from photoscreen.ui.control.messages import MessageChannel
from photoscreen.ui.control.photo_rows import PhotoRows
from photoscreen.ui.folder import FolderScan, ScannedPhoto
from photoscreen.ui.threads import JobError, Workers, quick_grid_thumbnail, stored_grid_thumbnail

log = logging.getLogger(__name__)


class GridFeed(QObject):
    """Feeds ``rows`` (and the grid's thumbnails) from the open folder's reading."""

    stored = Signal(str)  # the key of a row stored from the reading
    thumbnail_made = Signal(str, object)  # key, QImage: already on its row
    progressed = Signal(int, int)  # done, total

    def __init__(
        self,
        workers: Workers,
        messages: MessageChannel,
        rows: PhotoRows,
        detector_factory: Callable[[], Any] | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._workers = workers
        self._messages = messages
        self._rows = rows
        self._detector_factory = detector_factory
        self.scan: FolderScan | None = None
        self._session: Session | None = None
        self._scale = 1.0  # the screen's device pixel ratio, for sharp thumbnails
        self._read_again: set[Path] = set()  # changed on disk while the folder was read
        rows.model.thumbnail_wanted.connect(self.load_thumbnail)

    def open(self, session: Session, thumbnail_scale: float) -> None:
        """Thumbnails from now on are ``session``'s, made for this device pixel ratio."""
        self._session = session
        self._scale = thumbnail_scale

    def start(self, cells_on_screen: int) -> None:
        """Read every photo the session does not know yet (the first ``cells_on_screen``
        get quick thumbnails first)."""
        assert self._session is not None
        scan = self.scan = FolderScan(
            self._workers, self._session, self._detector_factory, self, self._scale
        )
        if scan.writing_problem:
            self._messages.warning(scan.writing_problem)
        scan.photo_scanned.connect(self._on_scanned)
        scan.progressed.connect(self.progressed)
        scan.failed.connect(self._on_scan_failed)
        scan.finished.connect(self._read_changed_files)
        self._read_again = set()
        waiting = [e.path for e in self._rows.entries() if e.state is PhotoState.NOT_SCANNED]
        scan.start(waiting, cells_on_screen)

    def close(self) -> None:
        """Stop reading; no more thumbnails for the session that was open."""
        if self.scan is not None:
            self.scan.cancel()
            self.scan.deleteLater()
            self.scan = None
        self._session = None

    def read_first(self, path: Path) -> None:
        """``path`` is the photo on screen: read it before any other."""
        if self.scan is not None:
            self.scan.read_first(path)

    def read_again(self, path: Path) -> None:
        """Read again a photo found changed on disk; after the folder's reading, if that
        is still going (starting a new read would stop it)."""
        if self.scan is None or self._session is None:
            return
        if self.scan.running:
            self._read_again.add(path)
            return
        self.scan.start([path])

    def _read_changed_files(self) -> None:
        if self._read_again and self.scan is not None:
            paths, self._read_again = sorted(self._read_again), set()
            self.scan.start(paths)

    def _on_scanned(self, scanned: ScannedPhoto) -> None:
        name = name_key(scanned.path.name)
        if name not in self._rows:
            return
        if not scanned.complete:
            if scanned.thumbnail is not None and not self._rows.model.has_thumbnail(name):
                self._set_thumbnail(name, scanned.thumbnail)
            return
        self._rows.store(
            PhotoEntry(scanned.path, scanned.photo_hash, scanned.status, scanned.decisions)
        )
        if scanned.thumbnail is not None:
            self._rows.model.set_thumbnail(name, scanned.thumbnail)
        self.stored.emit(name)

    def _on_scan_failed(self, error: JobError) -> None:
        self._messages.error(
            f"Scanning the folder stopped: {error.exception}. Reopen the folder to try again.",
            error.trace,
        )

    def load_thumbnail(self, photo_id: str) -> None:
        """Make the thumbnail of the cell ``photo_id`` (the grid asks as it paints it)."""
        entry = self._rows.get(photo_id)
        if entry is None or self._session is None or entry.state is PhotoState.UNREADABLE:
            return
        if entry.photo_hash is None and self.scan is not None and self.scan.running:
            # Scan makes a quick thumbnail for photos it is asked to put first.
            self.scan.prioritise([entry.path])
            return
        if entry.photo_hash is None:
            job = quick_grid_thumbnail(entry.path, self._scale)
        else:
            store = ThumbnailStore(self._session.session_dir)
            job = stored_grid_thumbnail(store, entry.photo_hash, entry.path, self._scale)

        def made(image: QImage) -> None:
            self._set_thumbnail(photo_id, image)

        def failed(error: JobError) -> None:
            self._thumbnail_failed(photo_id, error)

        self._workers.run("thumbnails", job, on_result=made, on_error=failed)

    def _set_thumbnail(self, photo_id: str, image: QImage) -> None:
        self._rows.model.set_thumbnail(photo_id, image)
        self.thumbnail_made.emit(photo_id, image)

    def _thumbnail_failed(self, photo_id: str, error: JobError) -> None:
        # The scan lists an unreadable file with its reason; a missing thumbnail is all
        # this failure means, so it is logged, not shown twice. The cell asks again the
        # next time it is painted (a file still being copied in may be whole by then).
        log.info("no thumbnail for %s: %s", photo_id, error.exception)
        self._rows.model.forget_request(photo_id)
