"""The face boxes over the photo, kept in step with the overlays the controller publishes.

There is one :class:`~photoscreen.ui.photo.face_items.FaceItem` per overlay id.
:meth:`FaceLayer.sync` adds, updates and removes items, so a box that keeps its id keeps
its selection, and a box being dragged stays where the user holds it. The layer also
knows the boxes' Tab order (left to right, then top to bottom), which box is selected,
and tells every box the zoom so that handles and labels keep their size on screen.

Edits on a box come out of the layer as its signals, with boxes in full-resolution
pixels; the photo view passes them on as its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QObject, QRectF, Signal
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from photoscreen.ui.control import FaceOverlay
from photoscreen.ui.photo.face_items import UNDECIDED_KINDS, FaceItem, rect_to_box


def cycle_index(count: int, current: int | None, forward: bool) -> int | None:
    """Tab's step through ``count`` boxes from the one at ``current`` (``None``: none is
    selected, so the first going forward, the last going back). ``None`` past either end:
    the selection ends there and the focus moves on."""
    if count <= 0:
        return None
    if current is None:
        return 0 if forward else count - 1
    following = current + (1 if forward else -1)
    return following if 0 <= following < count else None


def face_item_of(items: Iterable[QGraphicsItem]) -> FaceItem | None:
    """The first face box among graphics ``items`` (topmost first), or the box that one of
    them belongs to (a handle, a label, a button): what a click there is about."""
    for graphics_item in items:
        candidate: QGraphicsItem | None = graphics_item
        while candidate is not None and not isinstance(candidate, FaceItem):
            candidate = candidate.parentItem()
        if candidate is not None:
            return candidate
    return None


class FaceLayer(QObject):
    """The face items of one scene, by overlay id."""

    edited = Signal(str, object)  # id, its new Box after a move or resize
    accept_clicked = Signal(str)  # a possible face's accept button
    dismiss_clicked = Signal(str)  # a possible face's dismiss button

    def __init__(self, scene: QGraphicsScene, min_size: float) -> None:
        super().__init__(scene)
        self._scene = scene
        self._min_size = min_size  # the smallest box a resize leaves, in scene pixels
        self._items: dict[str, FaceItem] = {}

    def sync(
        self, faces: Sequence[FaceOverlay], *, bounds: QRectF, unit: float, visible: bool
    ) -> None:
        """Show exactly ``faces``. A new box is kept inside ``bounds`` (the photo), drawn for
        ``unit`` scene pixels per screen pixel, and shown only when ``visible``."""
        wanted = {face.id for face in faces}
        for face_id in [fid for fid in self._items if fid not in wanted]:
            self._scene.removeItem(self._items.pop(face_id))
        for face in faces:
            item = self._items.get(face.id)
            if item is None:
                self._items[face.id] = self._add(face, bounds, unit, visible)
            else:
                item.set_overlay(face)

    def _add(self, face: FaceOverlay, bounds: QRectF, unit: float, visible: bool) -> FaceItem:
        item = FaceItem(face, bounds, self._min_size)
        item.edited.connect(lambda fid, rect: self.edited.emit(fid, rect_to_box(rect)))
        item.accept_clicked.connect(self.accept_clicked)
        item.dismiss_clicked.connect(self.dismiss_clicked)
        item.set_unit(unit)
        item.setVisible(visible)
        self._scene.addItem(item)
        return item

    def get(self, face_id: str | None) -> FaceItem | None:
        return self._items.get(face_id) if face_id is not None else None

    def __getitem__(self, face_id: str) -> FaceItem:
        return self._items[face_id]

    def tab_order(self, visible_only: bool = True) -> list[FaceItem]:
        """The boxes left to right (then top to bottom): Tab's order and the face strip's."""
        items = [i for i in self._items.values() if i.isVisible() or not visible_only]
        return sorted(items, key=lambda item: (item.scene_rect().x(), item.scene_rect().y()))

    def undecided(self) -> list[FaceItem]:
        """The shown boxes a person still has to decide about, in Tab order."""
        return [item for item in self.tab_order() if item.kind in UNDECIDED_KINDS]

    def selected(self) -> FaceItem | None:
        for item in self._scene.selectedItems():
            if isinstance(item, FaceItem):
                return item
        return None

    def next_in_tab_order(self, forward: bool) -> FaceItem | None:
        """The shown box after (or before) the selected one; ``None`` past the last."""
        order = self.tab_order()
        current = self.selected()
        index = cycle_index(len(order), order.index(current) if current in order else None, forward)
        return None if index is None else order[index]

    def set_unit(self, unit: float) -> None:
        """The zoom changed: ``unit`` scene pixels now make one screen pixel."""
        for item in self._items.values():
            item.set_unit(unit)

    def set_visible(self, visible: bool) -> None:
        for item in self._items.values():
            item.setVisible(visible)
