"""Per-photo cost of the safe-export engine against a bare Pillow decode + encode.

Goal (issue 2, DESIGN "Performance"): exporting one 12-megapixel JPEG (load, redact,
resize, encode, verify, write and re-verify on disk) costs at most 1.3x a bare Pillow
decode + encode of the same photo, measured in the same run. Runs are interleaved
(baseline, export, baseline, export...) so both see the same machine load; figures are
medians.

OpenCV runs on one thread by default (``--threads``), as Pillow does: the ratio then
compares the work done, and a busy machine cannot penalise the parallel side alone. The
ratio of CPU time (``time.process_time``) is printed too: on a machine shared with other
work it is the steadier figure, though it leaves out waiting for the disk (fsync).

Two baselines are printed: the issue's (decode + JPEG encode of the decoded photo, at
full size) and a stricter one (decode + resize to the export size + encode), which is the
least any exporter of a 2048 px JPEG must do.

    python benchmarks/export_cost.py [--repeats 7] [--threads 1] [--json]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from common import Report, common_arguments, encode_jpeg, make_photo, temp_photo_dir
from PIL import Image

from photoscreen.core.basics import Box
from photoscreen.core.imaging import decode_photo
from photoscreen.core.render import (
    ExportOptions,
    _redact_in_place,
    encode_clean_jpeg,
    export_photo,
    prefilter_for_resize,
    sample_prefiltered,
    verify_clean_jpeg,
    write_new_file,
)

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


def interleaved(
    tasks: dict[str, Callable[[], object]],
    repeats: int,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, float]:
    """Median seconds of each task, run in turn ``repeats`` times after one warm-up each."""
    times: dict[str, list[float]] = {name: [] for name in tasks}
    for task in tasks.values():
        task()
    for _ in range(repeats):
        for name, task in tasks.items():
            start = clock()
            task()
            times[name].append(clock() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def stage_times(
    data: bytes, options: ExportOptions, repeats: int, folder: Path
) -> dict[str, float]:
    """Where the export's time goes, stage by stage (medians), to guide any fixes.

    The stages are the export's own: the resize's pre-filter makes the one full-size
    copy, faces are redacted head by head inside it, then it is sampled down.
    """
    photo = decode_photo(data)
    working = prefilter_for_resize(photo.pixels, options.long_side)
    if working is None:
        raise SystemExit("expected an uneven resize ratio for a 4000 x 3000 photo")
    small = sample_prefiltered(working, options.long_side)
    jpeg = encode_clean_jpeg(small, options.quality)
    size = (small.shape[1], small.shape[0])
    names = (folder / f"stage-{n}.jpg" for n in range(1_000_000))
    return interleaved(
        {
            "decode": lambda: decode_photo(data),
            "resize pre-filter (full-size copy)": lambda: prefilter_for_resize(
                photo.pixels, options.long_side
            ),
            "redact heads in place": lambda: _redact_in_place(working, FACES, options.style),
            "resize sampling": lambda: sample_prefiltered(working, options.long_side),
            "encode": lambda: encode_clean_jpeg(small, options.quality),
            "verify": lambda: verify_clean_jpeg(jpeg, size),
            "write (with fsync)": lambda: write_new_file(next(names), jpeg),
        },
        repeats,
    )


def with_display_p3_profile(data: bytes) -> bytes:
    """The same JPEG tagged Display P3, as iPhones write them: export must convert it."""
    from tests.helpers.photos_metadata import display_p3_profile

    icc = display_p3_profile()
    chunk = b"ICC_PROFILE\x00\x01\x01" + icc
    return data[:2] + b"\xff\xe2" + (len(chunk) + 2).to_bytes(2, "big") + chunk + data[2:]


def measure(args: argparse.Namespace, data: bytes, options: ExportOptions) -> dict[str, float]:
    """Wall and CPU medians of the baselines and the export, and the export's stages."""
    p3_data = with_display_p3_profile(data)
    with temp_photo_dir("photoscreen-export-cost-") as folder:
        names = (folder / f"out-{n}.jpg" for n in range(1_000_000))
        tasks: dict[str, Callable[[], object]] = {
            "baseline": lambda: bare_decode_encode(data),
            "strict_baseline": lambda: bare_decode_resize_encode(data, options.long_side),
            "export": lambda: export_photo(data, FACES, next(names), options),
            "export_p3": lambda: export_photo(p3_data, FACES, next(names), options),
        }
        wall = interleaved(tasks, args.repeats)
        cpu = interleaved(tasks, args.repeats, time.process_time)
        stages = stage_times(data, options, args.repeats, folder)
    return {
        **wall,
        **{f"cpu_{name}": value for name, value in cpu.items()},
        **{f"stage_{name}": value for name, value in stages.items()},
    }


def main() -> None:
    parser = common_arguments(__doc__ or "", default_photos=1)
    parser.set_defaults(repeats=7)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="OpenCV worker threads (default 1: compares the work done, not how well it "
        "spreads over cores, and stays fair on a busy machine)",
    )
    args = parser.parse_args()
    cv2.setNumThreads(args.threads)
    report = Report("export_cost", args.json)
    report.log("generating a 4000 x 3000 photo...")
    data = encode_jpeg(make_photo(seed=1, faces=3))
    options = ExportOptions()
    report.log(f"timing {args.repeats} interleaved repeats (wall clock, CPU time, stages)...")
    m = measure(args, data, options)
    if not args.json:
        print(
            f"export cost of one 12 MP JPEG ({len(data) / 1e6:.1f} MB, {len(FACES)} faces), "
            f"{args.threads} OpenCV thread(s), medians of {args.repeats}"
        )
    report.add("photo_bytes", len(data), "bytes", "input JPEG size")
    report.add("baseline_s", m["baseline"], "s", "bare Pillow decode + encode (full size)")
    report.add("strict_baseline_s", m["strict_baseline"], "s", "bare decode + resize + encode")
    report.add("export_s", m["export"], "s", "export_photo: load+redact+encode+verify+write")
    for key, seconds in m.items():
        if key.startswith("stage_"):
            stage = key.removeprefix("stage_")
            name = "".join(c if c.isalnum() else "_" for c in key).strip("_")
            report.add(name, seconds, "s", f"  stage: {stage}")
    report.add(
        "export_p3_ratio",
        m["export_p3"] / m["baseline"],
        "x",
        "Display P3 photo (converted to sRGB): export / (decode + encode)",
    )
    report.add(
        "strict_ratio",
        m["export"] / m["strict_baseline"],
        "x",
        "export / (decode + resize + encode)",
    )
    report.add(
        "cpu_ratio",
        m["cpu_export"] / m["cpu_baseline"],
        "x",
        "CPU time: export / (decode + encode)",
    )
    report.goal("ratio", m["export"] / m["baseline"], GOAL, "wall time: export / (decode + encode)")
    report.finish()


if __name__ == "__main__":
    main()
