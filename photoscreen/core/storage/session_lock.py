"""One photoscreen at a time per folder: an exclusive lock file in the session directory.

SQLite alone keeps two writers from corrupting the database, but two people deciding on
the same photos at once would overwrite each other's work without knowing. So the first
instance to open a folder holds ``.photoscreen/lock`` (who, which PC, which process, since
when) and a second instance gets a plain-words message naming the holder.

A lock left behind by a crash is recovered automatically when it was taken on this PC and
its process is gone: the lock records which start of the PC it was taken in and when its
process started, so a process id reused after a restart is not mistaken for the holder
(see :mod:`~photoscreen.core.basics.process_identity`). A lock from another PC, or one whose
holder cannot be told apart from a reused id, cannot be judged from here:
:class:`SessionLocked` then says so (``may_be_stale``), and the person, who can see
whether the other photoscreen is still open, may open the folder anyway
(``acquire(take_over=holder)``). That takes over exactly the lock they were shown, never
one taken since; and should the other photoscreen be running after all, it finds out at
its next change (:meth:`FolderLock.check_held`), which is refused and not saved.

Recovering a stale lock is a take-over: two openers may find the same stale lock at once,
and the slower one must not delete the lock the faster one has just made. So a take-over
first creates ``lock.takeover`` (``O_EXCL``: one opener at a time), then reads the lock
file again and removes it only if it is still the very file judged stale (same bytes, same
inode and modification time). Openers make their own lock only with ``O_EXCL``, which fails
while the stale file is there, so between that check and the removal nobody else can have
replaced it.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from photoscreen.core.basics import boot_id, pid_alive, process_started
from photoscreen.core.storage.store import StoreError

__all__ = ["FolderLock", "FolderTakenOver", "LockHolder", "SessionLocked", "pid_alive"]

LOCK_NAME = "lock"
# A lock file that is empty or unreadable was cut short while being written (the writer
# was killed between creating and filling it). After this many seconds it is abandoned.
_HALF_WRITTEN_GRACE_S = 30.0
_TAKEOVER_SUFFIX = ".takeover"
# A take-over holds its guard for a few milliseconds; an opener that finds it held waits
# this long and looks again, a few times, before saying the folder is being opened.
_TAKEOVER_WAIT_S = 0.05
_ATTEMPTS = 5


class SessionLocked(Exception):
    """Another photoscreen has this folder open; ``str()`` says who, where and since when.

    ``may_be_stale``: whether it can be running is not known here (another PC, or an id
    that cannot be checked); the person may then open the folder anyway, by passing
    ``holder`` as ``take_over``.
    """

    def __init__(
        self, message: str, holder: LockHolder | None = None, *, may_be_stale: bool = False
    ) -> None:
        super().__init__(message)
        self.holder = holder
        self.may_be_stale = may_be_stale


class FolderTakenOver(StoreError):
    """This photoscreen's lock was taken over by another: nothing more is saved here."""


@dataclass(frozen=True)
class LockHolder:
    """Who holds a folder's lock."""

    user: str
    host: str
    pid: int
    since: str
    token: str
    boot: str = ""  # which start of the PC ("" not known, or an older photoscreen's lock)
    started: str = ""  # when the process started, as the system counts ("" not known)

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
            boot=boot_id(),
            started=process_started(os.getpid()),
        )
        self._held = False

    def acquire(self, *, take_over: LockHolder | None = None) -> None:
        """Take the lock, or raise :class:`SessionLocked` naming whoever has it.

        ``take_over``: the holder a :class:`SessionLocked` named, whom the person says is
        not running any more; their lock is taken over if it is still that very lock
        and its holder is not known to be running on this PC.
        """
        for _ in range(_ATTEMPTS):
            if self._try_create():
                self._held = True
                return
            seen = self._read_lock_file()
            if seen is None:
                continue  # removed since the create failed: try again
            holder = _parse_holder(seen.data)
            if holder is None and not _half_written_lock_is_old(seen):
                raise SessionLocked(
                    "This folder is being opened by another photoscreen right now. "
                    "Try again in a moment."
                )
            if holder is not None and not self._is_stale(holder):
                running = self._running(holder)
                chosen = take_over is not None and take_over.token == holder.token
                if not (chosen and running is not True):
                    message = self._locked_message(holder, running)
                    raise SessionLocked(message, holder, may_be_stale=running is not True)
            self._take_over(seen)
        raise SessionLocked(
            "This folder is being opened by another photoscreen right now. Try again in a moment."
        )

    def release(self) -> None:
        """Give the lock back, only if the file is still ours."""
        if not self._held:
            return
        self._held = False
        holder = self._read_holder()
        if holder is not None and holder.token == self._mine.token:
            self.path.unlink(missing_ok=True)

    def check_held(self) -> None:
        """Raise :class:`FolderTakenOver` if the lock is no longer this photoscreen's
        (another was told this one had stopped, and opened the folder); the session
        calls it before every change it saves."""
        if not self._held:
            return
        holder = self._read_holder()
        if holder is not None and holder.token == self._mine.token:
            return
        if holder is None and self._read_lock_file() is None and self._try_create():
            return  # the file was deleted by hand, and nobody has opened the folder since
        who = f"{holder.describe()}: " if holder is not None else ""
        raise FolderTakenOver(
            f"This folder was opened in another photoscreen ({who}told this one was no "
            "longer running), so nothing more is saved here. Close this folder; what was "
            "saved before stays."
        )

    def _try_create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(self._mine), handle)
            handle.flush()
            os.fsync(handle.fileno())
        return True

    def _read_lock_file(self) -> _LockFile | None:
        """The lock file's bytes and identity now; None when there is none."""
        try:
            with open(self.path, "rb") as handle:
                info = os.fstat(handle.fileno())
                data = handle.read()
        except FileNotFoundError:
            return None
        except OSError:
            # Unreadable (permissions, a share hiccup): treated like a half-written file.
            try:
                info = self.path.stat()
            except FileNotFoundError:
                return None
            data = b""
        return _LockFile(data, info.st_ino, info.st_mtime_ns, info.st_size)

    def _read_holder(self) -> LockHolder | None:
        seen = self._read_lock_file()
        return None if seen is None else _parse_holder(seen.data)

    def _is_stale(self, holder: LockHolder) -> bool:
        return self._running(holder) is False

    def _running(self, holder: LockHolder) -> bool | None:
        """Whether the holder's photoscreen runs: known only on this PC, and only where
        its process can be told apart from another given the same id; None: not known."""
        if holder.host != self._mine.host:
            return None
        if not pid_alive(holder.pid):
            return False
        if holder.boot and self._mine.boot and holder.boot != self._mine.boot:
            return False  # taken before this PC was last started
        started = process_started(holder.pid)
        if holder.started and started:
            return started == holder.started  # another process has that id now
        return None

    def _take_over(self, stale: _LockFile) -> None:
        """Remove the lock file judged stale, if it still is that file; see the module doc."""
        guard = self.path.with_name(self.path.name + _TAKEOVER_SUFFIX)
        if not _claim(guard):
            time.sleep(_TAKEOVER_WAIT_S)  # another opener is taking over: let it finish
            return
        try:
            if self._read_lock_file() == stale:
                self.path.unlink(missing_ok=True)
        finally:
            guard.unlink(missing_ok=True)

    def _locked_message(self, holder: LockHolder, running: bool | None) -> str:
        message = f"This folder is open in photoscreen by {holder.describe()}."
        if running:
            return f"{message} Close it there first."
        if holder.host == self._mine.host:
            return (
                f"{message} Close it there first. If photoscreen is no longer running on "
                "this PC, the folder can be opened anyway."
            )
        return (
            f"{message} Close it there first. If photoscreen is no longer running on "
            f"{holder.host} (that PC was switched off, or photoscreen stopped), the folder "
            f"can be opened anyway (or delete the file '{self.path.name}' in the folder's "
            "'.photoscreen' directory and try again)."
        )


@dataclass(frozen=True)
class _LockFile:
    """A lock file as read once: its bytes and what tells it apart from a newer file."""

    data: bytes
    inode: int
    mtime_ns: int
    size: int


def _parse_holder(data: bytes) -> LockHolder | None:
    try:
        fields = json.loads(data.decode("utf-8"))
        return LockHolder(
            user=str(fields["user"]),
            host=str(fields["host"]),
            pid=int(fields["pid"]),
            since=str(fields["since"]),
            token=str(fields["token"]),
            boot=str(fields.get("boot", "")),
            started=str(fields.get("started", "")),
        )
    except (ValueError, KeyError, TypeError):
        return None


def _half_written_lock_is_old(seen: _LockFile) -> bool:
    return time.time() - seen.mtime_ns / 1e9 > _HALF_WRITTEN_GRACE_S


def _claim(guard: Path) -> bool:
    """Create ``guard`` exclusively; a guard left by a crash is cleared after a grace time."""
    for _ in range(2):
        try:
            os.close(os.open(guard, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        except FileExistsError:
            try:
                age = time.time() - guard.stat().st_mtime
            except FileNotFoundError:
                continue
            if age <= _HALF_WRITTEN_GRACE_S:
                return False
            # Held for milliseconds when in use, so this old it was left by a crash.
            guard.unlink(missing_ok=True)
            continue
        return True
    return False
