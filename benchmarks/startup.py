"""Start-up benchmark: the self-contained app against ``python -m photoscreen``.

Goal (issue 16): the bundled app (dist/photoscreen, built by ``python3 run.py bundle``)
draws its window within 1.5x the time ``python -m photoscreen`` takes, measured in the
same run.

Each run starts a fresh process with ``--self-test``, which builds the real window (the
face model loaded first, as a normal start does) and prints "window drawn" once the window
has had its first paint; the clock runs from starting the process to reading that line,
then the process is stopped. Source and bundle runs alternate, so a busy moment of the
machine hits both; medians are reported. The window is drawn offscreen unless
``QT_QPA_PLATFORM`` says otherwise (``xvfb-run -a env QT_QPA_PLATFORM=xcb ...`` measures a
real X window). Each process gets its own temporary folder, removed afterwards.

    python benchmarks/startup.py [--repeats 7] [--bundle dist/photoscreen] [--json]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Report

ROOT = Path(__file__).resolve().parent.parent
GOAL_RATIO = 1.5
DRAWN_LINE = "window drawn"
TIMEOUT_S = 120.0


def time_to_drawn(command: list[str]) -> float:
    """Seconds from starting ``command`` until it prints the "window drawn" line."""
    scratch = Path(tempfile.mkdtemp(prefix="photoscreen-startup-"))
    env = dict(os.environ, TMPDIR=str(scratch), TEMP=str(scratch), TMP=str(scratch))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=scratch, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(DRAWN_LINE):
                return time.perf_counter() - start
            if time.perf_counter() - start > TIMEOUT_S:
                break
        raise RuntimeError(f"{command[0]} never drew its window (exit {process.poll()})")
    finally:
        process.kill()
        process.wait()
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "photoscreen")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = Report("startup", args.json)
    exe = args.bundle / ("photoscreen.exe" if sys.platform == "win32" else "photoscreen")
    if not exe.is_file():
        report.note(f"not measured: no bundle at {args.bundle} (python3 run.py bundle builds it)")
        report.finish()
        return 0
    source = [sys.executable, "-m", "photoscreen", "--self-test"]
    bundled = [str(exe), "--self-test"]
    time_to_drawn(source)  # warm the file cache for both before measuring
    time_to_drawn(bundled)
    sources, bundles = [], []
    for index in range(args.repeats):
        report.log(f"round {index + 1} of {args.repeats}")
        sources.append(time_to_drawn(source))
        bundles.append(time_to_drawn(bundled))
    source_s, bundle_s = statistics.median(sources), statistics.median(bundles)
    if not args.json:
        print(f"start-up benchmark: process start to first paint, {args.repeats} runs each")
    report.add("source_s", source_s, "s", "python -m photoscreen: window drawn (median)")
    report.add("bundle_s", bundle_s, "s", "dist/photoscreen/photoscreen: window drawn (median)")
    report.add("source_runs", " ".join(f"{s:.2f}" for s in sources), "s", "each source run")
    report.add("bundle_runs", " ".join(f"{s:.2f}" for s in bundles), "s", "each bundle run")
    report.goal("bundle_vs_source", bundle_s / source_s, GOAL_RATIO, "bundle / source")
    report.add("load_average_1min", os.getloadavg()[0], "", "machine load (other programs)")
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
