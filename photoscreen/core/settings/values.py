"""Where a setting's value comes from and where a change goes: the folder, then the centre.

A folder's values are rows of its session database's ``settings`` table, each checked as
when it was set; the centre's are this PC's :class:`~photoscreen.core.storage.CentreFile`,
what a new folder starts from. :class:`SettingValues` reads a value from the folder, else
the centre, else its declared default, and saves a change to both with its audit entries.
It knows nothing of what a value means: the reviewer PIN
(:mod:`photoscreen.core.settings.pin`), the activity list
(:mod:`photoscreen.core.settings.activity_list`) and the other settings
(:mod:`photoscreen.core.settings.centre_settings`) each use it for their own rules.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from photoscreen.core.settings.declared import BY_KEY, SettingError, SettingPartlySaved, checked_row
from photoscreen.core.settings.pin_attempts import Clock
from photoscreen.core.storage import CentreFile, Store
from photoscreen.core.trail import audit

# (a connection, a setting's key) -> (whether the row disagrees with the trail, the
# stored text the trail recorded): RecordsGuard.recorded_setting.
Recorded = Callable[[sqlite3.Connection, str], tuple[bool, object]]


class SettingValues:
    """The values of one session's settings, read and saved; see the module's text.

    ``who`` is the person changes are audited under; ``on_change`` is called after each
    change saved to the folder (statuses may change); ``centre`` is this PC's centre file
    (None: this folder's settings only); ``clock`` (seconds) times the waits after wrong
    PINs; ``recorded`` says whether a folder row disagrees with the chained trail, and
    what the trail recorded (None: rows are taken as stored).
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
        self.store = store
        self.who = who
        self.centre = centre
        self.clock = clock
        self._on_change = on_change
        self._recorded = recorded

    def get(self, key: str) -> Any:
        """This folder's value of ``key``, else the centre's, else its declared default."""
        found, value = self.folder_value(key)
        if found:
            return value
        centre = self.centre_state()[0]
        return centre[key] if key in centre else BY_KEY[key].default

    def folder_value(self, key: str) -> tuple[bool, Any]:
        """(True, value) when the folder has a value for ``key``, checked as when set."""
        with self.store.reading() as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
            return (False, None) if row is None else (True, checked_row(key, row[0]))

    def judged_value(self, key: str) -> tuple[bool, Any]:
        """The folder's value of ``key`` as the rules judge it: the one photoscreen
        recorded when the row was changed or deleted outside photoscreen (see
        :mod:`photoscreen.core.storage.recorded_rules`), else :meth:`folder_value`'s. A row
        the trail has no value for (none was recorded, or the trail was broken before it)
        is judged as stored: a disagreement never drops a PIN or a block."""
        if self._recorded is not None:
            with self.store.reading() as conn:
                differs, raw = self._recorded(conn, key)
            if differs and raw is not None:
                return True, checked_row(key, raw)
        return self.folder_value(key)

    def deleted(self, conn: sqlite3.Connection, key: str) -> bool:
        """True when the folder had a row for ``key`` that is gone, not by photoscreen."""
        return self._recorded is not None and self._recorded(conn, key) != (False, None)

    def centre_state(self) -> tuple[dict[str, Any], str | None]:
        """The centre file's usable settings, and what is wrong with it (or None)."""
        if self.centre is None:
            return {}, None
        problem = self.centre.problem
        usable: dict[str, Any] = {}
        for key, value in self.centre.values().items():
            setting = BY_KEY.get(key)
            if setting is None:
                continue  # bookkeeping, or written by a newer photoscreen
            try:
                setting.check(value)
            except SettingError as error:
                problem = (problem + " " if problem else "") + (
                    f"The centre settings file {self.centre.path} has an unusable value for "
                    f"'{key}' ({error}); the default is used instead."
                )
                continue
            usable[key] = value
        return usable, problem

    @property
    def centre_path(self) -> Path | None:
        """The centre file this session reads and saves, or None."""
        return None if self.centre is None else self.centre.path

    def save_folder(
        self, key: str, value: Any, shown: Any, also: Sequence[tuple[str, dict[str, Any]]] = ()
    ) -> None:
        """Store ``value`` in this folder, audited as ``shown`` (with the ``also`` entries)."""
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                (key, json.dumps(value)),
            )
            audit.record(conn, self.who, "setting_changed", None, {"key": key, "value": shown})
            for action, details in also:
                audit.record(conn, self.who, action, None, details)
        self.changed()

    def save_centre(self, changes: Mapping[str, Any], key: str, shown: Any) -> None:
        """Write ``changes`` to the centre file (if any), audited as ``key`` = ``shown``;
        :class:`SettingPartlySaved` when the file cannot be written."""
        if self.centre is None:
            return
        try:
            self.centre.update(changes)
        except OSError as error:
            raise SettingPartlySaved(
                f"Saved for this folder, but the centre settings file {self.centre.path} "
                f"could not be written ({error.strerror or error}), so new folders will not "
                "start with this change."
            ) from None
        with self.store.transaction() as conn:
            details = {"key": key, "value": shown, "file": str(self.centre.path)}
            audit.record(conn, self.who, "centre_setting_changed", None, details)

    def changed(self) -> None:
        """Say that the folder's settings changed (statuses may change: an activity blocked)."""
        if self._on_change is not None:
            self._on_change()
