"""The one decision of a photo's upright size and orientation (photoscreen.core.imaging.upright).

Every format, every source its orientation can come from (several, disagreeing, where a
file can carry more than one), every orientation: the header-only measure scan uses when
it reads a folder again and the decode every other module uses must give the same upright
size, and the pixels must be the upright picture. Issue 10 items 2 and 3 were both this
class: the two disagreed for TIFFs.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from photoscreen.core.imaging import loading
from photoscreen.core.imaging.loading import (
    GEOMETRY_UNCLEAR,
    UnreadablePhoto,
    decode_photo,
    probe_photo,
)
from photoscreen.core.imaging.upright import GeometryMismatch, Upright
from tests.helpers.orientation_sources import SOURCES, oriented_file, xmp_orientation
from tests.helpers.photos import ORIENTATIONS, make_paged_tiff, other_pixels, sample_pixels

WIDTH, HEIGHT = 96, 64
# Mean absolute difference allowed against the upright picture (lossy formats).
TOLERANCE = {"jpeg": 4.5, "heif": 4.5, "gif": 4.5, "png": 0.5, "webp": 0.5, "tiff": 0.5}
# Every (format, source, orientation); a source that carries nothing is tried once.
CASES = [
    (fmt, source, orientation)
    for fmt, sources in SOURCES.items()
    for source in sources
    for orientation in ((1,) if source == "none" else ORIENTATIONS)
]


def rival_of(orientation: int) -> int:
    """An orientation that differs from ``orientation`` in size when it can (5-8 vs 1-4)."""
    return 1 + (orientation + 3) % 8


def mean_difference(a: np.ndarray, b: np.ndarray) -> float:
    assert a.shape == b.shape, f"shape {a.shape} != {b.shape}"
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


@pytest.mark.parametrize(("fmt", "source", "orientation"), CASES)
def test_probe_and_decode_agree_on_the_upright_picture(
    fmt: str, source: str, orientation: int
) -> None:
    upright = sample_pixels(WIDTH, HEIGHT)
    data = oriented_file(fmt, source, upright, orientation, rival_of(orientation))
    measured, measured_format = probe_photo(data)
    full = decode_photo(data)
    reduced = decode_photo(data, min_long_side=24)
    assert measured.size == (WIDTH, HEIGHT), "the header-only measure (reopening)"
    assert (full.full_width, full.full_height) == (WIDTH, HEIGHT), "the decode (first open)"
    assert (reduced.full_width, reduced.full_height) == (WIDTH, HEIGHT), "a reduced decode"
    assert measured_format == full.format == fmt
    assert mean_difference(full.pixels, upright) <= TOLERANCE[fmt]
    assert reduced.pixels.shape[1] * HEIGHT == pytest.approx(
        reduced.pixels.shape[0] * WIDTH, abs=WIDTH
    )


@pytest.mark.parametrize("page_source", ["tag", "xmp"])
@pytest.mark.parametrize("preview_source", ["tag", "xmp"])
def test_a_tiff_page_is_turned_by_its_own_orientation_not_its_previews(
    preview_source: str, page_source: str
) -> None:
    upright = sample_pixels(WIDTH, HEIGHT)
    stored = np.ascontiguousarray(np.rot90(upright, 1))  # shown upright after orientation 6
    preview = (other_pixels(32, 24), {254: (4, (1,)), **_orientation_tags(preview_source, 8)})
    page = (stored, _orientation_tags(page_source, 6))
    data = make_paged_tiff([preview, page])
    assert probe_photo(data)[0].size == (WIDTH, HEIGHT)
    photo = decode_photo(data)
    assert (photo.full_width, photo.full_height) == (WIDTH, HEIGHT)
    assert mean_difference(photo.pixels, upright) <= TOLERANCE["tiff"]


def _orientation_tags(source: str, orientation: int) -> dict[int, tuple[int, object]]:
    if source == "tag":
        return {274: (3, (orientation,))}
    return {700: (1, xmp_orientation(orientation))}


@given(
    width=st.integers(1, 6000),
    height=st.integers(1, 6000),
    factor=st.integers(1, 64),
)
def test_every_whole_factor_reduction_of_the_upright_size_passes_the_check(
    width: int, height: int, factor: int
) -> None:
    reduced = np.zeros((-(-height // factor), -(-width // factor), 3), np.uint8)
    Upright(width, height, 1, False).check(reduced)


@pytest.mark.parametrize(
    ("size", "decoded"),
    [
        ((4000, 3000), (375, 500)),  # turned a quarter too many: the bug's shape
        ((4000, 3000), (500, 376)),  # not a whole-factor reduction
        ((96, 64), (64, 96)),
        ((96, 64), (97, 64)),  # larger than the photo
    ],
)
def test_pixels_in_another_frame_fail_the_check(
    size: tuple[int, int], decoded: tuple[int, int]
) -> None:
    pixels = np.zeros((decoded[1], decoded[0], 3), np.uint8)
    with pytest.raises(GeometryMismatch):
        Upright(*size, 1, False).check(pixels)


def test_the_loader_refuses_pixels_that_disagree_with_the_decided_frame(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Should anything decide the frame differently from the decoder again, the photo is
    # refused in plain words rather than given boxes in another frame.
    data = oriented_file("tiff", "tag", sample_pixels(WIDTH, HEIGHT), 6)

    def wrong(image: object, fmt: str) -> Upright:
        return Upright(HEIGHT, WIDTH, 6, True)

    monkeypatch.setattr(loading, "upright_geometry", wrong)
    with pytest.raises(UnreadablePhoto) as caught:
        decode_photo(data)
    assert caught.value.reason == GEOMETRY_UNCLEAR


def test_damaged_png_picture_data_is_not_taken_for_a_png_without_exif() -> None:
    # Pillow decodes a PNG to find its EXIF: damage found then is reported, not swallowed.
    data = bytearray(oriented_file("png", "none", sample_pixels(WIDTH, HEIGHT), 1))
    idat = data.index(b"IDAT")
    data[idat + 10 : idat + 40] = b"\x55" * 30
    with pytest.raises(UnreadablePhoto, match="damaged"):
        probe_photo(bytes(data))


@given(
    width=st.integers(1, 5000),
    height=st.integers(1, 5000),
    factor=st.integers(1, 6000),
    turned=st.booleans(),
)
def test_any_whole_factor_reduction_is_taken_and_other_sizes_are_not(
    width: int, height: int, factor: int, turned: bool
) -> None:
    """A decode reduced by one whole factor (each side rounded up, as libjpeg and Pillow's
    reduce give) is the picture, however far, down to one pixel a side; a size no single
    factor gives is not."""
    frame = Upright(width, height, 6 if turned else 1, False)
    reduced = np.zeros((-(-height // factor), -(-width // factor), 3), np.uint8)
    frame.check(reduced)
    wider = np.zeros((reduced.shape[0], reduced.shape[1] + 1, 3), np.uint8)
    if not any(
        -(-width // f) == wider.shape[1] and -(-height // f) == wider.shape[0]
        for f in range(1, max(width, height) + 1)
    ):
        with pytest.raises(GeometryMismatch):
            frame.check(wider)
