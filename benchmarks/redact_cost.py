"""Redaction cost on a 12-megapixel photo, against a plain copy of the same pixels.

``redact_faces`` makes exactly one full copy of the photo (its output) and then works only
inside each head's rectangle, so its cost should be that copy plus a little per face.
This script times it on a 4000 x 3000 RGB photo with 1 large, 10 medium and 40 small
faces, in every style, against ``np.copy`` of the same photo measured in the same run
(medians of repeats). For scale it also times one Pillow JPEG encode of the photo, the
cost the export pays anyway.

    python benchmarks/redact_cost.py [--repeats 7] [--json]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
from PIL import Image

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    # Run as ``python benchmarks/redact_cost.py`` from anywhere.
    sys.path.insert(0, str(REPO_ROOT))

from photoscreen.core.basics import Box  # noqa: E402
from photoscreen.core.render import RedactionStyle, redact_faces  # noqa: E402

WIDTH, HEIGHT = 4000, 3000
# (faces, face box width in px): a close portrait, a small group, a whole room.
CASES = ((1, 600), (10, 200), (40, 100))


def make_photo(seed: int = 1) -> np.ndarray:
    """A 12-megapixel RGB photo with detail everywhere (content does not change timing)."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (HEIGHT // 8, WIDTH // 8, 3), dtype=np.uint8)
    photo = np.repeat(np.repeat(small, 8, axis=0), 8, axis=1)
    photo ^= rng.integers(0, 32, photo.shape, dtype=np.uint8)
    return photo


def face_boxes(count: int, size: int) -> list[Box]:
    """``count`` face boxes of ``size`` px spread over the photo in a grid."""
    cols = max(1, round((count * WIDTH / HEIGHT) ** 0.5))
    rows = -(-count // cols)
    step_x, step_y = WIDTH / cols, HEIGHT / rows
    return [
        Box(
            (i % cols + 0.5) * step_x - size / 2,
            (i // cols + 0.5) * step_y - size / 2,
            float(size),
            size * 1.1,
        )
        for i in range(count)
    ]


def median_seconds(fn: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``fn`` over ``repeats`` runs, after one warm-up run."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def jpeg_encode(photo: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(photo).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def measure(repeats: int) -> dict[str, float]:
    """All timings, in milliseconds, and their ratios to the copy baseline."""
    photo = make_photo()
    copy_ms = median_seconds(lambda: np.copy(photo), repeats) * 1000
    figures = {"copy_ms": copy_ms}
    figures["jpeg_encode_ms"] = median_seconds(lambda: jpeg_encode(photo), repeats) * 1000
    for count, size in CASES:
        boxes = face_boxes(count, size)
        for style in RedactionStyle:
            run = partial(redact_faces, photo, boxes, style)
            ms = median_seconds(run, repeats) * 1000
            key = f"{style.value}_{count}x{size}px"
            figures[f"{key}_ms"] = ms
            figures[f"{key}_vs_copy"] = ms / copy_ms
    return figures


def print_table(figures: dict[str, float]) -> None:
    copy_ms = figures["copy_ms"]
    print(f"12-megapixel RGB photo ({WIDTH} x {HEIGHT}), medians")
    print(f"  baseline np.copy                      {copy_ms:8.1f} ms")
    encode_ms = figures["jpeg_encode_ms"]
    print(f"  (for scale) Pillow JPEG encode q90    {encode_ms:8.1f} ms")
    for count, size in CASES:
        print(f"  {count} face(s) of {size} px:")
        for style in RedactionStyle:
            key = f"{style.value}_{count}x{size}px"
            ms, ratio = figures[f"{key}_ms"], figures[f"{key}_vs_copy"]
            extra = (ms - copy_ms) / encode_ms
            print(
                f"    {style.value:<8} {ms:8.1f} ms  {ratio:5.2f}x copy"
                f"  (+{extra:.0%} of one JPEG encode beyond the copy)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per figure")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    figures = measure(max(args.repeats, 1))
    if args.json:
        rounded = {k: round(v, 3) for k, v in figures.items()}
        print(json.dumps({"benchmark": "redact_cost", **rounded}, indent=2))
    else:
        print_table(figures)


if __name__ == "__main__":
    main()
