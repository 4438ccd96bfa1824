"""The centre's settings: activities (add, rename, block), export size and style, the PIN.

Every change is applied at once through the controller (and so saved in the session with
an audit entry); the core refuses what is not allowed and says why. Changes that check
the reviewer PIN (setting, changing or removing it, lifting a block) run on a worker
thread, as scrypt is deliberately slow; the PIN buttons wait meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from photoscreen.core.render import RedactionStyle
from photoscreen.core.rules import MAX_LABEL_CHARS
from photoscreen.core.settings import LONG_SIDE_RANGE, QUALITY_RANGE, describe
from photoscreen.ui.control import Controller, Level, Message
from photoscreen.ui.dialogs.prompts import PinPrompt

# What each row of the activity list carries, beside its text.
_KEY = Qt.ItemDataRole.UserRole
_BLOCKED = Qt.ItemDataRole.UserRole + 1
_BY_POLICY = Qt.ItemDataRole.UserRole + 2
_LABEL = Qt.ItemDataRole.UserRole + 3

STYLE_NAMES = {
    RedactionStyle.BLUR: "Soft blur (recommended)",
    RedactionStyle.FILL: "Solid grey",
    RedactionStyle.MOSAIC: "Large blocks (mosaic)",
    RedactionStyle.STICKER: "Smiley sticker",
}


class SettingsDialog(QDialog):
    """Three tabs; changes apply immediately; Close closes."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Centre settings")
        self.setMinimumSize(520, 440)
        self._controller = controller
        self.pin_prompt: PinPrompt | None = None  # open while a block is being lifted
        tabs = QTabWidget()
        tabs.addTab(self._activities_tab(), "Activities")
        tabs.addTab(self._export_tab(), "Export")
        self.pin_tab_index = tabs.addTab(self._pin_tab(), "Reviewer PIN")
        self.tabs = tabs
        self.pin_busy = False  # a PIN change or a block lift is being checked
        self.scope = QLabel()  # where changes are saved: this folder, and this PC's centre file
        self.scope.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(_PROBLEM_STYLE)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scope)
        layout.addWidget(tabs)
        layout.addWidget(self.problem)
        layout.addWidget(close)
        controller.messages.posted.connect(self._on_message)
        self.reload()
        session = controller.session
        if session is not None and session.settings.pin.needs_renewing:
            self.tabs.setCurrentIndex(self.pin_tab_index)  # the manager is asked first

    # --- tabs ---------------------------------------------------------------------------

    def _activities_tab(self) -> QWidget:
        page = QWidget()
        self.activity_list = QListWidget()
        self.activity_list.currentItemChanged.connect(lambda *_: self._show_selected())
        self.activity_name = QLineEdit()
        self.activity_name.setPlaceholderText("Activity name")
        self.activity_name.setMaxLength(MAX_LABEL_CHARS)
        add = QPushButton("Add as new")
        add.clicked.connect(self.add_activity)
        rename = QPushButton("Rename selected")
        rename.clicked.connect(self.rename_activity)
        self.blocked_box = QCheckBox("Blocked: photos of this activity are never posted")
        self.blocked_box.clicked.connect(self.set_blocked)
        self.policy_note = QLabel(
            "The centre's policy blocks this activity because it involves undress. "
            "Nobody can lift this block."
        )
        self.policy_note.setWordWrap(True)
        self.policy_note.hide()
        row = QHBoxLayout()
        row.addWidget(self.activity_name, 1)
        row.addWidget(add)
        row.addWidget(rename)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Activities with a number can be chosen with that key."))
        layout.addWidget(self.activity_list, 1)
        layout.addLayout(row)
        layout.addWidget(self.blocked_box)
        layout.addWidget(self.policy_note)
        return page

    def _export_tab(self) -> QWidget:
        page = QWidget()
        self.long_side = QSpinBox()
        self.long_side.setRange(*LONG_SIDE_RANGE)
        self.long_side.setSuffix(" pixels")
        self.quality = QSpinBox()
        self.quality.setRange(*QUALITY_RANGE)
        self.style_choice = QComboBox()
        for style, name in STYLE_NAMES.items():
            self.style_choice.addItem(name, style.value)
        # Each field explains itself with its setting's declared description.
        self.long_side.setToolTip(describe("export.long_side"))
        self.quality.setToolTip(describe("export.quality"))
        self.style_choice.setToolTip(describe("export.redaction_style"))
        # Writing (names on labels, number plates): found, never read; on by default.
        self.writing_check = QCheckBox("Look for writing that could name someone (labels, plates)")
        apply = QPushButton("Save export settings")
        apply.clicked.connect(self.apply_export)
        form = QFormLayout(page)
        form.addRow("Longest side of saved photos:", self.long_side)
        form.addRow("Picture quality (50-95):", self.quality)
        form.addRow("How faces are hidden:", self.style_choice)
        form.addRow("Writing:", self.writing_check)
        form.addRow("", apply)
        return page

    def _pin_tab(self) -> QWidget:
        page = QWidget()
        self.pin_state = QLabel()
        self.pin_state.setWordWrap(True)
        self.current_pin, self.new_pin, self.repeat_pin = QLineEdit(), QLineEdit(), QLineEdit()
        for field in (self.current_pin, self.new_pin, self.repeat_pin):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.set_pin_button = set_pin = QPushButton("Set PIN")
        set_pin.clicked.connect(self.set_pin)
        self.remove_pin_button = remove_pin = QPushButton("Remove PIN")
        remove_pin.clicked.connect(self.remove_pin)
        form = QFormLayout(page)
        form.addRow(self.pin_state)
        form.addRow("Current PIN:", self.current_pin)
        form.addRow("New PIN:", self.new_pin)
        form.addRow("New PIN again:", self.repeat_pin)
        buttons = QHBoxLayout()
        buttons.addWidget(set_pin)
        buttons.addWidget(remove_pin)
        form.addRow(buttons)
        return page

    # --- showing ------------------------------------------------------------------------

    def reload(self) -> None:
        """Show the settings as stored now."""
        session = self._controller.session
        if session is None:
            return
        self.scope.setText(
            "Changes apply to this folder and are kept on this PC for new folders."
            if session.settings.centre_path is not None
            else "Changes apply to this folder."
        )
        if session.centre_problem and not self.problem.text():
            self._complain(session.centre_problem)
        selected = self._selected_key()
        self.activity_list.clear()
        for activity in session.activities():
            key = f"{activity.shortcut}   " if activity.shortcut else "     "
            blocked = f"   ({activity.block_words})" if activity.block_words else ""
            item = QListWidgetItem(f"{key}{activity.label}{blocked}")
            item.setData(_KEY, activity.key)
            item.setData(_BLOCKED, activity.blocked)
            item.setData(_BY_POLICY, activity.by_policy)
            item.setData(_LABEL, activity.label)
            self.activity_list.addItem(item)
            if activity.key == selected:
                self.activity_list.setCurrentItem(item)
        self.long_side.setValue(session.settings.long_side)
        self.quality.setValue(session.settings.quality)
        self.style_choice.setCurrentIndex(
            self.style_choice.findData(session.settings.redaction_style.value)
        )
        self.writing_check.setChecked(session.settings.writing_detection)
        has_pin = session.settings.pin.is_set
        renew = session.settings.pin.needs_renewing
        self.pin_state.setText(_pin_state_text(has_pin, renew))
        self.pin_state.setStyleSheet("color:#9b1111;" if renew else "")
        self.current_pin.setEnabled(has_pin)

    def _selected_key(self) -> str | None:
        item = self.activity_list.currentItem()
        return None if item is None else str(item.data(_KEY))

    def _show_selected(self) -> None:
        item = self.activity_list.currentItem()
        by_policy = bool(item and item.data(_BY_POLICY))
        self.blocked_box.setEnabled(item is not None and not by_policy)
        self.blocked_box.setChecked(bool(item and item.data(_BLOCKED)))
        self.policy_note.setVisible(by_policy)
        if item is not None:  # ready to be renamed by changing a few letters
            self.activity_name.setText(str(item.data(_LABEL)))

    def _tell(self, text: str) -> None:
        """Say what was done (a setting saved): news, not a problem, so never in red."""
        self.problem.setStyleSheet(_NEWS_STYLE)
        self.problem.setText(text)

    def _complain(self, text: str) -> None:
        """Say why something was not done, in red."""
        self.problem.setStyleSheet(_PROBLEM_STYLE)
        self.problem.setText(text)

    def _on_message(self, message: Message) -> None:
        # Refusals of the changes made here come back on the message channel.
        if message.level is not Level.INFO:
            self._complain(message.text)

    def _apply(self, change: object) -> bool:
        self.problem.clear()
        done = self._controller.verbs.change_settings(change)  # type: ignore[arg-type]
        self.reload()
        return done

    # --- changing -----------------------------------------------------------------------

    def add_activity(self) -> None:
        label = self.activity_name.text()
        if self._apply(lambda s: s.settings.activity_list.add(label)):
            self.activity_name.clear()

    def rename_activity(self) -> None:
        key, label = self._selected_key(), self.activity_name.text()
        if key is None:
            self._complain("Choose the activity to rename in the list first.")
            return
        if self._apply(lambda s: s.settings.activity_list.rename(key, label)):
            self.activity_name.clear()

    def set_blocked(self) -> None:
        key, blocked = self._selected_key(), self.blocked_box.isChecked()
        session = self._controller.session
        if key is None or session is None:
            return
        if blocked or not session.settings.activity_list.lift_needs_pin(key):
            if self._apply(lambda s: s.settings.activity_list.set_blocked(key, blocked)):
                self._tell(self._block_news(key, blocked))
            return
        # Lifting a block is the manager's decision: it stays blocked until the PIN is given.
        self.blocked_box.setChecked(True)
        label = self._label_of(key)
        self.pin_prompt = PinPrompt(
            self,
            f"Only the manager can lift the block on {label}. Its photos could then be "
            "posted, and the centre's policy forbids posting activities that involve "
            "unclothed or semi-clothed children or adults. Type the reviewer PIN to lift it.",
        )
        self.pin_prompt.answered.connect(lambda pin: self._lift_block(key, pin))
        self.pin_prompt.open()

    def _lift_block(self, key: str, pin: str) -> None:
        self.pin_prompt = None
        self._apply_with_pin(
            lambda s: s.settings.activity_list.set_blocked(key, False, pin=pin),
            lambda: self._tell(self._block_news(key, False)),
        )

    def _apply_with_pin(self, change: object, succeeded: Callable[[], None]) -> None:
        """Apply a change that checks the PIN on a worker thread; ``succeeded`` after."""
        self.problem.clear()
        self._set_pin_busy(True)

        def done(ok: bool) -> None:
            self._set_pin_busy(False)
            self.reload()
            self._show_selected()
            if ok:
                succeeded()

        self._controller.verbs.change_settings_with_pin(change, done)  # type: ignore[arg-type]

    def _set_pin_busy(self, busy: bool) -> None:
        self.pin_busy = busy
        for widget in (self.set_pin_button, self.remove_pin_button, self.blocked_box):
            widget.setEnabled(not busy)
        if busy:
            self._tell("Checking the PIN…")

    def _label_of(self, key: str) -> str:
        session = self._controller.session
        activities = () if session is None else session.activities()
        return next((a.label for a in activities if a.key == key), key)

    def _block_news(self, key: str, blocked: bool) -> str:
        label = self._label_of(key)
        return (
            f"{label} is blocked: its photos will not be posted."
            if blocked
            else f"{label} is no longer blocked: its photos can be posted once checked."
        )

    def reject(self) -> None:
        """Close; export settings changed but not saved yet are saved first, as a person
        pressing Close after changing them expects (the other tabs apply at once)."""
        if self._export_unsaved():
            self.apply_export()
        super().reject()

    def _export_unsaved(self) -> bool:
        session = self._controller.session
        if session is None:
            return False
        shown = (
            self.long_side.value(),
            self.quality.value(),
            self.style_choice.currentData(),
            self.writing_check.isChecked(),
        )
        stored = session.settings
        return shown != (
            stored.long_side,
            stored.quality,
            stored.redaction_style.value,
            stored.writing_detection,
        )

    def apply_export(self) -> None:
        long_side, quality = self.long_side.value(), self.quality.value()
        style = RedactionStyle(self.style_choice.currentData())
        writing = self.writing_check.isChecked()

        def change(s: Any) -> None:
            s.settings.set_export(long_side=long_side, quality=quality, style=style)
            s.settings.set_writing(detect=writing)

        if self._apply(change):
            self._tell("Export settings saved.")

    def set_pin(self) -> None:
        new, again = self.new_pin.text(), self.repeat_pin.text()
        if new != again:
            self._complain("The two new PINs are different. Please type them again.")
            return
        current = self.current_pin.text() or None
        self._apply_with_pin(
            lambda s: s.settings.pin.change(new, current_pin=current),
            lambda: self._clear_pins("Reviewer PIN saved."),
        )

    def remove_pin(self) -> None:
        current = self.current_pin.text() or None
        self._apply_with_pin(
            lambda s: s.settings.pin.change(None, current_pin=current),
            lambda: self._clear_pins("Reviewer PIN removed."),
        )

    def _clear_pins(self, done: str) -> None:
        for field in (self.current_pin, self.new_pin, self.repeat_pin):
            field.clear()
        self._tell(done)


_PROBLEM_STYLE = "color:#9b1111;"
_NEWS_STYLE = "color:#1b5e20;"


def _pin_state_text(has_pin: bool, renew: bool) -> str:
    if renew:
        return (
            "This reviewer PIN was set when 4 characters were enough. Please choose a new "
            "one of at least 6 digits, not an easy pattern such as 123456: type the current "
            "PIN, then the new one twice."
        )
    if has_pin:
        return "A reviewer PIN is set: approving or rejecting a photo needs it."
    return (
        "No reviewer PIN is set. Set one (at least 6 digits) so only the manager can approve "
        "photos."
    )
