"""From a DB text probability map to boxes: threshold, contours, score, unclip.

PaddleOCR's own post-processing, written again with OpenCV and numpy alone (its reference
code needs ``pyclipper`` and ``shapely`` at run time, which photoscreen does not ship):

1. pixels whose probability is above ``threshold`` form a mask, dilated by one pixel so a
   line's letters join;
2. each outer contour of the mask is a candidate; its minimum-area rectangle gives its
   angle and its short side (a line's height in the map);
3. its score is the mean probability inside that rectangle (PaddleOCR's "fast" score);
4. the network is trained to mark a shrunk core of each line, so the rectangle is grown
   back ("unclipped") by ``area * ratio / perimeter`` on every side, which is what
   pyclipper's offset of a rectangle comes to;
5. the grown rectangle's axis-aligned bounds, in the map's pixels, are the box.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]

# PaddleOCR's values for this model; UNCLIP_RATIO 1.6 grows a line's core back to its ink.
UNCLIP_RATIO = 1.6
MAX_CANDIDATES = 1000
# A core thinner than this many map pixels is noise, whatever its score.
MIN_CORE = 2.0
# Columns of a row of :func:`boxes`.
COLUMNS = 7


@dataclass(frozen=True)
class DbSettings:
    """Where a pixel counts as text, and how sure a region must be on average."""

    threshold: float = 0.3
    box_threshold: float = 0.5
    unclip_ratio: float = UNCLIP_RATIO


def boxes(probability: FloatArray, settings: DbSettings) -> FloatArray:
    """Rows of (x1, y1, x2, y2, score, height, length) in the map's pixels, one per region.

    ``height`` and ``length`` are the unclipped rectangle's short and long sides: the
    line's height and length in the map, whatever its angle.
    """
    mask = np.asarray(
        cv2.dilate((probability > settings.threshold).astype(np.uint8), np.ones((2, 2), np.uint8)),
        dtype=np.uint8,
    )
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    found: list[list[float]] = []
    height, width = probability.shape
    for contour in contours[:MAX_CANDIDATES]:
        row = _region(probability, np.asarray(contour, np.int32), settings)
        if row is not None:
            row[0:4] = np.clip(row[0:4], 0, [width, height, width, height]).tolist()
            found.append(row)
    if not found:
        return np.zeros((0, COLUMNS), np.float32)
    return np.asarray(found, np.float32)


def _region(
    probability: FloatArray, contour: npt.NDArray[np.int32], settings: DbSettings
) -> list[float] | None:
    (cx, cy), (w, h), angle = cv2.minAreaRect(contour)
    if min(w, h) < MIN_CORE:
        return None
    score = _mean_inside(
        probability, np.asarray(cv2.boxPoints(((cx, cy), (w, h), angle)), np.float32)
    )
    if score < settings.box_threshold:
        return None
    grow = w * h * settings.unclip_ratio / (2 * (w + h))
    corners = cv2.boxPoints(((cx, cy), (w + 2 * grow, h + 2 * grow), angle))
    x1, y1 = corners.min(axis=0)
    x2, y2 = corners.max(axis=0)
    sides = (min(w, h) + 2 * grow, max(w, h) + 2 * grow)
    return [float(x1), float(y1), float(x2), float(y2), score, float(sides[0]), float(sides[1])]


def _mean_inside(probability: FloatArray, corners: npt.NDArray[np.float32]) -> float:
    """Mean probability inside a rotated rectangle (PaddleOCR's fast box score)."""
    height, width = probability.shape
    x1 = int(np.clip(np.floor(corners[:, 0].min()), 0, width - 1))
    x2 = int(np.clip(np.ceil(corners[:, 0].max()), 0, width - 1))
    y1 = int(np.clip(np.floor(corners[:, 1].min()), 0, height - 1))
    y2 = int(np.clip(np.ceil(corners[:, 1].max()), 0, height - 1))
    mask = np.zeros((y2 - y1 + 1, x2 - x1 + 1), np.uint8)
    shifted = (corners - np.array([x1, y1], np.float32)).round().astype(np.int32)
    cv2.fillPoly(mask, [shifted], 1)
    if not mask.any():
        return 0.0
    return float(cv2.mean(probability[y1 : y2 + 1, x1 : x2 + 1], mask)[0])
