"""Loading photos: every format and orientation upright, colour right, bad input refused."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import struct
import tempfile
import warnings
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, ImageFile

from photoscreen.core.imaging import colour, loading
from photoscreen.core.imaging.jpeg_fast import decode_plain_jpeg
from photoscreen.core.imaging.loading import (
    ONLY_PREVIEWS,
    SUPPORTED_FORMATS,
    UnreadablePhoto,
    decode_photo,
    decode_photo_in_own_colours,
    photo_hash,
    read_photo_file,
    sniff_format,
)
from tests.helpers.photos import (
    BUILDERS,
    ORIENTATIONS,
    display_p3_profile,
    everything_exif,
    make_gif,
    make_heic,
    make_jpeg,
    make_paged_tiff,
    make_png,
    make_png16,
    make_tiff,
    make_webp,
    other_pixels,
    sample_pixels,
    stored_for_orientation,
)
from tests.helpers.photos_metadata import exif_bytes, p3_to_srgb, thumbnail_jpeg

ORIENTED_FORMATS = ("jpeg", "png", "webp", "heif", "tiff")
# Mean absolute difference allowed against the reference, per format (0-255 levels).
LOSSY_TOLERANCE = {"jpeg": 4.0, "heif": 4.0, "gif": 4.0, "png": 0.0, "webp": 0.0, "tiff": 0.0}


def make_oriented(fmt: str, upright: np.ndarray, orientation: int) -> bytes:
    stored = stored_for_orientation(upright, orientation)
    exif = exif_bytes(orientation=orientation)
    return BUILDERS[fmt](stored, exif=exif)


def mean_difference(a: np.ndarray, b: np.ndarray) -> float:
    assert a.shape == b.shape, f"shape {a.shape} != {b.shape}"
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


@pytest.mark.parametrize("orientation", ORIENTATIONS)
@pytest.mark.parametrize("fmt", ORIENTED_FORMATS)
def test_every_format_and_orientation_decodes_upright(fmt: str, orientation: int) -> None:
    upright = sample_pixels()
    photo = decode_photo(make_oriented(fmt, upright, orientation))
    assert photo.format == fmt
    assert (photo.full_width, photo.full_height) == (96, 64)
    assert photo.pixels.dtype == np.uint8
    assert mean_difference(photo.pixels, upright) <= LOSSY_TOLERANCE[fmt] + 0.5


def test_gif_decodes_its_first_frame() -> None:
    first, second = sample_pixels(), other_pixels()
    photo = decode_photo(make_gif(first, frames=[second]))
    assert mean_difference(photo.pixels, first) < LOSSY_TOLERANCE["gif"]


def test_orientation_applied_once_even_with_metadata_everywhere() -> None:
    # A JPEG whose EXIF says "rotate" and that also carries a thumbnail of a different
    # picture: the pixels must be the photo, turned exactly once.
    upright = sample_pixels()
    stored = stored_for_orientation(upright, 6)
    photo = decode_photo(make_jpeg(stored, exif=everything_exif(stored, 6)))
    assert mean_difference(photo.pixels, upright) < LOSSY_TOLERANCE["jpeg"]


@pytest.mark.parametrize("progressive", [False, True])
def test_progressive_and_baseline_jpeg(progressive: bool) -> None:
    upright = sample_pixels()
    photo = decode_photo(make_jpeg(upright, progressive=progressive))
    assert mean_difference(photo.pixels, upright) < LOSSY_TOLERANCE["jpeg"]


def test_cmyk_jpeg_with_adobe_inverted_channels_decodes_to_rgb() -> None:
    upright = sample_pixels()
    data = make_jpeg(upright, cmyk=True)
    assert b"Adobe" in data  # Pillow writes Adobe-style inverted CMYK
    photo = decode_photo(data)
    assert mean_difference(photo.pixels, upright) < 6.0


def test_sixteen_bit_png_is_scaled_not_clipped() -> None:
    upright = sample_pixels()
    assert mean_difference(decode_photo(make_png16(upright)).pixels, upright) < 1.0
    grey = upright[:, :, 1]
    ok, encoded = cv2.imencode(".png", grey.astype(np.uint16) * 257)
    assert ok
    photo = decode_photo(encoded.tobytes())
    assert mean_difference(photo.pixels, np.dstack([grey] * 3)) < 1.0


def test_transparency_is_flattened_on_white() -> None:
    upright = sample_pixels()
    alpha = np.full(upright.shape[:2], 255, np.uint8)
    alpha[:, :48] = 0  # left half fully transparent
    alpha[:, 48:72] = 128  # a half-transparent band
    photo = decode_photo(make_png(upright, alpha=alpha))
    assert (photo.pixels[:, :48] == 255).all()
    expected_band = (upright[:, 48:72].astype(np.float64) * 128 + 255 * 127) / 255
    assert np.abs(photo.pixels[:, 48:72] - expected_band).max() <= 2
    assert mean_difference(photo.pixels[:, 72:], upright[:, 72:]) == 0


def test_palette_png_with_transparency() -> None:
    pixels = np.zeros((16, 16, 3), np.uint8)
    pixels[:, 8:] = (200, 10, 10)
    image = Image.fromarray(pixels).convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    black = image.getpixel((0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=black)
    photo = decode_photo(out.getvalue())
    assert (photo.pixels[:, :8] == 255).all()
    assert np.abs(photo.pixels[:, 8:].astype(int) - (200, 10, 10)).max() <= 2


# --- colour -------------------------------------------------------------------------

P3_COLOUR = (200, 60, 40)


def flat(colour: tuple[int, int, int], size: tuple[int, int] = (48, 32)) -> np.ndarray:
    return np.full((size[1], size[0], 3), colour, np.uint8)


def test_expected_p3_conversion_is_not_a_no_op() -> None:
    # Guards the test below: if P3 and sRGB values were close, dropping the profile
    # would pass unnoticed.
    assert np.abs(p3_to_srgb(P3_COLOUR) - np.array(P3_COLOUR)).max() > 15


@pytest.mark.parametrize("fmt", ["jpeg", "png", "webp", "tiff", "heif"])
def test_display_p3_photo_is_converted_to_srgb(fmt: str) -> None:
    icc = display_p3_profile()
    data = BUILDERS[fmt](flat(P3_COLOUR), icc=icc)
    photo = decode_photo(data)
    centre = photo.pixels[8:24, 12:36].reshape(-1, 3).mean(axis=0)
    assert np.abs(centre - p3_to_srgb(P3_COLOUR)).max() <= 4, centre


def test_own_colour_decode_hands_back_the_profile_to_convert_later() -> None:
    icc = display_p3_profile()
    for data in (make_jpeg(flat(P3_COLOUR), icc=icc), make_png(flat(P3_COLOUR), icc=icc)):
        photo, profile = decode_photo_in_own_colours(data)
        assert profile == icc
        assert np.abs(photo.pixels[16, 24].astype(int) - P3_COLOUR).max() <= 2
        converted = colour.pixels_to_srgb(photo.pixels, profile)
        assert np.abs(converted[16, 24] - p3_to_srgb(P3_COLOUR)).max() <= 4
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    assert decode_photo_in_own_colours(make_jpeg(flat(P3_COLOUR), icc=srgb))[1] is None
    assert decode_photo_in_own_colours(make_jpeg(flat(P3_COLOUR)))[1] is None


def test_srgb_profile_leaves_pixels_alone() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    pixels = sample_pixels()
    with_profile = decode_photo(make_png(pixels, icc=srgb)).pixels
    assert mean_difference(with_profile, pixels) == 0


# --- primary image only, reduced decoding --------------------------------------------


def test_mpf_jpeg_uses_only_the_primary_image() -> None:
    primary = sample_pixels()
    data = make_jpeg(primary, secondary=other_pixels())
    assert b"MPF\x00" in data
    assert mean_difference(decode_photo(data).pixels, primary) < LOSSY_TOLERANCE["jpeg"]


def test_reduced_decode_never_returns_the_embedded_thumbnail() -> None:
    photo_pixels = sample_pixels(256, 192)
    thumbnail = thumbnail_jpeg(other_pixels(256, 192), size=64)
    data = make_jpeg(photo_pixels, exif=exif_bytes(thumbnail=thumbnail))
    small = decode_photo(data, min_long_side=32)
    assert small.pixels.shape == (24, 32, 3)  # 1/8 DCT scaling
    reference = cv2.resize(photo_pixels, (32, 24), interpolation=cv2.INTER_AREA)
    checkerboard = cv2.resize(other_pixels(256, 192), (32, 24), interpolation=cv2.INTER_AREA)
    assert mean_difference(small.pixels, reference) < 8
    assert mean_difference(small.pixels, checkerboard) > 40


@pytest.mark.parametrize(
    ("scale", "grey"), [(1, False), (2, False), (4, False), (8, False), (8, True)]
)
def test_fast_jpeg_path_itself_returns_the_dct_scaled_decode(scale: int, grey: bool) -> None:
    """The fast path must hand back the reduced decode, not decline and leave Pillow to
    decode the photo a second time (a wrong scale flag did exactly that, silently)."""
    width, height = 643, 481  # not multiples of 8: libjpeg rounds the scaled sides up
    pixels = sample_pixels(width, height)
    data = make_jpeg(pixels[..., 0] if grey else pixels)
    with Image.open(io.BytesIO(data)) as opened:
        assert isinstance(opened, ImageFile.ImageFile)
        assert opened.mode == ("L" if grey else "RGB")
        decoded = decode_plain_jpeg(data, opened, -(-width // scale) if scale > 1 else None)
    assert decoded is not None, "the fast path declined a plain JPEG"
    fast, _profile = decoded
    assert fast.shape == (-(-height // scale), -(-width // scale), 3)
    reference = cv2.resize(pixels, fast.shape[1::-1], interpolation=cv2.INTER_AREA)
    if grey:
        reference = reference[..., :1].repeat(3, axis=2)
    assert mean_difference(fast, reference) < 8


@settings(max_examples=30, deadline=None)
# A side reduced to one pixel (8 x 73 by 73) was once taken for a picture of another size.
@example(width=8, height=73, min_long_side=1, fmt="png", orientation=1)
@given(
    width=st.integers(8, 160),
    height=st.integers(8, 160),
    min_long_side=st.integers(1, 200),
    fmt=st.sampled_from(["jpeg", "png"]),
    orientation=st.sampled_from([1, 6]),
)
def test_reduced_decode_keeps_at_least_the_requested_long_side(
    width: int, height: int, min_long_side: int, fmt: str, orientation: int
) -> None:
    upright = sample_pixels(width, height)
    data = make_oriented(fmt, upright, orientation)
    photo = decode_photo(data, min_long_side=min_long_side)
    long_side = max(photo.pixels.shape[:2])
    assert long_side >= min(min_long_side, max(width, height))
    assert (photo.full_width, photo.full_height) == (width, height)
    assert photo.scale == pytest.approx(photo.pixels.shape[1] / width)
    # The pixels are the upright photo reduced by one whole factor in both directions.
    factors = range(1, max(width, height) + 1)
    shapes = {(-(-height // f), -(-width // f)) for f in factors}
    assert photo.pixels.shape[:2] in shapes


# --- format sniffing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "builder"),
    list(BUILDERS.items()),
)
def test_format_comes_from_the_bytes(fmt: str, builder: object, tmp_path: Path) -> None:
    data = builder(sample_pixels(32, 24))  # type: ignore[operator]
    misnamed = tmp_path / "photo.bmp"
    misnamed.write_bytes(data)
    assert sniff_format(read_photo_file(misnamed)) == fmt
    assert decode_photo(read_photo_file(misnamed)).format == fmt
    assert fmt in SUPPORTED_FORMATS


# --- TIFF pages and camera raw -------------------------------------------------------

PREVIEW = {254: (4, (1,))}  # NewSubfileType: reduced-resolution image
MASK = {254: (4, (4,))}  # NewSubfileType: transparency mask


def test_tiff_preview_in_front_is_skipped_for_the_full_page() -> None:
    photo_pixels = sample_pixels()
    data = make_paged_tiff([(other_pixels(32, 24), PREVIEW), (photo_pixels, {})])
    photo = decode_photo(data)
    assert (photo.full_width, photo.full_height) == (96, 64)
    assert mean_difference(photo.pixels, photo_pixels) == 0


def test_tiff_skips_previews_and_masks_and_keeps_the_first_full_page() -> None:
    photo_pixels = sample_pixels()
    pages = [
        (other_pixels(16, 12), PREVIEW),
        (other_pixels(96, 64), MASK),
        (photo_pixels, {}),
        (other_pixels(96, 64), {}),  # a second page of a document: not the photo
    ]
    assert mean_difference(decode_photo(make_paged_tiff(pages)).pixels, photo_pixels) == 0


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_tiff_full_page_is_turned_by_its_own_orientation(orientation: int) -> None:
    upright = sample_pixels()
    stored = stored_for_orientation(upright, orientation)
    pages = [(other_pixels(32, 24), PREVIEW), (stored, {274: (3, (orientation,))})]
    photo = decode_photo(make_paged_tiff(pages))
    assert (photo.full_width, photo.full_height) == (96, 64)
    assert mean_difference(photo.pixels, upright) == 0


def test_tiff_full_page_colours_come_from_its_own_profile() -> None:
    # Pillow keeps the preview's profile when it moves on to a page without one.
    icc = {34675: (7, display_p3_profile())}
    plain = flat(P3_COLOUR)
    data = make_paged_tiff([(other_pixels(32, 24), {**PREVIEW, **icc}), (plain, {})])
    assert mean_difference(decode_photo(data).pixels, plain) == 0
    data = make_paged_tiff([(other_pixels(32, 24), PREVIEW), (plain, icc)])
    assert np.abs(decode_photo(data).pixels[16, 24] - p3_to_srgb(P3_COLOUR)).max() <= 1


def test_tiff_with_only_previews_is_refused_as_unsupported() -> None:
    data = make_paged_tiff([(other_pixels(32, 24), PREVIEW), (other_pixels(16, 12), PREVIEW)])
    assert reason_for(data) == ONLY_PREVIEWS
    assert ONLY_PREVIEWS.startswith("unsupported format: ")


RAW_SENSOR = {262: (3, (32803,)), 277: (3, (1,)), 258: (3, (8,))}  # one CFA channel
CAMERA_RAW_FILES = {
    "dng": lambda: make_paged_tiff(
        [(other_pixels(32, 24), {**PREVIEW, 50706: (1, b"\x01\x04\x00\x00")})],
        sub_ifds=[(np.zeros((64, 96, 1), np.uint8), RAW_SENSOR)],
    ),
    "dng, raw image first": lambda: make_paged_tiff(
        [(np.zeros((64, 96, 1), np.uint8), {**RAW_SENSOR, 50706: (1, b"\x01\x06\x00\x00")})]
    ),
    "nef-like, raw in a sub-IFD": lambda: make_paged_tiff(
        [(other_pixels(32, 24), PREVIEW)],
        sub_ifds=[(np.zeros((64, 96, 1), np.uint8), RAW_SENSOR)],
    ),
    "linear raw page": lambda: make_paged_tiff(
        [(other_pixels(32, 24), PREVIEW), (sample_pixels(), {262: (3, (34892,))})]
    ),
}


@pytest.mark.parametrize("kind", sorted(CAMERA_RAW_FILES))
def test_camera_raw_tiffs_are_refused_by_name(kind: str) -> None:
    data = CAMERA_RAW_FILES[kind]()
    assert sniff_format(data) is None
    assert reason_for(data) == "unsupported format: camera raw (DNG, NEF, ARW...)"


def test_canon_raw_keeps_its_own_name() -> None:
    data = bytearray(make_tiff(sample_pixels()))
    data[8:10] = b"CR"
    assert reason_for(bytes(data)) == "unsupported format: camera raw (Canon CR2)"


# --- bad input ------------------------------------------------------------------------


def reason_for(data: bytes, **options: int) -> str:
    with pytest.raises(UnreadablePhoto) as caught:
        decode_photo(data, **options)  # type: ignore[arg-type]
    return caught.value.reason


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty"),
        (b"%PDF-1.7\n%...", "not an image (looks like a PDF)"),
        (b"BM" + b"\x00" * 60, "unsupported format: BMP"),
        (
            b"PK\x03\x04" + b"\x00" * 30,
            "not an image (looks like a ZIP archive or Office document)",
        ),
        (
            b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom",
            "not an image (looks like a video: MP4/MOV)",
        ),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", "unsupported format: AVIF"),
        (b"Dear parents, the trip is on Monday.\n", "not an image (looks like a text file)"),
        (bytes(range(7, 200)), "not an image (the file's contents are not a known picture format)"),
    ],
)
def test_non_images_are_refused_with_their_reason(data: bytes, expected: str) -> None:
    assert reason_for(data) == expected


TRUNCATABLE = {
    "jpeg": lambda p: make_jpeg(p),
    "progressive jpeg": lambda p: make_jpeg(p, progressive=True),
    "png": lambda p: make_png(p),
    "webp": lambda p: make_webp(p, lossless=False),
    "tiff": lambda p: make_tiff(p),
    "gif": lambda p: make_gif(p),
    "heif": lambda p: make_heic(p),
}


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9, 0.99])
@pytest.mark.parametrize("kind", sorted(TRUNCATABLE))
def test_truncated_files_are_refused(kind: str, fraction: float) -> None:
    data = TRUNCATABLE[kind](sample_pixels(64, 48))
    cut = data[: int(len(data) * fraction)]
    reason = reason_for(cut)
    assert "truncated" in reason or "damaged" in reason or "could not be decoded" in reason
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


@pytest.mark.parametrize("kind", ["jpeg", "progressive jpeg", "png", "webp", "tiff", "heif"])
def test_truncation_says_truncated(kind: str) -> None:
    data = TRUNCATABLE[kind](sample_pixels(64, 48))
    for cut in (len(data) - 1, len(data) - 2, len(data) // 2):
        assert reason_for(data[:cut]) == "the file is truncated (the picture data ends early)"


def test_corrupt_jpeg_header_is_refused() -> None:
    data = bytearray(make_jpeg(sample_pixels()))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = b"\x00\x00\x00\x00"  # zero width and height
    assert "damaged" in reason_for(bytes(data))


def test_corrupt_png_data_is_refused() -> None:
    data = bytearray(make_png(sample_pixels()))
    idat = data.index(b"IDAT")
    data[idat + 10 : idat + 40] = b"\x55" * 30
    assert "damaged" in reason_for(bytes(data))


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG claiming a huge size: a decompression bomb's header."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    crc = struct.pack(">I", zlib.crc32(chunk))
    idat = zlib.compress(b"\x00" * 16)
    idat_chunk = b"IDAT" + idat
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr)) + chunk + crc
        + struct.pack(">I", len(idat)) + idat_chunk + struct.pack(">I", zlib.crc32(idat_chunk))
        + b"\x00\x00\x00\x00IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    )  # fmt: skip


def test_decompression_bomb_is_refused() -> None:
    assert reason_for(png_header_only(30000, 30000)).startswith("too large")


# 90 megapixels: over Pillow's warning limit (89.5 MP), under its error limit and under
# our own default of 100 MP: Pillow's limit must still hold, as our own.
OVER_PILLOWS_LIMIT = (10000, 9000)
OVER_PILLOWS_LIMIT_REASON = "too large: 10000 x 9000 pixels, the limit is 89.5 megapixels"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_pillows_pixel_limit_holds_too() -> None:
    assert reason_for(png_header_only(*OVER_PILLOWS_LIMIT)) == OVER_PILLOWS_LIMIT_REASON


def test_pixel_limit_does_not_depend_on_warnings_filters(monkeypatch: pytest.MonkeyPatch) -> None:
    # Warnings filters are process-wide: another export thread leaving its own
    # catch_warnings block can remove, at any moment, a filter the loader installed.
    # The worst case, made deterministic: Pillow's warning ignored, and nothing the
    # loader does can install a filter.
    def no_filter(*args: object, **kwargs: object) -> None:
        return None

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        monkeypatch.setattr(warnings, "simplefilter", no_filter)
        monkeypatch.setattr(warnings, "filterwarnings", no_filter)
        reason = reason_for(png_header_only(*OVER_PILLOWS_LIMIT))
    assert reason == OVER_PILLOWS_LIMIT_REASON


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
def test_pixel_limit_is_checked_before_decoding_in_every_format(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_decoding(*args: object) -> None:
        raise AssertionError("decoded before the pixel limit was checked")

    monkeypatch.setattr(loading, "_load", no_decoding)
    monkeypatch.setattr(loading, "decode_plain_jpeg", no_decoding)
    reason = reason_for(BUILDERS[fmt](sample_pixels()), max_pixels=1000)
    assert reason == "too large: 96 x 64 pixels, the limit is 0.001 megapixels"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_pixel_limit_counts_the_gif_screen_and_the_heic_size() -> None:
    gif = bytearray(make_gif(sample_pixels()))
    struct.pack_into("<HH", gif, 6, *OVER_PILLOWS_LIMIT)  # the logical screen
    heic = bytearray(make_heic(sample_pixels()))
    struct.pack_into(">II", heic, heic.index(b"ispe") + 8, *OVER_PILLOWS_LIMIT)
    assert reason_for(bytes(gif)) == OVER_PILLOWS_LIMIT_REASON
    assert reason_for(bytes(heic)) == OVER_PILLOWS_LIMIT_REASON


def test_pixel_limit_counts_the_tiff_page_used_not_the_first() -> None:
    # Pillow checks the first page on opening; the photo behind a small preview is
    # another page, which it never checks.
    width, height = OVER_PILLOWS_LIMIT
    huge = {256: (4, (width,)), 257: (4, (height,)), 278: (4, (height,))}
    data = make_paged_tiff([(other_pixels(32, 24), PREVIEW), (sample_pixels(8, 8), huge)])
    assert reason_for(data) == OVER_PILLOWS_LIMIT_REASON


def test_pixel_limit_names_the_size() -> None:
    reason = reason_for(make_png(sample_pixels()), max_pixels=1000)
    assert reason == "too large: 96 x 64 pixels, the limit is 0.001 megapixels"


# --- reading files --------------------------------------------------------------------


def test_read_returns_exact_bytes_and_leaves_the_file_alone(tmp_path: Path) -> None:
    data = make_jpeg(sample_pixels())
    path = tmp_path / "a.jpg"
    path.write_bytes(data)
    os.utime(path, (1_000_000, 1_000_000))
    before = path.stat()
    assert read_photo_file(path) == data
    after = path.stat()
    assert path.read_bytes() == data
    assert (after.st_mtime_ns, after.st_size, after.st_mode) == (
        before.st_mtime_ns,
        before.st_size,
        before.st_mode,
    )


def refusal(path: Path, **options: int) -> str:
    with pytest.raises(UnreadablePhoto) as caught:
        read_photo_file(path, **options)  # type: ignore[arg-type]
    return caught.value.reason


def test_bad_files_are_refused_with_their_reason(tmp_path: Path) -> None:
    real = tmp_path / "real.jpg"
    real.write_bytes(make_jpeg(sample_pixels()))
    link = tmp_path / "link.jpg"
    link.symlink_to(real)
    empty = tmp_path / "empty.jpg"
    empty.touch()
    folder = tmp_path / "folder.jpg"
    folder.mkdir()
    assert refusal(link) == "a link, not a photo"
    assert refusal(empty) == "the file is empty"
    assert refusal(folder) == "a folder, not a photo"
    assert refusal(tmp_path / "missing.jpg") == "the file does not exist (it may have been moved)"
    assert refusal(real, max_bytes=100).startswith("too large:")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX-only")
def test_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.jpg"
    os.mkfifo(pipe)
    assert refusal(pipe) == "a special file (device, pipe or socket), not a photo"


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_unreadable_file_is_refused() -> None:
    # A fresh folder in the system temp dir, so an ordinary user can reach it when the
    # suite runs as root (root can read anything, so the check runs as "nobody").
    folder = Path(tempfile.mkdtemp(prefix="photoscreen-test-"))
    try:
        folder.chmod(0o755)
        path = folder / "secret.jpg"
        path.write_bytes(make_jpeg(sample_pixels()))
        path.chmod(0)
        if os.geteuid() != 0:
            assert refusal(path) == "the file cannot be read (permission denied)"
            return
        # Root reads anything: check as "nobody" by switching the effective user briefly.
        os.seteuid(65534)
        try:
            reason = refusal(path)
        finally:
            os.seteuid(0)
        assert reason == "the file cannot be read (permission denied)"
    finally:
        shutil.rmtree(folder)


def test_photo_hash_is_the_content_sha256() -> None:
    data = make_png(sample_pixels())
    assert photo_hash(data) == hashlib.sha256(data).hexdigest()
    changed = bytearray(data)
    changed[-20] ^= 1
    assert photo_hash(bytes(changed)) != photo_hash(data)
