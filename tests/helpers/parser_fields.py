"""Where a file's length, count and offset fields are, found by walking its structures.

The seeded mutations of :mod:`tests.helpers.parser_cases` set such fields to extremes: PNG chunk
lengths, RIFF chunk sizes, JPEG segment lengths, HEIF box sizes (and those inside
meta/iinf/iprp/ipco/iref/iloc), TIFF IFD entry counts, value counts and offsets and
next-IFD pointers (in a TIFF, or EXIF inside any format), ICC tag tables.
"""

from __future__ import annotations

import struct

Field = tuple[int, int, str]  # position, width in bytes, byte order ("<" or ">")


def structure_fields(data: bytes) -> list[Field]:
    """Length, count and offset fields found in ``data`` by walking its structures."""
    fields: list[Field] = []
    fields += _png_fields(data) + _riff_fields(data) + _jpeg_fields(data) + _box_fields(data)
    for _, at, order in tiff_ifds(data):
        fields.append((at, 2, order))
        count = struct.unpack_from(f"{order}H", data, at)[0]
        fields += [(at + 2 + 12 * i + k, 4, order) for i in range(count) for k in (4, 8)]
        fields.append((at + 2 + 12 * count, 4, order))
    for start in _find_all(data, b"acsp"):
        fields += _icc_fields(data, start - 36)
    return [f for f in fields if f[0] >= 0 and f[0] + f[1] <= len(data)]


def tiff_ifds(data: bytes) -> list[tuple[int, int, str]]:
    """(TIFF header offset, IFD offset, byte order) of the first IFDs of every TIFF
    structure in ``data`` (a TIFF file, or EXIF inside another format)."""
    found = []
    for marker, order in ((b"II*\x00", "<"), (b"MM\x00*", ">")):
        for start in _find_all(data, marker):
            at = start + struct.unpack_from(f"{order}I", data, start + 4)[0]
            for _ in range(4):
                if at + 2 > len(data):
                    break
                count = struct.unpack_from(f"{order}H", data, at)[0]
                if count == 0 or at + 6 + 12 * count > len(data):
                    break
                found.append((start, at, order))
                at = start + struct.unpack_from(f"{order}I", data, at + 2 + 12 * count)[0]
                if at == start:
                    break
    return found


def tiff_entries(data: bytes) -> list[tuple[int, str]]:
    entries = []
    for _, at, order in tiff_ifds(data):
        count = struct.unpack_from(f"{order}H", data, at)[0]
        entries += [(at + 2 + 12 * i, order) for i in range(count)]
    return entries


def _png_fields(data: bytes) -> list[Field]:
    if not data.startswith(b"\x89PNG"):
        return []
    fields, pos = [], 8
    while pos + 12 <= len(data) and len(fields) < 200:
        fields.append((pos, 4, ">"))
        pos += 12 + int.from_bytes(data[pos : pos + 4], "big")
    return fields


def _riff_fields(data: bytes) -> list[Field]:
    if not data.startswith(b"RIFF"):
        return []
    fields, pos = [(4, 4, "<")], 12
    while pos + 8 <= len(data) and len(fields) < 200:
        fields.append((pos + 4, 4, "<"))
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        pos += 8 + size + size % 2
    return fields


def _jpeg_fields(data: bytes) -> list[Field]:
    if not data.startswith(b"\xff\xd8"):
        return []
    fields, pos = [], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF and data[pos + 1] != 0xDA:
        fields.append((pos + 2, 2, ">"))
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return fields


def _box_fields(data: bytes, start: int = 0, end: int | None = None, depth: int = 0) -> list[Field]:
    """ISO base media (HEIF) box sizes, and those inside meta/iinf/iprp/ipco boxes."""
    end = len(data) if end is None else end
    if depth == 0 and data[4:8] != b"ftyp":
        return []
    fields, pos = [], start
    while pos + 8 <= end and len(fields) < 200:
        size = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        fields.append((pos, 4, ">"))
        if size < 8:
            break
        if kind in (b"meta", b"iinf", b"iprp", b"ipco", b"iref", b"iloc") and depth < 3:
            skip = 12 if kind in (b"meta", b"iloc", b"iref") else (14 if kind == b"iinf" else 8)
            fields += _box_fields(data, pos + skip, min(end, pos + size), depth + 1)
            if kind == b"iloc":
                fields += [(p, 4, ">") for p in range(pos + 16, min(end, pos + size) - 3, 4)]
        pos += size
    return fields


def _icc_fields(data: bytes, start: int) -> list[Field]:
    if start < 0 or start + 132 > len(data):
        return []
    count = int.from_bytes(data[start + 128 : start + 132], "big")
    fields = [(start, 4, ">"), (start + 128, 4, ">")]
    for index in range(min(count, 100)):
        at = start + 132 + 12 * index
        fields += [(at + 4, 4, ">"), (at + 8, 4, ">")]
    return fields


def _find_all(data: bytes, needle: bytes, limit: int = 16) -> list[int]:
    found, at = [], data.find(needle)
    while at >= 0 and len(found) < limit:
        found.append(at)
        at = data.find(needle, at + 1)
    return found
