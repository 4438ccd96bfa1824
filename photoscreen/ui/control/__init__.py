"""The controllers and the view-state they publish: every decision the window makes, the photo
on screen, review, opening and reading a folder, export, messages.
"""

from __future__ import annotations

from photoscreen.ui.control.controller import Controller
from photoscreen.ui.control.export_runner import ExportRunner
from photoscreen.ui.control.messages import Level, Message, MessageBar, MessageChannel
from photoscreen.ui.control.preferences import Preferences
from photoscreen.ui.control.review_controller import ReviewController
from photoscreen.ui.control.view_state import (
    KIND_WRITING,
    KIND_WRITING_COVERED,
    FaceOverlay,
    PanelState,
    QueueItem,
    ReviewState,
)

__all__ = [
    "KIND_WRITING",
    "KIND_WRITING_COVERED",
    "Controller",
    "ExportRunner",
    "FaceOverlay",
    "Level",
    "Message",
    "MessageBar",
    "MessageChannel",
    "PanelState",
    "Preferences",
    "QueueItem",
    "ReviewController",
    "ReviewState",
]
