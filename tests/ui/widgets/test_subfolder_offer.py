"""A folder with no photos but folders inside it that have photos says so and offers them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import open_and_wait, save_jpeg, scene

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _card_folder(tmp_path: Path) -> Path:
    top = tmp_path / "card"
    (top / "DCIM").mkdir(parents=True)
    (top / "Monday trip").mkdir()
    (top / "empty").mkdir()
    (top / ".hidden").mkdir()
    for i in range(3):
        save_jpeg(top / "Monday trip" / f"IMG_{i}.jpg", scene(i))
    save_jpeg(top / "DCIM" / "IMG_9.jpg", scene(9))
    save_jpeg(top / ".hidden" / "x.jpg", scene(1))
    (top / "Thumbs.db").write_bytes(b"\x00")
    (top / "notes.txt").write_text("not a photo")
    return top


@pytest.fixture
def window(qtbot, make_window):
    window = make_window(detector=False)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Space])
def test_the_folders_with_photos_are_offered_and_open_from_the_keyboard(
    qtbot, window, tmp_path, key
):
    top = _card_folder(tmp_path)
    open_and_wait(qtbot, window, top)
    offer = window.subfolder_offer
    qtbot.waitUntil(offer.isVisible)
    assert not window.photo_view.isVisible()
    assert [b.text() for b in offer.buttons] == ["DCIM  —  1 photo", "Monday trip  —  3 photos"]
    assert QApplication.focusWidget() is offer.buttons[0]
    qtbot.keyClick(offer.buttons[0], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is offer.buttons[1]
    qtbot.keyClick(offer.buttons[1], key)
    qtbot.waitUntil(lambda: window.controller.session is not None, timeout=20000)
    qtbot.waitUntil(lambda: window.controller.session.folder == top / "Monday trip")
    assert len(window.controller.entries()) == 3
    qtbot.waitUntil(lambda: window.controller.current is not None)
    assert not offer.isVisible() and window.photo_view.isVisible()


def test_a_click_opens_one_and_a_folder_with_photos_offers_nothing(qtbot, window, tmp_path):
    top = _card_folder(tmp_path)
    open_and_wait(qtbot, window, top)
    offer = window.subfolder_offer
    qtbot.waitUntil(offer.isVisible)
    with qtbot.waitSignal(window.controller.folder_opened, timeout=20000):
        qtbot.mouseClick(offer.buttons[0], Qt.MouseButton.LeftButton)
    assert window.controller.session.folder == top / "DCIM"
    assert not offer.isVisible()
    # A folder with a photo of its own and folders inside: its photos, no offer.
    save_jpeg(top / "loose.jpg", scene(4))
    open_and_wait(qtbot, window, top)
    qtbot.waitUntil(lambda: window.controller.current is not None)
    assert not offer.isVisible() and window.photo_view.isVisible()


def test_an_empty_folder_says_it_has_no_photos(qtbot, window, tmp_path):
    top = tmp_path / "nothing here"
    (top / "empty inside").mkdir(parents=True)
    open_and_wait(qtbot, window, top)
    qtbot.waitUntil(lambda: window.photo_view.message() == "No photos in this folder")
    assert not window.subfolder_offer.isVisible()
