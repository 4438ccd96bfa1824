"""The photo, large, with its face boxes: draw, move, resize, delete, accept, consent, zoom.

The scene is measured in the upright photo's full-resolution pixels, the coordinate system
of every :class:`~photoscreen.core.basics.geometry.Box`. The picture on screen may be a reduced
decode (a quarter-size preview, say); one transform on its pixmap item scales it up to the
scene, and that is the only place where displayed pixels and box coordinates differ.
Orientation never appears here: the loader hands over upright pixels.

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

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QLabel,
    QMenu,
    QWidget,
)

from photoscreen.core.basics import Box
from photoscreen.ui.control import FaceOverlay
from photoscreen.ui.photo.box_commands import (
    ACCEPT,
    CONSENT,
    DELETE,
    DISMISS,
    box_command,
    menu_entries,
    nudge_direction,
)
from photoscreen.ui.photo.face_items import (
    UNDECIDED_KINDS,
    FaceItem,
    box_to_rect,
    rect_to_box,
)
from photoscreen.ui.photo.face_strip import Region, StripState, crop_of
from photoscreen.ui.photo.zoom_view import ZoomableView

MIN_FACE_PX = 8.0  # smallest box, in full-resolution pixels (the detector's own floor)
MIN_DRAG_PX = 4.0  # a drag shorter than this on screen is a click, not a box
NUDGE_PX = 4.0  # Shift+arrow moves a box this many screen pixels
BANNER_STYLE = (
    "QLabel { background: rgba(10, 10, 10, 215); color: white; padding: 6px 14px;"
    " border-radius: 6px; font-weight: bold; }"
)
PREVIEW_TEXT = "Preview: exactly what export will write"
DRAWING_TEXT = "Drag a box around the face  ·  Esc cancels"
LOADING_BANNER = "Loading…"
DISMISS_WHICH_TEXT = "Is this box not a face? Press D again to dismiss it (it will not be blurred)."
NO_POSSIBLE_TEXT = "No possible face left to decide in this photo"
PREVIEWING_TEXT = "Leave the preview (P) to decide about the possible faces"
NOTE_MS = 4000  # how long a note stays over the photo


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
        self._photo_key = 0  # counts the photos shown: the face strip's "another photo"
        self._crops: dict[tuple[str, Box], QPixmap] = {}  # the face strip's, by id and box
        self._crops_key = -1  # the photo they were made of
        self._photo = self._add_pixmap_item(-2)
        self._preview = self._add_pixmap_item(-1)
        self._rubber = self._make_rubber_band()
        self._faces: dict[str, FaceItem] = {}
        self._drawing = False
        self._draw_origin: QPointF | None = None
        self._standing_in = False  # a stand-in is shown while the photo loads
        self._banner = self._make_label(BANNER_STYLE)
        self._empty = self._make_label("QLabel { color: #d0d0d0; font-size: 16px; }")
        self._empty.setWordWrap(True)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setText("No photo selected")
        self._empty.setVisible(True)
        # A short note over the photo saying why a key did nothing; it goes by itself.
        self._note = self._make_label(BANNER_STYLE)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_MS)
        self._note_timer.timeout.connect(self._note.hide)
        # Cosmetic pens and zoom-independent labels outgrow their scene bounds; repainting
        # the whole viewport avoids trails (the scene is one pixmap and a few boxes).
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setBackgroundBrush(QColor("#262626"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # A folder dropped on the photo opens like one dropped anywhere else: the window
        # handles drops. A graphics view takes every drag for its scene, which has nothing
        # to drop on, so drags pass through it to the window instead.
        self.setAcceptDrops(False)
        self.viewport().setAcceptDrops(False)
        self._place_labels()

    def _add_pixmap_item(self, z: float) -> QGraphicsPixmapItem:
        item = QGraphicsPixmapItem()
        item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        item.setZValue(z)
        self.scene().addItem(item)
        return item

    def _make_rubber_band(self) -> QGraphicsRectItem:
        item = QGraphicsRectItem()
        pen = QPen(QColor("white"), 2, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        item.setPen(pen)
        item.setBrush(QColor(255, 255, 255, 40))
        item.setZValue(10)
        item.setVisible(False)
        self.scene().addItem(item)
        return item

    def _make_label(self, style: str) -> QLabel:
        label = QLabel(self.viewport())
        label.setStyleSheet(style)
        label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        label.setVisible(False)
        return label

    # -- what is shown ---------------------------------------------------------------
    def set_photo(self, image: QImage, full_width: int, full_height: int) -> None:
        """Show a new upright photo; ``image`` may be a reduced decode of it.

        Face overlays, preview and drawing are cleared; the view zooms to fit.
        """
        if image.isNull() or full_width <= 0 or full_height <= 0:
            raise ValueError("set_photo needs a non-empty image and a positive full size")
        self.cancel_drawing()
        self.hide_note()  # a note is about the photo it was said on
        self.set_faces([])
        self.set_preview(None)
        self.set_content_rect(QRectF(0, 0, full_width, full_height))
        self._photo_key += 1
        self._photo.setPixmap(QPixmap.fromImage(image))
        self._photo.setTransform(self._to_scene(image))
        self._photo.setVisible(True)
        self._empty.setVisible(False)
        self._standing_in = False
        self._show_scrollbars(True)
        self.zoom_to_fit()

    def show_loading(self, stand_in: QImage) -> None:
        """Show ``stand_in`` (the next photo's thumbnail, say) until :meth:`set_photo`.

        It fills the view under a "Loading…" banner, with no boxes: boxes are only drawn
        over the photo they belong to, and nothing can be drawn or edited meanwhile.
        """
        if stand_in.isNull():
            return
        self.cancel_drawing()
        self.hide_note()
        self.set_faces([])
        self.set_preview(None)
        self.set_content_rect(QRectF(0, 0, stand_in.width(), stand_in.height()))
        pixmap = QPixmap.fromImage(stand_in)
        pixmap.setDevicePixelRatio(1.0)  # scene pixels are its pixels, whatever the screen
        self._photo.setPixmap(pixmap)
        self._photo.setTransform(QTransform())
        self._photo.setVisible(True)
        self._empty.setVisible(False)
        self._standing_in = True
        self._show_scrollbars(False)
        self._show_banner(LOADING_BANNER)
        self.zoom_to_fit()

    def clear(self, message: str = "No photo selected") -> None:
        """Show no photo, only ``message`` (for example why a photo cannot be shown)."""
        self.cancel_drawing()
        self.hide_note()
        self.set_preview(None)
        self._photo.setPixmap(QPixmap())
        self.set_content_rect(QRectF())
        self._standing_in = False
        self.set_faces([])  # after the photo went: the face strip then shows no photo
        # Nothing to scroll over: without this the last photo's zoom and scene size left
        # scrollbars around a message or an empty view.
        self._show_scrollbars(False)
        self.resetTransform()
        self.scene().setSceneRect(QRectF(0, 0, 1, 1))
        self._empty.setText(message)
        self._empty.setVisible(True)
        self._place_labels()

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
        return self.has_content() and not self._standing_in

    def message(self) -> str:
        """The text shown instead of a photo, empty while a photo is shown."""
        return self._empty.text() if self._empty.isVisibleTo(self) else ""

    def _to_scene(self, image: QImage) -> QTransform:
        """The one image-to-scene transform: displayed pixels to full-resolution pixels."""
        return QTransform.fromScale(
            self._content.width() / image.width(), self._content.height() / image.height()
        )

    def set_faces(self, faces: Sequence[FaceOverlay]) -> None:
        """Replace the overlays; a box that keeps its id keeps its selection."""
        wanted = {face.id: face for face in faces}
        for face_id in [fid for fid in self._faces if fid not in wanted]:
            self.scene().removeItem(self._faces.pop(face_id))
        for face in faces:
            item = self._faces.get(face.id)
            if item is None:
                self._faces[face.id] = self._add_face_item(face)
            else:
                item.set_overlay(face)
        self.faces_shown.emit()

    def _add_face_item(self, face: FaceOverlay) -> FaceItem:
        item = FaceItem(face, self._content, MIN_FACE_PX)
        item.edited.connect(lambda fid, rect: self.face_changed.emit(fid, rect_to_box(rect)))
        item.accept_clicked.connect(self.possible_accepted)
        item.dismiss_clicked.connect(self.possible_dismissed)
        item.set_unit(self._unit())
        item.setVisible(not self.is_previewing())
        self.scene().addItem(item)
        return item

    def strip_state(self) -> StripState:
        """The face strip's view of the boxes: regions in Tab order, with their crops."""
        items = self._tab_order(visible_only=False) if self.has_photo() else []
        regions = tuple(Region(i.face_id, i.kind, rect_to_box(i.scene_rect())) for i in items)
        # A decision changes one box of a crowd: the other crops are the ones made before.
        made = self._crops if self._crops_key == self._photo_key else {}
        pixmap, transform = self._photo.pixmap(), self._photo.transform()
        crops = {
            r.id: made.get((r.id, r.box)) or crop_of(pixmap, transform, box_to_rect(r.box))
            for r in regions
        }
        self._crops_key = self._photo_key
        self._crops = {(r.id, r.box): crops[r.id] for r in regions}
        return StripState(self._photo_key if self.has_photo() else None, regions, crops)

    def face_ids(self) -> list[str]:
        """The ids of the boxes shown, in Tab order (left to right)."""
        return [item.face_id for item in self._tab_order()]

    def face_rect(self, face_id: str) -> QRectF:
        """Where a box currently is, in full-resolution pixels."""
        return self._faces[face_id].scene_rect()

    def selected_face_id(self) -> str | None:
        item = self._selected_item()
        return item.face_id if item is not None else None

    def select_face(self, face_id: str | None) -> None:
        """Select one box (``None`` selects none) and scroll it into view."""
        self.scene().clearSelection()
        item = self._faces.get(face_id) if face_id is not None else None
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

    def _selected_item(self) -> FaceItem | None:
        for item in self.scene().selectedItems():
            if isinstance(item, FaceItem):
                return item
        return None

    def set_preview(self, image: QImage | None) -> None:
        """Show ``image`` (the exact export pixels) in place of the photo; ``None`` returns."""
        previewing = image is not None and not image.isNull()
        if previewing:
            assert image is not None
            self.cancel_drawing()
            self.scene().clearSelection()
            self._preview.setPixmap(QPixmap.fromImage(image))
            self._preview.setTransform(self._to_scene(image))
        else:
            self._preview.setPixmap(QPixmap())
        self._preview.setVisible(previewing)
        self._photo.setVisible(not previewing)
        for item in self._faces.values():
            item.setVisible(not previewing)
        self._show_banner(PREVIEW_TEXT if previewing else "")

    def is_previewing(self) -> bool:
        return self._preview.isVisible()

    def _show_banner(self, text: str) -> None:
        self._banner.setText(text)
        self._banner.setVisible(bool(text))
        self._place_labels()

    def banner_text(self) -> str:
        """The notice shown over the photo (preview or drawing), empty when none."""
        return self._banner.text() if self._banner.isVisible() else ""

    def show_note(self, text: str) -> None:
        """Say ``text`` over the foot of the photo for a few seconds."""
        self._note.setText(text)
        self._note.setVisible(True)
        self._place_labels()
        self._note_timer.start()

    def hide_note(self) -> None:
        """Take the note away (the photo it was about is no longer shown)."""
        self._note_timer.stop()
        self._note.hide()

    def note_text(self) -> str:
        """The note shown now (see :meth:`show_note`), empty when none."""
        return self._note.text() if self._note.isVisibleTo(self) else ""

    def _place_labels(self) -> None:
        area = self.viewport().rect()
        self._banner.adjustSize()
        self._banner.move((area.width() - self._banner.width()) // 2, 10)
        self._note.adjustSize()
        self._note.move((area.width() - self._note.width()) // 2, area.height() - 50)
        # A long reason ("cannot be opened: ...") wraps within the view instead of running
        # off its edges.
        width = max(120, area.width() - 40)
        self._empty.setFixedSize(width, self._empty.heightForWidth(width))
        self._empty.move(20, (area.height() - self._empty.height()) // 2)

    # -- drawing a new box -----------------------------------------------------------
    def start_drawing(self, banner: str = DRAWING_TEXT) -> None:
        """Enter add-box mode: the next drag draws a box (a face, or writing: ``banner``
        says which). Esc cancels.

        Ignored while there is no photo or the preview is shown (there are no boxes then).
        """
        if not self.has_photo() or self.is_previewing() or self._drawing:
            return
        self._drawing = True
        self.scene().clearSelection()
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self._show_banner(banner)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.drawing_changed.emit(True)

    def cancel_drawing(self) -> None:
        """Leave add-box mode without adding anything."""
        if not self._drawing:
            return
        self._drawing = False
        self._draw_origin = None
        self._rubber.setVisible(False)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.viewport().unsetCursor()
        self._show_banner("")
        self.drawing_changed.emit(False)

    def is_drawing(self) -> bool:
        return self._drawing

    def _clamped_scene_pos(self, pos: QPoint) -> QPointF:
        point = self.mapToScene(pos)
        full = self._content
        return QPointF(
            min(max(point.x(), full.left()), full.right()),
            min(max(point.y(), full.top()), full.bottom()),
        )

    def _finish_drawing(self, pos: QPoint) -> None:
        origin, self._draw_origin = self._draw_origin, None
        self._rubber.setVisible(False)
        if origin is None:
            return
        rect = QRectF(origin, self._clamped_scene_pos(pos)).normalized()
        unit = self._unit()
        if max(rect.width(), rect.height()) < MIN_DRAG_PX * unit:
            return  # a click, not a drag: stay in add-box mode
        self.cancel_drawing()
        self.face_drawn.emit(rect_to_box(self._at_least_min_size(rect)))

    def _at_least_min_size(self, rect: QRectF) -> QRectF:
        """Grow a too-small box around its centre, staying inside the photo."""
        width = min(max(rect.width(), MIN_FACE_PX), self._content.width())
        height = min(max(rect.height(), MIN_FACE_PX), self._content.height())
        left = min(max(rect.center().x() - width / 2, 0.0), self._content.width() - width)
        top = min(max(rect.center().y() - height / 2, 0.0), self._content.height() - height)
        return QRectF(left, top, width, height)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._drawing and event.button() == Qt.MouseButton.LeftButton:
            self._draw_origin = self._clamped_scene_pos(event.position().toPoint())
            self._rubber.setRect(QRectF(self._draw_origin, self._draw_origin))
            self._rubber.setVisible(True)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._draw_origin is not None:
            corner = self._clamped_scene_pos(event.position().toPoint())
            self._rubber.setRect(QRectF(self._draw_origin, corner).normalized())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._draw_origin is not None and event.button() == Qt.MouseButton.LeftButton:
            self._finish_drawing(event.position().toPoint())
            event.accept()
            return
        super().mouseReleaseEvent(event)
        # The press started here (a pan or a click on the photo): the release ends it here
        # rather than travelling on to the parent, which never saw the press.
        event.accept()

    # -- possible faces from the keyboard --------------------------------------------
    def accept_possible(self) -> None:
        """A possible face is a face: the one selected, or else the first not decided yet."""
        self._decide_possible(ACCEPT)

    def dismiss_possible(self) -> None:
        """A possible face is not a face: the one selected, or else the first not decided."""
        self._decide_possible(DISMISS)

    def _decide_possible(self, command: str) -> None:
        """Ask for ``command`` on a possible face, then select the next one to decide.

        "First" is in Tab order (left to right). Selecting the next one shows which face
        the next press of A or D will mean; with none left, a note says so.
        """
        if not self.has_photo():
            return  # the view already says why there is no photo (still being read...)
        if self.is_previewing():
            self.show_note(PREVIEWING_TEXT)
            return
        undecided = self._possible_items()
        selected = self._selected_item()
        target = selected if selected in undecided else next(iter(undecided), None)
        if target is None:
            self.show_note(NO_POSSIBLE_TEXT)
            return
        if command == DISMISS and target is not selected:
            # Dismissing leaves that part of the photo unblurred: show which box first.
            self.select_face(target.face_id)
            self.show_note(DISMISS_WHICH_TEXT)
            return
        face_id = target.face_id
        self._run(face_id, command)
        # The controller has answered with the faces as they are now.
        following = [item for item in self._possible_items() if item.face_id != face_id]
        if following:
            self.select_face(following[0].face_id)

    def _possible_items(self) -> list[FaceItem]:
        return [item for item in self._tab_order() if item.kind in UNDECIDED_KINDS]

    # -- zoom ----------------------------------------------------------------------
    def _unit(self) -> float:
        return self.scene_per_screen_pixel()

    def _zoom_settled(self) -> None:
        unit = self._unit()
        for item in self._faces.values():
            item.set_unit(unit)
        super()._zoom_settled()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_labels()

    # -- keyboard and menu -----------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent):
            return super().event(event)
        if event.type() == QEvent.Type.ShortcutOverride and self._wants_key(event):
            event.accept()
            return True
        if event.type() == QEvent.Type.KeyPress:
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
            tab = event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            if tab and modifiers == Qt.KeyboardModifier.NoModifier:
                forward = event.key() == Qt.Key.Key_Tab and not (
                    event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                )
                if self._cycle_selection(forward):
                    return True
        return super().event(event)

    def _wants_key(self, event: QKeyEvent) -> bool:
        """Keys the view claims ahead of the window's shortcuts: only in a box context."""
        item = self._selected_item()
        if event.key() == Qt.Key.Key_Escape:
            return self._drawing or item is not None
        if item is None or self.is_previewing():
            return False
        key, modifiers = event.key(), event.modifiers()
        return (
            box_command(item.kind, key, modifiers) is not None
            or nudge_direction(key, modifiers) is not None
        )

    def _tab_order(self, visible_only: bool = True) -> list[FaceItem]:
        items = [i for i in self._faces.values() if i.isVisible() or not visible_only]
        return sorted(items, key=lambda item: (item.scene_rect().x(), item.scene_rect().y()))

    def select_next_box(self, forward: bool) -> bool:
        """Tab pressed elsewhere in the window: take the focus and select the next (or
        previous) box, zoomed to it; False when there is none (and the focus stays)."""
        if not self.has_photo() or self.is_previewing() or not self._tab_order():
            return False
        if not self._cycle_selection(forward):
            return False
        self.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def _cycle_selection(self, forward: bool) -> bool:
        """Select the next box; past the last one, deselect and let focus move on."""
        order = self._tab_order()
        if not order:
            return False
        current = self._selected_item()
        index = order.index(current) if current in order else -1
        if index == -1:
            index = 0 if forward else len(order) - 1
        else:
            index += 1 if forward else -1
        if not 0 <= index < len(order):
            self.scene().clearSelection()
            return False
        self.show_face(order[index].face_id)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, modifiers = event.key(), event.modifiers()
        item = self._selected_item()
        if key == Qt.Key.Key_Escape and (self._drawing or item is not None):
            self.cancel_drawing()
            self.scene().clearSelection()
        elif item is not None and self._wants_key(event):
            step = nudge_direction(key, modifiers)
            command = box_command(item.kind, key, modifiers)
            if step is not None:
                item.nudge(step[0] * NUDGE_PX * self._unit(), step[1] * NUDGE_PX * self._unit())
            elif command in (ACCEPT, DISMISS):
                self._decide_possible(command)
            else:
                self._run(item.face_id, command)
        else:
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
        item = self._face_at(event.pos())
        if item is None or self._drawing:
            super().contextMenuEvent(event)
            return
        self.select_face(item.face_id)
        menu = QMenu(self)
        face_id = item.face_id
        for text, command in self.menu_actions(face_id):
            action = menu.addAction(text)
            action.triggered.connect(lambda _=False, c=command: self._run(face_id, c))
        menu.exec(event.globalPos())

    def _face_at(self, pos: QPoint) -> FaceItem | None:
        for graphics_item in self.items(pos):
            candidate = graphics_item
            while candidate is not None and not isinstance(candidate, FaceItem):
                candidate = candidate.parentItem()
            if candidate is not None:
                return candidate
        return None
