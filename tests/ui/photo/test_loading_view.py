"""While a photo is being read the view shows its thumbnail scaled up under "Loading…",
never a blank view; nothing that is not a photo (a stand-in, a reason) has scrollbars."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from photoscreen.core.faces.detector import FaceDetector
from photoscreen.core.rules.policy import PhotoState
from photoscreen.ui.control.preferences import Preferences
from photoscreen.ui.photo.view import LOADING_BANNER
from photoscreen.ui.window.startup import build_window
from tests.ui.conftest import save_jpeg, scanned_window, scene

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


class HeldDetector(FaceDetector):
    """The real detector, held before each photo until the test lets it go on."""

    def __init__(self, go_on: threading.Event) -> None:
        super().__init__()
        self._go_on = go_on

    def prepare(self, pixels, scale):
        self._go_on.wait(timeout=30)
        return super().prepare(pixels, scale)


def _scrollbars_shown(view) -> bool:
    return view.horizontalScrollBar().isVisible() or view.verticalScrollBar().isVisible()


def test_the_first_photo_shows_its_thumbnail_while_the_folder_is_read(qtbot, tmp_path: Path):
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(12):
        save_jpeg(folder / f"IMG_{i:02d}.jpg", scene(i))
    go_on = threading.Event()
    preferences = Preferences.at(tmp_path / "settings.ini")
    preferences.user_name = "Sam Staff"
    window = build_window(preferences, lambda: HeldDetector(go_on))
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    try:
        view, c = window.photo_view, window.controller
        assert c.open_folder(folder)
        qtbot.waitUntil(lambda: c.current is not None, timeout=20000)
        # Nothing is read yet (the detector is held), but the photo's quick thumbnail
        # arrives and stands in, scaled up to fill the view, under a small "Loading…".
        qtbot.waitUntil(lambda: view.banner_text() == LOADING_BANNER, timeout=20000)
        assert c.current_entry().state is PhotoState.NOT_SCANNED
        assert view.message() == "" and not view.has_photo()
        assert view.zoom_factor() > 1.2  # a 336 px thumbnail, scaled up to the view
        assert not _scrollbars_shown(view)
        go_on.set()
        qtbot.waitUntil(view.has_photo, timeout=30000)
        assert view.banner_text() == ""
    finally:
        go_on.set()
        window.close()


@pytest.fixture
def window(qtbot, make_window, tmp_path: Path):
    folder = tmp_path / "photos"
    folder.mkdir()
    save_jpeg(folder / "a.jpg", scene(1))
    (folder / "b.jpg").write_bytes(b"\xff\xd8\xff\xe0 cut short")
    window = scanned_window(qtbot, make_window, folder)
    window.activateWindow()
    return window


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(0, 8), st.sampled_from(["unreadable", "stand-in", "nothing"]))
def test_no_scrollbars_around_a_reason_or_a_stand_in_whatever_the_zoom_was(
    qtbot, window, zoom_steps, what
):
    c, view = window.controller, window.photo_view
    c.select(None)
    c.select("a.jpg")
    qtbot.waitUntil(view.has_photo)
    for _ in range(zoom_steps):
        view.zoom_in()
    QApplication.processEvents()
    assert _scrollbars_shown(view) == (view.zoom_factor() > view.fit_factor() * 1.01)
    if what == "unreadable":
        c.select("b.jpg")
        assert view.message().startswith("This file cannot be opened")
    elif what == "stand-in":
        stand_in = QImage(256, 192, QImage.Format.Format_RGB888)
        stand_in.fill(0x446688)
        view.show_loading(stand_in)
    else:
        view.clear()
    QApplication.processEvents()
    assert not _scrollbars_shown(view)
