"""``photoscreen verify PATH...``: check image files for identifying metadata.

For whoever uploads to Facebook: one line per file saying what it carries, e.g.
``photo.jpg: GPS position 53.68 N 1.51 W, camera serial number, 1 embedded thumbnail`` or
``photo.jpg: clean``. Exit status 0 when every file is clean, 1 when any carries
identifying data, 2 when any cannot be read (2 wins over 1). Folders are searched (not
recursively) for image files, recognised by content rather than by name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from photoscreen.core.findings import summarize
from photoscreen.core.formats import describe_unsupported, sniff_format
from photoscreen.core.loading import UnreadablePhoto, decode_photo, read_photo_file
from photoscreen.core.metadata import inspect_metadata

CLEAN, IDENTIFYING, UNREADABLE = 0, 1, 2
# Extensions worth opening when scanning a folder; the content still decides the format.
_IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".heic", ".heif", ".hif"}
    | {".tif", ".tiff", ".gif"}
)


def run(paths: list[Path], out: TextIO) -> int:
    """Check every file (and the image files in every folder) given; returns the status."""
    status = CLEAN
    for path in paths:
        for file_path in _expand(Path(path), out):
            status = max(status, _check_file(file_path, out))
    return status


def _expand(path: Path, out: TextIO) -> list[Path]:
    """The files to check for one argument: the file itself, or a folder's image files."""
    if not path.is_dir() or path.is_symlink():
        return [path]
    files = sorted(
        p
        for p in path.iterdir()
        if p.suffix.lower() in _IMAGE_SUFFIXES and not p.name.startswith(".")
    )
    print(f"{path}: folder, checking {len(files)} image file(s) in it", file=out)
    return files


def _check_file(path: Path, out: TextIO) -> int:
    try:
        data = read_photo_file(path)
        if sniff_format(data) is None:
            raise UnreadablePhoto(describe_unsupported(data))
        findings = inspect_metadata(data)
        # Decoding proves the picture itself is intact (not truncated or corrupt).
        decode_photo(data, min_long_side=256)
    except UnreadablePhoto as error:
        print(f"{path}: cannot be read: {error.reason}", file=out)
        return UNREADABLE
    print(f"{path}: {summarize(findings)}", file=out)
    return IDENTIFYING if findings else CLEAN
