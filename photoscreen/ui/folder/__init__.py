"""The open folder, below the controllers: opening its session on a worker, reading its
photos in the background (scan, streamed photo by photo), and noticing what another
photoscreen saved in it.
"""

from __future__ import annotations

from photoscreen.ui.folder.folder_opening import FolderOpener, FolderOpening, OpenedFolder
from photoscreen.ui.folder.folder_scan import FolderScan, ScannedPhoto
from photoscreen.ui.folder.outside_changes import OutsideChanges

__all__ = [
    "FolderOpener",
    "FolderOpening",
    "FolderScan",
    "OpenedFolder",
    "OutsideChanges",
    "ScannedPhoto",
]
