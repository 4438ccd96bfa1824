"""Reading photo files safely and decoding them to upright sRGB pixels.

Every photo enters photoscreen through here, so this module is where bad input is turned
into a plain-words reason (:class:`UnreadablePhoto`) instead of a crash, and where the
three things that make pixels "right" happen exactly once: orientation (as
:mod:`photoscreen.core.imaging.upright` decides it, for this decode and for :func:`probe_photo`
alike), conversion of wide-gamut colour (Display P3 from iPhones, Adobe RGB, CMYK, HEIF
colour given as nclx code points) to sRGB, and flattening of transparency onto white.
Only the primary image is used: iPhone JPEGs carry gain maps as extra MPF frames, HEICs
carry thumbnails and depth maps, and some TIFFs put a small preview before the photo (see
:mod:`photoscreen.core.formats.tiff_pages`), none of which is it. The pixel limit is checked on
the image used, from its header, before anything is decoded.

Originals are opened read-only and never modified (README rule 5).
"""

from __future__ import annotations

import functools
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Concatenate, ParamSpec, TypeVar

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageCms, ImageFile, TiffImagePlugin, UnidentifiedImageError

from photoscreen.core.formats import (
    SUPPORTED_FORMATS,
    JpegStructureError,
    describe_unsupported,
    seek_primary_page,
    sniff_format,
    walk_jpeg,
    walk_png,
)
from photoscreen.core.imaging import colour
from photoscreen.core.imaging.jpeg_fast import decode_plain_jpeg
from photoscreen.core.imaging.photo_file import (
    DEFAULT_MAX_BYTES as DEFAULT_MAX_BYTES,
)
from photoscreen.core.imaging.photo_file import UnreadablePhoto as UnreadablePhoto
from photoscreen.core.imaging.photo_file import photo_hash as photo_hash
from photoscreen.core.imaging.photo_file import read_photo_file as read_photo_file
from photoscreen.core.imaging.upright import GeometryMismatch, Upright, upright_geometry

__all__ = [
    "SUPPORTED_FORMATS",
    "DecodedPhoto",
    "UnreadablePhoto",
    "decode_photo",
    "photo_hash",
    "probe_photo",
    "read_photo_file",
    "sniff_format",
]

DEFAULT_MAX_PIXELS = 100_000_000
TRUNCATED = "the file is truncated (the picture data ends early)"
ONLY_PREVIEWS = (
    "unsupported format: a TIFF holding only reduced-size previews, not the full picture"
)
GEOMETRY_UNCLEAR = (
    "the picture's size does not match its orientation data, so faces could not be placed "
    "on it safely"
)

# The Pillow plugin that may read each format; nothing else is allowed to look at the bytes.
_PILLOW_FORMATS = {
    "jpeg": "JPEG",
    "png": "PNG",
    "webp": "WEBP",
    "heif": "HEIF",
    "tiff": "TIFF",
    "gif": "GIF",
}
# What Pillow raises for damaged data, depending on the plugin and where it fails.
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, IndexError, KeyError, TypeError)
NOT_ENOUGH_MEMORY = "too large to decode: there is not enough memory for its picture"

log = logging.getLogger(__name__)
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _failures_unreadable(
    decode: Callable[Concatenate[bytes, _P], _R],
) -> Callable[Concatenate[bytes, _P], _R]:
    """Whatever decoding ``data`` raises becomes :class:`UnreadablePhoto`.

    Decoding hands hostile bytes to C libraries (Pillow's plugins, libjpeg-turbo through
    simplejpeg, libheif through pillow-heif, LittleCMS, OpenCV) whose exceptions differ
    by library and by version: pillow-heif raised ``RuntimeError`` for a HEIC whose
    declared size is smaller than its coded picture, which escaped the errors mapped
    where each library is called, so ``verify`` printed a traceback and stopped. Here,
    at the loader's boundary, any of them is "cannot be read" with its message; those
    of an unexpected type are logged with their traceback for whoever looks into it.
    """

    @functools.wraps(decode)
    def guarded(data: bytes, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return decode(data, *args, **kwargs)
        except UnreadablePhoto:
            raise
        except MemoryError:
            raise UnreadablePhoto(NOT_ENOUGH_MEMORY) from None
        except Exception as error:  # the library boundary: see the docstring
            if not isinstance(error, _DECODE_ERRORS):
                log.warning("decoding failed with %s", type(error).__name__, exc_info=True)
            raise UnreadablePhoto(_damage_reason(sniff_format(data) or "image", error)) from None

    return guarded


@dataclass(frozen=True)
class DecodedPhoto:
    """Upright sRGB pixels of a photo's primary image.

    ``pixels`` is a read-only H x W x 3 uint8 RGB array, possibly smaller than the photo
    (see :func:`decode_photo`); ``full_width`` x ``full_height`` is the upright size at full
    resolution, the coordinate system of face boxes.
    """

    pixels: npt.NDArray[np.uint8]
    full_width: int
    full_height: int
    format: str

    @property
    def scale(self) -> float:
        """Width of ``pixels`` divided by the full width (1.0 at full size)."""
        return float(self.pixels.shape[1]) / self.full_width


@_failures_unreadable
def decode_photo(
    data: bytes, *, min_long_side: int | None = None, max_pixels: int = DEFAULT_MAX_PIXELS
) -> DecodedPhoto:
    """Decode the primary image to upright sRGB pixels, or raise :class:`UnreadablePhoto`.

    With ``min_long_side=None`` the pixels are full resolution. With a number the decoder
    may work at a reduced size (JPEG DCT scaling, or a box reduction for other formats),
    but the result's long side stays at least ``min_long_side`` (or the full size when the
    photo is smaller), so one decode serves thumbnails and face detection.
    """
    photo, profile = decode_photo_in_own_colours(
        data, min_long_side=min_long_side, max_pixels=max_pixels
    )
    if profile is None:
        return photo
    return replace(photo, pixels=_read_only(colour.pixels_to_srgb(photo.pixels, profile)))


@_failures_unreadable
def decode_photo_in_own_colours(
    data: bytes, *, min_long_side: int | None = None, max_pixels: int = DEFAULT_MAX_PIXELS
) -> tuple[DecodedPhoto, bytes | None]:
    """Like :func:`decode_photo`, but RGB pixels stay in the photo's own colour space.

    Returns the photo and the ICC profile that converts its pixels to sRGB (``None``
    when they are sRGB already; for a HEIF with nclx colour, a profile made from it);
    convert with :func:`colour.pixels_to_srgb`. Export uses this to convert after
    resizing: the conversion is per pixel, so a 2048 px export converts a quarter of the
    pixels of a 12-megapixel photo.
    """
    opened, fmt, upright = _open_photo(data, max_pixels)
    decoded = decode_plain_jpeg(data, opened, min_long_side) if fmt == "jpeg" else None
    pixels, profile = decoded or _decode_with_pillow(opened, fmt, min_long_side)
    turned = upright.turn(pixels)
    try:
        upright.check(turned)
    except GeometryMismatch:
        # Never hand on pixels whose face boxes would be kept in another frame.
        raise UnreadablePhoto(GEOMETRY_UNCLEAR) from None
    return DecodedPhoto(_read_only(turned), upright.width, upright.height, fmt), profile


@_failures_unreadable
def probe_photo(data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> tuple[Upright, str]:
    """The photo's upright geometry and format, from its header, pixels not decoded
    (except a PNG's: Pillow decodes one to find its EXIF).

    Exactly what :func:`decode_photo` would report as its full size: scan measures a
    photo with this when it reads it again from the cache. Raises
    :class:`UnreadablePhoto` as the decode would, as far as the header shows, for any
    library failure too (scan then decodes the photo in full, which says why).
    """
    _, fmt, upright = _open_photo(data, max_pixels)
    return upright, fmt


def _open_photo(data: bytes, max_pixels: int) -> tuple[ImageFile.ImageFile, str, Upright]:
    """The file opened by its own plugin on the picture used, checked as far as the header
    goes, with its upright geometry (every decode and every probe starts here)."""
    fmt = sniff_format(data)
    if fmt is None:
        raise UnreadablePhoto(describe_unsupported(data))
    _check_structure(data, fmt)
    opened = _open(data, fmt)
    if fmt == "tiff":
        _seek_primary_page(opened)
    _check_pixel_count(*opened.size, max_pixels)
    if fmt == "png":
        # Pillow finds a PNG's EXIF by decoding it (an eXIf chunk may follow the picture
        # data): decoded here, so damage is reported as such and not as missing EXIF.
        _load(opened)
    try:
        upright = upright_geometry(opened, fmt)
    except _DECODE_ERRORS as error:
        raise UnreadablePhoto(_damage_reason(fmt, error)) from None
    return opened, fmt, upright


def _read_only(pixels: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    pixels.flags.writeable = False
    return pixels


def _decode_with_pillow(
    opened: ImageFile.ImageFile, fmt: str, min_long_side: int | None
) -> tuple[npt.NDArray[np.uint8], bytes | None]:
    """Any format and colour mode, through Pillow (and ImageCms for CMYK profiles)."""
    if min_long_side is not None and fmt == "jpeg":
        _draft(opened, min_long_side)
    _load(opened)
    image, profile = _to_rgb(opened)
    if min_long_side is not None:
        image = _reduce(image, min_long_side)
    return np.asarray(image), profile


def _check_structure(data: bytes, fmt: str) -> None:
    """Refuse files cut short, even where the decoder would not notice (its picture
    data complete, only the container's end missing)."""
    if fmt == "jpeg":
        _check_jpeg_structure(data)
    elif (fmt == "png" and walk_png(data).broken) or (
        fmt == "webp" and _riff_end(data) > len(data)
    ):
        raise UnreadablePhoto(TRUNCATED)


def _riff_end(data: bytes) -> int:
    """Where a RIFF file says it ends: 8 header bytes plus its declared size."""
    return 8 + int.from_bytes(data[4:8], "little")


def _check_jpeg_structure(data: bytes) -> None:
    """Refuse JPEGs whose segments are broken or that stop before their end marker."""
    try:
        layout = walk_jpeg(data)
    except JpegStructureError as error:
        raise UnreadablePhoto(f"the file is damaged: {error}") from None
    if layout.end is None:
        raise UnreadablePhoto(TRUNCATED)
    if layout.frame is None:
        raise UnreadablePhoto("the file is damaged: the JPEG has no picture frame")


def _open(data: bytes, fmt: str) -> ImageFile.ImageFile:
    """The file opened by its own Pillow plugin; only the header has been read."""
    if fmt == "heif":
        register_heif_opener()
    try:
        image = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[fmt]])
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        # Pillow's own limits, checked on opening: its error (twice its warning limit),
        # or its warning where the caller's warnings filters make warnings errors.
        raise UnreadablePhoto(_bomb_reason(str(error))) from None
    except UnidentifiedImageError:
        raise UnreadablePhoto(f"the file is damaged: not a readable {fmt.upper()}") from None
    except _DECODE_ERRORS as error:
        raise UnreadablePhoto(_damage_reason(fmt, error)) from None
    if not isinstance(image, ImageFile.ImageFile):
        raise UnreadablePhoto(f"the file is damaged: not a readable {fmt.upper()}")
    return image


def _seek_primary_page(image: ImageFile.ImageFile) -> None:
    """Move a TIFF to its photo, past any reduced-size preview put first."""
    if not isinstance(image, TiffImagePlugin.TiffImageFile):
        return
    try:
        found = seek_primary_page(image)
    except _DECODE_ERRORS as error:
        raise UnreadablePhoto(_damage_reason("tiff", error)) from None
    if not found:
        raise UnreadablePhoto(ONLY_PREVIEWS)


def _check_pixel_count(width: int, height: int, max_pixels: int) -> None:
    """Refuse a picture over the pixel limit, from the size in its header, before any
    pixels are decoded.

    Pillow warns on opening an image over its own limit (89.5 megapixels by default), but
    a warning only stops anything where a warnings filter makes it an error, and filters
    are process-wide, not per thread: ``warnings.catch_warnings`` in one export thread
    can remove the filter another is relying on. So the limit is checked here, on every
    path: the caller's ``max_pixels``, lowered to Pillow's own limit so that whatever
    Pillow would warn about is refused whatever the filters say.
    """
    limit = max_pixels
    if Image.MAX_IMAGE_PIXELS is not None:
        limit = min(limit, Image.MAX_IMAGE_PIXELS)
    if width * height > limit:
        raise UnreadablePhoto(
            f"too large: {width} x {height} pixels, the limit is {limit / 1e6:.3g} megapixels"
        )


@functools.cache
def register_heif_opener() -> None:
    """Teach Pillow to open HEIC/HEIF (once per process, on first use).

    Never call ``draft()`` on a HEIF image: pillow-heif would answer it with an embedded
    thumbnail, which may show a different picture than the photo itself.
    """
    import pillow_heif

    pillow_heif.register_heif_opener()


def _bomb_reason(message: str) -> str:
    """Pillow's decompression-bomb message in plain words."""
    numbers = [int(n) for n in re.findall(r"\d+", message)]
    if len(numbers) < 2:
        return f"too large: {message}"
    pixels, limit = numbers[0], numbers[1]
    return (
        f"too large: {pixels / 1e6:.0f} megapixels, more than the {limit / 1e6:.0f} megapixel "
        "safety limit (a possible decompression bomb)"
    )


def _draft(image: ImageFile.ImageFile, min_long_side: int) -> None:
    """Ask the JPEG decoder for a DCT-scaled image whose long side stays >= the minimum."""
    width, height = image.size
    long_side = max(width, height)
    if min_long_side < long_side:
        # draft() picks the strongest DCT scaling (1/2, 1/4, 1/8) whose result is at least
        # the requested size in both directions, so the long side stays >= the minimum.
        wanted = (-(-width * min_long_side // long_side), -(-height * min_long_side // long_side))
        image.draft(image.mode, wanted)


def _load(image: ImageFile.ImageFile) -> None:
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        # Someone switched Pillow to accept truncated files; we never do.
        raise UnreadablePhoto("cannot check for truncated files (Pillow is set to accept them)")
    fmt = (image.format or "image").lower()
    try:
        image.load()
    except _DECODE_ERRORS as error:
        raise UnreadablePhoto(_damage_reason(fmt, error)) from None


def _to_rgb(image: Image.Image) -> tuple[Image.Image, bytes | None]:
    try:
        return colour.to_rgb(image)
    except (ValueError, OSError, ImageCms.PyCMSError) as error:
        raise UnreadablePhoto(f"unsupported colour format ({image.mode}): {error}") from None


def _damage_reason(fmt: str, error: BaseException) -> str:
    message = str(error).strip() or type(error).__name__
    lowered = message.lower()
    if "truncat" in lowered or "end of file" in lowered or isinstance(error, EOFError):
        return TRUNCATED
    if fmt == "heif":
        return f"HEIC image could not be decoded: {message}"
    return f"the file is damaged ({fmt.upper()} picture data could not be decoded: {message})"


def _reduce(image: Image.Image, min_long_side: int) -> Image.Image:
    """A box-filtered reduction by the largest whole factor that keeps the minimum size."""
    factor = max(image.size) // min_long_side
    if factor < 2:
        return image
    return image.reduce(factor)
