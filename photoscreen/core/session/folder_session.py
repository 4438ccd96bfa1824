"""The session: one opened folder, every decision about its photos, undo/redo and review.

This is the API the window, the command line and the tests share (see docs/api.md).
Every decision method saves at once in its own transaction, with its audit entry, and
then calls the listeners with the photo's hash so a view can refresh. Decisions are keyed
by content hash: a renamed file keeps them, an edited file starts again.

A :class:`Session` owns its folder's lock and store and is made of parts, each with its
own responsibility, given the state they share (a :class:`.changes.Desk`) explicitly:
:class:`.changes.StaffChanges` (the one path every staff decision takes),
:class:`.photo_marks.PhotoMarks` (activity, unclothed, exclude, faces checked, questions),
:class:`.face_edits.FaceEdits` (face and writing boxes), :class:`.links.PeopleLinks` and
:class:`.links.ConsentHolds` (faces linked to people of the consent register),
:class:`.review.Verdicts` (the manager's verdicts), :class:`.undo.History` (undo, redo),
:class:`.photo_list.Listing` (reading) and :class:`.scan_records.ScanRecorder` (what
scan read). The session's methods hand each verb to its part, under the same name.
Opening (the lock, this PC's fallback copy, the checks) is :mod:`.opening`.

Thread use: decisions from the GUI thread; scan and export (jobs above the session, in
:mod:`photoscreen.core.workflows`) from worker threads; the store serialises access.
Listeners are called on the thread that made the change.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from photoscreen.core.basics import Box
from photoscreen.core.consent import Person
from photoscreen.core.rules import (
    Activity,
    FaceRecord,
    PhotoDecisions,
    PhotoStatus,
    Verdict,
    photo_status,
    tidy_name,
)
from photoscreen.core.session import opening
from photoscreen.core.session.changes import Desk, Listener, Listeners, StaffChanges
from photoscreen.core.session.decision_rules import DecisionError, Identity
from photoscreen.core.session.face_edits import FaceEdits
from photoscreen.core.session.links import ConsentHolds, PeopleLinks
from photoscreen.core.session.photo_list import Listing, PhotoEntry, list_folder, review_queue
from photoscreen.core.session.photo_marks import PhotoMarks
from photoscreen.core.session.review import ReviewOnly, Verdicts
from photoscreen.core.session.scan_records import DetectionLike, FileRecord, ScanRecorder
from photoscreen.core.session.undo import Direction, History
from photoscreen.core.settings import CentreSettings, Clock
from photoscreen.core.storage import (
    ExportRecord,
    Findings,
    LockHolder,
    RecordsGuard,
    SessionLocked,
    Store,
    records_check,
)
from photoscreen.core.trail import audit

if TYPE_CHECKING:
    from photoscreen.core.faces import Detection
    from photoscreen.core.render import ExportOptions

__all__ = ["DecisionError", "Listener", "Session", "SessionLocked"]


class Session:
    """An open folder. Make one with :meth:`Session.open`; call :meth:`close` when done."""

    def __init__(self, opened: opening.Opening, clock: Clock = time.time) -> None:
        self._opened = opened
        self._store = opened.store
        self._lock = opened.lock
        # Who is using the app, for this sitting: see core/session/decision_rules.py.
        self._identity = Identity.begin(opened.user)
        self.records = RecordsGuard(opened.store)
        self._listeners = Listeners()
        self.clock = clock  # seconds; also what "today" is for the consent register
        self.settings = CentreSettings(opened.store, opened.user,
                                       on_change=lambda: self._listeners(None),
                                       centre=opened.centre, clock=clock,
                                       recorded=self.records.recorded_setting)  # fmt: skip
        self.review_only: ReviewOnly | None = opened.review_only  # see open_to_review
        desk = Desk(opened.store, self.records, self.settings, lambda: self._identity,
                    self._listeners)  # fmt: skip
        self._history = History(self._listeners)
        self._changes = changes = StaffChanges(desk, keep=self._history.push)
        self._marks = PhotoMarks(desk, changes)
        self._faces = FaceEdits(changes)
        self._links = PeopleLinks(desk, self._faces)
        self._holds = ConsentHolds(self)
        self._verdicts = Verdicts(desk, opened.review_only)
        self._scans = ScanRecorder(desk)
        self._listing = Listing(opened.location.folder, opened.store, self.records, self._holds,
                                self.activities)  # fmt: skip

    @classmethod
    def open(cls, folder: Path, user: str, *, read_only: bool = False,
             centre_file: Path | None = None, clock: Clock = time.time,
             take_over: LockHolder | None = None) -> Session:  # fmt: skip
        """Open ``folder`` for ``user`` (the name recorded in the audit trail), taking its
        lock (not when ``read_only``, for ``photoscreen status``); ``clock`` (seconds) times
        the waits after wrong reviewer PINs. See :func:`.opening.open_folder`."""
        session, found = opening.open_folder(
            lambda opened: cls(opened, clock), folder, user,
            read_only=read_only, centre_file=centre_file, take_over=take_over,
        )  # fmt: skip
        session._listing.found = found  # what the check of the records found
        return session

    @classmethod
    def open_to_review(cls, folder: Path, user: str, holder: LockHolder | None, *,
                       centre_file: Path | None = None,
                       clock: Clock = time.time) -> Session:  # fmt: skip
        """Open ``folder``, which ``holder`` has open in another photoscreen, to review it:
        the same session, where only verdicts are saved (see
        :mod:`~photoscreen.core.session.review`); :attr:`review_only` says so."""
        session, found = opening.open_to_review(
            lambda opened: cls(opened, clock), folder, user, holder, centre_file
        )
        session._listing.found = found
        return session

    def change_user(self, user: str) -> None:
        """Record decisions from now on under ``user`` (who is at the PC changed); audited.

        A new name begins a new sitting: the undo and redo lists are emptied (they hold
        the previous person's steps), and concerns raised before count as someone else's,
        even under the same name (see :mod:`~photoscreen.core.session.decision_rules`).
        """
        user = tidy_name(user)
        if not user:
            raise DecisionError(opening.NO_NAME)
        if user == self.user:
            return
        identity = Identity.begin(user)
        details = {"from": self.user, "to": user, "sitting": identity.sitting}
        self.log_event("user_changed", None, details)
        self._identity = identity
        self._history.clear()
        self.settings.change_user(user)

    def close(self) -> None:
        """Close the database and give the folder's lock back."""
        self._listeners.clear()
        try:
            records_check.keep_head(self._store, self._opened.anchored_db)
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
        return self._opened.location.folder

    @property
    def session_dir(self) -> Path:
        """Where the database, lock and export logs live (normally ``folder/.photoscreen``)."""
        return self._opened.location.directory

    @property
    def fallback_reason(self) -> str | None:
        """Why the session is kept outside the folder (read-only folder), else None."""
        return self._opened.location.fallback_reason

    @property
    def centre_problem(self) -> str | None:
        """What is wrong with this PC's centre settings file, or None; show it to the user."""
        return self.settings.centre_problem

    @property
    def store(self) -> Store:
        return self._store

    @property
    def user(self) -> str:
        """The name of the person using the app, recorded with every decision."""
        return self._identity.name

    @property
    def identity(self) -> Identity:
        """Who is using the app in this sitting (their name, and the sitting's token)."""
        return self._identity

    def activities(self) -> tuple[Activity, ...]:
        return self.settings.activity_list.current()

    # Records changed outside photoscreen, and by another photoscreen ---------------------

    @property
    def records_problem(self) -> str | None:
        """What the window says when the folder's records were changed outside
        photoscreen (found when it was opened, or by the last export), or None."""
        return self._listing.found.summary()

    def check_records(self) -> Findings:
        return self._listing.check_records()

    def check_register(self) -> None:
        """Read the consent register's whole trail again (export does, as it starts)."""
        self._holds.check_register()

    def changed_elsewhere(self) -> bool:
        return self._listing.changed_elsewhere()

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(photo_hash)`` after every change (None: settings or many photos)."""
        self._listeners.add(listener)

    def remove_listener(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    # Reading ----------------------------------------------------------------------------

    def photo(self, photo_hash: str) -> PhotoDecisions | None:
        return self._listing.photo(photo_hash)

    def faces(self, photo_hash: str) -> tuple[FaceRecord, ...]:
        found = self.photo(photo_hash)
        return () if found is None else found.faces

    def folder_files(self) -> list[Path]:
        """Every file directly in the folder, sorted by name (photos or not)."""
        return list_folder(self.folder)

    def photos(self) -> list[PhotoEntry]:
        return self._listing.photos()

    def status(self, photo_hash: str) -> PhotoStatus:
        return photo_status(self.photo(photo_hash), self.activities())

    def file_record(self, path: Path) -> FileRecord | None:
        return self._listing.file_record(path)

    def recorded_hash(self, path: Path) -> str | None:
        """The hash ``path`` had when it was last read (may be out of date)."""
        record = self.file_record(path)
        return None if record is None else record.photo_hash

    def judge_content(self, path: Path, digest: str) -> tuple[PhotoDecisions | None, PhotoStatus]:
        return self._listing.judge_content(path, digest)

    def review_queue(self) -> list[PhotoEntry]:
        """The photos awaiting the manager's verdict (see :func:`review_queue`)."""
        return review_queue(self.photos())

    def audit_trail(self, photo_hash: str | None = None) -> list[audit.AuditEntry]:
        return self._listing.audit_trail(photo_hash)

    def exports(self) -> dict[str, tuple[ExportRecord, ...]]:
        return self._listing.exports()

    def log_event(self, action: str, photo_hash: str | None, details: dict[str, Any]) -> None:
        """Append an audit entry that goes with no decision (an export, a cancel)."""
        with self._store.transaction() as conn:
            audit.record(conn, self.user, action, photo_hash, details)

    def export_options(self) -> ExportOptions:
        """The centre's export size, quality and redaction styles (faces, writing)."""
        from photoscreen.core.render import ExportOptions

        s = self.settings
        return ExportOptions(long_side=s.long_side, quality=s.quality,
                             style=s.redaction_style, writing_style=s.writing_style)  # fmt: skip

    # Staff decisions: each handed to its part (the part's method says what it does) -----

    def set_activity(self, photo_hash: str, key: str | None) -> None:
        self._marks.set_activity(photo_hash, key)

    def set_unclothed(self, photo_hash: str, unclothed: bool, *, pin: str | None = None) -> None:
        self._marks.set_unclothed(photo_hash, unclothed, pin=pin)

    def unclothed_mark_needing_pin(self, photo_hash: str) -> str | None:
        return self._marks.unclothed_mark_needing_pin(photo_hash)

    def clearing_unclothed_needs_pin(self, photo_hash: str) -> bool:
        """True when unmarking this photo unclothed would need the reviewer PIN."""
        return self._marks.unclothed_mark_needing_pin(photo_hash) is not None

    def set_excluded(self, photo_hash: str, excluded: bool) -> None:
        self._marks.set_excluded(photo_hash, excluded)

    def set_faces_checked(self, photo_hash: str, checked: bool = True) -> None:
        self._marks.set_faces_checked(photo_hash, checked)

    def flag_for_review(self, photo_hash: str, note: str = "") -> None:
        self._marks.flag_for_review(photo_hash, note)

    def unflag(self, photo_hash: str) -> None:
        self._marks.unflag(photo_hash)

    def add_face(self, photo_hash: str, box: Box) -> int:
        return self._faces.add_face(photo_hash, box)

    def add_writing(self, photo_hash: str, box: Box) -> int:
        return self._faces.add_writing(photo_hash, box)

    def add_detections(
        self, photo_hash: str, detections: Sequence[DetectionLike], settings_key: str
    ) -> tuple[int, int]:
        return self._faces.add_detections(photo_hash, detections, settings_key)

    def move_face(self, photo_hash: str, face_id: int, box: Box) -> None:
        self._faces.move_face(photo_hash, face_id, box)

    def remove_face(self, photo_hash: str, face_id: int) -> None:
        self._faces.remove_face(photo_hash, face_id)

    def accept_face(self, photo_hash: str, face_id: int) -> None:
        self._faces.accept_face(photo_hash, face_id)

    def dismiss_face(self, photo_hash: str, face_id: int) -> None:
        self._faces.dismiss_face(photo_hash, face_id)

    def set_consent(self, photo_hash: str, face_id: int, on_file: bool) -> None:
        self._faces.set_consent(photo_hash, face_id, on_file)

    def link_face(self, photo_hash: str, face_id: int, person_id: str | None) -> None:
        self._links.link_face(photo_hash, face_id, person_id)

    def show_face(self, photo_hash: str, face_id: int, person: Person, today: date) -> None:
        self._links.show_face(photo_hash, face_id, person, today)

    # The manager's verdicts (not undoable) ----------------------------------------------

    def approve(self, photo_hash: str, reviewer: str, *, note: str = "",
                pin: str | None = None, seen: PhotoDecisions | None = None) -> None:  # fmt: skip
        """The reviewer lets the photo out (if nothing else blocks it); see
        :meth:`~photoscreen.core.session.review.Verdicts.give`."""
        self._verdicts.give(photo_hash, Verdict.APPROVED, reviewer, note=note, pin=pin, seen=seen)

    def reject(self, photo_hash: str, reviewer: str, *, note: str = "",
               pin: str | None = None, seen: PhotoDecisions | None = None) -> None:  # fmt: skip
        """The reviewer keeps the photo out; only a later approval lets it out."""
        self._verdicts.give(photo_hash, Verdict.REJECTED, reviewer, note=note, pin=pin, seen=seen)

    def check_reviewer(self, photo_hash: str, reviewer: str, verdict: Verdict) -> str:
        return self._verdicts.check_reviewer(photo_hash, reviewer, verdict)

    # Undo / redo ------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return self._history.can(Direction.UNDO)

    @property
    def can_redo(self) -> bool:
        return self._history.can(Direction.REDO)

    def undo_description(self) -> str | None:
        """What :meth:`undo` would undo ("Tag activity"), or None."""
        return self._history.next_description(Direction.UNDO)

    def redo_description(self) -> str | None:
        return self._history.next_description(Direction.REDO)

    def undo(self) -> str | None:
        """Undo the latest decision still done; returns the photo's hash, or None if none."""
        return self._history.step(Direction.UNDO, self._changes.restore)

    def redo(self) -> str | None:
        """Redo the latest undone decision; returns the photo's hash, or None if none."""
        return self._history.step(Direction.REDO, self._changes.restore)

    # Scan -----------------------------------------------------------------------------

    def cached_detections(self, photo_hash: str, settings_key: str) -> list[Detection] | None:
        return self._scans.cached_detections(photo_hash, settings_key)

    def record_scan(self, path: Path, photo_hash: str, width: int, height: int, format: str,
                      detections: list[Detection] | None,
                      settings_key: str | None) -> None:  # fmt: skip
        size = (width, height)
        self._scans.record_scan(path, photo_hash, size, format, detections, settings_key)

    def record_unreadable(self, path: Path, reason: str, photo_hash: str | None = None) -> None:
        self._scans.record_unreadable(path, reason, photo_hash)
