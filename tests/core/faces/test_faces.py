"""The face detector finds real faces where they are, in upright full-resolution pixels.

Scenes paste scikit-image's public-domain astronaut portrait, scaled, rotated and mirrored,
into faceless photos (see ``face_scenes``), store them as JPEGs with every EXIF
orientation, and decode them through the app's loader, as the folder scan does.
"""

from __future__ import annotations

import itertools
from types import ModuleType

import numpy as np
import pytest

from photoscreen.core.basics.geometry import Box
from photoscreen.core.faces import centerface
from photoscreen.core.faces import detector as faces
from photoscreen.core.faces import fusion as face_fusion
from photoscreen.core.faces import passes as face_passes
from photoscreen.core.faces import windows as face_windows
from photoscreen.core.faces.detector import (
    Detection,
    DetectionMode,
    FaceBand,
    FaceDetector,
    ModelMissingError,
)
from photoscreen.core.faces.onnx_runner import Backend, available_backends
from photoscreen.core.faces.passes import MAX_TILE_SIDE, TILE_OVERLAP, TILED_MAX_FACE, tile_spans
from photoscreen.core.imaging.loading import decode_photo
from tests.helpers.face_scenes import PastedFace, background, compose, jpeg_with_orientation

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
    """Children-sized faces (44-200 px) across a 4000 x 3000 group shot, some of them cut by
    the fine pass's tile borders (vertical, horizontal, and where four tiles meet)."""
    fine_w, fine_h = 2496, 1856  # the fine pass's input for 4000 x 3000
    zoom_x, zoom_y = fine_w / 4000, fine_h / 3000
    # Tile borders in full-resolution pixels: the first tile's inner edges.
    x_border = tile_spans(fine_w)[0][1] / zoom_x
    y_border = tile_spans(fine_h)[0][1] / zoom_y
    x_border_2 = tile_spans(fine_w)[1][1] / zoom_x
    return [
        PastedFace(x_border - 10, 1500, 120, angle=20),
        PastedFace(600, 500, 52),
        PastedFace(1400, 700, 48, angle=-25, mirrored=True),
        PastedFace(3000, 600, 60, angle=20),
        PastedFace(3500, 2200, 200, angle=-20, mirrored=True),
        PastedFace(800, 2300, 90, mirrored=True),
        PastedFace(x_border + 5, 2600, 44),
        PastedFace(500, y_border - 8, 60),
        PastedFace(x_border_2 + 6, y_border + 4, 72, mirrored=True),
    ]


def test_small_faces_in_a_big_photo_and_across_tile_borders(
    detector: FaceDetector, monkeypatch: pytest.MonkeyPatch
) -> None:
    faces = big_group()
    scene = compose("rocket", 4000, 3000, faces)
    data = jpeg_with_orientation(scene, 6)
    photo = decode_photo(data, min_long_side=detector.min_decode_long_side())
    # Record every input the network sees: its buffers grow to the largest one and stay.
    seen: list[tuple[int, ...]] = []
    run = centerface.CenterFaceNet.run

    def recording_run(net: centerface.CenterFaceNet, rgb: np.ndarray) -> centerface.CenterFaceMaps:
        seen.append(rgb.shape[:2])
        return run(net, rgb)

    monkeypatch.setattr(centerface.CenterFaceNet, "run", recording_run)
    detections = detector.detect(photo.pixels, photo.scale)
    assert_exactly_the_faces(detections, faces)
    # The fine pass ran in tiles no bigger than the whole-photo pass (800 x 608) by more
    # than a fifth: a detector holds no more memory for a 12 MP photo than for a small one.
    whole_area = 800 * 608
    assert len(seen) > 3
    assert all(max(shape) <= MAX_TILE_SIDE for shape in seen[1:])
    assert max(h * w for h, w in seen) <= 1.2 * whole_area


def test_tiles_cover_the_side_and_overlap_more_than_a_face() -> None:
    for length in (100, MAX_TILE_SIDE, MAX_TILE_SIDE + 32, 1664, 1856, 2496, 3008, 4000, 5024):
        spans = tile_spans(length)
        assert spans[0][0] == 0 and spans[-1][1] == length
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end - start >= TILE_OVERLAP > TILED_MAX_FACE
            assert start % 32 == 0
        assert all(end - start <= max(MAX_TILE_SIDE, length) for start, end in spans)
        # Evenly shared: no tile much bigger than it must be for the overlaps.
        needed = (length + (len(spans) - 1) * TILE_OVERLAP) / len(spans)
        assert all(end - start < needed + 2 * 32 for start, end in spans)


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
    assert key == FaceDetector(backend=Backend.OPENCV).settings_key, "both find the same"
    assert key != FaceDetector(DetectionMode.THOROUGH).settings_key


def _detector_constants() -> list[tuple[ModuleType, str]]:
    """Every numeric or text constant (UPPER_CASE) of the detector's modules, each from
    the module that defines it (the others import it)."""
    found: dict[str, ModuleType] = {}
    for module in (centerface, face_passes, face_fusion, face_windows, faces):
        for name, value in vars(module).items():
            plain = isinstance(value, (int, float, str)) and not isinstance(value, bool)
            if name.isupper() and plain and name not in found:
                found[name] = module
    return [(module, name) for name, module in found.items()]


# Constants that name where the model is, not how it is used.
_NOT_SETTINGS = {"MODEL_PACKAGE", "MODEL_FILE", "MODEL_VERSION"}


@pytest.mark.parametrize(
    ("module", "name"),
    [(m, n) for m, n in _detector_constants() if n not in _NOT_SETTINGS],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_every_detector_constant_is_part_of_the_settings_key(
    detector: FaceDetector, module: ModuleType, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cached detections are reused for one key: a change to any setting that moves boxes
    must make a new key, or old results would be shown as if found with the new code."""
    before = detector.settings_key
    value = getattr(module, name)
    monkeypatch.setattr(module, name, value + ("x" if isinstance(value, str) else 1))
    assert detector.settings_key != before


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
    centerface.dynamic_model_bytes.cache_clear()
    try:
        with pytest.raises(ModelMissingError, match="photoscreen_no_such_package"):
            FaceDetector()
    finally:
        monkeypatch.undo()
        centerface.model_bytes.cache_clear()
        centerface.dynamic_model_bytes.cache_clear()


def _same_detections(first: list[Detection], second: list[Detection]) -> None:
    assert len(first) == len(second)
    for one, other in zip(first, second, strict=True):
        assert one.band is other.band
        assert one.score == pytest.approx(other.score, abs=1e-3)
        for a, b in zip(
            (one.box.x, one.box.y, one.box.w, one.box.h),
            (other.box.x, other.box.y, other.box.w, other.box.h),
            strict=True,
        ):
            assert a == pytest.approx(b, abs=0.5)


@pytest.mark.skipif(Backend.ONNXRUNTIME not in available_backends(), reason="needs onnxruntime")
@pytest.mark.parametrize("mode", list(DetectionMode))
def test_onnxruntime_and_opencv_find_the_same_boxes(mode: DetectionMode) -> None:
    """OpenCV's dnn is the fallback where ONNX Runtime has no wheel: a person must see the
    same boxes, scores and bands either way (same cached results, same settings key)."""
    faces = [*GROUP[:3], PastedFace(1400, 1000, 28), PastedFace(200, 1000, 30, mirrored=True)]
    scene = compose("coffee", 1600, 1200, faces)
    on_ort = FaceDetector(mode, backend=Backend.ONNXRUNTIME).detect(scene)
    on_cv = FaceDetector(mode, backend=Backend.OPENCV).detect(scene)
    assert len(on_ort) >= 3, "faces to agree on"
    _same_detections(on_ort, on_cv)


@pytest.mark.parametrize("cores", [1, 2, 3, 8])
def test_how_the_cores_are_used_never_changes_what_is_found(cores: int) -> None:
    """Inputs run side by side come back in order: one core or many, the same faces."""
    scene = compose("rocket", 2000, 1500, GROUP[:4])
    alone = FaceDetector(cores=1).detect(scene)
    _same_detections(FaceDetector(cores=cores).detect(scene), alone)
    assert_exactly_the_faces(alone, GROUP[:4])


def test_preload_readies_the_model_and_leaves_a_missing_one_to_the_detector(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The window preloads before it shows; a missing model must not stop it from
    showing: scan reports it, in words, when it builds the detector."""
    faces.preload()
    assert centerface.dynamic_model_bytes.cache_info().currsize == 1
    monkeypatch.setattr(centerface, "MODEL_PACKAGE", "photoscreen_no_such_package")
    centerface.model_bytes.cache_clear()
    centerface.dynamic_model_bytes.cache_clear()
    try:
        faces.preload()
        assert "not loaded ahead" in caplog.text
        with pytest.raises(ModelMissingError, match="photoscreen_no_such_package"):
            FaceDetector()
    finally:
        monkeypatch.undo()
        centerface.model_bytes.cache_clear()
        centerface.dynamic_model_bytes.cache_clear()
