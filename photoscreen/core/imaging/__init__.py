"""Reading photo files and decoding them to upright 8-bit sRGB: the JPEG fast path, colour
(ICC, nclx), orientation, and grid thumbnails.
"""

from __future__ import annotations

from photoscreen.core.imaging.colour import pixels_to_srgb
from photoscreen.core.imaging.loading import decode_photo, decode_photo_in_own_colours, probe_photo
from photoscreen.core.imaging.photo_file import UnreadablePhoto, photo_hash, read_photo_file
from photoscreen.core.imaging.thumbnails import (
    THUMBNAIL_LONG_SIDE,
    ThumbnailStore,
    make_thumbnail,
    quick_thumbnail,
)

__all__ = [
    "THUMBNAIL_LONG_SIDE",
    "ThumbnailStore",
    "UnreadablePhoto",
    "decode_photo",
    "decode_photo_in_own_colours",
    "make_thumbnail",
    "photo_hash",
    "pixels_to_srgb",
    "probe_photo",
    "quick_thumbnail",
    "read_photo_file",
]
