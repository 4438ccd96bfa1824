"""The register's own trail as a hash chain, and each person's row sealed in it.

The same evidence the session store keeps for its decisions
(:mod:`photoscreen.core.trail.audit_chain`, docs/tamper-evidence.md), for the register:
every entry of the register's ``audit`` table gets a *link* in ``audit_chain``, written in
the same transaction: the SHA-256 of the link before it, the entry, and its *state*, the
whole ``people`` row of the person the entry changed as it is after the change (null: the
person was removed). Replaying the chain gives the row every person should have now, so a
hand edit of the register file shows: a column of a row changed (consent flipped to yes, a
withdrawal or a never-publish mark cleared, a review date moved), a row deleted or added,
an entry of the trail changed, deleted or moved.

A *checkpoint* carries every row: a register made before the chain existed is sealed once
by one (``register_sealed``), and the manager's "accept the register as it is"
(``register_accepted``) writes one, after which the trail is trusted again from there.

This PC also keeps the last link it saw of the register's trail (with
:mod:`photoscreen.core.trail.trail_anchor`, as for a session): a trail cut back together
with the rows it recorded (a withdrawal taken off the end) is found on a PC that saw it.

What disagrees is :class:`RegisterFindings`: the people whose rows do not match, in plain
words, and what is wrong with the trail itself (then nobody's row can be trusted).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from photoscreen.core.consent.schema import PERSON_COLUMNS
from photoscreen.core.trail import audit_chain, trail_anchor

GENESIS = "photoscreen consent register chain v1"
SEALED = "register_sealed"
ACCEPTED = "register_accepted"
_AUDIT_COLUMNS = "id, at, who, action, person_id, details"
_COLUMNS = tuple(column.strip() for column in PERSON_COLUMNS.split(","))

# What a column is, in the words a reason shows.
_WORDS = {
    "id": "its id", "name": "the name", "kind": "child or adult", "consent": "consent",
    "given_by": "who gave consent", "given_on": "the day consent was given",
    "review_on": "the review date", "withdrawn_at": "the withdrawal",
    "withdrawn_by": "the withdrawal", "never_publish": "never publish",
    "never_publish_reason": "never publish", "added_at": "when it was added",
    "added_by": "who added it",
}  # fmt: skip
ADDED_OUTSIDE = "added outside photoscreen"
REMOVED_OUTSIDE = "taken out outside photoscreen"
TRAIL_CUT = "it is not the trail this PC last saw (entries were taken off its end)"

Row = list[Any]


@dataclass(frozen=True)
class RegisterFindings:
    """What in the register disagrees with its chained trail; empty when all agrees."""

    people: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    trail: tuple[str, ...] = ()

    @property
    def clean(self) -> bool:
        return not (self.people or self.trail)

    def trusted(self, person_id: str) -> bool:
        """True when ``person_id``'s row may be believed."""
        return not self.trail and person_id not in self.people

    def summary(self) -> str | None:
        """One paragraph for the manager, or None when there is nothing to say."""
        if self.clean:
            return None
        parts = ["The consent register was changed outside photoscreen."]
        for person_id, words in sorted(self.people.items()):
            parts.append(f"{person_id}: {', '.join(words)}.")
        parts += [f"Its trail: {problem}." for problem in self.trail]
        parts.append(
            "Photos linked to these people are held back until the manager checks the "
            "register and accepts it as it is, or restores it from a backup."
            if not self.trail
            else "Every photo with a face linked to anyone is held back until the manager "
            "checks the register and accepts it as it is, or restores it from a backup."
        )
        return " ".join(parts)

    def details(self) -> dict[str, object]:
        """The findings as audit-entry details (ids, never names)."""
        return {"people": {k: list(v) for k, v in sorted(self.people.items())},
                "trail": list(self.trail)}  # fmt: skip


@dataclass
class Replay:
    """The rows the trail recorded, what is wrong with the trail, and where it ends."""

    people: dict[str, Row | None] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)
    checkpoint: int = 0
    head: tuple[int, str] | None = None


# Recording ---------------------------------------------------------------------------


def row_of(conn: sqlite3.Connection, person_id: str) -> Row | None:
    """The person's whole row as stored now (None: no such row)."""
    row = conn.execute(f"SELECT {PERSON_COLUMNS} FROM people WHERE id = ?", (person_id,))
    found = row.fetchone()
    return None if found is None else list(found)


def all_rows(conn: sqlite3.Connection) -> dict[str, Row]:
    """Every row as stored now, by id."""
    rows = conn.execute(f"SELECT {PERSON_COLUMNS} FROM people").fetchall()
    return {str(row[0]): list(row) for row in rows}


def link_entry(conn: sqlite3.Connection, audit_id: int, person_id: str | None) -> None:
    """Link the entry just added; it carries the row of ``person_id`` as it is now."""
    state = None if person_id is None else {"people": {person_id: row_of(conn, person_id)}}
    _append(conn, audit_id, state)


def write_checkpoint(conn: sqlite3.Connection, audit_id: int) -> None:
    """Link the entry just added as a checkpoint carrying every row as it is now."""
    _append(conn, audit_id, {"people": all_rows(conn), "checkpoint": True})


def seal_existing(conn: sqlite3.Connection) -> list[int]:
    """Link every entry of a register made before the chain, with no state (its ids)."""
    ids = [int(r[0]) for r in conn.execute(
        "SELECT id FROM audit WHERE id NOT IN (SELECT audit_id FROM audit_chain) ORDER BY id"
    )]  # fmt: skip
    for audit_id in ids:
        _append(conn, audit_id, None)
    return ids


def _append(conn: sqlite3.Connection, audit_id: int, state: dict[str, Any] | None) -> None:
    head = conn.execute("SELECT link FROM audit_chain ORDER BY audit_id DESC LIMIT 1").fetchone()
    previous = GENESIS if head is None else audit_chain.text_of(head[0])
    entry = conn.execute(f"SELECT {_AUDIT_COLUMNS} FROM audit WHERE id = ?", (audit_id,))
    text = None if state is None else audit_chain.canonical(state)
    link = audit_chain.link_of(previous, tuple(entry.fetchone()), text)
    conn.execute(
        "INSERT INTO audit_chain (audit_id, state, link) VALUES (?, ?, ?)", (audit_id, text, link)
    )


# Replaying and checking --------------------------------------------------------------


def recorded_row(conn: sqlite3.Connection, person_id: str) -> tuple[bool, Row | None]:
    """(True, the row the trail last recorded for ``person_id``, None if never or
    removed) when the trail holds; (False, None) when it does not."""
    replay = _replay(conn)
    if replay.broken:
        return False, None
    return True, replay.people.get(person_id)


def brought_up_to_date(conn: sqlite3.Connection, known: Replay | None) -> Replay:
    """The replay of the whole trail: ``known`` extended by the links added since it was
    made (a few rows), or made again from the start when there is none, or when its last
    link is no longer there as it was (the trail was cut or changed under it). A copy:
    ``known`` itself is never changed (other threads may be reading it)."""
    if known is None or known.head is None:
        return _replay(conn)
    head_id, head_link = known.head
    row = conn.execute("SELECT link FROM audit_chain WHERE audit_id = ?", (head_id,)).fetchone()
    if row is None or row[0] != head_link:
        return _replay(conn)
    result = Replay(dict(known.people), list(known.broken), known.checkpoint, known.head)
    rows = conn.execute(
        "SELECT c.audit_id, c.state, c.link, a.id, a.at, a.who, a.action, a.person_id, "
        "a.details FROM audit_chain c LEFT JOIN audit a ON a.id = c.audit_id WHERE c.audit_id > ? "
        "ORDER BY c.audit_id",
        (head_id,),
    ).fetchall()
    previous = head_link
    for audit_id, state, link, *entry in rows:
        link_text = audit_chain.text_of(link)
        found = tuple(entry) if entry[0] is not None else None
        _apply(result, int(audit_id), found, state, link_text, previous)
        previous, result.head = link_text, (int(audit_id), link_text)
    return result


def check(
    conn: sqlite3.Connection, kept: trail_anchor.Head | None, replay: Replay
) -> RegisterFindings:
    """Every row against ``replay`` (see :func:`brought_up_to_date`); ``kept`` is the
    head this PC last saw of the trail (None: none)."""
    trail = list(replay.broken)
    unlinked = conn.execute(
        "SELECT count(*) FROM audit WHERE id > ? AND id NOT IN (SELECT audit_id FROM audit_chain)",
        (replay.checkpoint,),
    ).fetchone()[0]
    if unlinked:
        trail.append(f"{unlinked} entr{'y was' if unlinked == 1 else 'ies were'} added to it")
    if not trail_anchor.still_there(conn, kept):
        trail.append(TRAIL_CUT)
    people: dict[str, tuple[str, ...]] = {}
    if replay.broken:  # the rows cannot be judged on a broken trail: it holds them all
        return RegisterFindings(people=people, trail=tuple(trail))
    stored = all_rows(conn)
    for person_id in sorted(set(stored) | set(replay.people), key=str):
        words = disagreeing(replay.people.get(person_id), stored.get(person_id))
        if words:
            people[str(person_id)] = words
    return RegisterFindings(people=people, trail=tuple(trail))


def disagreeing(recorded: Row | None, stored: Row | None) -> tuple[str, ...]:
    """What differs between a recorded row and a stored one, in words (empty: nothing)."""
    if recorded == stored:
        return ()
    if recorded is None:
        return (ADDED_OUTSIDE,)
    if stored is None:
        return (REMOVED_OUTSIDE,)
    words: list[str] = []
    for column, was, now in zip(_COLUMNS, recorded, stored, strict=False):
        if was != now and f"{_WORDS[column]} changed" not in words:
            words.append(f"{_WORDS[column]} changed")
    return tuple(words) or ("its row changed",)


def _replay(conn: sqlite3.Connection) -> Replay:
    entries = {int(r[0]): tuple(r) for r in conn.execute(f"SELECT {_AUDIT_COLUMNS} FROM audit")}
    result = Replay()
    previous = GENESIS
    for audit_id, state, link in conn.execute(
        "SELECT audit_id, state, link FROM audit_chain ORDER BY audit_id"
    ).fetchall():
        link_text = audit_chain.text_of(link)
        _apply(result, int(audit_id), entries.get(int(audit_id)), state, link_text, previous)
        previous, result.head = link_text, (int(audit_id), link_text)
    return result


def _apply(
    result: Replay, audit_id: int, entry: tuple[Any, ...] | None, state: object,
    link: str, previous: str,
) -> None:  # fmt: skip
    problem, values = audit_chain.read_link(entry, state, link, previous, _shaped)
    if problem is not None:
        result.broken.append(f"entry {audit_id} {problem}")
        return
    if values.get("checkpoint"):
        result.broken, result.people, result.checkpoint = [], {}, audit_id
    elif result.broken:
        return
    result.people.update(values.get("people", {}))


def _shaped(values: dict[str, Any]) -> dict[str, Any] | None:
    """A link's state as photoscreen writes it, or None when it is not that shape."""
    people = values.get("people")
    if not isinstance(people, dict):
        return None
    if not all(row is None or isinstance(row, list) for row in people.values()):
        return None
    return {"people": people, "checkpoint": bool(values.get("checkpoint"))}
