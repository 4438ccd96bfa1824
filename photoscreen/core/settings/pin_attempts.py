"""How often the reviewer PIN may be tried: wrong guesses slow the next ones down.

With no limit, every four-digit PIN could be tried in about seven minutes. Now each wrong
PIN is counted in the folder's session database, in the ``pin_attempts`` table, so
closing photoscreen, or opening the folder on another PC, does not start the count
again. The first :data:`FREE_TRIES` wrong PINs in a row cost nothing (anyone mistypes);
each one after that makes the next try wait, 30 seconds and then twice as long each time,
up to :data:`LONGEST_WAIT`. While a wait runs no PIN is checked at all, a right one
included, or the wait would not slow guessing. A right PIN starts the count again.

Who can reset it: the count lives in the folder's session, which staff open for writing,
so someone who edits that database by hand (or deletes it, losing every decision) can set
it back to zero; nothing photoscreen offers does. Such a person can equally copy the PIN's
hash and guess offline, where only scrypt's cost slows them (see
:mod:`photoscreen.core.rules.review`). This limit is against guessing through photoscreen.

The clock is passed in (``time.time`` in the application), so tests move time on without
waiting. A clock set back is no help, nor a trap: the wait then runs its full length
from now (see :func:`seconds_left`).
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from photoscreen.core.storage import DamagedValue

Clock = Callable[[], float]
FREE_TRIES = 3
FIRST_WAIT = 30.0
LONGEST_WAIT = 600.0


@dataclass(frozen=True)
class Attempts:
    """Wrong PINs in a row since the last right one, and when the last was given."""

    failures: int = 0
    last_failure: float = 0.0

    def wait(self) -> float:
        """How long the next try must wait after the last wrong one, in seconds."""
        beyond = self.failures - FREE_TRIES
        if beyond <= 0:
            return 0.0
        return min(LONGEST_WAIT, FIRST_WAIT * 2.0 ** min(beyond - 1, 32))

    def seconds_left(self, now: float) -> float:
        """Seconds still to wait at ``now`` before a PIN may be tried (0: try now)."""
        wait = self.wait()
        return max(0.0, min(wait, self.last_failure + wait - now))


def read(conn: sqlite3.Connection) -> Attempts:
    """The count stored in the folder's session (none yet: no wrong PIN)."""
    row = conn.execute("SELECT failures, last_failure FROM pin_attempts WHERE id = 1").fetchone()
    if row is None:
        return Attempts()
    failures, last = row[0], row[1]
    if (
        not isinstance(failures, int)
        or failures < 0
        or not isinstance(last, (int, float))
        or not math.isfinite(last)
    ):
        raise DamagedValue("the count of wrong reviewer PINs is not a count")
    return Attempts(failures, float(last))


def record_failure(conn: sqlite3.Connection, now: float) -> Attempts:
    """Count one more wrong PIN, given at ``now``; returns the new count."""
    attempts = Attempts(read(conn).failures + 1, now)
    conn.execute(
        "INSERT OR REPLACE INTO pin_attempts (id, failures, last_failure) VALUES (1, ?, ?)",
        (attempts.failures, attempts.last_failure),
    )
    return attempts


def seconds_left(conn: sqlite3.Connection, now: float) -> float:
    """Seconds to wait before a PIN may be tried at ``now``. A last wrong PIN "in the
    future" (the clock was set back) is moved to now, so the wait is its full length
    from now: neither skipped nor stretched until the clock catches up."""
    conn.execute("UPDATE pin_attempts SET last_failure = ? WHERE last_failure > ?", (now, now))
    return read(conn).seconds_left(now)


def record_success(conn: sqlite3.Connection) -> None:
    """A right PIN: the count starts again."""
    conn.execute("DELETE FROM pin_attempts")


def wait_words(seconds: float) -> str:
    """How long a person must wait, in words rounded up: "30 seconds", "2 minutes"."""
    whole = math.ceil(seconds)
    if whole < 60:
        return f"{whole} second{'s' if whole != 1 else ''}"
    minutes = math.ceil(whole / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
