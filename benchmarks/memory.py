"""Memory benchmark: peak memory while a big folder is scanned, against an idle process.

Goal (issue 6): with a 2,000-photo folder open and scanned, peak memory is at most 300 MB
above an empty window, and it does not grow with the number of photos beyond the
thumbnail cache.

The measurement runs in a child process so nothing else is in its memory. The child first
builds the baseline (photoscreen imported, an offscreen QApplication with an empty main
window), records its resident memory, then opens the folder as a real session and scans
every photo with face detection, keeping thumbnails the way the grid does (a bounded
most-recently-used cache of the grid model's size). A sampler thread reads the resident
set size every 20 ms; the figures are the peak above baseline and the resident memory at
each quarter of the folder (a flat line means no per-photo growth).

To keep a 2,000-photo folder quick to make, a few distinct 12-megapixel pictures are
rendered and the rest are byte variants (different JPEG comment, so a different content
hash): every file is still read, hashed, decoded and run through the detector.

    python benchmarks/memory.py [--photos 2000] [--distinct 12] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

from common import REPO_ROOT, Report, common_arguments, generate_folder, temp_photo_dir

BUDGET_MB = 300.0


def rss_mb() -> float:
    """Resident set size of this process in MB (Linux /proc; psutil-free)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


class Sampler(threading.Thread):
    """Polls resident memory in the background and remembers the peak."""

    def __init__(self, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak = rss_mb()
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            self.peak = max(self.peak, rss_mb())

    def stop(self) -> float:
        self._stop_event.set()
        self.join()
        return max(self.peak, rss_mb())


def _empty_window() -> tuple[Any, Any, str]:
    """An offscreen QApplication and the emptiest main window available."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication.instance() or QApplication([])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    return app, window, "QApplication + empty QMainWindow (offscreen)"


def child(folder: Path) -> dict[str, Any]:
    """Run in the child process: baseline, then scan the folder; returns the figures."""
    app, window, baseline_kind = _empty_window()
    import photoscreen.core.workflows  # noqa: F401  (imported before the baseline is taken)

    time.sleep(0.2)
    baseline = rss_mb()
    from photoscreen.core.basics import CancelToken
    from photoscreen.core.faces import FaceDetector
    from photoscreen.core.imaging import ThumbnailStore
    from photoscreen.core.session import Session
    from photoscreen.core.workflows import scan_photos
    from photoscreen.ui.grid import THUMBNAIL_CACHE_SIZE
    from photoscreen.ui.threads import grid_thumbnail

    paths = sorted(folder.glob("*.jpg"))
    cache_size = THUMBNAIL_CACHE_SIZE
    thumbs: OrderedDict[str, Any] = OrderedDict()
    checkpoints: dict[str, float] = {}
    sampler = Sampler()
    sampler.start()
    start = time.perf_counter()
    with Session.open(folder, "benchmark") as session:
        store = ThumbnailStore(session.session_dir)
        results = scan_photos(
            paths,
            detector_factory=FaceDetector,
            cancel=CancelToken(),
            cache=session,
            sink=session,
            thumbs=store,
        )
        for done, result in enumerate(results, start=1):
            if result.error is not None:
                raise AssertionError(f"{result.path}: {result.error}")
            # As the window keeps it: grid-sized, in the format screens paint.
            thumbs[result.photo_hash or ""] = grid_thumbnail(result.thumbnail)
            while len(thumbs) > cache_size:
                thumbs.popitem(last=False)
            if done % max(1, len(paths) // 4) == 0:
                checkpoints[str(done)] = rss_mb() - baseline
    elapsed = time.perf_counter() - start
    peak = sampler.stop()
    thumb_mb = sum(t.sizeInBytes() for t in thumbs.values()) / 1e6
    window.close()
    app.processEvents()
    return {
        "baseline_kind": baseline_kind,
        "baseline_mb": baseline,
        "peak_mb": peak,
        "checkpoints_mb": checkpoints,
        "thumbnail_cache_mb": thumb_mb,
        "thumbnail_cache_size": cache_size,
        "photos": len(paths),
        "scan_s": elapsed,
    }


def main() -> int:
    parser = common_arguments(__doc__.splitlines()[0], default_photos=2000)
    parser.add_argument("--distinct", type=int, default=12, help="distinct pictures rendered")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return 0
    report = Report("memory", args.json)
    with temp_photo_dir() as base:
        folder = base / "photos"
        report.log(f"generating {args.photos} 12-megapixel JPEGs ({args.distinct} distinct) ...")
        generate_folder(folder, args.photos, distinct=args.distinct)
        report.log("scanning in a child process ...")
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        completed = subprocess.run(
            [sys.executable, __file__, "--child", str(folder)],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO_ROOT,
            check=False,
        )
        if completed.returncode != 0:
            print(completed.stderr, file=sys.stderr)
            return completed.returncode
        figures = json.loads(completed.stdout.strip().splitlines()[-1])
    _report(report, figures)
    report.finish()
    return 0


def _report(report: Report, figures: dict[str, Any]) -> None:
    if not report.as_json:
        print(f"memory benchmark: {figures['photos']} photos; baseline {figures['baseline_kind']}")
    above = figures["peak_mb"] - figures["baseline_mb"]
    report.add("photos", figures["photos"])
    report.add("baseline_mb", figures["baseline_mb"], "MB", "baseline resident memory")
    report.add("peak_mb", figures["peak_mb"], "MB", "peak resident memory during scan")
    report.add("scan_s", figures["scan_s"], "s", "scan wall time")
    report.add(
        "thumbnail_cache_mb",
        figures["thumbnail_cache_mb"],
        "MB",
        f"thumbnails held (grid cache of {figures['thumbnail_cache_size']})",
    )
    report.goal("peak_above_baseline_mb", above / BUDGET_MB, 1.0, "peak above baseline / 300 MB")
    report.add("peak_above_baseline_mb_abs", above, "MB", "  ... in MB")
    points = figures["checkpoints_mb"]
    for done, value in points.items():
        report.add(f"above_baseline_after_{done}_mb", value, "MB", f"  after {done} photos")
    values = list(points.values())
    if len(values) >= 2:
        # Growth from the first quarter to the end, excluding the bounded thumbnail cache.
        growth = values[-1] - values[0]
        report.add("growth_first_quarter_to_end_mb", growth, "MB", "growth, quarter -> end")


if __name__ == "__main__":
    sys.exit(main())
