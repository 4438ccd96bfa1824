"""A whole session from the keyboard alone, in the real window with the real detector.

A 30-photo folder with a crowd photo among them: open it (Ctrl+O, type the folder, Enter),
tag and check each photo as the window leads from one photo to the next (digits, A / D,
the face strip for the crowd, C), leave one out (X), ask the manager about one (M, a note,
Ctrl+Enter), see "All … photos decided", export (Ctrl+E, type the folder, Enter) and read
what was written. Every key goes to whatever has the keyboard focus, as a person's would;
dialogs are opened with ``open()``, so nothing waits for input (each wait has a timeout).
Photos are small (640 x 480, the crowd 1280 x 960) so the detector reads all of them in
seconds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from photoscreen.core.rules.policy import PhotoState
from photoscreen.ui.dialogs.export import ExportDialog
from photoscreen.ui.dialogs.prompts import NotePrompt
from tests.helpers.face_scenes import PastedFace, compose
from tests.ui.conftest import file_hashes, save_jpeg, scene

pytestmark = [
    # The offscreen platform cannot do what a window manager does; it says so (the file
    # chooser's completer pops up a list that would grab the keyboard).
    pytest.mark.qt_log_ignore(
        "does not support propagateSizeHints", "does not support raise", "grabbing the keyboard"
    ),
    pytest.mark.timeout(240),
]

NO = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
CROWD = [  # a class photo: three rows of faces, 70-110 px tall
    PastedFace(140 + 200 * col, 200 + 260 * row, 110 - 20 * row, mirrored=bool(col % 2))
    for row in range(3)
    for col in range(6)
]
EXCLUDED, ASKED = "IMG_0005.jpg", "IMG_0011.jpg"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "Friday session"
    folder.mkdir()
    for i in range(29):
        face = (300, 120) if i % 4 == 0 else None
        save_jpeg(folder / f"IMG_{i:04d}.jpg", scene(i, face_at=face))
    save_jpeg(folder / "IMG_0014a crowd.jpg", compose("coffee", 1280, 960, CROWD))
    (folder / "Thumbs.db").write_bytes(b"\x00 the system's")
    return folder


def _press(qtbot, key: Qt.Key, modifier=NO) -> None:
    """A key, to whatever has the keyboard focus (the active window if nothing has)."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None, "no window has the keyboard"
    qtbot.keyClick(target, key, modifier)


def _type(qtbot, text: str) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClicks(target, text)


def _wait_active(qtbot, widget) -> None:
    """Wait for ``widget`` to have the keyboard. The offscreen platform has no window
    manager to give it back to the main window when a dialog closes: this does its part."""
    if not widget.isModal():
        widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=5000)


def _true_face(box) -> bool:
    return any(box.iou(face.expected_box) > 0.3 for face in CROWD)


def _decide_photo(qtbot, window, keys_used: list[str]) -> None:
    """What a person does with the photo on screen, keys only."""
    c, view = window.controller, window.photo_view
    entry = c.current_entry()
    qtbot.waitUntil(view.has_photo, timeout=20000)
    if entry.name == EXCLUDED:
        _press(qtbot, Qt.Key.Key_X)
        keys_used.append("X")
        _press(qtbot, Qt.Key.Key_Right)  # on to the next photo still to do
        return
    _press(qtbot, Qt.Key.Key_2 if entry.name == ASKED else Qt.Key.Key_1)
    if entry.name == ASKED:
        _press(qtbot, Qt.Key.Key_M)
        prompt = window.interactions.dialog
        assert isinstance(prompt, NotePrompt)
        _wait_active(qtbot, prompt)
        _type(qtbot, "Is the child at the back OK to show?")
        _press(qtbot, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: window.interactions.dialog is None, timeout=5000)
        _wait_active(qtbot, window)
    if "crowd" in entry.name:
        _check_crowd_in_the_strip(qtbot, window, keys_used)
    else:
        for _ in range(10):  # every face pasted here is real; writing found is covered
            decisions = c.current_entry().decisions
            if not decisions.pending_faces and not decisions.pending_writing:
                break
            _press(qtbot, Qt.Key.Key_A)
    _press(qtbot, Qt.Key.Key_C)
    keys_used.append("C")


def _check_crowd_in_the_strip(qtbot, window, keys_used: list[str]) -> None:
    """S, then one key per crop: A a face (or right as it is), D not a face."""
    strip, c = window.face_strip, window.controller
    qtbot.waitUntil(lambda: len(strip.regions()) >= 12, timeout=10000)
    _press(qtbot, Qt.Key.Key_S)
    assert QApplication.focusWidget() is strip.crops
    for _ in range(3 * len(strip.regions())):
        if strip.all_looked_at():
            break
        region = strip.current_region()
        face = next(f for f in c.current_entry().decisions.faces if str(f.id) == region.id)
        yes = face.is_text or _true_face(face.box)  # writing found: cover it
        _press(qtbot, Qt.Key.Key_A if yes else Qt.Key.Key_D)
        keys_used.append("A" if yes else "D")
    assert strip.all_looked_at()
    decisions = c.current_entry().decisions
    assert decisions.pending_faces == 0 and decisions.pending_writing == 0
    window.activateWindow()


class ModalGuard:
    """A modal dialog nobody expected (one run with exec()) waits for a person forever:
    this notes and closes it, so the test fails saying so instead of hanging."""

    def __init__(self, window) -> None:
        self.unexpected: list[str] = []
        self._window = window
        self._timer = QTimer()
        self._timer.timeout.connect(self._check)
        self._timer.start(250)

    def _check(self) -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not self._window.interactions.dialog:
            self.unexpected.append(type(modal).__name__)
            modal.close()

    def stop(self) -> None:
        self._timer.stop()


def test_a_whole_session_from_the_keyboard_alone(qtbot, make_window, tmp_path):
    folder = _folder(tmp_path)
    before = file_hashes(folder)
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    _wait_active(qtbot, window)
    c = window.controller
    guard = ModalGuard(window)

    # Open: Ctrl+O, type the folder, Enter.
    _press(qtbot, Qt.Key.Key_O, CTRL)
    chooser = window.interactions.dialog
    assert isinstance(chooser, QFileDialog)
    _wait_active(qtbot, chooser)
    _type(qtbot, str(folder))
    _press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: c.session is not None, timeout=20000)
    assert c.session.folder == folder
    _wait_active(qtbot, window)
    assert len(c.entries()) == 30  # Thumbs.db is not a photo

    # Decide each photo where the window leads, until it says all are decided.
    keys_used: list[str] = []
    label = window.filter_bar.counts_label
    for _ in range(40):
        if label.text().startswith("All "):
            break
        qtbot.waitUntil(
            lambda: c.current_entry().state is not PhotoState.NOT_SCANNED, timeout=60000
        )
        _decide_photo(qtbot, window, keys_used)
    assert label.text().startswith("All 30 photos decided — Export (Ctrl+E)"), label.text()
    states = {e.name: e.state for e in c.entries()}
    assert states[EXCLUDED] is PhotoState.EXCLUDED
    assert states[ASKED] is PhotoState.AWAITING_REVIEW
    assert sum(s is PhotoState.READY for s in states.values()) == 28
    assert keys_used.count("C") == 29

    # Export: Ctrl+E, type the folder (it does not exist yet), Enter.
    destination = tmp_path / "to post"
    _press(qtbot, Qt.Key.Key_E, CTRL)
    dialog = window.interactions.dialog
    assert isinstance(dialog, ExportDialog)
    _wait_active(qtbot, dialog)
    assert QApplication.focusWidget() is dialog.destination
    _type(qtbot, str(destination))
    _press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.summary is not None or bool(guard.unexpected), timeout=90000)
    guard.stop()
    assert guard.unexpected == []
    summary = dialog.summary
    assert len(summary.written) == 28
    assert sorted(h.source.name for h in summary.withheld) == [EXCLUDED, ASKED]
    assert len(list(destination.iterdir())) == 28
    # The dialog stopped being modal when the export started (so closing the main window
    # asks), which means hiding and showing it again; the offscreen platform has no window
    # manager to give a window shown again the keyboard, so the key goes to the dialog,
    # where a person's would: Close has its focus.
    assert dialog.focusWidget() is dialog.close_button
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # closes the summary
    qtbot.waitUntil(lambda: window.interactions.dialog is None, timeout=5000)

    crowd = next(w for w in summary.written if "crowd" in w.source.name)
    _assert_crowd_hidden(folder / crowd.source.name, destination / crowd.name)
    assert file_hashes(folder) == before  # the originals were never touched


def _assert_crowd_hidden(original: Path, exported: Path) -> None:
    """Every face of the crowd lost its detail in the export."""
    before = np.asarray(Image.open(original).convert("RGB")).astype(np.float32)
    after = np.asarray(Image.open(exported).convert("RGB")).astype(np.float32)
    for face in CROWD:
        box = face.expected_box
        x, y, w, h = (round(v) for v in (box.x, box.y, box.w, box.h))
        inside_before, inside_after = before[y : y + h, x : x + w], after[y : y + h, x : x + w]
        assert _detail(inside_after) < 0.5 * _detail(inside_before), face


def _detail(region: np.ndarray) -> float:
    return float(np.abs(np.diff(region, axis=1)).mean() + np.abs(np.diff(region, axis=0)).mean())
