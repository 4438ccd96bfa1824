"""Shared set-up for window tests: a folder of generated photos and a real main window."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import piexif
import pytest
import skimage.data
from PIL import Image

from photoscreen.core.basics.geometry import Box
from photoscreen.core.faces.detector import FaceDetector
from photoscreen.core.rules.policy import PhotoState
from photoscreen.ui.control.preferences import Preferences
from photoscreen.ui.window.main_window import MainWindow
from photoscreen.ui.window.startup import build_window

SIZE = (640, 480)
# Where the astronaut's face lands in a photo made with ``face_at`` = (x, y): the
# portrait is pasted at half size, and its face sits at (170, 40, 120, 150) in it.
PORTRAIT_SCALE = 0.5


def face_box(at: tuple[int, int]) -> Box:
    """The astronaut's face in a photo made by :func:`scene` with ``face_at=at``."""
    s = PORTRAIT_SCALE
    return Box(at[0] + 170 * s, at[1] + 40 * s, 120 * s, 150 * s)


def scene(seed: int, face_at: tuple[int, int] | None = None) -> np.ndarray:
    """A 640 x 480 photo: scikit-image's coffee, tinted per seed, maybe with a face."""
    pixels = cv2.resize(skimage.data.coffee(), SIZE, interpolation=cv2.INTER_AREA)
    pixels = np.clip(pixels.astype(np.int16) + (seed * 17 % 40) - 20, 0, 255).astype(np.uint8)
    if face_at is not None:
        side = round(512 * PORTRAIT_SCALE)
        portrait = cv2.resize(skimage.data.astronaut(), (side, side), interpolation=cv2.INTER_AREA)
        x, y = face_at
        pixels[y : y + side, x : x + side] = portrait
    return pixels


def save_jpeg(path: Path, pixels: np.ndarray, *, gps: bool = True) -> Path:
    """A JPEG with identifying EXIF (GPS position, camera serial, owner's name)."""
    exif = {
        "0th": {piexif.ImageIFD.Make: b"Camera", piexif.ImageIFD.Artist: b"Jo Bloggs"},
        "Exif": {piexif.ExifIFD.BodySerialNumber: b"SN123456"},
        "GPS": {
            piexif.GPSIFD.GPSLatitudeRef: b"N",
            piexif.GPSIFD.GPSLatitude: ((53, 1), (40, 1), (0, 1)),
            piexif.GPSIFD.GPSLongitudeRef: b"W",
            piexif.GPSIFD.GPSLongitude: ((1, 1), (30, 1), (0, 1)),
        }
        if gps
        else {},
    }
    Image.fromarray(pixels).save(path, "JPEG", quality=92, exif=piexif.dump(exif))
    return path


def file_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file directly in ``folder``."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


@pytest.fixture
def make_window(qtbot, tmp_path: Path) -> Iterator[Callable[..., MainWindow]]:
    """Build real main windows (closed at the end) for user ``Sam Staff``."""
    made: list[MainWindow] = []

    def make(detector: bool = True, user: str = "Sam Staff") -> MainWindow:
        preferences = Preferences.at(tmp_path / f"preferences-{len(made)}.ini")
        preferences.user_name = user
        window = build_window(preferences, FaceDetector if detector else None)
        qtbot.addWidget(window)
        window.resize(1366, 740)
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()


def open_and_wait(qtbot, window: MainWindow, folder: Path, timeout: int = 20000) -> None:
    """Open ``folder`` in ``window`` and wait until its session is open (done on a worker)."""
    with qtbot.waitSignal(window.controller.folder_opened, timeout=timeout):
        assert window.controller.open_folder(folder)


def scanned_window(qtbot, make_window, folder: Path) -> MainWindow:
    """A shown window (no detector) with ``folder`` open and every photo read."""
    window = make_window(detector=False)
    window.show()
    qtbot.waitExposed(window)
    assert window.controller.open_folder(folder)
    wait_until_scanned(qtbot, window)
    return window


def wait_until_scanned(qtbot, window: MainWindow, timeout: int = 60000) -> None:
    """Wait until every photo was read (thumbnail, hash and faces) by the folder scan."""

    def scanned() -> bool:
        entries = window.controller.entries()
        return bool(entries) and all(e.state is not PhotoState.NOT_SCANNED for e in entries)

    qtbot.waitUntil(scanned, timeout=timeout)
