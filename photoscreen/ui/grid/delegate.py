"""Paints one grid cell: the thumbnail, a status badge in words, the count of faces.

Status colours come from the Okabe-Ito palette, chosen to stay distinguishable with the
common forms of colour blindness; every badge also says its status in words, so colour is
never the only signal. Photos that will not go out (blocked, excluded, rejected,
unreadable) are drawn dimmed. A file that cannot be used says which of two things it is
("Not supported" or "Can't open", see :mod:`photoscreen.ui.grid.file_problems`) and shows no
count of faces: nothing was looked for in it. A picture exported before says so on its
thumbnail's lower edge ("Exported 3 May"), in white on near-black, so it reads on any
photo and whatever the badge's colour.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from photoscreen.core.rules import PhotoState, PhotoStatus
from photoscreen.ui.grid.file_problems import FileProblem, file_problem
from photoscreen.ui.grid.model import FaceCount, Roles

CELL_SIZE = QSize(176, 176)
THUMB_BOX = QSize(164, 128)

# (badge fill, badge text) per status. Okabe-Ito hues; text colour picked for contrast.
# Blocked (vermillion) and waiting for the manager (dark blue) sit far apart in hue and
# lightness for every common colour vision; sky blue (needs activity) is much lighter than
# the blue.
BADGE_COLOURS: dict[PhotoState, tuple[str, str]] = {
    PhotoState.READY: ("#009E73", "#ffffff"),  # bluish green
    PhotoState.AWAITING_REVIEW: ("#0072B2", "#ffffff"),  # blue
    PhotoState.CHECK_FACES: ("#F0E442", "#000000"),  # yellow
    PhotoState.NEEDS_ACTIVITY: ("#56B4E9", "#000000"),  # sky blue
    PhotoState.BLOCKED: ("#D55E00", "#ffffff"),  # vermillion
    PhotoState.REJECTED: ("#CC79A7", "#000000"),  # reddish purple
    PhotoState.EXCLUDED: ("#5a5a5a", "#ffffff"),  # dark grey
    PhotoState.UNREADABLE: ("#000000", "#ffffff"),  # black: damaged, cannot be opened
    PhotoState.NOT_SCANNED: ("#d9d9d9", "#000000"),  # light grey
}
# A file photoscreen does not work with (a video...): white, so it differs from "damaged".
UNSUPPORTED_COLOURS = ("#ffffff", "#000000")

BADGE_TEXT: dict[PhotoState, str] = {
    PhotoState.NOT_SCANNED: "Not read yet",
    PhotoState.UNREADABLE: "Can't open",
    PhotoState.BLOCKED: "Blocked",
    PhotoState.EXCLUDED: "Excluded",
    PhotoState.REJECTED: "Rejected",
    PhotoState.NEEDS_ACTIVITY: "Needs activity",
    PhotoState.CHECK_FACES: "Check faces",
    PhotoState.AWAITING_REVIEW: "For manager",  # short for "waiting for the manager"
    PhotoState.READY: "Ready ✓",
}


def badge_colours(state: PhotoState, problem: FileProblem | None = None) -> tuple[str, str]:
    """(fill, text colour) of the badge for ``state`` (and a file's problem, if any)."""
    if problem is not None and problem.unsupported:
        return UNSUPPORTED_COLOURS
    return BADGE_COLOURS[state]


def badge_text(status: PhotoStatus) -> str:
    """The badge's words; a file that cannot be used says whether it is unsupported."""
    problem = file_problem(status)
    return problem.badge if problem is not None else BADGE_TEXT[status.state]


_DIMMED = {PhotoState.BLOCKED, PhotoState.EXCLUDED, PhotoState.REJECTED, PhotoState.UNREADABLE}

Index = QModelIndex | QPersistentModelIndex


class GridDelegate(QStyledItemDelegate):
    """Draws cells of :class:`~photoscreen.ui.grid.model.PhotoGridModel`."""

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
        status: PhotoStatus = index.data(Roles.STATUS)
        state = status.state
        image = index.data(Roles.THUMBNAIL)
        thumb_rect = QRect(rect.x() + 6, rect.y() + 6, rect.width() - 12, THUMB_BOX.height())
        _paint_thumbnail(painter, thumb_rect, image, state in _DIMMED)
        _paint_exported(painter, thumb_rect, str(index.data(Roles.EXPORTED) or ""))
        _paint_badge(painter, rect, status)
        faces = None if state is PhotoState.UNREADABLE else index.data(Roles.FACE_COUNT)
        writing = index.data(Roles.WRITING_WAITING) or 0
        name = str(index.data(Qt.ItemDataRole.DisplayRole))
        _paint_name_and_faces(painter, rect, name, faces, writing)
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


def _paint_exported(painter: QPainter, box: QRect, text: str) -> None:
    """ "Exported 3 May" at the thumbnail's lower left (nothing for a photo never exported)."""
    if not text:
        return
    font = QFont(painter.font())
    font.setBold(False)
    painter.setFont(font)
    metrics = QFontMetrics(font)
    width = min(metrics.horizontalAdvance(text) + 12, box.width())
    tag = QRect(box.x(), box.bottom() - metrics.height() - 3, width, metrics.height() + 4)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(20, 20, 20, 215))
    painter.drawRoundedRect(tag, 3, 3)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, text)


def _paint_badge(painter: QPainter, rect: QRect, status: PhotoStatus) -> None:
    fill, ink = badge_colours(status.state, file_problem(status))
    font = QFont(painter.font())
    font.setBold(True)
    painter.setFont(font)
    text = badge_text(status)
    width = QFontMetrics(font).horizontalAdvance(text) + 14
    badge = QRect(rect.x() + 8, rect.y() + 8, width, QFontMetrics(font).height() + 6)
    # A dark outline keeps the white "Not supported" badge visible on a light cell.
    painter.setPen(QPen(QColor("#ffffff" if fill != "#ffffff" else "#202020"), 1))
    painter.setBrush(QColor(fill))
    painter.drawRoundedRect(badge, 4, 4)
    painter.setPen(QColor(ink))
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)


def _paint_name_and_faces(
    painter: QPainter, rect: QRect, name: str, faces: FaceCount | None, writing: int = 0
) -> None:
    font = QFont(painter.font())
    font.setBold(False)
    painter.setFont(font)
    metrics = QFontMetrics(font)
    line = QRect(
        rect.x() + 6, rect.bottom() - metrics.height() - 8, rect.width() - 12, metrics.height() + 4
    )
    faces_text = "" if faces is None else faces.text
    if writing:
        # Regions still to decide: the photo cannot be checked until they are.
        faces_text = " · ".join(t for t in (faces_text, f"{writing} writing?") if t)
    faces_width = metrics.horizontalAdvance(faces_text) + 6 if faces_text else 0
    name = metrics.elidedText(
        name,
        Qt.TextElideMode.ElideMiddle,
        line.width() - faces_width,
    )
    painter.setPen(QColor("#202020"))
    painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
    painter.drawText(line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, faces_text)
