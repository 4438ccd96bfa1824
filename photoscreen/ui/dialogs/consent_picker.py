"""Whose face is this? The picker of people in the consent register, keyboard only.

Shift+C on a blurred face opens it: type to filter, Up/Down to move, Enter to choose,
then a confirmation naming the person says what will happen (Enter confirms, Esc goes
back to the list). People with current consent come first and can be shown; "never
publish" people are offered too (linking one keeps the whole photo out of exports, and
the confirmation says so); anyone else can be linked while the face stays blurred.
Nothing here recognises faces: the person at the PC chooses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from photoscreen.core.consent import (
    ConsentRegister,
    ConsentState,
    Person,
    RegisterProblem,
    day_words,
)
from photoscreen.core.rules import FaceRecord, name_keys

_ORDER = {ConsentState.CURRENT: 0, ConsentState.NEVER_PUBLISH: 1}


def picker_line(person: Person, today: date) -> str:
    """How a person reads in the list: name, child or adult, and what choosing does."""
    state = person.state(today)
    if state is ConsentState.CURRENT:
        what = f"consent until {day_words(person.review_on)}"
    elif state is ConsentState.NEVER_PUBLISH:
        what = "NEVER PUBLISH: linking keeps the photo out"
    else:
        summary = person.summary(today)
        what = f"{summary[:1].lower()}{summary[1:]}: link only, stays blurred"
    return f"{person.name}  ·  {person.kind.value}  ·  {what}"


def confirmation(person: Person, today: date) -> tuple[str, bool]:
    """What the confirmation says, and whether the face may be shown."""
    state = person.state(today)
    if state is ConsentState.CURRENT:
        given = f" (given by {person.given_by})" if person.given_by else ""
        return (
            f"Show the face of {person.name}?\n\nConsent to post is on the register until "
            f"{day_words(person.review_on)}{given}. The face will not be blurred; the "
            "register is checked again when the photo is exported.",
            True,
        )
    if state is ConsentState.NEVER_PUBLISH:
        reason = f" ({person.never_publish_reason})" if person.never_publish_reason else ""
        return (
            f"{person.name} is marked never publish{reason}.\n\nLinking this face to them "
            "keeps the whole photo from being exported, even with the face blurred.",
            False,
        )
    return (
        f"Link this face to {person.name}?\n\n{person.summary(today)}, so the face stays "
        "blurred.",
        False,
    )


def people_lines(
    faces: Sequence[FaceRecord], register: Callable[[], ConsentRegister | None]
) -> list[str]:
    """The side panel's lines about who is on the photo: shown, linked (blurred), a
    "never publish" person (the photo stays out), older marks still to be linked."""
    lines: list[str] = []
    older = sum(1 for f in faces if f.needs_linking)
    if older:
        faces_words = f"{older} face{'s' if older > 1 else ''}"
        lines.append(f"{faces_words} marked \"consent on file\" before the register: blurred "
                     "until you choose whose face (Shift+C).")  # fmt: skip
    linked = [(f, f.person_id) for f in faces if f.person_id]
    if not linked:
        return lines
    try:
        found = register()
        today = found.today() if found is not None else date.today()
        people = {pid: found.person(pid) if found else None for _, pid in linked}
    except RegisterProblem as problem:
        return [*lines, f"Linked faces cannot be checked: {problem}"]
    for face, pid in linked:
        person = people.get(pid)
        name = person.name if person else f"someone no longer in the register ({pid})"
        if person is not None and person.never_publish:
            lines.append(f"Linked: {name}, never publish: this photo will not be exported.")
        elif face.shown:
            problem_words = person.shown_problem(today) if person else "not in the register"
            lines.append(f"Shown: {name}" + (f" ({problem_words})" if problem_words else ""))
        else:
            lines.append(f"Linked, blurred: {name}")
    return lines


class PersonPicker(QDialog):
    """The list, then the confirmation; ``chosen(person_id, show)`` on confirming."""

    chosen = Signal(str, bool)

    def __init__(self, people: list[Person], today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Whose face is this?")
        self.setMinimumSize(720, 420)
        self._today = today
        self._people = sorted(people, key=lambda p: (_ORDER.get(p.state(today), 2),
                                                     p.name.casefold()))  # fmt: skip
        self._person: Person | None = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self._list_page())
        self.pages.addWidget(self._confirm_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self._refill("")
        self.filter.setFocus()

    def _list_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        hint = QLabel("Type part of a name, Up/Down to move, Enter to choose, Esc to cancel.")
        hint.setWordWrap(True)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Name…")
        self.filter.textChanged.connect(self._refill)
        self.filter.installEventFilter(self)
        self.list = QListWidget()
        self.list.itemActivated.connect(lambda _item: self._choose())
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        for widget in (hint, self.filter, self.list, self.empty):
            layout.addWidget(widget)
        return page

    def _confirm_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.confirm_button = QPushButton()
        self.confirm_button.clicked.connect(lambda: self._confirm())
        self.link_button = QPushButton("Link only, keep blurred")
        self.link_button.clicked.connect(lambda: self._confirm(show=False))
        back = QPushButton("Back to the list (Esc)")
        back.clicked.connect(self._back)
        for button in (self.link_button, back):
            button.setAutoDefault(False)
        for widget in (self.question, self.confirm_button, self.link_button, back):
            layout.addWidget(widget)
        layout.addStretch(1)
        return page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and Down in the filter field move through the list; Enter chooses."""
        if watched is self.filter and isinstance(event, QKeyEvent):
            if event.type() != QEvent.Type.KeyPress:
                return super().eventFilter(watched, event)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose()  # here, not also the dialog's default button
                return True
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step is not None and self.list.count():
                row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
                self.list.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)

    def _refill(self, text: str) -> None:
        wanted = name_keys(text)[1] if text.strip() else ""
        self.list.clear()
        for person in self._people:
            if wanted and wanted not in name_keys(person.name)[1]:
                continue
            item = QListWidgetItem(picker_line(person, self._today))
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.empty.setText(
            "" if self.list.count() else
            "Nobody in the consent register matches. The manager adds people in the "
            "consent register (Ctrl+Shift+R); until then the face stays blurred."
        )  # fmt: skip

    def _choose(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        person_id = item.data(Qt.ItemDataRole.UserRole)
        self._person = next(p for p in self._people if p.id == person_id)
        words, may_show = confirmation(self._person, self._today)
        self.question.setText(words)
        self.confirm_button.setText(
            f"Show {self._person.name}'s face" if may_show else f"Link to {self._person.name}"
        )
        self.link_button.setVisible(may_show)
        self.pages.setCurrentIndex(1)
        self.confirm_button.setDefault(True)
        self.confirm_button.setFocus()

    def _confirm(self, show: bool | None = None) -> None:
        if self._person is None:
            return
        may_show = self._person.has_current_consent(self._today)
        self.chosen.emit(self._person.id, may_show if show is None else show and may_show)
        self.accept()

    def _back(self) -> None:
        self.pages.setCurrentIndex(0)
        self.filter.setFocus()

    def reject(self) -> None:
        """Esc on the confirmation goes back to the list; on the list, it cancels."""
        if self.pages.currentIndex() == 1:
            self._back()
            return
        super().reject()
