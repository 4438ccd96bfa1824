"""Writing in the window: the "writing?" band drawn apart from faces, decided with A and
D, drawn with T, counted in the side panel and the grid, and covered in the export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from photoscreen.core.basics.geometry import Box
from photoscreen.core.faces import Detection, FaceBand
from photoscreen.core.render.redact_writing import WRITING_FILL, writing_region
from photoscreen.core.rules.policy import FaceState, PhotoState
from photoscreen.core.session.scan_records import WRITING_MARK
from photoscreen.ui.dialogs.export import ExportDialog
from photoscreen.ui.grid.model import FaceCount, Roles
from photoscreen.ui.photo.writing_marks import KIND_WRITING, KIND_WRITING_COVERED
from tests.ui.conftest import save_jpeg, scanned_window, scene
from tests.ui.photo.test_photo_view import drag, on_screen

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

LABEL = Box(100, 300, 220, 50)


@pytest.fixture
def window(qtbot, make_window, tmp_path: Path):
    folder = tmp_path / "photos"
    folder.mkdir()
    save_jpeg(folder / "a.jpg", scene(1))
    window = scanned_window(qtbot, make_window, folder)
    entry = window.controller.entries()[0]
    # What scan records when it finds a label: a writing region waiting for a person.
    path = folder / "a.jpg"
    found = [Detection(LABEL, 0.8, FaceBand.TEXT)]
    window.controller.session.record_scan(
        path, entry.photo_hash, 640, 480, "JPEG", found, f"k{WRITING_MARK}t"
    )
    return window


def _digest(window) -> str:
    return window.controller.entries()[0].photo_hash


def _kinds(window) -> dict[str, str]:
    view = window.photo_view
    return {face_id: view.face_kind(face_id) for face_id in view.face_ids()}


def _key(qtbot, window, key) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.grid, key)


def test_writing_is_its_own_band_counted_and_decided_with_a(qtbot, window):
    c = window.controller
    c.select("a.jpg")
    qtbot.waitUntil(lambda: list(_kinds(window).values()) == [KIND_WRITING])
    (face_id,) = _kinds(window)
    assert window.photo_view.menu_actions(face_id)[0][0].startswith("Yes, cover this writing")
    assert "1 writing region to cover or leave" in window.side_panel.faces_label.text()
    index = c.model.index(0, 0)
    assert c.model.data(index, Roles.WRITING_WAITING) == 1
    assert c.model.data(index, Roles.FACE_COUNT) == FaceCount(0, 0)  # writing is not a face
    assert c.entries()[0].state is PhotoState.NEEDS_ACTIVITY
    _key(qtbot, window, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: list(_kinds(window).values()) == [KIND_WRITING_COVERED])
    (region,) = c.session.faces(_digest(window))
    assert region.is_text and region.state is FaceState.POSSIBLE_ACCEPTED
    assert c.model.data(index, Roles.WRITING_WAITING) == 0
    assert "1 writing region will be covered" in window.side_panel.faces_label.text()


def test_the_photo_cannot_be_checked_while_writing_waits(qtbot, window):
    c = window.controller
    c.select("a.jpg")
    qtbot.waitUntil(lambda: bool(_kinds(window)))
    c.verbs.faces_checked_and_next()
    assert "writing region" in window.message_bar.text
    assert c.session.photo(_digest(window)).faces_checked_by is None
    _key(qtbot, window, Qt.Key.Key_D)  # the first D shows which region it would leave...
    assert window.photo_view.selected_face_id() is not None and _kinds(window)
    _key(qtbot, window, Qt.Key.Key_D)  # ...the second leaves it
    qtbot.waitUntil(lambda: not _kinds(window))  # dismissed: left as it is, not drawn
    c.verbs.faces_checked_and_next()
    assert c.session.photo(_digest(window)).faces_checked_by == "Sam Staff"


def test_t_draws_a_box_over_writing_the_detector_missed(qtbot, window):
    c, view = window.controller, window.photo_view
    c.select("a.jpg")
    qtbot.waitUntil(view.has_photo)
    _key(qtbot, window, Qt.Key.Key_T)
    assert view.is_drawing()
    assert "writing" in view.banner_text()
    drag(view, on_screen(view, 400, 80), on_screen(view, 560, 130))
    qtbot.waitUntil(lambda: len(c.session.faces(_digest(window))) == 2)
    drawn = next(f for f in c.session.faces(_digest(window)) if f.box != LABEL)
    assert drawn.is_text and drawn.redacted
    assert drawn.box.x == pytest.approx(400, abs=6) and drawn.box.right == pytest.approx(560, abs=6)
    # B still draws a face afterwards, not writing.
    _key(qtbot, window, Qt.Key.Key_B)
    drag(view, on_screen(view, 50, 50), on_screen(view, 120, 120))
    qtbot.waitUntil(lambda: len(c.session.faces(_digest(window))) == 3)
    assert sum(not f.is_text for f in c.session.faces(_digest(window))) == 1
    c.verbs.undo()
    c.verbs.undo()
    assert [f.box for f in c.session.faces(_digest(window))] == [LABEL]


def test_export_from_the_window_covers_accepted_writing(qtbot, window, tmp_path):
    c = window.controller
    c.select("a.jpg")
    qtbot.waitUntil(lambda: bool(_kinds(window)))
    _key(qtbot, window, Qt.Key.Key_A)
    digest = _digest(window)
    c.session.set_activity(digest, "messy_play")
    c.session.set_faces_checked(digest)
    destination = tmp_path / "to post"
    window.activateWindow()
    qtbot.keyClick(window.grid, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.interactions.dialog
    assert isinstance(dialog, ExportDialog)
    dialog.destination.setText(str(destination))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=60000)
    (written,) = dialog.summary.written
    pixels = np.asarray(Image.open(destination / written.name).convert("RGB")).astype(int)
    region = writing_region(LABEL, 640, 480)
    inner = pixels[
        int(region.y) + 3 : int(region.bottom) - 3, int(region.x) + 3 : int(region.right) - 3
    ]
    assert float(inner.std()) < 4 and abs(float(inner.mean()) - WRITING_FILL[0]) < 4
    dialog.close()
