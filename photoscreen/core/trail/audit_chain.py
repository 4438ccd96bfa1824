"""The audit trail as a hash chain from which the decisions can be replayed.

Every audit entry gets a *link* in the ``audit_chain`` table, written in the same
transaction as the entry and the change it records (:func:`seal`, which the store calls
just before each commit). A link is the SHA-256 of the link before it, the entry, and the
entry's *state*: the new value of every decision part (see
:mod:`photoscreen.core.trail.decision_state`) the transaction wrote, read back from the database
once every write of the transaction is done. So replaying the chain from the start
(:func:`replay`) gives the value every part should have now, and any edit made outside
photoscreen shows: a changed decision no longer matches the replay, a changed, deleted or
reordered entry no longer matches its link, an entry added by hand has no link.

Which parts a transaction wrote is told by temporary triggers on this connection only
(:func:`watch_writes`), never guessed from the values: a part someone changed outside
photoscreen keeps its last recorded value in the chain when a person's decision touches
another part of the same photo, so the change stays visible until a person decides that
part again in photoscreen. A transaction that writes a part without an audit entry is a
bug, refused (:class:`UnrecordedChange`).

A *checkpoint* entry carries the whole state: sessions saved before the chain existed are
sealed once by one (the migration to schema 5), and photoscreen writes one when it finds
the trail itself changed, so work goes on from a known state. Replay starts again at the
last checkpoint whose link holds.

What this cannot do: the chain is made with no secret, so someone who reads this code
can recompute every link after editing the database. docs/tamper-evidence.md says what
the copy of the chain's head kept on this PC (:mod:`photoscreen.core.trail.trail_anchor`) adds.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from photoscreen.core.trail import audit, decision_state
from photoscreen.core.trail.decision_state import PHOTO_PARTS, SETTINGS_TABLE, Part, PartValues

GENESIS = "photoscreen audit chain v1"
CHECKPOINT_ACTIONS = frozenset({"records_sealed", "records_changed_outside"})
_AUDIT_COLUMNS = "id, at, who, action, photo_hash, details"

SCHEMA = [
    """CREATE TABLE audit_chain (
        audit_id INTEGER PRIMARY KEY, state TEXT, link TEXT NOT NULL
    )""",
    """CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
]


class UnrecordedChange(RuntimeError):
    """A transaction wrote a decision without an audit entry (a bug in photoscreen)."""


def canonical(value: Any) -> str:
    """One spelling of a JSON value: the same data always hashes the same (anything
    JSON has no type for, bytes an edit left in a column, is spelled by its repr)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=repr
    )


def link_of(previous: str, entry: tuple[Any, ...], state: object) -> str:
    """The link of one audit entry (its columns in order) after ``previous``."""
    text = "\n".join((previous, canonical(list(entry)), text_of(state)))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def text_of(value: object) -> str:
    """A stored link or state as text, whatever type an edit left in the column."""
    if value is None:
        return ""
    return value if isinstance(value, str) else repr(value)


# Recording ---------------------------------------------------------------------------


def watch_writes(conn: sqlite3.Connection) -> None:
    """Have this connection note the audit entries it adds and the parts it writes.

    Temporary triggers: they live in this connection only, so a change made by any other
    program is never noted as photoscreen's. Making a photo's row (a photo just read, all
    defaults) is not a decision; changing its columns, or any row of a ``many`` part, is.
    """
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS chain_written "
        "(kind TEXT NOT NULL, key TEXT NOT NULL, part TEXT NOT NULL, PRIMARY KEY (kind, key, part))"
    )
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS chain_added (audit_id INTEGER PRIMARY KEY)")
    statements = [
        "CREATE TEMP TRIGGER IF NOT EXISTS chain_added_entry AFTER INSERT ON main.audit "
        "BEGIN INSERT OR IGNORE INTO chain_added VALUES (NEW.id); END",
        *_setting_triggers(),
    ]
    for part in PHOTO_PARTS:
        statements += _part_triggers(part)
    for statement in statements:
        conn.execute(statement)


def _note(kind: str, key: str, part: str) -> str:
    return f"INSERT OR IGNORE INTO chain_written VALUES ('{kind}', {key}, '{part}');"


def _part_triggers(part: Part) -> list[str]:
    name, table, key = part.name, part.table, part.key
    both = _note("photo", f"OLD.{key}", name) + _note("photo", f"NEW.{key}", name)
    if not part.many:
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in (key, *part.columns))
        return [
            f"CREATE TEMP TRIGGER IF NOT EXISTS chain_{name}_update AFTER UPDATE ON main.{table} "
            f"WHEN {changed} BEGIN {both} END",
            f"CREATE TEMP TRIGGER IF NOT EXISTS chain_{name}_delete AFTER DELETE ON main.{table} "
            f"BEGIN {_note('photo', f'OLD.{key}', name)} END",
        ]
    return [
        f"CREATE TEMP TRIGGER IF NOT EXISTS chain_{name}_insert AFTER INSERT ON main.{table} "
        f"BEGIN {_note('photo', f'NEW.{key}', name)} END",
        f"CREATE TEMP TRIGGER IF NOT EXISTS chain_{name}_update AFTER UPDATE ON main.{table} "
        f"BEGIN {both} END",
        f"CREATE TEMP TRIGGER IF NOT EXISTS chain_{name}_delete AFTER DELETE ON main.{table} "
        f"BEGIN {_note('photo', f'OLD.{key}', name)} END",
    ]


def _setting_triggers() -> list[str]:
    on = f"ON main.{SETTINGS_TABLE}"
    both = _note("setting", "OLD.key", "value") + _note("setting", "NEW.key", "value")
    return [
        f"CREATE TEMP TRIGGER IF NOT EXISTS chain_setting_insert AFTER INSERT {on} "
        f"BEGIN {_note('setting', 'NEW.key', 'value')} END",
        f"CREATE TEMP TRIGGER IF NOT EXISTS chain_setting_update AFTER UPDATE {on} "
        f"BEGIN {both} END",
        f"CREATE TEMP TRIGGER IF NOT EXISTS chain_setting_delete AFTER DELETE {on} "
        f"BEGIN {_note('setting', 'OLD.key', 'value')} END",
    ]


def seal(conn: sqlite3.Connection) -> None:
    """Link the entries this transaction added; the last carries the parts it wrote.

    Call inside the transaction, after its last write (the store does, before COMMIT).
    """
    added = [
        int(row[0])
        for row in conn.execute(
            "SELECT audit_id FROM temp.chain_added WHERE audit_id NOT IN "
            "(SELECT audit_id FROM main.audit_chain) ORDER BY audit_id"
        )
    ]
    written = conn.execute("SELECT kind, key, part FROM temp.chain_written").fetchall()
    conn.execute("DELETE FROM temp.chain_added")
    conn.execute("DELETE FROM temp.chain_written")
    if not added:
        if written:
            what = ", ".join(sorted({f"{kind} {key} {part}" for kind, key, part in written}))
            raise UnrecordedChange(f"a decision was written without its audit entry: {what}")
        return
    state = _written_state(conn, written)
    for audit_id in added:
        last = audit_id == added[-1]
        _append_link(conn, audit_id, canonical(state) if last and state else None)


def _written_state(conn: sqlite3.Connection, written: list[Any]) -> dict[str, Any]:
    photos: dict[str, PartValues] = {}
    for kind, key, part in written:
        if kind == "photo" and key is not None:
            photos.setdefault(str(key), {})[str(part)] = None
    for photo_hash, parts in photos.items():
        now = decision_state.photo_values(conn, photo_hash)
        photos[photo_hash] = {name: now[name] for name in parts}
    keys = sorted(str(key) for kind, key, _ in written if kind == "setting" and key is not None)
    state: dict[str, Any] = {}
    if photos:
        state["photos"] = photos
    if keys:
        state["settings"] = decision_state.settings_values(conn, keys)
    return state


def _append_link(conn: sqlite3.Connection, audit_id: int, state: str | None) -> None:
    head = conn.execute("SELECT link FROM audit_chain ORDER BY audit_id DESC LIMIT 1").fetchone()
    entry = conn.execute(f"SELECT {_AUDIT_COLUMNS} FROM audit WHERE id = ?", (audit_id,))
    link = link_of(GENESIS if head is None else text_of(head[0]), tuple(entry.fetchone()), state)
    conn.execute(
        "INSERT INTO audit_chain (audit_id, state, link) VALUES (?, ?, ?)", (audit_id, state, link)
    )


def write_checkpoint(
    conn: sqlite3.Connection,
    who: str,
    action: str,
    details: dict[str, Any],
    state: dict[str, Any],
) -> None:
    """Append an entry carrying the whole ``state`` (see the module doc); linked at once."""
    audit.record(conn, who, action, None, details)
    new_id = int(conn.execute("SELECT max(id) FROM audit").fetchone()[0])
    _append_link(conn, new_id, canonical({**state, "checkpoint": True}))


def current_state(conn: sqlite3.Connection) -> dict[str, Any]:
    """The whole state as the database holds it now, as a checkpoint records it."""
    return {
        "photos": decision_state.all_photo_values(conn),
        "settings": decision_state.settings_values(conn),
    }


def seal_existing(conn: sqlite3.Connection) -> None:
    """Chain a session saved before the chain existed, and seal its state as it is.

    Part of the migration to schema 5: every earlier entry is linked with no state, then
    one checkpoint records what the session holds now (an empty session needs none).
    """
    for (audit_id,) in conn.execute(
        "SELECT id FROM audit WHERE id NOT IN (SELECT audit_id FROM audit_chain) ORDER BY id"
    ).fetchall():
        _append_link(conn, int(audit_id), None)
    state = current_state(conn)
    if not state["photos"] and not state["settings"] and not _has_entries(conn):
        return
    details = {"reason": "decisions saved before photoscreen kept a chained audit trail"}
    write_checkpoint(conn, "photoscreen", "records_sealed", details, state)


def _has_entries(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM audit LIMIT 1").fetchone() is not None


# Replaying ---------------------------------------------------------------------------


@dataclass
class Replay:
    """What the chain says the decisions are, and what is wrong with the trail itself.

    ``photos`` and ``settings`` hold the last recorded value of each part (parts never
    recorded have their defaults). After a broken link nothing more is trusted until the
    next checkpoint that holds: ``broken`` then says where. ``unlinked`` lists entries
    with no link, added after the last checkpoint or before the first link (by hand, or
    forged: see :func:`_unsettled`); they carry no
    state, so they change nothing, but they are reported.
    """

    photos: dict[str, PartValues] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)
    unlinked: list[int] = field(default_factory=list)
    settled: set[int] = field(default_factory=set)
    head: tuple[int, str] | None = None
    checkpoint: int = 0

    @property
    def trusted(self) -> bool:
        return not self.broken

    def apply(self, state: dict[str, Any]) -> None:
        if state.get("checkpoint"):
            self.photos, self.settings = {}, {}
            self.settled = _settled(state.get("settled"))
        for photo_hash, parts in state.get("photos", {}).items():
            self.photos.setdefault(photo_hash, {}).update(_with_new_columns(parts))
        self.settings.update(state.get("settings", {}))


def _with_new_columns(parts: Any) -> Any:
    """A photo's recorded parts, each row of a ``many`` part recorded before a column was
    added at its end (a face's person, schema 7) given that column's value then: NULL."""
    if not isinstance(parts, dict):
        return parts
    grown = dict(parts)
    for name, rows in parts.items():
        part = decision_state.BY_NAME.get(name)
        if part is None or not part.many or not isinstance(rows, list):
            continue
        width = len(part.columns)
        grown[name] = [
            row + [None] * (width - len(row)) if isinstance(row, list) else row for row in rows
        ]
    return grown


def replay(conn: sqlite3.Connection) -> Replay:
    """Walk the whole chain from the start (see :class:`Replay`)."""
    entries = {
        int(row[0]): tuple(row) for row in conn.execute(f"SELECT {_AUDIT_COLUMNS} FROM audit")
    }
    result = Replay()
    previous = GENESIS
    first: int | None = None
    for audit_id, state, link in conn.execute(
        "SELECT audit_id, state, link FROM audit_chain ORDER BY audit_id"
    ):
        first = int(audit_id) if first is None else min(first, int(audit_id))
        entry = entries.pop(int(audit_id), None)
        apply_link(result, int(audit_id), entry, state, text_of(link), previous)
        previous = text_of(link)
        result.head = (int(audit_id), previous)
    result.unlinked = sorted(i for i in entries if _unsettled(i, first, result))
    return result


def _unsettled(audit_id: int, first_linked: int | None, result: Replay) -> bool:
    """True when an entry with no link must be reported: it was added after the last
    checkpoint, or it sits before the first link, where photoscreen never writes (every
    entry it wrote before the chain began was linked then, and ids start at 1), unless
    a checkpoint has already settled it (see :func:`settled_after`)."""
    if audit_id in result.settled:
        return False
    before_chain = first_linked is None or audit_id < first_linked
    return audit_id > result.checkpoint or before_chain


def settled_after(result: Replay) -> list[int]:
    """The unlinked entries a checkpoint written now settles: reported once, then known."""
    return sorted(result.settled | set(result.unlinked))


def _settled(stored: object) -> set[int]:
    if not isinstance(stored, list):
        return set()
    return {i for i in stored if isinstance(i, int) and not isinstance(i, bool)}


def apply_link(
    result: Replay,
    audit_id: int,
    entry: tuple[Any, ...] | None,
    state: object,
    link: str,
    previous: str,
) -> None:
    """Check one link against ``previous`` (the stored link before it) and replay it."""
    problem, values = read_link(entry, state, link, previous, _shaped)
    if problem is not None:
        result.broken.append(f"entry {audit_id} of the audit trail {problem}")
        return
    if values.get("checkpoint"):
        result.broken = []
        result.checkpoint = audit_id
    elif result.broken:
        return
    result.apply(values)


def read_link(
    entry: tuple[Any, ...] | None,
    state: object,
    link: str,
    previous: str,
    shaped: Callable[[dict[str, Any]], dict[str, Any] | None],
) -> tuple[str | None, dict[str, Any]]:
    """Check one stored link of a chain (this trail's or the consent register's): what is
    wrong with it ("was deleted", "was changed", "cannot be read"), or None with its
    state's values as ``shaped`` takes them (None from ``shaped``: not that shape). A
    link with no state (an entry that changed nothing) has the values {}."""
    if entry is None:
        return "was deleted", {}
    if link_of(previous, entry, state) != link:
        return "was changed", {}
    if state is None:
        return None, {}
    try:
        values = json.loads(text_of(state))
    except ValueError:
        return "cannot be read", {}
    taken = shaped(values) if isinstance(values, dict) else None
    return ("cannot be read", {}) if taken is None else (None, taken)


def _shaped(values: dict[str, Any]) -> dict[str, Any] | None:
    """A link's state as photoscreen wrote it, or None when it is not that shape."""
    photos = values.get("photos", {})
    if not isinstance(photos, dict) or not all(isinstance(p, dict) for p in photos.values()):
        return None
    return values if isinstance(values.get("settings", {}), dict) else None
