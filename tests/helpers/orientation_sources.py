"""Photos whose orientation is carried by each source a format can hold (geometry tests).

:func:`oriented_file` builds a file in a format whose UPRIGHT picture is the one given,
with its orientation written in one source, or in several that disagree. The expected
decode is always that upright picture: which source wins is restated here from
:mod:`photoscreen.core.imaging.upright` as the tests' expectation, independently of the code:

- JPEG, PNG, WebP: EXIF (PNG: eXIf, or ImageMagick's "Raw profile type exif" text), else
  XMP ``tiff:Orientation`` (attribute or element); EXIF beats XMP;
- TIFF: the page's Orientation tag, else its XMP; the tag beats XMP;
- HEIF: its transforms (irot/imir); EXIF and XMP orientations are ignored;
- GIF: no orientation; an XMP orientation is ignored.

``rival`` is the different orientation written in the losing source, so a loader that
obeyed it would show another picture (or another size).
"""

from __future__ import annotations

import numpy as np

from tests.helpers.photos import (
    make_gif,
    make_heic,
    make_jpeg,
    make_png,
    make_tiff,
    make_webp,
    stored_for_orientation,
)
from tests.helpers.photos_metadata import exif_bytes

# Every way each format can carry an orientation, by the name the tests use for it.
SOURCES: dict[str, tuple[str, ...]] = {
    "jpeg": ("none", "exif", "xmp", "xmp-element", "exif-beats-xmp"),
    "png": ("none", "exif", "exif-text", "xmp", "xmp-element", "exif-beats-xmp"),
    "webp": ("none", "exif", "xmp", "xmp-element", "exif-beats-xmp"),
    "tiff": ("none", "tag", "xmp", "xmp-element", "tag-beats-xmp"),
    "heif": ("none", "transform", "transform-beats-exif-and-xmp"),
    "gif": ("none", "xmp-ignored"),
}
# Sources whose orientation is not applied: the picture is stored upright.
_IGNORED = frozenset({"none", "xmp-ignored"})
_PLAIN = {"jpeg": make_jpeg, "png": make_png, "webp": make_webp, "tiff": make_tiff}


def xmp_orientation(orientation: int, *, element: bool = False) -> bytes:
    """An XMP packet whose only property is ``tiff:Orientation`` (as attribute or element)."""
    namespace = 'xmlns:tiff="http://ns.adobe.com/tiff/1.0/"'
    if element:
        description = (
            f'<rdf:Description rdf:about="" {namespace}>'
            f"<tiff:Orientation>{orientation}</tiff:Orientation></rdf:Description>"
        )
    else:
        description = (
            f'<rdf:Description rdf:about="" {namespace} tiff:Orientation="{orientation}"/>'
        )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">{description}'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def oriented_file(
    fmt: str, source: str, upright: np.ndarray, orientation: int, rival: int = 1
) -> bytes:
    """A ``fmt`` file that decodes upright to ``upright``, its orientation in ``source``."""
    assert source in SOURCES[fmt], f"{fmt} cannot carry an orientation as {source}"
    stored = upright if source in _IGNORED else stored_for_orientation(upright, orientation)
    if fmt == "heif":
        return _heif(stored, source, orientation, rival)
    if fmt == "gif":
        return make_gif(stored, xmp=xmp_orientation(orientation) if source != "none" else None)
    build = _PLAIN[fmt]
    if source == "none":
        return build(stored)
    if source in ("exif", "tag"):
        return build(stored, exif=exif_bytes(orientation=orientation))
    if source in ("xmp", "xmp-element"):
        return build(stored, xmp=xmp_orientation(orientation, element=source == "xmp-element"))
    if source in ("exif-beats-xmp", "tag-beats-xmp"):
        return build(stored, exif=exif_bytes(orientation=orientation), xmp=xmp_orientation(rival))
    assert source == "exif-text"
    return make_png(stored, text={"Raw profile type exif": _raw_profile(orientation)})


def _raw_profile(orientation: int) -> str:
    """ImageMagick's hex text form of an EXIF block ("Raw profile type exif")."""
    data = exif_bytes(orientation=orientation)
    text = data.hex()
    lines = "\n".join(text[i : i + 72] for i in range(0, len(text), 72))
    return f"\nexif\n{len(data):8d}\n{lines}\n"


def _heif(stored: np.ndarray, source: str, orientation: int, rival: int) -> bytes:
    """pillow-heif turns an EXIF orientation given to its encoder into irot/imir
    transforms (keeping the EXIF value, as iPhones do). For the conflict the EXIF and XMP
    values are then rewritten in the file, leaving the transforms as they were."""
    if source == "none":
        return make_heic(stored)
    exif = exif_bytes(orientation=orientation)
    if source == "transform":
        return make_heic(stored, exif=exif)
    # XMP orientation 1 is ignored by the encoder (the transforms follow the EXIF alone).
    data = make_heic(stored, exif=exif, xmp=xmp_orientation(1))
    data = _replace_once(data, _exif_entry(orientation), _exif_entry(rival))
    return _replace_once(data, b'tiff:Orientation="1"', f'tiff:Orientation="{rival}"'.encode())


def _exif_entry(orientation: int) -> bytes:
    """The IFD entry piexif writes for Orientation (big-endian SHORT, count 1)."""
    return b"\x01\x12\x00\x03\x00\x00\x00\x01" + orientation.to_bytes(2, "big")


def _replace_once(data: bytes, old: bytes, new: bytes) -> bytes:
    assert data.count(old) == 1, f"expected one {old!r} in the file"
    return data.replace(old, new)
