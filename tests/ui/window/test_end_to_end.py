"""The whole job in the real window: staff tag and check, the manager approves, export.

Drives the real main window (real session, real face detector, real export) on a folder
of generated photos, mostly with keys, then checks the exported files byte by byte and
that the originals were not touched.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from photoscreen.core.basics.geometry import Box
from photoscreen.core.metadata.inspection import inspect_metadata
from photoscreen.core.render.encode import verify_clean_jpeg
from photoscreen.core.rules.policy import PhotoState
from photoscreen.ui.dialogs.export import ExportDialog
from photoscreen.ui.dialogs.prompts import NotePrompt
from tests.ui.conftest import face_box, file_hashes, save_jpeg, scene, wait_until_scanned

# The offscreen platform cannot resize native windows to fit dialogs and says so.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

FACE_AT = (300, 120)
DRAWN = Box(60, 260, 90, 110)  # a "missed face" drawn by hand on b.jpg


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "session photos"
    folder.mkdir()
    save_jpeg(folder / "a.jpg", scene(1, face_at=FACE_AT))
    save_jpeg(folder / "b.jpg", scene(2))
    save_jpeg(folder / "c.jpg", scene(3, face_at=(40, 60)))
    save_jpeg(folder / "d.jpg", scene(4))
    return folder


def _key(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Press a key as a person would: in the main window, once it is the active one."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.grid, key, modifier)


def _state(window, name: str) -> PhotoState:
    return next(e.state for e in window.controller.entries() if e.name == name)


def _decisions(window, name: str):
    return next(e.decisions for e in window.controller.entries() if e.name == name)


def _wait_shown(qtbot, window, name: str) -> None:
    qtbot.waitUntil(lambda: window.controller.current == name)
    qtbot.waitUntil(window.photo_view.has_photo, timeout=10000)


def test_staff_and_manager_do_the_whole_job(qtbot, make_window, tmp_path):
    folder = _folder(tmp_path)
    before = file_hashes(folder)
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    assert window.controller.open_folder(folder)
    wait_until_scanned(qtbot, window)
    model = window.controller.model
    qtbot.waitUntil(lambda: all(model.has_thumbnail(n) for n in ("a.jpg", "b.jpg", "c.jpg")))
    found = _decisions(window, "a.jpg").faces
    assert any(f.box.iou(face_box(FACE_AT)) > 0.3 for f in found), found

    # a.jpg: "1" tags stay-and-play, "C" says the faces are checked and moves on.
    _wait_shown(qtbot, window, "a.jpg")
    assert "GPS" in " ".join(window.side_panel.hidden_label.text().split())
    _key(qtbot, window, Qt.Key.Key_1)
    assert _decisions(window, "a.jpg").activity == "stay_and_play"
    _key(qtbot, window, Qt.Key.Key_C)
    assert _state(window, "a.jpg") is PhotoState.READY

    # b.jpg: draw a missed face, draw a false one and delete it, tag "3", checked.
    _wait_shown(qtbot, window, "b.jpg")
    window.photo_view.face_drawn.emit(DRAWN)
    window.photo_view.face_drawn.emit(Box(400, 50, 60, 60))
    faces = _decisions(window, "b.jpg").faces
    assert len(faces) == 2
    false_one = next(f for f in faces if f.box.x == 400)
    qtbot.waitUntil(lambda: str(false_one.id) in window.photo_view.face_ids())
    window.photo_view.select_face(str(false_one.id))
    qtbot.keyClick(window.photo_view, Qt.Key.Key_Delete)
    assert [f.box for f in _decisions(window, "b.jpg").faces] == [DRAWN]
    _key(qtbot, window, Qt.Key.Key_3)
    _key(qtbot, window, Qt.Key.Key_C)

    # c.jpg: tagged "4", sent to the manager with a note ("M"), faces checked.
    _wait_shown(qtbot, window, "c.jpg")
    _key(qtbot, window, Qt.Key.Key_4)
    _key(qtbot, window, Qt.Key.Key_M)
    prompt = window.interactions.dialog
    assert isinstance(prompt, NotePrompt)
    prompt.field.setPlainText("Is the child on the left OK to show?")
    qtbot.mouseClick(prompt.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    _key(qtbot, window, Qt.Key.Key_C)
    assert _state(window, "c.jpg") is PhotoState.AWAITING_REVIEW

    # d.jpg: swimming (no digit key: chosen from the list) is blocked by policy.
    _wait_shown(qtbot, window, "d.jpg")
    combo = window.side_panel.other_activities
    combo.activated.emit(combo.findData("swimming"))
    _key(qtbot, window, Qt.Key.Key_C)
    assert _state(window, "d.jpg") is PhotoState.BLOCKED
    assert any("swimming" in r for r in window.side_panel.reasons_label.text().split("<li>"))

    # The manager: review mode (Ctrl+R) shows only c.jpg; approve it under their name.
    _key(qtbot, window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.right.currentIndex() == 1  # the review panel
    assert window.controller.proxy.rowCount() == 1
    _wait_shown(qtbot, window, "c.jpg")
    panel = window.review_panel
    assert "Is the child on the left OK to show?" in panel.photo_label.text()
    panel.reviewer.setText("Morgan Manager")
    panel.note.setPlainText("Fine: the faces are hidden.")
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _state(window, "c.jpg") is PhotoState.READY)
    assert _decisions(window, "c.jpg").reviewer == "Morgan Manager"
    window.controller.set_review_mode(False)

    # Export (Ctrl+E) to a new folder, and read the summary.
    destination = tmp_path / "to post"
    _key(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.interactions.dialog
    assert isinstance(dialog, ExportDialog)
    dialog.destination.setText(str(destination))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=60000)
    summary = dialog.summary
    assert sorted(w.source.name for w in summary.written) == ["a.jpg", "b.jpg", "c.jpg"]
    assert [h.source.name for h in summary.withheld] == ["d.jpg"]
    assert "swimming" in dialog.summary_text.toPlainText()
    assert dialog.pages.currentIndex() == 2

    _check_exported(folder, destination, summary)
    assert file_hashes(folder) == before  # the originals were never touched


def _check_exported(folder: Path, destination: Path, summary) -> None:
    written = {w.source.name: destination / w.name for w in summary.written}
    assert sorted(p.name for p in destination.iterdir()) == sorted(p.name for p in written.values())
    for source, path in written.items():
        data = path.read_bytes()
        assert path.name != source and path.name.endswith("-001.jpg")  # neutral names
        pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
        assert verify_clean_jpeg(data, (pixels.shape[1], pixels.shape[0])) == []
        assert inspect_metadata(data) == []
        original = np.asarray(Image.open(folder / source).convert("RGB"))
        assert pixels.shape == original.shape
    _assert_redacted(folder / "a.jpg", written["a.jpg"], face_box(FACE_AT))
    _assert_redacted(folder / "b.jpg", written["b.jpg"], DRAWN)
    _assert_untouched(folder / "b.jpg", written["b.jpg"], Box(400, 50, 60, 60))


def _region(path: Path, box: Box) -> np.ndarray:
    pixels = np.asarray(Image.open(path).convert("RGB")).astype(np.float32)
    x, y, w, h = (round(v) for v in (box.x, box.y, box.w, box.h))
    return pixels[y : y + h, x : x + w]


def _assert_redacted(original: Path, exported: Path, box: Box) -> None:
    """Inside the face box, the detail (pixel-to-pixel variation) is gone."""
    before, after = _region(original, box), _region(exported, box)
    assert np.abs(after - before).mean() > 8.0
    assert _detail(after) < 0.35 * _detail(before)


def _assert_untouched(original: Path, exported: Path, box: Box) -> None:
    """Where a false box was deleted, the picture is as it was (JPEG noise aside)."""
    assert np.abs(_region(exported, box) - _region(original, box)).mean() < 4.0


def _detail(region: np.ndarray) -> float:
    return float(np.abs(np.diff(region, axis=1)).mean() + np.abs(np.diff(region, axis=0)).mean())
