"""The photo, large, with its face boxes: the zoomable view, the box items and their parts, and
what keys do to a box.
"""

from __future__ import annotations

from photoscreen.ui.photo.box_commands import BOX_KEY_HELP
from photoscreen.ui.photo.view import PhotoView

__all__ = [
    "BOX_KEY_HELP",
    "PhotoView",
]
