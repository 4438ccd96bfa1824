"""Drawing a box by hand, on its own: the minimum-size rule, and the drag on a plain
zoomable view (no photo view, no controller) that turns into a box in scene pixels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView

from photoscreen.core.basics.geometry import Box
from photoscreen.ui.photo.box_drawing import (
    MIN_DRAG_PX,
    MIN_FACE_PX,
    BoxDrawing,
    at_least_min_size,
    clamped,
)
from photoscreen.ui.photo.zoom_view import ZoomableView

sizes = st.floats(1.0, 5000.0)
fractions = st.floats(0.0, 1.0)


@st.composite
def rect_inside(draw: st.DrawFn) -> tuple[QRectF, QRectF]:
    """A photo's rectangle and a rectangle drawn inside it (possibly a few pixels)."""
    bounds = QRectF(0, 0, draw(sizes), draw(sizes))
    width = draw(fractions) * bounds.width()
    height = draw(fractions) * bounds.height()
    left = draw(fractions) * (bounds.width() - width)
    top = draw(fractions) * (bounds.height() - height)
    return QRectF(left, top, width, height), bounds


def _inside(rect: QRectF, bounds: QRectF, slack: float = 1e-6) -> bool:
    return (
        rect.left() >= bounds.left() - slack
        and rect.top() >= bounds.top() - slack
        and rect.right() <= bounds.right() + slack
        and rect.bottom() <= bounds.bottom() + slack
    )


@given(rect_inside())
def test_a_drawn_box_is_never_smaller_than_the_floor_nor_outside_the_photo(case):
    rect, bounds = case
    grown = at_least_min_size(rect, bounds)
    assert _inside(grown, bounds)
    assert grown.width() == pytest.approx(min(max(rect.width(), MIN_FACE_PX), bounds.width()))
    assert grown.height() == pytest.approx(min(max(rect.height(), MIN_FACE_PX), bounds.height()))
    # Growing never loses what was drawn: the drawn rectangle stays inside the box.
    assert _inside(rect, grown)


@given(rect_inside())
def test_a_box_big_enough_is_kept_exactly(case):
    rect, bounds = case
    if min(rect.width(), rect.height()) < MIN_FACE_PX:
        return
    grown = at_least_min_size(rect, bounds)
    assert (grown.x(), grown.y(), grown.width(), grown.height()) == pytest.approx(
        (rect.x(), rect.y(), rect.width(), rect.height())
    )


@given(st.floats(-1e4, 1e4), st.floats(-1e4, 1e4), rect_inside())
def test_a_point_is_clamped_to_the_nearest_place_in_the_photo(x, y, case):
    _, bounds = case
    point = clamped(QPointF(x, y), bounds)
    assert bounds.left() <= point.x() <= bounds.right()
    assert bounds.top() <= point.y() <= bounds.bottom()
    if bounds.left() <= x <= bounds.right():
        assert point.x() == x
    if bounds.top() <= y <= bounds.bottom():
        assert point.y() == y


PHOTO = QRectF(0, 0, 400, 300)


@pytest.fixture
def view(qtbot) -> ZoomableView:
    widget = ZoomableView()
    widget.setScene(QGraphicsScene(widget))
    widget.set_content_rect(PHOTO)
    qtbot.addWidget(widget)
    widget.resize(500, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.zoom_actual()  # one scene pixel per screen pixel
    widget.centerOn(PHOTO.center())
    return widget


def _mouse(view: ZoomableView, kind: QEvent.Type, scene_point: QPointF) -> bool:
    """One left-button event at a scene point; True when something took it."""
    pos = view.mapFromScene(scene_point)
    left = Qt.MouseButton.LeftButton
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else left
    held = left if kind != QEvent.Type.MouseButtonRelease else Qt.MouseButton.NoButton
    port = view.viewport()
    event = QMouseEvent(
        kind, QPointF(pos), QPointF(port.mapToGlobal(pos)), button, held, Qt.KeyboardModifier(0)
    )
    event.ignore()
    QApplication.sendEvent(port, event)
    return event.isAccepted()


def _drag(view: ZoomableView, start: QPointF, end: QPointF) -> None:
    _mouse(view, QEvent.Type.MouseButtonPress, start)
    _mouse(view, QEvent.Type.MouseMove, (start + end) / 2)
    _mouse(view, QEvent.Type.MouseButtonRelease, end)


def test_a_drag_draws_a_box_in_scene_pixels(view):
    drawing = BoxDrawing(view)
    drawn: list[Box] = []
    drawing.drawn.connect(drawn.append)
    drawing.start(PHOTO)
    assert view.dragMode() == QGraphicsView.DragMode.NoDrag
    _drag(view, QPointF(100, 50), QPointF(160, 130))
    assert len(drawn) == 1
    box = drawn[0]
    assert (box.x, box.y, box.w, box.h) == pytest.approx((100, 50, 60, 80), abs=1.5)
    assert drawing.is_on()  # turning it off is the view's, once it has the box


def test_a_drag_past_the_photo_stops_at_its_edge(view):
    drawing = BoxDrawing(view)
    drawn: list[Box] = []
    drawing.drawn.connect(drawn.append)
    drawing.start(PHOTO)
    _drag(view, QPointF(350, 250), QPointF(450, 340))
    box = drawn[0]
    assert box.x + box.w == pytest.approx(PHOTO.width())
    assert box.y + box.h == pytest.approx(PHOTO.height())


def test_a_click_is_not_a_box_and_leaves_drawing_on(view):
    drawing = BoxDrawing(view)
    drawn: list[Box] = []
    drawing.drawn.connect(drawn.append)
    drawing.start(PHOTO)
    short = QPointF(MIN_DRAG_PX / 2, MIN_DRAG_PX / 2)
    _drag(view, QPointF(200, 150), QPointF(200, 150) + short)
    assert drawn == [] and drawing.is_on() and not drawing.is_dragging()


def test_while_off_the_mouse_is_the_views_and_stopping_twice_is_harmless(view):
    drawing = BoxDrawing(view)
    drawn: list[Box] = []
    drawing.drawn.connect(drawn.append)
    _drag(view, QPointF(100, 50), QPointF(160, 130))
    assert drawn == [] and not drawing.is_dragging()
    drawing.start(PHOTO)
    _mouse(view, QEvent.Type.MouseButtonPress, QPointF(100, 50))
    assert drawing.is_dragging()
    assert drawing.stop() is True
    assert not drawing.is_dragging()  # a drag under way is dropped
    assert view.dragMode() == QGraphicsView.DragMode.ScrollHandDrag
    assert drawing.stop() is False
    _mouse(view, QEvent.Type.MouseButtonRelease, QPointF(160, 130))
    assert drawn == []
