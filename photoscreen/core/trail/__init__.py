"""The audit trail: who did what to which photo and when, chained so that a change made
outside photoscreen shows, and the parts of a decision the chain records.

- :mod:`~photoscreen.core.trail.audit`: the append-only entries and the export logs;
- :mod:`~photoscreen.core.trail.audit_chain`: each entry's link, the replay of the chain,
  checkpoints;
- :mod:`~photoscreen.core.trail.decision_state`: the decision parts (rows) the chain seals;
- :mod:`~photoscreen.core.trail.trail_anchor`: the chain's head as this PC last saw it.

It knows tables and rows, not the store: the store (:mod:`photoscreen.core.storage`) seals
each transaction with it, and the records check replays it.
"""

from __future__ import annotations

from photoscreen.core.trail import audit, audit_chain, decision_state, trail_anchor
from photoscreen.core.trail.audit import utc_now
from photoscreen.core.trail.audit_chain import Replay
from photoscreen.core.trail.decision_state import PHOTO_PARTS, PartValues

__all__ = [
    "PHOTO_PARTS",
    "PartValues",
    "Replay",
    "audit",
    "audit_chain",
    "decision_state",
    "trail_anchor",
    "utc_now",
]
