"""What the keyboard does to the face boxes in the photo view: A and D on possible faces,
Tab through the boxes, Esc, Shift+arrows, Delete and Shift+C on the selected box.

The table of which key means which command is :mod:`~photoscreen.ui.photo.box_commands`;
this part applies it to the boxes shown. It asks the view for what only the view knows
(is a photo shown, is the preview on) through :class:`KeysHost`, moves the selection and
the zoom through it, and hands every command to the ``run`` it is given (the view turns
that into its signals).

A and D work wherever the focus is: with no possible face selected they mean the first
one not decided yet, in Tab order. D never dismisses a box the person has not seen
selected: a dismissed box is left unblurred, so the first D only selects it and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

from photoscreen.ui.photo.box_commands import (
    ACCEPT,
    DISMISS,
    box_command,
    claims_key,
    nudge_direction,
)
from photoscreen.ui.photo.face_layer import FaceLayer

NUDGE_PX = 4.0  # Shift+arrow moves a box this many screen pixels
DISMISS_WHICH_TEXT = "Is this box not a face? Press D again to dismiss it (it will not be blurred)."
NO_POSSIBLE_TEXT = "No possible face left to decide in this photo"
PREVIEWING_TEXT = "Leave the preview (P) to decide about the possible faces"


class KeysHost(Protocol):
    """What the keys need of the photo view."""

    def has_photo(self) -> bool: ...
    def is_previewing(self) -> bool: ...
    def is_drawing(self) -> bool: ...
    def cancel_drawing(self) -> None: ...
    def select_face(self, face_id: str | None) -> None: ...
    def show_face(self, face_id: str) -> None: ...
    def show_note(self, text: str) -> None: ...
    def scene_per_screen_pixel(self) -> float: ...


class BoxKeys:
    """The photo view's keyboard, over its face boxes."""

    def __init__(
        self, host: KeysHost, faces: FaceLayer, run: Callable[[str, str | None], None]
    ) -> None:
        self._host = host
        self._faces = faces
        self._run = run  # asks for a command on one box: (face id, command)

    def claims(self, event: QKeyEvent) -> bool:
        """Keys the view takes ahead of the window's shortcuts: only in a box context."""
        item = self._faces.selected()
        return claims_key(
            item.kind if item is not None else None,
            event.key(),
            event.modifiers(),
            drawing=self._host.is_drawing(),
            previewing=self._host.is_previewing(),
        )

    def press(self, event: QKeyEvent) -> bool:
        """Do what a key pressed in the view means; False when it means nothing here."""
        key, modifiers = event.key(), event.modifiers()
        item = self._faces.selected()
        if key == Qt.Key.Key_Escape and (self._host.is_drawing() or item is not None):
            self._host.cancel_drawing()
            self._host.select_face(None)
            return True
        if item is None or not self.claims(event):
            return False
        step = nudge_direction(key, modifiers)
        command = box_command(item.kind, key, modifiers)
        if step is not None:
            unit = self._host.scene_per_screen_pixel()
            item.nudge(step[0] * NUDGE_PX * unit, step[1] * NUDGE_PX * unit)
        elif command in (ACCEPT, DISMISS):
            self.decide_possible(command)
        else:
            self._run(item.face_id, command)
        return True

    def cycle(self, forward: bool) -> bool:
        """Tab: select the next box, zoomed to it; past the last one, deselect and return
        False so that the focus moves on."""
        if not self._faces.tab_order():
            return False
        item = self._faces.next_in_tab_order(forward)
        if item is None:
            self._host.select_face(None)
            return False
        self._host.show_face(item.face_id)
        return True

    def decide_possible(self, command: str) -> None:
        """Ask for ``command`` (accept or dismiss) on a possible face, then select the next
        one to decide.

        "First" is in Tab order (left to right). Selecting the next one shows which face
        the next press of A or D will mean; with none left, a note says so.
        """
        host = self._host
        if not host.has_photo():
            return  # the view already says why there is no photo (still being read...)
        if host.is_previewing():
            host.show_note(PREVIEWING_TEXT)
            return
        undecided = self._faces.undecided()
        selected = self._faces.selected()
        target = selected if selected in undecided else next(iter(undecided), None)
        if target is None:
            host.show_note(NO_POSSIBLE_TEXT)
            return
        if command == DISMISS and target is not selected:
            # Dismissing leaves that part of the photo unblurred: show which box first.
            host.select_face(target.face_id)
            host.show_note(DISMISS_WHICH_TEXT)
            return
        face_id = target.face_id
        self._run(face_id, command)
        # The controller has answered with the faces as they are now.
        following = [item for item in self._faces.undecided() if item.face_id != face_id]
        if following:
            host.select_face(following[0].face_id)
