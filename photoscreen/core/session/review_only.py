"""A folder opened to review while another photoscreen has it open: verdicts only.

When staff have a folder open (they hold its lock), the manager may still open it to
review (``Session.open_to_review``). The session is the same database, opened beside
theirs (:mod:`~photoscreen.core.storage.review_access` says why the two cannot overwrite
each other). This module is the rule for what the reviewer's photoscreen may write:
**nothing but verdicts** (and the count of wrong PINs a verdict keeps), denied by default.
The store asks :meth:`ReviewOnly.check` before every write; only a verdict's own thread,
inside :meth:`ReviewOnly.verdict`, passes. Any other change (a tag, a face, a setting, a
change of name, an export's record) is refused in plain words that say where to make it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from photoscreen.core.session.decision_rules import DecisionError
from photoscreen.core.storage import LockHolder

__all__ = ["ReviewOnly", "verdict_writes"]


class ReviewOnly:
    """The gate of a session opened to review; ``holder``: who has the folder open."""

    def __init__(self, holder: LockHolder | None) -> None:
        self.holder = holder
        self._allowed = threading.local()

    @property
    def who(self) -> str:
        """ "Alice on PC-12 since 10:42", or a plain "another photoscreen"."""
        return self.holder.describe() if self.holder is not None else "another photoscreen"

    @property
    def notice(self) -> str:
        """What the window says while the folder is open to review."""
        return (
            f"Opened to review only: this folder is open in photoscreen by {self.who}. "
            "Approve or reject here; the list of photos waiting updates as staff ask. "
            "Every other change is made there."
        )

    def refusal(self) -> str:
        return (
            f"This folder is open in photoscreen by {self.who}, and here it was opened to "
            "review only: approving and rejecting are saved here, every other change is "
            "made there (or open the folder again once it is closed there)."
        )

    @contextmanager
    def verdict(self) -> Iterator[None]:
        """Let this thread's writes through for one verdict (the PIN check included)."""
        self._allowed.on = True
        try:
            yield
        finally:
            self._allowed.on = False

    def check(self) -> None:
        """Refuse a write that is not part of a verdict (the store's ``before_write``)."""
        if not getattr(self._allowed, "on", False):
            raise DecisionError(self.refusal())


def verdict_writes(gate: ReviewOnly | None) -> AbstractContextManager[None]:
    """The writes of one verdict: let through by ``gate`` (None: no gate, nothing to do)."""
    return nullcontext() if gate is None else gate.verdict()
