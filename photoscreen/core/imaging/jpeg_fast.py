"""The fast path for ordinary JPEGs: libjpeg-turbo through simplejpeg, straight into numpy.

Most photos are plain YCbCr (or grey) JPEGs. For those, Pillow's decode plus its
conversion to a numpy array costs about twice what libjpeg-turbo's own API does (Pillow
decodes into its own 4-byte pixel layout, then copies out through ``tobytes``), and
export and scan are dominated by that decode (DESIGN "Performance"). Everything else
(CMYK, anything the fast decoder declines) goes through Pillow. A wide-gamut profile
(Display P3 from iPhones) is handed back to the caller, who converts when it is cheapest.

It is the same libjpeg-turbo OpenCV bundles, newer: the pixels are identical to
``cv2.imdecode``'s, and a full decode of a 12-megapixel camera JPEG takes 58 ms against
83 ms (one thread, median of 21).

A reduced decode uses DCT scaling by halvings only (1/2, 1/4, 1/8), though libjpeg-turbo
can scale in eighths: for face detection a 12-megapixel photo is wanted at 2,496 px, and a
5/8 decode (2,500 px) would save the full decode's 36 MB, but it is blurrier than a full
decode shrunk by area averaging, and the smallest faces suffer first: a 44 px face in the
test scenes scored 0.30 after a full decode and 0.17 after a 5/8 one (0.25 is the
threshold).

The caller has already checked the file's structure (every segment, the end marker) and
its pixel count; orientation is left to the caller so it is applied in one place. The
picture data itself is checked here, by decoding strictly: libjpeg reports missing or
scrambled data (a scan cut short, a bad Huffman code) only as warnings, and a tolerant
decoder fills the gap with grey. Such a file is refused with a plain reason; warnings
that are harmless, and common in camera files, are let through.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt
import simplejpeg
from PIL import ImageFile

from photoscreen.core.imaging.colour import pending_rgb_profile
from photoscreen.core.imaging.photo_file import UnreadablePhoto

DAMAGED = "the file is damaged: the picture data is damaged or cut short"

# libjpeg's warnings (jerror.h) that mean picture data is missing or scrambled: a
# tolerant decoder fills the gap with grey or garbage and carries on.
_DAMAGE_WARNINGS = (
    "premature end of data segment",  # JWRN_HIT_MARKER: a scan's data stops early
    "premature end of jpeg file",  # JWRN_JPEG_EOF
    "bad huffman code",  # JWRN_HUFF_BAD_CODE
    "bad arithmetic code",  # JWRN_ARITH_BAD_CODE
    "instead of rst",  # JWRN_MUST_RESYNC: a restart marker missing or out of order
)
# JWRN_EXTRANEOUS_DATA: bytes left over when the decoder reached a marker.
_EXTRANEOUS = re.compile(r"extraneous bytes before marker 0x([0-9a-f]{2})", re.IGNORECASE)
_RESTART_MARKERS = range(0xD0, 0xD8)


def decode_plain_jpeg(
    data: bytes, opened: ImageFile.ImageFile, min_long_side: int | None
) -> tuple[npt.NDArray[np.uint8], bytes | None] | None:
    """RGB pixels of a YCbCr or grey JPEG and the RGB profile still to convert them from
    (``None`` when sRGB), or ``None`` when the JPEG needs the general path (CMYK...).

    With ``min_long_side`` the decode is the strongest halving (1/2, 1/4, 1/8) whose long
    side is at least that, or the full size.

    Raises :class:`~photoscreen.core.imaging.loading.UnreadablePhoto` (reason :data:`DAMAGED`)
    when the picture data is damaged or cut short, even with the end marker in place;
    for a JPEG left to the general path too, since Pillow would not notice.
    """
    if opened.mode not in ("RGB", "L"):
        if opened.mode == "CMYK":
            _check_picture_data(data, "CMYK")
        return None
    icc = opened.info.get("icc_profile")
    pending = pending_rgb_profile(icc) if opened.mode == "RGB" else None
    width, height = opened.size
    scale = _dct_scale(max(width, height), min_long_side)
    # The smallest scaling in eighths that reaches this width is exactly 1/scale.
    pixels = _decode_rgb(data, min_width=-(-width // scale))
    expected = (-(-height // scale), -(-width // scale), 3)
    if pixels is None or pixels.shape != expected or pixels.dtype != np.uint8:
        return None
    return np.asarray(pixels), pending


def _decode_rgb(data: bytes, min_width: int) -> npt.NDArray[np.uint8] | None:
    """A strict decode; after a harmless warning, a tolerant one; ``None`` if it fails.

    libjpeg reports damage only as warnings, which Pillow and OpenCV ignore. Strict, the
    decode stops at the first warning, so a file whose fault is harmless is decoded a
    second time, tolerantly (and damage after a harmless warning goes unseen: the usual
    one, stray bytes before the end marker, comes after all the picture data). Grey
    JPEGs are decoded to RGB too: libjpeg-turbo repeats the grey channel.
    """
    try:
        pixels = simplejpeg.decode_jpeg(data, "RGB", min_width=min_width, strict=True)
    except ValueError as error:
        _raise_if_damaged(str(error))
    else:
        return np.asarray(pixels, dtype=np.uint8)
    try:
        pixels = simplejpeg.decode_jpeg(data, "RGB", min_width=min_width, strict=False)
    except ValueError:
        return None
    return np.asarray(pixels, dtype=np.uint8)


def _check_picture_data(data: bytes, colourspace: str) -> None:
    """Refuse damaged picture data in a JPEG Pillow will decode (a 1/8 scale decode:
    every bit of the data is still read, most of the inverse DCT is skipped)."""
    try:
        simplejpeg.decode_jpeg(data, colourspace, min_width=1, min_height=1, strict=True)
    except ValueError as error:
        _raise_if_damaged(str(error))


def _raise_if_damaged(message: str) -> None:
    """Raise :class:`UnreadablePhoto` if libjpeg's ``message`` means damaged picture data.

    Harmless warnings pass: "N extraneous bytes before marker 0xd9" (stray bytes after
    the last block of the picture, common in camera files), an unknown JFIF version, an
    odd progression sequence. Extraneous bytes before a restart marker (RST0-7) are
    damage: each restart interval holds exactly its blocks, so leftovers mean data of
    the picture was cut out or scrambled (a cut in such a file shows up just so).
    """
    lowered = message.lower()
    extraneous = _EXTRANEOUS.search(lowered)
    damaged = any(warning in lowered for warning in _DAMAGE_WARNINGS) or (
        extraneous is not None and int(extraneous.group(1), 16) in _RESTART_MARKERS
    )
    if damaged:
        raise UnreadablePhoto(DAMAGED)


def _dct_scale(long_side: int, min_long_side: int | None) -> int:
    """The strongest DCT scaling whose result keeps the long side >= ``min_long_side``."""
    if min_long_side is None:
        return 1
    for scale in (8, 4, 2):
        if -(-long_side // scale) >= min_long_side:
            return scale
    return 1
