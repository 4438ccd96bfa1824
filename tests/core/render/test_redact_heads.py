"""Redaction covers the whole head, hair included, at every face size (issue 12).

scikit-image's public-domain astronaut is scaled so that her face box (where CenterFace
puts it) is 24 to 700 px wide and redacted with a solid fill, whose covered pixels are
known exactly. Every pixel of her hair (found by its colour above the chin) must be
covered, with the box where the detector puts it and nearly all with the box a few
percent of a face off.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage import data

from photoscreen.core.basics.geometry import Box
from photoscreen.core.render.redact import NEUTRAL_FILL, RedactionStyle, head_region, redact_faces

# The astronaut's face box (x1, y1, x2, y2) in astronaut(), as CenterFace finds it.
FACE = (180.0, 56.0, 271.0, 179.0)


def _hair() -> np.ndarray:
    """Her hair: golden-brown pixels above the chin around the head (checked by eye)."""
    portrait = data.astronaut()
    hsv = cv2.cvtColor(portrait, cv2.COLOR_RGB2HSV).astype(int)
    hue, saturation, value = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    around_head = np.zeros(portrait.shape[:2], bool)
    around_head[0:125, 140:320] = True
    return around_head & (saturation > 90) & (hue >= 10) & (hue <= 25) & (value < 200)


def _pasted(face_width: float) -> tuple[np.ndarray, np.ndarray, Box]:
    """A dark canvas with the astronaut scaled to ``face_width``: pixels, hair, face box."""
    zoom = face_width / (FACE[2] - FACE[0])
    portrait = cv2.resize(data.astronaut(), None, fx=zoom, fy=zoom, interpolation=cv2.INTER_AREA)
    hair = cv2.resize(
        _hair().astype(np.uint8),
        (portrait.shape[1], portrait.shape[0]),
        interpolation=cv2.INTER_NEAREST,
    ).astype(bool)
    pad = int(face_width * 1.5)
    height, width = portrait.shape[0] + 2 * pad, portrait.shape[1] + 2 * pad
    canvas = np.full((height, width, 3), 40, np.uint8)
    canvas[pad:-pad, pad:-pad] = portrait
    hair_mask = np.zeros((height, width), bool)
    hair_mask[pad:-pad, pad:-pad] = hair
    box = Box(FACE[0] * zoom + pad, FACE[1] * zoom + pad, face_width, (FACE[3] - FACE[1]) * zoom)
    return canvas, hair_mask, box


def _covered(pixels: np.ndarray, box: Box) -> np.ndarray:
    out = redact_faces(pixels, [box], RedactionStyle.FILL)
    return np.all(np.abs(out.astype(int) - NEUTRAL_FILL) <= 3, axis=2)


def test_the_hair_mask_is_hair():
    hair = _hair()
    ys, xs = np.nonzero(hair)
    assert hair.sum() > 8000  # a head of hair, not a few stray pixels
    assert ys.min() < FACE[1] - 30  # it rises well above the face box
    assert xs.min() < FACE[0] - 25 and xs.max() > FACE[2] + 25  # and spreads beside it


@pytest.mark.parametrize("face_width", [24, 48, 96, 192, 400, 700])
def test_the_whole_head_is_covered_hair_included_at_every_size(face_width):
    pixels, hair, box = _pasted(face_width)
    covered = _covered(pixels, box)
    assert covered[hair].all(), f"{(~covered[hair]).sum()} hair pixels left sharp"
    region = head_region(box, pixels.shape[1], pixels.shape[0])
    assert region.y <= box.y - 0.7 * box.h  # the hair above the face is in the region


@pytest.mark.parametrize("face_width", [48, 192, 700])
@pytest.mark.parametrize("shift", [(0.08, 0), (-0.08, 0), (0, 0.08), (0, -0.08)])
def test_a_box_a_little_off_still_covers_nearly_all_the_hair(face_width, shift):
    pixels, hair, box = _pasted(face_width)
    moved = Box(box.x + shift[0] * box.w, box.y + shift[1] * box.h, box.w, box.h)
    covered = _covered(pixels, moved)
    assert covered[hair].mean() >= 0.998
