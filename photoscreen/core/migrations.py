"""The session database schema, by version, and the path from any older version to now.

Each migration is a list of SQL statements run in one transaction together with the bump
of ``schema_version``: a kill during a migration leaves the old version intact. A session
written by a newer photoscreen is refused rather than guessed at.

Version 0 is an empty database file. Version 1 had photos, faces, the audit trail and
settings. Version 2 added the per-file table (path -> content hash, so a listing need not
re-read every file), the detection cache, whether a photo's detections became its faces,
and triggers that make the audit trail append-only. Version 3 added each file's change
time and inode to the per-file table.
"""

from __future__ import annotations

import sqlite3

from photoscreen.core.store import StoreError

_V1 = [
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    "INSERT INTO schema_version (version) VALUES (0)",
    """CREATE TABLE photos (
        hash TEXT PRIMARY KEY,
        width INTEGER, height INTEGER, format TEXT, unreadable_reason TEXT,
        activity TEXT,
        unclothed INTEGER NOT NULL DEFAULT 0,
        excluded INTEGER NOT NULL DEFAULT 0,
        faces_checked_by TEXT, faces_checked_at TEXT,
        flagged_by TEXT, flag_note TEXT NOT NULL DEFAULT '', flagged_at TEXT,
        verdict TEXT, reviewer TEXT, review_note TEXT NOT NULL DEFAULT '', reviewed_at TEXT
    )""",
    """CREATE TABLE faces (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        photo_hash TEXT NOT NULL REFERENCES photos(hash),
        x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,
        source TEXT NOT NULL, state TEXT NOT NULL,
        consent_by TEXT, consent_at TEXT, score REAL
    )""",
    "CREATE INDEX faces_by_photo ON faces (photo_hash)",
    """CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL,
        photo_hash TEXT, details TEXT NOT NULL DEFAULT '{}'
    )""",
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]

_V2 = [
    "ALTER TABLE photos ADD COLUMN detections_applied INTEGER NOT NULL DEFAULT 0",
    # Version 1 could not tell whether detections had been applied; a photo that has faces
    # or was checked by a person must never get detector boxes added behind its back.
    """UPDATE photos SET detections_applied = 1
       WHERE faces_checked_by IS NOT NULL OR hash IN (SELECT photo_hash FROM faces)""",
    """CREATE TABLE files (
        path TEXT PRIMARY KEY,
        hash TEXT, size INTEGER, mtime_ns INTEGER, unreadable_reason TEXT, seen_at TEXT
    )""",
    "CREATE INDEX files_by_hash ON files (hash)",
    """CREATE TABLE detections (
        photo_hash TEXT NOT NULL, settings_key TEXT NOT NULL, boxes TEXT NOT NULL,
        PRIMARY KEY (photo_hash, settings_key)
    )""",
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
]

_V3 = [
    # What else a listing compares before trusting a file's recorded hash: the change
    # time (which any write sets, and which programs cannot set back as they can the
    # modification time) and the inode (a file replaced by another). NULL in rows
    # recorded before: such a file is read once more.
    "ALTER TABLE files ADD COLUMN ctime_ns INTEGER",
    "ALTER TABLE files ADD COLUMN inode INTEGER",
]

MIGRATIONS: tuple[list[str], ...] = (_V1, _V2, _V3)
LATEST = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    """The database's schema version; 0 for an empty file."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "schema_version" not in tables:
        if tables - {"sqlite_sequence"}:
            raise StoreError("This file is not a photoscreen session (unknown tables).")
        return 0
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def check_readable(version: int) -> None:
    """Refuse a session made by a newer photoscreen: its meaning may have changed."""
    if version > LATEST:
        raise StoreError(
            f"This folder's session was saved by a newer version of photoscreen "
            f"(schema {version}; this one knows up to {LATEST}). Update photoscreen to open it."
        )


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema up to :data:`LATEST`, one transaction per step; returns it."""
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Read inside the write transaction: another process may have migrated first.
            version = schema_version(conn)
            check_readable(version)
            if version == LATEST:
                conn.execute("COMMIT")
                return version
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute("UPDATE schema_version SET version = ?", (version + 1,))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
