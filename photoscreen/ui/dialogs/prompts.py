"""Small questions the window asks: the user's name, a note for the manager, the PIN.

Each prompt is window-modal but opened with ``open()``, never ``exec()``: the answer
arrives through the ``answered`` signal, so nothing nests an event loop and tests can
drive a prompt like a person would (type, press OK).

In a note several lines long, Return starts a new line; Ctrl+Enter (or Ctrl+Return) sends
it, as in most mail and chat programs, and the button's caption says so.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class _Prompt(QDialog):
    """A question, one input and OK/Cancel; ``answered`` carries the text on OK."""

    answered = Signal(str)

    def __init__(self, parent: QWidget | None, title: str, question: str, ok_text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self._question = QLabel(question)
        self._question.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        self._error = QLabel()
        self._error.setStyleSheet("color:#9b1111;")
        self._error.hide()
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self._question)

    def _finish_layout(self, field: QWidget) -> None:
        self._layout.addWidget(field)
        self._layout.addWidget(self._error)
        self._layout.addWidget(self.buttons)
        field.setFocus()

    def answer_text(self) -> str:
        raise NotImplementedError

    def refuse(self, why: str) -> None:
        """Show why the answer cannot be used and keep the prompt open."""
        self._error.setText(why)
        self._error.show()

    def _on_ok(self) -> None:
        text = self.answer_text()
        if self.required and not text.strip():
            self.refuse(self.required)
            return
        self.accept()
        self.answered.emit(text)

    required = ""


class NamePrompt(_Prompt):
    """Asked once: the name written into the record of who decided what."""

    required = "Please type your name."

    def __init__(self, parent: QWidget | None = None, current: str = "") -> None:
        super().__init__(
            parent,
            "Your name",
            "What is your name? It is kept with the decisions you make (who tagged, "
            "checked or approved a photo) and shown in the title bar.",
            "Save",
        )
        self.field = QLineEdit(current)
        self.field.setMaxLength(80)
        self._finish_layout(self.field)

    def answer_text(self) -> str:
        return self.field.text().strip()


class NotePrompt(_Prompt):
    """A free-text note: why a photo goes to the manager, or the manager's answer.

    Return makes a new line in the note; Ctrl+Enter sends it (see the module docstring).
    """

    def __init__(
        self, parent: QWidget | None, title: str, question: str, ok_text: str, required: str = ""
    ) -> None:
        super().__init__(parent, title, question, ok_text)
        self.required = required
        self.field = QPlainTextEdit()
        self.field.setTabChangesFocus(True)
        self.field.setFixedHeight(90)
        self._finish_layout(self.field)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(f"{ok_text} (Ctrl+Enter)")
        # Return on the keyboard's main block and Enter on the keypad, both with Ctrl.
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(Qt.KeyboardModifier.ControlModifier | key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self._on_ok)

    def answer_text(self) -> str:
        return self.field.toPlainText().strip()


class PinPrompt(_Prompt):
    """The reviewer PIN, typed hidden."""

    required = "Please type the PIN."

    def __init__(self, parent: QWidget | None = None, question: str = "") -> None:
        super().__init__(
            parent,
            "Reviewer PIN",
            question or "Type the reviewer PIN to confirm this decision.",
            "Confirm",
        )
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self._finish_layout(self.field)

    def answer_text(self) -> str:
        return self.field.text()


def ask_manager_prompt(parent: QWidget | None) -> NotePrompt:
    """The note sent with a photo flagged for the manager."""
    return NotePrompt(
        parent,
        "Ask the manager",
        "What should the manager look at? (For example: 'Is the child at the back in swimwear?')",
        "Send to manager",
        required="Please write a short note for the manager.",
    )
