"""One person in the consent register, and whether their face may be shown on a given day.

A person is the name staff know them by, child or adult, and for posting on the centre's
social media: consent yes or no, who gave it and on which day, the day it must be
reviewed by (it lapses after that day), whether it was withdrawn (when, and who recorded
it), and a "never publish" mark (a looked-after child, a court order, a family's safety)
that no consent outweighs. :meth:`Person.shown_problem` says, in plain words, why a face
linked to the person may not be shown today (None: it may).

Names are checked as staff type them (:func:`checked_name`): no control or invisible
characters, at least one letter, at most :data:`MAX_NAME_CHARS` characters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from photoscreen.core.rules import has_letters

MAX_NAME_CHARS = 80
MAX_NOTE_CHARS = 200
# A consent form is reviewed once a year unless the manager says otherwise.
DEFAULT_REVIEW_DAYS = 365
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


class ConsentError(ValueError):
    """A change the register refuses (an unusable name or date, an unknown person);
    ``str()`` says why in plain words."""


class Kind(str, Enum):
    """Whether the person is a child or an adult (parents and carers attend too)."""

    CHILD = "child"
    ADULT = "adult"


class ConsentState(str, Enum):
    """Where a person's consent stands on one day."""

    CURRENT = "current"
    NONE = "none"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    NEVER_PUBLISH = "never publish"


@dataclass(frozen=True)
class Person:
    """One row of the register, as read back (see :mod:`photoscreen.core.consent.rows`)."""

    id: str
    name: str
    kind: Kind
    consent: bool
    given_by: str
    given_on: date | None
    review_on: date | None
    withdrawn_at: str | None
    withdrawn_by: str | None
    never_publish: bool
    never_publish_reason: str
    added_at: str
    added_by: str

    def state(self, today: date) -> ConsentState:
        """Where this person's consent stands on ``today``."""
        if self.never_publish:
            return ConsentState.NEVER_PUBLISH
        if self.withdrawn_at is not None:
            return ConsentState.WITHDRAWN
        if not self.consent:
            return ConsentState.NONE
        if self.review_on is None or today > self.review_on:
            return ConsentState.EXPIRED
        return ConsentState.CURRENT

    def has_current_consent(self, today: date) -> bool:
        """True when a face linked to this person may be shown on ``today``."""
        return self.state(today) is ConsentState.CURRENT

    def shown_problem(self, today: date) -> str | None:
        """Why this person's face may not be shown on ``today``, in plain words (no name:
        the caller adds it where a name may appear); None when it may."""
        state = self.state(today)
        if state is ConsentState.NEVER_PUBLISH:
            reason = f" ({self.never_publish_reason})" if self.never_publish_reason else ""
            return f"marked never publish{reason}: no photo of them may be posted at all"
        if state is ConsentState.WITHDRAWN:
            return f"consent was withdrawn on {day_words(self.withdrawn_on)}"
        if state is ConsentState.NONE:
            return "there is no consent to post their photo"
        if state is ConsentState.EXPIRED:
            return f"consent lapsed after {day_words(self.review_on)} (it needs renewing)"
        return None

    @property
    def withdrawn_on(self) -> date | None:
        """The day consent was withdrawn, or None."""
        if self.withdrawn_at is None:
            return None
        try:
            return datetime.fromisoformat(self.withdrawn_at).date()
        except ValueError:
            return None

    def summary(self, today: date) -> str:
        """One line for a list: "Consent until 3 May 2027", "Withdrawn on ...", ..."""
        state = self.state(today)
        if state is ConsentState.CURRENT:
            return f"Consent until {day_words(self.review_on)}"
        problem = self.shown_problem(today) or ""
        return problem[:1].upper() + problem[1:]


def day_words(day: date | None) -> str:
    """A day as people read it: "3 May 2027" ("an unknown day" for None)."""
    return "an unknown day" if day is None else f"{day.day} {day:%B %Y}"


def default_review(given_on: date) -> date:
    """The review date of a consent given on ``given_on`` when none is said: a year on."""
    return given_on + timedelta(days=DEFAULT_REVIEW_DAYS)


def checked_name(name: str) -> str:
    """``name`` tidied (spaces collapsed), or :class:`ConsentError` saying why not."""
    if not isinstance(name, str):
        raise ConsentError("A name must be text.")
    tidy = " ".join(name.split())
    if any(unicodedata.category(ch) in _HIDDEN for ch in tidy):
        raise ConsentError("A name cannot hold control or invisible characters.")
    if not tidy or not has_letters(tidy):
        raise ConsentError("A person needs a name with at least one letter.")
    if len(tidy) > MAX_NAME_CHARS:
        raise ConsentError(
            f"A name can have at most {MAX_NAME_CHARS} characters (this one has {len(tidy)})."
        )
    return tidy


def checked_note(text: str, what: str) -> str:
    """A short note (who gave consent, a never-publish reason) tidied, or refused."""
    tidy = " ".join(str(text).split())
    if any(unicodedata.category(ch) in _HIDDEN for ch in tidy):
        raise ConsentError(f"{what} cannot hold control or invisible characters.")
    if len(tidy) > MAX_NOTE_CHARS:
        raise ConsentError(f"{what} can have at most {MAX_NOTE_CHARS} characters.")
    return tidy


def parse_day(text: str) -> date:
    """A day typed as 2026-05-03 or 03/05/2026 (day first, as in the UK); else
    :class:`ConsentError`."""
    tidy = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(tidy, pattern).date()
        except ValueError:
            continue
    raise ConsentError(f"'{tidy}' is not a date: write it as 2026-05-03 or 03/05/2026.")
