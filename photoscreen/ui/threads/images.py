"""Turning the core's numpy pixels into QImages, on worker threads.

QImage (unlike QPixmap) may be made and used off the GUI thread, so every conversion and
resize happens in the job that produced the pixels; the GUI thread only paints.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage

# Grid thumbnails are kept at the size the grid paints them, to keep memory small: this
# many grid (device-independent) pixels, times the screen's scaling.
GRID_THUMB_SIZE = QSize(164, 128)


def qimage_from_rgb(pixels: npt.NDArray[np.uint8]) -> QImage:
    """A QImage owning a copy of an H x W x 3 uint8 RGB array."""
    array = np.ascontiguousarray(pixels)
    if array.ndim != 3 or array.shape[2] != 3:
        raise ValueError(f"expected H x W x 3 RGB pixels, got shape {array.shape}")
    height, width = array.shape[:2]
    image = QImage(array.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    # The QImage above borrows numpy's buffer; copy() gives it memory of its own.
    return image.copy()


def for_screen(image: QImage) -> QImage:
    """``image`` in the pixel format screens paint directly (no conversion per paint).

    Converting here, on the worker, keeps ``QPixmap.fromImage`` and ``drawImage`` on the
    GUI thread down to a plain copy.
    """
    return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


def grid_thumbnail(pixels: npt.NDArray[np.uint8], scale: float = 1.0) -> QImage:
    """A thumbnail QImage no larger than the grid cell's picture area.

    ``scale`` is the screen's device pixel ratio (2.0 at 200 % scaling): the image gets
    that many pixels per grid pixel and says so (``devicePixelRatio``), so a 2x screen
    paints it pixel for pixel instead of blowing a 1x one up, blurred.
    """
    image = qimage_from_rgb(pixels)
    box = GRID_THUMB_SIZE * max(1.0, scale)
    if image.width() > box.width() or image.height() > box.height():
        image = image.scaled(
            box,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    # Kept as 3-byte RGB, not the 4-byte format screens paint directly: the grid holds
    # hundreds of these (see grid_model.THUMBNAIL_CACHE_SIZE) and converting one cell's
    # 20,000 pixels while painting costs microseconds.
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    image.setDevicePixelRatio(max(1.0, scale))
    return image


def qimage_from_encoded(data: bytes) -> QImage:
    """Decode encoded image bytes (e.g. the exported JPEG) to a QImage; null on failure."""
    image = QImage()
    image.loadFromData(data)
    return image if image.isNull() else for_screen(image)
