"""The consent register's window: everyone in it, and the manager's changes.

Staff see the list (filter by typing) and each person's takedown list; the manager adds
people, withdraws consent, marks or unmarks "never publish", removes a person, imports the
centre's spreadsheet (CSV) and accepts a register changed outside photoscreen as it is,
each after the reviewer PIN when one is set. Each change runs on the ``register`` worker
pool (the PIN's scrypt check and a busy shared drive never hold up the window); the
buttons wait meanwhile. Whatever the register refuses, or a register that cannot be
reached, is said in the window in plain words and nothing is changed; rows that do not
match the register's trail are marked. Dialogs open with ``open()``; the one open now is
:attr:`dialog`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from photoscreen.core.consent import (
    ConsentError,
    ConsentRegister,
    ImportRefused,
    NewPerson,
    Person,
    RegisterFindings,
    RegisterProblem,
    parse_csv,
    read_csv,
)
from photoscreen.core.rules import ReviewRefused, name_keys
from photoscreen.ui.dialogs.prompts import NotePrompt, PinPrompt
from photoscreen.ui.dialogs.register_dialogs import AddPersonDialog, TakedownDialog
from photoscreen.ui.threads import JobError, Workers

REFUSED = (ConsentError, ReviewRefused, RegisterProblem, ImportRefused)


class RegisterWindow(QDialog):
    """The list and the buttons; changes go to ``register`` at once.

    ``changed`` is emitted after each change is saved (the window's badges depend on it).
    """

    changed = Signal()

    def __init__(
        self, register: ConsentRegister, workers: Workers, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Consent register ({register.path})")
        self.resize(960, 560)
        self.register = register
        self.dialog: QDialog | None = None
        self._workers = workers
        self._people: list[Person] = []
        self._findings = RegisterFindings()
        self.buttons: list[QPushButton] = []
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type part of a name to filter…")
        self.filter.textChanged.connect(self._fill)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Name", "Child or adult", "Consent", "Id"])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        layout.addLayout(self._buttons())
        self.reload()

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        buttons: list[tuple[str, Callable[[], object]]] = [
            ("Add person…", self.add_person),
            ("Withdraw consent", self.withdraw),
            ("Never publish…", self.never_publish),
            ("Remove…", self.remove),
            ("Import CSV…", self.import_csv),
            ("Accept as it is…", self.accept_as_is),
            ("Takedown list…", self.show_takedown),
            ("Close", self.accept),
        ]
        for text, slot in buttons:
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons.append(button)
        return row

    # The list ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the register again (another PC may have changed it)."""
        try:
            self._people = self.register.people()
            self._findings = self.register.findings()
        except RegisterProblem as problem:
            self._people, self._findings = [], RegisterFindings()
            self.say(str(problem), error=True)
        summary = self._findings.summary()
        if summary:
            self.say(summary, error=True)
        self._fill(self.filter.text())

    def _fill(self, text: str) -> None:
        wanted = name_keys(text)[1] if text.strip() else ""
        today = self.register.today()
        shown = [p for p in self._people if not wanted or wanted in name_keys(p.name)[1]]
        self.table.setRowCount(len(shown))
        for row, person in enumerate(shown):
            summary = person.summary(today)
            if person.id in self._findings.people:
                summary = "Changed outside photoscreen: held back (" + summary + ")"
            cells = (person.name, person.kind.value, summary, person.id)
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setData(Qt.ItemDataRole.UserRole, person.id)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()

    def selected(self) -> Person | None:
        """The person on the selected row, or None (said to the user)."""
        item = self.table.item(self.table.currentRow(), 0)
        person_id = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        person = next((p for p in self._people if p.id == person_id), None)
        if person is None:
            self.say("Choose a person in the list first.", error=True)
        return person

    def say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color:#9b1111;" if error else "")
        self.status.setText(text)

    # The manager's changes --------------------------------------------------------------

    def add_person(self) -> None:
        form = AddPersonDialog(self.register.today(), self)

        def submitted(new: NewPerson) -> None:
            def added(person: Person) -> None:
                form.accept()
                self.say(f"Added {person.name} ({person.id}).")

            self.as_manager(lambda pin: self.register.add(new, pin=pin), added, form.refuse)

        form.submitted.connect(submitted)
        self._open(form)

    def withdraw(self) -> None:
        person = self.selected()
        if person is not None:
            self.as_manager(
                lambda pin: self._withdrawn(person, pin),
                lambda count: self.say(f"Consent withdrawn for {person.name}. Photos of them "
                                       f"already exported: {count} (see their takedown list)."),
            )  # fmt: skip

    def _withdrawn(self, person: Person, pin: str | None) -> int:
        self.register.withdraw(person.id, pin=pin)
        return len(self.register.exports.takedown(person.id))

    def never_publish(self) -> None:
        person = self.selected()
        if person is None:
            return
        if person.never_publish:
            self._never(person, False, "")
            return
        prompt = NotePrompt(self, "Never publish",
                            f"Why may no photo of {person.name} ever be posted? Staff see "
                            "this reason when they link a face to them.", "Mark never publish",
                            required="Please give the reason.")  # fmt: skip
        prompt.answered.connect(lambda why: self._never(person, True, why))
        self._open(prompt)

    def _never(self, person: Person, never: bool, why: str) -> None:
        state = "is now marked" if never else "is no longer marked"
        self.as_manager(
            lambda pin: self.register.set_never_publish(person.id, never, why, pin=pin),
            lambda _: self.say(f"{person.name} {state} never publish."),
        )

    def remove(self) -> None:
        """Take the selected person out of the register, after saying what that does."""
        person = self.selected()
        if person is None:
            return
        prompt = NotePrompt(self, "Remove from the register",
                            f"Remove {person.name} ({person.id}) from the register? Photos "
                            "with a face linked to them will be held back until the face is "
                            "linked to someone else or unlinked; their takedown list stays "
                            "(by id). Why are they removed?", "Remove",
                            required="Please say why (it is kept in the trail).")  # fmt: skip
        prompt.answered.connect(lambda why: self.as_manager(
            lambda pin: self.register.remove(person.id, why, pin=pin),
            lambda _: self.say(f"{person.name} ({person.id}) was removed from the register."),
        ))  # fmt: skip
        self._open(prompt)

    def accept_as_is(self) -> None:
        """The manager takes a register changed outside photoscreen as it now is."""
        if self._findings.clean:
            self.say("The register matches its trail: there is nothing to accept.")
            return
        self.as_manager(
            lambda pin: self.register.accept_as_is(pin=pin),
            lambda _: self.say("The register is accepted as it is now; this is recorded."),
        )

    def import_csv(self) -> None:
        chooser = QFileDialog(self, "Import people from a CSV file", "", "CSV files (*.csv)")
        chooser.fileSelected.connect(lambda chosen: self.import_file(Path(chosen)))
        self._open(chooser)

    def import_file(self, path: Path) -> None:
        """Import ``path`` (all or nothing), after the PIN when one is set."""
        def imported(pin: str | None) -> int:
            people = parse_csv(read_csv(path), self.register.today())
            self.register.add_many(people, path.name, pin=pin)
            return len(people)

        self.as_manager(imported, lambda count: self.say(f"Imported {count} people from "
                                                         f"{path.name}."))  # fmt: skip

    def show_takedown(self) -> None:
        person = self.selected()
        if person is None:
            return
        try:
            files = self.register.exports.takedown(person.id)
        except RegisterProblem as problem:
            self.say(str(problem), error=True)
            return
        self._open(TakedownDialog(person, files, self))

    def as_manager(
        self,
        change: Callable[[str | None], Any],
        done: Callable[[Any], object],
        on_refused: Callable[[str], None] | None = None,
    ) -> None:
        """Run ``change(pin)`` on the ``register`` pool, asking for the PIN first when one
        is set, then ``done(its result)``; a refusal is said (in ``on_refused``, else the
        window). The list is read again either way."""
        refused = on_refused or (lambda why: self.say(why, error=True))
        if not self.register.pin.needed:
            self._in_background(change, None, done, refused)
            return
        prompt = PinPrompt(self, "Only the manager changes the consent register: type the "
                                 "reviewer PIN.")  # fmt: skip
        prompt.answered.connect(lambda pin: self._in_background(change, pin, done, refused))
        self._open(prompt)

    def _in_background(
        self,
        change: Callable[[str | None], Any],
        pin: str | None,
        done: Callable[[Any], object],
        refused: Callable[[str], None],
    ) -> None:
        self._set_busy(True)
        self.say("Checking the PIN and saving…" if pin else "Saving…")

        def finished(result: object) -> None:
            self._set_busy(False)
            self.say("")
            done(result)
            self.reload()
            self.changed.emit()

        def failed(error: JobError) -> None:
            self._set_busy(False)
            self.say("")
            if not isinstance(error.exception, REFUSED):
                raise error.exception
            refused(str(error.exception))
            self.reload()

        self._workers.run("register", lambda _context: change(pin), on_result=finished,
                          on_error=failed)  # fmt: skip

    def done(self, result: int) -> None:
        """Close, unless a change is still being saved (its answer is shown here)."""
        if self.busy:
            self.say("Wait a moment: a change is being saved.")
            return
        super().done(result)

    @property
    def busy(self) -> bool:
        """True while a change is being saved (the buttons wait)."""
        return bool(self.buttons) and not self.buttons[0].isEnabled()

    def _set_busy(self, busy: bool) -> None:
        for button in self.buttons:
            button.setEnabled(not busy)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
