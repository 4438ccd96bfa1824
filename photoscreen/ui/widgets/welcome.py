"""The first screen, before any folder is open: open a folder, a recent one, or the demo.

It works from the keyboard alone: the first button has the focus, Tab moves between the
buttons and the recent folders, and Space or Return presses the button with the focus (a
recent folder opens with Return, as with a double-click). See
:mod:`photoscreen.ui.widgets.button_keys`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from photoscreen.core.basics import shown_name
from photoscreen.ui.widgets.button_keys import ButtonKeys

_INTRO = (
    "photoscreen gets a session's photos ready to post safely: it hides faces, removes "
    "hidden details such as location and names from the files, and keeps out photos the "
    "centre's policy does not allow."
    "<br><br>Copy the session's photos into a folder, then open that folder here. "
    "You can also drag a folder onto this window."
)
_CARD_WIDTH, _CARD_MARGIN = 620, 28


class WelcomePage(QWidget):
    """Big, plain buttons; recent folders below. Emits what the person chose."""

    open_folder_clicked = Signal()
    recent_chosen = Signal(Path)
    demo_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        card = QFrame()
        card.setObjectName("welcomeCard")
        card.setFixedWidth(_CARD_WIDTH)
        card.setStyleSheet(
            "#welcomeCard {background:#ffffff; border:1px solid #c8c8c8; border-radius:8px;}"
            "QLabel {font-size:11pt;} QPushButton {font-size:12pt; padding:8px 16px;}"
        )
        title = QLabel("<h1>Welcome to photoscreen</h1>")
        self.intro = intro = QLabel(_INTRO)
        intro.setWordWrap(True)
        self.open_button = QPushButton("Open a folder of photos…")
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_folder_clicked)
        self.demo_button = QPushButton("Try it with sample photos")
        self.demo_button.setToolTip("Opens a folder of made-up sample photos to practise on")
        self.demo_button.clicked.connect(self.demo_clicked)
        self._button_keys = ButtonKeys(self)
        for button in (self.open_button, self.demo_button):
            self._button_keys.watch(button)
        self._recent_title = QLabel("<b>Recent folders</b> (double-click to open)")
        self.recent_list = QListWidget()
        self.recent_list.setMaximumHeight(170)
        self.recent_list.itemActivated.connect(self._on_recent)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(_CARD_MARGIN, 20, _CARD_MARGIN, 20)
        for widget in (title, intro, self.open_button, self.demo_button):
            layout.addWidget(widget)
        layout.addSpacing(8)
        layout.addWidget(self._recent_title)
        layout.addWidget(self.recent_list)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def showEvent(self, event: QShowEvent) -> None:
        # The card is laid out from size hints, which ignore how much height wrapped text
        # needs at the card's width: without this its last lines are cut off. Measured
        # once styled, as the card's style sheet sets the font.
        self.intro.ensurePolished()
        text_width = _CARD_WIDTH - 2 * _CARD_MARGIN - 2  # the frame's border
        self.intro.setMinimumHeight(self.intro.heightForWidth(text_width))
        super().showEvent(event)
        if self.focusWidget() is None:
            self.open_button.setFocus()

    def set_recent(self, folders: Sequence[Path]) -> None:
        """Show ``folders`` (newest first); hides the list when there are none."""
        self.recent_list.clear()
        for folder in folders:
            item = QListWidgetItem(f"{shown_name(folder.name)}    ({shown_name(folder.parent)})")
            item.setData(Qt.ItemDataRole.UserRole, str(folder))
            item.setToolTip(str(folder))
            self.recent_list.addItem(item)
        self._recent_title.setVisible(bool(folders))
        self.recent_list.setVisible(bool(folders))

    def _on_recent(self, item: QListWidgetItem) -> None:
        self.recent_chosen.emit(Path(item.data(Qt.ItemDataRole.UserRole)))
