"""The photo view's keys on their own: which keys it claims ahead of the window, Tab's
direction, and A / D over a face layer (through a small host, no photo view).

The safety rule checked for any run of presses: D never dismisses a box the person did
not have selected (a dismissed box is left unblurred), and A / D only ever decide boxes
that are still undecided.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QGraphicsScene

from photoscreen.core.basics.geometry import Box
from photoscreen.ui.control import KIND_WRITING, KIND_WRITING_COVERED
from photoscreen.ui.control.view_state import FaceOverlay
from photoscreen.ui.photo.box_commands import ACCEPT, DISMISS, claims_key, tab_step
from photoscreen.ui.photo.box_keys import (
    DISMISS_WHICH_TEXT,
    NO_POSSIBLE_TEXT,
    PREVIEWING_TEXT,
    BoxKeys,
)
from photoscreen.ui.photo.face_items import KIND_CONSENT, KIND_FACE, KIND_POSSIBLE, UNDECIDED_KINDS
from photoscreen.ui.photo.face_layer import FaceLayer

Key = Qt.Key
Mod = Qt.KeyboardModifier
KINDS = (KIND_FACE, KIND_POSSIBLE, KIND_CONSENT, KIND_WRITING, KIND_WRITING_COVERED)
KEYS = (Key.Key_A, Key.Key_D, Key.Key_C, Key.Key_Delete, Key.Key_Return, Key.Key_Left, Key.Key_X)
MODIFIERS = (Mod.NoModifier, Mod.ShiftModifier, Mod.ControlModifier)


@given(
    st.sampled_from((None, *KINDS)),
    st.sampled_from(KEYS),
    st.sampled_from(MODIFIERS),
    st.booleans(),
    st.booleans(),
)
def test_the_view_claims_keys_only_in_a_box_context(kind, key, modifiers, drawing, previewing):
    claimed = claims_key(kind, key, modifiers, drawing=drawing, previewing=previewing)
    if kind is None or previewing:
        assert not claimed  # the window's shortcuts keep every key
    escape = claims_key(kind, Key.Key_Escape, modifiers, drawing=drawing, previewing=previewing)
    assert escape == (drawing or kind is not None)


def test_keys_claimed_for_a_selected_box_are_its_commands_and_nudges():
    plain, shift = Mod.NoModifier, Mod.ShiftModifier
    assert claims_key(KIND_POSSIBLE, Key.Key_A, plain, drawing=False, previewing=False)
    assert not claims_key(KIND_FACE, Key.Key_A, plain, drawing=False, previewing=False)
    assert claims_key(KIND_FACE, Key.Key_C, shift, drawing=False, previewing=False)
    assert not claims_key(KIND_FACE, Key.Key_C, plain, drawing=False, previewing=False)
    assert claims_key(KIND_FACE, Key.Key_Left, shift, drawing=False, previewing=False)
    assert not claims_key(KIND_FACE, Key.Key_Left, plain, drawing=False, previewing=False)


def test_tab_goes_forward_shift_tab_back_and_other_keys_are_not_tab():
    assert tab_step(Key.Key_Tab, Mod.NoModifier) is True
    assert tab_step(Key.Key_Backtab, Mod.ShiftModifier) is False
    assert tab_step(Key.Key_Tab, Mod.ShiftModifier) is False
    assert tab_step(Key.Key_Tab, Mod.ControlModifier) is None  # the window's Ctrl+Tab
    assert tab_step(Key.Key_A, Mod.NoModifier) is None


class Host:
    """The little a photo view tells the keys: a photo is shown, the preview may be on."""

    def __init__(self, scene: QGraphicsScene, faces: FaceLayer) -> None:
        self.scene, self.faces = scene, faces
        self.previewing = False
        self.notes: list[str] = []

    def has_photo(self) -> bool:
        return True

    def is_previewing(self) -> bool:
        return self.previewing

    def is_drawing(self) -> bool:
        return False

    def cancel_drawing(self) -> None:
        pass

    def select_face(self, face_id: str | None) -> None:
        self.scene.clearSelection()
        item = self.faces.get(face_id)
        if item is not None:
            item.setSelected(True)

    def show_face(self, face_id: str) -> None:
        self.select_face(face_id)

    def show_note(self, text: str) -> None:
        self.notes.append(text)

    def scene_per_screen_pixel(self) -> float:
        return 1.0


class Photo:
    """Boxes, their keys, and a controller's answer to each decision."""

    def __init__(self, kinds: list[str]) -> None:
        self.scene = QGraphicsScene()
        self.faces = FaceLayer(self.scene, 8.0)
        self.host = Host(self.scene, self.faces)
        self.overlays = {
            f"b{i}": FaceOverlay(f"b{i}", Box(10 + 50 * i, 10, 40, 40), kind)
            for i, kind in enumerate(kinds)
        }
        self.asked: list[tuple[str, str | None, str | None]] = []  # id, command, selected
        self.keys = BoxKeys(self.host, self.faces, self.run)
        self.show()

    def show(self) -> None:
        self.faces.sync(
            list(self.overlays.values()), bounds=QRectF(0, 0, 1000, 100), unit=1.0, visible=True
        )

    def run(self, face_id: str, command: str | None) -> None:
        selected = self.faces.selected()
        self.asked.append((face_id, command, selected.face_id if selected else None))
        assert self.overlays[face_id].kind in UNDECIDED_KINDS, "only undecided boxes are decided"
        if command == ACCEPT:
            self.overlays[face_id] = FaceOverlay(face_id, self.overlays[face_id].box, KIND_FACE)
        elif command == DISMISS:
            del self.overlays[face_id]
        self.show()  # the controller answers with the faces as they are now


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(KINDS), max_size=6),
    st.lists(st.one_of(st.sampled_from((ACCEPT, DISMISS)), st.integers(0, 5)), max_size=12),
)
def test_d_only_dismisses_the_box_selected_before_it(qapp, kinds, presses):
    photo = Photo(kinds)
    for press in presses:
        if isinstance(press, int):  # a click on a box, when there is one
            photo.host.select_face(f"b{press}")
            continue
        selected = photo.faces.selected()
        asked, said = len(photo.asked), len(photo.host.notes)
        photo.keys.decide_possible(press)
        new = photo.asked[asked:]
        assert len(new) + len(photo.host.notes) - said == 1, "each press acts or says why not"
        for face_id, command, _ in new:
            assert command == press
            if command == DISMISS:
                assert selected is not None and selected.face_id == face_id, (
                    f"D dismissed {face_id} without it being selected"
                )


def test_the_first_d_shows_the_box_the_second_dismisses_it(qapp):
    photo = Photo([KIND_FACE, KIND_POSSIBLE, KIND_POSSIBLE])
    photo.keys.decide_possible(DISMISS)
    assert photo.asked == [] and photo.host.notes == [DISMISS_WHICH_TEXT]
    assert photo.faces.selected() is photo.faces["b1"]
    photo.keys.decide_possible(DISMISS)
    assert [a[:2] for a in photo.asked] == [("b1", DISMISS)]
    assert photo.faces.selected() is photo.faces["b2"]  # the next one to decide


def test_a_and_d_do_nothing_but_say_why_in_the_preview_or_with_nothing_to_decide(qapp):
    photo = Photo([KIND_POSSIBLE])
    photo.host.previewing = True
    photo.keys.decide_possible(ACCEPT)
    assert photo.asked == [] and photo.host.notes == [PREVIEWING_TEXT]
    photo.host.previewing = False
    photo.keys.decide_possible(ACCEPT)
    photo.keys.decide_possible(ACCEPT)
    assert [a[:2] for a in photo.asked] == [("b0", ACCEPT)]
    assert photo.host.notes[-1] == NO_POSSIBLE_TEXT


def test_tab_cycles_through_the_boxes_and_lets_go_past_the_last(qapp):
    photo = Photo([KIND_FACE, KIND_POSSIBLE])
    assert photo.keys.cycle(True) and photo.faces.selected() is photo.faces["b0"]
    assert photo.keys.cycle(True) and photo.faces.selected() is photo.faces["b1"]
    assert not photo.keys.cycle(True) and photo.faces.selected() is None
    assert photo.keys.cycle(False) and photo.faces.selected() is photo.faces["b1"]
