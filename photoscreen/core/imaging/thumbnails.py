"""Grid thumbnails: made from an already-decoded photo, cached in the folder's session dir.

A thumbnail is the only picture data photoscreen writes outside the export folder, and it
goes only into the photo folder's own session directory (``<folder>/.photoscreen/thumbs``),
as safety invariant 5 allows. Files are named by the photo's content hash, so a changed
photo never shows a stale thumbnail, and they are written atomically (temporary file, then
rename) so a crash never leaves a half-written one under its final name.

:func:`quick_thumbnail` is the first-screen path: a JPEG decoded with DCT scaling at 1/8
(libjpeg's "draft" mode) skips most of the decoding work. The JPEG's embedded EXIF
thumbnail is never used: it is untrusted metadata and may show a different picture.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, UnidentifiedImageError

from photoscreen.core.basics import write_atomically
from photoscreen.core.imaging.loading import decode_photo, read_photo_file

# Long side of a grid thumbnail in pixels: the grid paints them at most 164 x 128, so this
# is sharp at 200 % screen scaling too (328 screen pixels wide), with a little to spare.
THUMBNAIL_LONG_SIDE = 336
# JPEG quality for cached thumbnails: small files, no visible artefacts at grid size.
_THUMBNAIL_QUALITY = 85
THUMBS_DIR_NAME = "thumbs"
# Content hashes are lowercase hex (sha256); anything else could escape the directory.
_HASH_PATTERN = re.compile(r"^[0-9a-f]{16,128}$")

RGBImage = npt.NDArray[np.uint8]


def make_thumbnail(pixels: RGBImage, long_side: int = THUMBNAIL_LONG_SIDE) -> RGBImage:
    """``pixels`` shrunk so the long side is ``long_side`` (never enlarged); a new array."""
    height, width = pixels.shape[:2]
    factor = long_side / max(height, width)
    if factor >= 1.0:
        return np.ascontiguousarray(pixels).copy()
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    # INTER_AREA averages every source pixel: no aliasing, and it releases the GIL.
    return np.ascontiguousarray(cv2.resize(pixels, size, interpolation=cv2.INTER_AREA))


def quick_thumbnail(path: Path, long_side: int = THUMBNAIL_LONG_SIDE) -> RGBImage:
    """A thumbnail straight from the file, decoded as small as possible (upright).

    For JPEGs this is a 1/8 DCT-scaled decode, several times cheaper than a full decode,
    for the cells on screen before the full scan reaches them. Raises
    ``UnreadablePhoto`` (with ``.reason``) like the loader.
    """
    decoded = decode_photo(read_photo_file(path), min_long_side=long_side)
    return make_thumbnail(decoded.pixels, long_side)


class ThumbnailStore:
    """Thumbnails as small JPEGs in ``<session_dir>/thumbs/<hash>.jpg``.

    Safe to use from several threads: each save writes its own temporary file and renames
    it into place, so readers see either the old file, no file, or the complete new one.
    """

    def __init__(self, session_dir: Path) -> None:
        self.directory = Path(session_dir) / THUMBS_DIR_NAME

    def path_for(self, photo_hash: str) -> Path:
        """Where the thumbnail of the photo with this content hash lives."""
        if not _HASH_PATTERN.match(photo_hash):
            raise ValueError(f"not a content hash: {photo_hash!r}")
        return self.directory / f"{photo_hash}.jpg"

    def has(self, photo_hash: str) -> bool:
        """Whether a thumbnail for this hash is on disk."""
        return self.path_for(photo_hash).is_file()

    def load(self, photo_hash: str) -> RGBImage | None:
        """The cached thumbnail as RGB pixels, or None if missing or unreadable."""
        path = self.path_for(photo_hash)
        try:
            data = path.read_bytes()
        except OSError:
            # Missing, or the cache folder is unusable: either way the thumbnail is remade.
            return None
        try:
            with Image.open(io.BytesIO(data)) as image:
                return np.asarray(image.convert("RGB"))
        except (UnidentifiedImageError, OSError, ValueError):
            # A damaged cache file is not the user's problem: it is simply remade.
            return None

    def save(self, photo_hash: str, pixels: RGBImage) -> Path:
        """Write the thumbnail atomically; returns its path."""
        target = self.path_for(photo_hash)
        self.directory.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        Image.fromarray(np.ascontiguousarray(pixels)).save(
            buffer, "JPEG", quality=_THUMBNAIL_QUALITY
        )
        write_atomically(target, buffer.getvalue())
        return target
