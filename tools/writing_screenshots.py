#!/usr/bin/env python3
"""Screenshots of writing found and covered: a photo with a name label and a number plate.

    python tools/writing_screenshots.py [--out docs/screenshots]

Makes one photo (a public-domain picture from scikit-image with a coat-peg name label and a
UK number plate drawn on it, by ``tests/helpers/text_scenes.py``), opens it in the real window with
the real detectors on a 1366 x 768 virtual screen (Xvfb, as ``tools/screenshots.py``), and
saves two PNGs: the "writing?" regions as staff first see them, and the export preview
once they are accepted (solid fill).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WIDTH, HEIGHT = 2400, 1800


def make_photo(folder: Path) -> Path:
    """A photo with a peg label and a plate at known sizes (letters 40-55 px)."""
    import numpy as np
    from PIL import Image

    from tests.helpers import text_scenes

    rng = np.random.default_rng(21)
    scene = text_scenes.Scene(text_scenes.background("coffee", rng, (WIDTH, HEIGHT)))
    taken: list[tuple[int, ...]] = []
    for kind, letters in (("peg", 55.0), ("plate", 42.0)):
        text_scenes.place(scene, text_scenes.make_card(kind, letters, rng), rng, taken)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "IMG_3012.jpg"
    Image.fromarray(scene.pixels).save(path, quality=92)
    return path


def tour(window: Any, folder: Path, camera: Any) -> Iterator[Any]:
    from tools.screenshot_tour import Wait, pause

    c, view = window.controller, window.photo_view
    yield Wait("the window to appear", window.isVisible)
    c.open_folder(folder)
    yield Wait("the photo to be read", lambda: bool(c.entries()) and c.entries()[0].decisions, 240)
    c.select(c.entries()[0].name)
    yield Wait("the writing regions", lambda: len(view.face_ids()) >= 2, 60)
    yield pause(2.0)
    camera.shoot("16-writing-found")
    for face_id in list(view.face_ids()):
        c.verbs.accept_possible(face_id)
    yield pause(0.5)
    c.verbs.toggle_preview()
    yield Wait("the export preview", view.is_previewing, 60)
    yield pause(3.0)
    camera.shoot("17-writing-covered")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tools.screenshots import _UNDER_XVFB, SCREEN, WINDOW

    _rerun_under_xvfb(argv, _UNDER_XVFB, SCREEN)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from photoscreen.ui.control import Preferences
    from photoscreen.ui.window import build_window, default_detector_factory
    from tools.screenshot_tour import Camera, TourDriver

    app = QApplication.instance() or QApplication(["photoscreen"])
    with tempfile.TemporaryDirectory(prefix="photoscreen-writing-") as scratch:
        folder = Path(scratch) / "Outing 3 June"
        make_photo(folder)
        ini = QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat)
        preferences = Preferences(ini)
        preferences.user_name = "Jo Bennett"
        window = build_window(preferences, default_detector_factory())
        window.move(0, 0)
        window.resize(*WINDOW)
        window.show()
        camera = Camera(args.out.resolve(), WINDOW)
        driver = TourDriver(tour(window, folder, camera))
        driver.start()
        code = app.exec()
        window.close()
    if driver.failure:
        print(f"The screenshots stopped:\n{driver.failure}")
        return 1
    return code


def _rerun_under_xvfb(argv: list[str], marker: str, screen: tuple[int, int]) -> None:
    """Re-run this script on a private X screen of ``screen`` (as tools/screenshots.py)."""
    import os
    import subprocess

    if os.environ.get(marker) or sys.platform in ("win32", "darwin"):
        return
    env = dict(os.environ, **{marker: "1", "QT_QPA_PLATFORM": "xcb"})
    size = f"-screen 0 {screen[0]}x{screen[1]}x24"
    command = ["xvfb-run", "-a", "-s", size, sys.executable, str(Path(__file__)), *argv]
    sys.exit(subprocess.run(command, env=env, check=False).returncode)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
