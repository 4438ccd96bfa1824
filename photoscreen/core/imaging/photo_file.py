"""A photo file's bytes, read safely, and what is said when a file cannot be a photo.

:class:`UnreadablePhoto` is the one way a file is refused, with a reason in plain words;
:func:`read_photo_file` reads a regular file without following links and without writing
(README rule 5: originals are never modified). The decoders
(:mod:`photoscreen.core.imaging.loading`, :mod:`photoscreen.core.imaging.jpeg_fast`) raise
the same exception, so this module sits below both.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from photoscreen.core.basics import open_without_following

DEFAULT_MAX_BYTES = 256 * 1024 * 1024


class UnreadablePhoto(Exception):
    """A file that cannot be used as a photo; ``reason`` says why, in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_photo_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file, read without following links and without writing.

    Refuses symlinks, folders, devices, pipes and sockets, empty files, files over
    ``max_bytes`` and files the user may not read, each with its own reason.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise UnreadablePhoto("the file does not exist (it may have been moved)") from None
    except PermissionError:
        raise UnreadablePhoto("the file cannot be read (permission denied)") from None
    except OSError as error:
        raise UnreadablePhoto(f"the file cannot be read: {error.strerror or error}") from None
    _check_file_kind(info)
    _check_file_size(info.st_size, max_bytes)
    return _read_regular_file(path, info, max_bytes)


def _check_file_kind(info: os.stat_result) -> None:
    if stat.S_ISLNK(info.st_mode):
        raise UnreadablePhoto("a link, not a photo")
    if stat.S_ISDIR(info.st_mode):
        raise UnreadablePhoto("a folder, not a photo")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadablePhoto("a special file (device, pipe or socket), not a photo")


def _check_file_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise UnreadablePhoto("the file is empty")
    if size > max_bytes:
        raise UnreadablePhoto(
            f"too large: {size / 1e6:.0f} MB, the limit is {max_bytes / 1e6:.0f} MB"
        )


def _read_regular_file(path: Path, before: os.stat_result, max_bytes: int) -> bytes:
    # Opened without following links and without blocking: if the file was swapped for a
    # link or a pipe since lstat(), open fails or returns at once.
    try:
        fd = open_without_following(path)
    except PermissionError:
        raise UnreadablePhoto("the file cannot be read (permission denied)") from None
    except OSError as error:
        raise UnreadablePhoto(f"the file cannot be read: {error.strerror or error}") from None
    with os.fdopen(fd, "rb") as handle:
        now = os.fstat(handle.fileno())
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (
            before.st_dev,
            before.st_ino,
        ):
            raise UnreadablePhoto("the file changed while it was being opened")
        try:
            data = handle.read(max_bytes + 1)
        except OSError as error:
            raise UnreadablePhoto(f"the file cannot be read: {error.strerror or error}") from None
    _check_file_size(len(data), max_bytes)
    return data


def photo_hash(data: bytes) -> str:
    """The SHA-256 of the file's content in hex: the photo's identity for decisions."""
    return hashlib.sha256(data).hexdigest()
