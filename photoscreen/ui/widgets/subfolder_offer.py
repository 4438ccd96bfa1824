"""Shown where the photo would be when the folder opened has no photos but folders inside
it do: one button per such folder ("Monday trip — 12 photos") opens it.

The first button has the focus; Tab moves between them, Space or Return opens the one
with the focus (see :mod:`photoscreen.ui.widgets.button_keys`), a click opens it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from photoscreen.core.basics import shown_name
from photoscreen.core.session import Subfolder
from photoscreen.ui.widgets.button_keys import ButtonKeys

INTRO = "<h2>No photos in this folder</h2>But the folders inside it have photos. Open one:"


def offer_text(subfolder: Subfolder) -> str:
    """A button's caption: the folder's name and how many photos it holds."""
    count = "1 photo" if subfolder.photos == 1 else f"{subfolder.photos} photos"
    return f"{shown_name(subfolder.path.name)}  —  {count}"


class SubfolderOffer(QWidget):
    """The folders inside the open one that hold photos; ``chosen`` carries the one opened."""

    chosen = Signal(object)  # Path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet("QPushButton {font-size:12pt; padding:6px 16px; text-align:left;}")
        self._intro = QLabel(INTRO)
        self._intro.setWordWrap(True)
        self._list = QWidget()
        self._column = QVBoxLayout(self._list)
        self._column.setAlignment(Qt.AlignmentFlag.AlignTop)
        area = QScrollArea()
        area.setWidget(self._list)
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 40, 40, 20)
        layout.addWidget(self._intro)
        layout.addWidget(area, 1)
        self._keys = ButtonKeys(self)
        self.buttons: list[QPushButton] = []

    def offer(self, subfolders: Sequence[Subfolder]) -> None:
        """Show one button per folder (replacing those shown before)."""
        for button in self.buttons:
            button.deleteLater()
        self.buttons = []
        for subfolder in subfolders:
            button = QPushButton(offer_text(subfolder))
            button.setToolTip(str(subfolder.path))
            button.clicked.connect(lambda _=False, path=subfolder.path: self._choose(path))
            self._keys.watch(button)
            self._column.addWidget(button)
            self.buttons.append(button)

    def focus_first(self) -> None:
        """Put the keyboard on the first folder's button."""
        if self.buttons:
            self.buttons[0].setFocus()

    def _choose(self, path: Path) -> None:
        self.chosen.emit(path)
