"""The grid model and its status filter: what the grid shows for each photo."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from photoscreen.core.rules.policy import PhotoState, PhotoStatus
from photoscreen.ui.grid import model as grid_model
from photoscreen.ui.grid.filters import FILTERS, REVIEW_FILTER, StatusFilterProxy, counts_text
from photoscreen.ui.grid.model import FaceCount, GridEntry, PhotoGridModel, Roles
from photoscreen.ui.threads.images import grid_thumbnail

READY = PhotoStatus(PhotoState.READY)
REVIEW = PhotoStatus(PhotoState.AWAITING_REVIEW, ("Waiting for the manager to review it",))
BLOCKED = PhotoStatus(PhotoState.BLOCKED, ("Blocked: swimming involves undress (policy)",))


def _model(qtbot) -> PhotoGridModel:
    model = PhotoGridModel()
    model.set_entries([GridEntry(f"p{i}", f"IMG_{i}.jpg") for i in range(4)])
    return model


def test_rows_show_name_status_and_faces(qtbot):
    model = _model(qtbot)
    assert model.rowCount() == 4
    model.update_entry("p2", status=BLOCKED, face_count=FaceCount(3))
    index = model.index(2)
    assert index.data() == "IMG_2.jpg"
    assert index.data(Roles.STATE) == PhotoState.BLOCKED.value
    assert index.data(Roles.FACE_COUNT) == FaceCount(3)
    assert "swimming involves undress" in index.data(grid_model.Qt.ItemDataRole.ToolTipRole)


def test_missing_thumbnail_is_asked_for_once(qtbot):
    model = _model(qtbot)
    wanted: list[str] = []
    model.thumbnail_wanted.connect(wanted.append)
    assert model.index(1).data(Roles.THUMBNAIL) is None
    assert model.index(1).data(Roles.THUMBNAIL) is None
    assert wanted == ["p1"]
    image = QImage(8, 8, QImage.Format.Format_RGB888)
    image.fill(0x336699)
    model.set_thumbnail("p1", image)
    assert model.index(1).data(Roles.THUMBNAIL) == image


def test_thumbnail_cache_stays_bounded(qtbot, monkeypatch):
    monkeypatch.setattr(grid_model, "THUMBNAIL_CACHE_SIZE", 2)
    model = _model(qtbot)
    for i in range(4):
        model.set_thumbnail(f"p{i}", QImage(8, 8, QImage.Format.Format_RGB888))
    assert [model.has_thumbnail(f"p{i}") for i in range(4)] == [False, False, True, True]


def test_filter_follows_status_changes(qtbot):
    model = _model(qtbot)
    proxy = StatusFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter(REVIEW_FILTER)
    assert proxy.rowCount() == 0
    model.update_entry("p3", status=REVIEW)
    assert proxy.rowCount() == 1
    assert proxy.index(0, 0).data(Roles.PHOTO_ID) == "p3"
    model.update_entry("p3", status=READY)
    assert proxy.rowCount() == 0
    proxy.set_filter(FILTERS[0])
    assert proxy.rowCount() == 4


def test_counts_line_reads_like_the_brief(qtbot):
    statuses = [READY] * 38 + [REVIEW] * 4 + [BLOCKED] * 2
    assert counts_text(statuses) == "44 photos: 38 ready, 2 blocked, 4 waiting for the manager"
    assert counts_text([]) == "No photos in this folder"


def test_the_thumbnail_cache_fits_the_memory_goal_whatever_the_photo_size():
    for shape in ((300, 400, 3), (400, 300, 3), (256, 256, 3), (100, 900, 3)):
        image = grid_thumbnail(np.zeros(shape, np.uint8))
        assert image.width() <= 164 and image.height() <= 128
        # The whole cache of the grid stays under 30 MB of the 300 MB allowed for the app
        # (the face detector holds ~180 MB of them).
        assert image.sizeInBytes() * grid_model.THUMBNAIL_CACHE_SIZE <= 30 * 1000 * 1000
