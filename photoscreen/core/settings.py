"""The centre's settings, declared once: activity list, export size and quality, redaction
style, and the reviewer PIN (as a hash only).

Each setting is declared in :data:`SETTINGS` with its type, default and description, and
stored as JSON in the session database's ``settings`` table, so the reviewer opening the
folder on another PC works under the same rules. Changes are audited (a PIN change is
recorded as "set"/"removed", never its value or hash).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from photoscreen.core import audit
from photoscreen.core.policy import Activity, activities_from_json, default_activities, slugify
from photoscreen.core.redact import RedactionStyle
from photoscreen.core.review import ReviewRefused, hash_pin, verify_pin
from photoscreen.core.store import Store


class SettingError(ValueError):
    """A setting was given a value it cannot take; ``str()`` says why."""


@dataclass(frozen=True)
class Setting:
    """One declared setting."""

    key: str
    type: type
    default: Any
    description: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "activities",
        list,
        None,
        "The centre's activities (key, label, blocked, block reason, shortcut); "
        "None means the defaults shipped in resources/activities.json.",
    ),
    Setting("export.long_side", int, 2048, "Long side of exported photos, in pixels."),
    Setting("export.quality", int, 90, "JPEG quality of exported photos (50-95)."),
    Setting(
        "export.redaction_style",
        str,
        RedactionStyle.BLUR.value,
        "How faces are covered: blur, fill, mosaic or sticker.",
    ),
    Setting(
        "review.pin_hash",
        str,
        None,
        "Salted scrypt hash of the reviewer PIN; None when no PIN is set.",
    ),
)
_BY_KEY = {setting.key: setting for setting in SETTINGS}
LONG_SIDE_RANGE = (256, 12000)
QUALITY_RANGE = (50, 95)


class CentreSettings:
    """Reads and changes the settings of one session; changes are saved at once."""

    def __init__(self, store: Store, who: str, on_change: Callable[[], None] | None = None) -> None:
        self._store = store
        self._who = who
        self._on_change = on_change

    def get(self, key: str) -> Any:
        """The stored value of ``key``, or its declared default."""
        setting = _BY_KEY[key]
        with self._store.reading() as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return setting.default if row is None else json.loads(row[0])

    def set(self, key: str, value: Any, *, audit_value: Any = None) -> None:
        """Store ``value`` for ``key`` (type-checked) and audit the change."""
        setting = _BY_KEY.get(key)
        if setting is None:
            raise SettingError(f"There is no setting called '{key}'.")
        if value is not None and not isinstance(value, setting.type):
            raise SettingError(f"'{key}' must be a {setting.type.__name__}.")
        shown = value if audit_value is None else audit_value
        with self._store.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                (key, json.dumps(value)),
            )
            audit.record(conn, self._who, "setting_changed", None, {"key": key, "value": shown})
        if self._on_change is not None:
            self._on_change()  # statuses may change (an activity blocked), so say so

    # Activities -------------------------------------------------------------------------

    def activities(self) -> tuple[Activity, ...]:
        """The centre's activity list, in shortcut order."""
        stored = self.get("activities")
        return default_activities() if stored is None else activities_from_json(stored)

    def set_activities(self, activities: tuple[Activity, ...]) -> None:
        """Replace the whole list (keys must stay unique)."""
        activities_from_json([a.to_json() for a in activities])  # checks unique keys
        self.set("activities", [a.to_json() for a in activities])

    def add_activity(
        self, label: str, *, blocked: bool = False, block_reason: str = ""
    ) -> Activity:
        """Add an activity at the end of the list; its key is made from the label."""
        label = " ".join(label.split())
        if not label:
            raise SettingError("An activity needs a name.")
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
        label = " ".join(label.split())
        if not label:
            raise SettingError("An activity needs a name.")
        self._replace_activity(key, label=label)

    def set_activity_blocked(self, key: str, blocked: bool, reason: str = "") -> None:
        """Block (or unblock) an activity; ``reason`` is shown on its photos."""
        self._replace_activity(key, blocked=blocked, block_reason=reason)

    def _replace_activity(self, key: str, **changes: Any) -> None:
        current = self.activities()
        if key not in {a.key for a in current}:
            raise SettingError(f"There is no activity with the key '{key}'.")
        updated = tuple(
            Activity(**{**a.__dict__, **changes}) if a.key == key else a for a in current
        )
        self.set_activities(updated)

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
            _check_range("The export size", long_side, LONG_SIDE_RANGE)
            self.set("export.long_side", long_side)
        if quality is not None:
            _check_range("The JPEG quality", quality, QUALITY_RANGE)
            self.set("export.quality", quality)
        if style is not None:
            self.set("export.redaction_style", RedactionStyle(style).value)

    # Reviewer PIN ------------------------------------------------------------------------

    @property
    def pin_hash(self) -> str | None:
        value = self.get("review.pin_hash")
        return None if value is None else str(value)

    @property
    def has_pin(self) -> bool:
        return self.pin_hash is not None

    def set_pin(self, new_pin: str | None, *, current_pin: str | None = None) -> None:
        """Set, change (``new_pin``) or remove (None) the reviewer PIN.

        Once a PIN is set, changing or removing it needs the current one; otherwise
        anyone could replace it and approve under any name.
        """
        stored = self.pin_hash
        if stored is not None and not (current_pin and verify_pin(current_pin, stored)):
            raise ReviewRefused("Enter the current reviewer PIN to change it.")
        if new_pin is None:
            self.set("review.pin_hash", None, audit_value="removed")
        else:
            self.set("review.pin_hash", hash_pin(new_pin), audit_value="set")


def _check_range(what: str, value: int, bounds: tuple[int, int]) -> None:
    low, high = bounds
    if not isinstance(value, int) or not low <= value <= high:
        raise SettingError(f"{what} must be a whole number from {low} to {high}.")
