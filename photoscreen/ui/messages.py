"""The one channel through which notices and errors reach the person at the screen.

Code never pokes a label or opens a message box to report something: it posts a
:class:`Message` on the :class:`MessageChannel`, and the :class:`MessageBar` (or anything
else listening) shows it. Errors stay until dismissed; notices fade after a few seconds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

log = logging.getLogger(__name__)

# Notices disappear after this long; long enough to read two lines at a calm pace.
NOTICE_MS = 6000


class Level(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Message:
    """One notice: how serious it is, the plain-words text, optional technical detail."""

    level: Level
    text: str
    detail: str = ""


class MessageChannel(QObject):
    """Carries messages from anywhere in the UI to whatever shows them."""

    posted = Signal(object)

    def info(self, text: str) -> None:
        self._post(Message(Level.INFO, text))

    def warning(self, text: str, detail: str = "") -> None:
        self._post(Message(Level.WARNING, text, detail))

    def error(self, text: str, detail: str = "") -> None:
        self._post(Message(Level.ERROR, text, detail))

    def _post(self, message: Message) -> None:
        log_level = {Level.INFO: logging.INFO, Level.WARNING: logging.WARNING}
        log.log(log_level.get(message.level, logging.ERROR), "%s %s", message.text, message.detail)
        self.posted.emit(message)


# (background, text, border) per level: dark text on a pale tint, readable for everyone.
_COLOURS = {
    Level.INFO: ("#e8f1fb", "#0b3a66", "#9cc3ea"),
    Level.WARNING: ("#fff4d6", "#5c4300", "#e5c35c"),
    Level.ERROR: ("#fde8e8", "#7a1010", "#e59a9a"),
}
_PREFIX = {Level.INFO: "", Level.WARNING: "Please note: ", Level.ERROR: "Problem: "}


class MessageBar(QFrame):
    """A strip above the work area showing the latest message, with a close button."""

    def __init__(self, channel: MessageChannel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self._label = QLabel()
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QPushButton("Dismiss")
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self._label, 1)
        layout.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        channel.posted.connect(self.show_message)
        self.hide()

    @property
    def text(self) -> str:
        """The text on show (for tests and screen readers)."""
        return self._label.text()

    def show_message(self, message: Message) -> None:
        back, ink, border = _COLOURS[message.level]
        self.setStyleSheet(
            f"#messageBar {{background:{back}; border:1px solid {border};}}"
            f"#messageBar QLabel {{color:{ink}; font-size:11pt;}}"
        )
        self._label.setText(_PREFIX[message.level] + message.text)
        self._label.setToolTip(message.detail)
        self.show()
        if message.level is Level.INFO:
            self._timer.start(NOTICE_MS)
        else:
            self._timer.stop()
