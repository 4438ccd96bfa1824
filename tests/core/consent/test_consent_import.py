"""Importing the centre's spreadsheet: every bad line named, nothing half-imported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from photoscreen.core.consent import (
    ConsentError,
    ConsentState,
    ImportRefused,
    Kind,
    parse_csv,
    read_csv,
)
from photoscreen.core.rules.review import ReviewRefused
from photoscreen.core.settings import CentreSettings, SettingError
from photoscreen.core.settings.declared import REGISTER_KEY
from photoscreen.core.storage.store import Store
from tests.helpers.consent_fixtures import PIN, FakeClock, consenting, open_register

TODAY = date(2026, 3, 1)
GOOD = (
    "Name,Child or adult,Consent,Date\n"
    "Sam Jones,child,yes,2026-01-10\n"
    "\n"
    "Priya K,Adult,No,\n"
    "Leo,child,Y,15/02/2026,15/02/2027\n"
)


def test_a_good_file_imports_everyone_with_their_answer(tmp_path: Path) -> None:
    clock = FakeClock()
    register = open_register(tmp_path / "r.sqlite3", clock)
    register.add_many(parse_csv(GOOD, clock.today), "consent.csv")
    people = {p.name: p for p in register.people()}
    assert set(people) == {"Sam Jones", "Priya K", "Leo"}
    assert people["Sam Jones"].review_on == date(2027, 1, 10)  # a year on
    assert people["Priya K"].kind is Kind.ADULT
    assert people["Priya K"].state(clock.today) is ConsentState.NONE
    assert people["Leo"].review_on == date(2027, 2, 15)
    trail = register.audit_trail()
    assert [e.action for e in trail][-1] == "imported"
    assert all(e.details.get("from") == "consent.csv" for e in trail)


def test_every_bad_line_is_named_and_nobody_is_imported() -> None:
    text = (
        "Sam,child,yes,2026-01-10\n"
        "Ann,teacher,yes,2026-01-10\n"
        "Bob,child,maybe,2026-01-10\n"
        "Cat,child,yes,31/02/2026\n"
        "Dan,child,yes\n"
        "SAM,adult,no,\n"
        "Eve,child,yes,2027-01-01\n"
    )
    with pytest.raises(ImportRefused) as refused:
        parse_csv(text, TODAY)
    problems = refused.value.problems
    assert [p.split(":")[0] for p in problems] == [f"Line {n}" for n in range(2, 8)]
    assert "neither child nor adult" in problems[0]
    assert "neither yes nor no" in problems[1]
    assert "not a date" in problems[2]
    assert "4 columns" not in problems[3] and "3 columns" in problems[3]
    assert "already on line 1" in problems[4]
    assert "still to come" in problems[5]
    assert str(refused.value).startswith("Nothing was imported.")


def test_someone_already_in_the_register_stops_the_whole_import(tmp_path: Path) -> None:
    clock = FakeClock()
    register = open_register(tmp_path / "r.sqlite3", clock)
    register.add(consenting("Leo", clock))
    with pytest.raises(ConsentError, match=r"Nothing was imported\..*already someone called Leo"):
        register.add_many(parse_csv(GOOD, clock.today), "consent.csv")
    assert [p.name for p in register.people()] == ["Leo"]


def test_importing_needs_the_pin(tmp_path: Path) -> None:
    clock = FakeClock()
    register = open_register(tmp_path / "r.sqlite3", clock, with_pin=True)
    with pytest.raises(ReviewRefused):
        register.add_many(parse_csv(GOOD, clock.today), "consent.csv")
    register.add_many(parse_csv(GOOD, clock.today), "consent.csv", pin=PIN)
    assert len(register.people()) == 3


def test_excel_encodings_are_read(tmp_path: Path) -> None:
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffZoë,child,yes,2026-01-10\n".encode())
    windows = tmp_path / "win.csv"
    windows.write_bytes("Zoë,child,yes,2026-01-10\r\n".encode("cp1252"))
    for path in (bom, windows):
        assert [p.name for p in parse_csv(read_csv(path), TODAY)] == ["Zoë"]
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\xff\xd8\x00\x10JFIF")
    with pytest.raises(ImportRefused, match="not a CSV file"):
        read_csv(binary)
    with pytest.raises(ImportRefused, match="cannot be read"):
        read_csv(tmp_path / "missing.csv")


def test_an_empty_file_lists_nobody() -> None:
    with pytest.raises(ImportRefused, match="lists nobody"):
        parse_csv("Name,kind,consent,date\n\n", TODAY)


_lines = st.lists(
    st.one_of(
        st.builds(lambda n: f"Person {n},child,yes,2026-01-10", st.text("abcdefgh", min_size=1)),
        st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(lines=_lines)
def test_a_file_imports_whole_or_not_at_all(
    lines: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    clock = FakeClock()
    register = open_register(tmp_path_factory.mktemp("r") / "r.sqlite3", clock)
    text = "\n".join(lines)
    try:
        people = parse_csv(text, clock.today)
        register.add_many(people, "x.csv")
    except (ImportRefused, ConsentError):
        assert register.people() == []
        return
    assert len(register.people()) == len(people) > 0


def test_the_register_place_is_a_full_path_and_the_managers_choice(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    settings = CentreSettings(store, "Alice")
    assert settings.get(REGISTER_KEY) is None
    with pytest.raises(SettingError, match="not a full path"):
        settings.set(REGISTER_KEY, "register.sqlite3")
    settings.set(REGISTER_KEY, str(tmp_path / "shared" / "r.sqlite3"))
    settings.pin.change(PIN)
    with pytest.raises(ReviewRefused, match="Only the manager can change where consent"):
        settings.set(REGISTER_KEY, "/elsewhere/r.sqlite3")
    settings.set(REGISTER_KEY, "/elsewhere/r.sqlite3", pin=PIN)
    assert settings.get(REGISTER_KEY) == "/elsewhere/r.sqlite3"
    store.close()
