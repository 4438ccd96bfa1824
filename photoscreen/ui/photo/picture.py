"""The picture under the face boxes: the photo, the export preview in its place, or a
stand-in while the photo loads; and the crops of it that the face strip shows.

The scene is measured in the upright photo's full-resolution pixels, the coordinate system
of every :class:`~photoscreen.core.basics.geometry.Box`. The picture on screen may be a reduced
decode (a quarter-size preview, say); one transform on its pixmap item scales it up to the
scene (:func:`to_scene`), and that is the only place where displayed pixels and box
coordinates differ. Orientation never appears here: the loader hands over upright pixels.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsPixmapItem, QGraphicsScene

from photoscreen.core.basics import Box
from photoscreen.ui.photo.face_items import box_to_rect
from photoscreen.ui.photo.face_strip import Region, crop_of

PHOTO_Z = -2.0  # under the preview, which is under every box
PREVIEW_Z = -1.0


def to_scene(image: QImage, full: QRectF) -> QTransform:
    """The one image-to-scene transform: displayed pixels to full-resolution pixels."""
    return QTransform.fromScale(full.width() / image.width(), full.height() / image.height())


class Picture:
    """The photo and preview pixmap items of one scene, and the crops cut from the photo."""

    def __init__(self, scene: QGraphicsScene) -> None:
        self._photo = _pixmap_item(scene, PHOTO_Z)
        self._preview = _pixmap_item(scene, PREVIEW_Z)
        self._standing_in = False  # a stand-in is shown while the photo loads
        self._key = 0  # counts the photos shown: the face strip's "another photo"
        self._crops: dict[tuple[str, Box], QPixmap] = {}  # by region id and box
        self._crops_key = -1  # the photo they were cut from

    def show_photo(self, image: QImage, full: QRectF) -> None:
        """Show ``image``, a decode of the photo whose full-resolution rectangle is ``full``."""
        self._key += 1
        self._photo.setPixmap(QPixmap.fromImage(image))
        self._photo.setTransform(to_scene(image, full))
        self._photo.setVisible(True)
        self._standing_in = False

    def show_stand_in(self, stand_in: QImage) -> None:
        """Show ``stand_in`` at its own size (scene pixels are its pixels) until the photo."""
        pixmap = QPixmap.fromImage(stand_in)
        pixmap.setDevicePixelRatio(1.0)  # scene pixels are its pixels, whatever the screen
        self._photo.setPixmap(pixmap)
        self._photo.setTransform(QTransform())
        self._photo.setVisible(True)
        self._standing_in = True

    def clear(self) -> None:
        self._photo.setPixmap(QPixmap())
        self._standing_in = False

    def is_stand_in(self) -> bool:
        return self._standing_in

    def key(self) -> int:
        """Changes with every photo shown (not with a stand-in or a preview)."""
        return self._key

    def show_preview(self, image: QImage | None, full: QRectF) -> bool:
        """Show ``image`` (the exact export pixels) in place of the photo; ``None`` or an
        empty image brings the photo back. True while the preview is shown."""
        previewing = image is not None and not image.isNull()
        if image is not None and previewing:
            self._preview.setPixmap(QPixmap.fromImage(image))
            self._preview.setTransform(to_scene(image, full))
        else:
            self._preview.setPixmap(QPixmap())
        self._preview.setVisible(previewing)
        self._photo.setVisible(not previewing)
        return previewing

    def is_previewing(self) -> bool:
        return self._preview.isVisible()

    def crops(self, regions: Iterable[Region]) -> dict[str, QPixmap]:
        """Each region's crop of the photo, by id.

        A decision changes one box of a crowd: the crops of the others, cut from the same
        photo at the same place, are the ones made before.
        """
        made = self._crops if self._crops_key == self._key else {}
        pixmap, transform = self._photo.pixmap(), self._photo.transform()
        wanted = list(regions)
        crops = {
            r.id: made.get((r.id, r.box)) or crop_of(pixmap, transform, box_to_rect(r.box))
            for r in wanted
        }
        self._crops_key = self._key
        self._crops = {(r.id, r.box): crops[r.id] for r in wanted}
        return crops


def _pixmap_item(scene: QGraphicsScene, z: float) -> QGraphicsPixmapItem:
    item = QGraphicsPixmapItem()
    item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
    item.setZValue(z)
    scene.addItem(item)
    return item
