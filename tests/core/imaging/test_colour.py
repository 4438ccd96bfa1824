"""Colour: every photo comes out in correct sRGB, whatever says what its values mean.

References are computed here from the published formulas (IEC 61966-2-1, ITU-R BT.709,
BT.2100, ITU-T H.273 chromaticities) or by LittleCMS, never by the code under test.
"""

from __future__ import annotations

import io
import math
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms

from photoscreen.core.imaging import colour, icc
from photoscreen.core.imaging.loading import decode_photo, decode_photo_in_own_colours
from photoscreen.core.imaging.nclx import profile_for_nclx
from photoscreen.core.render.safe_export import ExportOptions, render_export
from tests.helpers.photos import make_jpeg, make_png, sample_pixels

D65 = (0.3127, 0.3290)
SRGB = ((0.64, 0.33), (0.30, 0.60), (0.15, 0.06))
DISPLAY_P3 = ((0.680, 0.320), (0.265, 0.690), (0.150, 0.060))
BT2020 = ((0.708, 0.292), (0.170, 0.797), (0.131, 0.046))
DCI_WHITE = (0.314, 0.351)
PROPHOTO = ((0.7347, 0.2653), (0.1596, 0.8404), (0.0366, 0.0001))
D50_XY = (0.3457, 0.3585)
PATCHES = ((200, 90, 40), (40, 160, 90), (30, 60, 210), (128, 128, 128), (250, 250, 250))


# --- independent references ---------------------------------------------------------


def xy_to_xyz(xy: tuple[float, float]) -> np.ndarray:
    return np.array([xy[0] / xy[1], 1.0, (1 - xy[0] - xy[1]) / xy[1]])


def rgb_to_xyz(
    primaries: tuple[tuple[float, float], ...], white: tuple[float, float]
) -> np.ndarray:
    columns = np.array([xy_to_xyz(p) for p in primaries]).T
    return columns * np.linalg.solve(columns, xy_to_xyz(white))


def bradford(source: tuple[float, float], target: tuple[float, float]) -> np.ndarray:
    cone = np.array(
        [[0.8951, 0.2664, -0.1614], [-0.7502, 1.7135, 0.0367], [0.0389, -0.0685, 1.0296]]
    )
    gain = (cone @ xy_to_xyz(target)) / (cone @ xy_to_xyz(source))
    return np.linalg.inv(cone) @ np.diag(gain) @ cone


def srgb_decode(v: np.ndarray) -> np.ndarray:
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def srgb_encode(linear: np.ndarray) -> np.ndarray:
    v = np.clip(linear, 0.0, 1.0)
    return np.round(np.where(v <= 0.0031308, v * 12.92, 1.055 * v ** (1 / 2.4) - 0.055) * 255)


def bt709_decode(v: np.ndarray) -> np.ndarray:
    """The inverse of BT.709's camera curve V = 1.099 L^0.45 - 0.099 (4.5 L below 0.018)."""
    return np.where(v < 0.081, v / 4.5, ((v + 0.099) / 1.099) ** (1 / 0.45))


def to_srgb(
    rgb: tuple[int, ...],
    primaries: tuple[tuple[float, float], ...],
    white: tuple[float, float] = D65,
    decode: object = srgb_decode,
) -> np.ndarray:
    """An 8-bit colour of another RGB space in sRGB (relative colorimetric, clipped)."""
    linear = decode(np.array(rgb) / 255.0)  # type: ignore[operator]
    xyz = bradford(white, D65) @ rgb_to_xyz(primaries, white) @ linear
    return srgb_encode(np.linalg.solve(rgb_to_xyz(SRGB, D65), xyz))


def littlecms_to_srgb(pixels: np.ndarray, profile: bytes) -> np.ndarray:
    source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    srgb = ImageCms.createProfile("sRGB")
    image = ImageCms.profileToProfile(
        Image.fromarray(pixels), source, srgb, renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC
    )
    assert image is not None
    return np.asarray(image)


def patches(colours: tuple[tuple[int, int, int], ...] = PATCHES, side: int = 16) -> np.ndarray:
    """A row of flat square patches, big enough for lossy chroma to leave their centres."""
    return np.concatenate([np.full((side, side, 3), c, np.uint8) for c in colours], axis=1)


def patch_centres(pixels: np.ndarray, count: int = len(PATCHES), side: int = 16) -> np.ndarray:
    return np.array([pixels[side // 2, side * i + side // 2] for i in range(count)], dtype=int)


# --- profiles written for the tests --------------------------------------------------


SRGB_CURVE = icc.parametric_curve(2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045)


def matrix_profile(
    name: str,
    primaries: tuple[tuple[float, float], ...],
    curve: bytes = SRGB_CURVE,
    white: tuple[float, float] = D65,
) -> bytes:
    return icc.write_matrix_shaper(
        name, icc.colorants_d50(primaries, white), [curve] * 3, xy_to_xyz(white)
    )


def table_profile(name: str, primaries: tuple[tuple[float, float], ...]) -> bytes:
    """An RGB profile made of an A2B0 lookup table (``mft2``) instead of a matrix: sRGB's
    curve in its input tables, then a 2 x 2 x 2 grid of XYZ, exact for a linear map."""
    colorants = icc.colorants_d50(primaries, D65)
    matrix = b"".join(struct.pack(">i", 65536 if i % 4 == 0 else 0) for i in range(9))
    curve = np.round(srgb_decode(np.arange(256) / 255.0) * 65535).astype(">u2").tobytes()
    corners = [colorants @ np.array([r, g, b]) for r in (0, 1) for g in (0, 1) for b in (0, 1)]
    grid = np.round(np.clip(np.array(corners) * 32768, 0, 65535)).astype(">u2").tobytes()
    lut = (
        b"mft2\x00\x00\x00\x00"
        + bytes((3, 3, 2, 0))
        + matrix
        + struct.pack(">HH", 256, 2)
        + curve * 3
        + grid
        + struct.pack(">HH", 0, 65535) * 3
    )
    plain = matrix_profile(name, primaries)
    count = int.from_bytes(plain[128:132], "big")
    kept = [
        (plain[132 + 12 * i : 136 + 12 * i], *struct.unpack_from(">II", plain, 136 + 12 * i))
        for i in range(count)
    ]
    tags = [(sig, plain[o : o + n]) for sig, o, n in kept if sig in (b"desc", b"cprt", b"wtpt")]
    tags.append((b"A2B0", lut))
    profile = bytearray(icc._assemble(tags))
    # Version 2: LittleCMS reads a version 4 perceptual table against v4's reference
    # medium (a slightly lifted black), which this colorimetric table is not made for.
    profile[8:10] = b"\x02\x10"
    return bytes(profile)


LCMS_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


# --- is it sRGB? decided by what the profile does -----------------------------------


@pytest.mark.parametrize(
    "profile",
    [
        LCMS_SRGB,
        matrix_profile("Camera RGB", SRGB),  # sRGB in all but name
        matrix_profile(
            "sRGB, sampled curve", SRGB, icc.sampled_curve(srgb_decode(np.linspace(0, 1, 1024)))
        ),
        table_profile("sRGB as a lookup table", SRGB),
    ],
    ids=["littlecms", "named otherwise", "sampled curve", "lookup table"],
)
def test_srgb_in_effect_needs_no_conversion(profile: bytes) -> None:
    assert colour.is_srgb_profile(profile)
    pixels = sample_pixels()
    photo, pending = decode_photo_in_own_colours(make_png(pixels, icc=profile))
    assert pending is None
    assert np.array_equal(photo.pixels, pixels)


@pytest.mark.parametrize(
    ("profile", "reference"),
    [
        # sRGB's primaries with other encodings (as ghostscript's e-sRGB and scRGB have).
        (
            matrix_profile("e-sRGB", SRGB, icc.parametric_curve(1.8)),
            lambda v: srgb_encode((v / 255) ** 1.8),
        ),
        (matrix_profile("scRGB", SRGB, icc.parametric_curve(1.0)), lambda v: srgb_encode(v / 255)),
        # Another space whose description claims sRGB.
        (matrix_profile("sRGB IEC61966-2.1", DISPLAY_P3), None),
    ],
    ids=["e-sRGB", "scRGB", "P3 named sRGB"],
)
def test_other_spaces_are_converted_whatever_their_name(profile: bytes, reference: object) -> None:
    assert not colour.is_srgb_profile(profile)
    pixels = patches()
    converted = patch_centres(decode_photo(make_png(pixels, icc=profile)).pixels)
    for got, value in zip(converted, PATCHES, strict=True):
        if reference is None:
            expected = to_srgb(value, DISPLAY_P3)
        else:
            expected = reference(np.array(value, dtype=float))  # type: ignore[operator]
        assert np.abs(got - expected).max() <= 1, (value, got, expected)


def test_lookup_table_profile_is_converted_by_littlecms() -> None:
    profile = table_profile("P3 as a lookup table", DISPLAY_P3)
    converted = patch_centres(decode_photo(make_png(patches(), icc=profile)).pixels)
    for got, value in zip(converted, PATCHES, strict=True):
        assert np.abs(got - to_srgb(value, DISPLAY_P3)).max() <= 2, (value, got)


@pytest.mark.parametrize(
    "profile",
    [
        matrix_profile("Display P3", DISPLAY_P3),
        matrix_profile("ProPhoto-like", PROPHOTO, icc.parametric_curve(1.8), D50_XY),
        matrix_profile(
            "BT.2020, BT.709 curve",
            BT2020,
            icc.parametric_curve(1 / 0.45, 1 / 1.099, 0.099 / 1.099, 1 / 4.5, 0.081),
        ),
    ],
    ids=["p3", "prophoto", "bt2020"],
)
def test_matrix_conversion_agrees_with_littlecms(profile: bytes) -> None:
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, (300, 257, 3), dtype=np.uint8)  # bands and an odd width
    ours = colour.pixels_to_srgb(pixels, profile).astype(int)
    assert np.abs(ours - littlecms_to_srgb(pixels, profile).astype(int)).max() <= 1


def test_each_profile_is_prepared_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Most photos of a folder carry the same profile (sRGB or Display P3): it is read
    # and its conversion prepared once, not once per photo.
    reads: list[bytes] = []
    real = colour.read_matrix_shaper
    monkeypatch.setattr(colour, "read_matrix_shaper", lambda p: reads.append(p) or real(p))
    colour._rgb_conversion.cache_clear()
    p3 = matrix_profile("Display P3", DISPLAY_P3)
    for _ in range(3):
        assert colour.pending_rgb_profile(bytes(LCMS_SRGB)) is None
        assert colour.pending_rgb_profile(bytes(p3)) == p3
        colour.pixels_to_srgb(sample_pixels(), p3)
    assert len(reads) == 2


# --- reading profiles ---------------------------------------------------------------


def _para(kind: int, *values: float) -> bytes:
    return (
        b"para\x00\x00\x00\x00"
        + struct.pack(">HH", kind, 0)
        + b"".join(struct.pack(">i", round(v * 65536)) for v in values)
    )


X = np.arange(256) / 255.0


@pytest.mark.parametrize(
    ("curve", "expected"),
    [
        (_para(0, 2.2), X**2.2),
        (_para(1, 2.0, 1.25, -0.25), np.where(X >= 0.2, np.maximum(1.25 * X - 0.25, 0) ** 2, 0)),
        (
            _para(2, 2.0, 1.25, -0.25, 0.1),
            np.clip(np.where(X >= 0.2, (1.25 * X - 0.25).clip(0) ** 2 + 0.1, 0.1), 0, 1),
        ),
        (_para(3, 2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045), srgb_decode(X)),
        (
            _para(4, 2.0, 0.9, 0.1, 0.5, 0.1, 0.05, 0.02),
            np.clip(np.where(X >= 0.1, (0.9 * X + 0.1) ** 2 + 0.05, 0.5 * X + 0.02), 0, 1),
        ),
        (b"curv\x00\x00\x00\x00\x00\x00\x00\x00", X),
        (b"curv\x00\x00\x00\x00\x00\x00\x00\x01\x01\xcd", X ** (0x1CD / 256)),
        (
            b"curv\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x40\x00\xff\xff",
            np.interp(X, [0, 0.5, 1], [0, 0x4000 / 65535, 1]),
        ),
    ],
    ids=["gamma", "type1", "type2", "srgb", "type4", "identity", "curv gamma", "curv table"],
)
def test_tone_curves_are_read_as_the_icc_spec_defines_them(
    curve: bytes, expected: np.ndarray
) -> None:
    profile = matrix_profile("test", SRGB, curve)
    shaper = icc.read_matrix_shaper(profile)
    assert shaper is not None
    assert np.abs(shaper.linear - expected).max() < 2e-4
    # LittleCMS reads the same curve the same way.
    ramp = np.repeat(np.arange(256, dtype=np.uint8)[None, :, None], 3, axis=2)
    ours = colour.pixels_to_srgb(ramp, profile).astype(int)
    assert np.abs(ours - littlecms_to_srgb(ramp, profile).astype(int)).max() <= 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600), st.integers(0, 400))
def test_damaged_profiles_never_crash(noise: bytes, cut: int) -> None:
    good = matrix_profile("Display P3", DISPLAY_P3)
    for damaged in (good[:cut], good[:132] + noise, noise, good[:cut] + noise + good[cut:]):
        icc.read_matrix_shaper(damaged)
        colour.pending_rgb_profile(damaged)


def test_unusable_profile_leaves_the_pixels_as_they_are() -> None:
    pixels = sample_pixels()
    broken = matrix_profile("Display P3", DISPLAY_P3)[:200]
    assert np.array_equal(
        decode_photo(make_jpeg(pixels, icc=broken, quality=100)).pixels,
        decode_photo(make_jpeg(pixels, quality=100)).pixels,
    )


# --- HEIF colour given as nclx code points -------------------------------------------


def make_nclx_heic(pixels: np.ndarray, primaries: int, transfer: int) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.fromarray(pixels).save(
        out,
        "HEIF",
        quality=-1,
        color_primaries=primaries,
        transfer_characteristics=transfer,
        matrix_coefficients=6,
        full_range_flag=1,
    )
    return out.getvalue()


@pytest.mark.parametrize(
    ("primaries", "transfer", "space", "white", "decode"),
    [
        (12, 13, DISPLAY_P3, D65, srgb_decode),  # Display P3 (Android phones)
        (9, 13, BT2020, D65, srgb_decode),
        (9, 1, BT2020, D65, bt709_decode),
        (9, 14, BT2020, D65, bt709_decode),
        (11, 13, DISPLAY_P3, DCI_WHITE, srgb_decode),  # DCI-P3: its own white point
        (1, 6, SRGB, D65, bt709_decode),  # sRGB's primaries, BT.601's curve
        (1, 8, SRGB, D65, lambda v: v),  # linear light
    ],
)
def test_nclx_heic_is_converted_to_srgb(
    primaries: int, transfer: int, space: tuple, white: tuple, decode: object
) -> None:
    data = make_nclx_heic(patches(), primaries, transfer)
    # The codec moves values by a level or two; the reference starts from the values
    # it decoded, so that only the conversion is judged.
    own_colours = patch_centres(decode_photo_in_own_colours(data)[0].pixels)
    assert np.abs(own_colours - np.array(PATCHES)).max() <= 2
    got = patch_centres(decode_photo(data).pixels)
    for value, pixel in zip(own_colours, got, strict=True):
        expected = to_srgb(tuple(value), space, white, decode)
        assert np.abs(pixel - expected).max() <= 1, (value, pixel, expected)


def test_nclx_display_p3_heic_exports_in_srgb() -> None:
    # The audit's case: P3 (200, 90, 40) came out as (200, 90, 39).
    data = make_nclx_heic(patches(), 12, 13)
    exported = np.asarray(Image.open(io.BytesIO(render_export(data, [], ExportOptions()))))
    got = patch_centres(exported)
    assert np.abs(got[0] - to_srgb((200, 90, 40), DISPLAY_P3)).max() <= 4, got[0]
    assert np.abs(got[0] - (216, 81, 13)).max() <= 4


@pytest.mark.parametrize(("primaries", "transfer"), [(1, 13), (2, 2), (1, 2), (2, 13)])
def test_nclx_srgb_needs_no_conversion(primaries: int, transfer: int) -> None:
    pixels = patches()
    photo, pending = decode_photo_in_own_colours(make_nclx_heic(pixels, primaries, transfer))
    assert pending is None
    assert np.abs(patch_centres(photo.pixels) - np.array(PATCHES)).max() <= 2


@pytest.mark.parametrize("primaries", [0, 3, 10, 13, 200])
def test_nclx_unknown_primaries_are_left_as_they_are(primaries: int) -> None:
    assert profile_for_nclx({"color_primaries": primaries, "transfer_characteristics": 16}) is None


def test_an_icc_profile_wins_over_nclx() -> None:
    p3 = matrix_profile("Display P3", DISPLAY_P3)
    image = Image.fromarray(patches())
    image.info = {
        "icc_profile": p3,
        "nclx_profile": {"color_primaries": 9, "transfer_characteristics": 16},
    }
    assert colour.to_rgb(image)[1] == p3
    image.info["icc_profile"] = LCMS_SRGB
    assert colour.to_rgb(image)[1] is None


# HDR: absolute light, tone-mapped so that reference white (203 nits) is near sRGB white.


def pq_signal(nits: float) -> float:
    """SMPTE ST 2084 inverse EOTF: luminance to PQ code value."""
    m1, m2 = 2610 / 16384, 2523 / 4096 * 128
    c1, c2, c3 = 3424 / 4096, 2413 / 4096 * 32, 2392 / 4096 * 32
    y = (nits / 10000) ** m1
    return float(((c1 + c2 * y) / (1 + c3 * y)) ** m2)


def hlg_nits(signal: float) -> float:
    """BT.2100 HLG inverse OETF then the OOTF of a 1,000-nit display (gamma 1.2), on grey."""
    a = 0.17883277
    b, c = 1 - 4 * a, 0.5 - a * math.log(4 * a)
    scene = signal**2 / 3 if signal <= 0.5 else (math.exp((signal - c) / a) + b) / 12
    return 1000 * scene**1.2


def sdr(nits: float) -> float:
    """The documented tone mapping: reference white 203 nits -> 1.0, linear to 0.8,
    then an exponential shoulder towards 1.0."""
    relative = nits / 203
    return relative if relative <= 0.8 else 0.8 + 0.2 * (1 - math.exp(-(relative - 0.8) / 0.2))


def test_pq_heic_is_tone_mapped_to_sdr() -> None:
    nits = (0.0, 5.0, 50.0, 100.0, 203.0, 1000.0, 10000.0)
    codes = [round(pq_signal(n) * 255) for n in nits]
    greys = patches(tuple((c, c, c) for c in codes))
    got = patch_centres(decode_photo(make_nclx_heic(greys, 9, 16)).pixels, len(codes))
    # The grey pixels' own PQ values (8-bit), through the documented mapping.
    expected = [srgb_encode(np.array(sdr(_pq_nits(c / 255)))) for c in codes]
    for pixel, want in zip(got, expected, strict=True):
        assert np.abs(pixel - want).max() <= 2, (pixel, want)
    assert list(got[:, 1]) == sorted(got[:, 1])  # brighter light, brighter pixel
    assert 140 <= got[3, 1] <= 200  # 100 nits: a light mid-tone, not white
    assert got[4, 1] >= 240 and got[-1, 1] == 255


def _pq_nits(signal: float) -> float:
    m1, m2 = 2610 / 16384, 2523 / 4096 * 128
    c1, c2, c3 = 3424 / 4096, 2413 / 4096 * 32, 2392 / 4096 * 32
    p = signal ** (1 / m2)
    return float(10000 * (max(p - c1, 0) / (c2 - c3 * p)) ** (1 / m1))


def test_hlg_heic_is_tone_mapped_to_sdr() -> None:
    signals = (0.0, 0.25, 0.5, 0.75, 1.0)
    codes = [round(s * 255) for s in signals]
    greys = patches(tuple((c, c, c) for c in codes))
    got = patch_centres(decode_photo(make_nclx_heic(greys, 9, 18)).pixels, len(codes))
    for code, pixel in zip(codes, got, strict=True):
        want = srgb_encode(np.array(sdr(hlg_nits(code / 255))))
        assert np.abs(pixel - want).max() <= 2, (code, pixel, want)
    assert got[3, 1] >= 240  # HLG reference white (75%) is near sRGB white
    assert got[-1, 1] == 255
