"""What a key press or a menu entry does to the selected face box, in one table.

Kept apart from the photo view so the mapping is plain data: the view asks which keys it
claims ahead of the window's shortcuts and which command a key means for a box of a given
kind, and emits the matching signal; the help overlay can list :data:`BOX_KEY_HELP`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from photoscreen.ui.photo import writing_marks
from photoscreen.ui.photo.face_items import KIND_CONSENT, KIND_FACE, KIND_POSSIBLE, UNDECIDED_KINDS

ACCEPT = "accept"  # a possible face is a face: redact it
DISMISS = "dismiss"  # a possible face is not a face
DELETE = "delete"  # remove a face box
CONSENT = "consent"  # whose face is it (the register's picker), or blur a shown one

_DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
_ACCEPT_KEYS = (Qt.Key.Key_A, Qt.Key.Key_Return, Qt.Key.Key_Enter)
_ARROWS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}

BOX_KEY_HELP = (
    ("Tab / Shift+Tab", "Select and zoom to the next / previous box"),
    ("Delete", "Remove the selected face box"),
    ("Shift+C", "Whose face? Pick the person; again to blur"),
    ("Enter", "Yes, the selected possible face is a face"),
    ("Shift+arrows", "Move the selected box"),
    ("Esc", "Deselect, or stop drawing a box"),
)


def box_command(kind: str, key: int, modifiers: Qt.KeyboardModifier) -> str | None:
    """The command a key means for a selected box of ``kind``, or ``None``.

    Consent is Shift+C, not C: plain C is the window's "faces checked", and a slip of the
    finger must never leave a face unblurred.
    """
    modifiers &= ~Qt.KeyboardModifier.KeypadModifier
    if key == Qt.Key.Key_C and modifiers == Qt.KeyboardModifier.ShiftModifier:
        return CONSENT if kind in (KIND_FACE, KIND_CONSENT) else None
    if modifiers != Qt.KeyboardModifier.NoModifier:
        return None
    if kind in UNDECIDED_KINDS:
        if key in _ACCEPT_KEYS:
            return ACCEPT
        if key in _DELETE_KEYS or key == Qt.Key.Key_D:
            return DISMISS
        return None
    if key in _DELETE_KEYS:
        return DELETE
    return None


def nudge_direction(key: int, modifiers: Qt.KeyboardModifier) -> tuple[int, int] | None:
    """Shift+arrow moves the selected box: the (dx, dy) step it asks for, or ``None``."""
    if modifiers != Qt.KeyboardModifier.ShiftModifier:
        return None
    for arrow, direction in _ARROWS.items():
        if key == arrow:
            return direction
    return None


def menu_entries(kind: str) -> list[tuple[str, str]]:
    """The context menu of a box of ``kind``: (text, command) pairs."""
    if kind in writing_marks.WRITING_KINDS:
        return writing_marks.menu_entries(kind)
    if kind == KIND_POSSIBLE:
        return [
            ("Yes, it is a face: blur it  (A)", ACCEPT),
            ("Not a face: remove the box  (D)", DISMISS),
        ]
    consent = (
        "Blur this face again  (Shift+C)"
        if kind == KIND_CONSENT
        else "Whose face is it? Show or link…  (Shift+C)"
    )
    return [(consent, CONSENT), ("Delete this box  (Delete)", DELETE)]


def claims_key(
    kind: str | None,
    key: int,
    modifiers: Qt.KeyboardModifier,
    *,
    drawing: bool,
    previewing: bool,
) -> bool:
    """True when the photo view takes ``key`` ahead of the window's shortcuts: only in a
    box context. ``kind`` is the selected box's, ``None`` with no box selected.

    Esc stops drawing or deselects; the other keys only mean something to a selected box,
    and nothing while the export preview hides the boxes.
    """
    if key == Qt.Key.Key_Escape:
        return drawing or kind is not None
    if kind is None or previewing:
        return False
    command = box_command(kind, key, modifiers)
    return command is not None or nudge_direction(key, modifiers) is not None


def tab_step(key: int, modifiers: Qt.KeyboardModifier) -> bool | None:
    """Tab (True: forward) or Shift+Tab (False: back) with no other modifier, else ``None``."""
    if key not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
        return None
    if modifiers & ~Qt.KeyboardModifier.ShiftModifier != Qt.KeyboardModifier.NoModifier:
        return None
    return key == Qt.Key.Key_Tab and not modifiers & Qt.KeyboardModifier.ShiftModifier
