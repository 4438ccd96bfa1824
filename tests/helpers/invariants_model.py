"""The independent model the invariant state machines check the session against
(tests/system/test_invariants_statemachine.py): what staff decided about each picture, who raised
each concern in which sitting, the undo lists, the eligibility rule from DESIGN.md and the
rules that protect one person's concerns from another's, written out again from
core/session/decision_rules.py's module doc rather than imported from it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from photoscreen.core.imaging.loading import photo_hash
from photoscreen.core.rules.policy import FaceRecord, FaceSource, FaceState
from photoscreen.core.rules.review import ReviewRefused
from photoscreen.core.session.folder_session import DecisionError
from tests.helpers.session_fixtures import jpeg_bytes

CONTENTS = tuple(jpeg_bytes(seed) for seed in range(5))
HASHES = tuple(photo_hash(data) for data in CONTENTS)
NAMES = ("a.jpg", "b.jpg", "c.jpg")
ALLOWED = ("messy_play", "story_time")  # until the centre blocks them
BLOCKED = ("swimming", "baby_massage")  # by the policy: for good
ACTIVITIES = (None, *ALLOWED, *BLOCKED)
# How each person's name may be typed: case, look-alike letters from other alphabets,
# accents, punctuation and spaces. The model knows whose name each one is.
SPELLINGS = {
    "Alice": ("Alice", "alice", "ALICE", "Аlice", "Alicе", "Alıce", "Álice", "Alice.", "A lice"),
    "Bob": ("Bob", "bob", "BOB", "Вob", "B.o.b"),
    "Sam": ("Sam", "sam", "Ѕam"),
}
TYPED = tuple(typed for names in SPELLINGS.values() for typed in names)
PERSON = {typed: person for person, names in SPELLINGS.items() for typed in names}
PIN = "418263"


@dataclass(frozen=True)
class Face:
    state: str  # "face", "accepted", "pending", "dismissed"
    consent: bool = False  # shown (with ``person``), or an older mark with no person
    hand: bool = False
    person: str | None = None  # linked to this person of the consent register
    writing: bool = False  # a "writing?" region (a name label, a plate), not a face


@dataclass
class Person:
    """One person of the consent register as the model knows them."""

    consent: bool
    review_day: int  # the last day consent holds, in the model's days
    withdrawn: bool = False
    never: bool = False

    def current(self, day: int) -> bool:
        return self.consent and not self.withdrawn and not self.never and day <= self.review_day


@dataclass(frozen=True)
class Raised:
    """A concern: who raised it (as typed), in which of the model's sittings, its note."""

    who: str
    sitting: int
    note: str = ""


@dataclass(frozen=True)
class Staff:
    """What staff decided about one picture (what undo restores)."""

    activity: str | None = None
    mark: Raised | None = None  # marked unclothed / semi-clothed
    excluded: bool = False
    faces: tuple[tuple[int, Face], ...] = ()
    checked: bool = False
    questions: tuple[Raised, ...] = ()


@dataclass
class Model:
    staff: dict[str, Staff] = field(default_factory=dict)
    verdict: dict[str, str | None] = field(default_factory=dict)
    undo: list[tuple[str, Staff, Staff]] = field(default_factory=list)
    redo: list[tuple[str, Staff, Staff]] = field(default_factory=list)
    centre_blocked: set[str] = field(default_factory=set)  # blocked by the centre
    pin: bool = False  # a reviewer PIN is set
    user: str = "Alice"  # as typed
    sitting: int = 0  # a new one whenever a folder is opened or the name changed
    people: dict[str, Person] = field(default_factory=dict)  # the consent register
    day: int = 0  # days since the machine started

    def exportable(self, digest: str) -> bool:
        """Eligible, and the register lets it out today: every face shown is of someone
        with current consent, and nobody linked is marked never publish."""
        if not self.eligible(digest):
            return False
        for _, face in self.staff[digest].faces:
            person = self.people.get(face.person) if face.person else None
            if person is not None and person.never:
                return False
            shown = face.consent and face.person and face.state in ("face", "accepted")
            if shown and (person is None or not person.current(self.day)):
                return False
        return True

    def eligible(self, digest: str) -> bool:
        if digest not in self.staff:
            return False
        s = self.staff[digest]
        verdict = self.verdict.get(digest)
        pending = any(face.state == "pending" for _, face in s.faces)
        return (
            s.activity in ALLOWED
            and s.activity not in self.centre_blocked
            and s.mark is None
            and not s.excluded
            and s.checked
            and not pending
            and verdict != "rejected"
            and (not s.questions or verdict == "approved")
        )

    def refusal(self, now: Staff, wanted: Staff, *, pin: bool = False) -> type[Exception] | None:
        """What the person now at the app is refused for turning ``now`` into ``wanted``:
        clearing an unclothed mark of another sitting, with a PIN set, needs the PIN; a
        question of another sitting may not go at all."""
        mark = now.mark
        cleared = mark is not None and wanted.mark != mark
        if cleared and self.pin and not pin and mark.sitting != self.sitting:
            return ReviewRefused
        if any(q.sitting != self.sitting for q in now.questions if q not in wanted.questions):
            return DecisionError
        return None

    def begin_sitting(self, typed: str) -> None:
        """Someone starts using the app under ``typed``: the undo lists are theirs."""
        self.user = " ".join(typed.split())
        self.sitting += 1
        self.undo.clear()
        self.redo.clear()

    def decide(self, digest: str, after: Staff) -> None:
        before = self.staff[digest]
        if after == before:
            return
        if after.faces != before.faces:
            after = replace(after, checked=False)
        self.staff[digest] = after
        if self.verdict.get(digest) == "approved":
            self.verdict[digest] = None
        self.undo.append((digest, before, after))
        self.redo.clear()

    def restore(self, digest: str, state: Staff) -> None:
        self.staff[digest] = state
        if self.verdict.get(digest) == "approved":
            self.verdict[digest] = None


def model_face(face: FaceRecord) -> Face:
    state = {
        FaceState.FACE: "face",
        FaceState.POSSIBLE_ACCEPTED: "accepted",
        FaceState.POSSIBLE_PENDING: "pending",
        FaceState.DISMISSED: "dismissed",
    }[face.state]
    return Face(
        state,
        consent=face.consent_by is not None,
        hand=face.source is FaceSource.HAND,
        person=face.person_id,
        writing=face.is_text,
    )
