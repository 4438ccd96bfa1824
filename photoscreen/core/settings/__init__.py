"""The centre's and the folder's settings, declared once: where each value is read and
saved, the activity list, and the reviewer PIN (which one applies, its attempts and its
changes). A session's :class:`CentreSettings` holds its two parts with rules of their own,
``settings.pin`` (:class:`ReviewerPin`) and ``settings.activity_list``
(:class:`ActivityList`).
"""

from __future__ import annotations

from photoscreen.core.settings import pin_attempts
from photoscreen.core.settings.activity_list import ActivityList
from photoscreen.core.settings.centre_settings import CentreSettings
from photoscreen.core.settings.declared import (
    APPROVAL_KEY,
    BY_KEY,
    LONG_SIDE_RANGE,
    PIN_KEY,
    QUALITY_RANGE,
    REGISTER_KEY,
    SettingError,
    describe,
)
from photoscreen.core.settings.pin import ReviewerPin
from photoscreen.core.settings.pin_attempts import Clock, wait_words

__all__ = [
    "APPROVAL_KEY",
    "BY_KEY",
    "LONG_SIDE_RANGE",
    "PIN_KEY",
    "QUALITY_RANGE",
    "REGISTER_KEY",
    "ActivityList",
    "CentreSettings",
    "Clock",
    "ReviewerPin",
    "SettingError",
    "describe",
    "pin_attempts",
    "wait_words",
]
