"""Face boxes drawn over the photo: one graphics item per face, with handles and buttons.

The photo view's scene is measured in the upright photo's full-resolution pixels (the one
coordinate system of :class:`~photoscreen.core.basics.geometry.Box`), so a face item's rectangle
*is* its box: no conversion happens here. Only the photo's pixmap carries a transform (from
the possibly reduced decode up to full resolution), and that lives in the view.

Everything a person reads or grabs (outlines, handles, labels, the accept / dismiss
buttons) keeps the same size on screen at any zoom: outlines use cosmetic pens and the
small items ignore the view's transformations. Items never talk to the rest of the app;
they emit signals that the view turns into its own.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from photoscreen.core.basics import Box
from photoscreen.ui.control import KIND_WRITING, FaceOverlay
from photoscreen.ui.photo.face_parts import BUTTONS_WIDTH_PX, ButtonItem, HandleItem, LabelItem
from photoscreen.ui.photo.writing_marks import (
    WRITING_COLOURS,
    WRITING_KINDS,
    WRITING_LABELS,
    WRITING_TIPS,
    style_pen,
)

KIND_FACE = "face"
KIND_POSSIBLE = "possible"
KIND_CONSENT = "consent"
KINDS = (KIND_FACE, KIND_POSSIBLE, KIND_CONSENT, *WRITING_KINDS)
# Kinds a person still has to decide (accept / dismiss buttons, Tab goes to them).
UNDECIDED_KINDS = (KIND_POSSIBLE, KIND_WRITING)

# Colours picked to differ in hue *and* line style, so they stay apart for people who do
# not see red and green well: solid orange-red, dashed yellow, solid green with a label.
KIND_COLOURS = {
    KIND_FACE: QColor("#ff5a1f"),
    KIND_POSSIBLE: QColor("#ffd60a"),
    KIND_CONSENT: QColor("#2fd15b"),
    **WRITING_COLOURS,
}
KIND_LABELS = {
    KIND_FACE: "Face: will be blurred",
    KIND_POSSIBLE: "Possible face?",
    KIND_CONSENT: "Shown (consent on the register)",
    **WRITING_LABELS,
}
KIND_TIPS = {
    KIND_FACE: "This face will be blurred in the exported photo.\n"
    "Drag to move, drag a corner to resize, Delete removes it, Shift+C: whose face is it?",
    KIND_POSSIBLE: "The detector is not sure this is a face.\n"
    "A or Enter: yes, blur it.  D or Delete: not a face.",
    KIND_CONSENT: "Shown: linked to a person with consent on the register (checked again "
    "at export).\n"
    "Shift+C blurs it again.",
    **WRITING_TIPS,
}
# On-screen sizes in device pixels, whatever the zoom.
OUTLINE_PX = 3.0
SELECTED_OUTLINE_PX = 4.0
HALO_PX = 2.0
GRAB_MARGIN_PX = 4.0
ROOMY_BOX_PX = 60.0  # below this on-screen size a selected box shows corner handles only

# Which edges a handle moves: (-1 left/top, 0 neither, +1 right/bottom) per axis.
HANDLE_ROLES = ((-1, -1), (0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0))


def box_to_rect(box: Box) -> QRectF:
    """The scene rectangle of a box (the scene is in full-resolution pixels)."""
    return QRectF(box.x, box.y, box.w, box.h)


def rect_to_box(rect: QRectF) -> Box:
    """The box of a scene rectangle."""
    rect = rect.normalized()
    return Box(rect.x(), rect.y(), rect.width(), rect.height())


class FaceItem(QGraphicsObject):
    """A face box the user can select, move and resize; it reports finished edits."""

    edited = Signal(str, object)  # face id, new QRectF in scene (full-resolution) pixels
    accept_clicked = Signal(str)
    dismiss_clicked = Signal(str)

    def __init__(self, overlay: FaceOverlay, bounds: QRectF, min_size: float) -> None:
        super().__init__()
        self._overlay = overlay
        self._rect = box_to_rect(overlay.box)
        self._bounds = QRectF(bounds)
        self._min_size = min_size
        self._unit = 1.0  # scene units per screen pixel, kept up to date by the view
        self._hovered = False
        self._edit_start: QRectF | None = None
        self._press_pos = QPointF()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        self.setCursor(QCursor(Qt.CursorShape.SizeAllCursor))
        self._handles = [HandleItem(role, self) for role in HANDLE_ROLES]
        self._label = LabelItem(self)
        self._accept = ButtonItem(ButtonItem.ACCEPT, "Yes, it is a face: blur it (A)", self)
        self._dismiss = ButtonItem(ButtonItem.DISMISS, "Not a face: remove the box (D)", self)
        self._accept.clicked = lambda: self.accept_clicked.emit(self.face_id)
        self._dismiss.clicked = lambda: self.dismiss_clicked.emit(self.face_id)
        self._apply_overlay()
        self._layout_children()

    # -- what the item shows ---------------------------------------------------------
    @property
    def face_id(self) -> str:
        return self._overlay.id

    @property
    def kind(self) -> str:
        return self._overlay.kind

    @property
    def overlay(self) -> FaceOverlay:
        return self._overlay

    def scene_rect(self) -> QRectF:
        """The box's current rectangle in scene (full-resolution) pixels."""
        return QRectF(self._rect)

    def is_editing(self) -> bool:
        return self._edit_start is not None

    def set_overlay(self, overlay: FaceOverlay) -> None:
        """Show new data for the same face (kept in place while the user is dragging it)."""
        self._overlay = overlay
        if not self.is_editing():
            self._set_rect(box_to_rect(overlay.box))
        self._apply_overlay()

    def set_unit(self, unit: float) -> None:
        """Tell the item how many scene pixels one screen pixel covers at the current zoom."""
        self.prepareGeometryChange()
        self._unit = unit
        self._layout_children()
        self._update_children()

    def _apply_overlay(self) -> None:
        kind = self._overlay.kind
        text = self._overlay.label or KIND_LABELS.get(kind, kind)
        self._label.set_text(text, KIND_COLOURS.get(kind, QColor("white")))
        self.setToolTip(KIND_TIPS.get(kind, ""))
        self._update_children()
        self.update()

    def _update_children(self) -> None:
        selected = self.isSelected()
        # On a box only a few dozen pixels wide, eight handles would hide the face being
        # checked: keep the corners, drop the edge handles.
        roomy = min(self._rect.width(), self._rect.height()) / self._unit >= ROOMY_BOX_PX
        for handle in self._handles:
            handle.setVisible(selected and (roomy or 0 not in handle.role))
        # Only the selected box carries its controls: on a crowd, every possible face's
        # label and buttons at once piled up over the very faces being judged. The others
        # are quiet outlines; hovering one names it.
        possible = self.kind in UNDECIDED_KINDS and selected
        self._accept.setVisible(possible)
        self._dismiss.setVisible(possible)
        self._label.setVisible(self._hovered or selected)
        self.setZValue(2 if selected else 1)

    def _layout_children(self) -> None:
        rect, unit = self._rect, self._unit
        for handle in self._handles:
            dx, dy = handle.role
            x = (rect.left(), rect.center().x(), rect.right())[dx + 1]
            y = (rect.top(), rect.center().y(), rect.bottom())[dy + 1]
            handle.setPos(x, y)
        # Labels sit above the box, or below it when the box touches the top edge; they
        # end at the box's right edge when starting at its left would run off the photo.
        above = rect.top() - (self._label.height() + 4) * unit >= self._bounds.top()
        right_aligned = rect.left() + self._label.width() * unit > self._bounds.right()
        anchor_x = rect.right() if right_aligned else rect.left()
        self._label.setPos(anchor_x, rect.top() if above else rect.bottom())
        self._label.place(above, right_aligned)
        # The buttons go beside the box's top corner on whichever side has room.
        on_left = rect.right() + BUTTONS_WIDTH_PX * unit > self._bounds.right()
        corner = QPointF(rect.left() if on_left else rect.right(), rect.top())
        for index, button in enumerate((self._accept, self._dismiss)):
            button.setPos(corner)
            button.place(index if not on_left else 1 - index, on_left)

    # -- painting --------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        pad = (SELECTED_OUTLINE_PX + 2 * HALO_PX + GRAB_MARGIN_PX) * self._unit
        return self._rect.adjusted(-pad, -pad, pad, pad)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        pad = GRAB_MARGIN_PX * self._unit
        path.addRect(self._rect.adjusted(-pad, -pad, pad, pad))
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        colour = KIND_COLOURS.get(self.kind, QColor("white"))
        selected = self.isSelected()
        width = SELECTED_OUTLINE_PX if selected else OUTLINE_PX
        if selected or self._hovered:
            fill = QColor(colour)
            fill.setAlpha(55 if selected else 30)
            painter.fillRect(self._rect, fill)
        # A dark halo under the colour keeps the outline visible on light and busy photos.
        halo = QPen(QColor(0, 0, 0, 170), width + 2 * HALO_PX)
        halo.setCosmetic(True)
        halo.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(halo)
        painter.drawRect(self._rect)
        pen = QPen(colour, width)
        pen.setCosmetic(True)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        if self.kind == KIND_POSSIBLE:
            pen.setStyle(Qt.PenStyle.CustomDashLine)
            pen.setDashPattern([2.0, 1.5])
        elif self.kind in WRITING_KINDS:
            style_pen(pen, self.kind)
        painter.setPen(pen)
        painter.drawRect(self._rect)

    # -- editing ---------------------------------------------------------------------
    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self._update_children()
        return super().itemChange(change, value)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hovered = True
        self._update_children()
        self.update()
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hovered = False
        self._update_children()
        self.update()
        super().hoverLeaveEvent(event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        scene = self.scene()
        if scene is not None:
            scene.clearSelection()
        self.setSelected(True)
        self._press_pos = event.scenePos()
        self.begin_edit()
        event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._edit_start is None:
            return
        delta = event.scenePos() - self._press_pos
        self._set_rect(self._moved(self._edit_start, delta.x(), delta.y()))

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.end_edit()

    def begin_edit(self) -> None:
        self._edit_start = QRectF(self._rect)

    def end_edit(self) -> None:
        """Finish a drag; report the new rectangle if it changed."""
        start, self._edit_start = self._edit_start, None
        if start is not None and start != self._rect:
            self.edited.emit(self.face_id, QRectF(self._rect))

    def nudge(self, dx: float, dy: float) -> None:
        """Move by (dx, dy) scene pixels, kept inside the photo, and report it."""
        self.begin_edit()
        self._set_rect(self._moved(self._rect, dx, dy))
        self.end_edit()

    def drag_handle(self, role: tuple[int, int], pos: QPointF) -> None:
        """Move the edges named by ``role`` to ``pos``, keeping the minimum size."""
        start = self._edit_start if self._edit_start is not None else self._rect
        bounds, least = self._bounds, self._min_size
        x = min(max(pos.x(), bounds.left()), bounds.right())
        y = min(max(pos.y(), bounds.top()), bounds.bottom())
        left, top, right, bottom = start.left(), start.top(), start.right(), start.bottom()
        if role[0] < 0:
            left = min(x, right - least)
        elif role[0] > 0:
            right = max(x, left + least)
        if role[1] < 0:
            top = min(y, bottom - least)
        elif role[1] > 0:
            bottom = max(y, top + least)
        self._set_rect(QRectF(QPointF(left, top), QPointF(right, bottom)))

    def _moved(self, rect: QRectF, dx: float, dy: float) -> QRectF:
        """``rect`` shifted by (dx, dy) but never past the photo's edges."""
        bounds = self._bounds
        dx = min(max(dx, bounds.left() - rect.left()), bounds.right() - rect.right())
        dy = min(max(dy, bounds.top() - rect.top()), bounds.bottom() - rect.bottom())
        return rect.translated(dx, dy)

    def _set_rect(self, rect: QRectF) -> None:
        if rect == self._rect:
            return
        self.prepareGeometryChange()
        self._rect = QRectF(rect)
        self._layout_children()
        self._update_children()
        self.update()
