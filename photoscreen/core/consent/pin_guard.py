"""The reviewer PIN for changes to the consent register, checked as every PIN check is.

A :class:`~photoscreen.core.consent.register.ConsentRegister` holds one :class:`PinGuard`
(``register.pin``). The PIN in force is the one the caller gives (the centre's,
or the open folder's); wrong PINs are counted in the register's own ``pin_attempts``
table with the rules of :mod:`photoscreen.core.settings.pin_attempts` (a few free mistakes, then
waits growing to ten minutes, during which no PIN is checked at all), so guessing from
two PCs is counted together, and each refusal is audited in the register without the PIN.
The scrypt check runs outside any transaction, so the register is not held while it runs.
"""

from __future__ import annotations

from collections.abc import Callable

from photoscreen.core.consent.register_file import RegisterFile
from photoscreen.core.rules import ReviewRefused, verify_pin
from photoscreen.core.settings import Clock, pin_attempts, wait_words


class PinGuard:
    """The reviewer PIN that changes to the register at ``file`` need: the one
    ``pin_hash`` gives (None: no PIN is set), its waits timed by ``clock``."""

    def __init__(
        self, file: RegisterFile, pin_hash: Callable[[], str | None], clock: Clock
    ) -> None:
        self._file = file
        self._pin_hash = pin_hash
        self._clock = clock

    @property
    def needed(self) -> bool:
        """True when changes need the reviewer PIN."""
        return self._pin_hash() is not None

    def wait(self) -> float:
        """Seconds before a PIN may be tried again (0: now)."""
        with self._file.connect() as conn:
            return pin_attempts.read(conn).seconds_left(self._clock())

    def check(self, pin: str | None, purpose: str) -> None:
        """Pass when no PIN is set or ``pin`` is it; else :class:`ReviewRefused` saying
        what is missing, that it is wrong, or how long to wait after too many wrong ones."""
        stored = self._pin_hash()
        if stored is None:
            return
        if not pin:
            raise ReviewRefused(f"Only the manager can {purpose}: it needs the reviewer PIN.")
        now = self._clock()
        with self._file.writing() as conn:
            left = pin_attempts.seconds_left(conn, now)
            if left > 0:
                self._file.audit(conn, "pin_refused", None, {"for": purpose, "reason": "too soon"})
        if left > 0:
            raise ReviewRefused(
                f"Too many wrong reviewer PINs: wait {wait_words(left)} before trying again."
            )
        right = verify_pin(pin, stored)
        with self._file.writing() as conn:
            if right:
                if pin_attempts.read(conn).failures:
                    pin_attempts.record_success(conn)
                return
            counted = pin_attempts.record_failure(conn, now)
            details = {"for": purpose, "reason": "wrong", "wrong_in_a_row": counted.failures}
            self._file.audit(conn, "pin_refused", None, details)
        raise ReviewRefused("That reviewer PIN is not right: the register was not changed.")
