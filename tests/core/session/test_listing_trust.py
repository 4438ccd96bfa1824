"""The file list never shows a file's old decisions for new content (issue 10, item 14d).

The listing does not read the photos (a big folder lists at once): it trusts the hash a
file had when it was read while the file looks unchanged. "Looks unchanged" was size and
modification time, which any program can set back after rewriting a photo, so an edited
photo stayed "ready" in the list (export re-checks, and withheld it). Now the change
time, which every write sets and no program can set back, and the inode are compared too.

The property: whatever is done to a photo's file (rewritten with other content of the
same size, its modification time put back, replaced by another file, its permissions
changed...), the list shows either no decisions (not read yet) or the decisions of
exactly the content the file holds now.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photoscreen.core.imaging.loading import photo_hash
from photoscreen.core.rules.policy import PhotoState
from photoscreen.core.session.folder_session import Session
from tests.helpers.session_fixtures import jpeg_bytes, make_ready, scan

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="Windows reports the creation time as st_ctime"
)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    folder = tmp_path / "photos"
    folder.mkdir()
    with Session.open(folder, "Alice") as opened:
        yield opened


def _settle() -> None:
    """Let the file system's clock move on from the last write before a file is read.

    Timestamps are taken from a coarse clock (a few milliseconds): a file changed twice
    within one tick, and read in between, looks unchanged (git calls such entries
    "racily clean"). Photos are checked minutes after they are read, not milliseconds.
    """
    time.sleep(0.03)


def _ready_photo(session: Session, name: str = "IMG_1.jpg", seed: int = 1) -> Path:
    path = session.folder / name
    path.write_bytes(jpeg_bytes(seed))
    _settle()
    make_ready(session, scan(session, path))
    return path


def _same_size_other_content(data: bytes) -> bytes:
    """Other picture bytes of exactly the same length (a pixel byte changed)."""
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x55]) + data[middle + 1 :]


def _rewrite_keeping_size_and_time(path: Path) -> None:
    before = path.stat()
    path.write_bytes(_same_size_other_content(path.read_bytes()))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_a_photo_rewritten_with_its_size_and_time_kept_is_not_listed_ready(
    session: Session,
) -> None:
    path = _ready_photo(session)
    _rewrite_keeping_size_and_time(path)
    (entry,) = session.photos()
    assert entry.state is not PhotoState.READY
    assert entry.photo_hash is None  # not read yet: its old decisions are not shown


def test_a_photo_replaced_by_another_file_is_not_listed_ready(session: Session) -> None:
    path = _ready_photo(session)
    before = path.stat()
    stand_in = session.folder.parent / "stand-in.jpg"
    stand_in.write_bytes(_same_size_other_content(path.read_bytes()))
    os.utime(stand_in, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(stand_in, path)
    (entry,) = session.photos()
    assert entry.state is not PhotoState.READY


def test_an_untouched_photo_stays_ready_without_being_read(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ready_photo(session)
    monkeypatch.setattr(Path, "read_bytes", lambda _self: pytest.fail("the listing read a file"))
    (entry,) = session.photos()
    assert entry.state is PhotoState.READY


_EDITS = ("same content", "other content", "time put back", "replaced", "permissions", "renamed")


def _edit(path: Path, edit: str, seed: int) -> None:
    before = path.stat()
    data = path.read_bytes()
    if edit == "same content":
        path.write_bytes(data)
    elif edit == "other content":
        path.write_bytes(_same_size_other_content(data))
    elif edit == "time put back":
        path.write_bytes(jpeg_bytes(seed))
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    elif edit == "replaced":
        stand_in = path.with_name(".stand-in")
        stand_in.write_bytes(_same_size_other_content(data))
        os.utime(stand_in, ns=(before.st_atime_ns, before.st_mtime_ns))
        os.replace(stand_in, path)
    elif edit == "permissions":
        path.chmod(0o600 if before.st_mode & 0o044 else 0o644)
    elif edit == "renamed":
        moved = path.with_name(".moved")
        os.replace(path, moved)
        os.replace(moved, path)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(st.tuples(st.sampled_from(_EDITS), st.integers(0, 5)), max_size=4))
def test_the_list_shows_decisions_only_for_the_content_the_file_holds(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[str, int]]
) -> None:
    folder = tmp_path_factory.mktemp("photos")
    with Session.open(folder, "Alice") as session:
        path = _ready_photo(session)
        for edit, seed in edits:
            _edit(path, edit, seed)
            (entry,) = session.photos()
            assert entry.photo_hash in (None, photo_hash(path.read_bytes())), edit
            if entry.photo_hash is None:
                _settle()
                scan(session, path)  # read again, as scan would
