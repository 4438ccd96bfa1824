"""Taking over a stale folder lock: two openers that find the same stale lock never both
end up holding the folder, however their steps interleave.

The interleavings are forced through the lock's own steps (no timing): the slower opener
is paused just before its take-over while the faster one opens the folder, or the faster
one is paused half-way through its take-over while the slower one tries.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from photoscreen.core.storage import session_lock
from photoscreen.core.storage.session_lock import FolderLock, SessionLocked


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _leave_stale_lock(directory: Path) -> None:
    """A lock left on this PC by a photoscreen that crashed."""
    holder = {
        "user": "Crashed",
        "host": socket.gethostname(),
        "pid": _dead_pid(),
        "since": "2024-01-01T00:00:00+00:00",
        "token": "dead",
    }
    (directory / "lock").write_text(json.dumps(holder), encoding="utf-8")


def _lock_owner(directory: Path) -> str:
    return str(json.loads((directory / "lock").read_text(encoding="utf-8"))["user"])


def test_slower_opener_does_not_remove_the_lock_the_faster_one_just_took(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _leave_stale_lock(tmp_path)
    alice, bob = FolderLock(tmp_path, "Alice"), FolderLock(tmp_path, "Bob")
    take_over = FolderLock._take_over
    paused = []

    def bob_pauses_before_taking_over(self: FolderLock, stale: object) -> None:
        if self is bob and not paused:
            paused.append(True)
            # Bob has judged the crashed lock stale; before he acts, Alice opens the folder.
            alice.acquire()
            assert _lock_owner(tmp_path) == "Alice"
        take_over(self, stale)  # type: ignore[arg-type]

    monkeypatch.setattr(FolderLock, "_take_over", bob_pauses_before_taking_over)
    with pytest.raises(SessionLocked, match="open in photoscreen by Alice on"):
        bob.acquire()
    assert paused
    assert _lock_owner(tmp_path) == "Alice"
    alice.release()
    assert not (tmp_path / "lock").exists()
    bob.acquire()  # once Alice has closed, Bob can open
    assert _lock_owner(tmp_path) == "Bob"


def test_opener_arriving_during_a_take_over_waits_its_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _leave_stale_lock(tmp_path)
    alice, bob = FolderLock(tmp_path, "Alice"), FolderLock(tmp_path, "Bob")
    claim = session_lock._claim
    outcome: list[str] = []

    def alice_pauses_inside_her_take_over(guard: Path) -> bool:
        claimed = claim(guard)
        if claimed and not outcome:
            outcome.append("paused")
            # Alice holds the take-over; the stale lock is still there. Bob tries now.
            try:
                bob.acquire()
                outcome.append("Bob got the lock")
            except SessionLocked as error:
                outcome.append(str(error))
        return claimed

    monkeypatch.setattr(session_lock, "_claim", alice_pauses_inside_her_take_over)
    alice.acquire()
    assert outcome[0] == "paused"
    assert outcome[1].startswith("This folder is being opened by another photoscreen")
    assert _lock_owner(tmp_path) == "Alice"
    assert not (tmp_path / "lock.takeover").exists()


def test_stale_lock_alone_is_taken_over(tmp_path: Path) -> None:
    _leave_stale_lock(tmp_path)
    lock = FolderLock(tmp_path, "Alice")
    lock.acquire()
    assert _lock_owner(tmp_path) == "Alice"
    lock.release()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_take_over_guard_left_by_a_crash_does_not_block_forever(tmp_path: Path) -> None:
    _leave_stale_lock(tmp_path)
    guard = tmp_path / "lock.takeover"
    guard.write_bytes(b"")
    old = time.time() - 3600
    os.utime(guard, (old, old))
    lock = FolderLock(tmp_path, "Alice")
    lock.acquire()
    assert _lock_owner(tmp_path) == "Alice"
    assert not guard.exists()
