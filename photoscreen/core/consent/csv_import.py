"""Importing people from the spreadsheet a centre already keeps, saved as CSV.

Columns, in order: name, child or adult, consent (yes or no), the date of the answer
(2026-05-03 or 03/05/2026), and optionally the review date (a year after the answer when
left out). A first line of column titles ("Name, ...") is skipped, as are empty lines.
Excel's usual encodings are read (UTF-8 with or without its mark, else Windows-1252).

Every line is checked before anything is imported, and every problem is listed with its
line number (:class:`ImportRefused`): a file with one bad line imports nobody, so the
register never holds half a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from photoscreen.core.consent.people import ConsentError, Kind, parse_day
from photoscreen.core.consent.rules import NewPerson, checked_new
from photoscreen.core.rules import same_person

MAX_FILE_BYTES = 2_000_000
MAX_PEOPLE = 5000
_YES = frozenset({"yes", "y", "true", "1", "given"})
_NO = frozenset({"no", "n", "false", "0", "refused"})
_TITLES = frozenset({"name", "known as", "name known by"})
_MAX_SHOWN = 20


class ImportRefused(ValueError):
    """A file that cannot be imported; ``problems`` lists each line's problem."""

    def __init__(self, problems: list[str]) -> None:
        shown = problems[:_MAX_SHOWN]
        more = len(problems) - len(shown)
        text = "Nothing was imported. " + " ".join(shown)
        super().__init__(text + (f" (and {more} more problems)" if more > 0 else ""))
        self.problems = problems


def read_csv(path: Path) -> str:
    """The text of the file at ``path``, or :class:`ImportRefused` saying why not."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ImportRefused([f"{path} cannot be read ({error.strerror or error})."]) from None
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused([f"{path} is too big for a list of people (over 2 MB)."])
    if b"\0" in data:
        raise ImportRefused([f"{path} is not a CSV file (save the spreadsheet as CSV)."])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_csv(text: str, today: date) -> list[NewPerson]:
    """The people in ``text``, every line checked; :class:`ImportRefused` lists every
    problem when any line has one."""
    people: list[tuple[int, NewPerson]] = []
    problems: list[str] = []
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ImportRefused([f"The file is not readable as CSV ({error})."]) from None
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (number == 1 and cells[0].casefold() in _TITLES):
            continue
        try:
            new = _person(cells, today)
        except ConsentError as error:
            problems.append(f"Line {number}: {error}")
            continue
        twin = next((n for n, p in people if same_person(p.name, new.name)), None)
        if twin is not None:
            problems.append(f"Line {number}: {new.name} is already on line {twin}.")
            continue
        people.append((number, new))
    if len(people) > MAX_PEOPLE:
        problems.append(f"The file lists more than {MAX_PEOPLE} people.")
    if not people and not problems:
        problems.append("The file lists nobody.")
    if problems:
        raise ImportRefused(problems)
    return [person for _, person in people]


def _person(cells: list[str], today: date) -> NewPerson:
    if len(cells) not in (4, 5):
        raise ConsentError(
            f"it has {len(cells)} columns; it needs name, child or adult, consent (yes or "
            "no), date, and optionally a review date."
        )
    name, kind_text, answer, day = cells[:4]
    try:
        kind = Kind(kind_text.casefold())
    except ValueError:
        raise ConsentError(f"'{kind_text}' is neither child nor adult.") from None
    if answer.casefold() not in _YES | _NO:
        raise ConsentError(f"the consent '{answer}' is neither yes nor no.")
    consent = answer.casefold() in _YES
    given = parse_day(day) if day or consent else None
    review = parse_day(cells[4]) if len(cells) == 5 and cells[4] else None
    return checked_new(
        NewPerson(name, kind, consent, given_on=given, review_on=review), today
    )
