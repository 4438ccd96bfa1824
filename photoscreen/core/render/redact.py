"""Irreversible face redaction on full-resolution pixels.

Every face is covered over its whole head, with a strength that follows the face's size,
in a way that cannot be undone (README rule 3). An ordinary Gaussian blur is never
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
from collections.abc import Callable, Sequence
from enum import Enum
from functools import partial

import cv2
import numpy as np
import numpy.typing as npt

from photoscreen.core.basics import Box

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

# Head margins as fractions of the face box. Detectors (CenterFace, and people drawing boxes) box
# the face tightly from eyebrows or hairline to chin and cheek to cheek. Hair rises about half a
# face height above that, so the top margin is the largest; ears and side hair need about half a
# face width each side; the chin and jaw need only a little. The ellipse's soft edge must still
# fall outside the hair: with 0.45 / 0.6 the top corners of the astronaut's hair (scikit-image)
# were left 1.2% sharp at every size, in plain view on a large face; 0.55 / 0.75 cover all of it,
# and all but 0.1% with the box 8% of a face off (tests/core/render/test_redact_heads.py). They
# are also chosen so that the ellipse inscribed in the head region contains the face box's corners
# inside its fully opaque core (see ``_ELLIPSE_CORE``): the soft edge lies on hair and background,
# never on the face.
_MARGIN_SIDE = 0.55
_MARGIN_TOP = 0.75
_MARGIN_BOTTOM = 0.35
# Inside this fraction of the ellipse's radius the redaction is fully opaque; it fades to
# nothing at the ellipse's edge. The face box's corners sit at 0.82 of the radius.
_ELLIPSE_CORE = 0.86

# Head rectangles of at least this many pixels are blended in strips around an opaque
# core; smaller ones in one call (measured: the crossover lies between 40,000 and
# 90,000 pixels).
_STRIPS_FROM_PIXELS = 60_000
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
    makes the noise reproducible (for tests); without it every call differs, and even
    averaging many calls recovers only the few cell colours (see the module docstring).
    Boxes may overlap or cross the image's border; empty ones are skipped. Raises
    ValueError for anything but an H x W x 3 uint8 image or an unknown style or shape.
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
    patch = out[y0 : y0 + int(region.h), x0 : x0 + int(region.w)]
    height, width = patch.shape[:2]
    left, top, right, bottom = _unclipped_head(box)
    # Geometry of the whole (unclipped) head relative to the patch, so a head cut by the
    # image border is redacted exactly as the same part of an uncut head would be.
    head = (left - x0, top - y0, right - left, bottom - top)
    alpha_of: Callable[[slice, slice], Floats]
    if style is RedactionStyle.STICKER:
        cover, mask = _sticker(width, height, head, shape)
        alpha_of = partial(_mask_alpha, mask)
    else:
        cover = _cover(patch, style, max(head[2], head[3]), rng)
        alpha_of = partial(_ellipse_alpha, head)
    if shape == "box":
        patch[...] = cover
    else:
        _blend_ellipse(patch, cover, head, alpha_of)


def _cover(
    patch: Pixels, style: RedactionStyle, head_size: float, rng: np.random.Generator
) -> Pixels:
    """The replacement pixels for BLUR, MOSAIC or FILL, the patch's size."""
    height, width = patch.shape[:2]
    if style is RedactionStyle.FILL:
        return _solid(height, width, NEUTRAL_FILL)
    # One cell is an eighth of the whole head, whatever part of it the image shows, so the
    # strength follows the face's size and a clipped head is not reduced more finely.
    cell = max(head_size / CELLS_ACROSS, 1.0)
    cols = min(max(round(width / cell), 1), CELLS_ACROSS)
    rows = min(max(round(height / cell), 1), CELLS_ACROSS)
    cells: Floats = np.asarray(_area_average(patch, cols, rows), dtype=np.float32)
    cells += rng.normal(0.0, CELL_NOISE, size=cells.shape).astype(np.float32)
    cells_u8 = np.clip(np.rint(cells), 0, 255).astype(np.uint8)
    if style is RedactionStyle.MOSAIC:
        return _as_pixels(cv2.resize(cells_u8, (width, height), interpolation=cv2.INTER_NEAREST))
    return _smooth_up(cells_u8, width, height)


def _area_average(patch: Pixels, cols: int, rows: int) -> Pixels:
    """``patch`` averaged down to ``cols`` x ``rows`` cells.

    A big patch is first averaged by a whole factor, which OpenCV does several times
    faster than one reduction to an odd size; it still averages every pixel.
    """
    height, width = patch.shape[:2]
    factor = min(width // (cols * 4), height // (rows * 4))
    if factor >= 2:
        patch = _as_pixels(
            cv2.resize(patch, None, fx=1 / factor, fy=1 / factor, interpolation=cv2.INTER_AREA)
        )
    return _as_pixels(cv2.resize(patch, (cols, rows), interpolation=cv2.INTER_AREA))


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


def _blend_ellipse(
    patch: Pixels,
    cover: Pixels,
    head: tuple[float, float, float, float],
    alpha_of: Callable[[slice, slice], Floats],
) -> None:
    """Writes ``cover`` over ``patch`` through the head's soft-edged ellipse, in place.

    The rectangle inscribed in the ellipse's opaque core is copied outright; only the four
    strips around it, where the edge fades, are blended. That halves the work on big faces;
    small ones are blended in one go, as four strips would cost more in calls than pixels.
    """
    height, width = patch.shape[:2]
    hx, hy, hw, hh = head
    # Half-sides of the largest rectangle inside the core, shrunk a hair for rounding.
    kx, ky = (_ELLIPSE_CORE / math.sqrt(2) * 0.999 * v / 2 for v in (hw, hh))
    cx, cy = hx + hw / 2, hy + hh / 2
    ix0, ix1 = (min(max(v, 0), width) for v in (math.ceil(cx - kx), math.floor(cx + kx)))
    iy0, iy1 = (min(max(v, 0), height) for v in (math.ceil(cy - ky), math.floor(cy + ky)))
    if ix0 >= ix1 or iy0 >= iy1 or height * width < _STRIPS_FROM_PIXELS:
        # Nothing to copy outright, or too small for the split to pay: blend it all.
        ix0 = ix1 = iy0 = iy1 = 0
    patch[iy0:iy1, ix0:ix1] = cover[iy0:iy1, ix0:ix1]
    strips = (
        (slice(0, iy0), slice(0, width)),
        (slice(iy1, height), slice(0, width)),
        (slice(iy0, iy1), slice(0, ix0)),
        (slice(iy0, iy1), slice(ix1, width)),
    )
    for rows, cols in strips:
        if rows.stop > rows.start and cols.stop > cols.start:
            alpha = alpha_of(rows, cols)
            # (cover * a + patch * (1 - a)) / (1 + 1e-5): where a is 0 that is within
            # 0.003 of the original value, which rounds back to it exactly.
            blended = cv2.blendLinear(cover[rows, cols], patch[rows, cols], alpha, 1.0 - alpha)
            patch[rows, cols] = blended


def _ellipse_alpha(head: tuple[float, float, float, float], rows: slice, cols: slice) -> Floats:
    """Opacity of the soft-edged ellipse inscribed in ``head`` over part of a patch."""
    hx, hy, hw, hh = head
    # Pixel centres, in units of the ellipse's semi-axes: worked out in float64 (a sliver
    # of a box would round to 0 in float32), clipped (beyond 2 is outside anyway), then
    # float32 for speed over the grid.
    xs = (np.arange(cols.start, cols.stop) + 0.5 - (hx + hw / 2)) / (hw / 2)
    ys = (np.arange(rows.start, rows.stop) + 0.5 - (hy + hh / 2)) / (hh / 2)
    xs2 = np.square(np.clip(xs, -2, 2)).astype(np.float32)
    ys2 = np.square(np.clip(ys, -2, 2)).astype(np.float32)
    # In place, pass by pass: this runs over hundreds of thousands of pixels per big face.
    alpha: Floats = np.add.outer(ys2, xs2)
    np.sqrt(alpha, out=alpha)
    alpha -= 1.0
    alpha *= np.float32(-1.0 / (1.0 - _ELLIPSE_CORE))
    np.clip(alpha, 0.0, 1.0, out=alpha)
    return alpha


def _mask_alpha(mask: Pixels | None, rows: slice, cols: slice) -> Floats:
    """Opacity from an 8-bit mask over part of a patch (no mask: fully opaque)."""
    if mask is None:
        return np.ones((rows.stop - rows.start, cols.stop - cols.start), dtype=np.float32)
    alpha: Floats = mask[rows, cols].astype(np.float32)
    alpha *= np.float32(1.0 / 255.0)
    return alpha


def _solid(height: int, width: int, colour: tuple[int, int, int]) -> Pixels:
    """A ``height`` x ``width`` image of one colour.

    Filled from one prepared row: broadcasting a 3-value colour over a whole image is
    about a hundred times slower in numpy.
    """
    row = np.empty((1, width, 3), dtype=np.uint8)
    row[...] = colour
    image = np.empty((height, width, 3), dtype=np.uint8)
    image[...] = row
    return image


class _HeadPen:
    """Draws on a patch in head units: (0, 0) is the head's centre, 1 a semi-axis.

    Coordinates become OpenCV fixed-point pixels (``SHIFT`` fractional bits) for smooth
    sub-pixel drawing; OpenCV puts pixel centres on whole numbers, hence the half pixel.
    """

    SHIFT = 4

    def __init__(self, head: tuple[float, float, float, float]) -> None:
        hx, hy, hw, hh = head
        self.cx, self.cy, self.ax, self.ay = hx + hw / 2, hy + hh / 2, hw / 2, hh / 2
        self.scale = 1 << self.SHIFT

    def point(self, u: float, v: float) -> tuple[int, int]:
        x, y = self.cx + u * self.ax - 0.5, self.cy + v * self.ay - 0.5
        return round(x * self.scale), round(y * self.scale)

    def axes(self, u: float, v: float) -> tuple[int, int]:
        return round(u * self.ax * self.scale), round(v * self.ay * self.scale)

    def ellipse(
        self,
        image: Pixels,
        u: float,
        v: float,
        axes: tuple[float, float],
        arc: tuple[int, int],
        colour: tuple[int, int, int] | int,
        thickness: int,
    ) -> None:
        cv2.ellipse(
            image,
            self.point(u, v),
            self.axes(*axes),
            0,
            arc[0],
            arc[1],
            colour,
            thickness,
            cv2.LINE_AA,
            self.SHIFT,
        )


def _sticker(
    width: int, height: int, head: tuple[float, float, float, float], shape: str
) -> tuple[Pixels, Pixels | None]:
    """A smiley covering the head, drawn with anti-aliasing: its pixels and 8-bit opacity.

    Drawn in the unclipped head's coordinates (cv2 clips to the patch). The round
    sticker's opacity is its own outline, solid over the whole face box and soft only
    along its anti-aliased rim; the square one is opaque everywhere (no mask).
    """
    pen = _HeadPen(head)
    ink = max(round(min(pen.ax, pen.ay) * 0.07), 1)
    art = _solid(height, width, _STICKER_FACE)
    mask = None
    if shape == "ellipse":
        mask = np.zeros((height, width), dtype=np.uint8)
        # A pixel and a half inside the head's ellipse: the anti-aliased rim spills that
        # far outwards (measured), and the photo must stay untouched beyond the ellipse.
        rim = (max(pen.ax - 1.5, pen.ax * 0.9) / pen.ax, max(pen.ay - 1.5, pen.ay * 0.9) / pen.ay)
        pen.ellipse(mask, 0, 0, rim, (0, 360), 255, -1)
        pen.ellipse(art, 0, 0, (rim[0] - 0.04, rim[1] - 0.04), (0, 360), _STICKER_INK, ink)
    else:
        corners = pen.point(-0.97, -0.97), pen.point(0.97, 0.97)
        cv2.rectangle(art, *corners, _STICKER_INK, ink, cv2.LINE_AA, pen.SHIFT)
    for side in (-1, 1):
        pen.ellipse(art, 0.33 * side, -0.22, (0.09, 0.14), (0, 360), _STICKER_INK, -1)
    pen.ellipse(art, 0, 0.05, (0.5, 0.42), (20, 160), _STICKER_INK, ink * 2)
    return art, mask


def _as_pixels(array: npt.NDArray[np.generic]) -> Pixels:
    """Narrows an OpenCV result to the uint8 image type (cv2 is untyped)."""
    return np.asarray(array, dtype=np.uint8)
