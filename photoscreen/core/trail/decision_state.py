"""What a photo's decisions and a folder's settings are, as rows of the session database.

This is the one list the tamper-evident audit chain (:mod:`photoscreen.core.trail.audit_chain`)
seals and checks. A :class:`Part` is one thing people decide about a photo (its activity,
the unclothed mark, its face boxes...), held in some columns of one table, in rows keyed
by the photo's content hash. Each setting of the folder (a row of ``settings``) is a part
of its own. A part's *value* is plain JSON data read straight from those rows, so the
chain can record it and compare it with the database later, whatever the columns mean.

To make a new decision table tamper-evident, add a :class:`Part` to :data:`PHOTO_PARTS`
(as the ``questions`` table, one row per person who asked the manager, was); nothing
else needs to change.

Not listed on purpose: what scan records about the file (size, format, why it could not
be read, whether the detector's boxes were applied), the file list and the detector's
cache. Export never trusts them to let a photo out: it reads and hashes every file again,
and judges it by the parts below alone. The upright size is the frame the face boxes
were placed in, and export refuses a picture that is not that size, so a size changed by
hand makes that photo fail, never go out with its boxes in the wrong place; a size that
changes on a later read clears the face check in a transaction with its own audit entry
(``photo_size_changed``), which the chain seals like any other.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

PartValues = dict[str, Any]


@dataclass(frozen=True)
class Part:
    """Columns of ``table`` that hold one decision about a photo, keyed by ``key``.

    ``many`` parts have any number of rows per photo (face boxes); their value is the
    list of rows, ordered by ``columns``. The others have one row per photo, and a photo
    without a row has the columns' declared defaults (what a photo just read has).
    """

    name: str
    words: str  # what a person is told disagrees, "activity"
    table: str
    key: str
    columns: tuple[str, ...]
    many: bool = False


PHOTO_PARTS: tuple[Part, ...] = (
    Part("activity", "activity", "photos", "hash", ("activity",)),
    # The mark with who raised it and in which sitting: who may clear it without the PIN
    # is read from these columns (photoscreen.core.session.decision_rules).
    Part(
        "unclothed",
        "unclothed mark",
        "photos",
        "hash",
        ("unclothed", "unclothed_by", "unclothed_at", "unclothed_sitting"),
    ),
    Part("excluded", "exclusion", "photos", "hash", ("excluded",)),
    Part(
        "faces_checked", "faces checked", "photos", "hash", ("faces_checked_by", "faces_checked_at")
    ),
    Part(
        "verdict",
        "manager's decision",
        "photos",
        "hash",
        ("verdict", "reviewer", "review_note", "reviewed_at"),
    ),
    Part(
        "faces",
        "face boxes",
        "faces",
        "photo_hash",
        # person_id last: a face recorded before schema 7 had none (see audit_chain.Replay).
        (
            "id", "x", "y", "w", "h", "source", "state", "consent_by", "consent_at", "score",
            "person_id",
        ),
        many=True,
    ),
    # One row per person who asked the manager (the photos table's flagged_by, flag_note
    # and flagged_at are left empty since schema 4, and nothing reads them).
    Part(
        "questions",
        "questions to the manager",
        "questions",
        "photo_hash",
        ("id", "who", "asked_at", "note", "sitting"),
        many=True,
    ),
)
BY_NAME = {part.name: part for part in PHOTO_PARTS}

SETTINGS_TABLE = "settings"
# What a person is told when a setting disagrees; any other key is named as it is.
SETTING_WORDS = {
    "activities": "activity list",
    "export.long_side": "export size",
    "export.quality": "export quality",
    "export.redaction_style": "redaction style",
    "export.writing_style": "redaction style for writing",
    "writing.detect": "looking for writing",
    "review.pin_hash": "reviewer PIN",
}


def photo_tables() -> dict[str, str]:
    """Every table holding photo parts, with the column naming the photo."""
    return {part.table: part.key for part in PHOTO_PARTS}


def defaults(conn: sqlite3.Connection) -> PartValues:
    """The value of every part for a photo nobody has decided anything about."""
    values: PartValues = {}
    for part in PHOTO_PARTS:
        if part.many:
            values[part.name] = []
            continue
        declared = {row[1]: row[4] for row in conn.execute(f"PRAGMA table_info({part.table})")}
        # A declared default is an SQL literal ('', 0): SQLite itself reads it.
        values[part.name] = [
            None if declared.get(c) is None else conn.execute(f"SELECT {declared[c]}").fetchone()[0]
            for c in part.columns
        ]
    return values


def photo_values(
    conn: sqlite3.Connection, photo_hash: str, empty: PartValues | None = None
) -> PartValues:
    """The value of every part of one photo, as the database holds it now (``empty``:
    :func:`defaults`, when the caller has it already)."""
    found = _copy(defaults(conn) if empty is None else empty)
    for part in PHOTO_PARTS:
        rows = conn.execute(
            f"SELECT {_selected(conn, part.table, part.columns)} FROM {part.table} "
            f"WHERE {part.key} = ? "
            f"ORDER BY {', '.join(part.columns)}",
            (photo_hash,),
        ).fetchall()
        if part.many:
            found[part.name] = [list(row) for row in rows]
        elif rows:
            found[part.name] = list(rows[0])
    return found


def all_photo_values(conn: sqlite3.Connection) -> dict[str, PartValues]:
    """Every photo's parts, by hash (one query per table, whatever the folder's size).

    A part a photo has no row for is the very list :func:`defaults` made: shared, so
    read these values, never change them.
    """
    empty = defaults(conn)
    found: dict[str, PartValues] = {}
    for table, key in photo_tables().items():
        parts = [part for part in PHOTO_PARTS if part.table == table]
        columns = [c for part in parts for c in part.columns]
        order = ", ".join(dict.fromkeys(c for part in parts if part.many for c in part.columns))
        spans, at = [], 1
        for part in parts:
            spans.append((part.name, part.many, at, at + len(part.columns)))
            at += len(part.columns)
        sql = f"SELECT {key}, {_selected(conn, table, columns)} FROM {table}"
        for row in conn.execute(sql + (f" ORDER BY {order}" if order else "")):
            photo_hash = _key(row[0])
            values = found.get(photo_hash)
            if values is None:
                values = found[photo_hash] = dict(empty)
            for name, many, start, end in spans:
                if not many:
                    values[name] = list(row[start:end])
                elif values[name] is empty[name]:
                    values[name] = [list(row[start:end])]
                else:
                    values[name].append(list(row[start:end]))
    return found


def settings_values(conn: sqlite3.Connection, keys: Iterable[str] | None = None) -> PartValues:
    """The stored text of every setting (or of ``keys``; None for one not stored)."""
    stored = {
        _key(key): value for key, value in conn.execute(f"SELECT key, value FROM {SETTINGS_TABLE}")
    }
    if keys is None:
        return stored
    return {key: stored.get(key) for key in keys}


def _selected(conn: sqlite3.Connection, table: str, columns: Iterable[str]) -> str:
    """``columns`` to select from ``table``; one a later schema adds (a face's person,
    schema 7) reads NULL while an older migration (schema 5's seal) runs before it."""
    present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    return ", ".join(c if c in present else f"NULL AS {c}" for c in columns)


def _key(value: object) -> str:
    """A photo's key as text: an edit can leave any type (or none) in a key column."""
    return value if isinstance(value, str) else repr(value)


def setting_words(key: str) -> str:
    return SETTING_WORDS.get(key, key)


def _copy(values: PartValues) -> PartValues:
    return {name: list(value) for name, value in values.items()}
