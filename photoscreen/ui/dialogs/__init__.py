"""Dialogs: export, the centre's settings, and the small prompts."""

from __future__ import annotations

from photoscreen.ui.dialogs.export import ExportDialog
from photoscreen.ui.dialogs.prompts import NamePrompt, PinPrompt, ask_manager_prompt
from photoscreen.ui.dialogs.settings import SettingsDialog

__all__ = [
    "ExportDialog",
    "NamePrompt",
    "PinPrompt",
    "SettingsDialog",
    "ask_manager_prompt",
]
