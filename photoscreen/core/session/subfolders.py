"""Folders inside a folder that hold photos: offered when the folder opened has none.

Staff often open the folder a card was copied into, whose photos sit one level down
("DCIM", "Monday trip"). Such a folder lists no photos; rather than an empty window, the
window offers the folders inside it that do hold photos.

A file counts as a photo when its first bytes are in a supported format (the same sniffing
the reader uses), not by its name. Only the first level is looked at, hidden and system
names are skipped (see :func:`~photoscreen.core.session.photo_list.is_system_file`), and
links are not followed: the same rules as the folder's own listing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from photoscreen.core.formats import sniff_format
from photoscreen.core.session.photo_list import is_system_file, list_folder

_HEAD_BYTES = 64  # enough for every format sniff_format knows


@dataclass(frozen=True)
class Subfolder:
    """A folder inside the one opened, and how many photos are directly in it."""

    path: Path
    photos: int


def is_photo_file(path: Path) -> bool:
    """True when ``path`` is a regular file (not a link) whose bytes are a supported photo."""
    try:
        if path.is_symlink() or not path.is_file():
            return False
        with path.open("rb") as file:
            return sniff_format(file.read(_HEAD_BYTES)) is not None
    except OSError:
        return False  # unreadable here: the folder's own listing says why, when opened


def has_photos(folder: Path) -> bool:
    """True when ``folder`` holds at least one photo directly (stops at the first)."""
    try:
        return any(is_photo_file(path) for path in list_folder(folder))
    except OSError:
        return False


def subfolders_with_photos(folder: Path) -> list[Subfolder]:
    """The folders directly inside ``folder`` holding photos, sorted by name.

    An unreadable subfolder is left out (it could not be opened either); a folder that
    cannot be listed gives none.
    """
    found = []
    try:
        with os.scandir(folder) as entries:
            children = [
                Path(entry.path)
                for entry in entries
                if entry.is_dir(follow_symlinks=False) and not is_system_file(entry.name)
            ]
    except OSError:
        return []
    for child in sorted(children, key=lambda p: (p.name.casefold(), p.name)):
        try:
            count = sum(1 for path in list_folder(child) if is_photo_file(path))
        except OSError:
            continue
        if count:
            found.append(Subfolder(child, count))
    return found
