"""Recognising a file's format from its bytes and walking its containers: PNG/WebP/GIF, JPEG
segments, TIFF directories and pages.
"""

from __future__ import annotations

from photoscreen.core.formats import jpeg_segments
from photoscreen.core.formats.containers import Walk, walk_gif, walk_png, walk_riff
from photoscreen.core.formats.jpeg_segments import (
    APP0,
    DHT,
    DQT,
    DRI,
    EOI,
    RST_MARKERS,
    SOI,
    SOS,
    JpegLayout,
    JpegStructureError,
    frame_size,
    walk_jpeg,
)
from photoscreen.core.formats.sniffing import SUPPORTED_FORMATS, describe_unsupported, sniff_format
from photoscreen.core.formats.tiff_ifd import (
    EXIF_IFD,
    GPS_IFD,
    INTEROP_IFD,
    SUB_IFDS,
    TagValue,
    TiffTags,
    find_tiff_header,
    read_tiff,
)
from photoscreen.core.formats.tiff_pages import seek_primary_page

__all__ = [
    "APP0",
    "DHT",
    "DQT",
    "DRI",
    "EOI",
    "EXIF_IFD",
    "GPS_IFD",
    "INTEROP_IFD",
    "RST_MARKERS",
    "SOI",
    "SOS",
    "SUB_IFDS",
    "SUPPORTED_FORMATS",
    "JpegLayout",
    "JpegStructureError",
    "TagValue",
    "TiffTags",
    "Walk",
    "describe_unsupported",
    "find_tiff_header",
    "frame_size",
    "jpeg_segments",
    "read_tiff",
    "seek_primary_page",
    "sniff_format",
    "walk_gif",
    "walk_jpeg",
    "walk_png",
    "walk_riff",
]
