"""What the window shows of the photo on screen: the picture (or why there is none), its
boxes, its side panel, its export preview.

The controller keeps one :class:`PhotoOnScreen` and calls :meth:`PhotoOnScreen.show`
whenever the photo on screen, or what is known of it, changed; it publishes the
view-state (:mod:`photoscreen.ui.control.view_state`) the photo view and the side panel
draw. Boxes are only ever published over the picture they belong to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from photoscreen.core.session import PhotoEntry
from photoscreen.ui.control import view_state
from photoscreen.ui.control.controller_verbs import DecisionVerbs
from photoscreen.ui.control.current_photo import CurrentPhoto
from photoscreen.ui.control.grid_feed import GridFeed
from photoscreen.ui.control.photo_rows import PhotoRows
from photoscreen.ui.grid import Roles, file_problem


class PhotoOnScreen(QObject):
    """Publishes the view-state of the photo ``entry()`` returns (None: no photo chosen)."""

    panel_changed = Signal(object)  # PanelState or None
    faces_changed = Signal(object)  # list[FaceOverlay]
    image_shown = Signal(object, int, int)  # QImage, full width, full height

    def __init__(
        self,
        entry: Callable[[], PhotoEntry | None],
        rows: PhotoRows,
        photo: CurrentPhoto,
        feed: GridFeed,
        verbs: DecisionVerbs,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._entry = entry
        self._rows = rows
        self._photo = photo
        self._feed = feed
        self._verbs = verbs
        photo.hidden_data_ready.connect(lambda _: self.show_panel())
        photo.image_ready.connect(self._on_image)
        feed.thumbnail_made.connect(self._on_thumbnail)

    def show(self, *, reload: bool) -> None:
        """Show the photo on screen as it is known now; ``reload``: load its picture
        again unless it is already the one shown."""
        entry = self._entry()
        if entry is None:
            self._photo.clear("No photo chosen" if len(self._rows) else "No photos in this folder")
        elif (problem := file_problem(entry.status)) is not None:
            self._photo.clear(problem.sentence)
        elif entry.photo_hash is None:
            self._feed.read_first(entry.path)  # the photo on screen is read first
            # Its grid thumbnail, if made already, stands in until it has been read.
            self._photo.clear("Still reading this photo…", self._thumbnail_of(entry.key))
        elif reload:
            # The grid's thumbnail stands in (scaled) until the full picture is decoded.
            self._photo.show(entry.path, entry.photo_hash, self._thumbnail_of(entry.key))
        self.show_panel()
        self._show_faces()
        if self._verbs.previewing:
            self._verbs.request_preview()

    def show_panel(self) -> None:
        """Publish the side panel's state of the photo on screen (None: no photo)."""
        entry = self._entry()
        if entry is None:
            self.panel_changed.emit(None)
            return
        photo = self._photo
        hidden = photo.hidden_data if photo.key == (entry.path, entry.photo_hash) else None
        self.panel_changed.emit(
            view_state.panel_state(entry.shown_name, entry.status, entry.decisions, hidden)
        )

    def _thumbnail_of(self, photo_id: str) -> Any:
        """The grid's thumbnail of ``photo_id`` (a QImage), or None if not made yet."""
        model = self._rows.model
        return model.index(model.row_of(photo_id)).data(Roles.THUMBNAIL)

    def _show_faces(self) -> None:
        # Boxes go over the picture they belong to, never over the one still on screen
        # while the next decodes: until it arrives the view shows no boxes to edit.
        entry = self._entry()
        if entry is not None and self._photo.is_on_screen(entry.path, entry.photo_hash):
            self.faces_changed.emit(view_state.face_overlays(entry.decisions))
        else:
            self.faces_changed.emit([])

    def _on_image(self, image: object, width: int, height: int) -> None:
        # A new picture replaces the view's scene: its boxes are drawn again on top.
        self.image_shown.emit(image, width, height)
        self._show_faces()

    def _on_thumbnail(self, photo_id: str, image: QImage) -> None:
        """A row's thumbnail was made: for the photo on screen, still being read or
        loaded, it stands in (scaled up, "Loading…") until the picture comes, so the view
        is never left blank meanwhile."""
        entry = self._entry()
        if (
            entry is not None
            and entry.key == photo_id
            and file_problem(entry.status) is None
            and not self._photo.is_on_screen(entry.path, entry.photo_hash)
        ):
            self._photo.stand_in(image)
