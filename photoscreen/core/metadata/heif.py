"""Findings for HEIC/HEIF files, read through libheif (pillow-heif).

A HEIF file is a box structure holding items: the primary image, thumbnails, depth and
auxiliary images (iPhone portrait mattes, gain maps), further top-level images, and
Exif/XMP/other metadata items attached to each image. libheif lists them all.
"""

from __future__ import annotations

from typing import Any

from photoscreen.core.metadata.exif import exif_block_findings
from photoscreen.core.metadata.findings import DAMAGED, OTHER, THUMBNAIL, Finding, more_pictures
from photoscreen.core.metadata.xmp import xmp_findings


def heif_findings(images: list[Any] | str) -> list[Finding]:
    """Every kind of identifying data in a HEIF file's images and metadata items, given
    :func:`heif_images` of the file (read once, for this and the colour profiles)."""
    if isinstance(images, str):
        return [Finding(DAMAGED, f"HEIC structure could not be read ({images})")]
    findings: list[Finding] = []
    for image in images:
        findings += _image_findings(image.info)
    if len(images) > 1:
        extra_images = len(images) - 1
        findings.append(Finding("secondary_image", more_pictures(extra_images, "in the file")))
    return findings


def heif_images(data: bytes) -> list[Any] | str:
    """The top-level images libheif lists (each with its ``info``), or why it could not.

    libheif is a library parsing hostile bytes: whatever it raises (pillow-heif turns its
    errors into ValueError, RuntimeError, OSError or others by version, and a file can run
    it out of memory) means the structure could not be read, never a crash of the caller.
    """
    import pillow_heif

    try:
        return list(pillow_heif.open_heif(data, convert_hdr_to_8bit=False))
    except Exception as error:  # the library boundary: see the docstring
        return str(error) or type(error).__name__


def _image_findings(info: dict[str, Any]) -> list[Finding]:
    findings: list[Finding] = []
    exif = info.get("exif")
    if exif:
        findings += exif_block_findings(bytes(exif))
    xmp = info.get("xmp")
    if xmp:
        findings += xmp_findings(bytes(xmp))
    for item in info.get("metadata") or []:
        kind = str(item.get("type", "unknown")) if isinstance(item, dict) else "unknown"
        findings.append(Finding("other", OTHER, (f"HEIF {kind}",)))
    thumbnails = len(info.get("thumbnails") or [])
    if thumbnails:
        findings.append(Finding("thumbnail", THUMBNAIL))
    extra = len(info.get("depth_images") or []) + sum(
        len(v) for v in (info.get("aux") or {}).values()
    )
    if extra:
        findings.append(Finding("secondary_image", f"depth maps or other extra pictures ({extra})"))
    return findings
