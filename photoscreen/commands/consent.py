"""``photoscreen consent list|add|withdraw|never-publish|remove|import|check|accept`` and
``photoscreen takedown``.

The manager's consent register at the command line (see :mod:`photoscreen.core.consent`).
The register is the one this PC's centre settings name (the default: this PC's data
folder). Changes ask for the reviewer PIN when the centre has one. Exit status: 0 done,
1 refused (a bad value, a wrong PIN, a file with bad lines: nothing was changed; for
``check``: the register was changed outside photoscreen), 2 the register cannot be used
(said plainly).
"""

from __future__ import annotations

import argparse
import getpass
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from photoscreen.core.basics import printable
from photoscreen.core.consent import (
    REGISTER_KEY,
    ConsentError,
    ConsentRegister,
    ExportedFile,
    ImportRefused,
    Kind,
    NewPerson,
    Person,
    RegisterProblem,
    day_words,
    iso_day,
    parse_csv,
    parse_day,
    read_csv,
    register_path,
)
from photoscreen.core.rules import ReviewRefused, looks_like_pin_hash
from photoscreen.core.settings import BY_KEY, PIN_KEY, SettingError
from photoscreen.core.storage import CentreFile

AskPin = Callable[[str], str]


def add_parsers(sub: Any) -> None:
    """The ``consent`` and ``takedown`` commands, for ``app.py``'s parser."""
    consent = sub.add_parser("consent", help="the centre's consent register (the manager's)")
    consent.add_argument("--user", default=None, help="name recorded in the register's trail")
    actions = consent.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="everyone in the register and their consent")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add = actions.add_parser("add", help="add a person")
    add.add_argument("name")
    add.add_argument("--adult", action="store_true", help="an adult (default: a child)")
    add.add_argument("--consent", choices=("yes", "no"), required=True)
    add.add_argument("--given-by", default="", help="who gave (or refused) consent")
    add.add_argument("--date", default=None, help="the day of the answer (default: today)")
    add.add_argument("--review", default=None, help="review date (default: a year on)")
    add.add_argument("--never-publish", default=None, metavar="REASON")
    withdraw = actions.add_parser("withdraw", help="record that consent was withdrawn")
    withdraw.add_argument("person", help="the person's id or name")
    never = actions.add_parser("never-publish", help="mark a person never publish")
    never.add_argument("person")
    never.add_argument("reason", nargs="?", default="")
    never.add_argument("--lift", action="store_true", help="take the mark off")
    removed = actions.add_parser("remove", help="take a person out of the register")
    removed.add_argument("person")
    removed.add_argument("reason", help="why (kept in the register's trail)")
    imported = actions.add_parser("import", help="add everyone in a CSV file, or nobody")
    imported.add_argument("file", type=Path)
    actions.add_parser("check", help="is the register as its trail recorded it?")
    actions.add_parser("accept", help="accept a register changed outside photoscreen as it is")
    takedown = sub.add_parser("takedown", help="every exported photo showing a person")
    takedown.add_argument("person", help="the person's id or name")
    takedown.add_argument("--json", action="store_true", help="print JSON instead of a list")


def open_centre_register(centre_file: Path | None, who: str) -> ConsentRegister:
    """The register this PC's centre settings name, with the centre's reviewer PIN."""
    values = {} if centre_file is None else CentreFile(centre_file).values()
    place = values.get(REGISTER_KEY)
    try:
        BY_KEY[REGISTER_KEY].check(place)
    except SettingError as error:
        raise RegisterProblem(f"The centre settings name no usable register: {error}") from None
    stored = values.get(PIN_KEY)
    pin_hash = stored if looks_like_pin_hash(stored) else None
    return ConsentRegister(register_path(place), who, pin_hash=lambda: pin_hash)


def run(args: argparse.Namespace, out: TextIO, centre_file: Path | None, ask_pin: AskPin) -> int:
    """Run ``consent ...`` or ``takedown ...``; returns the exit status."""
    who = args.user if getattr(args, "user", None) else _user()
    try:
        register = open_centre_register(centre_file, who)
        if args.command == "takedown":
            return _takedown(register, args, out)
        return _consent(register, args, out, ask_pin)
    except RegisterProblem as problem:
        out.write(f"photoscreen {args.command}: {problem}\n")
        return 2
    except (ConsentError, ReviewRefused, ImportRefused) as refused:
        out.write(f"photoscreen {args.command}: {refused}\n")
        return 1


def _consent(register: ConsentRegister, args: argparse.Namespace, out: TextIO, ask: AskPin) -> int:
    if args.action == "list":
        return _list(register, args.json, out)
    if args.action == "check":
        summary = register.findings().summary()
        out.write((summary or "The register matches its trail.") + "\n")
        return 0 if summary is None else 1
    pin = ask("Reviewer PIN: ") if register.pin.needed else None
    if args.action == "add":
        given = parse_day(args.date) if args.date else register.today()
        new = NewPerson(args.name, Kind.ADULT if args.adult else Kind.CHILD,
                        args.consent == "yes", args.given_by, given,
                        parse_day(args.review) if args.review else None,
                        args.never_publish is not None, args.never_publish or "")  # fmt: skip
        person = register.add(new, pin=pin)
        out.write(f"Added {printable(person.name)} ({person.id}).\n")
    elif args.action == "withdraw":
        person = register.withdraw(register.find(args.person).id, pin=pin)
        out.write(f"Consent withdrawn for {printable(person.name)} ({person.id}). "
                  f"Find their exported photos: photoscreen takedown {person.id}\n")  # fmt: skip
    elif args.action == "never-publish":
        found = register.find(args.person)
        person = register.set_never_publish(found.id, not args.lift, args.reason, pin=pin)
        state = "no longer marked" if args.lift else "marked"
        out.write(f"{printable(person.name)} ({person.id}) is {state} never publish.\n")
    elif args.action == "remove":
        person = register.remove(register.find(args.person).id, args.reason, pin=pin)
        out.write(f"{printable(person.name)} ({person.id}) was removed; photos linked to "
                  f"them are held back. Their exported photos: photoscreen takedown "
                  f"{person.id}\n")  # fmt: skip
    elif args.action == "accept":
        out.write(_accepted(register, pin))
    else:
        people = parse_csv(read_csv(args.file), register.today())
        register.add_many(people, args.file.name, pin=pin)
        out.write(f"Imported {len(people)} people from {printable(args.file.name)}.\n")
    return 0


def _accepted(register: ConsentRegister, pin: str | None) -> str:
    if register.accept_as_is(pin=pin).clean:
        return "Nothing needed accepting: the register matched its trail.\n"
    return "The register is accepted as it is now; this is recorded.\n"


def _list(register: ConsentRegister, as_json: bool, out: TextIO) -> int:
    people, today = register.people(), register.today()
    if as_json:
        json.dump([_person_json(p, today) for p in people], out, indent=2)
        out.write("\n")
        return 0
    out.write(f"{'ID':<10}{'NAME':<28}{'':<7}STATUS\n")
    for p in people:
        out.write(f"{p.id:<10}{printable(p.name)[:27]:<28}{p.kind.value:<7}{p.summary(today)}\n")
    current = sum(1 for p in people if p.has_current_consent(today))
    out.write(f"{len(people)} people, {current} with current consent\n")
    summary = register.findings().summary()
    if summary:
        out.write(f"Note: {summary}\n")
    return 0


def _person_json(person: Person, today: Any) -> dict[str, Any]:
    day = iso_day
    return {
        "id": person.id, "name": person.name, "kind": person.kind.value,
        "consent": person.consent, "given_by": person.given_by,
        "given_on": day(person.given_on), "review_on": day(person.review_on),
        "withdrawn_at": person.withdrawn_at, "withdrawn_by": person.withdrawn_by,
        "never_publish": person.never_publish,
        "never_publish_reason": person.never_publish_reason,
        "state": person.state(today).value, "may_be_shown": person.has_current_consent(today),
    }  # fmt: skip


def _takedown(register: ConsentRegister, args: argparse.Namespace, out: TextIO) -> int:
    try:
        found = register.find(args.person)
        person_id, name = found.id, f"{printable(found.name)} ({found.id})"
    except ConsentError:  # someone removed from the register: by id, as the index keeps them
        person_id = name = args.person.strip().upper()
        if not register.exports.takedown(person_id):
            raise
    files = register.exports.takedown(person_id)
    if args.json:
        document = {"person": person_id, "files": [f.to_json() for f in files]}
        json.dump(document, out, indent=2)
        out.write("\n")
        return 0
    out.write(f"Photos exported with {name} in them: {len(files)}\n")
    for file in files:
        out.write(_takedown_line(file))
    return 0


def _takedown_line(file: ExportedFile) -> str:
    day = file.exported_at[:10]
    how = "face shown" if file.shown else "linked, face blurred"
    return (
        f"  {day}  {printable(file.file_name)}  in {printable(file.destination)}  ({how}; "
        f"from {printable(file.source_name)} in {printable(file.folder)})\n"
    )


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown user"


__all__ = ["add_parsers", "day_words", "open_centre_register", "run"]
