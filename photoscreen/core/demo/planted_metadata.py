"""Identifying metadata planted in the demo photos, the way cameras and photo apps write it.

The demo has to show what photoscreen removes, so its files carry what real ones do: EXIF
(GPS position, camera serial number, capture date, owner) written with piexif; an XMP
packet with people's names in MWG face regions and a caption (JPEG APP1); IPTC-IIM caption,
keywords and by-line inside a Photoshop resource block (JPEG APP13). Names and places are
invented for the demo.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from fractions import Fraction
from xml.sax.saxutils import escape, quoteattr

import piexif

XMP_SIGNATURE = b"http://ns.adobe.com/xap/1.0/\x00"
PHOTOSHOP_SIGNATURE = b"Photoshop 3.0\x00"
_APP1, _APP13 = 0xE1, 0xED


@dataclass(frozen=True)
class PlantedMetadata:
    """What one demo photo's file says about where, when, with what and of whom."""

    orientation: int = 1
    gps: tuple[float, float] | None = None  # latitude, longitude (negative = S / W)
    make: str = ""
    model: str = ""
    serial: str = ""
    owner: str = ""
    taken: str = ""  # "YYYY:MM:DD HH:MM:SS"
    names: tuple[str, ...] = ()  # people named in XMP face regions
    caption: str = ""  # XMP dc:description and IPTC caption
    keywords: tuple[str, ...] = field(default=())


def exif_bytes(meta: PlantedMetadata) -> bytes:
    """An EXIF block (as Pillow's ``exif=`` takes it) for ``meta``."""
    zeroth: dict[int, object] = {piexif.ImageIFD.Orientation: meta.orientation}
    exif: dict[int, object] = {}
    if meta.make:
        zeroth[piexif.ImageIFD.Make] = meta.make.encode()
        zeroth[piexif.ImageIFD.Model] = meta.model.encode()
    if meta.owner:
        zeroth[piexif.ImageIFD.Artist] = meta.owner.encode()
        exif[piexif.ExifIFD.CameraOwnerName] = meta.owner.encode()
    if meta.taken:
        zeroth[piexif.ImageIFD.DateTime] = meta.taken.encode()
        exif[piexif.ExifIFD.DateTimeOriginal] = meta.taken.encode()
    if meta.serial:
        exif[piexif.ExifIFD.BodySerialNumber] = meta.serial.encode()
    block: dict[str, object] = {"0th": zeroth, "Exif": exif}
    if meta.gps is not None:
        block["GPS"] = _gps_ifd(*meta.gps)
    return bytes(piexif.dump(block))


def _gps_ifd(latitude: float, longitude: float) -> dict[int, object]:
    return {
        piexif.GPSIFD.GPSVersionID: (2, 3, 0, 0),
        piexif.GPSIFD.GPSLatitudeRef: b"N" if latitude >= 0 else b"S",
        piexif.GPSIFD.GPSLatitude: _degrees(abs(latitude)),
        piexif.GPSIFD.GPSLongitudeRef: b"E" if longitude >= 0 else b"W",
        piexif.GPSIFD.GPSLongitude: _degrees(abs(longitude)),
    }


def _degrees(value: float) -> tuple[tuple[int, int], ...]:
    """Degrees, minutes and seconds as EXIF rationals."""
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = Fraction((value - degrees - minutes / 60) * 3600).limit_denominator(100)
    return ((degrees, 1), (minutes, 1), (seconds.numerator, seconds.denominator))


def xmp_packet(meta: PlantedMetadata, width: int, height: int) -> bytes:
    """An XMP packet naming the people in MWG face regions, with a caption."""
    regions = "".join(
        "<rdf:li><rdf:Description mwg-rs:Type='Face' mwg-rs:Name="
        f"{quoteattr(name)}><mwg-rs:Area stArea:x='{0.2 + 0.15 * index:.2f}' stArea:y='0.4'"
        " stArea:w='0.1' stArea:h='0.15' stArea:unit='normalized'/></rdf:Description></rdf:li>"
        for index, name in enumerate(meta.names)
    )
    people = "".join(f"<rdf:li>{escape(name)}</rdf:li>" for name in meta.names)
    caption = escape(meta.caption)
    text = (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF"
        " xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description rdf:about=''"
        " xmlns:dc='http://purl.org/dc/elements/1.1/'"
        " xmlns:mwg-rs='http://www.metadataworkinggroup.com/schemas/regions/'"
        " xmlns:stArea='http://ns.adobe.com/xmp/sType/Area#'"
        " xmlns:stDim='http://ns.adobe.com/xap/1.0/sType/Dimensions#'"
        " xmlns:Iptc4xmpExt='http://iptc.org/std/Iptc4xmpExt/2008-02-29/'>"
        f"<dc:description><rdf:Alt><rdf:li xml:lang='x-default'>{caption}</rdf:li></rdf:Alt>"
        "</dc:description>"
        f"<Iptc4xmpExt:PersonInImage><rdf:Bag>{people}</rdf:Bag></Iptc4xmpExt:PersonInImage>"
        "<mwg-rs:Regions rdf:parseType='Resource'>"
        f"<mwg-rs:AppliedToDimensions stDim:w='{width}' stDim:h='{height}' stDim:unit='pixel'/>"
        f"<mwg-rs:RegionList><rdf:Bag>{regions}</rdf:Bag></mwg-rs:RegionList>"
        "</mwg-rs:Regions></rdf:Description></rdf:RDF></x:xmpmeta>"
        "<?xpacket end='w'?>"
    )
    return text.encode("utf-8")


def iptc_resource(meta: PlantedMetadata) -> bytes:
    """A Photoshop image-resource block holding IPTC-IIM caption, keywords and by-line."""
    datasets = [_dataset(1, 90, b"\x1b%G")]  # the text below is UTF-8
    if meta.caption:
        datasets.append(_dataset(2, 120, meta.caption.encode()))
    datasets += [_dataset(2, 25, keyword.encode()) for keyword in meta.keywords]
    if meta.owner:
        datasets.append(_dataset(2, 80, meta.owner.encode()))
    iptc = b"".join(datasets)
    padding = b"\x00" * (len(iptc) % 2)
    # 8BIM resource 0x0404 (IPTC-IIM), empty Pascal name padded to two bytes.
    return (
        PHOTOSHOP_SIGNATURE + b"8BIM" + struct.pack(">HHI", 0x0404, 0, len(iptc)) + iptc + padding
    )


def _dataset(record: int, number: int, value: bytes) -> bytes:
    return struct.pack(">BBBH", 0x1C, record, number, len(value)) + value


def with_segments(jpeg: bytes, meta: PlantedMetadata, width: int, height: int) -> bytes:
    """``jpeg`` with XMP (APP1) and IPTC (APP13) segments after its existing APP segments."""
    segments = b""
    if meta.names or meta.caption:
        segments += _segment(_APP1, XMP_SIGNATURE + xmp_packet(meta, width, height))
    if meta.caption or meta.keywords:
        segments += _segment(_APP13, iptc_resource(meta))
    position = 2  # after SOI
    while jpeg[position] == 0xFF and 0xE0 <= jpeg[position + 1] <= 0xEF:
        (length,) = struct.unpack(">H", jpeg[position + 2 : position + 4])
        position += 2 + length
    return jpeg[:position] + segments + jpeg[position:]


def _segment(marker: int, payload: bytes) -> bytes:
    if len(payload) + 2 > 0xFFFF:
        raise ValueError("metadata segment too large for one JPEG segment")
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload
