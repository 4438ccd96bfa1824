"""The register file's schema, how a new one is made, and how its rows are read back.

The file is marked as a consent register (SQLite's ``application_id``), so a session file
or any other database chosen by mistake is refused in plain words rather than written to;
``user_version`` is its schema version, and a register written by a newer photoscreen is
refused rather than guessed at. A new register is made whole under a temporary name and
then linked into place (never replacing one made meanwhile by another PC).

Every row read back is checked as photoscreen writes it; one that is not is damage
(:class:`RegisterDamaged`): a consent of "maybe" must never let a face be shown.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from photoscreen.core.consent.people import Kind, Person

APPLICATION_ID = 0x50534352  # "PSCR"
VERSION = 2  # 2: the trail is chained (photoscreen.core.consent.register_chain)

# The chain of the register's trail: one link per audit entry (see register_chain).
CHAIN_SCHEMA = [
    """CREATE TABLE audit_chain (
        audit_id INTEGER PRIMARY KEY, state TEXT, link TEXT NOT NULL
    )""",
    """CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
]

SCHEMA = [
    f"PRAGMA application_id = {APPLICATION_ID}",
    """CREATE TABLE people (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('child', 'adult')),
        consent INTEGER NOT NULL CHECK (consent IN (0, 1)),
        given_by TEXT NOT NULL DEFAULT '',
        given_on TEXT,
        review_on TEXT,
        withdrawn_at TEXT,
        withdrawn_by TEXT,
        never_publish INTEGER NOT NULL DEFAULT 0 CHECK (never_publish IN (0, 1)),
        never_publish_reason TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL
    )""",
    """CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL,
        person_id TEXT, details TEXT NOT NULL
    )""",
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TABLE pin_attempts (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        failures INTEGER NOT NULL, last_failure REAL NOT NULL
    )""",
    # The takedown index: every file exported with a face linked to someone (see
    # photoscreen.core.consent.exports_index). Ids and file names only, no pictures.
    """CREATE TABLE exports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        exported_at TEXT NOT NULL, who TEXT NOT NULL,
        folder TEXT NOT NULL, session_dir TEXT NOT NULL, source_name TEXT NOT NULL,
        photo_hash TEXT NOT NULL, destination TEXT NOT NULL, file_name TEXT NOT NULL
    )""",
    """CREATE TABLE export_people (
        export_id INTEGER NOT NULL REFERENCES exports(id) ON DELETE CASCADE,
        person_id TEXT NOT NULL, shown INTEGER NOT NULL CHECK (shown IN (0, 1)),
        PRIMARY KEY (export_id, person_id)
    )""",
    "CREATE INDEX export_people_by_person ON export_people (person_id)",
    *CHAIN_SCHEMA,
    f"PRAGMA user_version = {VERSION}",
]

PERSON_COLUMNS = (
    "id, name, kind, consent, given_by, given_on, review_on, withdrawn_at, withdrawn_by, "
    "never_publish, never_publish_reason, added_at, added_by"
)


class RegisterProblem(Exception):
    """The register cannot be used; ``str()`` says why and what to do."""


class RegisterUnreachable(RegisterProblem):
    """The register file cannot be reached or written (share gone, no permission...)."""


class RegisterDamaged(RegisterProblem):
    """The file is not a register photoscreen can read, or holds a value it never writes."""


def create(path: Path) -> None:
    """Make a new, empty register at ``path`` (its folder must exist)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.new")
    try:
        conn = sqlite3.connect(os.fsencode(temporary), isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("BEGIN")
            for statement in SCHEMA:
                conn.execute(statement)
            conn.execute("COMMIT")
        finally:
            conn.close()
        try:
            os.link(temporary, path)  # never replaces a register made meanwhile
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
        Path(str(temporary) + "-journal").unlink(missing_ok=True)


def check_format(conn: sqlite3.Connection, path: Path, oldest: int = VERSION) -> None:
    """Refuse a file that is not a consent register this photoscreen can read (schema
    ``oldest`` or later: only the migration reads an older one)."""
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app != APPLICATION_ID:
        raise RegisterDamaged(
            f"{path} is not a photoscreen consent register (it may be another file chosen "
            "by mistake). Choose the register's file in the settings."
        )
    if version > VERSION:
        raise RegisterDamaged(
            f"The consent register {path} was saved by a newer photoscreen; update "
            "photoscreen on this PC to use it."
        )
    if not oldest <= version <= VERSION:
        raise RegisterDamaged(f"The consent register {path} is damaged (schema {version}).")


def person_of(row: tuple[Any, ...]) -> Person:
    """A ``people`` row as a :class:`Person`; ``ValueError`` when it is not one photoscreen
    writes (the caller reports the register as damaged)."""
    (pid, name, kind, consent, given_by, given_on, review_on, withdrawn_at, withdrawn_by,
     never, reason, added_at, added_by) = row  # fmt: skip
    texts = (pid, name, given_by, reason, added_at, added_by)
    if not all(isinstance(value, str) for value in texts) or not pid or not name:
        raise ValueError("a person's row holds something that is not text")
    if consent not in (0, 1) or never not in (0, 1) or isinstance(consent, float):
        raise ValueError(f"person {pid} has a consent that is neither yes nor no")
    if not all(value is None or isinstance(value, str) for value in (withdrawn_at, withdrawn_by)):
        raise ValueError(f"person {pid} has an unreadable withdrawal")
    return Person(
        id=pid,
        name=name,
        kind=Kind(kind),
        consent=bool(consent),
        given_by=given_by,
        given_on=_day(given_on),
        review_on=_day(review_on),
        withdrawn_at=withdrawn_at,
        withdrawn_by=withdrawn_by,
        never_publish=bool(never),
        never_publish_reason=reason,
        added_at=added_at,
        added_by=added_by,
    )


def _day(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("a date that is not text")
    return date.fromisoformat(value)


def details_of(stored: object) -> dict[str, Any]:
    """An audit entry's details, or ValueError when they are not what photoscreen writes."""
    if not isinstance(stored, str):
        raise ValueError("an audit entry's details are not text")
    value = json.loads(stored)
    if not isinstance(value, dict):
        raise ValueError("an audit entry's details are not a record")
    return value
