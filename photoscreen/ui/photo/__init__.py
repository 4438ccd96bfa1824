"""The photo, large, with its face boxes: the zoomable view, the box items and their parts,
what keys do to a box, and the face strip (every box as a crop, to check one by one).
"""

from __future__ import annotations

from photoscreen.ui.photo.box_commands import BOX_KEY_HELP
from photoscreen.ui.photo.face_strip import FaceStrip
from photoscreen.ui.photo.view import PhotoView
from photoscreen.ui.photo.writing_marks import WRITING_DRAWING_TEXT

__all__ = [
    "BOX_KEY_HELP",
    "WRITING_DRAWING_TEXT",
    "FaceStrip",
    "PhotoView",
]
