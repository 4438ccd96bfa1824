"""Merging the boxes of several looks at one photo into one box per face, with one score.

Boxes of different passes overlapping by IoU >= :data:`FUSION_IOU` are one face; its box
is the score-weighted mean of theirs, its score the mean over the passes that could have
seen a face that size (a pass that sees the photo too small, a tiled pass for a face
larger than its tile overlap, or a gated fine pass that did not look there, has no vote).
Agreement across looks lifts a face, a single look's noise is diluted.
"""

from __future__ import annotations

import numpy as np

from photoscreen.core.faces.centerface import FloatArray
from photoscreen.core.faces.passes import PassResult, iou_matrix, nms

# Boxes of different passes overlapping this much are the same face.
FUSION_IOU = 0.3
# A pass votes on a face only if the face is at least this big in its input: smaller
# faces are below what CenterFace can see, and its silence says nothing.
MIN_VISIBLE_FACE = 10.0
# From this size (input px) a pass's answer counts fully; between the two, in proportion.
CONFIDENT_FACE = 24.0
# The least say a pass that found the face has.
FOUND_SIGHT = 1.0


def fuse(results: list[PassResult]) -> FloatArray:
    """Merge the passes' boxes: one row ``(x1, y1, x2, y2, score)`` per face."""
    tagged = [
        np.column_stack([result.boxes, np.full(len(result.boxes), index, np.float32)])
        for index, result in enumerate(results)
    ]
    boxes = np.concatenate(tagged) if tagged else np.empty((0, 6), np.float32)
    if len(boxes) == 0:
        return np.empty((0, 5), np.float32)
    boxes = boxes[np.argsort(-boxes[:, 4], kind="stable")]
    overlap = iou_matrix(boxes[:, :4], boxes[:, :4])
    used = np.zeros(len(boxes), dtype=bool)
    faces = []
    for index in range(len(boxes)):
        if used[index]:
            continue
        members = np.nonzero(~used & (overlap[index] >= FUSION_IOU))[0]
        used[members] = True
        faces.append(_merge_cluster(boxes[members], results))
    return nms(np.asarray(faces, dtype=np.float32), FUSION_IOU)


def _merge_cluster(members: FloatArray, results: list[PassResult]) -> list[float]:
    """One face from the boxes of several passes: the passes' votes weighted by how well
    each could see a face that size (see :func:`_sight`), for its box and its score."""
    size = float(np.max(members[:, 2:4] - members[:, 0:2]))
    centre_x = float(np.mean(members[:, 0] + members[:, 2])) / 2
    centre_y = float(np.mean(members[:, 1] + members[:, 3])) / 2
    best: dict[int, tuple[float, FloatArray]] = {}
    for row in members:
        index = int(row[5])
        if index not in best or row[4] > best[index][0]:
            best[index] = (float(row[4]), row[:4])
    total = score = box_weight = 0.0
    box = np.zeros(4, np.float64)
    for index, result in enumerate(results):
        sight = _sight(size * result.zoom, result.max_face)
        if not result.looked_at(centre_x, centre_y):
            sight = 0.0  # a gated pass that did not look there says nothing
        found = best.get(index)
        if found is not None:
            # A pass that found the face always has a say, however small it saw it.
            sight = max(sight, FOUND_SIGHT)
            box += found[1] * (sight * found[0])
            box_weight += sight * found[0]
            score += sight * found[0]
        total += sight
    return [*map(float, box / box_weight), score / total]


def _sight(face: float, max_face: float) -> float:
    """How much a pass's answer counts for a face of ``face`` pixels in its input: nothing
    below MIN_VISIBLE_FACE (or above what a tiled pass is trusted with), fully from
    CONFIDENT_FACE (where CenterFace scores faces confidently), linearly between."""
    if face > max_face:
        return 0.0
    return float(np.clip((face - MIN_VISIBLE_FACE) / (CONFIDENT_FACE - MIN_VISIBLE_FACE), 0, 1))
