"""``photoscreen verify PATH...``: check image files for identifying metadata.

For whoever uploads to Facebook: one line per file saying what it carries, e.g.
``photo.jpg: GPS location (53.68 N, 1.51 W), camera serial number, a small preview picture
(embedded thumbnail)`` or
``photo.jpg: clean``. Exit status 0 when every file is clean, 1 when any carries
identifying data, 2 when any cannot be read or a folder given holds no image files, so
nothing in it was checked (2 wins over 1).

Folders are searched (not recursively) for image files, recognised by their content, so
``IMG_0001`` without an extension, exiftool's ``photo.JPG_original`` backups and hidden
files are all checked. Pictures in formats photoscreen cannot check (camera raw, BMP,
AVIF...) and files whose name says they are photos are checked too, so they are reported
as unreadable instead of being passed over. Everything printed has its control characters
made visible (see :mod:`printable`).
"""

from __future__ import annotations

import os
import stat
import sys
import traceback
import warnings
from pathlib import Path
from typing import TextIO

from photoscreen.core.basics import open_without_following, printable
from photoscreen.core.formats import describe_unsupported, sniff_format
from photoscreen.core.imaging import UnreadablePhoto, decode_photo, read_photo_file
from photoscreen.core.metadata import (
    DAMAGED,
    UNCHECKED_KINDS,
    Finding,
    damage,
    inspect_metadata,
    summarize,
)

CLEAN, IDENTIFYING, UNREADABLE = 0, 1, 2
# For the command's --help (app.py builds the parser).
DESCRIPTION = (
    "Check image files for identifying metadata. A folder is searched (not its "
    "subfolders) for image files, recognised by content, hidden ones included. Exit "
    "status: 0 all clean, 1 some file carries identifying data, 2 some file could not be "
    "read or checked to the end, or a folder held no image files."
)
# Enough of a file's start to recognise its format (HEIF's brand list, TIFF's first tags).
_HEAD_BYTES = 4096
# Names that promise a photo: checked even when the content is not one.
_IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".heic", ".heif", ".hif"}
    | {".tif", ".tiff", ".gif"}
)


def run(paths: list[Path], out: TextIO) -> int:
    """Check every file (and the image files in every folder) given; returns the status."""
    status = CLEAN
    for path in map(Path, paths):
        if path.is_dir() and not path.is_symlink():
            status = max(status, _check_folder(path, out))
        else:
            status = max(status, _check_file(path, out))
    return status


def _check_folder(folder: Path, out: TextIO) -> int:
    try:
        photos, others, subfolders = _sort_folder(folder)
    except OSError as error:
        _say(out, f"{folder}: cannot be read: the folder cannot be opened ({error.strerror})")
        return UNREADABLE
    skipped = _skipped_note(others, subfolders)
    if not photos:
        _say(out, f"{folder}: folder, no image files in it, nothing was checked{skipped}")
        return UNREADABLE
    _say(out, f"{folder}: folder, checking {len(photos)} image file(s) in it{skipped}")
    return max(_check_file(photo, out) for photo in photos)


def _sort_folder(folder: Path) -> tuple[list[Path], int, int]:
    """The folder's image files (by name), and how many other files and subfolders."""
    photos: list[Path] = []
    others = subfolders = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                subfolders += 1
            elif _is_image_file(Path(entry.path)):
                photos.append(Path(entry.path))
            else:
                others += 1
    return sorted(photos, key=lambda p: (p.name.casefold(), p.name)), others, subfolders


def _is_image_file(path: Path) -> bool:
    """Whether a folder's file is one to check: a picture by content, or named as one."""
    if path.suffix.lower() in _IMAGE_SUFFIXES:
        return True
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False  # links, pipes, devices: never opened when only scanning
        head = _read_head(path)
    except OSError:
        return True  # cannot tell what it is: check it, so the reason is shown
    return sniff_format(head) is not None or _is_other_picture(head)


def _is_other_picture(head: bytes) -> bool:
    """A picture in a format we cannot check (raw, BMP, PSD, AVIF), not an XMP sidecar."""
    reason = describe_unsupported(head)
    return reason.startswith("unsupported format:") and "XML" not in reason


def _read_head(path: Path) -> bytes:
    fd = open_without_following(path)
    try:
        return os.read(fd, _HEAD_BYTES)
    finally:
        os.close(fd)


def _skipped_note(others: int, subfolders: int) -> str:
    parts = [f"{others} other file(s) that are not images"] if others else []
    parts += [f"{subfolders} subfolder(s), not searched"] if subfolders else []
    return f" (skipped: {', '.join(parts)})" if parts else ""


def _check_file(path: Path, out: TextIO) -> int:
    try:
        data = read_photo_file(path)
        if sniff_format(data) is None:
            raise UnreadablePhoto(describe_unsupported(data))
        findings = inspect_metadata(data)
        # Decoding proves the picture itself is intact (not truncated or corrupt).
        with warnings.catch_warnings():
            # Pillow warns once per tag it skips: thousands of lines for a hostile file,
            # whose problem the line printed for it already names.
            warnings.simplefilter("ignore")
            decode_photo(data, min_long_side=256)
        unchecked = damage(findings)
        if unchecked is not None:
            raise UnreadablePhoto(_damage_reason(unchecked, findings))
    except UnreadablePhoto as error:
        _say(out, f"{path}: cannot be read: {error.reason}")
        return UNREADABLE
    except Exception as error:
        # A fault of photoscreen's own, not of the file. Python's exit status for an
        # uncaught exception is 1, which here means "identifying data found", and the
        # other files would go unchecked: say so for this file, keep the traceback for
        # whoever looks into it, and go on.
        traceback.print_exc(file=sys.stderr)
        reason = f"it could not be checked ({type(error).__name__}: {error})"
        _say(out, f"{path}: cannot be read: {reason}")
        return UNREADABLE
    _say(out, f"{path}: {summarize(findings)}")
    return IDENTIFYING if findings else CLEAN


def _damage_reason(unchecked: Finding, findings: list[Finding]) -> str:
    """The picture decodes, but the file breaks off where something else could follow, or
    holds a part too large to check."""
    rest = "the rest of the file" if unchecked.kind == DAMAGED else "that part"
    reason = f"{unchecked.text}: the picture can be shown, but {rest} cannot be checked"
    carried = [f for f in findings if f.kind not in UNCHECKED_KINDS]
    return f"{reason}; it also carries {summarize(carried)}" if carried else reason


def _say(out: TextIO, line: str) -> None:
    text = printable(line)
    encoding = getattr(out, "encoding", None)
    if encoding:  # e.g. a Windows console redirected to a file: cp1252 has no "Ł"
        text = text.encode(encoding, "backslashreplace").decode(encoding)
    print(text, file=out)
