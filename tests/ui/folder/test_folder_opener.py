"""One folder opening at a time: a newer one supersedes it and the session the older one
made is closed (its lock freed), a dropped one never arrives, a failure says which."""

from __future__ import annotations

import pytest

from photoscreen.core.session import Session, SessionLocked
from photoscreen.ui.folder import FolderOpener, FolderOpening
from photoscreen.ui.threads import Workers
from tests.ui.conftest import save_jpeg, scene


@pytest.fixture
def workers(qtbot):
    made = Workers()
    yield made
    made.shutdown()


def _folders(tmp_path, *names):
    made = []
    for name in names:
        folder = tmp_path / name
        folder.mkdir()
        save_jpeg(folder / "IMG_0.jpg", scene(0))
        made.append(folder)
    return made


def _opener(workers):
    opener = FolderOpener(workers)
    opened, failed, changes = [], [], []
    opener.opened.connect(opened.append)
    opener.failed.connect(lambda opening, error: failed.append((opening.folder, error)))
    opener.changed.connect(changes.append)
    return opener, opened, failed, changes


def test_a_newer_opening_supersedes_and_the_older_session_is_closed(qtbot, workers, tmp_path):
    first, second = _folders(tmp_path, "first", "second")
    opener, opened, failed, changes = _opener(workers)
    opener.start(FolderOpening(first, "Sam", None))
    opener.start(FolderOpening(second, "Sam", None))
    qtbot.waitUntil(lambda: not opener.busy, timeout=20000)
    qtbot.wait(300)  # the superseded one's result has come too
    assert [o.session.folder for o in opened] == [second] and not failed
    assert changes == [first, second, None]
    opened[0].session.close()
    Session.open(first, "Alex").close()  # the superseded session let go of its lock


def test_an_abandoned_opening_never_arrives_and_frees_the_folder(qtbot, workers, tmp_path):
    (folder,) = _folders(tmp_path, "photos")
    opener, opened, failed, changes = _opener(workers)
    opener.start(FolderOpening(folder, "Sam", None))
    opener.abandon()
    assert not opener.busy and changes == [folder, None]
    qtbot.waitUntil(lambda: _free(folder), timeout=20000)  # its session let go of the lock
    qtbot.wait(200)
    assert opened == [] and failed == []


def _free(folder) -> bool:
    try:
        Session.open(folder, "Alex").close()
    except SessionLocked:
        return False
    return True


def test_a_folder_open_elsewhere_fails_with_the_lock_named(qtbot, workers, tmp_path):
    (folder,) = _folders(tmp_path, "photos")
    holder = Session.open(folder, "Alex")
    try:
        opener, opened, failed, _ = _opener(workers)
        opener.start(FolderOpening(folder, "Sam", None))
        qtbot.waitUntil(lambda: bool(failed), timeout=20000)
        assert opened == [] and failed[0][0] == folder
        assert isinstance(failed[0][1].exception, SessionLocked)
    finally:
        holder.close()
