"""The centre's activity list: adding, renaming, blocking and lifting blocks.

A session's :class:`~photoscreen.core.settings.centre_settings.CentreSettings` holds one
:class:`ActivityList` (``settings.activity_list``). A block the policy sets is never
lifted; lifting any other block needs the reviewer PIN in force
(:mod:`photoscreen.core.settings.pin`);
names are compared as a person reads them, so no look-alike twin of a blocked activity
can sit beside it; the list a change starts from is the one photoscreen recorded, so a
block lifted by hand comes back with the next change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from photoscreen.core.rules import (
    MAX_LABEL_CHARS,
    Activity,
    activities_from_json,
    default_activities,
    policy_blocks,
    reads_the_same,
    slugify,
    tidy_name,
)
from photoscreen.core.settings.declared import BY_KEY, PIN_KEY, SettingError
from photoscreen.core.settings.pin import ReviewerPin
from photoscreen.core.settings.values import SettingValues

KEY = "activities"


class ActivityList:
    """The activity list of one folder, read and changed through ``values``; lifting a
    block checks ``pin`` (:class:`~photoscreen.core.settings.pin.ReviewerPin`)."""

    def __init__(self, values: SettingValues, pin: ReviewerPin) -> None:
        self._values = values
        self._pin = pin

    def current(self) -> tuple[Activity, ...]:
        """The centre's activity list, in shortcut order."""
        stored = self._values.get(KEY)
        return default_activities() if stored is None else activities_from_json(stored)

    def replace(self, activities: tuple[Activity, ...], *, pin: str | None = None) -> None:
        """Replace the whole list (keys must stay unique).

        Lifting the block on an activity is the manager's decision: when a reviewer PIN is
        set it needs ``pin``, or :class:`~photoscreen.core.rules.review.ReviewRefused` says so.
        A block the policy sets is never lifted, and no activity leaves the list (photos
        keep its key): both raise :class:`SettingError`. Blocking, adding and renaming need
        nothing.
        """
        value = [a.to_json() for a in activities]
        BY_KEY[KEY].check(value)  # unique keys, one label each
        self.save(value, value, pin=pin)

    def save(self, value: Any, shown: Any, *, pin: str | None = None) -> None:
        """Store ``value`` (a checked activity list, audited as ``shown``) for the folder
        and the centre, once the blocks it lifts are allowed (see :meth:`replace`)."""
        lifted = self._lifted_blocks(value, pin)
        self._values.save_folder(KEY, value, shown, [("block_lifted", lift) for lift in lifted])
        self._values.save_centre({KEY: self._list_for_centre(value, lifted)}, KEY, shown)

    def _lifted_blocks(self, value: Any, pin: str | None) -> list[dict[str, Any]]:
        """The blocks ``value`` (a new activity list) lifts, once it is allowed.

        Refused: leaving out an activity (photos keep its key), lifting a block the
        policy sets (see :func:`~photoscreen.core.rules.policy.policy_blocks`), and lifting any
        other block without the reviewer PIN in force.
        """
        new = {a.key: a for a in activities_from_json(value)}
        current = self._judged_activities()
        left_out = [a.label for a in current if a.key not in new]
        if left_out:
            raise SettingError(
                f"{', '.join(left_out)} cannot be taken out of the list: photos may be tagged "
                "with it. Rename it instead."
            )
        for item in value["activities"] if isinstance(value, dict) else value:
            if item.get("key") in policy_blocks() and not item.get("blocked"):
                activity = new[item["key"]]
                raise SettingError(
                    f"{activity.label} is blocked by the centre's policy "
                    f"({policy_blocks()[activity.key] or 'it involves undress'}): its photos "
                    "are never posted, and nobody can lift this block."
                )
        lifted = [
            {"key": a.key, "label": a.label}
            for a in current
            if a.blocked and not new[a.key].blocked
        ]
        if lifted:
            names = ", ".join(lift["label"] for lift in lifted)
            self._pin.check(
                pin,
                purpose="lift a block",
                missing=f"Only the manager can lift the block on {names}: it needs the "
                "reviewer PIN.",
                wrong=f"That is not the reviewer PIN: {names} stays blocked.",
            )
        return lifted

    def _judged_activities(self) -> tuple[Activity, ...]:
        """The list a change starts from and whose blocks it may lift: the one
        photoscreen recorded when the folder's list was changed outside photoscreen, so
        renaming or adding an activity puts back a block lifted by hand."""
        found, value = self._values.judged_value(KEY)
        if not found:
            value = self._values.centre_state()[0].get(KEY)
        return default_activities() if value is None else activities_from_json(value)

    def _list_for_centre(self, value: Any, lifted: Sequence[dict[str, Any]]) -> Any:
        """The activity list to keep for new folders: ``value``, except that every block
        the centre's list has stays, unless this change lifted it under the centre's own
        PIN (or the centre has none), and activities only the centre has are kept.

        A folder from another PC, or one whose database was edited, may lack a block the
        manager set for this centre; renaming an activity there must not carry that
        weaker list to every new folder.
        """
        centre_state = self._values.centre_state()[0]
        if centre_state.get(KEY) is None:
            return value
        theirs = {a.key: a for a in activities_from_json(centre_state[KEY])}
        centre_pin = centre_state.get(PIN_KEY)
        under_centre_pin = centre_pin in (None, self._pin.hash)
        allowed = {lift["key"] for lift in lifted} if under_centre_pin else set()
        merged = []
        for activity in activities_from_json(value):
            kept = theirs.get(activity.key)
            if kept and kept.blocked and not activity.blocked and activity.key not in allowed:
                activity = replace(activity, blocked=True, block_reason=kept.block_reason)
            merged.append(activity)
        keys = {a.key for a in merged}
        merged += [a for a in theirs.values() if a.key not in keys]
        return [a.to_json() for a in merged]

    def add(
        self, label: str, *, blocked: bool = False, block_reason: str = ""
    ) -> Activity:
        """Add an activity at the end of the list; its key is made from the label."""
        label = self._new_label(label)
        current = self._judged_activities()
        keys = {a.key for a in current}
        base = slugify(label).replace("-", "_")
        key, n = base, 2
        while key in keys:
            key, n = f"{base}_{n}", n + 1
        activity = Activity(key, label, blocked, block_reason)
        self.replace((*current, activity))
        return activity

    def rename(self, key: str, label: str) -> None:
        """Give an activity a new label; photos tagged with it keep the tag."""
        self._replace_activity(key, label=self._new_label(label, renaming=key))

    def _new_label(self, label: str, renaming: str | None = None) -> str:
        """``label`` tidied; refused when empty, too long, or another activity's name
        already as a person reads it (:func:`~photoscreen.core.rules.names.reads_the_same`:
        case, look-alike letters, accents, punctuation): an unblocked twin reading
        "Swimming" beside the blocked one would be picked for swimming photos."""
        label = tidy_name(label)
        if not label:
            raise SettingError("An activity needs a name.")
        if len(label) > MAX_LABEL_CHARS:
            raise SettingError(
                f"An activity's name can have at most {MAX_LABEL_CHARS} characters "
                f"(this one has {len(label)}): please choose a shorter one."
            )
        for other in self.current():
            if other.key != renaming and reads_the_same(other.label, label):
                blocked = f" ({other.block_words})" if other.block_words else ""
                raise SettingError(f"There is already an activity called {other.label}{blocked}.")
        return label

    def set_blocked(
        self, key: str, blocked: bool, reason: str = "", *, pin: str | None = None
    ) -> None:
        """Block (or unblock) an activity; ``reason`` is shown on its photos (none given:
        the reason it was last blocked for, if any).

        Unblocking needs the reviewer PIN (``pin``) when one is set; see
        :meth:`replace`.
        """
        if blocked:
            earlier = next((a.block_reason for a in self.current() if a.key == key), "")
            self._replace_activity(key, blocked=True, block_reason=reason or earlier)
        else:
            self._replace_activity(key, pin=pin, blocked=False)

    def lift_needs_pin(self, key: str) -> bool:
        """True when unblocking activity ``key`` would need the reviewer PIN (a block the
        policy sets cannot be lifted at all: see ``Activity.by_policy``)."""
        return self._pin.is_set and any(a.key == key and a.blocked for a in self.current())

    def _replace_activity(self, key: str, *, pin: str | None = None, **changes: Any) -> None:
        current = self._judged_activities()
        if key not in {a.key for a in current}:
            raise SettingError(f"There is no activity with the key '{key}'.")
        updated = tuple(
            Activity(**{**a.__dict__, **changes}) if a.key == key else a for a in current
        )
        self.replace(updated, pin=pin)
