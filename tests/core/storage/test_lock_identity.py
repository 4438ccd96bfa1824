"""A folder's lock is judged by who really holds it, and there is always a way out.

The bug: a stale lock whose process id was reused after a restart locked the folder for
good, with no way out offered (only "Close it there first"). A lock now records which
start of the PC it was taken in and when its process started, so a reused id is told
apart; and where it cannot be judged (another PC, a lock from an older photoscreen, a
system that does not say), the person may open the folder anyway, which takes over that
very lock, and the photoscreen that held it, if it runs after all, saves nothing more.

The decision table is tested as a property over every kind of holder: known to run,
known to have stopped, or not known.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photoscreen.core.basics.process_identity import boot_id, process_started
from photoscreen.core.session.folder_session import Session
from photoscreen.core.storage import session_lock
from photoscreen.core.storage.session_lock import (
    FolderLock,
    FolderTakenOver,
    LockHolder,
    SessionLocked,
)
from tests.helpers.session_fixtures import scan, write_photo

HOST = socket.gethostname()


def _holder(**fields: object) -> LockHolder:
    base: dict[str, object] = {
        "user": "Bob",
        "host": HOST,
        "pid": os.getpid(),
        "since": "2024-05-03T09:00:00+00:00",
        "token": "b0b",
        "boot": boot_id(),
        "started": process_started(os.getpid()),
    }
    return LockHolder(**{**base, **fields})  # type: ignore[arg-type]


def _leave_lock(directory: Path, holder: LockHolder, *, old_format: bool = False) -> None:
    fields = asdict(holder)
    if old_format:  # written by a photoscreen from before boot and start times
        del fields["boot"], fields["started"]
    (directory / "lock").write_text(json.dumps(fields), encoding="utf-8")


def _owner(directory: Path) -> str:
    return str(json.loads((directory / "lock").read_text(encoding="utf-8"))["user"])


@pytest.mark.skipif(not boot_id(), reason="this system does not give a boot id")
def test_a_lock_from_before_a_restart_is_recovered_though_its_id_runs(tmp_path: Path) -> None:
    """The issue's case: the id is alive (here it is this very process), the PC was
    restarted since the lock was taken."""
    _leave_lock(tmp_path, _holder(boot="an-earlier-start-of-this-pc"))
    FolderLock(tmp_path, "Alice").acquire()
    assert _owner(tmp_path) == "Alice"


@pytest.mark.skipif(not process_started(os.getpid()), reason="no process start times here")
def test_a_lock_whose_id_now_belongs_to_another_process_is_recovered(tmp_path: Path) -> None:
    _leave_lock(tmp_path, _holder(started="12345"))
    FolderLock(tmp_path, "Alice").acquire()
    assert _owner(tmp_path) == "Alice"


def test_a_photoscreen_running_on_this_pc_is_never_taken_over(tmp_path: Path) -> None:
    bob = FolderLock(tmp_path, "Bob")
    bob.acquire()
    alice = FolderLock(tmp_path, "Alice")
    with pytest.raises(SessionLocked) as refused:
        alice.acquire()
    if process_started(os.getpid()):
        assert not refused.value.may_be_stale
        assert str(refused.value).endswith("Close it there first.")
        with pytest.raises(SessionLocked):
            alice.acquire(take_over=refused.value.holder)
    assert _owner(tmp_path) == "Bob"


@pytest.mark.parametrize("where", ["another PC", "an older photoscreen's lock on this PC"])
def test_a_lock_that_cannot_be_judged_offers_to_open_anyway(tmp_path: Path, where: str) -> None:
    if where == "another PC":
        _leave_lock(tmp_path, _holder(host="PC-12"))
    else:
        _leave_lock(tmp_path, _holder(), old_format=True)
    alice = FolderLock(tmp_path, "Alice")
    with pytest.raises(SessionLocked, match="can be opened anyway") as refused:
        alice.acquire()
    assert refused.value.may_be_stale
    assert "open in photoscreen by Bob on" in str(refused.value)
    alice.acquire(take_over=refused.value.holder)
    assert _owner(tmp_path) == "Alice"


def test_open_anyway_takes_over_only_the_lock_that_was_shown(tmp_path: Path) -> None:
    _leave_lock(tmp_path, _holder(host="PC-12"))
    alice = FolderLock(tmp_path, "Alice")
    with pytest.raises(SessionLocked) as refused:
        alice.acquire()
    _leave_lock(tmp_path, _holder(host="PC-7", user="Carol", token="ca401"))  # meanwhile
    with pytest.raises(SessionLocked, match="Carol"):
        alice.acquire(take_over=refused.value.holder)
    assert _owner(tmp_path) == "Carol"


def test_the_photoscreen_taken_over_saves_nothing_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bob's photoscreen runs on another PC after all; Alice was told it had stopped."""
    folder = tmp_path / "photos"
    folder.mkdir()
    write_photo(folder / "IMG_1.jpg", 1)
    monkeypatch.setattr(session_lock.socket, "gethostname", lambda: "PC-12")
    bob = Session.open(folder, "Bob")
    monkeypatch.undo()
    digest = scan(bob, folder / "IMG_1.jpg")
    with pytest.raises(SessionLocked) as refused:
        Session.open(folder, "Alice")
    with Session.open(folder, "Alice", take_over=refused.value.holder) as alice:
        with pytest.raises(FolderTakenOver, match="nothing more is saved here"):
            bob.set_activity(digest, "messy_play")
        bob.close()  # gives nothing back: the lock is Alice's now
        assert _owner(alice.session_dir) == "Alice"
        decisions = alice.photo(digest)
        assert decisions is not None and decisions.activity is None
        alice.set_activity(digest, "messy_play")
        tags = [e.who for e in alice.audit_trail(digest) if e.action == "tag_activity"]
    assert tags == ["Alice"]


# --- the decision table, as a property -------------------------------------------------

_KNOWN = st.sampled_from(["same", "other", "unknown"])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    other_host=st.booleans(),
    alive=st.booleans(),
    boot=_KNOWN,
    started=_KNOWN,
    take_over=st.booleans(),
)
def test_a_lock_is_taken_only_when_its_holder_cannot_be_running_or_the_person_says_so(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    other_host: bool,
    alive: bool,
    boot: str,
    started: str,
    take_over: bool,
) -> None:
    directory = tmp_path_factory.mktemp("session")
    with monkeypatch.context() as patch:
        patch.setattr(session_lock, "boot_id", lambda: "boot-now")
        patch.setattr(session_lock, "process_started", lambda pid: "start-now")
        patch.setattr(session_lock, "pid_alive", lambda pid: alive)
        value = {"same": "{}-now", "other": "{}-before", "unknown": ""}
        holder = _holder(
            host="PC-12" if other_host else HOST,
            pid=4242,
            boot=value[boot].format("boot"),
            started=value[started].format("start"),
        )
        _leave_lock(directory, holder)
        alice = FolderLock(directory, "Alice")
        stopped = not other_host and (not alive or "other" in (boot, started))
        running = not other_host and alive and not stopped and started == "same"
        try:
            alice.acquire(take_over=holder if take_over else None)
        except SessionLocked as refused:
            assert not stopped
            assert running or not take_over
            assert refused.may_be_stale == (not running)
            assert _owner(directory) == "Bob"
        else:
            assert stopped or (take_over and not running)
            assert _owner(directory) == "Alice"
