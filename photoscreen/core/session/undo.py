"""The undo/redo stack of one session's staff decisions.

Each entry is a :class:`Change`: which photo, what was done, and only the staff fields it
changed, before and after. Undo writes the "before" values back, redo the "after" ones;
both go through the session, so each is saved at once and audited like any decision.
Restoring only the changed fields means undoing a tag never touches that photo's faces.

Reviewer verdicts are not on the stack: an approval needs the reviewer's name and PIN at
the moment it is given, and redo must not replay it without them. An undo or redo is a
change like any other, so it clears an approval (see ``decisions.clear_approval``).

The stack is in memory: it lasts while the session is open under one name, which is what a
person pressing Ctrl+Z expects; a change of name empties it (the steps were the previous
person's). Each step is still checked when it is undone or redone, as a direct decision
of the person now using the app would be (see ``decision_rules.check_change``).
"""

from __future__ import annotations

import threading
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


class UndoStack:
    """Undo and redo lists; safe to call from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: list[Change] = []
        self._undone: list[Change] = []

    def push(self, change: Change) -> None:
        """Record a new decision; it makes the redo list meaningless, so that is emptied."""
        with self._lock:
            self._done.append(change)
            del self._done[:-MAX_UNDO]
            self._undone.clear()

    def clear(self) -> None:
        """Forget every step (the person using the app changed)."""
        with self._lock:
            self._done.clear()
            self._undone.clear()

    def take_undo(self) -> Change | None:
        with self._lock:
            return self._done.pop() if self._done else None

    def take_redo(self) -> Change | None:
        with self._lock:
            return self._undone.pop() if self._undone else None

    def undone(self, change: Change) -> None:
        """``change`` was undone: it can now be redone."""
        with self._lock:
            self._undone.append(change)

    def redone(self, change: Change) -> None:
        """``change`` was redone: it can be undone again (the redo list is kept)."""
        with self._lock:
            self._done.append(change)

    def put_back_undo(self, change: Change) -> None:
        """Undoing failed (nothing was written): keep the change undoable."""
        with self._lock:
            self._done.append(change)

    def put_back_redo(self, change: Change) -> None:
        with self._lock:
            self._undone.append(change)

    @property
    def can_undo(self) -> bool:
        with self._lock:
            return bool(self._done)

    @property
    def can_redo(self) -> bool:
        with self._lock:
            return bool(self._undone)

    def next_undo(self) -> str | None:
        """What undo would undo ("Tag activity"), for a menu item."""
        with self._lock:
            return self._done[-1].description if self._done else None

    def next_redo(self) -> str | None:
        with self._lock:
            return self._undone[-1].description if self._undone else None
