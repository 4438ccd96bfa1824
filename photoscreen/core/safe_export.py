"""The safe-export engine for one photo: decode, redact, resize, encode, verify, write.

This is where DESIGN.md invariants 3, 4 and 6 meet. Faces are redacted on the
full-resolution upright pixels (the coordinates face boxes are kept in), the result is
resized and encoded as a fresh JPEG from pixels alone, and the bytes are verified by an
independent parser both in memory and after they reach the disk. A file that fails is
removed; nothing half-written ever sits under a final name.

Cost, for a 12-megapixel JPEG: one full decode, one copy made by redaction (only when
there are faces), one area resize, one small encode and one small decode to verify.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from photoscreen.core.encode import (
    Pixels,
    encode_clean_jpeg,
    resize_to_long_side,
    verify_clean_jpeg,
    write_new_file,
)
from photoscreen.core.geometry import Box
from photoscreen.core.loading import UnreadablePhoto, decode_photo, read_photo_file
from photoscreen.core.redact import RedactionStyle, redact_faces


@dataclass(frozen=True)
class ExportOptions:
    """Size, JPEG quality and redaction style of exported photos."""

    long_side: int = 2048
    quality: int = 90
    style: RedactionStyle = RedactionStyle.BLUR


class ExportFailed(Exception):
    """One photo could not be exported safely; ``reason`` says why, in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def render_export(data: bytes, faces: Sequence[Box], options: ExportOptions) -> bytes:
    """The verified export JPEG of a photo, with ``faces`` redacted.

    ``faces`` are the boxes to redact, in upright full-resolution pixels (faces with
    consent on file have already been left out by the caller).
    """
    jpeg, size = _render(data, faces, options)
    _raise_if_dirty(verify_clean_jpeg(jpeg, size))
    return jpeg


def export_photo(
    data: bytes, faces: Sequence[Box], destination: Path, options: ExportOptions
) -> Path:
    """Render the export and write it as a new file at ``destination``; returns the path.

    The written file is read back and verified; if anything fails it is removed and
    :class:`ExportFailed` raised. An existing file is never replaced.
    """
    destination = Path(destination)
    jpeg, size = _render(data, faces, options)
    try:
        write_new_file(destination, jpeg)
    except FileExistsError:
        raise ExportFailed(f"{destination.name} already exists; it was not replaced") from None
    except OSError as error:
        raise ExportFailed(
            f"could not write {destination.name}: {error.strerror or error}"
        ) from None
    try:
        _raise_if_dirty(_check_written(destination, jpeg, size))
    except BaseException:
        destination.unlink(missing_ok=True)
        raise
    return destination


def _render(
    data: bytes, faces: Sequence[Box], options: ExportOptions
) -> tuple[bytes, tuple[int, int]]:
    try:
        photo = decode_photo(data)
    except UnreadablePhoto as error:
        raise ExportFailed(error.reason) from None
    pixels: Pixels = photo.pixels
    if faces:
        pixels = redact_faces(pixels, faces, options.style)
    pixels = resize_to_long_side(pixels, options.long_side)
    height, width = pixels.shape[:2]
    return encode_clean_jpeg(pixels, options.quality), (width, height)


def _check_written(path: Path, expected: bytes, size: tuple[int, int]) -> list[str]:
    """Problems with the file as it now is on disk (read back, not trusted from memory)."""
    try:
        written = read_photo_file(path, max_bytes=max(len(expected), 1) * 2)
    except UnreadablePhoto as error:
        return [f"the written file cannot be read back: {error.reason}"]
    problems = verify_clean_jpeg(written, size)
    if not problems and written != expected:
        problems.append("the file on disk differs from the bytes written")
    return problems


def _raise_if_dirty(problems: list[str]) -> None:
    if problems:
        raise ExportFailed("the new file failed its safety check: " + "; ".join(problems))
