"""A flow that leads somewhere: C and the next / previous keys go to the next photo that
still needs something, and when none is left the status line says so, in one place."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from photoscreen.core.rules.policy import NEEDS_STAFF, PhotoState, PhotoStatus
from photoscreen.ui.grid.filters import counts_text, decided_text
from tests.ui.conftest import save_jpeg, scanned_window, scene

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def window(qtbot, make_window, tmp_path: Path):
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(5):
        save_jpeg(folder / f"IMG_{i:04d}.jpg", scene(i))
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 cut short")
    (folder / "Thumbs.db").write_bytes(b"\x00 the system's")
    (folder / "desktop.ini").write_text("[.ShellClassInfo]")
    return scanned_window(qtbot, make_window, folder)


def _press(window, key: Qt.Key) -> None:
    QTest.keyClick(window.grid, key)


def test_system_files_are_not_listed_or_counted(window):
    names = [e.name for e in window.controller.entries()]
    assert "Thumbs.db" not in names and "desktop.ini" not in names
    assert window.filter_bar.counts_label.text() == (
        "5 photos: 5 need an activity; 1 file can't be opened"
    )


def test_c_and_the_arrows_skip_what_is_decided_and_the_end_says_all_decided(qtbot, window):
    c = window.controller
    window.grid.setFocus()
    c.select("IMG_0001.jpg")
    c.verbs.toggle_exclude()  # decided: excluded
    c.select("IMG_0003.jpg")
    c.verbs.set_activity("story_time")
    c.verbs.faces_checked_and_next()  # ready
    assert c.current == "IMG_0004.jpg"
    _press(window, Qt.Key.Key_Left)  # 3 is ready: straight to 2
    assert c.current == "IMG_0002.jpg"
    _press(window, Qt.Key.Key_Left)  # 1 is excluded: straight to 0
    assert c.current == "IMG_0000.jpg"
    _press(window, Qt.Key.Key_Left)  # nothing before: the plain neighbour (broken.jpg)
    assert c.current == "broken.jpg"
    for name in ("IMG_0000.jpg", "IMG_0002.jpg", "IMG_0004.jpg"):
        c.select(name)
        c.verbs.set_activity("story_time")
    assert decided_text(c.model.statuses(), "Ctrl+E") == ""
    c.select("IMG_0004.jpg")
    c.verbs.faces_checked_and_next()
    assert c.current == "IMG_0000.jpg"  # from the top again: 0 still needs its faces checked
    c.verbs.faces_checked_and_next()
    assert c.current == "IMG_0002.jpg"
    c.verbs.faces_checked_and_next()
    label = window.filter_bar.counts_label
    assert label.text().startswith("All 5 photos decided — Export (Ctrl+E)")
    assert c.current == "IMG_0002.jpg"  # nowhere left to go
    assert "font-weight: bold" in label.styleSheet()


statuses = st.lists(st.sampled_from(list(PhotoState)).map(PhotoStatus), max_size=10)


@settings(max_examples=60)
@given(statuses)
def test_all_decided_is_said_exactly_when_no_photo_needs_staff(given_statuses):
    said = decided_text(given_statuses, "Ctrl+E")
    photos = [s for s in given_statuses if s.state is not PhotoState.UNREADABLE]
    assert bool(said) == (bool(photos) and not any(s.state in NEEDS_STAFF for s in photos))
    if said:
        assert said.startswith(f"All {len(photos)} photo")
    assert counts_text(given_statuses)  # the counts are always there too


def test_a_message_about_a_photo_goes_with_it_and_never_moves_the_photo(qtbot, window):
    from photoscreen.core.basics.geometry import Box
    from tests.helpers.session_fixtures import detection

    c, bar, view = window.controller, window.message_bar, window.photo_view
    c.select("IMG_0001.jpg")
    qtbot.waitUntil(view.has_photo)
    top = view.mapTo(window, view.rect().topLeft())
    digest = c.current_entry().photo_hash
    c.session.add_detections(digest, [detection(Box(10, 10, 30, 30), possible=True)], "t")
    c.refresh_photo(digest)
    c.verbs.faces_checked_and_next()
    assert bar.isVisible() and "possible face first" in bar.text
    assert view.mapTo(window, view.rect().topLeft()) == top  # the bar kept its place
    c.messages.info("Something about the folder")
    c.select("IMG_0002.jpg")
    assert bar.isVisible()  # not about a photo: it stays
    c.messages.warning("Something about this photo", about="IMG_0002.jpg")
    c.select("IMG_0002.jpg")  # the same photo: it stays
    assert bar.isVisible()
    c.select("IMG_0003.jpg")
    assert not bar.isVisible()
    assert view.mapTo(window, view.rect().topLeft()) == top


def test_home_and_end_go_to_the_first_and_last_photo(window):
    c = window.controller
    window.grid.setFocus()
    c.select("IMG_0002.jpg")
    _press(window, Qt.Key.Key_End)
    assert c.current == "IMG_0004.jpg"
    _press(window, Qt.Key.Key_Home)
    assert c.current == "broken.jpg"
