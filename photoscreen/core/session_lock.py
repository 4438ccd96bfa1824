"""One photoscreen at a time per folder: an exclusive lock file in the session directory.

SQLite alone keeps two writers from corrupting the database, but two people deciding on
the same photos at once would overwrite each other's work without knowing. So the first
instance to open a folder holds ``.photoscreen/lock`` (who, which PC, which process, since
when) and a second instance gets a plain-words message naming the holder.

A lock left behind by a crash is recovered automatically when its process is gone and it
was taken on this PC; a lock from another PC cannot be checked from here, so the message
says how to clear it by hand.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

LOCK_NAME = "lock"
# A lock file that is empty or unreadable was cut short while being written (the writer
# was killed between creating and filling it). After this many seconds it is abandoned.
_HALF_WRITTEN_GRACE_S = 30.0


class SessionLocked(Exception):
    """Another photoscreen has this folder open; ``str()`` says who, where and since when."""

    def __init__(self, message: str, holder: LockHolder | None = None) -> None:
        super().__init__(message)
        self.holder = holder


@dataclass(frozen=True)
class LockHolder:
    """Who holds a folder's lock."""

    user: str
    host: str
    pid: int
    since: str
    token: str

    def describe(self) -> str:
        """ "Alice on PC-12 since 10:42" in local time."""
        return f"{self.user} on {self.host} since {_local_time(self.since)}"


def _local_time(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return iso
    if moment.date() == datetime.now().astimezone().date():
        return moment.strftime("%H:%M")
    return moment.strftime("%d %b %Y %H:%M")


def pid_alive(pid: int) -> bool:
    """True when a process with this id is running on this PC."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0 only checks; it sends nothing on POSIX
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it belongs to someone else
    return True


def _windows_pid_alive(pid: int) -> bool:
    # os.kill on Windows terminates the process whatever the signal, so ask the kernel.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return bool(code.value == 259)  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


class FolderLock:
    """The exclusive lock on one session directory."""

    def __init__(self, directory: Path, user: str) -> None:
        self.path = directory / LOCK_NAME
        self._mine = LockHolder(
            user=user,
            host=socket.gethostname(),
            pid=os.getpid(),
            since=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            token=secrets.token_hex(8),
        )
        self._held = False

    def acquire(self) -> None:
        """Take the lock, or raise :class:`SessionLocked` naming whoever has it."""
        for _ in range(3):
            if self._try_create():
                self._held = True
                return
            holder = self._read_holder()
            if holder is None:
                if self._half_written_lock_is_old():
                    self._remove_stale()
                    continue
                raise SessionLocked(
                    "This folder is being opened by another photoscreen right now. "
                    "Try again in a moment."
                )
            if self._is_stale(holder):
                self._remove_stale()
                continue
            raise SessionLocked(self._locked_message(holder), holder)
        raise SessionLocked("This folder's lock could not be taken. Try again in a moment.")

    def release(self) -> None:
        """Give the lock back, only if the file is still ours."""
        if not self._held:
            return
        self._held = False
        holder = self._read_holder()
        if holder is not None and holder.token == self._mine.token:
            self.path.unlink(missing_ok=True)

    def _try_create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(self._mine.__dict__, handle)
            handle.flush()
            os.fsync(handle.fileno())
        return True

    def _read_holder(self) -> LockHolder | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return LockHolder(
                user=str(data["user"]),
                host=str(data["host"]),
                pid=int(data["pid"]),
                since=str(data["since"]),
                token=str(data["token"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _is_stale(self, holder: LockHolder) -> bool:
        return holder.host == self._mine.host and not pid_alive(holder.pid)

    def _half_written_lock_is_old(self) -> bool:
        try:
            age = time.time() - self.path.stat().st_mtime
        except FileNotFoundError:
            return True
        return age > _HALF_WRITTEN_GRACE_S

    def _remove_stale(self) -> None:
        self.path.unlink(missing_ok=True)

    def _locked_message(self, holder: LockHolder) -> str:
        message = f"This folder is open in photoscreen by {holder.describe()}."
        if holder.host == self._mine.host:
            return message + " Close it there first."
        return (
            message + " Close it there first. If photoscreen is no longer running on "
            f"{holder.host}, delete the file '{self.path.name}' in the folder's "
            "'.photoscreen' directory and try again."
        )
