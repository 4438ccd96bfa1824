"""Checking the session's records against their chained audit trail.

:class:`RecordsGuard` keeps the replay of the chain (:mod:`photoscreen.core.trail.audit_chain`)
and compares it with what the database holds: the whole folder when it is opened and when
an export starts, one photo at a time just before export writes it (and whenever the
window reads it). What disagrees becomes :class:`Findings`: the photos whose records were
changed outside photoscreen, with the parts that disagree in plain words, the settings
that disagree (they hold every photo back: the rules themselves are in doubt), and what
is wrong with the trail itself.

The replay is kept between checks and only the links added since are read, so a check
of one photo costs a few small queries; a full check reads the whole trail again, so an
edit of an old entry made while the folder is open is found at the next export.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from photoscreen.core.storage.store import Store
from photoscreen.core.storage.store_errors import WriteFailed
from photoscreen.core.trail import (
    PHOTO_PARTS,
    PartValues,
    Replay,
    audit_chain,
    decision_state,
    trail_anchor,
)

log = logging.getLogger(__name__)

FOUND_ACTION = "records_changed_outside"

CHANGED_OUTSIDE = "The records of this photo were changed outside photoscreen"
SETTINGS_CHANGED_OUTSIDE = "The records of this folder's settings were changed outside photoscreen"
TRAIL_CUT = (
    "The folder's audit trail is not the one this PC last saw: decisions may have been "
    "taken out of it outside photoscreen"
)


@dataclass(frozen=True)
class Findings:
    """What disagrees with the chained trail; empty when everything agrees."""

    photos: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    settings: tuple[str, ...] = ()
    trail: tuple[str, ...] = ()
    hold_all: bool = False  # the trail was cut short: no photo's record can be trusted

    @property
    def clean(self) -> bool:
        return not (self.photos or self.settings or self.trail or self.hold_all)

    def reasons(self, photo_hash: str) -> tuple[str, ...]:
        """Why ``photo_hash`` is held back, in words to show as they are (empty: it is not)."""
        found = []
        if photo_hash in self.photos:
            found.append(f"{CHANGED_OUTSIDE}: {', '.join(self.photos[photo_hash])}")
        if self.settings:
            found.append(f"{SETTINGS_CHANGED_OUTSIDE}: {', '.join(self.settings)}")
        if self.hold_all:
            found.append(TRAIL_CUT)
        return tuple(found)

    def summary(self) -> str | None:
        """One paragraph for the window, or None when there is nothing to say."""
        if self.clean:
            return None
        parts = ["This folder's records were changed outside photoscreen."]
        if self.photos:
            one = len(self.photos) == 1
            parts.append(
                f"{len(self.photos)} photo{'' if one else 's'} no longer "
                f"match{'es' if one else ''} what photoscreen recorded: "
                f"{'it stays' if one else 'they stay'} out of exports until those decisions "
                "are made again in photoscreen (the reasons are shown on each photo)."
            )
        if self.settings:
            parts.append(
                f"Settings changed: {', '.join(self.settings)}; no photo is exported until "
                "they are set again in photoscreen."
            )
        if self.hold_all:
            parts.append(f"{TRAIL_CUT}; nothing is exported in this session.")
        parts += [f"The audit trail: {problem}." for problem in self.trail]
        return " ".join(parts)

    def details(self) -> dict[str, object]:
        """The findings as audit-entry details."""
        return {
            "photos": {h: list(words) for h, words in sorted(self.photos.items())},
            "settings": list(self.settings),
            "trail": list(self.trail),
            "cut_short": self.hold_all,
        }


class RecordsGuard:
    """The chain's replay for one store, and the checks against it."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._replay: Replay | None = None
        self._defaults: PartValues | None = None
        self.hold_all = False  # set for the session when the trail was found cut short

    def check_all(self) -> Findings:
        """Read the whole trail again and compare every photo and setting with it."""
        with self._store.reading() as conn:
            self._replay = audit_chain.replay(conn)
            return self._compare_all(conn, self._replay)

    def findings(self) -> Findings:
        """Every photo and setting against the trail, reading only the links added since."""
        with self._store.reading() as conn:
            return self._compare_all(conn, self._current(conn))

    def reasons(self, photo_hash: str) -> tuple[str, ...]:
        """Why this one photo is held back (empty when its records agree)."""
        with self._store.reading() as conn:
            replay = self._current(conn)
            empty = self._empty(conn)
            expected = _expected(empty, replay, photo_hash)
            now = decision_state.photo_values(conn, photo_hash, empty)
            words = _disagreeing(expected, now)
            findings = Findings(
                photos={photo_hash: words} if words else {},
                settings=_settings_disagreeing(conn, replay),
                hold_all=self.hold_all,
            )
        return findings.reasons(photo_hash)

    def recorded_parts(self, conn: sqlite3.Connection, photo_hash: str) -> PartValues:
        """Every part of one photo as the trail last recorded it (``conn``: the caller's,
        inside its transaction); the rules judge these
        (:mod:`~photoscreen.core.storage.recorded_rules`)."""
        return _expected(self._empty(conn), self._current(conn), photo_hash)

    def recorded_setting(self, conn: sqlite3.Connection, key: str) -> tuple[bool, object]:
        """(True, the stored text the trail recorded, None for no row) when the folder's
        ``key`` row is not what photoscreen recorded; (False, None) when it is."""
        recorded = self._current(conn).settings.get(key)
        stored = decision_state.settings_values(conn, [key])[key]
        return (False, None) if _same(recorded, stored) else (True, recorded)

    def _current(self, conn: sqlite3.Connection) -> Replay:
        """The replay, brought up to date with the links added since it was made."""
        replay = self._replay
        if replay is None or not _extend(conn, replay):
            replay = self._replay = audit_chain.replay(conn)
        return replay

    def trusted_state(self) -> dict[str, object]:
        """What the trail says the decisions are, as a checkpoint records it."""
        with self._store.reading() as conn:
            replay = self._current(conn)
        return {
            "photos": replay.photos,
            "settings": replay.settings,
            "settled": audit_chain.settled_after(replay),
        }

    def _empty(self, conn: sqlite3.Connection) -> PartValues:
        if self._defaults is None:  # the schema does not change while a store is open
            self._defaults = decision_state.defaults(conn)
        return self._defaults

    def _compare_all(self, conn: sqlite3.Connection, replay: Replay) -> Findings:
        empty = self._empty(conn)
        stored = decision_state.all_photo_values(conn)
        names = [part.name for part in PHOTO_PARTS]
        photos = {}
        for photo_hash in sorted(set(stored) | set(replay.photos), key=str):
            expected = _expected(empty, replay, photo_hash)
            now = stored.get(photo_hash, empty)
            if _same([expected[n] for n in names], [now[n] for n in names]):
                continue  # most photos: one comparison, not one per part
            photos[photo_hash] = _disagreeing(expected, now)
        trail = list(replay.broken)
        if replay.unlinked:
            count = len(replay.unlinked)
            were = "entries were" if count != 1 else "entry was"
            trail.append(f"{count} {were} added to it outside photoscreen")
        return Findings(
            photos=photos,
            settings=_settings_disagreeing(conn, replay),
            trail=tuple(trail),
            hold_all=self.hold_all,
        )


def _extend(conn: sqlite3.Connection, replay: Replay) -> bool:
    """Apply the links added after ``replay``'s head; False when it must be made again."""
    if replay.head is None:
        return False
    head_id, head_link = replay.head
    row = conn.execute("SELECT link FROM audit_chain WHERE audit_id = ?", (head_id,)).fetchone()
    if row is None or row[0] != head_link:
        return False  # the trail was cut or changed under the replay: read it all again
    rows = conn.execute(
        "SELECT c.audit_id, c.state, c.link, a.id, a.at, a.who, a.action, a.photo_hash, "
        "a.details FROM audit_chain c LEFT JOIN audit a ON a.id = c.audit_id "
        "WHERE c.audit_id > ? ORDER BY c.audit_id",
        (head_id,),
    ).fetchall()
    previous = head_link
    for audit_id, state, link, *entry in rows:
        found = tuple(entry) if entry[0] is not None else None
        link = audit_chain.text_of(link)
        audit_chain.apply_link(replay, int(audit_id), found, state, link, previous)
        previous = link
        replay.head = (int(audit_id), previous)
    return True


def _expected(empty: PartValues, replay: Replay, photo_hash: str) -> PartValues:
    return {**empty, **replay.photos.get(photo_hash, {})}


def _disagreeing(expected: PartValues, now: PartValues) -> tuple[str, ...]:
    return tuple(
        part.words for part in PHOTO_PARTS if not _same(expected.get(part.name), now.get(part.name))
    )


def _same(recorded: object, stored: object) -> bool:
    """Equal values. Plain equality is strict enough here: text never equals a number,
    and the columns' declared types make SQLite store 1.0 as 1 in an INTEGER column and 1
    as 1.0 in a REAL one, so a number reads back as the type photoscreen recorded."""
    return recorded == stored


def _settings_disagreeing(conn: sqlite3.Connection, replay: Replay) -> tuple[str, ...]:
    stored = decision_state.settings_values(conn)
    keys = sorted(set(stored) | set(replay.settings), key=str)
    return tuple(
        decision_state.setting_words(str(key))
        for key in keys
        if not _same(replay.settings.get(key), stored.get(key))
    )


def check_head(guard: RecordsGuard, store: Store, anchor: Path | None) -> None:
    """Hold everything for the session when the trail no longer holds the head this PC
    kept of it (see :mod:`photoscreen.core.trail.trail_anchor`); first thing on opening, before
    photoscreen itself adds to the trail.

    ``anchor`` is the session file whose trail head this PC keeps (None: none is kept, as
    for this PC's own copy of a read-only folder's session). An empty trail (a session
    started again from nothing) holds no decision to doubt.
    """
    if anchor is None:
        return
    with store.reading() as conn:
        empty = trail_anchor.head_of(conn) is None
        guard.hold_all = not empty and not trail_anchor.still_there(conn, trail_anchor.load(anchor))


def check_on_open(guard: RecordsGuard, store: Store, who: str, anchor: Path | None) -> Findings:
    """The check made when a folder is opened (after :func:`check_head`); returns what it
    found. When something is found and
    the session can be written, it is recorded in the trail by a checkpoint that keeps
    what photoscreen last recorded (so what was changed stays held back until a person
    decides it again), once per new finding. Then this PC keeps the trail's new head.
    """
    findings = guard.check_all()
    if store.read_only:
        return findings
    if _new(findings, _last_recorded(store)):
        try:
            with store.transaction() as conn:
                audit_chain.write_checkpoint(
                    conn, who, FOUND_ACTION, findings.details(), guard.trusted_state()
                )
        except WriteFailed as error:
            # What was found still holds the photos back; it is recorded at the next open.
            log.warning("what was found in the records could not be recorded: %s", error)
    keep_head(store, anchor)
    return findings


def keep_head(store: Store, anchor: Path | None) -> None:
    """Keep the trail's head on this PC (see :mod:`photoscreen.core.trail.trail_anchor`)."""
    if anchor is None or store.read_only:
        return
    try:
        with store.reading() as conn:
            head = trail_anchor.head_of(conn)
    except sqlite3.Error as error:
        log.warning("the trail's head cannot be read to keep it: %s", error)
        return
    trail_anchor.save(anchor, head)


def _new(findings: Findings, last: dict[str, object] | None) -> bool:
    """True when ``findings`` hold something the trail does not say yet. Problems with
    the trail itself are always new: the last checkpoint settled the earlier ones."""
    if findings.clean:
        return False
    if findings.trail or findings.hold_all or last is None:
        return True
    details = findings.details()
    return (details["photos"], details["settings"]) != (last.get("photos"), last.get("settings"))


def _last_recorded(store: Store) -> dict[str, object] | None:
    with store.reading() as conn:
        row = conn.execute(
            "SELECT details FROM audit WHERE action = ? ORDER BY id DESC LIMIT 1", (FOUND_ACTION,)
        ).fetchone()
    try:
        found = None if row is None else json.loads(row[0])
    except (TypeError, ValueError):
        return None  # an entry edited outside photoscreen: the check reports that
    return found if isinstance(found, dict) else None
