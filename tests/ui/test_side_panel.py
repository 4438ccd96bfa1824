"""The side panel says why a photo cannot go out, in the core's words, and emits choices."""

from __future__ import annotations

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
