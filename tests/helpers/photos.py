"""Generators of test photos in every supported format, with planted metadata.

Other test modules import these (``from tests.helpers.photos import ...``). Pictures are made
from numpy arrays (or scikit-image's public-domain sample photos), never real people.

- :func:`sample_pixels` is an asymmetric picture, so any wrong rotation or mirror shows.
- :func:`stored_for_orientation` gives the pixels a camera would store for an EXIF
  orientation, so that applying that orientation brings back the upright picture.
- ``make_*`` build file bytes; metadata builders live in :mod:`tests.helpers.photos_metadata`.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable

import numpy as np
from PIL import Image, PngImagePlugin

from tests.helpers.photos_metadata import (
    JPEG_COMMENT,
    PERSON_NAMES,
    display_p3_profile,
    exif_bytes,
    iptc_records,
    photoshop_app13,
    thumbnail_jpeg,
    xmp_packet,
)

ORIENTATIONS = (1, 2, 3, 4, 5, 6, 7, 8)
XMP_APP1_SIGNATURE = b"http://ns.adobe.com/xap/1.0/\x00"


def sample_pixels(width: int = 96, height: int = 64, seed: int = 0) -> np.ndarray:
    """A smooth, asymmetric picture: gradients, a bright block top-left, a dark bar right.

    Smooth areas survive JPEG compression well, so pixel comparisons can be tight; the
    asymmetric blocks make any wrong orientation fail them.
    """
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    image = np.stack(
        [40 + 160 * x / width, 60 + 120 * y / height, 200 - 100 * (x + y) / (width + height)],
        axis=-1,
    )
    image[: height // 3, : width // 3] = (250, 240, 40)
    image[height // 2 :, width - width // 5 :] = (20, 20, 90)
    image += rng.normal(0, 1.0, image.shape)
    pixels: np.ndarray = np.clip(image, 0, 255).astype(np.uint8)
    return pixels


def other_pixels(width: int = 96, height: int = 64) -> np.ndarray:
    """A clearly different picture (a red/blue checkerboard), for thumbnails and MPF frames."""
    y, x = np.mgrid[0:height, 0:width]
    board = ((x // 8 + y // 8) % 2).astype(bool)
    image = np.zeros((height, width, 3), np.uint8)
    image[board] = (220, 30, 30)
    image[~board] = (30, 30, 220)
    return image


def stored_for_orientation(upright: np.ndarray, orientation: int) -> np.ndarray:
    """The pixels stored with EXIF ``orientation`` that display as ``upright``."""
    undo = {
        1: lambda a: a,
        2: lambda a: a[:, ::-1],
        3: lambda a: a[::-1, ::-1],
        4: lambda a: a[::-1, :],
        5: lambda a: a.transpose(1, 0, 2),
        6: lambda a: np.rot90(a, 1),  # displayed after a 90 degree clockwise turn
        7: lambda a: np.rot90(a, 2).transpose(1, 0, 2),
        8: lambda a: np.rot90(a, -1),
    }
    stored: np.ndarray = np.ascontiguousarray(undo[orientation](upright))
    return stored


def _given(**options: object) -> dict[str, object]:
    """The save options that were given (not None), under Pillow's names."""
    return {name: value for name, value in options.items() if value is not None}


def _save(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def insert_jpeg_segment(jpeg: bytes, marker: int, payload: bytes) -> bytes:
    """``jpeg`` with one more segment right after SOI (and after JFIF APP0 if present)."""
    position = 2
    if jpeg[2:4] == b"\xff\xe0":
        position = 4 + int.from_bytes(jpeg[4:6], "big")
    segment = bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:position] + segment + jpeg[position:]


def make_jpeg(
    pixels: np.ndarray,
    *,
    exif: bytes | None = None,
    xmp: bytes | None = None,
    iptc: bytes | None = None,
    comment: str | None = None,
    icc: bytes | None = None,
    progressive: bool = False,
    cmyk: bool = False,
    quality: int = 95,
    secondary: np.ndarray | None = None,
    trailing: bytes = b"",
) -> bytes:
    """A JPEG of ``pixels`` with the given metadata; ``secondary`` adds an MPF frame."""
    image = Image.fromarray(pixels)
    if cmyk:
        image = image.convert("CMYK")
    options: dict[str, object] = {"quality": quality, "progressive": progressive}
    encoded_comment = None if comment is None else comment.encode()
    options |= _given(exif=exif, icc_profile=icc, comment=encoded_comment)
    if secondary is not None:
        options.update(save_all=True, append_images=[Image.fromarray(secondary)])
        data = _save(image, "MPO", **options)
    else:
        data = _save(image, "JPEG", **options)
    if iptc is not None:
        data = insert_jpeg_segment(data, 0xED, photoshop_app13(iptc))
    if xmp is not None:
        data = insert_jpeg_segment(data, 0xE1, XMP_APP1_SIGNATURE + xmp)
    return data + trailing


def make_png(
    pixels: np.ndarray,
    *,
    exif: bytes | None = None,
    xmp: bytes | None = None,
    text: dict[str, str] | None = None,
    icc: bytes | None = None,
    alpha: np.ndarray | None = None,
    palette: bool = False,
    trailing: bytes = b"",
) -> bytes:
    """A PNG of ``pixels`` (with an optional alpha channel) and the given metadata."""
    image = Image.fromarray(pixels)
    if alpha is not None:
        image = Image.fromarray(np.dstack([pixels, alpha]))
    if palette:
        image = image.convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value, zip=len(value) > 40)
    if xmp is not None:
        info.add_itxt("XML:com.adobe.xmp", xmp.decode())
    options: dict[str, object] = {"pnginfo": info}
    if exif is not None:
        options["exif"] = exif[6:] if exif.startswith(b"Exif\x00\x00") else exif
    if icc is not None:
        options["icc_profile"] = icc
    return _save(image, "PNG", **options) + trailing


def make_png16(pixels: np.ndarray) -> bytes:
    """A 16-bit RGB PNG whose 8-bit value is ``pixels`` (low bytes vary)."""
    import cv2

    wide = pixels.astype(np.uint16) * 257
    ok, encoded = cv2.imencode(".png", np.ascontiguousarray(wide[:, :, ::-1]))
    assert ok
    return encoded.tobytes()


def make_webp(
    pixels: np.ndarray,
    *,
    exif: bytes | None = None,
    xmp: bytes | None = None,
    icc: bytes | None = None,
    lossless: bool = True,
) -> bytes:
    options = {"lossless": lossless, "quality": 95, **_given(exif=exif, xmp=xmp, icc_profile=icc)}
    return _save(Image.fromarray(pixels), "WEBP", **options)


def make_heic(
    pixels: np.ndarray,
    *,
    exif: bytes | None = None,
    xmp: bytes | None = None,
    icc: bytes | None = None,
    thumbnail: bool = False,
) -> bytes:
    """A HEIC (x265, high quality) carrying the given metadata and an optional thumbnail."""
    import pillow_heif

    heif = pillow_heif.from_pillow(Image.fromarray(pixels))
    options = {"quality": 95, **_given(exif=exif, xmp=xmp, icc_profile=icc)}
    if thumbnail:
        options["thumbnails"] = [32]
    out = io.BytesIO()
    heif.save(out, format="HEIF", **options)
    return out.getvalue()


def make_tiff(
    pixels: np.ndarray,
    *,
    exif: bytes | None = None,
    xmp: bytes | None = None,
    icc: bytes | None = None,
    extra_page: np.ndarray | None = None,
) -> bytes:
    """An uncompressed TIFF; EXIF tags (incl. orientation, GPS) merged into its IFD0."""
    image = Image.fromarray(pixels)
    options: dict[str, object] = {}
    tags = Image.Exif()
    if exif is not None:
        tags.load(exif)
    if xmp is not None:
        tags[700] = xmp  # TIFF tag 700 holds the XMP packet
    options["exif"] = tags
    if icc is not None:
        options["icc_profile"] = icc
    if extra_page is not None:
        options.update(save_all=True, append_images=[Image.fromarray(extra_page)])
    return _save(image, "TIFF", **options)


# TIFF field types used by make_paged_tiff: BYTE, SHORT, LONG, UNDEFINED.
_TIFF_TYPES = {1: ("B", 1), 3: ("H", 2), 4: ("I", 4), 7: ("B", 1)}
TiffTags = dict[int, tuple[int, tuple[int, ...] | bytes]]


def make_paged_tiff(
    pages: list[tuple[np.ndarray, TiffTags]],
    sub_ifds: list[tuple[np.ndarray, TiffTags]] | None = None,
) -> bytes:
    """A little-endian TIFF written by hand, one IFD per page, each with its own tags.

    Pillow's writer gives every page the same extra tags, so it cannot put a preview
    (NewSubfileType 1) in front of a full page. Each page is (RGB pixels, extra tags),
    tags as ``{tag: (type, values)}`` with ``bytes`` for BYTE/UNDEFINED blocks; the extra
    tags override the defaults (e.g. Photometric for a raw sensor page). ``sub_ifds`` hang
    from the first page by a SubIFDs tag, where NEF and DNG files keep their raw images.
    """
    out = bytearray(b"II*\x00\x00\x00\x00\x00")
    sub_offsets = tuple(_append_tiff_page(out, pixels, tags) for pixels, tags in sub_ifds or [])
    link = 4  # where the offset of the next IFD goes: the header first
    for index, (pixels, tags) in enumerate(pages):
        if index == 0 and sub_offsets:
            tags = {**tags, 330: (4, sub_offsets)}
        offset = _append_tiff_page(out, pixels, tags)
        struct.pack_into("<I", out, link, offset)
        link = len(out) - 4
    return bytes(out)


def _append_tiff_page(out: bytearray, pixels: np.ndarray, tags: TiffTags) -> int:
    """Append a page's strip, its long values and its IFD; returns the IFD's offset."""
    height, width = pixels.shape[:2]
    strip = np.ascontiguousarray(pixels, dtype=np.uint8).tobytes()
    strip_at = len(out)
    out += strip + b"\x00" * (len(strip) % 2)
    entries: TiffTags = {
        256: (4, (width,)),
        257: (4, (height,)),
        258: (3, (8, 8, 8)),
        259: (3, (1,)),
        262: (3, (2,)),
        273: (4, (strip_at,)),
        277: (3, (3,)),
        278: (4, (height,)),
        279: (4, (len(strip),)),
        284: (3, (1,)),
        **tags,
    }
    fields = []
    for tag, (kind, values) in sorted(entries.items()):
        letter, size = _TIFF_TYPES[kind]
        raw = (
            values if isinstance(values, bytes) else struct.pack(f"<{len(values)}{letter}", *values)
        )
        if len(raw) > 4:
            value = struct.pack("<I", len(out))
            out += raw + b"\x00" * (len(raw) % 2)
        else:
            value = raw.ljust(4, b"\x00")
        fields.append(struct.pack("<HHI", tag, kind, len(raw) // size) + value)
    ifd_at = len(out)
    out += struct.pack("<H", len(fields)) + b"".join(fields) + b"\x00\x00\x00\x00"
    return ifd_at


def make_gif(
    pixels: np.ndarray,
    *,
    comment: str | None = None,
    frames: list[np.ndarray] | None = None,
    xmp: bytes | None = None,
) -> bytes:
    image = Image.fromarray(pixels).convert("P", palette=Image.Palette.ADAPTIVE, colors=255)
    options: dict[str, object] = {}
    if comment is not None:
        options["comment"] = comment.encode()
    if frames:
        options.update(save_all=True, append_images=[Image.fromarray(f) for f in frames])
    data = _save(image, "GIF", **options)
    if xmp is not None:
        data = _insert_gif_xmp(data, xmp)
    return data


# The generator for each format, keyed by the format name the loader reports.
BUILDERS: dict[str, Callable[..., bytes]] = {
    "jpeg": make_jpeg,
    "png": make_png,
    "webp": make_webp,
    "heif": make_heic,
    "tiff": make_tiff,
    "gif": make_gif,
}


def _insert_gif_xmp(gif: bytes, xmp: bytes) -> bytes:
    """Add an "XMP DataXMP" application extension before the trailer (Adobe's layout)."""
    magic_trailer = b"\x01" + bytes(range(255, -1, -1)) + b"\x00"
    block = b"\x21\xff\x0bXMP DataXMP" + xmp + magic_trailer
    assert gif.endswith(b"\x3b")
    return gif[:-1] + block + b"\x3b"


def everything_exif(pixels: np.ndarray, orientation: int | None = None) -> bytes:
    """EXIF with every planted kind, including a thumbnail of a different picture."""
    return exif_bytes(
        orientation=orientation,
        gps=True,
        camera=True,
        serial=True,
        owner=True,
        datetime=True,
        software=True,
        comment=True,
        makernote=True,
        thumbnail=thumbnail_jpeg(other_pixels(pixels.shape[1], pixels.shape[0])),
    )


def loaded_photo(fmt: str, pixels: np.ndarray, orientation: int = 1) -> bytes:
    """A photo in ``fmt`` stored with ``orientation`` and carrying every kind of metadata
    the format can hold; decoding it upright must give back ``pixels``."""
    stored = stored_for_orientation(pixels, orientation)
    exif = everything_exif(stored, orientation)
    xmp = xmp_packet(names=PERSON_NAMES, gps=True, creator="Carol Photographer")
    if fmt == "jpeg":
        iptc = iptc_records(byline="Carol", caption="Frank at stay-and-play", keywords=("Grace",))
        return make_jpeg(
            stored,
            exif=exif,
            xmp=xmp,
            iptc=iptc,
            comment=JPEG_COMMENT,
            secondary=other_pixels(16, 16),
            trailing=b"TRAILING-SECRET",
        )
    if fmt == "png":
        return make_png(stored, exif=exif, xmp=xmp, text={"Author": "Carol"})
    if fmt == "webp":
        return make_webp(stored, exif=exif, xmp=xmp)
    if fmt == "heif":
        return make_heic(stored, exif=exif, xmp=xmp, thumbnail=True)
    if fmt == "tiff":
        return make_tiff(stored, exif=exif, xmp=xmp, extra_page=other_pixels(16, 16))
    if fmt == "gif":
        return make_gif(pixels, comment=JPEG_COMMENT, xmp=xmp)
    raise ValueError(fmt)


__all__ = [
    "BUILDERS",
    "ORIENTATIONS",
    "display_p3_profile",
    "everything_exif",
    "insert_jpeg_segment",
    "loaded_photo",
    "make_gif",
    "make_heic",
    "make_jpeg",
    "make_paged_tiff",
    "make_png",
    "make_png16",
    "make_tiff",
    "make_webp",
    "other_pixels",
    "sample_pixels",
    "stored_for_orientation",
]
