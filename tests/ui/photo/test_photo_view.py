"""The photo view: boxes drawn, moved and resized on screen come back in full-resolution
upright coordinates, whatever the displayed decode's size, the zoom or the EXIF rotation.

Coordinates are checked against what is actually painted: a red marker is put into the
photo, found in a screenshot of the view, and a box drawn over it must come back as the
marker's full-resolution position.
"""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import piexif
import pytest
from PIL import Image, ImageOps
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QImage, QKeySequence, QMouseEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from photoscreen.core.basics.geometry import Box
from photoscreen.ui.control.view_state import FaceOverlay
from photoscreen.ui.photo.box_drawing import MIN_FACE_PX
from photoscreen.ui.photo.box_keys import DISMISS_WHICH_TEXT, NO_POSSIBLE_TEXT, PREVIEWING_TEXT
from photoscreen.ui.photo.face_parts import BUTTON_GAP_PX, BUTTON_PX
from photoscreen.ui.photo.view import LOADING_BANNER, PREVIEW_TEXT, PhotoView

RED = (230, 20, 20)


def to_qimage(pixels: np.ndarray) -> QImage:
    height, width, _ = pixels.shape
    data = np.ascontiguousarray(pixels)
    return QImage(data.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


def screen_pixels(view: PhotoView) -> np.ndarray:
    image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    row = image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), np.uint8, count=row * image.height())
    # A copy: the array must not outlive ``image``, whose buffer it borrows.
    return (
        raw.reshape(image.height(), row)[:, : image.width() * 3]
        .reshape(image.height(), image.width(), 3)
        .copy()
    )


def red_marker_on_screen(view: PhotoView) -> tuple[QPoint, QPoint]:
    """Top-left and bottom-right viewport pixels of the painted red marker."""
    pixels = screen_pixels(view).astype(int)
    red = (pixels[:, :, 0] > 180) & (pixels[:, :, 1] < 80) & (pixels[:, :, 2] < 80)
    ys, xs = np.nonzero(red)
    assert len(xs) > 20, "the red marker is not on screen"
    return QPoint(int(xs.min()), int(ys.min())), QPoint(int(xs.max()) + 1, int(ys.max()) + 1)


def photo_with_marker(width: int, height: int, marker: Box) -> np.ndarray:
    pixels = np.full((height, width, 3), (90, 140, 90), np.uint8)
    pixels[:, :, 2] = np.linspace(60, 200, width, dtype=np.uint8)[None, :]
    x, y, w, h = (int(v) for v in (marker.x, marker.y, marker.w, marker.h))
    pixels[y : y + h, x : x + w] = RED
    return pixels


def reduced(pixels: np.ndarray, factor: int) -> np.ndarray:
    image = Image.fromarray(pixels)
    return np.asarray(image.reduce(factor))


def send_mouse(port: QWidget, kind: QEvent.Type, pos: QPoint, held: bool) -> None:
    """One mouse event straight to the viewport, as Qt delivers it after routing.

    QTest's widget mouse functions go through the platform's cursor and double-click
    bookkeeping, which is shared by every test in the process; under load a press could
    land at the widget's centre. Sending the event itself tests exactly our mapping.
    """
    left = Qt.MouseButton.LeftButton
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else left
    buttons = left if held else Qt.MouseButton.NoButton
    event = QMouseEvent(
        kind,
        QPointF(pos),
        QPointF(port.mapToGlobal(pos)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(port, event)


def drag(view: PhotoView, start: QPoint, end: QPoint, steps: int = 5) -> None:
    port = view.viewport()
    send_mouse(port, QEvent.Type.MouseButtonPress, start, held=True)
    for step in range(1, steps + 1):
        send_mouse(port, QEvent.Type.MouseMove, start + (end - start) * step / steps, held=True)
    send_mouse(port, QEvent.Type.MouseButtonRelease, end, held=False)


def on_screen(view: PhotoView, x: float, y: float) -> QPoint:
    return view.mapFromScene(QPointF(x, y))


def assert_box_close(actual: Box, expected: Box, tolerance: float) -> None:
    for name in ("x", "y", "w", "h"):
        assert getattr(actual, name) == pytest.approx(getattr(expected, name), abs=tolerance), (
            name,
            actual,
            expected,
        )


@pytest.fixture
def view(qtbot) -> PhotoView:
    widget = PhotoView()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def settled_marker_on_screen(view: PhotoView, qtbot) -> tuple[QPoint, QPoint]:
    """The marker's place once the view stops moving.

    Under load, a late resize can re-fit the photo after the first paint; a drag aimed
    at the marker's earlier place would then miss it.
    """
    seen = [red_marker_on_screen(view)]

    def unchanged() -> bool:
        qtbot.wait(30)
        seen.append(red_marker_on_screen(view))
        return seen[-1] == seen[-2]

    qtbot.waitUntil(unchanged, timeout=5000)
    return seen[-1]


def draw_over_marker(view: PhotoView, qtbot) -> Box:
    top_left, bottom_right = settled_marker_on_screen(view, qtbot)
    view.start_drawing()
    with qtbot.waitSignal(view.face_drawn) as signal:
        drag(view, top_left, bottom_right)
    return signal.args[0]


def test_box_drawn_on_a_quarter_size_decode_comes_back_in_full_resolution(view, qtbot):
    marker = Box(2400, 1200, 400, 300)
    full = photo_with_marker(4000, 3000, marker)
    view.set_photo(to_qimage(reduced(full, 4)), 4000, 3000)
    box = draw_over_marker(view, qtbot)
    # One screen pixel covers 1 / zoom full-resolution pixels; allow two of them.
    assert_box_close(box, marker, 2 / view.zoom_factor())


def test_box_on_a_rotated_portrait_maps_to_the_upright_photo(view, qtbot):
    # The camera stored a landscape frame with EXIF orientation 6; the loader rotates it.
    marker = Box(2200, 600, 360, 480)
    upright = photo_with_marker(3000, 4000, marker)
    stored = Image.fromarray(upright).transpose(Image.Transpose.ROTATE_90)
    exif = piexif.dump({"0th": {piexif.ImageIFD.Orientation: 6}})
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=95, exif=exif)
    loaded = ImageOps.exif_transpose(Image.open(io.BytesIO(buffer.getvalue())))
    assert loaded.size == (3000, 4000)
    shown = np.asarray(loaded.convert("RGB").reduce(4))
    view.set_photo(to_qimage(shown), 3000, 4000)
    box = draw_over_marker(view, qtbot)
    assert_box_close(box, marker, 2 / view.zoom_factor() + 4)


def test_zooming_in_and_panning_keeps_the_mapping(view, qtbot):
    marker = Box(1500, 1000, 200, 150)
    full = photo_with_marker(4000, 3000, marker)
    view.set_photo(to_qimage(reduced(full, 4)), 4000, 3000)
    view.zoom_actual()
    view.zoom_out()
    view.centerOn(QPointF(1600, 1075))
    assert view.zoom_factor() == pytest.approx(0.8)
    box = draw_over_marker(view, qtbot)
    assert_box_close(box, marker, 2 / view.zoom_factor() + 4)


def test_wheel_zooms_around_the_point_under_the_cursor(view):
    view.set_photo(to_qimage(np.zeros((300, 400, 3), np.uint8)), 4000, 3000)
    cursor = QPointF(600, 200)
    before = view.mapToScene(cursor.toPoint())
    fit = view.zoom_factor()
    wheel = QWheelEvent(
        cursor,
        view.viewport().mapToGlobal(cursor),
        QPoint(),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.zoom_factor() == pytest.approx(fit * 1.25**2)
    after = view.mapToScene(cursor.toPoint())
    tolerance = 2 / view.zoom_factor()
    assert (after.x(), after.y()) == (
        pytest.approx(before.x(), abs=tolerance),
        pytest.approx(before.y(), abs=tolerance),
    )


def test_zoom_limits_and_fit(view):
    view.set_photo(to_qimage(np.zeros((300, 400, 3), np.uint8)), 4000, 3000)
    fit = view.zoom_factor()
    assert fit == pytest.approx(min(796 / 4000, 596 / 3000), rel=0.02)
    for _ in range(30):
        view.zoom_in()
    assert view.zoom_factor() == pytest.approx(4.0)
    view.zoom_to_fit()
    assert view.zoom_factor() == pytest.approx(fit)


@pytest.fixture
def one_face(view):
    view.set_photo(to_qimage(np.zeros((750, 1000, 3), np.uint8)), 4000, 3000)
    view.set_faces([FaceOverlay("a", Box(1000, 1000, 400, 400), "face")])
    return view


def test_dragging_a_box_moves_it(one_face, qtbot):
    view = one_face
    scale = view.zoom_factor()
    with qtbot.waitSignal(view.face_changed) as signal:
        drag(view, on_screen(view, 1200, 1200), on_screen(view, 1200, 1200) + QPoint(50, 30))
    face_id, box = signal.args
    assert face_id == "a"
    assert_box_close(box, Box(1000 + 50 / scale, 1000 + 30 / scale, 400, 400), 1.5 / scale)
    assert view.selected_face_id() == "a"


def test_a_box_cannot_be_dragged_off_the_photo(one_face, qtbot):
    view = one_face
    with qtbot.waitSignal(view.face_changed) as signal:
        drag(view, on_screen(view, 1200, 1200), on_screen(view, 1200, 1200) + QPoint(-900, 0))
    assert signal.args[1].x == pytest.approx(0)
    assert signal.args[1].w == pytest.approx(400)


def test_corner_handle_resizes_and_keeps_a_minimum_size(one_face, qtbot):
    view = one_face
    scale = view.zoom_factor()
    view.select_face("a")
    corner = on_screen(view, 1400, 1400)
    with qtbot.waitSignal(view.face_changed) as signal:
        drag(view, corner, corner + QPoint(40, 20))
    assert_box_close(signal.args[1], Box(1000, 1000, 400 + 40 / scale, 400 + 20 / scale), 2 / scale)
    view.set_faces([FaceOverlay("a", signal.args[1], "face")])
    top_left = on_screen(view, 1000, 1000)
    with qtbot.waitSignal(view.face_changed) as signal:
        drag(view, top_left, top_left + QPoint(300, 300))
    box = signal.args[1]
    assert (box.w, box.h) == (pytest.approx(MIN_FACE_PX), pytest.approx(MIN_FACE_PX))
    assert box.right == pytest.approx(1400 + 40 / scale, abs=2 / scale)


def test_clicking_without_moving_reports_no_change(one_face, qtbot):
    view = one_face
    changes = []
    view.face_changed.connect(lambda *args: changes.append(args))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=on_screen(view, 1200, 1200))
    assert changes == []
    assert view.selected_face_id() == "a"


@pytest.mark.parametrize("key", [Qt.Key.Key_Delete, Qt.Key.Key_Backspace])
def test_delete_key_on_a_selected_box(one_face, qtbot, key):
    view = one_face
    view.select_face("a")
    with qtbot.waitSignal(view.face_deleted) as signal:
        QTest.keyClick(view, key)
    assert signal.args == ["a"]


def test_context_menu_offers_delete_and_consent(one_face, qtbot):
    entries = dict(one_face.menu_actions("a"))
    delete = next(command for text, command in entries.items() if "Delete" in text)
    consent = next(command for text, command in entries.items() if "Whose face is it?" in text)
    with qtbot.waitSignal(one_face.face_deleted):
        one_face.run_menu_command("a", delete)
    with qtbot.waitSignal(one_face.consent_toggled):
        one_face.run_menu_command("a", consent)


def test_consent_key_toggles_a_face_but_not_a_possible_one(view, qtbot):
    view.set_photo(to_qimage(np.zeros((75, 100, 3), np.uint8)), 400, 300)
    view.set_faces(
        [
            FaceOverlay("f", Box(10, 10, 50, 50), "face"),
            FaceOverlay("p", Box(200, 10, 50, 50), "possible"),
        ]
    )
    toggled = []
    view.consent_toggled.connect(toggled.append)
    view.select_face("f")
    QTest.keyClick(view, Qt.Key.Key_C)  # plain C is the window's "faces checked"
    QTest.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ShiftModifier)
    view.select_face("p")
    QTest.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ShiftModifier)
    assert toggled == ["f"]


def test_possible_face_accept_and_dismiss(view, qtbot):
    view.set_photo(to_qimage(np.zeros((300, 400, 3), np.uint8)), 1600, 1200)
    view.set_faces([FaceOverlay("p", Box(400, 400, 200, 200), "possible")])
    view.select_face("p")  # only the selected box carries its buttons
    accepted, dismissed, deleted = [], [], []
    view.possible_accepted.connect(accepted.append)
    view.possible_dismissed.connect(dismissed.append)
    view.face_deleted.connect(deleted.append)
    corner = on_screen(view, 600, 400)
    half = int(BUTTON_PX / 2)
    accept_button = corner + QPoint(int(BUTTON_GAP_PX) + half, half)
    dismiss_button = accept_button + QPoint(int(BUTTON_PX + BUTTON_GAP_PX), 0)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=accept_button)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=dismiss_button)
    assert (accepted, dismissed) == (["p"], ["p"])
    view.select_face("p")
    for key in (Qt.Key.Key_A, Qt.Key.Key_Return, Qt.Key.Key_D, Qt.Key.Key_Delete):
        QTest.keyClick(view, key)
    assert accepted == ["p", "p", "p"]
    assert dismissed == ["p", "p", "p"]
    assert deleted == []


def _answering_like_the_controller(view: PhotoView, faces: list[FaceOverlay]) -> None:
    """Show ``faces``; accepting or dismissing one shows the faces as they then are."""
    shown = {face.id: face for face in faces}

    def decided(face_id: str, kind: str | None) -> None:
        if kind is None:
            del shown[face_id]
        else:
            shown[face_id] = replace(shown[face_id], kind=kind)
        view.set_faces(list(shown.values()))

    view.possible_accepted.connect(lambda face_id: decided(face_id, "face"))
    view.possible_dismissed.connect(lambda face_id: decided(face_id, None))
    view.set_faces(faces)


def test_a_and_d_with_no_box_selected_decide_the_first_possible_face(view, qtbot):
    """The keyboard route to a possible face: no Tab needed, and the next one to decide
    is selected, so the next key press is seen to mean it."""
    view.set_photo(to_qimage(np.zeros((300, 400, 3), np.uint8)), 1600, 1200)
    _answering_like_the_controller(
        view,
        [
            FaceOverlay("right", Box(1200, 100, 150, 150), "possible"),
            FaceOverlay("face", Box(50, 100, 150, 150), "face"),
            FaceOverlay("left", Box(400, 500, 150, 150), "possible"),
        ],
    )
    accepted, dismissed = [], []
    view.possible_accepted.connect(accepted.append)
    view.possible_dismissed.connect(dismissed.append)
    view.select_face("face")  # a face, not a possible one: A still means the first possible
    view.accept_possible()
    assert accepted == ["left"] and view.selected_face_id() == "right"
    view.dismiss_possible()
    assert dismissed == ["right"] and view.face_ids() == ["face", "left"]
    assert view.note_text() == ""
    view.accept_possible()
    assert accepted == ["left"], "nothing left to decide"
    assert view.note_text() == NO_POSSIBLE_TEXT


def test_a_and_d_say_why_they_do_nothing_in_the_preview(view, qtbot):
    view.set_photo(to_qimage(np.zeros((300, 400, 3), np.uint8)), 1600, 1200)
    view.set_faces([FaceOverlay("p", Box(400, 400, 200, 200), "possible")])
    decided = []
    view.possible_accepted.connect(decided.append)
    view.possible_dismissed.connect(decided.append)
    view.set_preview(to_qimage(np.zeros((300, 400, 3), np.uint8)))
    view.dismiss_possible()
    assert decided == [] and view.note_text() == PREVIEWING_TEXT
    view.set_preview(None)
    view.dismiss_possible()  # nothing selected: D first shows which box it would leave unblurred
    assert decided == [] and view.selected_face_id() == "p"
    assert view.note_text() == DISMISS_WHICH_TEXT
    view.dismiss_possible()
    assert decided == ["p"]


def test_buttons_of_a_possible_face_at_the_right_edge_sit_on_its_left(view, qtbot):
    view.set_photo(to_qimage(np.zeros((300, 400, 3), np.uint8)), 1600, 1200)
    view.set_faces([FaceOverlay("p", Box(1450, 400, 150, 150), "possible")])
    view.select_face("p")  # only the selected box carries its buttons
    accepted, dismissed = [], []
    view.possible_accepted.connect(accepted.append)
    view.possible_dismissed.connect(dismissed.append)
    corner = on_screen(view, 1450, 400)
    half = int(BUTTON_PX / 2)
    dismiss_button = corner + QPoint(-int(BUTTON_GAP_PX) - half, half)
    accept_button = dismiss_button - QPoint(int(BUTTON_PX + BUTTON_GAP_PX), 0)
    assert accept_button.x() > 0
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=accept_button)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=dismiss_button)
    assert (accepted, dismissed) == (["p"], ["p"])


def test_tab_cycles_boxes_left_to_right_then_leaves(view, qtbot):
    view.set_photo(to_qimage(np.zeros((75, 100, 3), np.uint8)), 400, 300)
    view.set_faces(
        [
            FaceOverlay("right", Box(300, 10, 40, 40), "face"),
            FaceOverlay("left", Box(10, 100, 40, 40), "consent"),
            FaceOverlay("middle", Box(150, 50, 40, 40), "possible"),
        ]
    )
    view.setFocus()
    seen = []
    for _ in range(4):
        QTest.keyClick(view, Qt.Key.Key_Tab)
        seen.append(view.selected_face_id())
    assert seen == ["left", "middle", "right", None]


def test_set_faces_keeps_selection_by_id_and_drops_removed(one_face):
    view = one_face
    view.select_face("a")
    view.set_faces(
        [
            FaceOverlay("a", Box(0, 0, 100, 100), "consent"),
            FaceOverlay("b", Box(500, 0, 100, 100), "face"),
        ]
    )
    assert view.selected_face_id() == "a"
    assert view.face_rect("a").x() == 0
    view.set_faces([FaceOverlay("b", Box(500, 0, 100, 100), "face")])
    assert view.face_ids() == ["b"]
    assert view.selected_face_id() is None


def test_escape_cancels_drawing_and_a_drag_then_pans(one_face, qtbot):
    view = one_face
    drawn = []
    view.face_drawn.connect(drawn.append)
    view.start_drawing()
    assert view.is_drawing()
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert not view.is_drawing()
    view.zoom_actual()
    view.centerOn(QPointF(3000, 2000))
    before = view.mapToScene(view.viewport().rect().center())
    drag(view, QPoint(300, 300), QPoint(200, 250))
    after = view.mapToScene(view.viewport().rect().center())
    assert drawn == []
    assert (after.x() - before.x(), after.y() - before.y()) == (100, 50)


def test_preview_hides_boxes_and_shows_the_given_pixels(one_face, qtbot):
    view = one_face
    blue = np.zeros((600, 800, 3), np.uint8)
    blue[:, :, 2] = 255
    view.set_preview(to_qimage(blue))
    assert view.is_previewing()
    assert view.banner_text() == PREVIEW_TEXT
    centre = screen_pixels(view)[300, 400]
    assert tuple(centre) == (0, 0, 255)
    box_edge = screen_pixels(view)[on_screen(view, 1000, 1200).y(), on_screen(view, 1000, 1200).x()]
    assert tuple(box_edge) == (0, 0, 255)
    view.start_drawing()
    assert not view.is_drawing()
    view.set_preview(None)
    assert not view.is_previewing()
    assert view.banner_text() == ""
    assert tuple(screen_pixels(view)[300, 400]) == (0, 0, 0)
    edge = screen_pixels(view)[on_screen(view, 1000, 1200).y(), on_screen(view, 1000, 1200).x()]
    assert tuple(edge) != (0, 0, 0)


# The offscreen platform warns that it cannot resize a top-level window to its hints.
@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_box_keys_win_over_window_shortcuts_only_while_a_box_is_selected(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    view = PhotoView()
    QVBoxLayout(window).addWidget(view)
    fired: list[str] = []
    for key in ("C", "Delete"):
        action = QAction(key, window)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _=False, key=key: fired.append(key))
        window.addAction(action)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    view.set_photo(to_qimage(np.zeros((75, 100, 3), np.uint8)), 400, 300)
    view.set_faces([FaceOverlay("a", Box(10, 10, 50, 50), "face")])
    toggled, deleted = [], []
    view.consent_toggled.connect(toggled.append)
    view.face_deleted.connect(deleted.append)
    view.setFocus()
    view.select_face("a")
    QTest.keyClick(view, Qt.Key.Key_C)  # "faces checked" still works with a box selected
    QTest.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert (fired, toggled, deleted) == (["C"], ["a"], ["a"])
    view.select_face(None)
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert (fired, deleted) == (["C", "Delete"], ["a"])


def test_a_stand_in_shows_while_the_photo_loads_without_boxes_or_drawing(one_face, qtbot):
    view = one_face
    green = np.zeros((120, 160, 3), np.uint8)
    green[:, :, 1] = 255
    view.show_loading(to_qimage(green))
    assert view.face_ids() == [] and not view.has_photo()
    assert view.banner_text() == LOADING_BANNER
    assert tuple(screen_pixels(view)[300, 400]) == (0, 255, 0), "it fills the view"
    view.start_drawing()
    assert not view.is_drawing()
    view.set_photo(to_qimage(np.zeros((75, 100, 3), np.uint8)), 400, 300)
    assert view.has_photo() and view.banner_text() == ""
    assert tuple(screen_pixels(view)[300, 400]) == (0, 0, 0)


def test_bad_photo_arguments_are_refused(view):
    with pytest.raises(ValueError):
        view.set_photo(QImage(), 100, 100)
    reason = "This file cannot be opened: the file is truncated (the picture data ends early)"
    view.clear(reason)
    assert not view.has_photo()
    assert view.message() == reason
    label = next(c for c in view.viewport().findChildren(QLabel) if c.text() == reason)
    assert label.x() >= 0 and label.x() + label.width() <= view.viewport().width()
    view.set_photo(to_qimage(np.zeros((75, 100, 3), np.uint8)), 400, 300)
    assert view.message() == ""


def test_only_the_selected_box_carries_its_label_and_buttons(view):
    from photoscreen.ui.photo.face_parts import ButtonItem, LabelItem

    view.set_photo(to_qimage(np.zeros((300, 400, 3), np.uint8)), 1600, 1200)
    kinds = ("possible", "possible", "face", "consent")
    view.set_faces(
        [FaceOverlay(str(i), Box(100 + 300 * i, 400, 150, 150), k) for i, k in enumerate(kinds)]
    )

    def shown() -> dict[str, set[str]]:
        parts: dict[str, set[str]] = {}
        for item in view.scene().items():
            if isinstance(item, (ButtonItem, LabelItem)) and item.isVisible():
                owner = item.parentItem().face_id
                parts.setdefault(owner, set()).add(type(item).__name__)
        return parts

    assert shown() == {}  # a crowd of quiet outlines
    view.select_face("1")
    assert shown() == {"1": {"ButtonItem", "LabelItem"}}
    view.select_face("3")
    assert shown() == {"3": {"LabelItem"}}


def test_tab_zooms_to_the_box_it_selects_and_centres_it(view, qtbot):
    view.set_photo(to_qimage(np.zeros((300, 400, 3), np.uint8)), 4000, 3000)
    view.set_faces(
        [
            FaceOverlay("small", Box(3500, 2500, 40, 50), "possible"),
            FaceOverlay("big", Box(200, 200, 900, 1000), "face"),
        ]
    )
    view.setFocus()
    fitted = view.zoom_factor()
    for face_id in ("big", "small"):
        QTest.keyClick(view, Qt.Key.Key_Tab)
        assert view.selected_face_id() == face_id
        on_screen_box = view.mapFromScene(view.face_rect(face_id)).boundingRect()
        assert view.viewport().rect().contains(on_screen_box)
        if face_id == "small":  # centred (the big one sits too near the photo's corner)
            centre = view.viewport().rect().center()
            assert (on_screen_box.center() - centre).manhattanLength() <= 4
        # Big enough to judge, never smaller than the whole photo.
        assert on_screen_box.height() >= min(60, 0.35 * view.viewport().height())
        assert view.zoom_factor() >= fitted


def test_a_note_goes_with_the_photo_it_was_about(view):
    view.set_photo(to_qimage(np.zeros((300, 400, 3), np.uint8)), 1600, 1200)
    view.set_faces([FaceOverlay("p", Box(400, 400, 200, 200), "possible")])
    view.dismiss_possible()  # not selected: "press D again"
    assert view.note_text() == DISMISS_WHICH_TEXT
    view.set_photo(to_qimage(np.zeros((300, 400, 3), np.uint8)), 1600, 1200)
    assert view.note_text() == ""
    view.show_note("about this photo")
    view.show_loading(to_qimage(np.zeros((30, 40, 3), np.uint8)))
    assert view.note_text() == ""
    view.show_note("about this photo")
    view.clear("This file cannot be opened")
    assert view.note_text() == ""
