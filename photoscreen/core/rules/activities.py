"""The centre's activities: the list shipped with photoscreen, the blocks policy keeps on
them, and the names made from them (labels, slugs for export file names).

An activity that involves undress is blocked by the policy itself; a centre's settings can
rename it but never lift its block (README rule 1).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Activity:
    """One kind of session the centre runs; ``key`` is stable, ``label`` may be renamed.

    ``by_policy`` marks the activities the policy itself forbids posting (they involve
    undress: see :func:`policy_blocks`); they are always blocked, whatever a settings
    list says.
    """

    key: str
    label: str
    blocked: bool = False
    block_reason: str = ""
    shortcut: str | None = None

    @property
    def by_policy(self) -> bool:
        return self.key in policy_blocks()

    @property
    def block_words(self) -> str:
        """"blocked by the policy", "blocked" or "", to show beside its name."""
        if self.by_policy:
            return "blocked by the policy"
        return "blocked" if self.blocked else ""

    @property
    def blocked_reason_text(self) -> str:
        """The reason shown for a photo tagged with this activity, when it is blocked."""
        why = self.block_reason or f"{self.label.lower()} is a blocked activity"
        return f"Blocked: {why} (policy)"

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "blocked": self.blocked,
            "block_reason": self.block_reason,
            "shortcut": self.shortcut,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Activity:
        return cls(
            key=str(data["key"]),
            label=str(data["label"]),
            blocked=bool(data.get("blocked", False)),
            block_reason=str(data.get("block_reason") or ""),
            shortcut=(str(data["shortcut"]) if data.get("shortcut") else None),
        )


def default_activities() -> tuple[Activity, ...]:
    """The activity list shipped in ``photoscreen/resources/activities.json``."""
    return activities_from_json(_shipped_list())


@cache
def _shipped_list() -> Any:
    text = resources.files("photoscreen.resources").joinpath("activities.json").read_text("utf-8")
    return json.loads(text)


@cache
def policy_blocks() -> dict[str, str]:
    """The activities the policy blocks for good, by key, with the reason shown.

    They are the ones shipped blocked (baby massage, swimming, water play, changing...):
    activities that involve undress, which the policy never allows in a post. A centre's
    settings can rename them, but not lift their block: "blocked is absolute" (README rule 1).
    """
    return {
        str(item["key"]): str(item.get("block_reason") or "")
        for item in _shipped_list()["activities"]
        if item.get("blocked")
    }


def activities_from_json(data: Any) -> tuple[Activity, ...]:
    """Parse ``{"activities": [...]}`` or a bare list; keys must be unique.

    An activity the policy blocks (:func:`policy_blocks`) comes back blocked whatever the
    data says, so no settings file, however edited, lifts that block.
    """
    items = data["activities"] if isinstance(data, dict) else data
    activities = tuple(_policy_applied(Activity.from_json(item)) for item in items)
    keys = [a.key for a in activities]
    if len(set(keys)) != len(keys):
        raise ValueError("Two activities share the same key")
    return activities


def _policy_applied(activity: Activity) -> Activity:
    reason = policy_blocks().get(activity.key)
    if reason is None or activity.blocked:
        return activity
    return replace(activity, blocked=True, block_reason=reason)


# The longest activity name accepted: enough for "Stay and play in the sensory room",
# short enough to read on a button and in a list.
MAX_LABEL_CHARS = 60
# The longest slug made from a name. Export file names are built from it (slug, number,
# ".jpg"), and a file name has at most 255 bytes on every disk: a 500-character name
# accepted before this bound made every export of its photos fail.
MAX_SLUG_CHARS = 40


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens ("Arts & crafts" -> "arts-crafts"), at most
    :data:`MAX_SLUG_CHARS` characters (whole words where they fit)."""
    words = "".join(c.lower() if c.isascii() and c.isalnum() else " " for c in text).split()
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > MAX_SLUG_CHARS:
            slug = slug or word[:MAX_SLUG_CHARS]
            break
        slug = longer
    return slug or "photo"
