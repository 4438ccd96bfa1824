"""Make a big-photo benchmark set from a small annotated one: mosaics at 4000 x 3000.

The shared crowd set's photos are 416 x 416; scan meets 12-megapixel photos, where the
detector looks differently (a whole-photo pass beside a fine pass that looks closer).
This writes ``--count`` mosaics, each a 4 x 3 grid of the set's pictures enlarged to
1000 x 1000 (12 pictures per mosaic, taken in name order), as JPEGs with an
``annotations.json`` of the same form (``{"image.jpg": [[x, y, w, h], ...]}``), so
``faces.py --set DIR`` measures them like any other set. With ``--sparse`` each photo
holds one picture (at 1000 x 1000, in a different place each time) on a generated
camera-like texture instead: a photo where most of the frame holds no face, as a group
shot's background, which is what the gated fine pass is for (a crowd mosaic makes it look
everywhere, as tiling does). Faces come out 2.4x their size in
the set (a 12 px face becomes 29 px in a 4000 px photo: a child at the back of a group
shot) and softer than a camera would take them, so recall is lower than on real photos;
what the proxy is for is comparing settings on big photos in the same run.

    .venv/bin/python benchmarks/big_set.py --out DIR [--set SRC] [--count 15] [--sparse]
    .venv/bin/python benchmarks/faces.py --set DIR --modes default
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import cv2
import numpy as np
from common import encode_jpeg, make_photo
from faces import DEFAULT_DATA, SetError, load_picture, read_set

COLUMNS, ROWS = 4, 3
CELL = 1000


def mosaic(
    source: Path, names: list[str], truth: dict[str, list[list[float]]], sparse_seed: int | None
) -> tuple[np.ndarray, list[list[float]]]:
    """One 4000 x 3000 photo of ``names`` (at most 12, on a grid; one on a texture when
    ``sparse_seed`` is given, in the grid cell it picks) and its faces in its pixels."""
    boxes: list[list[float]] = []
    if sparse_seed is None:
        canvas = np.zeros((ROWS * CELL, COLUMNS * CELL, 3), np.uint8)
        cells = list(range(len(names)))
    else:
        canvas = make_photo(sparse_seed, (COLUMNS * CELL, ROWS * CELL))
        cells = [sparse_seed % (COLUMNS * ROWS)]
    for index, name in zip(cells, names, strict=True):
        left, top = (index % COLUMNS) * CELL, (index // COLUMNS) * CELL
        picture = load_picture(source / name)
        height, width = picture.shape[:2]
        canvas[top : top + CELL, left : left + CELL] = cv2.resize(
            picture, (CELL, CELL), interpolation=cv2.INTER_LINEAR
        )
        zoom_x, zoom_y = CELL / width, CELL / height
        for x, y, w, h in truth[name]:
            boxes.append([left + x * zoom_x, top + y * zoom_y, w * zoom_x, h * zoom_y])
    return canvas, boxes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write (created)")
    parser.add_argument("--set", dest="source", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--count", type=int, default=15, help="photos to make")
    parser.add_argument("--sparse", action="store_true", help="one picture per photo")
    args = parser.parse_args()
    per_mosaic = 1 if args.sparse else COLUMNS * ROWS
    try:
        truth, names = read_set(args.source, None)
    except SetError as error:
        print(f"The set at {args.source} cannot be used: {error}", file=sys.stderr)
        return 2
    # One picture each: spread over the set (its names run by scene), else consecutive.
    step = max(1, len(names) // args.count) if args.sparse else 1
    names = names[::step][: args.count * per_mosaic]
    args.out.mkdir(parents=True, exist_ok=True)
    annotations = {}
    for number in range(0, len(names), per_mosaic):
        seed = number if args.sparse else None
        canvas, boxes = mosaic(args.source, names[number : number + per_mosaic], truth, seed)
        name = f"{'sparse' if args.sparse else 'mosaic'}_{number // per_mosaic:03d}.jpg"
        (args.out / name).write_bytes(encode_jpeg(canvas))
        annotations[name] = boxes
    (args.out / "annotations.json").write_text(json.dumps(annotations), encoding="utf-8")
    print(f"{len(annotations)} photos made of {args.source} written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
