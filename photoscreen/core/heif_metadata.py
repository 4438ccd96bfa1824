"""Findings for HEIC/HEIF files, read through libheif (pillow-heif).

A HEIF file is a box structure holding items: the primary image, thumbnails, depth and
auxiliary images (iPhone portrait mattes, gain maps), further top-level images, and
Exif/XMP/other metadata items attached to each image. libheif lists them all.
"""

from __future__ import annotations

from typing import Any

from photoscreen.core.findings import OTHER, THUMBNAIL, Finding, more_pictures
from photoscreen.core.metadata_exif import exif_block_findings
from photoscreen.core.metadata_xmp import xmp_findings


def heif_findings(data: bytes) -> list[Finding]:
    """Every kind of identifying data in a HEIF file's images and metadata items."""
    import pillow_heif

    try:
        heif = pillow_heif.open_heif(data, convert_hdr_to_8bit=False)
        images = list(heif)
    except (ValueError, RuntimeError, OSError, SyntaxError) as error:
        return [Finding("other", f"HEIC structure could not be read ({error})")]
    findings: list[Finding] = []
    for image in images:
        findings += _image_findings(image.info)
    if len(images) > 1:
        extra_images = len(images) - 1
        findings.append(Finding("secondary_image", more_pictures(extra_images, "in the file")))
    return findings


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
