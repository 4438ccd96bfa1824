"""What identifying data a photo file carries, in plain words, for any supported format.

Staff see this before export ("what will be removed") and ``photoscreen verify`` reports
it for files about to be uploaded. Each container is walked with our own parser (JPEG
segments, PNG chunks, RIFF chunks, GIF blocks, TIFF directories), so data a decoder skips
is still seen; HEIF's box structure is read through libheif.

A file whose structure breaks off (so that what follows the break cannot be checked) gets
a ``damaged`` finding, and a part larger than the readers take on (each stops at a bound,
whatever sizes, counts and offsets the file declares) a ``too_large`` one;
``photoscreen verify`` reports either as a file it could not check to the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from photoscreen.core.formats import TagValue, Walk, read_tiff, sniff_format, walk_gif, walk_riff
from photoscreen.core.formats import jpeg_segments as seg
from photoscreen.core.metadata import findings as words
from photoscreen.core.metadata.exif import exif_block_findings, tag_findings
from photoscreen.core.metadata.findings import (
    DAMAGED,
    TOO_LARGE,
    UNCHECKED_KINDS,
    Finding,
    animation,
    merged,
    more_pictures,
    summarize,
)
from photoscreen.core.metadata.icc_names import icc_findings
from photoscreen.core.metadata.iptc import PHOTOSHOP_SIGNATURE, iptc_findings, photoshop_findings
from photoscreen.core.metadata.png import png_findings
from photoscreen.core.metadata.xmp import XMP, xmp_findings

__all__ = [
    "DAMAGED",
    "TOO_LARGE",
    "Finding",
    "damage",
    "inspect_metadata",
    "merged",
    "summarize",
]

_XMP_SIGNATURE = b"http://ns.adobe.com/xap/1.0/\x00"
_XMP_EXTENSION_SIGNATURE = b"http://ns.adobe.com/xmp/extension/\x00"
_XMP_START, _XMP_END = b"<x:xmpmeta", b"</x:xmpmeta>"
_ICC_SIGNATURE = b"ICC_PROFILE\x00"
# APPn blocks that describe only how to decode (ICC, checked on its own; Adobe colour).
_HARMLESS_APP = ((seg.APP2, _ICC_SIGNATURE), (seg.APP14, b"Adobe"))
_TIFF_XMP, _TIFF_IPTC, _TIFF_PHOTOSHOP, _TIFF_ICC = 700, 33723, 34377, 34675
THUMBNAIL = Finding("thumbnail", words.THUMBNAIL)
# Images appended after a JPEG that are walked one by one (an iPhone adds two or three);
# beyond these the rest is reported as extra data, which it is.
_MAX_APPENDED = 100
_EMPTY_COMMENT = Finding("comment", "an empty comment")


def inspect_metadata(data: bytes) -> list[Finding]:
    """Every kind of identifying data in the file (empty list = nothing found)."""
    inspectors: dict[str, Callable[[bytes], list[Finding]]] = {
        "jpeg": _inspect_jpeg,
        "png": _inspect_png,
        "webp": _inspect_webp,
        "gif": _inspect_gif,
        "tiff": _inspect_tiff,
        "heif": _inspect_heif,
    }
    fmt = sniff_format(data)
    if fmt is None:
        return []
    return _merge(inspectors[fmt](data))


def damage(findings: Iterable[Finding]) -> Finding | None:
    """The part of the file that could not be checked (damaged, or too large), if any."""
    return next((f for f in findings if f.kind in UNCHECKED_KINDS), None)


def _merge(findings: list[Finding]) -> list[Finding]:
    """The findings without exact repeats.

    A file may repeat a block (a text chunk, say) thousands of times: the findings are
    all kept, so a count stays true; :func:`~photoscreen.core.metadata.findings.merged` makes one
    short line of each meaning for people to read.
    """
    return list(dict.fromkeys(findings))


# --- JPEG ---------------------------------------------------------------------------


def _inspect_jpeg(data: bytes) -> list[Finding]:
    try:
        layout = seg.walk_jpeg(data)
    except seg.JpegStructureError as error:
        return [Finding(DAMAGED, f"damaged JPEG structure ({error})")]
    findings: list[Finding] = []
    for segment in layout.segments:
        findings += _jpeg_segment_findings(segment)
    findings += _jpeg_profile_findings(layout.segments)
    findings += _jpeg_tail_findings(data, layout)
    return findings


def _jpeg_profile_findings(segments: Iterable[seg.Segment]) -> list[Finding]:
    """An ICC profile may be split over several APP2 segments, each with its number."""
    parts = [
        s.payload[len(_ICC_SIGNATURE) :]
        for s in segments
        if s.marker == seg.APP2 and s.payload.startswith(_ICC_SIGNATURE)
    ]
    if not parts:
        return []
    parts.sort(key=lambda part: part[:1])
    return icc_findings(b"".join(part[2:] for part in parts))


def _jpeg_segment_findings(segment: seg.Segment) -> list[Finding]:
    marker, payload = segment.marker, segment.payload
    if marker == seg.COM:
        text = payload.decode("utf-8", "replace").strip("\x00 ")
        return [Finding("comment", words.COMMENT, (text,))] if text else [_EMPTY_COMMENT]
    if marker == seg.APP0:
        return _jfif_findings(payload)
    if marker == seg.APP1 and payload.startswith(b"Exif\x00"):
        return exif_block_findings(payload)
    if marker == seg.APP1 and payload.startswith(_XMP_SIGNATURE):
        return xmp_findings(payload[len(_XMP_SIGNATURE) :])
    if marker == seg.APP1 and payload.startswith(_XMP_EXTENSION_SIGNATURE):
        return [XMP]
    if marker == seg.APP2 and payload.startswith(b"MPF\x00"):
        return []  # the index of appended images; the images themselves are reported
    if marker == seg.APP13 and payload.startswith(PHOTOSHOP_SIGNATURE):
        return photoshop_findings(payload)
    if 0xE0 <= marker <= 0xEF and not any(
        marker == m and payload.startswith(sig) for m, sig in _HARMLESS_APP
    ):
        label = payload[:16].split(b"\x00", 1)[0].decode("latin-1", "replace")
        return [Finding("other", words.OTHER, (f"{segment.name} block {label}".strip(),))]
    return []


def _jfif_findings(payload: bytes) -> list[Finding]:
    if payload.startswith(b"JFXX\x00"):
        return [THUMBNAIL]
    if payload.startswith(b"JFIF\x00") and len(payload) >= 14 and payload[12] * payload[13]:
        return [THUMBNAIL]
    return []


def _jpeg_tail_findings(data: bytes, layout: seg.JpegLayout) -> list[Finding]:
    """Images appended after the end marker (MPF gain maps, depth maps) and other bytes."""
    if layout.end is None:
        return [Finding(DAMAGED, "the picture data ends early (truncated file)")]
    pos, images = layout.end, 0
    while data[pos : pos + 3] == b"\xff\xd8\xff" and images < _MAX_APPENDED:
        try:
            appended = seg.walk_jpeg(data, pos)
        except seg.JpegStructureError:
            break
        if appended.end is None:
            break
        images, pos = images + 1, appended.end
    findings = []
    if images:
        findings.append(Finding("secondary_image", more_pictures(images, "after the photo")))
    rest = len(data) - pos
    if rest and data[pos:].strip(b"\x00"):
        findings.append(_trailing(rest))
    return findings


# --- PNG, WebP, GIF ---------------------------------------------------------------


def _inspect_png(data: bytes) -> list[Finding]:
    findings, walk = png_findings(data)
    return findings + _walk_tail_findings(walk)


# ----------------------------------------------------------------------


def _inspect_webp(data: bytes) -> list[Finding]:
    walk = walk_riff(data)
    findings: list[Finding] = []
    for kind, payload in walk.blocks:
        if kind == "EXIF":
            findings += exif_block_findings(payload)
        elif kind == "XMP ":
            findings += xmp_findings(payload)
        elif kind == "ICCP":
            findings += icc_findings(payload)
        elif kind not in ("VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF"):
            findings.append(Finding("other", words.OTHER, (f"WebP chunk {kind.strip()}",)))
    if walk.frames > 1:
        findings.append(Finding("secondary_image", animation(walk.frames)))
    return findings + _walk_tail_findings(walk)


def _inspect_gif(data: bytes) -> list[Finding]:
    walk = walk_gif(data)
    if walk.broken:
        # Many writers leave out the one-byte trailer; nothing can hide in its absence.
        completed = walk_gif(data + b"\x3b")
        walk = walk if completed.broken else completed
    findings: list[Finding] = []
    for kind, payload in walk.blocks:
        if kind == "comment":
            text = payload.decode("utf-8", "replace")
            findings.append(Finding("comment", words.COMMENT, (text,)) if text else _EMPTY_COMMENT)
        elif kind == "text":
            text = payload.decode("latin-1")
            findings.append(Finding("text", words.OTHER_TEXT, (text,)))
        elif kind.startswith("application:XMP Data"):
            packet = _xmp_packet(data)
            findings += xmp_findings(packet) if packet else [XMP]
        elif kind.startswith("application:ICCRGBG1"):  # identifier + "012"
            findings += icc_findings(payload)
        elif kind not in ("application:NETSCAPE2.0", "application:ANIMEXTS1.0"):
            block = kind.replace("application:", "GIF block ")
            findings.append(Finding("other", words.OTHER, (block,)))
    if walk.frames > 1:
        findings.append(Finding("secondary_image", animation(walk.frames)))
    return findings + _walk_tail_findings(walk)


def _xmp_packet(data: bytes) -> bytes | None:
    """The first ``<x:xmpmeta>...</x:xmpmeta>`` in the file (GIF stores XMP raw, its bytes
    doubling as sub-block lengths). Two searches, never a regular expression, which
    would try every start tag against the rest of the file."""
    start = data.find(_XMP_START)
    end = data.find(_XMP_END, start) if start >= 0 else -1
    return None if end < 0 else data[start : end + len(_XMP_END)]


def _walk_tail_findings(walk: Walk) -> list[Finding]:
    findings = []
    if walk.broken:
        findings.append(Finding(DAMAGED, "damaged or truncated file structure"))
    if walk.trailing.strip(b"\x00"):
        findings.append(_trailing(len(walk.trailing)))
    return findings


def _trailing(size: int) -> Finding:
    return Finding("trailing_data", "extra data after the end of the picture", (f"{size} bytes",))


# --- TIFF, HEIF ---------------------------------------------------------------------


def _inspect_tiff(data: bytes) -> list[Finding]:
    tags = read_tiff(data)
    findings = tag_findings(tags, is_tiff_file=True)
    for directory in (*tags.chain, *tags.sub_ifds):  # every page and preview
        findings += _tiff_block_findings(directory)
    return findings


def _tiff_block_findings(directory: dict[int, TagValue]) -> list[Finding]:
    """The XMP, IPTC, Photoshop and colour-profile blocks a TIFF directory holds."""
    readers: dict[int, Callable[[bytes], list[Finding]]] = {
        _TIFF_XMP: xmp_findings,
        _TIFF_IPTC: iptc_findings,
        _TIFF_PHOTOSHOP: photoshop_findings,
        _TIFF_ICC: icc_findings,
    }
    findings: list[Finding] = []
    for tag, reader in readers.items():
        value = directory.get(tag)
        if value is not None:
            findings += reader(_as_bytes(value))
    return findings


def _as_bytes(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, tuple):
        return bytes(int(v) & 0xFF for v in value)
    return b""


def _inspect_heif(data: bytes) -> list[Finding]:
    from photoscreen.core.metadata.heif import heif_findings, heif_images

    images = heif_images(data)
    if isinstance(images, str):
        return heif_findings(images)
    return heif_findings(images) + _heif_profile_findings(images)


def _heif_profile_findings(images: list[Any]) -> list[Finding]:
    """The ICC profile of each image in a HEIF file (libheif lists them; no decoding)."""
    findings: list[Finding] = []
    for image in images:
        profile = image.info.get("icc_profile")
        if isinstance(profile, bytes) and profile:
            findings += icc_findings(profile)
    return findings
