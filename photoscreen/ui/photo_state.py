"""What each part of the window shows about a photo, computed from the core's records.

Pure functions from the core's :class:`PhotoDecisions` and :class:`PhotoStatus` to the
small value types the widgets take, so the rules for "what to show" have unit tests and
the widgets stay dumb.
"""

from __future__ import annotations

from collections.abc import Sequence

from photoscreen.core.policy import Activity, FaceRecord, FaceState, PhotoDecisions, PhotoStatus
from photoscreen.ui.face_items import FaceOverlay
from photoscreen.ui.file_problems import file_problem
from photoscreen.ui.review_mode import QueueItem, ReviewState
from photoscreen.ui.side_panel import PanelState
from photoscreen.ui.writing_marks import KIND_WRITING, KIND_WRITING_COVERED


def panel_state(
    name: str,
    status: PhotoStatus,
    decisions: PhotoDecisions | None,
    hidden_data: Sequence[str] | None,
) -> PanelState:
    """The side panel's view of one photo."""
    problem = file_problem(status)
    if problem is not None:
        return PanelState(name, status, problem=problem)
    if decisions is None:
        return PanelState(name, status, hidden_data=hidden_data, faces_looked_for=False)
    faces = [f for f in decisions.faces if f.state.is_face and not f.is_text]
    return PanelState(
        name=name,
        status=status,
        activity=decisions.activity,
        unclothed=decisions.unclothed,
        excluded=decisions.excluded,
        questions=decisions.questions,
        faces_to_hide=sum(1 for f in faces if f.redacted),
        faces_with_consent=sum(1 for f in faces if not f.redacted),
        possible_faces=decisions.pending_faces,
        writing_pending=decisions.pending_writing,
        writing_covered=len(decisions.writing_to_redact),
        faces_checked_by=decisions.faces_checked_by,
        hidden_data=hidden_data,
    )


def face_count(decisions: PhotoDecisions | None) -> int | None:
    """Faces the grid reports: every box that is a face or still a possible face.

    None (no count shown) for a file never read or that could not be read.
    """
    if decisions is None or decisions.unreadable_reason is not None:
        return None
    return sum(
        1
        for f in decisions.faces
        if not f.is_text and (f.state.is_face or f.state is FaceState.POSSIBLE_PENDING)
    )


def writing_waiting(decisions: PhotoDecisions | None) -> int:
    """Writing regions the grid says wait for a person (none for a file not read)."""
    return 0 if decisions is None else decisions.pending_writing


def face_overlays(decisions: PhotoDecisions | None) -> list[FaceOverlay]:
    """The boxes the photo view draws; dismissed boxes are not faces and are not shown."""
    if decisions is None:
        return []
    return [_overlay(face) for face in decisions.faces if face.state is not FaceState.DISMISSED]


def _overlay(face: FaceRecord) -> FaceOverlay:
    if face.is_text:
        pending = face.state is FaceState.POSSIBLE_PENDING
        return FaceOverlay(
            str(face.id), face.box, KIND_WRITING if pending else KIND_WRITING_COVERED
        )
    if face.state is FaceState.POSSIBLE_PENDING:
        return FaceOverlay(str(face.id), face.box, "possible", "Possible face?")
    if not face.redacted:
        return FaceOverlay(
            str(face.id), face.box, "consent", f"Consent on file ({face.consent_by})"
        )
    return FaceOverlay(str(face.id), face.box, "face", "")


def faces_summary(decisions: PhotoDecisions | None) -> str:
    """One line for the reviewer: "3 faces will be hidden, 1 shown with consent"."""
    if decisions is None:
        return ""
    hidden = len(decisions.faces_to_redact)
    shown = sum(1 for f in decisions.faces if f.state.is_face and not f.redacted)
    text = f"{hidden} face{'s' if hidden != 1 else ''} will be hidden"
    return text + (f", {shown} shown with consent on file" if shown else "")


def review_state(
    photo_id: str,
    name: str,
    status: PhotoStatus,
    decisions: PhotoDecisions | None,
    activities: Sequence[Activity] = (),
) -> ReviewState:
    """The review panel's view of one photo, with its activity in the centre's words."""
    key = None if decisions is None else decisions.activity
    labels = {a.key: a.label for a in activities}
    return ReviewState(
        photo_id=photo_id,
        name=name,
        questions=() if decisions is None else decisions.questions,
        reasons=status.reasons,
        faces_summary=faces_summary(decisions),
        activity=labels.get(key, key) if key else "",
    )


def queue_item(photo_id: str, name: str, decisions: PhotoDecisions) -> QueueItem:
    return QueueItem(photo_id, name, decisions.questions)
