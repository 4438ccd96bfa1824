"""A folder locked by a photoscreen that may have stopped: the window asks, and can open it.

Before, the window only said "Close it there first", and a lock left by a photoscreen on
a PC since switched off (or whose process id was reused) kept the folder shut for good.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import save_jpeg, scene

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _locked_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "photos"
    (folder / ".photoscreen").mkdir(parents=True)
    save_jpeg(folder / "a.jpg", scene(1))
    holder = {"user": "Bob", "host": "PC-12", "pid": 4242, "since": "2024-05-03T09:00:00+00:00"}
    (folder / ".photoscreen" / "lock").write_text(json.dumps(holder | {"token": "b0b"}))
    return folder


def _question(qtbot, window) -> QMessageBox:
    qtbot.waitUntil(lambda: isinstance(window.interactions.dialog, QMessageBox))
    question = window.interactions.dialog
    assert "open in photoscreen by Bob on PC-12" in question.text()
    return question


def _lock_owner(folder: Path) -> str:
    lock = json.loads((folder / ".photoscreen" / "lock").read_text(encoding="utf-8"))
    return str(lock["user"])


def test_the_person_can_open_a_folder_whose_photoscreen_stopped(qtbot, make_window, tmp_path):
    folder = _locked_folder(tmp_path)
    window = make_window(detector=False)
    window.show()
    window.controller.open_folder(folder)
    question = _question(qtbot, window)
    anyway = next(b for b in question.buttons() if "open anyway" in b.text())
    with qtbot.waitSignal(window.controller.folder_opened, timeout=20000):
        anyway.click()
    assert _lock_owner(folder) == "Sam Staff"
    assert [e.name for e in window.controller.entries()] == ["a.jpg"]


def test_cancel_leaves_the_folder_to_the_other_photoscreen(qtbot, make_window, tmp_path):
    folder = _locked_folder(tmp_path)
    window = make_window(detector=False)
    window.show()
    window.controller.open_folder(folder)
    question = _question(qtbot, window)
    next(b for b in question.buttons() if b.text() == "Cancel").click()
    qtbot.waitUntil(lambda: window.interactions.dialog is None)
    assert window.controller.session is None
    assert _lock_owner(folder) == "Bob"
