"""Every decision a person makes about a photo, with undo/redo: the Session's verbs.

Staff decisions (activity, unclothed, exclude, faces, faces checked, questions to the
manager) all go through :meth:`DecisionMethods._change`: one transaction that checks the
change against the rules that protect other people's concerns
(:func:`~photoscreen.core.session.decision_rules.check_change`), writes the changed fields, clears
an approval (it covered what the reviewer saw, not what the photo has become), appends
the audit entry, and then pushes an undo step and tells the listeners. An undo or redo
passes the same check (:meth:`DecisionMethods._restore`), as the person now using the app:
no path reaches a state their direct action would be refused. Reviewer verdicts go
through :meth:`DecisionMethods._verdict` and are not undoable.

Split from ``session.py`` to keep modules small;
:class:`~photoscreen.core.session.folder_session.Session` is the only class that uses this
mixin.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from photoscreen.core.basics import Box
from photoscreen.core.rules import (
    Activity,
    Concern,
    FaceRecord,
    FaceSource,
    FaceState,
    PhotoDecisions,
    RegionKind,
    ReviewRefused,
    Verdict,
    check_review,
)
from photoscreen.core.session.decision_rules import (
    DecisionError,
    Identity,
    asked,
    check_change,
    clearing_mark_refused,
    mark_needing_pin,
    marked,
    withdrawn,
)
from photoscreen.core.session.face_boxes import (
    box_details,
    faces_changed,
    find_face,
    fit_box,
    new_detections,
    replace_face,
)
from photoscreen.core.session.review_only import ReviewOnly, verdict_writes
from photoscreen.core.session.scan_records import DetectionLike
from photoscreen.core.session.undo import Change, UndoStack
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



__all__ = ["DecisionError", "DecisionMethods", "Listener"]


class DecisionMethods:
    """The decision verbs of a session; needs the attributes declared below."""

    _identity: Identity
    settings: CentreSettings
    records: RecordsGuard
    _store: Store
    _undo: UndoStack
    _listeners: list[Listener]
    review_only: ReviewOnly | None  # opened to review while another has the folder

    @property
    def user(self) -> str:
        """The name of the person using the app, recorded with every decision."""
        return self._identity.name

    @property
    def identity(self) -> Identity:
        """Who is using the app in this sitting (their name, and the sitting's token)."""
        return self._identity

    def activities(self) -> tuple[Activity, ...]:
        return self.settings.activity_list.current()

    def photo(self, photo_hash: str) -> PhotoDecisions | None:
        """Everything decided about this picture, fresh from the store."""
        with self._store.reading() as conn:
            return decisions.load(conn, photo_hash)

    def _notify(self, photo_hash: str | None) -> None:
        """Tell every listener that this photo (None: several, or settings) changed."""
        for listener in list(self._listeners):
            listener(photo_hash)

    # Staff decisions --------------------------------------------------------------------

    def set_activity(self, photo_hash: str, key: str | None) -> None:
        """Tag the photo's activity (a key from :meth:`activities`), or None to clear it."""
        if key is not None and key not in {a.key for a in self.activities()}:
            raise DecisionError(f"'{key}' is not one of the centre's activities.")
        self._change(
            photo_hash, "tag_activity", "Tag activity", {"activity": key}, _set(activity=key)
        )

    def set_unclothed(self, photo_hash: str, unclothed: bool, *, pin: str | None = None) -> None:
        """Mark (or unmark) the photo as showing someone unclothed or semi-clothed.

        The mark is a concern a person raised: whoever marked it may take it back in the
        same sitting; with a reviewer PIN set, anyone else (the same name in a later sitting
        too) needs ``pin`` (:class:`~photoscreen.core.rules.review.ReviewRefused` otherwise). See
        :mod:`~photoscreen.core.session.decision_rules`. The PIN is checked before the change's
        transaction (slowed down after wrong ones, and audited, so the record of a wrong
        one is not rolled back with the refused change); inside it,
        :func:`~photoscreen.core.session.decision_rules.check_change` still refuses the clearing
        if, without that PIN, a mark needing it has appeared meanwhile.
        """
        pin_given = False
        mark = None if unclothed else self._mark_needing_pin(photo_hash)
        if mark is not None:
            self.settings.pin.check(
                pin,
                purpose="clear an unclothed mark",
                missing=clearing_mark_refused(mark, self._identity),
            )
            pin_given = True

        def mutate(conn: Any, before: Snapshot, photo: PhotoDecisions) -> Snapshot:
            return {"unclothed": marked(before["unclothed"], self._identity) if unclothed else None}

        text = "Mark unclothed" if unclothed else "Unmark unclothed"
        details = {"unclothed": unclothed, "sitting": self._identity.sitting}
        self._change(photo_hash, "set_unclothed", text, details, mutate, pin_given=pin_given)

    def unclothed_mark_needing_pin(self, photo_hash: str) -> str | None:
        """Who marked this photo unclothed / semi-clothed, when clearing that would need
        the reviewer PIN (a PIN is set and the mark is not this sitting's); else None."""
        mark = self._mark_needing_pin(photo_hash)
        return None if mark is None else (mark.who or "Someone")

    def _mark_needing_pin(self, photo_hash: str) -> Concern | None:
        """The mark clearing would need the PIN for: the stored one, or the one photoscreen
        recorded when the stored mark was changed outside it."""
        with self._store.reading() as conn:
            photo = decisions.load(conn, photo_hash)
            if photo is None:
                return None
            stored = decisions.snapshot_of(photo)
            marks = (stored["unclothed"], self._judged(conn, photo_hash, stored)["unclothed"])
        pin_hash = self.settings.pin.hash
        return next(
            (m for m in marks if mark_needing_pin(m, self._identity, pin_hash) is not None), None
        )

    def clearing_unclothed_needs_pin(self, photo_hash: str) -> bool:
        """True when unmarking this photo unclothed would need the reviewer PIN."""
        return self.unclothed_mark_needing_pin(photo_hash) is not None

    def set_excluded(self, photo_hash: str, excluded: bool) -> None:
        """Keep the photo out of every export (or take it back in)."""
        text = "Exclude" if excluded else "Include"
        self._change(
            photo_hash, "set_excluded", text, {"excluded": excluded}, _set(excluded=excluded)
        )

    def set_faces_checked(self, photo_hash: str, checked: bool = True) -> None:
        """Confirm that a person has checked every face box (any face change clears it)."""

        def mutate(conn: Any, before: Snapshot, photo: PhotoDecisions) -> Snapshot:
            if checked and before["faces_checked"] is not None:
                return {}  # already checked: keep who checked and when
            return {"faces_checked": (self.user, audit.utc_now()) if checked else None}

        text = "Mark faces checked" if checked else "Unmark faces checked"
        self._change(photo_hash, "faces_checked", text, {"checked": checked}, mutate)

    def flag_for_review(self, photo_hash: str, note: str = "") -> None:
        """Ask the manager to review the photo before it may be exported.

        Each person's question is their own, with their note: asking again in the same
        sitting replaces one's note; asking about a photo others asked about adds one's own
        question beside theirs. Nobody who asked may approve it.
        """
        note = note.strip()

        def mutate(conn: Any, before: Snapshot, photo: PhotoDecisions) -> Snapshot:
            return {"questions": asked(before["questions"], self._identity, note)}

        details = {"note": note, "sitting": self._identity.sitting}
        self._change(photo_hash, "flag", "Flag for review", details, mutate)

    def unflag(self, photo_hash: str) -> None:
        """Take back one's own question to the manager, asked in this sitting; the photo
        waits on while anyone else's question stands (only the manager answers those)."""

        def mutate(conn: Any, before: Snapshot, photo: PhotoDecisions) -> Snapshot:
            return {"questions": withdrawn(before["questions"], self._identity)}

        self._change(photo_hash, "unflag", "Remove review flag", {}, mutate)

    # Faces ------------------------------------------------------------------------------

    def faces(self, photo_hash: str) -> tuple[FaceRecord, ...]:
        found = self.photo(photo_hash)
        return () if found is None else found.faces

    def add_face(self, photo_hash: str, box: Box) -> int:
        """Add a face drawn by hand (redacted by default); returns its id."""
        return self._add_region(photo_hash, box, RegionKind.FACE)

    def add_writing(self, photo_hash: str, box: Box) -> int:
        """Add a writing region drawn by hand (redacted, solid fill by default): a name
        or a number plate the detector missed. Returns its id (a face id: moved, removed
        and undone like a face)."""
        return self._add_region(photo_hash, box, RegionKind.TEXT)

    def _add_region(self, photo_hash: str, box: Box, kind: RegionKind) -> int:
        new_id: list[int] = []

        def mutate(conn: Any, before: Snapshot, photo: PhotoDecisions) -> Snapshot:
            face_id = decisions.next_face_id(conn)
            new_id.append(face_id)
            face = FaceRecord(
                face_id, fit_box(box, photo), FaceSource.HAND, FaceState.FACE, kind=kind
            )
            return faces_changed(before, (*before["faces"], face))

        action, text = ("add_writing", "Add writing") if kind is RegionKind.TEXT else (
            "add_face", "Add face")  # fmt: skip
        self._change(photo_hash, action, text, box_details(box), mutate)
        return new_id[0]

    def add_detections(
        self, photo_hash: str, detections: Sequence[DetectionLike], settings_key: str
    ) -> tuple[int, int]:
        """Add what a later detector run found that no known box covers; one undoable step.

        Face-band detections become faces (redacted by default); possible-band ones become
        possible faces a person must accept or dismiss. A detection of a face already
        boxed (:func:`~photoscreen.core.basics.same_face`: overlapping it enough, lying
        mostly inside it, or holding it) is skipped, and so is one where a dismissed box
        is (:data:`~photoscreen.core.basics.SAME_FACE_IOU` or more), so a dismissed box
        never comes back, while a face whose larger box merely holds a small dismissed one
        is still added. A new face clears "faces checked": the check did not cover it.
        Returns (faces added, possible faces added).
        """
        # Filled in by ``mutate`` before the audit entry is written.
        details: dict[str, Any] = {"detector": settings_key, "faces": 0, "possible": 0}

        def mutate(conn: Any, before: Snapshot, photo: PhotoDecisions) -> Snapshot:
            added = new_detections(
                before["faces"], detections, photo, decisions.next_face_id(conn)
            )
            details["faces"] = sum(1 for f in added if f.state is FaceState.FACE)
            details["possible"] = len(added) - details["faces"]
            if not added:
                return {}
            faces = (*before["faces"], *added)
            return faces_changed(before, faces) if details["faces"] else {"faces": faces}

        text = "Add faces found by looking harder"
        self._change(photo_hash, "add_detections", text, details, mutate)
        return details["faces"], details["possible"]

    def move_face(self, photo_hash: str, face_id: int, box: Box) -> None:
        """Move or resize a face box."""

        def edit(face: FaceRecord, photo: PhotoDecisions) -> FaceRecord:
            return replace_face(face, box=fit_box(box, photo))

        details = {"face": face_id, **box_details(box)}
        self._edit_face(photo_hash, face_id, "move_face", "Move face", details, edit)

    def remove_face(self, photo_hash: str, face_id: int) -> None:
        """Delete a face box (a false detection, or a box drawn by mistake)."""

        def mutate(conn: Any, before: Snapshot, photo: PhotoDecisions) -> Snapshot:
            find_face(before["faces"], face_id)
            kept = tuple(f for f in before["faces"] if f.id != face_id)
            return faces_changed(before, kept)

        self._change(photo_hash, "remove_face", "Remove face", {"face": face_id}, mutate)

    def accept_face(self, photo_hash: str, face_id: int) -> None:
        """A possible face is a face: it will be redacted."""
        self._set_face_state(photo_hash, face_id, FaceState.POSSIBLE_ACCEPTED, "Accept face")

    def dismiss_face(self, photo_hash: str, face_id: int) -> None:
        """A detected box is not a face: it will not be redacted."""
        self._set_face_state(photo_hash, face_id, FaceState.DISMISSED, "Dismiss face")

    def set_consent(self, photo_hash: str, face_id: int, on_file: bool) -> None:
        """Blur a shown face again (``on_file`` False; its person stays linked). A face is
        shown only with a person: :meth:`~photoscreen.core.session.links.LinkMethods.show_face`."""

        def edit(face: FaceRecord, photo: PhotoDecisions) -> FaceRecord:
            if on_file and face.is_text:
                raise DecisionError("Writing has no consent: accept it (redacted) or dismiss it.")
            if on_file and not face.state.is_face:
                raise DecisionError("Only a face can have consent on file; accept it first.")
            if on_file:  # only show_face shows a face: with a person, consent checked
                raise DecisionError(NEEDS_PERSON)
            if face.consent_by is None:
                return face  # not shown: no change
            return replace_face(face, consent_by=None, consent_at=None)

        text = "Mark consent on file" if on_file else "Remove consent"
        details = {"face": face_id, "on_file": on_file}
        self._edit_face(photo_hash, face_id, "set_consent", text, details, edit)

    def _set_face_state(self, photo_hash: str, face_id: int, state: FaceState, text: str) -> None:
        def edit(face: FaceRecord, photo: PhotoDecisions) -> FaceRecord:
            if face.source is FaceSource.HAND and state is FaceState.DISMISSED:
                what = "Writing marked" if face.is_text else "A face drawn"
                raise DecisionError(f"{what} by hand can be removed, not dismissed.")
            if face.state is state or (state.is_face and face.state.is_face):
                return face  # accepting a face, or dismissing a dismissed box: no change
            # A new state is a new judgement of the box: whose face it is starts again.
            return replace_face(
                face, state=state, consent_by=None, consent_at=None, person_id=None
            )

        details = {"face": face_id, "state": state.value}
        self._edit_face(photo_hash, face_id, "set_face_state", text, details, edit)

    def _edit_face(
        self,
        photo_hash: str,
        face_id: int,
        action: str,
        text: str,
        details: dict[str, Any],
        edit: Callable[[FaceRecord, PhotoDecisions], FaceRecord],
    ) -> None:
        def mutate(conn: Any, before: Snapshot, photo: PhotoDecisions) -> Snapshot:
            target = find_face(before["faces"], face_id)
            changed = edit(target, photo)
            if changed == target:
                return {}
            faces = tuple(changed if f.id == face_id else f for f in before["faces"])
            return faces_changed(before, faces)

        self._change(photo_hash, action, text, details, mutate)

    # Review -----------------------------------------------------------------------------

    def approve(
        self,
        photo_hash: str,
        reviewer: str,
        *,
        note: str = "",
        pin: str | None = None,
        seen: PhotoDecisions | None = None,
    ) -> None:
        """The reviewer lets the photo out (if nothing else blocks it). Not undoable.

        ``seen``: the photo's decisions as the reviewer was shown them; when staff have
        changed them since (in another photoscreen, say), the verdict is refused
        (``ReviewRefused``): an approval covers what the reviewer saw."""
        self._verdict(photo_hash, Verdict.APPROVED, reviewer, note, pin, seen)

    def reject(
        self,
        photo_hash: str,
        reviewer: str,
        *,
        note: str = "",
        pin: str | None = None,
        seen: PhotoDecisions | None = None,
    ) -> None:
        """The reviewer keeps the photo out; only a later approval lets it out."""
        self._verdict(photo_hash, Verdict.REJECTED, reviewer, note, pin, seen)

    def check_reviewer(self, photo_hash: str, reviewer: str, verdict: Verdict) -> str:
        """The reviewer's tidied name, or :class:`~photoscreen.core.rules.review.ReviewRefused`
        when ``reviewer`` may not give ``verdict`` (no name; approving a photo they asked
        about). Checks no PIN: the window asks this before it asks for the PIN, and a
        verdict asks it again before checking the PIN, so a refused reviewer never spends
        a PIN try (nor waits for one)."""
        with self._store.reading() as conn:
            return self._reviewer_allowed(conn, photo_hash, reviewer, verdict)

    def _reviewer_allowed(self, conn: Any, photo_hash: str, reviewer: str, verdict: Verdict) -> str:
        photo = self._require(conn, photo_hash)
        recorded = self._judged(conn, photo_hash, decisions.snapshot_of(photo))["questions"]
        return check_review(
            reviewer=reviewer,
            asked_by=(*photo.askers, *(q.who for q in recorded)),
            approving=verdict is Verdict.APPROVED,
        )

    def _verdict(
        self,
        photo_hash: str,
        verdict: Verdict,
        reviewer: str,
        note: str,
        pin: str | None,
        seen: PhotoDecisions | None,
    ) -> None:
        self.check_reviewer(photo_hash, reviewer, verdict)
        with verdict_writes(self.review_only):  # a reviewer's writes: the PIN count, this
            self.settings.pin.check(
                pin,
                purpose="approve" if verdict is Verdict.APPROVED else "reject",
                missing="Enter the reviewer PIN to approve or reject a photo.",
            )
            with self._store.transaction() as conn:
                # Again inside the write: someone may have asked about it since.
                name = self._reviewer_allowed(conn, photo_hash, reviewer, verdict)
                _check_seen(self._require(conn, photo_hash), seen)
                at = audit.utc_now()
                decisions.set_verdict(conn, photo_hash, verdict, name, note.strip(), at)
                details = {"reviewer": name, "note": note.strip()}
                audit.record(conn, self.user, verdict.value, photo_hash, details)
        self._notify(photo_hash)

    # Undo / redo ------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return self._undo.can_undo

    @property
    def can_redo(self) -> bool:
        return self._undo.can_redo

    def undo_description(self) -> str | None:
        """What :meth:`undo` would undo ("Tag activity"), or None."""
        return self._undo.next_undo()

    def redo_description(self) -> str | None:
        return self._undo.next_redo()

    def undo(self) -> str | None:
        """Undo the latest decision still done; returns the photo's hash, or None if none."""
        change = self._undo.take_undo()
        if change is None:
            return None
        try:
            self._restore(change, change.before, "undo")
        except BaseException:
            self._undo.put_back_undo(change)
            raise
        self._undo.undone(change)
        self._notify(change.photo_hash)
        return change.photo_hash

    def redo(self) -> str | None:
        """Redo the latest undone decision; returns the photo's hash, or None if none."""
        change = self._undo.take_redo()
        if change is None:
            return None
        try:
            self._restore(change, change.after, "redo")
        except BaseException:
            self._undo.put_back_redo(change)
            raise
        self._undo.redone(change)
        self._notify(change.photo_hash)
        return change.photo_hash

    def _restore(self, change: Change, fields: Snapshot, action: str) -> None:
        """Write ``fields`` back, if the person now using the app may: the same check as
        their direct decision (without a PIN, which undo and redo never carry)."""
        with self._store.transaction() as conn:
            photo = self._require(conn, change.photo_hash)
            now = decisions.snapshot_of(photo)
            self._check_change(now, self._judged(conn, change.photo_hash, now), fields)
            if "faces" in fields:
                # Faces that arrived since by a step not on the stack (the detector's first
                # results for a photo recorded without them) stay: undo is not a deletion.
                known = {f.id for f in (*change.before["faces"], *change.after["faces"])}
                arrived = tuple(f for f in photo.faces if f.id not in known)
                fields = {**fields, "faces": (*fields["faces"], *arrived)}
            decisions.apply(conn, change.photo_hash, fields)
            cleared = decisions.clear_approval(conn, change.photo_hash)
            details = {"of": change.action, "approval_cleared": cleared}
            audit.record(conn, self.user, action, change.photo_hash, details)

    # The one path every staff decision takes ---------------------------------------------

    def _change(
        self,
        photo_hash: str,
        action: str,
        description: str,
        details: dict[str, Any],
        mutate: Callable[[Any, Snapshot, PhotoDecisions], Snapshot],
        *,
        pin_given: bool = False,
    ) -> None:
        """Apply one staff decision in one transaction, with its audit entry and undo step;
        ``pin_given``: the reviewer PIN was given for this decision and opened the PIN in
        force (checked by ``settings.pin.check`` before this transaction)."""
        with self._store.transaction() as conn:
            photo = self._require(conn, photo_hash)
            stored = decisions.snapshot_of(photo)
            # Concerns changed outside photoscreen: start from what it recorded.
            before = self._judged(conn, photo_hash, stored)
            wanted = mutate(conn, before, photo)
            changed = {k: v for k, v in wanted.items() if stored[k] != v or before[k] != v}
            if not changed:
                return
            self._check_change(stored, before, changed, pin_given=pin_given)
            decisions.apply(conn, photo_hash, changed)
            cleared = decisions.clear_approval(conn, photo_hash)
            audit.record(
                conn, self.user, action, photo_hash, {**details, "approval_cleared": cleared}
            )
        old = {k: stored[k] for k in changed}
        self._undo.push(Change(photo_hash, action, description, old, changed))
        self._notify(photo_hash)

    def _judged(self, conn: Any, photo_hash: str, stored: Snapshot) -> Snapshot:
        """``stored`` with the unclothed mark and questions the chained trail recorded."""
        return judged_before(stored, self.records.recorded_parts(conn, photo_hash))

    def _check_change(
        self, stored: Snapshot, judged: Snapshot, changed: Snapshot, *, pin_given: bool = False
    ) -> None:
        """The rules, against the stored concerns and (when a hand edit changed them) the
        recorded ones too: both must allow the change."""
        pin_hash = self.settings.pin.hash
        for before in (stored, judged) if differs(stored, judged) else (stored,):
            check_change(before, changed, self._identity, pin_hash=pin_hash, pin_given=pin_given)

    def _require(self, conn: Any, photo_hash: str) -> PhotoDecisions:
        photo = decisions.load(conn, photo_hash)
        if photo is None:
            raise DecisionError("This photo has not been read yet.")
        return photo


NEEDS_PERSON = (
    "A face is shown only for a person in the consent register: choose whose face it is "
    "(Shift+C) first."
)


def _check_seen(now: PhotoDecisions, seen: PhotoDecisions | None) -> None:
    """Refuse a verdict on a photo whose staff decisions changed since they were shown."""
    if seen is not None and decisions.snapshot_of(now) != decisions.snapshot_of(seen):
        raise ReviewRefused(
            "This photo was changed after it was shown to you (by staff in the photoscreen "
            "that has the folder open, or by faces found meanwhile). Look at it again as it "
            "is now, then approve or reject it."
        )


def _set(**fields: Any) -> Callable[[Any, Snapshot, PhotoDecisions], Snapshot]:
    """A mutation that sets plain staff fields."""
    return lambda conn, before, photo: dict(fields)
