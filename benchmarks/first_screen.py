"""First-screen benchmark: the real window opens a 300-photo folder; when are 40 thumbnails in?

Goal (issue 6): the first 40 thumbnails of a 300-photo folder are on screen within 1 second
of opening it (12-megapixel JPEGs, 2 cores, no GPU).

The real main window is built (offscreen) with the real face detector, a folder of
generated photos is opened through the controller, and the clock runs from the call to
``open_folder`` until the grid model holds thumbnails for its first 40 rows. Measured on a
first open (nothing cached) and on a reopen (thumbnails and detections cached). The
baseline, from the same run, is the least work the first screen needs: a bare 1/8
DCT-scaled decode of those 40 files, spread over the cores.

Many files are byte variants of a few rendered pictures (see ``--distinct``), which keeps
generation quick; each is still read, hashed and decoded on its own.

    python benchmarks/first_screen.py [--photos 300] [--repeats 3] [--distinct 60] [--json]
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from common import (
    Report,
    bare_decode,
    common_arguments,
    generate_folder,
    temp_photo_dir,
)

FIRST_SCREEN = 40
GOAL_S = 1.0
TIMEOUT_S = 60.0


def qt_app() -> Any:
    """The offscreen QApplication (made once per process)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def make_window(settings_dir: Path) -> Any:
    """The real main window with the real detector and throwaway preferences."""
    from photoscreen.ui.control import Preferences
    from photoscreen.ui.window import build_window, default_detector_factory

    preferences = Preferences.at(settings_dir / "settings.ini")
    preferences.user_name = "benchmark"
    window = build_window(preferences, default_detector_factory())
    window.show()
    return window


def wait_until(app: Any, done: Any, timeout: float = TIMEOUT_S) -> float:
    """Run the event loop until ``done()``; the seconds it took (raises on timeout)."""
    start = time.perf_counter()
    while not done():
        app.processEvents()
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the window did not get there in time")
        time.sleep(0.001)
    return time.perf_counter() - start


def first_rows_have_thumbnails(controller: Any, count: int) -> bool:
    model = controller.model
    rows = min(count, model.rowCount())
    ids = [model.photo_id_at(row) for row in range(rows)]
    return rows > 0 and all(i is not None and model.has_thumbnail(i) for i in ids)


def visible_rows(window: Any) -> int:
    """How many grid cells the window shows at its current size."""
    grid, proxy = window.grid, window.controller.proxy
    area = grid.viewport().rect()
    rows = range(proxy.rowCount())
    return sum(1 for row in rows if area.intersects(grid.visualRect(proxy.index(row, 0))))


def time_first_screen(app: Any, window: Any, folder: Path) -> tuple[float, float, int]:
    """Seconds from ``open_folder`` until the visible cells, then the first 40 rows, all
    show thumbnails; and how many cells were visible."""
    controller = window.controller
    start = time.perf_counter()
    if not controller.open_folder(folder):
        raise RuntimeError(f"the window could not open {folder}")
    # The session opens on a worker: the grid has rows once it has.
    wait_until(app, lambda: not controller.opening)
    app.processEvents()
    shown = visible_rows(window)
    wait_until(app, lambda: first_rows_have_thumbnails(controller, shown))
    visible_s = time.perf_counter() - start
    wait_until(app, lambda: first_rows_have_thumbnails(controller, FIRST_SCREEN))
    return visible_s, time.perf_counter() - start, shown


def close_folder(app: Any, window: Any) -> None:
    window.controller.close_folder()
    window.controller.workers.drain()
    app.processEvents()


def bare_first_screen(paths: list[Path]) -> float:
    """Baseline: bare 1/8 decode of the first photos, one thread; divided by the cores."""
    total = 0.0
    for path in paths[:FIRST_SCREEN]:
        data = path.read_bytes()
        start = time.perf_counter()
        bare_decode(data, min_long_side=256)
        total += time.perf_counter() - start
    return total / (os.cpu_count() or 1)


def main() -> int:
    parser = common_arguments(__doc__.splitlines()[0], default_photos=300)
    parser.add_argument("--distinct", type=int, default=60, help="distinct pictures rendered")
    args = parser.parse_args()
    report = Report("first_screen", args.json)
    app = qt_app()
    with temp_photo_dir() as base:
        report.log(f"generating {args.photos} 12-megapixel JPEGs ...")
        master = generate_folder(base / "master", args.photos, distinct=args.distinct)
        window = make_window(base)
        firsts, reopens, bares, visibles = [], [], [], []
        shown = 0
        for index in range(args.repeats):
            folder = base / f"open{index}"
            shutil.copytree(base / "master", folder)
            report.log(f"round {index + 1}: first open ...")
            visible_s, first_s, shown = time_first_screen(app, window, folder)
            visibles.append(visible_s)
            firsts.append(first_s)
            close_folder(app, window)
            report.log(f"round {index + 1}: reopen ...")
            reopens.append(time_first_screen(app, window, folder)[1])
            close_folder(app, window)
            bares.append(bare_first_screen(master))
            shutil.rmtree(folder)
        window.close()
    first, reopen, bare = (statistics.median(v) for v in (firsts, reopens, bares))
    visible = statistics.median(visibles)
    if not args.json:
        print(f"first-screen benchmark: {args.photos} photos, first {FIRST_SCREEN} thumbnails")
    report.add("photos", args.photos)
    report.add("bare_s", bare, "s", f"bare 1/8 decode of {FIRST_SCREEN} photos / cores")
    report.add("visible_cells", shown, "", "grid cells visible in the window (1366x740)")
    report.add("first_open_visible_s", visible, "s", "first open: every visible cell filled")
    report.add("first_open_s", first, "s", f"first open: first {FIRST_SCREEN} rows filled")
    report.add("first_open_ratio", first / bare, "x", "  ... / bare")
    report.goal("first_open_vs_goal", first / GOAL_S, 1.0, "first open / 1 s")
    report.add("reopen_s", reopen, "s", "reopen (cached): thumbnails shown")
    report.goal("reopen_vs_goal", reopen / GOAL_S, 1.0, "reopen / 1 s")
    report.add("load_average_1min", os.getloadavg()[0], "", "machine load (other programs)")
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
