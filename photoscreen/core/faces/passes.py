"""Running CenterFace over a photo at several resolutions: resizing, tiling, mirroring.

A *pass* looks at the whole photo at one input size (its long side in network pixels).
A fine pass (``tiled``) whose input would be longer than :data:`MAX_TILE_SIDE` on a side is
cut into overlapping tiles. Tiles bound the memory of a run (ONNX Runtime needs about
120 bytes per input pixel while a run lasts, and two run side by side; a ``cv2.dnn`` net
keeps buffers for the largest input it has run for its lifetime), and small inputs run
faster per pixel (CPU caches): 0.57-0.61x of cv2.dnn's time per pixel at 320-576 px,
0.82x at 896 (docs/faces-benchmark.md, "Memory").

Faces on tile borders: neighbouring tiles overlap by :data:`TILE_OVERLAP` input pixels,
more than the largest face a tiled pass is trusted with (:data:`TILED_MAX_FACE`), so a face
cut by one tile's inner edge lies whole inside the next tile. A box that touches an inner
edge is dropped when another tile contains it whole; that tile's copy of the face stands.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

import cv2
import numpy as np
import numpy.typing as npt

from photoscreen.core.faces.centerface import (
    SIDE_MULTIPLE,
    STRIDE,
    CenterFaceMaps,
    CenterFaceNet,
    FloatArray,
    decode_peaks,
)

# A pass is cut into tiles when its input would be longer than this on a side: two
# 608 x 560 tiles of a 12 MP photo's fine pass run side by side in ~90 MB less than two
# 736 x 704 ones; each smaller step costs more overlap work (docs/faces-benchmark.md).
MAX_TILE_SIDE = 640
TILE_OVERLAP = 128
# A box within this many input pixels of an inner tile edge counts as touching it.
EDGE_MARGIN = 2 * STRIDE
# Faces bigger than this (input px) may be cut by every tile holding them; the whole-photo
# passes, which see the photo smaller, are the ones that find them. In default mode a fine
# pass is at most 2496 / 576 times the whole-photo pass beside it, where this is still
# 26 px: a size CenterFace scores confidently.
TILED_MAX_FACE = TILE_OVERLAP - 2 * EDGE_MARGIN
# Two boxes of one pass with at least this overlap are the same face (CenterFace's usual).
PASS_NMS_IOU = 0.3

# A tile as (x0, y0, x1, y1) in the pass's input pixels.
Tile = tuple[int, int, int, int]
Pixels = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class PassSpec:
    """One look at the photo: at ``long_side`` network pixels, optionally also mirrored.

    ``gate``: its weak peaks say where a ``gated`` fine pass looks (see
    :mod:`photoscreen.core.faces.windows`); ``gated``: a fine pass that looks only there.
    """

    long_side: int
    mirrored: bool
    tiled: bool = False
    gate: bool = False
    gated: bool = False

    @property
    def label(self) -> str:
        kind = ("t" if self.tiled else "") + ("w" if self.gated else "")
        return f"{kind}{self.long_side}{'m' if self.mirrored else ''}{'g' if self.gate else ''}"


@dataclass(frozen=True)
class PassResult:
    """Boxes ``(x1, y1, x2, y2, score)`` in full-resolution pixels from one pass.

    ``zoom`` is network input pixels per full-resolution pixel; ``max_face`` is the biggest
    face (input px) the pass is trusted with, and ``regions`` (rows ``x1, y1, x2, y2`` in
    full-resolution pixels) where it looked, None for the whole photo: so fusion can tell
    which passes could have seen a given face.
    """

    boxes: FloatArray
    zoom: float
    max_face: float
    regions: FloatArray | None = None

    def above(self, floor: float) -> PassResult:
        """This result with only the boxes scoring ``floor`` or more."""
        return replace(self, boxes=self.boxes[self.boxes[:, 4] >= floor])

    def looked_at(self, x: float, y: float) -> bool:
        """Whether the point ``(x, y)`` (full-resolution pixels) was in what this pass saw."""
        if self.regions is None:
            return True
        r = self.regions
        return bool(np.any((r[:, 0] <= x) & (x <= r[:, 2]) & (r[:, 1] <= y) & (y <= r[:, 3])))


def nms(boxes: FloatArray, iou_threshold: float) -> FloatArray:
    """Greedy non-maximum suppression on ``(x1, y1, x2, y2, score)`` rows, best first."""
    if len(boxes) == 0:
        return boxes
    boxes = boxes[np.argsort(-boxes[:, 4], kind="stable")]
    overlap = iou_matrix(boxes[:, :4], boxes[:, :4])
    suppressed = np.zeros(len(boxes), dtype=bool)
    keep = []
    for index in range(len(boxes)):
        if suppressed[index]:
            continue
        keep.append(index)
        suppressed |= overlap[index] >= iou_threshold
    return boxes[keep]


def iou_matrix(first: FloatArray, second: FloatArray) -> FloatArray:
    """Pairwise intersection over union of ``(x1, y1, x2, y2)`` rows."""
    inter_w = np.minimum(first[:, None, 2], second[None, :, 2]) - np.maximum(
        first[:, None, 0], second[None, :, 0]
    )
    inter_h = np.minimum(first[:, None, 3], second[None, :, 3]) - np.maximum(
        first[:, None, 1], second[None, :, 1]
    )
    inter = np.clip(inter_w, 0, None) * np.clip(inter_h, 0, None)
    area_1 = (first[:, 2] - first[:, 0]) * (first[:, 3] - first[:, 1])
    area_2 = (second[:, 2] - second[:, 0]) * (second[:, 3] - second[:, 1])
    union = area_1[:, None] + area_2[None, :] - inter
    result: FloatArray = np.where(union > 0, inter / np.maximum(union, 1e-9), 0.0).astype(
        np.float32
    )
    return result


def _network_size(width: int, height: int, long_side: int) -> tuple[int, int]:
    """Input size for a photo of ``width`` x ``height`` at ``long_side``, sides rounded to 32."""
    factor = long_side / max(width, height)

    def side(pixels: int) -> int:
        return max(SIDE_MULTIPLE, round(pixels * factor / SIDE_MULTIPLE) * SIDE_MULTIPLE)

    return side(width), side(height)


def tile_spans(length: int) -> list[tuple[int, int]]:
    """Tiles ``(start, end)`` along one side: as few as fit MAX_TILE_SIDE, overlapping.

    The tiles share the side evenly (rather than fixed-size tiles and a sliver at the
    end), and are the smallest that keep ``TILE_OVERLAP`` at every cut once their origins
    snap to the grid, so the extra work of the overlaps stays near ``TILE_OVERLAP`` per cut.
    """
    if length <= MAX_TILE_SIDE:
        return [(0, length)]
    count = math.ceil((length - TILE_OVERLAP) / (MAX_TILE_SIDE - TILE_OVERLAP - SIDE_MULTIPLE))
    smallest = length + (count - 1) * TILE_OVERLAP
    # One grid step of slack per cut always suffices (origins snap by at most half a step).
    largest = length + (count - 1) * (TILE_OVERLAP + SIDE_MULTIPLE)
    for side in range(_grid_ceil(smallest / count), _grid_ceil(largest / count) + 1, SIDE_MULTIPLE):
        spans = _even_spans(length, count, side)
        if all(end - start >= TILE_OVERLAP for (_, end), (start, _) in itertools.pairwise(spans)):
            return spans
    return _even_spans(length, count, _grid_ceil(largest / count))


def _grid_ceil(value: float) -> int:
    return math.ceil(value / SIDE_MULTIPLE) * SIDE_MULTIPLE


def _even_spans(length: int, count: int, side: int) -> list[tuple[int, int]]:
    """``count`` tiles of ``side`` spread evenly over ``length``, origins on the grid."""
    step = (length - side) / (count - 1)
    # Origins on the 32-pixel grid keep every tile's heatmap cells aligned with the photo's.
    starts = [round(i * step / SIDE_MULTIPLE) * SIDE_MULTIPLE for i in range(count)]
    starts[-1] = length - side
    return [(start, start + side) for start in starts]


def inside_tile(box: FloatArray, tile: Tile, width: int, height: int) -> bool:
    """Whether ``box`` lies in ``tile`` clear of the tile's inner edges."""
    x0, y0, x1, y1 = tile
    return bool(
        box[0] >= (x0 + EDGE_MARGIN if x0 > 0 else -np.inf)
        and box[1] >= (y0 + EDGE_MARGIN if y0 > 0 else -np.inf)
        and box[2] <= (x1 - EDGE_MARGIN if x1 < width else np.inf)
        and box[3] <= (y1 - EDGE_MARGIN if y1 < height else np.inf)
    )


def _drop_edge_cuts(
    boxes: FloatArray, tile: Tile, tiles: list[Tile], width: int, height: int
) -> FloatArray:
    """Drop boxes touching an inner edge of ``tile`` that another tile holds whole."""
    keep = [
        inside_tile(box, tile, width, height)
        or not any(inside_tile(box, other, width, height) for other in tiles if other != tile)
        for box in boxes
    ]
    return boxes[np.asarray(keep, dtype=bool)] if len(boxes) else boxes


@dataclass(frozen=True)
class PassInput:
    """The photo at some size, and its zoom per axis (pixels per full-resolution pixel)."""

    pixels: npt.NDArray[np.uint8]
    zoom_x: float
    zoom_y: float

    def at(self, long_side: int) -> PassInput:
        """This photo resized to a pass's network input of ``long_side`` (sides on the grid)."""
        height, width = self.pixels.shape[:2]
        net_w, net_h = _network_size(width, height, long_side)
        if (net_w, net_h) == (width, height):
            return self
        # INTER_AREA when shrinking: it averages, so small faces are not aliased away.
        interpolation = cv2.INTER_AREA if net_w < width else cv2.INTER_LINEAR
        resized = cv2.resize(self.pixels, (net_w, net_h), interpolation=interpolation)
        return PassInput(
            np.asarray(resized, dtype=np.uint8),
            self.zoom_x * net_w / width,
            self.zoom_y * net_h / height,
        )


def _tiles(pixels: npt.NDArray[np.uint8], spec: PassSpec) -> list[Tile]:
    """The tiles a pass looks at: the whole input, or overlapping tiles of a fine pass."""
    height, width = pixels.shape[:2]
    if not spec.tiled:
        return [(0, 0, width, height)]
    return [(x0, y0, x1, y1) for y0, y1 in tile_spans(height) for x0, x1 in tile_spans(width)]


def _crops(pixels: npt.NDArray[np.uint8], tiles: list[Tile], mirrored: bool) -> list[Pixels]:
    """The network inputs of one pass: each tile, and its mirror image when ``mirrored``."""
    crops = []
    for x0, y0, x1, y1 in tiles:
        crop = np.ascontiguousarray(pixels[y0:y1, x0:x1])
        crops.append(crop)
        if mirrored:
            crops.append(np.ascontiguousarray(crop[:, ::-1]))
    return crops


def run_passes(
    net: CenterFaceNet, passes: list[tuple[PassInput, PassSpec]], floors: list[float]
) -> list[PassResult]:
    """Run every pass (each ``PassInput`` already at its pass's input size, see
    :meth:`PassInput.at`) and return each pass's boxes in full-resolution pixels.

    All the network inputs of all passes go to the net at once, so a net that can run
    several side by side (ONNX Runtime, see :meth:`CenterFaceNet.run_many`) keeps every
    core busy. ``floors`` are each pass's lowest heatmap score kept (below the lowest
    band, so fusion sees weak votes; lower for a gate, whose weak peaks guide a fine pass).
    """
    tiles = [_tiles(given.pixels, spec) for given, spec in passes]
    crops = [
        _crops(given.pixels, t, spec.mirrored)
        for (given, spec), t in zip(passes, tiles, strict=True)
    ]
    answers = iter(net.run_many([crop for group in crops for crop in group]))
    results = []
    for (given, spec), pass_tiles, floor in zip(passes, tiles, floors, strict=True):
        height, width = given.pixels.shape[:2]
        found = []
        for tile in pass_tiles:
            maps = next(answers)
            if spec.mirrored:
                maps = CenterFaceMaps.average(maps, next(answers).mirrored())
            boxes = decode_peaks(maps, floor)
            boxes[:, [0, 2]] += tile[0]
            boxes[:, [1, 3]] += tile[1]
            found.append(_drop_edge_cuts(boxes, tile, pass_tiles, width, height))
        results.append(_pass_result(np.concatenate(found), given, len(pass_tiles) > 1))
    return results


def _pass_result(boxes: FloatArray, given: PassInput, split: bool) -> PassResult:
    """One pass's boxes, merged and mapped to full-resolution pixels."""
    boxes = nms(boxes, PASS_NMS_IOU)
    boxes[:, [0, 2]] /= given.zoom_x
    boxes[:, [1, 3]] /= given.zoom_y
    max_face = float(TILED_MAX_FACE) if split else float(max(given.pixels.shape[:2]))
    return PassResult(boxes, zoom=(given.zoom_x + given.zoom_y) / 2, max_face=max_face)
