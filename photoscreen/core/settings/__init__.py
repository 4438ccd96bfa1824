"""The centre's and the folder's settings, declared once, and the reviewer PIN: which one
applies, its attempts and its changes.
"""

from __future__ import annotations

from photoscreen.core.settings import pin_attempts
from photoscreen.core.settings.centre_settings import CentreSettings
from photoscreen.core.settings.declared import (
    LONG_SIDE_RANGE,
    QUALITY_RANGE,
    SettingError,
    describe,
)
from photoscreen.core.settings.pin_attempts import Clock

__all__ = [
    "LONG_SIDE_RANGE",
    "QUALITY_RANGE",
    "CentreSettings",
    "Clock",
    "SettingError",
    "describe",
    "pin_attempts",
]
