"""Which pictures were exported, when, where and under what name: read from the audit trail.

The export saves an ``exported`` entry for each file just before the file gets its final
name (and an ``export_not_published`` entry when naming it then failed), so the chained,
append-only trail is the record of what went out; nothing else is kept that could
disagree with it. Schema version 9 indexes the trail by action so these entries are found
without reading the whole trail (:mod:`photoscreen.core.storage.migrations`).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

EXPORTED = "exported"
NOT_PUBLISHED = "export_not_published"


@dataclass(frozen=True)
class ExportRecord:
    """One published export of a picture: the file ``name`` in ``destination`` (the
    folder's path as the export resolved it), saved at ``at`` (UTC, ISO 8601)."""

    photo_hash: str
    at: str
    name: str
    destination: str


def exported(conn: sqlite3.Connection) -> dict[str, tuple[ExportRecord, ...]]:
    """Every picture's published exports, oldest first (a file whose naming failed after
    its entry was saved is not one)."""
    rows = conn.execute(
        "SELECT action, photo_hash, at, details FROM audit "
        "WHERE action IN (?, ?) AND photo_hash IS NOT NULL ORDER BY id",
        (EXPORTED, NOT_PUBLISHED),
    )
    found: dict[str, list[ExportRecord]] = {}
    for action, photo_hash, at, details in rows:
        record = _record(str(photo_hash), str(at), details)
        if record is None:
            continue
        records = found.setdefault(record.photo_hash, [])
        if action == EXPORTED:
            records.append(record)
        else:
            found[record.photo_hash] = [r for r in records if not _same_file(r, record)]
    return {digest: tuple(records) for digest, records in found.items() if records}


def _record(photo_hash: str, at: str, details: object) -> ExportRecord | None:
    """The entry's export, or None for details no photoscreen writes (a damaged entry is
    the records check's to report; here it only cannot count as an export)."""
    try:
        parsed = json.loads(details) if isinstance(details, str) else None
    except ValueError:
        return None
    if not isinstance(parsed, dict):
        return None
    name, destination = parsed.get("name"), parsed.get("destination")
    if not isinstance(name, str) or not isinstance(destination, str):
        return None
    return ExportRecord(photo_hash, at, name, destination)


def _same_file(a: ExportRecord, b: ExportRecord) -> bool:
    return (a.name, a.destination) == (b.name, b.destination)
