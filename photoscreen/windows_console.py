"""Printing from the windowed Windows executable, which starts without a console.

The self-contained app for Windows has two executables in one folder (see
``packaging/photoscreen.spec``): ``photoscreen.exe`` is built without a console, so
double-clicking it opens only the window, and ``photoscreen-cli.exe`` is a console
program for the command-line verbs (``verify``, ``status``, ``export``) that scripts and
the smoke test run, which waits and returns the exit status as any console program does.

When someone types a verb after ``photoscreen.exe`` in a Command Prompt anyway, the
windowed program has no standard output (Python sets ``sys.stdout`` to None), so what the
verb prints would vanish. :func:`attach_parent_console` attaches the process to the
console of the program that started it (Win32 ``AttachConsole(ATTACH_PARENT_PROCESS)``)
and points the standard streams at it, so the lines appear there. The prompt does not
wait for a windowed program, which is why scripts should use ``photoscreen-cli.exe``.
Everywhere else this does nothing.
"""

from __future__ import annotations

import sys

ATTACH_PARENT_PROCESS = -1


def attach_parent_console() -> bool:
    """On Windows, without standard output, print to the parent's console; True if so."""
    if sys.platform != "win32" or sys.stdout is not None:
        return False
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    if not kernel32.AttachConsole(ATTACH_PARENT_PROCESS):
        return False  # started from Explorer: there is no console to print to
    # Line-buffered text streams on the console device itself ("CONOUT$").
    sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115
    sys.stderr = open("CONOUT$", "w", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115
    return True
