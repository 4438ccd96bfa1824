"""The append-only audit trail: who did what to which photo, and when.

Every decision, undo, review verdict and export is written to the ``audit`` table in the
same transaction as the decision itself, so the trail never disagrees with the state.
Entries hold the name the person gave at start-up, a UTC time, the photo's content hash
and small JSON details; never picture data. Triggers in the schema refuse any update or
delete of an entry.

Export summaries are also written as plain text under the session directory's
``exports/`` (never into the upload folder), for whoever wants to read them without
photoscreen.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

EXPORT_LOG_DIR = "exports"
_NEXT_ID = (
    "SELECT max(coalesce((SELECT max(id) FROM audit), 0), "
    "coalesce((SELECT max(audit_id) FROM audit_chain), 0), "
    "coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit'), 0)) + 1"
)


def utc_now() -> str:
    """Now, as a UTC ISO 8601 string to the second ("2024-05-03T09:42:10+00:00")."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail."""

    id: int
    at: str
    who: str
    action: str
    photo_hash: str | None
    details: dict[str, Any]


def record(
    conn: sqlite3.Connection,
    who: str,
    action: str,
    photo_hash: str | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append one entry; call inside the transaction that makes the change it records.

    The store chains it just before the commit (:mod:`photoscreen.core.trail.audit_chain`). Its
    id is past every id the trail has had, even one only a link still names (a link
    added by hand must never be taken for this entry's).
    """
    conn.execute(
        f"INSERT INTO audit (id, at, who, action, photo_hash, details) "
        f"VALUES (({_NEXT_ID}), ?, ?, ?, ?, ?)",
        (utc_now(), who, action, photo_hash, json.dumps(details or {}, sort_keys=True)),
    )


def entries(conn: sqlite3.Connection, photo_hash: str | None = None) -> list[AuditEntry]:
    """The trail, oldest first; only one photo's entries when ``photo_hash`` is given."""
    sql = "SELECT id, at, who, action, photo_hash, details FROM audit"
    params: tuple[str, ...] = ()
    if photo_hash is not None:
        sql += " WHERE photo_hash = ?"
        params = (photo_hash,)
    rows = conn.execute(sql + " ORDER BY id", params).fetchall()
    return [
        AuditEntry(
            id=int(row[0]),
            at=str(row[1]),
            who=str(row[2]),
            action=str(row[3]),
            photo_hash=row[4],
            details=json.loads(row[5]),
        )
        for row in rows
    ]


def write_text_log(session_dir: Path, stem: str, lines: list[str]) -> Path:
    """Write a plain-text log under ``<session_dir>/exports/``; never overwrites one."""
    directory = session_dir / EXPORT_LOG_DIR
    directory.mkdir(parents=True, exist_ok=True)
    text = "\n".join(lines) + "\n"
    for attempt in range(1000):
        path = directory / (f"{stem}.txt" if attempt == 0 else f"{stem}-{attempt}.txt")
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        return path
    raise OSError(f"Too many export logs named {stem} in {directory}")
