"""A photo's upright size and orientation, decided here once for every format and path.

Face boxes, the detector, thumbnails, the photo view and export all work in one frame: the
upright photo at full resolution (see :mod:`photoscreen.core.basics.geometry`). When two places
each worked that frame out, they disagreed: a TIFF whose orientation was only in its XMP
was turned upright by Pillow while loading but recorded at its size from before, and a
TIFF turned by its own tag was measured turned twice when the folder was read again from
the cache. Boxes then landed beside the face, or were cut off at the photo's edge, and
the face went out unredacted. So the loader's decode and scan's header-only measure on
reopening both ask :func:`upright_geometry`, on the file opened by the same plugin and
positioned on the same page, and the loader checks the pixels it ends with against it.

Where the orientation comes from, and which source wins when a file carries several:

- JPEG, PNG, WebP: the EXIF Orientation (JPEG APP1; PNG eXIf or ImageMagick's "Raw profile
  type exif" text; the WebP EXIF chunk), else XMP's ``tiff:Orientation``. EXIF wins: that
  is Pillow's rule (``Image.getexif``), the very one its TIFF decoder applies, so every
  format follows one rule. The loader turns the pixels.
- TIFF: the Orientation tag of the page used (a TIFF's own tags are its EXIF), else that
  page's XMP (tag 700). The tag wins, by the same rule. Pillow's TIFF decoder turns the
  pixels itself at the end of loading; it is handed the value decided here, so it cannot
  decide otherwise.
- HEIC/HEIF: the image's transform properties (``irot`` rotation, ``imir`` mirror),
  applied by libheif while decoding, before it reports any size. An EXIF or XMP
  orientation inside a HEIF is ignored, as the HEIF standard says: iPhones write both,
  and applying both would turn the picture twice (pillow-heif resets them).
- GIF: none. The format has no orientation, and an XMP orientation in a GIF is ignored,
  as browsers ignore it.

An orientation outside 1-8, or not a single number, counts as 1 (Pillow's decoder does
not turn for it either).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

ORIENTATION_TAG = 0x0112
# EXIF orientations 5-8 turn the picture a quarter: the upright width is the stored height.
TRANSPOSING = frozenset({5, 6, 7, 8})
_TIFF_WIDTH, _TIFF_LENGTH = 256, 257
# Formats whose decoder turns the pixels itself while decoding.
_DECODER_TURNS = frozenset({"tiff", "heif"})
# Formats whose orientation metadata is never used (see the module docstring).
_METADATA_IGNORED = frozenset({"heif", "gif"})

Pixels = npt.NDArray[np.uint8]


class GeometryMismatch(ValueError):
    """Decoded pixels do not have the upright size decided for them."""


@dataclass(frozen=True)
class Upright:
    """A photo's upright full size, and how its decoder's pixels are turned upright.

    ``orientation`` is the EXIF-style orientation (1-8) decided for the picture as coded;
    1 for a HEIF, whose own transforms libheif applies before any size is known, and for
    a GIF. ``turned_by_decoder`` says the decoder applies it itself (TIFF, HEIF).
    """

    width: int
    height: int
    orientation: int
    turned_by_decoder: bool

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) upright at full resolution: the frame of face boxes."""
        return self.width, self.height

    def turn(self, pixels: Pixels) -> Pixels:
        """The decoder's pixels turned upright (as they are if the decoder already did)."""
        if self.turned_by_decoder:
            return pixels
        return turn_upright(pixels, self.orientation)

    def check(self, pixels: Pixels) -> None:
        """Raise :class:`GeometryMismatch` unless upright ``pixels`` are this size, or this
        size reduced by one whole factor (the loader's reduced decodes)."""
        height, width = pixels.shape[:2]
        if not _reduced_by_whole_factor(self.size, (width, height)):
            raise GeometryMismatch(
                f"decoded {width} x {height} pixels, but the photo is {self.width} x "
                f"{self.height} upright"
            )


def upright_geometry(image: Image.Image, fmt: str) -> Upright:
    """The upright size and orientation of the picture ``image`` is positioned on.

    ``image`` is the file opened by its own Pillow plugin (``fmt`` is the loader's name
    for it) and positioned on the page used (a TIFF moved past its previews). A TIFF must
    not be decoded yet, as its decoder is told here which way to turn it. A PNG is decoded
    here if it was not (Pillow looks for its EXIF by decoding it; done first, so damage
    raises instead of passing for a PNG without EXIF). May raise what Pillow raises for a
    damaged file.
    """
    if fmt == "png":
        image.load()
    if fmt in _METADATA_IGNORED:
        width, height = image.size  # for a HEIF, libheif's size after its transforms
        return Upright(width, height, 1, fmt in _DECODER_TURNS)
    orientation = _orientation(image)
    width, height = _stored_size(image, fmt)
    if orientation in TRANSPOSING:
        width, height = height, width
    if fmt in _DECODER_TURNS:
        # Pillow's TIFF decoder turns the picture by image.getexif()'s Orientation when it
        # finishes loading (ImageOps.exif_transpose). getexif() hands back the object read
        # above, so writing the decided value there makes the decoder apply exactly it,
        # even where damaged EXIF left something else in that object.
        image.getexif()[ORIENTATION_TAG] = orientation
    return Upright(width, height, orientation, fmt in _DECODER_TURNS)


def turn_upright(pixels: Pixels, orientation: int) -> Pixels:
    """The pixels turned/mirrored as EXIF ``orientation`` says (EXIF 2.32, tag 0x0112)."""
    if orientation == 2:
        return np.asarray(cv2.flip(pixels, 1))
    if orientation == 3:
        return np.asarray(cv2.rotate(pixels, cv2.ROTATE_180))
    if orientation == 4:
        return np.asarray(cv2.flip(pixels, 0))
    if orientation == 5:
        return np.asarray(cv2.transpose(pixels))
    if orientation == 6:
        return np.asarray(cv2.rotate(pixels, cv2.ROTATE_90_CLOCKWISE))
    if orientation == 7:
        return np.asarray(cv2.flip(cv2.transpose(pixels), -1))
    if orientation == 8:
        return np.asarray(cv2.rotate(pixels, cv2.ROTATE_90_COUNTERCLOCKWISE))
    return pixels


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation by Pillow's rule (EXIF, else XMP), 1 when none or unusable."""
    try:
        value = image.getexif().get(ORIENTATION_TAG, 1)
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, KeyError, TypeError):
        # EXIF too damaged to read: no orientation (the picture as stored).
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _stored_size(image: Image.Image, fmt: str) -> tuple[int, int]:
    """The picture's size as coded, before any turn."""
    if fmt == "tiff":
        # Pillow reports a TIFF's size already turned by its Orientation tag (and only
        # that tag, not its XMP): the coded size is in the page's own tags.
        tags = getattr(image, "tag_v2", {})
        width, length = tags.get(_TIFF_WIDTH), tags.get(_TIFF_LENGTH)
        if isinstance(width, int) and isinstance(length, int):
            return width, length
        raise ValueError("the TIFF page has no width and height")
    return image.size


def _reduced_by_whole_factor(full: tuple[int, int], got: tuple[int, int]) -> bool:
    """Whether ``got`` is ``full`` divided by one whole factor, each side rounded up
    (as libjpeg's DCT scaling and Pillow's ``reduce`` give)."""
    if got == full:
        return True
    low, high = 1, None
    for whole, side in zip(full, got, strict=True):
        if not 0 < side <= whole:
            return False
        # side == ceil(whole / f)  <=>  whole / side <= f < whole / (side - 1)
        low = max(low, -(-whole // side))
        if side > 1:
            bound = (whole - 1) // (side - 1)
            high = bound if high is None else min(high, bound)
    # A side reduced to 1 pixel allows any factor from its own length up.
    return high is None or low <= high
