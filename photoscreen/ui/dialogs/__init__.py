"""Dialogs: export, the centre's settings, and the small prompts."""

from __future__ import annotations

from photoscreen.ui.dialogs.consent_picker import PersonPicker, people_lines
from photoscreen.ui.dialogs.export import ExportDialog
from photoscreen.ui.dialogs.prompts import NamePrompt, PinPrompt, ask_manager_prompt
from photoscreen.ui.dialogs.register_dialogs import TakedownDialog
from photoscreen.ui.dialogs.register_window import RegisterWindow
from photoscreen.ui.dialogs.settings import SettingsDialog

__all__ = [
    "ExportDialog",
    "NamePrompt",
    "PersonPicker",
    "PinPrompt",
    "RegisterWindow",
    "SettingsDialog",
    "TakedownDialog",
    "ask_manager_prompt",
    "people_lines",
]
