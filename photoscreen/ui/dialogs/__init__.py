"""Dialogs: export, the centre's settings, and the small prompts."""
