"""Findings from ICC colour profiles: a profile whose name is not a colour space's.

A colour profile only says how to show the colours, but its description is free text, and
calibration tools and some phones write the owner's or the device's name into it ("Jane
Smith iPhone"). Standard profiles are named after their colour space (sRGB, Display P3,
Adobe RGB...), so a name with none of those words in it is reported; the rest of the
profile (curves, matrices) is not identifying. Profiles come from JPEG APP2 segments, PNG
iCCP chunks (which add a name of their own), WebP ICCP chunks, TIFF tag 34675, GIF
ICCRGBG1 blocks and HEIF colour boxes.
"""

from __future__ import annotations

import re
import struct

from photoscreen.core.metadata.findings import Finding

_ICC_SIGNATURE = b"acsp"
_HEADER_SIZE = 128
_MAX_TAGS = 1000
_MAX_NAME_CHARS = 1000
# Names kept from one profile: a description in a few dozen languages is plenty. A file
# can declare a thousand description tags of a thousand records each, all at one offset.
_MAX_NAMES = 256
# Tags holding the profile's name: the description, and Apple's localised description.
_NAME_TAGS = (b"desc", b"dscm")
# Words found in the names of standard colour spaces and of the profiles that tools and
# cameras embed by default (a whole word, though digits may touch it: "Lab2Lab", "BT.709").
_STANDARD_WORDS = (
    r"s?rgb|scrgb|esrgb|adobe|prophoto|romm|display ?p3|image p3|p3|dci"
    r"|icc\w*|lab|xyz|gr[ae]y|sgray|cmyk|swop|fogra|gracol|coated|uncoated"
    r"|japan colou?r|dot gain|colou?rsync|generic|linear|bt|rec|itu|smpte|pq|hlg|aces"
    r"|wide gamut|colou?r ?match|eci|ecirgb|camera rgb|colou?r lcd|apple wide colou?r"
    r"|embedded|skia"
)
_STANDARD_NAME = re.compile(rf"(?<![a-z])(?:{_STANDARD_WORDS})(?![a-z])", re.IGNORECASE)


def icc_findings(profile: bytes, *, png_name: str | None = None) -> list[Finding]:
    """Findings for one embedded profile (and the name a PNG iCCP chunk gives it)."""
    names = [png_name.strip()] if png_name and png_name.strip() else []
    described = profile_names(profile)
    if described is None:
        return [Finding("other", "a colour profile that could not be read")]
    names += described
    unusual = [name for name in dict.fromkeys(names) if not is_standard_profile_name(name)]
    if not unusual:
        return []
    return [Finding("other", "a colour profile with a name", tuple(unusual))]


def is_standard_profile_name(name: str) -> bool:
    """True for the names of standard colour spaces ("sRGB IEC61966-2.1", "Display P3")."""
    return bool(_STANDARD_NAME.search(name))


def profile_names(profile: bytes) -> list[str] | None:
    """The texts of a profile's description tags; ``None`` if it is not a readable profile."""
    if len(profile) < _HEADER_SIZE + 4 or profile[36:40] != _ICC_SIGNATURE:
        return None
    count = int.from_bytes(profile[128:132], "big")
    if count > _MAX_TAGS or 132 + 12 * count > len(profile):
        return None
    names: list[str] = []
    # A view, not a copy: tags may all point at the same megabytes.
    view = memoryview(profile)
    for index in range(count):
        signature, offset, size = struct.unpack_from(">4sII", profile, 132 + 12 * index)
        if signature not in _NAME_TAGS:
            continue
        if offset + size > len(profile):
            return None
        names += _tag_texts(view[offset : offset + size])
        if len(names) >= _MAX_NAMES:
            break
    return [name for name in names[:_MAX_NAMES] if name]


def _tag_texts(tag: memoryview) -> list[str]:
    """The strings of a ``desc`` (ICC v2), ``mluc`` (v4) or ``text`` tag (each read up
    to :data:`_MAX_NAME_CHARS` characters, whatever length the tag declares)."""
    kind = bytes(tag[:4])
    if kind == b"desc":
        return _description_texts(tag)
    if kind == b"mluc":
        return _localised_texts(tag)
    if kind == b"text":
        return [_clean(bytes(tag[8 : 8 + _MAX_NAME_CHARS]).decode("latin-1"))]
    return []


def _description_texts(tag: memoryview) -> list[str]:
    """textDescriptionType: an ASCII string, then an optional UTF-16 copy."""
    if len(tag) < 12:
        return []
    length = int.from_bytes(tag[8:12], "big")
    texts = [_clean(bytes(tag[12 : 12 + min(length, _MAX_NAME_CHARS)]).decode("latin-1"))]
    unicode_at = 12 + length + 4  # skip the Unicode language code
    if unicode_at + 4 <= len(tag):
        chars = int.from_bytes(tag[unicode_at : unicode_at + 4], "big")
        raw = bytes(tag[unicode_at + 4 : unicode_at + 4 + 2 * min(chars, _MAX_NAME_CHARS)])
        texts.append(_clean(raw.decode("utf-16-be", "replace")))
    return texts


def _localised_texts(tag: memoryview) -> list[str]:
    """multiLocalizedUnicodeType: one UTF-16 string per language."""
    if len(tag) < 16:
        return []
    records, record_size = struct.unpack_from(">II", tag, 8)
    if record_size < 12:
        return []
    texts = []
    for index in range(min(records, _MAX_NAMES)):
        at = 16 + record_size * index
        if at + 12 > len(tag):
            break
        length, offset = struct.unpack_from(">II", tag, at + 4)
        raw = bytes(tag[offset : offset + min(length, 2 * _MAX_NAME_CHARS)])
        texts.append(_clean(raw.decode("utf-16-be", "replace")))
    return texts


def _clean(text: str) -> str:
    return text.split("\x00", 1)[0].strip()
