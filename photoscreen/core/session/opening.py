"""Opening a folder's session: its lock, its database (or this PC's copy of it), and the
checks made before anyone decides anything.

Three ways in: for staff (:func:`open_folder`: the folder's lock is taken), read-only for
``photoscreen status`` (no lock; nothing made or changed), and for the manager reviewing
beside staff who have it open (:func:`open_to_review`: no lock; only verdicts written,
see :mod:`~photoscreen.core.session.review`). Each finds the session
(:func:`~photoscreen.core.storage.locate_session`), makes the session object by the
``make`` it is given (the :class:`~photoscreen.core.session.Session` class passes itself,
so this module does not import it), and checks it: every stored value read back
(:func:`check_stored_values`), the head of the chained trail this PC kept, and every
record against that trail. A session that fails a check is closed again (its lock given
back) before the error goes up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from photoscreen.core.basics import shown_name
from photoscreen.core.rules import tidy_name
from photoscreen.core.session import scan_records
from photoscreen.core.session.decision_rules import DecisionError
from photoscreen.core.session.review import ReviewOnly
from photoscreen.core.settings import CentreSettings, pin_attempts
from photoscreen.core.storage import (
    CentreFile,
    Findings,
    FolderLock,
    LockHolder,
    RecordsGuard,
    SessionLocation,
    Store,
    decisions,
    locate_session,
    lock_and_open,
    open_for_review,
    open_store_for_reading,
    records_check,
)

NO_NAME = "Enter your name: it is recorded with every decision."


@dataclass(frozen=True)
class Opening:
    """A folder's session as opening found it: what the session object is made from."""

    location: SessionLocation
    store: Store
    lock: FolderLock | None  # None: read-only, or opened to review
    user: str
    centre: CentreFile | None  # this PC's centre settings file, if the folder uses one
    review_only: ReviewOnly | None = None  # set when opened to review beside staff

    @property
    def anchored_db(self) -> Path | None:
        """The session file whose trail head this PC keeps: the folder's own only (this
        PC's copy of a read-only folder's session already lives in this PC's user folder)."""
        return self.location.db_path if self.location.in_folder else None


class Checked(Protocol):
    """What the checks on opening ask of the session made."""

    @property
    def records(self) -> RecordsGuard: ...

    @property
    def settings(self) -> CentreSettings: ...

    def close(self) -> None: ...


S = TypeVar("S", bound=Checked)
Make = Callable[[Opening], S]


def open_folder(
    make: Make[S],
    folder: Path,
    user: str,
    *,
    read_only: bool,
    centre_file: Path | None,
    take_over: LockHolder | None,
) -> tuple[S, Findings]:
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
    the folder's as :mod:`~photoscreen.core.storage.fallback_copy` describes. ``make``
    makes the session (``Session.open`` passes one with its ``clock``); returns it and
    what the check of its records found.
    """
    user = tidy_name(user)
    if not user:
        raise DecisionError(NO_NAME)
    folder = Path(folder)
    if not folder.is_dir():
        raise DecisionError(f"The folder {shown_name(folder)} does not exist.")
    centre = None if centre_file is None else CentreFile(centre_file)
    location = locate_session(folder, create=not read_only)
    if read_only:
        store, location = open_store_for_reading(location)
        opening = Opening(location, store, None, user, centre)
    else:
        lock, store, location = lock_and_open(location, user, take_over)
        opening = Opening(location, store, lock, user, centre)
    session = _made(make, opening)

    def check() -> Findings:
        if not read_only:
            session.settings.adopt_centre_settings()
        return records_check.check_on_open(session.records, store, user, opening.anchored_db)

    return session, _checked(session, opening, check)


def open_to_review(
    make: Make[S], folder: Path, user: str, holder: LockHolder | None, centre_file: Path | None
) -> tuple[S, Findings]:
    """Open ``folder``, which ``holder`` has open in another photoscreen, to review it
    (see ``Session.open_to_review``): the store lets through only a verdict's writes."""
    location = locate_session(Path(folder), create=False)
    store = open_for_review(location)
    centre = None if centre_file is None else CentreFile(centre_file)
    gate = ReviewOnly(holder)
    opening = Opening(location, store, None, tidy_name(user) or "Reviewer", centre, gate)
    session = _made(make, opening)
    store.before_write = gate.check
    # The holder's photoscreen records what it finds in the trail: here it is only read.
    return session, _checked(session, opening, session.records.check_all)


def check_stored_values(settings: CentreSettings, store: Store) -> None:
    """Read back every stored value (settings, decisions, files, detections, the count
    of wrong PINs) as it is used, so damage is reported as the folder opens, in plain
    words (``StoreError``), not met half-way through a decision or an export."""
    settings.check_stored()
    with store.reading() as conn:
        decisions.load_all(conn)
        scan_records.file_records(conn)
        scan_records.check_cached_detections(conn)
        pin_attempts.read(conn)


def _made(make: Make[S], opening: Opening) -> S:
    """The session made of ``opening``; when making it fails, the store is closed and
    the lock given back."""
    try:
        return make(opening)
    except BaseException:
        opening.store.close()
        if opening.lock is not None:
            opening.lock.release()
        raise


def _checked(session: S, opening: Opening, check: Callable[[], Findings]) -> Findings:
    """Check ``session`` as it opens: damage first (a value photoscreen never writes is
    "damaged", whatever the trail says), then the kept head of the trail, before anything
    is added to it, then ``check`` (the records); a failed check closes the session."""
    try:
        check_stored_values(session.settings, opening.store)
        records_check.check_head(session.records, opening.store, opening.anchored_db)
        return check()
    except BaseException:
        session.close()
        raise
