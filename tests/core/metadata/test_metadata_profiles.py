"""Colour profiles: a profile named after a person is reported, in every format; the
standard colour-space profiles cameras and phones embed are not."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ImageCms

from photoscreen.core.metadata.icc_names import icc_findings
from photoscreen.core.metadata.inspection import Finding, inspect_metadata, summarize
from tests.helpers.photos import BUILDERS, make_gif, make_jpeg, make_png, sample_pixels
from tests.helpers.photos_metadata import display_p3_profile, gif_with_profile

NAMED = "a colour profile with a name (Jane Smith iPhone)"


def with_profile(fmt: str, profile: bytes) -> bytes:
    if fmt == "gif":
        return gif_with_profile(make_gif(sample_pixels()), profile)
    return BUILDERS[fmt](sample_pixels(), icc=profile)


def srgb_profile() -> bytes:
    profile: bytes = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return profile


@pytest.mark.parametrize("fmt", ["jpeg", "png", "webp", "heif", "tiff", "gif"])
def test_a_profile_named_after_a_person_is_reported(fmt: str) -> None:
    findings = inspect_metadata(with_profile(fmt, display_p3_profile("Jane Smith iPhone")))
    assert findings == [Finding("other", "a colour profile with a name", ("Jane Smith iPhone",))]


@pytest.mark.parametrize("fmt", ["jpeg", "png", "webp", "heif", "tiff", "gif"])
def test_standard_profiles_are_not_reported(fmt: str) -> None:
    for profile in (display_p3_profile(), srgb_profile()):
        assert inspect_metadata(with_profile(fmt, profile)) == [], fmt


def test_an_icc_v4_localised_name_is_read() -> None:
    profile = display_p3_profile("Jane Smith iPhone", localised=True)
    assert summarize(inspect_metadata(make_jpeg(sample_pixels(), icc=profile))) == NAMED


def test_a_profile_split_over_several_jpeg_segments_is_read_whole() -> None:
    # 150 kB of other tags first: the name is in the third APP2 segment.
    profile = display_p3_profile("Jane Smith iPhone", padding=150_000)
    data = make_jpeg(sample_pixels(), icc=profile)
    assert data.count(b"ICC_PROFILE\x00") == 3
    assert summarize(inspect_metadata(data)) == NAMED


@pytest.mark.parametrize(
    "description",
    [
        "sRGB IEC61966-2.1",
        "Display P3",
        "Adobe RGB (1998)",
        "ProPhoto RGB",
        "Generic Gray Gamma 2.2 Profile",
        "ITU-R BT.2020",
        "Coated FOGRA39 (ISO 12647-2:2004)",
        "Color LCD",
    ],
)
def test_standard_colour_space_names(description: str) -> None:
    data = make_jpeg(sample_pixels(), icc=display_p3_profile(description))
    assert inspect_metadata(data) == []


def iccp_chunk(name: bytes, profile: bytes) -> bytes:
    body = b"iCCP" + name + b"\x00\x00" + zlib.compress(profile)
    return struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))


def png_with_iccp(name: bytes, profile: bytes) -> bytes:
    png = make_png(sample_pixels())
    return png[:33] + iccp_chunk(name, profile) + png[33:]


def test_the_png_profile_name_is_checked_too() -> None:
    data = png_with_iccp(b"Jane Smith", display_p3_profile())
    assert summarize(inspect_metadata(data)) == "a colour profile with a name (Jane Smith)"
    assert inspect_metadata(png_with_iccp(b"ICC Profile", display_p3_profile())) == []


def test_a_profile_that_cannot_be_read_is_reported() -> None:
    data = png_with_iccp(b"ICC Profile", b"Jane Smith, not a profile at all")
    assert summarize(inspect_metadata(data)) == "a colour profile that could not be read"


def test_pillow_reads_the_test_profile_name_the_same_way() -> None:
    """The hand-made profiles are real ones: the colour engine reads the same name."""
    profile = display_p3_profile("Jane Smith iPhone", localised=True)
    name = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile)))
    assert name.strip() == "Jane Smith iPhone"


@settings(max_examples=200, deadline=None)
@given(cut=st.integers(0, 2000), position=st.integers(0, 2000), noise=st.binary(max_size=16))
def test_damaged_profiles_never_crash_the_inspector(cut: int, position: int, noise: bytes) -> None:
    profile = display_p3_profile("Jane Smith iPhone", localised=position % 2 == 0)
    damaged = profile[:position] + noise + profile[position + len(noise) :]
    damaged = damaged[: len(damaged) - cut] if cut < len(damaged) else damaged
    findings = icc_findings(damaged, png_name="ICC profile")
    assert all(f.kind == "other" and f.text for f in findings)
