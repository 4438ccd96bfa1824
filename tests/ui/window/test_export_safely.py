"""An export in the real window that cannot be lost halfway: closing its dialog (X, Esc)
or the main window while it runs asks first; a stop leaves only complete photos, each
audited; the grid marks photos exported before; "only photos not exported yet" resumes
a stopped export without saving any photo twice; the progress counts those photos."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from photoscreen.core.storage import ExportRecord
from photoscreen.core.workflows import export as export_job
from photoscreen.ui.control.view_state import exported_mark
from photoscreen.ui.dialogs.export import ExportDialog
from photoscreen.ui.grid.model import Roles
from tests.helpers.export_checks import assert_folder_agrees_with_the_trail, published_into
from tests.ui.conftest import save_jpeg, scanned_window, scene

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

READY = ("IMG_0.jpg", "IMG_1.jpg", "IMG_2.jpg", "IMG_3.jpg")


@pytest.fixture
def window(qtbot, make_window, tmp_path):
    """Five photos, four of them ready to post (IMG_4 still needs an activity)."""
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(5):
        save_jpeg(folder / f"IMG_{i}.jpg", scene(i))
    shown = scanned_window(qtbot, make_window, folder)
    c = shown.controller
    for name in READY:
        entry = next(e for e in c.entries() if e.name == name)
        c.select(name)
        c.verbs.set_activity("story_time")
        c.session.set_faces_checked(entry.photo_hash, True)
        c.refresh_photo(entry.photo_hash)
    return shown


@pytest.fixture
def held(monkeypatch):
    """Photos wait to be rendered until the test lets them go (the export really runs, on
    its worker, only slower): ``held.set()`` releases them all."""
    gate = threading.Event()
    real = export_job.render_for_writing

    def waiting(*args, **kwargs):  # type: ignore[no-untyped-def]
        gate.wait(timeout=60)
        return real(*args, **kwargs)

    monkeypatch.setattr(export_job, "render_for_writing", waiting)
    yield gate
    gate.set()


def _start(qtbot, window, upload) -> ExportDialog:
    window.interactions.show_export()
    dialog = window.interactions.dialog
    assert isinstance(dialog, ExportDialog)
    dialog.destination.setText(str(upload))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 1 and window.interactions.export_runner.running
    return dialog


def _button(box: QMessageBox, starts: str):  # type: ignore[no-untyped-def]
    return next(b for b in box.buttons() if b.text().startswith(starts))


def test_closing_the_dialog_mid_export_asks_and_a_resume_finishes_the_set_once(
    qtbot, window, held, tmp_path
):
    upload = tmp_path / "upload"
    dialog = _start(qtbot, window, upload)
    qtbot.waitUntil(lambda: dialog.progress_bar.maximum() == 4)  # the photos, not 5 files
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    question = dialog.stop_question
    assert isinstance(question, QMessageBox) and "still being exported" in question.text()
    qtbot.mouseClick(_button(question, "Keep"), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and window.interactions.export_runner.running
    dialog.close()  # the window's X asks the same
    question = dialog.stop_question
    assert question is not None and dialog.isVisible()
    qtbot.mouseClick(_button(question, "Stop"), Qt.MouseButton.LeftButton)
    held.set()
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=30000)
    first = dialog.summary
    assert first.cancelled and 0 < len(first.written) < 4
    assert "Export again into the same folder" in dialog.summary_title.text()
    assert len(first.not_reached) == 4 - len(first.written)  # each listed by name
    assert "Not exported yet" in dialog.summary_text.toPlainText()
    session = window.controller.session
    assert_folder_agrees_with_the_trail(session, upload)
    dialog.accept()

    # The grid marks what went out; the export offers only the rest, and resumes.
    grid = window.controller.model
    marked = {e.name for e in grid.entries() if e.exported.startswith("Exported ")}
    assert marked == {w.source.name for w in first.written}
    row = grid.index(grid.row_of(next(e.photo_id for e in grid.entries() if e.name in marked)))
    assert "Exported on" in grid.data(row, Qt.ItemDataRole.ToolTipRole)
    assert grid.data(row, Roles.EXPORTED).startswith("Exported ")  # what the cell paints
    window.interactions.show_export()
    dialog = window.interactions.dialog
    assert dialog.only_new.isVisibleTo(dialog) and dialog.only_new.isChecked()
    assert f"{4 - len(first.written)} of the 4" in dialog.only_new.text()
    dialog.destination.setText(str(upload))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=30000)
    assert len(dialog.summary.written) == 4 - len(first.written)
    assert dialog.progress_bar.maximum() == 4 - len(first.written)
    assert_folder_agrees_with_the_trail(session, upload)
    ready = {e.photo_hash for e in window.controller.entries() if e.name in READY}
    assert {r.photo_hash for r in published_into(session, upload)} == ready
    assert {e.name for e in grid.entries() if e.exported} == set(READY)
    dialog.accept()

    # Next week, into a new folder: only the photo made ready since goes.
    c = window.controller
    c.select("IMG_4.jpg")
    c.verbs.set_activity("story_time")
    c.session.set_faces_checked(next(e for e in c.entries() if e.name == "IMG_4.jpg").photo_hash)
    window.interactions.show_export()
    dialog = window.interactions.dialog
    assert "1 of the 5" in dialog.only_new.text() and dialog.only_new.isChecked()
    dialog.destination.setText(str(tmp_path / "next week"))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=30000)
    assert [w.source.name for w in dialog.summary.written] == ["IMG_4.jpg"]
    assert "Exported before, not saved again" in dialog.summary_text.toPlainText()


def test_closing_the_main_window_mid_export_asks_even_with_the_dialog_open(
    qtbot, window, held, tmp_path
):
    upload = tmp_path / "upload"
    dialog = _start(qtbot, window, upload)
    # Nothing modal blocks the main window while it exports: a blocked window is never
    # told it is being closed, which is how closing it used to be silently ignored.
    assert QApplication.activeModalWidget() is None
    window.interactions.show_export()  # Ctrl+E again: the same dialog, no second one
    assert window.interactions._export_dialog is dialog
    assert not window.close()
    question = window.interactions.dialog
    assert isinstance(question, QMessageBox) and "still being exported" in question.text()
    qtbot.mouseClick(_button(question, "Keep"), Qt.MouseButton.LeftButton)
    assert window.isVisible() and window.interactions.export_runner.running
    assert not window.close()
    qtbot.mouseClick(_button(window.interactions.dialog, "Stop"), Qt.MouseButton.LeftButton)
    assert window.isVisible()  # it closes once the export has stopped
    held.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30000)
    assert window.controller.preferences.last_export_folder == upload.resolve()


def test_a_stop_leaves_the_folder_as_audited_when_reopened(qtbot, window, held, tmp_path):
    """Whatever the window did, the folder and the trail agree once it has closed."""
    upload = tmp_path / "upload"
    _start(qtbot, window, upload)
    session = window.controller.session
    assert not window.close()
    qtbot.mouseClick(_button(window.interactions.dialog, "Stop"), Qt.MouseButton.LeftButton)
    held.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30000)
    from photoscreen.core.session import Session

    with Session.open(session.folder, "Checker", read_only=True) as again:
        assert_folder_agrees_with_the_trail(again, upload)


def test_the_exported_mark_says_the_day_and_the_year_only_when_not_this_one():
    def record(at: str) -> ExportRecord:
        return ExportRecord("h", at, "story-time-004.jpg", "/home/sam/Posted set")

    assert exported_mark(()) == ("", "")
    mark, detail = exported_mark((record("2026-05-03T10:00:00+00:00"),), date(2026, 12, 4))
    assert mark == "Exported 3 May"
    assert detail.startswith("Exported on 3 May 2026 as story-time-004.jpg into Posted set")
    mark, detail = exported_mark(
        (record("2025-05-03T10:00:00+00:00"), record("2025-05-04T10:00:00+00:00")),
        date(2026, 1, 1),
    )
    assert mark == "Exported 4 May 2025" and "(2 exports in all)" in detail
