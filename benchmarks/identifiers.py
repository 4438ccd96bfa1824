"""Text (name label, plate) detection: recall, false regions and cost on an annotated set.

    python benchmarks/identifiers.py --make-set DIR [--seed N] [--count 40] [--plain 10]
    python benchmarks/identifiers.py --set DIR [--json] [--boxes OUT.json]

``--make-set`` writes a synthetic set (``tests/helpers/text_scenes.py``: peg labels, name stickers,
UK plates, whiteboards and artwork on public-domain backgrounds, and text-free scenes)
with ``truth.json`` (``{"file.jpg": [[x, y, w, h], ...]}``, one box per line of text,
upright pixels) and ``letters.json`` (each line's capital height, px).

``--set`` reads every photo of ``DIR/truth.json`` through the app's own loader (the decode
scan makes), runs :class:`photoscreen.core.identifiers.TextDetector` and reports:

- recall of text lines with letters of 12 px and up, all lines, and lines under 20 px
  (letter heights from ``letters.json``; without it, 0.6 of the line box's height);
- false regions per image, on scenes with text and on scenes without;
- seconds per photo of text detection (shrinking the decode included), and its ratio to
  one plain CenterFace pass at 832 px on ``cv2.dnn``, timed on the same photos in the same
  run, interleaved (the issue's cost unit; goal: at most 5x).

A line is found when a region overlaps it with IoU >= 0.3 or covers >= 70% of it. A region
is false when it finds no line and less than half of it lies on lines (a region on one
word of a longer line is not false). ``--boxes`` writes the regions found per file,
``{"file.jpg": [[x, y, w, h, score], ...]}``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from common import REPO_ROOT, Report

from photoscreen.core.basics import Box
from photoscreen.core.faces import Backend, CenterFaceNet, decode, default_backend
from photoscreen.core.identifiers import TextDetector, TextRegion
from photoscreen.core.imaging import decode_photo, read_photo_file

FOUND_IOU = 0.3
FOUND_COVER = 0.7
MIN_LETTERS = 12.0
SMALL_LETTERS = 20.0


def cover(region: Box, line: Box) -> float:
    """The share of ``line`` that ``region`` covers."""
    w = min(region.right, line.right) - max(region.x, line.x)
    h = min(region.bottom, line.bottom) - max(region.y, line.y)
    return max(0.0, w) * max(0.0, h) / line.area if line.area > 0 else 0.0


def finds(region: Box, line: Box) -> bool:
    return region.iou(line) >= FOUND_IOU or cover(region, line) >= FOUND_COVER


def is_false(region: Box, lines: list[Box]) -> bool:
    if any(finds(region, line) for line in lines):
        return False
    return sum(cover(line, region) for line in lines) < 0.5


class Unit:
    """One plain CenterFace pass at 832 px on cv2.dnn: the issue's cost unit."""

    def __init__(self) -> None:
        self.net = CenterFaceNet(Backend.OPENCV)

    def seconds(self, pixels: np.ndarray) -> float:
        small = cv2.resize(pixels, (832, 640), interpolation=cv2.INTER_AREA)
        start = time.perf_counter()
        decode(self.net.run(small), 0.3)
        return time.perf_counter() - start


def measure(folder: Path, report: Report, boxes_out: Path | None) -> None:
    truth: dict[str, list[list[float]]] = json.loads((folder / "truth.json").read_text())
    letters_file = folder / "letters.json"
    letters = json.loads(letters_file.read_text()) if letters_file.exists() else {}
    detector = TextDetector()
    unit = Unit()
    report.log(f"{len(truth)} photos; text detector on {detector.backend.value}")
    rows: list[dict[str, Any]] = []
    found_boxes: dict[str, list[list[float]]] = {}
    for index, (name, lines) in enumerate(sorted(truth.items())):
        decoded = decode_photo(
            read_photo_file(folder / name), min_long_side=detector.min_decode_long_side()
        )
        if index == 0:
            detector.detect(decoded.pixels, decoded.scale)  # warm-up: plans the net
            unit.seconds(decoded.pixels)
        start = time.perf_counter()
        regions = detector.detect(decoded.pixels, decoded.scale)
        seconds = time.perf_counter() - start
        unit_seconds = unit.seconds(decoded.pixels)
        heights = letters.get(name) or [0.6 * line[3] for line in lines]
        rows.append(score_photo(lines, heights, regions, seconds, unit_seconds))
        found_boxes[name] = [[*_xywh(r.box), round(r.score, 3)] for r in regions]
        report.log(f"  {name}: {len(regions)} regions, {rows[-1]['found']}/{len(lines)} lines, "
                   f"{rows[-1]['false']} false, {seconds:.2f} s")  # fmt: skip
    summarise(rows, report)
    if boxes_out is not None:
        boxes_out.write_text(json.dumps(found_boxes, indent=1))


def _xywh(box: Box) -> list[float]:
    return [round(box.x, 1), round(box.y, 1), round(box.w, 1), round(box.h, 1)]


def score_photo(
    lines: list[list[float]], heights: list[float], regions: list[TextRegion],
    seconds: float, unit_seconds: float,
) -> dict[str, Any]:  # fmt: skip
    boxes = [Box(*line[:4]) for line in lines]
    hit = [any(finds(r.box, line) for r in regions) for line in boxes]
    return {
        "lines": [(h, found) for h, found in zip(heights, hit, strict=True)],
        "found": sum(hit),
        "false": sum(is_false(r.box, boxes) for r in regions),
        "has_text": bool(lines),
        "seconds": seconds,
        "unit": unit_seconds,
    }


def _recall(rows: list[dict[str, Any]], low: float, high: float) -> tuple[float, int]:
    picked = [found for row in rows for h, found in row["lines"] if low <= h < high]
    return (sum(picked) / len(picked) if picked else float("nan")), len(picked)


def summarise(rows: list[dict[str, Any]], report: Report) -> None:
    for key, low, high, label in (
        ("recall_12px_up", MIN_LETTERS, 1e9, "recall, letters >= 12 px (goal >= 0.92)"),
        ("recall_all", 0.0, 1e9, "recall, all lines"),
        ("recall_12_to_20px", MIN_LETTERS, SMALL_LETTERS, "recall, letters 12-20 px"),
    ):
        value, count = _recall(rows, low, high)
        report.add(key, value, f"of {count} lines", label)
    with_text = [row["false"] for row in rows if row["has_text"]]
    without = [row["false"] for row in rows if not row["has_text"]]
    if with_text:
        report.add("false_per_image_text", statistics.mean(with_text), "",
                   "false regions / image, scenes with text (goal <= 1.0)")  # fmt: skip
    if without:
        report.add("false_per_image_plain", statistics.mean(without), "",
                   "false regions / image, text-free scenes (goal <= 0.5)")  # fmt: skip
    seconds = statistics.median(row["seconds"] for row in rows)
    unit = statistics.median(row["unit"] for row in rows)
    report.add("seconds_per_photo", seconds, "s", "text detection per photo (median)")
    report.add("centerface_832_seconds", unit, "s", "one CenterFace pass at 832 px, cv2.dnn")
    report.goal("cost_ratio", seconds / unit, 5.0, "text detection / CenterFace unit")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, help="folder with truth.json and its photos")
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    parser.add_argument("--boxes", type=Path, help="write the regions found to this file")
    parser.add_argument("--make-set", type=Path, help="write a synthetic set to this folder")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--plain", type=int, default=10, help="scenes without text")
    args = parser.parse_args()
    if args.make_set is not None:
        sys.path.insert(0, str(REPO_ROOT))
        from tests.helpers.text_scenes import write_set

        truth = write_set(args.make_set, args.count, args.plain, args.seed)
        print(f"wrote {len(truth)} photos and truth.json to {args.make_set}")
        return 0
    if args.set is None or not (args.set / "truth.json").is_file():
        parser.error("--set DIR needs DIR/truth.json (make one with --make-set DIR)")
    report = Report("identifiers", args.json)
    report.note(f"backend {default_backend().value}; set {args.set.name}")
    measure(args.set, report, args.boxes)
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
