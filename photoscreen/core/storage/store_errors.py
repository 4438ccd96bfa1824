"""The session store's errors, in plain words: what could not be used, what was not saved.

:class:`StoreError` says the session database cannot be used. Two kinds of it:

* the file is **damaged** (:func:`damaged`): SQLite says so (:func:`is_damage`), or a value
  read back is not one photoscreen writes (:class:`DamagedValue`, raised by the code that
  reads rows);
* a change was **not saved** (:class:`WriteFailed`), and why: a full disk is said as such,
  never hidden behind what SQLite answers when asked to roll back a transaction it already
  rolled back.

:func:`failure` picks between the two for an error met while writing.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from photoscreen.core.basics import shown_name

_SQLITE_FULL = 13  # SQLite's result code; sqlite3.SQLITE_FULL only exists from Python 3.11
# SQLite's primary result codes for a file that is damaged or not a database at all.
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26


class StoreError(Exception):
    """The session database cannot be used; ``str()`` says why in plain words."""


class DamagedValue(ValueError):
    """A value read back from the session database is not one photoscreen could have
    written (a damaged file, or one edited by hand); ``str()`` says which.

    Raised by the code that reads rows; the store turns it into the plain
    :class:`StoreError` "the session file ... is damaged", as it does SQLite's own
    corruption errors.
    """


class WriteFailed(StoreError):
    """A change could not be saved (nothing of it was); ``str()`` says why in plain words.

    ``disk_full`` is True when the disk holding the session has no room left.
    """

    def __init__(self, message: str, *, disk_full: bool = False) -> None:
        super().__init__(message)
        self.disk_full = disk_full


def is_damage(error: sqlite3.Error) -> bool:
    """True when SQLite says the file is damaged (not busy, full or unreadable), or a
    stored text is not valid UTF-8 (which photoscreen never writes)."""
    if isinstance(error, sqlite3.OperationalError) and str(error).startswith(
        "Could not decode to UTF-8"
    ):
        return True
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:  # Python 3.10, or an error of Python's own: corruption is the bare class
        return type(error) is sqlite3.DatabaseError
    return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def damaged(db_path: Path | None, why: object) -> StoreError:
    """The plain message for a damaged session file."""
    return StoreError(f"The session file {_shown(db_path)} is damaged: {why}")


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
    place = f" ({_shown(where)})" if where else ""
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


def failure(error: sqlite3.Error | DamagedValue, db_path: Path | None) -> StoreError:
    """What to report for ``error``, met while writing in ``db_path`` (rolled back): the
    file is damaged, or else the change was not saved (:func:`write_failed`)."""
    if isinstance(error, DamagedValue) or (db_path is not None and is_damage(error)):
        return damaged(db_path, error)
    return write_failed(error, db_path)


def _shown(path: Path | str | None) -> str:
    """A path as people read it (a folder's name need not be text: file_names)."""
    return "" if path is None else shown_name(path)
