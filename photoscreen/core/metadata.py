"""What identifying data a photo file carries, in plain words, for any supported format.

Staff see this before export ("what will be removed") and ``photoscreen verify`` reports
it for files about to be uploaded. Each container is walked with our own parser (JPEG
segments, PNG chunks, RIFF chunks, GIF blocks, TIFF directories), so data a decoder skips
is still seen; HEIF's box structure is read through libheif.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

from photoscreen.core import jpeg_segments as seg
from photoscreen.core.containers import Walk, walk_gif, walk_png, walk_riff
from photoscreen.core.findings import Finding, quoted, summarize
from photoscreen.core.formats import sniff_format
from photoscreen.core.metadata_exif import exif_block_findings, tag_findings
from photoscreen.core.metadata_iptc import PHOTOSHOP_SIGNATURE, iptc_findings, photoshop_findings
from photoscreen.core.metadata_xmp import xmp_findings
from photoscreen.core.tiff_ifd import read_tiff

__all__ = ["Finding", "inspect_metadata", "summarize"]

_XMP_SIGNATURE = b"http://ns.adobe.com/xap/1.0/\x00"
_XMP_EXTENSION_SIGNATURE = b"http://ns.adobe.com/xmp/extension/\x00"
_XMP_PACKET = re.compile(rb"<x:xmpmeta.*?</x:xmpmeta>", re.DOTALL)
# APPn blocks that describe only how to decode (JFIF, ICC, Adobe colour transform).
_HARMLESS_APP = ((seg.APP2, b"ICC_PROFILE\x00"), (seg.APP14, b"Adobe"))
_MAX_TEXT_INFLATE = 1024 * 1024
_TIFF_XMP, _TIFF_IPTC, _TIFF_PHOTOSHOP = 700, 33723, 34377


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


def _merge(findings: list[Finding]) -> list[Finding]:
    """Drop duplicates, and the bare "XMP/IPTC/EXIF data" notes when details exist."""
    unique: list[Finding] = []
    for finding in findings:
        if finding not in unique:
            unique.append(finding)
    return unique


# --- JPEG ---------------------------------------------------------------------------


def _inspect_jpeg(data: bytes) -> list[Finding]:
    try:
        layout = seg.walk_jpeg(data)
    except seg.JpegStructureError as error:
        return [Finding("other", f"damaged JPEG structure ({error})")]
    findings: list[Finding] = []
    for segment in layout.segments:
        findings += _jpeg_segment_findings(segment)
    findings += _jpeg_tail_findings(data, layout)
    return findings


def _jpeg_segment_findings(segment: seg.Segment) -> list[Finding]:
    marker, payload = segment.marker, segment.payload
    if marker == seg.COM:
        text = payload.decode("utf-8", "replace").strip("\x00 ")
        return [Finding("comment", f"comment {quoted(text)}" if text else "empty comment")]
    if marker == seg.APP0:
        return _jfif_findings(payload)
    if marker == seg.APP1 and payload.startswith(b"Exif\x00"):
        return exif_block_findings(payload)
    if marker == seg.APP1 and payload.startswith(_XMP_SIGNATURE):
        return xmp_findings(payload[len(_XMP_SIGNATURE) :])
    if marker == seg.APP1 and payload.startswith(_XMP_EXTENSION_SIGNATURE):
        return [Finding("xmp", "extended XMP metadata")]
    if marker == seg.APP2 and payload.startswith(b"MPF\x00"):
        return []  # the index of appended images; the images themselves are reported
    if marker == seg.APP13 and payload.startswith(PHOTOSHOP_SIGNATURE):
        return photoshop_findings(payload)
    if 0xE0 <= marker <= 0xEF and not any(
        marker == m and payload.startswith(sig) for m, sig in _HARMLESS_APP
    ):
        label = payload[:16].split(b"\x00", 1)[0].decode("latin-1", "replace")
        return [Finding("other", f"{segment.name} data {quoted(label)}")]
    return []


def _jfif_findings(payload: bytes) -> list[Finding]:
    if payload.startswith(b"JFXX\x00"):
        return [Finding("thumbnail", "1 embedded thumbnail (JFIF extension)")]
    if payload.startswith(b"JFIF\x00") and len(payload) >= 14 and payload[12] * payload[13]:
        return [Finding("thumbnail", "1 embedded thumbnail (JFIF)")]
    return []


def _jpeg_tail_findings(data: bytes, layout: seg.JpegLayout) -> list[Finding]:
    """Images appended after the end marker (MPF gain maps, depth maps) and other bytes."""
    if layout.end is None:
        return [Finding("other", "the picture data ends early (truncated file)")]
    pos, images = layout.end, 0
    while data[pos : pos + 3] == b"\xff\xd8\xff":
        try:
            appended = seg.walk_jpeg(data, pos)
        except seg.JpegStructureError:
            break
        if appended.end is None:
            break
        images, pos = images + 1, appended.end
    findings = []
    if images:
        findings.append(Finding("secondary_image", f"{images} secondary image(s) after the photo"))
    rest = len(data) - pos
    if rest and data[pos:].strip(b"\x00"):
        findings.append(Finding("trailing_data", f"{rest} bytes after the end of the image"))
    return findings


# --- PNG ----------------------------------------------------------------------------


def _inspect_png(data: bytes) -> list[Finding]:
    walk = walk_png(data)
    findings: list[Finding] = []
    for kind, payload in walk.blocks:
        findings += _png_chunk_findings(kind, payload)
    if walk.named("acTL"):
        frames = len(walk.named("fcTL"))
        findings.append(Finding("secondary_image", f"animation with {frames} frames"))
    return findings + _walk_tail_findings(walk)


def _png_chunk_findings(kind: str, payload: bytes) -> list[Finding]:
    if kind == "eXIf":
        return exif_block_findings(payload)
    if kind == "tIME":
        return [Finding("datetime", "PNG modification time")]
    if kind in ("tEXt", "zTXt", "iTXt"):
        keyword, text = _png_text(kind, payload)
        return _png_text_findings(keyword, text)
    return []


def _png_text(kind: str, payload: bytes) -> tuple[str, bytes]:
    keyword, _, rest = payload.partition(b"\x00")
    name = keyword.decode("latin-1")
    if kind == "tEXt":
        return name, rest
    if kind == "zTXt":
        return name, _inflate(rest[1:])
    compressed = rest[:1] == b"\x01"
    # iTXt: flag, method, language\0, translated keyword\0, text
    parts = rest[2:].split(b"\x00", 2)
    text = parts[2] if len(parts) == 3 else b""
    return name, _inflate(text) if compressed else text


def _png_text_findings(keyword: str, text: bytes) -> list[Finding]:
    if keyword == "XML:com.adobe.xmp":
        return xmp_findings(text)
    if keyword.startswith("Raw profile type"):
        return _raw_profile_findings(keyword, text)
    shown = text.decode("utf-8", "replace")
    return [Finding("text", f"PNG text {keyword!r} {quoted(shown)}")]


def _raw_profile_findings(keyword: str, text: bytes) -> list[Finding]:
    """ImageMagick's hex-encoded "Raw profile type exif/iptc/xmp" text chunks."""
    lines = text.strip().split(b"\n", 2)
    try:
        raw = bytes.fromhex(lines[2].decode("ascii")) if len(lines) == 3 else b""
    except ValueError:
        raw = b""
    profile = keyword.rsplit(" ", 1)[-1].lower()
    if profile in ("exif", "app1") and raw:
        return exif_block_findings(raw)
    if profile == "iptc" and raw:
        return iptc_findings(raw) if raw[:1] == b"\x1c" else photoshop_findings(raw)
    if profile == "xmp" and raw:
        return xmp_findings(raw)
    return [Finding("text", f"PNG text {keyword!r}")]


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(data, _MAX_TEXT_INFLATE)
    except zlib.error:
        return b"(unreadable compressed text)"


# --- WebP, GIF ----------------------------------------------------------------------


def _inspect_webp(data: bytes) -> list[Finding]:
    walk = walk_riff(data)
    findings: list[Finding] = []
    for kind, payload in walk.blocks:
        if kind == "EXIF":
            findings += exif_block_findings(payload)
        elif kind == "XMP ":
            findings += xmp_findings(payload)
        elif kind not in ("VP8 ", "VP8L", "VP8X", "ALPH", "ICCP", "ANIM", "ANMF"):
            findings.append(Finding("other", f"unknown WebP chunk {kind.strip()!r}"))
    if walk.frames > 1:
        findings.append(Finding("secondary_image", f"animation with {walk.frames} frames"))
    return findings + _walk_tail_findings(walk)


def _inspect_gif(data: bytes) -> list[Finding]:
    walk = walk_gif(data)
    findings: list[Finding] = []
    for kind, payload in walk.blocks:
        if kind == "comment":
            text = payload.decode("utf-8", "replace")
            findings.append(Finding("comment", f"comment {quoted(text)}"))
        elif kind == "text":
            findings.append(Finding("text", f"GIF text {quoted(payload.decode('latin-1'))}"))
        elif kind.startswith("application:XMP Data"):
            packet = _XMP_PACKET.search(data)
            findings += (
                xmp_findings(packet.group(0)) if packet else [Finding("xmp", "XMP metadata")]
            )
        elif kind not in (
            "application:NETSCAPE2.0",
            "application:ANIMEXTS1.0",
            "application:ICCRGBG1",
        ):
            findings.append(Finding("other", f"GIF {kind.replace(':', ' block ')}"))
    if walk.frames > 1:
        findings.append(Finding("secondary_image", f"{walk.frames - 1} more frame(s)"))
    return findings + _walk_tail_findings(walk)


def _walk_tail_findings(walk: Walk) -> list[Finding]:
    findings = []
    if walk.broken:
        findings.append(Finding("other", "damaged or truncated file structure"))
    if walk.trailing.strip(b"\x00"):
        findings.append(
            Finding("trailing_data", f"{len(walk.trailing)} bytes after the end of the image")
        )
    return findings


# --- TIFF, HEIF ---------------------------------------------------------------------


def _inspect_tiff(data: bytes) -> list[Finding]:
    tags = read_tiff(data)
    findings = tag_findings(tags, is_tiff_file=True)
    ifd0 = tags.ifd0
    xmp = ifd0.get(_TIFF_XMP)
    if xmp is not None:
        findings += xmp_findings(_as_bytes(xmp))
    iptc = ifd0.get(_TIFF_IPTC)
    if iptc is not None:
        findings += iptc_findings(_as_bytes(iptc))
    photoshop = ifd0.get(_TIFF_PHOTOSHOP)
    if photoshop is not None:
        findings += photoshop_findings(_as_bytes(photoshop))
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
    from photoscreen.core.heif_metadata import heif_findings

    return heif_findings(data)
