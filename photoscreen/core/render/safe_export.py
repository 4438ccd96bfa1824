"""The safe-export engine for one photo: decode, redact, resize, encode, verify, write.

This is where README rules 3, 4 and 6 meet. Faces are redacted on the
full-resolution upright pixels (the coordinates face boxes are kept in), the result is
resized and encoded as a fresh JPEG from pixels alone, and the bytes are verified by an
independent parser and a strict decode before they are written, then read back from the
disk under a temporary name and compared with what passed. Only a file that passed both
gets its final name; nothing half-written or unverified ever sits under a final name,
not even for a moment.

Cost, for a 12-megapixel JPEG: one full decode, one full-size filtered copy for the
resize (faces are redacted inside it), one small encode, one strict decode of it at 1/8
scale to verify it, and a byte-for-byte comparison of the file on disk with what passed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from photoscreen.core.basics import Box
from photoscreen.core.imaging import (
    UnreadablePhoto,
    decode_photo_in_own_colours,
    pixels_to_srgb,
    read_photo_file,
)
from photoscreen.core.render.encode import (
    Pixels,
    encode_clean_jpeg,
    prefilter_for_resize,
    resize_to_long_side,
    sample_prefiltered,
    verify_clean_jpeg,
    write_new_file,
)
from photoscreen.core.render.redact import RedactionStyle, head_region, redact_faces
from photoscreen.core.render.redact_writing import redact_writing


@dataclass(frozen=True)
class ExportOptions:
    """Size, JPEG quality and redaction style of exported photos."""

    long_side: int = 2048
    quality: int = 90
    style: RedactionStyle = RedactionStyle.BLUR
    # How accepted writing is covered (see photoscreen.core.render.redact_writing).
    writing_style: RedactionStyle = RedactionStyle.FILL


class ExportFailed(Exception):
    """One photo could not be exported safely; ``reason`` says why, in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def render_export(
    data: bytes, faces: Sequence[Box], options: ExportOptions, writing: Sequence[Box] = ()
) -> bytes:
    """The verified export JPEG of a photo, with ``faces`` and ``writing`` redacted.

    ``faces`` are the boxes to redact, in upright full-resolution pixels (faces with
    consent on file have already been left out by the caller); ``writing`` the accepted
    writing regions, covered in ``options.writing_style``.
    """
    jpeg, size = _render(data, faces, options, None, writing)
    _raise_if_dirty(verify_clean_jpeg(jpeg, size))
    return jpeg


@dataclass(frozen=True)
class RenderedExport:
    """An export JPEG made by :func:`render_for_writing`, still to be written."""

    jpeg: bytes
    size: tuple[int, int]  # width, height the JPEG must have


def render_for_writing(
    data: bytes,
    faces: Sequence[Box],
    options: ExportOptions,
    *,
    frame: tuple[int, int] | None = None,
    writing: Sequence[Box] = (),
) -> RenderedExport:
    """The export of a photo, to hand to :func:`write_export` (which verifies it in
    memory and on disk before it gets its final name).

    ``frame`` is the upright size the face boxes were placed on (the size recorded for
    the photo): if the picture decodes to another size, the boxes would miss the faces,
    and :class:`ExportFailed` is raised instead. Pure work on the bytes given (no
    session, no file): the export job renders the next photos on other cores while it
    writes one.
    """
    jpeg, size = _render(data, faces, options, frame, writing)
    return RenderedExport(jpeg, size)


def export_photo(
    data: bytes, faces: Sequence[Box], destination: Path, options: ExportOptions
) -> Path:
    """Render the export and write it as a new file at ``destination``; returns the path.

    The bytes are verified before they are written and again as read back from disk,
    before the file gets its final name; if anything fails nothing is left and
    :class:`ExportFailed` is raised. An existing file is never replaced.
    """
    return write_export(render_for_writing(data, faces, options), destination)


def write_export(
    rendered: RenderedExport,
    destination: Path,
    *,
    before_publish: Callable[[], None] | None = None,
) -> Path:
    """Write a rendered export as a new file at ``destination``; returns the path.

    Nothing unverified ever sits under the final name, even for a moment (a process
    killed then would leave it there): the bytes are verified in memory before anything
    is written, then written under a temporary name, flushed, read back from disk and
    compared with them. Only then does ``before_publish`` run (the export job's last "may
    this photo still go out?"; it raises to stop) and the file get its final name. On
    any failure the temporary file is removed and :class:`ExportFailed` raised (or
    ``before_publish``'s own exception passed on). An existing file is never replaced.
    """
    destination = Path(destination)
    jpeg, size = rendered.jpeg, rendered.size
    _raise_if_dirty(verify_clean_jpeg(jpeg, size))

    def check_before_publishing(temporary: Path) -> None:
        _raise_if_dirty(_check_written(temporary, jpeg, size))
        if before_publish is not None:
            before_publish()

    try:
        write_new_file(destination, jpeg, check=check_before_publishing)
    except FileExistsError:
        raise ExportFailed(f"{destination.name} already exists; it was not replaced") from None
    except OSError as error:
        raise ExportFailed(
            f"could not write {destination.name}: {error.strerror or error}"
        ) from None
    return destination


def _render(
    data: bytes,
    faces: Sequence[Box],
    options: ExportOptions,
    frame: tuple[int, int] | None,
    writing: Sequence[Box] = (),
) -> tuple[bytes, tuple[int, int]]:
    try:
        photo, profile = decode_photo_in_own_colours(data)
    except UnreadablePhoto as error:
        raise ExportFailed(error.reason) from None
    _check_frame((photo.full_width, photo.full_height), frame)
    pixels = _redacted_and_resized(photo.pixels, faces, options, writing)
    if profile is not None:
        # Wide-gamut colour (Display P3...) to sRGB after resizing: the same colours,
        # at a quarter of the cost of converting the full-size photo.
        pixels = pixels_to_srgb(pixels, profile)
    height, width = pixels.shape[:2]
    return encode_clean_jpeg(pixels, options.quality), (width, height)


def _check_frame(size: tuple[int, int], frame: tuple[int, int] | None) -> None:
    """Refuse a picture whose upright size is not the one its face boxes were placed on."""
    if frame is None or size == tuple(frame):
        return
    if not all(frame):
        raise ExportFailed(
            "its size was never recorded, so its face boxes cannot be matched to the "
            "picture: open the folder again so that it is read"
        )
    raise ExportFailed(
        f"the picture is {size[0]} x {size[1]} upright, but its face boxes were placed on "
        f"a {frame[0]} x {frame[1]} picture: check its faces again"
    )


def _redacted_and_resized(
    pixels: Pixels, faces: Sequence[Box], options: ExportOptions, writing: Sequence[Box] = ()
) -> Pixels:
    """Faces redacted at full resolution, then the photo resized, with one full-size copy.

    When the resize pre-filters (uneven ratios), its filtered copy is the one full-size
    array made: faces are redacted into it, head by head, instead of copying the whole
    photo for redaction as well. A head's region is replaced entirely, so filtering
    before rather than after redaction only changes how the cover's own edges are
    sampled; pixels outside the heads are the same either way.
    """
    working = prefilter_for_resize(pixels, options.long_side)
    if working is None:
        redacted = redact_faces(pixels, faces, options.style) if faces else pixels
        if writing:
            redacted = redacted.copy() if redacted is pixels else redacted
            redact_writing(redacted, writing, options.writing_style)
        return resize_to_long_side(redacted, options.long_side)
    _redact_in_place(working, faces, options.style)
    redact_writing(working, writing, options.writing_style)
    return sample_prefiltered(working, options.long_side)


def _redact_in_place(pixels: Pixels, faces: Sequence[Box], style: RedactionStyle) -> None:
    """Redact each face by redacting just its head region's pixels and writing them back.

    ``redact_faces`` on a crop with the box moved into the crop's coordinates covers the
    same pixels as on the whole photo (the head region is pixel-aligned, and shifting by
    whole pixels keeps it so). Faces are done one after another on the current pixels,
    so overlapping heads are both covered.
    """
    height, width = pixels.shape[:2]
    for box in faces:
        region = head_region(box, width, height)
        if region.w < 1 or region.h < 1:
            continue
        x0, y0 = int(region.x), int(region.y)
        x1, y1 = x0 + int(region.w), y0 + int(region.h)
        moved = Box(box.x - x0, box.y - y0, box.w, box.h)
        pixels[y0:y1, x0:x1] = redact_faces(pixels[y0:y1, x0:x1], [moved], style)


def _check_written(path: Path, verified: bytes, size: tuple[int, int]) -> list[str]:
    """Problems with the file as it now is on disk (read back, not trusted from memory).

    ``verified`` passed :func:`verify_clean_jpeg` before it was written, so a file that
    holds exactly those bytes is verified as well; decoding it again would prove nothing
    more, at the cost of a second decode per photo. Any other content fails, with what
    the verifier finds in it.
    """
    try:
        written = read_photo_file(path, max_bytes=max(len(verified), 1) * 2)
    except UnreadablePhoto as error:
        return [f"the written file cannot be read back: {error.reason}"]
    if written == verified:
        return []
    return ["the file on disk differs from the bytes written", *verify_clean_jpeg(written, size)]


def _raise_if_dirty(problems: list[str]) -> None:
    if problems:
        raise ExportFailed("the new file failed its safety check: " + "; ".join(problems))
