"""The window's keys: no press is ever an "Ambiguous shortcut", and "+" zooms however typed.

Qt does nothing but log "QAction::event: Ambiguous shortcut overload" when one key press
matches two shortcuts. On X11 a shifted key ("+" is Shift+= on a US keyboard) is matched
both with and without its Shift, so two shortcuts that differ only in Shift (or the
keypad) are the same key to a person. The first test checks that class of clash over
every shortcut of the window, activity digits included; the second presses every key
(and the ways keyboards report "+") and fails on any such line in Qt's log.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit

from photoscreen.core.basics.geometry import Box
from photoscreen.ui.photo.zoom_view import ZOOM_STEP
from tests.ui.conftest import save_jpeg, scanned_window, scene

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

# Keys whose command opens a dialog or closes the window: checked by the first test only.
_DIALOG_COMMANDS = {"open_folder", "export", "settings", "your_name", "quit", "ask_manager"}


@pytest.fixture
def window(qtbot, make_window, tmp_path: Path):
    folder = tmp_path / "photos"
    folder.mkdir()
    save_jpeg(folder / "a.jpg", scene(1, face_at=(300, 150)))
    save_jpeg(folder / "b.jpg", scene(2))
    window = scanned_window(qtbot, make_window, folder)
    window.controller.select("a.jpg")
    qtbot.waitUntil(window.photo_view.has_photo)
    qtbot.waitUntil(lambda: bool(window.commands.activity_actions))
    return window


def _shortcuts(window) -> list[tuple[QAction, QKeySequence]]:
    return [
        (action, sequence)
        for action in window.findChildren(QAction)
        for sequence in action.shortcuts()
        if not sequence.isEmpty()
    ]


def _as_one_key(sequence: QKeySequence) -> tuple[int, int]:
    """A one-key shortcut as a person's key: (key, modifiers), without the keypad, and
    without Shift on a symbol key (Shift is how "+" or "?" is typed; on a letter, or a
    key such as an arrow, Shift+key is a key of its own)."""
    assert sequence.count() == 1, sequence.toString()
    combination = sequence[0]
    key = combination.key().value
    ignored = Qt.KeyboardModifier.KeypadModifier
    symbol = key < 0x100 and not (Qt.Key.Key_A.value <= key <= Qt.Key.Key_Z.value)
    if symbol:
        ignored |= Qt.KeyboardModifier.ShiftModifier
    return key, (combination.keyboardModifiers() & ~ignored).value


def test_no_two_shortcuts_are_the_same_key_to_a_person(window):
    shortcuts = _shortcuts(window)
    assert len(shortcuts) > 30  # every command and activity digit is there
    clashes = [
        (a.text(), x.toString(), b.text(), y.toString())
        for (a, x), (b, y) in combinations(shortcuts, 2)
        if _as_one_key(x) == _as_one_key(y)
    ]
    assert clashes == []


def _plus_variants() -> list[tuple[Qt.Key, Qt.KeyboardModifier, str]]:
    shift, keypad, ctrl = (
        Qt.KeyboardModifier.ShiftModifier,
        Qt.KeyboardModifier.KeypadModifier,
        Qt.KeyboardModifier.ControlModifier,
    )
    none = Qt.KeyboardModifier.NoModifier
    return [
        (Qt.Key.Key_Plus, shift, "+"),  # Shift+= on a US keyboard
        (Qt.Key.Key_Plus, none, "+"),  # its own key (German layout)
        (Qt.Key.Key_Plus, keypad, "+"),  # the keypad
        (Qt.Key.Key_Equal, none, "="),
        (Qt.Key.Key_Plus, ctrl | shift, ""),
        (Qt.Key.Key_Equal, ctrl, ""),
    ]


def test_plus_zooms_in_one_step_however_the_keyboard_reports_it(qtbot, window, qtlog):
    from PySide6.QtTest import QTest

    view = window.photo_view
    window.grid.setFocus()
    qtbot.waitUntil(window.grid.hasFocus)
    for key, modifiers, text in _plus_variants():
        view.zoom_to_fit()
        before = view.zoom_factor()
        QTest.keyClick(window.grid, key, modifiers)
        if text:  # the same key as the platform sends it, with its text
            view.zoom_to_fit()
            QApplication.sendEvent(
                window.grid, QKeyEvent(QEvent.Type.KeyPress, key, modifiers, text)
            )
        assert view.zoom_factor() == pytest.approx(before * ZOOM_STEP), (key, modifiers)
    assert not [r for r in qtlog.records if "mbiguous" in r.message]


def test_plus_typed_into_a_field_stays_text(qtbot, window):
    from PySide6.QtTest import QTest

    window.controller.set_review_mode(True)
    field = window.review_panel.findChild(QLineEdit)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    before = window.photo_view.zoom_factor()
    QTest.keyClicks(field, "+=")
    assert field.text().endswith("+=")
    assert window.photo_view.zoom_factor() == before


def test_every_key_of_the_window_is_pressed_without_an_ambiguous_shortcut(qtbot, window, qtlog):
    from PySide6.QtTest import QTest

    from photoscreen.ui.widgets.actions import COMMANDS_BY_NAME

    window.controller.session.add_face(
        window.controller.current_entry().photo_hash, Box(5, 5, 40, 40)
    )
    skipped = {COMMANDS_BY_NAME[name].text for name in _DIALOG_COMMANDS}
    pressed = 0
    for action, sequence in _shortcuts(window):
        if action.text().split("\t")[0] in skipped:
            continue
        window.grid.setFocus()
        combination = sequence[0]
        QTest.keyClick(window.grid, combination.key(), combination.keyboardModifiers())
        pressed += 1
        if window.photo_view.is_drawing():
            window.photo_view.cancel_drawing()
        if window.help_overlay.isVisible():
            window.help_overlay.hide()
    for key, modifiers, _ in _plus_variants():
        QTest.keyClick(window.grid, key, modifiers)
    assert pressed > 20
    assert not [r for r in qtlog.records if "mbiguous" in r.message]


def test_f_gives_the_photo_the_window_and_brings_the_rest_back(qtbot, window):
    from PySide6.QtTest import QTest

    view = window.photo_view
    window.grid.setFocus()
    qtbot.waitUntil(window.grid.hasFocus)
    narrow = view.width()
    QTest.keyClick(window.grid, Qt.Key.Key_F)
    assert window.is_large_view() and not window.grid.isVisible()
    assert not window.side_panel.isVisible()
    qtbot.waitUntil(lambda: view.width() > narrow + 300)
    QTest.keyClick(view, Qt.Key.Key_F)
    assert not window.is_large_view()
    assert window.grid.isVisible() and window.side_panel.isVisible()
    qtbot.waitUntil(lambda: view.width() == narrow)
