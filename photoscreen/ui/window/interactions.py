"""The window's conversations with the person: file choosers, prompts, dialogs, drops.

Each flow opens its dialog with ``open()`` (never ``exec()``) and hands the answer to the
controller. Keeping these here leaves the main window with layout and wiring only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from photoscreen.core.storage import SessionLocked
from photoscreen.ui.control import Controller, ExportRunner
from photoscreen.ui.dialogs import (
    ExportDialog,
    NamePrompt,
    PinPrompt,
    SettingsDialog,
    ask_manager_prompt,
)

if TYPE_CHECKING:
    from photoscreen.ui.window.main_window import MainWindow


class Interactions(QObject):
    """Opens the dialogs of the window and passes their answers on."""

    def __init__(self, window: MainWindow, controller: Controller) -> None:
        super().__init__(window)
        self._window = window
        self._controller = controller
        self.export_runner = ExportRunner(controller, self)
        self.dialog: object | None = None  # the dialog open now (tests drive it)
        self._closing_after_export = False
        self._export_dialog: ExportDialog | None = None
        controller.folder_locked.connect(self.ask_open_anyway)

    def handlers(self) -> dict[str, Callable[[], object]]:
        """What each command of :mod:`photoscreen.ui.widgets.actions` does."""
        c = self._controller
        return {
            "next": lambda: c.go(+1),
            "previous": lambda: c.go(-1),
            "first": lambda: c.go_to_end(last=False),
            "last": lambda: c.go_to_end(last=True),
            "faces_checked": c.verbs.faces_checked_and_next,
            "exclude": c.verbs.toggle_exclude,
            "unclothed": self.toggle_unclothed,
            "ask_manager": self.ask_manager,
            "add_box": c.verbs.start_drawing,
            "add_writing_box": c.verbs.start_drawing_writing,
            "look_harder": c.verbs.look_harder,
            "preview": c.verbs.toggle_preview,
            "zoom_in": self._window.photo_view.zoom_in,
            "zoom_out": self._window.photo_view.zoom_out,
            "fit": self._window.photo_view.zoom_to_fit,
            "large_view": self._window.toggle_large_view,
            "face_strip": self._window.face_strip.start_checking,
            "accept_possible": self._window.photo_view.accept_possible,
            "dismiss_possible": self._window.photo_view.dismiss_possible,
            "undo": c.verbs.undo,
            "redo": c.verbs.redo,
            "open_folder": self.choose_folder,
            "export": self.show_export,
            "review_mode": lambda: c.set_review_mode(not c.review_mode),
            "settings": self.show_settings,
            "help": self._window.help_overlay.toggle,
            "your_name": self.ask_name,
            "quit": self._window.close,
        }

    def _show(self, dialog: object) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # type: ignore[attr-defined]
        dialog.finished.connect(self._forget_dialog)  # type: ignore[attr-defined]
        dialog.open()  # type: ignore[attr-defined]

    def _forget_dialog(self) -> None:
        if self.dialog is self.sender():  # not a question opened over it meanwhile
            self.dialog = None

    # --- folders ------------------------------------------------------------------------

    def choose_folder(self) -> None:
        chooser = QFileDialog(self._window, "Open a folder of photos")
        chooser.setFileMode(QFileDialog.FileMode.Directory)
        chooser.setOption(QFileDialog.Option.ShowDirsOnly, True)
        chooser.fileSelected.connect(lambda chosen: self._controller.open_folder(Path(chosen)))
        self._show(chooser)

    def open_demo(self) -> None:
        """Build the sample folder (on a worker: it makes a dozen photos) and open it."""
        from photoscreen.core.demo import ensure_demo_folder

        self._controller.messages.info("Making the sample photos…")
        self._controller.workers.run(
            "writer",
            lambda context: ensure_demo_folder(),
            on_result=self._controller.open_folder,
            on_error=lambda error: self._controller.messages.error(
                f"The sample photos could not be made: {error.exception}", error.trace
            ),
        )

    def drag_entered(self, event: QDragEnterEvent) -> None:
        if _dropped_folder(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropped(self, event: QDropEvent) -> None:
        folder = _dropped_folder(event)
        if folder is None:
            self._controller.messages.warning("Drop a folder of photos here to open it.")
            return
        event.acceptProposedAction()
        self._controller.open_folder(folder)

    def ask_open_anyway(self, folder: Path, locked: SessionLocked) -> None:
        """Another photoscreen has the folder open: say who, and offer to open it to review
        only (beside them: approving and rejecting); when that one may have stopped, also
        to open it anyway (taking its lock over)."""
        stale = locked.may_be_stale
        question = QMessageBox(
            QMessageBox.Icon.Question,
            "Folder open elsewhere",
            f"{locked}\n\nThe manager can open it now to review the photos staff asked "
            "about: approve or reject them here while staff go on working there."
            + (
                "\n\nIf photoscreen is still open there, do not open it anyway: two people "
                "working on the same photos at once would overwrite each other's decisions. "
                "Opening anyway means the other photoscreen saves nothing more."
                if stale
                else ""
            ),
            QMessageBox.StandardButton.NoButton,
            self._window,
        )
        review = question.addButton(
            "Open to review only (approve or reject)", QMessageBox.ButtonRole.AcceptRole
        )
        anyway = None
        if stale:
            anyway = question.addButton(
                "The other photoscreen is not running: open anyway",
                QMessageBox.ButtonRole.DestructiveRole,
            )
        question.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
        question.setDefaultButton(review)

        def answered() -> None:
            chosen = question.clickedButton()
            if chosen is review:
                self._controller.open_folder(folder, review_of=locked.holder)
            elif anyway is not None and chosen is anyway:
                self._controller.open_folder(folder, take_over=locked.holder)

        question.finished.connect(answered)
        self._show(question)

    # --- prompts and dialogs ------------------------------------------------------------

    def ask_name(self, then: Callable[[], None] | None = None) -> None:
        """Ask for the user's name (first start, or File > Your name), then ``then``.

        The open folder's decisions from now on are recorded under the new name, which the
        title bar shows: the two never disagree.
        """
        prompt = NamePrompt(self._window, self._controller.preferences.user_name)

        def answered(name: str) -> None:
            self._controller.change_user(name)
            self._window.setWindowTitle(self._controller.window_title())
            if then is not None:
                then()

        prompt.answered.connect(answered)
        self._show(prompt)

    def ask_manager(self) -> None:
        if self._controller.current_entry() is None:
            return
        prompt = ask_manager_prompt(self._window)
        prompt.answered.connect(self._controller.verbs.flag_for_review)
        self._show(prompt)

    def toggle_unclothed(self) -> None:
        """Mark or unmark unclothed; a mark not made in this sitting, with a PIN set, needs
        the PIN."""
        marker = self._controller.verbs.unclothed_mark_needing_pin()
        if marker is None:
            self._controller.verbs.toggle_unclothed()
            return
        prompt = PinPrompt(
            self._window,
            f"{marker} marked this photo unclothed / semi-clothed, so only the manager can "
            "clear it now: type the reviewer PIN.",
        )
        prompt.answered.connect(lambda pin: self._controller.verbs.toggle_unclothed(pin))
        self._show(prompt)

    def show_export(self) -> None:
        session = self._controller.session
        if session is None:
            self._controller.messages.info("Open a folder of photos first.")
            return
        if session.review_only is not None:
            self._controller.messages.info(
                "Export from the photoscreen that has this folder open "
                f"({session.review_only.who}), or open the folder again once it is closed "
                "there."
            )
            return
        if self.export_runner.running:
            self._show_running_export()
            return
        dialog = ExportDialog(
            self.export_runner,
            self._controller.model.statuses(),
            self._controller.preferences.last_export_folder,
            self._window,
            exported_before=self._controller.exported_before(),
        )
        self._export_dialog = dialog
        dialog.finished.connect(self._forget_export_dialog)
        self._show(dialog)

    def _forget_export_dialog(self) -> None:
        self._export_dialog = None

    def _show_running_export(self) -> None:
        """Ctrl+E while an export runs brings its dialog back to the front."""
        dialog = self._export_dialog
        if dialog is not None and dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()

    def show_settings(self) -> None:
        if self._controller.session is None:
            self._controller.messages.info("Open a folder first: settings are kept with it.")
            return
        self._show(SettingsDialog(self._controller, self._window))

    def confirm_close(self) -> bool:
        """True when the window may close now. Mid-export, asks first: stopping keeps the
        photos saved so far (nothing half-written) and the window closes once it stopped."""
        runner = self.export_runner
        if not runner.running or self._closing_after_export:
            if runner.running:
                runner.cancel()
            return True
        question = QMessageBox(
            QMessageBox.Icon.Question,
            "Export still running",
            "Photos are still being exported. Stop the export and close photoscreen? The "
            "photos saved so far stay in the export folder; the rest are not exported.",
            QMessageBox.StandardButton.NoButton,
            self._window,
        )
        stop = question.addButton("Stop export and close", QMessageBox.ButtonRole.AcceptRole)
        question.addButton("Keep exporting", QMessageBox.ButtonRole.RejectRole)
        question.setDefaultButton(stop)

        def answered() -> None:
            if question.clickedButton() is not stop:
                return
            self._closing_after_export = True
            if not runner.running:  # it finished while the question was open
                self._window.close()
                return
            self._controller.messages.info("Stopping the export, then closing…")
            runner.finished.connect(lambda _summary: self._window.close())
            runner.failed.connect(lambda _why: self._window.close())
            runner.cancel()

        question.finished.connect(answered)
        self._show(question)
        return False


def _dropped_folder(event: QDragEnterEvent | QDropEvent) -> Path | None:
    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and Path(url.toLocalFile()).is_dir():
            return Path(url.toLocalFile())
    return None
