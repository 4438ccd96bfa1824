#!/usr/bin/env python3
"""Screenshots of photoscreen's main screens, taken from the real window on sample photos.

    python tools/screenshots.py [--out docs/screenshots] [--size 1920x1080]

Builds the demo folder (public-domain pictures, see photoscreen.core.demo.sample_folder) in
a temporary directory, starts the real main window on a 1366 x 768 virtual screen (Xvfb),
drives it through its screens the way a member of staff would (welcome, the grid with its
badges, the photo with face boxes, the redaction preview, review mode, export and its
summary, settings, the keyboard help) and saves one PNG of each. Nothing outside the
temporary directory and the output folder is written: settings go to a throw-away file.

On Linux without a display it re-runs itself under ``xvfb-run``; install that with
``apt-get install -y xvfb libxcb-icccm4 libxcb-keysyms1``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCREEN = (1366, 768)
# What a maximised window gets: the screen minus a taskbar and a title bar.
TASKBAR_AND_TITLE = 68
_UNDER_XVFB = "PHOTOSCREEN_SCREENSHOTS_XVFB"


def _rerun_under_xvfb(argv: list[str]) -> None:
    """Re-run this script on a private 1366 x 768 X screen, so every run looks the same."""
    if os.environ.get(_UNDER_XVFB) or sys.platform in ("win32", "darwin"):
        return
    if shutil.which("xvfb-run") is None:
        if os.environ.get("DISPLAY"):
            print("xvfb-run not found: using the current display instead.", file=sys.stderr)
            return
        sys.exit(
            "No display, and xvfb-run is not installed. Install it with:\n"
            "    sudo apt-get install -y xvfb libxcb-icccm4 libxcb-keysyms1\n"
            "then run this script again."
        )
    env = dict(os.environ, **{_UNDER_XVFB: "1", "QT_QPA_PLATFORM": "xcb"})
    width, height = _size(argv)
    screen = f"-screen 0 {width}x{height}x24"
    command = ["xvfb-run", "-a", "-s", screen, sys.executable, str(Path(__file__)), *argv]
    sys.exit(subprocess.run(command, env=env, check=False).returncode)


def _warn_if_uncommitted() -> None:
    """Screenshots go into the repository: say so when they show uncommitted code."""
    if shutil.which("git") is None:
        return
    result = subprocess.run(
        ["git", "status", "--porcelain", "--", "photoscreen"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode == 0 and result.stdout.strip():
        print(
            "Note: photoscreen/ has uncommitted changes; these screenshots show them:\n"
            + result.stdout,
            file=sys.stderr,
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", default="1366x768", help="the screen, e.g. 1920x1080")
    args = parser.parse_args(argv)
    width, height = _size(argv)
    _rerun_under_xvfb(argv)
    _warn_if_uncommitted()
    sys.path.insert(0, str(ROOT))
    from tools.screenshot_tour import run_tour

    with tempfile.TemporaryDirectory(prefix="photoscreen-screens-") as scratch:
        return run_tour(Path(scratch), args.out.resolve(), (width, height - TASKBAR_AND_TITLE))


def _size(argv: list[str]) -> tuple[int, int]:
    """The screen size asked for with ``--size WxH`` (1366 x 768 without)."""
    for index, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--size=") else None
        if arg == "--size" and index + 1 < len(argv):
            value = argv[index + 1]
        if value:
            width, height = value.lower().split("x")
            return int(width), int(height)
    return SCREEN


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
