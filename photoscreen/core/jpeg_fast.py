"""The fast path for ordinary JPEGs: libjpeg-turbo through OpenCV, straight into numpy.

Most photos are plain YCbCr (or grey) JPEGs. For those, Pillow's decode plus its
conversion to a numpy array costs about twice what OpenCV's ``imdecode`` does (Pillow
decodes into its own 4-byte pixel layout, then copies out through ``tobytes``), and
export and ingest are dominated by that decode (DESIGN "Performance"). Everything else
(CMYK, anything OpenCV declines) goes through Pillow. A wide-gamut profile (Display P3
from iPhones) is handed back to the caller, who converts when it is cheapest.

The caller has already checked the file's structure (every segment, the end marker) and
its pixel count; orientation is left to the caller so it is applied in one place.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt
from PIL import ImageFile

from photoscreen.core.colour import pending_rgb_profile

# OpenCV's DCT-scaling bits (1/2, 1/4, 1/8). These are the IMREAD_REDUCED_GRAYSCALE_n
# constants: IMREAD_REDUCED_COLOR_n is the same bits plus IMREAD_COLOR_BGR, which OpenCV
# refuses to combine with IMREAD_COLOR_RGB; the RGB bit below makes the result colour.
# (The bits are not additive: 16 | 32 = 48 is read as 1/4, not 1/8.)
_SCALE_FLAGS = {
    1: 0,
    2: cv2.IMREAD_REDUCED_GRAYSCALE_2,
    4: cv2.IMREAD_REDUCED_GRAYSCALE_4,
    8: cv2.IMREAD_REDUCED_GRAYSCALE_8,
}


def decode_plain_jpeg(
    data: bytes, opened: ImageFile.ImageFile, min_long_side: int | None
) -> tuple[npt.NDArray[np.uint8], bytes | None] | None:
    """RGB pixels of a YCbCr or grey JPEG and the RGB profile still to convert them from
    (``None`` when sRGB), or ``None`` when the JPEG needs the general path (CMYK...)."""
    if opened.mode not in ("RGB", "L"):
        return None
    icc = opened.info.get("icc_profile")
    pending = pending_rgb_profile(icc) if opened.mode == "RGB" else None
    width, height = opened.size
    scale = _dct_scale(max(width, height), min_long_side)
    flags = cv2.IMREAD_COLOR_RGB | cv2.IMREAD_IGNORE_ORIENTATION | _SCALE_FLAGS[scale]
    pixels = cv2.imdecode(np.frombuffer(data, np.uint8), flags)
    expected = (-(-height // scale), -(-width // scale), 3)
    if pixels is None or pixels.shape != expected or pixels.dtype != np.uint8:
        return None
    return np.asarray(pixels), pending


def _dct_scale(long_side: int, min_long_side: int | None) -> int:
    """The strongest DCT scaling whose result keeps the long side >= ``min_long_side``."""
    if min_long_side is None:
        return 1
    for scale in (8, 4, 2):
        if -(-long_side // scale) >= min_long_side:
            return scale
    return 1
