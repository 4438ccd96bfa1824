"""Job bodies for the photo on screen and for grid thumbnails (run by ``workers``).

Each function takes only copied, immutable inputs (paths, hashes, boxes, options) and
returns plain values and QImages, so it can run on any worker thread. Nothing here
touches the session or a widget.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage

from photoscreen.core.basics import Box
from photoscreen.core.imaging import (
    THUMBNAIL_LONG_SIDE,
    ThumbnailStore,
    UnreadablePhoto,
    decode_photo,
    photo_hash,
    quick_thumbnail,
    read_photo_file,
)
from photoscreen.core.metadata import DAMAGED, Finding, inspect_metadata, merged
from photoscreen.ui.threads.images import (
    GRID_THUMB_SIZE,
    for_screen,
    grid_thumbnail,
    qimage_from_encoded,
    qimage_from_rgb,
)
from photoscreen.ui.threads.workers import JobContext

# Long side of the decode shown in the photo view. A 12-megapixel JPEG decodes at half
# size (about 2000 px): sharp at twice the size of the view on an office screen, and
# about four times cheaper than a full decode. Boxes stay in full-resolution pixels.
VIEW_LONG_SIDE = 2000


class PhotoChanged(Exception):
    """The file's content is not the picture the decisions were made for."""


@dataclass(frozen=True)
class LoadedPhoto:
    """The photo for the view and what its file carries that export will remove."""

    path: Path
    photo_hash: str
    image: QImage
    full_width: int
    full_height: int
    hidden_data: tuple[str, ...]


@dataclass(frozen=True)
class FoundAgain:
    """What looking harder found in one picture, and the detector settings that found it."""

    photo_hash: str
    detections: tuple[Any, ...]  # photoscreen.core.faces.detector.Detection
    settings_key: str


def load_photo(path: Path, expected_hash: str) -> Callable[[JobContext], LoadedPhoto]:
    """A job: read the file once, check it is the same picture, decode it, list its metadata."""

    def job(context: JobContext) -> LoadedPhoto:
        data = read_photo_file(path)
        if photo_hash(data) != expected_hash:
            raise PhotoChanged(f"{path.name} was changed since it was read")
        context.cancel.raise_if_cancelled()
        decoded = decode_photo(data, min_long_side=VIEW_LONG_SIDE)
        context.cancel.raise_if_cancelled()
        image = for_screen(qimage_from_rgb(decoded.pixels))
        hidden = hidden_data_lines(inspect_metadata(data))
        return LoadedPhoto(
            path, expected_hash, image, decoded.full_width, decoded.full_height, hidden
        )

    return job


# A file whose structure breaks off: whatever follows the break is not checked, and
# export leaves it out with everything else (it writes the picture's pixels only).
_DAMAGED_LINE = "a damaged part of the file that could not be checked"


def hidden_data_lines(findings: Sequence[Finding]) -> tuple[str, ...]:
    """One plain-words line per kind of identifying data, each said once, most
    identifying first (the same caption in IPTC and XMP is one line)."""
    return tuple(
        _DAMAGED_LINE if finding.kind == DAMAGED else finding.text for finding in merged(findings)
    )


def render_preview(
    path: Path,
    expected_hash: str,
    faces: tuple[Box, ...],
    options: Any,
    writing: tuple[Box, ...] = (),
) -> Callable[[JobContext], QImage]:
    """A job: the exact pixels export would write for this photo, as a QImage."""

    def job(context: JobContext) -> QImage:
        from photoscreen.core.render import render_export

        data = read_photo_file(path)
        if photo_hash(data) != expected_hash:
            raise PhotoChanged(f"{path.name} was changed since it was read")
        encoded = render_export(data, faces, options, writing)
        image = qimage_from_encoded(encoded)
        if image.isNull():
            raise UnreadablePhoto("the preview could not be shown")
        return image

    return job


def quick_grid_thumbnail(path: Path, scale: float = 1.0) -> Callable[[JobContext], QImage]:
    """A job: a thumbnail straight from the file (reduced decode), before scan gets there;
    ``scale`` is the screen's device pixel ratio (see ``grid_thumbnail``)."""

    def job(context: JobContext) -> QImage:
        return grid_thumbnail(quick_thumbnail(path), scale)

    return job


def stored_grid_thumbnail(
    store: ThumbnailStore, digest: str, path: Path, scale: float = 1.0
) -> Callable[[JobContext], QImage]:
    """A job: the thumbnail from the session's cache, or from the file if it is missing
    (or, on a scaled screen, smaller than the screen needs: stored by an older version)."""
    grid_side = max(GRID_THUMB_SIZE.width(), GRID_THUMB_SIZE.height())
    needed = min(math.ceil(grid_side * scale), THUMBNAIL_LONG_SIDE)

    def job(context: JobContext) -> QImage:
        pixels = store.load(digest)
        if pixels is None or (scale > 1.0 and max(pixels.shape[:2]) < needed):
            pixels = quick_thumbnail(path)
        return grid_thumbnail(pixels, scale)

    return job


def look_harder(path: Path, expected_hash: str) -> Callable[[JobContext], FoundAgain]:
    """A job: search the photo again with the slower, more sensitive detector settings."""

    def job(context: JobContext) -> FoundAgain:
        from photoscreen.core.faces import DetectionMode, FaceDetector

        data = read_photo_file(path)
        if photo_hash(data) != expected_hash:
            raise PhotoChanged(f"{path.name} was changed since it was read")
        detector = FaceDetector(DetectionMode.THOROUGH)
        decoded = decode_photo(data, min_long_side=detector.min_decode_long_side())
        context.cancel.raise_if_cancelled()
        found = detector.detect(decoded.pixels, decoded.scale)
        return FoundAgain(expected_hash, tuple(found), detector.settings_key)

    return job
