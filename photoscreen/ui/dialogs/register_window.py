"""The consent register's window: everyone in it, and the manager's changes.

Staff see the list (filter by typing) and each person's takedown list; the manager adds
people, withdraws consent, marks or unmarks "never publish" and imports the centre's
spreadsheet (CSV), each after the reviewer PIN when one is set. Whatever the register
refuses, or a register that cannot be reached, is said in the window in plain words and
nothing is changed. Dialogs open with ``open()``; the one open now is :attr:`dialog`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
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
    RegisterProblem,
    parse_csv,
    read_csv,
)
from photoscreen.core.rules import ReviewRefused, name_keys
from photoscreen.ui.dialogs.prompts import NotePrompt, PinPrompt
from photoscreen.ui.dialogs.register_dialogs import AddPersonDialog, TakedownDialog

REFUSED = (ConsentError, ReviewRefused, RegisterProblem, ImportRefused)


class RegisterWindow(QDialog):
    """The list and the buttons; changes go to ``register`` at once."""

    def __init__(self, register: ConsentRegister, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Consent register ({register.path})")
        self.resize(860, 560)
        self.register = register
        self.dialog: QDialog | None = None
        self._people: list[Person] = []
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
            ("Import CSV…", self.import_csv),
            ("Takedown list…", self.show_takedown),
            ("Close", self.accept),
        ]
        for text, slot in buttons:
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
        return row

    # The list ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the register again (another PC may have changed it)."""
        try:
            self._people = self.register.people()
        except RegisterProblem as problem:
            self._people = []
            self.say(str(problem), error=True)
        self._fill(self.filter.text())

    def _fill(self, text: str) -> None:
        wanted = name_keys(text)[1] if text.strip() else ""
        today = self.register.today()
        shown = [p for p in self._people if not wanted or wanted in name_keys(p.name)[1]]
        self.table.setRowCount(len(shown))
        for row, person in enumerate(shown):
            cells = (person.name, person.kind.value, person.summary(today), person.id)
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
            def add(pin: str | None) -> None:
                person = self.register.add(new, pin=pin)
                form.accept()
                self.say(f"Added {person.name} ({person.id}).")

            self.as_manager(add, on_refused=form.refuse)

        form.submitted.connect(submitted)
        self._open(form)

    def withdraw(self) -> None:
        person = self.selected()
        if person is not None:
            self.as_manager(lambda pin: self._withdrawn(person, pin))

    def _withdrawn(self, person: Person, pin: str | None) -> None:
        self.register.withdraw(person.id, pin=pin)
        count = len(self.register.takedown(person.id))
        self.say(f"Consent withdrawn for {person.name}. Photos of them already exported: "
                 f"{count} (see their takedown list).")  # fmt: skip

    def never_publish(self) -> None:
        person = self.selected()
        if person is None:
            return
        if person.never_publish:
            self.as_manager(lambda pin: self._never(person, False, "", pin))
            return
        prompt = NotePrompt(self, "Never publish",
                            f"Why may no photo of {person.name} ever be posted? Staff see "
                            "this reason when they link a face to them.", "Mark never publish",
                            required="Please give the reason.")  # fmt: skip
        prompt.answered.connect(lambda why: self.as_manager(
            lambda pin: self._never(person, True, why, pin)))  # fmt: skip
        self._open(prompt)

    def _never(self, person: Person, never: bool, why: str, pin: str | None) -> None:
        self.register.set_never_publish(person.id, never, why, pin=pin)
        state = "is now marked" if never else "is no longer marked"
        self.say(f"{person.name} {state} never publish.")

    def import_csv(self) -> None:
        chooser = QFileDialog(self, "Import people from a CSV file", "", "CSV files (*.csv)")
        chooser.fileSelected.connect(lambda chosen: self.import_file(Path(chosen)))
        self._open(chooser)

    def import_file(self, path: Path) -> None:
        """Import ``path`` (all or nothing), after the PIN when one is set."""
        def imported(pin: str | None) -> None:
            people = parse_csv(read_csv(path), self.register.today())
            self.register.add_many(people, path.name, pin=pin)
            self.say(f"Imported {len(people)} people from {path.name}.")

        self.as_manager(imported)

    def show_takedown(self) -> None:
        person = self.selected()
        if person is None:
            return
        try:
            files = self.register.takedown(person.id)
        except RegisterProblem as problem:
            self.say(str(problem), error=True)
            return
        self._open(TakedownDialog(person, files, self))

    def as_manager(
        self, change: Callable[[str | None], None], on_refused: Callable[[str], None] | None = None
    ) -> None:
        """Run ``change(pin)``, asking for the PIN first when one is set; a refusal is
        said (in ``on_refused``, else the window) and the list read again."""
        def run(pin: str | None) -> None:
            try:
                change(pin)
            except REFUSED as refused:
                (on_refused or (lambda why: self.say(why, error=True)))(str(refused))
            self.reload()

        if not self.register.needs_pin:
            run(None)
            return
        prompt = PinPrompt(self, "Only the manager changes the consent register: type the "
                                 "reviewer PIN.")  # fmt: skip
        prompt.answered.connect(run)
        self._open(prompt)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
