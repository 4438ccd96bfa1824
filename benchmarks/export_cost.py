"""Per-photo cost of the safe-export engine against a bare Pillow decode + encode.

Goal (issue 2, DESIGN "Performance"): exporting one 12-megapixel JPEG (load, redact,
resize, encode, verify, write and re-verify on disk) costs at most 1.3x a bare Pillow
decode + encode of the same photo, measured in the same run. Runs are interleaved
(baseline, export, baseline, export...) so both see the same machine load; figures are
medians.

Two baselines are printed: the issue's (decode + JPEG encode of the decoded photo, at
full size) and a stricter one (decode + resize to the export size + encode), which is the
least any exporter of a 2048 px JPEG must do.

    python benchmarks/export_cost.py [--repeats 5] [--json]
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from common import Report, common_arguments, encode_jpeg, make_photo, temp_photo_dir
from PIL import Image

from photoscreen.core.encode import encode_clean_jpeg, resize_to_long_side, verify_clean_jpeg
from photoscreen.core.geometry import Box
from photoscreen.core.loading import decode_photo
from photoscreen.core.redact import redact_faces
from photoscreen.core.safe_export import ExportOptions, export_photo

GOAL = 1.3
# Faces of a typical group shot at a stay-and-play: a few, 150-400 px across.
FACES = (Box(600, 500, 300, 360), Box(1800, 700, 180, 220), Box(3000, 400, 400, 480))


def bare_decode_encode(data: bytes) -> None:
    """The issue's baseline: Pillow decodes the photo and encodes it again as a JPEG."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        image.save(io.BytesIO(), format="JPEG", quality=90)


def bare_decode_resize_encode(data: bytes, long_side: int) -> None:
    """The stricter baseline: decode, area-resize to the export size, encode."""
    with Image.open(io.BytesIO(data)) as image:
        pixels = np.asarray(image)
    height, width = pixels.shape[:2]
    factor = long_side / max(width, height)
    size = (round(width * factor), round(height * factor))
    small = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
    Image.fromarray(small).save(io.BytesIO(), format="JPEG", quality=90)


def interleaved(tasks: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median seconds of each task, run in turn ``repeats`` times after one warm-up each."""
    times: dict[str, list[float]] = {name: [] for name in tasks}
    for task in tasks.values():
        task()
    for _ in range(repeats):
        for name, task in tasks.items():
            start = time.perf_counter()
            task()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def stage_times(data: bytes, options: ExportOptions, repeats: int) -> dict[str, float]:
    """Where the export's time goes, stage by stage (medians), to guide any fixes."""
    photo = decode_photo(data)
    redacted = redact_faces(photo.pixels, FACES, options.style)
    small = resize_to_long_side(redacted, options.long_side)
    jpeg = encode_clean_jpeg(small, options.quality)
    size = (small.shape[1], small.shape[0])
    return interleaved(
        {
            "decode": lambda: decode_photo(data),
            "redact": lambda: redact_faces(photo.pixels, FACES, options.style),
            "resize": lambda: resize_to_long_side(redacted, options.long_side),
            "encode": lambda: encode_clean_jpeg(small, options.quality),
            "verify": lambda: verify_clean_jpeg(jpeg, size),
        },
        repeats,
    )


def main() -> None:
    parser = common_arguments(__doc__ or "", default_photos=1)
    parser.set_defaults(repeats=7)
    args = parser.parse_args()
    report = Report("export_cost", args.json)
    report.log("generating a 4000 x 3000 photo...")
    data = encode_jpeg(make_photo(seed=1, faces=3))
    options = ExportOptions()
    with temp_photo_dir("photoscreen-export-cost-") as folder:
        counter = iter(range(1_000_000))

        def export() -> Path:
            return export_photo(data, FACES, folder / f"out-{next(counter)}.jpg", options)

        report.log(f"timing {args.repeats} interleaved repeats...")
        medians = interleaved(
            {
                "baseline": lambda: bare_decode_encode(data),
                "strict_baseline": lambda: bare_decode_resize_encode(data, options.long_side),
                "export": export,
            },
            args.repeats,
        )
    if not args.json:
        print(f"export cost of one 12 MP JPEG ({len(data) / 1e6:.1f} MB, {len(FACES)} faces)")
    report.add("photo_bytes", len(data), "bytes", "input JPEG size")
    report.add("baseline_s", medians["baseline"], "s", "bare Pillow decode + encode (full size)")
    report.add(
        "strict_baseline_s", medians["strict_baseline"], "s", "bare decode + resize + encode"
    )
    report.add("export_s", medians["export"], "s", "export_photo: load+redact+encode+verify+write")
    for stage, seconds in stage_times(data, options, args.repeats).items():
        report.add(f"stage_{stage}_s", seconds, "s", f"  stage: {stage}")
    report.add(
        "strict_ratio",
        medians["export"] / medians["strict_baseline"],
        "x",
        "export / (decode + resize + encode)",
    )
    report.goal(
        "ratio", medians["export"] / medians["baseline"], GOAL, "export / (decode + encode)"
    )
    report.finish()


if __name__ == "__main__":
    main()
