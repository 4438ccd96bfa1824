"""Space and Return press the focused button of a page (the welcome page, the folders offer).

Two things stand in the way outside a dialog. The window's shortcuts see a key before
the focused widget does: Space is "faces checked", and a shortcut takes its key even
while its command is disabled. And a push button outside a dialog ignores Return. So the
page claims both keys for its buttons (a widget that accepts the ``ShortcutOverride``
event gets the key instead of the shortcut) and presses the focused button on Return
itself, as a dialog would.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QWidget

PRESS_KEYS = frozenset({Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter})


def _is_press_key(event: QKeyEvent) -> bool:
    plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return plain and event.key() in PRESS_KEYS


class ButtonKeys(QObject):
    """Watches the buttons of ``page``: Space and Return press the one with the focus."""

    def __init__(self, page: QWidget) -> None:
        super().__init__(page)
        self._page = page

    def watch(self, button: QAbstractButton) -> None:
        """Let Space and Return press ``button`` while it has the focus."""
        button.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QAbstractButton) or not isinstance(event, QKeyEvent):
            return False
        if not _is_press_key(event):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # the key goes to the button, not to a window shortcut
            return True
        if event.type() == QEvent.Type.KeyPress and event.key() != Qt.Key.Key_Space:
            watched.click()  # Return / Enter (Space the button handles itself)
            return True
        return False
