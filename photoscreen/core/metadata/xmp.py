"""Findings from XMP packets: names in face regions, GPS, serials, creators, captions.

XMP is RDF/XML; the same property may be written as an attribute or an element, with any
namespace prefix, so properties are matched by namespace URI and local name. Photo
managers (Lightroom, digiKam, Picasa, Windows Photos) write people's names into MWG or
Microsoft face regions, IPTC's PersonInImage, or keyword trees ("People|Jane Smith"):
exactly what must never reach Facebook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from photoscreen.core.metadata import findings as words
from photoscreen.core.metadata.findings import Finding, camera_words, date_words, too_large
from photoscreen.core.metadata.xmp_reader import MAX_ELEMENTS, XmpValues, read_xmp

_MWG_REGIONS = "http://www.metadataworkinggroup.com/schemas/regions/"
_MP_REGION = "http://ns.microsoft.com/photo/1.2/t/Region#"
_IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
_IPTC_CORE = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
_DC = "http://purl.org/dc/elements/1.1/"
_EXIF = "http://ns.adobe.com/exif/1.0/"
_AUX = "http://ns.adobe.com/exif/1.0/aux/"
_EXIF_EX = "http://cipa.jp/exif/1.0/"
_TIFF = "http://ns.adobe.com/tiff/1.0/"
_XMP = "http://ns.adobe.com/xap/1.0/"
_PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
_RIGHTS = "http://ns.adobe.com/xap/1.0/rights/"
_LIGHTROOM = "http://ns.adobe.com/lightroom/1.0/"
_DIGIKAM = "http://www.digikam.org/ns/1.0/"
_MS_PHOTO = "http://ns.microsoft.com/photo/1.0/"
_MWG_KEYWORDS = "http://www.metadataworkinggroup.com/schemas/keywords/"
_ACDSEE = "http://ns.acdsee.com/iptc/1.0/"

# (kind, what it is in staff's words, whether to show the values, properties as
# (namespace, local name)). The words are those the EXIF and IPTC readers use for the
# same data, so the same caption or name stored twice is listed once.
_PROPERTIES: tuple[tuple[str, str, bool, tuple[tuple[str, str], ...]], ...] = (
    (
        "names",
        words.NAMES,
        True,
        (
            (_MWG_REGIONS, "Name"),
            (_MP_REGION, "PersonDisplayName"),
            (_IPTC_EXT, "PersonInImage"),
            (_IPTC_EXT, "PersonName"),
        ),
    ),
    (
        "owner",
        words.PHOTOGRAPHER,
        True,
        ((_DC, "creator"), (_RIGHTS, "Owner"), (_EXIF_EX, "CameraOwnerName")),
    ),
    ("owner", words.COPYRIGHT, True, ((_DC, "rights"),)),
    ("owner", "credit line", True, ((_PHOTOSHOP, "Credit"),)),
    ("owner", "photographer's job title", True, ((_PHOTOSHOP, "AuthorsPosition"),)),
    ("owner", "photographer's contact details", True, ((_IPTC_CORE, "CreatorContactInfo"),)),
    (
        "serial",
        words.CAMERA_SERIAL,
        False,
        ((_AUX, "SerialNumber"), (_EXIF_EX, "BodySerialNumber")),
    ),
    (
        "serial",
        words.LENS_SERIAL,
        False,
        ((_AUX, "LensSerialNumber"), (_EXIF_EX, "LensSerialNumber")),
    ),
    ("camera", words.LENS, True, ((_AUX, "Lens"),)),
    ("software", words.SOFTWARE, True, ((_XMP, "CreatorTool"),)),
    ("comment", words.CAPTION, True, ((_DC, "description"),)),
    ("comment", words.TITLE, True, ((_DC, "title"), (_PHOTOSHOP, "Headline"))),
    (
        "comment",
        words.KEYWORDS,
        True,
        (
            (_DC, "subject"),
            (_LIGHTROOM, "hierarchicalSubject"),
            (_DIGIKAM, "TagsList"),
            (_MS_PHOTO, "LastKeywordXMP"),
            (_MWG_KEYWORDS, "Keywords"),
            (_ACDSEE, "categories"),
        ),
    ),
    (
        "location",
        words.PLACES,
        True,
        (
            (_PHOTOSHOP, "City"),
            (_PHOTOSHOP, "State"),
            (_PHOTOSHOP, "Country"),
            (_IPTC_CORE, "Location"),
            (_IPTC_EXT, "LocationShown"),
            (_IPTC_EXT, "LocationCreated"),
        ),
    ),
)
_DATES = ((_EXIF, "DateTimeOriginal"), (_XMP, "CreateDate"), (_PHOTOSHOP, "DateCreated"))
# Any XMP packet: it can hold more than the properties named here.
XMP = Finding("xmp", words.OTHER, ("XMP",))
# Every property read, as "{namespace}local".
_WANTED = frozenset(
    f"{{{ns}}}{local}"
    for ns, local in (
        *(prop for *_, properties in _PROPERTIES for prop in properties),
        *_DATES,
        (_TIFF, "Make"),
        (_TIFF, "Model"),
        (_EXIF, "GPSLatitude"),
        (_EXIF, "GPSLongitude"),
    )
)
# A larger packet is reported as too large to check. Photoshop's bloated document
# histories reach a few megabytes; reading is linear, so this bounds only the time.
MAX_PACKET_BYTES = 16 * 1024 * 1024
_GPS_VALUE = re.compile(
    r"^\s*(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?(?:,(\d+(?:\.\d+)?))?\s*([NSEW])\s*$"
)


def xmp_findings(packet: bytes) -> list[Finding]:
    """Findings for one XMP packet; always includes an ``xmp`` finding for the packet."""
    if len(packet) > MAX_PACKET_BYTES:
        return [XMP, too_large(f"XMP of {len(packet) >> 20} MB")]
    found = read_xmp(packet.strip(b"\x00 \t\r\n"), _WANTED)
    if found is None:
        return [Finding("xmp", words.OTHER, ("XMP that could not be read",))]
    findings = [XMP]
    gps = _gps_finding(found)
    if gps:
        findings.append(gps)
    for kind, label, show, properties in _PROPERTIES:
        values = _unique(v for ns, local in properties for v in found.values(ns, local))
        if values:
            findings.append(Finding(kind, label, tuple(values) if show else ()))
    findings += _camera_findings(found)
    dates = _unique(date_words(v) for ns, local in _DATES for v in found.values(ns, local))
    if dates:
        findings.append(Finding("datetime", words.TAKEN, tuple(dates)))
    if found.too_large:
        findings.append(too_large(f"XMP of more than {MAX_ELEMENTS:,} elements"))
    return findings


def _camera_findings(found: XmpValues) -> list[Finding]:
    make = " ".join(found.values(_TIFF, "Make"))
    model = " ".join(found.values(_TIFF, "Model"))
    camera = camera_words(make, model)
    return [Finding("camera", words.CAMERA, (camera,))] if camera else []


def _gps_finding(found: XmpValues) -> Finding | None:
    latitudes = found.values(_EXIF, "GPSLatitude")
    longitudes = found.values(_EXIF, "GPSLongitude")
    if not latitudes and not longitudes:
        return None
    latitude = _gps_value(latitudes[0]) if latitudes else None
    longitude = _gps_value(longitudes[0]) if longitudes else None
    if latitude and longitude:
        return Finding("gps", words.GPS, (f"{latitude}, {longitude}",))
    return Finding("gps", words.GPS)


def _gps_value(text: str) -> str | None:
    """XMP GPS coordinates ("53,40.8N" or "53,40,48N") as "53.68 N"."""
    match = _GPS_VALUE.match(text)
    if not match:
        return None
    degrees, minutes, seconds, hemisphere = match.groups()
    value = float(degrees) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
    return f"{value:.2f} {hemisphere}"


def _unique(values: Iterable[str]) -> list[str]:
    """The values without repeats, in order (a packet may list tens of thousands)."""
    return list(dict.fromkeys(values))
