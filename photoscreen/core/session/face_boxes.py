"""Face boxes as decisions see them: a box fitted to its photo, detections that are new,
a face found by its id, and how a change of faces is recorded.

Pure functions used by the session's decision verbs
(:mod:`photoscreen.core.session.decision_verbs`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from photoscreen.core.basics import SAME_FACE_IOU, Box, same_face
from photoscreen.core.rules import FaceRecord, FaceSource, FaceState, PhotoDecisions
from photoscreen.core.session.decision_rules import DecisionError
from photoscreen.core.session.scan_records import DetectionLike, state_for_band
from photoscreen.core.storage import Snapshot


def faces_changed(before: Snapshot, faces: tuple[FaceRecord, ...]) -> Snapshot:
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


def replace_face(face: FaceRecord, **changes: Any) -> FaceRecord:
    """``face`` with ``changes``."""
    return replace(face, **changes)


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
