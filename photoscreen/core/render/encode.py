"""Writing fresh, bare JPEGs from pixels, checking them, and saving them atomically.

An exported file is made from pixels only: nothing of the original container (EXIF, GPS,
XMP, IPTC, ICC, comments, thumbnails, MPF frames, trailing bytes) is copied, because
nothing is read from it but the pixels (README rule 4). :func:`verify_clean_jpeg`
then proves it by walking the written bytes with our own segment walker, independent of
the library that wrote them, and decodes them strictly. Files appear under their final
name only once complete and checked, and an existing file is never replaced (invariant 6).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import cv2
import numpy as np
import numpy.typing as npt
import simplejpeg

if os.name == "posix":
    import fcntl

from photoscreen.core.basics import (
    open_without_following,
    sync_directory,
    temporary_name,
    write_and_sync,
)
from photoscreen.core.formats import (
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

Pixels = npt.NDArray[np.uint8]

# Fitted against INTER_AREA on textured 12 MP photos at ratios 1.3x-4x (benchmarks/).
_ANTIALIAS_SIGMA_PER_RATIO = 0.35
# The only segments a bare baseline or progressive JPEG needs.
_ALLOWED_MARKERS = frozenset({SOI, APP0, DQT, 0xC0, 0xC2, DHT, DRI, SOS, EOI}) | RST_MARKERS
# Temporary files of write_new_file: ".<name>.jpg.<token>.partial".
_TOKEN_BYTES = 6  # as basics.temporary_name makes it
_PARTIAL = ".partial"
_PARTIAL_NAME = re.compile(
    rf"\..+\.jpe?g\.[0-9a-f]{{{2 * _TOKEN_BYTES}}}{re.escape(_PARTIAL)}", re.IGNORECASE
)
# A JFIF APP0 without a thumbnail: identifier, version, units, densities, 0 x 0 thumbnail.
_JFIF_LENGTH = 14


def resize_to_long_side(pixels: Pixels, long_side: int) -> Pixels:
    """The pixels scaled down so the long side is ``long_side``; never enlarged.

    Whole-number reductions use area averaging (``INTER_AREA``), exact and fast. Other
    ratios (4000 -> 2048 is 1.95x) use a Gaussian pre-filter of sigma 0.35 x the ratio
    and bilinear sampling: within about 48 dB PSNR of area averaging (invisible, and
    below what JPEG encoding changes), with no more aliasing, at a third of its cost
    (it was the largest single step of an export after decoding). A photo already small
    enough is returned as it is (not copied).
    """
    prefiltered = prefilter_for_resize(pixels, long_side)
    if prefiltered is not None:
        return sample_prefiltered(prefiltered, long_side)
    height, width = pixels.shape[:2]
    size = _target_size(width, height, long_side)
    if size == (width, height):
        return pixels
    return np.asarray(cv2.resize(pixels, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


def prefilter_for_resize(pixels: Pixels, long_side: int) -> Pixels | None:
    """The anti-aliasing step of :func:`resize_to_long_side` on its own.

    Returns a new, writable, full-size array to finish with :func:`sample_prefiltered`,
    or ``None`` when this resize needs no pre-filter (no reduction, or a whole-number
    one). The export uses it to redact faces in that new array instead of copying the
    whole photo once more.
    """
    height, width = pixels.shape[:2]
    size = _target_size(width, height, long_side)
    if size == (width, height) or _whole_reduction(width, height, size):
        return None
    sigma = _ANTIALIAS_SIGMA_PER_RATIO * max(width, height) / long_side
    # +-2 sigma holds 95% of the weight; cv2 normalises the truncated kernel.
    kernel = 2 * max(1, round(2 * sigma)) + 1
    return np.asarray(cv2.GaussianBlur(pixels, (kernel, kernel), sigma), dtype=np.uint8)


def sample_prefiltered(prefiltered: Pixels, long_side: int) -> Pixels:
    """Finish a resize begun with :func:`prefilter_for_resize` (bilinear sampling)."""
    height, width = prefiltered.shape[:2]
    size = _target_size(width, height, long_side)
    return np.asarray(cv2.resize(prefiltered, size, interpolation=cv2.INTER_LINEAR), dtype=np.uint8)


def _target_size(width: int, height: int, long_side: int) -> tuple[int, int]:
    if long_side <= 0:
        raise ValueError(f"long side must be positive, got {long_side}")
    ratio = max(width, height) / long_side
    if ratio <= 1:
        return width, height
    return max(1, round(width / ratio)), max(1, round(height / ratio))


def _whole_reduction(width: int, height: int, size: tuple[int, int]) -> bool:
    factor = width // size[0]
    return factor * size[0] == width and factor * size[1] == height


def encode_clean_jpeg(pixels: Pixels, quality: int = 90) -> bytes:
    """A new baseline JPEG of the pixels (H x W x 3 uint8 RGB) and nothing else.

    libjpeg-turbo's own API (through simplejpeg), given bare pixels, writes SOI, a JFIF
    APP0, DQT, SOF0, DHT, SOS and EOI only, and no metadata can be passed to it at all;
    the verifier checks each file anyway. Chroma is subsampled 4:2:0, as Pillow does by
    default. It reads the RGB array as it is, where Pillow first copies it into its own
    4-byte layout: 10 ms against 17 ms for a 2048 x 1536 export, the same size and quality.
    """
    if pixels.ndim != 3 or pixels.shape[2] != 3 or pixels.dtype != np.uint8:
        raise ValueError(f"expected H x W x 3 uint8 pixels, got {pixels.shape} {pixels.dtype}")
    if not 1 <= quality <= 100:
        raise ValueError(f"JPEG quality must be 1-100, got {quality}")
    return bytes(
        simplejpeg.encode_jpeg(
            np.ascontiguousarray(pixels), quality=quality, colorspace="RGB", colorsubsampling="420"
        )
    )


def verify_clean_jpeg(data: bytes, expected_size: tuple[int, int]) -> list[str]:
    """Problems that make ``data`` not a bare JPEG of ``expected_size`` (empty list = clean).

    Checks, in our own parser: only the segments a bare JPEG needs, a JFIF header without
    a thumbnail, nothing after the end marker, the frame size; then that libjpeg-turbo
    decodes the whole picture at that size strictly, without one "corrupt data" warning.
    """
    try:
        layout = walk_jpeg(data)
    except JpegStructureError as error:
        return [f"not a well-formed JPEG: {error}"]
    problems = _segment_problems(layout)
    if layout.end is None:
        problems.append("the file ends before its end-of-image marker")
    elif layout.trailing:
        problems.append(f"{len(layout.trailing)} bytes after the end-of-image marker")
    frame = layout.frame
    if frame is None:
        problems.append("no picture frame (SOF) segment")
    elif frame_size(frame) != tuple(expected_size):
        width, height = frame_size(frame)
        problems.append(
            f"frame is {width} x {height}, expected {expected_size[0]} x {expected_size[1]}"
        )
    if not problems:
        problems.extend(_decode_problems(data, expected_size))
    return problems


def _segment_problems(layout: JpegLayout) -> list[str]:
    problems: list[str] = []
    for segment in layout.segments:
        if segment.marker not in _ALLOWED_MARKERS:
            problems.append(f"unexpected {segment.name} segment at byte {segment.offset}")
        elif segment.marker == APP0 and not _is_plain_jfif(segment.payload):
            problems.append(f"APP0 at byte {segment.offset} is not a plain JFIF header")
    if layout.segments and layout.segments[0].marker != SOI:
        problems.append("does not start with SOI")
    return problems


def _is_plain_jfif(payload: bytes) -> bool:
    # JFXX extensions and a non-zero thumbnail size would carry a second picture.
    return (
        len(payload) == _JFIF_LENGTH
        and payload.startswith(b"JFIF\x00")
        and payload[12] == 0
        and payload[13] == 0
    )


def _decode_problems(data: bytes, expected_size: tuple[int, int]) -> list[str]:
    """What a strict decode finds wrong: any of libjpeg's "corrupt data" warnings fails.

    A tolerant decoder (Pillow, OpenCV, simplejpeg with ``strict=False``) fills picture
    data that is missing or scrambled with grey and carries on, and an intact end marker
    proves nothing about the data before it: 4,000 bytes cut from the middle of a scan
    decoded "fine". A file we have just encoded must decode without a single warning.
    """
    try:
        height, width, _colour, _subsampling = simplejpeg.decode_jpeg_header(data)
        # At 1/8 scale (the smallest; min_width=1 asks for it) libjpeg still
        # entropy-decodes every bit of every scan, so a cut or damaged stream fails just
        # the same, but it skips most of the inverse DCT: a fraction of a full decode.
        pixels = simplejpeg.decode_jpeg(data, "RGB", min_width=1, min_height=1, strict=True)
    except ValueError as error:
        return [f"does not decode: {error}"]
    if (width, height) != tuple(expected_size):
        return [f"decodes to {width} x {height}, expected {expected_size[0]} x {expected_size[1]}"]
    if pixels.shape[:2] != (-(-height // 8), -(-width // 8)):
        return [f"decodes to {pixels.shape[1]} x {pixels.shape[0]} pixels at 1/8 scale"]
    return []


def write_new_file(path: Path, data: bytes, *, check: Callable[[Path], None] | None = None) -> None:
    """Write ``data`` to a new file at ``path`` atomically; never replace an existing file.

    The bytes go to a temporary name in the same folder (see :func:`is_partial_name`) and
    are flushed to disk. ``check``, if given, is then called with the temporary file's
    path (to read it back and verify it, or to ask whether it is still wanted): if it
    raises, the file never gets its final name. Only then is the file linked (or, where
    links are unsupported, renamed) to its final name, which fails with
    :class:`FileExistsError` if the name is taken. The file gets the current time, never
    the original's dates. Whatever happens (a failed write or check, an interrupt), the
    temporary file is removed; only a process killed outright leaves one, and
    :func:`remove_partial_files` clears it later. While it is being written and checked
    the temporary file is locked (POSIX) or open (Windows), so that clean-up never removes
    a file another export is still working on.
    """
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise FileExistsError(f"{path} already exists")
    temporary = temporary_name(path, _PARTIAL)
    handle = _create_locked(temporary)
    try:
        write_and_sync(handle, data)
        if check is not None:
            check(temporary)
        if os.name != "posix":
            handle.close()  # Windows cannot link or delete a file that is still open
        _publish(temporary, path)
    finally:
        # A signal is handled at the next bytecode, so a Ctrl-C that arrived during the
        # write may surface just here, before the removal; finish the clean-up first.
        try:
            _close_and_unlink(temporary, handle)
        except Exception:
            raise
        except BaseException:
            _close_and_unlink(temporary, handle)
            raise
    sync_directory(path.parent)


def _close_and_unlink(temporary: Path, handle: BinaryIO) -> None:
    if os.name != "posix":
        handle.close()  # Windows cannot delete an open file
    try:
        temporary.unlink(missing_ok=True)
    finally:
        handle.close()  # on POSIX only now, so the lock is held until the file is gone


def is_partial_name(name: str) -> bool:
    """True for the name of a temporary file :func:`write_new_file` makes for a JPEG.

    ``.<final>.jpg.<12 hex digits>.partial``: hidden, with the random token and the
    suffix, so no name a person gives a file (``.holiday.jpg``) looks like one.
    """
    return _PARTIAL_NAME.fullmatch(name) is not None


def remove_partial_files(folder: Path) -> list[str]:
    """Remove the temporary files a killed export left in ``folder``; returns their names.

    Only regular files named as :func:`is_partial_name` describes are touched, and only
    when no process is still writing them. Nothing else in the folder is looked at.
    """
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not is_partial_name(entry.name) or not entry.is_file(follow_symlinks=False):
            continue
        if _remove_if_unused(Path(entry.path)):
            removed.append(entry.name)
    return removed


def _remove_if_unused(path: Path) -> bool:
    """Delete ``path`` unless a writer still holds it; True when it was removed."""
    if os.name != "posix":
        try:
            path.unlink()  # refused while the writer has it open
        except OSError:
            return False
        return True
    try:
        fd = open_without_following(path)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        path.unlink()
    except OSError:  # BlockingIOError: another export is writing it right now
        return False
    finally:
        os.close(fd)
    return True


def _create_locked(path: Path) -> BinaryIO:
    """Create ``path`` (which must not exist) for writing, locked against clean-up."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o644)
    if os.name == "posix":
        # On a filesystem without locks the file is still ours, just unguarded.
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return os.fdopen(fd, "wb")


def _publish(temporary: Path, final: Path) -> None:
    """Give the finished file its final name without ever replacing another file."""
    try:
        os.link(temporary, final)
    except FileExistsError:
        raise
    except OSError:
        # Filesystems without hard links (FAT, some network shares). os.rename replaces
        # on POSIX, so check first; on Windows rename itself refuses an existing name.
        if final.exists() or final.is_symlink():
            raise FileExistsError(f"{final} already exists") from None
        os.rename(temporary, final)
