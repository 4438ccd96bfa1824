"""What the rules judge when records were changed outside photoscreen: what it recorded.

A part of a photo, or a setting, changed outside photoscreen is held back until a person
decides it again in photoscreen (see docs/tamper-evidence.md). Deciding it again must
pass the rules as they stood on the recorded value, not on the hand-edited one, or the
edit is laundered in two clicks: whoever cleared Bob's unclothed mark with an SQLite tool
could mark the photo themselves and take their own mark back, and the photo went out;
whoever wrote their own PIN's hash into the settings could set "their" PIN again in
photoscreen and approve anything with it; a block lifted by hand was kept by saving the
list again.

So, while a part disagrees with the trail:

* the rules about people's concerns (:func:`~photoscreen.core.session.decision_rules.check_change`)
  judge a change against the recorded unclothed mark and questions as well as against the
  stored ones (both must allow it), and a decision starts from the recorded ones: marking
  the photo again puts the recorded mark back, whoever raised it;
* the reviewer PIN in force, and the list whose blocks a change may lift, are the ones
  the trail recorded (the stored ones where the trail has none: a disagreement never
  drops a PIN or a block), and a settings row deleted by hand is not filled again from
  the centre file (see :class:`~photoscreen.core.settings.CentreSettings`).

Only values in the chain's own terms are read here (:mod:`photoscreen.core.trail.decision_state`
columns); :class:`~photoscreen.core.storage.records_check.RecordsGuard` supplies them.
"""

from __future__ import annotations

from typing import Any

from photoscreen.core.rules import Concern
from photoscreen.core.storage.decisions import Snapshot
from photoscreen.core.trail import PartValues

# The parts whose values say whose concern is whose (decision_rules reads only these).
CONCERN_PARTS = ("unclothed", "questions")


def judged_before(stored: Snapshot, recorded: PartValues) -> Snapshot:
    """``stored`` (a photo's staff fields now) with the unclothed mark and the questions
    the trail recorded for it (``recorded``: its parts as the trail replays them)."""
    return {
        **stored,
        "unclothed": _mark(recorded["unclothed"]),
        "questions": tuple(_question(row) for row in recorded["questions"]),
    }


def differs(stored: Snapshot, judged: Snapshot) -> bool:
    """True when the concerns stored now are not the ones the trail recorded."""
    return any(stored[part] != judged[part] for part in CONCERN_PARTS)


def _mark(columns: list[Any]) -> Concern | None:
    """The unclothed mark from its sealed columns (as ``decisions.snapshot_of`` makes it)."""
    unclothed, who, at, sitting = columns
    if not unclothed:
        return None
    return Concern(_text(who), _optional(at), "", _optional(sitting))


def _question(row: list[Any]) -> Concern:
    _id, who, at, note, sitting = row
    return Concern(_text(who), _optional(at), _text(note), _optional(sitting))


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _optional(value: object) -> str | None:
    return value if isinstance(value, str) else None
