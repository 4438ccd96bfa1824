"""The folder's rows as the grid shows them: entries kept in step with the grid model,
with each picture's "Exported 3 May" mark, and copies of one picture changed together."""

from __future__ import annotations

from pathlib import Path

from photoscreen.core.rules.policy import PhotoState, PhotoStatus
from photoscreen.core.session import PhotoEntry
from photoscreen.core.storage import ExportRecord
from photoscreen.ui.control.photo_rows import PhotoRows
from photoscreen.ui.grid import PhotoGridModel, Roles

READY = PhotoStatus(PhotoState.READY)
NEEDS_ACTIVITY = PhotoStatus(PhotoState.NEEDS_ACTIVITY, ("Choose an activity",))


def _entry(name: str, digest: str | None, status: PhotoStatus = READY) -> PhotoEntry:
    return PhotoEntry(Path("/folder") / name, digest, status, None)


def _exported(digest: str) -> dict[str, tuple[ExportRecord, ...]]:
    return {digest: (ExportRecord(digest, "2026-05-03T10:00:00+00:00", "a-001.jpg", "/up"),)}


def test_loaded_rows_show_each_file_in_order_with_its_export_mark(qtbot):
    rows = PhotoRows(PhotoGridModel())
    rows.load([_entry("b.jpg", "h2"), _entry("a.jpg", "h1")], _exported("h1"))
    model = rows.model
    assert [model.index(i).data() for i in range(model.rowCount())] == ["b.jpg", "a.jpg"]
    assert model.index(0).data(Roles.EXPORTED) == ""
    assert model.index(1).data(Roles.EXPORTED).startswith("Exported 3 May")
    assert [e.name for e in rows.entries()] == ["b.jpg", "a.jpg"]
    assert "a.jpg" in rows and len(rows) == 2 and rows.get(None) is None


def test_a_stored_entry_changes_its_row_and_counts_as_a_change(qtbot):
    rows = PhotoRows(PhotoGridModel())
    rows.load([_entry("a.jpg", "h1", NEEDS_ACTIVITY)], {})
    before = rows.changes
    rows.set_exports(_exported("h1"))  # an export ended: shown as the row is stored
    rows.store(_entry("a.jpg", "h1", READY))
    assert rows.changes == before + 1
    assert rows.get("a.jpg").status == READY
    assert rows.model.index(0).data(Roles.STATUS) == READY
    assert rows.model.index(0).data(Roles.EXPORTED).startswith("Exported")


def test_copies_of_one_picture_are_found_together(qtbot):
    rows = PhotoRows(PhotoGridModel())
    rows.load([_entry("a.jpg", "same"), _entry("b.jpg", "other"), _entry("c.jpg", "same")], {})
    assert [e.name for e in rows.holding("same")] == ["a.jpg", "c.jpg"]


def test_only_ready_photos_exported_before_are_counted(qtbot):
    rows = PhotoRows(PhotoGridModel())
    exports = {**_exported("h1"), **_exported("h2")}
    rows.load([_entry("a.jpg", "h1"), _entry("b.jpg", "h2", NEEDS_ACTIVITY)], exports)
    assert rows.exported_before() == 1
    rows.load([], {})  # the folder closed
    assert rows.exported_before() == 0 and rows.model.rowCount() == 0
