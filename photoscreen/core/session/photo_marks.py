"""Staff decisions about a photo as a whole: its activity, an unclothed mark, keeping it
out of export, "faces checked", and questions to the manager.

Each verb says what it wants changed and goes through the one path
(:meth:`~photoscreen.core.session.changes.StaffChanges.make`): checked, saved with its
audit entry, undoable. Whose mark or question may be taken back by whom is
:mod:`~photoscreen.core.session.decision_rules`.
"""

from __future__ import annotations

from typing import Any

from photoscreen.core.rules import Concern, PhotoDecisions
from photoscreen.core.session.changes import Desk, Mutate, StaffChanges
from photoscreen.core.session.decision_rules import (
    DecisionError,
    asked,
    clearing_mark_refused,
    mark_needing_pin,
    marked,
    withdrawn,
)
from photoscreen.core.storage import Snapshot, decisions
from photoscreen.core.trail import audit


class PhotoMarks:
    """The photo-level staff verbs of a session (see the module)."""

    def __init__(self, desk: Desk, changes: StaffChanges) -> None:
        self._desk = desk
        self._changes = changes

    def set_activity(self, photo_hash: str, key: str | None) -> None:
        """Tag the photo's activity (a key of the centre's activities), or None to clear it."""
        activities = self._desk.settings.activity_list.current()
        if key is not None and key not in {a.key for a in activities}:
            raise DecisionError(f"'{key}' is not one of the centre's activities.")
        self._changes.make(
            photo_hash, "tag_activity", "Tag activity", {"activity": key}, _set(activity=key)
        )

    def set_unclothed(self, photo_hash: str, unclothed: bool, *, pin: str | None = None) -> None:
        """Mark (or unmark) the photo as showing someone unclothed or semi-clothed.

        The mark is a concern a person raised: whoever marked it may take it back in the
        same sitting; with a reviewer PIN set, anyone else (the same name in a later sitting
        too) needs ``pin`` (:class:`~photoscreen.core.rules.review.ReviewRefused` otherwise).
        The PIN is checked before the change's transaction (slowed down after wrong ones,
        and audited, so the record of a wrong one is not rolled back with the refused
        change); inside it, :func:`~photoscreen.core.session.decision_rules.check_change`
        still refuses the clearing if, without that PIN, a mark needing it has appeared
        meanwhile.
        """
        pin_given = False
        mark = None if unclothed else self._mark_needing_pin(photo_hash)
        if mark is not None:
            self._desk.settings.pin.check(
                pin,
                purpose="clear an unclothed mark",
                missing=clearing_mark_refused(mark, self._desk.who()),
            )
            pin_given = True
        identity = self._desk.who()

        def mutate(conn: Any, before: Snapshot, photo: PhotoDecisions) -> Snapshot:
            return {"unclothed": marked(before["unclothed"], identity) if unclothed else None}

        text = "Mark unclothed" if unclothed else "Unmark unclothed"
        details = {"unclothed": unclothed, "sitting": identity.sitting}
        self._changes.make(photo_hash, "set_unclothed", text, details, mutate, pin_given=pin_given)

    def unclothed_mark_needing_pin(self, photo_hash: str) -> str | None:
        """Who marked this photo unclothed / semi-clothed, when clearing that would need
        the reviewer PIN (a PIN is set and the mark is not this sitting's); else None."""
        mark = self._mark_needing_pin(photo_hash)
        return None if mark is None else (mark.who or "Someone")

    def _mark_needing_pin(self, photo_hash: str) -> Concern | None:
        """The mark clearing would need the PIN for: the stored one, or the one photoscreen
        recorded when the stored mark was changed outside it."""
        desk = self._desk
        with desk.store.reading() as conn:
            photo = decisions.load(conn, photo_hash)
            if photo is None:
                return None
            stored = decisions.snapshot_of(photo)
            marks = (stored["unclothed"], desk.judged(conn, photo_hash, stored)["unclothed"])
        pin_hash, by = desk.settings.pin.hash, desk.who()
        return next((m for m in marks if mark_needing_pin(m, by, pin_hash) is not None), None)

    def set_excluded(self, photo_hash: str, excluded: bool) -> None:
        """Keep the photo out of every export (or take it back in)."""
        text = "Exclude" if excluded else "Include"
        self._changes.make(
            photo_hash, "set_excluded", text, {"excluded": excluded}, _set(excluded=excluded)
        )

    def set_faces_checked(self, photo_hash: str, checked: bool = True) -> None:
        """Confirm that a person has checked every face box (any face change clears it)."""
        user = self._desk.user

        def mutate(conn: Any, before: Snapshot, photo: PhotoDecisions) -> Snapshot:
            if checked and before["faces_checked"] is not None:
                return {}  # already checked: keep who checked and when
            return {"faces_checked": (user, audit.utc_now()) if checked else None}

        text = "Mark faces checked" if checked else "Unmark faces checked"
        self._changes.make(photo_hash, "faces_checked", text, {"checked": checked}, mutate)

    def flag_for_review(self, photo_hash: str, note: str = "") -> None:
        """Ask the manager to review the photo before it may be exported.

        Each person's question is their own, with their note: asking again in the same
        sitting replaces one's note; asking about a photo others asked about adds one's own
        question beside theirs. Nobody who asked may approve it.
        """
        note, identity = note.strip(), self._desk.who()

        def mutate(conn: Any, before: Snapshot, photo: PhotoDecisions) -> Snapshot:
            return {"questions": asked(before["questions"], identity, note)}

        details = {"note": note, "sitting": identity.sitting}
        self._changes.make(photo_hash, "flag", "Flag for review", details, mutate)

    def unflag(self, photo_hash: str) -> None:
        """Take back one's own question to the manager, asked in this sitting; the photo
        waits on while anyone else's question stands (only the manager answers those)."""
        identity = self._desk.who()

        def mutate(conn: Any, before: Snapshot, photo: PhotoDecisions) -> Snapshot:
            return {"questions": withdrawn(before["questions"], identity)}

        self._changes.make(photo_hash, "unflag", "Remove review flag", {}, mutate)


def _set(**fields: Any) -> Mutate:
    """A mutation that sets plain staff fields."""
    return lambda conn, before, photo: dict(fields)
