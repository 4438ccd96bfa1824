"""What another photoscreen saved reaches this window: read on a worker, shown only when
no change of this window's own came meanwhile (a read may predate it), and never for a
folder closed since."""

from __future__ import annotations

import pytest

from photoscreen.core.storage import StoreError
from photoscreen.ui.folder import OutsideChanges
from photoscreen.ui.threads import Workers


class Folder:
    """A session as OutsideChanges sees it: what changed elsewhere, and its photos."""

    def __init__(self) -> None:
        self.elsewhere = False
        self.reads = 0
        self.on_read = lambda: None

    def changed_elsewhere(self) -> bool:
        if isinstance(self.elsewhere, Exception):
            raise self.elsewhere
        return self.elsewhere

    def photos(self) -> list[str]:
        self.reads += 1
        self.on_read()
        return [f"read {self.reads}"]


@pytest.fixture
def workers(qtbot):
    made = Workers()
    yield made
    made.shutdown()


def _watch(workers, folder):
    state = {"session": folder, "changes": 0}
    shown: list[list[str]] = []
    outside = OutsideChanges(
        workers, lambda: state["session"], lambda: state["changes"], shown.append
    )
    return outside, state, shown


def test_nothing_is_read_until_another_photoscreen_saved(qtbot, workers):
    folder = Folder()
    outside, _, shown = _watch(workers, folder)
    assert outside.look() is False
    folder.elsewhere = True
    assert outside.look() is True
    qtbot.waitUntil(lambda: shown == [["read 1"]], timeout=5000)


def test_a_read_older_than_a_change_of_this_window_is_made_again(qtbot, workers):
    folder = Folder()
    outside, state, shown = _watch(workers, folder)

    def change_meanwhile() -> None:  # this window stores a change while the read runs
        if folder.reads == 1:
            state["changes"] += 1

    folder.on_read = change_meanwhile
    outside.read_all_again()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown == [["read 2"]]  # the first read was not shown


def test_a_read_for_a_folder_closed_since_is_dropped(qtbot, workers):
    folder = Folder()
    outside, state, shown = _watch(workers, folder)
    folder.on_read = lambda: state.update(session=None)
    outside.read_all_again()
    qtbot.waitUntil(lambda: folder.reads == 1, timeout=5000)
    qtbot.wait(200)
    assert shown == []


def test_a_share_gone_away_is_no_change(qtbot, workers):
    folder = Folder()
    folder.elsewhere = StoreError("the share went away")
    outside, _, shown = _watch(workers, folder)
    assert outside.look() is False
    qtbot.wait(100)
    assert folder.reads == 0 and shown == []
