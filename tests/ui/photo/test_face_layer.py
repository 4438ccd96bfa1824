"""The face layer on its own: the face items of a plain scene kept in step with the
overlays, Tab's order and its step, and which box a click is about."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsScene

from photoscreen.core.basics.geometry import Box
from photoscreen.ui.control.view_state import FaceOverlay
from photoscreen.ui.photo.face_items import KIND_FACE, KIND_POSSIBLE, FaceItem
from photoscreen.ui.photo.face_layer import FaceLayer, cycle_index, face_item_of

PHOTO = QRectF(0, 0, 1000, 800)
IDS = [f"f{i}" for i in range(8)]


def overlay(face_id: str, kind: str = KIND_FACE) -> FaceOverlay:
    """A box placed by its id, so that Tab's order is the ids' order."""
    index = int(face_id[1:])
    return FaceOverlay(face_id, Box(20 + 110 * index, 40 + 7 * index, 60, 60), kind)


def layer_in(scene: QGraphicsScene) -> FaceLayer:
    return FaceLayer(scene, 8.0)


def sync(layer: FaceLayer, faces: list[FaceOverlay], visible: bool = True) -> None:
    layer.sync(faces, bounds=PHOTO, unit=1.0, visible=visible)


@given(st.integers(0, 20), st.booleans())
def test_tab_visits_every_box_once_then_lets_the_focus_go(count, forward):
    seen, index = [], cycle_index(count, None, forward)
    while index is not None:
        assert 0 <= index < count
        seen.append(index)
        index = cycle_index(count, index, forward)
    assert seen == (list(range(count)) if forward else list(range(count))[::-1])


@given(st.integers(1, 20), st.data())
def test_tab_then_shift_tab_comes_back(count, data):
    start = data.draw(st.integers(0, count - 1))
    ahead = cycle_index(count, start, True)
    if ahead is not None:
        assert cycle_index(count, ahead, False) == start


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sets(st.sampled_from(IDS)), min_size=1, max_size=6), st.data())
def test_the_items_follow_the_overlays_and_a_kept_box_keeps_its_selection(qapp, steps, data):
    scene = QGraphicsScene()
    layer = layer_in(scene)
    for wanted in steps:
        before = {fid: layer.get(fid) for fid in IDS}
        selected = layer.selected()
        sync(layer, [overlay(fid) for fid in sorted(wanted)])
        shown = [item.face_id for item in layer.tab_order()]
        assert shown == sorted(wanted, key=lambda fid: int(fid[1:]))
        faces_in_scene = [i for i in scene.items() if isinstance(i, FaceItem)]
        assert len(faces_in_scene) == len(wanted)  # a box taken away leaves the scene
        for fid in wanted:
            if before[fid] is not None:
                assert layer.get(fid) is before[fid]  # the same item, updated in place
        if selected is not None and selected.face_id in wanted:
            assert layer.selected() is selected
        if wanted:
            layer[data.draw(st.sampled_from(sorted(wanted)))].setSelected(True)


def test_a_kind_change_updates_the_box_in_place(qapp):
    scene = QGraphicsScene()
    layer = layer_in(scene)
    sync(layer, [overlay("f1", KIND_POSSIBLE)])
    item = layer["f1"]
    assert [i.face_id for i in layer.undecided()] == ["f1"]
    sync(layer, [overlay("f1", KIND_FACE)])
    assert layer["f1"] is item and item.kind == KIND_FACE and layer.undecided() == []


def test_hidden_boxes_are_out_of_tab_order_but_still_counted_for_the_strip(qapp):
    scene = QGraphicsScene()
    layer = layer_in(scene)
    sync(layer, [overlay("f0"), overlay("f1")], visible=False)
    assert layer.tab_order() == [] and len(layer.tab_order(visible_only=False)) == 2
    layer.set_visible(True)
    assert [i.face_id for i in layer.tab_order()] == ["f0", "f1"]


def test_next_in_tab_order_starts_at_the_ends_and_stops_past_them(qapp):
    scene = QGraphicsScene()
    layer = layer_in(scene)
    sync(layer, [overlay(fid) for fid in ("f0", "f1", "f2")])
    first = layer.next_in_tab_order(True)
    assert first is not None and first.face_id == "f0"
    last = layer.next_in_tab_order(False)
    assert last is not None and last.face_id == "f2"
    last.setSelected(True)
    assert layer.next_in_tab_order(True) is None


def test_an_edit_comes_out_as_a_box_in_full_resolution_pixels(qapp):
    scene = QGraphicsScene()
    layer = layer_in(scene)
    edits: list[tuple[str, Box]] = []
    layer.edited.connect(lambda fid, box: edits.append((fid, box)))
    sync(layer, [overlay("f0")])
    layer["f0"].nudge(15, -10)
    assert edits and edits[0][0] == "f0"
    box = edits[0][1]
    assert isinstance(box, Box)
    assert (box.x, box.y, box.w, box.h) == pytest.approx((35, 30, 60, 60))


def test_a_click_on_a_boxs_handle_or_label_is_about_that_box(qapp):
    scene = QGraphicsScene()
    layer = layer_in(scene)
    sync(layer, [overlay("f0")])
    item = layer["f0"]
    assert face_item_of(item.childItems()) is item
    assert face_item_of([]) is None
