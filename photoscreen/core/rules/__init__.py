"""The centre's rules: activities and the one status function (policy), review by a second
person, and people's names compared as a person reads them.
"""

from __future__ import annotations

from photoscreen.core.rules.activities import MAX_LABEL_CHARS, slugify
from photoscreen.core.rules.names import (
    has_letters,
    name_keys,
    reads_the_same,
    same_person,
    tidy_name,
)
from photoscreen.core.rules.policy import (
    CHANGED_FILE,
    NOT_SCANNED,
    Activity,
    Concern,
    FaceRecord,
    FaceSource,
    FaceState,
    PhotoDecisions,
    PhotoState,
    PhotoStatus,
    RegionKind,
    Verdict,
    activities_from_json,
    count_states,
    default_activities,
    needs_staff,
    photo_status,
    policy_blocks,
)
from photoscreen.core.rules.review import (
    MAX_PIN_LENGTH,
    ReviewRefused,
    check_review,
    hash_pin_with_key,
    looks_like_pin_hash,
    meets_pin_rules,
    pin_key,
    verify_pin,
)

__all__ = [
    "CHANGED_FILE",
    "MAX_LABEL_CHARS",
    "MAX_PIN_LENGTH",
    "NOT_SCANNED",
    "Activity",
    "Concern",
    "FaceRecord",
    "FaceSource",
    "FaceState",
    "PhotoDecisions",
    "PhotoState",
    "PhotoStatus",
    "RegionKind",
    "ReviewRefused",
    "Verdict",
    "activities_from_json",
    "check_review",
    "count_states",
    "default_activities",
    "has_letters",
    "hash_pin_with_key",
    "looks_like_pin_hash",
    "meets_pin_rules",
    "name_keys",
    "needs_staff",
    "photo_status",
    "pin_key",
    "policy_blocks",
    "reads_the_same",
    "same_person",
    "slugify",
    "tidy_name",
    "verify_pin",
]
