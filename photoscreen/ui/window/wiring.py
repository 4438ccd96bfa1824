"""Connects the main window's widgets to the controller, in one readable list.

Only connections live here: each line says "when this happens, call that". Anything with
a decision in it is a method of the controller or of its verbs (``controller.verbs``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QMenu

from photoscreen.core.basics import shown_name
from photoscreen.ui.grid import ALL_PHOTOS, CELL_SIZE, REVIEW_FILTER, Roles
from photoscreen.ui.photo import WRITING_DRAWING_TEXT

if TYPE_CHECKING:
    from photoscreen.ui.window.main_window import MainWindow


def wire_window(window: MainWindow) -> None:
    """Connect everything in ``window``."""
    _wire_folder(window)
    _wire_grid(window)
    _wire_photo(window)
    _wire_side_panel(window)
    _wire_review(window)


def _wire_folder(w: MainWindow) -> None:
    c = w.controller
    c.folder_opened.connect(lambda _: w.pages.setCurrentIndex(1))
    c.subfolders_found.connect(w.offer_subfolders)
    c.folder_closed.connect(lambda: w.offer_subfolders(()))
    w.subfolder_offer.chosen.connect(c.open_folder)
    c.folder_closed.connect(lambda: w.pages.setCurrentIndex(0))
    c.folder_closed.connect(lambda: w.welcome.set_recent(c.preferences.recent_folders()))
    c.folder_closed.connect(w.filter_bar.clear_counts)
    c.title_changed.connect(w.setWindowTitle)
    c.activities_changed.connect(w.side_panel.set_activities)
    c.activities_changed.connect(w.help_overlay.set_activities)
    c.activities_changed.connect(lambda acts: w.commands.set_activities(acts, c.verbs.set_activity))
    c.counts_changed.connect(w.filter_bar.show_counts)
    c.opening_changed.connect(lambda folder: _show_opening(w, folder))
    c.scan_progressed.connect(lambda done, total: _show_scan(w, done, total))
    c.verbs.undo_changed.connect(lambda can_undo, can_redo: _enable_undo(w, can_undo, can_redo))
    w.welcome.open_folder_clicked.connect(w.interactions.choose_folder)
    w.welcome.recent_chosen.connect(c.open_folder)
    w.welcome.demo_clicked.connect(w.interactions.open_demo)
    w.welcome.set_recent(c.preferences.recent_folders())
    w.setWindowTitle(c.window_title())
    w.help_overlay.set_activities(())
    _add_recent_menu(w)
    w.menus["Help"].addAction("Earlier messages…", w.message_bar.show_history)


def _add_recent_menu(w: MainWindow) -> None:
    """File > Open recent: the welcome page's recent folders, also once a folder is open."""
    file_menu = w.menus["File"]
    w.recent_menu = recent = QMenu("Open &recent", file_menu)
    entries = file_menu.actions()
    after_open = entries[entries.index(w.commands["open_folder"]) + 1]
    file_menu.insertMenu(after_open, recent)
    recent.aboutToShow.connect(lambda: _fill_recent_menu(w))


def _fill_recent_menu(w: MainWindow) -> None:
    c, menu = w.controller, w.recent_menu
    menu.clear()
    for folder in c.preferences.recent_folders():
        action = menu.addAction(f"{shown_name(folder.name)}    ({shown_name(folder.parent)})")
        action.triggered.connect(lambda _checked=False, chosen=folder: c.open_folder(chosen))
    if menu.isEmpty():
        menu.addAction("No recent folders yet").setEnabled(False)


def _wire_grid(w: MainWindow) -> None:
    c = w.controller
    w.filter_bar.filter_chosen.connect(c.set_filter)
    w.grid.selectionModel().currentChanged.connect(lambda index, _previous: _grid_chose(w, index))
    c.current_changed.connect(lambda photo_id: _select_in_grid(w, photo_id))
    c.current_changed.connect(lambda photo_id: w.commands.set_photo_actions_enabled(bool(photo_id)))


def _wire_photo(w: MainWindow) -> None:
    c, view = w.controller, w.photo_view
    c.image_shown.connect(view.set_photo)
    c.photo.cleared.connect(view.clear)
    c.photo.loading.connect(view.show_loading)
    c.photo.preview_ready.connect(view.set_preview)
    c.faces_changed.connect(view.set_faces)
    c.verbs.drawing_requested.connect(view.start_drawing)
    c.verbs.writing_drawing_requested.connect(lambda: view.start_drawing(WRITING_DRAWING_TEXT))
    # A box half drawn belongs to the photo it was started on.
    c.current_changed.connect(lambda _: view.cancel_drawing())
    view.face_drawn.connect(c.verbs.add_face)
    view.face_changed.connect(c.verbs.move_face)
    view.face_deleted.connect(c.verbs.delete_face)
    view.consent_toggled.connect(w.consent_flow.face_key)  # the consent register's picker
    view.possible_accepted.connect(c.verbs.accept_possible)
    view.possible_dismissed.connect(c.verbs.dismiss_possible)
    # A message about one photo goes when another photo or folder is shown.
    c.current_changed.connect(w.message_bar.photo_shown)
    _wire_face_strip(w)


def _wire_face_strip(w: MainWindow) -> None:
    c, view, strip = w.controller, w.photo_view, w.face_strip
    view.faces_shown.connect(lambda: strip.set_state(view.strip_state()))
    view.selection_changed.connect(strip.set_current)
    strip.chosen.connect(view.show_face)
    strip.accepted.connect(c.verbs.accept_possible)
    strip.dismissed.connect(c.verbs.dismiss_possible)
    strip.removed.connect(c.verbs.not_a_face)


def _wire_side_panel(w: MainWindow) -> None:
    c, panel = w.controller, w.side_panel
    c.panel_changed.connect(panel.show_photo)
    c.verbs.preview_toggled.connect(panel.set_preview_checked)
    panel.activity_chosen.connect(c.verbs.set_activity)
    panel.exclude_clicked.connect(c.verbs.toggle_exclude)
    panel.unclothed_clicked.connect(w.interactions.toggle_unclothed)
    panel.ask_manager_clicked.connect(w.interactions.ask_manager)
    panel.faces_checked_clicked.connect(c.verbs.faces_checked_and_next)
    panel.add_box_clicked.connect(c.verbs.start_drawing)
    panel.look_harder_clicked.connect(c.verbs.look_harder)
    panel.preview_clicked.connect(c.verbs.toggle_preview)


def _wire_review(w: MainWindow) -> None:
    c, review, panel = w.controller, w.review, w.review_panel
    c.review_mode_changed.connect(lambda on: _show_review_mode(w, on))
    review.queue_changed.connect(panel.set_queue)
    review.state_changed.connect(panel.show_photo)
    review.pin_required_changed.connect(lambda needed: setattr(panel, "pin_required", needed))
    review.verdict_recorded.connect(panel.verdict_recorded)
    review.verdict_recorded.connect(lambda _: _remember_reviewer(w))
    review.verdict_refused.connect(panel.show_problem)
    panel.reviewer_check = review.reviewer_problem
    panel.photo_chosen.connect(c.select)
    panel.verdict_given.connect(review.give_verdict)
    panel.leave_clicked.connect(lambda: c.set_review_mode(False))


def _show_review_mode(w: MainWindow, on: bool) -> None:
    w.show_review_panel(on)
    w.filter_bar.choose(REVIEW_FILTER if on else ALL_PHOTOS)
    # Review means a second person: the name is the last reviewer's, never the name of
    # whoever tagged the photos on this PC (the core would refuse their approval).
    preferences = w.controller.preferences
    last = preferences.last_reviewer
    if on and not w.review_panel.reviewer.text() and last != preferences.user_name:
        w.review_panel.reviewer.setText(last)


def _remember_reviewer(w: MainWindow) -> None:
    w.controller.preferences.last_reviewer = w.review_panel.reviewer.text()


def _grid_chose(w: MainWindow, index: QModelIndex) -> None:
    if index.isValid():
        w.controller.select(index.data(Roles.PHOTO_ID))


def _select_in_grid(w: MainWindow, photo_id: str | None) -> None:
    c = w.controller
    source = c.model.index(c.model.row_of(photo_id or ""))
    index = c.proxy.mapFromSource(source)
    if index.isValid() and w.grid.currentIndex() != index:
        w.grid.setCurrentIndex(index)
        w.grid.scrollTo(index)


def _show_opening(w: MainWindow, folder: Path | None) -> None:
    w.scan_label.setText(f"Opening {shown_name(folder.name)}…" if folder is not None else "")
    if folder is not None:
        w.controller.cells_on_screen = _cells_on_screen(w)
        w.controller.thumbnail_scale = w.grid.devicePixelRatioF()
        # The work area is laid out and painted while the session opens on its worker,
        # so that cost and the folder's own arrival are two short GUI-thread turns, not
        # one long one. If the folder cannot be opened, ``folder_closed`` goes back.
        w.pages.setCurrentIndex(1)


def _cells_on_screen(w: MainWindow) -> int:
    """How many grid cells fit in the grid's area (whole columns, partly shown rows)."""
    area = w.grid.viewport().size()
    step_x = CELL_SIZE.width() + 2 * w.grid.spacing()
    step_y = CELL_SIZE.height() + 2 * w.grid.spacing()
    return max(1, area.width() // step_x) * -(-area.height() // step_y)


def _show_scan(w: MainWindow, done: int, total: int) -> None:
    reading = total > 0 and done < total
    w.scan_bar.setVisible(reading)
    # QProgressBar.setValue repaints at once, and that paints everything else waiting in
    # the window too (the whole grid, just after a folder opened): with updates off it
    # only schedules the paint, for the event loop's next turn.
    w.scan_bar.setUpdatesEnabled(False)
    w.scan_bar.setMaximum(max(total, 1))
    w.scan_bar.setValue(done)
    w.scan_bar.setUpdatesEnabled(True)
    w.scan_label.setText(f"Scanning photos and finding faces: {done} of {total}" if reading else "")


def _enable_undo(w: MainWindow, can_undo: bool, can_redo: bool) -> None:
    w.commands["undo"].setEnabled(can_undo)
    w.commands["redo"].setEnabled(can_redo)
