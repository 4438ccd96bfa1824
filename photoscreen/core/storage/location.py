"""Where a folder's session lives: in the folder, or this PC's copy for a read-only one.

Decisions live in ``<folder>/.photoscreen/session.sqlite3`` so the reviewer opening the
same folder on another PC (or over a shared drive) sees the same state. A read-only folder
(a camera card) falls back to a per-user copy of its session, and says so; how that copy
is kept in step with the folder is in :mod:`photoscreen.core.storage.fallback_copy`.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from photoscreen.core.basics import data_dir, path_digest, shown_name

SESSION_DIR_NAME = ".photoscreen"
DB_NAME = "session.sqlite3"


@dataclass(frozen=True)
class SessionLocation:
    """Where a folder's session lives; ``fallback_reason`` is set when not in the folder."""

    folder: Path
    directory: Path
    fallback_reason: str | None = None

    @property
    def db_path(self) -> Path:
        return self.directory / DB_NAME

    @property
    def in_folder(self) -> bool:
        """True when the session is the folder's own, False for this PC's copy."""
        return self.directory == self.folder / SESSION_DIR_NAME

    @property
    def folder_db(self) -> Path:
        """The folder's own session database (it may not exist)."""
        return self.folder / SESSION_DIR_NAME / DB_NAME

    @property
    def copy_db(self) -> Path:
        """This PC's copy of the session, made while the folder was read-only (may not exist)."""
        return fallback_directory(self.folder) / DB_NAME


def user_data_dir() -> Path:
    """The per-user data directory for sessions of read-only folders."""
    return data_dir() / "sessions"


def fallback_directory(folder: Path) -> Path:
    """The fallback session directory of ``folder``: one per folder path, per user."""
    return user_data_dir() / path_digest(folder)


def _writable_dir(directory: Path) -> bool:
    """True when ``directory`` exists (created if needed) and a file can be written in it."""
    probe = directory / f".probe-{os.getpid()}-{threading.get_ident()}"
    try:
        directory.mkdir(exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return False
    return True


def session_dir_writable(folder: Path, *, probe: bool) -> bool:
    """Whether ``folder``'s own session directory can be written.

    ``probe`` True tries it (creating the directory, writing and removing a probe file): the
    only reliable test on shares and for root. False only asks the operating system, writing
    nothing, for ``photoscreen status``. Tests replace this to simulate a read-only folder.
    """
    inside = folder / SESSION_DIR_NAME
    db = inside / DB_NAME
    if probe:
        return _writable_dir(inside) and (not db.exists() or os.access(db, os.W_OK))
    if inside.exists():
        return (
            inside.is_dir()
            and os.access(inside, os.W_OK | os.X_OK)
            and (not db.exists() or os.access(db, os.W_OK))
        )
    return os.access(folder, os.W_OK | os.X_OK)


def fallback_reason(folder: Path) -> str:
    """What the user is told when ``folder``'s session is kept on this PC instead."""
    return (
        "This folder cannot be written to (it may be a camera card or a read-only share), "
        f"so decisions are kept on this PC in {shown_name(fallback_directory(folder))} and "
        "others opening the folder will not see them."
    )


def locate_session(folder: Path, *, create: bool) -> SessionLocation:
    """Where ``folder``'s session lives: in the folder, or this PC's copy when it is read-only.

    ``create=True`` makes the directory (the folder's, or the per-user one); False writes
    nothing. Which database is then opened, and how the copy is kept in step with the
    folder, is :mod:`photoscreen.core.storage.fallback_copy`'s business.
    """
    folder = folder.resolve()
    if session_dir_writable(folder, probe=create):
        return SessionLocation(folder, folder / SESSION_DIR_NAME)
    fallback = fallback_directory(folder)
    if create:
        fallback.mkdir(parents=True, exist_ok=True)
    return SessionLocation(folder, fallback, fallback_reason(folder))
