"""The manager's review: the queue of flagged photos, every asker's note, approve or reject.

In review mode this panel takes the side panel's place and the grid shows only photos
waiting for the manager. Approving or rejecting names the reviewer (typed here; it starts empty,
or with the last reviewer's name, never with the staff member's own) and, when the centre
set a PIN, asks for it first. The core decides whether the verdict is allowed (for
example, nobody who asked approves the photo); a refusal comes back through the message
channel. Every person who asked is shown with their own note: the photo waits for the
manager until each question is answered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from photoscreen.core.rules import Concern, Verdict
from photoscreen.ui.control import QueueItem, ReviewState
from photoscreen.ui.dialogs import PinPrompt


def asked_html(questions: Sequence[Concern]) -> str:
    """Each person who asked and their note, one line each (rich text)."""
    return "<br>".join(
        f"<b>{escape(q.who or 'Someone')}</b> asked: “{escape(q.note or '(no note)')}”"
        for q in questions
    )


class ReviewPanel(QFrame):
    """Queue, the current photo's note, and the verdict buttons."""

    photo_chosen = Signal(str)
    verdict_given = Signal(object, str, str, object)  # Verdict, reviewer, note, PIN or None
    leave_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(300)
        self.setMaximumWidth(380)
        self.pin_required = False
        self.pin_prompt: PinPrompt | None = None
        # Asked before the PIN prompt: why this reviewer may not give this verdict (they
        # asked about the photo), or None. Set by the window's wiring.
        self.reviewer_check: Callable[[Verdict, str], str | None] | None = None
        self._current: ReviewState | None = None
        self.reviewer = QLineEdit()
        self.reviewer.setPlaceholderText("Reviewer's name")
        self.queue_title = QLabel()
        self.queue = QListWidget()
        self.queue.setMaximumHeight(150)
        self.queue.setWordWrap(True)
        self.queue.itemActivated.connect(self._on_queue_item)
        self.queue.itemClicked.connect(self._on_queue_item)
        self.photo_label = QLabel()
        self.photo_label.setWordWrap(True)
        self.photo_label.setTextFormat(Qt.TextFormat.RichText)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Your note (needed to reject)")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        self.approve_button = QPushButton("Approve: OK to post")
        self.reject_button = QPushButton("Reject: do not post")
        self.approve_button.setStyleSheet("font-weight:bold; padding:6px;")
        self.reject_button.setStyleSheet("font-weight:bold; padding:6px;")
        self.approve_button.clicked.connect(lambda: self._give(Verdict.APPROVED))
        self.reject_button.clicked.connect(lambda: self._give(Verdict.REJECTED))
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color:#9b1111;")
        # What the last verdict did, kept while the next photo is shown (never in red).
        self.confirmation = QLabel()
        self.confirmation.setWordWrap(True)
        self.confirmation.setStyleSheet("color:#1b5e20; font-weight:bold;")
        leave = QPushButton("Back to tagging photos")
        leave.clicked.connect(self.leave_clicked)
        self._lay_out(leave)
        self.show_photo(None)

    def _lay_out(self, leave: QPushButton) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(QLabel("<h3 style='margin:0'>Manager review</h3>"))
        who = QHBoxLayout()
        who.addWidget(QLabel("Reviewer:"))
        who.addWidget(self.reviewer, 1)
        layout.addLayout(who)
        layout.addWidget(self.confirmation)
        layout.addWidget(self.queue_title)
        layout.addWidget(self.queue)
        self.photo_box = box = QGroupBox("This photo")
        inner = QVBoxLayout(box)
        inner.setContentsMargins(4, 4, 4, 4)
        inner.addWidget(self.photo_label)
        inner.addWidget(self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        inner.addLayout(buttons)
        inner.addWidget(self.problem)
        layout.addWidget(box)
        layout.addStretch(1)
        layout.addWidget(leave)

    def set_queue(self, items: Sequence[QueueItem]) -> None:
        """The photos waiting for the manager, in folder order."""
        self.queue.clear()
        for item in items:
            row = QListWidgetItem(item.text)
            row.setData(Qt.ItemDataRole.UserRole, item.photo_id)
            self.queue.addItem(row)
        count = len(items)
        self._show_box()
        self.queue_title.setText(
            "No photos are waiting for review."
            if not count
            else f"<b>{count} photo{'s' if count != 1 else ''} waiting for you</b>"
        )

    def show_photo(self, state: ReviewState | None) -> None:
        """Show the photo on screen; None when none is chosen."""
        self._current = state
        self.problem.clear()
        self.approve_button.setEnabled(state is not None)
        self.reject_button.setEnabled(state is not None)
        self._show_box()
        if state is None:
            self.photo_label.setText("Choose a photo from the list above.")
            return
        asked = (
            asked_html(state.questions)
            if state.questions
            else "This photo was not sent for review."
        )
        reasons = "".join(f"<li>{escape(r)}</li>" for r in state.reasons)
        activity = escape(state.activity) if state.activity else "<i>none tagged yet</i>"
        self.photo_label.setText(
            f"<b>{escape(state.name)}</b><br>{asked}<br>Activity: {activity}"
            f"<br>{escape(state.faces_summary)}"
            + (
                f"<br>Why it cannot go out yet:<ul style='margin:0'>{reasons}</ul>"
                if reasons
                else ""
            )
        )
        for row in range(self.queue.count()):
            if self.queue.item(row).data(Qt.ItemDataRole.UserRole) == state.photo_id:
                self.queue.setCurrentRow(row)

    def _show_box(self) -> None:
        # Nothing waits and nothing is chosen: no verdict buttons over an empty queue.
        self.photo_box.setVisible(self._current is not None or self.queue.count() > 0)

    def show_problem(self, text: str) -> None:
        """Why the last verdict was not recorded (shown under the buttons)."""
        self.problem.setText(text)

    def _give(self, verdict: Verdict) -> None:
        if self._current is None:
            return
        reviewer, note = self.reviewer.text().strip(), self.note.toPlainText().strip()
        if not reviewer:
            self.show_problem("Please type the reviewer's name first.")
            return
        if verdict is Verdict.REJECTED and not note:
            self.show_problem("Please write a note saying why, so staff know.")
            return
        refused = None if self.reviewer_check is None else self.reviewer_check(verdict, reviewer)
        if refused is not None:
            self.show_problem(refused)  # before the PIN prompt: no PIN typed in vain
            return
        if not self.pin_required:
            self._emit(verdict, reviewer, note, None)
            return
        self.pin_prompt = PinPrompt(self)
        self.pin_prompt.answered.connect(lambda pin: self._emit(verdict, reviewer, note, pin))
        self.pin_prompt.open()

    def _emit(self, verdict: Verdict, reviewer: str, note: str, pin: str | None) -> None:
        self.pin_prompt = None
        self.problem.clear()
        self.confirmation.clear()
        self.verdict_given.emit(verdict, reviewer, note, pin)

    def verdict_recorded(self, confirmation: str) -> None:
        """The controller stored the verdict: say so, and clear the note for the next photo."""
        self.note.clear()
        self.confirmation.setText(confirmation)

    def _on_queue_item(self, item: QListWidgetItem) -> None:
        self.photo_chosen.emit(str(item.data(Qt.ItemDataRole.UserRole)))
