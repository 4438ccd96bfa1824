"""The consent register in the window: the picker (keyboard only), its confirmation, Shift+C
on a face, and the register window (the manager's changes under the PIN, takedown list)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from photoscreen.core.basics.geometry import Box
from photoscreen.core.consent import ConsentRegister, Kind, NewPerson
from photoscreen.core.rules import PhotoState
from photoscreen.core.settings.declared import REGISTER_KEY
from photoscreen.ui.dialogs.consent_picker import PersonPicker
from photoscreen.ui.dialogs.prompts import PinPrompt
from photoscreen.ui.dialogs.register_dialogs import AddPersonDialog, TakedownDialog
from photoscreen.ui.dialogs.register_window import RegisterWindow
from tests.helpers.consent_fixtures import PIN, WRONG, consenting, today_clock
from tests.ui.conftest import save_jpeg, scanned_window, scene

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def register(tmp_path: Path) -> ConsentRegister:
    clock = today_clock()
    register = ConsentRegister(tmp_path / "register.sqlite3", "Manager", clock=clock)
    register.add(consenting("Sam Jones", clock))
    register.add(consenting("Samir Khan", clock))
    register.add(NewPerson("Kim Lee", Kind.CHILD, False, never_publish=True,
                           never_publish_reason="court order"))  # fmt: skip
    register.add(NewPerson("Leo Ray", Kind.CHILD, False))
    return register


def _picker(qtbot, register: ConsentRegister) -> tuple[PersonPicker, list[tuple[str, bool]]]:
    picker = PersonPicker(register.people(), register.today())
    qtbot.addWidget(picker)
    picker.show()
    chosen: list[tuple[str, bool]] = []
    picker.chosen.connect(lambda pid, show: chosen.append((pid, show)))
    return picker, chosen


def _rows(picker: PersonPicker) -> list[str]:
    return [picker.list.item(i).text().split("  ·  ")[0] for i in range(picker.list.count())]


def test_picker_lists_people_who_may_be_shown_first_and_filters_as_typed(qtbot, register):
    picker, _ = _picker(qtbot, register)
    assert _rows(picker) == ["Sam Jones", "Samir Khan", "Kim Lee", "Leo Ray"]
    assert "NEVER PUBLISH" in picker.list.item(2).text()
    assert "no consent to post their photo: link only, stays blurred" in picker.list.item(3).text()
    qtbot.keyClicks(picker.filter, "SAM")
    assert _rows(picker) == ["Sam Jones", "Samir Khan"]
    qtbot.keyClicks(picker.filter, " j")
    assert _rows(picker) == ["Sam Jones"]
    picker.filter.clear()
    qtbot.keyClicks(picker.filter, "zz")
    assert _rows(picker) == [] and "Nobody in the consent register" in picker.empty.text()


def test_choosing_asks_for_confirmation_naming_the_person(qtbot, register):
    picker, chosen = _picker(qtbot, register)
    qtbot.keyClick(picker.filter, Qt.Key.Key_Down)  # keyboard only: Down, then Enter
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    assert picker.pages.currentIndex() == 1
    assert picker.question.text().startswith("Show the face of Samir Khan?")
    assert picker.confirm_button.text() == "Show Samir Khan's face" and chosen == []
    qtbot.keyClick(picker, Qt.Key.Key_Escape)  # back to the list, nothing chosen
    assert picker.pages.currentIndex() == 0 and picker.isVisible() and chosen == []
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    qtbot.keyClick(picker.confirm_button, Qt.Key.Key_Return)
    assert chosen == [(register.find("Samir Khan").id, True)]


def test_a_never_publish_person_is_offered_with_the_consequence(qtbot, register):
    picker, chosen = _picker(qtbot, register)
    qtbot.keyClicks(picker.filter, "kim")
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    assert "never publish (court order)" in picker.question.text()
    assert "keeps the whole photo from being exported" in picker.question.text()
    assert picker.link_button.isHidden()
    picker.confirm_button.click()
    assert chosen == [(register.find("Kim Lee").id, False)]


@pytest.fixture
def window(qtbot, make_window, tmp_path, register):
    folder = tmp_path / "photos"
    folder.mkdir()
    save_jpeg(folder / "IMG_0001.jpg", scene(1))
    window = scanned_window(qtbot, make_window, folder)
    window.controller.session.settings.set(REGISTER_KEY, str(register.path))
    window.controller.verbs.add_face(Box(40, 40, 80, 80))
    return window


def _face(window):
    entry = window.controller.current_entry()
    return window.controller.session.faces(entry.photo_hash)[0]


def test_shift_c_picks_the_person_and_shows_the_face_then_blurs_it_again(qtbot, window, register):
    face = _face(window)
    window.photo_view.consent_toggled.emit(str(face.id))  # Shift+C on the selected face
    picker = window.consent_flow.dialog
    assert isinstance(picker, PersonPicker)
    qtbot.keyClicks(picker.filter, "sam jones")
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    qtbot.keyClick(picker.confirm_button, Qt.Key.Key_Return)
    shown = _face(window)
    assert shown.shown and shown.person_id == register.find("Sam Jones").id
    window.photo_view.consent_toggled.emit(str(face.id))
    again = _face(window)
    assert again.redacted and again.person_id == shown.person_id  # blurred, still linked


def test_linking_while_blurred(qtbot, window, register):
    face = _face(window)
    window.photo_view.consent_toggled.emit(str(face.id))
    picker = window.consent_flow.dialog
    qtbot.keyClicks(picker.filter, "sam jones")
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    picker.link_button.click()
    linked = _face(window)
    assert linked.redacted and linked.person_id == register.find("Sam Jones").id


def test_register_window_changes_need_the_pin(qtbot, window, register, tmp_path):
    window.controller.session.settings.pin.change(PIN)
    window.consent_flow.open_register()
    dialog = window.consent_flow.dialog
    assert isinstance(dialog, RegisterWindow) and dialog.table.rowCount() == 4
    dialog.add_person()
    form = dialog.dialog
    assert isinstance(form, AddPersonDialog)
    qtbot.keyClicks(form.name, "Ada Hill")
    form.given_by.setText("Dad")
    form._submit()
    prompt = dialog.dialog
    assert isinstance(prompt, PinPrompt)
    qtbot.keyClicks(prompt.field, WRONG)
    prompt.buttons.accepted.emit()
    assert dialog.busy  # the PIN is checked off the GUI thread; the buttons wait
    qtbot.waitUntil(lambda: not dialog.busy)
    assert "not right" in form.error.text() and dialog.table.rowCount() == 4
    form._submit()
    qtbot.keyClicks(dialog.dialog.field, PIN)
    dialog.dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.table.rowCount() == 5 and "Added Ada Hill" in dialog.status.text()
    dialog.filter.setText("ada")
    dialog.table.setCurrentCell(0, 0)
    dialog.show_takedown()
    assert isinstance(dialog.dialog, TakedownDialog)
    assert dialog.dialog.table.rowCount() == 0


def test_a_bad_csv_is_refused_in_the_window(qtbot, window, register, tmp_path):
    window.consent_flow.open_register()
    dialog = window.consent_flow.dialog
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Ada,child,perhaps,\n")
    dialog.import_file(sheet)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert "Line 1:" in dialog.status.text() and dialog.table.rowCount() == 4
    sheet.write_text("Ada,child,yes,2026-01-05\nBo,adult,no,\n")
    dialog.import_file(sheet)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.table.rowCount() == 6


def test_side_panel_says_who_is_shown_and_who_is_linked(qtbot, window, register):
    face = _face(window)
    label = window.side_panel.people_label
    assert label.isHidden()
    window.photo_view.consent_toggled.emit(str(face.id))
    picker = window.consent_flow.dialog
    qtbot.keyClicks(picker.filter, "sam jones")
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    qtbot.keyClick(picker.confirm_button, Qt.Key.Key_Return)
    assert "Shown: Sam Jones" in label.text() and not label.isHidden()
    register.withdraw(register.find("Sam Jones").id)
    window.consent_flow.show_people()
    assert "Shown: Sam Jones (consent was withdrawn on" in label.text()
    window.photo_view.consent_toggled.emit(str(face.id))  # blur it again
    window.photo_view.consent_toggled.emit(str(face.id))
    picker = window.consent_flow.dialog
    qtbot.keyClicks(picker.filter, "kim")
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    qtbot.keyClick(picker.confirm_button, Qt.Key.Key_Return)
    assert "Linked: Kim Lee, never publish: this photo will not be exported." in label.text()


def test_the_managers_review_names_the_shown_faces(qtbot, window, register):
    face = _face(window)
    person = register.find("Sam Jones")
    entry = window.controller.current_entry()
    window.controller.session.show_face(entry.photo_hash, face.id, person, register.today())
    window.controller.refresh_photo(entry.photo_hash)
    window.controller.verbs.flag_for_review("Sam's face is shown: all right?")
    window.controller.set_review_mode(True)
    text = window.review_panel.photo_label.text()
    assert "1 shown (consent on the register)" in text and "Shown: Sam Jones" in text


def _show_sam(qtbot, window, register) -> None:
    face = _face(window)
    window.photo_view.consent_toggled.emit(str(face.id))
    picker = window.consent_flow.dialog
    qtbot.keyClicks(picker.filter, "sam jones")
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    qtbot.keyClick(picker.confirm_button, Qt.Key.Key_Return)


def test_a_withdrawal_in_the_register_window_holds_the_photo_in_the_grid(
    qtbot, window, register
):
    _show_sam(qtbot, window, register)
    held = window.controller.current_entry().status
    assert "consent" not in " ".join(held.reasons)  # Sam's consent is current
    window.consent_flow.open_register()
    dialog = window.consent_flow.dialog
    dialog.filter.setText("sam jones")
    dialog.table.setCurrentCell(0, 0)
    dialog.withdraw()
    qtbot.waitUntil(lambda: not dialog.busy)
    status = window.controller.current_entry().status
    assert status.state is PhotoState.BLOCKED
    assert any("consent was withdrawn" in reason for reason in status.reasons)
    assert window.controller.model.statuses()[0].state is PhotoState.BLOCKED  # the badge


def test_the_register_window_removes_a_person_and_marks_rows_changed_outside(
    qtbot, window, register
):
    window.consent_flow.open_register()
    dialog = window.consent_flow.dialog
    dialog.filter.setText("leo")
    dialog.table.setCurrentCell(0, 0)
    dialog.remove()
    prompt = dialog.dialog
    qtbot.keyClicks(prompt.field, "the family moved away")
    prompt.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert "was removed" in dialog.status.text()
    dialog.filter.setText("")
    assert dialog.table.rowCount() == 3
    with sqlite3.connect(register.path) as conn:  # flip Kim's never publish by hand
        conn.execute("UPDATE people SET never_publish = 0 WHERE name = 'Kim Lee'")
    dialog.reload()
    assert "changed outside photoscreen" in dialog.status.text()
    texts = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert sum("Changed outside photoscreen" in text for text in texts) == 1
    dialog.accept_as_is()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert "accepted as it is" in dialog.status.text()
    assert register.findings().clean


def test_the_picker_does_not_offer_someone_whose_row_was_changed_outside(
    qtbot, window, register
):
    with sqlite3.connect(register.path) as conn:  # Leo's consent flipped to yes by hand
        conn.execute("UPDATE people SET consent = 1, given_on = '2026-01-01', "
                     "review_on = '2099-01-01' WHERE name = 'Leo Ray'")  # fmt: skip
    window.photo_view.consent_toggled.emit(str(_face(window).id))
    picker = window.consent_flow.dialog
    assert isinstance(picker, PersonPicker)
    assert "Leo Ray" not in _rows(picker) and "Sam Jones" in _rows(picker)
