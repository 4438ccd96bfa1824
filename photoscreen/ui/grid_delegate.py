"""Paints one grid cell: the thumbnail, a status badge in words, the count of faces.

Status colours come from the Okabe-Ito palette, chosen to stay distinguishable with the
common forms of colour blindness; every badge also says its status in words, so colour is
never the only signal. Photos that will not go out (blocked, excluded, rejected,
unreadable) are drawn dimmed.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from photoscreen.core.policy import PhotoState
from photoscreen.ui.grid_model import Roles

CELL_SIZE = QSize(176, 176)
THUMB_BOX = QSize(164, 128)

# (badge fill, badge text) per status. Okabe-Ito hues; text colour picked for contrast.
BADGE_COLOURS: dict[PhotoState, tuple[str, str]] = {
    PhotoState.READY: ("#009E73", "#ffffff"),  # bluish green
    PhotoState.AWAITING_REVIEW: ("#E69F00", "#000000"),  # orange
    PhotoState.CHECK_FACES: ("#F0E442", "#000000"),  # yellow
    PhotoState.NEEDS_ACTIVITY: ("#56B4E9", "#000000"),  # sky blue
    PhotoState.BLOCKED: ("#D55E00", "#ffffff"),  # vermillion
    PhotoState.REJECTED: ("#CC79A7", "#000000"),  # reddish purple
    PhotoState.EXCLUDED: ("#5a5a5a", "#ffffff"),  # dark grey
    PhotoState.UNREADABLE: ("#000000", "#ffffff"),  # black
    PhotoState.NOT_SCANNED: ("#d9d9d9", "#000000"),  # light grey
}

BADGE_TEXT: dict[PhotoState, str] = {
    PhotoState.NOT_SCANNED: "Scanning…",
    PhotoState.UNREADABLE: "Can't open",
    PhotoState.BLOCKED: "Blocked",
    PhotoState.EXCLUDED: "Excluded",
    PhotoState.REJECTED: "Rejected",
    PhotoState.NEEDS_ACTIVITY: "Needs activity",
    PhotoState.CHECK_FACES: "Check faces",
    PhotoState.AWAITING_REVIEW: "For manager",
    PhotoState.READY: "Ready ✓",
}

_DIMMED = {PhotoState.BLOCKED, PhotoState.EXCLUDED, PhotoState.REJECTED, PhotoState.UNREADABLE}

Index = QModelIndex | QPersistentModelIndex


class GridDelegate(QStyledItemDelegate):
    """Draws cells of :class:`~photoscreen.ui.grid_model.PhotoGridModel`."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return CELL_SIZE

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        rect: QRect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.fillRect(rect, QColor("#cfe3ff" if selected else "#f4f4f4"))
        if selected:
            painter.setPen(QPen(QColor("#1f5fbf"), 3))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        state = PhotoState(index.data(Roles.STATE))
        image = index.data(Roles.THUMBNAIL)
        thumb_rect = QRect(rect.x() + 6, rect.y() + 6, rect.width() - 12, THUMB_BOX.height())
        _paint_thumbnail(painter, thumb_rect, image, state in _DIMMED)
        _paint_badge(painter, rect, state)
        _paint_name_and_faces(painter, rect, index)
        painter.restore()


def _paint_thumbnail(painter: QPainter, box: QRect, image: QImage | None, dimmed: bool) -> None:
    if image is None or image.isNull():
        painter.fillRect(box, QColor("#e2e2e2"))
        return
    size = image.size().scaled(box.size(), Qt.AspectRatioMode.KeepAspectRatio)
    target = QRect(0, 0, size.width(), size.height())
    target.moveCenter(box.center())
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.setOpacity(0.4 if dimmed else 1.0)
    painter.drawImage(target, image)
    painter.setOpacity(1.0)


def _paint_badge(painter: QPainter, rect: QRect, state: PhotoState) -> None:
    fill, ink = BADGE_COLOURS[state]
    font = QFont(painter.font())
    font.setBold(True)
    painter.setFont(font)
    text = BADGE_TEXT[state]
    width = QFontMetrics(font).horizontalAdvance(text) + 14
    badge = QRect(rect.x() + 8, rect.y() + 8, width, QFontMetrics(font).height() + 6)
    painter.setPen(QPen(QColor("#ffffff"), 1))
    painter.setBrush(QColor(fill))
    painter.drawRoundedRect(badge, 4, 4)
    painter.setPen(QColor(ink))
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)


def _paint_name_and_faces(painter: QPainter, rect: QRect, index: Index) -> None:
    font = QFont(painter.font())
    font.setBold(False)
    painter.setFont(font)
    metrics = QFontMetrics(font)
    line = QRect(
        rect.x() + 6, rect.bottom() - metrics.height() - 8, rect.width() - 12, metrics.height() + 4
    )
    faces = index.data(Roles.FACE_COUNT)
    faces_text = "" if faces is None else ("1 face" if faces == 1 else f"{faces} faces")
    faces_width = metrics.horizontalAdvance(faces_text) + 6 if faces_text else 0
    name = metrics.elidedText(
        str(index.data(Qt.ItemDataRole.DisplayRole)),
        Qt.TextElideMode.ElideMiddle,
        line.width() - faces_width,
    )
    painter.setPen(QColor("#202020"))
    painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
    painter.drawText(line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, faces_text)
