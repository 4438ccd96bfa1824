"""Opening files without following links, and writing them so that a crash leaves the old
file or the new one, never half of one.

:func:`open_without_following` is how photoscreen opens a file it did not write (a photo,
a leftover of a killed export): never through a symbolic link, never blocking on a pipe
put where a file was.

One guarantee for every file photoscreen writes (exported photos, the centre file, the
audit trail's anchor, the demo photos, thumbnails): the bytes go to a temporary name in
the same folder, are flushed and fsynced, the temporary file is then renamed to its name
(or, for an export, linked: see :func:`photoscreen.core.render.encode.write_new_file`,
which never replaces a file), and the folder itself is fsynced so that the new name
survives a power cut too.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import BinaryIO


def open_without_following(path: Path) -> int:
    """A read-only descriptor of ``path`` itself: ``OSError`` if it is a link (where the
    system can tell, with ``O_NOFOLLOW``); a pipe or device opens without blocking."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def temporary_name(path: Path, suffix: str = ".tmp") -> Path:
    """A hidden name beside ``path`` that no other writer picks: ``.<name>.<token><suffix>``."""
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}{suffix}")


def write_and_sync(handle: BinaryIO, data: bytes) -> None:
    """Write ``data`` and wait until it is on the disk, not only in the system's cache."""
    handle.write(data)
    handle.flush()
    os.fsync(handle.fileno())


def sync_directory(folder: Path) -> None:
    """Make names just given in ``folder`` durable (POSIX; Windows has no folder handles)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes) -> None:
    """Create or replace ``path`` with ``data``: a crash leaves the old file or the new one.

    Its folder is made first if it is missing. The temporary file is removed whatever
    happens short of the process being killed (then a hidden ``.<name>.<token>.tmp`` may
    stay beside it, never under its name).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_name(path)
    try:
        with temporary.open("xb") as handle:
            write_and_sync(handle, data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    sync_directory(path.parent)
