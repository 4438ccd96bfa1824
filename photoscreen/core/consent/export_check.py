"""The consent register asked again at the moment of export, for each photo.

A face shown at export must be linked to a person whose consent is current *today*, as
the register says *now*: withdrawn, lapsed, removed from the register, or marked never
publish since the face was shown, and the photo is held back with the reason in plain
words. A face linked to a "never publish" person, or to someone no longer in the
register, holds the photo back whether shown or blurred: no photo of them may be posted
at all. So does a face linked to a person whose row does not match the register's chained
trail (a hand edit of the file: :mod:`photoscreen.core.consent.register_chain`), and when
the trail itself was changed, every photo with a face linked to anyone. When the register
cannot be used, every photo with a linked face is held back (saying why), and photos with
no link, whose faces are all blurred, still go out. With the centre setting
:data:`~photoscreen.core.settings.declared.APPROVAL_KEY` on, a photo with a face shown
also needs the manager's approval.

Reasons name people by their register id (``P-3F9A2C``), never by name: they end up in
the export's summary and the session's trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from photoscreen.core.consent.exports_index import Published, keep_thumbnail
from photoscreen.core.consent.location import register_path
from photoscreen.core.consent.people import Person
from photoscreen.core.consent.register import ConsentRegister
from photoscreen.core.consent.register_chain import RegisterFindings
from photoscreen.core.consent.schema import RegisterProblem, RegisterUnreachable
from photoscreen.core.rules import PhotoDecisions, Verdict
from photoscreen.core.settings import APPROVAL_KEY, REGISTER_KEY, CentreSettings, Clock

TRAIL_CHANGED = (
    "the consent register's own trail was changed outside photoscreen, so no one's record "
    "in it can be trusted until the manager checks it"
)
ROW_CHANGED = (
    "was changed outside photoscreen: it does not match the register's trail; the manager "
    "checks it"
)
NEEDS_APPROVAL = (
    "A face is shown, and the centre asks the manager to approve every photo with a face "
    "shown: ask the manager to review it"
)


class RegisterUser(Protocol):
    """What the register asks of an open folder (:class:`~photoscreen.core.session.Session`
    is one): who is working, its settings and clock, where its photos and records are."""

    @property
    def user(self) -> str: ...

    @property
    def settings(self) -> CentreSettings: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def folder(self) -> Path: ...

    @property
    def session_dir(self) -> Path: ...


class RegisterHolds:
    """The register a folder's photos are judged on, kept open between checks (its
    trail's replay is kept too: see :meth:`ConsentRegister.findings`), opened again when
    the centre setting names another file or it could not be used."""

    def __init__(self) -> None:
        self._register: ConsentRegister | None = None

    def holds(
        self,
        session: RegisterUser,
        photos: list[PhotoDecisions],
        *,
        snapshot: bool = True,
        full: bool = False,
    ) -> dict[str, tuple[str, ...]]:
        """Why the register holds each of ``photos`` back now, by content hash (only
        those it holds): export's own check (:class:`ConsentCheck`). The register is
        opened only when one of them has a face linked to someone. ``snapshot``: the
        register is read once for all of them; ``full``: its whole trail is read again."""
        if not any(face.person_id for photo in photos for face in photo.faces):
            return {}
        check = self._check(session, snapshot, full)
        found = {photo.photo_hash: check.reasons(photo) for photo in photos}
        return {digest: reasons for digest, reasons in found.items() if reasons}

    def read_again(self) -> None:
        """Read the whole trail of the register kept open again, now (a register not
        opened yet is read whole when it first is)."""
        if self._register is None:
            return
        try:
            self._register.findings(full=True)
        except RegisterProblem:
            self._register = None  # opened again, and the problem said, at the next check

    def _check(self, session: RegisterUser, snapshot: bool, full: bool) -> ConsentCheck:
        need_approval = bool(session.settings.get(APPROVAL_KEY))
        path = register_path(session.settings.get(REGISTER_KEY))
        try:
            if self._register is None or self._register.path != path:
                self._register = session_register(session)
        except RegisterProblem as problem:
            self._register = None
            return ConsentCheck(None, str(problem), session.clock, need_approval)
        register = self._register
        register.change_user(session.user)
        return ConsentCheck(register, None, session.clock, need_approval, Path(), snapshot,
                            full=full)  # fmt: skip


def session_register(session: RegisterUser) -> ConsentRegister:
    """The register ``session``'s centre setting names, opened now, its changes under
    the reviewer PIN in force in the session's folder; :class:`RegisterProblem` when it
    cannot be used."""
    path = register_path(session.settings.get(REGISTER_KEY))
    settings = session.settings
    return ConsentRegister(path, session.user, pin_hash=lambda: settings.pin.hash,
                           clock=session.clock)  # fmt: skip


class HeldBack(Exception):
    """Raised just before a verified file is named: its photo may no longer go out."""

    def __init__(self, reasons: tuple[str, ...]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class ConsentCheck:
    """The register as export sees it: open, or why it cannot be used."""

    register: ConsentRegister | None
    problem: str | None
    clock: Clock
    need_approval: bool = False
    destination: Path = Path()  # the export's upload folder
    # Read the register once and judge many photos on it (a folder's list); export
    # reads it again for every photo.
    snapshot: bool = False
    full: bool = False  # read the register's whole trail again (else: the links added since)
    _findings: RegisterFindings | None = None
    _people: dict[str, Person] | None = None

    @classmethod
    def for_session(
        cls, session: RegisterUser, destination: Path = Path(), *, snapshot: bool = False
    ) -> ConsentCheck:
        """The register the session's centre setting names, opened now, for an export
        to ``destination`` (or, ``snapshot``, to judge a folder's photos for the list)."""
        need_approval = bool(session.settings.get(APPROVAL_KEY))
        try:
            register = session_register(session)
        except RegisterProblem as problem:
            return cls(None, str(problem), session.clock, need_approval, destination, snapshot)
        return cls(register, None, session.clock, need_approval, destination, snapshot)

    def today(self) -> date:
        return datetime.fromtimestamp(self.clock()).date()

    def reasons(self, photo: PhotoDecisions) -> tuple[str, ...]:
        """Why the register keeps ``photo`` back now (empty: it does not)."""
        shown = {f.person_id for f in photo.faces if f.shown and f.person_id}
        linked = sorted({f.person_id for f in photo.faces if f.person_id})
        found: list[str] = []
        if self.need_approval and shown and photo.verdict is not Verdict.APPROVED:
            found.append(NEEDS_APPROVAL)
        if not linked:
            return tuple(found)
        try:
            found += self._people_reasons(linked, shown)
        except RegisterProblem as problem:
            self.problem = str(problem)
            found.append(self._unusable())
        return tuple(found)

    def _people_reasons(self, linked: list[str], shown: set[str]) -> list[str]:
        if self.register is None:
            return [self._unusable()]
        findings = self._read_findings(self.register)
        if findings.trail:
            return [f"It has a face linked to a person, and {TRAIL_CHANGED}: "
                    f"{'; '.join(findings.trail)}"]  # fmt: skip
        today = self.today()
        found: list[str] = []
        for person_id in linked:
            if person_id in findings.people:
                words = ", ".join(findings.people[person_id])
                found.append(f"{person_id}'s record in the consent register {ROW_CHANGED} "
                             f"({words})")  # fmt: skip
                continue
            person = self._person(self.register, person_id)
            if person is None:
                found.append(f"A face is linked to {person_id}, who is not in the register "
                             "(removed from it): link it to someone else or unlink it")
            elif person.never_publish:
                found.append(f"{person_id} is in it, {person.shown_problem(today)}")
            elif person_id in shown and not person.has_current_consent(today):
                found.append(f"A face shown is of {person_id}: {person.shown_problem(today)}")
        return found

    def _read_findings(self, register: ConsentRegister) -> RegisterFindings:
        if self._findings is None or not self.snapshot:
            self._findings = register.findings(full=self.full)
        return self._findings

    def _person(self, register: ConsentRegister, person_id: str) -> Person | None:
        if not self.snapshot:
            return register.person(person_id)
        if self._people is None:
            self._people = {p.id: p for p in register.people()}
        return self._people.get(person_id)

    def record(self, photo: PhotoDecisions, file: Published) -> int | None:
        """Put a file about to be published in the takedown index when it has a face
        linked to someone; its row id (None: nothing to index). A register that cannot
        be used raises :class:`RegisterProblem`: the file must then not be published."""
        linked = [f.person_id for f in photo.faces if f.person_id]
        if not linked:
            return None
        if self.register is None:
            raise RegisterUnreachable(self._unusable())
        shown = [f.person_id for f in photo.faces if f.shown and f.person_id]
        entry = self.register.exports.record(file, shown, linked)
        keep_thumbnail(file)
        return entry

    def record_or_hold(
        self, photo: PhotoDecisions, session: RegisterUser, source_name: str, file_name: str
    ) -> int | None:
        """:meth:`record` for ``file_name`` in the export's destination, or
        :class:`HeldBack` saying why the file must not go out."""
        file = Published(session.folder, session.session_dir, source_name, photo.photo_hash,
                         self.destination, file_name)  # fmt: skip
        try:
            return self.record(photo, file)
        except RegisterProblem as problem:
            raise HeldBack((f"It could not be put in the takedown list: {problem}",)) from None

    def forget_all(self, entries: list[int | None]) -> list[str]:
        """:meth:`forget` each of ``entries``; what went wrong (empty: nothing)."""
        try:
            for entry in entries:
                self.forget(entry)
        except RegisterProblem as problem:
            return [f"The takedown list names a file that was not published: {problem}"]
        return []

    def forget(self, entry_id: int | None) -> None:
        """Take an index row back: its file was not published after all."""
        if entry_id is not None and self.register is not None:
            self.register.exports.forget(entry_id)

    def _unusable(self) -> str:
        return (
            "It has a face linked to a person, and the consent register cannot be used: "
            f"{self.problem}"
        )
