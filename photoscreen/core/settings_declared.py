"""The centre's settings, declared once: key, type, default, check and description.

:mod:`photoscreen.core.settings` reads and saves them; this module says what each one is
and which values it may take, so the session database and the centre file are checked by
the same rules, and every value read back from either is checked as when it was set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from photoscreen.core.policy import activities_from_json
from photoscreen.core.redact import RedactionStyle
from photoscreen.core.review import looks_like_pin_hash

LONG_SIDE_RANGE = (256, 12000)
QUALITY_RANGE = (50, 95)
PIN_KEY = "review.pin_hash"
# In the centre file only: the PIN changes made on this PC, each with its proof, so a
# folder still holding an old PIN can take the new one (photoscreen.core.pin_change).
PIN_CHANGES_KEY = "review.pin_changes"


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


def _check_flag(value: Any) -> None:
    if not isinstance(value, bool):
        raise SettingError(f"'{value}' is not on or off (true or false).")


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
    type: type
    default: Any
    description: str
    check: Callable[[Any], None]


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "activities",
        list,
        None,
        "The centre's activities (key, label, blocked, block reason, shortcut); "
        "None means the defaults shipped in resources/activities.json.",
        _check_activities,
    ),
    Setting(
        "export.long_side",
        int,
        2048,
        "Long side of exported photos, in pixels.",
        _whole_number("The export size", LONG_SIDE_RANGE),
    ),
    Setting(
        "export.quality",
        int,
        90,
        "JPEG quality of exported photos (50-95).",
        _whole_number("The JPEG quality", QUALITY_RANGE),
    ),
    Setting(
        "export.redaction_style",
        str,
        RedactionStyle.BLUR.value,
        "How faces are covered: blur, fill, mosaic or sticker.",
        _check_style,
    ),
    Setting(
        "writing.detect",
        bool,
        True,
        "Look for writing that could name someone (name labels, artwork, number plates) "
        "and offer each place for redaction; it is never read.",
        _check_flag,
    ),
    Setting(
        "export.writing_style",
        str,
        RedactionStyle.FILL.value,
        "How accepted writing is covered: fill (the default: a blur can leave large "
        "letters legible), blur or mosaic.",
        _check_writing_style,
    ),
    Setting(
        PIN_KEY,
        str,
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
