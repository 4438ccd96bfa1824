"""The consent register: who may be shown, changes only by the manager, every change
audited, and a register that cannot be used said plainly."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from photoscreen.core.consent import (
    ConsentError,
    ConsentState,
    Kind,
    NewPerson,
    RegisterDamaged,
    RegisterUnreachable,
)
from photoscreen.core.rules.review import ReviewRefused
from photoscreen.core.session import Session
from photoscreen.core.settings.pin_attempts import FREE_TRIES
from tests.helpers.consent_fixtures import PIN, WRONG, FakeClock, consenting, open_register


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "register.sqlite3"


def test_a_person_with_consent_may_be_shown_until_the_review_day(
    path: Path, clock: FakeClock
) -> None:
    register = open_register(path, clock)
    sam = register.add(consenting("Sam", clock))
    assert sam.id.startswith("P-") and sam.kind is Kind.CHILD
    assert sam.review_on == sam.given_on + timedelta(days=365)
    assert register.with_current_consent() == [sam]
    clock.days((sam.review_on - clock.today).days)
    assert register.person(sam.id).has_current_consent(clock.today)  # the last day
    clock.days(1)
    assert register.with_current_consent() == []
    later = register.person(sam.id)
    assert later.state(clock.today) is ConsentState.EXPIRED
    assert "needs renewing" in (later.shown_problem(clock.today) or "")


def test_withdrawal_ends_consent_and_names_who_recorded_it(path: Path, clock: FakeClock) -> None:
    register = open_register(path, clock, who="Dana")
    sam = register.add(consenting("Sam", clock))
    withdrawn = register.withdraw(sam.id)
    assert withdrawn.state(clock.today) is ConsentState.WITHDRAWN
    assert withdrawn.withdrawn_by == "Dana"
    assert "withdrawn on" in (withdrawn.shown_problem(clock.today) or "")
    with pytest.raises(ConsentError, match="no consent to withdraw"):
        register.withdraw(sam.id)
    renewed = register.give_consent(sam.id, given_by="Mum", given_on=clock.today)
    assert renewed.has_current_consent(clock.today) and renewed.withdrawn_at is None


def test_never_publish_outweighs_any_consent(path: Path, clock: FakeClock) -> None:
    register = open_register(path, clock)
    sam = register.add(consenting("Sam", clock))
    marked = register.set_never_publish(sam.id, True, "court order")
    assert marked.state(clock.today) is ConsentState.NEVER_PUBLISH
    assert "court order" in (marked.shown_problem(clock.today) or "")
    again = register.give_consent(sam.id, given_by="Dad", given_on=clock.today)
    assert not again.has_current_consent(clock.today)
    lifted = register.set_never_publish(sam.id, False)
    assert lifted.has_current_consent(clock.today)


def test_no_consent_is_never_shown(path: Path, clock: FakeClock) -> None:
    register = open_register(path, clock)
    adult = register.add(NewPerson("Jo Carer", Kind.ADULT, False))
    assert adult.state(clock.today) is ConsentState.NONE
    assert register.with_current_consent() == []


def test_every_change_is_audited_with_who_when_and_what(path: Path, clock: FakeClock) -> None:
    register = open_register(path, clock, who="Dana")
    sam = register.add(consenting("Sam", clock))
    register.withdraw(sam.id)
    register.set_never_publish(sam.id, True, "family safety")
    trail = register.audit_trail(sam.id)
    assert [e.action for e in trail] == ["person_added", "consent_withdrawn", "never_publish"]
    assert all(e.who == "Dana" and e.at.endswith("+00:00") for e in trail)
    assert trail[0].details["name"] == "Sam" and trail[0].details["consent"] is True
    assert trail[2].details == {"never_publish": True, "never_publish_reason": "family safety"}
    with sqlite3.connect(path) as conn, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit")


def test_names_that_read_the_same_are_one_person(path: Path, clock: FakeClock) -> None:
    register = open_register(path, clock)
    register.add(consenting("Sam Jones", clock))
    with pytest.raises(ConsentError, match="already someone called Sam Jones"):
        register.add(consenting("SAM  JONES", clock))
    with pytest.raises(ConsentError, match="already someone"):
        register.add(consenting("S\u0430m Jones", clock))  # a Cyrillic a
    assert len(register.people()) == 1


@pytest.mark.parametrize(
    ("name", "words"),
    [("", "at least one letter"), ("..", "at least one letter"), ("Sam\u200b", "invisible"),
     ("x" * 81, "at most 80")],
)
def test_unusable_names_are_refused(path: Path, clock: FakeClock, name: str, words: str) -> None:
    register = open_register(path, clock)
    with pytest.raises(ConsentError, match=words):
        register.add(consenting(name, clock))
    assert register.people() == [] and register.audit_trail() == []


def test_dates_must_make_sense(path: Path, clock: FakeClock) -> None:
    register = open_register(path, clock)
    with pytest.raises(ConsentError, match="still to come"):
        register.add(consenting("Sam", clock, days_ago=-1))
    with pytest.raises(ConsentError, match="on which day"):
        register.add(NewPerson("Sam", Kind.CHILD, True))
    with pytest.raises(ConsentError, match="after the day"):
        register.add(consenting("Sam", clock, review_on=clock.today - timedelta(days=30)))


def test_changes_need_the_reviewer_pin_when_one_is_set(path: Path, clock: FakeClock) -> None:
    register = open_register(path, clock, with_pin=True)
    with pytest.raises(ReviewRefused, match="Only the manager"):
        register.add(consenting("Sam", clock))
    with pytest.raises(ReviewRefused, match="not right"):
        register.add(consenting("Sam", clock), pin=WRONG)
    sam = register.add(consenting("Sam", clock), pin=PIN)
    for change in (
        lambda pin: register.withdraw(sam.id, pin=pin),
        lambda pin: register.set_never_publish(sam.id, True, pin=pin),
        lambda pin: register.give_consent(sam.id, given_by="x", given_on=clock.today, pin=pin),
    ):
        with pytest.raises(ReviewRefused):
            change(None)
    assert register.person(sam.id) == sam
    refusals = [e for e in register.audit_trail() if e.action == "pin_refused"]
    assert len(refusals) == 1 and PIN not in json.dumps(refusals[0].details)
    assert WRONG not in path.read_bytes().decode("latin-1")


def test_wrong_pins_slow_down_guessing_from_any_pc(path: Path, clock: FakeClock) -> None:
    first = open_register(path, clock, with_pin=True)
    second = open_register(path, clock, "Other PC", with_pin=True)
    for attempt in range(FREE_TRIES + 1):
        with pytest.raises(ReviewRefused, match="not right"):
            (first if attempt % 2 else second).add(consenting("Sam", clock), pin=WRONG)
    with pytest.raises(ReviewRefused, match="wait 30 seconds"):
        first.add(consenting("Sam", clock), pin=PIN)  # even the right one waits
    assert first.pin.wait() == 30
    clock.now += 31
    assert first.add(consenting("Sam", clock), pin=PIN).name == "Sam"
    assert first.pin.wait() == 0


def test_a_missing_folder_is_unreachable_and_nothing_is_made(
    tmp_path: Path, clock: FakeClock
) -> None:
    gone = tmp_path / "shared-drive" / "register.sqlite3"
    with pytest.raises(RegisterUnreachable, match="is not there"):
        open_register(gone, clock)
    assert not gone.parent.exists()


def test_a_register_that_went_away_is_said_and_not_made_again(
    path: Path, clock: FakeClock
) -> None:
    register = open_register(path, clock)
    register.add(consenting("Sam", clock))
    path.unlink()
    with pytest.raises(RegisterUnreachable, match="cannot be opened"):
        register.people()
    with pytest.raises(RegisterUnreachable):
        register.add(consenting("Alex", clock))
    assert not path.exists()


def test_another_file_is_refused_not_written(tmp_path: Path, clock: FakeClock) -> None:
    with Session.open(tmp_path, "Alice"):
        pass
    session_file = tmp_path / ".photoscreen" / "session.sqlite3"
    before = session_file.read_bytes()
    with pytest.raises(RegisterDamaged, match="not a photoscreen consent register"):
        open_register(session_file, clock)
    assert session_file.read_bytes() == before
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is a spreadsheet, not a database" * 200)
    with pytest.raises(RegisterDamaged, match="damaged or is not a register"):
        open_register(junk, clock)


def test_a_value_photoscreen_never_writes_is_damage(path: Path, clock: FakeClock) -> None:
    register = open_register(path, clock)
    register.add(consenting("Sam", clock))
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE people SET review_on = 'next year'")
    with pytest.raises(RegisterDamaged, match="is damaged"):
        register.people()


def test_a_register_from_a_newer_photoscreen_is_refused(path: Path, clock: FakeClock) -> None:
    open_register(path, clock)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 9")
    with pytest.raises(RegisterDamaged, match="newer photoscreen"):
        open_register(path, clock)


def test_find_takes_an_id_or_a_name_as_people_read_it(path: Path, clock: FakeClock) -> None:
    register = open_register(path, clock)
    sam = register.add(consenting("Sam Jones", clock))
    assert register.find(sam.id.lower()) == sam
    assert register.find("sam jones") == sam
    with pytest.raises(ConsentError, match="Nobody"):
        register.find("Alex")
