"""Irreversible face redaction on full-resolution pixels.

Every face is covered over its whole head, with a strength that follows the face's size,
in a way that cannot be undone (DESIGN.md invariant 3). An ordinary Gaussian blur is never
used: it only attenuates fine detail, so sharpening or deconvolution brings much of a face
back. Instead, each style throws the detail away:

- ``BLUR`` (the default) area-averages the head down to at most ``CELLS_ACROSS`` values
  across, adds random noise to those few values and smooths them back up. It reads as a
  soft blur, but the redacted area is a function of about 8 x 8 noisy colours and nothing
  else, so there is nothing left to sharpen.
- ``MOSAIC`` is the same reduction shown as hard blocks.
- ``FILL`` paints a neutral colour; ``STICKER`` paints a smiley drawn here in code.

Why fresh noise each time (no ``seed``): exporting the same photo twice gives two different
redactions. Averaging many of them cancels the noise, but all it can recover is the 8 x 8
average colours the noise sat on; every finer detail was discarded by the reduction
before any noise was added, so no amount of averaging brings a face back. The noise makes
even those few colours uncertain in a single export.

Only each head's bounding rectangle is read and written, so a 12-megapixel photo costs one
full copy (the output) plus work proportional to the faces' area.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import Enum

import cv2
import numpy as np
import numpy.typing as npt

from photoscreen.core.geometry import Box

Pixels = npt.NDArray[np.uint8]
Floats = npt.NDArray[np.float32]

# At most this many averaged values across the head region's longer side. With the head
# margins below, the face itself spans about 4 of them: far too few to recognise anyone.
CELLS_ACROSS = 8
# Standard deviation, in 0-255 levels, of the noise added to each averaged value.
CELL_NOISE = 10.0
# Cells are smoothed back up through a small intermediate grid (this many samples per
# cell), where a light blur is cheap, then enlarged linearly to full size.
_SMOOTH_SAMPLES_PER_CELL = 4

# Head margins as fractions of the face box. Detectors (CenterFace, and people drawing
# boxes) box the face tightly from eyebrows or hairline to chin and cheek to cheek. Hair
# rises about half a face height above that, so the top margin is the largest; ears and
# side hair need a bit less than half a face width each side; the chin and jaw need only a
# little. They are also chosen so that the ellipse inscribed in the head region still
# contains the face box's corners inside its fully opaque core (see ``_ELLIPSE_CORE``):
# the soft edge of the ellipse lies on hair and background, never on the face.
_MARGIN_SIDE = 0.45
_MARGIN_TOP = 0.6
_MARGIN_BOTTOM = 0.35
# Inside this fraction of the ellipse's radius the redaction is fully opaque; it fades to
# nothing at the ellipse's edge. The face box's corners sit at 0.83 of the radius.
_ELLIPSE_CORE = 0.86

# Smaller boxes are empty: nothing of a face fits in them, and their head geometry would
# drown in rounding.
_MIN_FACE_PX = 0.5

NEUTRAL_FILL = (128, 128, 128)
_STICKER_FACE = (255, 204, 51)
_STICKER_INK = (92, 58, 20)


class RedactionStyle(str, Enum):
    """How a face is covered. Every style discards the face; they differ in looks."""

    BLUR = "blur"
    FILL = "fill"
    MOSAIC = "mosaic"
    STICKER = "sticker"


def head_region(box: Box, image_width: int, image_height: int) -> Box:
    """The region actually redacted for a face ``box``: the whole head, pixel-aligned.

    The face box is grown by the head margins above, snapped outwards to whole pixels and
    clipped to the image. A non-finite or off-image box, or one under half a pixel wide or
    high (no face fits in it), gives an empty region (zero width or height).
    """
    values = (box.x, box.y, box.w, box.h)
    if not all(math.isfinite(v) for v in values) or min(box.w, box.h) < _MIN_FACE_PX:
        return Box(0.0, 0.0, 0.0, 0.0)
    left, top, right, bottom = _unclipped_head(box)
    left_px = min(max(math.floor(left), 0), image_width)
    top_px = min(max(math.floor(top), 0), image_height)
    right_px = max(min(math.ceil(right), image_width), left_px)
    bottom_px = max(min(math.ceil(bottom), image_height), top_px)
    return Box(float(left_px), float(top_px), float(right_px - left_px), float(bottom_px - top_px))


def _unclipped_head(box: Box) -> tuple[float, float, float, float]:
    """Left, top, right and bottom of the head around ``box``, before clipping."""
    return (
        box.x - _MARGIN_SIDE * box.w,
        box.y - _MARGIN_TOP * box.h,
        box.right + _MARGIN_SIDE * box.w,
        box.bottom + _MARGIN_BOTTOM * box.h,
    )


def redact_faces(
    pixels: Pixels,
    boxes: Sequence[Box],
    style: RedactionStyle = RedactionStyle.BLUR,
    *,
    shape: str = "ellipse",
    seed: int | None = None,
) -> Pixels:
    """A copy of ``pixels`` (H x W x 3 uint8) with every face in ``boxes`` redacted.

    Boxes are in ``pixels``' own coordinates. ``shape`` is ``"ellipse"`` (soft-edged,
    the edge outside the face) or ``"box"`` (the whole head rectangle). Pixels outside
    every head region are returned bit for bit; the input is never modified. ``seed``
    makes the noise reproducible (for tests); without it every call differs.
    """
    _check_pixels(pixels)
    style = RedactionStyle(style)
    if shape not in ("ellipse", "box"):
        raise ValueError(f'Unknown redaction shape {shape!r}: use "ellipse" or "box".')
    rng = np.random.default_rng(seed)
    out = pixels.copy()
    height, width = pixels.shape[:2]
    for box in boxes:
        region = head_region(box, width, height)
        if region.w < 1 or region.h < 1:
            continue
        _redact_one(out, box, region, style, shape, rng)
    return out


def _check_pixels(pixels: Pixels) -> None:
    """Refuses anything but an H x W x 3 uint8 image, in plain words."""
    if not isinstance(pixels, np.ndarray):
        raise TypeError(f"Expected the photo's pixels as a numpy array, got {type(pixels)}.")
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 3:
        raise ValueError(
            "Expected the photo's pixels as height x width x 3 (RGB) 8-bit values, "
            f"got shape {pixels.shape} of {pixels.dtype}."
        )


def _redact_one(
    out: Pixels,
    box: Box,
    region: Box,
    style: RedactionStyle,
    shape: str,
    rng: np.random.Generator,
) -> None:
    """Redacts one head, reading and writing only its rectangle of ``out``."""
    x0, y0 = int(region.x), int(region.y)
    x1, y1 = x0 + int(region.w), y0 + int(region.h)
    patch = out[y0:y1, x0:x1]
    left, top, right, bottom = _unclipped_head(box)
    # Geometry of the whole (unclipped) head relative to the patch, so a head cut by the
    # image border is redacted exactly as the same part of an uncut head would be.
    head = (left - x0, top - y0, right - left, bottom - top)
    alpha: Floats | None
    if style is RedactionStyle.STICKER:
        cover, alpha = _sticker(patch.shape[1], patch.shape[0], head, shape)
    else:
        cover = _cover(patch, style, max(head[2], head[3]), rng)
        alpha = _ellipse_alpha(patch.shape[1], patch.shape[0], head) if shape == "ellipse" else None
    _blend_into(patch, cover, alpha)


def _cover(
    patch: Pixels, style: RedactionStyle, head_size: float, rng: np.random.Generator
) -> Pixels:
    """The replacement pixels for BLUR, MOSAIC or FILL, the patch's size."""
    height, width = patch.shape[:2]
    if style is RedactionStyle.FILL:
        return np.broadcast_to(np.array(NEUTRAL_FILL, dtype=np.uint8), patch.shape)
    # One cell is an eighth of the whole head, whatever part of it the image shows, so the
    # strength follows the face's size and a clipped head is not reduced more finely.
    cell = max(head_size / CELLS_ACROSS, 1.0)
    cols = min(max(round(width / cell), 1), CELLS_ACROSS)
    rows = min(max(round(height / cell), 1), CELLS_ACROSS)
    cells: Floats = np.asarray(
        cv2.resize(patch, (cols, rows), interpolation=cv2.INTER_AREA), dtype=np.float32
    )
    cells += rng.normal(0.0, CELL_NOISE, size=cells.shape).astype(np.float32)
    cells_u8 = np.clip(np.rint(cells), 0, 255).astype(np.uint8)
    if style is RedactionStyle.MOSAIC:
        return _as_pixels(cv2.resize(cells_u8, (width, height), interpolation=cv2.INTER_NEAREST))
    return _smooth_up(cells_u8, width, height)


def _smooth_up(cells: Pixels, width: int, height: int) -> Pixels:
    """Enlarges a few cells to ``width`` x ``height`` as a smooth, blur-like surface.

    Cubic interpolation to a small grid, a light blur there to hide the cell pattern, then
    linear enlargement: cheap at any size, and everything comes from ``cells`` alone.
    """
    rows, cols = cells.shape[:2]
    fine_w = min(cols * _SMOOTH_SAMPLES_PER_CELL, width)
    fine_h = min(rows * _SMOOTH_SAMPLES_PER_CELL, height)
    fine = cv2.resize(cells, (fine_w, fine_h), interpolation=cv2.INTER_CUBIC)
    sigma = _SMOOTH_SAMPLES_PER_CELL * 0.8
    fine = cv2.GaussianBlur(fine, (0, 0), sigma, borderType=cv2.BORDER_REPLICATE)
    return _as_pixels(cv2.resize(fine, (width, height), interpolation=cv2.INTER_LINEAR))


def _ellipse_alpha(width: int, height: int, head: tuple[float, float, float, float]) -> Floats:
    """Opacity of the soft-edged ellipse inscribed in ``head``, over a patch."""
    hx, hy, hw, hh = head
    # Pixel centres, in units of the ellipse's semi-axes: worked out in float64 (a sliver
    # of a box would round to 0 in float32), clipped (beyond 2 is outside anyway), then
    # float32 for speed over the grid.
    xs = np.clip((np.arange(width) + 0.5 - (hx + hw / 2)) / (hw / 2), -2, 2).astype(np.float32)
    ys = np.clip((np.arange(height) + 0.5 - (hy + hh / 2)) / (hh / 2), -2, 2).astype(np.float32)
    radius = np.sqrt(ys[:, None] ** 2 + xs[None, :] ** 2)
    alpha: Floats = np.clip((1.0 - radius) / np.float32(1.0 - _ELLIPSE_CORE), 0.0, 1.0)
    return alpha


def _blend_into(patch: Pixels, cover: Pixels, alpha: Floats | None) -> None:
    """Writes ``cover`` over ``patch`` in place, through ``alpha`` when given.

    Where alpha is 0 the original value comes back exactly (x + 0 in float32 is exact).
    """
    if alpha is None:
        patch[...] = cover
        return
    base = patch.astype(np.float32)
    mixed = base + (cover.astype(np.float32) - base) * alpha[:, :, None]
    patch[...] = np.clip(np.rint(mixed), 0, 255).astype(np.uint8)


def _sticker(
    width: int, height: int, head: tuple[float, float, float, float], shape: str
) -> tuple[Pixels, Floats]:
    """A smiley covering the head, drawn with anti-aliasing: its pixels and opacity.

    Drawn in the unclipped head's coordinates (cv2 clips to the patch), with a fixed-point
    shift for sub-pixel precision. The opacity is the sticker's own outline, so it is
    solid over the whole face box and soft only along its anti-aliased rim.
    """
    shift = 4
    scale = 1 << shift
    hx, hy, hw, hh = head
    cx, cy, ax, ay = hx + hw / 2, hy + hh / 2, hw / 2, hh / 2

    def pt(u: float, v: float) -> tuple[int, int]:
        # (u, v) in units of the semi-axes from the head's centre, to fixed-point pixels.
        return round((cx + u * ax - 0.5) * scale), round((cy + v * ay - 0.5) * scale)

    def size(u: float, v: float) -> tuple[int, int]:
        return round(u * ax * scale), round(v * ay * scale)

    ink = max(round(min(ax, ay) * 0.07), 1)
    mask = np.zeros((height, width), dtype=np.uint8)
    art = np.empty((height, width, 3), dtype=np.uint8)
    art[...] = _STICKER_FACE
    aa = cv2.LINE_AA
    if shape == "ellipse":
        cv2.ellipse(mask, pt(0, 0), size(1, 1), 0, 0, 360, 255, -1, aa, shift)
        cv2.ellipse(art, pt(0, 0), size(0.97, 0.97), 0, 0, 360, _STICKER_INK, ink, aa, shift)
    else:
        mask[...] = 255
        cv2.rectangle(art, pt(-0.97, -0.97), pt(0.97, 0.97), _STICKER_INK, ink, aa, shift)
    for side in (-1, 1):
        cv2.ellipse(
            art, pt(0.33 * side, -0.22), size(0.09, 0.14), 0, 0, 360, _STICKER_INK, -1, aa, shift
        )
    cv2.ellipse(art, pt(0, 0.05), size(0.5, 0.42), 0, 20, 160, _STICKER_INK, ink * 2, aa, shift)
    return art, (mask.astype(np.float32) / 255.0)


def _as_pixels(array: npt.NDArray[np.generic]) -> Pixels:
    """Narrows an OpenCV result to the uint8 image type (cv2 is untyped)."""
    return np.asarray(array, dtype=np.uint8)
