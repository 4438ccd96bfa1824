"""Hostile inputs for every metadata parser: built attacks and seeded structural mutations.

A parser that trusts the sizes, counts and offsets a file declares can be made to
allocate or loop without limit by a small file. The cases here aim at exactly that, in
every place photoscreen parses a structure itself (TIFF IFDs, EXIF in JPEG/PNG/WebP/HEIF,
XMP, IPTC and Photoshop resources, ICC profiles, the PNG/WebP/GIF containers, JPEG
segments) and where libheif does (HEIF boxes):

- :func:`attacks` are built files, one per known way of declaring more than a file holds:
  a thousand TIFF tags sharing one 4 MB value (in a TIFF, a PNG eXIf chunk, a WebP EXIF
  chunk, a JPEG APP1), loops and overlaps in IFD chains, a million SubIFD pointers, ICC
  descriptions all at one offset, nested XMP properties, zlib bombs in PNG text, a million
  tiny JPEGs appended to one, runs of markers, thousands of XMP start tags in a GIF;
- :func:`mutations` takes valid files carrying every kind of metadata and sets the
  length, count and offset fields it finds in them to extremes (0, 1, the file's size,
  2**31-1, 2**32-1, another field's value, the field's own position), points IFD chains
  back at themselves, repeats blocks, cuts and flips bytes, all from one seed.

Each case is (label, kind, bytes); ``kind`` says which entry point reads it ("file": the
whole inspector, "icc" and "exif" and "xmp": that parser alone).
"""

from __future__ import annotations

import random
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from tests.core.metadata.test_metadata_tags import png_chunk, png_with
from tests.helpers.parser_fields import structure_fields, tiff_entries, tiff_ifds
from tests.helpers.photos import (
    display_p3_profile,
    insert_jpeg_segment,
    loaded_photo,
    make_gif,
    make_heic,
    make_jpeg,
    make_png,
    make_tiff,
    sample_pixels,
)

MB = 1 << 20
FORMATS = ("jpeg", "png", "webp", "tiff", "gif", "heif")
_EXTREMES = (0, 1, 2, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF)


@dataclass(frozen=True)
class Case:
    """One input: what it is, which parser entry point reads it, and its bytes."""

    label: str
    kind: str
    data: bytes


# --- built attacks ------------------------------------------------------------------


def shared_value_tiff(tags: int = 990, blob: int = 4 * MB, kind: int = 1) -> bytes:
    """A little-endian TIFF structure whose ``tags`` private tags all point at one ``blob``
    of bytes: declared data ``tags`` times the structure's size."""
    size = {1: 1, 2: 1, 3: 2, 4: 4, 7: 1}[kind]
    blob_at, ifd_at = 8, 8 + blob
    entries = [struct.pack("<HHII", 40000 + i, kind, blob // size, blob_at) for i in range(tags)]
    ifd = struct.pack("<H", tags) + b"".join(entries) + b"\x00\x00\x00\x00"
    return b"II*\x00" + struct.pack("<I", ifd_at) + b"\x00" * blob + ifd


def _riff_chunk(kind: bytes, payload: bytes) -> bytes:
    return kind + struct.pack("<I", len(payload)) + payload + b"\x00" * (len(payload) % 2)


def webp_with_chunk(chunk: bytes) -> bytes:
    from tests.helpers.photos import make_webp

    webp = make_webp(sample_pixels(16, 12))
    body = webp[12:] + chunk
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def chained_tiff(ifds: int = 64, entries: int = 999) -> bytes:
    """64 chained IFDs of 999 entries, each entry declaring the whole structure as its
    value, the last IFD pointing back at the first (a loop)."""
    size = 8 + ifds * (2 + 12 * entries + 4)
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    for index in range(ifds):
        following = len(out) + 2 + 12 * entries + 4 if index + 1 < ifds else 8
        out += struct.pack("<H", entries)
        out += struct.pack("<HHII", 0x9C9C, 1, size - 8, 8) * entries
        out += struct.pack("<I", following)
    return bytes(out)


def many_sub_ifds(pointers: int = 500_000) -> bytes:
    """A SubIFDs tag listing half a million pointers, each at its own (overlapping) IFD
    in a region where every even offset reads as an IFD of 257 entries."""
    array_at = 8 + 2 + 12 + 4
    region_at = array_at + 4 * pointers
    head = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 1)
    head += struct.pack("<HHII", 330, 4, pointers, array_at) + b"\x00" * 4
    array = struct.pack(f"<{pointers}I", *range(region_at, region_at + 2 * pointers, 2))
    return head + array + b"\x01" * (2 * pointers + 12 * 300)


def shared_icc(tags: int = 1000, text: int = 4 * MB, kind: bytes = b"text") -> bytes:
    """An ICC profile whose ``tags`` description tags all point at one ``text`` bytes."""
    body_at = 128 + 4 + 12 * tags
    if kind == b"mluc":
        records = 100_000
        body = b"mluc\x00\x00\x00\x00" + struct.pack(">II", records, 12)
        body += struct.pack(">2s2sII", b"en", b"GB", text, 0) * records
    else:
        body = kind + b"\x00" * 4 + b"Jane Smith " * (text // 11)
    table = struct.pack(">4sII", b"desc", body_at, len(body)) * tags
    header = struct.pack(">I", body_at + len(body)) + b"\x00" * 32 + b"acsp" + b"\x00" * 88
    return header + struct.pack(">I", tags) + table + body


def nested_xmp(depth: int = 50_000) -> bytes:
    """dc:subject nested in itself ``depth`` times, each with a keyword."""
    opening = "<dc:subject><rdf:Bag><rdf:li>k</rdf:li>" * depth
    closing = "</rdf:Bag></dc:subject>" * depth
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description>'
        f"{opening}{closing}</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def entity_bomb_xmp() -> bytes:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    return (
        f"<!DOCTYPE x:xmpmeta [{entities}]>"
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description dc:title="&j;"/>'
        "</rdf:RDF></x:xmpmeta>"
    ).encode()


def _ztxt_bomb(count: int) -> list[bytes]:
    bomb = zlib.compress(b"a" * MB, 9)
    return [png_chunk(b"zTXt", b"Comment\x00\x00" + bomb) for _ in range(count)]


def _iccp_bombs(count: int) -> list[bytes]:
    bomb = zlib.compress(b"\x00" * 16 * MB, 9)
    return [png_chunk(b"iCCP", b"name\x00\x00" + bomb) for _ in range(count)]


def attacks() -> Iterator[Case]:
    """Built files declaring far more than they hold, one per known way (see above)."""
    exif = shared_value_tiff()
    yield Case("TIFF: 990 BYTE tags sharing 4 MB", "file", exif)
    yield Case("TIFF: 990 ASCII tags sharing 4 MB", "file", shared_value_tiff(kind=2))
    yield Case("TIFF: 990 SHORT tags sharing 4 MB", "file", shared_value_tiff(kind=3))
    yield Case("PNG eXIf: 990 tags sharing 4 MB", "file", png_with(png_chunk(b"eXIf", exif)))
    small = shared_value_tiff(tags=990, blob=4096)
    many_exif = [png_chunk(b"eXIf", small) for _ in range(300)]
    yield Case("PNG: 300 eXIf chunks of 990 shared tags", "file", png_with(*many_exif))
    yield Case(
        "WebP EXIF: 990 tags sharing 4 MB", "file", webp_with_chunk(_riff_chunk(b"EXIF", exif))
    )
    heif = make_heic(sample_pixels(16, 12), exif=b"Exif\x00\x00" + exif)
    yield Case("HEIF Exif item: 990 tags sharing 4 MB", "file", heif)
    app1 = b"Exif\x00\x00" + shared_value_tiff(tags=990, blob=50_000)
    yield Case("JPEG APP1: 990 tags sharing 50 KB", "file", _jpeg_with(0xE1, app1))
    yield Case("EXIF: 64 looping IFDs of 999 entries", "exif", b"Exif\x00\x00" + chained_tiff())
    yield Case("TIFF: half a million SubIFD pointers", "file", many_sub_ifds())
    yield Case("ICC: 1000 descriptions sharing 4 MB of text", "icc", shared_icc())
    yield Case("ICC: 1000 descriptions sharing 4 MB, as desc", "icc", shared_icc(kind=b"desc"))
    yield Case("ICC: 1000 mluc tags of 100,000 records", "icc", shared_icc(text=4096, kind=b"mluc"))
    yield Case("PNG iCCP: profile of shared descriptions", "file", _png_profile(shared_icc()))
    yield Case("XMP: dc:subject nested 50,000 deep", "xmp", nested_xmp())
    yield Case("PNG iTXt: nested XMP", "file", png_with(_itxt_xmp(nested_xmp())))
    yield Case("XMP: entity expansion", "xmp", entity_bomb_xmp())
    yield Case("XMP: 4 MB of empty elements", "xmp", _empty_elements_xmp())
    yield Case("PNG: 4000 zTXt chunks of 1 MB each", "file", png_with(*_ztxt_bomb(4000)))
    yield Case("PNG: 300 iCCP chunks of 16 MB each", "file", png_with(*_iccp_bombs(300)))
    jpeg = make_jpeg(sample_pixels(16, 12))
    yield Case(
        "JPEG: a million tiny JPEGs appended", "file", jpeg + b"\xff\xd8\xff\xd9" * 1_000_000
    )
    yield Case("JPEG: two million restart markers", "file", _jpeg_markers(b"\xff\xd0" * 2_000_000))
    yield Case("JPEG: 100,000 empty scans", "file", _jpeg_markers(_empty_scans(100_000)))
    yield Case("GIF: 400,000 XMP start tags", "file", _gif_xmp_starts(400_000))
    yield Case("TIFF: XMP tag in 64 pages sharing 4 MB", "file", _xmp_pages())


def _jpeg_with(marker: int, payload: bytes) -> bytes:
    return insert_jpeg_segment(make_jpeg(sample_pixels(16, 12)), marker, payload)


def _png_profile(profile: bytes) -> bytes:
    return png_with(png_chunk(b"iCCP", b"name\x00\x00" + zlib.compress(profile, 9)))


def _itxt_xmp(packet: bytes) -> bytes:
    return png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + packet)


def _empty_elements_xmp() -> bytes:
    return (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        + b"<a/>" * MB
        + b"</rdf:RDF></x:xmpmeta>"
    )


def _jpeg_markers(middle: bytes) -> bytes:
    """A JPEG with ``middle`` inserted right after its start-of-image marker."""
    jpeg = make_jpeg(sample_pixels(16, 12))
    return jpeg[:2] + middle + jpeg[2:]


def _empty_scans(count: int) -> bytes:
    return (b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + b"\x00") * count


def _gif_xmp_starts(count: int) -> bytes:
    gif = make_gif(sample_pixels(16, 12), comment="<x:xmpmeta" * 25)
    magic = b"\x01" + bytes(range(255, -1, -1)) + b"\x00"
    block = b"\x21\xff\x0bXMP DataXMP" + b"<x:xmpmeta " * count + magic
    return gif[:-1] + block + b"\x3b"


def _xmp_pages(pages: int = 64, size: int = 4 * MB) -> bytes:
    """64 IFDs in a chain, each with an XMP tag pointing at the same 4 MB packet."""
    packet = b"<x:xmpmeta " + b" " * (size - 24) + b"/>"
    packet_at = 8
    out = bytearray(b"II*\x00" + struct.pack("<I", 8 + len(packet)) + packet)
    for page in range(pages):
        following = len(out) + 18 if page + 1 < pages else 0
        out += struct.pack("<H", 1) + struct.pack("<HHII", 700, 7, len(packet), packet_at)
        out += struct.pack("<I", following)
    return bytes(out)


# --- seeded mutations of valid files ---------------------------------------------------


@cache
def seed_files() -> dict[str, bytes]:
    """A small file of each format carrying every kind of metadata it can hold, and a
    profile, an EXIF block and an XMP packet alone."""
    files = {fmt: loaded_photo(fmt, sample_pixels(32, 24)) for fmt in FORMATS}
    files["tiff+profile"] = make_tiff(sample_pixels(32, 24), icc=display_p3_profile("Jane"))
    files["png+profile"] = make_png(sample_pixels(32, 24), icc=display_p3_profile("Jane"))
    return files


def mutations(seed: int, count: int) -> Iterator[Case]:
    """``count`` mutated seed files, the same for the same ``seed``."""
    rng = random.Random(seed)
    files = seed_files()
    names = sorted(files)
    for index in range(count):
        name = rng.choice(names)
        data = bytearray(files[name])
        done = [
            _MUTATORS[rng.randrange(len(_MUTATORS))](rng, data) for _ in range(rng.randint(1, 3))
        ]
        yield Case(f"#{index} {name}: {'; '.join(done)}", "file", bytes(data))


def _set_field(rng: random.Random, data: bytearray) -> str:
    fields = structure_fields(bytes(data))
    if not fields:
        return _flip(rng, data)
    position, width, order = rng.choice(fields)
    others = [p for p, _, _ in fields]
    value = rng.choice(
        [*_EXTREMES, len(data), len(data) - 1, len(data) + 1, position, rng.choice(others)]
    )
    data[position : position + width] = (value & ((1 << 8 * width) - 1)).to_bytes(
        width, "little" if order == "<" else "big"
    )
    return f"field at {position} set to {value}"


def _share_offsets(rng: random.Random, data: bytearray) -> str:
    """Every TIFF entry's value offset set to the same place, counts to the maximum."""
    entries = tiff_entries(bytes(data))
    if not entries:
        return _flip(rng, data)
    target = rng.choice([8, len(data) // 2, rng.randrange(len(data))])
    for at, order in entries:
        data[at + 4 : at + 8] = struct.pack(f"{order}I", rng.choice([len(data), 0x10000]))
        data[at + 8 : at + 12] = struct.pack(f"{order}I", target)
    return f"{len(entries)} TIFF entries share offset {target}"


def _loop_chain(rng: random.Random, data: bytearray) -> str:
    """An IFD's next-IFD pointer aimed at itself, at IFD0, or inside another IFD."""
    ifds = tiff_ifds(bytes(data))
    if not ifds:
        return _flip(rng, data)
    start, at, order = rng.choice(ifds)
    count = struct.unpack_from(f"{order}H", data, at)[0]
    target = rng.choice([at, ifds[0][1], at + 2, at + 14]) - start
    struct.pack_into(f"{order}I", data, at + 2 + 12 * count, max(0, target))
    return f"IFD at {at} points at {target}"


def _repeat_block(rng: random.Random, data: bytearray) -> str:
    """A run of bytes (a chunk, a segment) repeated a thousand times where it stands."""
    start = rng.randrange(max(1, len(data) - 64))
    block = bytes(data[start : start + rng.randint(4, 64)])
    data[start:start] = block * 1000
    return f"{len(block)} bytes at {start} repeated 1000 times"


def _cut(rng: random.Random, data: bytearray) -> str:
    at = rng.randrange(len(data))
    del data[at:]
    return f"cut at {at}"


def _flip(rng: random.Random, data: bytearray) -> str:
    at = rng.randrange(len(data))
    noise = bytes(rng.choice([0x00, 0xFF, 0x7F, 0x80, rng.randrange(256)]) for _ in range(8))
    data[at : at + len(noise)] = noise
    return f"8 bytes at {at} overwritten"


_MUTATORS: tuple[Callable[[random.Random, bytearray], str], ...] = (
    _set_field,
    _set_field,
    _set_field,
    _share_offsets,
    _loop_chain,
    _repeat_block,
    _cut,
    _flip,
)
