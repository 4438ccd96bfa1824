"""The side panel says why a photo cannot go out, in the core's words, and emits choices."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from photoscreen.core.basics.geometry import Box
from photoscreen.core.metadata.findings import Finding
from photoscreen.core.rules.policy import (
    NOT_SCANNED,
    FaceRecord,
    FaceSource,
    FaceState,
    PhotoDecisions,
    PhotoState,
    PhotoStatus,
    default_activities,
)
from photoscreen.ui.control.view_state import PanelState, panel_state
from photoscreen.ui.grid.delegate import BADGE_TEXT
from photoscreen.ui.grid.filters import REVIEW_FILTER, FilterBar
from photoscreen.ui.threads.photo_jobs import hidden_data_lines
from photoscreen.ui.widgets.side_panel import STATUS_WORDS, SidePanel

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
    hidden = ("GPS location (53.68 N, 1.51 W)", "camera serial number")
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
    hidden = tuple(f"a caption (Child {i} Surname at story time, Brookside)" for i in range(14))
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


CHECK_FACES = PhotoStatus(PhotoState.CHECK_FACES, ("1 possible face to accept or dismiss",))


def test_faces_checked_is_not_said_alone_while_a_possible_face_is_undecided(qtbot):
    panel = _panel(qtbot)
    state = PanelState(
        "a.jpg", CHECK_FACES, faces_to_hide=3, possible_faces=1, faces_checked_by="Jo Bennett"
    )
    panel.show_photo(state)
    text = panel.faces_label.text()
    assert "1 possible face to accept or dismiss" in text
    assert (
        "Checked by Jo Bennett, but the possible face still needs accepting or dismissing." in text
    )
    panel.show_photo(replace(state, possible_faces=2))
    assert "but the 2 possible faces still need accepting or dismissing" in (
        panel.faces_label.text()
    )
    panel.show_photo(replace(state, possible_faces=0))
    assert panel.faces_label.text().endswith("<br>Checked by Jo Bennett.")


def test_no_face_count_before_faces_are_looked_for(qtbot):
    panel = _panel(qtbot)
    panel.show_photo(panel_state("a.jpg", NOT_SCANNED, None, None))
    text = panel.faces_label.text()
    assert "0 faces" not in text and "No faces found" not in text
    assert "looked for when the photo is read" in text
    read = PhotoDecisions("h", faces=())
    panel.show_photo(panel_state("a.jpg", CHECK_FACES, read, ()))
    assert "No faces found: nothing will be hidden." in panel.faces_label.text()
    face = FaceRecord(1, Box(0, 0, 10, 10), FaceSource.DETECTOR, FaceState.FACE)
    panel.show_photo(panel_state("a.jpg", CHECK_FACES, replace(read, faces=(face,)), ()))
    assert "1 face will be hidden" in panel.faces_label.text()


def test_one_phrase_for_each_status_in_badge_filter_counts_and_panel():
    """Waiting for the manager is "For manager" on the badge (no room) and the same words
    everywhere else; a photo not read yet is "not read yet" everywhere."""
    review = PhotoState.AWAITING_REVIEW
    assert BADGE_TEXT[review] == "For manager"
    assert REVIEW_FILTER.label == STATUS_WORDS[review] == "Waiting for the manager"
    assert review.label == "waiting for the manager"
    assert review.counted(3) == "3 waiting for the manager"
    unread = PhotoState.NOT_SCANNED
    assert BADGE_TEXT[unread] == STATUS_WORDS[unread] == "Not read yet"
    assert unread.label == "not read yet" and NOT_SCANNED.reasons == ("Not read yet",)
    assert PhotoState.NEEDS_ACTIVITY.counted(1) == "1 needs an activity"
    assert PhotoState.NEEDS_ACTIVITY.counted(8) == "8 need an activity"
    # A wrong activity can be changed and an unclothed mark cleared: not "never".
    assert "never" not in STATUS_WORDS[PhotoState.BLOCKED]


def test_the_counts_line_is_cleared_when_no_folder_is_open(qtbot):
    bar = FilterBar(export_key="Ctrl+E")
    qtbot.addWidget(bar)
    bar.show_counts([CHECK_FACES])
    assert bar.counts_label.text() == "1 photo: 1 needs faces checked"
    bar.clear_counts()
    assert bar.counts_label.text() == ""


def test_hidden_data_lines_say_each_thing_once_most_identifying_first():
    findings = [
        Finding("camera", "camera model", ("Canon EOS 250D",)),
        Finding("owner", "photographer's name", ("Jo Bennett",)),
        Finding("xmp", "other hidden data", ("XMP",)),
        Finding("names", "names in photo tags", ("Jane Smith",)),
        Finding("owner", "photographer's name", ("Jo Bennett",)),
        Finding("iptc", "other hidden data", ("IPTC",)),
        Finding("damaged", "damaged or truncated file structure"),
    ]
    assert hidden_data_lines(findings) == (
        "1 name in photo tags (Jane Smith)",
        "photographer's name (Jo Bennett)",
        "camera model (Canon EOS 250D)",
        "other hidden data (XMP, IPTC)",
        "a damaged part of the file that could not be checked",
    )


@given(
    st.lists(
        st.tuples(st.sampled_from(list(FaceState)), st.booleans()),
        max_size=12,
    )
)
def test_the_grid_counts_faces_as_the_panel_does(faces):
    """Whatever the boxes, the grid's count is the panel's: faces (hidden or shown with
    consent) and, apart from them, the possible faces still to decide."""
    from photoscreen.ui.control.view_state import face_count

    records = tuple(
        FaceRecord(i, Box(i, 0, 10, 10), FaceSource.DETECTOR, state, "Ann" if consent else None)
        for i, (state, consent) in enumerate(faces)
    )
    decisions = PhotoDecisions("h", faces=records)
    panel = panel_state("a.jpg", PhotoStatus(PhotoState.CHECK_FACES), decisions, None)
    count = face_count(decisions)
    assert count is not None
    assert count.faces == panel.faces_to_hide + panel.faces_with_consent
    assert count.possible == panel.possible_faces
    assert count.text.startswith(f"{count.faces} face") or not count.faces
