"""Keys matched on what is typed, not as Qt shortcuts: zoom in (+ or =) and Tab over boxes.

"+" is Shift+= on a US keyboard, a key of its own on a German one and on the keypad, and
Qt reports them differently. Registered as several shortcuts ("+", "Shift++", "Shift+=",
"=") one press matched two of them on X11, and Qt then does nothing but log "Ambiguous
shortcut overload". So zoom in has no shortcut: this filter watches key presses in its
window and zooms on "+" or "=" (with or without Ctrl, Shift or the keypad).

Tab and Shift+Tab select the next / previous face box from the first press when the
focus is on the grid, the face strip or nowhere in particular (the photo view itself
takes them as box keys): without this the first presses only walked the focus through
the window's buttons.

Fields where text is typed keep their keys (see :func:`takes_text`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

ZOOM_IN_TEXT = frozenset({"+", "="})
ZOOM_IN_KEYS = frozenset({Qt.Key.Key_Plus, Qt.Key.Key_Equal})
# Modifiers that do not change what "+" means: Shift (how it is typed), the keypad, Ctrl
# (Ctrl++ is the zoom key of most programs).
_NEUTRAL = (
    Qt.KeyboardModifier.ShiftModifier
    | Qt.KeyboardModifier.KeypadModifier
    | Qt.KeyboardModifier.ControlModifier
)


def takes_text(widget: object) -> bool:
    """True for a widget where the key is typed into a field rather than a command."""
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox))


def is_zoom_in(event: QKeyEvent) -> bool:
    """A press of "+" or "=" however the keyboard reports it (see the module docstring)."""
    if event.modifiers() & ~_NEUTRAL:
        return False
    return event.key() in ZOOM_IN_KEYS or event.text() in ZOOM_IN_TEXT


def tab_direction(event: QKeyEvent) -> int:
    """+1 for Tab, -1 for Shift+Tab (Backtab), 0 for any other key or with Ctrl/Alt."""
    if event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier:
        return 0
    if event.key() == Qt.Key.Key_Backtab:
        return -1
    if event.key() == Qt.Key.Key_Tab:
        shifted = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        return -1 if shifted else 1
    return 0


class TypedKeys(QObject):
    """Watches ``window``'s key presses for zoom in and box Tab (see the module docstring).

    ``zoom_in()`` is called for "+". ``cycle_boxes(forward)`` is called for Tab pressed in
    a widget for which ``tab_from(widget)`` is true (the grid, the face strip, the window
    itself: not the side panel's buttons, which keep Tab for moving between them); it
    returns False when there is no box to go to, and the focus then moves on as usual.
    """

    def __init__(
        self,
        window: QWidget,
        zoom_in: Callable[[], object],
        cycle_boxes: Callable[[bool], bool],
        tab_from: Callable[[QWidget], bool],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._zoom_in = zoom_in
        self._cycle_boxes = cycle_boxes
        self._tab_from = tab_from
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        if takes_text(watched):
            return False
        if is_zoom_in(event):
            self._zoom_in()
            return True
        direction = tab_direction(event)
        if direction and self._tab_from(watched):
            return self._cycle_boxes(direction > 0)
        return False
