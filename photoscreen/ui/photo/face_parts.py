"""The small parts of a face box: resize handles, its label and the accept / dismiss buttons.

Each part ignores the view's zoom (``ItemIgnoresTransformations``): it is positioned at a
point of its box in scene pixels but drawn in screen pixels, so a handle stays easy to grab
and a label stays readable whether the photo is shown at 10 % or 400 %.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

HANDLE_PX = 10.0

HANDLE_GRAB_PX = 18.0  # the area that reacts to the mouse is larger than what is drawn
BUTTON_PX = 28.0
BUTTON_GAP_PX = 4.0
BUTTONS_WIDTH_PX = 2 * (BUTTON_PX + BUTTON_GAP_PX)  # both buttons beside a box
LABEL_PAD_PX = 5.0

_HANDLE_CURSORS = {
    (-1, -1): Qt.CursorShape.SizeFDiagCursor,
    (1, 1): Qt.CursorShape.SizeFDiagCursor,
    (1, -1): Qt.CursorShape.SizeBDiagCursor,
    (-1, 1): Qt.CursorShape.SizeBDiagCursor,
    (0, -1): Qt.CursorShape.SizeVerCursor,
    (0, 1): Qt.CursorShape.SizeVerCursor,
    (-1, 0): Qt.CursorShape.SizeHorCursor,
    (1, 0): Qt.CursorShape.SizeHorCursor,
}


class HandleOwner(Protocol):
    """What a handle needs from the box it resizes."""

    def begin_edit(self) -> None: ...
    def drag_handle(self, role: tuple[int, int], pos: QPointF) -> None: ...
    def end_edit(self) -> None: ...


class HandleItem(QGraphicsItem):
    """A square on a corner or edge of a selected box; dragging it resizes the box."""

    def __init__(self, role: tuple[int, int], owner: QGraphicsItem) -> None:
        super().__init__(owner)
        self.role = role
        self._owner: HandleOwner = owner  # type: ignore[assignment]  # a FaceItem
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setCursor(QCursor(_HANDLE_CURSORS[role]))
        self.setVisible(False)

    def boundingRect(self) -> QRectF:
        half = HANDLE_GRAB_PX / 2
        return QRectF(-half, -half, HANDLE_GRAB_PX, HANDLE_GRAB_PX)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        half = HANDLE_PX / 2
        painter.setPen(QPen(QColor(20, 20, 20), 1.5))
        painter.setBrush(QColor("white"))
        painter.drawRect(QRectF(-half, -half, HANDLE_PX, HANDLE_PX))

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        self._owner.begin_edit()
        event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._owner.drag_handle(self.role, event.scenePos())

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._owner.end_edit()


def label_font() -> QFont:
    """Box labels: the application's font, bold, never below 10 points."""
    font = QFont()
    font.setBold(True)
    font.setPointSizeF(max(10.0, font.pointSizeF()))
    return font


class LabelItem(QGraphicsItem):
    """A short caption on a dark chip just above (or below) a box's left corner."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._font = label_font()
        self._text = ""
        self._colour = QColor("white")
        self._above = True
        self._right_aligned = False
        self._size = QRectF()

    @property
    def text(self) -> str:
        return self._text

    def height(self) -> float:
        return self._size.height()

    def set_text(self, text: str, colour: QColor) -> None:
        self.prepareGeometryChange()
        self._text, self._colour = text, QColor(colour)
        metrics = QFontMetricsF(self._font)
        self._size = QRectF(
            0, 0, metrics.horizontalAdvance(text) + 2 * LABEL_PAD_PX, metrics.height() + 4
        )
        self.update()

    def width(self) -> float:
        return self._size.width()

    def place(self, above: bool, right_aligned: bool = False) -> None:
        """Draw the chip above the anchor point or below it; starting there or ending there."""
        if (above, right_aligned) != (self._above, self._right_aligned):
            self.prepareGeometryChange()
            self._above, self._right_aligned = above, right_aligned

    def boundingRect(self) -> QRectF:
        top = -self._size.height() - 3 if self._above else 3
        left = -self._size.width() if self._right_aligned else 0
        return self._size.translated(left, top)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        rect = self.boundingRect()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self._colour, 1.5))
        painter.setBrush(QColor(15, 15, 15, 225))
        painter.drawRoundedRect(rect, 4, 4)
        painter.setFont(self._font)
        painter.setPen(self._colour)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._text)


class ButtonItem(QGraphicsItem):
    """A round ✓ or ✗ button beside a possible face: one click accepts or dismisses it."""

    ACCEPT = "accept"
    DISMISS = "dismiss"

    def __init__(self, action: str, tip: str, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.action = action
        self.clicked: Callable[[], None] = lambda: None
        self._offset = QPointF()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
        self.setToolTip(tip)

    def place(self, index: int, on_left: bool = False) -> None:
        """Sit ``index`` buttons out from the anchor: rightwards, or leftwards ``on_left``."""
        self.prepareGeometryChange()
        step = BUTTON_GAP_PX + index * (BUTTON_PX + BUTTON_GAP_PX)
        self._offset = QPointF(-step - BUTTON_PX if on_left else step, 0)

    def boundingRect(self) -> QRectF:
        return QRectF(self._offset.x(), self._offset.y(), BUTTON_PX, BUTTON_PX)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        rect = self.boundingRect()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QColor("#1f9d45") if self.action == self.ACCEPT else QColor("#c62828")
        painter.setPen(QPen(QColor("white"), 2))
        painter.setBrush(fill)
        painter.drawEllipse(rect.adjusted(1, 1, -1, -1))
        pen = QPen(QColor("white"), 3.2)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._glyph(rect))

    def _glyph(self, rect: QRectF) -> QPainterPath:
        # Drawn as lines rather than text: a ✓ glyph is missing from some office fonts.
        s, x, y = rect.width(), rect.x(), rect.y()
        path = QPainterPath()
        if self.action == self.ACCEPT:
            path.moveTo(x + 0.27 * s, y + 0.52 * s)
            path.lineTo(x + 0.44 * s, y + 0.68 * s)
            path.lineTo(x + 0.73 * s, y + 0.34 * s)
        else:
            path.moveTo(x + 0.33 * s, y + 0.33 * s)
            path.lineTo(x + 0.67 * s, y + 0.67 * s)
            path.moveTo(x + 0.67 * s, y + 0.33 * s)
            path.lineTo(x + 0.33 * s, y + 0.67 * s)
        return path

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        event.accept()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.boundingRect().contains(event.pos()):
            self.clicked()
