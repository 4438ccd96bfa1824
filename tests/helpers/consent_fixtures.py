"""Shared pieces for the consent register's tests: a fake clock, a PIN hashed once."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from photoscreen.core.consent import ConsentRegister, Kind, NewPerson
from photoscreen.core.rules.review import hash_pin
from photoscreen.core.session import Session
from photoscreen.core.settings.declared import REGISTER_KEY

PIN = "472915"
WRONG = "583016"


class FakeClock:
    """Seconds that move only when the test says so; starts at noon on 1 March 2026."""

    def __init__(self, now: float | None = None) -> None:
        self.now = datetime(2026, 3, 1, 12, 0).timestamp() if now is None else now

    def __call__(self) -> float:
        return self.now

    def days(self, n: float) -> None:
        self.now += n * 86400

    @property
    def today(self) -> date:
        return datetime.fromtimestamp(self.now).date()


@cache
def pin_hash() -> str:
    return hash_pin(PIN)


def open_register(
    path: Path, clock: FakeClock, who: str = "Manager", *, with_pin: bool = False
) -> ConsentRegister:
    source = pin_hash if with_pin else None
    return ConsentRegister(path, who, pin_hash=source, clock=clock)


def consenting(name: str, clock: FakeClock, days_ago: int = 10, **more: object) -> NewPerson:
    """A child whose consent was given ``days_ago`` days before the clock's today."""
    given = clock.today - timedelta(days=days_ago)
    return NewPerson(name, Kind.CHILD, True, given_by="Parent", given_on=given, **more)  # type: ignore[arg-type]


def today_clock() -> FakeClock:
    """A fake clock set to now (for sessions, whose clock is the real one)."""
    return FakeClock(time.time())


def register_for(session: Session, folder: Path, clock: FakeClock | None = None) -> ConsentRegister:
    """A register in ``folder`` that ``session``'s centre setting points at."""
    path = folder / "consent-register.sqlite3"
    session.settings.set(REGISTER_KEY, str(path.resolve()))
    return ConsentRegister(path, "Manager", clock=clock or session.clock)
