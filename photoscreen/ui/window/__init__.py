"""The main window and the composition root that builds and wires it."""

from __future__ import annotations

from photoscreen.ui.window.self_test import run as run_self_test
from photoscreen.ui.window.startup import build_window, default_detector_factory, start_window

__all__ = [
    "build_window",
    "default_detector_factory",
    "run_self_test",
    "start_window",
]
