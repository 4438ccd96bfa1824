"""The centre's policy: per-photo decisions and the one status function.

The activities it judges against are :mod:`photoscreen.core.rules.activities` (re-exported
here).

Everything that decides whether a photo may leave is here, as plain data and one pure
function, :func:`photo_status`. The session store, the export job, the command line and
the window all ask this function and nothing else, so the rules live in exactly one place
(README rule 1). The reasons it returns are shown to people word for word.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from photoscreen.core.basics import Box
from photoscreen.core.rules.activities import Activity as Activity
from photoscreen.core.rules.activities import activities_from_json as activities_from_json
from photoscreen.core.rules.activities import default_activities as default_activities
from photoscreen.core.rules.activities import policy_blocks as policy_blocks


class PhotoState(str, Enum):
    """The one badge a photo shows; the first of these that applies wins.

    A photo someone asked the manager about shows "waiting for the manager" even when
    staff have more to do on it, so the badges, the counts line, the filter and the
    manager's queue all count the same photos; the reasons still list everything.
    """

    NOT_SCANNED = "not_scanned"
    UNREADABLE = "unreadable"
    BLOCKED = "blocked"
    EXCLUDED = "excluded"
    REJECTED = "rejected"
    AWAITING_REVIEW = "awaiting_review"
    NEEDS_ACTIVITY = "needs_activity"
    CHECK_FACES = "check_faces"
    READY = "ready"

    @property
    def label(self) -> str:
        """Short words for one photo in a table or a tooltip ("needs an activity")."""
        return _STATE_LABELS[self][0]

    def counted(self, count: int) -> str:
        """How many photos are in this state: "1 needs an activity", "8 need an activity"."""
        one, many = _STATE_LABELS[self]
        return f"{count} {one if count == 1 else many}"


# (one photo, several photos). The window's badges, filters and panel use the same words
# where they have room: "not read yet" throughout, "waiting for the manager" everywhere
# but the badge ("For manager").
_STATE_LABELS = {
    PhotoState.NOT_SCANNED: ("not read yet", "not read yet"),
    PhotoState.UNREADABLE: ("unreadable", "unreadable"),
    PhotoState.BLOCKED: ("blocked", "blocked"),
    PhotoState.EXCLUDED: ("excluded", "excluded"),
    PhotoState.REJECTED: ("rejected", "rejected"),
    PhotoState.NEEDS_ACTIVITY: ("needs an activity", "need an activity"),
    PhotoState.CHECK_FACES: ("needs faces checked", "need faces checked"),
    PhotoState.AWAITING_REVIEW: ("waiting for the manager", "waiting for the manager"),
    PhotoState.READY: ("ready", "ready"),
}


class FaceSource(str, Enum):
    """Who put a face box on the photo."""

    DETECTOR = "detector"
    HAND = "hand"


class RegionKind(str, Enum):
    """What a region on the photo covers: a face, or writing that could name someone.

    Writing ("writing?" in the window) is located, never read: a region holds a box and
    what people decided, never the text. It is decided like a possible face (accept:
    redacted, solid fill by default; dismiss: left as it is); consent never applies to it.
    """

    FACE = "face"
    TEXT = "text"


class FaceState(str, Enum):
    """What a person has made of a face box.

    ``FACE`` and ``POSSIBLE_ACCEPTED`` are faces (redacted unless consent is on file);
    ``POSSIBLE_PENDING`` still needs a person to accept or dismiss it and blocks export;
    ``DISMISSED`` is not a face and is not redacted.
    """

    FACE = "face"
    POSSIBLE_ACCEPTED = "possible_accepted"
    POSSIBLE_PENDING = "possible_pending"
    DISMISSED = "dismissed"

    @property
    def is_face(self) -> bool:
        return self in (FaceState.FACE, FaceState.POSSIBLE_ACCEPTED)


class Verdict(str, Enum):
    """The reviewer's decision on a photo."""

    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class FaceRecord:
    """One face box on a photo and what people decided about it."""

    id: int
    box: Box
    source: FaceSource
    state: FaceState
    consent_by: str | None = None
    consent_at: str | None = None
    score: float | None = None
    # The consent register's id of the person this face was linked to (never a name).
    person_id: str | None = None
    kind: RegionKind = RegionKind.FACE

    @property
    def shown(self) -> bool:
        """True when staff chose to show this face: a face, linked to a person, whose
        consent was confirmed (export still checks that consent in the register).
        Writing is never shown."""
        return (
            self.kind is RegionKind.FACE
            and self.state.is_face
            and self.consent_by is not None
            and self.person_id is not None
        )

    @property
    def needs_linking(self) -> bool:
        """A "consent on file" mark made before the register: no person, so blurred."""
        return (
            self.kind is RegionKind.FACE
            and self.state.is_face
            and self.consent_by is not None
            and self.person_id is None
        )

    @property
    def redacted(self) -> bool:
        """True when export must hide this region: every face not shown, and writing a
        person accepted (or drew)."""
        return self.state.is_face and not self.shown

    @property
    def is_text(self) -> bool:
        return self.kind is RegionKind.TEXT


@dataclass(frozen=True)
class Concern:
    """A worry one person raised about a photo: an unclothed mark, or a question to the
    manager (with its note).

    ``sitting`` is the token of the sitting it was raised in (see
    :class:`~photoscreen.core.session.decision_rules.Identity`); None when that is not known (raised
    before photoscreen recorded it). ``who`` is "" when not even the name is known.
    """

    who: str
    at: str | None = None
    note: str = ""
    sitting: str | None = None


@dataclass(frozen=True)
class PhotoDecisions:
    """Everything decided about one photo (one content hash).

    ``unclothed_mark`` says who marked it unclothed / semi-clothed (set whenever
    ``unclothed`` is, by the store). ``questions`` are the questions to the manager, one
    per person who asked, oldest first: the photo waits for the manager while any stands.
    """

    photo_hash: str
    unreadable_reason: str | None = None
    activity: str | None = None
    unclothed: bool = False
    unclothed_mark: Concern | None = None
    excluded: bool = False
    faces: tuple[FaceRecord, ...] = ()
    faces_checked_by: str | None = None
    faces_checked_at: str | None = None
    questions: tuple[Concern, ...] = ()
    verdict: Verdict | None = None
    reviewer: str | None = None
    review_note: str = ""
    reviewed_at: str | None = None
    width: int | None = None
    height: int | None = None
    format: str | None = None
    scanned: bool = True
    # Why the records of this photo (or of the folder's settings) cannot be trusted: they
    # were changed outside photoscreen (see photoscreen.core.storage.records_check). Each holds
    # the photo back.
    records_changed: tuple[str, ...] = ()
    # Why the consent register holds it back now (a withdrawn consent, a never-publish
    # person linked...): photoscreen.core.consent.export_check, the check export makes.
    consent_held: tuple[str, ...] = ()

    @property
    def faces_to_redact(self) -> tuple[Box, ...]:
        """The face boxes export must redact: every face except those shown (linked to a
        person in the consent register, whose consent export checks again)."""
        return tuple(face.box for face in self.faces if face.redacted and not face.is_text)

    @property
    def writing_to_redact(self) -> tuple[Box, ...]:
        """The writing export must redact: every text region accepted or drawn."""
        return tuple(face.box for face in self.faces if face.redacted and face.is_text)

    @property
    def pending_faces(self) -> int:
        """Possible faces nobody has accepted or dismissed yet."""
        return sum(
            1 for f in self.faces if f.state is FaceState.POSSIBLE_PENDING and not f.is_text
        )

    @property
    def pending_writing(self) -> int:
        """Writing regions ("writing?") nobody has accepted or dismissed yet."""
        return sum(1 for f in self.faces if f.state is FaceState.POSSIBLE_PENDING and f.is_text)

    @property
    def flagged(self) -> bool:
        """True when someone asked the manager about the photo (answered or not)."""
        return bool(self.questions)

    @property
    def askers(self) -> tuple[str, ...]:
        """The names of everyone who asked the manager about the photo, first asker first."""
        return tuple(question.who for question in self.questions)


@dataclass(frozen=True)
class PhotoStatus:
    """A photo's badge and every reason it may not be exported (empty when ready)."""

    state: PhotoState
    reasons: tuple[str, ...] = field(default_factory=tuple)
    # Every state whose reason applies; ``state`` is the first of them, the one shown.
    applies: frozenset[PhotoState] = frozenset()

    @property
    def exportable(self) -> bool:
        return self.state is PhotoState.READY

    def has(self, state: PhotoState) -> bool:
        """True when ``state``'s reason applies, shown first or not (a photo waiting for
        the manager whose faces are not checked yet is both)."""
        return state is self.state or state in self.applies


NOT_SCANNED = PhotoStatus(PhotoState.NOT_SCANNED, ("Not read yet",))
CHANGED_SINCE_CHECKED = "The file changed since it was checked"
# A file whose content is not the picture that was checked: the decisions stay with the
# old content, and this content has none yet (README rule 2).
CHANGED_FILE = PhotoStatus(PhotoState.NOT_SCANNED, (CHANGED_SINCE_CHECKED,))


def photo_status(decisions: PhotoDecisions | None, activities: Iterable[Activity]) -> PhotoStatus:
    """Judge one photo against the policy.

    ``decisions`` is None for a photo never scanned. The photo is exportable only when no
    reason applies: activity tagged and not blocked, not marked unclothed, not excluded,
    faces checked by a person with no possible face undecided, and, when flagged for
    review, approved; a rejection always keeps it out. Records changed outside
    photoscreen keep it out too, whatever they say, and so does the consent register
    (``consent_held``, filled in by the session with export's own check).
    """
    if decisions is None or not decisions.scanned:
        return NOT_SCANNED
    if decisions.unreadable_reason is not None:
        reason = f"Could not be read: {decisions.unreadable_reason}"
        return PhotoStatus(PhotoState.UNREADABLE, (reason,))
    found: list[tuple[PhotoState, str]] = [
        (PhotoState.BLOCKED, reason)
        for reason in (*decisions.records_changed, *decisions.consent_held)
    ]
    found += _activity_reasons(decisions, {a.key: a for a in activities})
    found += _face_reasons(decisions)
    found += _review_reasons(decisions)
    if not found:
        return PhotoStatus(PhotoState.READY, ())
    order = list(PhotoState)
    state = min((s for s, _ in found), key=order.index)
    applies = frozenset(s for s, _ in found)
    return PhotoStatus(state, tuple(reason for _, reason in found), applies)


def _activity_reasons(
    decisions: PhotoDecisions, activities: dict[str, Activity]
) -> list[tuple[PhotoState, str]]:
    found: list[tuple[PhotoState, str]] = []
    if decisions.excluded:
        found.append((PhotoState.EXCLUDED, "Excluded"))
    activity = activities.get(decisions.activity) if decisions.activity else None
    if decisions.activity is None:
        found.append((PhotoState.NEEDS_ACTIVITY, "No activity tagged yet"))
    elif activity is None:
        # The centre removed this activity from its list: its blocking is unknown.
        why = f"The activity '{decisions.activity}' is no longer in the centre's list"
        found.append((PhotoState.NEEDS_ACTIVITY, why))
    elif activity.blocked:
        found.append((PhotoState.BLOCKED, activity.blocked_reason_text))
    if decisions.unclothed:
        found.append((PhotoState.BLOCKED, "Marked unclothed / semi-clothed"))
    return found


def _face_reasons(decisions: PhotoDecisions) -> list[tuple[PhotoState, str]]:
    found: list[tuple[PhotoState, str]] = []
    if decisions.faces_checked_by is None:
        found.append((PhotoState.CHECK_FACES, "Faces not checked yet"))
    pending = decisions.pending_faces
    if pending:
        noun = "possible face" if pending == 1 else "possible faces"
        found.append((PhotoState.CHECK_FACES, f"{pending} {noun} to accept or dismiss"))
    writing = decisions.pending_writing
    if writing:
        noun = "region" if writing == 1 else "regions"
        found.append((PhotoState.CHECK_FACES, f"{writing} writing {noun} to accept or dismiss"))
    return found


def _review_reasons(decisions: PhotoDecisions) -> list[tuple[PhotoState, str]]:
    if decisions.verdict is Verdict.REJECTED:
        note = f": {decisions.review_note}" if decisions.review_note else ""
        return [(PhotoState.REJECTED, f"Rejected by {decisions.reviewer}{note}")]
    if decisions.flagged and decisions.verdict is not Verdict.APPROVED:
        return [(PhotoState.AWAITING_REVIEW, "Waiting for the manager to review it")]
    return []


# The badges of photos that still need something from staff (a tag, a face check, or
# being read); every other photo is decided: ready, excluded, blocked, with the manager,
# rejected, or a file that cannot be used.
NEEDS_STAFF = frozenset({PhotoState.NOT_SCANNED, PhotoState.NEEDS_ACTIVITY, PhotoState.CHECK_FACES})


def needs_staff(status: PhotoStatus) -> bool:
    """True while a photo still needs something from staff (see :data:`NEEDS_STAFF`)."""
    return status.state in NEEDS_STAFF


def count_states(statuses: Sequence[PhotoStatus]) -> str:
    """A counts line such as "38 ready, 2 blocked, 4 waiting for the manager" (zeros left
    out)."""
    counts = {state: 0 for state in PhotoState}
    for status in statuses:
        counts[status.state] += 1
    order = [PhotoState.READY, *[s for s in PhotoState if s is not PhotoState.READY]]
    parts = [s.counted(counts[s]) for s in order if counts[s]]
    return ", ".join(parts) if parts else "no photos"
