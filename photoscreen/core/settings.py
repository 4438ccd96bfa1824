"""The centre's settings, declared once: activity list, export size and quality, redaction
style, and the reviewer PIN (as a hash only).

Each setting is declared once, with its type, default, check and description, in
:mod:`photoscreen.core.settings_declared` (``SETTINGS``, re-exported here). A folder's
values are stored as JSON in its session database's ``settings`` table, so the reviewer
opening the folder on another PC works under the same rules. The centre's values, kept on
this PC in a :class:`~photoscreen.core.centre_file.CentreFile`, are what a new folder
starts from: a value the folder does not have yet is read from the centre file, and
copied into the folder when it is opened for writing. A change made in a session is saved
to both. Changes are audited (a PIN change is recorded as "set" or
"removed", never its value or hash).

The reviewer PIN in force in a folder is the folder's own, else the centre's: a PIN set
once protects every new folder, and a PIN the centre has since replaced (recorded in the
centre file by its hash) is replaced in an older folder too when it is opened here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from photoscreen.core import audit
from photoscreen.core.centre_file import CentreFile
from photoscreen.core.policy import (
    MAX_LABEL_CHARS,
    Activity,
    activities_from_json,
    default_activities,
    policy_blocks,
    slugify,
)
from photoscreen.core.redact import RedactionStyle
from photoscreen.core.review import ReviewRefused, hash_pin, verify_pin
from photoscreen.core.settings_declared import (
    BY_KEY,
    LONG_SIDE_RANGE,
    MAX_REPLACED_PINS,
    PIN_KEY,
    QUALITY_RANGE,
    REPLACED_PINS_KEY,
    SETTINGS,
    Setting,
    SettingError,
    SettingPartlySaved,
    check_range,
)
from photoscreen.core.store import Store

__all__ = [
    "LONG_SIDE_RANGE",
    "QUALITY_RANGE",
    "SETTINGS",
    "CentreSettings",
    "Setting",
    "SettingError",
    "SettingPartlySaved",
]


class CentreSettings:
    """Reads and changes the settings of one session; changes are saved at once.

    ``centre`` is the centre file of this PC (None: this folder's settings only).
    """

    def __init__(
        self,
        store: Store,
        who: str,
        on_change: Callable[[], None] | None = None,
        centre: CentreFile | None = None,
    ) -> None:
        self._store = store
        self._who = who
        self._on_change = on_change
        self._centre = centre

    def change_user(self, who: str) -> None:
        """Audit later changes under ``who``."""
        self._who = who

    @property
    def centre_path(self) -> Path | None:
        """The centre file this session reads and saves, or None."""
        return None if self._centre is None else self._centre.path

    @property
    def centre_problem(self) -> str | None:
        """What is wrong with the centre file, in plain words, or None; show it to the user."""
        return self._centre_state()[1]

    def get(self, key: str) -> Any:
        """This folder's value of ``key``, else the centre's, else its declared default."""
        found, value = self._folder_value(key)
        if found:
            return value
        centre = self._centre_state()[0]
        return centre[key] if key in centre else BY_KEY[key].default

    def set(self, key: str, value: Any, *, audit_value: Any = None, pin: str | None = None) -> None:
        """Check and store ``value`` for ``key`` in this folder and the centre file.

        Raises :class:`SettingPartlySaved` when the folder has it but the centre file could
        not be written. The reviewer PIN is changed only through :meth:`set_pin`. An
        activity list that lifts a block needs the reviewer PIN (``pin``) when one is set.
        """
        setting = BY_KEY.get(key)
        if setting is None:
            raise SettingError(f"There is no setting called '{key}'.")
        if key == PIN_KEY:
            raise SettingError(
                "The reviewer PIN is changed with set_pin: it needs the current PIN."
            )
        setting.check(value)
        lifted = self._lifted_blocks(value, pin) if key == "activities" else []
        shown = value if audit_value is None else audit_value
        self._save_folder(key, value, shown, [("block_lifted", lift) for lift in lifted])
        self._save_centre({key: value}, key, shown)

    def adopt_centre_settings(self) -> list[str]:
        """Copy into this folder the centre's settings it has no value for; returns their keys.

        Called when a folder is opened for writing, so a new folder starts from the
        centre's settings and keeps them for the reviewer on another PC. A PIN the centre
        has since replaced is replaced here too. A folder's own values are never changed
        otherwise.
        """
        centre = self._centre_state()[0]
        replaced = self._replaced_pins()
        with self._store.transaction() as conn:
            rows = dict(conn.execute("SELECT key, value FROM settings").fetchall())
            adopted = [key for key in centre if key not in rows]
            own_pin = json.loads(rows[PIN_KEY]) if PIN_KEY in rows else None
            if own_pin is not None and own_pin in replaced and PIN_KEY in centre:
                adopted.append(PIN_KEY)
            for key in adopted:
                conn.execute(
                    "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                    (key, json.dumps(centre.get(key))),
                )
            if adopted:
                details = {"keys": adopted, "file": str(self.centre_path)}
                audit.record(conn, self._who, "settings_from_centre", None, details)
        if adopted and self._on_change is not None:
            self._on_change()
        return adopted

    def _folder_value(self, key: str) -> tuple[bool, Any]:
        with self._store.reading() as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return (False, None) if row is None else (True, json.loads(row[0]))

    def _centre_state(self) -> tuple[dict[str, Any], str | None]:
        """The centre file's usable settings, and what is wrong with it (or None)."""
        if self._centre is None:
            return {}, None
        problem = self._centre.problem
        usable: dict[str, Any] = {}
        for key, value in self._centre.values().items():
            setting = BY_KEY.get(key)
            if setting is None:
                continue  # bookkeeping, or written by a newer photoscreen
            try:
                setting.check(value)
            except SettingError as error:
                problem = (problem + " " if problem else "") + (
                    f"The centre settings file {self._centre.path} has an unusable value for "
                    f"'{key}' ({error}); the default is used instead."
                )
                continue
            usable[key] = value
        return usable, problem

    def _save_folder(
        self, key: str, value: Any, shown: Any, also: Sequence[tuple[str, dict[str, Any]]] = ()
    ) -> None:
        with self._store.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                (key, json.dumps(value)),
            )
            audit.record(conn, self._who, "setting_changed", None, {"key": key, "value": shown})
            for action, details in also:
                audit.record(conn, self._who, action, None, details)
        if self._on_change is not None:
            self._on_change()  # statuses may change (an activity blocked), so say so

    def _save_centre(self, changes: Mapping[str, Any], key: str, shown: Any) -> None:
        if self._centre is None:
            return
        try:
            self._centre.update(changes)
        except OSError as error:
            raise SettingPartlySaved(
                f"Saved for this folder, but the centre settings file {self._centre.path} "
                f"could not be written ({error.strerror or error}), so new folders will not "
                "start with this change."
            ) from None
        with self._store.transaction() as conn:
            details = {"key": key, "value": shown, "file": str(self._centre.path)}
            audit.record(conn, self._who, "centre_setting_changed", None, details)

    # Activities -------------------------------------------------------------------------

    def activities(self) -> tuple[Activity, ...]:
        """The centre's activity list, in shortcut order."""
        stored = self.get("activities")
        return default_activities() if stored is None else activities_from_json(stored)

    def set_activities(self, activities: tuple[Activity, ...], *, pin: str | None = None) -> None:
        """Replace the whole list (keys must stay unique).

        Lifting the block on an activity is the manager's decision: when a reviewer PIN is
        set it needs ``pin``, or :class:`~photoscreen.core.review.ReviewRefused` says so.
        A block the policy sets is never lifted, and no activity leaves the list (photos
        keep its key): both raise :class:`SettingError`. Blocking, adding and renaming need
        nothing.
        """
        activities_from_json([a.to_json() for a in activities])  # checks unique keys
        self.set("activities", [a.to_json() for a in activities], pin=pin)

    def _lifted_blocks(self, value: Any, pin: str | None) -> list[dict[str, Any]]:
        """The blocks ``value`` (a new activity list) lifts, once it is allowed.

        Refused: leaving out an activity (photos keep its key), lifting a block the
        policy sets (see :func:`~photoscreen.core.policy.policy_blocks`), and lifting any
        other block without the reviewer PIN in force.
        """
        new = {a.key: a for a in activities_from_json(value)}
        current = self.activities()
        left_out = [a.label for a in current if a.key not in new]
        if left_out:
            raise SettingError(
                f"{', '.join(left_out)} cannot be taken out of the list: photos may be tagged "
                "with it. Rename it instead."
            )
        for item in value["activities"] if isinstance(value, dict) else value:
            if item.get("key") in policy_blocks() and not item.get("blocked"):
                activity = new[item["key"]]
                raise SettingError(
                    f"{activity.label} is blocked by the centre's policy "
                    f"({policy_blocks()[activity.key] or 'it involves undress'}): its photos "
                    "are never posted, and nobody can lift this block."
                )
        lifted = [
            {"key": a.key, "label": a.label}
            for a in current
            if a.blocked and not new[a.key].blocked
        ]
        pin_hash = self.pin_hash
        if lifted and pin_hash is not None and not _opens(pin, pin_hash):
            names = ", ".join(lift["label"] for lift in lifted)
            raise ReviewRefused(
                f"That is not the reviewer PIN: {names} stays blocked."
                if pin
                else f"Only the manager can lift the block on {names}: it needs the reviewer PIN."
            )
        return lifted

    def add_activity(
        self, label: str, *, blocked: bool = False, block_reason: str = ""
    ) -> Activity:
        """Add an activity at the end of the list; its key is made from the label."""
        label = self._new_label(label)
        current = self.activities()
        keys = {a.key for a in current}
        base = slugify(label).replace("-", "_")
        key, n = base, 2
        while key in keys:
            key, n = f"{base}_{n}", n + 1
        activity = Activity(key, label, blocked, block_reason)
        self.set_activities((*current, activity))
        return activity

    def rename_activity(self, key: str, label: str) -> None:
        """Give an activity a new label; photos tagged with it keep the tag."""
        self._replace_activity(key, label=self._new_label(label, renaming=key))

    def _new_label(self, label: str, renaming: str | None = None) -> str:
        """``label`` tidied; refused when empty or another activity's name already."""
        label = " ".join(label.split())
        if not label:
            raise SettingError("An activity needs a name.")
        if len(label) > MAX_LABEL_CHARS:
            raise SettingError(
                f"An activity's name can have at most {MAX_LABEL_CHARS} characters "
                f"(this one has {len(label)}): please choose a shorter one."
            )
        for other in self.activities():
            if other.key != renaming and other.label.casefold() == label.casefold():
                blocked = f" ({other.block_words})" if other.block_words else ""
                raise SettingError(f"There is already an activity called {other.label}{blocked}.")
        return label

    def set_activity_blocked(
        self, key: str, blocked: bool, reason: str = "", *, pin: str | None = None
    ) -> None:
        """Block (or unblock) an activity; ``reason`` is shown on its photos (none given:
        the reason it was last blocked for, if any).

        Unblocking needs the reviewer PIN (``pin``) when one is set; see
        :meth:`set_activities`.
        """
        if blocked:
            earlier = next((a.block_reason for a in self.activities() if a.key == key), "")
            self._replace_activity(key, blocked=True, block_reason=reason or earlier)
        else:
            self._replace_activity(key, pin=pin, blocked=False)

    def block_lift_needs_pin(self, key: str) -> bool:
        """True when unblocking activity ``key`` would need the reviewer PIN (a block the
        policy sets cannot be lifted at all: see ``Activity.by_policy``)."""
        return self.has_pin and any(a.key == key and a.blocked for a in self.activities())

    def _replace_activity(self, key: str, *, pin: str | None = None, **changes: Any) -> None:
        current = self.activities()
        if key not in {a.key for a in current}:
            raise SettingError(f"There is no activity with the key '{key}'.")
        updated = tuple(
            Activity(**{**a.__dict__, **changes}) if a.key == key else a for a in current
        )
        self.set_activities(updated, pin=pin)

    # Export -----------------------------------------------------------------------------

    @property
    def long_side(self) -> int:
        return int(self.get("export.long_side"))

    @property
    def quality(self) -> int:
        return int(self.get("export.quality"))

    @property
    def redaction_style(self) -> RedactionStyle:
        return RedactionStyle(self.get("export.redaction_style"))

    def set_export(
        self,
        *,
        long_side: int | None = None,
        quality: int | None = None,
        style: RedactionStyle | None = None,
    ) -> None:
        """Change any of the export size, JPEG quality and redaction style."""
        if long_side is not None:
            check_range("The export size", long_side, LONG_SIDE_RANGE)
            self.set("export.long_side", long_side)
        if quality is not None:
            check_range("The JPEG quality", quality, QUALITY_RANGE)
            self.set("export.quality", quality)
        if style is not None:
            self.set("export.redaction_style", RedactionStyle(style).value)

    # Reviewer PIN ------------------------------------------------------------------------

    @property
    def pin_hash(self) -> str | None:
        """The hash of the PIN approvals need here: the folder's if set, else the centre's."""
        own, centre = self._pin_hashes()
        return own or centre

    @property
    def has_pin(self) -> bool:
        return self.pin_hash is not None

    def set_pin(self, new_pin: str | None, *, current_pin: str | None = None) -> None:
        """Set, change (``new_pin``) or remove (None) the reviewer PIN, here and for the centre.

        Changing a PIN needs the current one, or anyone could replace it and approve
        under any name: the folder's PIN changes only with the PIN in force here, the
        centre's only with the centre's. When they differ and ``current_pin`` opens just
        one, that one is changed and :class:`SettingPartlySaved` says what was not.
        """
        own, centre = self._pin_hashes()
        in_force = own or centre
        folder_ok = in_force is None or _opens(current_pin, in_force)
        centre_ok = self._centre is not None and (
            centre is None or (centre == in_force and folder_ok) or _opens(current_pin, centre)
        )
        if not folder_ok and not centre_ok:
            raise ReviewRefused(
                "That is not the current reviewer PIN."
                if current_pin
                else "Enter the current reviewer PIN to change it."
            )
        new_hash = None if new_pin is None else hash_pin(new_pin)
        shown = "removed" if new_pin is None else "set"
        if folder_ok:
            self._save_folder(PIN_KEY, new_hash, shown)
        if centre_ok:
            replaced = [*self._replaced_pins(), *([centre] if centre else [])]
            changes = {PIN_KEY: new_hash, REPLACED_PINS_KEY: replaced[-MAX_REPLACED_PINS:]}
            self._save_centre(changes, PIN_KEY, shown)
        if not folder_ok and not _same_pin(new_pin, in_force):
            raise SettingPartlySaved(
                "The reviewer PIN for new folders on this PC was changed, but this folder "
                "has its own PIN, which is different; it still applies here. Enter this "
                "folder's PIN as the current PIN to change it too."
            )
        if self._centre is not None and not centre_ok and not _same_pin(new_pin, centre):
            raise SettingPartlySaved(
                "The reviewer PIN of this folder was changed. The PIN kept on this PC for "
                "new folders is a different one and was not changed: enter that PIN as the "
                "current PIN, with the new one again, to change it too."
            )

    def _pin_hashes(self) -> tuple[str | None, str | None]:
        """(this folder's PIN hash, the centre's); a folder PIN the centre replaced is
        read as the centre's current one."""
        centre_values = self._centre_state()[0]
        centre = centre_values.get(PIN_KEY)
        own = self._folder_value(PIN_KEY)[1]
        if own is not None and PIN_KEY in centre_values and own in self._replaced_pins():
            own = centre
        return own, centre

    def _replaced_pins(self) -> list[str]:
        stored = {} if self._centre is None else self._centre.values()
        replaced = stored.get(REPLACED_PINS_KEY)
        if not isinstance(replaced, list):
            return []
        return [value for value in replaced if isinstance(value, str)]


def _opens(pin: str | None, stored: str) -> bool:
    """True when ``pin`` is given and matches the stored hash."""
    return bool(pin) and verify_pin(pin or "", stored)


def _same_pin(pin: str | None, stored: str | None) -> bool:
    """True when ``stored`` already holds ``pin`` (both None: no PIN either way)."""
    if pin is None or stored is None:
        return pin is None and stored is None
    return verify_pin(pin, stored)
