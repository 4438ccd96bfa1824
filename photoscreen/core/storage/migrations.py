"""The session database schema, by version, and the path from any older version to now.

Each migration is a list of steps (SQL statements, or functions given the connection)
run in one transaction together with the bump of ``schema_version``: a kill during a
migration leaves the old version intact. A session written by a newer photoscreen is
refused rather than guessed at.

Version 0 is an empty database file. Version 1 had photos, faces, the audit trail and
settings. Version 2 added the per-file table (path -> content hash, so a listing need not
re-read every file), the detection cache, whether a photo's detections became its faces,
and triggers that make the audit trail append-only. Version 3 added the count of wrong
reviewer PINs (``pin_attempts``: one row, see :mod:`photoscreen.core.settings.pin_attempts`).
Version 4 gave every person who asked the manager about a photo a question of their own
(the ``questions`` table: who, when, their note, and the sitting they asked in), where
version 2 had one asker per photo with the others' notes appended to theirs; and it keeps
who marked a photo unclothed, and in which sitting, beside the mark (see
:mod:`photoscreen.core.session.decision_rules`). Version 5 chained the audit trail
(:mod:`photoscreen.core.trail.audit_chain`): every earlier entry is linked, and the session's
state as it then is gets sealed by one entry saying so. It comes after every step that
moves decisions about (version 4's), so what it seals is what photoscreen then reads.
Version 6 added each file's change time and inode to the per-file table (listing facts,
not decisions: nothing in the chain depends on them). Version 7 links a face to a person
of the consent register (``faces.person_id``, an id, never a name): a face is shown only
when linked and confirmed, so an older "consent on file" mark, which has no person, is
blurred again until someone links it. The column is the face part's last, and a face
recorded in the chain before it had none (:mod:`photoscreen.core.trail.audit_chain`
reads it so).
Version 8 added whether a photo was looked at for writing (``writing_applied``, an
scan fact like ``detections_applied``); writing regions themselves are rows of the faces
table (see :mod:`photoscreen.core.storage.decisions`), sealed by the chain like faces.
Version 9 indexes the audit trail by action and photo, so the pictures already exported
(its ``exported`` entries, :mod:`photoscreen.core.storage.export_records`) are found for the
grid and the export without reading the whole trail. An index holds no decision: nothing
in the chain depends on it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from functools import cache
from typing import Any

from photoscreen.core.storage.store_errors import DamagedValue, StoreError
from photoscreen.core.trail import audit_chain

# A step is an SQL statement, or a function run on the connection (inside the same
# transaction) for what SQL alone cannot do.
Step = str | Callable[[sqlite3.Connection], None]

_V1: list[Step] = [
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

_V2: list[Step] = [
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

_V3: list[Step] = [
    """CREATE TABLE pin_attempts (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        failures INTEGER NOT NULL, last_failure REAL NOT NULL
    )""",
]


def _details(stored: object) -> dict[str, Any]:
    """An audit entry's details as written; {} for an entry that cannot be read (the
    migration then knows less about who asked or marked, and the concern waits for the
    manager, rather than the folder failing to open)."""
    try:
        details = json.loads(stored) if isinstance(stored, str) else None
    except ValueError:
        return {}
    return details if isinstance(details, dict) else {}


def _questions_from_flags(conn: sqlite3.Connection) -> None:
    """Turn each version 2 flag into questions, one per person who asked.

    Version 2 appended a second person's note to the first asker's as a line
    "Name: note". Such a line becomes that person's own question when the audit trail
    shows them asking with exactly that note; any other line stays part of the note
    before it. No sitting is known for these questions, so nobody can take them back
    as their own: they wait for the manager.
    """
    flags = conn.execute(
        "SELECT hash, flagged_by, flag_note, flagged_at FROM photos WHERE flagged_by IS NOT NULL"
    ).fetchall()
    for photo_hash, first, note, at in flags:
        asked = {
            (str(who), _details(details).get("note")): when
            for who, details, when in conn.execute(
                "SELECT who, details, at FROM audit WHERE photo_hash = ? AND action = 'flag'",
                (photo_hash,),
            )
        }
        questions: list[tuple[str, str | None, list[str]]] = [(first, at, [])]
        for line in str(note or "").split("\n"):
            who, colon, text = line.partition(": ")
            if colon and who != first and (who, text) in asked:
                questions.append((who, asked[(who, text)], [text]))
            else:
                questions[-1][2].append(line)
        conn.executemany(
            "INSERT INTO questions (photo_hash, who, asked_at, note) VALUES (?, ?, ?, ?)",
            [(photo_hash, who, when, "\n".join(lines).strip()) for who, when, lines in questions],
        )


def _unclothed_markers(conn: sqlite3.Connection) -> None:
    """Record beside each unclothed mark who raised it: the last person the audit trail
    shows marking the photo (version 2 looked it up there each time)."""
    marked = conn.execute("SELECT hash FROM photos WHERE unclothed = 1").fetchall()
    for (photo_hash,) in marked:
        rows = conn.execute(
            "SELECT who, at, details FROM audit WHERE photo_hash = ? "
            "AND action = 'set_unclothed' ORDER BY id DESC",
            (photo_hash,),
        )
        found = next(((w, a) for w, a, d in rows if _details(d).get("unclothed")), None)
        if found is not None:
            conn.execute(
                "UPDATE photos SET unclothed_by = ?, unclothed_at = ? WHERE hash = ?",
                (*found, photo_hash),
            )


_V4: list[Step] = [
    "ALTER TABLE photos ADD COLUMN unclothed_by TEXT",
    "ALTER TABLE photos ADD COLUMN unclothed_at TEXT",
    "ALTER TABLE photos ADD COLUMN unclothed_sitting TEXT",
    """CREATE TABLE questions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        photo_hash TEXT NOT NULL REFERENCES photos(hash),
        who TEXT NOT NULL, asked_at TEXT, note TEXT NOT NULL DEFAULT '', sitting TEXT
    )""",
    "CREATE INDEX questions_by_photo ON questions (photo_hash)",
    _questions_from_flags,
    _unclothed_markers,
    # The questions table holds them now; the old columns stay (SQLite before 3.35 cannot
    # drop a column) but empty, so nothing can read a stale asker from them.
    "UPDATE photos SET flagged_by = NULL, flag_note = '', flagged_at = NULL",
]

_V5: list[Step] = [*audit_chain.SCHEMA, audit_chain.seal_existing]

_V6: list[Step] = [
    # What else a listing compares before trusting a file's recorded hash: the change
    # time (which any write sets, and which programs cannot set back as they can the
    # modification time) and the inode (a file replaced by another). NULL in rows
    # recorded before: such a file is read once more.
    "ALTER TABLE files ADD COLUMN ctime_ns INTEGER",
    "ALTER TABLE files ADD COLUMN inode INTEGER",
]

_V7: list[Step] = ["ALTER TABLE faces ADD COLUMN person_id TEXT"]

_V8: list[Step] = [
    # Whether writing (name labels, number plates) was looked for and its regions added,
    # apart from detections_applied: a centre that turns looking for writing on later
    # still gets it on photos whose faces were applied before. Old sessions never looked.
    "ALTER TABLE photos ADD COLUMN writing_applied INTEGER NOT NULL DEFAULT 0",
]

_V9: list[Step] = ["CREATE INDEX audit_by_action ON audit (action, photo_hash)"]

MIGRATIONS: tuple[list[Step], ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8, _V9)
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
            for step in MIGRATIONS[version]:
                if isinstance(step, str):
                    conn.execute(step)
                else:
                    step(conn)
            conn.execute("UPDATE schema_version SET version = ?", (version + 1,))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def shared_schema(conn: sqlite3.Connection) -> int:
    """The schema of a session another photoscreen has open, which must be this one's:
    it is never migrated under the other (see ``Store(shared=True)``)."""
    version = schema_version(conn)
    check_readable(version)
    if version != LATEST:
        raise StoreError(
            "This folder is open in an older version of photoscreen, so it cannot be "
            "reviewed from here at the same time. Ask whoever has it open to close it (or "
            "to update photoscreen there), then open it again."
        )
    return version


def check_schema(conn: sqlite3.Connection) -> None:
    """Raise :class:`DamagedValue` unless every table has the columns the migrations give
    it (a damaged or edited table definition would otherwise fail later, mid-decision)."""
    for table, columns in _latest_columns().items():
        found = _columns(conn, table)
        if found != columns:
            missing = sorted({c[0] for c in columns} - {c[0] for c in found})
            why = f"missing {', '.join(missing)}" if missing else "its columns differ"
            raise DamagedValue(f"the table '{table}' is not as photoscreen makes it ({why})")


@cache
def _latest_columns() -> dict[str, tuple[tuple[str, str], ...]]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn)
        listed = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [row[0] for row in listed]
        return {table: _columns(conn, table) for table in tables if table != "sqlite_sequence"}
    finally:
        conn.close()


def _columns(conn: sqlite3.Connection, table: str) -> tuple[tuple[str, str], ...]:
    """(name, declared type) of each column, in order."""
    rows = conn.execute(f"PRAGMA table_info({table})")
    return tuple((str(row[1]), str(row[2]).upper()) for row in rows)
