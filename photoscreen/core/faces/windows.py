"""The gated fine pass: looking closer at a big photo only where a coarser look saw something.

On a 12-megapixel photo the fine pass (up to 2496 px) is what finds a child's 44 px face,
but tiling the whole photo at that size was most of the detector's time, and most of a
photo holds no face. A *gate* pass at half the fine pass's size (tiled, and a pass with a
vote of its own) lights up faint heatmap peaks on faces too small for it to be sure of:
a 44 px face in a 4000 px photo scores about 0.1 at 1248 px, where background rarely
reaches :data:`GATE_SCORE`. The fine pass then runs only in :data:`WINDOW` x WINDOW
windows of its input centred on those peaks (:func:`place_windows`), and only for peaks
whose box is small at the gate (a face the gate sees at :data:`GATE_SMALL_FACE` px or more
it sees well itself). When the windows would cover more than :data:`GATED_SHARE` of the
photo (a crowd), the fine pass tiles the whole photo as before: never slower than that.

A window's boxes that touch one of its inner edges are dropped (a face cut by the edge);
every peak that placed a window lies at least :data:`WINDOW_MARGIN` inside one, so the
faces the windows are for are whole in some window. Fusion counts the fine pass's silence
only inside its windows (:attr:`~photoscreen.core.faces.passes.PassResult.regions`).
"""

from __future__ import annotations

import numpy as np

from photoscreen.core.faces.centerface import SIDE_MULTIPLE, CenterFaceNet, FloatArray, decode_peaks
from photoscreen.core.faces.passes import (
    PASS_NMS_IOU,
    PassInput,
    PassResult,
    PassSpec,
    Tile,
    inside_tile,
    nms,
    run_passes,
)

# The gate pass's long side is the fine pass's divided by this.
GATE_RATIO = 2
# Gate peaks scoring at least this get a closer look (a 44 px face in a 4000 px photo
# scores ~0.1 at 1248 px; docs/faces-benchmark.md, "Gated fine pass").
GATE_SCORE = 0.025
# Gate peaks whose box is at least this big (gate input px) need no closer look.
GATE_SMALL_FACE = 32.0
# A window's side in the fine pass's input pixels (a multiple of 32).
WINDOW = 192
# A peak lying at least this far (fine input px) inside a window is looked at by it.
WINDOW_MARGIN = 48
# The biggest face (fine input px) a window is trusted with: whole inside its margins.
WINDOWED_MAX_FACE = WINDOW - 2 * WINDOW_MARGIN
# Above this share of the photo in windows, the fine pass tiles the whole photo instead.
GATED_SHARE = 0.5


def gate_peaks(gate: PassResult) -> FloatArray:
    """Centres ``(x, y)`` in full-resolution pixels of the gate's peaks that deserve a
    closer look (score >= GATE_SCORE, box small at the gate), best first."""
    boxes = gate.boxes[np.argsort(-gate.boxes[:, 4], kind="stable")]
    size = np.maximum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]) * gate.zoom
    chosen = boxes[(boxes[:, 4] >= GATE_SCORE) & (size < GATE_SMALL_FACE)]
    centres: FloatArray = np.column_stack(
        [(chosen[:, 0] + chosen[:, 2]) / 2, (chosen[:, 1] + chosen[:, 3]) / 2]
    ).astype(np.float32)
    return centres.reshape(-1, 2)


def place_windows(centres: FloatArray, width: int, height: int) -> list[Tile]:
    """Windows of WINDOW px (fine input pixels, origins on the 32 px grid, inside the
    ``width`` x ``height`` input) so that every centre lies WINDOW_MARGIN inside one (or at
    the input's border). Centres come best first; one already inside a window adds none."""
    windows: list[Tile] = []
    for x, y in centres:
        if any(_covers(window, float(x), float(y), width, height) for window in windows):
            continue
        x0 = _origin(float(x), width)
        y0 = _origin(float(y), height)
        windows.append((x0, y0, min(width, x0 + WINDOW), min(height, y0 + WINDOW)))
    return windows


def _origin(centre: float, length: int) -> int:
    """A window's start along one side: centred on ``centre``, on the grid, inside."""
    start = round((centre - WINDOW / 2) / SIDE_MULTIPLE) * SIDE_MULTIPLE
    return int(max(0, min(start, length - WINDOW)))


def _covers(window: Tile, x: float, y: float, width: int, height: int) -> bool:
    """Whether ``(x, y)`` lies WINDOW_MARGIN inside ``window`` (no margin at the border)."""
    x0, y0, x1, y1 = window
    return (
        (x0 == 0 or x >= x0 + WINDOW_MARGIN)
        and (y0 == 0 or y >= y0 + WINDOW_MARGIN)
        and (x1 == width or x <= x1 - WINDOW_MARGIN)
        and (y1 == height or y <= y1 - WINDOW_MARGIN)
        and x0 <= x <= x1
        and y0 <= y <= y1
    )


def gated_pass(
    net: CenterFaceNet, given: PassInput, spec: PassSpec, gate: PassResult, floor: float
) -> PassResult:
    """The fine pass on ``given`` (at its input size), in windows around the gate's peaks,
    or tiled over the whole photo when the windows would cover more than GATED_SHARE."""
    height, width = given.pixels.shape[:2]
    centres = gate_peaks(gate) * np.array([given.zoom_x, given.zoom_y], np.float32)
    windows = place_windows(centres, width, height)
    area = sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in windows)
    if area > GATED_SHARE * width * height:
        tiled = PassSpec(spec.long_side, spec.mirrored, tiled=True)
        return run_passes(net, [(given, tiled)], [floor])[0]
    crops = [np.ascontiguousarray(given.pixels[y0:y1, x0:x1]) for x0, y0, x1, y1 in windows]
    found = [np.empty((0, 5), np.float32)]
    for window, maps in zip(windows, net.run_many(crops), strict=True):
        boxes = decode_peaks(maps, floor)
        boxes[:, [0, 2]] += window[0]
        boxes[:, [1, 3]] += window[1]
        whole = [inside_tile(box, window, width, height) for box in boxes]
        found.append(boxes[np.asarray(whole, dtype=bool)] if len(boxes) else boxes)
    boxes = nms(np.concatenate(found), PASS_NMS_IOU)
    scale = np.array([given.zoom_x, given.zoom_y] * 2, np.float32)
    boxes[:, :4] /= scale
    return PassResult(
        boxes,
        zoom=(given.zoom_x + given.zoom_y) / 2,
        max_face=float(WINDOWED_MAX_FACE),
        regions=_seen(windows, width, height) / scale,
    )


def _seen(windows: list[Tile], width: int, height: int) -> FloatArray:
    """Where each window looks for faces: inside its margin (the whole way to the border)."""
    rows = [
        (
            x0 + (WINDOW_MARGIN if x0 > 0 else 0),
            y0 + (WINDOW_MARGIN if y0 > 0 else 0),
            x1 - (WINDOW_MARGIN if x1 < width else 0),
            y1 - (WINDOW_MARGIN if y1 < height else 0),
        )
        for x0, y0, x1, y1 in windows
    ]
    return np.asarray(rows, np.float32).reshape(-1, 4)
