"""The session: one opened folder, every decision about its photos, undo/redo and review.

This is the API the window, the command line and the tests share (see docs/api.md).
Every decision method saves at once in its own transaction, with its audit entry, and
then calls the listeners with the photo's hash so a view can refresh. Decisions are keyed
by content hash: a renamed file keeps them, an edited file starts again.

Thread use: decisions from the GUI thread; ingest and export (jobs above the session, in
:mod:`photoscreen.core.workflows`) from worker threads; the store serialises access.
Listeners are called on the thread that made the change.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from photoscreen.core.basics import shown_name
from photoscreen.core.rules import (
    CHANGED_FILE,
    NOT_SCANNED,
    PhotoDecisions,
    PhotoState,
    PhotoStatus,
    photo_status,
    tidy_name,
)
from photoscreen.core.session import scan_records
from photoscreen.core.session.decision_rules import Identity
from photoscreen.core.session.decision_verbs import DecisionError, DecisionMethods, Listener
from photoscreen.core.session.links import LinkMethods
from photoscreen.core.session.photo_list import (
    PhotoEntry,
    build_entries,
    list_folder,
    review_queue,
)
from photoscreen.core.session.review_only import ReviewOnly
from photoscreen.core.session.scan_records import FileRecord, stat_or_none
from photoscreen.core.session.undo import UndoStack
from photoscreen.core.settings import CentreSettings, Clock, pin_attempts
from photoscreen.core.storage import (
    CentreFile,
    ExportRecord,
    Findings,
    FolderLock,
    LockHolder,
    RecordsGuard,
    SessionLocation,
    SessionLocked,
    Store,
    decisions,
    export_records,
    locate_session,
    lock_and_open,
    open_for_review,
    open_store_for_reading,
    records_check,
)
from photoscreen.core.trail import audit

if TYPE_CHECKING:
    from photoscreen.core.faces import Detection
    from photoscreen.core.render import ExportOptions

__all__ = ["DecisionError", "Listener", "Session", "SessionLocked"]


class Session(DecisionMethods, LinkMethods):
    """An open folder. Make one with :meth:`Session.open`; call :meth:`close` when done."""

    def __init__(
        self,
        location: SessionLocation,
        store: Store,
        lock: FolderLock | None,
        user: str,
        centre: CentreFile | None = None,
        clock: Clock = time.time,
    ) -> None:
        self._location = location
        self._store = store
        self._lock = lock
        # Who is using the app, for this sitting: see core/session/decision_rules.py.
        self._identity = Identity.begin(user)
        self.records = RecordsGuard(store)
        self.clock = clock  # seconds; also what "today" is for the consent register
        self.settings = CentreSettings(
            store,
            user,
            on_change=lambda: self._notify(None),
            centre=centre,
            clock=clock,
            recorded=self.records.recorded_setting,
        )
        self._undo = UndoStack()
        self._listeners: list[Listener] = []
        self._records_found = Findings()
        self.review_only: ReviewOnly | None = None  # see open_to_review
        self._data_version = store.data_version()  # see changed_elsewhere

    def change_user(self, user: str) -> None:
        """Record decisions from now on under ``user`` (who is at the PC changed); audited.

        A new name begins a new sitting: the undo and redo lists are emptied (they hold
        the previous person's steps), and concerns raised before count as someone else's,
        even under the same name (see :mod:`~photoscreen.core.session.decision_rules`).
        """
        user = tidy_name(user)
        if not user:
            raise DecisionError("Enter your name: it is recorded with every decision.")
        if user == self.user:
            return
        identity = Identity.begin(user)
        details = {"from": self.user, "to": user, "sitting": identity.sitting}
        self.log_event("user_changed", None, details)
        self._identity = identity
        self._undo.clear()
        self.settings.change_user(user)

    @classmethod
    def open(
        cls,
        folder: Path,
        user: str,
        *,
        read_only: bool = False,
        centre_file: Path | None = None,
        clock: Clock = time.time,
        take_over: LockHolder | None = None,
    ) -> Session:
        """Open ``folder`` for ``user`` (the name recorded in the audit trail).

        ``centre_file`` is this PC's centre settings file (the application passes
        :func:`~photoscreen.core.storage.centre_file.default_centre_path`): the folder starts from
        its settings, and settings changed here are saved to it too. None keeps to the
        folder's own settings. Raises ``SessionLocked`` when another photoscreen has the
        folder open, and ``StoreError`` when the session file cannot be used.
        ``take_over``: the holder a ``SessionLocked`` named (``may_be_stale``) whom the
        person says is no longer running: the folder is opened anyway (see
        :mod:`~photoscreen.core.storage.session_lock`).
        ``read_only`` opens without the lock and without creating or changing anything
        (for ``photoscreen status``): a private snapshot of the session the window would
        use. A read-only folder works in this PC's copy of its session, kept in step with
        the folder's as :mod:`~photoscreen.core.storage.fallback_copy` describes. ``clock``
        (seconds) times the waits after wrong reviewer PINs; tests pass their own.
        """
        user = tidy_name(user)
        if not user:
            raise DecisionError("Enter your name: it is recorded with every decision.")
        folder = Path(folder)
        if not folder.is_dir():
            raise DecisionError(f"The folder {shown_name(folder)} does not exist.")
        centre = None if centre_file is None else CentreFile(centre_file)
        location = locate_session(folder, create=not read_only)
        if read_only:
            store, location = open_store_for_reading(location)
            session = cls(location, store, None, user, centre, clock)
        else:
            lock, store, location = lock_and_open(location, user, take_over)
            try:
                session = cls(location, store, lock, user, centre, clock)
            except BaseException:
                store.close()
                lock.release()
                raise
        try:
            # Damage first (a value photoscreen never writes is "damaged", whatever the
            # trail says); then the kept head of the trail, before anything is added to it.
            session.check_stored_values()
            records_check.check_head(session.records, store, session._anchored_db)
            if not read_only:
                session.settings.adopt_centre_settings()
            session._records_found = records_check.check_on_open(
                session.records, store, user, session._anchored_db
            )
        except BaseException:
            session.close()
            raise
        return session

    @classmethod
    def open_to_review(
        cls,
        folder: Path,
        user: str,
        holder: LockHolder | None,
        *,
        centre_file: Path | None = None,
        clock: Clock = time.time,
    ) -> Session:
        """Open ``folder``, which ``holder`` has open in another photoscreen, to review it:
        the same session, where only verdicts are saved (see
        :mod:`~photoscreen.core.session.review_only`); :attr:`review_only` says so."""
        location = locate_session(Path(folder), create=False)
        store = open_for_review(location)
        centre = None if centre_file is None else CentreFile(centre_file)
        session = cls(location, store, None, tidy_name(user) or "Reviewer", centre, clock)
        session.review_only = gate = ReviewOnly(holder)
        store.before_write = gate.check
        try:
            session.check_stored_values()
            records_check.check_head(session.records, store, session._anchored_db)
            session._records_found = session.records.check_all()  # recorded by the holder
        except BaseException:
            session.close()
            raise
        return session

    def check_stored_values(self) -> None:
        """Read back every stored value (settings, decisions, files, detections, the count
        of wrong PINs) as it is used, so damage is reported as the folder opens, in plain
        words (``StoreError``), not met half-way through a decision or an export."""
        self.settings.check_stored()
        with self._store.reading() as conn:
            decisions.load_all(conn)
            scan_records.file_records(conn)
            scan_records.check_cached_detections(conn)
            pin_attempts.read(conn)

    def close(self) -> None:
        """Close the database and give the folder's lock back."""
        self._listeners.clear()
        try:
            records_check.keep_head(self._store, self._anchored_db)
        finally:
            self._store.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def folder(self) -> Path:
        return self._location.folder

    @property
    def session_dir(self) -> Path:
        """Where the database, lock and export logs live (normally ``folder/.photoscreen``)."""
        return self._location.directory

    @property
    def fallback_reason(self) -> str | None:
        """Why the session is kept outside the folder (read-only folder), else None."""
        return self._location.fallback_reason

    @property
    def centre_problem(self) -> str | None:
        """What is wrong with this PC's centre settings file, or None; show it to the user."""
        return self.settings.centre_problem

    @property
    def store(self) -> Store:
        return self._store

    @property
    def _anchored_db(self) -> Path | None:
        """The session file whose trail head this PC keeps: the folder's own only (this
        PC's copy of a read-only folder's session already lives in this PC's user folder)."""
        return self._location.db_path if self._location.in_folder else None

    # Records changed outside photoscreen --------------------------------------------------

    @property
    def records_problem(self) -> str | None:
        """What the window says when the folder's records were changed outside
        photoscreen (found when it was opened, or by the last export), or None."""
        return self._records_found.summary()

    def check_records(self) -> Findings:
        """Check every photo and setting against the chained audit trail (export does,
        before it starts); :attr:`records_problem` then says what was found."""
        self._records_found = self.records.check_all()
        return self._records_found

    def photo(self, photo_hash: str) -> PhotoDecisions | None:
        """Everything decided about this picture, fresh from the store, with
        ``records_changed`` (records changed outside photoscreen, even a deleted row) and
        ``consent_held`` (the register's holds, now); a value never written: StoreError."""
        reasons = self.records.reasons(photo_hash)
        own = any(r.startswith(records_check.CHANGED_OUTSIDE) for r in reasons)
        found = self._with_consent_holds(super().photo(photo_hash))
        if not reasons:
            return found
        if found is None and not own:
            return None  # a picture nobody decided anything about
        return replace(found or PhotoDecisions(photo_hash), records_changed=reasons)

    def changed_elsewhere(self) -> bool:
        """True when another photoscreen (staff, or a manager reviewing beside them) has
        saved something in this session since the last call, or since it was opened:
        then read it again (a quick query; the window asks every second or two)."""
        version = self._store.data_version()
        changed, self._data_version = version != self._data_version, version
        return changed

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(photo_hash)`` after every change (None: settings or many photos)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    # Reading ----------------------------------------------------------------------------

    def folder_files(self) -> list[Path]:
        """Every file directly in the folder, sorted by name (photos or not)."""
        return list_folder(self.folder)

    def photos(self) -> list[PhotoEntry]:
        """The folder's files with status, reasons and decisions, sorted by name."""
        found = self.records.findings()
        with self._store.reading() as conn:
            files = scan_records.file_records(conn)
            known = decisions.load_all(conn)
        for photo_hash in {*found.photos, *(known if not found.clean else ())}:
            reasons = found.reasons(photo_hash)
            if reasons:
                decided = known.get(photo_hash) or PhotoDecisions(photo_hash)
                known[photo_hash] = replace(decided, records_changed=reasons)
        known.update(self._consent_holds(list(known.values()), full=True))
        return build_entries(self.folder_files(), files, known, self.activities())

    def status(self, photo_hash: str) -> PhotoStatus:
        return photo_status(self.photo(photo_hash), self.activities())

    def file_record(self, path: Path) -> FileRecord | None:
        """What was seen of ``path`` when it was last read (may be out of date)."""
        with self._store.reading() as conn:
            return scan_records.file_records(conn).get(Path(path).name)

    def recorded_hash(self, path: Path) -> str | None:
        """The hash ``path`` had when it was last read (may be out of date)."""
        record = self.file_record(path)
        return None if record is None else record.photo_hash

    def judge_content(self, path: Path, digest: str) -> tuple[PhotoDecisions | None, PhotoStatus]:
        """Judge the picture with hash ``digest`` just read from ``path``, as of now.

        Used where the file itself was re-read (export, ``photoscreen status``): the
        decisions are those of exactly this content. Without any, the reason says whether
        the file changed since it was checked, could not be read, or was never scanned.
        """
        photo = self.photo(digest)
        if photo is not None:
            return photo, photo_status(photo, self.activities())
        record = self.file_record(path)
        if record is None:
            return None, NOT_SCANNED
        if record.photo_hash is not None and record.photo_hash != digest:
            return None, CHANGED_FILE
        if record.unreadable_reason is not None and record.matches(stat_or_none(Path(path))):
            reason = f"Could not be read: {record.unreadable_reason}"
            return None, PhotoStatus(PhotoState.UNREADABLE, (reason,))
        return None, NOT_SCANNED

    def review_queue(self) -> list[PhotoEntry]:
        """The photos awaiting the manager's verdict (see :func:`review_queue`)."""
        return review_queue(self.photos())

    def audit_trail(self, photo_hash: str | None = None) -> list[audit.AuditEntry]:
        with self._store.reading() as conn:
            return audit.entries(conn, photo_hash)

    def exports(self) -> dict[str, tuple[ExportRecord, ...]]:
        """Each picture's published exports, oldest first, from the audit trail."""
        with self._store.reading() as conn:
            return export_records.exported(conn)

    def log_event(self, action: str, photo_hash: str | None, details: dict[str, Any]) -> None:
        """Append an audit entry that goes with no decision (an export, a cancel)."""
        with self._store.transaction() as conn:
            audit.record(conn, self.user, action, photo_hash, details)

    # Ingest -----------------------------------------------------------------------------

    def cached_detections(self, photo_hash: str, settings_key: str) -> list[Detection] | None:
        """Detections stored for (picture, detector settings), or None if never run."""
        from photoscreen.core.faces import Detection, FaceBand

        with self._store.reading() as conn:
            found = scan_records.cached_detections(conn, photo_hash, settings_key)
        if found is None:
            return None
        return [Detection(box=box, score=score, band=FaceBand(band)) for box, score, band in found]

    def record_ingest(
        self,
        path: Path,
        photo_hash: str,
        width: int,
        height: int,
        format: str,
        detections: list[Detection] | None,
        settings_key: str | None,
    ) -> None:
        """Ingest read ``path``: its picture's hash, upright size, format and detections.

        The first detections recorded for a picture become its faces; later ones are only
        cached, so a person's face edits are never overwritten. A size other than the one
        recorded before clears the face check (its boxes were placed in another frame).
        """
        path = Path(path)
        with self._store.transaction() as conn:
            recorded = scan_records.record_ingest(
                conn,
                name=path.name,
                info=stat_or_none(path),
                photo_hash=photo_hash,
                size=(width, height),
                fmt=format,
                detections=detections,
                settings_key=settings_key,
            )
            if recorded.size_before is not None:
                resized = {"from": list(recorded.size_before), "to": [width, height]}
                audit.record(conn, self.user, "photo_size_changed", photo_hash, resized)
            if recorded.faces_added:
                details = {"faces": recorded.faces_added, "detector": settings_key}
                audit.record(conn, self.user, "faces_detected", photo_hash, details)
        self._notify(photo_hash)

    def record_unreadable(self, path: Path, reason: str, photo_hash: str | None = None) -> None:
        """``path`` could not be used as a photo, for the plain-words ``reason``."""
        path = Path(path)
        with self._store.transaction() as conn:
            scan_records.record_unreadable(
                conn, name=path.name, info=stat_or_none(path), reason=reason, photo_hash=photo_hash
            )
        self._notify(photo_hash)

    # Export -----------------------------------------------------------------------------

    def export_options(self) -> ExportOptions:
        """The centre's export size, quality and redaction styles (faces, writing)."""
        from photoscreen.core.render import ExportOptions

        s = self.settings
        return ExportOptions(long_side=s.long_side, quality=s.quality,
                             style=s.redaction_style, writing_style=s.writing_style)  # fmt: skip
