"""The session database: where it lives, how it is opened, its schema and migrations.

Decisions live in ``<folder>/.photoscreen/session.sqlite3`` so the reviewer opening the
same folder on another PC (or over a shared drive) sees the same state. A read-only folder
(a camera card) falls back to a per-user data directory, and says so.

Durability (DESIGN.md invariant 6): every write runs in its own ``BEGIN IMMEDIATE`` ...
``COMMIT`` with ``synchronous=FULL``, so a committed decision has reached the disk before
the call returns, and a kill at any moment leaves either the old or the new state.

Why the rollback journal (``journal_mode=DELETE``) and not WAL: WAL keeps its index in a
shared-memory file that every process maps, which does not work over network filesystems
(SMB/NFS shares, where a centre keeps its photos); SQLite's documentation says WAL must
not be used there. The rollback journal relies only on ordinary file locks, works on local
disks and shares alike, and with ``synchronous=FULL`` survives power cuts. Its cost, one
writer at a time, does not matter for a handful of decisions per second.

Threads: one connection, guarded by a re-entrant lock, is shared by the GUI thread
(decisions) and worker threads (ingest, export); ``check_same_thread`` is off because the
lock, not the thread, guards it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SESSION_DIR_NAME = ".photoscreen"
DB_NAME = "session.sqlite3"


class StoreError(Exception):
    """The session database cannot be used; ``str()`` says why in plain words."""


@dataclass(frozen=True)
class SessionLocation:
    """Where a folder's session lives; ``fallback_reason`` is set when not in the folder."""

    folder: Path
    directory: Path
    fallback_reason: str | None = None

    @property
    def db_path(self) -> Path:
        return self.directory / DB_NAME


def user_data_dir() -> Path:
    """The per-user data directory for sessions of read-only folders."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "photoscreen" / "sessions"


def fallback_directory(folder: Path) -> Path:
    """The fallback session directory of ``folder``: one per folder path, per user."""
    digest = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:20]
    return user_data_dir() / digest


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


def locate_session(folder: Path, *, create: bool) -> SessionLocation:
    """Find (``create=True``: and make) the session directory for ``folder``."""
    folder = folder.resolve()
    inside = folder / SESSION_DIR_NAME
    fallback = fallback_directory(folder)
    reason = (
        "This folder cannot be written to (it may be a camera card or a read-only share), "
        f"so decisions are kept on this PC in {fallback} and others opening the folder "
        "will not see them."
    )
    if not create:
        if (inside / DB_NAME).exists() or not (fallback / DB_NAME).exists():
            return SessionLocation(folder, inside)
        return SessionLocation(folder, fallback, reason)
    if _writable_dir(inside) and _db_writable(inside / DB_NAME):
        return SessionLocation(folder, inside)
    fallback.mkdir(parents=True, exist_ok=True)
    if not (fallback / DB_NAME).exists() and (inside / DB_NAME).exists():
        _copy_database(inside / DB_NAME, fallback / DB_NAME)
    return SessionLocation(folder, fallback, reason)


def _db_writable(path: Path) -> bool:
    return not path.exists() or os.access(path, os.W_OK)


def _copy_database(source: Path, target: Path) -> None:
    """Start a fallback session from the folder's own (read-only) one, so nothing is lost."""
    src = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


class Store:
    """The session database, safe to share between threads of one process."""

    def __init__(self, db_path: Path | None, *, read_only: bool = False) -> None:
        """Open (creating and migrating unless ``read_only``) the database at ``db_path``.

        ``db_path`` None, or a read-only open of a database that does not exist yet, gives
        an empty in-memory store: nothing has been decided.
        """
        self._lock = threading.RLock()
        self.read_only = read_only
        self._conn = self._connect(db_path, read_only)
        try:
            self._prepare(read_only and db_path is not None and db_path.exists())
        except sqlite3.DatabaseError as error:
            self._conn.close()
            raise StoreError(f"The session file {db_path} is damaged: {error}") from error

    @staticmethod
    def _connect(db_path: Path | None, read_only: bool) -> sqlite3.Connection:
        try:
            if db_path is None or (read_only and not db_path.exists()):
                target, uri = ":memory:", False
            elif read_only:
                target, uri = f"{db_path.as_uri()}?mode=ro", True
            else:
                target, uri = str(db_path), False
            return sqlite3.connect(
                target, timeout=15.0, isolation_level=None, check_same_thread=False, uri=uri
            )
        except sqlite3.Error as error:
            raise StoreError(f"The session file {db_path} cannot be opened: {error}") from error

    def _prepare(self, existing_read_only: bool) -> None:
        # Imported here: migrations needs StoreError from this module.
        from photoscreen.core.migrations import check_readable, migrate, schema_version

        conn = self._conn
        conn.row_factory = sqlite3.Row
        if not existing_read_only:
            conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        if existing_read_only:
            self.schema_version = schema_version(conn)
            check_readable(self.schema_version)
        else:
            self.schema_version = migrate(conn)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic, durable write: committed on success, rolled back on any error."""
        if self.read_only:
            raise StoreError("This session was opened read-only; nothing can be changed.")
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, for reads only, held by this thread for the block."""
        with self._lock:
            yield self._conn

    def integrity_ok(self) -> bool:
        """True when SQLite finds the database file intact."""
        with self.reading() as conn:
            return bool(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

    def close(self) -> None:
        with self._lock:
            self._conn.close()
