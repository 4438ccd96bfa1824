"""GUI-thread stall benchmark: does the window keep answering while a folder is read?

Goal (issue 6): while scan runs (hashing, thumbnails, face detection), the GUI thread
never stalls for more than 50 ms. The real main window is built offscreen with the real
face detector, a folder of generated 12-megapixel JPEGs is opened, and a person is
simulated: every 150 ms the next photo is chosen (which loads it full size on a worker
and fills the side panel). A 5 ms timer on the GUI thread records how late each tick
fires; a stall is the gap between ticks minus the timer period.

The baseline, from the same run, is the same timer and the same navigation on the same
folder once everything is cached (no scan running), so the ratio shows what scan adds
on this machine, whatever else is running on it.

    python benchmarks/gui_stalls.py [--photos 60] [--repeats 3] [--json]
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from pathlib import Path

from common import Report, common_arguments, generate_folder, temp_photo_dir

TICK_MS = 5
STEP_MS = 150
GOAL_MS = 50.0


def _measure(window, folder: Path, seconds: float) -> list[float]:
    """Open ``folder``, navigate for ``seconds``; returns the stalls in milliseconds."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    controller = window.controller
    gaps: list[float] = []
    clock = QElapsedTimer()
    tick = QTimer()
    tick.setInterval(TICK_MS)

    def on_tick() -> None:
        gaps.append(max(0.0, clock.restart() - TICK_MS))

    tick.timeout.connect(on_tick)
    step = QTimer()
    step.setInterval(STEP_MS)
    step.timeout.connect(lambda: controller.go(+1))
    if not controller.open_folder(folder):
        raise SystemExit("the folder could not be opened")
    clock.start()
    tick.start()
    step.start()
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()
    tick.stop()
    step.stop()
    controller.close_folder()
    return gaps[1:]


def _window(settings_dir: Path):
    from photoscreen.ui.control import Preferences
    from photoscreen.ui.window import build_window, default_detector_factory

    preferences = Preferences.at(settings_dir / "settings.ini")
    preferences.user_name = "Benchmark"
    window = build_window(preferences, default_detector_factory())
    window.resize(1366, 740)
    window.show()
    return window


def main() -> int:
    parser = common_arguments("GUI-thread stalls while a folder is read", default_photos=60)
    parser.add_argument("--seconds", type=float, default=8.0, help="time to navigate")
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    report = Report("gui_stalls", args.json)
    with temp_photo_dir() as directory:
        folder = directory / "photos"
        report.log(f"generating {args.photos} 12-megapixel JPEGs ...")
        generate_folder(folder, args.photos, distinct=min(args.photos, 20))
        window = _window(directory)
        busy, idle = [], []
        for round_ in range(args.repeats):
            shutil.rmtree(folder / ".photoscreen", ignore_errors=True)
            report.log(f"round {round_ + 1}: while reading the folder ...")
            busy.append(max(_measure(window, folder, args.seconds)))
            _wait_until_read(window, folder)
            report.log(f"round {round_ + 1}: everything cached ...")
            idle.append(max(_measure(window, folder, args.seconds)))
        window.close()
    worst_busy, worst_idle = statistics.median(busy), statistics.median(idle)
    report.add("photos", args.photos)
    report.add("stall_idle_ms", worst_idle, "ms", "longest stall, nothing being read (median)")
    report.add("stall_busy_ms", worst_busy, "ms", "longest stall while reading (median)")
    report.add("busy_over_idle", worst_busy / max(worst_idle, 1.0), "x", "... / idle")
    report.goal("busy_over_goal", worst_busy / GOAL_MS, 1.0, f"longest stall / {GOAL_MS:g} ms")
    report.finish()
    del app
    return 0


def _wait_until_read(window, folder: Path) -> None:
    """Open the folder and let scan finish, so the next round has everything cached."""
    from PySide6.QtCore import QEventLoop, QTimer

    controller = window.controller
    controller.open_folder(folder)
    deadline = time.monotonic() + 600
    # The session opens on a worker first; then the scan runs until the folder is read.
    while controller.opening or (controller.scan is not None and controller.scan.running):
        if time.monotonic() > deadline:
            raise SystemExit("reading the folder took over 10 minutes")
        loop = QEventLoop()
        QTimer.singleShot(100, loop.quit)
        loop.exec()
    controller.close_folder()


if __name__ == "__main__":
    sys.exit(main())
