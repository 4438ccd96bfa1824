"""The session store's errors, in plain words: what could not be used, what was not saved.

:class:`StoreError` says the session database cannot be used; :class:`WriteFailed` (one
of them) says a change was not saved, and why: a full disk is said as such, never hidden
behind what SQLite answers when asked to roll back a transaction it already rolled back.
"""

from __future__ import annotations

import errno
from pathlib import Path

_SQLITE_FULL = 13  # SQLite's result code; sqlite3.SQLITE_FULL only exists from Python 3.11


class StoreError(Exception):
    """The session database cannot be used; ``str()`` says why in plain words."""


class WriteFailed(StoreError):
    """A change could not be saved (nothing of it was); ``str()`` says why in plain words.

    ``disk_full`` is True when the disk holding the session has no room left.
    """

    def __init__(self, message: str, *, disk_full: bool = False) -> None:
        super().__init__(message)
        self.disk_full = disk_full


def is_disk_full(error: BaseException) -> bool:
    """True for SQLite's "database or disk is full" and the system's "no space left"."""
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
    code = getattr(error, "sqlite_errorcode", None)  # Python 3.11 and later
    if code is not None:
        return bool(code & 0xFF == _SQLITE_FULL)
    return "disk is full" in str(error)


def write_failed(error: BaseException, where: Path | str | None) -> WriteFailed:
    """The plain-words :class:`WriteFailed` for an error raised while saving in ``where``."""
    place = f" ({where})" if where else ""
    if is_disk_full(error):
        return WriteFailed(
            f"The disk holding this folder's session{place} is full, so the last change was "
            "NOT saved. Free some space on it, then do it again.",
            disk_full=True,
        )
    why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return WriteFailed(
        f"The last change was NOT saved: the session file{place} could not be written ({why})."
    )
