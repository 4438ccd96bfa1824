"""The one channel through which notices and errors reach the person at the screen.

Code never pokes a label or opens a message box to report something: it posts a
:class:`Message` on the :class:`MessageChannel`, and the :class:`MessageBar` (or anything
else listening) shows it. An error stays until dismissed, and only another error covers
it; a warning stays until the next message (it is about what was just tried); notices
fade after a few seconds. Every message of the session is kept, with its time, and
"Earlier messages" (on the bar, and in the Help menu) lists them, so nothing said is lost.
A request the core refuses is said here too (:func:`report_refusal`), never raised at the
person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QHideEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from photoscreen.core.rules import ReviewRefused
from photoscreen.core.session import DecisionError
from photoscreen.core.settings import SettingError
from photoscreen.core.storage import StoreError, WriteFailed

log = logging.getLogger(__name__)

# Notices disappear after this long; long enough to read two lines at a calm pace.
NOTICE_MS = 6000
# How many messages "Earlier messages" keeps (a long session says a few hundred at most).
HISTORY_SIZE = 500


# What the core raises when a person's request is refused; shown as a notice, not a crash.
REFUSALS = (DecisionError, ReviewRefused, SettingError, StoreError)


def report_refusal(
    messages: MessageChannel, error: BaseException, about: str | None = None
) -> None:
    """Say why a request was refused. A change the store could not save (the disk is
    full) is a problem, shown until dismissed; a refusal by the rules is a warning, about
    photo ``about`` when given (it goes when another photo is shown)."""
    if isinstance(error, WriteFailed):
        messages.error(str(error))
    else:
        messages.warning(str(error), about=about)


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
    about: str | None = None  # the photo it is about: it goes when another is shown


class MessageChannel(QObject):
    """Carries messages from anywhere in the UI to whatever shows them."""

    posted = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history: list[tuple[datetime, Message]] = []  # oldest first

    def info(self, text: str) -> None:
        self._post(Message(Level.INFO, text))

    def warning(self, text: str, detail: str = "", *, about: str | None = None) -> None:
        """A warning; ``about`` names the photo it is about (see :meth:`MessageBar.photo_shown`)."""
        self._post(Message(Level.WARNING, text, detail, about))

    def error(self, text: str, detail: str = "") -> None:
        self._post(Message(Level.ERROR, text, detail))

    def _post(self, message: Message) -> None:
        log_level = {Level.INFO: logging.INFO, Level.WARNING: logging.WARNING}
        log.log(log_level.get(message.level, logging.ERROR), "%s %s", message.text, message.detail)
        self.history.append((datetime.now(), message))
        del self.history[:-HISTORY_SIZE]
        self.posted.emit(message)


# (background, text, border) per level: dark text on a pale tint, readable for everyone.
_COLOURS = {
    Level.INFO: ("#e8f1fb", "#0b3a66", "#9cc3ea"),
    Level.WARNING: ("#fff4d6", "#5c4300", "#e5c35c"),
    Level.ERROR: ("#fde8e8", "#7a1010", "#e59a9a"),
}


def _message_font() -> QFont:
    """The message text's font (11 points, as its style sheet sets it)."""
    font = QFont()
    font.setPointSizeF(11)
    return font


_PREFIX = {Level.INFO: "", Level.WARNING: "Please note: ", Level.ERROR: "Problem: "}


class MessageBar(QFrame):
    """A strip above the work area showing the latest message, with a close button."""

    def __init__(self, channel: MessageChannel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self._label = QLabel()
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._channel = channel
        self._showing: Message | None = None
        self.history_dialog: QDialog | None = None
        earlier = QPushButton("Earlier messages")
        earlier.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        earlier.clicked.connect(self.show_history)
        close = QPushButton("Dismiss")
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self._label, 1)
        layout.addWidget(earlier)
        layout.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        channel.posted.connect(self.show_message)
        # The bar keeps its place, shown or not, and room for two lines: a message coming
        # or going never pushes the photo and the grid up and down.
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.setFixedHeight(2 * QFontMetrics(_message_font()).lineSpacing() + 14)
        self.hide()

    @property
    def text(self) -> str:
        """The text on show (for tests and screen readers)."""
        return self._label.text()

    def show_message(self, message: Message) -> None:
        showing = self._showing
        if (
            showing is not None
            and showing.level is Level.ERROR
            and message.level is not Level.ERROR
            and not self.isHidden()
        ):
            return  # nothing less than a problem covers one; it is in "Earlier messages"
        self._showing = message
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

    def photo_shown(self, photo_id: object) -> None:
        """Another photo (or folder: ``None``) is on screen: a message about the one
        before goes ("Accept or dismiss the possible face first" was about that photo)."""
        showing = self._showing
        if showing is not None and showing.about is not None and showing.about != photo_id:
            self.hide()

    def hideEvent(self, event: QHideEvent) -> None:
        self._showing = None
        super().hideEvent(event)

    def show_history(self) -> None:
        """A window listing every message of this session, newest first."""
        lines = []
        for at, message in reversed(self._channel.history):
            detail = f"\n    {message.detail}" if message.detail else ""
            lines.append(f"{at:%H:%M:%S}  {_PREFIX[message.level]}{message.text}{detail}")
        dialog = QDialog(self.window())
        dialog.setWindowTitle("Earlier messages")
        dialog.resize(640, 360)
        text = QPlainTextEdit("\n".join(lines) or "No messages yet.")
        text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(text)
        layout.addWidget(buttons)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda: setattr(self, "history_dialog", None))
        self.history_dialog = dialog
        dialog.open()
