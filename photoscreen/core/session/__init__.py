"""The session: one opened folder, its listing, every decision about its photos with undo/redo,
and the rules that protect one person's decisions from another's.
"""

from __future__ import annotations

from photoscreen.core.session.decision_rules import DecisionError
from photoscreen.core.session.folder_session import Session, SessionLocked
from photoscreen.core.session.photo_list import PhotoEntry, review_queue

__all__ = [
    "DecisionError",
    "PhotoEntry",
    "Session",
    "SessionLocked",
    "review_queue",
]
