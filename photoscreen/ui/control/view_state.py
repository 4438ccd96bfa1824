"""What each part of the window shows about a photo, computed from the core's records.

The small value types the controller publishes and the widgets take (:class:`PanelState`,
:class:`QueueItem`, :class:`ReviewState`, :class:`FaceOverlay`), defined here, below the
widgets, and pure functions from the core's :class:`PhotoDecisions` and
:class:`PhotoStatus` to them, so the rules for "what to show" have unit tests and the
widgets stay dumb.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from photoscreen.core.basics import Box
from photoscreen.core.rules import (
    Activity,
    Concern,
    FaceRecord,
    FaceState,
    PhotoDecisions,
    PhotoState,
    PhotoStatus,
    Verdict,
)
from photoscreen.core.storage import ExportRecord
from photoscreen.ui.grid import FaceCount, FileProblem, file_problem


@dataclass(frozen=True)
class PanelState:
    """Everything the panel shows about the photo on screen."""

    name: str
    status: PhotoStatus
    activity: str | None = None
    unclothed: bool = False
    excluded: bool = False
    questions: tuple[Concern, ...] = ()  # every question to the manager, with its note
    faces_to_hide: int = 0
    faces_with_consent: int = 0
    possible_faces: int = 0
    writing_pending: int = 0  # "writing?" regions to cover or leave
    writing_covered: int = 0  # writing that will be covered
    faces_checked_by: str | None = None
    verdict: str = ""  # "Approved by Morgan on 4 Dec 2026 at 10:42: “fine”", or ""
    faces_looked_for: bool = True  # False until the photo is read and its faces detected
    hidden_data: Sequence[str] | None = None  # None while the file is still being read
    problem: FileProblem | None = None  # why the file cannot be used at all

    @property
    def decidable(self) -> bool:
        """Decisions need a photo that was read."""
        return self.status.state not in (PhotoState.NOT_SCANNED, PhotoState.UNREADABLE)


@dataclass(frozen=True)
class QueueItem:
    """One flagged photo waiting for the manager, with every question asked about it."""

    photo_id: str
    name: str
    questions: tuple[Concern, ...]

    @property
    def text(self) -> str:
        """The queue's line: "a.jpg (from Alice, Bob): “logo?” “not on the list”"."""
        askers = ", ".join(q.who or "Someone" for q in self.questions)
        notes = " ".join(f"“{q.note}”" for q in self.questions if q.note)
        return f"{self.name} (from {askers})" + (f": {notes}" if notes else "")


@dataclass(frozen=True)
class ReviewState:
    """The photo on screen as the reviewer needs to see it."""

    photo_id: str
    name: str
    questions: tuple[Concern, ...]
    reasons: Sequence[str]
    faces_summary: str
    activity: str = ""  # the activity's label, "" when none is tagged


KIND_WRITING = "writing"  # waiting: a person covers it or leaves it
KIND_WRITING_COVERED = "writing_covered"  # accepted or drawn: covered at export


@dataclass(frozen=True)
class FaceOverlay:
    """One face box as the view shows it.

    ``kind`` is ``"face"`` (will be redacted), ``"possible"`` (the detector was unsure: a
    person accepts or dismisses it), ``"consent"`` (shown: not redacted), or for writing
    that could name someone :data:`KIND_WRITING` (waiting: covered or left by a person)
    and :data:`KIND_WRITING_COVERED` (covered at export).
    ``box`` is in the upright photo's full-resolution pixels. ``label``, when given, is the
    caption shown on the box instead of the kind's own ("Face: will be blurred"...).
    """

    id: str
    box: Box
    kind: str
    label: str = ""


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
        verdict=verdict_line(decisions),
        hidden_data=hidden_data,
    )


def verdict_line(decisions: PhotoDecisions) -> str:
    """What staff see of the manager's answer: "Approved by Morgan on 4 Dec 2026 at 10:42:
    “fine to post”" (the time in this PC's time zone); "" when there is none."""
    if decisions.verdict is None:
        return ""
    done = "Approved" if decisions.verdict is Verdict.APPROVED else "Rejected"
    when = f" on {local_time(decisions.reviewed_at)}" if decisions.reviewed_at else ""
    note = f": “{decisions.review_note}”" if decisions.review_note else ""
    return f"{done} by {decisions.reviewer or 'the manager'}{when}{note}"


def local_time(iso: str) -> str:
    """A stored UTC time as "4 Dec 2026 at 10:42" in this PC's time zone."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return iso
    return f"{moment.day} {moment:%b %Y} at {moment:%H:%M}"


def face_count(decisions: PhotoDecisions | None) -> FaceCount | None:
    """Faces the grid reports, counted as the side panel counts them (see
    :func:`panel_state`): faces, and apart from them possible faces still to decide.

    None (no count shown) for a file never read or that could not be read.
    """
    if decisions is None or decisions.unreadable_reason is not None:
        return None
    faces = sum(1 for f in decisions.faces if f.state.is_face and not f.is_text)
    return FaceCount(faces, decisions.pending_faces)


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
        kind = KIND_WRITING if pending else KIND_WRITING_COVERED
        return FaceOverlay(str(face.id), face.box, kind)
    if face.state is FaceState.POSSIBLE_PENDING:
        return FaceOverlay(str(face.id), face.box, "possible", "Possible face?")
    if not face.redacted:
        label = f"Shown: consent on the register (confirmed by {face.consent_by})"
        return FaceOverlay(str(face.id), face.box, "consent", label)
    return FaceOverlay(str(face.id), face.box, "face", "")


def faces_summary(decisions: PhotoDecisions | None) -> str:
    """One line for the reviewer: "3 faces will be hidden, 1 shown with consent"."""
    if decisions is None:
        return ""
    hidden = len(decisions.faces_to_redact)
    shown = sum(1 for f in decisions.faces if f.state.is_face and not f.redacted)
    text = f"{hidden} face{'s' if hidden != 1 else ''} will be hidden"
    return text + (f", {shown} shown (consent on the register)" if shown else "")


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


def exported_mark(records: Sequence[ExportRecord], today: date | None = None) -> tuple[str, str]:
    """The grid's mark for a picture exported before, from its latest export, and the
    tooltip's sentence: ("Exported 3 May", "Exported on 3 May 2026 as story-time-004.jpg
    into upload"); the year shows when it is not this year; ("", "") if never exported."""
    if not records:
        return "", ""
    last = records[-1]
    try:
        when = datetime.fromisoformat(last.at).astimezone().date()  # the PC's own day
    except ValueError:
        return "Exported", f"Exported as {last.name}"
    day = f"{when.day} {when:%b}"
    if when.year != (today or date.today()).year:
        day += f" {when.year}"
    folder = last.destination.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    detail = f"Exported on {when.day} {when:%B %Y} as {last.name} into {folder}"
    if len(records) > 1:
        detail += f" ({len(records)} exports in all)"
    return f"Exported {day}", detail
