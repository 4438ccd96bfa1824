"""Trying to break invariants 1, 2 and 8 with random sequences of decisions, file edits,
renames, rescans, undos, redos, reviews, activity blocks, PIN changes, the consent
register (people added with consent, without, or never to be published; consent
withdrawn, renewed, lapsing as days pass; faces linked, shown and blurred again), several people
taking turns (opening the folder, or changing the name at the PC: to another person's
name too, or to a look-alike of it), several people asking the manager about one photo,
and exports.

The test keeps its own model of the rules, written independently of the session code:
per content hash, what staff decided (with who raised each unclothed mark and each
question, in which sitting) and what the reviewer said, an undo stack of whole
before/after states, who is using the app in which sitting, an eligibility rule written
out from DESIGN.md, and the rules that protect one person's concerns from another's
(core/session/decision_rules.py's module doc, written out again here). After every step the
session must agree with the model, and every export must have written exactly the photos
the model says are eligible at that moment, each under the hash of the file's current
content. Exporting after every step (tiny photos make it cheap) means any reachable state
that would let a photo out wrongly is caught where it arises; comparing the concerns
after every step means no path (undo, redo, a change of name) reaches a state the direct
action by the person now at the app would have been refused: an unclothed mark is never
cleared by another sitting without the PIN, and a question never goes while its asker has
not taken it back in their sitting and no verdict was given.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from photoscreen.core.basics.geometry import Box
from photoscreen.core.consent import ConsentError, ConsentRegister, Kind, NewPerson
from photoscreen.core.faces import Detection, FaceBand
from photoscreen.core.identifiers import WRITING_MARK
from photoscreen.core.rules.policy import Concern
from photoscreen.core.rules.review import ReviewRefused
from photoscreen.core.session import DecisionError, Session
from photoscreen.core.settings import SettingError
from photoscreen.core.settings.declared import REGISTER_KEY
from photoscreen.core.workflows.export import export_photos
from tests.helpers.consent_fixtures import FakeClock
from tests.helpers.invariants_model import (
    ACTIVITIES,
    ALLOWED,
    BLOCKED,
    CONTENTS,
    HASHES,
    NAMES,
    PERSON,
    PIN,
    TYPED,
    Face,
    Model,
    Raised,
    Staff,
    model_face,
)
from tests.helpers.invariants_model import (
    Person as ModelPerson,
)
from tests.helpers.session_fixtures import detection


def _memory_disk() -> str | None:
    """A RAM-backed folder when the system has one, else the default temp folder.

    Every decision is fsynced (synchronous=FULL); on a shared disk that wait dominates
    hundreds of steps. Durability itself is tested in test_crash_safety.py on the ordinary
    temp folder; here only the rules are under test, and they run the same code either way.
    """
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


class PeopleMachine(RuleBasedStateMachine):
    """Several people taking turns at one folder: marking photos unclothed, asking the
    manager, changing their name, undoing and redoing, reviewing. The machines below add
    what each one tries besides."""

    FILES = NAMES

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="photoscreen-sm-", dir=_memory_disk()))
        self.folder = self.root / "photos"
        self.folder.mkdir()
        self.files: dict[str, int] = {}  # name -> content index
        for index, name in enumerate(self.FILES):
            (self.folder / name).write_bytes(CONTENTS[index])
            self.files[name] = index
        # Noon today, moved on by whole days: "today" never slips across midnight.
        self.clock = FakeClock(datetime.now().replace(hour=12, minute=0).timestamp())
        self.session = Session.open(self.folder, "Alice", clock=self.clock)
        register_file = self.root / "register.sqlite3"
        self.session.settings.set(REGISTER_KEY, str(register_file))
        self.register = ConsentRegister(register_file, "Manager", clock=self.clock)
        self.model = Model()
        self.sittings = {self.session.identity.sitting: self.model.sitting}  # token -> model's
        self.exports = 0
        for name in self.FILES:
            self._scan(name)

    def teardown(self) -> None:
        self.session.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def _scan(self, name: str) -> None:
        index = self.files[name]
        digest = HASHES[index]
        # Even contents have a face, a possible face and a "writing?" region (a name label).
        found = (
            []
            if index % 2
            else [
                detection(Box(2, 2, 12, 12)),
                detection(Box(30, 10, 9, 9), possible=True),
                Detection(Box(40, 30, 20, 6), 0.7, FaceBand.TEXT),
            ]
        )
        key = f"sm{WRITING_MARK}text"
        self.session.record_scan(self.folder / name, digest, 64, 48, "JPEG", found, key)
        if digest not in self.model.staff:
            faces = self.session.faces(digest)
            kinds = [("face", False), ("pending", False), ("pending", True)] if found else []
            self.model.staff[digest] = Staff(
                faces=tuple(
                    (f.id, Face(state, writing=writing))
                    for f, (state, writing) in zip(faces, kinds, strict=True)
                )
            )

    def _known(self, data: st.DataObject) -> str:
        return data.draw(st.sampled_from(sorted(self.model.staff)))

    def _raised(self, note: str = "") -> Raised:
        return Raised(self.model.user, self.model.sitting, note)

    def _attempt(self, digest: str, wanted: Staff, act: Callable[[], object], pin: bool) -> None:
        """Do ``act``; it must be refused exactly when the model's rules refuse ``wanted``."""
        refused = self.model.refusal(self.model.staff[digest], wanted, pin=pin)
        if refused is not None:
            with pytest.raises(refused):
                act()
            return
        act()
        self.model.decide(digest, wanted)

    @rule(data=st.data(), on=st.booleans(), with_pin=st.booleans())
    def unclothed(self, data: st.DataObject, on: bool, with_pin: bool) -> None:
        digest = self._known(data)
        staff = self.model.staff[digest]
        mark = (staff.mark or self._raised()) if on else None  # marking again keeps the mark
        self._attempt(
            digest,
            replace(staff, mark=mark),
            lambda: self.session.set_unclothed(digest, on, pin=PIN if with_pin else None),
            with_pin,
        )

    @rule(data=st.data(), note=st.sampled_from(["", "unsure", "logo on top"]))
    def flag(self, data: st.DataObject, note: str) -> None:
        """Each person's question is their own: asking again in the same sitting changes
        one's note; anyone else's question stays as it was."""
        digest = self._known(data)
        self.session.flag_for_review(digest, note)
        staff = self.model.staff[digest]
        own = [q for q in staff.questions if q.sitting == self.model.sitting]
        if own and own[0].note == note:
            return
        if own:
            questions = tuple(self._raised(note) if q in own else q for q in staff.questions)
        else:
            questions = (*staff.questions, self._raised(note))
        self.model.decide(digest, replace(staff, questions=questions))

    @rule(data=st.data())
    def unflag(self, data: st.DataObject) -> None:
        """One takes back one's own question (of this sitting); with none of one's own,
        taking back is refused while anyone else's stands."""
        digest = self._known(data)
        staff = self.model.staff[digest]
        left = tuple(q for q in staff.questions if q.sitting != self.model.sitting)
        if left and left == staff.questions:
            with pytest.raises(DecisionError):
                self.session.unflag(digest)
            return
        self._attempt(
            digest, replace(staff, questions=left), lambda: self.session.unflag(digest), False
        )

    @rule(data=st.data(), reviewer=st.sampled_from(TYPED), with_pin=st.booleans())
    def approve(self, data: st.DataObject, reviewer: str, with_pin: bool) -> None:
        """Nobody who asked approves, however their name is typed; the PIN when set."""
        digest = self._known(data)
        askers = {PERSON[q.who] for q in self.model.staff[digest].questions}
        refused = PERSON[reviewer] in askers or (self.model.pin and not with_pin)
        try:
            self.session.approve(digest, reviewer, note="ok", pin=PIN if with_pin else None)
        except ReviewRefused:
            assert refused
            return
        assert not refused, "approved by someone who asked, or without the PIN"
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

    @rule(on=st.booleans())
    def set_pin(self, on: bool) -> None:
        current = PIN if self.model.pin else None
        self.session.settings.pin.change(PIN if on else None, current_pin=current)
        self.model.pin = on

    @rule(user=st.sampled_from(TYPED))
    def next_person(self, user: str) -> None:
        """Someone opens the folder: a new session, a new sitting, an undo list of its own."""
        self.session.close()
        self.session = Session.open(self.folder, user, clock=self.clock)
        self.model.begin_sitting(user)
        self.sittings[self.session.identity.sitting] = self.model.sitting

    @rule(user=st.sampled_from(TYPED))
    def change_name(self, user: str) -> None:
        """File > Your name, to anyone's name (another person's, or a look-alike of it):
        a new sitting, unless the name is the same as typed; the undo lists are emptied."""
        if " ".join(user.split()) == self.model.user:
            self.session.change_user(user)
            assert self.session.identity.sitting in self.sittings
            return
        self.session.change_user(user)
        self.model.begin_sitting(user)
        self.sittings[self.session.identity.sitting] = self.model.sitting
        assert not self.session.can_undo and not self.session.can_redo

    @rule()
    def undo(self) -> None:
        """Undo passes the same rules as the direct action (without a PIN)."""
        if not self.model.undo:
            assert self.session.undo() is None
            return
        digest, before, after = self.model.undo[-1]
        refused = self.model.refusal(self.model.staff[digest], before)
        if refused is not None:
            with pytest.raises(refused):
                self.session.undo()
            return
        assert self.session.undo() == digest
        self.model.undo.pop()
        self.model.restore(digest, before)
        self.model.redo.append((digest, before, after))

    @rule()
    def redo(self) -> None:
        """Redo passes the same rules as the direct action (without a PIN)."""
        if not self.model.redo:
            assert self.session.redo() is None
            return
        digest, before, after = self.model.redo[-1]
        refused = self.model.refusal(self.model.staff[digest], after)
        if refused is not None:
            with pytest.raises(refused):
                self.session.redo()
            return
        assert self.session.redo() == digest
        self.model.redo.pop()
        self.model.restore(digest, after)
        self.model.undo.append((digest, before, after))

    @invariant()
    def session_agrees_with_the_model(self) -> None:
        """Status, verdict and every staff decision, down to who raised each unclothed
        mark and each question in which sitting: a concern the model still holds (its
        owner did not clear it in their sitting, nor the manager with the PIN or a
        verdict) is still there."""
        for digest, staff in self.model.staff.items():
            # The status holds the register's holds too (export's own check): as export.
            assert self.session.status(digest).exportable == self.model.exportable(digest)
            photo = self.session.photo(digest)
            assert photo is not None
            verdict = None if photo.verdict is None else photo.verdict.value
            assert verdict == self.model.verdict.get(digest)
            mark = photo.unclothed_mark
            seen = Staff(
                activity=photo.activity,
                mark=None if mark is None else self._model_concern(mark),
                excluded=photo.excluded,
                faces=tuple((f.id, model_face(f)) for f in photo.faces),
                checked=photo.faces_checked_by is not None,
                questions=tuple(map(self._model_concern, photo.questions)),
            )
            assert photo.unclothed == (mark is not None)
            assert seen == staff

    def _model_concern(self, concern: Concern) -> Raised:
        assert concern.sitting is not None
        return Raised(concern.who, self.sittings[concern.sitting], concern.note)

    @rule(data=st.data(), activity=st.sampled_from(ALLOWED))
    def make_ready(self, data: st.DataObject, activity: str) -> None:
        """Tag, settle every possible face and check: the usual path to "ready"."""
        digest = self._known(data)
        self.session.set_activity(digest, activity)
        self.model.decide(digest, replace(self.model.staff[digest], activity=activity))
        for face_id, face in self.model.staff[digest].faces:
            if face.state == "pending":
                self.session.accept_face(digest, face_id)
                self._set_face(digest, face_id, Face("accepted", writing=face.writing))
        self.session.set_faces_checked(digest)
        self.model.decide(digest, replace(self.model.staff[digest], checked=True))

    def _set_face(self, digest: str, face_id: int, face: Face | None) -> None:
        staff = self.model.staff[digest]
        faces = tuple(
            (i, face if i == face_id else f) for i, f in staff.faces if i != face_id or face
        )
        self.model.decide(digest, replace(staff, faces=faces))  # type: ignore[arg-type]


class SessionMachine(PeopleMachine):
    """Everything at once, with an export after every step."""

    @rule(name=st.sampled_from(NAMES), content=st.integers(0, len(CONTENTS) - 1))
    def edit_file(self, name: str, content: int) -> None:
        (self.folder / name).write_bytes(CONTENTS[content])
        self.files[name] = content

    @rule(name=st.sampled_from(NAMES))
    def rescan(self, name: str) -> None:
        self._scan(name)

    @rule(data=st.data(), activity=st.sampled_from(ACTIVITIES))
    def tag(self, data: st.DataObject, activity: str | None) -> None:
        digest = self._known(data)
        self.session.set_activity(digest, activity)
        self.model.decide(digest, replace(self.model.staff[digest], activity=activity))

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

    @rule(data=st.data())
    def add_face(self, data: st.DataObject) -> None:
        digest = self._known(data)
        face_id = self.session.add_face(digest, Box(5, 5, 10, 10))
        staff = self.model.staff[digest]
        faces = (*staff.faces, (face_id, Face("face", hand=True)))
        self.model.decide(digest, replace(staff, faces=faces))

    @rule(data=st.data())
    def add_writing(self, data: st.DataObject) -> None:
        """Key T: writing drawn by hand, covered at export, never given consent."""
        digest = self._known(data)
        face_id = self.session.add_writing(digest, Box(20, 30, 24, 8))
        staff = self.model.staff[digest]
        faces = (*staff.faces, (face_id, Face("face", hand=True, writing=True)))
        self.model.decide(digest, replace(staff, faces=faces))

    def _face(self, data: st.DataObject) -> tuple[str, int, Face] | None:
        digest = self._known(data)
        faces = self.model.staff[digest].faces
        if not faces:
            return None
        face_id, face = data.draw(st.sampled_from(faces))
        return digest, face_id, face

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
                self._set_face(
                    digest, face_id, Face("accepted", hand=face.hand, writing=face.writing)
                )

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
            self._set_face(digest, face_id, Face("dismissed", writing=face.writing))

    @rule(data=st.data(), on=st.booleans())
    def consent(self, data: st.DataObject, on: bool) -> None:
        """Today's Shift+C toggle: it blurs a shown face again, and never shows one."""
        picked = self._face(data)
        if not picked:
            return
        digest, face_id, face = picked
        if on:
            with pytest.raises(DecisionError):
                self.session.set_consent(digest, face_id, on)
            return
        self.session.set_consent(digest, face_id, on)
        self._set_face(digest, face_id, replace(face, consent=False))

    # The consent register ---------------------------------------------------------------

    @rule(answer=st.sampled_from(["yes", "no", "never"]))
    def add_person(self, answer: str) -> None:
        number = len(self.model.people)
        new = NewPerson(f"Child {number}", Kind.CHILD, answer == "yes", "Parent",
                        self.register.today(), never_publish=answer == "never")  # fmt: skip
        person = self.register.add(new)
        self.model.people[person.id] = ModelPerson(
            answer == "yes", self.model.day + 365, never=answer == "never"
        )

    def _person(self, data: st.DataObject) -> str | None:
        if not self.model.people:
            return None
        return data.draw(st.sampled_from(sorted(self.model.people)))

    @rule(data=st.data())
    def withdraw(self, data: st.DataObject) -> None:
        person_id = self._person(data)
        if person_id is None:
            return
        person = self.model.people[person_id]
        if not person.consent or person.withdrawn:
            with pytest.raises(ConsentError):
                self.register.withdraw(person_id)
            return
        self.register.withdraw(person_id)
        person.withdrawn = True

    @rule(data=st.data())
    def renew(self, data: st.DataObject) -> None:
        person_id = self._person(data)
        if person_id is not None:
            self.register.give_consent(person_id, given_by="Mum", given_on=self.register.today())
            person = self.model.people[person_id]
            person.consent, person.withdrawn = True, False
            person.review_day = self.model.day + 365

    @rule(data=st.data(), on=st.booleans())
    def never_publish(self, data: st.DataObject, on: bool) -> None:
        person_id = self._person(data)
        if person_id is not None:
            self.register.set_never_publish(person_id, on, "court order" if on else "")
            self.model.people[person_id].never = on

    @rule(days=st.sampled_from([1, 200, 400]))
    def days_pass(self, days: int) -> None:
        self.clock.days(days)
        self.model.day += days

    @rule(data=st.data(), unlink=st.booleans())
    def link(self, data: st.DataObject, unlink: bool) -> None:
        picked, person_id = self._face(data), None if unlink else self._person(data)
        if not picked:
            return
        digest, face_id, face = picked
        if person_id is not None and (face.state not in ("face", "accepted") or face.writing):
            with pytest.raises(DecisionError):
                self.session.link_face(digest, face_id, person_id)
            return
        self.session.link_face(digest, face_id, person_id)
        if face.person != person_id:
            self._set_face(digest, face_id, replace(face, person=person_id, consent=False))

    @rule(data=st.data())
    def show(self, data: st.DataObject) -> None:
        picked, person_id = self._face(data), self._person(data)
        if not picked or person_id is None:
            return
        digest, face_id, face = picked
        person = self.register.person(person_id)
        assert person is not None
        current = self.model.people[person_id].current(self.model.day)
        if not current or face.state not in ("face", "accepted") or face.writing:
            with pytest.raises(DecisionError):
                self.session.show_face(digest, face_id, person, self.register.today())
            return
        self.session.show_face(digest, face_id, person, self.register.today())
        if not (face.consent and face.person == person_id):
            self._set_face(digest, face_id, replace(face, person=person_id, consent=True))

    @rule(key=st.sampled_from(ALLOWED))
    def block(self, key: str) -> None:
        self.session.settings.activity_list.set_blocked(key, True)
        self.model.centre_blocked.add(key)

    @rule(key=st.sampled_from((*ALLOWED, *BLOCKED)), with_pin=st.booleans())
    def lift_block(self, key: str, with_pin: bool) -> None:
        pin = PIN if with_pin else None
        if key in BLOCKED:
            try:
                self.session.settings.activity_list.set_blocked(key, False, pin=pin)
            except SettingError:
                return
            raise AssertionError("a block the policy sets was lifted")
        try:
            self.session.settings.activity_list.set_blocked(key, False, pin=pin)
        except ReviewRefused:
            assert self.model.pin and not with_pin and key in self.model.centre_blocked
            return
        self.model.centre_blocked.discard(key)

    @invariant()
    def export_writes_exactly_the_eligible_photos(self) -> None:
        """Export after every step: whatever state the steps reached, nothing slips out."""
        self.exports += 1
        destination = self.root / f"upload-{self.exports}"
        summary = export_photos(self.session, destination)
        assert summary.failed == []
        current = {name: HASHES[index] for name, index in self.files.items()}
        for written in summary.written:
            assert written.photo_hash == current[written.source.name], "stale content exported"
            assert self.model.exportable(written.photo_hash), "an ineligible photo was exported"
        expected = {h for h in current.values() if self.model.exportable(h)}
        assert {w.photo_hash for w in summary.written} == expected
        assert len(list(destination.iterdir())) == len(expected)


class ConcernMachine(PeopleMachine):
    """Only people and their concerns, on one photo that is otherwise ready to go out,
    with a reviewer PIN set from the start: the few steps that matter here (mark, change
    of name, clear with the PIN, undo, redo) come round far more often than among
    everything :class:`SessionMachine` tries."""

    FILES = NAMES[:1]

    def __init__(self) -> None:
        super().__init__()
        (digest,) = self.model.staff
        for face_id, face in self.model.staff[digest].faces:
            if face.state == "pending":
                self.session.accept_face(digest, face_id)
                self._set_face(digest, face_id, Face("accepted", writing=face.writing))
        self.session.set_activity(digest, ALLOWED[0])
        self.session.set_faces_checked(digest)
        self.model.decide(digest, replace(self.model.staff[digest], activity=ALLOWED[0]))
        self.model.decide(digest, replace(self.model.staff[digest], checked=True))
        self.set_pin(True)

    @rule()
    def undo_then_redo(self) -> None:
        """Ctrl+Z then Ctrl+Shift+Z: each passes the rules as the person now at the app."""
        undone = len(self.model.redo)
        self.undo()
        if len(self.model.redo) > undone:
            self.redo()

    @invariant()
    def the_photo_goes_out_only_when_nothing_holds_it(self) -> None:
        (digest,) = self.model.staff
        staff = self.model.staff[digest]
        held = staff.mark is not None or (
            bool(staff.questions) and self.model.verdict.get(digest) != "approved"
        )
        assert self.session.status(digest).exportable == (not held and self.model.eligible(digest))


class ConsentMachine(SessionMachine):
    """The consent register across export, on one photo that starts ready to go out with
    its face shown, among the usual three files: hypothesis starts every run from a photo
    the register decides about, so withdrawing, renewing, lapsing, never publish, links and
    shows meet an exportable photo far more often than from :class:`SessionMachine`'s
    start. Every step is followed by an export."""

    def __init__(self) -> None:
        super().__init__()
        self.add_person("yes")
        self.add_person("never")
        digest = HASHES[self.files[NAMES[0]]]
        self.make_ready_digest(digest)
        face_id = next(i for i, f in self.model.staff[digest].faces if f.state == "face")
        consenting = next(pid for pid, person in self.model.people.items() if person.consent)
        self._show_on(digest, face_id, consenting)

    def make_ready_digest(self, digest: str) -> None:
        self.session.set_activity(digest, ALLOWED[0])
        self.model.decide(digest, replace(self.model.staff[digest], activity=ALLOWED[0]))
        for face_id, face in self.model.staff[digest].faces:
            if face.state == "pending":
                self.session.accept_face(digest, face_id)
                self._set_face(digest, face_id, Face("accepted", writing=face.writing))
        self.session.set_faces_checked(digest)
        self.model.decide(digest, replace(self.model.staff[digest], checked=True))

    def _show_on(self, digest: str, face_id: int, person_id: str) -> None:
        face = dict(self.model.staff[digest].faces)[face_id]
        person = self.register.person(person_id)
        assert person is not None
        self.session.show_face(digest, face_id, person, self.register.today())
        self._set_face(digest, face_id, replace(face, person=person_id, consent=True))


SessionMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_session_state_machine = SessionMachine.TestCase
ConcernMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_concern_state_machine = ConcernMachine.TestCase
ConsentMachine.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_consent_state_machine = ConsentMachine.TestCase
