"""Running CenterFace over a photo at one resolution: resizing, tiling, mirroring, peaks.

A *pass* looks at the whole photo at one input size (its long side in network pixels).
A fine pass (``tiled``) whose input would be longer than :data:`MAX_TILE_SIDE` on a side is
cut into overlapping tiles, which bounds the network's memory (its first layers hold 32
channels at half the input size) on big photos. Photos of one camera give tiles of one
shape, which matters: OpenCV re-plans a net for each new input shape, at the cost of
about one extra inference.

Faces on tile borders: neighbouring tiles overlap by :data:`TILE_OVERLAP` input pixels,
more than the largest face a tiled pass is trusted with (:data:`TILED_MAX_FACE`), so a face
cut by one tile's inner edge lies whole inside the next tile. A box that touches an inner
edge is dropped when another tile contains it whole; that tile's copy of the face stands.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from photoscreen.core.centerface import (
    SIDE_MULTIPLE,
    STRIDE,
    CenterFaceMaps,
    CenterFaceNet,
    FloatArray,
    decode,
)

# A pass is cut into tiles when its input would be longer than this on a side.
MAX_TILE_SIDE = 2048
TILE_OVERLAP = 192
# Faces bigger than this (input px) may be cut by every tile holding them; the whole-photo
# passes, which see the photo smaller, are the ones that find them.
TILED_MAX_FACE = TILE_OVERLAP - 2 * STRIDE
# A box within this many input pixels of an inner tile edge counts as touching it.
EDGE_MARGIN = 2 * STRIDE
# Two boxes of one pass with at least this overlap are the same face (CenterFace's usual).
PASS_NMS_IOU = 0.3

# A tile as (x0, y0, x1, y1) in the pass's input pixels.
Tile = tuple[int, int, int, int]


@dataclass(frozen=True)
class PassSpec:
    """One look at the photo: at ``long_side`` network pixels, optionally also mirrored."""

    long_side: int
    mirrored: bool
    tiled: bool = False

    @property
    def label(self) -> str:
        return f"{'t' if self.tiled else ''}{self.long_side}{'m' if self.mirrored else ''}"


@dataclass(frozen=True)
class PassResult:
    """Boxes ``(x1, y1, x2, y2, score)`` in full-resolution pixels from one pass.

    ``zoom`` is network input pixels per full-resolution pixel; ``max_face`` is the biggest
    face (input px) the pass is trusted with, so fusion can tell which passes could have
    seen a given face.
    """

    boxes: FloatArray
    zoom: float
    max_face: float


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


def _keep_peaks(maps: CenterFaceMaps) -> CenterFaceMaps:
    """Zero every heatmap cell that is not the maximum of its 3x3 neighbourhood.

    A face lights up a small blob of cells; keeping its peak gives one proposal per face
    instead of a cluster that NMS must thin out (and sometimes fails to, on tiny faces).
    """
    neighbourhood_max = cv2.dilate(maps.heatmap, np.ones((3, 3), np.uint8))
    peaks = np.where(maps.heatmap >= neighbourhood_max, maps.heatmap, np.float32(0))
    return CenterFaceMaps(peaks.astype(np.float32), maps.scale, maps.offset)


def _look(net: CenterFaceNet, rgb: npt.NDArray[np.uint8], mirrored: bool) -> CenterFaceMaps:
    """The network's maps for ``rgb``; with ``mirrored`` the mean with its mirror image's."""
    maps = net.run(rgb)
    if mirrored:
        flipped = net.run(np.ascontiguousarray(rgb[:, ::-1])).mirrored()
        maps = CenterFaceMaps.average(maps, flipped)
    return maps


def _network_size(width: int, height: int, long_side: int) -> tuple[int, int]:
    """Input size for a photo of ``width`` x ``height`` at ``long_side``, sides rounded to 32."""
    factor = long_side / max(width, height)

    def side(pixels: int) -> int:
        return max(SIDE_MULTIPLE, round(pixels * factor / SIDE_MULTIPLE) * SIDE_MULTIPLE)

    return side(width), side(height)


def tile_spans(length: int) -> list[tuple[int, int]]:
    """Tiles ``(start, end)`` along one side: as few as fit MAX_TILE_SIDE, overlapping.

    The tiles share the side evenly (rather than fixed-size tiles and a sliver at the
    end), so the extra work of the overlaps stays near ``TILE_OVERLAP`` per cut.
    """
    if length <= MAX_TILE_SIDE:
        return [(0, length)]
    count = math.ceil((length - TILE_OVERLAP) / (MAX_TILE_SIDE - TILE_OVERLAP - SIDE_MULTIPLE))
    # One grid step of slack per cut: origins snap to the grid and must keep the overlap.
    covered = length + (count - 1) * (TILE_OVERLAP + SIDE_MULTIPLE)
    side = math.ceil(covered / count / SIDE_MULTIPLE) * SIDE_MULTIPLE
    step = (length - side) / (count - 1)
    # Origins on the 32-pixel grid keep every tile's heatmap cells aligned with the photo's.
    starts = [round(i * step / SIDE_MULTIPLE) * SIDE_MULTIPLE for i in range(count)]
    starts[-1] = length - side
    return [(start, start + side) for start in starts]


def _inside(box: FloatArray, tile: Tile, width: int, height: int) -> bool:
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
        _inside(box, tile, width, height)
        or not any(_inside(box, other, width, height) for other in tiles if other != tile)
        for box in boxes
    ]
    return boxes[np.asarray(keep, dtype=bool)] if len(boxes) else boxes


def _run_tiles(
    net: CenterFaceNet, rgb: npt.NDArray[np.uint8], mirrored: bool, floor: float
) -> FloatArray:
    """Boxes (input px) from overlapping tiles of ``rgb``; border-cut duplicates removed."""
    height, width = rgb.shape[:2]
    tiles = [(x0, y0, x1, y1) for y0, y1 in tile_spans(height) for x0, x1 in tile_spans(width)]
    found = []
    for tile in tiles:
        x0, y0, x1, y1 = tile
        maps = _keep_peaks(_look(net, np.ascontiguousarray(rgb[y0:y1, x0:x1]), mirrored))
        boxes = decode(maps, floor)
        boxes[:, [0, 2]] += x0
        boxes[:, [1, 3]] += y0
        found.append(_drop_edge_cuts(boxes, tile, tiles, width, height))
    return np.concatenate(found) if found else np.empty((0, 5), np.float32)


def run_pass(
    net: CenterFaceNet,
    pixels: npt.NDArray[np.uint8],
    pixels_per_full: float,
    spec: PassSpec,
    floor: float,
) -> PassResult:
    """Run one pass over ``pixels`` and return its boxes in full-resolution pixels.

    ``pixels_per_full`` is the width of ``pixels`` over the photo's full width; ``floor``
    is the lowest heatmap score kept (below the lowest band, so fusion sees weak votes).
    """
    height, width = pixels.shape[:2]
    net_w, net_h = _network_size(width, height, spec.long_side)
    # INTER_AREA when shrinking: it averages, so small faces are not aliased away.
    interpolation = cv2.INTER_AREA if net_w < width else cv2.INTER_LINEAR
    resized = np.asarray(
        cv2.resize(pixels, (net_w, net_h), interpolation=interpolation), dtype=np.uint8
    )
    if spec.tiled:
        boxes = _run_tiles(net, resized, spec.mirrored, floor)
    else:
        boxes = decode(_keep_peaks(_look(net, resized, spec.mirrored)), floor)
    boxes = nms(boxes, PASS_NMS_IOU)
    zoom_x = net_w / width * pixels_per_full
    zoom_y = net_h / height * pixels_per_full
    boxes[:, [0, 2]] /= zoom_x
    boxes[:, [1, 3]] /= zoom_y
    split = spec.tiled and max(net_w, net_h) > MAX_TILE_SIDE
    max_face = float(TILED_MAX_FACE) if split else float(max(net_w, net_h))
    return PassResult(boxes, zoom=(zoom_x + zoom_y) / 2, max_face=max_face)
