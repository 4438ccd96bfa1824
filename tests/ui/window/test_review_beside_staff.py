"""The manager opens a folder staff have open, to review it: read-only but for verdicts,
the queue live as staff ask, a verdict refused when staff changed the photo since it was
shown, and staff seeing the answer as it is given."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from photoscreen.core.basics.geometry import Box
from photoscreen.core.rules.policy import PhotoState, Verdict
from photoscreen.core.session.folder_session import Session
from tests.helpers.session_fixtures import make_ready, scan, write_photo
from tests.ui.conftest import scanned_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

MANAGER = "Morgan Manager"
LIVE_MS = 8000  # the window looks every 1.5 s; a loaded test machine is slower


@pytest.fixture
def staff(tmp_path: Path):
    """Sam has the folder open (this process holds its lock), four photos ready, two asked
    about."""
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(4):
        write_photo(folder / f"IMG_{i}.jpg", i)
    session = Session.open(folder, "Sam Staff")
    for i in range(4):
        digest = scan(session, folder / f"IMG_{i}.jpg")
        make_ready(session, digest)
        if i < 2:
            session.flag_for_review(digest, f"photo {i}?")
    yield session
    session.close()


def _hash(session: Session, name: str) -> str:
    return next(e.photo_hash for e in session.photos() if e.name == name) or ""


def _open_to_review(qtbot, make_window, folder: Path):
    window = make_window(detector=False, user=MANAGER)
    window.show()
    window.controller.open_folder(folder)
    qtbot.waitUntil(lambda: isinstance(window.interactions.dialog, QMessageBox))
    question = window.interactions.dialog
    assert "open in photoscreen by Sam Staff on" in question.text()
    texts = [b.text() for b in question.buttons()]
    # Sam's photoscreen is known to be running here: no "open anyway" is offered.
    assert not any("open anyway" in t for t in texts)
    review = next(b for b in question.buttons() if "review only" in b.text())
    with qtbot.waitSignal(window.controller.folder_opened, timeout=20000):
        review.click()
    qtbot.waitUntil(lambda: window.review_panel.queue.count() > 0)
    return window


def test_the_manager_reviews_while_staff_work_on(qtbot, make_window, staff):
    window = _open_to_review(qtbot, make_window, staff.folder)
    c, panel = window.controller, window.review_panel
    assert c.review_mode and "(review only)" in window.windowTitle()
    assert "Opened to review only" in window.message_bar.text
    assert panel.queue.count() == 2
    # Staff ask about one more: the manager's queue shows it without anyone reopening.
    staff.flag_for_review(_hash(staff, "IMG_3.jpg"), "the logo?")
    qtbot.waitUntil(lambda: panel.queue.count() == 3, timeout=LIVE_MS)
    assert "the logo?" in panel.queue.item(2).text()
    c.select("IMG_0.jpg")
    panel.reviewer.setText(MANAGER)
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: staff.photo(_hash(staff, "IMG_0.jpg")).verdict is Verdict.APPROVED)
    qtbot.waitUntil(lambda: panel.queue.count() == 2)
    assert staff.status(_hash(staff, "IMG_0.jpg")).exportable
    assert staff.check_records().clean  # one audit chain, both sides' entries in it


def test_nothing_but_verdicts_is_saved_from_the_reviewing_window(qtbot, make_window, staff):
    window = _open_to_review(qtbot, make_window, staff.folder)
    c = window.controller
    c.set_review_mode(False)
    c.select("IMG_2.jpg")
    before = staff.photo(_hash(staff, "IMG_2.jpg"))
    c.verbs.set_activity("messy_play")
    c.verbs.toggle_exclude()
    assert "opened to review only" in window.message_bar.text
    assert staff.photo(_hash(staff, "IMG_2.jpg")) == before
    # Export is not started here: the window says where to export from.
    c.messages.history.clear()
    window.interactions.show_export()
    assert window.interactions.dialog is None
    assert "Export from the photoscreen that has this folder open" in c.messages.history[-1][
        1
    ].text


def test_a_photo_staff_changed_after_it_was_shown_is_not_approved(qtbot, make_window, staff):
    window = _open_to_review(qtbot, make_window, staff.folder)
    c, panel = window.controller, window.review_panel
    c.outside.stop()  # the manager has not seen the change yet
    c.select("IMG_1.jpg")
    digest = _hash(staff, "IMG_1.jpg")
    staff.add_face(digest, Box(4, 4, 20, 20))  # a face boxed after the manager looked
    panel.reviewer.setText(MANAGER)
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "changed after it was shown" in panel.problem.text())
    assert staff.photo(digest).verdict is None
    assert "1 face will be hidden" in panel.photo_label.text()  # shown as it is now
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: staff.photo(digest).verdict is Verdict.APPROVED)


def test_staff_see_the_managers_answer_as_it_is_given(qtbot, make_window, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(2):
        write_photo(folder / f"IMG_{i}.jpg", i)
    window = scanned_window(qtbot, make_window, folder)  # Sam's window has the folder
    c = window.controller
    c.select("IMG_0.jpg")
    c.verbs.set_activity("story_time")
    c.session.set_faces_checked(_hash(c.session, "IMG_0.jpg"), True)
    c.verbs.flag_for_review("Is this all right?")
    with Session.open_to_review(folder, MANAGER, None) as manager:
        manager.approve(_hash(manager, "IMG_0.jpg"), MANAGER, note="Fine to post.")
    label = window.side_panel.flag_label
    qtbot.waitUntil(lambda: f"Approved by {MANAGER} on " in label.text(), timeout=LIVE_MS)
    assert "Fine to post." in label.text()
    assert next(e for e in c.entries() if e.name == "IMG_0.jpg").state is PhotoState.READY
