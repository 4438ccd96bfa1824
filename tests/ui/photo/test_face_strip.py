"""The face strip under the photo: every box as a crop, possible faces first, one key each.

The strip alone (fed a :class:`StripState`), then in the real window: choosing a crop
selects and zooms to its box, its keys decide the face in the session, and Tab from the
grid selects the first box from the first press.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtTest import QTest

from photoscreen.core.basics.geometry import Box
from photoscreen.core.faces import Detection, FaceBand
from photoscreen.core.rules.policy import FaceState
from photoscreen.ui.photo.face_items import KIND_CONSENT, KIND_FACE, KIND_POSSIBLE
from photoscreen.ui.photo.face_strip import (
    KIND_TEXT,
    FaceStrip,
    Region,
    StripState,
    header_text,
    strip_order,
)
from photoscreen.ui.threads.photo_jobs import FoundAgain
from tests.ui.conftest import save_jpeg, scanned_window, scene

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

KINDS = (KIND_FACE, KIND_POSSIBLE, KIND_CONSENT, KIND_TEXT)


def _regions(*kinds: str) -> tuple[Region, ...]:
    return tuple(Region(str(i), kind, Box(10 * i, 0, 10, 10)) for i, kind in enumerate(kinds))


def _crop() -> QPixmap:
    pixmap = QPixmap(40, 50)
    pixmap.fill(QColor("#884422"))
    return pixmap


def _state(regions: tuple[Region, ...], key: object = 1) -> StripState:
    return StripState(key, regions, {r.id: _crop() for r in regions})


@given(st.lists(st.sampled_from(KINDS), max_size=12))
def test_regions_waiting_for_a_decision_come_first_in_the_given_order(kinds):
    regions = _regions(*kinds)
    ordered = strip_order(regions)
    assert sorted(r.id for r in ordered) == sorted(r.id for r in regions)
    waiting = [r.kind in (KIND_POSSIBLE, KIND_TEXT) for r in ordered]
    assert waiting == sorted(waiting, reverse=True)
    for group in (True, False):
        ids = [int(r.id) for r in ordered if (r.kind in (KIND_POSSIBLE, KIND_TEXT)) is group]
        assert ids == sorted(ids)


@pytest.fixture
def strip(qtbot) -> FaceStrip:
    widget = FaceStrip()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _record(strip: FaceStrip) -> list[tuple[str, str]]:
    said: list[tuple[str, str]] = []
    for name in ("chosen", "accepted", "dismissed", "removed"):
        getattr(strip, name).connect(lambda rid, n=name: said.append((n, rid)))
    return said


def test_one_key_per_crop_decides_it_and_moves_on(strip):
    strip.set_state(_state(_regions(KIND_FACE, KIND_POSSIBLE, KIND_FACE, KIND_POSSIBLE)))
    assert [r.id for r in strip.regions()] == ["1", "3", "0", "2"]
    said = _record(strip)
    strip.set_current("1")
    QTest.keyClick(strip.crops, Qt.Key.Key_A)  # possible face 1 is a face
    QTest.keyClick(strip.crops, Qt.Key.Key_D)  # possible face 3 is not
    QTest.keyClick(strip.crops, Qt.Key.Key_Return)  # face 0 is right
    QTest.keyClick(strip.crops, Qt.Key.Key_Delete)  # box 2 is not a face
    assert said == [
        ("accepted", "1"),
        ("chosen", "3"),
        ("dismissed", "3"),
        ("chosen", "0"),
        ("chosen", "2"),
        ("removed", "2"),
    ]
    assert strip.all_looked_at()
    # Nobody answered with the decided faces (no session here): two still read possible.
    assert "4 of 4 looked at" in strip.header.text()


def test_choosing_a_crop_says_which_and_a_selected_box_does_not_echo(strip):
    strip.set_state(_state(_regions(KIND_FACE, KIND_FACE, KIND_FACE)))
    said = _record(strip)
    strip.set_current("2")  # the view selected box 2
    assert said == [] and strip.current_region().id == "2"
    QTest.keyClick(strip.crops, Qt.Key.Key_Left)
    assert said == [("chosen", "1")]


def test_looked_at_is_kept_across_updates_and_forgotten_on_another_photo(strip):
    regions = _regions(KIND_POSSIBLE, KIND_FACE)
    strip.set_state(_state(regions))
    strip.set_current("1")
    strip.decide(True)
    assert strip.looked_at() == {"1"}
    # The possible face was accepted in the photo view: it was looked at too.
    accepted = (Region("0", KIND_FACE, regions[0].box), regions[1])
    strip.set_state(_state(accepted))
    assert strip.looked_at() == {"0", "1"}
    strip.set_state(_state(accepted, key=2))
    assert strip.looked_at() == frozenset()


def test_header_says_what_is_left(strip):
    assert "B draws a box" in header_text((), frozenset())
    assert header_text((), frozenset(), photo=False) == ""  # no photo: no box to miss
    regions = _regions(KIND_POSSIBLE, KIND_FACE)
    assert header_text(regions, frozenset()).startswith("1 possible to decide · 0 of 2")
    assert "C: faces checked" in header_text(_regions(KIND_FACE), frozenset({"0"}))


def test_the_strips_keys_win_over_the_windows_shortcuts(qtbot, strip):
    from PySide6.QtGui import QAction, QKeySequence

    fired = []
    action = QAction(strip)
    action.setShortcut(QKeySequence("A"))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: fired.append("window"))
    strip.addAction(action)
    strip.set_state(_state(_regions(KIND_POSSIBLE)))
    said = _record(strip)
    strip.crops.setFocus()
    qtbot.waitUntil(strip.crops.hasFocus)
    strip.set_current("0")
    QTest.keyClick(strip.crops, Qt.Key.Key_A)
    assert fired == [] and said == [("accepted", "0")]


# -- in the window -----------------------------------------------------------------------


@pytest.fixture
def window(qtbot, make_window, tmp_path: Path):
    folder = tmp_path / "photos"
    folder.mkdir()
    save_jpeg(folder / "a.jpg", scene(1, face_at=(300, 150)))
    save_jpeg(folder / "b.jpg", scene(2))
    window = scanned_window(qtbot, make_window, folder)
    window.controller.select("a.jpg")
    qtbot.waitUntil(window.photo_view.has_photo)
    return window


def _digest(window) -> str:
    return window.controller.current_entry().photo_hash


def _find(window, *detections: Detection) -> None:
    c = window.controller
    c.verbs.add_found_again(FoundAgain(_digest(window), detections, "thorough"))


def test_every_box_has_a_crop_of_its_own_pixels(qtbot, window):
    view, strip = window.photo_view, window.face_strip
    _find(
        window,
        Detection(Box(385, 170, 60, 75), 0.9, FaceBand.FACE),
        Detection(Box(40, 40, 50, 50), 0.2, FaceBand.POSSIBLE),
    )
    qtbot.waitUntil(lambda: len(strip.regions()) == 2)
    assert [r.kind for r in strip.regions()] == [KIND_POSSIBLE, KIND_FACE]
    assert {r.id for r in strip.regions()} == set(view.face_ids())
    state = view.strip_state()
    for region in strip.regions():
        crop = state.crops[region.id]
        # The box with a quarter of its size around it, from the 640 x 480 picture.
        assert crop.width() == pytest.approx(region.box.w * 1.5, abs=3)
        assert crop.height() == pytest.approx(region.box.h * 1.5, abs=3)


def test_choosing_a_crop_selects_and_zooms_to_its_box(qtbot, window):
    view, strip = window.photo_view, window.face_strip
    _find(window, Detection(Box(385, 170, 60, 75), 0.9, FaceBand.FACE))
    qtbot.waitUntil(lambda: len(strip.regions()) == 1)
    fitted = view.zoom_factor()
    face_id = strip.regions()[0].id
    strip.crops.setCurrentRow(0)
    assert view.selected_face_id() == face_id
    assert view.zoom_factor() > fitted
    rect = view.mapFromScene(view.face_rect(face_id)).boundingRect()
    assert view.viewport().rect().contains(rect)
    view.select_face(None)
    assert strip.current_region() is None


def test_strip_keys_decide_faces_in_the_session(qtbot, window):
    c, strip = window.controller, window.face_strip
    _find(
        window,
        Detection(Box(385, 170, 60, 75), 0.3, FaceBand.POSSIBLE),
        Detection(Box(40, 40, 50, 50), 0.2, FaceBand.POSSIBLE),
        Detection(Box(500, 300, 60, 60), 0.9, FaceBand.FACE),
    )
    drawn = c.session.add_face(_digest(window), Box(200, 300, 40, 40))
    qtbot.waitUntil(lambda: len(strip.regions()) == 4)
    strip.crops.setFocus()
    by_box = {r.box.x: r.id for r in strip.regions()}
    strip.set_current(by_box[40])  # the possible face on the coffee: not a face
    for key in (Qt.Key.Key_D, Qt.Key.Key_A, Qt.Key.Key_D, Qt.Key.Key_D):
        QTest.keyClick(strip.crops, key)
    states = {f.box.x: f.state for f in c.session.faces(_digest(window))}
    assert states[40] is FaceState.DISMISSED
    assert states[385] is FaceState.POSSIBLE_ACCEPTED
    # Not faces: the detector's box is dismissed (never found again), the drawn one removed.
    assert states[500] is FaceState.DISMISSED
    assert str(drawn) not in {str(f.id) for f in c.session.faces(_digest(window))}
    for _ in range(2):  # both undone, the strip's focus or not
        QTest.keyClick(strip.crops, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    states = {f.box.x: f.state for f in c.session.faces(_digest(window))}
    assert states[500] is FaceState.FACE and states[200] is FaceState.FACE


def test_tab_from_the_grid_selects_and_zooms_to_the_first_box(qtbot, window):
    view = window.photo_view
    _find(
        window,
        Detection(Box(385, 170, 60, 75), 0.9, FaceBand.FACE),
        Detection(Box(40, 40, 50, 50), 0.2, FaceBand.POSSIBLE),
    )
    qtbot.waitUntil(lambda: len(view.face_ids()) == 2)
    window.grid.setFocus()
    qtbot.waitUntil(window.grid.hasFocus)
    fitted = view.zoom_factor()
    QTest.keyClick(window.grid, Qt.Key.Key_Tab)
    first, second = view.face_ids()
    assert view.selected_face_id() == first and view.hasFocus()
    assert view.zoom_factor() > fitted
    assert window.face_strip.current_region().id == first
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert view.selected_face_id() == second
    QTest.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_face_id() == first


def test_crop_of_a_box_at_the_photos_edge_stays_inside_the_picture():
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QTransform

    from photoscreen.ui.photo.face_strip import crop_of

    pixmap = QPixmap(100, 80)
    pixmap.fill(QColor("white"))
    crop = crop_of(pixmap, QTransform.fromScale(4, 4), QRectF(0, 0, 40, 40))
    assert (crop.width(), crop.height()) == (13, 13)  # 50 scene px from 0, a quarter scale
    assert crop_of(QPixmap(), QTransform(), QRectF(0, 0, 4, 4)).isNull()
    assert np.all(np.array([crop.width(), crop.height()]) > 0)


def test_s_takes_the_keyboard_to_the_strip_and_shows_the_first_crop(qtbot, window):
    view, strip = window.photo_view, window.face_strip
    _find(window, Detection(Box(385, 170, 60, 75), 0.9, FaceBand.FACE))
    qtbot.waitUntil(lambda: len(strip.regions()) == 1)
    window.grid.setFocus()
    qtbot.waitUntil(window.grid.hasFocus)
    QTest.keyClick(window.grid, Qt.Key.Key_S)
    assert strip.crops.hasFocus()
    assert view.selected_face_id() == strip.regions()[0].id


def test_every_kind_the_view_shows_means_in_the_strip_what_it_means_on_its_box():
    """The strip once knew writing as "text" while the view called it "writing": A on a
    writing crop then only marked it looked at, and C stayed refused. Every kind of box
    the view draws must have its keys and caption here; those a person still decides
    (accept / dismiss on the box) mean accept / dismiss here too."""
    from photoscreen.ui.photo.face_items import KINDS, UNDECIDED_KINDS
    from photoscreen.ui.photo.face_strip import ACCEPT, CAPTIONS, DISMISS, KEY_MEANINGS

    for kind in KINDS:
        assert kind in KEY_MEANINGS and kind in CAPTIONS, kind
    for kind in UNDECIDED_KINDS:
        assert KEY_MEANINGS[kind] == (ACCEPT, DISMISS), kind


def test_a_writing_crop_is_covered_with_a_and_left_with_d(strip):
    from photoscreen.ui.control import KIND_WRITING

    strip.set_state(_state(_regions(KIND_FACE, KIND_WRITING, KIND_WRITING)))
    assert [r.id for r in strip.regions()] == ["1", "2", "0"]  # waiting ones first
    said = _record(strip)
    strip.set_current("1")
    QTest.keyClick(strip.crops, Qt.Key.Key_A)
    QTest.keyClick(strip.crops, Qt.Key.Key_D)
    assert said[0] == ("accepted", "1") and ("dismissed", "2") in said
    assert header_text(strip.regions(), frozenset()).startswith("2 possible to decide")


def test_with_no_photo_on_screen_the_strip_says_nothing_of_missed_faces(qtbot, window):
    """Under "No photo chosen" there is no box to miss: the strip is empty and silent."""
    strip = window.face_strip
    qtbot.waitUntil(lambda: "B draws a box" in strip.header.text() or bool(strip.regions()))
    window.photo_view.clear("No photo chosen")
    assert strip.header.text() == "" and strip.regions() == []
