"""The centre's consent register: one SQLite file, shared by every PC of the centre.

Who may do what: anyone at the centre reads the list (staff link faces to people); only
the manager adds people, records or withdraws consent and sets "never publish". When a
reviewer PIN is set (``pin_hash`` gives the one in force) each of those changes needs it,
checked as every other PIN check is: wrong ones are counted in the register itself (so
guessing from two PCs is counted together) and slow the next tries down
(:mod:`photoscreen.core.settings.pin_attempts`), and each refusal is audited without the PIN.

Every change is audited in the register's own append-only ``audit`` table, in the same
transaction as the change: who (the name given at start-up), when (UTC), what (the values
set; never a picture). Each entry is linked into a hash chain that seals the row of the
person it changed (:mod:`photoscreen.core.consent.register_chain`): :meth:`findings` says
whose row was changed outside photoscreen, export holds their photos back, and the picker
does not offer them. A change the manager makes to such a person starts from the row the
trail recorded, never from the hand-edited one; :meth:`accept_as_is` (the manager, with
the PIN) takes the register as it now is.

Sharing: the same discipline as the session store (see
:mod:`photoscreen.core.consent.register_file`): each change in one ``BEGIN IMMEDIATE``
transaction that reads what it changes inside that transaction, so two PCs changing the
register at once are serialised by SQLite's file locks and neither overwrites the other.

Anything that stops the register being used is a :class:`RegisterProblem` in plain
words: :class:`RegisterUnreachable` (the drive is gone, no permission, busy too long) or
:class:`RegisterDamaged`. Whatever depends on the register must then stop (no face is
shown, nothing linked is exported).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from photoscreen.core.consent import register_chain
from photoscreen.core.consent.exports_index import ExportIndex
from photoscreen.core.consent.people import ConsentError, Person, checked_note, default_review
from photoscreen.core.consent.pin_guard import PinGuard
from photoscreen.core.consent.register_chain import RegisterFindings
from photoscreen.core.consent.register_file import RegisterFile
from photoscreen.core.consent.rules import (
    NewPerson,
    check_dates,
    checked_new,
    clash_words,
    clashes,
    iso_day,
    new_id,
    shown_fields,
)
from photoscreen.core.consent.schema import (
    PERSON_COLUMNS,
    RegisterDamaged,
    RegisterProblem,
    RegisterUnreachable,
    details_of,
    person_of,
)
from photoscreen.core.rules import same_person
from photoscreen.core.settings import Clock
from photoscreen.core.trail import trail_anchor, utc_now

PinSource = Callable[[], "str | None"]


@dataclass(frozen=True)
class RegisterEntry:
    """One line of the register's audit trail."""

    id: int
    at: str
    who: str
    action: str
    person_id: str | None
    details: dict[str, Any]


class ConsentRegister:
    """The register file at ``path``, used under the name ``who``.

    ``pin_hash`` gives the reviewer PIN hash in force (None: no PIN is set); ``clock``
    (seconds, ``time.time``) dates changes and times the waits after wrong PINs. A file
    that does not exist yet is made when its folder exists (``create``); a missing folder
    is :class:`RegisterUnreachable`, never made here (it may be a share not connected).

    Its parts: ``file`` (the register file: one read or change at a time, the chained
    trail), ``pin`` (the PIN its changes need) and ``exports`` (the takedown index).
    """

    def __init__(
        self,
        path: Path,
        who: str,
        *,
        pin_hash: PinSource | None = None,
        clock: Clock = time.time,
        create: bool = True,
    ) -> None:
        self._clock = clock
        self.file = RegisterFile(path, who, create=create)
        self.pin = PinGuard(self.file, pin_hash or (lambda: None), clock)
        self.exports = ExportIndex(self.file)

    @property
    def path(self) -> Path:
        """Where the register file is."""
        return self.file.path

    def change_user(self, who: str) -> None:
        """Audit later changes under ``who``."""
        self.file.who = who

    def findings(self, *, full: bool = False) -> RegisterFindings:
        """Whose row was changed outside photoscreen (see :meth:`RegisterFile.findings`)."""
        return self.file.findings(full=full)

    def today(self) -> date:
        """Today on this PC (consent lapses after its review day, in local time)."""
        return datetime.fromtimestamp(self._clock()).date()

    # Reading ----------------------------------------------------------------------------

    def people(self) -> list[Person]:
        """Everyone in the register, by name."""
        with self.file.connect() as conn:
            rows = conn.execute(f"SELECT {PERSON_COLUMNS} FROM people").fetchall()
            people = [self.file.checked(person_of, row) for row in rows]
        return sorted(people, key=lambda p: (p.name.casefold(), p.id))

    def with_current_consent(self) -> list[Person]:
        """Everyone whose face may be shown today, by name: never someone whose row
        does not match the register's trail (see :meth:`findings`)."""
        today = self.today()
        found = self.findings()
        return [p for p in self.people() if p.has_current_consent(today) and found.trusted(p.id)]

    def person(self, person_id: str) -> Person | None:
        """The person with this id, or None (never in the register, or a register
        other than the one the id came from)."""
        with self.file.connect() as conn:
            return self._read_person(conn, person_id)

    def find(self, text: str) -> Person:
        """The person ``text`` names: their id, or their name as people read it."""
        people = self.people()
        wanted = text.strip()
        by_id = [p for p in people if p.id.casefold() == wanted.casefold()]
        found = by_id or [p for p in people if same_person(p.name, wanted)]
        if not found:
            raise ConsentError(f"Nobody in the consent register is called or numbered '{text}'.")
        if len(found) > 1:
            ids = ", ".join(f"{p.name} ({p.id})" for p in found)
            raise ConsentError(f"'{text}' could be any of {ids}: give the id instead.")
        return found[0]

    def audit_trail(self, person_id: str | None = None) -> list[RegisterEntry]:
        """The register's trail, oldest first; only one person's when ``person_id``."""
        sql = "SELECT id, at, who, action, person_id, details FROM audit"
        params: tuple[str, ...] = ()
        if person_id is not None:
            sql, params = sql + " WHERE person_id = ?", (person_id,)
        with self.file.connect() as conn:
            rows = conn.execute(sql + " ORDER BY id", params).fetchall()
            return [
                self.file.checked(_entry, row)
                for row in rows
            ]

    # The manager's changes --------------------------------------------------------------

    def add(self, new: NewPerson, *, pin: str | None = None) -> Person:
        """Add one person; refused when someone of the same name (as people read it)
        is already in the register."""
        new = checked_new(new, self.today())
        self.pin.check(pin, "add people to the consent register")
        with self.file.writing() as conn:
            return self._insert(conn, new, {})

    def add_many(self, people: list[NewPerson], source: str, *, pin: str | None = None) -> None:
        """Add everyone in ``people`` in one change, or nobody: the import of a file.

        Raises :class:`ConsentError` naming every person already in the register (or
        twice in ``people``); nothing is added then.
        """
        self.pin.check(pin, "import people into the consent register")
        with self.file.writing() as conn:
            problems = clashes(self._all(conn), people)
            if problems:
                raise ConsentError("Nothing was imported. " + " ".join(problems))
            for new in people:
                self._insert(conn, new, {"from": source})
            self.file.audit(conn, "imported", None, {"from": source, "people": len(people)})

    def give_consent(
        self,
        person_id: str,
        *,
        given_by: str,
        given_on: date,
        review_on: date | None = None,
        pin: str | None = None,
    ) -> Person:
        """Record consent (a new or renewed form); a withdrawal before it is closed."""
        by = checked_note(given_by, "Who gave consent")
        review = review_on or default_review(given_on)
        check_dates(given_on, review, self.today())
        self.pin.check(pin, "record consent")
        fields = {
            "consent": 1, "given_by": by, "given_on": given_on.isoformat(),
            "review_on": review.isoformat(), "withdrawn_at": None, "withdrawn_by": None,
        }  # fmt: skip
        return self._update(person_id, "consent_given", fields)

    def withdraw(self, person_id: str, *, pin: str | None = None) -> Person:
        """Record that consent was withdrawn now, by whoever is using photoscreen."""
        self.pin.check(pin, "withdraw consent")
        fields = {"withdrawn_at": utc_now(), "withdrawn_by": self.file.who}
        return self._update(person_id, "consent_withdrawn", fields, must_have_consent=True)

    def set_never_publish(
        self, person_id: str, never: bool, reason: str = "", *, pin: str | None = None
    ) -> Person:
        """Mark (or unmark) a person "never publish", with the reason staff will see."""
        why = checked_note(reason, "The reason") if never else ""
        self.pin.check(pin, "change a never-publish mark")
        fields = {"never_publish": int(never), "never_publish_reason": why}
        return self._update(person_id, "never_publish" if never else "never_publish_lifted", fields)

    def remove(self, person_id: str, reason: str = "", *, pin: str | None = None) -> Person:
        """Take a person out of the register (a family that left), saying why (kept in
        the trail); returns who it was.

        Their id stays in the trail and the takedown list. A face still linked to them
        holds its photo back at export (shown or blurred) until it is linked to someone
        else or unlinked: nobody can say any more what they agreed to.
        """
        why = checked_note(reason, "The reason")
        self.pin.check(pin, "remove people from the consent register")
        with self.file.writing() as conn:
            self._restore_recorded(conn, person_id)
            person = self._read_person(conn, person_id)
            if person is None:
                raise ConsentError(f"There is nobody with the id {person_id} in the register.")
            conn.execute("DELETE FROM people WHERE id = ?", (person_id,))
            self.file.audit(conn, "person_removed", person_id, {**shown_fields(person), "why": why})
            return person

    def accept_as_is(self, *, pin: str | None = None) -> RegisterFindings:
        """The manager takes the register as it now is, after checking what
        :meth:`findings` says was changed outside photoscreen; what was accepted.

        One checkpoint entry seals every row as it is, with what was found; photos held
        back for it may go out again (each person's consent is still checked as always).
        """
        found = self.findings()
        self.pin.check(pin, "accept the consent register as it is")
        with self.file.writing() as conn:
            self.file.audit(conn, register_chain.ACCEPTED, None, found.details(), checkpoint=True)
            head = trail_anchor.head_of(conn)
        trail_anchor.save(self.path, head)
        return found

    # Inside ----------------------------------------------------------------------------

    def _all(self, conn: sqlite3.Connection) -> list[Person]:
        rows = conn.execute(f"SELECT {PERSON_COLUMNS} FROM people").fetchall()
        return [self.file.checked(person_of, row) for row in rows]

    def _read_person(self, conn: sqlite3.Connection, person_id: str) -> Person | None:
        row = conn.execute(
            f"SELECT {PERSON_COLUMNS} FROM people WHERE id = ?", (person_id,)
        ).fetchone()
        return None if row is None else self.file.checked(person_of, row)

    def _insert(self, conn: sqlite3.Connection, new: NewPerson, extra: dict[str, Any]) -> Person:
        for other in self._all(conn):
            if same_person(other.name, new.name):
                raise ConsentError(clash_words(new.name, other))
        person_id = new_id(conn)
        now = utc_now()
        conn.execute(
            f"INSERT INTO people ({PERSON_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (person_id, new.name, new.kind.value, int(new.consent), new.given_by,
             iso_day(new.given_on), iso_day(new.review_on), None, None, int(new.never_publish),
             new.never_publish_reason, now, self.file.who),
        )  # fmt: skip
        person = self._read_person(conn, person_id)
        assert person is not None
        self.file.audit(conn, "person_added", person_id, {**shown_fields(person), **extra})
        return person

    def _update(
        self, person_id: str, action: str, fields: dict[str, Any], must_have_consent: bool = False
    ) -> Person:
        with self.file.writing() as conn:
            restored = self._restore_recorded(conn, person_id)
            before = self._read_person(conn, person_id)
            if before is None:
                raise ConsentError(f"There is nobody with the id {person_id} in the register.")
            if must_have_consent and (not before.consent or before.withdrawn_at is not None):
                raise ConsentError(f"{before.name} has no consent to withdraw.")
            sets = ", ".join(f"{column} = ?" for column in fields)
            conn.execute(f"UPDATE people SET {sets} WHERE id = ?", (*fields.values(), person_id))
            after = self._read_person(conn, person_id)
            assert after is not None
            was = shown_fields(before)
            changed = {k: v for k, v in shown_fields(after).items() if was.get(k) != v}
            if restored:
                changed["restored_from_trail"] = list(restored)
            self.file.audit(conn, action, person_id, changed)
            return after

    def _restore_recorded(self, conn: sqlite3.Connection, person_id: str) -> tuple[str, ...]:
        """Put back the row the trail recorded for ``person_id`` when it was changed
        outside photoscreen (a change starts from what photoscreen recorded, never from
        a hand edit); what was put back, in words. A person the trail does not know is
        refused; with a trail that does not hold, the stored row is all there is."""
        holds, recorded = register_chain.recorded_row(conn, person_id)
        stored = register_chain.row_of(conn, person_id)
        if not holds or recorded == stored:
            return ()
        if recorded is None:
            raise ConsentError(
                f"{person_id} was added to the register outside photoscreen: check the "
                "register, then accept it as it is or restore it from a backup."
            )
        words = register_chain.disagreeing(recorded, stored)
        conn.execute("DELETE FROM people WHERE id = ?", (person_id,))
        marks = ",".join("?" * len(recorded))
        conn.execute(f"INSERT INTO people ({PERSON_COLUMNS}) VALUES ({marks})", recorded)
        return words

def _entry(row: tuple[Any, ...]) -> RegisterEntry:
    entry_id, at, who, action, person_id, details = row
    return RegisterEntry(int(entry_id), str(at), str(who), str(action), person_id,
                         details_of(details))  # fmt: skip


__all__ = [
    "ConsentError",
    "ConsentRegister",
    "NewPerson",
    "RegisterDamaged",
    "RegisterEntry",
    "RegisterProblem",
    "RegisterUnreachable",
]
