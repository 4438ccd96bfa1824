"""The side panel says why a photo cannot go out, in the core's words, and emits choices."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from photoscreen.core.policy import PhotoState, PhotoStatus, default_activities
from photoscreen.ui.side_panel import PanelState, SidePanel

REASONS = ("Blocked: swimming involves undress (policy)", "Faces not checked yet")


def _panel(qtbot) -> SidePanel:
    panel = SidePanel()
    qtbot.addWidget(panel)
    panel.set_activities(default_activities())
    return panel


def test_reasons_are_shown_word_for_word(qtbot):
    panel = _panel(qtbot)
    status = PhotoStatus(PhotoState.BLOCKED, REASONS)
    panel.show_photo(PanelState("IMG_1.jpg", status, activity="swimming", faces_to_hide=2))
    text = panel.reasons_label.text()
    for reason in REASONS:
        assert reason in text
    assert "Blocked" in panel.status_label.text()
    assert "2 faces will be hidden" in panel.faces_label.text()


def test_hidden_data_lists_what_export_removes(qtbot):
    panel = _panel(qtbot)
    status = PhotoStatus(PhotoState.NEEDS_ACTIVITY, ("No activity tagged yet",))
    panel.show_photo(PanelState("a.jpg", status))
    assert "Reading" in panel.hidden_label.text()
    hidden = ("GPS position 53.68 N 1.51 W", "camera serial number")
    panel.show_photo(PanelState("a.jpg", status, hidden_data=hidden))
    assert all(item in panel.hidden_label.text() for item in hidden)


def test_buttons_emit_choices_and_show_keys(qtbot):
    panel = _panel(qtbot)
    panel.show_photo(PanelState("a.jpg", PhotoStatus(PhotoState.NEEDS_ACTIVITY, ("x",))))
    chosen: list[str] = []
    panel.activity_chosen.connect(chosen.append)
    story = panel.activity_buttons["story_time"]
    assert story.text().startswith("4")
    qtbot.mouseClick(story, Qt.MouseButton.LeftButton)
    assert chosen == ["story_time"]
    assert "[C]" in panel.faces_checked_button.text()
    with qtbot.waitSignal(panel.exclude_clicked, timeout=1000):
        qtbot.mouseClick(panel.exclude_button, Qt.MouseButton.LeftButton)


def test_blocked_activities_are_offered_and_marked(qtbot):
    panel = _panel(qtbot)
    panel.show_photo(PanelState("a.jpg", PhotoStatus(PhotoState.NEEDS_ACTIVITY, ("x",))))
    combo = panel.other_activities
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "Swimming  (blocked)" in labels
    chosen: list[str] = []
    panel.activity_chosen.connect(chosen.append)
    combo.activated.emit(labels.index("Swimming  (blocked)"))
    assert chosen == ["swimming"]


def test_no_decisions_on_a_photo_not_read(qtbot):
    panel = _panel(qtbot)
    panel.show_photo(PanelState("bad.jpg", PhotoStatus(PhotoState.UNREADABLE, ("Could not",))))
    assert not panel.exclude_button.isEnabled()
    assert not panel.activity_buttons["story_time"].isEnabled()


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_every_activity_label_is_readable_also_when_chosen(qtbot):
    panel = _panel(qtbot)
    panel.resize(panel.minimumWidth(), 900)  # as narrow as the window ever makes it
    panel.show()
    qtbot.waitExposed(panel)
    status = PhotoStatus(PhotoState.CHECK_FACES, ("Faces not checked yet",))
    for key, chosen in panel.activity_buttons.items():
        panel.show_photo(PanelState("a.jpg", status, activity=key))
        assert "✓" in chosen.text() and chosen.isChecked()
        for button in panel.activity_buttons.values():
            text = button.text()
            assert "…" not in text, text
            # Bold would widen the chosen one's text past the room measured for it.
            assert "bold" not in button.styleSheet()
            room = button.width() - 12  # the style sheet's 6 px padding on each side
            assert button.fontMetrics().horizontalAdvance(text) <= room, text


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_hidden_details_list_shows_whole_on_a_small_screen(qtbot, make_window):
    window = make_window(detector=False)
    window.resize(1366, 700)  # a 1366 x 768 laptop, less the taskbar and title bar
    window.show()
    qtbot.waitExposed(window)
    window.pages.setCurrentIndex(1)
    window.side_panel.set_activities(default_activities())
    hidden = tuple(f"people's names in face regions “Child {i} Surname”" for i in range(14))
    status = PhotoStatus(PhotoState.NEEDS_ACTIVITY, ("No activity tagged yet",))
    window.side_panel.show_photo(PanelState("a.jpg", status, hidden_data=hidden))
    area = window.right.currentWidget()
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0)
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    label = window.side_panel.hidden_label
    # Every line has its room in the label, and scrolled down the label is wholly in view.
    assert label.height() >= label.heightForWidth(label.width())
    top_left = label.mapTo(area.viewport(), label.rect().topLeft())
    bottom = top_left.y() + label.height()
    assert top_left.y() >= 0 and bottom <= area.viewport().height()
