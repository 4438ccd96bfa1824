"""This PC's copy of a read-only folder's session, kept in step with the folder's own.

A folder that cannot be written (a camera card, a read-only share) keeps its session on
this PC instead, in a copy of the folder's own session in the per-user data directory.
Then both can change: someone with write access goes on deciding in the folder, and this
PC decides in its copy. Used blindly, a stale copy would export a photo someone has since
blocked (invariant 1), and a copy ignored once the folder is writable again would drop the
decisions made in it (invariant 6). So every open compares the two.

How: by their audit trails. Every decision writes an audit entry and the trail is only
ever appended to, and the copy starts as an exact copy of the folder's session. So the
entries both trails share from the start are the state when the copy was made, and what
follows on each side is what was done there since. (No bookkeeping beside the copy that a
crash could leave out of step with it, and copies made before this existed work too.)
Faces found by the detector do not count as a change on either side: photoscreen finds
them again by itself. Nor, in the copy, do the centre settings this PC copies in on open.

The folder read-only (this PC works in its copy):

- the folder's session unchanged since the copy was made: the copy is used;
- the folder's changed, the copy has nothing of its own: the copy is refreshed from it;
- both changed: the copy is set aside (renamed, kept, never deleted), a fresh copy of the
  folder's session is used, and the user is told where the old one is.

The folder writable, and this PC has a copy with decisions of its own:

- the folder has no session, or it is unchanged since the copy was made: the copy is
  saved into the folder (SQLite's backup API, one atomic write, under the folder's lock
  and the copy's), then renamed and kept; the user is told;
- both changed: the folder's session is used, the copy set aside, and the user told.

``photoscreen status`` takes the same step on paper (:func:`decide`) and reads whichever
session the window would use, so the two never disagree.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

from photoscreen.core.storage.location import SessionLocation, fallback_reason
from photoscreen.core.storage.session_lock import FolderLock, LockHolder
from photoscreen.core.storage.store import (
    Store,
    journal_of,
    remove_database,
    snapshot_database,
)
from photoscreen.core.trail import audit

# Audit actions photoscreen redoes by itself when a folder is opened: not a person's work.
REDONE_ON_OPEN = frozenset({"faces_detected", "photo_size_changed", "records_sealed"})
# In the copy, also the centre settings this PC copies in whenever it opens the folder.
_REDONE_IN_COPY = REDONE_ON_OPEN | {"settings_from_centre"}
_INCOMING_PREFIX = "incoming-"

AuditRow = tuple[Any, ...]


@dataclass(frozen=True)
class Divergence:
    """What each side did since the copy was made (see the module doc)."""

    folder_changed: bool
    copy_changed: bool
    folder_since: tuple[AuditRow, ...]


class Step(Enum):
    """What opening the folder does with the two sessions."""

    USE_FOLDER = "use the folder's session"
    USE_COPY = "use this PC's copy"
    REFRESH_COPY = "copy the folder's session to this PC"
    ADOPT_COPY = "save this PC's copy into the folder"
    SET_COPY_ASIDE = "set this PC's copy aside and use the folder's session"

    @property
    def reads_copy(self) -> bool:
        """True when the decisions that count are the copy's."""
        return self in (Step.USE_COPY, Step.ADOPT_COPY)


def audit_rows(store: Store) -> list[AuditRow]:
    """The whole audit trail, oldest first, as plain tuples to compare."""
    with store.reading() as conn:
        rows = conn.execute(
            "SELECT id, at, who, action, photo_hash, details FROM audit ORDER BY id"
        ).fetchall()
    return [tuple(row) for row in rows]


def compare(folder: list[AuditRow], copy: list[AuditRow]) -> Divergence:
    """Split both trails where they stop being the same, and judge what follows."""
    shared = 0
    for folder_row, copy_row in zip(folder, copy, strict=False):
        if folder_row != copy_row:
            break
        shared += 1
    folder_since, copy_since = folder[shared:], copy[shared:]
    return Divergence(
        folder_changed=any(row[3] not in REDONE_ON_OPEN for row in folder_since),
        copy_changed=any(row[3] not in _REDONE_IN_COPY for row in copy_since),
        folder_since=tuple(folder_since),
    )


def decide(seen: Divergence | None, *, folder_writable: bool) -> Step:
    """The step for a folder; ``seen`` None when this PC has no copy."""
    if folder_writable:
        if seen is None or not seen.copy_changed:
            return Step.USE_FOLDER
        return Step.SET_COPY_ASIDE if seen.folder_changed else Step.ADOPT_COPY
    if seen is None:
        return Step.REFRESH_COPY
    if not seen.folder_changed:
        return Step.USE_COPY
    return Step.SET_COPY_ASIDE if seen.copy_changed else Step.REFRESH_COPY


def open_store(location: SessionLocation, user: str) -> tuple[Store, SessionLocation]:
    """Open the session to work in; the caller holds ``location.directory``'s lock.

    Returns the store and the location, whose ``fallback_reason`` then also says what was
    done with this PC's copy, when that is something the user should know.
    """
    if location.in_folder:
        return _open_in_folder(location, user)
    return _open_copy(location)


def open_store_for_reading(location: SessionLocation) -> tuple[Store, SessionLocation]:
    """A read-only snapshot of the session the window would use, changing nothing."""
    folder = _snapshot_if_there(location.folder_db)
    try:
        copy = _snapshot_if_there(location.copy_db)
    except BaseException:
        _close(folder)
        raise
    try:
        seen = None if copy is None else compare(_rows(folder), audit_rows(copy))
    except BaseException:
        _close(folder, copy)
        raise
    step = decide(seen, folder_writable=location.in_folder)
    chosen, other = (copy, folder) if step.reads_copy else (folder, copy)
    _close(other)
    store = chosen if chosen is not None else Store(None, read_only=True)
    return store, replace(location, fallback_reason=_reading_note(location, step))


def _open_in_folder(location: SessionLocation, user: str) -> tuple[Store, SessionLocation]:
    store = Store(location.db_path)
    try:
        note = _reconcile_into_folder(location, store, user)
    except BaseException:
        store.close()
        raise
    return store, location if note is None else replace(location, fallback_reason=note)


def _reconcile_into_folder(location: SessionLocation, store: Store, user: str) -> str | None:
    """Adopt or set aside this PC's copy, if it holds work of its own; see the module doc."""
    copy_db = location.copy_db
    if not copy_db.exists():
        return None
    # A photoscreen still working in the copy holds this lock: SessionLocked names it.
    copy_lock = FolderLock(copy_db.parent, user)
    copy_lock.acquire()
    try:
        copy = Store(copy_db)  # rolls back a crash's journal before the copy is judged
        try:
            seen = compare(audit_rows(store), audit_rows(copy))
            step = decide(seen, folder_writable=True)
            if step is Step.ADOPT_COPY:
                copy.copy_into(store)
        finally:
            copy.close()
        if step is Step.USE_FOLDER:
            return None
        if step is Step.ADOPT_COPY:
            kept = _set_aside(copy_db, "saved-in-folder")
            _record(store, user, "fallback_copy_adopted", kept, seen.folder_since)
            return _adopted_note(kept)
        kept = _set_aside(copy_db, "not-used")
        _record(store, user, "fallback_copy_set_aside", kept, ())
        return _set_aside_note(kept)
    finally:
        copy_lock.release()


def _open_copy(location: SessionLocation) -> tuple[Store, SessionLocation]:
    """The read-only folder's session as this PC's copy, refreshed or set aside as needed."""
    copy_db = location.db_path
    _remove_leftovers(copy_db.parent)
    if not location.folder_db.exists():
        return Store(copy_db), location
    incoming = copy_db.with_name(f"{_INCOMING_PREFIX}{secrets.token_hex(6)}.sqlite3")
    try:
        snapshot_database(location.folder_db, incoming)
        fresh = Store(incoming)  # migrated here, never in the read-only folder
        try:
            folder_rows = audit_rows(fresh)
        finally:
            fresh.close()
        kept = _refresh_copy(copy_db, incoming, folder_rows)
    finally:
        remove_database(incoming)
    if kept is not None:
        reason = f"{fallback_reason(location.folder)} {_set_aside_note(kept)}"
        location = replace(location, fallback_reason=reason)
    return Store(copy_db), location


def _refresh_copy(copy_db: Path, incoming: Path, folder_rows: list[AuditRow]) -> Path | None:
    """Put the folder's snapshot ``incoming`` in place of the copy when the step says so.

    Returns where the old copy was set aside, or None when it was not.
    """
    seen = None
    if copy_db.exists():
        copy = Store(copy_db)  # rolls back a crash's journal before the copy is judged
        try:
            seen = compare(folder_rows, audit_rows(copy))
        finally:
            copy.close()
    step = decide(seen, folder_writable=False)
    if step is Step.USE_COPY:
        return None
    kept = _set_aside(copy_db, "not-used") if step is Step.SET_COPY_ASIDE else None
    journal_of(copy_db).unlink(missing_ok=True)  # never pair a stray journal with new data
    os.replace(incoming, copy_db)
    return kept


def _set_aside(copy_db: Path, label: str) -> Path:
    """Rename the copy to a name of its own beside it; it is kept, never deleted."""
    stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
    for number in range(1, 1000):
        suffix = "" if number == 1 else f"-{number}"
        kept = copy_db.with_name(f"session-{label}-{stamp}{suffix}.sqlite3")
        if not kept.exists():
            os.rename(copy_db, kept)
            return kept
    raise FileExistsError(f"No free name beside {copy_db} to keep it under.")


def _record(
    store: Store, user: str, action: str, kept: Path, replaced: tuple[AuditRow, ...]
) -> None:
    details: dict[str, Any] = {"kept": str(kept)}
    if replaced:
        # The folder's own entries since the copy was made (only detector faces, which
        # photoscreen finds again): named here so the trail still says they happened.
        details["replaced"] = [
            {"at": row[1], "who": row[2], "action": row[3], "photo_hash": row[4]}
            for row in replaced
        ]
    with store.transaction() as conn:
        audit.record(conn, user, action, None, details)


def _adopted_note(kept: Path) -> str:
    return (
        "The decisions made on this PC while this folder could not be written have now "
        "been saved into the folder, so everyone who opens it sees them. This PC's old copy "
        f"is kept in {kept}."
    )


def _set_aside_note(kept: Path) -> str:
    return (
        "Decisions made on this PC while this folder could not be written were NOT used, "
        "because someone has changed the folder's decisions since. They are kept, "
        f"unchanged, in {kept}. Check those photos again."
    )


def _reading_note(location: SessionLocation, step: Step) -> str | None:
    """What ``photoscreen status`` says about the session it reads."""
    copy = location.copy_db
    if step is Step.ADOPT_COPY:
        return (
            "This shows the decisions made on this PC while this folder could not be "
            f"written ({copy}); they are saved into the folder when it is next opened in "
            "photoscreen."
        )
    parts = [] if location.in_folder else [fallback_reason(location.folder)]
    if step is Step.SET_COPY_ASIDE:
        parts.append(
            "Decisions made on this PC while this folder could not be written "
            f"({copy}) are NOT shown and will not be used, because someone has changed the "
            "folder's decisions since. They are kept aside when the folder is next opened."
        )
    return " ".join(parts) or None


def _snapshot_if_there(db_path: Path) -> Store | None:
    return Store(db_path, read_only=True) if db_path.exists() else None


def _rows(store: Store | None) -> list[AuditRow]:
    return [] if store is None else audit_rows(store)


def _close(*stores: Store | None) -> None:
    for store in stores:
        if store is not None:
            store.close()


def _remove_leftovers(directory: Path) -> None:
    """Snapshots of the folder's session left by a crash mid-open: copies, nothing more."""
    for path in directory.glob(f"{_INCOMING_PREFIX}*.sqlite3"):
        remove_database(path)


def lock_and_open(
    location: SessionLocation, user: str, take_over: LockHolder | None
) -> tuple[FolderLock, Store, SessionLocation]:
    """Take the session directory's lock, then open its store (this PC's copy in step).

    Every change saved afterwards first checks that the lock is still this one's.
    """
    lock = FolderLock(location.directory, user)
    lock.acquire(take_over=take_over)
    try:
        store, location = open_store(location, user)
    except BaseException:
        lock.release()
        raise
    store.before_write = lock.check_held
    return lock, store, location
