"""The export dialog: choose where, watch it go (or cancel), then read what happened.

Three pages: the destination (with how many photos are ready), the progress bar with
Cancel, and the summary: what was written, what was withheld and why, what failed, with
a button that opens the destination folder. Opened with ``open()``; it never blocks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
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
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export safe photos")
        self.setMinimumSize(560, 380)
        self._runner = runner
        self.summary: ExportSummary | None = None
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
        self._warned_about: Path | None = None  # a folder already holding photos
        intro.setWordWrap(True)
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
        self.start_button.setEnabled(ready > 0)
        self.start_button.clicked.connect(self.start)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
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
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary_title)
        layout.addWidget(self.summary_text, 1)
        layout.addLayout(_buttons(self.open_folder_button, close))
        return page

    # --- flow ---------------------------------------------------------------------------

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Save the photos in", self.destination.text()
        )
        if chosen:
            self.destination.setText(chosen)

    def start(self) -> None:
        """Start exporting to the folder typed or chosen."""
        text = self.destination.text().strip()
        if not text:
            self.problem.setText("Please choose a folder to save the photos in.")
            return
        already = _photos_in(Path(text))
        if already and self._warned_about != Path(text):
            self._warned_about = Path(text)
            self.problem.setText(
                f"This folder already holds {already} photo{'s' if already != 1 else ''} "
                "from an earlier export. New copies are added beside them (nothing "
                "is replaced), so photos exported before will be there twice. Press Export "
                "again to go ahead, or choose another folder."
            )
            return
        self.pages.setCurrentIndex(1)
        if not self._runner.start(Path(text)):
            self.pages.setCurrentIndex(0)

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.progress_label.setText("Stopping after the photo being saved…")
        self._runner.cancel()

    def reject(self) -> None:
        # Closing the window mid-export means cancel; the summary page then shows.
        if self._runner.running:
            self._cancel()
            return
        super().reject()

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
        self.summary = summary
        self.summary_title.setText(summary_title(summary))
        self.summary_text.setHtml(summary_html(summary))
        self.pages.setCurrentIndex(2)

    def _on_failed(self, why: str) -> None:
        self.summary_title.setText(f"<b>The export stopped.</b> {escape(why)}")
        self.summary_text.clear()
        self.pages.setCurrentIndex(2)

    def _open_destination(self) -> None:
        if self.summary is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.summary.destination)))


# The names export gives its photos: "messy-play-001.jpg".
_EXPORTED_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-\d{3,}\.jpg")


def _photos_in(folder: Path) -> int:
    """How many photos an earlier export left in ``folder`` (0 if it does not exist yet)."""
    try:
        return sum(1 for p in folder.iterdir() if _EXPORTED_NAME.fullmatch(p.name))
    except OSError:
        return 0


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
        head += "<br>The export was cancelled before the end."
    if summary.failed:
        head += f"<br><b>{len(summary.failed)} could not be saved</b> (see below)."
    if summary.stopped is not None:
        head += f"<br><b>The export stopped:</b> {escape(summary.stopped)}"
    for problem in summary.problems:
        head += f"<br><b>Not recorded:</b> {escape(problem)}"
    return head


def summary_html(summary: ExportSummary) -> str:
    """Every photo's outcome: written (new name), left out (why), failed (why)."""
    parts = []
    if summary.failed:
        parts.append("<h3>Could not be saved</h3><ul>")
        parts += [
            f"<li>{escape(shown_name(f.source.name))}: {escape(f.reason)}</li>"
            for f in summary.failed
        ]
        parts.append("</ul>")
    if summary.withheld:
        parts.append("<h3>Left out</h3><ul>")
        for held in summary.withheld:
            why = "; ".join(held.reasons)
            parts.append(f"<li>{escape(shown_name(held.source.name))}: {escape(why)}</li>")
        parts.append("</ul>")
    if summary.written:
        parts.append("<h3>Saved</h3><ul>")
        parts += [
            f"<li>{escape(w.name)} (from {escape(shown_name(w.source.name))})</li>"
            for w in summary.written
        ]
        parts.append("</ul>")
    for copy, first in summary.duplicates:
        parts.append(
            f"<p>{escape(shown_name(copy.name))} was skipped: the same picture as "
            f"{escape(shown_name(first.name))}.</p>"
        )
    return "".join(parts) or "<p>Nothing was exported.</p>"
