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
once protects every new folder. The PIN's rules are in :mod:`photoscreen.core.settings.pin`,
the activity list's in :mod:`photoscreen.core.settings.activity_list`.

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
from pathlib import Path
from typing import Any

from photoscreen.core.render import RedactionStyle
from photoscreen.core.settings.activity_list import ActivityMethods
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
from photoscreen.core.settings.pin_attempts import Clock
from photoscreen.core.storage import CentreFile, Store
from photoscreen.core.trail import audit

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


class CentreSettings(ActivityMethods):
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
