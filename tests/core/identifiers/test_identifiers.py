"""The text detector finds writing where it was drawn and stays quiet on textures.

Scenes come from :mod:`tests.helpers.text_scenes` (public-domain backgrounds, labels, stickers,
plates, whiteboards and artwork drawn here), at 1600 x 1200 to keep the tests quick.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from photoscreen.core.basics.geometry import Box
from photoscreen.core.faces.onnx_runner import Backend, available_backends
from photoscreen.core.identifiers import (
    TextDetector,
    TextModelMissingError,
    TextSettings,
    db_boxes,
    text_model,
)
from photoscreen.core.identifiers.db_boxes import DbSettings
from tests.helpers import text_scenes

SIZE = (1600, 1200)


@pytest.fixture(scope="module")
def detector() -> TextDetector:
    return TextDetector()


def _found(line: list[int], regions: list[Box]) -> bool:
    box = Box(*map(float, line))
    return any(r.iou(box) >= 0.3 for r in regions)


@pytest.mark.parametrize("seed", [3, 4])
def test_lines_of_writing_are_found_where_they_were_drawn(
    detector: TextDetector, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    scene = text_scenes.text_scene(rng, SIZE)
    # Letters of 12 px and more in a 4000 px photo: 5 px here; the test keeps to 12 px here.
    lines = [b for b, h in zip(scene.boxes, scene.letters, strict=True) if h >= 12]
    assert lines
    regions = [r.box for r in detector.detect(scene.pixels)]
    found = [line for line in lines if _found(line, regions)]
    assert len(found) >= 0.8 * len(lines), (lines, regions)


@pytest.mark.parametrize("background", ["wood", "chelsea", "brick", "coins", "gravel", "grass"])
def test_no_writing_is_found_on_textures(detector: TextDetector, background: str) -> None:
    pixels = text_scenes.background(background, np.random.default_rng(7), SIZE)
    assert detector.detect(pixels) == []


def test_boxes_are_in_full_resolution_pixels_whatever_the_decode(detector: TextDetector) -> None:
    scene = text_scenes.text_scene(np.random.default_rng(5), SIZE)
    full = detector.detect(scene.pixels)
    half = detector.detect(scene.pixels[::2, ::2].copy(), scale=0.5)
    assert full and half
    for region in half:
        assert max(region.box.iou(other.box) for other in full) > 0.5


def test_regions_lie_inside_the_photo_best_first(detector: TextDetector) -> None:
    scene = text_scenes.text_scene(np.random.default_rng(6), SIZE)
    regions = detector.detect(scene.pixels)
    assert [r.score for r in regions] == sorted((r.score for r in regions), reverse=True)
    for r in regions:
        assert r.box.x >= 0 and r.box.right <= SIZE[0] and r.box.y >= 0 and r.box.bottom <= SIZE[1]


@pytest.mark.parametrize("backend", available_backends())
def test_both_backends_find_the_same_writing(backend: Backend) -> None:
    scene = text_scenes.text_scene(np.random.default_rng(8), SIZE)
    reference = TextDetector(backend=Backend.OPENCV).detect(scene.pixels)
    found = TextDetector(backend=backend).detect(scene.pixels)
    assert len(found) == len(reference)
    for a, b in zip(found, reference, strict=True):
        assert a.box.iou(b.box) > 0.95


def test_a_tiny_photo_and_a_blank_one_give_no_regions(detector: TextDetector) -> None:
    assert detector.detect(np.full((40, 30, 3), 200, np.uint8)) == []
    assert detector.detect(np.zeros((1200, 1600, 3), np.uint8)) == []


@pytest.mark.parametrize(
    "pixels",
    [
        np.zeros((10, 10), np.uint8),
        np.zeros((10, 10, 3), np.float32),
        np.zeros((0, 5, 3), np.uint8),
    ],
)
def test_input_that_is_not_an_rgb_image_is_refused_in_words(
    detector: TextDetector, pixels: np.ndarray
) -> None:
    with pytest.raises(ValueError, match="text detection"):
        detector.detect(pixels)


def test_the_settings_key_names_every_setting() -> None:
    one = TextDetector(TextSettings()).settings_key
    other = TextDetector(TextSettings(first_long_side=1280)).settings_key
    assert one != other and one.startswith("ppocrv4-det:")


def test_a_missing_model_is_reported_in_plain_words(monkeypatch: pytest.MonkeyPatch) -> None:
    text_model.model_bytes.cache_clear()
    text_model.dynamic_model_bytes.cache_clear()
    monkeypatch.setattr(text_model, "MODEL_PACKAGE", "no_such_package_here")
    try:
        with pytest.raises(TextModelMissingError, match="rapidocr-onnxruntime"):
            TextDetector()
    finally:
        text_model.model_bytes.cache_clear()
        text_model.dynamic_model_bytes.cache_clear()


def test_db_boxes_grow_a_lines_core_back_to_its_ink() -> None:
    probability = np.zeros((100, 200), np.float32)
    probability[45:55, 40:160] = 0.9  # the shrunk core of a line 120 x 10
    (row,) = db_boxes.boxes(probability, DbSettings())
    x1, y1, x2, y2, score, height, length = row
    assert score > 0.8
    assert x1 < 40 and x2 > 160 and y1 < 45 and y2 > 55  # grown on every side
    assert 15 < height < 30  # 10 + 2 * (area * 1.6 / perimeter) with the dilation
    assert length > 120


def test_db_boxes_drop_faint_and_thin_regions() -> None:
    probability = np.zeros((100, 200), np.float32)
    probability[10:20, 10:100] = 0.4  # above the pixel threshold, below the box score
    probability[60, 10:150] = 0.95  # one pixel high: noise
    assert len(db_boxes.boxes(probability, DbSettings())) == 0


def test_the_model_is_read_without_running_the_wheels_code() -> None:
    """rapidocr-onnxruntime's __init__ loads pyclipper and Shapely: photoscreen only reads
    the model file, so that code never runs (nor must the app bundle carry it)."""
    script = (
        "import sys; from photoscreen.core.identifiers import text_model;"
        "assert text_model.model_bytes(); print(sorted({'rapidocr_onnxruntime', 'pyclipper',"
        " 'shapely'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
