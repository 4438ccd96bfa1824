"""Faces linked to people of the consent register: the links, and what the register holds.

Linking a face to a person is always a person's choice (no face recognition anywhere). A
face is shown (not redacted) only when linked to a person whose consent is current when
staff confirm it (:class:`PeopleLinks`, editing the face through
:meth:`~photoscreen.core.session.face_edits.FaceEdits.edit`, so a link is a staff decision
like any other: audited and undoable). Export asks the register again when it runs
(:mod:`photoscreen.core.consent.export_check`), so a consent withdrawn or lapsed since
keeps the photo back. Any face, shown or not, may be linked: a link to a "never publish"
person withholds the whole photo at export. The session's photos carry what the register
holds them back for (``consent_held``, export's own check, :class:`ConsentHolds`), so the
window's badges and ``photoscreen status`` show it too.

The session's trail records person ids only, never names: names stay in the register.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from photoscreen.core.consent import Person, RegisterHolds, RegisterUser
from photoscreen.core.rules import FaceRecord, PhotoDecisions
from photoscreen.core.session.changes import Desk
from photoscreen.core.session.decision_rules import DecisionError
from photoscreen.core.session.face_edits import FaceEdits
from photoscreen.core.trail import audit

# Writing (a name label, a number plate) is covered or left, never shown with consent.
WRITING_HAS_NO_PERSON = "Writing is not a person: cover it (A) or leave it (D)."


class ConsentHolds:
    """What the consent register holds a folder's photos back for, asked of it now;
    ``folder``: the open folder the register is found and judged for."""

    def __init__(self, folder: RegisterUser) -> None:
        self._folder = folder
        self._holds = RegisterHolds()

    def check_register(self) -> None:
        """Read the consent register's whole trail again (export does, as it starts): an
        edit of an old entry of it is found now, not only when the folder is reopened."""
        self._holds.read_again()

    def held(
        self, photos: list[PhotoDecisions], snapshot: bool = True, full: bool = False
    ) -> dict[str, PhotoDecisions]:
        """Those of ``photos`` the consent register holds back now, each with
        ``consent_held`` saying why (export's own check, asked of the register now;
        ``snapshot``: the register is read once for all of them; ``full``: its whole
        trail is read again)."""
        held = self._holds.holds(self._folder, photos, snapshot=snapshot, full=full)
        return {p.photo_hash: replace(p, consent_held=held[p.photo_hash])
                for p in photos if p.photo_hash in held}  # fmt: skip

    def with_holds(self, photo: PhotoDecisions | None) -> PhotoDecisions | None:
        """``photo`` with what the register holds it back for now (None stays None)."""
        if photo is None:
            return None
        return self.held([photo], snapshot=False).get(photo.photo_hash, photo)


class PeopleLinks:
    """The verbs linking faces to people; ``faces`` edits the face, ``desk.user`` is who
    confirms a face may be shown."""

    def __init__(self, desk: Desk, faces: FaceEdits) -> None:
        self._desk = desk
        self._faces = faces

    def link_face(self, photo_hash: str, face_id: int, person_id: str | None) -> None:
        """Link a face to a person (by register id), or unlink it (None), keeping it
        blurred. A shown face linked to someone else, or unlinked, is blurred again:
        showing it needs that person's consent confirmed."""

        def edit(face: FaceRecord, photo: PhotoDecisions) -> FaceRecord:
            if person_id is not None and face.is_text:
                raise DecisionError(WRITING_HAS_NO_PERSON)
            if person_id is not None and not face.state.is_face:
                raise DecisionError("Only a face can be linked to a person; accept it first.")
            if face.person_id == person_id:
                return face
            return replace(face, person_id=person_id, consent_by=None, consent_at=None)

        text = "Link face to a person" if person_id else "Unlink face"
        details = {"face": face_id, "person": person_id}
        self._faces.edit(photo_hash, face_id, "link_face", text, details, edit)

    def show_face(self, photo_hash: str, face_id: int, person: Person, today: date) -> None:
        """Show a face: link it to ``person`` (as read from the register just now) and
        record that staff confirmed it. Refused unless ``person`` has current consent
        on ``today``."""
        problem = person.shown_problem(today)
        if problem is not None:
            raise DecisionError(f"{person.name}'s face cannot be shown: {problem}.")

        def edit(face: FaceRecord, photo: PhotoDecisions) -> FaceRecord:
            if face.is_text:
                raise DecisionError(WRITING_HAS_NO_PERSON)
            if not face.state.is_face:
                raise DecisionError("Only a face can be shown; accept it first.")
            if face.shown and face.person_id == person.id:
                return face
            return replace(
                face, person_id=person.id, consent_by=self._desk.user, consent_at=audit.utc_now()
            )

        details = {"face": face_id, "person": person.id, "shown": True}
        self._faces.edit(photo_hash, face_id, "show_face", "Show face", details, edit)
