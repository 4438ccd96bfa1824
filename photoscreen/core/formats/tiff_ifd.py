"""A small, defensive reader for TIFF image file directories (IFDs).

EXIF data is a TIFF structure (in JPEG APP1, PNG eXIf, WebP EXIF, HEIC Exif items) and a
TIFF photo *is* one, so one reader serves both. It reads tags, never pixels, and treats
the bytes as hostile: offsets are bounds-checked, loops in the IFD chain are cut, and
sizes are capped, so a malformed file gives fewer tags rather than an exception or a hang.

Every tag names its own offset and count, so a file can point a thousand tags at the same
4 MB (or sixty-four IFDs at overlapping bytes) and declare far more data than it holds.
Reading is therefore paid for from a budget proportional to the structure's size: the
bytes each value copies, each entry, and each number decoded (a Python number costs some
32 bytes, so 4 MB of BYTE values would otherwise become 130 MB). A structure whose tags
ask for more is read up to that point and marked ``too_large``; a legitimate file, whose
values each occupy their own bytes, stays far inside the budget.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

# Pointer tags: where the EXIF, GPS and interoperability sub-directories live.
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
INTEROP_IFD = 0xA005
SUB_IFDS = 0x014A

# Blocks kept as raw bytes whatever their declared type (IPTC is often typed LONG): XMP,
# IPTC, Photoshop resources, the ICC profile, the maker's notes.
_RAW_TAGS = frozenset({700, 33723, 34377, 34675, 0x927C})
_MAX_ENTRIES = 1000
_MAX_CHAIN = 64
_MAX_SUB_IFDS = 64
# A bigger value (Photoshop's layers in a TIFF can run to hundreds of MB) is recorded as
# present, holding ``b""``, and the structure as too large to check.
MAX_VALUE_BYTES = 16 * 1024 * 1024
# Numbers decoded per value. The tags findings read hold a few numbers (GPS, orientation,
# page kinds) or a short text (Windows' XP* tags); strip offsets, which can run to
# millions, are never needed as numbers.
_MAX_NUMBERS = 4096
# What reading costs, in bytes of memory: an entry, and one decoded number.
_ENTRY_COST = 12
_NUMBER_COST = 32
# The budget: four times the structure's size, plus enough for a small EXIF block whose
# numbers cost more as Python objects than the bytes holding them.
_BUDGET_FACTOR = 4
_BUDGET_SLACK = 16 * 1024
# type code -> (struct letter, size in bytes)
_TYPES = {
    1: ("B", 1),
    2: ("s", 1),
    3: ("H", 2),
    4: ("I", 4),
    5: ("II", 8),
    6: ("b", 1),
    7: ("s", 1),
    8: ("h", 2),
    9: ("i", 4),
    10: ("ii", 8),
    11: ("f", 4),
    12: ("d", 8),
    13: ("I", 4),
}

TagValue = str | bytes | tuple[float, ...]


@dataclass
class TiffTags:
    """The tags of a TIFF structure.

    ``chain`` holds IFD0, IFD1... (in EXIF, IFD1 describes the embedded thumbnail; in a
    TIFF file each is a page or preview); ``sub_ifds`` the SubIFD previews; ``exif``, ``gps``
    and ``interop`` the sub-directories of IFD0. ``damaged``: something could not be read
    (a bad offset or type); ``too_large``: reading stopped at the budget, or a value over
    :data:`MAX_VALUE_BYTES` was left unread (see the module docstring).
    """

    chain: list[dict[int, TagValue]] = field(default_factory=list)
    sub_ifds: list[dict[int, TagValue]] = field(default_factory=list)
    exif: dict[int, TagValue] = field(default_factory=dict)
    gps: dict[int, TagValue] = field(default_factory=dict)
    interop: dict[int, TagValue] = field(default_factory=dict)
    damaged: bool = False
    too_large: bool = False

    @property
    def ifd0(self) -> dict[int, TagValue]:
        return self.chain[0] if self.chain else {}


def find_tiff_header(data: bytes) -> int | None:
    """Where the TIFF header starts in an EXIF block (after an ``Exif\\0\\0`` prefix etc.)."""
    for prefix in (b"Exif\x00\x00", b"Exif\x00\xff", b""):
        if data.startswith(prefix) and data[len(prefix) : len(prefix) + 4] in (
            b"II*\x00",
            b"MM\x00*",
        ):
            return len(prefix)
    # HEIF Exif items start with a 4-byte offset to the header.
    if len(data) >= 8:
        skip = 4 + int.from_bytes(data[:4], "big")
        if data[skip : skip + 4] in (b"II*\x00", b"MM\x00*"):
            return skip
    return None


def read_tiff(data: bytes) -> TiffTags:
    """All tags of the TIFF structure at the start of ``data`` (empty if it is not one)."""
    tags = TiffTags()
    if len(data) < 8 or data[:4] not in (b"II*\x00", b"MM\x00*"):
        tags.damaged = bool(data)
        return tags
    reader = _Reader(data, "<" if data[:2] == b"II" else ">")
    seen: set[int] = set()
    offset = reader.u32(4)
    while offset and len(tags.chain) < _MAX_CHAIN and offset not in seen:
        seen.add(offset)
        entries, offset = reader.ifd(offset)
        if entries is None:
            tags.damaged = True
            break
        tags.chain.append(entries)
    first = tags.ifd0
    tags.exif = reader.sub_ifd(first.get(EXIF_IFD), seen)
    tags.gps = reader.sub_ifd(first.get(GPS_IFD), seen)
    tags.interop = reader.sub_ifd(tags.exif.get(INTEROP_IFD), seen)
    for pointer in _as_ints(first.get(SUB_IFDS))[:_MAX_SUB_IFDS]:
        sub = reader.sub_ifd((float(pointer),), seen)
        if sub:
            tags.sub_ifds.append(sub)
    tags.damaged = tags.damaged or reader.damaged
    tags.too_large = reader.too_large
    return tags


def _as_ints(value: TagValue | None) -> list[int]:
    if isinstance(value, tuple):
        return [int(v) for v in value]
    return []


class _Reader:
    """Bounds-checked, budgeted access to one TIFF structure in a given byte order."""

    def __init__(self, data: bytes, order: str) -> None:
        self.data = data
        self.order = order
        self.damaged = False
        self.too_large = False
        self._budget = _BUDGET_FACTOR * len(data) + _BUDGET_SLACK

    def u16(self, offset: int) -> int:
        value: int = struct.unpack_from(self.order + "H", self.data, offset)[0]
        return value

    def u32(self, offset: int) -> int:
        value: int = struct.unpack_from(self.order + "I", self.data, offset)[0]
        return value

    def _pay(self, cost: int) -> bool:
        """Spend ``cost`` from the budget; False (and ``too_large`` from then on) if short."""
        if self.too_large or cost > self._budget:
            self.too_large = True
            return False
        self._budget -= cost
        return True

    def ifd(self, offset: int) -> tuple[dict[int, TagValue] | None, int]:
        """The entries of the IFD at ``offset`` and the offset of the next IFD (0 = none)."""
        if offset + 2 > len(self.data):
            return None, 0
        count = self.u16(offset)
        if count > _MAX_ENTRIES or offset + 2 + 12 * count > len(self.data):
            return None, 0
        entries: dict[int, TagValue] = {}
        for index in range(count):
            if not self._pay(_ENTRY_COST):
                return entries, 0
            entry = offset + 2 + 12 * index
            tag = self.u16(entry)
            value = self.value(entry)
            if value is not None:
                entries[tag] = value
        next_at = offset + 2 + 12 * count
        following = self.u32(next_at) if next_at + 4 <= len(self.data) else 0
        return entries, following

    def value(self, entry: int) -> TagValue | None:
        tag, kind, count = self.u16(entry), self.u16(entry + 2), self.u32(entry + 4)
        if kind not in _TYPES:
            self.damaged = True
            return None
        letters, size = _TYPES[kind]
        total = size * count
        start = entry + 8 if total <= 4 else self.u32(entry + 8)
        if start + total > len(self.data):
            self.damaged = True
            return None
        if total > MAX_VALUE_BYTES:
            self.too_large = True
            return b""
        whole = kind in (2, 7) or tag in _RAW_TAGS
        numbers = 0 if whole else min(count, _MAX_NUMBERS)
        if not self._pay(total + _NUMBER_COST * numbers):
            return None
        if whole:
            raw = self.data[start : start + total]
            if kind == 2 and tag not in _RAW_TAGS:
                return raw.split(b"\x00", 1)[0].decode("utf-8", "replace").strip()
            return bytes(raw)
        return self._numbers(kind, letters, start, numbers)

    def _numbers(self, kind: int, letters: str, start: int, count: int) -> tuple[float, ...]:
        """The first ``count`` values of a numeric tag (rationals as one number each)."""
        values = struct.unpack_from(f"{self.order}{letters * count}", self.data, start)
        if kind in (5, 10):
            pairs = zip(values[0::2], values[1::2], strict=True)
            return tuple(n / d if d else 0.0 for n, d in pairs)
        return tuple(float(v) for v in values)

    def sub_ifd(self, pointer: TagValue | None, seen: set[int]) -> dict[int, TagValue]:
        offsets = _as_ints(pointer)
        if not offsets or offsets[0] in seen:
            return {}
        seen.add(offsets[0])
        entries, _ = self.ifd(offsets[0])
        if entries is None:
            self.damaged = True
            return {}
        return entries
