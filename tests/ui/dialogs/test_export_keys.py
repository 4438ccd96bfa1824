"""The export dialog from the keyboard: the remembered folder is selected, typing replaces
it, and Return in the field exports (it once opened the folder chooser instead)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from photoscreen.ui.dialogs.export import ExportDialog
from tests.ui.conftest import save_jpeg, scanned_window, scene

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def window(qtbot, make_window, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    save_jpeg(folder / "IMG_0.jpg", scene(0))
    window = scanned_window(qtbot, make_window, folder)
    c = window.controller
    c.select("IMG_0.jpg")
    c.verbs.set_activity("story_time")
    c.verbs.faces_checked_and_next()
    return window


def _close_any_other_dialog(expected, opened: list[str]) -> QTimer:
    """A modal dialog nobody expected (a folder chooser run with exec()) would wait for a
    person forever: note it and close it, so the test fails instead of hanging."""

    def check() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not expected:
            opened.append(type(modal).__name__)
            modal.close()

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(200)
    return timer


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_return_in_the_folder_field_exports_to_the_folder_typed(qtbot, window, tmp_path, key):
    window.controller.preferences.last_export_folder = tmp_path / "last time"
    window.interactions.show_export()
    dialog = window.interactions.dialog
    assert isinstance(dialog, ExportDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    field = dialog.destination
    assert QApplication.focusWidget() is field
    assert field.selectedText() == str(tmp_path / "last time")  # typing replaces it
    opened: list[str] = []
    guard = _close_any_other_dialog(dialog, opened)
    target = tmp_path / "new folder"
    qtbot.keyClicks(field, str(target))
    assert field.text() == str(target)
    qtbot.keyClick(field, key)
    qtbot.waitUntil(lambda: dialog.summary is not None or bool(opened), timeout=30000)
    guard.stop()
    assert opened == []
    assert len(dialog.summary.written) == 1
    assert len(list(target.iterdir())) == 1  # the folder typed was made
