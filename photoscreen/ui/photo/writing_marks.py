"""How writing regions ("writing?") look and behave over the photo, apart from faces.

Writing that could name someone (a peg label, a sticker, a number plate) is shown as its
own band, drawn unlike any face box so nobody mistakes one for the other: a blue
dash-dot outline while it waits ("Writing?": A covers it, D leaves it), solid blue once
it will be covered. The face items (:mod:`photoscreen.ui.photo.face_items`) draw these kinds
with the colours, labels and pens given here; the keys and menus
(:mod:`photoscreen.ui.photo.box_commands`) treat a waiting region like a possible face, and a
covered one like a face without consent (it has none to give).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen

from photoscreen.ui.control import KIND_WRITING, KIND_WRITING_COVERED

WRITING_KINDS = (KIND_WRITING, KIND_WRITING_COVERED)

WRITING_COLOURS = {
    KIND_WRITING: QColor("#38c6ff"),
    KIND_WRITING_COVERED: QColor("#4f7dff"),
}
WRITING_LABELS = {
    KIND_WRITING: "Writing?  A: cover  D: leave",
    KIND_WRITING_COVERED: "Writing: will be covered",
}
WRITING_TIPS = {
    KIND_WRITING: "This may be writing that names someone (a label, a sticker, a plate).\n"
    "It is never read. A or Enter: cover it in the export.  D: leave it as it is.",
    KIND_WRITING_COVERED: "This writing will be covered with a solid fill in the export.\n"
    "Drag to move, drag a corner to resize, Delete removes it.",
}
WRITING_DRAWING_TEXT = "Drag a box over the writing (a name, a plate)  ·  Esc cancels"


def style_pen(pen: QPen, kind: str) -> None:
    """Give ``pen`` the line of a writing kind (dash-dot: unlike every face box)."""
    pen.setStyle(Qt.PenStyle.CustomDashLine)
    if kind == KIND_WRITING:
        pen.setDashPattern([3.0, 1.2, 0.8, 1.2])
    else:
        pen.setDashPattern([6.0, 1.0, 1.0, 1.0])


def menu_entries(kind: str) -> list[tuple[str, str]]:
    """The context menu of a writing region: (text, command) pairs."""
    if kind == KIND_WRITING:
        return [
            ("Yes, cover this writing in the export  (A)", "accept"),
            ("Leave it: nothing here names anyone  (D)", "dismiss"),
        ]
    return [("Delete this box  (Delete)", "delete")]
