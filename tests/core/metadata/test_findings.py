"""Findings read as staff would say them: each thing once, in plain words, dates as people
write them, the camera without its maker twice; the same lines feed ``photoscreen verify``."""

from __future__ import annotations

import piexif
import pytest

from photoscreen.core.metadata.findings import Finding, camera_words, date_words, merged, summarize
from photoscreen.core.metadata.inspection import inspect_metadata
from tests.helpers.photos import make_jpeg, sample_pixels
from tests.helpers.photos_metadata import iptc_records


def xmp_caption_and_creator(caption: str, creator: str, when: str) -> bytes:
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        f' xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreateDate="{when}">'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{caption}</rdf:li></rdf:Alt>'
        f"</dc:description><dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq>"
        "</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def camera_exif(make: str, model: str, artist: str = "", when: str = "") -> bytes:
    zeroth: dict[int, object] = {piexif.ImageIFD.Make: make, piexif.ImageIFD.Model: model}
    if artist:
        zeroth[piexif.ImageIFD.Artist] = artist
    exif = {piexif.ExifIFD.DateTimeOriginal: when} if when else {}
    dumped: bytes = piexif.dump({"0th": zeroth, "Exif": exif})
    return dumped


def test_the_same_thing_stored_three_ways_is_listed_once() -> None:
    """Caption in IPTC and XMP, photographer as EXIF artist, IPTC by-line and XMP creator,
    the date in EXIF, XMP and (date only) IPTC: one line each."""
    caption = "Amelia Hart at story time"
    iptc = iptc_records(byline="Jo Bennett", caption=caption, keywords=("story time",))
    iptc += b"\x1c\x02\x37\x00\x0820240514"  # Date Created
    data = make_jpeg(
        sample_pixels(),
        exif=camera_exif("Canon", "Canon EOS 250D", "Jo Bennett", "2024:05:14 10:32:05"),
        xmp=xmp_caption_and_creator(caption, "Jo Bennett", "2024-05-14T10:32:05+01:00"),
        iptc=iptc,
    )
    assert [f.text for f in merged(inspect_metadata(data))] == [
        "photographer's name (Jo Bennett)",
        "camera model (Canon EOS 250D)",
        "date and time taken (14 May 2024, 10:32)",
        "a caption (Amelia Hart at story time)",
        "keywords (story time)",
        "other hidden data (XMP, IPTC)",
    ]


@pytest.mark.parametrize(
    ("make", "model", "expected"),
    [
        ("Canon", "Canon EOS 250D", "Canon EOS 250D"),
        ("NIKON CORPORATION", "NIKON D3500", "NIKON D3500"),
        ("Apple", "iPhone 12", "Apple iPhone 12"),
        ("samsung", "SM-A536B", "samsung SM-A536B"),
        ("", "EOS 250D", "EOS 250D"),
        ("Canon", "", "Canon"),
    ],
)
def test_the_camera_maker_is_not_said_twice(make: str, model: str, expected: str) -> None:
    assert camera_words(make, model) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024:05:14 10:32:05", "14 May 2024, 10:32"),
        ("2024-05-01T09:05:00.00+01:00", "1 May 2024, 09:05"),
        ("2024-12-25", "25 December 2024"),
        ("20240514", "14 May 2024"),
        ("0000:00:00 00:00:00", "0000:00:00 00:00:00"),  # a camera whose clock was never set
        ("last Tuesday", "last Tuesday"),
    ],
)
def test_dates_read_as_people_write_them(value: str, expected: str) -> None:
    assert date_words(value) == expected


def test_names_are_counted_and_values_with_commas_kept_apart() -> None:
    findings = [
        Finding("names", "names in photo tags", ("Jane Smith", "Tom Smith")),
        Finding("names", "names in photo tags", ("Tom Smith", "Ann Lee")),
        Finding("gps", "GPS location", ("53.68 N, 1.51 W",)),
        Finding("gps", "GPS location", ("52.95 N, 1.15 W",)),
    ]
    assert summarize(findings) == (
        "3 names in photo tags (Jane Smith, Tom Smith, Ann Lee), "
        "GPS location (53.68 N, 1.51 W; 52.95 N, 1.15 W)"
    )


def test_a_value_that_starts_a_longer_one_is_not_repeated() -> None:
    findings = [
        Finding("datetime", "date and time taken", ("14 May 2024",)),
        Finding("datetime", "date and time taken", ("14 May 2024, 10:32",)),
        Finding("comment", "a caption", ("AMELIA at play",)),
        Finding("comment", "a caption", ("Amelia at play",)),
    ]
    assert [f.text for f in merged(findings)] == [
        "date and time taken (14 May 2024, 10:32)",
        "a caption (AMELIA at play)",
    ]


def test_control_characters_in_values_are_shown_not_obeyed() -> None:
    finding = Finding("comment", "a comment", ("\x1b[2Kclean\u202eexe.jpg",))
    assert finding.text == "a comment (\\x1b[2Kclean\\u202eexe.jpg)"


def test_a_long_value_is_cut_short() -> None:
    finding = Finding("comment", "a caption", ("word " * 40,))
    assert finding.text.endswith("word…)")
    assert len(finding.text) < 80
