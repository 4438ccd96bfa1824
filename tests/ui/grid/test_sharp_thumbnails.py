"""Grid thumbnails are sharp on a scaled screen (200 %): made with as many pixels as the
screen paints, and painted pixel for pixel; the grid's memory stays the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from photoscreen.core.rules.policy import PhotoState, PhotoStatus
from photoscreen.ui.grid import model as grid_model
from photoscreen.ui.grid.model import GridEntry, PhotoGridModel
from photoscreen.ui.threads.images import grid_thumbnail
from tests.ui.conftest import save_jpeg, scene

READY = PhotoStatus(PhotoState.READY)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(20, 700),
    st.integers(20, 700),
    st.sampled_from([1.0, 1.25, 1.5, 2.0, 3.0]),
)
def test_a_thumbnail_has_a_pixel_per_screen_pixel_and_fits_the_cell(width, height, scale):
    image = grid_thumbnail(np.zeros((height, width, 3), np.uint8), scale)
    assert image.devicePixelRatio() == scale
    shown = image.deviceIndependentSize()
    assert shown.width() <= 164.01 and shown.height() <= 128.01  # fits the cell
    # As many pixels as the screen shows, unless the photo itself has fewer.
    fitted = min(164 * scale / width, 128 * scale / height)
    assert abs(image.width() - min(width, width * fitted)) <= 1
    assert abs(image.height() - min(height, height * fitted)) <= 1


def test_the_cache_holds_the_same_memory_at_any_scale(qtbot):
    model = PhotoGridModel()
    entries = [GridEntry(f"p{i}", f"p{i}.jpg", READY) for i in range(600)]
    model.set_entries(entries)
    for scale in (1.0, 2.0):
        for entry in entries:
            model.set_thumbnail(
                entry.photo_id, grid_thumbnail(np.zeros((480, 640, 3), np.uint8), scale)
            )
        kept = [e for e in entries if model.has_thumbnail(e.photo_id)]
        size = grid_thumbnail(np.zeros((480, 640, 3), np.uint8), scale).sizeInBytes()
        assert len(kept) * size <= grid_model.THUMBNAIL_CACHE_BYTES
        budget = grid_model.THUMBNAIL_CACHE_BYTES // size
        assert len(kept) >= min(grid_model.THUMBNAIL_CACHE_SIZE, budget - 1)
        assert model.has_thumbnail(entries[-1].photo_id)  # the newest are kept


_AT_2X = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import numpy as np
    from PySide6.QtWidgets import QApplication
    from photoscreen.ui.control.preferences import Preferences
    from photoscreen.ui.grid.model import Roles
    from photoscreen.ui.window.startup import build_window

    app = QApplication([])
    preferences = Preferences.at(Path(sys.argv[2]))
    preferences.user_name = "Sam Staff"
    window = build_window(preferences, None)
    window.resize(1366, 740)
    window.show()
    window.controller.open_folder(Path(sys.argv[1]))
    model, grid = window.controller.model, window.grid
    deadline = __import__("time").monotonic() + 60
    while __import__("time").monotonic() < deadline:
        app.processEvents()
        entries = window.controller.entries()
        if entries and all(e.photo_hash for e in entries) and model.has_thumbnail("a.jpg"):
            break
    image = model.index(model.row_of("a.jpg")).data(Roles.THUMBNAIL)
    grid.viewport().repaint()
    shot = grid.viewport().grab().toImage()
    rect = grid.visualRect(window.controller.proxy.index(0, 0))
    ratio = shot.devicePixelRatio()
    # The cell's picture as the screen got it (device pixels), centred as the delegate
    # centres it (give or take a pixel of rounding); its lower part, under the badge.
    w, h = image.width(), image.height()
    cx = (rect.x() + 6 + (rect.width() - 12) / 2) * ratio
    cy = (rect.y() + 6 + 64) * ratio
    def pixels(img):
        img = img.convertToFormat(image.format())
        ptr = img.constBits()
        arr = np.frombuffer(ptr, np.uint8).reshape(img.height(), img.bytesPerLine())
        return arr[:, : img.width() * 3].astype(np.int16)
    wanted = pixels(image)[h // 2 : h - 4, 4 : w - 4]
    diffs = []
    for dx in range(-3, 4):
        for dy in range(-3, 4):
            x, y = round(cx - w / 2) + dx, round(cy - h / 2) + dy
            got = pixels(shot.copy(x, y, w, h))[h // 2 : h - 4, 4 : w - 4]
            diffs.append(float(np.abs(got - wanted).mean()))
    print(json.dumps({
        "screen_ratio": grid.devicePixelRatioF(),
        "thumb_ratio": image.devicePixelRatio(),
        "thumb_size": [w, h],
        "shot_ratio": ratio,
        "painted_diff": min(diffs),
    }))
    window.close()
    """
)


def test_thumbnails_are_painted_pixel_for_pixel_at_200_percent(tmp_path: Path):
    folder = tmp_path / "photos"
    folder.mkdir()
    save_jpeg(folder / "a.jpg", scene(1))
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="2")
    done = subprocess.run(
        [sys.executable, "-c", _AT_2X, str(folder), str(tmp_path / "settings.ini")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["screen_ratio"] == 2.0 and figures["thumb_ratio"] == 2.0
    assert figures["thumb_size"] == [328, 246]  # 164 x 123 grid pixels, twice over
    assert figures["shot_ratio"] == 2.0
    # What reached the screen is the thumbnail itself, not a blown-up half-size one.
    assert figures["painted_diff"] < 6.0, figures
