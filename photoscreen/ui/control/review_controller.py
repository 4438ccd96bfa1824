"""The manager's side of the controller: the review queue and verdicts.

A verdict may need the reviewer PIN, which the core checks with a deliberately slow
hash (tens of milliseconds), so verdicts run on the ``writer`` pool, never on the GUI
thread. Whether a verdict is allowed is the core's decision; its refusal is shown as is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from photoscreen.core.rules import FaceRecord, ReviewRefused, Verdict
from photoscreen.core.session import review_queue
from photoscreen.ui.control import view_state as photo_state
from photoscreen.ui.control.controller import Controller
from photoscreen.ui.control.controller_verbs import REFUSALS, report_refusal
from photoscreen.ui.threads import JobContext, JobError


class ReviewController(QObject):
    """Feeds the review panel and records verdicts through the core."""

    queue_changed = Signal(object)  # list[QueueItem]
    state_changed = Signal(object)  # ReviewState or None
    pin_required_changed = Signal(bool)
    verdict_recorded = Signal()
    verdict_refused = Signal(str)

    def __init__(self, controller: Controller, parent: Any = None) -> None:
        super().__init__(parent)
        self._controller = controller
        # Only in review mode: outside it, nobody looks at the queue or needs the PIN.
        controller.panel_changed.connect(lambda _: self._refresh_if_reviewing())
        controller.review_mode_changed.connect(lambda _: self.refresh())
        controller.counts_changed.connect(lambda _: self._refresh_queue())
        self.busy = False
        # Names of who is shown and linked on a photo (set by ui.consent_flow), so the
        # manager sees whose faces go out.
        self.people: Callable[[Sequence[FaceRecord]], list[str]] | None = None

    def refresh(self) -> None:
        """Re-read the queue and the photo on screen."""
        session = self._controller.session
        if session is None:
            self.queue_changed.emit([])
            self.state_changed.emit(None)
            return
        self.pin_required_changed.emit(session.settings.has_pin)
        self._refresh_queue()
        entry = self._controller.current_entry()
        if entry is None:
            self.state_changed.emit(None)
            return
        state = photo_state.review_state(
            entry.key, entry.shown_name, entry.status, entry.decisions, session.activities()
        )
        if self.people is not None and entry.decisions is not None:
            lines = [state.faces_summary, *self.people(entry.decisions.faces)]
            state = replace(state, faces_summary=". ".join(lines))
        self.state_changed.emit(state)

    def _refresh_if_reviewing(self) -> None:
        if self._controller.review_mode:
            self.refresh()

    def _refresh_queue(self) -> None:
        if not self._controller.review_mode:
            return
        items = [
            photo_state.queue_item(e.key, e.shown_name, e.decisions)
            for e in review_queue(self._controller.entries())
            if e.decisions is not None
        ]
        self.queue_changed.emit(items)

    def give_verdict(self, verdict: Verdict, reviewer: str, note: str, pin: str | None) -> None:
        """Approve or reject the photo on screen, as ``reviewer``."""
        session, entry = self._controller.session, self._controller.current_entry()
        if session is None or entry is None or entry.photo_hash is None or self.busy:
            return
        digest = entry.photo_hash

        def job(context: JobContext) -> str:
            if verdict is Verdict.APPROVED:
                session.approve(digest, reviewer, note=note, pin=pin)
            else:
                session.reject(digest, reviewer, note=note, pin=pin)
            return digest

        self.busy = True
        self._controller.workers.run(
            "writer", job, on_result=self._on_recorded, on_error=self._on_refused
        )

    def _on_recorded(self, photo_hash: str) -> None:
        self.busy = False
        self._controller.refresh_photo(photo_hash)
        self.verdict_recorded.emit()
        self._controller.go(+1)
        self._refresh_queue()

    def _on_refused(self, error: JobError) -> None:
        self.busy = False
        if isinstance(error.exception, (ReviewRefused, *REFUSALS)):
            self.verdict_refused.emit(str(error.exception))
            report_refusal(self._controller.messages, error.exception)
            return
        self._controller.messages.error(
            f"The decision was not saved: {error.exception}", error.trace
        )
