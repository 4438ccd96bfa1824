"""The controller through the real window: navigation, decisions, undo/redo, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QPlainTextEdit

from photoscreen.core.basics.geometry import Box
from photoscreen.core.imaging.loading import photo_hash
from photoscreen.core.rules.policy import FaceState, PhotoState
from photoscreen.ui.grid.delegate import badge_text
from photoscreen.ui.grid.filters import FILTERS
from photoscreen.ui.grid.model import Roles
from tests.helpers.session_fixtures import detection
from tests.ui.conftest import save_jpeg, scanned_window, scene, wait_until_scanned

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _folder(tmp_path: Path, count: int = 4) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(count):
        save_jpeg(folder / f"IMG_{i:04d}.jpg", scene(i))
    (folder / "notes.txt").write_text("not a photo")
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 cut short")
    return folder


@pytest.fixture
def window(qtbot, make_window, tmp_path):
    return scanned_window(qtbot, make_window, _folder(tmp_path))


def _entry(window, name):
    return next(e for e in window.controller.entries() if e.name == name)


def test_unreadable_files_are_listed_with_a_reason(window):
    broken = _entry(window, "broken.jpg")
    notes = _entry(window, "notes.txt")
    assert broken.state is PhotoState.UNREADABLE and notes.state is PhotoState.UNREADABLE
    assert broken.reasons and notes.reasons
    window.controller.select("notes.txt")
    assert window.photo_view.has_photo() is False
    assert window.filter_bar.counts_label.text() == (
        "4 photos: 4 need an activity; 1 file not supported; 1 file can't be opened"
    )


def _badge_and_faces(window, name: str) -> tuple[str, int | None]:
    """The grid's badge words and its count of faces (None: no count shown)."""
    model = window.controller.model
    index = model.index(model.row_of(name))
    return badge_text(index.data(Roles.STATUS)), index.data(Roles.FACE_COUNT)


def test_a_file_that_is_not_a_photo_is_not_supported_not_damaged(window):
    panel = window.side_panel
    window.controller.select("notes.txt")
    assert _badge_and_faces(window, "notes.txt") == ("Not supported", None)
    assert panel.status_label.text() == "Not supported"
    sentence = panel.reasons_label.text()
    assert sentence.startswith("Not a photo photoscreen can use (looks like a text file).")
    assert window.photo_view.message() == sentence
    # One sentence, and nothing to decide about a file that is not a photo.
    assert "Could not be read" not in sentence and "Why it cannot go out" not in sentence
    assert not any(box.isVisibleTo(panel) for box in panel.photo_boxes)
    window.controller.select("broken.jpg")
    assert _badge_and_faces(window, "broken.jpg") == ("Can't open", None)
    assert panel.status_label.text() == "Cannot be opened"
    assert panel.reasons_label.text().startswith("This file cannot be opened: ")
    assert not any(box.isVisibleTo(panel) for box in panel.photo_boxes)
    window.controller.select("IMG_0000.jpg")
    assert all(box.isVisibleTo(panel) for box in panel.photo_boxes)


def test_moving_follows_the_filter_and_skips_decided_photos(window):
    c = window.controller
    c.set_filter(FILTERS[1])  # "Still to do"
    c.select("IMG_0000.jpg")
    c.verbs.set_activity("story_time")
    c.verbs.faces_checked_and_next()
    assert _entry(window, "IMG_0000.jpg").state is PhotoState.READY
    assert c.current == "IMG_0001.jpg"  # the decided photo left the list; the next is shown
    c.go(+1)
    assert c.current == "IMG_0002.jpg"
    c.go(-1)
    assert c.current == "IMG_0001.jpg"


def test_undo_and_redo_restore_decisions(window):
    c = window.controller
    c.select("IMG_0001.jpg")
    c.verbs.set_activity("messy_play")
    c.verbs.toggle_exclude()
    assert _entry(window, "IMG_0001.jpg").state is PhotoState.EXCLUDED
    c.select("IMG_0003.jpg")
    c.verbs.undo()  # undoing brings the changed photo back on screen
    assert c.current == "IMG_0001.jpg"
    assert _entry(window, "IMG_0001.jpg").decisions.excluded is False
    c.verbs.undo()
    assert _entry(window, "IMG_0001.jpg").decisions.activity is None
    c.verbs.redo()
    assert _entry(window, "IMG_0001.jpg").decisions.activity == "messy_play"
    assert "Redone" in window.message_bar.text


def test_refusals_are_shown_not_raised(window):
    c = window.controller
    c.select("broken.jpg")
    c.verbs.set_activity("story_time")
    assert window.message_bar.isVisible()
    assert "not been read" in window.message_bar.text


def test_a_second_window_cannot_open_a_folder_in_use(qtbot, window, make_window):
    other = make_window(detector=False, user="Alex")
    assert other.controller.open_folder(window.controller.session.folder)
    assert "Opening photos" in other.scan_label.text()  # the open runs on a worker
    qtbot.waitUntil(lambda: not other.controller.opening)
    assert other.controller.session is None
    # The window says who has it open, and offers only to open it to review beside them.
    question = other.interactions.dialog
    assert "Sam Staff" in question.text()
    choices = [b.text() for b in question.buttons()]
    assert not any("open anyway" in c for c in choices)
    assert any("review only" in c for c in choices)
    assert other.scan_label.text() == ""
    next(b for b in question.buttons() if b.text() == "Cancel").click()
    qtbot.waitUntil(lambda: other.interactions.dialog is None)
    assert other.controller.session is None


def test_dropping_a_folder_opens_it(qtbot, make_window, tmp_path):
    made = make_window(detector=False)
    folder = _folder(tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(made.controller.folder_opened):
        made.dropEvent(event)
    assert made.controller.session is not None
    assert made.pages.currentIndex() == 1
    assert folder.resolve() in made.controller.preferences.recent_folders()
    wait_until_scanned(qtbot, made)


def test_closing_mid_scan_stops_cleanly(qtbot, make_window, tmp_path):
    made = make_window(detector=True)
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(12):
        save_jpeg(folder / f"P{i:02d}.jpg", scene(i))
    made.controller.open_folder(folder)
    qtbot.waitUntil(
        lambda: any(made.controller.model.has_thumbnail(e.name) for e in made.controller.entries()),
        timeout=20000,
    )
    made.close()
    assert made.controller.session is None
    assert not made.controller.workers.is_busy("scan")
    assert not (folder / ".photoscreen" / "lock").exists()  # the folder was given back


def test_every_cell_on_screen_is_counted_for_quick_thumbnails(window):
    grid, proxy = window.grid, window.controller.proxy
    area = grid.viewport().rect()
    shown = sum(
        1
        for row in range(proxy.rowCount())
        if area.intersects(grid.visualRect(proxy.index(row, 0)))
    )
    assert shown >= 1 and window.controller.cells_on_screen >= shown


def test_a_notice_never_covers_a_problem_and_every_message_is_kept(qtbot, window):
    bar, messages = window.message_bar, window.controller.messages
    messages.error("Scanning the folder stopped: the disk was removed.")
    messages.info("IMG_0001.jpg was sent to the manager for review.")
    assert "Scanning the folder stopped" in bar.text  # still there until dismissed
    bar.show_history()
    listed = bar.history_dialog.findChild(QPlainTextEdit).toPlainText().splitlines()
    assert "sent to the manager" in listed[0] and "Problem: Scanning the folder" in listed[1]
    bar.history_dialog.reject()
    messages.warning("That reviewer PIN is not right.")
    assert "Scanning the folder stopped" in bar.text  # only another error covers an error
    bar.hide()  # Dismiss
    messages.warning("Accept or dismiss the possible face first.")
    messages.info("Faces checked.")  # a warning is about what was just tried: replaced
    assert bar.text == "Faces checked."
    help_menu = window.menuBar().actions()[-1].menu()
    next(a for a in help_menu.actions() if a.text() == "Earlier messages…").trigger()
    assert bar.history_dialog is not None


def test_faces_checked_waits_until_every_possible_face_is_decided(qtbot, window):
    c = window.controller
    c.select("IMG_0001.jpg")
    digest = _entry(window, "IMG_0001.jpg").photo_hash
    c.session.add_detections(digest, [detection(Box(10, 10, 30, 30), possible=True)], "test")
    c.refresh_photo(digest)
    c.verbs.faces_checked_and_next()
    assert "Accept or dismiss the possible face first" in window.message_bar.text
    assert c.current == "IMG_0001.jpg"
    assert _entry(window, "IMG_0001.jpg").decisions.faces_checked_by is None
    face = next(f for f in c.session.faces(digest) if f.state is FaceState.POSSIBLE_PENDING)
    c.verbs.dismiss_possible(str(face.id))
    c.verbs.faces_checked_and_next()
    assert _entry(window, "IMG_0001.jpg").decisions.faces_checked_by == "Sam Staff"
    assert c.current == "IMG_0002.jpg"


def test_a_photo_changed_while_the_folder_is_read_is_read_again_after_not_instead(
    qtbot, make_window, tmp_path
):
    """Re-reading a changed photo must not stop the reading of the rest of the folder."""
    made = make_window(detector=False)
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(12):
        save_jpeg(folder / f"P{i:02d}.jpg", scene(i))
    c = made.controller
    c.open_folder(folder)
    qtbot.waitUntil(lambda: c.scan is not None and c.scan.running, timeout=20000)
    save_jpeg(folder / "P00.jpg", scene(99))  # edited while the folder is read
    c.photo.changed_on_disk.emit(folder / "P00.jpg")
    qtbot.waitUntil(lambda: not c.scan.running, timeout=60000)
    qtbot.waitUntil(lambda: all(e.photo_hash for e in c.entries()), timeout=60000)
    assert _entry(made, "P00.jpg").photo_hash == photo_hash((folder / "P00.jpg").read_bytes())
