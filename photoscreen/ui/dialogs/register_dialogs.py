"""The consent register's smaller windows: adding a person, and one person's takedown list.

:class:`AddPersonDialog` asks what the manager knows (the name staff use, child or adult,
consent yes or no, who gave it, the day, the review day, never publish and why) and hands
it on as a :class:`~photoscreen.core.consent.NewPerson`; the register checks it. A
refusal is shown in the dialog, which stays open with what was typed.
:class:`TakedownDialog` lists every file exported with the person in it: the day, the
upload folder, the neutral file name, whether the face was shown, and the photo's
thumbnail from its folder's session (never from the upload).
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from photoscreen.core.consent import (
    ConsentError,
    ExportedFile,
    Kind,
    NewPerson,
    Person,
    parse_day,
    thumbnail_path,
)

THUMB_SIDE = 96


def _local(moment: str) -> str:
    """A UTC time from the index as this PC's local time: "4 Dec 2026 09:41"."""
    try:
        when = datetime.fromisoformat(moment).astimezone()
    except ValueError:
        return moment
    return f"{when.day} {when:%b %Y %H:%M}"


class AddPersonDialog(QDialog):
    """The manager's form for one new person; ``submitted(NewPerson)`` on Add."""

    submitted = Signal(object)

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a person to the consent register")
        self.name = QLineEdit()
        self.kind = QComboBox()
        self.kind.addItems(["Child", "Adult"])
        self.consent = QComboBox()
        self.consent.addItems(["Yes, photos may be posted", "No"])
        self.given_by = QLineEdit()
        self.given_by.setPlaceholderText("for example: Mum (Jane Jones), by signed form")
        self.given_on = QLineEdit(today.isoformat())
        self.review_on = QLineEdit()
        self.review_on.setPlaceholderText("blank: a year after the answer")
        self.never = QCheckBox("Never publish (a looked-after child, a court order, safety)")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("why (shown to staff)")
        self.error = QLabel()
        self.error.setStyleSheet("color:#9b1111;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        for label, widget in (("Name staff use", self.name), ("Child or adult", self.kind),
                              ("Consent to post", self.consent), ("Given by", self.given_by),
                              ("Day of the answer", self.given_on),
                              ("Review by", self.review_on), ("", self.never),
                              ("Reason", self.reason)):  # fmt: skip
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.name.setFocus()

    def refuse(self, why: str) -> None:
        """Say why the person was not added; the form stays open."""
        self.error.setText(why)

    def _submit(self) -> None:
        try:
            consent = self.consent.currentIndex() == 0
            given = parse_day(self.given_on.text()) if self.given_on.text().strip() else None
            review = parse_day(self.review_on.text()) if self.review_on.text().strip() else None
        except ConsentError as error:
            self.refuse(str(error))
            return
        kind = Kind.CHILD if self.kind.currentIndex() == 0 else Kind.ADULT
        new = NewPerson(self.name.text(), kind, consent, self.given_by.text(), given, review,
                        self.never.isChecked(), self.reason.text())  # fmt: skip
        self.submitted.emit(new)


class TakedownDialog(QDialog):
    """Every file exported with ``person`` in it, newest first."""

    def __init__(
        self, person: Person, files: list[ExportedFile], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Takedown list: {person.name}")
        self.resize(900, 520)
        heading = QLabel(
            f"Photos exported with {person.name} ({person.id}) in them: {len(files)}. Find "
            "each file in its upload folder and remove the post made from it."
            if files else f"No photo with {person.name} in it has been exported."
        )  # fmt: skip
        heading.setWordWrap(True)
        self.table = QTableWidget(len(files), 5)
        self.table.setHorizontalHeaderLabels(
            ["Photo", "Exported", "File name", "Upload folder", "Face"]
        )
        self.table.verticalHeader().setDefaultSectionSize(THUMB_SIDE + 8)
        self.table.setColumnWidth(0, THUMB_SIDE + 12)
        for row, file in enumerate(reversed(files)):
            self._fill(row, file)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, THUMB_SIDE + 12)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def _fill(self, row: int, file: ExportedFile) -> None:
        thumb = QLabel("(folder not\nreachable)")
        path = thumbnail_path(file)
        pixmap = QPixmap(str(path)) if path is not None else QPixmap()
        if not pixmap.isNull():
            thumb = QLabel()
            thumb.setPixmap(pixmap.scaled(THUMB_SIDE, THUMB_SIDE,
                                          Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation))  # fmt: skip
        thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.setCellWidget(row, 0, thumb)
        cells = (_local(file.exported_at), file.file_name, file.destination,
                 "shown" if file.shown else "blurred (linked)")  # fmt: skip
        for column, text in enumerate(cells, start=1):
            item = QTableWidgetItem(text)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, column, item)
