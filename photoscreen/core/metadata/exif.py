"""Findings from EXIF / TIFF tags: GPS, camera, serial numbers, owner, dates, thumbnails.

Tag numbers are from EXIF 3.0 and TIFF 6.0 (plus the Windows XP* tags and the DNG
camera serial number that phones and Explorer write, and GeoTIFF's map position tags).

A TIFF file's directories are its own, so in a TIFF every tag a bare picture does not
need is reported: the known ones by name, the rest counted ("other hidden data (3 TIFF
tags)"). Any writer can add a tag (GIMP stores the file's path as the document name), so
tags are judged by whether the picture needs them, not by whether we know they can
identify.
"""

from __future__ import annotations

from photoscreen.core.formats import (
    EXIF_IFD,
    GPS_IFD,
    INTEROP_IFD,
    SUB_IFDS,
    TagValue,
    TiffTags,
    find_tiff_header,
    read_tiff,
)
from photoscreen.core.metadata import findings as words
from photoscreen.core.metadata.findings import (
    Finding,
    camera_words,
    date_words,
    more_pictures,
    too_large,
)

_MAKE, _MODEL = 0x010F, 0x0110
# Tag -> what it is, in the words staff read (findings with the same words are merged).
_SERIALS = {
    0xA431: words.CAMERA_SERIAL,
    0xC62F: words.CAMERA_SERIAL,
    0xA435: words.LENS_SERIAL,
    0xA420: "a unique photo ID",
}
_OWNERS = {
    0x013B: words.PHOTOGRAPHER,  # Artist
    0xA437: words.PHOTOGRAPHER,  # Photographer
    0x9C9D: words.PHOTOGRAPHER,  # Windows' Author
    0xA430: words.PHOTOGRAPHER,  # the camera's owner: most often who took the photo
    0x8298: words.COPYRIGHT,
    0xA438: "editor's name",
}
# DateTimeOriginal, DateTimeDigitized: when it was taken; DateTime: when last changed.
_DATES = ((0x9003, words.TAKEN), (0x9004, words.TAKEN), (0x0132, words.CHANGED))
_SOFTWARE = {0x0131: words.SOFTWARE, 0x013C: "computer name"}
_COMMENTS = {
    0x010E: words.CAPTION,  # ImageDescription
    0x9286: words.COMMENT,  # UserComment
    0x9C9C: words.COMMENT,
    0x9C9B: words.TITLE,
    0x9C9F: words.TITLE,  # Windows' Subject
    0x9C9E: words.KEYWORDS,
}
_MAKERNOTE = 0x927C
_LENS = (0xA433, 0xA434)  # lens make, lens model
# TIFF tags that can identify, by name: a file name or path, a page title, a host.
_TIFF_TEXTS = {0x010D: "document name", 0x011D: "page name"}
_MAKER_NOTES = "the camera maker's private notes (can hold serial numbers)"
# GeoTIFF: where on a map the picture lies (tie points, scale, transformation, keys).
_GEOTIFF = frozenset({0x830E, 0x8482, 0x85D8, 0x87AF, 0x87B0, 0x87B1})
_PHOTOSHOP_LAYERS = 0x935C  # ImageSourceData: the layers, which can hold the unedited picture
# Blocks and pointers read elsewhere: XMP, IPTC, Photoshop, ICC profile; sub-directories.
_READ_ELSEWHERE = frozenset({700, 33723, 34377, 34675})
# What a bare TIFF picture needs: layout, compression, pixel format, colour, resolution.
_TIFF_PICTURE = frozenset(
    {0x00FE, 0x00FF, 0x0100, 0x0101, 0x0102, 0x0103, 0x0106, 0x0107, 0x0108, 0x0109}
    | {0x010A, 0x0111, 0x0112, 0x0115, 0x0116, 0x0117, 0x0118, 0x0119, 0x011A, 0x011B}
    | {0x011C, 0x011E, 0x011F, 0x0120, 0x0121, 0x0122, 0x0123, 0x0124, 0x0125, 0x0128}
    | {0x0129, 0x012D, 0x013D, 0x013E, 0x013F, 0x0140, 0x0141, 0x0142, 0x0143, 0x0144}
    | {0x0145, 0x014C, 0x014E, 0x0150, 0x0152, 0x0153, 0x0154, 0x0155, 0x0156, 0x015B}
    | {0x0200, 0x0201, 0x0202, 0x0203, 0x0205, 0x0206, 0x0207, 0x0208, 0x0209}
    | {0x0211, 0x0212, 0x0213, 0x0214}
)
# Tags that describe only the picture's structure: no finding when only these remain.
_STRUCTURAL = frozenset(
    {0x0100, 0x0101, 0x0102, 0x0103, 0x0106, 0x0111, 0x0112, 0x0115, 0x0116, 0x0117}
    | {0x011A, 0x011B, 0x011C, 0x0128, 0x0140, 0x0152, 0x0153, 0x0213, 0x0211, 0x0212}
    | {0x0201, 0x0202, 0x0214, 0x013D, 0x0142, 0x0143, 0x0144, 0x0145, 0x0147, 0x0148}
    | {0x9000, 0xA000, 0xA001, 0xA002, 0xA003, 0x9101, 0x8773, 0x02BC, 0x83BB, 0x8649}
    | {EXIF_IFD, GPS_IFD, INTEROP_IFD, SUB_IFDS}
)
_EXIF_THUMBNAIL_TAGS = (0x0201, 0x0111)
_OTHER_EXIF = Finding("exif", words.OTHER, ("EXIF",))
_UNREADABLE_EXIF = Finding("exif", words.OTHER, ("EXIF that could not be read",))


def exif_block_findings(block: bytes) -> list[Finding]:
    """Findings for an EXIF block as stored in JPEG, PNG, WebP or HEIF."""
    start = find_tiff_header(block)
    if start is None:
        return [_UNREADABLE_EXIF]
    return tag_findings(read_tiff(bytes(block[start:])), is_tiff_file=False)


def tag_findings(tags: TiffTags, *, is_tiff_file: bool) -> list[Finding]:
    """Findings for the tags of an EXIF block or of a TIFF file's directories."""
    everything = {**_all_pages(tags), **tags.ifd0} if is_tiff_file else dict(tags.ifd0)
    everything.update(tags.exif)
    findings = _gps_findings(tags.gps)
    findings += _camera_findings(everything)
    findings += _labelled(everything, _SERIALS, "serial", show_value=False)
    findings += _labelled(everything, _OWNERS, "owner", show_value=True)
    findings += _date_findings(everything)
    findings += _labelled(everything, _SOFTWARE, "software", show_value=True)
    findings += _labelled(everything, _COMMENTS, "comment", show_value=True)
    if _MAKERNOTE in everything:
        findings.append(Finding("makernote", _MAKER_NOTES))
    findings += _extra_image_findings(tags, is_tiff_file)
    if is_tiff_file:
        findings += _tiff_file_findings(tags)
    elif not findings and set(everything) - _STRUCTURAL:
        findings.append(_OTHER_EXIF)
    if tags.damaged and not findings:
        findings.append(_UNREADABLE_EXIF)
    if tags.too_large:
        findings.append(too_large("TIFF tags" if is_tiff_file else "EXIF tags"))
    return findings


def _all_pages(tags: TiffTags) -> dict[int, TagValue]:
    """The tags of every page and preview of a TIFF file (earlier pages win)."""
    merged: dict[int, TagValue] = {}
    for directory in reversed([*tags.chain, *tags.sub_ifds]):
        merged.update(directory)
    return merged


def _tiff_file_findings(tags: TiffTags) -> list[Finding]:
    """A TIFF file's own tags that a bare picture does not need, and its EXIF content."""
    pages = _all_pages(tags)
    findings = _labelled(pages, _TIFF_TEXTS, "text", show_value=True)
    if _GEOTIFF & set(pages):
        findings.append(Finding("gps", words.GPS, ("a map position, GeoTIFF",)))
    if _PHOTOSHOP_LAYERS in pages:
        text = "Photoshop layers (can hold the unedited picture)"
        findings.append(Finding("secondary_image", text))
    others = len(set(pages) - _TIFF_PICTURE - _NAMED - _TIFF_NAMED - _STRUCTURAL)
    if others:
        tiff_tags = f"{others} TIFF tag{'s' if others != 1 else ''}"
        findings.append(Finding("other", words.OTHER, (tiff_tags,)))
    if set(tags.exif) - _STRUCTURAL - _NAMED:
        findings.append(_OTHER_EXIF)
    return findings


def _gps_findings(gps: dict[int, TagValue]) -> list[Finding]:
    if not gps:
        return []
    latitude = _coordinate(gps.get(2), gps.get(1), "N")
    longitude = _coordinate(gps.get(4), gps.get(3), "E")
    if latitude and longitude:
        return [Finding("gps", words.GPS, (f"{latitude}, {longitude}",))]
    if set(gps) - {0}:
        return [Finding("gps", words.GPS)]
    return []


def _coordinate(value: TagValue | None, ref: TagValue | None, positive: str) -> str | None:
    if not isinstance(value, tuple) or not value:
        return None
    parts = [*value[:3], 0.0, 0.0][:3]
    degrees = parts[0] + parts[1] / 60 + parts[2] / 3600
    hemisphere = ref.strip().upper()[:1] if isinstance(ref, str) and ref.strip() else positive
    if degrees < 0:
        degrees = -degrees
        hemisphere = {"N": "S", "E": "W"}.get(hemisphere, hemisphere)
    return f"{degrees:.2f} {hemisphere}"


def _camera_findings(tags: dict[int, TagValue]) -> list[Finding]:
    found = []
    camera = camera_words(_text(tags.get(_MAKE)), _text(tags.get(_MODEL)))
    if camera:
        found.append(Finding("camera", words.CAMERA, (camera,)))
    lens = camera_words(*(_text(tags.get(tag)) for tag in _LENS))
    if lens:
        found.append(Finding("camera", words.LENS, (lens,)))
    return found


def _labelled(
    tags: dict[int, TagValue], labels: dict[int, str], kind: str, *, show_value: bool
) -> list[Finding]:
    findings = []
    for tag, label in labels.items():
        value = _text(tags.get(tag))
        if value:
            findings.append(Finding(kind, label, (value,) if show_value else ()))
    return findings


def _date_findings(tags: dict[int, TagValue]) -> list[Finding]:
    """When it was taken, or failing that when it was last changed (one date is enough)."""
    for tag, label in _DATES:
        value = _text(tags.get(tag))
        if value:
            return [Finding("datetime", label, (date_words(value),))]
    return []


def _extra_image_findings(tags: TiffTags, is_tiff_file: bool) -> list[Finding]:
    findings = []
    if is_tiff_file:
        extra = len(tags.chain) - 1 + len(tags.sub_ifds)
        if extra > 0:
            findings.append(Finding("secondary_image", more_pictures(extra, "in the file")))
    elif len(tags.chain) > 1 and any(t in tags.chain[1] for t in _EXIF_THUMBNAIL_TAGS):
        findings.append(Finding("thumbnail", words.THUMBNAIL))
    return findings


def _text(value: TagValue | None) -> str:
    """A tag's value as text: ASCII as is, UserComment/XP* bytes decoded, numbers never."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bytes):
        return _decode_bytes(value)
    if isinstance(value, tuple) and value and all(0 <= v < 256 for v in value):
        # Windows XP* tags are BYTE arrays of UTF-16LE text.
        return _decode_bytes(bytes(int(v) for v in value), utf16=True)
    return ""


def _decode_bytes(raw: bytes, *, utf16: bool = False) -> str:
    prefixes = {
        b"ASCII\x00\x00\x00": "latin-1",
        b"UNICODE\x00": "utf-16",
        b"JIS\x00\x00\x00\x00\x00": "shift_jis",
    }
    for prefix, encoding in prefixes.items():
        if raw.startswith(prefix):
            return raw[8:].decode(encoding, "replace").strip("\x00 ")
    if raw.startswith(b"\x00" * 8):
        return raw[8:].decode("latin-1").strip("\x00 ")
    encoding = "utf-16-le" if utf16 else "utf-8"
    return raw.decode(encoding, "replace").strip("\x00 ")


# Tags that a finding above names, so they are not counted again as "other" tags.
_NAMED = frozenset(
    {_MAKE, _MODEL, _MAKERNOTE, *_LENS, *_SERIALS, *_OWNERS, *_SOFTWARE, *_COMMENTS}
    | {tag for tag, _ in _DATES}
)
_TIFF_NAMED = frozenset({*_TIFF_TEXTS, *_GEOTIFF, _PHOTOSHOP_LAYERS, *_READ_ELSEWHERE})
