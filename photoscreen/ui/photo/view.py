"""The photo, large, with its face boxes: draw, move, resize, delete, accept, consent, zoom.

The view is put together from parts that each do one thing: :class:`ZoomableView` (zoom
and fit, its base), :class:`~photoscreen.ui.photo.picture.Picture` (the photo, the export
preview, the stand-in while loading, the face strip's crops),
:class:`~photoscreen.ui.photo.face_layer.FaceLayer` (the face items kept in step with the
overlays), :class:`~photoscreen.ui.photo.box_drawing.BoxDrawing` (a box drawn by hand),
:class:`~photoscreen.ui.photo.notices.Notices` (the words over the photo) and
:class:`~photoscreen.ui.photo.box_keys.BoxKeys` (what the keys do to the boxes, after the
table in :mod:`~photoscreen.ui.photo.box_commands`). The view ties them together, turns
what they ask for into its signals, and is the one object the window uses.

The view shows what it is given and reports what the user asks for. Edits are signals
(``face_drawn``, ``face_changed``...); the controller stores them and answers with
:meth:`PhotoView.set_faces`. A moved or resized box stays where the user left it meanwhile.

Keys, when a box is selected (they take priority over window shortcuts only then):
Delete/Backspace removes it, Shift+C asks whose face it is (the consent register) or blurs
a shown face again, A/Enter accepts a possible face, D dismisses one, Shift+arrows nudge it,
Esc deselects. Tab / Shift+Tab cycle through the boxes and, past the last one, move on to
the next widget. Esc also cancels drawing.
The window's own commands call :meth:`PhotoView.accept_possible` and
:meth:`PhotoView.dismiss_possible` (A and D wherever the focus is: with no possible face
selected they mean the first one not decided yet), and the zoom methods.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QResizeEvent,
)
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QMenu, QWidget

from photoscreen.core.basics import Box
from photoscreen.ui.control import FaceOverlay
from photoscreen.ui.photo.box_commands import (
    ACCEPT,
    CONSENT,
    DELETE,
    DISMISS,
    menu_entries,
    tab_step,
)
from photoscreen.ui.photo.box_drawing import MIN_FACE_PX, BoxDrawing
from photoscreen.ui.photo.box_keys import BoxKeys
from photoscreen.ui.photo.face_items import rect_to_box
from photoscreen.ui.photo.face_layer import FaceLayer, face_item_of
from photoscreen.ui.photo.face_strip import Region, StripState
from photoscreen.ui.photo.notices import NO_PHOTO_TEXT, Notices
from photoscreen.ui.photo.picture import Picture
from photoscreen.ui.photo.zoom_view import ZoomableView

PREVIEW_TEXT = "Preview: exactly what export will write"
DRAWING_TEXT = "Drag a box around the face  ·  Esc cancels"
LOADING_BANNER = "Loading…"
BACKGROUND = "#262626"


class PhotoView(ZoomableView):
    """Shows one photo with its face overlays and lets the user edit them."""

    face_drawn = Signal(object)  # Box of a newly drawn face (full-resolution pixels)
    face_changed = Signal(str, object)  # id, its new Box after a move or resize
    face_deleted = Signal(str)
    consent_toggled = Signal(str)
    possible_accepted = Signal(str)
    possible_dismissed = Signal(str)
    drawing_changed = Signal(bool)  # add-box mode started (True) or ended (False)
    faces_shown = Signal()  # the boxes shown changed (see strip_state)
    selection_changed = Signal(object)  # the selected box's id, or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        # A bound slot, not a lambda: Qt disconnects it before the scene, a child of the
        # view, clears its selection on the way out.
        self.scene().selectionChanged.connect(self._selection_moved)
        self._picture = Picture(self.scene())
        self._drawing = BoxDrawing(self)
        self._drawing.drawn.connect(self._box_drawn)
        self._faces = FaceLayer(self.scene(), MIN_FACE_PX)
        self._faces.edited.connect(self.face_changed)
        self._faces.accept_clicked.connect(self.possible_accepted)
        self._faces.dismiss_clicked.connect(self.possible_dismissed)
        self._notices = Notices(self.viewport())
        self._keys = BoxKeys(self, self._faces, self._run)
        # Cosmetic pens and zoom-independent labels outgrow their scene bounds; repainting
        # the whole viewport avoids trails (the scene is one pixmap and a few boxes).
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setBackgroundBrush(QColor(BACKGROUND))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # A folder dropped on the photo opens like one dropped anywhere else: the window
        # handles drops. A graphics view takes every drag for its scene, which has nothing
        # to drop on, so drags pass through it to the window instead.
        self.setAcceptDrops(False)
        self.viewport().setAcceptDrops(False)

    # -- what is shown ---------------------------------------------------------------
    def set_photo(self, image: QImage, full_width: int, full_height: int) -> None:
        """Show a new upright photo; ``image`` may be a reduced decode of it.

        Face overlays, preview and drawing are cleared; the view zooms to fit.
        """
        if image.isNull() or full_width <= 0 or full_height <= 0:
            raise ValueError("set_photo needs a non-empty image and a positive full size")
        self._leave_photo()
        self.set_content_rect(QRectF(0, 0, full_width, full_height))
        self._picture.show_photo(image, self._content)
        self._notices.hide_message()
        self._show_scrollbars(True)
        self.zoom_to_fit()

    def show_loading(self, stand_in: QImage) -> None:
        """Show ``stand_in`` (the next photo's thumbnail, say) until :meth:`set_photo`.

        It fills the view under a "Loading…" banner, with no boxes: boxes are only drawn
        over the photo they belong to, and nothing can be drawn or edited meanwhile.
        """
        if stand_in.isNull():
            return
        self._leave_photo()
        self.set_content_rect(QRectF(0, 0, stand_in.width(), stand_in.height()))
        self._picture.show_stand_in(stand_in)
        self._notices.hide_message()
        self._show_scrollbars(False)
        self._notices.show_banner(LOADING_BANNER)
        self.zoom_to_fit()

    def _leave_photo(self) -> None:
        """What was drawn, said or previewed over the last photo goes with it."""
        self.cancel_drawing()
        self.hide_note()  # a note is about the photo it was said on
        self.set_faces([])
        self.set_preview(None)

    def clear(self, message: str = NO_PHOTO_TEXT) -> None:
        """Show no photo, only ``message`` (for example why a photo cannot be shown)."""
        self.cancel_drawing()
        self.hide_note()
        self.set_preview(None)
        self._picture.clear()
        self.set_content_rect(QRectF())
        self.set_faces([])  # after the photo went: the face strip then shows no photo
        # Nothing to scroll over: without this the last photo's zoom and scene size left
        # scrollbars around a message or an empty view.
        self._show_scrollbars(False)
        self.resetTransform()
        self.scene().setSceneRect(QRectF(0, 0, 1, 1))
        self._notices.show_message(message)

    def _show_scrollbars(self, shown: bool) -> None:
        """Scrollbars only around a photo (zoomed in); never around a stand-in or a
        message, which always fit."""
        policy = (
            Qt.ScrollBarPolicy.ScrollBarAsNeeded if shown else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        self.setHorizontalScrollBarPolicy(policy)
        self.setVerticalScrollBarPolicy(policy)

    def has_photo(self) -> bool:
        """True while a photo is shown (not while a stand-in shows it is loading)."""
        return self.has_content() and not self._picture.is_stand_in()

    def message(self) -> str:
        """The text shown instead of a photo, empty while a photo is shown."""
        return self._notices.message()

    def set_preview(self, image: QImage | None) -> None:
        """Show ``image`` (the exact export pixels) in place of the photo; ``None`` returns."""
        if image is not None and not image.isNull():
            self.cancel_drawing()
            self.scene().clearSelection()
        previewing = self._picture.show_preview(image, self._content)
        self._faces.set_visible(not previewing)
        self._notices.show_banner(PREVIEW_TEXT if previewing else "")

    def is_previewing(self) -> bool:
        return self._picture.is_previewing()

    def banner_text(self) -> str:
        """The notice shown over the photo (preview or drawing), empty when none."""
        return self._notices.banner_text()

    def show_note(self, text: str) -> None:
        """Say ``text`` over the foot of the photo for a few seconds."""
        self._notices.show_note(text)

    def hide_note(self) -> None:
        """Take the note away (the photo it was about is no longer shown)."""
        self._notices.hide_note()

    def note_text(self) -> str:
        """The note shown now (see :meth:`show_note`), empty when none."""
        return self._notices.note_text()

    # -- the face boxes --------------------------------------------------------------
    def set_faces(self, faces: Sequence[FaceOverlay]) -> None:
        """Replace the overlays; a box that keeps its id keeps its selection."""
        self._faces.sync(
            faces,
            bounds=self._content,
            unit=self.scene_per_screen_pixel(),
            visible=not self.is_previewing(),
        )
        self.faces_shown.emit()

    def strip_state(self) -> StripState:
        """The face strip's view of the boxes: regions in Tab order, with their crops."""
        shown = self.has_photo()
        items = self._faces.tab_order(visible_only=False) if shown else []
        regions = tuple(Region(i.face_id, i.kind, rect_to_box(i.scene_rect())) for i in items)
        crops = self._picture.crops(regions)
        return StripState(self._picture.key() if shown else None, regions, crops)

    def face_ids(self) -> list[str]:
        """The ids of the boxes shown, in Tab order (left to right)."""
        return [item.face_id for item in self._faces.tab_order()]

    def face_kind(self, face_id: str) -> str:
        """What a box is (a face, a possible face, writing...): its overlay's kind."""
        return self._faces[face_id].kind

    def face_rect(self, face_id: str) -> QRectF:
        """Where a box currently is, in full-resolution pixels."""
        return self._faces[face_id].scene_rect()

    def selected_face_id(self) -> str | None:
        item = self._faces.selected()
        return item.face_id if item is not None else None

    def select_face(self, face_id: str | None) -> None:
        """Select one box (``None`` selects none) and scroll it into view."""
        self.scene().clearSelection()
        item = self._faces.get(face_id)
        if item is not None:
            item.setSelected(True)
            self.ensureVisible(item.scene_rect())

    def show_face(self, face_id: str) -> None:
        """Select one box and zoom to it, centred (Tab, or its crop in the face strip)."""
        item = self._faces.get(face_id)
        if item is None or not item.isVisible():
            return
        self.select_face(face_id)
        self.zoom_to_rect(item.scene_rect())

    def _selection_moved(self) -> None:
        self.selection_changed.emit(self.selected_face_id())

    def _zoom_settled(self) -> None:
        self._faces.set_unit(self.scene_per_screen_pixel())
        super()._zoom_settled()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._notices.place()

    # -- drawing a new box -----------------------------------------------------------
    def start_drawing(self, banner: str = DRAWING_TEXT) -> None:
        """Enter add-box mode: the next drag draws a box (a face, or writing: ``banner``
        says which). Esc cancels.

        Ignored while there is no photo or the preview is shown (there are no boxes then).
        """
        if not self.has_photo() or self.is_previewing() or self._drawing.is_on():
            return
        self._drawing.start(self._content)
        self.scene().clearSelection()
        self._notices.show_banner(banner)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.drawing_changed.emit(True)

    def cancel_drawing(self) -> None:
        """Leave add-box mode without adding anything."""
        if not self._drawing.stop():
            return
        self._notices.show_banner("")
        self.drawing_changed.emit(False)

    def is_drawing(self) -> bool:
        return self._drawing.is_on()

    def _box_drawn(self, box: Box) -> None:
        self.cancel_drawing()
        self.face_drawn.emit(box)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        # The press started here (a pan or a click on the photo): the release ends it here
        # rather than travelling on to the parent, which never saw the press.
        event.accept()

    # -- keyboard and menu -----------------------------------------------------------
    def accept_possible(self) -> None:
        """A possible face is a face: the one selected, or else the first not decided yet."""
        self._keys.decide_possible(ACCEPT)

    def dismiss_possible(self) -> None:
        """A possible face is not a face: the one selected, or else the first not decided."""
        self._keys.decide_possible(DISMISS)

    def select_next_box(self, forward: bool) -> bool:
        """Tab pressed elsewhere in the window: take the focus and select the next (or
        previous) box, zoomed to it; False when there is none (and the focus stays)."""
        if not self.has_photo() or self.is_previewing() or not self._faces.tab_order():
            return False
        if not self._keys.cycle(forward):
            return False
        self.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def event(self, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent):
            return super().event(event)
        if event.type() == QEvent.Type.ShortcutOverride and self._keys.claims(event):
            event.accept()
            return True
        if event.type() == QEvent.Type.KeyPress:
            forward = tab_step(event.key(), event.modifiers())
            if forward is not None and self._keys.cycle(forward):
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._keys.press(event):
            super().keyPressEvent(event)

    def _run(self, face_id: str, command: str | None) -> None:
        """Emit the signal that asks for ``command`` on one box."""
        signals = {
            ACCEPT: self.possible_accepted,
            DISMISS: self.possible_dismissed,
            DELETE: self.face_deleted,
            CONSENT: self.consent_toggled,
        }
        if command in signals:
            signals[command].emit(face_id)

    def menu_actions(self, face_id: str) -> list[tuple[str, str]]:
        """The context menu of one box: (text, command) pairs, see :mod:`box_commands`."""
        return menu_entries(self._faces[face_id].kind)

    def run_menu_command(self, face_id: str, command: str) -> None:
        """Do what a context-menu entry says (also used by tests and the help overlay)."""
        self._run(face_id, command)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = face_item_of(self.items(event.pos()))
        if item is None or self._drawing.is_on():
            super().contextMenuEvent(event)
            return
        self.select_face(item.face_id)
        menu = QMenu(self)
        face_id = item.face_id
        for text, command in self.menu_actions(face_id):
            action = menu.addAction(text)
            action.triggered.connect(lambda _=False, c=command: self._run(face_id, c))
        menu.exec(event.globalPos())
