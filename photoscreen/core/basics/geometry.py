"""Face boxes in the upright photo's full-resolution pixel coordinates.

Every part of photoscreen (detector, store, photo view, redaction) speaks of a face in one
coordinate system: pixels of the photo after its orientation has been applied, at full
resolution. Keeping one system means orientation is handled in exactly one place: it is
decided by :mod:`photoscreen.core.imaging.upright` and applied by the loader.
"""

from __future__ import annotations

from dataclasses import dataclass

# Two boxes are one face when they overlap this much (intersection over union)...
SAME_FACE_IOU = 0.3
# ...or when this share of the smaller one lies inside the other: a possible face drawn
# on a face already boxed, or a second, smaller box inside a face (an eye, a mouth, the
# face without its hair), has a tiny IoU with it but is the same face.
SAME_FACE_INSIDE = 0.6


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: left, top, width, height in upright full-size pixels."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def area(self) -> float:
        return max(0.0, self.w) * max(0.0, self.h)

    def scaled(self, factor: float) -> Box:
        """The same box in an image ``factor`` times the size."""
        return Box(self.x * factor, self.y * factor, self.w * factor, self.h * factor)

    def clipped(self, width: float, height: float) -> Box:
        """Clipped to an image of ``width`` x ``height``; may become empty."""
        left, top = max(0.0, self.x), max(0.0, self.y)
        right, bottom = min(width, self.right), min(height, self.bottom)
        return Box(left, top, max(0.0, right - left), max(0.0, bottom - top))

    def intersection(self, other: Box) -> float:
        """The area the two boxes share, 0 when they do not overlap."""
        iw = min(self.right, other.right) - max(self.x, other.x)
        ih = min(self.bottom, other.bottom) - max(self.y, other.y)
        return iw * ih if iw > 0 and ih > 0 else 0.0

    def union(self, other: Box) -> Box:
        """The smallest box holding both."""
        left, top = min(self.x, other.x), min(self.y, other.y)
        right, bottom = max(self.right, other.right), max(self.bottom, other.bottom)
        return Box(left, top, right - left, bottom - top)

    def iou(self, other: Box) -> float:
        """Intersection over union, 0 when the boxes do not overlap."""
        iw = min(self.right, other.right) - max(self.x, other.x)
        ih = min(self.bottom, other.bottom) - max(self.y, other.y)
        if iw <= 0 or ih <= 0:
            return 0.0
        inter = iw * ih
        union = self.area + other.area - inter
        return inter / union if union > 0 else 0.0


def same_face(a: Box, b: Box) -> bool:
    """True when ``a`` and ``b`` are boxes of one face (see :data:`SAME_FACE_INSIDE`)."""
    inside = a.intersection(b)
    if inside <= 0:
        return False
    smaller = min(a.area, b.area)
    return a.iou(b) >= SAME_FACE_IOU or (smaller > 0 and inside / smaller >= SAME_FACE_INSIDE)
