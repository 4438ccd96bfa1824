"""What the register accepts: a new person's values checked, names that clash, and what
its audit trail records of a person.

Two people whose names read the same (:func:`photoscreen.core.rules.names.same_person`: "Sam"
and "SAM", or a look-alike letter from another alphabet) cannot both be in the register:
staff pick people by name, and must never link a face to the wrong one.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from photoscreen.core.consent.people import (
    ConsentError,
    Kind,
    Person,
    checked_name,
    checked_note,
    default_review,
)
from photoscreen.core.rules import same_person


@dataclass(frozen=True)
class NewPerson:
    """What the manager gives for one person (typed, or one line of an imported file)."""

    name: str
    kind: Kind
    consent: bool
    given_by: str = ""
    given_on: date | None = None
    review_on: date | None = None
    never_publish: bool = False
    never_publish_reason: str = ""




def checked_new(new: NewPerson, today: date | None = None) -> NewPerson:
    """``new`` with its name and notes tidied and its dates checked (a consent given
    without a review day gets one a year on), or :class:`ConsentError`."""
    name = checked_name(new.name)
    by = checked_note(new.given_by, "Who gave consent")
    reason = checked_note(new.never_publish_reason, "The reason")
    kind = Kind(new.kind)
    given, review = new.given_on, new.review_on
    if new.consent:
        if given is None:
            raise ConsentError(f"Say on which day consent for {name} was given.")
        review = review or default_review(given)
        check_dates(given, review, today or date.today())
    review = review if new.consent else None
    return replace(
        new, name=name, kind=kind, given_by=by, review_on=review, never_publish_reason=reason
    )


def check_dates(given_on: date, review_on: date, today: date) -> None:
    if given_on > today:
        raise ConsentError(f"Consent cannot be given on a day still to come ({given_on}).")
    if review_on < given_on:
        raise ConsentError("The review date must come after the day consent was given.")


def new_id(conn: sqlite3.Connection) -> str:
    while True:
        candidate = f"P-{secrets.token_hex(3).upper()}"
        if conn.execute("SELECT 1 FROM people WHERE id = ?", (candidate,)).fetchone() is None:
            return candidate


def shown_fields(person: Person) -> dict[str, Any]:
    """What the register's trail records of a person (never a picture)."""
    return {
        "name": person.name, "kind": person.kind.value, "consent": person.consent,
        "given_by": person.given_by, "given_on": iso_day(person.given_on),
        "review_on": iso_day(person.review_on), "withdrawn_at": person.withdrawn_at,
        "withdrawn_by": person.withdrawn_by, "never_publish": person.never_publish,
        "never_publish_reason": person.never_publish_reason,
    }  # fmt: skip


def clash_words(name: str, other: Person) -> str:
    return (
        f"There is already someone called {other.name} in the register ({other.id}). If "
        f"{name} is someone else, add something that tells them apart (a surname's first "
        "letter)."
    )


def clashes(existing: list[Person], people: list[NewPerson]) -> list[str]:
    """Why each of ``people`` cannot be added beside ``existing`` (and each other)."""
    problems: list[str] = []
    for index, new in enumerate(people):
        other = next((p for p in existing if same_person(p.name, new.name)), None)
        if other is not None:
            problems.append(clash_words(new.name, other))
        elif any(same_person(new.name, earlier.name) for earlier in people[:index]):
            problems.append(f"{new.name} is in the file twice.")
    return problems



def iso_day(day: date | None) -> str | None:
    """A day as the register stores it (2026-05-03), or None."""
    return None if day is None else day.isoformat()
