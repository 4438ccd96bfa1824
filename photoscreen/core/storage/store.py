"""The session database: how it is opened, made, snapshotted, and written.

Where it lives is :mod:`photoscreen.core.storage.location`'s (its names are re-exported
here); how this PC's copy of a read-only folder's session is kept in step with the folder
is in :mod:`photoscreen.core.storage.fallback_copy`.

A read-only :class:`Store` (``photoscreen status``) reads a private snapshot in a temporary
directory: a session saved by an older photoscreen is migrated there, and one left with a
hot journal by a crash is rolled back there, without writing a byte next to the original.

Durability (README rule 6): every write runs in its own ``BEGIN IMMEDIATE`` ...
``COMMIT`` with ``synchronous=FULL``, so a committed decision has reached the disk before
the call returns, and a kill at any moment leaves either the old or the new state. Just
before the commit the audit entries of the transaction are chained
(:func:`photoscreen.core.trail.audit_chain.seal`), so an entry, its link and the decision it
records are saved together or not at all.

A write that fails is rolled back and reported in plain words
(:mod:`photoscreen.core.storage.store_errors`): as the "is damaged" :class:`StoreError` when the
file is damaged, else as :class:`WriteFailed`, which says that the change was not saved
and why (the disk is full, the share went away). SQLite sometimes rolls a failed
transaction back by itself, so the store rolls back only a transaction still open, and
never lets the rollback's own complaint ("no transaction is active") hide the real cause.

Why the rollback journal (``journal_mode=DELETE``) and not WAL: WAL keeps its index in a
shared-memory file that every process maps, which does not work over network filesystems
(SMB/NFS shares, where a centre keeps its photos); SQLite's documentation says WAL must
not be used there. The rollback journal relies only on ordinary file locks, works on local
disks and shares alike, and with ``synchronous=FULL`` survives power cuts. Its cost, one
writer at a time, does not matter for a handful of decisions per second.

Threads: one connection, guarded by a re-entrant lock, is shared by the GUI thread
(decisions) and worker threads (scan, export); ``check_same_thread`` is off because the
lock, not the thread, guards it.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from urllib.parse import quote

from photoscreen.core.basics import shown_name
from photoscreen.core.storage.location import DB_NAME
from photoscreen.core.storage.migrations import check_schema, migrate, shared_schema

# The store's errors are this module's too (imported from here throughout): re-exported.
from photoscreen.core.storage.store_errors import DamagedValue as DamagedValue
from photoscreen.core.storage.store_errors import StoreError as StoreError
from photoscreen.core.storage.store_errors import damaged, failure, is_damage
from photoscreen.core.trail import audit_chain

log = logging.getLogger(__name__)

def journal_of(db_path: Path) -> Path:
    """The rollback journal SQLite keeps beside ``db_path`` during a write."""
    return db_path.with_name(db_path.name + "-journal")


def snapshot_database(source: Path, target: Path) -> None:
    """Copy ``source`` to a new file ``target`` as of its last committed write.

    Nothing is written beside ``source``. Normally SQLite's backup API copies it (waiting
    for a writer to finish). A database left with a hot journal by a crash cannot be read
    read-only (SQLite must roll the journal back first), so then the database and its
    journal are copied as files and the journal is rolled back in the copy.
    """
    try:
        for _ in range(3):
            remove_database(target)
            try:
                _backup(source, target)
                return
            except sqlite3.OperationalError as error:
                # SQLite's words for "a hot journal must be rolled back first".
                if "readonly" not in str(error) or not journal_of(source).exists():
                    raise
            if _copy_with_journal(source, target):
                return
    except sqlite3.OperationalError as error:
        remove_database(target)
        if "locked" in str(error):
            raise StoreError(
                f"The session file {shown_name(source)} is being written by another "
                "photoscreen right now. Try again in a moment."
            ) from error
        raise damaged(source, error) from error
    except sqlite3.DatabaseError as error:
        remove_database(target)
        raise damaged(source, error) from error
    except OSError as error:
        remove_database(target)
        raise StoreError(
            f"The session file {shown_name(source)} cannot be read: {error.strerror or error}"
        ) from error
    remove_database(target)
    raise StoreError(
        f"The session file {shown_name(source)} kept changing while it was being read. Try again."
    )


def read_only_uri(path: PurePath) -> str:
    """An SQLite URI opening ``path`` read-only, Windows network paths (UNC) included.

    ``Path.as_uri()`` turns ``\\\\server\\share\\x`` into ``file://server/share/x``,
    which SQLite refuses (a URI authority must be empty); SQLite wants
    ``file:////server/share/x``.
    """
    text = path.as_posix()
    if not text.startswith("/"):
        text = "/" + text  # a drive letter: C:/x -> /C:/x
    prefix = "file://" if text.startswith("//") else "file:"
    # Quoted from the system's bytes: a folder's name need not be text (file_names).
    return f"{prefix}{quote(os.fsencode(text), safe='/:')}?mode=ro"


def _backup(source: Path, target: Path) -> None:
    src = sqlite3.connect(read_only_uri(source), uri=True, timeout=15.0)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _copy_with_journal(source: Path, target: Path) -> bool:
    """Copy ``source`` and its hot journal to ``target`` and roll back there.

    False when either file changed while being copied (someone opened the folder for
    writing and rolled the journal back meanwhile): the caller starts again.
    """
    journal = journal_of(source)
    try:
        before = (_identity(source), _identity(journal))
        shutil.copyfile(source, target)
        shutil.copyfile(journal, journal_of(target))
        if (_identity(source), _identity(journal)) != before:
            return False
    except FileNotFoundError:
        return False
    conn = sqlite3.connect(target)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # rolls back
    finally:
        conn.close()
    return True


def _identity(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return info.st_ino, info.st_size, info.st_mtime_ns


def _refuse_empty(db_path: Path | None) -> None:
    """An empty session file is damage: photoscreen never leaves one (see :func:`_create`)."""
    try:
        empty = db_path is not None and db_path.stat().st_size == 0
    except OSError:
        return  # not there (a new session), or unreadable: opening it will say so
    if empty:
        raise damaged(
            db_path,
            "it is empty (0 bytes), so every decision it held is gone. Restore it from a "
            "backup, or move it away to start this folder's decisions again",
        )


def _create(db_path: Path) -> None:
    """Make a new, empty session database at ``db_path``, never half-made: built beside it
    under a temporary name, flushed, then given its name (unless another photoscreen
    made one meanwhile, which is then kept)."""
    temporary = db_path.with_name(f".{db_path.name}.{secrets.token_hex(6)}.new")
    try:
        conn = sqlite3.connect(temporary, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.execute("PRAGMA synchronous=FULL")
            migrate(conn)
        finally:
            conn.close()
        try:
            os.link(temporary, db_path)  # never replaces a database made meanwhile
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: the folder lock guards this
            if not db_path.exists():
                os.replace(temporary, db_path)
    except sqlite3.Error as error:
        raise StoreError(
            f"The session file {shown_name(db_path)} cannot be made: {error}"
        ) from error
    finally:
        remove_database(temporary)


def remove_database(path: Path) -> None:
    """Delete the database file at ``path`` and any journal beside it."""
    path.unlink(missing_ok=True)
    journal_of(path).unlink(missing_ok=True)


class Store:
    """The session database, safe to share between threads of one process."""

    def __init__(
        self, db_path: Path | None, *, read_only: bool = False, shared: bool = False
    ) -> None:
        """Open (creating and migrating) the database at ``db_path``.

        ``read_only`` opens a private snapshot of it instead (see the module doc), in which
        nothing can be changed; it is deleted on :meth:`close`. ``db_path`` None, or a
        read-only open of a database that does not exist yet, gives an empty in-memory
        store: nothing has been decided.

        A new database is made whole beside its final name and then put in place, so a
        session file photoscreen made is never empty: an empty one (0 bytes) was cut short
        by something else, and is refused as damaged rather than taken for a new session
        with every decision gone. SQLite's own check runs on every open, and any damage
        found later (:func:`is_damage`, :class:`DamagedValue`) is the same plain
        :class:`StoreError`.

        ``shared``: another photoscreen has this database open (the manager reviewing a
        folder staff have open, :mod:`~photoscreen.core.storage.review_access`): it is
        neither made nor migrated here, and a schema other than this photoscreen's is
        refused, since changing it under the other would break that one.
        """
        self._lock = threading.RLock()
        self._shared = shared
        self.read_only = read_only
        self.path = db_path
        # Called before every write begins; raises to refuse it (see transaction).
        self.before_write: Callable[[], None] | None = None
        self._private_dir: Path | None = None
        _refuse_empty(db_path)
        try:
            if not (read_only or shared) and db_path is not None and not db_path.exists():
                _create(db_path)
            target = self._private_snapshot(db_path) if read_only else db_path
            self._conn = self._connect(target)
        except BaseException:
            self._remove_private_dir()
            raise
        try:
            with self._damage_reported():
                self._prepare()
        except BaseException:
            self.close()
            raise

    def _private_snapshot(self, db_path: Path | None) -> Path | None:
        if db_path is None or not db_path.exists():
            return None
        self._private_dir = Path(tempfile.mkdtemp(prefix="photoscreen-read-"))
        private = self._private_dir / DB_NAME
        snapshot_database(db_path, private)
        return private

    @staticmethod
    def _connect(db_path: Path | None) -> sqlite3.Connection:
        try:
            return sqlite3.connect(
                ":memory:" if db_path is None else os.fsencode(db_path),
                timeout=15.0,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as error:
            shown = "" if db_path is None else f" {shown_name(db_path)}"
            raise StoreError(f"The session file{shown} cannot be opened: {error}") from error

    def _prepare(self) -> None:
        conn = self._conn
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        except UnicodeDecodeError as error:  # SQLite's message quoted a garbled schema
            raise DamagedValue(f"its list of tables is unreadable ({error.reason})") from None
        if problems != ["ok"]:
            raise DamagedValue("; ".join(str(p) for p in problems))
        self.schema_version = shared_schema(conn) if self._shared else migrate(conn)
        check_schema(conn)
        audit_chain.watch_writes(conn)

    @contextmanager
    def _damage_reported(self) -> Iterator[None]:
        """Turn damage found while reading the database into the plain :class:`StoreError`."""
        try:
            yield
        except DamagedValue as error:
            raise damaged(self.path, error) from error
        except sqlite3.DatabaseError as error:
            if self.path is None or not is_damage(error):
                raise
            raise damaged(self.path, error) from error

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic, durable write: committed on success, rolled back on any error.

        The audit entries written in it are chained just before the commit. A failure of
        the database itself comes out, after the rollback, as the plain "is damaged"
        :class:`StoreError` when the file is damaged (or a value read back in it is not
        one photoscreen writes), else as :class:`WriteFailed` (nothing was saved; a full
        disk is said as such). Before it begins, :attr:`before_write` may refuse it (the
        session's lock check: ``FolderTakenOver`` once another photoscreen took the folder).
        """
        if self.read_only:
            raise StoreError("This session was opened read-only; nothing can be changed.")
        with self._lock:
            self._begin()
            try:
                yield self._conn
                audit_chain.seal(self._conn)
                self._conn.execute("COMMIT")
            except (sqlite3.Error, DamagedValue) as error:
                self._roll_back()
                raise failure(error, self.path) from error
            except BaseException:
                self._roll_back()
                raise

    def _begin(self) -> None:
        self._roll_back()  # one an earlier failure could not roll back (see below)
        if self.before_write is not None:
            self.before_write()
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise failure(error, self.path) from error

    def _roll_back(self) -> None:
        """Undo the open transaction, if SQLite has not already (it does after some
        failures, such as a full disk); the failure that led here is what is reported."""
        if not self._conn.in_transaction:
            return
        try:
            self._conn.execute("ROLLBACK")
        except sqlite3.Error as error:
            # Tried again before the next write begins; the caller is told about the
            # first failure, which is the one that matters.
            log.warning("rolling back a failed write failed too: %s", error)

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, for reads only, held by this thread for the block."""
        with self._lock, self._damage_reported():
            yield self._conn

    def data_version(self) -> int:
        """A number that changes when another connection (another photoscreen) has saved
        something since this one last looked (SQLite's ``data_version``)."""
        with self.reading() as conn:
            return int(conn.execute("PRAGMA data_version").fetchone()[0])

    def integrity_ok(self) -> bool:
        """True when SQLite finds the database file intact."""
        with self.reading() as conn:
            return bool(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

    def copy_into(self, target: Store) -> None:
        """Replace everything in ``target`` by this database, in one atomic write.

        SQLite's backup API: ``target`` is rewritten in a single journaled transaction, so a
        crash leaves it either as it was or as a full copy of this one.
        """
        with self._lock, target._lock:
            self._conn.backup(target._conn)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
        self._remove_private_dir()

    def _remove_private_dir(self) -> None:
        if self._private_dir is not None:
            # Only our own snapshot lives here; the system cleans its temp folder anyway.
            shutil.rmtree(self._private_dir, ignore_errors=True)
            self._private_dir = None
