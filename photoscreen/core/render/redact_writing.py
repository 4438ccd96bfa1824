"""Covering accepted writing on full-resolution pixels, for good.

A writing region's box hugs the letters the detector saw; the covered rectangle reaches
:data:`WRITING_MARGIN` of the line's height beyond it on every side (descenders, accents,
the edge of a plate or label the box may have clipped), snapped outwards to whole pixels
and clipped to the photo. It is a rectangle, not a face's soft ellipse: writing has
corners. The default style is a solid fill (``FILL``): darktable's manual and the peers
agree that only a fill is safe for a number plate, since a blur can leave large letters
legible. ``BLUR`` and ``MOSAIC`` use face redaction's irreversible reduction (see
:mod:`photoscreen.core.render.redact`) over the whole rectangle; ``STICKER`` is for faces only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from photoscreen.core.basics import Box
from photoscreen.core.render.redact import RedactionStyle, redact_faces

Pixels = npt.NDArray[np.uint8]

WRITING_MARGIN = 0.25
# At least this many pixels beyond the box on every side (a thin line's quarter height is
# under a pixel).
MIN_MARGIN_PX = 2.0
# Dark grey: reads as "covered on purpose", like a redaction bar on a document.
WRITING_FILL = (48, 48, 48)


def writing_region(box: Box, width: int, height: int) -> Box:
    """The rectangle covered for ``box`` in a ``width`` x ``height`` photo (empty when the
    box is not finite or lies off the photo)."""
    values = (box.x, box.y, box.w, box.h)
    if not all(math.isfinite(v) for v in values) or box.w <= 0 or box.h <= 0:
        return Box(0.0, 0.0, 0.0, 0.0)
    margin = max(WRITING_MARGIN * min(box.w, box.h), MIN_MARGIN_PX)
    left = min(max(math.floor(box.x - margin), 0), width)
    top = min(max(math.floor(box.y - margin), 0), height)
    right = max(min(math.ceil(box.right + margin), width), left)
    bottom = max(min(math.ceil(box.bottom + margin), height), top)
    return Box(float(left), float(top), float(right - left), float(bottom - top))


def redact_writing(pixels: Pixels, boxes: Sequence[Box], style: RedactionStyle) -> None:
    """Cover every box of ``boxes`` in ``pixels`` (H x W x 3 uint8), in place."""
    style = RedactionStyle(style)
    if style is RedactionStyle.STICKER:
        style = RedactionStyle.FILL
    height, width = pixels.shape[:2]
    for box in boxes:
        region = writing_region(box, width, height)
        if region.w < 1 or region.h < 1:
            continue
        x0, y0 = int(region.x), int(region.y)
        rows = slice(y0, y0 + int(region.h))
        cols = slice(x0, x0 + int(region.w))
        if style is RedactionStyle.FILL:
            pixels[rows, cols] = WRITING_FILL
            continue
        patch = pixels[rows, cols]
        whole = Box(0.0, 0.0, float(patch.shape[1]), float(patch.shape[0]))
        pixels[rows, cols] = redact_faces(patch, [whole], style, shape="box")
