"""One way to write a file: a crash or a failure leaves the old file or the new one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from photoscreen.core.basics import safe_files
from photoscreen.core.basics.safe_files import open_without_following, write_atomically


class _Failed(Exception):
    pass


def _failing_replace(*_args: object) -> None:
    raise _Failed("the disk went away between the write and the rename")


@settings(max_examples=40, deadline=None)
@given(writes=st.lists(st.tuples(st.binary(max_size=64), st.booleans()), min_size=1, max_size=8))
def test_the_file_always_holds_the_last_write_that_finished(
    tmp_path_factory: pytest.TempPathFactory, writes: list[tuple[bytes, bool]]
) -> None:
    folder = tmp_path_factory.mktemp("atomic")
    target = folder / "centre.json"
    expected: bytes | None = None
    for data, fails in writes:
        with pytest.MonkeyPatch.context() as patch:
            if fails:
                patch.setattr(safe_files.os, "replace", _failing_replace)
            try:
                write_atomically(target, data)
                expected = data
            except _Failed:
                pass
        assert (target.read_bytes() if target.exists() else None) == expected
        assert [p.name for p in folder.iterdir()] == ([] if expected is None else [target.name])


def test_the_bytes_and_then_the_new_name_reach_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append("folder" if os.path.isdir(f"/proc/self/fd/{fd}") else "file")
        real_fsync(fd)

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell a folder's descriptor from a file's")
    monkeypatch.setattr(safe_files.os, "fsync", fsync)
    write_atomically(tmp_path / "a.jpg", b"jpeg")
    assert synced == ["file", "folder"]
    assert (tmp_path / "a.jpg").read_bytes() == b"jpeg"


def test_a_link_in_the_way_is_replaced_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"not ours")
    target = tmp_path / "folder" / "centre.json"
    target.parent.mkdir()
    target.symlink_to(outside)
    write_atomically(target, b"{}")
    assert outside.read_bytes() == b"not ours"
    assert not target.is_symlink() and target.read_bytes() == b"{}"


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="needs O_NOFOLLOW")
def test_a_link_is_never_opened_for_what_it_points_to(tmp_path: Path) -> None:
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"someone else's photo")
    link = tmp_path / "photo.jpg"
    link.symlink_to(secret)
    with pytest.raises(OSError):
        os.close(open_without_following(link))
    fd = open_without_following(secret)
    try:
        assert os.read(fd, 100) == b"someone else's photo"
    finally:
        os.close(fd)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_in_place_of_a_file_does_not_block(tmp_path: Path) -> None:
    pipe = tmp_path / "photo.jpg"
    os.mkfifo(pipe)
    fd = open_without_following(pipe)  # would wait for a writer without O_NONBLOCK
    os.close(fd)


def test_a_missing_folder_is_made_first(tmp_path: Path) -> None:
    target = tmp_path / "trail-heads" / "abc.json"
    write_atomically(target, b"{}")
    assert target.read_bytes() == b"{}"
