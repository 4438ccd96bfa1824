"""The reviewer PIN of a folder and of the centre: which one applies, checking it, changing it.

A session's :class:`~photoscreen.core.settings.centre_settings.CentreSettings` holds one
:class:`ReviewerPin` (``settings.pin``). Every check of the PIN, whatever it is for
(approving, rejecting, clearing an unclothed mark raised in another sitting, lifting a
block, changing or removing the PIN), goes through :meth:`ReviewerPin.check` or
:meth:`ReviewerPin.change`, so each is slowed down after wrong guesses
(:mod:`photoscreen.core.settings.pin_attempts`) and each wrong one is audited as
``pin_refused`` (what it was for, never the PIN). Each runs scrypt: call them off the GUI
thread, and before the transaction of the change they allow, so a refusal's record is not
rolled back with the change.

The PIN in force in a folder is the folder's own, else the centre's. A PIN changed for
the centre reaches an older folder still holding the old one only through a proven
:class:`~photoscreen.core.settings.pin_change.PinChange`, when a PIN that proves it is typed
there: a centre file, which anyone at the PC can write, cannot give a folder a PIN of its
writer's choosing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from photoscreen.core.rules import (
    ReviewRefused,
    hash_pin_with_key,
    meets_pin_rules,
    pin_key,
    verify_pin,
)
from photoscreen.core.settings import pin_attempts
from photoscreen.core.settings.declared import PIN_CHANGES_KEY, PIN_KEY, SettingPartlySaved
from photoscreen.core.settings.pin_attempts import wait_words
from photoscreen.core.settings.pin_change import (
    MAX_CHANGES,
    PinChange,
    make_change,
    newer_pin_opens,
    parse_changes,
    replacement,
)
from photoscreen.core.settings.values import SettingValues
from photoscreen.core.trail import audit

NOT_RIGHT = "That reviewer PIN is not right."
REPLACED = (
    "That reviewer PIN was replaced by a new one on this PC, so it no longer works in this "
    "folder either. Type the new PIN."
)


@dataclass(frozen=True)
class _Opened:
    """A PIN that opened the PIN in force: its hash and key."""

    stored: str
    key: bytes


class ReviewerPin:
    """The reviewer PIN in force in one folder: the folder's own, else the centre's.

    It reads and saves through ``values`` (the folder's rows and this PC's centre file).
    """

    def __init__(self, values: SettingValues) -> None:
        self._values = values

    @property
    def hash(self) -> str | None:
        """The hash of the PIN approvals need here: the folder's if set, else the centre's."""
        own, centre = self._pin_hashes()
        return own or centre

    @property
    def is_set(self) -> bool:
        """True when approvals here need a PIN."""
        return self.hash is not None

    @property
    def needs_renewing(self) -> bool:
        """True when the PIN in force was set before PINs needed 6 digits and no easy
        pattern: it still works, but the manager should choose a new one."""
        stored = self.hash
        return stored is not None and not meets_pin_rules(stored)

    def wait(self) -> float:
        """Seconds before a PIN may be tried again here (0: now)."""
        with self._values.store.reading() as conn:
            return pin_attempts.read(conn).seconds_left(self._values.clock())

    def check(
        self, pin: str | None, *, purpose: str, missing: str, wrong: str = NOT_RIGHT
    ) -> None:
        """Pass when no PIN is set here, or ``pin`` opens the PIN in force; else raise
        :class:`ReviewRefused` with ``missing`` (no PIN given), ``wrong``, or how long to
        wait after too many wrong ones. ``purpose`` ("approve") goes in the audit entry.
        """
        if self.hash is None:
            return
        if not pin:
            raise ReviewRefused(missing)
        self._refuse_while_waiting(purpose)
        if self._open_in_force(pin) is None:
            self._failed(purpose)
            raise ReviewRefused(wrong)
        self._succeeded()

    def change(self, new_pin: str | None, *, current_pin: str | None = None) -> None:
        """Set, change (``new_pin``) or remove (None) the reviewer PIN, here and for the centre.

        Changing a PIN needs the current one, or anyone could replace it and approve
        under any name: the folder's PIN changes only with the PIN in force here, the
        centre's only with the centre's. When they differ and ``current_pin`` opens just
        one, that one is changed and :class:`SettingPartlySaved` says what was not. A
        new PIN needs at least 6 digits and no easy pattern (see
        :func:`~photoscreen.core.rules.review.new_pin_problem`).
        """
        new = None if new_pin is None else hash_pin_with_key(new_pin)
        opened, centre_key = self._open_current(current_pin)
        own, centre = self._pin_hashes()
        in_force = own or centre
        folder_ok = in_force is None or opened is not None
        centre_ok = self._values.centre is not None and (centre is None or centre_key is not None)
        shown = "removed" if new is None else "set"
        if folder_ok:
            self._values.save_folder(PIN_KEY, None if new is None else new[0], shown)
        if centre_ok:
            changes = self._changes()
            if new is not None and centre is not None and centre_key is not None:
                made = make_change(centre, centre_key, current_pin or "", *new)
                changes = [*changes, *([made] if made else [])]
            saved: dict[str, Any] = {
                PIN_KEY: None if new is None else new[0],
                PIN_CHANGES_KEY: [c.to_json() for c in changes[-MAX_CHANGES:]],
            }
            self._values.save_centre(saved, PIN_KEY, shown)
        self._say_what_was_not_changed(new_pin, folder_ok, centre_ok, in_force, centre)

    # Checking ---------------------------------------------------------------------------

    def _open_current(self, current_pin: str | None) -> tuple[_Opened | None, bytes | None]:
        """For :meth:`change`: what ``current_pin`` opens, the PIN in force here and the
        centre's key; refused (and counted) when a PIN is set and it opens neither."""
        own, centre = self._pin_hashes()
        if own is None and centre is None:
            return None, None
        if not current_pin:
            raise ReviewRefused("Enter the current reviewer PIN to change it.")
        self._refuse_while_waiting("change the PIN")
        opened = self._open_in_force(current_pin)
        own, centre = self._pin_hashes()  # opening may have taken a newer PIN
        if opened is not None and opened.stored == centre:
            centre_key: bytes | None = opened.key
        else:
            centre_key = None if centre is None else pin_key(current_pin, centre)
        if opened is None and centre_key is None:
            self._failed("change the PIN")
            raise ReviewRefused("That is not the current reviewer PIN.")
        self._succeeded()
        return opened, centre_key

    def _open_in_force(self, pin: str) -> _Opened | None:
        """What ``pin`` opens here, after following proven changes from the centre file.

        A PIN proven replaced is refused with :data:`REPLACED` (not counted as a guess),
        and the folder takes the PIN that replaced it; a newer PIN proven to replace the
        folder's is taken by the folder.
        """
        own, centre = self._pin_hashes()
        in_force = own or centre
        if in_force is None:
            return None
        changes = self._changes()
        key = pin_key(pin, in_force)
        opened = None if key is None else _Opened(in_force, key)
        if opened is None and own is not None:
            newer = newer_pin_opens(changes, own, pin)
            opened = None if newer is None else _Opened(*newer)
        if opened is None:
            return None
        replaced_by = replacement(changes, opened.stored, opened.key)
        if replaced_by is not None:
            self._take_pin(replaced_by)
            raise ReviewRefused(REPLACED)
        if opened.stored != in_force:
            self._take_pin(opened.stored)
        return opened

    def _refuse_while_waiting(self, purpose: str) -> None:
        now = self._values.clock()
        with self._values.store.reading() as conn:
            attempts = pin_attempts.read(conn)
        if attempts.last_failure > now and not self._values.store.read_only:
            with self._values.store.transaction() as conn:  # the clock was set back
                left = pin_attempts.seconds_left(conn, now)
        else:
            left = attempts.seconds_left(now)
        if left > 0:
            self._audit_refusal(purpose, "too soon")
            raise ReviewRefused(
                f"Too many wrong reviewer PINs: wait {wait_words(left)} before trying again."
            )

    def _failed(self, purpose: str) -> None:
        if self._values.store.read_only:
            return
        with self._values.store.transaction() as conn:
            counted = pin_attempts.record_failure(conn, self._values.clock())
            details = {"for": purpose, "reason": "wrong", "wrong_in_a_row": counted.failures}
            audit.record(conn, self._values.who, "pin_refused", None, details)

    def _succeeded(self) -> None:
        if self._values.store.read_only:
            return
        with self._values.store.transaction() as conn:
            if pin_attempts.read(conn).failures:
                pin_attempts.record_success(conn)

    def _audit_refusal(self, purpose: str, reason: str) -> None:
        if not self._values.store.read_only:
            with self._values.store.transaction() as conn:
                details = {"for": purpose, "reason": reason}
                audit.record(conn, self._values.who, "pin_refused", None, details)

    def _take_pin(self, stored: str) -> None:
        """The folder takes ``stored``, proven to replace its PIN by whoever knew it."""
        if self._values.store.read_only:
            return
        self._values.save_folder(PIN_KEY, stored, "set", [("pin_taken_from_centre", {})])

    # Reading ----------------------------------------------------------------------------

    def _pin_hashes(self) -> tuple[str | None, str | None]:
        """(this folder's PIN hash, the centre's). The folder's is the one photoscreen
        recorded when its row was changed outside photoscreen: a hash written there by
        hand is never the PIN in force (see :mod:`photoscreen.core.storage.recorded_rules`)."""
        centre: str | None = self._values.centre_state()[0].get(PIN_KEY)
        own: str | None = self._values.judged_value(PIN_KEY)[1]
        return own, centre

    def _changes(self) -> list[PinChange]:
        centre = self._values.centre
        stored = {} if centre is None else centre.values()
        return parse_changes(stored.get(PIN_CHANGES_KEY))

    def _say_what_was_not_changed(
        self,
        new_pin: str | None,
        folder_ok: bool,
        centre_ok: bool,
        in_force: str | None,
        centre: str | None,
    ) -> None:
        if not folder_ok and not _same_pin(new_pin, in_force):
            raise SettingPartlySaved(
                "The reviewer PIN for new folders on this PC was changed, but this folder "
                "has its own PIN, which is different; it still applies here. Enter this "
                "folder's PIN as the current PIN to change it too."
            )
        if self._values.centre is not None and not centre_ok and not _same_pin(new_pin, centre):
            raise SettingPartlySaved(
                "The reviewer PIN of this folder was changed. The PIN kept on this PC for "
                "new folders is a different one and was not changed: enter that PIN as the "
                "current PIN, with the new one again, to change it too."
            )


def _same_pin(pin: str | None, stored: str | None) -> bool:
    """True when ``stored`` already holds ``pin`` (both None: no PIN either way)."""
    if pin is None or stored is None:
        return pin is None and stored is None
    return verify_pin(pin, stored)
