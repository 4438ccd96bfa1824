"""The face strip: every region of the photo as an enlarged crop, one key to judge each.

Under the photo, each box the photo view draws is shown as a crop big enough to judge,
possible faces first (they need a decision), then the others in the view's Tab order
(left to right). The strip is fed a :class:`StripState` (the regions and their crops) and
reports what the person asks for; it never touches the session.

A region is anything a person judges on a photo: a face, a possible face, a face shown
with consent on the register and, later, writing that could identify someone. Its ``kind``
decides what the two keys mean (:data:`KEY_MEANINGS`):

- **A** (or Enter): a possible face *is* a face (accepted: it will be blurred); a face
  box is right as it is (looked at).
- **D** (or Delete): a possible face is not a face (dismissed); a face box is not a face
  (removed; Ctrl+Z brings it back).

After each key the strip moves on to the next crop not looked at yet, and the photo view
zooms to its box. Choosing a crop (click, or ← →) selects its box; selecting a box in the
view shows its crop. What was looked at is kept until another photo is shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QIcon,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QTransform,
)
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from photoscreen.core.basics import Box
from photoscreen.ui.control import KIND_WRITING, KIND_WRITING_COVERED
from photoscreen.ui.photo.face_items import KIND_COLOURS, KIND_CONSENT, KIND_FACE, KIND_POSSIBLE

# Writing that could name someone (issue 15): the photo view's own kinds, so A and D mean
# cover / leave for it here as they do on its box.
KIND_TEXT = KIND_WRITING
CROP_PX = 96  # a crop's longer side on screen
CROP_MARGIN = 0.25  # around the box, so the face is seen with its head and hair
CELL = QSize(CROP_PX + 16, CROP_PX + 34)
# What A and D ask for, per kind: accept / dismiss a detector's guess, or keep / remove.
ACCEPT, DISMISS, KEEP, REMOVE = "accept", "dismiss", "keep", "remove"
KEY_MEANINGS = {
    KIND_POSSIBLE: (ACCEPT, DISMISS),
    KIND_TEXT: (ACCEPT, DISMISS),
    KIND_FACE: (KEEP, REMOVE),
    KIND_CONSENT: (KEEP, REMOVE),
    KIND_WRITING_COVERED: (KEEP, REMOVE),
}
CAPTIONS = {
    KIND_POSSIBLE: "Possible face?",
    KIND_TEXT: "Writing?",
    KIND_WRITING_COVERED: "Writing: covered",
    KIND_FACE: "Face",
    KIND_CONSENT: "Consent",
}
# The strip's keys for the help overlay (F1).
STRIP_KEY_HELP = (
    ("A / D", "In the face strip: a face (it is blurred) / not a face; then the next crop"),
    ("← / →", "In the face strip: the previous / next crop (its box is shown zoomed)"),
)
_YES_KEYS = (Qt.Key.Key_A, Qt.Key.Key_Return, Qt.Key.Key_Enter)
_NO_KEYS = (Qt.Key.Key_D, Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
_MOVE_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End)


@dataclass(frozen=True)
class Region:
    """One region of the photo a person judges; ``box`` in full-resolution pixels."""

    id: str
    kind: str  # KIND_FACE, KIND_POSSIBLE, KIND_CONSENT or KIND_TEXT
    box: Box


@dataclass(frozen=True)
class StripState:
    """What the strip shows: the photo (``photo_key``), its regions and their crops.

    ``regions`` come in the view's Tab order; the strip sorts them (see
    :func:`strip_order`). A new ``photo_key`` forgets what was looked at.
    """

    photo_key: object = None
    regions: tuple[Region, ...] = ()
    crops: Mapping[str, QPixmap] = field(default_factory=dict)


def crop_of(pixmap: QPixmap, to_scene: QTransform, rect: QRectF) -> QPixmap:
    """The part of ``pixmap`` (shown through ``to_scene``) around scene ``rect``, with a
    margin of :data:`CROP_MARGIN` of its size on every side: a face with its head."""
    inverse, invertible = to_scene.inverted()
    if pixmap.isNull() or not invertible:
        return QPixmap()
    grown = rect.adjusted(
        -CROP_MARGIN * rect.width(),
        -CROP_MARGIN * rect.height(),
        CROP_MARGIN * rect.width(),
        CROP_MARGIN * rect.height(),
    )
    source = inverse.mapRect(grown).toAlignedRect().intersected(pixmap.rect())
    return pixmap.copy(source) if not source.isEmpty() else QPixmap()


def strip_order(regions: Sequence[Region]) -> list[Region]:
    """Regions waiting for a decision first, each group in the order given."""
    waiting = [r for r in regions if KEY_MEANINGS.get(r.kind, (KEEP,))[0] == ACCEPT]
    return waiting + [r for r in regions if r not in waiting]


def header_text(
    regions: Sequence[Region], looked_at: frozenset[str], *, photo: bool = True
) -> str:
    """The line above the crops: what is left to do, and the two keys (nothing when no
    photo is on screen: there is no box to miss)."""
    if not photo:
        return ""
    if not regions:
        return "No face boxes on this photo. Missed a face? B draws a box around it."
    waiting = sum(1 for r in regions if r.kind in (KIND_POSSIBLE, KIND_TEXT))
    seen = sum(1 for r in regions if r.id in looked_at)
    if seen == len(regions) and not waiting:
        return f"All {len(regions)} boxes looked at. No face missed? C: faces checked."
    todo = f"{waiting} possible to decide · " if waiting else ""
    return f"{todo}{seen} of {len(regions)} looked at   —   A: a face (blurred)   D: not a face"


class FaceStrip(QWidget):
    """The strip of crops (see the module docstring)."""

    chosen = Signal(str)  # a crop was chosen: select (and zoom to) its box
    accepted = Signal(str)  # a possible region is a face / text to hide
    dismissed = Signal(str)  # a possible region is not
    removed = Signal(str)  # a face box is not a face

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = QLabel()
        self.header.setObjectName("faceStripHeader")
        self.crops = _CropList(self)
        self.crops.currentRowChanged.connect(self._row_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        layout.addWidget(self.crops)
        self.setFocusProxy(self.crops)
        self._state = StripState()
        self._order: list[Region] = []
        self._looked_at: set[str] = set()
        self._updating = False
        self.header.setText(header_text((), frozenset(), photo=False))

    # -- what is shown -------------------------------------------------------------
    def set_state(self, state: StripState) -> None:
        """Show ``state``; the current crop stays current while its region exists."""
        if state.photo_key != self._state.photo_key:
            self._looked_at = set()
        before = {r.id: r.kind for r in self._state.regions}
        ids = {r.id for r in state.regions}
        # A possible face decided in the photo view was looked at, wherever it was decided.
        self._looked_at |= {
            r.id for r in state.regions if before.get(r.id) == KIND_POSSIBLE != r.kind
        }
        self._looked_at &= ids
        current = self.current_region()
        self._state = state
        self._order = strip_order(state.regions)
        self._fill(current.id if current is not None else None)

    def set_current(self, region_id: str | None) -> None:
        """Show ``region_id``'s crop as current (its box was selected), without ``chosen``."""
        row = next((i for i, r in enumerate(self._order) if r.id == region_id), -1)
        self._updating = True
        try:
            self.crops.setCurrentRow(row)
            if row >= 0:
                self.crops.scrollToItem(self.crops.item(row))
        finally:
            self._updating = False

    def _header(self) -> str:
        has_photo = self._state.photo_key is not None
        return header_text(self._order, frozenset(self._looked_at), photo=has_photo)

    def regions(self) -> list[Region]:
        """The regions in the strip's order."""
        return list(self._order)

    def current_region(self) -> Region | None:
        row = self.crops.currentRow()
        return self._order[row] if 0 <= row < len(self._order) else None

    def looked_at(self) -> frozenset[str]:
        return frozenset(self._looked_at)

    def all_looked_at(self) -> bool:
        return all(r.id in self._looked_at for r in self._order)

    def _fill(self, current_id: str | None) -> None:
        """Show the regions; a crop whose tile would look the same is not drawn again (a
        decision on a crowd of 40 changes one or two of them)."""
        self._updating = True
        try:
            while self.crops.count() > len(self._order):
                self.crops.takeItem(self.crops.count() - 1)
            while self.crops.count() < len(self._order):
                self.crops.addItem(QListWidgetItem())
            for row, region in enumerate(self._order):
                self._show_item(self.crops.item(row), region)
        finally:
            self._updating = False
        self.set_current(current_id)
        self.header.setText(self._header())

    def _show_item(self, item: QListWidgetItem, region: Region) -> None:
        seen = region.id in self._looked_at
        key = (self._state.photo_key, region, seen)
        if item.data(Qt.ItemDataRole.UserRole) == key:
            return
        item.setData(Qt.ItemDataRole.UserRole, key)
        tile = _framed(self._state.crops.get(region.id), region.kind, seen)
        icon = QIcon(tile)
        # The current crop is the face being judged: shown as it is, not tinted.
        icon.addPixmap(tile, QIcon.Mode.Selected)
        item.setIcon(icon)
        item.setText(CAPTIONS.get(region.kind, region.kind))
        meanings = KEY_MEANINGS.get(region.kind, (KEEP, REMOVE))
        item.setToolTip(f"A: {_SAID[meanings[0]]}    D: {_SAID[meanings[1]]}")

    # -- what the person asks for --------------------------------------------------
    def decide(self, yes: bool) -> None:
        """A (``yes``) or D on the current crop; then move on to the next one to look at."""
        region = self.current_region()
        if region is None:
            self._choose_next()
            return
        meaning = KEY_MEANINGS.get(region.kind, (KEEP, REMOVE))[0 if yes else 1]
        self._looked_at.add(region.id)
        if meaning == KEEP:
            self._fill(region.id)
        else:
            signal = {ACCEPT: self.accepted, DISMISS: self.dismissed, REMOVE: self.removed}
            signal[meaning].emit(region.id)  # the photo view answers with new regions
        self._choose_next()

    def start_checking(self) -> None:
        """Take the keyboard and show the first crop not looked at yet (S)."""
        self.crops.setFocus(Qt.FocusReason.ShortcutFocusReason)
        current = self.current_region()
        if current is None or current.id in self._looked_at:
            self._choose_next()
        else:
            self.chosen.emit(current.id)

    def _choose_next(self) -> None:
        """The first crop not looked at yet becomes current and its box is shown."""
        waiting = next((r for r in self._order if r.id not in self._looked_at), None)
        if waiting is None:
            self.header.setText(self._header())
            return
        self.set_current(waiting.id)
        self.chosen.emit(waiting.id)

    def _row_changed(self, row: int) -> None:
        if not self._updating and 0 <= row < len(self._order):
            self.chosen.emit(self._order[row].id)


_SAID = {
    ACCEPT: "yes, hide it",
    DISMISS: "no, leave it",
    KEEP: "right as it is",
    REMOVE: "not a face: remove the box",
}


class _CropList(QListWidget):
    """The row of crops; takes A / D / Enter / Delete and ← → before the window does."""

    def __init__(self, strip: FaceStrip) -> None:
        super().__init__(strip)
        self._strip = strip
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(QSize(CROP_PX, CROP_PX))
        self.setGridSize(CELL)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedHeight(CELL.height() + self.horizontalScrollBar().sizeHint().height() + 6)
        self.setSelectionMode(QListView.SelectionMode.SingleSelection)

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and _plain(event)
            and event.key() in (*_YES_KEYS, *_NO_KEYS, *_MOVE_KEYS)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _plain(event) and event.key() in _YES_KEYS:
            self._strip.decide(True)
        elif _plain(event) and event.key() in _NO_KEYS:
            self._strip.decide(False)
        else:
            super().keyPressEvent(event)


def _plain(event: QKeyEvent) -> bool:
    return not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier


def _framed(crop: QPixmap | None, kind: str, seen: bool) -> QPixmap:
    """The crop on a square tile with its kind's colour around it, and a tick once seen."""
    tile = QPixmap(CROP_PX, CROP_PX)
    tile.fill(QColor("#202020"))
    painter = QPainter(tile)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if crop is not None and not crop.isNull():
        scaled = crop.scaled(
            CROP_PX - 6,
            CROP_PX - 6,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        left, top = (CROP_PX - scaled.width()) // 2, (CROP_PX - scaled.height()) // 2
        painter.drawPixmap(left, top, scaled)
    pen = QPen(KIND_COLOURS.get(kind, QColor("white")), 3)
    if kind in (KIND_POSSIBLE, KIND_TEXT):
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.drawRect(1, 1, CROP_PX - 3, CROP_PX - 3)
    if seen:
        _tick(painter)
    painter.end()
    return tile


def _tick(painter: QPainter) -> None:
    """A green disc with a tick in the tile's corner (lines: some fonts have no ✓)."""
    painter.setPen(QPen(QColor("white"), 1.5))
    painter.setBrush(QColor("#1f9d45"))
    painter.drawEllipse(QPointF(CROP_PX - 14, 14), 10, 10)
    path = QPainterPath()
    path.moveTo(CROP_PX - 19, 14)
    path.lineTo(CROP_PX - 15, 18)
    path.lineTo(CROP_PX - 9, 10)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(QColor("white"), 2.5))
    painter.drawPath(path)
