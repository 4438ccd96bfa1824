"""The reviewer PIN resists guessing: 6 digits at least and no easy pattern, wrong guesses
slow down every path that takes the PIN (and the wait survives closing photoscreen), and
each wrong one is audited without the PIN. Time is a fake clock: nothing here sleeps.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from photoscreen.core.rules.policy import PhotoState
from photoscreen.core.rules.review import ReviewRefused, hash_pin, new_pin_problem, verify_pin
from photoscreen.core.session.folder_session import Session
from photoscreen.core.settings.pin_attempts import FREE_TRIES, LONGEST_WAIT, Attempts
from tests.helpers.session_fixtures import make_ready, scan, write_photo, write_recorded

PIN = "472915"
WRONG = "583016"


class FakeClock:
    """Seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def open_folder(folder: Path, who: str, clock: FakeClock) -> Session:
    return Session.open(folder, who, clock=clock)


@pytest.fixture
def folder(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[Path, str]]:
    """A folder with a PIN, a photo Alice flagged and marked unclothed, a blocked activity."""
    write_photo(tmp_path / "a.jpg", 1)
    with open_folder(tmp_path, "Manager", clock) as session:
        session.settings.pin.change(PIN)
        session.settings.activity_list.set_blocked("cooking", True, "knives")
    with open_folder(tmp_path, "Alice", clock) as session:
        digest = scan(session, tmp_path / "a.jpg")
        make_ready(session, digest)
        session.flag_for_review(digest, "ok?")
        session.set_unclothed(digest, True)
    yield tmp_path, digest


# Every action that takes the PIN, as Bob (who neither flagged nor marked the photo).
PATHS: dict[str, Callable[[Session, str, str], object]] = {
    "approve": lambda s, h, pin: s.approve(h, "Bob", pin=pin),
    "reject": lambda s, h, pin: s.reject(h, "Bob", pin=pin),
    "clear an unclothed mark": lambda s, h, pin: s.set_unclothed(h, False, pin=pin),
    "lift a block": lambda s, h, pin: s.settings.activity_list.set_blocked(
        "cooking", False, pin=pin
    ),
    "change the PIN": lambda s, h, pin: s.settings.pin.change("802461", current_pin=pin),
    "remove the PIN": lambda s, h, pin: s.settings.pin.change(None, current_pin=pin),
}


@pytest.mark.parametrize("path", list(PATHS))
def test_every_path_that_takes_the_pin_is_slowed_down_and_audited(
    folder: tuple[Path, str], clock: FakeClock, path: str
) -> None:
    tmp_path, digest = folder
    act = PATHS[path]
    with open_folder(tmp_path, "Bob", clock) as session:
        for _ in range(FREE_TRIES + 1):
            with pytest.raises(ReviewRefused, match="not"):
                act(session, digest, WRONG)
        # Now even the right PIN must wait: otherwise guessing would go on at full speed.
        with pytest.raises(ReviewRefused, match="wait 30 seconds"):
            act(session, digest, PIN)
        refused = [e for e in session.audit_trail() if e.action == "pin_refused"]
    assert [e.details["reason"] for e in refused] == ["wrong"] * (FREE_TRIES + 1) + ["too soon"]
    purpose = "change the PIN" if path == "remove the PIN" else path
    assert {e.details["for"] for e in refused} == {purpose}
    assert all(e.who == "Bob" for e in refused)
    db = (tmp_path / ".photoscreen" / "session.sqlite3").read_bytes()
    assert WRONG.encode() not in db and PIN.encode() not in db

    # Closing photoscreen and opening the folder again does not reset the wait...
    clock.now += 29
    with open_folder(tmp_path, "Bob", clock) as session:
        with pytest.raises(ReviewRefused, match="wait 1 second"):
            act(session, digest, PIN)
        clock.now += 1
        act(session, digest, PIN)  # ...but it ends, and the right PIN then works.
        assert session.settings.pin.wait() == 0


def test_each_wrong_pin_after_the_free_tries_doubles_the_wait(
    folder: tuple[Path, str], clock: FakeClock
) -> None:
    tmp_path, digest = folder
    waits = []
    with open_folder(tmp_path, "Bob", clock) as session:
        for _ in range(FREE_TRIES + 6):
            with pytest.raises(ReviewRefused):
                session.approve(digest, "Bob", pin=WRONG)
            waits.append(session.settings.pin.wait())
            clock.now += waits[-1]
        assert waits == [0, 0, 0, 30, 60, 120, 240, 480, LONGEST_WAIT]
        session.approve(digest, "Bob", pin=PIN)
        with pytest.raises(ReviewRefused, match="not right"):
            session.reject(digest, "Bob", pin=WRONG)
        assert session.settings.pin.wait() == 0  # the right PIN started the count again


def test_a_clock_set_back_does_not_stretch_or_skip_the_wait(
    folder: tuple[Path, str], clock: FakeClock
) -> None:
    tmp_path, digest = folder
    with open_folder(tmp_path, "Bob", clock) as session:
        for _ in range(FREE_TRIES + 1):
            with pytest.raises(ReviewRefused):
                session.approve(digest, "Bob", pin=WRONG)
        clock.now -= 86_400  # a day back: 30 seconds from now, not a day and more
        with pytest.raises(ReviewRefused, match="wait 30 seconds"):
            session.approve(digest, "Bob", pin=PIN)
        clock.now += 30
        session.approve(digest, "Bob", pin=PIN)


@given(failures=st.integers(0, 10_000), since=st.floats(-1e9, 1e9), now=st.floats(0, 2e9))
def test_the_wait_is_bounded_and_never_negative(failures: int, since: float, now: float) -> None:
    attempts = Attempts(failures, since)
    assert 0 <= attempts.seconds_left(now) <= attempts.wait() <= LONGEST_WAIT
    assert (attempts.wait() == 0) == (failures <= FREE_TRIES)
    assert Attempts(failures + 1, since).wait() >= attempts.wait()


def test_no_pin_set_means_nothing_to_slow_down(tmp_path: Path, clock: FakeClock) -> None:
    write_photo(tmp_path / "a.jpg", 1)
    with open_folder(tmp_path, "Alice", clock) as session:
        digest = scan(session, tmp_path / "a.jpg")
        make_ready(session, digest)
        session.flag_for_review(digest, "ok?")
        for _ in range(FREE_TRIES + 3):
            session.reject(digest, "Bob", pin=WRONG)
        assert not [e for e in session.audit_trail() if e.action == "pin_refused"]


# --- choosing a PIN -----------------------------------------------------------------------

EASY = [
    "0000", "000000", "111111", "123456", "654321", "012345", "890123", "987654",
    "121212", "123123", "112233", "998877", "abcdef", "aaaaaa", "1234567", "  1234  ",
    "123321", "159753",
]  # fmt: skip


@pytest.mark.parametrize("pin", EASY)
def test_easy_pins_are_refused(pin: str) -> None:
    assert new_pin_problem(pin) is not None
    with pytest.raises(ReviewRefused):
        hash_pin(pin)


def easy_patterns() -> st.SearchStrategy[str]:
    digit = st.integers(0, 9)
    repeated = st.tuples(st.text("0123456789abc", min_size=1, max_size=3), st.integers(6, 12))
    runs = st.tuples(digit, st.sampled_from((1, -1)), st.integers(6, 10))
    return st.one_of(
        repeated.map(lambda t: (t[0] * 12)[: max(t[1], 2 * len(t[0]))]),
        runs.map(lambda t: "".join(str((t[0] + t[1] * i) % 10) for i in range(t[2]))),
        st.tuples(digit, st.sampled_from((1, -1)), st.integers(2, 3)).map(
            lambda t: "".join(str((t[0] + t[1] * i) % 10) * 2 for i in range(t[2]))
        ),
    )


@given(easy_patterns())
def test_every_repeat_run_or_doubled_run_is_refused(pin: str) -> None:
    assert new_pin_problem(pin) is not None, pin


@pytest.mark.parametrize("pin", ["472915", "kq7-wx", "305817", "my kids' centre 2024"])
def test_ordinary_pins_are_accepted(pin: str) -> None:
    assert new_pin_problem(pin) is None


def legacy_hash(pin: str) -> str:
    """A PIN hash as photoscreen wrote it when 4 characters were enough."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${2**14}$8$1${salt.hex()}${digest.hex()}"


def test_a_short_pin_from_before_still_opens_but_asks_for_a_new_one(
    tmp_path: Path, clock: FakeClock
) -> None:
    write_photo(tmp_path / "a.jpg", 1)
    with open_folder(tmp_path, "Alice", clock) as session:
        digest = scan(session, tmp_path / "a.jpg")
        make_ready(session, digest)
        session.flag_for_review(digest, "ok?")
        write_recorded(  # as photoscreen did when 4 digits were enough
            session.store,
            "INSERT INTO settings (key, value) VALUES ('review.pin_hash', ?)",
            (json.dumps(legacy_hash("0000")),),
        )
    with open_folder(tmp_path, "Bob", clock) as session:
        assert session.settings.pin.needs_renewing
        session.approve(digest, "Bob", pin="0000")
        assert session.status(digest).state is PhotoState.READY
        with pytest.raises(ReviewRefused, match="at least 6"):
            session.settings.pin.change("1357", current_pin="0000")
        session.settings.pin.change(PIN, current_pin="0000")
        assert not session.settings.pin.needs_renewing
        pin_hash = session.settings.pin.hash
        assert pin_hash is not None and verify_pin(PIN, pin_hash)
