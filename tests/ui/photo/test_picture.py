"""The picture under the boxes on its own: a reduced decode scaled up to full-resolution
scene pixels, the preview in place of the photo, and the face strip's crops, cut again
only when a box moves or another photo is shown."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QGraphicsScene

from photoscreen.core.basics.geometry import Box
from photoscreen.ui.photo.face_items import KIND_FACE, KIND_POSSIBLE
from photoscreen.ui.photo.face_strip import Region
from photoscreen.ui.photo.picture import Picture, to_scene

FULL = QRectF(0, 0, 4000, 3000)


def image(width: int, height: int, colour: str = "#336699") -> QImage:
    picture = QImage(width, height, QImage.Format.Format_RGB888)
    picture.fill(QColor(colour))
    return picture


@given(st.integers(1, 5000), st.integers(1, 5000), st.integers(1, 9000), st.integers(1, 9000))
def test_the_decode_corners_land_on_the_full_photo_corners(width, height, full_w, full_h):
    transform = to_scene(
        QImage(width, height, QImage.Format.Format_RGB888), QRectF(0, 0, full_w, full_h)
    )
    corner = transform.map(QPointF(width, height))
    assert (corner.x(), corner.y()) == pytest.approx((full_w, full_h))
    assert transform.map(QPointF(0, 0)) == QPointF(0, 0)


def test_crops_are_reused_until_their_box_moves_or_the_photo_changes(qapp):
    scene = QGraphicsScene()  # the items are the scene's: it must outlive them
    picture = Picture(scene)
    picture.show_photo(image(1000, 750), FULL)
    left = Region("left", KIND_FACE, Box(100, 100, 400, 400))
    right = Region("right", KIND_POSSIBLE, Box(2500, 900, 300, 300))
    first = picture.crops([left, right])
    assert set(first) == {"left", "right"} and not first["left"].isNull()
    again = picture.crops([left, Region("right", KIND_FACE, right.box)])
    assert again["left"] is first["left"] and again["right"] is first["right"]
    moved = picture.crops([left, Region("right", KIND_FACE, Box(2600, 900, 300, 300))])
    assert moved["left"] is first["left"] and moved["right"] is not first["right"]
    picture.show_photo(image(1000, 750, "#aa3311"), FULL)  # another photo, same boxes
    other = picture.crops([left])
    assert other["left"] is not first["left"]
    assert other["left"].toImage().pixelColor(5, 5) != first["left"].toImage().pixelColor(5, 5)


def test_a_crop_is_cut_at_the_boxs_place_in_full_resolution_pixels(qapp):
    decode = image(400, 300, "#000000")
    for x in range(200, 240):  # a white square at full-resolution (2000..2400, 1000..1400)
        for y in range(100, 140):
            decode.setPixelColor(x, y, QColor("white"))
    scene = QGraphicsScene()  # the items are the scene's: it must outlive them
    picture = Picture(scene)
    picture.show_photo(decode, FULL)
    crop = picture.crops([Region("f", KIND_FACE, Box(2000, 1000, 400, 400))])["f"].toImage()
    centre = crop.pixelColor(crop.width() // 2, crop.height() // 2)
    assert centre.lightness() > 200


def test_the_preview_takes_the_photos_place_and_gives_it_back(qapp):
    scene = QGraphicsScene()  # the items are the scene's: it must outlive them
    picture = Picture(scene)
    picture.show_photo(image(400, 300), FULL)
    assert picture.show_preview(image(400, 300, "#ffffff"), FULL) is True
    assert picture.is_previewing()
    assert picture.show_preview(QImage(), FULL) is False  # an empty image is no preview
    assert not picture.is_previewing()
    picture.show_preview(image(400, 300, "#ffffff"), FULL)
    assert picture.show_preview(None, FULL) is False and not picture.is_previewing()


def test_a_stand_in_is_not_another_photo(qapp):
    scene = QGraphicsScene()  # the items are the scene's: it must outlive them
    picture = Picture(scene)
    picture.show_photo(image(400, 300), FULL)
    key = picture.key()
    picture.show_stand_in(image(160, 120))
    assert picture.is_stand_in() and picture.key() == key
    picture.show_photo(image(400, 300), FULL)
    assert not picture.is_stand_in() and picture.key() != key
    picture.clear()
    assert not picture.is_stand_in()
