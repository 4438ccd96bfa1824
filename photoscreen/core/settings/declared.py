"""The centre's settings, declared once: key, default, check and description.

:mod:`photoscreen.core.settings.centre_settings` reads and saves them; this module says what
each one is and which values it may take, so the session database and the centre file are
checked by the same rules, and every value read back from either is checked as when it was
set.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from photoscreen.core.render import ExportOptions, RedactionStyle
from photoscreen.core.rules import activities_from_json, looks_like_pin_hash
from photoscreen.core.storage import DamagedValue

LONG_SIDE_RANGE = (256, 12000)
# The export defaults are declared once, by the export itself.
_EXPORT_DEFAULTS = ExportOptions()
QUALITY_RANGE = (50, 95)
PIN_KEY = "review.pin_hash"
# In the centre file only: the PIN changes made on this PC, each with its proof, so a
# folder still holding an old PIN can take the new one (photoscreen.core.settings.pin_change).
PIN_CHANGES_KEY = "review.pin_changes"
# Where the centre's consent register is (photoscreen.core.consent.location), and
# whether every photo with a face shown needs the manager's approval.
REGISTER_KEY = "consent.register_path"
APPROVAL_KEY = "consent.shown_faces_need_approval"


class SettingError(ValueError):
    """A setting was given a value it cannot take; ``str()`` says why."""


class SettingPartlySaved(SettingError):
    """A change was saved in one place (this folder, or the centre) but not the other.

    ``str()`` says what was saved, what was not, and what to do.
    """


def _check_activities(value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        raise SettingError("The activity list must be a list.")
    try:
        activities_from_json(value)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise SettingError(f"The activity list cannot be used: {error}") from None


def _whole_number(what: str, bounds: tuple[int, int]) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        check_range(what, value, bounds)

    return check


def _check_style(value: Any) -> None:
    if not isinstance(value, str) or value not in {style.value for style in RedactionStyle}:
        raise SettingError(f"'{value}' is not a redaction style.")


def _check_register_path(value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not value.strip() or "\0" in value or len(value) > 4096:
        raise SettingError("The consent register's place must be a file's full path.")
    drive = len(value) > 2 and value[1:3] in (":\\", ":/")  # C:\\... or C:/...
    if not (value.startswith(("/", "\\\\")) or drive):
        raise SettingError(
            f"'{value}' is not a full path: choose the register's file, for example on the "
            "shared drive."
        )


def _check_flag(value: Any) -> None:
    if not isinstance(value, bool):
        raise SettingError("This setting is either on or off.")


def _check_writing_style(value: Any) -> None:
    _check_style(value)
    if value == RedactionStyle.STICKER.value:
        raise SettingError("A sticker is for faces; cover writing with fill, blur or mosaic.")


def _check_pin_hash(value: Any) -> None:
    if value is not None and not looks_like_pin_hash(value):
        raise SettingError("The reviewer PIN is stored in a form photoscreen does not know.")


@dataclass(frozen=True)
class Setting:
    """One declared setting; ``check(value)`` raises :class:`SettingError` if unusable."""

    key: str
    default: Any
    description: str
    check: Callable[[Any], None]


def describe(key: str) -> str:
    """The declared description of setting ``key``, shown beside its field."""
    return BY_KEY[key].description


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "activities",
        None,
        "The centre's activities (key, label, blocked, block reason, shortcut); "
        "None means the defaults shipped in resources/activities.json.",
        _check_activities,
    ),
    Setting(
        "export.long_side",
        _EXPORT_DEFAULTS.long_side,
        "Long side of exported photos, in pixels.",
        _whole_number("The export size", LONG_SIDE_RANGE),
    ),
    Setting(
        "export.quality",
        _EXPORT_DEFAULTS.quality,
        "JPEG quality of exported photos (50-95).",
        _whole_number("The JPEG quality", QUALITY_RANGE),
    ),
    Setting(
        "export.redaction_style",
        _EXPORT_DEFAULTS.style.value,
        "How faces are covered: blur, fill, mosaic or sticker.",
        _check_style,
    ),
    Setting(
        REGISTER_KEY,
        None,
        "Full path of the centre's consent register file; None means this PC's data "
        "folder. Changing it needs the reviewer PIN when one is set.",
        _check_register_path,
    ),
    Setting(
        APPROVAL_KEY,
        False,
        "Whether every photo with a face shown needs the manager's approval to be exported.",
        _check_flag,
    ),
    Setting(
        "writing.detect",
        True,
        "Look for writing that could name someone (name labels, artwork, number plates) "
        "and offer each place for redaction; it is never read.",
        _check_flag,
    ),
    Setting(
        "export.writing_style",
        RedactionStyle.FILL.value,
        "How accepted writing is covered: fill (the default: a blur can leave large "
        "letters legible), blur or mosaic.",
        _check_writing_style,
    ),
    Setting(
        PIN_KEY,
        None,
        "Salted scrypt hash of the reviewer PIN; None when no PIN is set.",
        _check_pin_hash,
    ),
)
BY_KEY = {setting.key: setting for setting in SETTINGS}


def check_range(what: str, value: int, bounds: tuple[int, int]) -> None:
    """Refuse ``value`` unless it is a whole number within ``bounds`` (inclusive)."""
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SettingError(f"{what} must be a whole number from {low} to {high}.")


def checked_row(key: str, raw: object) -> Any:
    """The value of setting ``key`` stored as ``raw`` (JSON text) in a folder, checked as
    when it was set; :class:`~photoscreen.core.storage.store.DamagedValue` when it is not usable."""
    try:
        value = json.loads(raw) if isinstance(raw, str) else _not_text(raw)
        BY_KEY[key].check(value)
    except (SettingError, ValueError, RecursionError) as error:
        raise DamagedValue(f"the setting '{key}' holds a value it cannot take ({error})") from None
    return value


def _not_text(raw: object) -> Any:
    raise ValueError(f"not text but {type(raw).__name__}")
