"""Face redaction cannot be undone, covers the head, and touches nothing else.

The faces here are the public-domain NASA astronaut portrait from scikit-image (scaled so
the face box is 12 to 600 px across) and a random texture with detail at every face size.
Each irreversibility check is run on an ordinary Gaussian blur too, which must fail it:
that is what shows the checks can fail.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from skimage import data

from photoscreen.core.basics.geometry import Box
from photoscreen.core.render.redact import RedactionStyle, head_region, redact_faces

FACE_SIZES = (12, 30, 80, 200, 600)
STYLES = tuple(RedactionStyle)
# The astronaut's face box in skimage's 512 x 512 portrait: hairline-ish to chin, cheek
# to cheek, as a detector would box it.
_ASTRONAUT_FACE = (175, 65, 105, 110)
# Faces are measured at this size at most: scaling down keeps the band of face detail
# being measured (it scales with the face) and keeps the tests fast on 600 px faces.
_MEASURE_SIZE = 100


def _scene(face: int, kind: str) -> tuple[np.ndarray, Box]:
    """A photo with one face whose box is ``face`` px wide, and that box."""
    fx, fy, fw, fh = _ASTRONAUT_FACE
    scale = face / fw
    # Room for the whole head and some background on every side.
    left, top, side = fx - 110, max(fy - 110, 0), 330
    if kind == "astronaut":
        source = data.astronaut()[top : top + side, left : left + side]
    else:
        rng = np.random.default_rng(7)
        noise = rng.integers(0, 256, (side, side, 3), dtype=np.uint8)
        # Features about a thirtieth of the face across, like a face's finest structures.
        source = cv2.GaussianBlur(noise, (0, 0), fw / 30)
        source = cv2.normalize(source, None, 0, 255, cv2.NORM_MINMAX)
    size = max(round(side * scale), 1)
    image = cv2.resize(source, (size, size), interpolation=cv2.INTER_AREA)
    return image, Box((fx - left) * scale, (fy - top) * scale, fw * scale, fh * scale)


def _inner(box: Box) -> tuple[slice, slice]:
    """The whole pixels inside a face box."""
    return (
        slice(math.ceil(box.y), math.floor(box.bottom)),
        slice(math.ceil(box.x), math.floor(box.right)),
    )


def _gray(pixels: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY).astype(np.float64)


def _to_measure_size(pixels: np.ndarray, box: Box) -> tuple[np.ndarray, Box]:
    """Shrinks (never enlarges) a scene so its face is at most ``_MEASURE_SIZE`` wide."""
    factor = min(1.0, _MEASURE_SIZE / box.w)
    if factor == 1.0:
        return _gray(pixels), box
    h, w = pixels.shape[:2]
    size = (max(round(w * factor), 1), max(round(h * factor), 1))
    small = cv2.resize(_gray(pixels), size, interpolation=cv2.INTER_AREA)
    return small, box.scaled(factor)


def _detail(gray: np.ndarray, face: float) -> np.ndarray:
    """Face detail: what is left after removing structures larger than ~1/8 of the face.

    Eyes, nostrils, mouth corners, hairline: the structures that tell faces apart.
    """
    sigma = max(face / 24, 0.5)
    return gray - cv2.GaussianBlur(gray, (0, 0), sigma)


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    norm = math.sqrt(float((a * a).sum() * (b * b).sum()))
    return float((a * b).sum()) / norm if norm > 0 else 0.0


def _wiener(gray: np.ndarray, sigma: float, noise: float = 1e-3) -> np.ndarray:
    """Deconvolution of a Gaussian blur of ``sigma``: the attack that undoes ordinary blur."""
    h, w = gray.shape
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.fftfreq(w)[None, :]
    transfer = np.exp(-2 * math.pi**2 * sigma**2 * (fx**2 + fy**2))
    spectrum = np.fft.fft2(gray) * transfer / (transfer**2 + noise)
    return np.real(np.fft.ifft2(spectrum))


def _unsharp(gray: np.ndarray, sigma: float) -> np.ndarray:
    """Heavy sharpening: the simplest attack on a blur."""
    return gray + 4.0 * (gray - cv2.GaussianBlur(gray, (0, 0), sigma))


def _recovered_detail(original: np.ndarray, covered: np.ndarray, box: Box) -> list[float]:
    """Correlation of the face's detail with the covered face's, as is and after attacks."""
    truth, small_box = _to_measure_size(original, box)
    seen, _ = _to_measure_size(covered, box)
    face = small_box.w
    inner = _inner(small_box)
    target = _detail(truth, face)[inner]
    attempts = (seen, _unsharp(seen, face / 12), _wiener(seen, face / 12), _wiener(seen, face / 16))
    return [_correlation(target, _detail(attempt, face)[inner]) for attempt in attempts]


def _ordinary_blur(pixels: np.ndarray, face: float) -> np.ndarray:
    """A Gaussian blur of a sixteenth of the face: plainly blurred to the eye.

    For big faces it is computed on a shrunk copy and enlarged again: the blurred picture
    has no fine detail to lose by that, and a 37 px Gaussian at full size is slow.
    """
    sigma = face / 16
    factor = min(1.0, _MEASURE_SIZE / face)
    if factor == 1.0:
        return cv2.GaussianBlur(pixels, (0, 0), sigma)
    h, w = pixels.shape[:2]
    small = cv2.resize(pixels, (round(w * factor), round(h * factor)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), sigma * factor)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


@pytest.mark.parametrize("kind", ["astronaut", "texture"])
@pytest.mark.parametrize("face", FACE_SIZES)
def test_ordinary_gaussian_blur_fails_the_recovery_check(face: int, kind: str) -> None:
    # The control: a visibly strong Gaussian blur keeps the face's detail, and
    # deconvolution brings more of it back. If this passed, the checks below would be void.
    image, box = _scene(face, kind)
    blurred = _ordinary_blur(image, face)
    recovered = _recovered_detail(image, blurred, box)
    assert max(recovered) > 0.55, recovered


@pytest.mark.parametrize("kind", ["astronaut", "texture"])
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("face", FACE_SIZES)
def test_face_detail_cannot_be_recovered(face: int, style: RedactionStyle, kind: str) -> None:
    image, box = _scene(face, kind)
    covered = redact_faces(image, [box], style, seed=face)
    recovered = _recovered_detail(image, covered, box)
    assert max(abs(c) for c in recovered) < 0.25, recovered


def _fine_detail(size: int, seed: int) -> np.ndarray:
    """Another face's worth of fine detail: a zero-mean random pattern, ``size`` square.

    Made at the astronaut's own scale (face 105 px) and resized, so its features keep
    the same size relative to the face at every face size.
    """
    rng = np.random.default_rng(seed)
    pattern = rng.normal(0.0, 1.0, (330, 330, 3)).astype(np.float32)
    pattern = cv2.GaussianBlur(pattern, (0, 0), 3.0)
    pattern -= cv2.GaussianBlur(pattern, (0, 0), 8.0)
    pattern *= 25.0 / float(pattern.std())
    return cv2.resize(pattern, (size, size), interpolation=cv2.INTER_LINEAR)


def _detail_passed_through(cover: object, face: int) -> float:
    """Changes a face's fine detail; returns how much of that detail reaches the output.

    Gives the correlation, inside the face box, between the detail of the change made and
    the detail of the change seen in the output. If the output's detail does not move when
    the face's detail changes, it holds nothing of that detail: no attack, not even
    averaging many exports, can bring it back. (The few averaged colours a redaction keeps
    may shift a little; that is not detail, and the high-pass ignores it.)
    """
    image, box = _scene(face, "astronaut")
    # Stay away from 0 and 255 so clipping does not distort the change made.
    base = (image.astype(np.float32) * 0.7 + 38).astype(np.uint8)
    change = _fine_detail(image.shape[0], seed=face)
    changed = np.clip(np.rint(base + change), 0, 255).astype(np.uint8)
    before, after = cover(base, box), cover(changed, box)  # type: ignore[operator]
    made_before, small_box = _to_measure_size(base, box)
    made_after, _ = _to_measure_size(changed, box)
    seen_before, _ = _to_measure_size(before, box)
    seen_after, _ = _to_measure_size(after, box)
    inner = _inner(small_box)
    made = _detail(made_after - made_before, small_box.w)[inner]
    seen = _detail(seen_after - seen_before, small_box.w)[inner]
    return _correlation(made, seen)


@pytest.mark.parametrize("face", FACE_SIZES)
def test_gaussian_blur_passes_face_detail_through(face: int) -> None:
    def gaussian(pixels: np.ndarray, box: Box) -> np.ndarray:
        return _ordinary_blur(pixels, face)

    correlation = _detail_passed_through(gaussian, face)
    assert correlation > 0.45, correlation


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("face", FACE_SIZES)
def test_redaction_passes_no_face_detail_through(face: int, style: RedactionStyle) -> None:
    def redact(pixels: np.ndarray, box: Box) -> np.ndarray:
        # The same noise both times, so only the detail differs.
        return redact_faces(pixels, [box], style, seed=3)

    correlation = _detail_passed_through(redact, face)
    # Not exactly 0 for MOSAIC: its hard block edges carry a trace of each block's
    # average colour into the high-pass. The face's detail itself is gone.
    assert abs(correlation) < 0.2, correlation


def _rebuilt_from_cells(region: np.ndarray, cells_across: int) -> np.ndarray:
    """``region`` averaged down to ``cells_across`` values on its long side and back up."""
    h, w = region.shape[:2]
    cell = max(h, w) / cells_across
    small = cv2.resize(
        region, (max(round(w / cell), 1), max(round(h / cell), 1)), interpolation=cv2.INTER_AREA
    )
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC).astype(np.float64)


@pytest.mark.parametrize("face", FACE_SIZES)
def test_blur_holds_no_more_than_eight_by_eight_values(face: int) -> None:
    # If a region can be rebuilt from an 8 x 8 average of itself, it holds at most 8 x 8
    # values' worth of picture; the original head cannot be rebuilt that way.
    image, box = _scene(face, "astronaut")
    region = head_region(box, image.shape[1], image.shape[0])
    rows = slice(int(region.y), int(region.bottom))
    cols = slice(int(region.x), int(region.right))
    covered = redact_faces(image, [box], shape="box", seed=1)[rows, cols]
    original = image[rows, cols]

    def rebuild_error(pixels: np.ndarray) -> float:
        return float(np.sqrt(np.mean((pixels - _rebuilt_from_cells(pixels, 8)) ** 2)))

    assert rebuild_error(covered) < 6.0
    assert rebuild_error(original) > 4 * rebuild_error(covered)


def _photo(width: int = 96, height: int = 72, seed: int = 0) -> np.ndarray:
    """A small photo full of detail, so any change to a pixel shows."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (height, width, 3), dtype=np.uint8)


def _outside(regions: list[Box], height: int, width: int) -> np.ndarray:
    """True for every pixel outside all the given pixel-aligned regions."""
    keep = np.ones((height, width), dtype=bool)
    for r in regions:
        keep[int(r.y) : int(r.bottom), int(r.x) : int(r.right)] = False
    return keep


@pytest.mark.parametrize("shape", ["ellipse", "box"])
@pytest.mark.parametrize("style", STYLES)
def test_pixels_outside_head_regions_are_untouched_and_input_kept(
    style: RedactionStyle, shape: str
) -> None:
    photo = _photo()
    original = photo.copy()
    photo.flags.writeable = False  # any write to the input would raise
    boxes = [Box(10, 20, 14, 16), Box(60, 30, 20, 20), Box(66, 36, 20, 22)]
    covered = redact_faces(photo, boxes, style, shape=shape, seed=5)
    assert covered is not photo and covered.shape == photo.shape and covered.dtype == np.uint8
    assert np.array_equal(photo, original)
    regions = [head_region(b, 96, 72) for b in boxes]
    keep = _outside(regions, 72, 96)
    assert np.array_equal(covered[keep], original[keep])
    for box in boxes:
        assert not np.array_equal(covered[_inner(box)], original[_inner(box)])


@pytest.mark.parametrize("style", STYLES)
def test_the_whole_face_box_is_covered_opaquely(style: RedactionStyle) -> None:
    # The ellipse's soft edge must lie outside the face box: a face box filled with one
    # colour stays one colour, whatever the face looked like.
    photo = _photo(200, 200)
    box = Box(70.3, 80.6, 50.2, 55.1)
    plain = photo.copy()
    plain[_inner(box)] = 77
    first = redact_faces(photo, [box], RedactionStyle(style), seed=9)
    second = redact_faces(plain, [box], RedactionStyle(style), seed=9)
    if style in (RedactionStyle.FILL, RedactionStyle.STICKER):
        # These never look at the face at all.
        assert np.array_equal(first[_inner(box)], second[_inner(box)])
    else:
        # These see only the head's average colours, which the change above moved.
        assert not np.array_equal(first[_inner(box)], photo[_inner(box)])


def test_fill_is_solid_over_the_face_box() -> None:
    photo = _photo(200, 200)
    box = Box(70, 80, 50, 55)
    covered = redact_faces(photo, [box], RedactionStyle.FILL)
    assert np.all(covered[_inner(box)] == covered[_inner(box)][0, 0])


def test_noise_differs_between_exports_unless_seeded() -> None:
    photo = _photo(200, 200)
    box = [Box(70, 80, 50, 55)]
    assert np.array_equal(redact_faces(photo, box, seed=4), redact_faces(photo, box, seed=4))
    assert not np.array_equal(redact_faces(photo, box), redact_faces(photo, box))


@pytest.mark.parametrize("face", FACE_SIZES)
def test_head_region_covers_the_face_with_margins_that_scale(face: int) -> None:
    box = Box(5000.0, 5000.0, face, face * 1.1)
    region = head_region(box, 20000, 20000)
    # Whole face inside, with more room above (hair) than below (chin).
    assert region.x <= box.x - 0.4 * box.w and region.right >= box.right + 0.4 * box.w
    assert region.y <= box.y - 0.55 * box.h and region.bottom >= box.bottom + 0.3 * box.h
    assert box.y - region.y > region.bottom - box.bottom
    # Proportional to the face (up to snapping to whole pixels).
    twice = head_region(box.scaled(2.0), 40000, 40000)
    assert twice.w == pytest.approx(2 * region.w, abs=2) and twice.h == pytest.approx(
        2 * region.h, abs=2
    )


def test_head_region_is_clipped_to_the_image() -> None:
    assert head_region(Box(-5, -5, 20, 20), 100, 80) == Box(0, 0, 26, 22)
    assert head_region(Box(90, 70, 20, 20), 100, 80) == Box(79, 55, 21, 25)


@pytest.mark.parametrize(
    "box",
    [
        Box(10, 10, 0, 20),
        Box(10, 10, 20, 0),
        Box(10, 10, -5, 20),
        Box(math.nan, 10, 20, 20),
        Box(10, 10, math.inf, 20),
        Box(500, 500, 20, 20),
        Box(-100, -100, 20, 20),
    ],
)
def test_empty_or_off_image_boxes_are_ignored(box: Box) -> None:
    region = head_region(box, 96, 72)
    assert region.w == 0 or region.h == 0
    photo = _photo()
    assert np.array_equal(redact_faces(photo, [box]), photo)


def test_no_boxes_gives_an_unchanged_copy() -> None:
    photo = _photo()
    covered = redact_faces(photo, [])
    assert covered is not photo and np.array_equal(covered, photo)


@pytest.mark.parametrize(
    ("pixels", "reason"),
    [
        (np.zeros((10, 10), dtype=np.uint8), "height x width x 3"),
        (np.zeros((10, 10, 4), dtype=np.uint8), "height x width x 3"),
        (np.zeros((10, 10, 3), dtype=np.float32), "8-bit"),
    ],
)
def test_wrong_pixels_are_refused_in_plain_words(pixels: np.ndarray, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        redact_faces(pixels, [Box(1, 1, 5, 5)])


def test_unknown_shape_or_style_is_refused() -> None:
    with pytest.raises(ValueError, match="shape"):
        redact_faces(_photo(), [Box(1, 1, 5, 5)], shape="star")
    with pytest.raises(ValueError):
        redact_faces(_photo(), [Box(1, 1, 5, 5)], "pixelate")  # type: ignore[arg-type]


_coords = st.floats(min_value=-60, max_value=160, allow_nan=False)
_sizes = st.floats(min_value=-5, max_value=120, allow_nan=False)
_boxes = st.lists(st.builds(Box, _coords, _coords, _sizes, _sizes), max_size=4)


@settings(max_examples=60, deadline=None)
@given(
    boxes=_boxes,
    style=st.sampled_from(STYLES),
    shape=st.sampled_from(["ellipse", "box"]),
)
def test_any_boxes_on_the_borders_or_overlapping_work(
    boxes: list[Box], style: RedactionStyle, shape: str
) -> None:
    photo = _photo()
    covered = redact_faces(photo, boxes, style, shape=shape, seed=1)
    assert covered.shape == photo.shape and covered.dtype == np.uint8
    regions = [head_region(b, 96, 72) for b in boxes]
    for region in regions:
        assert 0 <= region.x <= region.right <= 96 and 0 <= region.y <= region.bottom <= 72
        assert region.x == int(region.x) and region.w == int(region.w)
    keep = _outside(regions, 72, 96)
    assert np.array_equal(covered[keep], photo[keep])


@settings(max_examples=60, deadline=None)
@given(
    x=st.floats(-40, 120, allow_nan=False),
    y=st.floats(-40, 100, allow_nan=False),
    w=st.floats(1, 80, allow_nan=False),
    h=st.floats(1, 80, allow_nan=False),
)
def test_head_region_always_holds_the_visible_face(x: float, y: float, w: float, h: float) -> None:
    box = Box(x, y, w, h)
    region = head_region(box, 96, 72)
    visible = box.clipped(96, 72)
    if visible.w > 0 and visible.h > 0:
        assert region.x <= visible.x and region.y <= visible.y
        assert region.right >= visible.right and region.bottom >= visible.bottom


def _whole_head(box: Box) -> Box:
    """The head region around ``box`` as if the image had no borders."""
    far = 10_000
    moved = head_region(Box(box.x + far, box.y + far, box.w, box.h), 4 * far, 4 * far)
    return Box(moved.x - far, moved.y - far, moved.w, moved.h)


# Faces sized so the head's margins are whole pixels: the head region is then exactly the
# ellipse's rectangle. A small head (blended in one go), a big one (blended in strips
# around the core), one cut by the image's border.
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(
    "box", [Box(70, 80, 40, 40), Box(120, 150, 160, 160), Box(-20, 150, 100, 80)]
)
def test_ellipse_is_the_box_cover_faded_out_beyond_the_face(
    style: RedactionStyle, box: Box
) -> None:
    # Same noise, same cover: the ellipse shows the box style's pixels over the whole face
    # box and the inner part of the head, the photo outside the ellipse, and something in
    # between on its soft edge.
    photo = _photo(400, 420)
    square = redact_faces(photo, [box], style, shape="box", seed=2).astype(int)
    round_ = redact_faces(photo, [box], style, shape="ellipse", seed=2).astype(int)
    head = _whole_head(box)
    ys, xs = np.mgrid[0:420, 0:400] + 0.5
    radius = np.hypot(
        (xs - head.x - head.w / 2) / (head.w / 2), (ys - head.y - head.h / 2) / (head.h / 2)
    )
    assert np.array_equal(round_[radius >= 1.0], photo[radius >= 1.0])
    if style is RedactionStyle.STICKER:
        return  # its drawing differs by shape; its face box is checked above
    assert np.array_equal(
        round_[_inner(box.clipped(400, 420))], square[_inner(box.clipped(400, 420))]
    )
    assert np.array_equal(round_[radius <= 0.8], square[radius <= 0.8])
    low = np.minimum(photo.astype(int), square) - 1
    high = np.maximum(photo.astype(int), square) + 1
    assert np.all((low <= round_) & (round_ <= high))
