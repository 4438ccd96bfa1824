"""Whether a process recorded earlier is still the one running under its id.

A process id alone does not say: ids are reused, and after a restart the id written in a
folder's lock file may well belong to another program, which would keep the folder
locked for good. So the lock records, with the id, which start of the PC it was taken in
(Linux's boot id) and when the process started (the kernel's own count, or Windows'
creation time): a different boot, or a different start time under the same id, is another
process. Where neither can be read (another system), the answer may be "cannot tell",
and the person is asked.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
# In /proc/<pid>/stat, after the command name (which may hold spaces and brackets): the
# process's start time in clock ticks since boot is the 20th field (the 22nd in all).
_STARTTIME_AFTER_NAME = 19


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


def boot_id() -> str:
    """Which start of this PC it is ("" where the system does not say)."""
    try:
        return _BOOT_ID.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def process_started(pid: int) -> str:
    """When the process with this id started, as the system counts ("" if unknown)."""
    if sys.platform == "win32":
        return _windows_creation_time(pid)
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    fields = stat.rpartition(")")[2].split()
    return fields[_STARTTIME_AFTER_NAME] if len(fields) > _STARTTIME_AFTER_NAME else ""


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


def _windows_creation_time(pid: int) -> str:
    """The process's creation time (a FILETIME, 100 ns since 1601): unique to it."""
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ""
    try:
        # Four FILETIMEs (creation, exit, kernel, user), each the size of a 64-bit int.
        times = [ctypes.c_ulonglong() for _ in range(4)]
        if not kernel32.GetProcessTimes(handle, *(ctypes.byref(t) for t in times)):
            return ""
        return str(times[0].value)
    finally:
        kernel32.CloseHandle(handle)
