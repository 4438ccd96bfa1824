"""Benchmark photoscreen's face detector on an annotated set of photos (not a test).

Evaluates the real :class:`~photoscreen.core.faces.detector.FaceDetector` (default and thorough
modes, the faces band alone and faces + possible faces) on a folder of pictures with an
``annotations.json`` (``{"image.jpg": [[x, y, w, h], ...]}``, boxes in upright pixels,
EXIF orientation applied), by default the shared crowd set ``../shared/data/faces``
(relative to the repository). YuNet @832 is the reference (when its model is beside the
set) and one plain CenterFace pass @832 on OpenCV's ``cv2.dnn`` (threshold 0.3) the cost
baseline, all in the same process. Pictures are read by photoscreen's own loader, so any
format it reads works and EXIF orientation is applied as the app applies it.

Counting rules (FACES.md): a face is found when a box overlaps it with IoU >= 0.5; faces
under 8 px (longest side) are ignored: neither misses nor false boxes. Detections are
matched best score first, each to the unmatched face it overlaps most.

Times are medians per image; the cost column divides by the baseline's median measured in
the same run. A 4000 x 3000 photo (one set image enlarged) is timed as well, because real
photos are far bigger than the set's 416 x 416.

    .venv/bin/python benchmarks/faces.py [--set DIR] [--modes default,thorough] [--json]
                                         [--limit N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from photoscreen.core.faces import (
    Backend,
    CenterFaceNet,
    DetectionMode,
    FaceBand,
    FaceDetector,
    decode,
    default_backend,
    iou_matrix,
    nms,
)
from photoscreen.core.imaging import UnreadablePhoto, decode_photo, read_photo_file

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEFAULT_DATA = SHARED / "data" / "faces"
YUNET_MODEL = SHARED / "models" / "face_detection_yunet_2023mar.onnx"
MIN_FACE = 8
MATCH_IOU = 0.5
SMALL = 32
BIG_PHOTO = (4000, 3000)

# A detector under test: RGB pixels in, (x1, y1, x2, y2, score) rows per band set out.
Runner = Callable[[np.ndarray], dict[str, np.ndarray]]


@dataclass
class Tally:
    """Counts for one row of the table."""

    found: list[np.ndarray] = field(default_factory=list)
    sizes: list[np.ndarray] = field(default_factory=list)
    false_boxes: int = 0
    images: int = 0

    def add(self, truth: list[list[float]], boxes: np.ndarray) -> None:
        found, sizes, false_boxes = match(truth, boxes)
        self.found.append(found)
        self.sizes.append(sizes)
        self.false_boxes += false_boxes
        self.images += 1

    def summary(self) -> dict[str, float]:
        found = np.concatenate(self.found)
        sizes = np.concatenate(self.sizes)
        hits = int(found.sum())
        shown = hits + self.false_boxes
        return {
            "recall": float(found.mean()),
            "recall_small": float(found[sizes < SMALL].mean()),
            "recall_large": float(found[sizes >= SMALL].mean()),
            "precision": hits / shown if shown else 1.0,
            "false_per_image": self.false_boxes / self.images,
        }


def match(truth: list[list[float]], boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Which counted faces are found, their sizes, and how many boxes are false."""
    faces = np.asarray(truth, dtype=np.float32).reshape(-1, 4)
    corners = np.column_stack([faces[:, :2], faces[:, :2] + faces[:, 2:]])
    sizes = faces[:, 2:].max(axis=1)
    counted = sizes >= MIN_FACE
    found = np.zeros(len(faces), dtype=bool)
    boxes = boxes[np.argsort(-boxes[:, 4], kind="stable")]
    overlap = iou_matrix(boxes[:, :4], corners) if len(faces) else np.zeros((len(boxes), 0))
    false_boxes = 0
    for row in overlap:
        candidates = np.nonzero(counted & ~found & (row >= MATCH_IOU))[0]
        if len(candidates):
            found[candidates[np.argmax(row[candidates])]] = True
        elif not np.any(~counted & (row >= MATCH_IOU)):
            false_boxes += 1
    return found[counted], sizes[counted], false_boxes


def photoscreen_runner(mode: DetectionMode) -> Runner:
    detector = FaceDetector(mode)

    def run(rgb: np.ndarray) -> dict[str, np.ndarray]:
        rows = [
            (d.box.x, d.box.y, d.box.right, d.box.bottom, d.score, d.band == FaceBand.FACE)
            for d in detector.detect(rgb)
        ]
        table = np.asarray(rows, dtype=np.float32).reshape(-1, 6)
        return {"face": table[table[:, 5] > 0, :5], "face+possible": table[:, :5]}

    return run


def baseline_runner() -> Runner:
    """One plain CenterFace pass at 832 px on OpenCV's dnn, threshold 0.3, as in FACES.md
    (the cost unit of every goal, whichever backend the detector uses)."""
    net = CenterFaceNet(Backend.OPENCV)

    def run(rgb: np.ndarray) -> dict[str, np.ndarray]:
        height, width = rgb.shape[:2]
        factor = 832 / max(width, height)
        size = (round(width * factor / 32) * 32, round(height * factor / 32) * 32)
        boxes = decode(net.run(cv2.resize(rgb, size)), 0.3)
        boxes = nms(boxes, 0.3)
        boxes[:, [0, 2]] *= width / size[0]
        boxes[:, [1, 3]] *= height / size[1]
        return {"thr 0.3": boxes}

    return run


def yunet_runner() -> Runner | None:
    """YuNet @832, threshold 0.5: the reference (no registry ships it; benchmark only)."""
    if not YUNET_MODEL.exists():
        return None
    model = cv2.FaceDetectorYN.create(str(YUNET_MODEL), "", (832, 832), 0.5, 0.3, 5000)

    def run(rgb: np.ndarray) -> dict[str, np.ndarray]:
        height, width = rgb.shape[:2]
        factor = 832 / max(width, height)
        size = (round(width * factor), round(height * factor))
        model.setInputSize(size)
        _, faces = model.detect(cv2.cvtColor(cv2.resize(rgb, size), cv2.COLOR_RGB2BGR))
        faces = np.zeros((0, 15), np.float32) if faces is None else faces
        boxes = np.column_stack([faces[:, :2], faces[:, :2] + faces[:, 2:4], faces[:, 14]])
        boxes[:, :4] /= factor
        return {"thr 0.5": boxes.astype(np.float32)}

    return run


def timed(runner: Runner, rgb: np.ndarray) -> tuple[dict[str, np.ndarray], float]:
    start = time.perf_counter()
    result = runner(rgb)
    return result, time.perf_counter() - start


class SetError(Exception):
    """The benchmark set cannot be used; the message says why, in plain words."""


def read_set(data: Path, limit: int | None) -> tuple[dict[str, list[list[float]]], list[str]]:
    """The annotations of the set in ``data`` and the picture names to use, sorted."""
    path = data / "annotations.json"
    if not path.is_file():
        raise SetError(
            f"No annotations.json in {data}: a benchmark set is a folder of pictures with an "
            'annotations.json of the form {"image.jpg": [[x, y, w, h], ...]} (upright pixels).'
        )
    try:
        truth = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SetError(f"{path} is not valid JSON: {error}") from error
    if not isinstance(truth, dict):
        raise SetError(f"{path} must map picture names to lists of [x, y, w, h] boxes")
    for name, boxes in truth.items():
        valid = isinstance(boxes, list) and all(
            isinstance(box, list)
            and len(box) == 4
            and all(isinstance(v, (int, float)) for v in box)
            for box in boxes
        )
        if not valid:
            raise SetError(f"{path}: the boxes of {name!r} are not a list of [x, y, w, h]")
    missing = [name for name in truth if not (data / name).is_file()]
    if missing:
        raise SetError(f"{len(missing)} pictures named in {path} are not in {data}: {missing[:5]}")
    names = sorted(truth)[:limit]
    if not names:
        raise SetError(f"{path} names no pictures")
    return truth, names


def load_picture(path: Path) -> np.ndarray:
    """Upright RGB pixels of a picture, read as photoscreen reads photos."""
    try:
        return np.ascontiguousarray(decode_photo(read_photo_file(path)).pixels)
    except UnreadablePhoto as error:
        raise SetError(f"{path.name} cannot be read: {error.reason}") from error


def evaluate(data: Path, limit: int | None, modes: list[DetectionMode]) -> dict[str, object]:
    """Run every detector over the set, interleaved per image so load hits all alike."""
    truth, names = read_set(data, limit)
    runners = {"centerface@832 (baseline)": baseline_runner()}
    for mode in modes:
        runners[f"photoscreen {mode.value}"] = photoscreen_runner(mode)
    yunet = yunet_runner()
    if yunet is not None:
        runners["yunet@832 (reference)"] = yunet
    tallies: dict[str, Tally] = {}
    times: dict[str, list[float]] = {name: [] for name in runners}
    for image_name in names:
        rgb = load_picture(data / image_name)
        for runner_name, runner in runners.items():
            result, seconds = timed(runner, rgb)
            times[runner_name].append(seconds)
            for band, boxes in result.items():
                tallies.setdefault(f"{runner_name} [{band}]", Tally()).add(truth[image_name], boxes)
    baseline = statistics.median(times["centerface@832 (baseline)"])
    rows = {}
    for row_name, tally in tallies.items():
        runner_name = row_name.split(" [")[0]
        median = statistics.median(times[runner_name])
        rows[row_name] = {**tally.summary(), "ms": median * 1000, "cost": median / baseline}
    big = time_big_photo(data / names[0], runners, repeats=5)
    return {
        "set": str(data),
        "images": len(names),
        "faces_counted": _counted(truth, names),
        "backend": default_backend().value,
        "load_average": os.getloadavg()[0],
        "rows": rows,
        "big_photo": big,
    }


def time_big_photo(path: Path, runners: dict[str, Runner], repeats: int) -> dict[str, object]:
    """Median times on one set image enlarged to 4000 x 3000, relative to the baseline."""
    rgb = cv2.resize(load_picture(path), BIG_PHOTO)
    times: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(repeats):
        for name, runner in runners.items():
            times[name].append(timed(runner, rgb)[1])
    baseline = statistics.median(times["centerface@832 (baseline)"])
    return {
        "size": list(BIG_PHOTO),
        "ms": {name: statistics.median(ts) * 1000 for name, ts in times.items()},
        "cost": {name: statistics.median(ts) / baseline for name, ts in times.items()},
    }


def _counted(truth: dict[str, list[list[float]]], names: list[str]) -> int:
    return sum(1 for name in names for face in truth[name] if max(face[2:]) >= MIN_FACE)


def print_table(report: dict[str, object]) -> None:
    print(
        f"{report['set']}: {report['images']} images, {report['faces_counted']} faces counted; "
        f"detector on {report['backend']}; load average {report['load_average']:.1f}"
    )
    header = "| detector [band] | recall | <32 px | >=32 px | precision | false/img | ms | cost |"
    print(header)
    print("|---|---|---|---|---|---|---|---|")
    rows = report["rows"]
    assert isinstance(rows, dict)
    for name, row in rows.items():
        print(
            f"| {name} | {row['recall']:.3f} | {row['recall_small']:.3f} | "
            f"{row['recall_large']:.3f} | {row['precision']:.3f} | "
            f"{row['false_per_image']:.1f} | {row['ms']:.0f} | {row['cost']:.2f}x |"
        )
    big = report["big_photo"]
    assert isinstance(big, dict)
    print(f"\n{big['size'][0]} x {big['size'][1]} photo (median of repeats):")
    for name, ms in big["ms"].items():
        print(f"  {name}: {ms:.0f} ms, {big['cost'][name]:.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--set",
        "--data",
        dest="data",
        type=Path,
        default=DEFAULT_DATA,
        help="folder of pictures with an annotations.json (default: the shared crowd set)",
    )
    parser.add_argument(
        "--modes",
        default="default,thorough",
        help="detector modes to evaluate, comma-separated (default: default,thorough)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--limit", type=int, default=None, help="only the first N images")
    args = parser.parse_args(argv)
    try:
        modes = [DetectionMode(mode.strip()) for mode in args.modes.split(",") if mode.strip()]
    except ValueError:
        parser.error(f"--modes takes default and/or thorough, not {args.modes!r}")
    try:
        report = evaluate(args.data, args.limit, modes)
    except SetError as error:
        print(f"The benchmark set at {args.data} cannot be used: {error}", file=sys.stderr)
        if args.data == DEFAULT_DATA:
            print(
                "The shared set lives outside the repository in ../shared/data/faces; pass "
                "--set DIR to use another folder.",
                file=sys.stderr,
            )
        return 2
    if args.json:
        print(json.dumps(report, indent=None))
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
