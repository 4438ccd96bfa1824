"""The manager's review: verdicts, and the gate of a folder opened to review only.

:class:`Verdicts` approves or rejects a photo for the reviewer named, with the reviewer
PIN when one is set. Nobody who asked the manager about a photo may approve it
(:func:`~photoscreen.core.rules.review.check_review`, asked before the PIN so a refused
reviewer never spends a PIN try, and again inside the write); a verdict on a photo
changed since the reviewer was shown it is refused. Verdicts are audited and not undoable
(an approval needs the reviewer's name and PIN at the moment it is given); any later
staff change clears an approval.

When staff have a folder open (they hold its lock), the manager may still open it to
review (``Session.open_to_review``). The session is the same database, opened beside
theirs (:mod:`~photoscreen.core.storage.review_access` says why the two cannot overwrite
each other). :class:`ReviewOnly` is the rule for what the reviewer's photoscreen may
write: **nothing but verdicts** (and the count of wrong PINs a verdict keeps), denied by
default. The store asks :meth:`ReviewOnly.check` before every write; only a verdict's own
thread, inside :meth:`ReviewOnly.verdict`, passes. Any other change (a tag, a face, a
setting, a change of name, an export's record) is refused in plain words that say where
to make it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from photoscreen.core.rules import PhotoDecisions, ReviewRefused, Verdict, check_review
from photoscreen.core.session.changes import Desk
from photoscreen.core.session.decision_rules import DecisionError
from photoscreen.core.storage import LockHolder, decisions
from photoscreen.core.trail import audit

__all__ = ["ReviewOnly", "Verdicts", "verdict_writes"]

CHANGED_SINCE_SHOWN = (
    "This photo was changed after it was shown to you (by staff in the photoscreen "
    "that has the folder open, or by faces found meanwhile). Look at it again as it "
    "is now, then approve or reject it."
)


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


class Verdicts:
    """The manager's verdicts in a session; ``gate``: set when the folder was opened to
    review only (a verdict's writes are the ones it lets through)."""

    def __init__(self, desk: Desk, gate: ReviewOnly | None) -> None:
        self._desk = desk
        self._gate = gate

    def check_reviewer(self, photo_hash: str, reviewer: str, verdict: Verdict) -> str:
        """The reviewer's tidied name, or :class:`~photoscreen.core.rules.review.ReviewRefused`
        when ``reviewer`` may not give ``verdict`` (no name; approving a photo they asked
        about). Checks no PIN: the window asks this before it asks for the PIN, and a
        verdict asks it again before checking the PIN, so a refused reviewer never spends
        a PIN try (nor waits for one)."""
        with self._desk.store.reading() as conn:
            return self._allowed(conn, photo_hash, reviewer, verdict)

    def give(
        self,
        photo_hash: str,
        verdict: Verdict,
        reviewer: str,
        *,
        note: str = "",
        pin: str | None = None,
        seen: PhotoDecisions | None = None,
    ) -> None:
        """``reviewer`` approves or rejects the photo; ``seen``: its decisions as the
        reviewer was shown them (refused, ``ReviewRefused``, when staff changed them
        since: an approval covers what the reviewer saw). Audited; not undoable."""
        desk = self._desk
        self.check_reviewer(photo_hash, reviewer, verdict)
        with verdict_writes(self._gate):  # a reviewer's writes: the PIN count, this
            desk.settings.pin.check(
                pin,
                purpose="approve" if verdict is Verdict.APPROVED else "reject",
                missing="Enter the reviewer PIN to approve or reject a photo.",
            )
            with desk.store.transaction() as conn:
                # Again inside the write: someone may have asked about it since.
                name = self._allowed(conn, photo_hash, reviewer, verdict)
                unchanged_since(desk.require(conn, photo_hash), seen)
                at, note = audit.utc_now(), note.strip()
                decisions.set_verdict(conn, photo_hash, verdict, name, note, at)
                details = {"reviewer": name, "note": note}
                audit.record(conn, desk.user, verdict.value, photo_hash, details)
        desk.notify(photo_hash)

    def _allowed(self, conn: Any, photo_hash: str, reviewer: str, verdict: Verdict) -> str:
        photo = self._desk.require(conn, photo_hash)
        recorded = self._desk.judged(conn, photo_hash, decisions.snapshot_of(photo))["questions"]
        return check_review(
            reviewer=reviewer,
            asked_by=(*photo.askers, *(q.who for q in recorded)),
            approving=verdict is Verdict.APPROVED,
        )


def unchanged_since(now: PhotoDecisions, seen: PhotoDecisions | None) -> None:
    """Refuse a verdict on a photo whose staff decisions changed since they were shown
    (``seen``; None: nothing to compare, as for ``photoscreen`` used without a window)."""
    if seen is not None and decisions.snapshot_of(now) != decisions.snapshot_of(seen):
        raise ReviewRefused(CHANGED_SINCE_SHOWN)
