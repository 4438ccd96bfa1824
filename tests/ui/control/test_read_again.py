"""The window reading the session again after another photoscreen saved: a read made on a
worker never shows an older state than this window's own change made meanwhile."""

from __future__ import annotations

import pytest

from tests.ui.conftest import save_jpeg, scanned_window, scene

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("activity", ["story_time", "messy_play"])
def test_a_read_older_than_a_change_made_meanwhile_is_not_shown(
    qtbot, make_window, tmp_path, monkeypatch, activity
):
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(3):
        save_jpeg(folder / f"IMG_{i}.jpg", scene(i))
    window = scanned_window(qtbot, make_window, folder)
    c = window.controller
    session = c.session
    c.select("IMG_1.jpg")
    before = session.photos()  # what a read made before the change below returns
    calls: list[int] = []
    real = session.photos

    def photos():
        calls.append(1)
        return before if len(calls) == 1 else real()

    monkeypatch.setattr(session, "photos", photos)
    c.outside.read_all_again()  # another photoscreen saved: read on a worker...
    c.verbs.set_activity(activity)  # ...while this window changes the photo on screen
    # The first read predates the change: it is not shown, the session is read again.
    qtbot.waitUntil(lambda: len(calls) >= 2, timeout=10000)
    qtbot.wait(300)
    entry = next(e for e in c.entries() if e.name == "IMG_1.jpg")
    assert entry.decisions is not None and entry.decisions.activity == activity
    assert window.side_panel.activity_buttons[activity].isChecked()
