"""Trying to break invariants 1, 2 and 8 with random sequences of decisions, file edits,
renames, rescans, undos, redos, reviews, activity blocks, PIN changes, two people taking
turns, and exports.

The test keeps its own model of the rules, written independently of the session code:
per content hash, what staff decided and what the reviewer said, an undo stack of whole
before/after states, and an eligibility rule written out from DESIGN.md. After every step
the session's status must agree with the model, and every export must have written
exactly the photos the model says are eligible at that moment, each under the hash of
the file's current content. Exporting after every step (tiny photos make it cheap)
means any reachable state that would let a photo out wrongly is caught where it arises.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from photoscreen.core.geometry import Box
from photoscreen.core.loading import photo_hash
from photoscreen.core.policy import FaceRecord, FaceSource, FaceState
from photoscreen.core.review import ReviewRefused
from photoscreen.core.session import DecisionError, Session
from photoscreen.core.settings import SettingError
from tests.session_fixtures import detection, jpeg_bytes

CONTENTS = tuple(jpeg_bytes(seed) for seed in range(5))
HASHES = tuple(photo_hash(data) for data in CONTENTS)
NAMES = ("a.jpg", "b.jpg", "c.jpg")
ALLOWED = ("messy_play", "story_time")  # until the centre blocks them
BLOCKED = ("swimming", "baby_massage")  # by the policy: for good
ACTIVITIES = (None, *ALLOWED, *BLOCKED)
PEOPLE = ("Alice", "Bob")
PIN = "246813"


def _memory_disk() -> str | None:
    """A RAM-backed folder when the system has one, else the default temp folder.

    Every decision is fsynced (synchronous=FULL); on a shared disk that wait dominates
    hundreds of steps. Durability itself is tested in test_crash_safety.py on the ordinary
    temp folder; here only the rules are under test, and they run the same code either way.
    """
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


@dataclass(frozen=True)
class Face:
    state: str  # "face", "accepted", "pending", "dismissed"
    consent: bool = False
    hand: bool = False


@dataclass(frozen=True)
class Staff:
    """What staff decided about one picture (what undo restores)."""

    activity: str | None = None
    unclothed: bool = False
    excluded: bool = False
    faces: tuple[tuple[int, Face], ...] = ()
    checked: bool = False
    flag_note: str | None = None
    flagger: str | None = None


@dataclass
class Model:
    staff: dict[str, Staff] = field(default_factory=dict)
    verdict: dict[str, str | None] = field(default_factory=dict)
    undo: list[tuple[str, Staff, Staff]] = field(default_factory=list)
    redo: list[tuple[str, Staff, Staff]] = field(default_factory=list)
    centre_blocked: set[str] = field(default_factory=set)  # blocked by the centre
    pin: bool = False  # a reviewer PIN is set
    user: str = "Alice"
    marker: dict[str, str] = field(default_factory=dict)  # who last marked it unclothed

    def eligible(self, digest: str) -> bool:
        if digest not in self.staff:
            return False
        s = self.staff[digest]
        verdict = self.verdict.get(digest)
        pending = any(face.state == "pending" for _, face in s.faces)
        return (
            s.activity in ALLOWED
            and s.activity not in self.centre_blocked
            and not s.unclothed
            and not s.excluded
            and s.checked
            and not pending
            and verdict != "rejected"
            and (s.flag_note is None or verdict == "approved")
        )

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


class SessionMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="photoscreen-sm-", dir=_memory_disk()))
        self.folder = self.root / "photos"
        self.folder.mkdir()
        self.files: dict[str, int] = {}  # name -> content index
        for index, name in enumerate(NAMES):
            (self.folder / name).write_bytes(CONTENTS[index])
            self.files[name] = index
        self.session = Session.open(self.folder, "Alice")
        self.model = Model()
        self.exports = 0
        for name in NAMES:
            self._scan(name)

    def teardown(self) -> None:
        self.session.close()
        shutil.rmtree(self.root, ignore_errors=True)

    # Files ------------------------------------------------------------------------------

    def _scan(self, name: str) -> None:
        index = self.files[name]
        digest = HASHES[index]
        found = (
            []
            if index % 2
            else [detection(Box(2, 2, 12, 12)), detection(Box(30, 10, 9, 9), possible=True)]
        )
        self.session.record_ingest(self.folder / name, digest, 64, 48, "JPEG", found, "sm")
        if digest not in self.model.staff:
            faces = self.session.faces(digest)
            states = ["face", "pending"] if found else []
            self.model.staff[digest] = Staff(
                faces=tuple((f.id, Face(state)) for f, state in zip(faces, states, strict=True))
            )

    @rule(name=st.sampled_from(NAMES), content=st.integers(0, len(CONTENTS) - 1))
    def edit_file(self, name: str, content: int) -> None:
        (self.folder / name).write_bytes(CONTENTS[content])
        self.files[name] = content

    @rule(name=st.sampled_from(NAMES))
    def rescan(self, name: str) -> None:
        self._scan(name)

    # Staff decisions ----------------------------------------------------------------------

    def _known(self, data: st.DataObject) -> str:
        return data.draw(st.sampled_from(sorted(self.model.staff)))

    @rule(data=st.data(), activity=st.sampled_from(ACTIVITIES))
    def tag(self, data: st.DataObject, activity: str | None) -> None:
        digest = self._known(data)
        self.session.set_activity(digest, activity)
        self.model.decide(digest, replace(self.model.staff[digest], activity=activity))

    @rule(data=st.data(), on=st.booleans(), with_pin=st.booleans())
    def unclothed(self, data: st.DataObject, on: bool, with_pin: bool) -> None:
        digest = self._known(data)
        staff, user = self.model.staff[digest], self.model.user
        needs_manager = (
            not on and staff.unclothed and self.model.pin and self.model.marker[digest] != user
        )
        try:
            self.session.set_unclothed(digest, on, pin=PIN if with_pin else None)
        except ReviewRefused:
            assert needs_manager and not with_pin
            return
        assert not (needs_manager and not with_pin), "someone else's mark cleared without PIN"
        if on:
            self.model.marker[digest] = user
        self.model.decide(digest, replace(staff, unclothed=on))

    @rule(data=st.data(), on=st.booleans())
    def exclude(self, data: st.DataObject, on: bool) -> None:
        digest = self._known(data)
        self.session.set_excluded(digest, on)
        self.model.decide(digest, replace(self.model.staff[digest], excluded=on))

    @rule(data=st.data())
    def check_faces(self, data: st.DataObject) -> None:
        digest = self._known(data)
        self.session.set_faces_checked(digest)
        self.model.decide(digest, replace(self.model.staff[digest], checked=True))

    @rule(data=st.data(), note=st.sampled_from(["", "unsure", "logo on top"]))
    def flag(self, data: st.DataObject, note: str) -> None:
        digest = self._known(data)
        self.session.flag_for_review(digest, note)
        staff, user = self.model.staff[digest], self.model.user
        if staff.flagger not in (None, user):  # someone else's question: the note is added
            if note:
                added = f"{staff.flag_note}\n{user}: {note}".strip()
                self.model.decide(digest, replace(staff, flag_note=added))
            return
        self.model.decide(digest, replace(staff, flag_note=note, flagger=user))

    @rule(data=st.data())
    def unflag(self, data: st.DataObject) -> None:
        digest = self._known(data)
        staff = self.model.staff[digest]
        try:
            self.session.unflag(digest)
        except DecisionError:
            assert staff.flagger not in (None, self.model.user)
            return
        assert staff.flagger in (None, self.model.user), "someone else's question taken back"
        self.model.decide(digest, replace(staff, flag_note=None, flagger=None))

    @rule(data=st.data(), activity=st.sampled_from(ALLOWED))
    def make_ready(self, data: st.DataObject, activity: str) -> None:
        """Tag, settle every possible face and check: the usual path to "ready"."""
        digest = self._known(data)
        self.session.set_activity(digest, activity)
        self.model.decide(digest, replace(self.model.staff[digest], activity=activity))
        for face_id, face in self.model.staff[digest].faces:
            if face.state == "pending":
                self.session.accept_face(digest, face_id)
                self._set_face(digest, face_id, Face("accepted"))
        self.session.set_faces_checked(digest)
        self.model.decide(digest, replace(self.model.staff[digest], checked=True))

    # Faces ------------------------------------------------------------------------------

    @rule(data=st.data())
    def add_face(self, data: st.DataObject) -> None:
        digest = self._known(data)
        face_id = self.session.add_face(digest, Box(5, 5, 10, 10))
        staff = self.model.staff[digest]
        faces = (*staff.faces, (face_id, Face("face", hand=True)))
        self.model.decide(digest, replace(staff, faces=faces))

    def _face(self, data: st.DataObject) -> tuple[str, int, Face] | None:
        digest = self._known(data)
        faces = self.model.staff[digest].faces
        if not faces:
            return None
        face_id, face = data.draw(st.sampled_from(faces))
        return digest, face_id, face

    def _set_face(self, digest: str, face_id: int, face: Face | None) -> None:
        staff = self.model.staff[digest]
        faces = tuple(
            (i, face if i == face_id else f) for i, f in staff.faces if i != face_id or face
        )
        self.model.decide(digest, replace(staff, faces=faces))  # type: ignore[arg-type]

    @rule(data=st.data())
    def remove_face(self, data: st.DataObject) -> None:
        picked = self._face(data)
        if picked:
            self.session.remove_face(picked[0], picked[1])
            self._set_face(picked[0], picked[1], None)

    @rule(data=st.data())
    def accept_face(self, data: st.DataObject) -> None:
        picked = self._face(data)
        if picked:
            digest, face_id, face = picked
            self.session.accept_face(digest, face_id)
            if face.state in ("pending", "dismissed"):
                self._set_face(digest, face_id, Face("accepted", hand=face.hand))

    @rule(data=st.data())
    def dismiss_face(self, data: st.DataObject) -> None:
        picked = self._face(data)
        if not picked:
            return
        digest, face_id, face = picked
        if face.hand:
            try:
                self.session.dismiss_face(digest, face_id)
            except DecisionError:
                return
            raise AssertionError("a face drawn by hand was dismissed")
        self.session.dismiss_face(digest, face_id)
        if face.state != "dismissed":
            self._set_face(digest, face_id, Face("dismissed"))

    @rule(data=st.data(), on=st.booleans())
    def consent(self, data: st.DataObject, on: bool) -> None:
        picked = self._face(data)
        if not picked:
            return
        digest, face_id, face = picked
        if on and face.state not in ("face", "accepted"):
            try:
                self.session.set_consent(digest, face_id, on)
            except DecisionError:
                return
            raise AssertionError("consent was recorded on something not a face")
        self.session.set_consent(digest, face_id, on)
        self._set_face(digest, face_id, replace(face, consent=on))

    # Review -----------------------------------------------------------------------------

    @rule(
        data=st.data(),
        reviewer=st.sampled_from(["Sam", " alice ", "ALICE", "bob"]),
        with_pin=st.booleans(),
    )
    def approve(self, data: st.DataObject, reviewer: str, with_pin: bool) -> None:
        digest = self._known(data)
        flagger = self.model.staff[digest].flagger
        flagger_approves = flagger is not None and reviewer.strip().casefold() == flagger.lower()
        refused = flagger_approves or (self.model.pin and not with_pin)
        try:
            self.session.approve(digest, reviewer, note="ok", pin=PIN if with_pin else None)
        except ReviewRefused:
            assert refused
            return
        assert not refused, "approved by the flagger, or without the PIN"
        self.model.verdict[digest] = "approved"

    @rule(data=st.data(), with_pin=st.booleans())
    def reject(self, data: st.DataObject, with_pin: bool) -> None:
        digest = self._known(data)
        try:
            self.session.reject(digest, "Sam", note="no", pin=PIN if with_pin else None)
        except ReviewRefused:
            assert self.model.pin and not with_pin
            return
        self.model.verdict[digest] = "rejected"

    # The centre's settings, and who is at the PC -------------------------------------------

    @rule(key=st.sampled_from(ALLOWED))
    def block(self, key: str) -> None:
        self.session.settings.set_activity_blocked(key, True)
        self.model.centre_blocked.add(key)

    @rule(key=st.sampled_from((*ALLOWED, *BLOCKED)), with_pin=st.booleans())
    def lift_block(self, key: str, with_pin: bool) -> None:
        pin = PIN if with_pin else None
        if key in BLOCKED:
            try:
                self.session.settings.set_activity_blocked(key, False, pin=pin)
            except SettingError:
                return
            raise AssertionError("a block the policy sets was lifted")
        try:
            self.session.settings.set_activity_blocked(key, False, pin=pin)
        except ReviewRefused:
            assert self.model.pin and not with_pin and key in self.model.centre_blocked
            return
        self.model.centre_blocked.discard(key)

    @rule(on=st.booleans())
    def set_pin(self, on: bool) -> None:
        current = PIN if self.model.pin else None
        self.session.settings.set_pin(PIN if on else None, current_pin=current)
        self.model.pin = on

    @rule(user=st.sampled_from(PEOPLE))
    def next_person(self, user: str) -> None:
        """The other person opens the folder: a new session, with its own undo stack."""
        self.session.close()
        self.session = Session.open(self.folder, user)
        self.model.user = user
        self.model.undo.clear()
        self.model.redo.clear()

    # Undo / redo ------------------------------------------------------------------------

    @rule()
    def undo(self) -> None:
        result = self.session.undo()
        if not self.model.undo:
            assert result is None
            return
        digest, before, after = self.model.undo.pop()
        assert result == digest
        self.model.restore(digest, before)
        self.model.redo.append((digest, before, after))

    @rule()
    def redo(self) -> None:
        result = self.session.redo()
        if not self.model.redo:
            assert result is None
            return
        digest, before, after = self.model.redo.pop()
        assert result == digest
        self.model.restore(digest, after)
        self.model.undo.append((digest, before, after))

    # Export -----------------------------------------------------------------------------

    @invariant()
    def export_writes_exactly_the_eligible_photos(self) -> None:
        """Export after every step: whatever state the steps reached, nothing slips out."""
        self.exports += 1
        destination = self.root / f"upload-{self.exports}"
        summary = self.session.export(destination)
        assert summary.failed == []
        current = {name: HASHES[index] for name, index in self.files.items()}
        for written in summary.written:
            assert written.photo_hash == current[written.source.name], "stale content exported"
            assert self.model.eligible(written.photo_hash), "an ineligible photo was exported"
        expected = {h for h in current.values() if self.model.eligible(h)}
        assert {w.photo_hash for w in summary.written} == expected
        assert len(list(destination.iterdir())) == len(expected)

    @invariant()
    def session_agrees_with_the_model(self) -> None:
        for digest, staff in self.model.staff.items():
            assert self.session.status(digest).exportable == self.model.eligible(digest)
            photo = self.session.photo(digest)
            assert photo is not None
            verdict = None if photo.verdict is None else photo.verdict.value
            assert verdict == self.model.verdict.get(digest)
            seen = Staff(
                activity=photo.activity,
                unclothed=photo.unclothed,
                excluded=photo.excluded,
                faces=tuple((f.id, _model_face(f)) for f in photo.faces),
                checked=photo.faces_checked_by is not None,
                flag_note=photo.flag_note if photo.flagged_by is not None else None,
                flagger=photo.flagged_by,
            )
            assert seen == staff


def _model_face(face: FaceRecord) -> Face:
    state = {
        FaceState.FACE: "face",
        FaceState.POSSIBLE_ACCEPTED: "accepted",
        FaceState.POSSIBLE_PENDING: "pending",
        FaceState.DISMISSED: "dismissed",
    }[face.state]
    return Face(state, consent=face.consent_by is not None, hand=face.source is FaceSource.HAND)


SessionMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_session_state_machine = SessionMachine.TestCase
