"""The session: one opened folder, its listing, every decision about its photos with undo/redo,
and the rules that protect one person's decisions from another's.
"""

from __future__ import annotations

from photoscreen.core.session.decision_rules import DecisionError
from photoscreen.core.session.folder_session import Session, SessionLocked
from photoscreen.core.session.photo_list import PhotoEntry, review_queue
from photoscreen.core.session.subfolders import Subfolder, has_photos, subfolders_with_photos

__all__ = [
    "DecisionError",
    "PhotoEntry",
    "Session",
    "SessionLocked",
    "Subfolder",
    "has_photos",
    "review_queue",
    "subfolders_with_photos",
]
