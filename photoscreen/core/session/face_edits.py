"""Face boxes and writing regions as people decide them: drawn, found by a later detector
run, moved, removed, accepted, dismissed, blurred again.

:class:`FaceEdits` is the session's part for these verbs; each goes through the one path
(:meth:`~photoscreen.core.session.changes.StaffChanges.make`): checked, saved with its
audit entry, undoable. A change of faces clears "faces checked" (the check covered the old
faces only). The functions below it are the pure rules: a box fitted to its photo,
detections that are new, a face found by its id. Linking a face to a person (and showing
it) is :mod:`~photoscreen.core.session.links`, which edits a face through
:meth:`FaceEdits.edit`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from photoscreen.core.basics import SAME_FACE_IOU, Box, same_face
from photoscreen.core.rules import FaceRecord, FaceSource, FaceState, PhotoDecisions, RegionKind
from photoscreen.core.session.changes import StaffChanges
from photoscreen.core.session.decision_rules import DecisionError
from photoscreen.core.session.scan_records import DetectionLike, state_for_band
from photoscreen.core.storage import Snapshot, decisions

Edit = Callable[[FaceRecord, PhotoDecisions], FaceRecord]
"""Given a face and its photo, the face as it should be (the same face: no change)."""

NEEDS_PERSON = (
    "A face is shown only for a person in the consent register: choose whose face it is "
    "(Shift+C) first."
)


class FaceEdits:
    """The face and writing verbs of a session; ``changes``: the one path they take."""

    def __init__(self, changes: StaffChanges) -> None:
        self._changes = changes

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
            return faces_changed((*before["faces"], face))

        action, text = ("add_writing", "Add writing") if kind is RegionKind.TEXT else (
            "add_face", "Add face")  # fmt: skip
        self._changes.make(photo_hash, action, text, box_details(box), mutate)
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
            return faces_changed(faces) if details["faces"] else {"faces": faces}

        text = "Add faces found by looking harder"
        self._changes.make(photo_hash, "add_detections", text, details, mutate)
        return details["faces"], details["possible"]

    def move_face(self, photo_hash: str, face_id: int, box: Box) -> None:
        """Move or resize a face box."""

        def edit(face: FaceRecord, photo: PhotoDecisions) -> FaceRecord:
            return replace(face, box=fit_box(box, photo))

        details = {"face": face_id, **box_details(box)}
        self.edit(photo_hash, face_id, "move_face", "Move face", details, edit)

    def remove_face(self, photo_hash: str, face_id: int) -> None:
        """Delete a face box (a false detection, or a box drawn by mistake)."""

        def mutate(conn: Any, before: Snapshot, photo: PhotoDecisions) -> Snapshot:
            find_face(before["faces"], face_id)
            return faces_changed(tuple(f for f in before["faces"] if f.id != face_id))

        self._changes.make(photo_hash, "remove_face", "Remove face", {"face": face_id}, mutate)

    def accept_face(self, photo_hash: str, face_id: int) -> None:
        """A possible face is a face: it will be redacted."""
        self._set_state(photo_hash, face_id, FaceState.POSSIBLE_ACCEPTED, "Accept face")

    def dismiss_face(self, photo_hash: str, face_id: int) -> None:
        """A detected box is not a face: it will not be redacted."""
        self._set_state(photo_hash, face_id, FaceState.DISMISSED, "Dismiss face")

    def set_consent(self, photo_hash: str, face_id: int, on_file: bool) -> None:
        """Blur a shown face again (``on_file`` False; its person stays linked). A face is
        shown only with a person: :meth:`~photoscreen.core.session.links.PeopleLinks.show_face`."""

        def edit(face: FaceRecord, photo: PhotoDecisions) -> FaceRecord:
            if on_file and face.is_text:
                raise DecisionError("Writing has no consent: accept it (redacted) or dismiss it.")
            if on_file and not face.state.is_face:
                raise DecisionError("Only a face can have consent on file; accept it first.")
            if on_file:  # only show_face shows a face: with a person, consent checked
                raise DecisionError(NEEDS_PERSON)
            if face.consent_by is None:
                return face  # not shown: no change
            return replace(face, consent_by=None, consent_at=None)

        text = "Mark consent on file" if on_file else "Remove consent"
        details = {"face": face_id, "on_file": on_file}
        self.edit(photo_hash, face_id, "set_consent", text, details, edit)

    def _set_state(self, photo_hash: str, face_id: int, state: FaceState, text: str) -> None:
        def edit(face: FaceRecord, photo: PhotoDecisions) -> FaceRecord:
            if face.source is FaceSource.HAND and state is FaceState.DISMISSED:
                what = "Writing marked" if face.is_text else "A face drawn"
                raise DecisionError(f"{what} by hand can be removed, not dismissed.")
            if face.state is state or (state.is_face and face.state.is_face):
                return face  # accepting a face, or dismissing a dismissed box: no change
            # A new state is a new judgement of the box: whose face it is starts again.
            return replace(face, state=state, consent_by=None, consent_at=None, person_id=None)

        details = {"face": face_id, "state": state.value}
        self.edit(photo_hash, face_id, "set_face_state", text, details, edit)

    def edit(
        self,
        photo_hash: str,
        face_id: int,
        action: str,
        text: str,
        details: dict[str, Any],
        edit: Edit,
    ) -> None:
        """Change one face by ``edit`` as one staff decision (``action``, audited with
        ``details``; ``text`` names the undo step); :class:`DecisionError` when the face
        is gone. An edit that returns the face unchanged writes nothing."""

        def mutate(conn: Any, before: Snapshot, photo: PhotoDecisions) -> Snapshot:
            target = find_face(before["faces"], face_id)
            changed = edit(target, photo)
            if changed == target:
                return {}
            return faces_changed(tuple(changed if f.id == face_id else f for f in before["faces"]))

        self._changes.make(photo_hash, action, text, details, mutate)


def faces_changed(faces: tuple[FaceRecord, ...]) -> Snapshot:
    """A face change; it clears "faces checked", which covered the old faces only."""
    return {"faces": faces, "faces_checked": None}


def new_detections(
    faces: tuple[FaceRecord, ...],
    detections: Sequence[DetectionLike],
    photo: PhotoDecisions,
    first_id: int,
) -> list[FaceRecord]:
    """The detections no known box (nor an earlier one of these) covers, as new faces."""
    known = [face.box for face in faces if face.state is not FaceState.DISMISSED]
    dismissed = [face.box for face in faces if face.state is FaceState.DISMISSED]
    added: list[FaceRecord] = []
    for found in detections:
        try:
            box = fit_box(found.box, photo)
        except DecisionError:
            continue  # nothing of it inside the photo
        if any(same_face(box, other) for other in known) or any(
            box.iou(other) >= SAME_FACE_IOU for other in dismissed
        ):
            continue
        state = state_for_band(found.band)
        face_id = first_id + len(added)
        added.append(FaceRecord(face_id, box, FaceSource.DETECTOR, state, score=float(found.score)))
        known.append(box)
    return added


def find_face(faces: tuple[FaceRecord, ...], face_id: int) -> FaceRecord:
    """The face ``face_id`` of ``faces``; :class:`DecisionError` when it is gone."""
    for face in faces:
        if face.id == face_id:
            return face
    raise DecisionError("That face box is no longer on this photo.")


def fit_box(box: Box, photo: PhotoDecisions) -> Box:
    """The box, checked and clipped to the photo; refuses an empty or invalid one."""
    values = (box.x, box.y, box.w, box.h)
    if not all(math.isfinite(v) for v in values) or box.w <= 0 or box.h <= 0:
        raise DecisionError("A face box needs a width and a height.")
    if photo.width and photo.height:
        box = box.clipped(photo.width, photo.height)
        if box.w <= 0 or box.h <= 0:
            raise DecisionError("That face box is outside the photo.")
    return box


def box_details(box: Box) -> dict[str, Any]:
    """A box as the audit trail records it."""
    return {"box": [round(v, 1) for v in (box.x, box.y, box.w, box.h)]}
