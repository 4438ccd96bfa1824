"""Runs the core's export on the ``writer`` pool and reports back on the GUI thread.

The destination is checked first (quickly, on the GUI thread) so a bad choice is refused
before anything starts. Cancel asks the export to stop between photos; the summary of
what was done so far still arrives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from photoscreen.core.basics import Progress
from photoscreen.core.workflows import (
    ExportRefused,
    ExportSummary,
    check_destination,
    export_photos,
)
from photoscreen.ui.control.controller import Controller
from photoscreen.ui.threads import JobContext, JobError, JobHandle


class ExportRunner(QObject):
    """One export at a time for the controller's open session."""

    refused = Signal(str)
    progressed = Signal(object)  # Progress
    finished = Signal(object)  # ExportSummary
    failed = Signal(str)

    def __init__(self, controller: Controller, parent: Any = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._handle: JobHandle | None = None

    @property
    def running(self) -> bool:
        return self._handle is not None

    def start(self, destination: Path, *, only_new: bool = False) -> bool:
        """Start exporting to ``destination`` (with ``only_new``, only photos not exported
        before); False (and ``refused``) if it cannot start."""
        session = self._controller.session
        if session is None or self.running:
            return False
        try:
            target = check_destination(session, destination)
        except ExportRefused as error:
            self.refused.emit(str(error))
            return False

        def job(context: JobContext) -> ExportSummary:
            return export_photos(
                session, target, cancel=context.cancel, progress=context.report, only_new=only_new
            )

        self._controller.exporting = True
        self._controller.preferences.last_export_folder = target
        self._handle = self._controller.workers.run(
            "writer",
            job,
            on_result=self._on_finished,
            on_error=self._on_failed,
            on_progress=self.progressed.emit,
        )
        self.progressed.emit(Progress(0, 0, "Starting…"))
        return True

    def cancel(self) -> None:
        """Stop after the photo being written; the summary still arrives."""
        if self._handle is not None:
            self._handle.stop()

    def _on_finished(self, summary: ExportSummary) -> None:
        self._handle = None
        self._controller.exporting = False
        self._controller.refresh_all()
        self.finished.emit(summary)

    def _on_failed(self, error: JobError) -> None:
        self._handle = None
        self._controller.exporting = False
        self._controller.refresh_all()  # photos exported before it failed are marked
        self._controller.messages.error(f"The export stopped: {error.exception}", error.trace)
        self.failed.emit(str(error.exception))
