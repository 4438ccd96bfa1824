"""The face detector finds real faces where they are, in upright full-resolution pixels.

Scenes paste scikit-image's public-domain astronaut portrait, scaled, rotated and mirrored,
into faceless photos (see ``face_scenes``), store them as JPEGs with every EXIF
orientation, and decode them through the app's loader, as the folder ingest does.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from photoscreen.core import centerface
from photoscreen.core.face_passes import MAX_TILE_SIDE, TILE_OVERLAP, tile_spans
from photoscreen.core.faces import (
    Detection,
    DetectionMode,
    FaceBand,
    FaceDetector,
    ModelMissingError,
)
from photoscreen.core.geometry import Box
from photoscreen.core.loading import decode_photo
from tests.face_scenes import PastedFace, background, compose, jpeg_with_orientation

GROUP = [
    PastedFace(250, 300, 36),
    PastedFace(600, 250, 60, angle=25, mirrored=True),
    PastedFace(1000, 350, 110, angle=-20),
    PastedFace(400, 800, 200, angle=30, mirrored=True),
    PastedFace(1150, 800, 400, angle=-25),
]


@pytest.fixture(scope="module")
def detector() -> FaceDetector:
    return FaceDetector()


@pytest.fixture(scope="module")
def group_scene() -> np.ndarray:
    return compose("coffee", 1600, 1200, GROUP)


def finds(detection: Detection, face: PastedFace) -> bool:
    """The detection's centre lies on the pasted face and its size is about the face's."""
    expected = face.expected_box
    centre_x = detection.box.x + detection.box.w / 2
    centre_y = detection.box.y + detection.box.h / 2
    inside = expected.x <= centre_x <= expected.right and expected.y <= centre_y <= expected.bottom
    ratio = max(detection.box.w, detection.box.h) / max(expected.w, expected.h)
    return inside and 0.6 <= ratio <= 1.6


def assert_exactly_the_faces(detections: list[Detection], faces: list[PastedFace]) -> None:
    """Every face found once in the faces band, and no face-band box anywhere else."""
    confident = [d for d in detections if d.band is FaceBand.FACE]
    for face in faces:
        hits = [d for d in confident if finds(d, face)]
        assert len(hits) == 1, f"face {face} found {len(hits)} times in {confident}"
    strays = [d for d in confident if not any(finds(d, face) for face in faces)]
    assert not strays, f"face-band boxes where no face was pasted: {strays}"


@pytest.mark.parametrize("orientation", range(1, 9))
def test_faces_found_upright_for_every_exif_orientation(
    detector: FaceDetector, group_scene: np.ndarray, orientation: int
) -> None:
    data = jpeg_with_orientation(group_scene, orientation)
    photo = decode_photo(data, min_long_side=detector.min_decode_long_side())
    assert (photo.full_width, photo.full_height) == (1600, 1200)
    detections = detector.detect(photo.pixels, photo.scale)
    assert_exactly_the_faces(detections, GROUP)


def test_detections_are_sorted_and_banded(detector: FaceDetector, group_scene: np.ndarray) -> None:
    detections = detector.detect(group_scene)
    scores = [d.score for d in detections]
    assert scores == sorted(scores, reverse=True)
    for d in detections:
        assert isinstance(d.box, Box)
        assert d.box.x >= 0 and d.box.y >= 0
        assert d.box.right <= 1600 and d.box.bottom <= 1200


def test_reduced_pixels_map_back_to_full_resolution(
    detector: FaceDetector, group_scene: np.ndarray
) -> None:
    half = np.ascontiguousarray(group_scene[::2, ::2])
    detections = detector.detect(half, scale=0.5)
    assert_exactly_the_faces(detections, GROUP)


def test_one_box_per_face(detector: FaceDetector, group_scene: np.ndarray) -> None:
    boxes = [d.box for d in detector.detect(group_scene)]
    for i, first in enumerate(boxes):
        for second in boxes[i + 1 :]:
            assert first.iou(second) < 0.3, f"two boxes for one face: {first}, {second}"


@pytest.mark.parametrize("name", ["coffee", "rocket", "chelsea"])
def test_no_faces_on_faceless_photos(detector: FaceDetector, name: str) -> None:
    detections = detector.detect(background(name, 1600, 1200))
    # chelsea is a cat: a cat may at most be a possible face, never a confident one.
    assert [d for d in detections if d.band is FaceBand.FACE] == []


def big_group() -> list[PastedFace]:
    """Children-sized faces (44-200 px) across a 4000 x 3000 group shot, two of them cut by
    the fine pass's tile border."""
    fine_zoom = 2496 / 4000
    first_tile_end = tile_spans(2496)[0][1] / fine_zoom  # the border, in full-res pixels
    return [
        PastedFace(first_tile_end - 10, 1500, 120, angle=20),
        PastedFace(600, 500, 52),
        PastedFace(1400, 700, 48, angle=-25, mirrored=True),
        PastedFace(3000, 600, 60, angle=20),
        PastedFace(3500, 2200, 200, angle=-20, mirrored=True),
        PastedFace(800, 2300, 90, mirrored=True),
        PastedFace(first_tile_end + 5, 2600, 44),
    ]


def test_small_faces_in_a_big_photo_and_across_tile_borders(detector: FaceDetector) -> None:
    faces = big_group()
    scene = compose("rocket", 4000, 3000, faces)
    data = jpeg_with_orientation(scene, 6)
    photo = decode_photo(data, min_long_side=detector.min_decode_long_side())
    detections = detector.detect(photo.pixels, photo.scale)
    assert_exactly_the_faces(detections, faces)


def test_tiles_cover_the_side_and_overlap_more_than_a_face() -> None:
    for length in (100, MAX_TILE_SIDE, MAX_TILE_SIDE + 1, 1664, 2496, 5000):
        spans = tile_spans(length)
        assert spans[0][0] == 0 and spans[-1][1] >= length
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end - start >= TILE_OVERLAP
        assert all(end - start <= max(MAX_TILE_SIDE, length) for start, end in spans)


def test_thorough_mode_finds_at_least_what_default_finds(
    detector: FaceDetector, group_scene: np.ndarray
) -> None:
    thorough = FaceDetector(DetectionMode.THOROUGH)
    assert thorough.settings_key != detector.settings_key
    assert thorough.min_decode_long_side() > detector.min_decode_long_side()
    assert_exactly_the_faces(thorough.detect(group_scene[::2, ::2].copy(), 0.5), GROUP)


def test_settings_key_names_model_mode_and_thresholds(detector: FaceDetector) -> None:
    key = detector.settings_key
    assert key.startswith("centerface-v1:default:")
    assert key == FaceDetector().settings_key


@pytest.mark.parametrize(
    "pixels",
    [
        np.zeros((10, 10), np.uint8),
        np.zeros((10, 10, 4), np.uint8),
        np.zeros((10, 10, 3), np.float32),
        np.zeros((0, 10, 3), np.uint8),
    ],
)
def test_bad_pixels_are_refused_in_words(detector: FaceDetector, pixels: np.ndarray) -> None:
    with pytest.raises(ValueError, match="face detection"):
        detector.detect(pixels)


def test_tiny_photo_works(detector: FaceDetector) -> None:
    assert detector.detect(np.full((5, 7, 3), 128, np.uint8)) == []


def test_missing_model_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(centerface, "MODEL_PACKAGE", "photoscreen_no_such_package")
    centerface.model_bytes.cache_clear()
    try:
        with pytest.raises(ModelMissingError, match="photoscreen_no_such_package"):
            FaceDetector()
    finally:
        monkeypatch.undo()
        centerface.model_bytes.cache_clear()
