"""The manager's side of the controller: the review queue and verdicts.

A verdict may need the reviewer PIN, which the core checks with a deliberately slow
hash (tens of milliseconds), so verdicts run on the ``writer`` pool, never on the GUI
thread. Whether a verdict is allowed is the core's decision; its refusal is shown as is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from photoscreen.core.rules import FaceRecord, Verdict
from photoscreen.core.session import review_queue
from photoscreen.core.storage import WriteFailed
from photoscreen.ui.control import view_state
from photoscreen.ui.control.controller import Controller
from photoscreen.ui.control.messages import REFUSALS, report_refusal
from photoscreen.ui.threads import JobContext, JobError


class ReviewController(QObject):
    """Feeds the review panel and records verdicts through the core."""

    queue_changed = Signal(object)  # list[QueueItem]
    state_changed = Signal(object)  # ReviewState or None
    pin_required_changed = Signal(bool)
    verdict_recorded = Signal(str)  # the confirmation to show ("Approved a.jpg. ...")
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
        self.pin_required_changed.emit(session.settings.pin.is_set)
        self._refresh_queue()
        entry = self._controller.current_entry()
        if entry is None:
            self.state_changed.emit(None)
            return
        state = view_state.review_state(
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
            view_state.queue_item(e.key, e.shown_name, e.decisions)
            for e in review_queue(self._controller.entries())
            if e.decisions is not None
        ]
        self.queue_changed.emit(items)

    def reviewer_problem(self, verdict: Verdict, reviewer: str) -> str | None:
        """Why ``reviewer`` may not give ``verdict`` on the photo on screen (asked before the
        PIN prompt opens: an asker is told so at once, without typing the PIN); None: fine."""
        session, entry = self._controller.session, self._controller.current_entry()
        if session is None or entry is None or entry.photo_hash is None:
            return None
        try:
            session.check_reviewer(entry.photo_hash, reviewer, verdict)
        except REFUSALS as error:
            return str(error)
        return None

    def give_verdict(self, verdict: Verdict, reviewer: str, note: str, pin: str | None) -> None:
        """Approve or reject the photo on screen, as ``reviewer``."""
        session, entry = self._controller.session, self._controller.current_entry()
        if session is None or entry is None or entry.photo_hash is None or self.busy:
            return
        digest, judged = entry.photo_hash, Judged(entry.key, entry.shown_name, verdict)
        seen = entry.decisions  # a verdict covers what was shown: refused if staff changed it

        def job(context: JobContext) -> Judged:
            if verdict is Verdict.APPROVED:
                session.approve(digest, reviewer, note=note, pin=pin, seen=seen)
            else:
                session.reject(digest, reviewer, note=note, pin=pin, seen=seen)
            return judged

        self.busy = True
        self._controller.workers.run(
            "writer",
            job,
            on_result=lambda done: self._on_recorded(digest, done),
            on_error=self._on_refused,
        )

    def _on_recorded(self, photo_hash: str, judged: Judged) -> None:
        """Saved: say so, and show the next photo still waiting (none: nothing to judge)."""
        self.busy = False
        self._controller.refresh_photo(photo_hash)
        self._refresh_queue()
        waiting = [e.key for e in review_queue(self._controller.entries())]
        self._controller.select(next_waiting(waiting, judged.photo_id, self._order()))
        self.verdict_recorded.emit(confirmation(judged, len(waiting)))

    def _order(self) -> list[str]:
        return [e.key for e in self._controller.entries()]

    def _on_refused(self, error: JobError) -> None:
        # Said once, under the verdict buttons where the manager is looking; a change the
        # store could not save (the disk is full) is also a problem shown until dismissed.
        self.busy = False
        if isinstance(error.exception, REFUSALS):
            self._controller.refresh_all()  # shown as saved (staff may have changed it)
            self.verdict_refused.emit(str(error.exception))
            if isinstance(error.exception, WriteFailed):
                report_refusal(self._controller.messages, error.exception)
            return
        self.verdict_refused.emit(f"The decision was not saved: {error.exception}")
        self._controller.messages.error(
            f"The decision was not saved: {error.exception}", error.trace
        )


@dataclass(frozen=True)
class Judged:
    """The photo a verdict was given on, as it was on screen."""

    photo_id: str
    name: str
    verdict: Verdict


def next_waiting(waiting: Sequence[str], judged: str, order: Sequence[str]) -> str | None:
    """The photo to show after a verdict on ``judged``: the next one still waiting in the
    folder's ``order``, else the first still waiting; None when none waits."""
    if not waiting:
        return None
    place = {key: i for i, key in enumerate(order)}
    after = place.get(judged, -1)
    later = [key for key in waiting if place.get(key, -1) > after]
    return later[0] if later else waiting[0]


def confirmation(judged: Judged, still_waiting: int) -> str:
    """ "Approved a.jpg: it may be posted. 2 photos still waiting." in plain words."""
    done = (
        f"Approved {judged.name}: it may be posted once nothing else stops it."
        if judged.verdict is Verdict.APPROVED
        else f"Rejected {judged.name}: it will not be posted."
    )
    if not still_waiting:
        return f"{done} That was the last photo waiting."
    plural = "s" if still_waiting != 1 else ""
    return f"{done} {still_waiting} photo{plural} still waiting: the next is shown."
