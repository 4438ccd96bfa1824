"""The keyboard help (F1 or ?): every key, over the window, read from the command table.

"?" is matched on the character typed, not on a key and its modifiers: it is Shift+/ on
a US keyboard, Shift+ß on a German one, and Qt reports those differently (often with the
Shift modifier set, which a plain "?" shortcut then fails to match). So the overlay
watches key presses in its window itself, except in fields where "?" is being typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from photoscreen.core.rules import Activity
from photoscreen.ui.photo import BOX_KEY_HELP
from photoscreen.ui.widgets.actions import COMMANDS, keys_text

_GROUP_TITLES = {
    "Decide": "Deciding about a photo",
    "Faces": "Face boxes",
    "View": "Seeing the photo",
    "Move": "Moving between photos",
    "Edit": "Changing your mind",
    "Window": "Everything else",
}


def help_html(activities: Sequence[Activity]) -> str:
    """The overlay's text in three columns, so it fits a 1366 x 768 screen."""
    columns = (
        _activity_rows(activities)
        + _group_rows("Decide", first=not any(a.shortcut for a in activities)),
        _group_rows("Faces", first=True) + _box_rows() + _group_rows("View"),
        _group_rows("Move", first=True) + _group_rows("Edit") + _group_rows("Window"),
    )
    cells = "".join(
        f"<td valign='top' width='33%'><table cellpadding='1'>{''.join(rows)}</table></td>"
        for rows in columns
    )
    return (
        f"<h2>Keyboard keys</h2><table width='100%'><tr>{cells}</tr></table>"
        "<p>In the photo: drag a box to move it, drag its corner to resize it, right-click "
        "a box for more; the mouse wheel zooms. <i>Press F1, ? or Esc to close this "
        "list.</i></p>"
    )


def _activity_rows(activities: Sequence[Activity]) -> list[str]:
    tagged = [a for a in activities if a.shortcut]
    if not tagged:
        return []
    rows = ["<tr><td colspan='2'><b>Activity of the photo</b></td></tr>"]
    for activity in tagged:
        blocked = " (blocked: never posted)" if activity.blocked else ""
        rows.append(_row(activity.shortcut or "", escape(activity.label) + blocked))
    return rows


def _group_rows(group: str, *, first: bool = False) -> list[str]:
    # A blank line above each group but a column's first, so the columns' tops align.
    gap = "" if first else "<br>"
    rows = [f"<tr><td colspan='2'>{gap}<b>{_GROUP_TITLES[group]}</b></td></tr>"]
    rows += [
        _row(keys_text(c.keys), escape(c.help)) for c in COMMANDS if c.group == group and c.keys
    ]
    return rows


def _box_rows() -> list[str]:
    """The photo view's keys for a selected face box, from its own table."""
    rows = ["<tr><td colspan='2'><br><b>With a face box selected</b></td></tr>"]
    return rows + [_row(keys, escape(what)) for keys, what in BOX_KEY_HELP]


def _row(keys: str, text: str) -> str:
    return f"<tr><td align='right'><b>{escape(keys)}</b></td><td>{text}</td></tr>"


class HelpOverlay(QFrame):
    """A panel laid over its parent that lists every key; any of F1, ?, Esc closes it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        self.setStyleSheet(
            "#helpOverlay {background: #ffffff; border: 2px solid #1f5fbf;"
            " border-radius: 8px;} QLabel {font-size: 11pt; color: #111;}"
        )
        self._label = QLabel()
        self._label.setTextFormat(Qt.TextFormat.RichText)
        self._label.setWordWrap(True)
        self._label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.addWidget(self._label)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        parent.installEventFilter(self)
        # Key presses reach the focused widget, not the window: watch them application-wide
        # and keep only those of this window (see the module docstring).
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.hide()

    @property
    def text(self) -> str:
        return self._label.text()

    def set_activities(self, activities: Sequence[Activity]) -> None:
        self._label.setText(help_html(activities))

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
            return
        self._place()
        self.show()
        self.raise_()
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F1):
            self.hide()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.text() == "?"
            and self._is_help_key_target(watched)
        ):
            self.toggle()
            return True
        return False

    def _is_help_key_target(self, watched: QObject) -> bool:
        """A widget of this window that does not take "?" as typed text."""
        if not isinstance(watched, QWidget) or watched.window() is not self.window():
            return False
        if isinstance(watched, QComboBox):
            return not watched.isEditable()
        return not isinstance(watched, (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox))

    def _place(self) -> None:
        parent = self.parentWidget()
        assert parent is not None  # made with a parent, see __init__
        width = min(1320, parent.width() - 40)
        self.setFixedWidth(width)
        # The word-wrapped text's real height at this width, not a guess from its length.
        natural = self.heightForWidth(width)
        height = min(natural if natural > 0 else self.sizeHint().height(), parent.height() - 40)
        self.setGeometry((parent.width() - width) // 2, 20, width, height)
