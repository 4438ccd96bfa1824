"""Small parts of the window: keyboard help, first-start name, welcome page, prompts."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel

from photoscreen.core.rules.policy import default_activities
from photoscreen.ui.control.app_settings import AppSettings
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
    assert window.controller.settings.user_name == "Priya Shah"
    assert "Priya Shah" in window.windowTitle()


def test_recent_folders_are_remembered_newest_first(tmp_path: Path):
    settings = AppSettings.at(tmp_path / "s.ini")
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    settings.remember_folder(first)
    settings.remember_folder(second)
    settings.remember_folder(first)
    assert settings.recent_folders() == [first.resolve(), second.resolve()]
    second.rmdir()  # a folder that is gone is not offered
    assert AppSettings.at(tmp_path / "s.ini").recent_folders() == [first.resolve()]


def test_welcome_page_offers_recent_folders(qtbot, make_window, tmp_path):
    folder = tmp_path / "last week"
    folder.mkdir()
    window = make_window(detector=False)
    window.controller.settings.remember_folder(folder)
    window.welcome.set_recent(window.controller.settings.recent_folders())
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
    window.controller.settings.remember_folder(first)
    window.controller.settings.remember_folder(second)
    window.recent_menu.aboutToShow.emit()
    entries = window.recent_menu.actions()
    assert [a.text().split()[0] for a in entries] == ["tuesday", "monday"]
    entries[1].trigger()
    qtbot.waitUntil(lambda: window.controller.session is not None, timeout=10000)
    assert window.controller.session.folder == first.resolve()
