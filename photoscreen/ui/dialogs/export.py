"""The export dialog: choose where, watch it go (or cancel), then read what happened.

Three pages: the destination (with how many photos are ready, and, when some were
exported before, "Only photos not exported yet"), the progress bar with Cancel, and the
summary: what was written, what was not written again, what was withheld and why, what
failed, with a button that opens the destination folder. Opened with ``open()``; it never
blocks. While the export runs the dialog is not modal, so the main window stays usable
and closing it asks first (:mod:`photoscreen.ui.window.interactions`); closing the dialog
itself (its X, Esc) asks too. A stopped export leaves only complete photos, each with its
audit entry, and exporting again into the same folder finishes the set without writing
any photo twice (:mod:`photoscreen.core.workflows.export_plan`).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from photoscreen.core.basics import Progress, shown_name
from photoscreen.core.rules import PhotoState, PhotoStatus
from photoscreen.core.workflows import ExportSummary
from photoscreen.ui.control import ExportRunner


class ExportDialog(QDialog):
    """Drives one :class:`ExportRunner` from choice to summary."""

    def __init__(
        self,
        runner: ExportRunner,
        statuses: Sequence[PhotoStatus],
        suggested: Path | None,
        parent: QWidget | None = None,
        exported_before: int = 0,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export safe photos")
        self.setMinimumSize(560, 380)
        self._runner = runner
        self._ready = sum(1 for s in statuses if s.state is PhotoState.READY)
        self._exported_before = min(exported_before, self._ready)
        self.summary: ExportSummary | None = None
        self.stop_question: QMessageBox | None = None  # "Stop the export?", while asked
        self.pages = QStackedWidget()
        self.pages.addWidget(self._choose_page(statuses, suggested))
        self.pages.addWidget(self._progress_page())
        self.pages.addWidget(self._summary_page())
        QVBoxLayout(self).addWidget(self.pages)
        # Made the default once it is in the dialog: made so while its page was being
        # built, the dialog did not know, made "Choose…" (the next button after the field)
        # its default, and Return in the field opened the folder chooser.
        self.start_button.setDefault(True)
        runner.refused.connect(self._on_refused)
        runner.progressed.connect(self._on_progress)
        runner.finished.connect(self._on_finished)
        runner.failed.connect(self._on_failed)
        self._count_to_export()

    # --- pages --------------------------------------------------------------------------

    def _choose_page(self, statuses: Sequence[PhotoStatus], suggested: Path | None) -> QWidget:
        page = QWidget()
        ready = sum(1 for s in statuses if s.state is PhotoState.READY)
        held = len(statuses) - ready
        intro = QLabel(
            f"<b>{ready} photo{'s' if ready != 1 else ''} ready to post</b> will be saved as "
            "clean copies: faces hidden, hidden details removed, neutral file names. "
            f"{held} other{'s' if held != 1 else ''} will be left out, with the reason listed "
            "at the end. Your original photos are not changed."
            if ready
            else "<b>No photos are ready to post yet.</b> A photo is ready once it has an "
            "activity and its faces are checked (and, if someone asked the manager, once the "
            "manager has approved it). The panel beside each photo says what it still needs."
        )
        intro.setWordWrap(True)
        # Shown only when some ready photos went out before; on by default: a weekly
        # export posts the new photos, a stopped one is finished without repeats.
        new = ready - self._exported_before
        self.only_new = QCheckBox(
            f"Only photos not exported yet: {new} of the {ready} (the other "
            f"{self._exported_before} went out in an earlier export)"
        )
        self.only_new.setChecked(True)
        self.only_new.setVisible(self._exported_before > 0)
        self.only_new.toggled.connect(self._count_to_export)
        self.destination = QLineEdit(str(suggested) if suggested else "")
        self.destination.setPlaceholderText("Folder to save the photos in")
        # The remembered folder is selected, with the keyboard: typing replaces it, and
        # Return exports (the Export button is the default).
        self.destination.selectAll()
        self.destination.setFocus()
        browse = QPushButton("Choose…")
        browse.setAutoDefault(False)  # Return means Export (see __init__)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.destination, 1)
        row.addWidget(browse)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color:#9b1111;")
        self.start_button = QPushButton("Export")  # the default: see __init__
        self.start_button.clicked.connect(self.start)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.only_new)
        layout.addWidget(QLabel("Save them in this folder:"))
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addLayout(_buttons(cancel, self.start_button))
        return page

    def _progress_page(self) -> QWidget:
        page = QWidget()
        self.progress_label = QLabel("Starting…")
        self.progress_bar = QProgressBar()
        self.cancel_button = QPushButton("Cancel export")
        self.cancel_button.clicked.connect(self._cancel)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)
        layout.addStretch(1)
        layout.addLayout(_buttons(self.cancel_button))
        return page

    def _summary_page(self) -> QWidget:
        page = QWidget()
        self.summary_title = QLabel()
        self.summary_title.setWordWrap(True)
        self.summary_text = QTextBrowser()
        self.open_folder_button = QPushButton("Open the folder")
        self.open_folder_button.clicked.connect(self._open_destination)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary_title)
        layout.addWidget(self.summary_text, 1)
        layout.addLayout(_buttons(self.open_folder_button, self.close_button))
        return page

    # --- flow ---------------------------------------------------------------------------

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Save the photos in", self.destination.text()
        )
        if chosen:
            self.destination.setText(chosen)

    def _count_to_export(self) -> None:
        """Export is possible when some photo would be written."""
        skipped = self._exported_before if self.only_new.isChecked() else 0
        self.start_button.setEnabled(self._ready - skipped > 0)

    def start(self) -> None:
        """Start exporting to the folder typed or chosen."""
        text = self.destination.text().strip()
        if not text:
            self.problem.setText("Please choose a folder to save the photos in.")
            return
        only_new = self._exported_before > 0 and self.only_new.isChecked()
        self.pages.setCurrentIndex(1)
        if not self._runner.start(Path(text), only_new=only_new):
            self.pages.setCurrentIndex(0)
            return
        self._stop_being_modal()

    def _stop_being_modal(self) -> None:
        """While it exports, the main window stays usable, and closing it asks first (a
        window blocked by a modal dialog never even hears it is being closed)."""
        if self.windowModality() is Qt.WindowModality.NonModal:
            return
        self.hide()  # Qt applies a new modality when the window is shown again
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.show()
        # Shown again, it must have the keyboard again (Esc asks to stop, Return...).
        self.activateWindow()
        self.cancel_button.setFocus()

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.progress_label.setText("Stopping after the photo being saved…")
        self._runner.cancel()

    def reject(self) -> None:
        # Closing the window (X, Esc) mid-export asks first; after a stop the summary shows.
        if self._runner.running:
            self.ask_to_stop()
            return
        super().reject()

    def ask_to_stop(self) -> None:
        """Ask whether to stop the running export; keeping on is the default (Esc)."""
        if self.stop_question is not None or not self.cancel_button.isEnabled():
            return
        question = QMessageBox(
            QMessageBox.Icon.Question,
            "Stop the export?",
            "Photos are still being exported. Stop now? The photos saved so far stay in "
            "the folder, each one complete; the rest are not saved. Exporting again into "
            "the same folder later finishes the set without saving any photo twice.",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        stop = question.addButton("Stop the export", QMessageBox.ButtonRole.DestructiveRole)
        keep = question.addButton("Keep exporting", QMessageBox.ButtonRole.RejectRole)
        question.setDefaultButton(keep)
        question.setEscapeButton(keep)

        def answered() -> None:
            self.stop_question = None
            if question.clickedButton() is stop and self._runner.running:
                self._cancel()

        question.finished.connect(answered)
        question.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.stop_question = question
        question.open()

    def _close_stop_question(self) -> None:
        """The export ended while "Stop the export?" was open: nothing is left to stop."""
        if self.stop_question is not None:
            question, self.stop_question = self.stop_question, None
            question.done(0)

    def _on_refused(self, why: str) -> None:
        self.problem.setText(why)

    def _on_progress(self, progress: Progress) -> None:
        self.progress_bar.setMaximum(max(progress.total, 1) if progress.total else 0)
        self.progress_bar.setValue(progress.done)
        if progress.total:
            self.progress_label.setText(
                f"Photo {min(progress.done + 1, progress.total)} of {progress.total}…"
            )

    def _on_finished(self, summary: ExportSummary) -> None:
        self._close_stop_question()
        self.summary = summary
        self.summary_title.setText(summary_title(summary))
        self.summary_text.setHtml(summary_html(summary))
        self._show_summary()

    def _on_failed(self, why: str) -> None:
        self._close_stop_question()
        self.summary_title.setText(f"<b>The export stopped.</b> {escape(why)}")
        self.summary_text.clear()
        self._show_summary()

    def _show_summary(self) -> None:
        """The last page, with the keyboard on Close (Esc and Return close it too)."""
        self.pages.setCurrentIndex(2)
        self.close_button.setDefault(True)
        self.activateWindow()
        self.close_button.setFocus()

    def _open_destination(self) -> None:
        if self.summary is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.summary.destination)))


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


def summary_title(summary: ExportSummary) -> str:
    """The headline: how many were saved, and where."""
    n = len(summary.written)
    where = escape(shown_name(summary.destination))
    head = f"<b>{n} photo{'s' if n != 1 else ''} saved</b> in {where}"
    if summary.cancelled:
        head += (
            "<br>The export was stopped before the end. Export again into the same folder "
            "to finish: the photos already there are not saved twice."
        )
    if summary.failed:
        head += f"<br><b>{len(summary.failed)} could not be saved</b> (see below)."
    if summary.stopped is not None:
        head += f"<br><b>The export stopped:</b> {escape(summary.stopped)}"
    for problem in summary.problems:
        head += f"<br><b>Not recorded:</b> {escape(problem)}"
    return head


def summary_html(summary: ExportSummary) -> str:
    """Every photo's outcome: written (new name), left out (why), failed (why)."""
    name = shown_name
    parts = [
        _listed(
            "Could not be saved",
            [f"{escape(name(f.source.name))}: {escape(f.reason)}" for f in summary.failed],
        ),
        _listed(
            "Left out",
            [
                f"{escape(name(held.source.name))}: {escape('; '.join(held.reasons))}"
                for held in summary.withheld
            ],
        ),
        _listed(
            "Saved",
            [f"{escape(w.name)} (from {escape(name(w.source.name))})" for w in summary.written],
        ),
        _listed(
            "Not exported yet: the export was stopped before them",
            [escape(name(p.name)) for p in summary.not_reached],
        ),
        _listed(
            "Exported before, not saved again",
            [f"{escape(name(a.source.name))}: {escape(a.sentence)}" for a in summary.already],
        ),
    ]
    for copy, first in summary.duplicates:
        parts.append(
            f"<p>{escape(name(copy.name))} was skipped: the same picture as "
            f"{escape(name(first.name))}.</p>"
        )
    return "".join(parts) or "<p>Nothing was exported.</p>"


def _listed(title: str, lines: list[str]) -> str:
    """A titled list of already-escaped lines; nothing when there are none."""
    if not lines:
        return ""
    return f"<h3>{title}</h3><ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"
