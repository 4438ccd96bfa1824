"""Review mode with a PIN, the export dialog (cancel, refusal) and the settings dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox

from photoscreen.core.render.redact import RedactionStyle
from photoscreen.core.rules.policy import PhotoState
from photoscreen.ui.dialogs.export import ExportDialog
from photoscreen.ui.dialogs.prompts import PinPrompt
from photoscreen.ui.dialogs.settings import SettingsDialog
from tests.helpers.session_fixtures import write_recorded
from tests.ui.conftest import open_and_wait, save_jpeg, scanned_window, scene, wait_until_scanned

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def window(qtbot, make_window, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(3):
        save_jpeg(folder / f"IMG_{i}.jpg", scene(i))
    return scanned_window(qtbot, make_window, folder)


def _entry(window, name):
    return next(e for e in window.controller.entries() if e.name == name)


def _ready(window, name, activity="story_time"):
    c = window.controller
    c.select(name)
    c.verbs.set_activity(activity)
    c.session.set_faces_checked(_entry(window, name).photo_hash, True)
    c.refresh_photo(_entry(window, name).photo_hash)


def _in_review(window, name, note):
    """``name`` made ready, flagged with ``note``, and the window in review mode."""
    _ready(window, name)
    window.controller.verbs.flag_for_review(note)
    window.controller.set_review_mode(True)
    return window.review_panel


def test_review_needs_the_pin_and_says_why_when_wrong(qtbot, window):
    c = window.controller
    c.session.settings.pin.change("432107")
    panel = _in_review(window, "IMG_1.jpg", "Check the background")
    assert panel.queue.count() == 1 and "Check the background" in panel.queue.item(0).text()
    # The manager judges the photo knowing its activity, in the centre's words.
    assert "Activity: Story time" in panel.photo_label.text()
    assert panel.pin_required
    panel.reviewer.setText("Morgan Manager")
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    prompt = panel.pin_prompt
    assert isinstance(prompt, PinPrompt)
    prompt.field.setText("1111")
    prompt.buttons.accepted.emit()
    qtbot.waitUntil(lambda: bool(panel.problem.text()))
    assert "PIN" in panel.problem.text()
    assert _entry(window, "IMG_1.jpg").state is PhotoState.AWAITING_REVIEW
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    panel.pin_prompt.field.setText("432107")
    panel.pin_prompt.buttons.accepted.emit()
    qtbot.waitUntil(lambda: _entry(window, "IMG_1.jpg").state is PhotoState.READY)


def test_rejecting_needs_a_note_and_keeps_the_photo_out(qtbot, window):
    panel = _in_review(window, "IMG_0.jpg", "Swimwear?")
    panel.reviewer.setText("Morgan Manager")
    qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    assert "note" in panel.problem.text()
    panel.note.setPlainText("Yes, swimwear: do not post.")
    qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _entry(window, "IMG_0.jpg").state is PhotoState.REJECTED)
    assert "do not post" in " ".join(_entry(window, "IMG_0.jpg").reasons)


def test_the_person_who_flagged_cannot_approve(qtbot, window):
    panel = _in_review(window, "IMG_2.jpg", "Not sure")
    # The name starts empty: a second person types theirs.
    assert panel.reviewer.text() == "" and panel.reviewer.placeholderText() == "Reviewer's name"
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    assert "name" in panel.problem.text()
    panel.reviewer.setText("Sam Staff")
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(panel.problem.text()))
    assert _entry(window, "IMG_2.jpg").state is PhotoState.AWAITING_REVIEW


def test_the_last_reviewer_name_is_remembered_for_next_time(qtbot, window):
    c = window.controller
    _ready(window, "IMG_2.jpg")
    c.verbs.flag_for_review("Not sure")
    c.set_review_mode(True)
    window.review_panel.reviewer.setText("Morgan Manager")
    qtbot.mouseClick(window.review_panel.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _entry(window, "IMG_2.jpg").state is PhotoState.READY)
    assert c.preferences.last_reviewer == "Morgan Manager"
    c.set_review_mode(False)
    window.review_panel.reviewer.clear()
    c.set_review_mode(True)
    assert window.review_panel.reviewer.text() == "Morgan Manager"


def test_export_refuses_the_photo_folder_and_then_exports(qtbot, window, tmp_path):
    _ready(window, "IMG_0.jpg")
    window.interactions.show_export()
    dialog = window.interactions.dialog
    assert isinstance(dialog, ExportDialog)
    dialog.destination.setText(str(window.controller.session.folder))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 0 and "another folder" in dialog.problem.text()
    dialog.destination.setText(str(tmp_path / "out"))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=30000)
    assert len(dialog.summary.written) == 1
    assert "2 photos" not in dialog.summary_title.text()
    assert "IMG_1.jpg: No activity tagged yet" in dialog.summary_text.toPlainText()


def test_cancelling_an_export_still_shows_what_was_done(qtbot, window, tmp_path):
    for name in ("IMG_0.jpg", "IMG_1.jpg", "IMG_2.jpg"):
        _ready(window, name)
    window.interactions.show_export()
    dialog = window.interactions.dialog
    dialog.destination.setText(str(tmp_path / "out"))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 1  # the progress page, with Cancel
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=30000)
    assert dialog.summary.cancelled
    assert len(dialog.summary.written) < 3
    assert "stopped before the end" in dialog.summary_title.text()
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(w.name for w in dialog.summary.written)  # nothing half-written


def test_settings_change_activities_export_and_pin(qtbot, window):
    c = window.controller
    dialog = SettingsDialog(c, window)
    qtbot.addWidget(dialog)
    dialog.activity_name.setText("Forest school")
    dialog.add_activity()
    assert any(a.label == "Forest school" for a in c.session.activities())
    row = next(
        i
        for i in range(dialog.activity_list.count())
        if "Forest school" in dialog.activity_list.item(i).text()
    )
    dialog.activity_list.setCurrentRow(row)
    dialog.activity_name.setText("Forest school (woods)")
    dialog.rename_activity()
    dialog.activity_list.setCurrentRow(row)
    dialog.blocked_box.setChecked(True)
    dialog.set_blocked()
    changed = next(a for a in c.session.activities() if a.label == "Forest school (woods)")
    assert changed.blocked
    combo = window.side_panel.other_activities
    assert combo.findText("Forest school (woods)  (blocked)") >= 0
    dialog.long_side.setValue(1024)
    dialog.quality.setValue(80)
    dialog.style_choice.setCurrentIndex(dialog.style_choice.findData("mosaic"))
    dialog.apply_export()
    options = c.session.export_options()
    assert (options.long_side, options.quality, options.style) == (1024, 80, RedactionStyle.MOSAIC)
    dialog.new_pin.setText("246813")
    dialog.repeat_pin.setText("246814")
    dialog.set_pin()
    assert not c.session.settings.pin.is_set and "different" in dialog.problem.text()
    dialog.new_pin.setText("2468")
    dialog.repeat_pin.setText("2468")
    dialog.set_pin()
    qtbot.waitUntil(lambda: not dialog.pin_busy)
    assert not c.session.settings.pin.is_set and "at least 6" in dialog.problem.text()
    dialog.repeat_pin.setText("246813")
    dialog.new_pin.setText("246813")
    dialog.set_pin()
    qtbot.waitUntil(lambda: not dialog.pin_busy)
    assert c.session.settings.pin.is_set
    dialog.remove_pin()  # no current PIN typed: refused, with the core's reason
    qtbot.waitUntil(lambda: not dialog.pin_busy)
    assert c.session.settings.pin.is_set and "current" in dialog.problem.text()


def test_a_pin_set_in_one_folder_protects_a_new_folder_opened_next(qtbot, window, tmp_path):
    c = window.controller
    dialog = SettingsDialog(c, window)
    qtbot.addWidget(dialog)
    assert "kept on this PC" in dialog.scope.text()
    dialog.new_pin.setText("864209")
    dialog.repeat_pin.setText("864209")
    dialog.set_pin()
    qtbot.waitUntil(lambda: not dialog.pin_busy)
    dialog.close()
    second = tmp_path / "next session"
    second.mkdir()
    save_jpeg(second / "IMG_9.jpg", scene(9))
    open_and_wait(qtbot, window, second)
    wait_until_scanned(qtbot, window)
    assert c.session.folder == second.resolve() and c.session.settings.pin.is_set
    panel = _in_review(window, "IMG_9.jpg", "Is the child in the back all right to post?")
    assert panel.pin_required
    panel.reviewer.setText("Morgan Manager")
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    panel.pin_prompt.field.setText("0000")
    panel.pin_prompt.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "PIN" in panel.problem.text())
    assert _entry(window, "IMG_9.jpg").state is PhotoState.AWAITING_REVIEW
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    panel.pin_prompt.field.setText("864209")
    panel.pin_prompt.buttons.accepted.emit()
    qtbot.waitUntil(lambda: _entry(window, "IMG_9.jpg").state is PhotoState.READY)


def test_a_damaged_centre_file_is_reported_when_a_folder_opens(qtbot, make_window, tmp_path):
    made = make_window(detector=False)
    made.show()
    made.controller.preferences.centre_file.write_text("{ not json")
    folder = tmp_path / "photos"
    folder.mkdir()
    save_jpeg(folder / "IMG_0.jpg", scene(0))
    open_and_wait(qtbot, made, folder)
    assert made.message_bar.isVisible()
    assert "centre" in made.message_bar.text.lower()


def _select_activity(dialog, label):
    row = next(
        i
        for i in range(dialog.activity_list.count())
        if dialog.activity_list.item(i)
        .text()
        .strip()
        .lstrip("0123456789")
        .strip()
        .startswith(label)
    )
    dialog.activity_list.setCurrentRow(row)


def test_a_block_the_policy_sets_cannot_be_unticked(qtbot, window):
    dialog = SettingsDialog(window.controller, window)
    qtbot.addWidget(dialog)
    _select_activity(dialog, "Swimming")
    assert dialog.blocked_box.isChecked() and not dialog.blocked_box.isEnabled()
    assert (
        dialog.policy_note.isVisibleTo(dialog) and "involves undress" in dialog.policy_note.text()
    )
    assert "(blocked by the policy)" in dialog.activity_list.currentItem().text()
    _select_activity(dialog, "Cooking")
    assert dialog.blocked_box.isEnabled() and not dialog.policy_note.isVisibleTo(dialog)
    assert dialog.activity_name.text() == "Cooking"  # ready to rename
    dialog.activity_name.setText("Cooking and baking")
    dialog.rename_activity()
    assert "Cooking and baking" in [a.label for a in window.controller.session.activities()]


def test_lifting_a_block_in_settings_needs_the_reviewer_pin(qtbot, window):
    c = window.controller
    _ready(window, "IMG_0.jpg", "cooking")
    c.session.settings.activity_list.set_blocked("cooking", True, "kitchen knives")
    c.session.settings.pin.change("135702")
    qtbot.waitUntil(lambda: _entry(window, "IMG_0.jpg").state is PhotoState.BLOCKED)
    dialog = SettingsDialog(c, window)
    qtbot.addWidget(dialog)
    _select_activity(dialog, "Cooking")
    assert dialog.blocked_box.isChecked()
    qtbot.mouseClick(dialog.blocked_box, Qt.MouseButton.LeftButton)  # staff try to unblock
    prompt = dialog.pin_prompt
    assert isinstance(prompt, PinPrompt) and "Only the manager" in prompt._question.text()
    assert dialog.blocked_box.isChecked()  # still blocked while the PIN is asked for
    prompt.field.setText("9999")
    prompt.buttons.accepted.emit()
    assert dialog.pin_busy and not dialog.blocked_box.isEnabled()  # checked off the GUI thread
    qtbot.waitUntil(lambda: not dialog.pin_busy)
    assert "not the reviewer PIN" in dialog.problem.text()
    assert _entry(window, "IMG_0.jpg").state is PhotoState.BLOCKED
    qtbot.mouseClick(dialog.blocked_box, Qt.MouseButton.LeftButton)
    dialog.pin_prompt.field.setText("135702")
    dialog.pin_prompt.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not dialog.pin_busy)
    assert "no longer blocked" in dialog.problem.text()
    assert not dialog.blocked_box.isChecked()
    qtbot.waitUntil(lambda: _entry(window, "IMG_0.jpg").state is PhotoState.READY)


def test_clearing_someone_elses_unclothed_mark_asks_for_the_pin(qtbot, window):
    c = window.controller
    _ready(window, "IMG_0.jpg")
    digest = _entry(window, "IMG_0.jpg").photo_hash
    c.session.change_user("Alice")  # Alice marked it, earlier, at this PC
    c.session.set_unclothed(digest, True)
    c.session.change_user("Sam Staff")
    c.session.settings.pin.change("135702")
    c.refresh_photo(digest)
    c.select("IMG_0.jpg")
    assert _entry(window, "IMG_0.jpg").state is PhotoState.BLOCKED
    qtbot.mouseClick(window.side_panel.unclothed_button, Qt.MouseButton.LeftButton)
    prompt = window.interactions.dialog
    assert isinstance(prompt, PinPrompt) and "Alice marked this photo" in prompt._question.text()
    prompt.field.setText("2222")
    prompt.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "not right" in window.message_bar.text)
    assert _entry(window, "IMG_0.jpg").state is PhotoState.BLOCKED
    window.interactions.handlers()["unclothed"]()  # the U key
    window.interactions.dialog.field.setText("135702")
    window.interactions.dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: _entry(window, "IMG_0.jpg").state is PhotoState.READY)
    window.interactions.handlers()["unclothed"]()  # his own mark: no PIN asked
    assert window.interactions.dialog is None
    assert _entry(window, "IMG_0.jpg").state is PhotoState.BLOCKED


def test_a_new_name_given_with_a_folder_open_is_the_name_decisions_are_recorded_under(
    qtbot, window
):
    c = window.controller
    window.interactions.ask_name()
    prompt = window.interactions.dialog
    prompt.field.setText("Sam Okafor")
    prompt.buttons.accepted.emit()
    assert "Sam Okafor" in window.windowTitle()
    _ready(window, "IMG_0.jpg")
    digest = _entry(window, "IMG_0.jpg").photo_hash
    assert c.session.photo(digest).faces_checked_by == "Sam Okafor"
    changed = [e for e in c.session.audit_trail() if e.action == "user_changed"]
    assert [(e.details["from"], e.details["to"]) for e in changed] == [("Sam Staff", "Sam Okafor")]
    c.session.settings.activity_list.set_blocked("cooking", True)
    assert c.session.audit_trail()[-1].who == "Sam Okafor"


def test_export_settings_changed_then_closed_are_kept(qtbot, window):
    c = window.controller
    dialog = SettingsDialog(c, window)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.long_side.setValue(1200)
    dialog.style_choice.setCurrentIndex(dialog.style_choice.findData("fill"))
    qtbot.mouseClick(
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close),
        Qt.MouseButton.LeftButton,
    )
    assert not dialog.isVisible()
    options = c.session.export_options()
    assert (options.long_side, options.style) == (1200, RedactionStyle.FILL)


def test_export_says_when_nothing_is_ready_and_never_saves_a_photo_twice_in_a_folder(
    qtbot, window, tmp_path
):
    window.interactions.show_export()
    dialog = window.interactions.dialog
    assert not dialog.start_button.isEnabled()
    assert "No photos are ready to post yet" in dialog.pages.widget(0).findChild(QLabel).text()
    dialog.reject()
    _ready(window, "IMG_0.jpg")
    out = tmp_path / "upload"
    out.mkdir()
    (out / "story-time-001.jpg").write_bytes(b"exported last week, from another folder")
    for again in (False, True):
        window.interactions.show_export()
        dialog = window.interactions.dialog
        assert dialog.only_new.isVisibleTo(dialog) is again
        if again:  # only photos not exported yet: none is left, until that is unticked
            assert dialog.only_new.isChecked() and not dialog.start_button.isEnabled()
            dialog.only_new.setChecked(False)
        dialog.destination.setText(str(out))
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda d=dialog: d.summary is not None, timeout=30000)
        dialog.accept()
    # Added beside the file already there; the second export saved nothing again.
    assert sorted(p.name for p in out.iterdir()) == ["story-time-001.jpg", "story-time-002.jpg"]
    assert "already in this folder as story-time-002.jpg" in dialog.summary_text.toPlainText()


class _ExportUnderWay:
    """Stands for the worker's handle of an export that has not finished yet."""

    stopped = False

    def stop(self) -> None:
        self.stopped = True


def test_closing_mid_export_asks_first_then_stops_and_closes(qtbot, window):
    runner = window.interactions.export_runner
    runner._handle = handle = _ExportUnderWay()
    window.show()
    assert not window.close()  # asked, not closed
    question = window.interactions.dialog
    assert isinstance(question, QMessageBox) and "still being exported" in question.text()
    keep = next(b for b in question.buttons() if b.text() == "Keep exporting")
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert window.isVisible() and not handle.stopped
    assert not window.close()
    stop = next(b for b in window.interactions.dialog.buttons() if b.text().startswith("Stop"))
    qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    assert handle.stopped and window.isVisible()  # closes once the export has stopped
    runner._handle = None
    runner.finished.emit(None)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_every_photo_asked_about_is_waiting_for_the_manager_even_before_its_faces_are_checked(
    qtbot, window
):
    c = window.controller
    _in_review(window, "IMG_1.jpg", "Is the logo all right?")
    c.set_review_mode(False)
    c.select("IMG_2.jpg")
    c.verbs.set_activity("story_time")
    c.verbs.flag_for_review("Swimwear in the background?")  # faces not checked yet
    entry = _entry(window, "IMG_2.jpg")
    assert entry.state is PhotoState.AWAITING_REVIEW  # the badge, as the queue counts it
    assert "Faces not checked yet" in entry.reasons  # staff still see what is left
    c.set_review_mode(True)
    shown = {c.proxy.index(row, 0).data() for row in range(c.proxy.rowCount())}
    assert shown == {"IMG_1.jpg", "IMG_2.jpg"}
    assert window.review_panel.queue.count() == 2
    assert "2 waiting for the manager" in window.filter_bar.counts_label.text()


def test_the_manager_sees_every_question_with_its_note(qtbot, window):
    """Two people asked about one photo: the side panel, the queue and the review panel
    show both names and both notes, and the one who asked second cannot approve it."""
    c = window.controller
    _ready(window, "IMG_1.jpg")
    c.verbs.flag_for_review("Is the logo all right?")
    c.change_user("Bob")
    c.verbs.flag_for_review("Child not on the consent list")
    asked = window.side_panel.flag_label.text()
    assert "Sam Staff" in asked and "Is the logo all right?" in asked
    assert "Bob" in asked and "Child not on the consent list" in asked
    c.set_review_mode(True)
    panel = window.review_panel
    row = panel.queue.item(0).text()
    assert "(from Sam Staff, Bob)" in row and "Child not on the consent list" in row
    c.select("IMG_1.jpg")
    shown = panel.photo_label.text()
    assert "Is the logo all right?" in shown and "Child not on the consent list" in shown
    panel.reviewer.setText("BOB")
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    # Said under the verdict buttons, at once (before any PIN), and only there.
    assert "someone else must approve" in panel.problem.text()
    assert _entry(window, "IMG_1.jpg").state is PhotoState.AWAITING_REVIEW


def test_a_change_of_name_ends_the_previous_persons_undo(qtbot, window):
    c = window.controller
    _ready(window, "IMG_0.jpg")
    c.verbs.toggle_unclothed()
    assert window.commands["undo"].isEnabled()
    c.change_user("Alice")
    assert not window.commands["undo"].isEnabled()
    c.verbs.undo()
    assert _entry(window, "IMG_0.jpg").state is PhotoState.BLOCKED


def test_an_export_that_finished_while_closing_was_asked_about_closes_at_once(qtbot, window):
    runner = window.interactions.export_runner
    runner._handle = _ExportUnderWay()
    window.show()
    assert not window.close()
    question = window.interactions.dialog
    runner._handle = None  # the export finished while the question was open
    runner.finished.emit(None)
    stop = next(b for b in question.buttons() if b.text().startswith("Stop"))
    qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_the_pin_is_never_hashed_on_the_gui_thread(qtbot, window, monkeypatch):
    """Setting, changing and removing the PIN, lifting a block and clearing someone else's
    unclothed mark all run scrypt (tens of milliseconds, on purpose) on a worker."""
    import threading

    from photoscreen.core.rules import review

    c = window.controller
    _ready(window, "IMG_0.jpg", "cooking")
    digest = _entry(window, "IMG_0.jpg").photo_hash
    c.session.change_user("Alice")
    c.session.set_unclothed(digest, True)
    c.session.change_user("Sam Staff")
    c.session.settings.activity_list.set_blocked("cooking", True)
    threads = []
    derive = review._derive

    def watched(*args):
        threads.append(threading.current_thread() is threading.main_thread())
        return derive(*args)

    monkeypatch.setattr(review, "_derive", watched)
    dialog = SettingsDialog(c, window)
    qtbot.addWidget(dialog)
    for new, current in (("135702", None), ("802461", "135702")):
        dialog.current_pin.setText(current or "")
        dialog.new_pin.setText(new)
        dialog.repeat_pin.setText(new)
        dialog.set_pin()
        qtbot.waitUntil(lambda: not dialog.pin_busy)
    _select_activity(dialog, "Cooking")
    qtbot.mouseClick(dialog.blocked_box, Qt.MouseButton.LeftButton)
    dialog.pin_prompt.field.setText("802461")
    dialog.pin_prompt.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not dialog.pin_busy)
    c.refresh_photo(digest)
    c.select("IMG_0.jpg")
    window.interactions.handlers()["unclothed"]()
    window.interactions.dialog.field.setText("802461")
    window.interactions.dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: _entry(window, "IMG_0.jpg").state is PhotoState.READY)
    dialog.current_pin.setText("802461")
    dialog.remove_pin()
    qtbot.waitUntil(lambda: not dialog.pin_busy)
    assert not c.session.settings.pin.is_set
    assert threads and not any(threads)


def test_the_settings_ask_for_a_new_pin_when_the_old_one_is_short(qtbot, window):
    import hashlib
    import json
    import secrets

    c = window.controller
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(b"0000", salt=salt, n=2**14, r=8, p=1, dklen=32)
    legacy = f"scrypt$16384$8$1${salt.hex()}${digest.hex()}"  # as set before 6 digits
    write_recorded(
        c.session.store,
        "INSERT INTO settings (key, value) VALUES ('review.pin_hash', ?)",
        (json.dumps(legacy),),
    )
    dialog = SettingsDialog(c, window)
    qtbot.addWidget(dialog)
    assert dialog.tabs.currentIndex() == dialog.pin_tab_index
    assert "choose a new" in dialog.pin_state.text()
    dialog.current_pin.setText("0000")
    dialog.new_pin.setText("802461")
    dialog.repeat_pin.setText("802461")
    dialog.set_pin()
    qtbot.waitUntil(lambda: not dialog.pin_busy)
    assert "choose a new" not in dialog.pin_state.text() and c.session.settings.pin.is_set


def test_each_export_setting_says_what_it_does(qtbot, window):
    dialog = SettingsDialog(window.controller, window)
    qtbot.addWidget(dialog)
    assert dialog.long_side.toolTip() == "Long side of exported photos, in pixels."
    assert "50-95" in dialog.quality.toolTip()
    assert "blur" in dialog.style_choice.toolTip()
