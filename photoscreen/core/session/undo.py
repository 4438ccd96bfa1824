"""Undo and redo of one session's staff decisions: the steps kept, and taking one back.

Each step is a :class:`Change`: which photo, what was done, and only the staff fields it
changed, before and after. Undo writes the "before" values back, redo the "after" ones,
through the ``restore`` a step is given (the same path as a direct decision,
:meth:`~photoscreen.core.session.changes.StaffChanges.restore`), so each is
saved at once and audited like any decision. Restoring only the changed fields means
undoing a tag never touches that photo's faces. Undo and redo are one step in two
directions (:meth:`History.step`): take the latest change of one list, write it, and on
success move it to the other list; on failure nothing was written and it stays put.

Reviewer verdicts are not kept: an approval needs the reviewer's name and PIN at the
moment it is given, and redo must not replay it without them. An undo or redo is a change
like any other, so it clears an approval (see ``decisions.clear_approval``).

The steps are in memory: they last while the session is open under one name, which is
what a person pressing Ctrl+Z expects; a change of name empties them (they were the
previous person's). Each step is still checked when it is undone or redone, as a direct
decision of the person now using the app would be (see ``decision_rules.check_change``).
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass

from photoscreen.core.storage import Snapshot

MAX_UNDO = 500


@dataclass(frozen=True)
class Change:
    """One undoable decision on one photo."""

    photo_hash: str
    action: str
    description: str
    before: Snapshot
    after: Snapshot


class Direction(enum.Enum):
    """Which way a step goes; the value is the audit trail's action."""

    UNDO = "undo"
    REDO = "redo"

    def fields(self, change: Change) -> Snapshot:
        """The fields a step this way writes back."""
        return change.before if self is Direction.UNDO else change.after


Restore = Callable[[Change, Snapshot, str], None]
"""Write a change's fields back (``fields``, the audit ``action``), or raise unchanged."""


class History:
    """The undo and redo lists of one session, and the step between them; safe to call
    from any thread. ``notify`` is told the photo of each step taken."""

    def __init__(self, notify: Callable[[str | None], None]) -> None:
        self._notify = notify
        self._lock = threading.Lock()
        self._lists: dict[Direction, list[Change]] = {d: [] for d in Direction}

    def push(self, change: Change) -> None:
        """Record a new decision; it makes the redo list meaningless, so that is emptied."""
        with self._lock:
            done = self._lists[Direction.UNDO]
            done.append(change)
            del done[:-MAX_UNDO]
            self._lists[Direction.REDO].clear()

    def clear(self) -> None:
        """Forget every step (the person using the app changed)."""
        with self._lock:
            for steps in self._lists.values():
                steps.clear()

    def can(self, direction: Direction) -> bool:
        with self._lock:
            return bool(self._lists[direction])

    def next_description(self, direction: Direction) -> str | None:
        """What a step that way would undo or redo ("Tag activity"), for a menu item."""
        with self._lock:
            steps = self._lists[direction]
            return steps[-1].description if steps else None

    def step(self, direction: Direction, restore: Restore) -> str | None:
        """Undo (or redo) the latest change still done (undone), written by ``restore``;
        returns its photo's hash, or None when there is none. A refused or failed write
        leaves both lists as they were and raises; a redo keeps the rest of the redo list."""
        with self._lock:
            steps = self._lists[direction]
            change = steps.pop() if steps else None
        if change is None:
            return None
        try:
            restore(change, direction.fields(change), direction.value)
        except BaseException:
            with self._lock:
                self._lists[direction].append(change)
            raise
        other = Direction.REDO if direction is Direction.UNDO else Direction.UNDO
        with self._lock:
            self._lists[other].append(change)
        self._notify(change.photo_hash)
        return change.photo_hash
