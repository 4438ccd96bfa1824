"""Scan benchmark: hash + thumbnail + face detection of a folder vs the unavoidable work.

Goal (issue 6): scanning a 100-photo folder of 12-megapixel JPEGs takes at most 1.25x the
sum of the unavoidable work measured alone in the same run (one decode at the resolution
the detector needs plus one detector pass per photo), spread over the cores.

The baseline is measured photo by photo on one thread with OpenCV limited to one thread,
so each figure is single-core work; divided by the number of cores it is the best any
parallel arrangement could do. Also printed: the scan's CPU time against the baseline's
(insensitive to other programs competing for the cores), how the work is best split
between worker threads and OpenCV's own threads, a reopen with everything cached, and the
first-screen decode (1/8 DCT-scaled JPEG vs a full decode).

    python benchmarks/scan.py [--photos 100] [--repeats 3] [--compare-threads] [--json]
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
from common import (
    PHOTO_SIZE,
    Report,
    bare_decode,
    common_arguments,
    generate_folder,
    median_time,
    temp_photo_dir,
)

from photoscreen.core.basics import CancelToken
from photoscreen.core.faces import Detection, FaceDetector
from photoscreen.core.imaging import (
    THUMBNAIL_LONG_SIDE,
    ThumbnailStore,
    decode_photo,
    quick_thumbnail,
    read_photo_file,
)
from photoscreen.core.workflows import scan_photos


class MemoryCache:
    """Detections kept in a dict: the session's part in a reopen, without disk writes."""

    def __init__(self) -> None:
        self.detections: dict[tuple[str, str], list[Detection]] = {}

    def cached_detections(self, photo_hash: str, settings_key: str) -> list[Detection] | None:
        return self.detections.get((photo_hash, settings_key))

    def record_scan(
        self,
        path: Path,
        photo_hash: str,
        width: int,
        height: int,
        format: str,
        detections: list[Detection] | None,
        settings_key: str | None,
    ) -> None:
        if detections is not None and settings_key is not None:
            self.detections[(photo_hash, settings_key)] = detections

    def record_unreadable(self, path: Path, reason: str) -> None:
        raise AssertionError(f"generated photo unreadable: {path}: {reason}")


def cpu_seconds() -> float:
    """CPU time of this process so far (all threads)."""
    times = os.times()
    return times.user + times.system


def unavoidable_work(paths: list[Path]) -> tuple[float, float]:
    """Sum over photos of (reduced decode + one detector pass), single-core; and CPU time."""
    previous = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        detector = FaceDetector()
        need = max(THUMBNAIL_LONG_SIDE, detector.min_decode_long_side())
        total = 0.0
        cpu_before = cpu_seconds()
        for path in paths:
            data = read_photo_file(path)
            start = time.perf_counter()
            pixels = bare_decode(data, min_long_side=need)
            detector.detect(pixels, pixels.shape[1] / PHOTO_SIZE[0])
            total += time.perf_counter() - start
        return total, cpu_seconds() - cpu_before
    finally:
        cv2.setNumThreads(previous)


def unavoidable_work_threaded(paths: list[Path], workers: int) -> float:
    """Wall time of the same unavoidable work on ``workers`` plain threads (no pipeline).

    On a shared machine other programs take cores away; this shows what the bare work
    achieves in parallel under the same conditions, so the pipeline's own cost is
    ``scan / this``.
    """
    previous = cv2.getNumThreads()
    cv2.setNumThreads(1)
    local = threading.local()

    def one(path: Path) -> None:
        detector = getattr(local, "detector", None)
        if detector is None:
            detector = local.detector = FaceDetector()
        need = max(THUMBNAIL_LONG_SIDE, detector.min_decode_long_side())
        pixels = bare_decode(read_photo_file(path), min_long_side=need)
        detector.detect(pixels, pixels.shape[1] / PHOTO_SIZE[0])

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            start = time.perf_counter()
            list(pool.map(one, paths))
            return time.perf_counter() - start
    finally:
        cv2.setNumThreads(previous)


def run_scan(
    paths: list[Path], session_dir: Path, workers: int, cache: MemoryCache | None = None
) -> tuple[float, float, int]:
    """Wall time, CPU time and number of results of one scan of ``paths``."""
    thumbs = ThumbnailStore(session_dir)
    cpu_before = cpu_seconds()
    start = time.perf_counter()
    count = 0
    for result in scan_photos(
        paths,
        detector_factory=FaceDetector,
        cancel=CancelToken(),
        cache=cache,
        sink=cache,
        thumbs=thumbs,
        workers=workers,
    ):
        if result.error is not None:
            raise AssertionError(f"{result.path}: {result.error}")
        count += 1
    return time.perf_counter() - start, cpu_seconds() - cpu_before, count


def fresh_dir(base: Path, name: str) -> Path:
    path = base / name
    path.mkdir(parents=True, exist_ok=False)
    return path


def measure_scan(report: Report, paths: list[Path], base: Path, repeats: int) -> None:
    """The goal: scan wall time against the unavoidable work spread over the cores."""
    cores = os.cpu_count() or 1
    report.log(f"baseline: reduced decode + detection of {len(paths)} photos, one core ...")
    baselines = [unavoidable_work(paths) for _ in range(repeats)]
    work = statistics.median(b[0] for b in baselines)
    work_cpu = statistics.median(b[1] for b in baselines)
    report.log("scan (no cache) ...")
    # Each cold run starts with an empty session; the last one's is reused for the reopen.
    caches = [MemoryCache() for _ in range(repeats)]
    dirs = [fresh_dir(base, f"cold{i}") for i in range(repeats)]
    runs = [run_scan(paths, dirs[i], cores, caches[i]) for i in range(repeats)]
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    report.log("the same unavoidable work on plain threads ...")
    threaded = statistics.median(unavoidable_work_threaded(paths, cores) for _ in range(repeats))
    report.add("cores", cores)
    report.add("photos", len(paths))
    report.add("unavoidable_work_s", work, "s", "sum of decode+detect per photo (1 core)")
    report.add("unavoidable_per_core_s", work / cores, "s", "  ... spread over the cores")
    report.add("scan_wall_s", wall, "s", "scan wall time (hash+thumbnail+detect)")
    report.add("scan_per_photo_s", wall / len(paths), "s", "  ... per photo")
    report.goal("scan_ratio", wall / (work / cores), 1.25, "scan / (unavoidable / cores)")
    report.add("scan_cpu_ratio", cpu / work_cpu, "x", "scan CPU time / baseline CPU time")
    report.add("unavoidable_threaded_s", threaded, "s", "unavoidable work on plain threads")
    report.add(
        "scan_vs_threaded_ratio", wall / threaded, "x", "scan / that (the pipeline's cost)"
    )
    reopen = median_time(lambda: run_scan(paths, dirs[-1], cores, caches[-1]), repeats)
    report.add("reopen_wall_s", reopen, "s", "reopen, all cached (hash + thumbnail load)")
    report.add("reopen_ratio", reopen / wall, "x", "  ... / first scan")


def compare_arrangements(report: Report, paths: list[Path], base: Path) -> None:
    """Worker threads vs OpenCV's own threads: which split of the cores is fastest.

    With more than one worker, scan itself turns OpenCV's threading off (an earlier run
    of this comparison measured 2 workers x 2 OpenCV threads at 1.9x the time of 2 workers
    x 1); with one worker OpenCV keeps its threads.
    """
    cores = os.cpu_count() or 1
    previous = cv2.getNumThreads()
    try:
        for workers in (cores, 1):
            cv2.setNumThreads(cores)
            report.log(f"scan with {workers} worker(s) ...")
            wall, _, _ = run_scan(paths, fresh_dir(base, f"arr{workers}"), workers)
            threads = 1 if workers > 1 else cores
            report.add(
                f"scan_s_workers{workers}",
                wall,
                "s",
                f"scan with {workers} worker(s), OpenCV threads {threads}",
            )
    finally:
        cv2.setNumThreads(previous)


def measure_first_screen_decode(report: Report, paths: list[Path], repeats: int) -> None:
    """A 1/8 DCT-scaled decode (quick thumbnail) against a full decode of the same file."""
    sample = paths[: min(10, len(paths))]
    datas = [read_photo_file(p) for p in sample]
    full = statistics.median(median_time(lambda d=d: bare_decode(d), repeats) for d in datas)
    draft = statistics.median(
        median_time(lambda d=d: bare_decode(d, THUMBNAIL_LONG_SIDE), repeats) for d in datas
    )
    loader = statistics.median(
        median_time(lambda d=d: decode_photo(d, min_long_side=THUMBNAIL_LONG_SIDE), repeats)
        for d in datas
    )
    quick = statistics.median(median_time(lambda p=p: quick_thumbnail(p), repeats) for p in sample)
    report.add("full_decode_s", full, "s", "full decode of one 12 MP JPEG")
    report.add("draft_decode_s", draft, "s", "bare 1/8 DCT-scaled decode of the same file")
    report.add("draft_speedup", full / draft, "x", "  ... faster than a full decode")
    report.add("loader_draft_decode_s", loader, "s", "decode_photo at 1/8 (with its checks)")
    report.add("quick_thumbnail_s", quick, "s", "quick_thumbnail (read + loader 1/8 + resize)")
    report.add("quick_thumbnail_ratio", quick / draft, "x", "  ... / bare 1/8 decode")
    report.add(
        "first_screen_40_estimate_s",
        40 * quick / (os.cpu_count() or 1),
        "s",
        "40 quick thumbnails spread over the cores (goal 1 s)",
    )


def main() -> int:
    parser = common_arguments(__doc__.splitlines()[0], default_photos=100)
    parser.add_argument(
        "--compare-threads",
        action="store_true",
        help="also time worker threads vs OpenCV threads (one run each)",
    )
    args = parser.parse_args()
    report = Report("scan", args.json)
    with temp_photo_dir() as base:
        report.log(f"generating {args.photos} 12-megapixel JPEGs ...")
        paths = generate_folder(base / "photos", args.photos)
        if not args.json:
            print(f"scan benchmark: {len(paths)} photos, {os.cpu_count()} cores")
        measure_first_screen_decode(report, paths, args.repeats)
        measure_scan(report, paths, base / "sessions", args.repeats)
        if args.compare_threads:
            compare_arrangements(report, paths, base / "sessions")
        report.add("load_average_1min", os.getloadavg()[0], "", "machine load (other programs)")
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
