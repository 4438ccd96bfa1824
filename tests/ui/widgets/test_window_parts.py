"""Small parts of the window: keyboard help, first-start name, welcome page, prompts."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel

from photoscreen.core.rules.policy import default_activities
from photoscreen.ui.control.preferences import Preferences
from photoscreen.ui.dialogs.prompts import NamePrompt, ask_manager_prompt
from photoscreen.ui.widgets.actions import COMMANDS
from photoscreen.ui.widgets.help_overlay import help_html

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_help_lists_every_command_and_activity_key():
    text = help_html(default_activities())
    for command in COMMANDS:
        assert (escape(command.help) in text) == bool(command.keys)
    assert "Stay and play" in text and "Parent groups and courses" in text


def test_f1_shows_and_esc_hides_the_help(qtbot, make_window):
    window = make_window(detector=False)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.help_overlay.isVisible()
    assert "Undo the last change" in window.help_overlay.text
    qtbot.keyClick(window.help_overlay, Qt.Key.Key_Escape)
    assert not window.help_overlay.isVisible()


def test_first_start_asks_the_name_and_shows_it_in_the_title(qtbot, make_window):
    window = make_window(detector=False, user="")
    continued: list[bool] = []
    window.interactions.ask_name(then=lambda: continued.append(True))
    prompt = window.interactions.dialog
    assert isinstance(prompt, NamePrompt)
    prompt.buttons.accepted.emit()  # empty: refused, the prompt stays
    assert prompt.isVisible() and not continued
    prompt.field.setText("  Priya Shah ")
    prompt.buttons.accepted.emit()
    assert continued == [True]
    assert window.controller.preferences.user_name == "Priya Shah"
    assert "Priya Shah" in window.windowTitle()


def test_recent_folders_are_remembered_newest_first(tmp_path: Path):
    preferences = Preferences.at(tmp_path / "s.ini")
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    preferences.remember_folder(first)
    preferences.remember_folder(second)
    preferences.remember_folder(first)
    assert preferences.recent_folders() == [first.resolve(), second.resolve()]
    second.rmdir()  # a folder that is gone is not offered
    assert Preferences.at(tmp_path / "s.ini").recent_folders() == [first.resolve()]


def test_welcome_page_offers_recent_folders(qtbot, make_window, tmp_path):
    folder = tmp_path / "last week"
    folder.mkdir()
    window = make_window(detector=False)
    window.controller.preferences.remember_folder(folder)
    window.welcome.set_recent(window.controller.preferences.recent_folders())
    assert window.welcome.recent_list.count() == 1
    with qtbot.waitSignal(window.welcome.recent_chosen) as chosen:
        window.welcome.recent_list.itemActivated.emit(window.welcome.recent_list.item(0))
    assert chosen.args == [folder.resolve()]


def test_the_welcome_text_is_shown_whole_on_first_start(qtbot, make_window):
    window = make_window(detector=False)
    window.resize(1366, 700)
    window.show()
    qtbot.waitExposed(window)
    intro = window.welcome.intro
    assert intro.height() >= intro.heightForWidth(intro.width())
    assert "drag a folder onto this window" in intro.text()


def test_a_note_for_the_manager_is_required(qtbot):
    prompt = ask_manager_prompt(None)
    qtbot.addWidget(prompt)
    answers: list[str] = []
    prompt.answered.connect(answers.append)
    prompt.open()
    prompt.buttons.accepted.emit()
    assert answers == [] and prompt.isVisible()
    prompt.field.setPlainText("Swimwear at the back?")
    prompt.buttons.accepted.emit()
    assert answers == ["Swimwear at the back?"]


def _type(widget, key: Qt.Key, text: str, shift: bool) -> None:
    """Send a key press and release as the keyboard layout reports them."""
    modifiers = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers, text))


@pytest.mark.parametrize(
    ("key", "shift"),
    [
        (Qt.Key.Key_Question, True),  # Shift+/ on a US keyboard, Shift+ß on a German one
        (Qt.Key.Key_Slash, True),  # a layout that reports the unshifted key
        (Qt.Key.Key_Question, False),
    ],
)
def test_question_mark_opens_the_help_whatever_the_keyboard(qtbot, make_window, key, shift):
    window = make_window(detector=False)
    window.show()
    qtbot.waitExposed(window)
    _type(window.grid, key, "?", shift)
    assert window.help_overlay.isVisible()
    _type(window.help_overlay, key, "?", shift)
    assert not window.help_overlay.isVisible()


def test_a_question_mark_typed_in_a_text_field_stays_there(qtbot, make_window):
    window = make_window(detector=False)
    window.show()
    qtbot.waitExposed(window)
    field = window.review_panel.reviewer
    _type(field, Qt.Key.Key_Question, "?", True)
    assert not window.help_overlay.isVisible() and field.text() == "?"


def test_shift_question_mark_pressed_in_the_window_opens_the_help_once(qtbot, make_window):
    window = make_window(detector=False)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.grid, "?", Qt.KeyboardModifier.ShiftModifier)
    assert window.help_overlay.isVisible()


def test_the_help_is_as_tall_as_its_text_on_a_small_screen(qtbot, make_window):
    window = make_window(detector=False)
    window.resize(1366, 700)
    window.show()
    qtbot.waitExposed(window)
    window.help_overlay.set_activities(default_activities())
    window.help_overlay.toggle()
    label = window.help_overlay.findChild(QLabel)
    text_height = label.heightForWidth(label.width())
    # All of the text shows, without a wide empty band under it.
    assert label.height() >= text_height
    assert window.help_overlay.height() <= text_height + 40
    assert window.help_overlay.geometry().bottom() <= window.height()


def test_recent_folders_are_in_the_file_menu_with_a_folder_open(qtbot, make_window, tmp_path):
    first, second = tmp_path / "monday", tmp_path / "tuesday"
    for folder in (first, second):
        folder.mkdir()
    window = make_window(detector=False)
    window.recent_menu.aboutToShow.emit()
    assert [a.text() for a in window.recent_menu.actions()] == ["No recent folders yet"]
    window.controller.preferences.remember_folder(first)
    window.controller.preferences.remember_folder(second)
    window.recent_menu.aboutToShow.emit()
    entries = window.recent_menu.actions()
    assert [a.text().split()[0] for a in entries] == ["tuesday", "monday"]
    entries[1].trigger()
    qtbot.waitUntil(lambda: window.controller.session is not None, timeout=10000)
    assert window.controller.session.folder == first.resolve()


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_ctrl_enter_sends_the_note_and_return_starts_a_new_line(qtbot, key):
    prompt = ask_manager_prompt(None)
    qtbot.addWidget(prompt)
    answers: list[str] = []
    prompt.answered.connect(answers.append)
    prompt.open()
    qtbot.waitExposed(prompt)
    prompt.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is prompt)
    qtbot.keyClicks(prompt.field, "Swimwear")
    qtbot.keyClick(prompt.field, Qt.Key.Key_Return)  # a new line, not sent
    qtbot.keyClicks(prompt.field, "at the back?")
    assert answers == [] and prompt.isVisible()
    assert "(Ctrl+Enter)" in prompt.buttons.buttons()[0].text()
    qtbot.keyClick(prompt.field, key, Qt.KeyboardModifier.ControlModifier)
    assert answers == ["Swimwear\nat the back?"]
    assert not prompt.isVisible()
    # An empty note is refused the same way as with the button.
    empty = ask_manager_prompt(None)
    qtbot.addWidget(empty)
    empty.open()
    empty.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is empty)
    qtbot.keyClick(empty.field, key, Qt.KeyboardModifier.ControlModifier)
    assert empty.isVisible()


@pytest.mark.parametrize("key", [Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_space_and_return_press_the_focused_button_on_the_welcome_page(qtbot, make_window, key):
    window = make_window(detector=False)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    welcome = window.welcome
    assert welcome.focusWidget() is welcome.open_button  # the keyboard starts here
    welcome.demo_clicked.disconnect()  # (making the sample folder is not this test's)
    welcome.demo_button.setFocus()
    with qtbot.waitSignal(welcome.demo_clicked, timeout=2000):
        qtbot.keyClick(welcome.demo_button, key)
    welcome.open_button.setFocus()
    with qtbot.waitSignal(welcome.open_folder_clicked, timeout=2000):
        qtbot.keyClick(welcome.open_button, key)
    dialog = window.interactions.dialog
    assert dialog is not None  # the folder chooser opened (not Space's "faces checked")
    dialog.reject()
