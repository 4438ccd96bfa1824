"""Where an export may write: never into the photo folder or photoscreen's session folder.

Safe copies written among the originals would be mixed with them (and listed, checked and
exported again as photos of their own); written into the session folder, they would sit
among the database, thumbnails and logs. One folder can be reached by many paths: a
symbolic link, a bind mount, a network share mapped twice, another case of the same name
on a case-insensitive disk. Paths that look different can be the same folder, so folders
are compared by identity (device and inode: ``os.path.samefile``), not only by resolved
path, for the destination itself and every folder above it.
"""

from __future__ import annotations

import os
from pathlib import Path

from photoscreen.core.basics import shown_name

PHOTO_FOLDER = (
    "Choose another folder to export to: exporting into the photo folder itself, or a "
    "folder inside it, would mix the safe copies with the originals."
)
SESSION_FOLDER = (
    "Choose another folder to export to: that one is inside photoscreen's own session folder."
)


class ExportRefused(ValueError):
    """The destination cannot be used; ``str()`` says why in plain words."""


def check_destination(destination: Path, *, photo_folder: Path, session_dir: Path) -> Path:
    """The destination (resolved), created if needed; refused (:class:`ExportRefused`)
    when it is, or is inside, the photo folder or the session folder."""
    target = Path(destination).expanduser().resolve()
    for folder in _existing_self_and_parents(target):
        if _same_folder(folder, photo_folder):
            raise ExportRefused(PHOTO_FOLDER)
        if _same_folder(folder, session_dir):
            raise ExportRefused(SESSION_FOLDER)
    if target.exists() and not target.is_dir():
        raise ExportRefused(f"{shown_name(target)} is a file, not a folder.")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportRefused(
            f"The folder {shown_name(target)} cannot be created: {error.strerror}"
        ) from error
    return target


def _existing_self_and_parents(target: Path) -> list[Path]:
    """``target`` (if it exists) and every folder above it, nearest first."""
    return [folder for folder in (target, *target.parents) if folder.exists()]


def _same_folder(one: Path, other: Path) -> bool:
    """Whether two paths are one folder: by path, or by identity (same device and inode)."""
    if one == other.resolve():
        return True
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False
