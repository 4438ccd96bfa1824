"""The photo, large, with its face boxes, and the face strip (every box as a crop, to check
one by one).

:class:`PhotoView` is made of parts with one job each: zoom and fit (``zoom_view``), the
picture under the boxes (``picture``), the face items kept in step with the overlays
(``face_layer``, items and their handles in ``face_items`` / ``face_parts``), drawing a
box by hand (``box_drawing``), the keys (``box_keys``, after the table in
``box_commands``) and the words over the photo (``notices``).
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
