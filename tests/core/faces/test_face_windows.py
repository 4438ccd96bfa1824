"""The gated fine pass looks closer wherever the gate saw something, and only there.

Window placement is checked as a property over any peaks (every peak is looked at, every
window stays inside the input on the 32 px grid); the pass itself on real pasted faces
(the astronaut, see ``face_scenes``): it finds what tiling the whole photo finds, falls
back to tiling for a crowd of peaks, and its silence counts only where it looked.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from photoscreen.core.faces import FaceDetector, centerface
from photoscreen.core.faces import windows as face_windows
from photoscreen.core.faces.centerface import CenterFaceNet
from photoscreen.core.faces.fusion import fuse
from photoscreen.core.faces.passes import PassInput, PassResult, PassSpec, run_passes
from photoscreen.core.faces.windows import (
    WINDOW,
    WINDOW_MARGIN,
    gate_peaks,
    gated_pass,
    place_windows,
)
from tests.helpers.face_scenes import PastedFace, compose

sides = st.integers(min_value=1, max_value=100).map(lambda n: n * 32)


@settings(max_examples=200, deadline=None)
@given(
    width=sides,
    height=sides,
    points=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), max_size=40),
)
def test_every_peak_lies_well_inside_a_window_on_the_grid(
    width: int, height: int, points: list[tuple[float, float]]
) -> None:
    centres = np.asarray([(x * width, y * height) for x, y in points], np.float32).reshape(-1, 2)
    windows = place_windows(centres, width, height)
    assert len(windows) <= len(centres)
    for x0, y0, x1, y1 in windows:
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
        assert x0 % 32 == 0 and y0 % 32 == 0
        assert (x1 - x0, y1 - y0) == (min(WINDOW, width), min(WINDOW, height))
    for x, y in centres:
        assert any(
            (x0 == 0 or x >= x0 + WINDOW_MARGIN)
            and (y0 == 0 or y >= y0 + WINDOW_MARGIN)
            and (x1 == width or x <= x1 - WINDOW_MARGIN)
            and (y1 == height or y <= y1 - WINDOW_MARGIN)
            for x0, y0, x1, y1 in windows
        ), f"peak {(x, y)} not looked at by {windows}"


def test_only_weak_small_peaks_get_a_closer_look() -> None:
    boxes = np.asarray(
        [
            (100, 100, 110, 110, 0.5),  # small at the gate, confident: looked at
            (200, 200, 210, 210, 0.01),  # below GATE_SCORE: background
            (300, 300, 400, 400, 0.9),  # big at the gate: it sees this one well itself
            (500, 500, 508, 508, 0.03),  # faint and small: the child at the back
        ],
        np.float32,
    )
    gate = PassResult(boxes, zoom=1.0, max_face=112.0)
    assert gate_peaks(gate).tolist() == [[105.0, 105.0], [504.0, 504.0]]


def _fine_input(scene: np.ndarray, long_side: int) -> PassInput:
    return PassInput(scene, 1.0, 1.0).at(long_side)


SCENE_FACES = [PastedFace(700, 500, 40), PastedFace(2300, 1400, 36, angle=15, mirrored=True)]


@pytest.fixture(scope="module")
def scene() -> np.ndarray:
    return compose("rocket", 3000, 2000, SCENE_FACES)


def test_windows_find_what_tiling_the_whole_photo_finds(scene: np.ndarray) -> None:
    net = CenterFaceNet()
    fine = _fine_input(scene, 2496)
    gate_input = _fine_input(scene, 1248)
    gate = run_passes(net, [(gate_input, PassSpec(1248, False, tiled=True, gate=True))], [0.025])
    windowed = gated_pass(net, fine, PassSpec(2496, False, tiled=True, gated=True), gate[0], 0.1)
    tiled = run_passes(net, [(fine, PassSpec(2496, False, tiled=True))], [0.1])[0]
    assert windowed.regions is not None and len(windowed.regions) < 20
    confident = tiled.boxes[tiled.boxes[:, 4] >= 0.3]
    assert len(confident) == len(SCENE_FACES)
    for face in confident:
        close = np.abs(windowed.boxes[:, :4] - face[:4]).max(axis=1) < 2
        assert close.any(), f"tiling found {face}, the windows did not: {windowed.boxes}"


def test_a_crowd_of_peaks_tiles_the_whole_photo_instead(
    scene: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    net = CenterFaceNet()
    fine = _fine_input(scene, 2496)
    grid = [(x, y, x + 8, y + 8, 0.5) for x in range(0, 3000, 60) for y in range(0, 2000, 60)]
    gate = PassResult(np.asarray(grid, np.float32), zoom=1248 / 3000, max_face=112.0)
    seen: list[tuple[int, ...]] = []
    run = centerface.CenterFaceNet.run

    def recording_run(net: CenterFaceNet, rgb: np.ndarray) -> centerface.CenterFaceMaps:
        seen.append(rgb.shape[:2])
        return run(net, rgb)

    monkeypatch.setattr(centerface.CenterFaceNet, "run", recording_run)
    result = gated_pass(net, fine, PassSpec(2496, False, tiled=True, gated=True), gate, 0.1)
    assert result.regions is None, "the whole photo was looked at"
    assert all(max(shape) > WINDOW for shape in seen), "tiles, not windows"
    assert len(seen) < 40


def test_silence_counts_only_where_a_gated_pass_looked() -> None:
    """A face the whole-photo pass found, outside every window, keeps its score."""
    face = np.asarray([[100, 100, 130, 130, 0.6]], np.float32)
    whole = PassResult(face, zoom=1.0, max_face=1000.0)
    empty = np.empty((0, 5), np.float32)
    elsewhere = PassResult(
        empty, zoom=1.0, max_face=96.0, regions=np.asarray([[500, 500, 600, 600]], np.float32)
    )
    there = PassResult(
        empty, zoom=1.0, max_face=96.0, regions=np.asarray([[90, 90, 150, 150]], np.float32)
    )
    assert fuse([whole, elsewhere])[0, 4] == pytest.approx(0.6)
    assert fuse([whole, there])[0, 4] == pytest.approx(0.3), "looked there and saw nothing"


def test_the_default_detector_gates_its_fine_pass_on_big_photos() -> None:
    plan = FaceDetector().plan(4000, 3000)
    gates = [spec for spec in plan if spec.gate]
    fine = [spec for spec in plan if spec.gated]
    assert len(gates) == 1 and len(fine) == 1
    assert gates[0].long_side * face_windows.GATE_RATIO == fine[0].long_side
    assert all(not spec.gate and not spec.gated for spec in FaceDetector().plan(1000, 750))
