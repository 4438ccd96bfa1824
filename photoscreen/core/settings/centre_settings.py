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
once protects every new folder. :class:`CentreSettings` is made of three parts: where
values are read and saved (:mod:`photoscreen.core.settings.values`), the reviewer PIN
(``settings.pin``, :mod:`photoscreen.core.settings.pin`) and the activity list
(``settings.activity_list``, :mod:`photoscreen.core.settings.activity_list`).

Nothing the centre file holds weakens a folder's own rules: it only fills in what a folder
has no value for, a PIN change reaches a folder only with its proof, and a list saved to
the centre from a folder keeps every block the centre had unless the change lifted it
with the centre's PIN. Every value read back from the folder is checked as when it was
set; one that fails is damage (:class:`~photoscreen.core.storage.store.DamagedValue`), reported
as the plain "the session file is damaged", never used.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from photoscreen.core.render import RedactionStyle
from photoscreen.core.settings.activity_list import ActivityList
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
from photoscreen.core.settings.pin import ReviewerPin
from photoscreen.core.settings.pin_attempts import Clock
from photoscreen.core.settings.values import Recorded, SettingValues
from photoscreen.core.storage import CentreFile, Store
from photoscreen.core.trail import audit

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
        self._values = SettingValues(store, who, on_change, centre, clock, recorded)
        self.pin = ReviewerPin(self._values)
        self.activity_list = ActivityList(self._values, self.pin)

    def get(self, key: str) -> Any:
        """This folder's value of ``key``, else the centre's, else its declared default."""
        return self._values.get(key)

    def change_user(self, who: str) -> None:
        """Audit later changes under ``who``."""
        self._values.who = who

    @property
    def centre_path(self) -> Path | None:
        """The centre file this session reads and saves, or None."""
        return self._values.centre_path

    @property
    def centre_problem(self) -> str | None:
        """What is wrong with the centre file, in plain words, or None; show it to the user."""
        return self._values.centre_state()[1]

    def set(self, key: str, value: Any, *, audit_value: Any = None, pin: str | None = None) -> None:
        """Check and store ``value`` for ``key`` in this folder and the centre file.

        Raises :class:`SettingPartlySaved` when the folder has it but the centre file could
        not be written. The reviewer PIN is changed only through ``pin.change``. An
        activity list that lifts a block needs the reviewer PIN (``pin``) when one is set.
        """
        setting = BY_KEY.get(key)
        if setting is None:
            raise SettingError(f"There is no setting called '{key}'.")
        if key == PIN_KEY:
            raise SettingError(
                "The reviewer PIN is changed with pin.change: it needs the current PIN."
            )
        setting.check(value)
        if key in (REGISTER_KEY, APPROVAL_KEY):  # who decides whose face may be shown
            words = "Only the manager can change where consent is checked: it needs the PIN."
            self.pin.check(pin, purpose="change the consent register", missing=words)
        shown = value if audit_value is None else audit_value
        if key == "activities":
            self.activity_list.save(value, shown, pin=pin)
            return
        self._values.save_folder(key, value, shown)
        self._values.save_centre({key: value}, key, shown)

    def adopt_centre_settings(self) -> list[str]:
        """Copy into this folder the centre's settings it has no value for; returns their keys.

        Called when a folder is opened for writing, so a new folder starts from the
        centre's settings and keeps them for the reviewer on another PC. A folder's own
        values are never changed (a PIN changed for the centre reaches an older folder
        only with its proof: see :mod:`photoscreen.core.settings.pin`).
        """
        centre = self._values.centre_state()[0]
        with self._values.store.transaction() as conn:
            rows = {row[0] for row in conn.execute("SELECT key FROM settings")}
            # A row deleted by hand is not filled from the centre file, which anyone at
            # the PC can write: it stays held back as changed outside photoscreen.
            deleted = self._values.deleted
            adopted = [key for key in centre if key not in rows and not deleted(conn, key)]
            for key in adopted:
                conn.execute(
                    "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                    (key, json.dumps(centre.get(key))),
                )
            if adopted:
                details = {"keys": adopted, "file": str(self.centre_path)}
                audit.record(conn, self._values.who, "settings_from_centre", None, details)
        if adopted:
            self._values.changed()
        return adopted

    def check_stored(self) -> None:
        """Check every value this folder holds, as :meth:`get` would read it; raises
        :class:`~photoscreen.core.storage.store.StoreError` ("damaged") for the first that fails."""
        with self._values.store.reading() as conn:
            for key, raw in conn.execute("SELECT key, value FROM settings").fetchall():
                if key in BY_KEY:
                    checked_row(key, raw)

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
        """Whether scan looks for writing (on unless the centre turned it off)."""
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
