"""The words over the photo on their own: the banner, the note that goes by itself, and
the message in place of a photo, on a plain widget."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from photoscreen.ui.photo.notices import NO_PHOTO_TEXT, Notices


@pytest.fixture
def area(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_message_says_no_photo_until_told_otherwise(area):
    notices = Notices(area)
    assert notices.message() == NO_PHOTO_TEXT
    notices.hide_message()
    assert notices.message() == ""
    notices.show_message("a.jpg cannot be opened")
    assert notices.message() == "a.jpg cannot be opened"


def test_a_long_message_wraps_inside_the_area(area):
    notices = Notices(area)
    notices.show_message("cannot be opened: " + "the file ends too early " * 12)
    label = next(child for child in area.findChildren(QLabel) if child.text() == notices.message())
    geometry = label.geometry()
    assert geometry.left() >= 0 and geometry.right() < area.width()
    assert geometry.height() > label.fontMetrics().height() * 2  # wrapped onto lines
    area.resize(300, 400)
    notices.place()
    assert label.geometry().right() < 300


def test_an_empty_banner_is_no_banner(area):
    notices = Notices(area)
    notices.show_banner("Preview: exactly what export will write")
    assert notices.banner_text() == "Preview: exactly what export will write"
    notices.show_banner("")
    assert notices.banner_text() == ""


def test_a_note_goes_by_itself_or_when_taken_away(area, qtbot):
    notices = Notices(area, note_ms=50)
    notices.show_note("No possible face left to decide in this photo")
    assert notices.note_text() == "No possible face left to decide in this photo"
    qtbot.waitUntil(lambda: notices.note_text() == "", timeout=3000)
    notices.show_note("again")
    notices.hide_note()
    assert notices.note_text() == ""
