"""The window says when the folder's records were changed outside photoscreen, and when a
decision could not be saved; it never shows an unsaved decision as made."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from photoscreen.core.basics.geometry import Box
from photoscreen.core.imaging.loading import photo_hash
from photoscreen.core.rules.policy import PhotoState
from photoscreen.core.session.folder_session import Session
from photoscreen.core.storage.location import DB_NAME, SESSION_DIR_NAME
from photoscreen.core.storage.records_check import CHANGED_OUTSIDE
from photoscreen.ui.control.messages import Level
from tests.core.storage.test_storage_failures import FailingConnection
from tests.helpers.session_fixtures import detection
from tests.ui.conftest import open_and_wait, save_jpeg, scanned_window, scene

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _folder(tmp_path: Path) -> tuple[Path, str]:
    """One photo, ready but marked unclothed by Bob."""
    folder = tmp_path / "photos"
    folder.mkdir()
    path = save_jpeg(folder / "IMG_0001.jpg", scene(1))
    digest = photo_hash(path.read_bytes())
    with Session.open(folder, "Bob") as session:
        session.record_scan(path, digest, 640, 480, "JPEG", [detection(Box(9, 9, 40, 40))], "k")
        session.set_activity(digest, "messy_play")
        session.set_faces_checked(digest)
        session.set_unclothed(digest, True)
    return folder, digest


def _errors(window) -> list[str]:
    return [m.text for _, m in window.controller.messages.history if m.level is Level.ERROR]


def test_the_window_says_the_records_were_changed_outside_photoscreen(qtbot, make_window, tmp_path):
    folder, digest = _folder(tmp_path)
    conn = sqlite3.connect(folder / SESSION_DIR_NAME / DB_NAME)
    conn.execute("UPDATE photos SET unclothed = 0 WHERE hash = ?", (digest,))
    conn.commit()
    conn.close()
    window = make_window(detector=False)
    open_and_wait(qtbot, window, folder)
    assert any("changed outside photoscreen" in text for text in _errors(window))
    assert not window.message_bar.isHidden()
    assert "changed outside photoscreen" in window.message_bar.text
    qtbot.waitUntil(lambda: window.controller.entries()[0].photo_hash is not None)
    entry = window.controller.entries()[0]
    assert entry.state is PhotoState.BLOCKED
    assert f"{CHANGED_OUTSIDE}: unclothed mark" in entry.reasons


def test_a_decision_the_full_disk_refused_is_said_and_not_shown_as_made(
    qtbot, make_window, tmp_path
):
    folder, _ = _folder(tmp_path)
    window = scanned_window(qtbot, make_window, folder)
    controller = window.controller
    controller.select("IMG_0001.jpg")
    store = controller.session.store
    store._conn = FailingConnection(store._conn, fail_at=2, rolls_back=True)
    controller.verbs.toggle_exclude()
    assert window.message_bar.isVisible()
    assert "is full" in window.message_bar.text and "NOT saved" in window.message_bar.text
    assert _errors(window)[-1] == window.message_bar.text.removeprefix("Problem: ")
    entry = controller.current_entry()
    assert entry is not None and entry.decisions is not None
    assert entry.decisions.excluded is False  # shown as it is saved
    assert entry.state is PhotoState.BLOCKED
    assert not controller.session.can_undo or controller.session.undo_description() != "Exclude"


def test_a_change_of_name_the_full_disk_refused_changes_nothing(qtbot, make_window, tmp_path):
    folder, _ = _folder(tmp_path)
    window = scanned_window(qtbot, make_window, folder)
    controller = window.controller
    store = controller.session.store
    store._conn = FailingConnection(store._conn, fail_at=1, rolls_back=False)
    controller.change_user("Alex")
    assert "is full" in window.message_bar.text
    # The name the window shows and the name decisions are recorded under stay the same.
    assert controller.session.user == "Sam Staff" == controller.preferences.user_name
