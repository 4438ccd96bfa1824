"""Recognising a file's format from its bytes, never from its name.

A photo called ``IMG_0001.JPG`` may really be a HEIC (iPhones set to "most compatible"
still produce these when files are renamed), and a ``.jpg`` may be a PDF or a video.
The format decides which decoder may look at the bytes, so it is read from the content.
Camera raw files are recognised here too, though most are TIFF inside: what a TIFF
reader sees of them is only a preview (see :mod:`photoscreen.core.formats.tiff_pages`).
"""

from __future__ import annotations

from photoscreen.core.formats.tiff_pages import is_camera_raw

SUPPORTED_FORMATS = ("jpeg", "png", "webp", "heif", "tiff", "gif")
CANON_RAW = "unsupported format: camera raw (Canon CR2)"
CAMERA_RAW = "unsupported format: camera raw (DNG, NEF, ARW...)"

# ISO base media "ftyp" brands that are HEIF still images (HEVC-coded or generic).
_HEIF_BRANDS = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
)
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_VIDEO_BRANDS = frozenset(
    {b"qt  ", b"isom", b"iso2", b"mp41", b"mp42", b"M4V ", b"3gp4", b"3gp5", b"3g2a", b"avc1"}
)

# Magic numbers of common files that are not supported photos, to name them in the reason.
_OTHER_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "not an image (looks like a PDF)"),
    (b"PK\x03\x04", "not an image (looks like a ZIP archive or Office document)"),
    (b"\xd0\xcf\x11\xe0", "not an image (looks like an old Office document)"),
    (b"BM", "unsupported format: BMP"),
    (b"8BPS", "unsupported format: Photoshop PSD"),
    (b"\x00\x00\x00\x0cjP  ", "unsupported format: JPEG 2000"),
    (b"\xff\x4f\xff\x51", "unsupported format: JPEG 2000"),
    (b"\x00\x00\x01\x00", "unsupported format: Windows icon"),
    (b"\x1a\x45\xdf\xa3", "not an image (looks like a video: MKV/WebM)"),
    (b"FUJIFILMCCD-RAW", "unsupported format: camera raw (Fujifilm RAF)"),
    (b"ID3", "not an image (looks like an MP3 audio file)"),
    (b"Rar!", "not an image (looks like a RAR archive)"),
    (b"\x1f\x8b", "not an image (looks like a gzip archive)"),
    (b"7z\xbc\xaf", "not an image (looks like a 7-Zip archive)"),
    (b"\x7fELF", "not an image (looks like a program)"),
    (b"MZ", "not an image (looks like a Windows program)"),
)


def sniff_format(data: bytes) -> str | None:
    """The supported format the bytes are in (one of ``SUPPORTED_FORMATS``), else ``None``."""
    head = bytes(data[:32])
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        # Canon CR2 raw files are TIFF containers whose first image is a small preview;
        # other raw formats say so in their tags (DNGVersion, raw sensor images).
        return None if head[8:10] == b"CR" or is_camera_raw(data) else "tiff"
    if _ftyp_brands(data) & _HEIF_BRANDS and not _is_avif(data):
        return "heif"
    return None


def describe_unsupported(data: bytes) -> str:
    """A plain-words reason for bytes that :func:`sniff_format` did not accept."""
    head = bytes(data[:64])
    if not head:
        return "the file is empty"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return CANON_RAW if head[8:10] == b"CR" else CAMERA_RAW
    brands = _ftyp_brands(data)
    if brands:
        if _is_avif(data):
            return "unsupported format: AVIF"
        if brands & _VIDEO_BRANDS:
            return "not an image (looks like a video: MP4/MOV)"
        return "unsupported format: an MP4-family file that is not a HEIC photo"
    if head.startswith(b"RIFF"):
        kind = head[8:12].decode("latin-1").strip() or "unknown"
        return f"not an image (a RIFF file of type {kind}, e.g. a video or sound)"
    for signature, reason in _OTHER_SIGNATURES:
        if head.startswith(signature):
            return reason
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<svg", b"<?xml")):
        return "unsupported format: SVG or other XML"
    if stripped.startswith((b"<!doctype html", b"<html")):
        return "not an image (looks like a web page)"
    if _looks_like_text(head):
        return "not an image (looks like a text file)"
    return "not an image (the file's contents are not a known picture format)"


def _ftyp_brands(data: bytes) -> set[bytes]:
    """Major and compatible brands of an ISO base media file's leading ``ftyp`` box."""
    if len(data) < 16 or data[4:8] != b"ftyp":
        return set()
    size = int.from_bytes(data[0:4], "big")
    size = min(max(size, 16), len(data), 256)
    brands = {bytes(data[8:12])}
    brands.update(bytes(data[i : i + 4]) for i in range(16, size - 3, 4))
    return brands


def _is_avif(data: bytes) -> bool:
    return bytes(data[8:12]) in _AVIF_BRANDS


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\r\n\t" for ch in text)
