"""Shift+C and the consent register, between the photo view and the session.

Shift+C on a blurred face opens the picker (:mod:`photoscreen.ui.dialogs.consent_picker`): the
person confirmed is linked to the face, which is shown when their consent is current, or
stays blurred (linked only). Shift+C on a shown face blurs it again (it stays linked). A
register that cannot be used is said plainly and the face stays as it is. The person is
read from the register again at the moment of confirming, never from the list as it was
when the picker opened; nobody whose row was changed outside photoscreen (it does not
match the register's chained trail) is offered or linked. Ctrl+Shift+R opens the
register's own window.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QWidget

from photoscreen.core.consent import (
    REGISTER_KEY,
    ConsentRegister,
    RegisterProblem,
    register_path,
    session_register,
)
from photoscreen.core.rules import FaceRecord
from photoscreen.ui.control import Controller
from photoscreen.ui.dialogs import PersonPicker, RegisterWindow, people_lines


class ConsentFlow(QObject):
    """Opens the picker and the register window for the window's controller."""

    def __init__(self, window: QWidget, controller: Controller) -> None:
        super().__init__(window)
        self._window = window
        self._controller = controller
        self.dialog: QDialog | None = None  # the one open now (tests drive it)
        self._register_cache: ConsentRegister | None = None
        controller.panel_changed.connect(lambda _state: self.show_people())

    def show_people(self) -> None:
        """Say in the side panel who is shown and who is linked on the photo on screen."""
        label = getattr(getattr(self._window, "side_panel", None), "people_label", None)
        if label is None:
            return
        entry = self._controller.current_entry()
        decisions = entry.decisions if entry is not None else None
        faces = decisions.faces if decisions is not None else ()
        lines = people_lines(faces, self._cached_register)
        label.setText("<br>".join(html.escape(line) for line in lines))
        label.setVisible(bool(lines))

    def people_for(self, faces: Sequence[FaceRecord]) -> list[str]:
        """Who is shown and linked among ``faces``, by name, for the manager's review."""
        return people_lines(faces, self._cached_register)

    def _cached_register(self) -> ConsentRegister | None:
        """The register for the side panel's names, opened once per place."""
        session = self._controller.session
        if session is None:
            return None
        cached = self._register_cache
        if cached is None or cached.path != register_path(session.settings.get(REGISTER_KEY)):
            cached = self._register_cache = session_register(session)
        return cached

    def face_key(self, face_id: str) -> None:
        """Shift+C on a face: blur a shown face again, else ask whose face it is."""
        entry = self._controller.current_entry()
        faces = entry.decisions.faces if entry is not None and entry.decisions else ()
        face = next((f for f in faces if str(f.id) == face_id), None)
        if face is None:
            return
        if face.shown:
            self._controller.verbs.toggle_consent(face_id)  # blurred again, still linked
            return
        register = self._register()
        if register is None:
            return
        try:
            found = register.findings()
            people = [p for p in register.people() if found.trusted(p.id)]
        except RegisterProblem as problem:
            self._controller.messages.error(str(problem))
            return
        if not found.clean:  # nobody whose row was changed outside photoscreen is offered
            self._controller.messages.warning(found.summary() or "")
        picker = PersonPicker(people, register.today(), self._window)
        picker.chosen.connect(lambda person_id, show: self._link(face_id, person_id, show))
        self._open(picker)

    def open_register(self) -> None:
        register = self._register()
        if register is not None:
            window = RegisterWindow(register, self._controller.workers, self._window)
            window.changed.connect(self._controller.refresh_all)  # badges follow the register
            self._open(window)

    def _link(self, face_id: str, person_id: str, show: bool) -> None:
        register = self._register()
        if register is None:
            return
        try:
            person = register.person(person_id)
            trusted = register.findings().trusted(person_id)
        except RegisterProblem as problem:
            self._controller.messages.error(str(problem))
            return
        if person is not None and not trusted:
            self._controller.messages.warning(
                f"{person_id}'s record in the consent register was changed outside "
                "photoscreen: the manager must check it first."
            )
            return
        if person is None:
            self._controller.messages.warning("That person is no longer in the consent register.")
            return
        today = register.today()
        c = self._controller
        if show:
            if c.verbs.decide(lambda s, h: s.show_face(h, int(face_id), person, today)):
                c.messages.info(f"{person.name}'s face will be shown.")
            return
        if c.verbs.decide(lambda s, h: s.link_face(h, int(face_id), person.id)):
            never = person.shown_problem(today) if person.never_publish else None
            c.messages.info(
                f"Linked to {person.name}; the face stays blurred."
                if never is None else
                f"Linked to {person.name}, {never}: this photo will not be exported."
            )  # fmt: skip

    def _register(self) -> ConsentRegister | None:
        session = self._controller.session
        if session is None:
            self._controller.messages.info("Open a folder first.")
            return None
        try:
            return session_register(session)
        except RegisterProblem as problem:
            self._controller.messages.error(str(problem))
            return None

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
