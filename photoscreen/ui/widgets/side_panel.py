"""The panel beside the photo: what is decided about it, and the buttons to decide.

It shows, in plain words: the photo's status and every reason it cannot go out yet
(word for word from the core's policy), its activity, its faces, and the identifying
data hidden in the file that export will remove. Its buttons only emit signals; the
controller makes the decisions and answers with :meth:`SidePanel.show_photo`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from photoscreen.core.rules import Activity, PhotoState, PhotoStatus
from photoscreen.ui.control import PanelState
from photoscreen.ui.grid import FileProblem, badge_colours
from photoscreen.ui.widgets.actions import key_caption
from photoscreen.ui.widgets.review_mode import asked_html

# Room for an activity button's text in a two-column grid of a 340 px panel; a label
# longer than that gets a whole row (twice the room) rather than being cut short.
ACTIVITY_TEXT_PX = 148
ACTIVITY_ROW_TEXT_PX = 2 * ACTIVITY_TEXT_PX + 12
# The chosen activity is marked with a tick and colour, not bold: bold text is wider and
# would no longer fit the room measured for it.
CHOSEN_MARK = "✓"

# The words of the core's labels (PhotoState.label), as a headline. Blocked is not "for
# good": a wrong activity can be changed, and an unclothed mark cleared by whoever made
# it (or, with the reviewer PIN, by the manager); the reasons below say which it is.
STATUS_WORDS = {
    PhotoState.NOT_SCANNED: "Not read yet",
    PhotoState.UNREADABLE: "Cannot be opened",
    PhotoState.BLOCKED: "Blocked: cannot be posted",
    PhotoState.EXCLUDED: "Excluded: will not be posted",
    PhotoState.REJECTED: "Rejected by the manager",
    PhotoState.NEEDS_ACTIVITY: "Needs an activity",
    PhotoState.CHECK_FACES: "Faces need checking",
    PhotoState.AWAITING_REVIEW: "Waiting for the manager",
    PhotoState.READY: "Ready to post",
}


class SidePanel(QFrame):
    """Status, reasons, activity, faces, hidden data, and the decision buttons."""

    activity_chosen = Signal(str)
    exclude_clicked = Signal()
    unclothed_clicked = Signal()
    ask_manager_clicked = Signal()
    faces_checked_clicked = Signal()
    add_box_clicked = Signal()
    look_harder_clicked = Signal()
    preview_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(340)
        self.setMaximumWidth(400)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.reasons_label = QLabel()
        self.reasons_label.setWordWrap(True)
        self.reasons_label.setTextFormat(Qt.TextFormat.RichText)
        self.activity_buttons: dict[str, QPushButton] = {}
        # Per activity key: its shortcut, its label, and whether it has a row of its own.
        self._activity_labels: dict[str, tuple[str, str, bool]] = {}
        self.other_activities = QComboBox()
        self.other_activities.activated.connect(self._on_other_activity)
        self._activity_grid = QGridLayout()
        self._activity_grid.setSpacing(3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.status_label)
        layout.addWidget(self.reasons_label)
        # Shown only for a file that can be used as a photo.
        self.photo_boxes = (
            self._activity_box(),
            self._decisions_box(),
            self._faces_box(),
            self._hidden_box(),
        )
        for box in self.photo_boxes:
            layout.addWidget(box)
        layout.addStretch(1)
        self.show_photo(None)

    # --- building ---------------------------------------------------------------------

    def _button(
        self, text: str, command: str, signal: SignalInstance, checkable: bool = False
    ) -> QPushButton:
        button = QPushButton(f"{text}  [{key_caption(command)}]")
        button.setCheckable(checkable)
        # Buttons never take the keyboard focus: keys always reach the window's shortcuts.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(signal)
        return button

    def _activity_box(self) -> QGroupBox:
        box = QGroupBox("Activity")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self._activity_grid)
        self.other_activities.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.other_activities)
        return box

    def _decisions_box(self) -> QGroupBox:
        box = QGroupBox("Decide")
        layout = QGridLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(3)
        self.faces_checked_button = self._button(
            "Faces checked, next", "faces_checked", self.faces_checked_clicked
        )
        self.exclude_button = self._button("Exclude", "exclude", self.exclude_clicked, True)
        self.unclothed_button = self._button(
            "Unclothed / semi-clothed", "unclothed", self.unclothed_clicked, True
        )
        self.ask_manager_button = self._button(
            "Ask manager…", "ask_manager", self.ask_manager_clicked
        )
        layout.addWidget(self.faces_checked_button, 0, 0, 1, 2)
        layout.addWidget(self.exclude_button, 1, 0)
        layout.addWidget(self.ask_manager_button, 1, 1)
        layout.addWidget(self.unclothed_button, 2, 0, 1, 2)
        self.flag_label = QLabel()
        self.flag_label.setWordWrap(True)
        layout.addWidget(self.flag_label, 3, 0, 1, 2)
        return box

    def _faces_box(self) -> QGroupBox:
        box = QGroupBox("Faces")
        layout = QGridLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(3)
        self.faces_label = QLabel()
        self.faces_label.setWordWrap(True)
        self.add_box_button = self._button("Add face box", "add_box", self.add_box_clicked)
        self.look_harder_button = self._button(
            "Look harder", "look_harder", self.look_harder_clicked
        )
        self.preview_button = self._button(
            "Preview as posted", "preview", self.preview_clicked, checkable=True
        )
        layout.addWidget(self.faces_label, 0, 0, 1, 2)
        layout.addWidget(self.add_box_button, 1, 0)
        layout.addWidget(self.look_harder_button, 1, 1)
        layout.addWidget(self.preview_button, 2, 0, 1, 2)
        self.people_label = QLabel()  # who is shown and linked: ui.consent_flow fills it
        self.people_label.setWordWrap(True)
        layout.addWidget(self.people_label, 3, 0, 1, 2)
        return box

    def _hidden_box(self) -> QGroupBox:
        box = QGroupBox("Hidden details export will remove")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        self.hidden_label = QLabel()
        self.hidden_label.setWordWrap(True)
        self.hidden_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.hidden_label)
        return box

    # --- showing ----------------------------------------------------------------------

    def set_activities(self, activities: Sequence[Activity]) -> None:
        """Buttons for activities with a key; the rest (and blocked ones) in a list."""
        while self._activity_grid.count():
            item = self._activity_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.activity_buttons = {}
        self._activity_labels = {}
        row, column = 0, 0
        for activity in (a for a in activities if a.shortcut):
            wide = _text_width(_button_text(activity.shortcut or "", activity.label, True))
            whole_row = wide > ACTIVITY_TEXT_PX
            if whole_row and column:
                row, column = row + 1, 0
            button = self._activity_button(activity)
            self._activity_labels[activity.key] = (
                activity.shortcut or "",
                activity.label,
                whole_row,
            )
            self._activity_grid.addWidget(button, row, column, 1, 2 if whole_row else 1)
            self.activity_buttons[activity.key] = button
            row, column = (row + 1, 0) if whole_row or column else (row, 1)
        self._show_activity(None)
        self.other_activities.clear()
        self.other_activities.addItem("Other activity…", None)
        for activity in activities:
            if not activity.shortcut:
                suffix = "  (blocked)" if activity.blocked else ""
                self.other_activities.addItem(activity.label + suffix, activity.key)

    def _activity_button(self, activity: Activity) -> QPushButton:
        button = QPushButton()
        button.setCheckable(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setStyleSheet(
            "QPushButton {text-align:left; padding:3px 6px;}"
            "QPushButton:checked {background:#1f5fbf; color:white; border:1px solid #123a75;}"
        )
        button.setToolTip(activity.label)
        button.clicked.connect(lambda _=False, key=activity.key: self.activity_chosen.emit(key))
        return button

    def show_photo(self, state: PanelState | None) -> None:
        """Show ``state``; None shows an empty panel (no photo chosen)."""
        enabled = state is not None and state.decidable
        for widget in [*self.findChildren(QPushButton), self.other_activities]:
            widget.setEnabled(enabled)
        for box in self.photo_boxes:
            box.setVisible(state is None or state.problem is None)
        if state is None:
            self.title.setText("<b>No photo chosen</b>")
            self.status_label.setText("Choose a photo on the left.")
            self.status_label.setStyleSheet("")
            self.reasons_label.clear()
            self.faces_label.clear()
            self.flag_label.clear()
            self.hidden_label.clear()
            return
        self.title.setText(f"<b>{escape(state.name)}</b>")
        self._show_status(state.status, state.problem)
        self._show_activity(state.activity)
        self._show_decisions(state)
        self.faces_label.setText(_faces_text(state))
        self.hidden_label.setText(_hidden_text(state.hidden_data))

    def set_preview_checked(self, checked: bool) -> None:
        self.preview_button.setChecked(checked)

    def _show_status(self, status: PhotoStatus, problem: FileProblem | None) -> None:
        fill, ink = badge_colours(status.state, problem)
        self.status_label.setText(problem.headline if problem else STATUS_WORDS[status.state])
        self.status_label.setStyleSheet(
            f"background:{fill}; color:{ink}; font-weight:bold; padding:4px; border-radius:4px;"
            " border:1px solid #202020;"
        )
        if problem is not None:
            # One sentence says it all: the policy's "Could not be read: ..." would repeat it.
            self.reasons_label.setText(escape(problem.sentence))
        elif status.reasons:
            items = "".join(f"<li>{escape(r)}</li>" for r in status.reasons)
            self.reasons_label.setText(
                f"Why it cannot go out yet:<ul style='margin:0'>{items}</ul>"
            )
        else:
            self.reasons_label.setText("Nothing is stopping this photo: it will be exported.")

    def _show_activity(self, activity: str | None) -> None:
        for key, button in self.activity_buttons.items():
            chosen = key == activity
            button.setChecked(chosen)
            shortcut, label, whole_row = self._activity_labels[key]
            text = _button_text(shortcut, label, chosen)
            button.setText(_elided(text, ACTIVITY_ROW_TEXT_PX if whole_row else ACTIVITY_TEXT_PX))
        index = self.other_activities.findData(activity) if activity else 0
        self.other_activities.setCurrentIndex(max(0, index))

    def _show_decisions(self, state: PanelState) -> None:
        self.exclude_button.setChecked(state.excluded)
        self.unclothed_button.setChecked(state.unclothed)
        lines = []
        if state.questions:
            lines.append(f"Sent to the manager:<br>{asked_html(state.questions)}")
        if state.verdict:
            lines.append(f"<b>{escape(state.verdict)}</b>")  # the manager's answer
        self.flag_label.setText("<br>".join(lines))
        # An empty line would leave a gap under the buttons.
        self.flag_label.setVisible(bool(lines))

    def _on_other_activity(self, index: int) -> None:
        key = self.other_activities.itemData(index)
        if key:
            self.activity_chosen.emit(str(key))


def _button_text(shortcut: str, label: str, chosen: bool) -> str:
    """ "5  Music and movement", or "5 ✓ Music and movement" for the chosen activity."""
    return f"{shortcut} {CHOSEN_MARK} {label}" if chosen else f"{shortcut}  {label}"


def _text_width(text: str) -> int:
    return QFontMetrics(QFont()).horizontalAdvance(text)


def _elided(text: str, width: int) -> str:
    """``text`` shortened with "…" to fit ``width`` pixels (the full text is the tooltip)."""
    return QFontMetrics(QFont()).elidedText(text, Qt.TextElideMode.ElideRight, width)


def _faces_text(state: PanelState) -> str:
    if not state.faces_looked_for:
        # "0 faces will be hidden" would be untrue: nobody has looked yet.
        return "Faces are looked for when the photo is read."
    parts = [_count(state.faces_to_hide, "face will be hidden", "faces will be hidden")]
    if not (state.faces_to_hide or state.faces_with_consent or state.possible_faces):
        parts = ["No faces found: nothing will be hidden."]
    if state.faces_with_consent:
        parts.append(
            _count(
                state.faces_with_consent,
                "face shown (consent on the register)",
                "faces shown (consent on the register)",
            )
        )
    if state.possible_faces:
        parts.append(
            _count(
                state.possible_faces,
                "possible face to accept or dismiss",
                "possible faces to accept or dismiss",
            )
        )
    return "<br>".join([*parts, *writing_lines(state), _checked_text(state)])


def writing_lines(state: PanelState) -> list[str]:
    """What the panel says of writing: how many regions wait, how many will be covered."""
    lines = []
    if state.writing_pending:
        lines.append(
            "<b>"
            + _count(state.writing_pending, "writing region to cover or leave (T adds one)",
                     "writing regions to cover or leave (T adds one)")
            + "</b>"
        )  # fmt: skip
    if state.writing_covered:
        lines.append(
            _count(state.writing_covered, "writing region will be covered",
                   "writing regions will be covered")
        )  # fmt: skip
    return lines


def _checked_text(state: PanelState) -> str:
    """Who checked the faces; never "checked" alone while a possible face is undecided
    (the photo still cannot go out, and its badge says its faces need checking)."""
    if not state.faces_checked_by:
        return "Not checked yet."
    who = escape(state.faces_checked_by)
    waiting = state.possible_faces + state.writing_pending
    if not waiting:
        return f"Checked by {who}."
    if state.writing_pending:
        them = "one region still needs" if waiting == 1 else f"{waiting} regions still need"
    elif state.possible_faces == 1:
        them = "the possible face still needs"
    else:
        them = f"the {state.possible_faces} possible faces still need"
    return f"Checked by {who}, but {them} accepting or dismissing."


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {many}"


def _hidden_text(hidden: Sequence[str] | None) -> str:
    if hidden is None:
        return "<i>Reading the file…</i>"
    if not hidden:
        return "Nothing found."
    return "".join(f"• {escape(item)}<br>" for item in hidden)
