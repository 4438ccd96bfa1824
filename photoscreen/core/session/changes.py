"""The one path every staff decision takes, and what the session's parts share.

Staff decisions (activity, unclothed, exclude, faces, faces checked, questions to the
manager, links to people) all go through :meth:`StaffChanges.make`: one transaction that
checks the change against the rules that protect other people's concerns
(:func:`~photoscreen.core.session.decision_rules.check_change`), writes the changed fields,
clears an approval (it covered what the reviewer saw, not what the photo has become),
appends the audit entry, and then keeps an undo step and tells the listeners. An undo or
redo passes the same check (:meth:`StaffChanges.restore`), as the person now using the
app: no path reaches a state their direct action would be refused.

The parts of a session (:mod:`~photoscreen.core.session.photo_marks`,
:mod:`~photoscreen.core.session.face_edits`, :mod:`~photoscreen.core.session.links`,
:mod:`~photoscreen.core.session.review`) are given a :class:`Desk`: the state they share,
passed in rather than reached through a common ``self``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from photoscreen.core.rules import PhotoDecisions
from photoscreen.core.session.decision_rules import DecisionError, Identity, check_change
from photoscreen.core.session.undo import Change
from photoscreen.core.settings import CentreSettings
from photoscreen.core.storage import (
    RecordsGuard,
    Snapshot,
    Store,
    decisions,
    differs,
    judged_before,
)
from photoscreen.core.trail import audit

Listener = Callable[[str | None], None]
Mutate = Callable[[Any, Snapshot, PhotoDecisions], Snapshot]
"""Given (connection, the staff fields as judged, the photo), the fields wanted."""


class Listeners:
    """Who is told after a change: called with the photo's hash (None: several photos, or
    settings), on the thread that made the change; a listener may remove itself."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def add(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def clear(self) -> None:
        self._listeners.clear()

    def __call__(self, photo_hash: str | None) -> None:
        for listener in list(self._listeners):
            listener(photo_hash)


@dataclass(frozen=True)
class Desk:
    """What a session's parts share: the store, the records guard (what the chained trail
    recorded), the settings (the reviewer PIN), who is using the app now (the audit
    actor: it changes with :meth:`~photoscreen.core.session.Session.change_user`), and
    the listeners to tell after a change (None: several photos, or settings)."""

    store: Store
    records: RecordsGuard
    settings: CentreSettings
    who: Callable[[], Identity]
    notify: Listener

    @property
    def user(self) -> str:
        """The name recorded with the next decision."""
        return self.who().name

    def require(self, conn: Any, photo_hash: str) -> PhotoDecisions:
        """The photo's decisions; :class:`DecisionError` when it was never read."""
        photo = decisions.load(conn, photo_hash)
        if photo is None:
            raise DecisionError("This photo has not been read yet.")
        return photo

    def judged(self, conn: Any, photo_hash: str, stored: Snapshot) -> Snapshot:
        """``stored`` with the unclothed mark and questions the chained trail recorded
        (they differ only when the stored ones were changed outside photoscreen)."""
        return judged_before(stored, self.records.recorded_parts(conn, photo_hash))


class StaffChanges:
    """Writes staff decisions, checked and audited; ``keep`` takes each undo step."""

    def __init__(self, desk: Desk, keep: Callable[[Change], None]) -> None:
        self._desk = desk
        self._keep = keep

    def make(
        self,
        photo_hash: str,
        action: str,
        description: str,
        details: dict[str, Any],
        mutate: Mutate,
        *,
        pin_given: bool = False,
    ) -> None:
        """Apply one staff decision in one transaction, with its audit entry and undo step;
        nothing is written (nor kept) when ``mutate`` changes nothing. ``pin_given``: the
        reviewer PIN was given for this decision and opened the PIN in force (checked by
        ``settings.pin.check`` before this transaction)."""
        desk = self._desk
        with desk.store.transaction() as conn:
            photo = desk.require(conn, photo_hash)
            stored = decisions.snapshot_of(photo)
            # Concerns changed outside photoscreen: start from what it recorded.
            before = desk.judged(conn, photo_hash, stored)
            wanted = mutate(conn, before, photo)
            changed = {k: v for k, v in wanted.items() if stored[k] != v or before[k] != v}
            if not changed:
                return
            self._check(stored, before, changed, pin_given=pin_given)
            self._write(conn, photo_hash, changed, action, details)
        old = {k: stored[k] for k in changed}
        self._keep(Change(photo_hash, action, description, old, changed))
        desk.notify(photo_hash)

    def restore(self, change: Change, fields: Snapshot, action: str) -> None:
        """Write ``fields`` of ``change`` back (an undo or redo: ``action``), if the person
        now using the app may: the same check as their direct decision (without a PIN,
        which undo and redo never carry)."""
        desk = self._desk
        with desk.store.transaction() as conn:
            photo = desk.require(conn, change.photo_hash)
            now = decisions.snapshot_of(photo)
            self._check(now, desk.judged(conn, change.photo_hash, now), fields)
            if "faces" in fields:
                # Faces that arrived since by a step not kept (the detector's first
                # results for a photo recorded without them) stay: undo is not a deletion.
                known = {f.id for f in (*change.before["faces"], *change.after["faces"])}
                arrived = tuple(f for f in photo.faces if f.id not in known)
                fields = {**fields, "faces": (*fields["faces"], *arrived)}
            self._write(conn, change.photo_hash, fields, action, {"of": change.action})

    def _write(
        self, conn: Any, photo_hash: str, fields: Snapshot, action: str, details: dict[str, Any]
    ) -> None:
        """Write the fields, clear an approval, and audit it (saying if one was cleared)."""
        decisions.apply(conn, photo_hash, fields)
        cleared = decisions.clear_approval(conn, photo_hash)
        details = {**details, "approval_cleared": cleared}
        audit.record(conn, self._desk.user, action, photo_hash, details)

    def _check(
        self, stored: Snapshot, judged: Snapshot, changed: Snapshot, *, pin_given: bool = False
    ) -> None:
        """The rules, against the stored concerns and (when a hand edit changed them) the
        recorded ones too: both must allow the change."""
        pin_hash, by = self._desk.settings.pin.hash, self._desk.who()
        for before in (stored, judged) if differs(stored, judged) else (stored,):
            check_change(before, changed, by, pin_hash=pin_hash, pin_given=pin_given)
