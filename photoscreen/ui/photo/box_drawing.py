"""Drawing a box by hand: a missed face (B) or writing (T), dragged over the photo.

While drawing is on, the view does not pan: the cursor is a cross and a dashed rubber band
follows the drag. A drag shorter than :data:`MIN_DRAG_PX` on screen is a click and leaves
drawing on; a longer one emits :attr:`BoxDrawing.drawn` with a box in full-resolution
pixels, kept inside the photo and grown around its centre to at least :data:`MIN_FACE_PX`
on a side. The drag is taken from the view's viewport by an event filter, ahead of the
view's own panning. What drawing means to the rest of the window (the banner, the view's
``drawing_changed``, turning drawing off once a box is drawn) is the view's business.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsView

from photoscreen.ui.photo.face_items import rect_to_box
from photoscreen.ui.photo.zoom_view import ZoomableView

MIN_FACE_PX = 8.0  # smallest box, in full-resolution pixels (the detector's own floor)
MIN_DRAG_PX = 4.0  # a drag shorter than this on screen is a click, not a box
RUBBER_Z = 10.0  # over every box


def at_least_min_size(rect: QRectF, bounds: QRectF, least: float = MIN_FACE_PX) -> QRectF:
    """``rect`` grown around its centre to at least ``least`` on a side (never wider or
    taller than ``bounds``), then moved inside ``bounds`` if growing pushed it out."""
    width = min(max(rect.width(), least), bounds.width())
    height = min(max(rect.height(), least), bounds.height())
    left = min(max(rect.center().x() - width / 2, bounds.left()), bounds.right() - width)
    top = min(max(rect.center().y() - height / 2, bounds.top()), bounds.bottom() - height)
    return QRectF(left, top, width, height)


def clamped(point: QPointF, bounds: QRectF) -> QPointF:
    """``point`` moved to the nearest place inside ``bounds``."""
    return QPointF(
        min(max(point.x(), bounds.left()), bounds.right()),
        min(max(point.y(), bounds.top()), bounds.bottom()),
    )


class BoxDrawing(QObject):
    """Drawing mode of one zoomable view: on, off, and the drag that makes a box."""

    drawn = Signal(object)  # the Box a finished drag drew (drawing is still on)

    def __init__(self, view: ZoomableView) -> None:
        super().__init__(view)
        self._view = view
        self._rubber = _rubber_band()
        view.scene().addItem(self._rubber)
        self._on = False
        self._bounds = QRectF()  # the photo, in scene pixels
        self._origin: QPointF | None = None  # where the drag started, in scene pixels
        view.viewport().installEventFilter(self)

    def is_on(self) -> bool:
        return self._on

    def is_dragging(self) -> bool:
        return self._origin is not None

    def start(self, bounds: QRectF) -> None:
        """Turn drawing on over the photo's rectangle ``bounds`` (scene pixels)."""
        self._on = True
        self._bounds = QRectF(bounds)
        self._view.setDragMode(QGraphicsView.DragMode.NoDrag)
        self._view.viewport().setCursor(Qt.CursorShape.CrossCursor)

    def stop(self) -> bool:
        """Turn drawing off, dropping a drag under way; False when it was already off."""
        if not self._on:
            return False
        self._on = False
        self._origin = None
        self._rubber.setVisible(False)
        self._view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self._view.viewport().unsetCursor()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Take the viewport's left-button drag while drawing is on."""
        if not isinstance(event, QMouseEvent):
            return False
        left = event.button() == Qt.MouseButton.LeftButton
        pos = event.position().toPoint()
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and self._on and left:
            self._press(pos)
        elif kind == QEvent.Type.MouseMove and self._origin is not None:
            self._drag_to(pos)
        elif kind == QEvent.Type.MouseButtonRelease and self._origin is not None and left:
            self._release(pos)
        else:
            return False
        event.accept()
        return True

    def _press(self, pos: QPoint) -> None:
        self._origin = self._scene_pos(pos)
        self._rubber.setRect(QRectF(self._origin, self._origin))
        self._rubber.setVisible(True)

    def _drag_to(self, pos: QPoint) -> None:
        if self._origin is not None:
            self._rubber.setRect(QRectF(self._origin, self._scene_pos(pos)).normalized())

    def _release(self, pos: QPoint) -> None:
        """End the drag at ``pos``: a box, or a click that leaves drawing on."""
        origin, self._origin = self._origin, None
        self._rubber.setVisible(False)
        if origin is None:
            return
        rect = QRectF(origin, self._scene_pos(pos)).normalized()
        if max(rect.width(), rect.height()) < MIN_DRAG_PX * self._view.scene_per_screen_pixel():
            return
        self.drawn.emit(rect_to_box(at_least_min_size(rect, self._bounds)))

    def _scene_pos(self, pos: QPoint) -> QPointF:
        return clamped(self._view.mapToScene(pos), self._bounds)


def _rubber_band() -> QGraphicsRectItem:
    item = QGraphicsRectItem()
    pen = QPen(QColor("white"), 2, Qt.PenStyle.DashLine)
    pen.setCosmetic(True)
    item.setPen(pen)
    item.setBrush(QColor(255, 255, 255, 40))
    item.setZValue(RUBBER_Z)
    item.setVisible(False)
    return item
