"""The fast path for ordinary JPEGs: libjpeg-turbo through simplejpeg, straight into numpy.

Most photos are plain YCbCr (or grey) JPEGs. For those, Pillow's decode plus its
conversion to a numpy array costs about twice what libjpeg-turbo's own API does (Pillow
decodes into its own 4-byte pixel layout, then copies out through ``tobytes``), and
export and ingest are dominated by that decode (DESIGN "Performance"). Everything else
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
its pixel count; orientation is left to the caller so it is applied in one place.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import simplejpeg
from PIL import ImageFile

from photoscreen.core.colour import pending_rgb_profile


def decode_plain_jpeg(
    data: bytes, opened: ImageFile.ImageFile, min_long_side: int | None
) -> tuple[npt.NDArray[np.uint8], bytes | None] | None:
    """RGB pixels of a YCbCr or grey JPEG and the RGB profile still to convert them from
    (``None`` when sRGB), or ``None`` when the JPEG needs the general path (CMYK...).

    With ``min_long_side`` the decode is the strongest halving (1/2, 1/4, 1/8) whose long
    side is at least that, or the full size.
    """
    if opened.mode not in ("RGB", "L"):
        return None
    icc = opened.info.get("icc_profile")
    pending = pending_rgb_profile(icc) if opened.mode == "RGB" else None
    width, height = opened.size
    scale = _dct_scale(max(width, height), min_long_side)
    try:
        pixels = simplejpeg.decode_jpeg(
            data,
            "RGB",  # grey JPEGs too: libjpeg-turbo repeats the grey channel
            # The smallest scaling in eighths that reaches this width is exactly 1/scale.
            min_width=-(-width // scale),
            strict=False,  # as tolerant as Pillow and OpenCV; the structure was checked
        )
    except ValueError:
        return None
    expected = (-(-height // scale), -(-width // scale), 3)
    if pixels.shape != expected or pixels.dtype != np.uint8:
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
