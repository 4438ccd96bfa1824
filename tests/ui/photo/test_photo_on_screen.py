"""The photo on screen and its boxes: boxes only over their own photo; looking harder;
its keys wherever the focus is; folders dropped on it; read first while a folder is read."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QComboBox

from photoscreen.core.basics.geometry import Box
from photoscreen.core.faces.detector import Detection, FaceBand
from photoscreen.core.rules.policy import FaceState
from photoscreen.ui.control.current_photo import LOADING_TEXT
from photoscreen.ui.photo.box_keys import NO_POSSIBLE_TEXT
from photoscreen.ui.photo.view import LOADING_BANNER
from photoscreen.ui.threads.photo_jobs import FoundAgain
from tests.ui.conftest import save_jpeg, scanned_window, scene

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _hash(window, name: str) -> str:
    entry = next(e for e in window.controller.entries() if e.name == name)
    assert entry.photo_hash is not None
    return entry.photo_hash


@pytest.fixture
def window(qtbot, make_window, tmp_path: Path):
    folder = tmp_path / "photos"
    folder.mkdir()
    save_jpeg(folder / "a.jpg", scene(1))
    # A different size, so the picture on screen tells which photo it is.
    save_jpeg(folder / "b.jpg", scene(2)[:400, :600])
    return scanned_window(qtbot, make_window, folder)


def _content_size(window) -> tuple[float, float]:
    rect = window.photo_view.sceneRect()
    return rect.width(), rect.height()


def test_boxes_are_only_drawn_over_their_own_photo(qtbot, window):
    c, view = window.controller, window.photo_view
    a_face = c.session.add_face(_hash(window, "a.jpg"), Box(10, 10, 60, 60))
    b_face = c.session.add_face(_hash(window, "b.jpg"), Box(300, 200, 80, 80))
    sizes = {str(a_face): (640.0, 480.0), str(b_face): (600.0, 400.0)}
    drawn: list[tuple[list[str], tuple[float, float]]] = []
    c.faces_changed.connect(
        lambda faces: drawn.append(([f.id for f in faces], _content_size(window)))
    )
    c.select("a.jpg")
    qtbot.waitUntil(lambda: view.face_ids() == [str(a_face)])
    c.select("b.jpg")
    # b's picture is still being decoded: its box waits for it.
    assert str(b_face) not in view.face_ids()
    qtbot.waitUntil(lambda: view.face_ids() == [str(b_face)])
    assert _content_size(window) == (600.0, 400.0)
    for ids, size in drawn:
        assert all(sizes[face_id] == size for face_id in ids), drawn


def test_the_next_photo_never_shows_the_last_ones_picture_while_it_loads(qtbot, window):
    c, view = window.controller, window.photo_view
    c.select("a.jpg")
    qtbot.waitUntil(view.has_photo)
    c.select("b.jpg")
    # Its own thumbnail stands in under "Loading…" (or, before that, the loading text):
    # never a.jpg's picture, and nothing to edit until b.jpg itself is decoded.
    assert not view.has_photo()
    assert view.banner_text() == LOADING_BANNER or view.message() == LOADING_TEXT
    qtbot.waitUntil(view.has_photo)
    assert _content_size(window) == (600.0, 400.0)
    assert view.message() == "" and view.banner_text() == ""


def test_asking_for_a_photo_offers_a_stand_in_until_it_comes(qtbot, window):
    photo = window.controller.photo
    stand_in = QImage(164, 109, QImage.Format.Format_RGB888)
    offered: list[QImage] = []
    photo.loading.connect(offered.append)
    entry = next(e for e in window.controller.entries() if e.name == "b.jpg")
    with qtbot.waitSignal(photo.image_ready):
        photo.show(entry.path, _hash(window, "b.jpg"), stand_in)
        assert offered == [stand_in]
    photo.show(entry.path, _hash(window, "b.jpg"), stand_in)  # already shown: nothing
    assert offered == [stand_in]


def test_a_photo_still_being_read_shows_its_thumbnail_meanwhile(qtbot, window):
    view = window.photo_view
    stand_in = QImage(164, 109, QImage.Format.Format_RGB888)
    stand_in.fill(0x336699)
    window.controller.photo.clear("Still reading this photo…", stand_in)
    assert view.banner_text() == LOADING_BANNER and not view.has_photo()
    window.controller.photo.clear("Still reading this photo…")  # no thumbnail yet
    assert view.message() == "Still reading this photo…" and view.banner_text() == ""


def test_drawing_a_box_stops_when_another_photo_is_chosen(qtbot, window):
    c, view = window.controller, window.photo_view
    c.select("a.jpg")
    qtbot.waitUntil(view.has_photo)
    c.verbs.start_drawing()
    assert view.is_drawing()
    c.select("b.jpg")
    assert not view.is_drawing()


def test_looking_harder_adds_possible_faces_for_staff_to_decide(qtbot, window):
    c, view = window.controller, window.photo_view
    digest = _hash(window, "a.jpg")
    c.select("a.jpg")
    qtbot.waitUntil(view.has_photo)
    found = (
        Detection(Box(20, 20, 60, 60), 0.8, FaceBand.FACE),
        Detection(Box(300, 100, 50, 50), 0.12, FaceBand.POSSIBLE),
    )
    c.verbs.add_found_again(FoundAgain(digest, found, "thorough"))
    faces = c.session.faces(digest)
    assert [f.state for f in faces] == [FaceState.FACE, FaceState.POSSIBLE_PENDING]
    assert "1 possible face to accept or dismiss" in window.message_bar.text
    qtbot.waitUntil(lambda: len(view.face_ids()) == 2)
    possible = str(faces[1].id)
    assert view.menu_actions(possible)[0][0].startswith("Yes, it is a face")
    assert "1 possible face to accept or dismiss" in window.side_panel.faces_label.text()
    # Found again (a second press of L): nothing new is added.
    c.verbs.add_found_again(FoundAgain(digest, found, "thorough"))
    assert len(c.session.faces(digest)) == 2
    assert "No more faces found" in window.message_bar.text


def _focus_in_the_filter(qtbot, window) -> QComboBox:
    """Where the focus is after a folder opens: the "Show:" drop-down, not the photo."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    combo = window.filter_bar.findChild(QComboBox)
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    return combo


def test_zoom_keys_work_wherever_the_focus_is_and_are_in_the_photo_menu(qtbot, window):
    c, view = window.controller, window.photo_view
    c.select("a.jpg")
    qtbot.waitUntil(view.has_photo)
    combo = _focus_in_the_filter(qtbot, window)
    fitted = view.zoom_factor()
    qtbot.keyClick(combo, Qt.Key.Key_Plus)
    assert view.zoom_factor() > fitted
    qtbot.keyClick(combo, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom_factor() == pytest.approx(fitted)
    qtbot.keyClick(combo, Qt.Key.Key_Minus)
    assert view.zoom_factor() < fitted
    assert combo.currentIndex() == 0, "the keys did not change the filter"
    photo_menu = next(m for m in window.menuBar().actions() if m.text() == "&Photo").menu()
    entries = [a.text().split("\t")[0] for a in photo_menu.actions()]
    assert {"Zoom in", "Zoom out", "Fit to window", "Possible face: yes, blur it"} <= set(entries)


def test_a_decides_the_first_possible_face_without_selecting_it(qtbot, window):
    c, view = window.controller, window.photo_view
    digest = _hash(window, "a.jpg")
    c.select("a.jpg")
    qtbot.waitUntil(view.has_photo)
    possible = Detection(Box(300, 100, 50, 50), 0.12, FaceBand.POSSIBLE)
    c.verbs.add_found_again(FoundAgain(digest, (possible,), "thorough"))
    qtbot.waitUntil(lambda: len(view.face_ids()) == 1)
    combo = _focus_in_the_filter(qtbot, window)
    qtbot.keyClick(combo, Qt.Key.Key_A)
    assert [f.state for f in c.session.faces(digest)] == [FaceState.POSSIBLE_ACCEPTED]
    qtbot.keyClick(combo, Qt.Key.Key_A)
    assert view.note_text() == NO_POSSIBLE_TEXT
    assert c.current == "a.jpg" and combo.currentIndex() == 0


def test_a_folder_dropped_on_the_photo_opens(qtbot, window, tmp_path):
    other = tmp_path / "outing"
    other.mkdir()
    save_jpeg(other / "c.jpg", scene(3))
    window.controller.select("a.jpg")
    qtbot.waitUntil(window.photo_view.has_photo)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    port = window.photo_view.viewport()
    where = port.rect().center()
    copy, left, none = (
        Qt.DropAction.CopyAction,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    entered = QDragEnterEvent(where, copy, mime, left, none)
    QApplication.sendEvent(port, entered)
    assert entered.isAccepted(), "the drag is welcome over the photo"
    with qtbot.waitSignal(window.controller.folder_opened) as opened:
        QApplication.sendEvent(port, QDropEvent(QPointF(where), copy, mime, left, none))
    assert opened.args == [other]
    assert [e.name for e in window.controller.entries()] == ["c.jpg"]


def test_the_photo_chosen_while_the_folder_is_read_is_read_next(qtbot, make_window, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(16):
        save_jpeg(folder / f"P{index:02d}.jpg", scene(index, face_at=(20 * index, 100)))
    window = make_window(detector=True)
    window.show()
    qtbot.waitExposed(window)
    c = window.controller
    done: list[str] = []
    c.folder_opened.connect(
        lambda _: c.scan.photo_scanned.connect(
            lambda photo: photo.complete and done.append(photo.path.name)
        )
    )
    with qtbot.waitSignal(c.folder_opened, timeout=20000):
        c.open_folder(folder)
    qtbot.waitUntil(lambda: c.current == "P00.jpg")  # the first photo is shown at first
    # The last cell wholly on the first screen: choosing it scrolls nothing, so no cell is
    # newly painted (and put forward) by choosing it.
    area = window.grid.viewport().rect()
    shown = [
        row
        for row in range(c.proxy.rowCount())
        if area.contains(window.grid.visualRect(c.proxy.index(row, 0)))
    ]
    assert len(shown) >= 6
    chosen = f"P{shown[-1]:02d}.jpg"
    c.select(chosen)
    qtbot.waitUntil(lambda: len(done) == 16, timeout=60000)
    # Read next, or straight after the photos already under way; not in the grid's order.
    assert done.index(chosen) < 4 < shown[-1], done
