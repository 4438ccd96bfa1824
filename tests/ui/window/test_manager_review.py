"""The manager's review in the real window: who may approve is said before the PIN is
asked, a wrong PIN is said once, each verdict is confirmed and the next waiting photo
shown (no live buttons over an empty queue), staff see who approved it and when, and a
saved PIN is news, not a problem."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from photoscreen.core.rules.policy import PhotoDecisions, PhotoState, Verdict
from photoscreen.core.settings import pin_attempts
from photoscreen.ui.control.messages import Level
from photoscreen.ui.control.review_controller import next_waiting
from photoscreen.ui.control.view_state import verdict_line
from photoscreen.ui.dialogs.settings import SettingsDialog
from tests.ui.conftest import save_jpeg, scanned_window, scene

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

PIN = "432107"
MANAGER = "Morgan Manager"


@pytest.fixture
def window(qtbot, make_window, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(4):
        save_jpeg(folder / f"IMG_{i}.jpg", scene(i))
    return scanned_window(qtbot, make_window, folder)


def _entry(window, name):
    return next(e for e in window.controller.entries() if e.name == name)


def _flag(window, *names):
    """Each of ``names`` made ready and asked about by Sam Staff; then review mode."""
    c = window.controller
    for name in names:
        c.select(name)
        c.verbs.set_activity("story_time")
        c.session.set_faces_checked(_entry(window, name).photo_hash, True)
        c.verbs.flag_for_review(f"Is {name} all right?")
    c.set_review_mode(True)
    return window.review_panel


def _approve(qtbot, panel, pin=None):
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    if pin is not None:
        panel.pin_prompt.field.setText(pin)
        panel.pin_prompt.buttons.accepted.emit()


def _pin_failures(window):
    with window.controller.session.store.reading() as conn:
        return pin_attempts.read(conn).failures


@pytest.mark.parametrize("asker", ["Sam Staff", "sam staff", "SAM  STAFF.", "Ѕam Ѕtaff"])
def test_an_asker_is_told_before_any_pin_is_asked(qtbot, window, asker):
    """The asker (or a name that reads the same, look-alike letters included) is refused
    at once: no PIN prompt opens, no PIN try is spent, the photo still waits."""
    window.controller.session.settings.pin.change(PIN)
    panel = _flag(window, "IMG_1.jpg")
    panel.reviewer.setText(asker)
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    assert panel.pin_prompt is None
    assert "someone else must approve" in panel.problem.text()
    assert _pin_failures(window) == 0
    assert _entry(window, "IMG_1.jpg").state is PhotoState.AWAITING_REVIEW


def test_a_wrong_pin_is_said_once_under_the_buttons(qtbot, window):
    c = window.controller
    c.session.settings.pin.change(PIN)
    panel = _flag(window, "IMG_1.jpg")
    said_before = len(c.messages.history)
    panel.reviewer.setText(MANAGER)
    _approve(qtbot, panel, "999111")
    qtbot.waitUntil(lambda: "PIN" in panel.problem.text())
    qtbot.waitUntil(lambda: not window.review.busy)
    # Not again in the message bar: one refusal, one place.
    said = [m for _, m in c.messages.history[said_before:] if m.level is not Level.INFO]
    assert said == []
    assert not window.message_bar.isVisible() or "PIN" not in window.message_bar.text
    assert _entry(window, "IMG_1.jpg").state is PhotoState.AWAITING_REVIEW


def test_each_verdict_is_confirmed_and_the_next_waiting_photo_shown(qtbot, window):
    c = window.controller
    panel = _flag(window, "IMG_0.jpg", "IMG_2.jpg", "IMG_3.jpg")
    c.select("IMG_2.jpg")
    panel.reviewer.setText(MANAGER)
    _approve(qtbot, panel)
    qtbot.waitUntil(lambda: _entry(window, "IMG_2.jpg").state is PhotoState.READY)
    qtbot.waitUntil(lambda: c.current == "IMG_3.jpg")  # the next one still waiting
    assert "Approved IMG_2.jpg" in panel.confirmation.text()
    assert "2 photos still waiting" in panel.confirmation.text()
    assert panel.queue.count() == 2 and panel.approve_button.isEnabled()
    assert "IMG_3.jpg" in panel.photo_label.text()
    panel.note.setPlainText("Swimwear in the background.")
    qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _entry(window, "IMG_3.jpg").state is PhotoState.REJECTED)
    qtbot.waitUntil(lambda: c.current == "IMG_0.jpg")  # none after it: the first waiting
    assert "Rejected IMG_3.jpg" in panel.confirmation.text()
    assert panel.note.toPlainText() == ""
    _approve(qtbot, panel)
    qtbot.waitUntil(lambda: _entry(window, "IMG_0.jpg").state is PhotoState.READY)
    qtbot.waitUntil(lambda: c.current is None)
    # The queue is empty: nothing to approve, and the window says so.
    assert "That was the last photo waiting" in panel.confirmation.text()
    assert panel.queue.count() == 0 and "No photos are waiting" in panel.queue_title.text()
    assert not panel.approve_button.isEnabled() and not panel.reject_button.isEnabled()
    assert not panel.photo_box.isVisibleTo(panel)  # no verdict buttons over nothing
    # Staff ask again: the photo box comes back with the photo to judge.
    c.set_review_mode(False)
    c.select("IMG_1.jpg")
    c.verbs.set_activity("story_time")
    c.verbs.flag_for_review("And this one?")
    c.set_review_mode(True)
    qtbot.waitUntil(lambda: panel.photo_box.isVisibleTo(panel))
    assert panel.queue.count() == 1


def test_staff_see_who_approved_the_photo_and_when(qtbot, window):
    c = window.controller
    panel = _flag(window, "IMG_1.jpg")
    panel.reviewer.setText(MANAGER)
    panel.note.setPlainText("Fine to post.")
    _approve(qtbot, panel)
    qtbot.waitUntil(lambda: _entry(window, "IMG_1.jpg").state is PhotoState.READY)
    c.set_review_mode(False)
    c.select("IMG_1.jpg")
    text = window.side_panel.flag_label.text()
    assert window.side_panel.flag_label.isVisibleTo(window)
    assert f"Approved by {MANAGER} on " in text and "Fine to post." in text
    assert "Sam Staff" in text  # who asked stays shown beside the answer


def test_a_saved_pin_is_said_as_news_not_as_a_problem(qtbot, window):
    c = window.controller
    dialog = SettingsDialog(c, window)
    qtbot.addWidget(dialog)
    dialog.new_pin.setText("864209")
    dialog.repeat_pin.setText("864209")
    dialog.set_pin()
    qtbot.waitUntil(lambda: dialog.problem.text() == "Reviewer PIN saved.")
    assert "9b1111" not in dialog.problem.styleSheet()  # not in the problems' red
    dialog.new_pin.setText("864209")
    dialog.repeat_pin.setText("864200")
    dialog.set_pin()
    assert "different" in dialog.problem.text() and "9b1111" in dialog.problem.styleSheet()


@given(
    order=st.lists(st.sampled_from("abcdefgh"), unique=True, min_size=1),
    data=st.data(),
)
def test_the_next_photo_after_a_verdict_is_one_still_waiting(order, data):
    waiting = data.draw(st.lists(st.sampled_from(order), unique=True))
    waiting.sort(key=order.index)
    judged = data.draw(st.sampled_from(order))
    chosen = next_waiting(waiting, judged, order)
    if not waiting:
        assert chosen is None
        return
    assert chosen in waiting
    later = [w for w in waiting if order.index(w) > order.index(judged)]
    assert chosen == (later[0] if later else waiting[0])


@pytest.mark.parametrize(
    ("verdict", "note", "words"),
    [
        (Verdict.APPROVED, "", "Approved by Morgan on "),
        (Verdict.REJECTED, "no", "Rejected by Morgan on "),
    ],
)
def test_the_verdict_line_names_the_reviewer_and_the_day(verdict, note, words):
    decisions = PhotoDecisions(
        "h",
        verdict=verdict,
        reviewer="Morgan",
        review_note=note,
        reviewed_at="2026-12-04T10:42:00+00:00",
    )
    line = verdict_line(decisions)
    assert line.startswith(words) and "Dec 2026" in line
    assert (f"“{note}”" in line) == bool(note)
    assert verdict_line(PhotoDecisions("h")) == ""
