"""The metadata inspector names every kind of identifying data, in every format."""

from __future__ import annotations

import struct
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photoscreen.core.metadata.inspection import Finding, inspect_metadata, summarize
from photoscreen.core.render.encode import encode_clean_jpeg
from tests.helpers.photos import (
    BUILDERS,
    insert_jpeg_segment,
    loaded_photo,
    make_gif,
    make_jpeg,
    make_png,
    other_pixels,
    sample_pixels,
)
from tests.helpers.photos_metadata import (
    ARTIST,
    GPS_TEXT,
    JPEG_COMMENT,
    PERSON_NAMES,
    exif_bytes,
    iptc_records,
    thumbnail_jpeg,
    xmp_packet,
)

FORMATS = ("jpeg", "png", "webp", "heif", "tiff", "gif")
# What the fully loaded photo of each format must be reported to carry.
EXPECTED_KINDS = {
    "jpeg": {"gps", "names", "owner", "serial", "camera", "datetime", "software", "comment"}
    | {"thumbnail", "secondary_image", "makernote", "xmp", "iptc", "trailing_data"},
    "png": {"gps", "names", "owner", "serial", "camera", "datetime", "software", "comment"}
    | {"thumbnail", "makernote", "xmp"},
    "webp": {"gps", "names", "owner", "serial", "camera", "datetime", "software", "comment"}
    | {"thumbnail", "makernote", "xmp"},
    "heif": {"gps", "names", "owner", "serial", "camera", "datetime", "software", "comment"}
    | {"thumbnail", "makernote", "xmp"},
    "tiff": {"gps", "names", "owner", "serial", "camera", "datetime", "software", "comment"}
    | {"secondary_image", "makernote", "xmp"},
    "gif": {"gps", "names", "owner", "comment", "xmp"},
}


def kinds(findings: list[Finding]) -> set[str]:
    return {f.kind for f in findings}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_planted_kind_is_found(fmt: str) -> None:
    findings = inspect_metadata(loaded_photo(fmt, sample_pixels()))
    assert kinds(findings) >= EXPECTED_KINDS[fmt]
    summary = summarize(findings)
    assert GPS_TEXT in summary
    for name in PERSON_NAMES:
        assert name in summary


@pytest.mark.parametrize("fmt", FORMATS)
def test_plain_pixels_are_clean(fmt: str) -> None:
    data = BUILDERS[fmt](sample_pixels())
    assert inspect_metadata(data) == [], fmt
    assert summarize([]) == "clean"


def test_summary_reads_like_the_issue_example() -> None:
    pixels = sample_pixels()
    exif = exif_bytes(gps=True, serial=True, thumbnail=thumbnail_jpeg(other_pixels()))
    summary = summarize(inspect_metadata(make_jpeg(pixels, exif=exif)))
    assert summary == (
        "GPS location (53.68 N, 1.51 W), camera serial number, lens serial number, "
        "a small preview picture (embedded thumbnail)"
    )


@pytest.mark.parametrize(
    ("options", "kind", "text"),
    [
        ({"gps": True}, "gps", GPS_TEXT),
        ({"camera": True}, "camera", "camera model (TestCam Model 9)"),
        ({"serial": True}, "serial", "camera serial number"),
        ({"owner": True}, "owner", f"photographer's name ({ARTIST})"),
        ({"datetime": True}, "datetime", "date and time taken (1 May 2024, 10:30)"),
        ({"software": True}, "software", "software used (PhotoTool 3.1)"),
        ({"comment": True}, "comment", "a comment (Dana at messy play)"),
        ({"makernote": True}, "makernote", "the camera maker's private notes"),
    ],
)
def test_each_exif_kind_alone(options: dict[str, bool], kind: str, text: str) -> None:
    findings = inspect_metadata(make_jpeg(sample_pixels(), exif=exif_bytes(**options)))
    assert kinds(findings) == {kind}
    assert any(f.text.startswith(text) for f in findings), findings


def test_southern_and_eastern_hemispheres() -> None:
    import piexif

    exif = piexif.dump(
        {
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"S",
                piexif.GPSIFD.GPSLatitude: ((33, 1), (52, 1), (0, 1)),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: ((151, 1), (12, 1), (36, 1)),
            }
        }
    )
    findings = inspect_metadata(make_jpeg(sample_pixels(), exif=exif))
    assert [f.text for f in findings] == ["GPS location (33.87 S, 151.21 E)"]


def test_names_in_xmp_face_regions_alone() -> None:
    xmp = xmp_packet(names=PERSON_NAMES)
    findings = inspect_metadata(make_jpeg(sample_pixels(), xmp=xmp))
    names = [f.text for f in findings if f.kind == "names"]
    assert names == ["2 names in photo tags (Alice Example, Bob Sample)"]


def xmp_with(body: str, namespace: str) -> bytes:
    """An XMP packet whose one Description holds ``body`` (with its namespace declared)."""
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" {namespace}>{body}</rdf:Description>'
        "</rdf:RDF></x:xmpmeta>"
    ).encode()


LIGHTROOM = 'xmlns:lr="http://ns.adobe.com/lightroom/1.0/"'
DIGIKAM = 'xmlns:digiKam="http://www.digikam.org/ns/1.0/"'
IPTC_EXT = 'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"'
IPTC_CORE = 'xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"'


@pytest.mark.parametrize(
    ("body", "namespace", "expected"),
    [
        (
            "<lr:hierarchicalSubject><rdf:Bag><rdf:li>People|Jane Smith</rdf:li>"
            "</rdf:Bag></lr:hierarchicalSubject>",
            LIGHTROOM,
            "keywords (People|Jane Smith)",
        ),
        (
            "<digiKam:TagsList><rdf:Seq><rdf:li>People/Jane Smith</rdf:li></rdf:Seq>"
            "</digiKam:TagsList>",
            DIGIKAM,
            "keywords (People/Jane Smith)",
        ),
        (
            '<Iptc4xmpExt:PersonInImageWDetails><rdf:Bag><rdf:li rdf:parseType="Resource">'
            '<Iptc4xmpExt:PersonName><rdf:Alt><rdf:li xml:lang="x-default">Jane Smith</rdf:li>'
            "</rdf:Alt></Iptc4xmpExt:PersonName></rdf:li></rdf:Bag>"
            "</Iptc4xmpExt:PersonInImageWDetails>",
            IPTC_EXT,
            "1 name in photo tags (Jane Smith)",
        ),
        (
            "<Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>Jane Smith</rdf:li>"
            "<rdf:li>Tom Smith</rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImage>",
            IPTC_EXT,
            "2 names in photo tags (Jane Smith, Tom Smith)",
        ),
        (
            '<Iptc4xmpCore:CreatorContactInfo rdf:parseType="Resource">'
            "<Iptc4xmpCore:CiEmailWork>jane@example.org</Iptc4xmpCore:CiEmailWork>"
            "<Iptc4xmpCore:CiAdrCity>Leeds</Iptc4xmpCore:CiAdrCity>"
            "<Iptc4xmpCore:CiAdrExtadr>1 Oak Lane</Iptc4xmpCore:CiAdrExtadr>"
            "<Iptc4xmpCore:CiTelWork>0113 496 0000</Iptc4xmpCore:CiTelWork>"
            "</Iptc4xmpCore:CreatorContactInfo>",
            IPTC_CORE,
            "photographer's contact details (jane@example.org Leeds 1 Oak Lane 0113 496 0000)",
        ),
    ],
)
def test_names_and_contacts_elsewhere_in_xmp(body: str, namespace: str, expected: str) -> None:
    data = make_jpeg(sample_pixels(), xmp=xmp_with(body, namespace))
    assert summarize(inspect_metadata(data)) == f"{expected}, other hidden data (XMP)"


def keywords_packet(keywords: list[str]) -> bytes:
    items = "".join(f"<rdf:li>{k}</rdf:li>" for k in keywords)
    body = f"<dc:subject><rdf:Bag>{items}</rdf:Bag></dc:subject>"
    return xmp_with(body, 'xmlns:dc="http://purl.org/dc/elements/1.1/"')


def keyword_findings(packet: bytes) -> list[str]:
    findings = inspect_metadata(make_png(sample_pixels(), xmp=packet))
    return [f.text for f in findings if f.kind == "comment"]


def test_a_very_long_keyword_list_is_read() -> None:
    """40,000 different keywords, then all of them again: each counted once, in order."""
    distinct = [f"k{i}" for i in range(40_000)]
    assert keyword_findings(keywords_packet(distinct + distinct[::-1])) == [
        "keywords (k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10, k11, k12, k13 and 39986 more)"
    ]
    repeated = ["Jane Smith", "Tom Smith", "Oak Room"] * 15_000
    assert keyword_findings(keywords_packet(repeated)) == [
        "keywords (Jane Smith, Tom Smith, Oak Room)"
    ]


def test_iptc_caption_keywords_and_byline() -> None:
    iptc = iptc_records(byline="Heidi", caption="Ivan on the slide", keywords=("Judy", "park"))
    summary = summarize(inspect_metadata(make_jpeg(sample_pixels(), iptc=iptc)))
    assert "photographer's name (Heidi)" in summary
    assert "a caption (Ivan on the slide)" in summary
    assert "keywords (Judy, park)" in summary


def test_jpeg_comment_and_unknown_app_segments() -> None:
    data = make_jpeg(sample_pixels(), comment=JPEG_COMMENT)
    data = insert_jpeg_segment(data, 0xEC, b"Ducky\x00\x01\x02")
    findings = inspect_metadata(data)
    assert Finding("comment", "a comment", (JPEG_COMMENT,)) in findings
    assert Finding("other", "other hidden data", ("APP12 block Ducky",)) in findings


def test_mpf_secondary_image_and_trailing_bytes() -> None:
    data = make_jpeg(sample_pixels(), secondary=other_pixels(), trailing=b"\x00hidden")
    found = kinds(inspect_metadata(data))
    assert {"secondary_image", "trailing_data"} <= found


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def with_png_chunks(png: bytes, *chunks: bytes) -> bytes:
    """Insert hand-written chunks right after IHDR."""
    after_ihdr = 8 + 25
    return png[:after_ihdr] + b"".join(chunks) + png[after_ihdr:]


def test_png_text_chunks_of_every_kind() -> None:
    png = make_png(sample_pixels())
    data = with_png_chunks(
        png,
        png_chunk(b"tEXt", b"Author\x00Kim"),
        png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"Leo's birthday")),
        png_chunk(b"iTXt", b"Title\x00\x00\x00en\x00\x00Mia at play"),
        png_chunk(b"tIME", struct.pack(">HBBBBB", 2024, 5, 1, 10, 30, 0)),
    )
    summary = summarize(inspect_metadata(data))
    for expected in (
        "photographer's name (Kim)",
        "a comment (Leo's birthday)",
        "a title (Mia at play)",
        "date and time last changed (1 May 2024, 10:30)",
    ):
        assert expected in summary


def test_png_raw_exif_profile_written_by_imagemagick() -> None:
    exif = exif_bytes(gps=True)[6:]
    hex_text = exif.hex()
    text = f"\nexif\n{len(exif):8d}\n{hex_text}\n".encode()
    data = with_png_chunks(
        make_png(sample_pixels()),
        png_chunk(b"zTXt", b"Raw profile type exif\x00\x00" + zlib.compress(text)),
    )
    assert GPS_TEXT in [f.text for f in inspect_metadata(data)]


def test_png_trailing_bytes() -> None:
    data = make_png(sample_pixels(), trailing=b"after the end")
    assert "trailing_data" in kinds(inspect_metadata(data))


def test_gif_extra_frames_and_comment() -> None:
    data = make_gif(sample_pixels(), comment="Nia", frames=[other_pixels(), sample_pixels()])
    findings = inspect_metadata(data)
    assert Finding("comment", "a comment", ("Nia",)) in findings
    assert Finding("secondary_image", "an animation (3 frames)") in findings


def test_unknown_bytes_give_no_findings() -> None:
    assert inspect_metadata(b"") == []
    assert inspect_metadata(b"%PDF-1.4") == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fmt=st.sampled_from(["jpeg", "png", "webp", "tiff", "gif"]),
    position=st.integers(0, 4000),
    noise=st.binary(min_size=1, max_size=32),
    cut=st.booleans(),
)
def test_inspector_never_crashes_on_damaged_files(
    fmt: str, position: int, noise: bytes, cut: bool
) -> None:
    data = loaded_photo(fmt, sample_pixels(32, 24))
    position %= len(data)
    damaged = data[:position] if cut else data[:position] + noise + data[position + len(noise) :]
    findings = inspect_metadata(damaged)
    assert all(isinstance(f, Finding) and f.text for f in findings)


def test_exported_bytes_are_clean() -> None:
    assert inspect_metadata(encode_clean_jpeg(sample_pixels())) == []
