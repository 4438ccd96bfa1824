"""The centre's settings, declared once: activity list, export size and quality, redaction
style, and the reviewer PIN (as a hash only).

Each setting is declared once, with its type, default, check and description, in
:mod:`photoscreen.core.settings.declared` (``SETTINGS``, re-exported here). A folder's
values are stored as JSON in its session database's ``settings`` table, so the reviewer
opening the folder on another PC works under the same rules. The centre's values, kept on
this PC in a :class:`~photoscreen.core.storage.centre_file.CentreFile`, are what a new folder
starts from: a value the folder does not have yet is read from the centre file, and
copied into the folder when it is opened for writing. A change made in a session is saved
to both. Changes are audited (a PIN change is recorded as "set" or
"removed", never its value or hash).

The reviewer PIN in force in a folder is the folder's own, else the centre's: a PIN set
once protects every new folder. The PIN's rules are in :mod:`photoscreen.core.settings.pin`.

Nothing the centre file holds weakens a folder's own rules: it only fills in what a folder
has no value for, a PIN change reaches a folder only with its proof, and a list saved to
the centre from a folder keeps every block the centre had unless the change lifted it
with the centre's PIN. Every value read back from the folder is checked as when it was
set; one that fails is damage (:class:`~photoscreen.core.storage.store.DamagedValue`), reported
as the plain "the session file is damaged", never used.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from photoscreen.core.render import RedactionStyle
from photoscreen.core.rules import (
    MAX_LABEL_CHARS,
    Activity,
    activities_from_json,
    default_activities,
    policy_blocks,
    reads_the_same,
    slugify,
    tidy_name,
)
from photoscreen.core.settings.declared import (
    APPROVAL_KEY,
    BY_KEY,
    LONG_SIDE_RANGE,
    PIN_KEY,
    QUALITY_RANGE,
    REGISTER_KEY,
    SETTINGS,
    Setting,
    SettingError,
    SettingPartlySaved,
    check_range,
    checked_row,
)
from photoscreen.core.settings.pin import PinMethods
from photoscreen.core.settings.pin_attempts import Clock
from photoscreen.core.storage import CentreFile, Store, audit

# (a connection, a setting's key) -> (whether the row disagrees with the trail, the
# stored text the trail recorded): RecordsGuard.recorded_setting.
Recorded = Callable[[sqlite3.Connection, str], tuple[bool, object]]

__all__ = [
    "LONG_SIDE_RANGE",
    "QUALITY_RANGE",
    "SETTINGS",
    "CentreSettings",
    "Setting",
    "SettingError",
    "SettingPartlySaved",
]


class CentreSettings(PinMethods):
    """Reads and changes the settings of one session; changes are saved at once.

    ``centre`` is the centre file of this PC (None: this folder's settings only);
    ``clock`` (seconds, ``time.time``) times the waits after wrong PINs; ``recorded``
    says whether a folder row disagrees with the chained trail, and what the trail
    recorded (``RecordsGuard.recorded_setting``; None: rows are taken as stored).
    """

    def __init__(
        self,
        store: Store,
        who: str,
        on_change: Callable[[], None] | None = None,
        centre: CentreFile | None = None,
        clock: Clock = time.time,
        recorded: Recorded | None = None,
    ) -> None:
        self._store = store
        self._who = who
        self._on_change = on_change
        self._centre = centre
        self._clock = clock
        self._recorded = recorded

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
        if key in (REGISTER_KEY, APPROVAL_KEY):  # who decides whose face may be shown
            words = "Only the manager can change where consent is checked: it needs the PIN."
            self.check_pin(pin, purpose="change the consent register", missing=words)
        lifted = self._lifted_blocks(value, pin) if key == "activities" else []
        shown = value if audit_value is None else audit_value
        self._save_folder(key, value, shown, [("block_lifted", lift) for lift in lifted])
        for_centre = self._list_for_centre(value, lifted) if key == "activities" else value
        self._save_centre({key: for_centre}, key, shown)

    def adopt_centre_settings(self) -> list[str]:
        """Copy into this folder the centre's settings it has no value for; returns their keys.

        Called when a folder is opened for writing, so a new folder starts from the
        centre's settings and keeps them for the reviewer on another PC. A folder's own
        values are never changed (a PIN changed for the centre reaches an older folder
        only with its proof: see :mod:`photoscreen.core.settings.pin`).
        """
        centre = self._centre_state()[0]
        with self._store.transaction() as conn:
            rows = {row[0] for row in conn.execute("SELECT key FROM settings")}
            # A row deleted by hand is not filled from the centre file, which anyone at
            # the PC can write: it stays held back as changed outside photoscreen.
            adopted = [key for key in centre if key not in rows and not self._deleted(conn, key)]
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
        """(True, value) when the folder has a value for ``key``, checked as when set."""
        with self._store.reading() as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
            return (False, None) if row is None else (True, checked_row(key, row[0]))

    def _deleted(self, conn: sqlite3.Connection, key: str) -> bool:
        """True when the folder had a row for ``key`` that is gone, not by photoscreen."""
        return self._recorded is not None and self._recorded(conn, key) != (False, None)

    def _judged_value(self, key: str) -> tuple[bool, Any]:
        """The folder's value of ``key`` as the rules judge it: the one photoscreen
        recorded when the row was changed or deleted outside photoscreen (see
        :mod:`photoscreen.core.storage.recorded_rules`), else :meth:`_folder_value`'s. A row the
        trail has no value for (none was recorded, or the trail was broken before it) is
        judged as stored: a disagreement never drops a PIN or a block."""
        if self._recorded is not None:
            with self._store.reading() as conn:
                differs, raw = self._recorded(conn, key)
            if differs and raw is not None:
                return True, checked_row(key, raw)
        return self._folder_value(key)

    def check_stored(self) -> None:
        """Check every value this folder holds, as :meth:`get` would read it; raises
        :class:`~photoscreen.core.storage.store.StoreError` ("damaged") for the first that fails."""
        with self._store.reading() as conn:
            for key, raw in conn.execute("SELECT key, value FROM settings").fetchall():
                if key in BY_KEY:
                    checked_row(key, raw)

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
        set it needs ``pin``, or :class:`~photoscreen.core.rules.review.ReviewRefused` says so.
        A block the policy sets is never lifted, and no activity leaves the list (photos
        keep its key): both raise :class:`SettingError`. Blocking, adding and renaming need
        nothing.
        """
        activities_from_json([a.to_json() for a in activities])  # checks unique keys
        self.set("activities", [a.to_json() for a in activities], pin=pin)

    def _lifted_blocks(self, value: Any, pin: str | None) -> list[dict[str, Any]]:
        """The blocks ``value`` (a new activity list) lifts, once it is allowed.

        Refused: leaving out an activity (photos keep its key), lifting a block the
        policy sets (see :func:`~photoscreen.core.rules.policy.policy_blocks`), and lifting any
        other block without the reviewer PIN in force.
        """
        new = {a.key: a for a in activities_from_json(value)}
        current = self._judged_activities()
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
        if lifted:
            names = ", ".join(lift["label"] for lift in lifted)
            self.check_pin(
                pin,
                purpose="lift a block",
                missing=f"Only the manager can lift the block on {names}: it needs the "
                "reviewer PIN.",
                wrong=f"That is not the reviewer PIN: {names} stays blocked.",
            )
        return lifted

    def _judged_activities(self) -> tuple[Activity, ...]:
        """The list a change starts from and whose blocks it may lift: the one
        photoscreen recorded when the folder's list was changed outside photoscreen, so
        renaming or adding an activity puts back a block lifted by hand."""
        found, value = self._judged_value("activities")
        if not found:
            value = self._centre_state()[0].get("activities")
        return default_activities() if value is None else activities_from_json(value)

    def _list_for_centre(self, value: Any, lifted: Sequence[dict[str, Any]]) -> Any:
        """The activity list to keep for new folders: ``value``, except that every block
        the centre's list has stays, unless this change lifted it under the centre's own
        PIN (or the centre has none), and activities only the centre has are kept.

        A folder from another PC, or one whose database was edited, may lack a block the
        manager set for this centre; renaming an activity there must not carry that
        weaker list to every new folder.
        """
        centre_state = self._centre_state()[0]
        if centre_state.get("activities") is None:
            return value
        theirs = {a.key: a for a in activities_from_json(centre_state["activities"])}
        centre_pin = centre_state.get(PIN_KEY)
        allowed = {lift["key"] for lift in lifted} if centre_pin in (None, self.pin_hash) else set()
        merged = []
        for activity in activities_from_json(value):
            kept = theirs.get(activity.key)
            if kept and kept.blocked and not activity.blocked and activity.key not in allowed:
                activity = replace(activity, blocked=True, block_reason=kept.block_reason)
            merged.append(activity)
        keys = {a.key for a in merged}
        merged += [a for a in theirs.values() if a.key not in keys]
        return [a.to_json() for a in merged]

    def add_activity(
        self, label: str, *, blocked: bool = False, block_reason: str = ""
    ) -> Activity:
        """Add an activity at the end of the list; its key is made from the label."""
        label = self._new_label(label)
        current = self._judged_activities()
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
        """``label`` tidied; refused when empty, too long, or another activity's name
        already as a person reads it (:func:`~photoscreen.core.rules.names.reads_the_same`:
        case, look-alike letters, accents, punctuation): an unblocked twin reading
        "Swimming" beside the blocked one would be picked for swimming photos."""
        label = tidy_name(label)
        if not label:
            raise SettingError("An activity needs a name.")
        if len(label) > MAX_LABEL_CHARS:
            raise SettingError(
                f"An activity's name can have at most {MAX_LABEL_CHARS} characters "
                f"(this one has {len(label)}): please choose a shorter one."
            )
        for other in self.activities():
            if other.key != renaming and reads_the_same(other.label, label):
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
        current = self._judged_activities()
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

    @property
    def writing_detection(self) -> bool:
        """Whether ingest looks for writing (on unless the centre turned it off)."""
        return bool(self.get("writing.detect"))

    @property
    def writing_style(self) -> RedactionStyle:
        """How accepted writing is covered at export (solid fill by default)."""
        return RedactionStyle(self.get("export.writing_style"))

    def set_writing(
        self, *, detect: bool | None = None, style: RedactionStyle | None = None
    ) -> None:
        """Turn looking for writing on or off, or change how writing is covered."""
        if detect is not None:
            self.set("writing.detect", bool(detect))
        if style is not None:
            self.set("export.writing_style", RedactionStyle(style).value)

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
