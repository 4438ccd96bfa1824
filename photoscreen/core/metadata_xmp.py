"""Findings from XMP packets: names in face regions, GPS, serials, creators, captions.

XMP is RDF/XML; the same property may be written as an attribute or an element, with any
namespace prefix, so properties are matched by namespace URI and local name. Photo
managers (Lightroom, digiKam, Picasa, Windows Photos) write people's names into MWG or
Microsoft face regions, IPTC's PersonInImage, or keyword trees ("People|Jane Smith"):
exactly what must never reach Facebook.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable

from photoscreen.core.findings import Finding, quoted

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
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_LIGHTROOM = "http://ns.adobe.com/lightroom/1.0/"
_DIGIKAM = "http://www.digikam.org/ns/1.0/"
_MS_PHOTO = "http://ns.microsoft.com/photo/1.0/"
_MWG_KEYWORDS = "http://www.metadataworkinggroup.com/schemas/keywords/"
_ACDSEE = "http://ns.acdsee.com/iptc/1.0/"

# (kind, label, whether to show the values, properties as (namespace, local name))
_PROPERTIES: tuple[tuple[str, str, bool, tuple[tuple[str, str], ...]], ...] = (
    (
        "names",
        "people's names in face regions",
        True,
        ((_MWG_REGIONS, "Name"), (_MP_REGION, "PersonDisplayName")),
    ),
    (
        "names",
        "people named in the photo",
        True,
        ((_IPTC_EXT, "PersonInImage"), (_IPTC_EXT, "PersonName")),
    ),
    (
        "owner",
        "creator/owner",
        True,
        (
            (_DC, "creator"),
            (_DC, "rights"),
            (_RIGHTS, "Owner"),
            (_PHOTOSHOP, "Credit"),
            (_EXIF_EX, "CameraOwnerName"),
            (_PHOTOSHOP, "AuthorsPosition"),
        ),
    ),
    (
        "owner",
        "creator's contact details",
        True,
        ((_IPTC_CORE, "CreatorContactInfo"),),
    ),
    (
        "serial",
        "camera serial number",
        False,
        ((_AUX, "SerialNumber"), (_EXIF_EX, "BodySerialNumber")),
    ),
    (
        "serial",
        "lens serial number",
        False,
        ((_AUX, "LensSerialNumber"), (_EXIF_EX, "LensSerialNumber")),
    ),
    ("camera", "camera", True, ((_TIFF, "Make"), (_TIFF, "Model"), (_AUX, "Lens"))),
    (
        "datetime",
        "date/time",
        True,
        ((_EXIF, "DateTimeOriginal"), (_XMP, "CreateDate"), (_PHOTOSHOP, "DateCreated")),
    ),
    ("software", "software", True, ((_XMP, "CreatorTool"),)),
    (
        "comment",
        "caption/keywords",
        True,
        ((_DC, "description"), (_DC, "title"), (_DC, "subject"), (_PHOTOSHOP, "Headline")),
    ),
    (
        "comment",
        "tags",
        True,
        (
            (_LIGHTROOM, "hierarchicalSubject"),
            (_DIGIKAM, "TagsList"),
            (_MS_PHOTO, "LastKeywordXMP"),
            (_MWG_KEYWORDS, "Keywords"),
            (_ACDSEE, "categories"),
        ),
    ),
    (
        "location",
        "place names",
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
_GPS_VALUE = re.compile(
    r"^\s*(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?(?:,(\d+(?:\.\d+)?))?\s*([NSEW])\s*$"
)


def xmp_findings(packet: bytes) -> list[Finding]:
    """Findings for one XMP packet; always includes an ``xmp`` finding for the packet."""
    findings = [Finding("xmp", "XMP metadata")]
    root = _parse(packet)
    if root is None:
        return [Finding("xmp", "XMP metadata that could not be read")]
    gps = _gps_finding(root)
    if gps:
        findings.append(gps)
    for kind, label, show, properties in _PROPERTIES:
        values = _unique(v for ns, local in properties for v in _values(root, ns, local))
        if values:
            text = f"{label} {quoted(', '.join(values))}" if show else label
            findings.append(Finding(kind, text))
    return findings


def _parse(packet: bytes) -> ElementTree.Element | None:
    # Packets may be padded with whitespace or wrapped in <?xpacket?>; expat (2.4+) refuses
    # entity-expansion bombs and ElementTree never fetches external entities.
    text = packet.strip(b"\x00 \t\r\n")
    try:
        return ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return None


def _values(root: ElementTree.Element, namespace: str, local: str) -> list[str]:
    """Every value of a property, whether written as an attribute or an element."""
    name = f"{{{namespace}}}{local}"
    values = [el.attrib[name] for el in root.iter() if name in el.attrib]
    for element in root.iter(name):
        values.extend(_element_texts(element))
    return [v.strip() for v in values if v and v.strip()]


def _element_texts(element: ElementTree.Element) -> list[str]:
    """The text of a simple element, or of the rdf:li items of a Bag/Seq/Alt, or of a struct."""
    items = list(element.iter(f"{{{_RDF}}}li"))
    if items:
        return [" ".join(t.strip() for t in li.itertext() if t.strip()) for li in items]
    texts = [t.strip() for t in element.itertext() if t.strip()]
    texts += [v for k, v in element.attrib.items() if not k.startswith(f"{{{_RDF}}}")]
    for child in element.iter():
        if child is not element:
            texts += [v for k, v in child.attrib.items() if not k.startswith(f"{{{_RDF}}}")]
    return [" ".join(texts)] if texts else []


def _gps_finding(root: ElementTree.Element) -> Finding | None:
    latitudes = _values(root, _EXIF, "GPSLatitude")
    longitudes = _values(root, _EXIF, "GPSLongitude")
    if not latitudes and not longitudes:
        return None
    latitude = _gps_value(latitudes[0]) if latitudes else None
    longitude = _gps_value(longitudes[0]) if longitudes else None
    if latitude and longitude:
        return Finding("gps", f"GPS position {latitude} {longitude}")
    return Finding("gps", "GPS data")


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
