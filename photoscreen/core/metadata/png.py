"""Findings from PNG chunks: text, EXIF, times, colour profiles and chunks we do not know.

Only the standard chunks that describe the picture itself (size, palette, pixels, colour
and animation) are passed over. Every other chunk is reported: a private chunk
("prVt", Apple's "iDOT", old "zxIf" EXIF) can hold anything, and decoders skip them, so
a name in one would otherwise leave with the file unseen.
"""

from __future__ import annotations

import zlib

from photoscreen.core.formats import Walk, find_tiff_header, walk_png
from photoscreen.core.metadata import findings as words
from photoscreen.core.metadata.exif import exif_block_findings
from photoscreen.core.metadata.findings import Finding, animation, date_words, too_large
from photoscreen.core.metadata.icc_names import icc_findings
from photoscreen.core.metadata.iptc import iptc_findings, photoshop_findings
from photoscreen.core.metadata.xmp import xmp_findings

# Chunks that describe only the picture: its layout, pixels, colour and animation frames.
_PICTURE_CHUNKS = frozenset(
    {"IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "sBIT", "bKGD"}
    | {"pHYs", "hIST", "cICP", "mDCv", "cLLi", "acTL", "fcTL", "fdAT"}
)
# Chunks that held EXIF before eXIf was standardised (2017).
_OLD_EXIF_CHUNKS = frozenset({"exIf", "zxIf", "zXIf"})
# PNG's registered text keywords that say what other readers say: merged with them.
_TEXT_MEANINGS = {
    "author": ("owner", words.PHOTOGRAPHER),
    "copyright": ("owner", words.COPYRIGHT),
    "title": ("comment", words.TITLE),
    "description": ("comment", words.CAPTION),
    "comment": ("comment", words.COMMENT),
    "creation time": ("datetime", words.TAKEN),
    "software": ("software", words.SOFTWARE),
}
_MAX_TEXT_INFLATE = 1024 * 1024
_MAX_PROFILE_INFLATE = 16 * 1024 * 1024
# For the whole file: a kilobyte of zTXt can inflate to a megabyte, and a file can hold
# thousands of such chunks.
_MAX_FILE_INFLATE = 64 * 1024 * 1024


class _Inflater:
    """Inflates a file's compressed chunks from one budget; notes when it ran out."""

    def __init__(self) -> None:
        self.left = _MAX_FILE_INFLATE
        self.ran_out = False

    def inflate(self, data: bytes, limit: int) -> bytes:
        """``data`` inflated up to ``limit`` bytes (and what is left of the budget)."""
        allowed = min(limit, self.left)
        if allowed <= 0:  # (zlib reads a limit of 0 as "no limit")
            self.ran_out = self.ran_out or bool(data)
            return b""
        inflater = zlib.decompressobj()
        try:
            out = inflater.decompress(data, allowed)
        except zlib.error:
            return b"(unreadable compressed text)"
        self.left -= len(out)
        # Output that filled what was left of the budget (not the chunk's own limit) may
        # have been cut short.
        self.ran_out = self.ran_out or (allowed < limit and len(out) == allowed)
        return out


def png_findings(data: bytes) -> tuple[list[Finding], Walk]:
    """Findings for every chunk of a PNG file, and the walk of its chunks."""
    walk = walk_png(data)
    findings: list[Finding] = []
    inflater = _Inflater()
    for kind, payload in walk.blocks:
        findings += _chunk_findings(kind, payload, inflater)
    if walk.named("acTL"):
        frames = len(walk.named("fcTL"))
        findings.append(Finding("secondary_image", animation(frames)))
    if inflater.ran_out:
        findings.append(
            too_large(f"compressed text expanding to over {_MAX_FILE_INFLATE >> 20} MB")
        )
    return findings, walk


def _chunk_findings(kind: str, payload: bytes, inflater: _Inflater) -> list[Finding]:
    if kind in _PICTURE_CHUNKS:
        return []
    if kind == "eXIf":
        return exif_block_findings(payload)
    if kind == "tIME":
        return [Finding("datetime", words.CHANGED, _png_time(payload))]
    if kind in ("tEXt", "zTXt", "iTXt"):
        keyword, text = _png_text(kind, payload, inflater)
        return _text_findings(keyword, text)
    if kind == "iCCP":
        return _profile_findings(payload, inflater)
    if kind == "caBX":
        return [Finding("other", "content credentials (C2PA: can name people and edits)")]
    findings = [Finding("other", words.OTHER, (f"PNG chunk {kind}",))]
    if kind in _OLD_EXIF_CHUNKS and find_tiff_header(payload) is not None:
        findings += exif_block_findings(payload)
    return findings


def _png_text(kind: str, payload: bytes, inflater: _Inflater) -> tuple[str, bytes]:
    keyword, _, rest = payload.partition(b"\x00")
    name = keyword.decode("latin-1")
    if kind == "tEXt":
        return name, rest
    if kind == "zTXt":
        return name, inflater.inflate(rest[1:], _MAX_TEXT_INFLATE)
    compressed = rest[:1] == b"\x01"
    # iTXt: flag, method, language\0, translated keyword\0, text
    parts = rest[2:].split(b"\x00", 2)
    text = parts[2] if len(parts) == 3 else b""
    return name, inflater.inflate(text, _MAX_TEXT_INFLATE) if compressed else text


def _text_findings(keyword: str, text: bytes) -> list[Finding]:
    if keyword == "XML:com.adobe.xmp":
        return xmp_findings(text)
    if keyword.startswith("Raw profile type"):
        return _raw_profile_findings(keyword, text)
    shown = text.decode("utf-8", "replace")
    kind, what = _TEXT_MEANINGS.get(keyword.strip().casefold(), ("text", ""))
    if what:
        return [Finding(kind, what, (date_words(shown) if kind == "datetime" else shown,))]
    return [Finding("text", words.OTHER_TEXT, (f"{keyword}: {shown}",))]


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
    return [Finding("text", words.OTHER_TEXT, (keyword,))]


def _profile_findings(payload: bytes, inflater: _Inflater) -> list[Finding]:
    """iCCP: a profile name, a compression method byte, then the compressed profile."""
    name, _, rest = payload.partition(b"\x00")
    profile = inflater.inflate(rest[1:], _MAX_PROFILE_INFLATE)
    return icc_findings(profile, png_name=name.decode("latin-1"))


def _png_time(payload: bytes) -> tuple[str, ...]:
    """tIME: year (2 bytes), month, day, hour, minute, second."""
    if len(payload) < 7:
        return ()
    year = int.from_bytes(payload[:2], "big")
    month, day, hour, minute = payload[2:6]
    return (date_words(f"{year:04d}:{month:02d}:{day:02d} {hour:02d}:{minute:02d}"),)
