"""Data in places the known-tag lists do not cover: TIFF tags and PNG chunks of any kind
are reported unless the bare picture needs them; a GIF's missing trailer is harmless."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from photoscreen.core.metadata.inspection import DAMAGED, Finding, inspect_metadata, summarize
from tests.helpers.photos import make_gif, make_png, other_pixels, sample_pixels
from tests.helpers.photos_metadata import GPS_TEXT, exif_bytes

GEOTIFF_TIE_POINT = (0.0, 0.0, 0.0, -1.51, 53.68, 0.0)


def tiff(tags: dict[int, object], **options: object) -> bytes:
    out = io.BytesIO()
    Image.fromarray(sample_pixels()).save(out, "TIFF", tiffinfo=tags, **options)
    return out.getvalue()


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ({269: "Jane Smith birthday"}, "document name (Jane Smith birthday)"),
        ({285: "Jane Smith"}, "page name (Jane Smith)"),
        ({0x8769: {0xA437: "Jane Smith"}}, "photographer's name (Jane Smith)"),
        ({0x8769: {0xA430: "Jane Smith"}}, "photographer's name (Jane Smith)"),
        ({0x8769: {0x829A: 0.01}}, "other hidden data (EXIF)"),
        ({33922: GEOTIFF_TIE_POINT}, "GPS location (a map position, GeoTIFF)"),
        ({65000: "Oak Family Centre"}, "other hidden data (1 TIFF tag)"),
        ({65000: "Oak Family Centre", 65001: 7}, "other hidden data (2 TIFF tags)"),
    ],
)
def test_tiff_tags_outside_the_picture_layout_are_reported(
    tags: dict[int, object], expected: str
) -> None:
    assert summarize(inspect_metadata(tiff(tags))) == expected


@pytest.mark.parametrize(
    "options",
    [
        {"compression": "tiff_lzw"},
        {"compression": "tiff_adobe_deflate"},
        {"compression": "jpeg"},
        {"compression": "packbits", "dpi": (300, 300)},
        {"compression": "tiff_lzw", "tiffinfo": {317: 2}},  # predictor
    ],
)
def test_tiff_layout_tags_alone_are_clean(options: dict[str, object]) -> None:
    tags = options.pop("tiffinfo", {})
    assert isinstance(tags, dict)
    assert inspect_metadata(tiff(tags, **options)) == []


def test_a_palette_tiff_is_clean() -> None:
    out = io.BytesIO()
    Image.fromarray(sample_pixels()).convert("P").save(out, "TIFF")  # has a ColorMap tag
    assert inspect_metadata(out.getvalue()) == []


def test_a_name_on_a_second_page_is_reported() -> None:
    out = io.BytesIO()
    page2 = Image.fromarray(other_pixels())
    page2.encoderinfo = {"tiffinfo": {269: "Jane Smith"}}
    Image.fromarray(sample_pixels()).save(out, "TIFF", save_all=True, append_images=[page2])
    summary = summarize(inspect_metadata(out.getvalue()))
    assert "document name (Jane Smith)" in summary
    assert "another picture in the file" in summary


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def png_with(*chunks: bytes) -> bytes:
    """A PNG with hand-written chunks just before IEND."""
    png = make_png(sample_pixels())
    end = png.rindex(b"IEND") - 4
    return png[:end] + b"".join(chunks) + png[end:]


def test_a_private_png_chunk_is_reported() -> None:
    data = png_with(png_chunk(b"prVt", b"Jane Smith, Oak Family Centre"))
    assert inspect_metadata(data) == [Finding("other", "other hidden data", ("PNG chunk prVt",))]


def test_an_old_style_png_exif_chunk_is_reported_and_read() -> None:
    data = png_with(png_chunk(b"zxIf", exif_bytes(gps=True)[6:]))
    findings = inspect_metadata(data)
    assert Finding("other", "other hidden data", ("PNG chunk zxIf",)) in findings
    assert GPS_TEXT in [f.text for f in findings]


def test_content_credentials_in_a_png_are_reported() -> None:
    data = png_with(png_chunk(b"caBX", b"jumb....c2pa....Jane Smith"))
    assert "content credentials" in summarize(inspect_metadata(data))


def test_standard_picture_chunks_are_clean() -> None:
    chunks = [
        (b"gAMA", struct.pack(">I", 45455)),
        (b"cHRM", struct.pack(">8I", 31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000)),
        (b"sRGB", b"\x00"),
        (b"sBIT", b"\x08\x08\x08"),
        (b"bKGD", struct.pack(">3H", 255, 255, 255)),
        (b"pHYs", struct.pack(">IIB", 3780, 3780, 1)),
        (b"cICP", b"\x01\x0d\x00\x01"),
        (b"cLLi", struct.pack(">II", 10000000, 4000000)),
        (b"mDCv", b"\x00" * 24),
    ]
    data = png_with(*(png_chunk(kind, payload) for kind, payload in chunks))
    assert inspect_metadata(data) == []


def test_an_animated_png_reports_only_its_frames() -> None:
    out = io.BytesIO()
    first, second = Image.fromarray(sample_pixels()), Image.fromarray(other_pixels())
    first.save(out, "PNG", save_all=True, append_images=[second])
    assert inspect_metadata(out.getvalue()) == [
        Finding("secondary_image", "an animation (2 frames)")
    ]


def test_a_gif_without_its_trailer_byte_is_clean() -> None:
    gif = make_gif(sample_pixels())
    assert gif.endswith(b"\x00\x3b")
    assert inspect_metadata(gif[:-1]) == []


def test_a_gif_cut_short_is_damaged() -> None:
    gif = make_gif(sample_pixels())
    assert [f.kind for f in inspect_metadata(gif[:-2])] == [DAMAGED]
    assert [f.kind for f in inspect_metadata(gif[: len(gif) // 2])] == [DAMAGED]


def test_a_gif_missing_its_trailer_still_shows_its_comment() -> None:
    gif = make_gif(sample_pixels(), comment="Jane Smith")
    assert summarize(inspect_metadata(gif[:-1])) == "a comment (Jane Smith)"


def test_many_repeated_blocks_are_summed_up() -> None:
    """A file with thousands of text chunks: one short line shows the first few and
    counts the rest."""
    chunks = [png_chunk(b"tEXt", b"Comment\x00note %d" % i) for i in range(5000)]
    chunks += [png_chunk(b"tEXt", b"Source\x00Oak Room %d" % i) for i in range(5000)]
    assert summarize(inspect_metadata(png_with(*chunks))) == (
        "a comment (note 0, note 1, note 2, note 3, note 4, note 5, note 6 and 4993 more), "
        "other text (Source: Oak Room 0, Source: Oak Room 1, Source: Oak "
        "Room 2 and 4997 more)"
    )
