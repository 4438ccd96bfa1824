"""Opening a folder's session off the GUI thread: the database, its migrations, the listing.

``Session.open`` takes the folder's lock, opens (and may migrate) the SQLite store and
adopts the centre's settings; listing the folder reads every file's record. Together that
is 100-200 ms on an office PC, too long for the GUI thread, so it runs as a job on the
``session`` pool and the controller gets an :class:`OpenedFolder` back, through the
:class:`FolderOpener` that runs one opening at a time.

An opening can be abandoned while it runs (another folder was chosen, the window is
closing). The session it made holds the folder's lock, so it must never be dropped on
the floor: whichever side comes second (the job finishing, or :meth:`abandon`) closes it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from photoscreen.core.basics import Cancelled
from photoscreen.core.session import (
    PhotoEntry,
    Session,
    Subfolder,
    has_photos,
    subfolders_with_photos,
)
from photoscreen.core.storage import LockHolder
from photoscreen.ui.threads import JobContext, JobError, Workers


@dataclass(frozen=True)
class OpenedFolder:
    """A session opened on a worker, with what the grid shows first."""

    session: Session
    photos: list[PhotoEntry]
    # A folder with no photos offers the folders inside it that hold some.
    subfolders: tuple[Subfolder, ...] = ()


class FolderOpening:
    """One request to open ``folder``; :meth:`job` runs on a worker, the rest on the GUI thread."""

    def __init__(
        self,
        folder: Path,
        user: str,
        centre_file: Path | None,
        take_over: LockHolder | None = None,
        review_of: LockHolder | None = None,
    ) -> None:
        self.folder = Path(folder)
        self._user = user
        self._centre_file = centre_file
        self._take_over = take_over  # a lock the person said is left from a stopped one
        self.review_of = review_of  # who has it open, when it is opened to review only
        self._lock = threading.Lock()
        self._abandoned = False
        self._unclaimed: OpenedFolder | None = None

    def job(self, context: JobContext) -> OpenedFolder:
        """Open the session and list the folder (worker thread)."""
        if self.review_of is not None:
            session = Session.open_to_review(
                self.folder, self._user, self.review_of, centre_file=self._centre_file
            )
        else:
            session = Session.open(
                self.folder, self._user, centre_file=self._centre_file, take_over=self._take_over
            )
        try:
            photos = session.photos()
            inside = () if has_photos(self.folder) else tuple(subfolders_with_photos(self.folder))
            opened = OpenedFolder(session, photos, inside)
        except BaseException:
            session.close()
            raise
        with self._lock:
            if not self._abandoned:
                self._unclaimed = opened
                return opened
        session.close()
        raise Cancelled()

    def claim(self) -> OpenedFolder | None:
        """Take the opened session (GUI thread, on the job's result); None if abandoned."""
        with self._lock:
            opened, self._unclaimed = self._unclaimed, None
        return opened

    def abandon(self) -> None:
        """Nobody wants this folder any more: close its session if it is already open."""
        with self._lock:
            self._abandoned = True
            opened, self._unclaimed = self._unclaimed, None
        if opened is not None:
            opened.session.close()


class FolderOpener(QObject):
    """Runs one :class:`FolderOpening` at a time on the ``session`` pool: a newer one
    supersedes it (the session it made is closed), and :meth:`abandon` drops it."""

    changed = Signal(object)  # the Path of the folder being opened, or None
    opened = Signal(object)  # OpenedFolder, now the caller's to close
    failed = Signal(object, object)  # FolderOpening, JobError

    def __init__(self, workers: Workers, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workers = workers
        self._opening: FolderOpening | None = None

    @property
    def busy(self) -> bool:
        """True while a folder is being opened."""
        return self._opening is not None

    def start(self, opening: FolderOpening) -> None:
        """Open ``opening``'s folder on a worker; any opening still running is superseded."""
        self._opening = opening
        self.changed.emit(opening.folder)
        self._workers.run(
            "session",
            opening.job,
            on_result=lambda _: self._opened(opening),
            on_error=lambda error: self._failed(opening, error),
        )

    def abandon(self) -> None:
        """Nobody wants the folder being opened any more (another is closed or chosen)."""
        if self._opening is not None:
            self._opening.abandon()
            self._opening = None
            self.changed.emit(None)

    def _opened(self, opening: FolderOpening) -> None:
        if opening is not self._opening:
            opening.abandon()  # superseded: close the session it opened
            return
        opened = opening.claim()
        self._opening = None
        if opened is None:
            return
        self.changed.emit(None)
        self.opened.emit(opened)

    def _failed(self, opening: FolderOpening, error: JobError) -> None:
        if opening is not self._opening:
            return
        self._opening = None
        self.changed.emit(None)
        self.failed.emit(opening, error)
