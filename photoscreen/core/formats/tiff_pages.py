"""Which image of a TIFF is the photo, and which TIFFs are camera raw files.

A TIFF is a chain of images (IFDs), and the first is not always the photo: scanners,
some cameras and DNG-like files put a small preview first and mark it reduced-resolution
(NewSubfileType bit 0); a transparency mask is marked too (bit 2). The photo is the first
image with neither mark (README rule 4: the primary image only).

Camera raw files built on TIFF (DNG, Nikon NEF, Sony ARW, Pentax PEF...) hold sensor
data (a colour filter array, or DNG's linear raw) that needs demosaicing and a camera
colour profile; what Pillow can read of them is only an embedded preview. They are
refused by name, as Canon CR2 is (see :mod:`photoscreen.core.formats.sniffing`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PIL import TiffImagePlugin

from photoscreen.core.formats.tiff_ifd import read_tiff

NEW_SUBFILE_TYPE = 254
SUBFILE_TYPE = 255  # the older tag: 2 = reduced-resolution image
PHOTOMETRIC = 262
ICC_PROFILE = 34675
DNG_VERSION = 50706
_REDUCED_RESOLUTION = 0b001
_TRANSPARENCY_MASK = 0b100
_RAW_PHOTOMETRICS = frozenset({32803, 34892})  # CFA (TIFF/EP), LinearRaw (DNG)
_MAX_PAGES = 64  # as many IFDs as the metadata reader follows in a chain


def is_camera_raw(data: bytes) -> bool:
    """Whether a TIFF-based file is camera raw: a DNG, or any of its images (in the
    chain or in SubIFDs, where NEF and ARW keep theirs) holds raw sensor data."""
    tags = read_tiff(data)
    if DNG_VERSION in tags.ifd0:
        return True
    return any(
        _first(ifd.get(PHOTOMETRIC)) in _RAW_PHOTOMETRICS for ifd in (*tags.chain, *tags.sub_ifds)
    )


def is_primary_candidate(tags: Mapping[int, object]) -> bool:
    """Whether a TIFF image with these tags is a full picture: not a reduced-resolution
    preview or thumbnail, and not a transparency mask."""
    new_type = _first(tags.get(NEW_SUBFILE_TYPE)) or 0
    if new_type & (_REDUCED_RESOLUTION | _TRANSPARENCY_MASK):
        return False
    return _first(tags.get(SUBFILE_TYPE)) != 2


def seek_primary_page(image: TiffImagePlugin.TiffImageFile) -> bool:
    """Move ``image`` to its first full-resolution page; ``False`` if it has none.

    May raise what Pillow raises for a damaged chain (``OSError``, ``ValueError``...).
    """
    for page in range(_MAX_PAGES):
        if page:
            try:
                image.seek(page)
            except EOFError:
                return False
            if ICC_PROFILE not in image.tag_v2:
                # Pillow keeps an earlier page's profile in ``info``: it is not this one's.
                image.info.pop("icc_profile", None)
        if is_primary_candidate(image.tag_v2):
            return True
    return False


def _first(value: object) -> int | None:
    """A tag's (first) value as an int: Pillow gives ints, the metadata reader tuples."""
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        value = next(iter(value), None)
    if isinstance(value, (int, float)):
        return int(value)
    return None
