"""A full disk (or any failed write) under the session: said plainly, nothing claimed.

A decision either is saved, with its audit entry and link, and the call returns; or
nothing of it is saved and the caller gets :class:`WriteFailed` saying the disk is full
(never SQLite's "cannot rollback - no transaction is active", which hid the cause). An
export never leaves a file in the upload folder without its "exported" audit entry.

Failures are injected at every write the session makes (each SQL statement that writes,
the commit, the export's file writes), with SQLite rolling back by itself or not, as it
does for different errors; and, when the tests run as root, made for real by filling a
small RAM disk.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photoscreen.core.basics.geometry import Box
from photoscreen.core.render import encode
from photoscreen.core.session.folder_session import Session
from photoscreen.core.storage.store_errors import WriteFailed
from photoscreen.core.trail import audit
from photoscreen.core.workflows.export import export_photos
from tests.helpers.session_fixtures import detection, make_ready, scan, write_photo

DISK_FULL = "database or disk is full"


class FailingConnection:
    """The store's connection, failing its ``fail_at``-th write with a full disk.

    ``rolls_back`` does what SQLite does after some failures: the transaction is gone
    before the caller hears of it.
    """

    def __init__(self, conn: sqlite3.Connection, fail_at: int, rolls_back: bool) -> None:
        self._conn = conn
        self.fail_at = fail_at
        self.rolls_back = rolls_back
        self.writes = 0

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._count(sql)
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._count(sql)
        return self._conn.executemany(sql, *args)

    def _count(self, sql: str) -> None:
        words = sql.split(None, 1)
        if not words or words[0].upper() in ("SELECT", "PRAGMA", "ROLLBACK"):
            return
        self.writes += 1
        if self.writes == self.fail_at:
            if self.rolls_back and self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise sqlite3.OperationalError(DISK_FULL)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    return folder


def _failing(session: Session, fail_at: int, rolls_back: bool = False) -> FailingConnection:
    store = session.store
    failing = FailingConnection(store._conn, fail_at, rolls_back)
    store._conn = failing  # type: ignore[assignment]
    return failing


def _healed(session: Session, failing: FailingConnection) -> None:
    session.store._conn = failing._conn


def _state(session: Session, digest: str) -> tuple[Any, ...]:
    return (
        session.photo(digest),
        [(e.action, e.details) for e in session.audit_trail()],
        session.settings.quality,
        session.can_undo,
    )


DECISIONS: dict[str, Callable[[Session, str], object]] = {
    "tag": lambda s, h: s.set_activity(h, "story_time"),
    "unclothed": lambda s, h: s.set_unclothed(h, True),
    "exclude": lambda s, h: s.set_excluded(h, True),
    "add face": lambda s, h: s.add_face(h, Box(3, 3, 9, 9)),
    "faces checked": lambda s, h: s.set_faces_checked(h),
    "flag": lambda s, h: s.flag_for_review(h, "ok?"),
    "undo": lambda s, h: s.undo(),
    "quality": lambda s, h: s.settings.set_export(quality=60),
    "note": lambda s, h: s.log_event("export_started", None, {}),
}


def _decided(folder: Path) -> tuple[Session, str]:
    write_photo(folder / "a.jpg", 1)
    session = Session.open(folder, "Alice")
    digest = scan(session, folder / "a.jpg", [detection(Box(10, 10, 20, 20))])
    session.set_activity(digest, "messy_play")
    return session, digest


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=st.sampled_from(sorted(DECISIONS)), which=st.integers(0, 30), rolls_back=st.booleans())
def test_a_decision_is_saved_or_the_user_is_told_the_disk_is_full(
    tmp_path_factory: pytest.TempPathFactory, kind: str, which: int, rolls_back: bool
) -> None:
    folder = tmp_path_factory.mktemp("photos")
    session, digest = _decided(folder)
    try:
        counting = _failing(session, fail_at=0, rolls_back=False)
        before = _state(session, digest)
        # A dry run on a copy would differ (ids, times): count this decision's writes by
        # making it, then put the session back as it was with a fresh folder.
        DECISIONS[kind](session, digest)
        writes = counting.writes
        _healed(session, counting)
    finally:
        session.close()
    assert writes > 0
    shutil.rmtree(folder)
    folder.mkdir()
    session, digest = _decided(folder)
    try:
        before = _state(session, digest)
        failing = _failing(session, fail_at=1 + which % writes, rolls_back=rolls_back)
        with pytest.raises(WriteFailed) as refused:
            DECISIONS[kind](session, digest)
        assert refused.value.disk_full
        assert "is full" in str(refused.value) and "NOT saved" in str(refused.value)
        assert "no transaction is active" not in str(refused.value)
        _healed(session, failing)
        assert _state(session, digest) == before  # nothing of it was saved, not even undo
        DECISIONS[kind](session, digest)  # room again: the same decision is saved
        assert _state(session, digest) != before
    finally:
        session.close()
    with Session.open(folder, "Checker") as reopened:
        assert reopened.records_problem is None  # the chain still holds


def _ready_folder(folder: Path, count: int = 3) -> None:
    with Session.open(folder, "Alice") as session:
        for seed in range(count):
            write_photo(folder / f"IMG_{seed}.jpg", seed + 1)
            make_ready(session, scan(session, folder / f"IMG_{seed}.jpg"))


def _published_without_entry(session: Session, upload: Path) -> list[str]:
    recorded = {
        e.details["name"]
        for e in session.audit_trail()
        if e.action == "exported" and e.details["destination"] == str(upload.resolve())
    }
    names = [p.name for p in upload.iterdir()] if upload.exists() else []
    assert not [n for n in names if n.startswith(".")], "a temporary file was left"
    return [name for name in names if name not in recorded]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(which=st.integers(0, 60), rolls_back=st.booleans())
def test_no_exported_file_is_without_its_entry_whichever_write_fails(
    tmp_path_factory: pytest.TempPathFactory, which: int, rolls_back: bool
) -> None:
    root = tmp_path_factory.mktemp("export")
    folder = root / "photos"
    folder.mkdir()
    _ready_folder(folder)
    with Session.open(folder, "Alice") as session:
        counting = _failing(session, fail_at=0, rolls_back=False)
        export_photos(session, root / "dry-run")
        writes = counting.writes
        _healed(session, counting)
    upload = root / "upload"
    with Session.open(folder, "Alice") as session:
        failing = _failing(session, fail_at=1 + which % writes, rolls_back=rolls_back)
        try:
            summary = export_photos(session, upload)
        except WriteFailed as error:
            # Only when its start could not be recorded: then it wrote nothing at all.
            assert error.disk_full and "is full" in str(error)
            assert not upload.exists() or not list(upload.iterdir())
            summary = None
        _healed(session, failing)
        assert _published_without_entry(session, upload) == []
        if summary is not None:
            said = " ".join(summary.lines())
            assert "is full" in said and not summary.ok
    with Session.open(folder, "Checker") as session:
        assert session.records_problem is None
        again = export_photos(session, root / "again")
        assert again.ok and len(again.written) == 3


FILE_WRITES = {
    "the temporary file": (encode, "write_and_sync"),
    "the final name": (encode, "_publish"),
    "the text log": (audit, "write_text_log"),
}


@pytest.mark.parametrize("where", sorted(FILE_WRITES))
def test_a_full_upload_or_log_disk_is_said_and_leaves_no_file_without_its_entry(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    _ready_folder(folder)
    module, name = FILE_WRITES[where]
    real = getattr(module, name)
    calls: list[int] = []

    def full(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:  # the second photo's (the log: its only call)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, full)
    if where == "the text log":
        calls.append(1)
    upload = tmp_path / "upload"
    with Session.open(folder, "Alice") as session:
        summary = export_photos(session, upload)
        assert _published_without_entry(session, upload) == []
        if where == "the final name":
            trail = [e.action for e in session.audit_trail()]
            assert "export_not_published" in trail
    said = " ".join(summary.lines())
    assert "No space left on device" in said or "disk is full" in said
    assert not summary.ok


# A real full disk ----------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB RAM disk, mounted for the test (root only: a real full filesystem)."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("filling a real disk needs root, to mount a small tmpfs")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path) -> Path:
    """Fill ``disk`` to the last byte; returns the file that fills it."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        for size in (65536, 4096, 1):  # big pieces, then the last partial block
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)
    return filler


def test_a_really_full_disk_is_said_and_the_decision_saved_once_there_is_room(
    small_disk: Path,
) -> None:
    folder = small_disk / "photos"
    folder.mkdir()
    session, digest = _decided(folder)
    try:
        before = _state(session, digest)
        filler = _fill(small_disk)
        with pytest.raises(WriteFailed) as refused:
            for step in range(200):  # until SQLite needs a page it has not got
                session.add_face(digest, Box(1 + step % 40, 1, 5, 5))
                before = _state(session, digest)
        assert refused.value.disk_full and "is full" in str(refused.value)
        assert _state(session, digest) == before
        filler.unlink()
        session.set_unclothed(digest, True)
        assert session.photo(digest).unclothed  # type: ignore[union-attr]
    finally:
        session.close()
    with Session.open(folder, "Checker") as reopened:
        assert reopened.records_problem is None


def test_an_export_onto_a_really_full_session_disk_publishes_nothing_unrecorded(
    small_disk: Path, tmp_path: Path
) -> None:
    folder = small_disk / "photos"
    folder.mkdir()
    _ready_folder(folder, count=4)
    upload = tmp_path / "upload"
    with Session.open(folder, "Alice") as session:
        filled: list[Path] = []

        def fill_after_first(progress: Any) -> None:
            if progress.done == 1 and not filled:
                filled.append(_fill(small_disk))

        summary = export_photos(session, upload, progress=fill_after_first)
        assert _published_without_entry(session, upload) == []
        assert summary.stopped is not None and "is full" in summary.stopped
        assert len(summary.written) < 4
        filled[0].unlink()


def test_a_headless_export_that_cannot_record_its_start_says_so(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from photoscreen.commands import export as export_command

    _ready_folder(folder)
    real_open = Session.open

    def open_then_fill(*args: Any, **kwargs: Any) -> Session:
        session = real_open(*args, **kwargs)
        _failing(session, fail_at=1, rolls_back=True)
        return session

    monkeypatch.setattr(Session, "open", open_then_fill)
    out = io.StringIO()
    assert export_command.run(folder, tmp_path / "up", user="Bob", out=out) == 2
    assert "is full" in out.getvalue() and "Traceback" not in out.getvalue()
    assert not (tmp_path / "up").exists() or not list((tmp_path / "up").iterdir())
