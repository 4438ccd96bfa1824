"""Identifying metadata to plant in generated test photos, built by hand or with piexif.

Every value here is invented: the names, the serial numbers and the place (a GPS position
near Leeds that the tests expect to see reported as "53.68 N 1.51 W").
"""

from __future__ import annotations

import io
import struct

import numpy as np
import piexif
from PIL import Image

GPS_TEXT = "GPS location (53.68 N, 1.51 W)"
PERSON_NAMES = ("Alice Example", "Bob Sample")
BODY_SERIAL = "SN-0042-TEST"
LENS_SERIAL = "LENS-7777"
ARTIST = "Carol Photographer"
CAMERA_MAKE, CAMERA_MODEL = "TestCam", "Model 9"
SOFTWARE = "PhotoTool 3.1"
CAPTURE_TIME = "2024:05:01 10:30:00"
DESCRIPTION = "Dana at messy play"
JPEG_COMMENT = "Taken by Eve at the centre"


def _rational(value: float) -> tuple[int, int]:
    return round(value * 10000), 10000


def _dms(value: float) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = (value - degrees - minutes / 60) * 3600
    return (degrees, 1), (minutes, 1), _rational(seconds)


def thumbnail_jpeg(pixels: np.ndarray, size: int = 32) -> bytes:
    """A small JPEG for the EXIF thumbnail slot (IFD1)."""
    image = Image.fromarray(pixels)
    image.thumbnail((size, size))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def exif_bytes(
    *,
    orientation: int | None = None,
    gps: bool = False,
    camera: bool = False,
    serial: bool = False,
    owner: bool = False,
    datetime: bool = False,
    software: bool = False,
    comment: bool = False,
    makernote: bool = False,
    thumbnail: bytes | None = None,
) -> bytes:
    """An ``Exif\\0\\0``-prefixed EXIF block carrying the chosen kinds of data."""
    zeroth: dict[int, object] = {}
    exif: dict[int, object] = {}
    gps_ifd: dict[int, object] = {}
    if orientation is not None:
        zeroth[piexif.ImageIFD.Orientation] = orientation
    if camera:
        zeroth[piexif.ImageIFD.Make] = CAMERA_MAKE.encode()
        zeroth[piexif.ImageIFD.Model] = CAMERA_MODEL.encode()
    if serial:
        exif[piexif.ExifIFD.BodySerialNumber] = BODY_SERIAL.encode()
        exif[piexif.ExifIFD.LensSerialNumber] = LENS_SERIAL.encode()
    if owner:
        zeroth[piexif.ImageIFD.Artist] = ARTIST.encode()
        zeroth[piexif.ImageIFD.Copyright] = f"(c) {ARTIST}".encode()
    if datetime:
        exif[piexif.ExifIFD.DateTimeOriginal] = CAPTURE_TIME.encode()
    if software:
        zeroth[piexif.ImageIFD.Software] = SOFTWARE.encode()
    if comment:
        zeroth[piexif.ImageIFD.ImageDescription] = DESCRIPTION.encode()
        exif[piexif.ExifIFD.UserComment] = b"ASCII\x00\x00\x00" + DESCRIPTION.encode()
    if makernote:
        exif[piexif.ExifIFD.MakerNote] = b"TESTMAKER\x00" + BODY_SERIAL.encode() * 4
    if gps:
        gps_ifd[piexif.GPSIFD.GPSLatitudeRef] = b"N"
        gps_ifd[piexif.GPSIFD.GPSLatitude] = _dms(53.6833)
        gps_ifd[piexif.GPSIFD.GPSLongitudeRef] = b"W"
        gps_ifd[piexif.GPSIFD.GPSLongitude] = _dms(1.5100)
    data: dict[str, object] = {
        "0th": zeroth,
        "Exif": exif,
        "GPS": gps_ifd,
        "1st": {},
        "thumbnail": None,
    }
    if thumbnail is not None:
        data["1st"] = {piexif.ImageIFD.Compression: 6}
        data["thumbnail"] = thumbnail
    dumped: bytes = piexif.dump(data)
    return dumped


def xmp_packet(
    *, names: tuple[str, ...] = (), gps: bool = False, creator: str | None = None
) -> bytes:
    """An XMP packet with MWG and Microsoft face regions naming ``names``."""
    regions = "".join(
        f'<rdf:li><rdf:Description mwg-rs:Name="{name}" mwg-rs:Type="Face">'
        '<mwg-rs:Area stArea:x="0.5" stArea:y="0.5" stArea:w="0.1" stArea:h="0.1"/>'
        "</rdf:Description></rdf:li>"
        for name in names
    )
    mp_regions = "".join(
        f'<rdf:li MPReg:PersonDisplayName="{name}" MPReg:Rectangle="0.1, 0.1, 0.2, 0.2"/>'
        for name in names
    )
    attributes = ' exif:GPSLatitude="53,41.0N" exif:GPSLongitude="1,30.6W"' if gps else ""
    creator_xml = (
        f"<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>" if creator else ""
    )
    body = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about=""'
        ' xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"'
        ' xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#"'
        ' xmlns:MP="http://ns.microsoft.com/photo/1.2/"'
        ' xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#"'
        ' xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#"'
        ' xmlns:exif="http://ns.adobe.com/exif/1.0/"'
        f' xmlns:dc="http://purl.org/dc/elements/1.1/"{attributes}>'
        f'<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag>{regions}'
        "</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>"
        f'<MP:RegionInfo rdf:parseType="Resource"><MPRI:Regions><rdf:Bag>{mp_regions}'
        "</rdf:Bag></MPRI:Regions></MP:RegionInfo>"
        f"{creator_xml}</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    header = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    return f'{header}{body}<?xpacket end="w"?>'.encode()


def iptc_records(*, byline: str, caption: str, keywords: tuple[str, ...]) -> bytes:
    """Raw IPTC-IIM datasets (record 2): By-line, Caption, Keywords."""
    datasets = [(80, byline), (120, caption)] + [(25, word) for word in keywords]
    return b"".join(
        b"\x1c\x02" + bytes([number]) + struct.pack(">H", len(text.encode())) + text.encode()
        for number, text in datasets
    )


def photoshop_app13(iptc: bytes) -> bytes:
    """An APP13 payload: the Photoshop signature and one 8BIM resource holding ``iptc``."""
    padding = b"\x00" if len(iptc) % 2 else b""
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc))
    return b"Photoshop 3.0\x00" + resource + iptc + padding


# --- Display P3 ICC profile ---------------------------------------------------------

# Display P3: DCI-P3 primaries, D65 white, the sRGB transfer curve.
P3_PRIMARIES = ((0.680, 0.320), (0.265, 0.690), (0.150, 0.060))
SRGB_PRIMARIES = ((0.640, 0.330), (0.300, 0.600), (0.150, 0.060))
D65 = (0.3127, 0.3290)
_D50_XYZ = np.array([0.9642, 1.0, 0.8249])
_BRADFORD = np.array(
    [[0.8951, 0.2664, -0.1614], [-0.7502, 1.7135, 0.0367], [0.0389, -0.0685, 1.0296]]
)


def rgb_to_xyz_matrix(
    primaries: tuple[tuple[float, float], ...], white: tuple[float, float]
) -> np.ndarray:
    """The linear-RGB -> XYZ matrix of a colour space from its primaries and white point."""
    columns = np.array([[x / y, 1.0, (1 - x - y) / y] for x, y in primaries]).T
    white_xyz = np.array([white[0] / white[1], 1.0, (1 - white[0] - white[1]) / white[1]])
    scale = np.linalg.solve(columns, white_xyz)
    return columns * scale


def srgb_decode(values: np.ndarray) -> np.ndarray:
    v = np.asarray(values, dtype=np.float64) / 255.0
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def srgb_encode(linear: np.ndarray) -> np.ndarray:
    v = np.clip(linear, 0.0, 1.0)
    encoded = np.where(v <= 0.0031308, v * 12.92, 1.055 * v ** (1 / 2.4) - 0.055)
    return np.asarray(np.round(encoded * 255.0))


def p3_to_srgb(rgb: tuple[int, int, int]) -> np.ndarray:
    """The sRGB value of a Display P3 colour, computed directly (no colour engine)."""
    p3 = rgb_to_xyz_matrix(P3_PRIMARIES, D65)
    srgb = rgb_to_xyz_matrix(SRGB_PRIMARIES, D65)
    return srgb_encode(np.linalg.solve(srgb, p3 @ srgb_decode(np.array(rgb))))


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz_tag(xyz: np.ndarray) -> bytes:
    return b"XYZ \x00\x00\x00\x00" + b"".join(_s15(v) for v in xyz)


def _curve_tag() -> bytes:
    samples = srgb_decode(np.linspace(0, 255, 1024))
    table = np.round(samples * 65535).astype(">u2").tobytes()
    return b"curv\x00\x00\x00\x00" + struct.pack(">I", 1024) + table


def _desc_tag(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\x00"
    return (
        b"desc\x00\x00\x00\x00"
        + struct.pack(">I", len(ascii_text))
        + ascii_text
        + b"\x00" * 8  # no Unicode description
        + b"\x00" * 3  # no ScriptCode
        + b"\x00" * 67
    )


def _mluc_tag(text: str) -> bytes:
    """An ICC v4 multiLocalizedUnicode tag with one en-GB string."""
    encoded = text.encode("utf-16-be")
    return (
        b"mluc\x00\x00\x00\x00"
        + struct.pack(">II2s2sII", 1, 12, b"en", b"GB", len(encoded), 28)
        + encoded
    )


def display_p3_profile(
    description: str = "Display P3 (test)", *, localised: bool = False, padding: int = 0
) -> bytes:
    """A hand-written ICC v2 display profile for Display P3 (colorants adapted to D50).

    ``description`` names it (as ``mluc`` if ``localised``, as ICC v4 profiles do);
    ``padding`` bytes of a private tag come first, to push the name far into the profile.
    """
    bradford = _BRADFORD
    d65_xyz = np.array([D65[0] / D65[1], 1.0, (1 - D65[0] - D65[1]) / D65[1]])
    cone_ratio = (bradford @ _D50_XYZ) / (bradford @ d65_xyz)
    adapt = np.linalg.inv(bradford) @ np.diag(cone_ratio) @ bradford
    colorants = adapt @ rgb_to_xyz_matrix(P3_PRIMARIES, D65)
    curve = _curve_tag()
    name_tag = _mluc_tag(description) if localised else _desc_tag(description)
    tags = [(b"zzzz", b"\x00" * padding)] if padding else []
    tags += [
        (b"desc", name_tag),
        (b"cprt", b"text\x00\x00\x00\x00No copyright, test data\x00"),
        (b"wtpt", _xyz_tag(_D50_XYZ)),
        (b"rXYZ", _xyz_tag(colorants[:, 0])),
        (b"gXYZ", _xyz_tag(colorants[:, 1])),
        (b"bXYZ", _xyz_tag(colorants[:, 2])),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    return _assemble_icc(tags)


def gif_with_profile(gif: bytes, profile: bytes) -> bytes:
    """Add an "ICCRGBG1" application extension holding ``profile`` before the first image."""
    flags = gif[10]
    table = 3 * (2 ** ((flags & 0x07) + 1)) if flags & 0x80 else 0
    at = 13 + table
    blocks = b"".join(
        bytes([len(profile[i : i + 255])]) + profile[i : i + 255]
        for i in range(0, len(profile), 255)
    )
    return gif[:at] + b"\x21\xff\x0bICCRGBG1012" + blocks + b"\x00" + gif[at:]


def _assemble_icc(tags: list[tuple[bytes, bytes]]) -> bytes:
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    table, body = b"", b""
    for signature, data in tags:
        padded = data + b"\x00" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += padded
    size = 128 + table_size + len(body)
    header = (
        struct.pack(">I", size)
        + b"\x00\x00\x00\x00"
        + bytes([2, 0x10, 0, 0])
        + b"mntrRGB XYZ "
        + struct.pack(">6H", 2024, 1, 1, 0, 0, 0)
        + b"acsp"
        + b"\x00" * 24
        + struct.pack(">I", 0)
        + b"".join(_s15(v) for v in _D50_XYZ)
        + b"\x00" * 48
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body
