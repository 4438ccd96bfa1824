"""Every decision the window makes: slots call the controller, the controller calls the core.

The controller owns the open :class:`~photoscreen.core.session.Session` (opening and
closing it, who works on it, reviewing beside staff), the grid's model and filter, and
the parts that do the rest: the folder's rows, the grid's feed from the folder's reading,
moving through the grid, the photo on screen, and the decision verbs
(:attr:`Controller.verbs`). Widgets never change the session themselves: they emit
signals that land here or in the verbs (the settings dialog hands the verbs the change to
make), and they are updated from the signals below. What is allowed is decided by the
core; refusals come back as plain words on the message channel.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from photoscreen.core.basics import shown_name
from photoscreen.core.rules import Activity, photo_status
from photoscreen.core.session import PhotoEntry, Session, SessionLocked
from photoscreen.core.storage import LockHolder
from photoscreen.ui.control.controller_verbs import DecisionVerbs
from photoscreen.ui.control.current_photo import CurrentPhoto
from photoscreen.ui.control.grid_feed import GridFeed
from photoscreen.ui.control.messages import REFUSALS, MessageChannel, report_refusal
from photoscreen.ui.control.navigation import GridNavigation
from photoscreen.ui.control.on_screen import PhotoOnScreen
from photoscreen.ui.control.photo_rows import PhotoRows
from photoscreen.ui.control.preferences import Preferences
from photoscreen.ui.folder import (
    FolderOpener,
    FolderOpening,
    FolderScan,
    OpenedFolder,
    OutsideChanges,
)
from photoscreen.ui.grid import (
    ALL_PHOTOS,
    REVIEW_FILTER,
    PhotoGridModel,
    StatusFilter,
    StatusFilterProxy,
)
from photoscreen.ui.threads import JobError, Workers


class Controller(QObject):
    """Holds the session and the state of the window; the one place decisions are made.

    Its parts: :attr:`opener` (opening one folder at a time), :attr:`rows` (the folder's
    photos as the grid shows them), :attr:`feed` (the folder's reading and the grid's
    thumbnails), :attr:`navigation` (which photo is next), :attr:`photo` (loading the
    photo on screen), :attr:`screen` (the view-state published for it), :attr:`verbs`
    (every decision on it) and :attr:`outside` (what another photoscreen saved).
    """

    opening_changed = Signal(object)  # Path of the folder being opened, or None
    folder_opened = Signal(object)  # Path
    folder_closed = Signal()
    # The folders inside the one opened that hold photos, when it has none itself:
    # tuple[Subfolder, ...], empty for a folder with photos.
    subfolders_found = Signal(object)
    title_changed = Signal(str)
    activities_changed = Signal(object)  # tuple[Activity, ...]
    current_changed = Signal(object)  # photo id (file name) or None
    panel_changed = Signal(object)  # PanelState or None
    faces_changed = Signal(object)  # list[FaceOverlay]
    image_shown = Signal(object, int, int)  # QImage, full width, full height
    counts_changed = Signal(object)  # list[PhotoStatus]
    scan_progressed = Signal(int, int)
    review_mode_changed = Signal(bool)
    # A folder whose lock may be left from a photoscreen that stopped: (folder, SessionLocked).
    folder_locked = Signal(object, object)

    def __init__(
        self,
        workers: Workers,
        messages: MessageChannel,
        preferences: Preferences,
        detector_factory: Callable[[], Any] | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workers = workers
        self.messages = messages
        self.preferences = preferences
        self.session: Session | None = None
        self.current: str | None = None
        self._build_parts(workers, messages, detector_factory)
        self._shown_activities: tuple[Activity, ...] | None = None
        # How many grid cells the window shows, and its screen's device pixel ratio (2.0
        # at 200 % scaling) for sharp thumbnails: the window says, as a folder opens.
        self.cells_on_screen = 0
        self.thumbnail_scale = 1.0
        self.review_mode = False
        self.exporting = False
        self._records_said: str | None = None  # what was said about changed records

    def _build_parts(
        self,
        workers: Workers,
        messages: MessageChannel,
        detector_factory: Callable[[], Any] | None,
    ) -> None:
        """Make the controller's parts and connect them to each other and to it."""
        self.model = PhotoGridModel(self)
        self.proxy = StatusFilterProxy()
        self.proxy.setParent(self)
        self.proxy.setSourceModel(self.model)
        self.rows = PhotoRows(self.model)
        self.navigation = GridNavigation(self.rows, self.proxy)
        self.feed = GridFeed(workers, messages, self.rows, detector_factory, self)
        self.feed.stored.connect(self._on_stored)
        self.feed.progressed.connect(self.scan_progressed)
        self.photo = CurrentPhoto(workers, messages, self)
        self.photo.changed_on_disk.connect(self.feed.read_again)
        self.verbs = DecisionVerbs(self, workers, messages, self.photo, self)
        self.screen = PhotoOnScreen(
            self.current_entry, self.rows, self.photo, self.feed, self.verbs, self
        )
        self.screen.panel_changed.connect(self.panel_changed)
        self.screen.faces_changed.connect(self.faces_changed)
        self.screen.image_shown.connect(self.image_shown)
        self.opener = FolderOpener(workers, self)
        self.opener.changed.connect(self.opening_changed)
        self.opener.opened.connect(self._start)
        self.opener.failed.connect(self._open_failed)
        # What another photoscreen saves in the folder (staff, or a manager reviewing).
        self.outside = OutsideChanges(
            workers, lambda: self.session, lambda: self.rows.changes, self.refresh_all, self
        )
        self.folder_opened.connect(lambda _: self.outside.start())
        self.folder_closed.connect(self.outside.stop)

    # --- folder -------------------------------------------------------------------------

    def open_folder(
        self,
        folder: Path,
        take_over: LockHolder | None = None,
        *,
        review_of: LockHolder | None = None,
    ) -> bool:
        """Start opening ``folder`` (closing the one open); False, with a message, if refused.

        ``review_of``: who has the folder open in another photoscreen; it is opened to
        review only, beside them (``Session.open_to_review``), in review mode.

        The session is opened on a worker (see :mod:`photoscreen.ui.folder.folder_opening`):
        ``folder_opened`` follows, or a message saying why the folder could not be opened,
        or ``folder_locked`` when another photoscreen's lock may be left from one that
        stopped (opened again with ``take_over`` if the person says so).
        """
        if self.exporting:
            self.messages.warning("Please wait for the export to finish first.")
            return False
        self.close_folder()
        if not self.preferences.user_name:
            self.messages.warning("Please enter your name first: File > Your name.")
            return False
        self.opener.start(
            FolderOpening(
                Path(folder),
                self.preferences.user_name,
                self.preferences.centre_file,
                take_over,
                review_of,
            )
        )
        return True

    @property
    def opening(self) -> bool:
        """True while a folder is being opened."""
        return self.opener.busy

    def _open_failed(self, opening: FolderOpening, error: JobError) -> None:
        self.folder_closed.emit()
        if isinstance(error.exception, SessionLocked) and error.exception.holder is not None:
            self.folder_locked.emit(opening.folder, error.exception)
        elif isinstance(error.exception, (SessionLocked, *REFUSALS, OSError)):
            self.messages.error(f"The folder could not be opened. {error.exception}")
        else:
            self.messages.error(f"The folder could not be opened: {error.exception}", error.trace)

    def _start(self, opened: OpenedFolder) -> None:
        session = self.session = opened.session
        self.preferences.remember_folder(session.folder)
        for problem in (session.fallback_reason, session.centre_problem):
            if problem:
                self.messages.warning(problem)
        self._records_said = None
        self._report_records()
        session.add_listener(self._on_session_changed)
        self.feed.open(session, self.thumbnail_scale)
        self.rows.load(opened.photos, session.exports())
        self.counts_changed.emit(self.model.statuses())
        if session.review_only is not None:
            self._start_reviewing(session.review_only.notice)
            return
        self.feed.start(self.cells_on_screen)
        self.folder_opened.emit(session.folder)
        self.subfolders_found.emit(opened.subfolders)
        self.title_changed.emit(self.window_title())
        self.verbs.emit_undo()
        # The activity buttons and the first photo follow in the next turn of the event
        # loop: all of it in one turn, with the grid's first paint after it, stalled the
        # window for 50-100 ms while the scan workers started (benchmarks/
        # responsiveness.py); two shorter turns keep it responsive.
        QTimer.singleShot(0, self, lambda: self._finish_opening(session))

    def _start_reviewing(self, notice: str) -> None:
        """A folder opened to review only: the photoscreen that has it open reads it (no
        scan here, it would write); the queue refreshes as that one saves."""
        assert self.session is not None
        self.messages.warning(notice)
        self.folder_opened.emit(self.session.folder)
        self.title_changed.emit(self.window_title())
        self.verbs.emit_undo()
        self.set_review_mode(True)
        session = self.session
        QTimer.singleShot(0, self, lambda: self._finish_opening(session))

    def _finish_opening(self, session: Session) -> None:
        if self.session is not session:
            return  # closed (or another folder opened) before this turn came
        self._emit_activities(session.activities())
        if self.current is None:
            self.select(self.navigation.first_visible())

    def close_folder(self) -> None:
        """Stop background work for the open folder and close its session."""
        self.opener.abandon()
        if self.session is None:
            return
        self.feed.close()
        self.workers.drain()
        self.session.close()
        self.session = None
        self.rows.load([], {})
        self.current = None
        self.photo.clear("No folder open")
        self.folder_closed.emit()
        self.title_changed.emit(self.window_title())

    def _emit_activities(self, activities: tuple[Activity, ...]) -> None:
        # Rebuilding the activity buttons, keys and help costs the GUI thread ~10 ms:
        # only when the list really changed (not on every refresh, nor for a folder with
        # the same list as the last one).
        if activities != self._shown_activities:
            self._shown_activities = activities
            self.activities_changed.emit(activities)

    def change_user(self, name: str) -> None:
        """The person at the PC is now ``name``: kept for next time, and the open folder's
        decisions from now on are recorded under it. The previous person's steps can no
        longer be undone or redone."""
        if self.session is not None and self.session.user != name:
            try:
                self.session.change_user(name)  # audited: it can fail (the disk is full)
            except REFUSALS as error:
                report_refusal(self.messages, error)
                return
            self.verbs.emit_undo()
            self.messages.info(f"Decisions from now on are recorded under the name {name}.")
        self.preferences.user_name = name

    def window_title(self) -> str:
        user = self.preferences.user_name or "no name set"
        where = f"{shown_name(self.session.folder.name)} — " if self.session else ""
        reviewing = " (review only)" if self.session and self.session.review_only else ""
        return f"{where}photoscreen — {user}{reviewing}"

    # --- keeping rows fresh -------------------------------------------------------------

    def _on_session_changed(self, photo_hash: str | None) -> None:
        # Scan records photos from its worker thread; those arrive through the scan's
        # own signal instead. Only changes made on the GUI thread are handled here.
        if QThread.currentThread() is not self.thread():
            return
        if photo_hash is None:
            self.refresh_all()
        else:
            self.refresh_photo(photo_hash)
        self.verbs.emit_undo()

    def refresh_all(self, entries: list[PhotoEntry] | None = None) -> None:
        """Re-read every photo's decisions (settings changed, many photos changed);
        ``entries``: already read (on a worker, see :class:`OutsideChanges`)."""
        if self.session is None:
            return
        self.rows.set_exports(self.session.exports())  # an export may have ended
        shown = self.current_entry()
        for entry in self.session.photos() if entries is None else entries:
            self.rows.store(entry)
        self._emit_activities(self.session.activities())
        self.counts_changed.emit(self.model.statuses())
        now = self.current_entry()
        # A photo read since (by another photoscreen) is loaded, not left "still reading".
        moved = (shown and shown.photo_hash) != (now and now.photo_hash)
        self.screen.show(reload=bool(moved))
        self._report_records()

    def _report_records(self) -> None:
        """Say, once per finding, that the folder's records were changed outside
        photoscreen (found when it was opened, or by an export)."""
        problem = None if self.session is None else self.session.records_problem
        if problem and problem != self._records_said:
            self.messages.error(problem)
        self._records_said = problem

    def refresh_photo(self, photo_hash: str) -> None:
        """Re-read one picture's decisions (every file holding it) and show them."""
        assert self.session is not None
        decisions = self.session.photo(photo_hash)
        status = photo_status(decisions, self.session.activities())
        for entry in self.rows.holding(photo_hash):
            self.rows.store(PhotoEntry(entry.path, photo_hash, status, decisions))
        self.counts_changed.emit(self.model.statuses())
        shown = self.current_entry()
        if shown is not None and shown.photo_hash == photo_hash:
            self.screen.show(reload=False)

    def exported_before(self) -> int:
        """How many photos ready to post went out in an earlier export."""
        return self.rows.exported_before()

    def _on_stored(self, photo_id: str) -> None:
        """The folder's reading stored ``photo_id``: count it, show it if on screen."""
        self.counts_changed.emit(self.model.statuses())
        if photo_id == self.current:
            self.screen.show(reload=True)

    # --- choosing the photo on screen ---------------------------------------------------

    def select(self, photo_id: str | None) -> None:
        """Show ``photo_id`` (a file name of the folder), or nothing."""
        if photo_id == self.current and photo_id is not None:
            return
        self.current = photo_id if photo_id in self.rows else None
        if self.verbs.previewing:
            self.verbs.toggle_preview()
        self.navigation.shown(photo_id)
        self.current_changed.emit(self.current)
        self.screen.show(reload=True)

    def go(self, step: int) -> None:
        """Move to the next (``step`` > 0) or previous photo in the grid's order (filter
        applied) that still needs something, skipping decided and unusable files; to the
        plain neighbour when none is left that way, so every photo can still be reached."""
        target = self.next_needing(step, wrap=False) or self.navigation.neighbour(
            self.current, step
        )
        if target is not None:
            self.select(target)

    def next_needing(self, step: int, *, wrap: bool) -> str | None:
        """The next photo (``step`` > 0) or previous one that still needs something from
        staff (see :meth:`GridNavigation.next_needing`)."""
        return self.navigation.next_needing(self.current, step, wrap=wrap)

    def go_to_end(self, last: bool) -> None:
        target = self.navigation.end(last)
        if target is not None:
            self.select(target)

    def set_filter(self, status_filter: StatusFilter) -> None:
        self.proxy.set_filter(status_filter)
        if not self.navigation.is_visible(self.current):
            self.select(self.navigation.first_visible())

    def current_entry(self) -> PhotoEntry | None:
        return self.rows.get(self.current)

    # --- review mode --------------------------------------------------------------------

    def set_review_mode(self, on: bool) -> None:
        self.review_mode = on
        self.review_mode_changed.emit(on)
        self.set_filter(REVIEW_FILTER if on else ALL_PHOTOS)

    def entries(self) -> list[PhotoEntry]:
        """Every photo of the open folder, in folder order."""
        return self.rows.entries()

    @property
    def scan(self) -> FolderScan | None:
        """The open folder's reading (None in review only, or with no folder open)."""
        return self.feed.scan
