"""The thumbnail grid's model: one row per photo in the folder, in folder order.

Rows hold only what the grid paints: the file name, the status the core computed, the
count of faces, and a small thumbnail. Thumbnails are QImages (made on a worker thread)
kept in a bounded most-recently-used cache, so memory stays flat however big the folder
is; a row whose thumbnail was dropped asks for it again through ``thumbnail_wanted``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QImage

from photoscreen.core.rules import NOT_SCANNED, PhotoStatus
from photoscreen.ui.grid.file_problems import file_problem

# Thumbnails kept in memory. They are stored at the size the grid paints them
# (images.GRID_THUMB_SIZE, at most 164 x 128) as 3-byte RGB: at most 63 KB each, so this
# caps the grid at about 28 MB whatever the folder size; issue 6 allows 300 MB above an
# empty window in all, and the face detector holds ~180 MB of it (benchmarks/memory.py:
# 304 MB with 600 4-byte thumbnails). 450 is 15 screens of a full-HD grid; a row scrolled
# back to after that reloads its thumbnail from the folder's thumbnail store.
THUMBNAIL_CACHE_SIZE = 450
# The same memory, whatever the screen: a thumbnail for a 2x screen has four times the
# pixels (see images.grid_thumbnail), so the cache then holds a quarter as many.
THUMBNAIL_CACHE_BYTES = THUMBNAIL_CACHE_SIZE * 164 * 128 * 3

Index = QModelIndex | QPersistentModelIndex


class Roles(IntEnum):
    """Data the delegate, the filters and the tests read from a row."""

    PHOTO_ID = Qt.ItemDataRole.UserRole + 1
    STATUS = Qt.ItemDataRole.UserRole + 2
    STATE = Qt.ItemDataRole.UserRole + 3
    FACE_COUNT = Qt.ItemDataRole.UserRole + 4
    THUMBNAIL = Qt.ItemDataRole.UserRole + 5
    WRITING_WAITING = Qt.ItemDataRole.UserRole + 6
    EXPORTED = Qt.ItemDataRole.UserRole + 7


@dataclass(frozen=True)
class FaceCount:
    """The faces a cell counts, as the side panel counts them: boxes that are faces (to
    hide, or shown with consent) and, apart, possible faces still to accept or dismiss."""

    faces: int
    possible: int = 0

    @property
    def text(self) -> str:
        """ "3 faces", "1 face, 2 possible", "2 possible"."""
        faces = "1 face" if self.faces == 1 else f"{self.faces} faces"
        if not self.possible:
            return faces
        possible = f"{self.possible} possible"
        return f"{faces}, {possible}" if self.faces else possible


@dataclass(frozen=True)
class GridEntry:
    """What one grid cell shows."""

    photo_id: str
    name: str
    status: PhotoStatus = NOT_SCANNED
    face_count: FaceCount | None = None
    writing_waiting: int = 0  # "writing?" regions nobody has covered or left yet
    exported: str = ""  # "Exported 3 May" for a picture exported before, else ""
    exported_detail: str = ""  # the tooltip's sentence about that export


class PhotoGridModel(QAbstractListModel):
    """The folder's photos for the grid; the controller feeds it, the delegate paints it."""

    thumbnail_wanted = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[GridEntry] = []
        self._rows: dict[str, int] = {}
        self._thumbs: OrderedDict[str, QImage] = OrderedDict()
        self._thumb_bytes = 0
        self._asked: set[str] = set()

    # --- Qt model interface -------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(entry)
        if role == Roles.PHOTO_ID:
            return entry.photo_id
        if role == Roles.STATUS:
            return entry.status
        if role == Roles.STATE:
            # As its string value: Qt's variant turns a str-based enum into a plain str.
            return entry.status.state.value
        if role == Roles.FACE_COUNT:
            return entry.face_count
        if role == Roles.WRITING_WAITING:
            return entry.writing_waiting
        if role == Roles.EXPORTED:
            return entry.exported
        if role == Roles.THUMBNAIL:
            return self._thumbnail(entry.photo_id)
        return None

    # --- feeding the model --------------------------------------------------------------

    def set_entries(self, entries: Sequence[GridEntry]) -> None:
        """Replace every row (a folder was opened)."""
        self.beginResetModel()
        self._entries = list(entries)
        self._rows = {entry.photo_id: row for row, entry in enumerate(self._entries)}
        self._thumbs.clear()
        self._thumb_bytes = 0
        self._asked.clear()
        self.endResetModel()

    def update_entry(
        self,
        photo_id: str,
        *,
        status: PhotoStatus | None = None,
        face_count: FaceCount | None = None,
        writing_waiting: int | None = None,
        exported: tuple[str, str] | None = None,
    ) -> None:
        """Change a row's status, face count, writing waiting and/or exported mark
        (its words and its tooltip's)."""
        row = self._rows.get(photo_id)
        if row is None:
            return
        entry = self._entries[row]
        if status is not None:
            entry = replace(entry, status=status)
        if face_count is not None:
            entry = replace(entry, face_count=face_count)
        if writing_waiting is not None:
            entry = replace(entry, writing_waiting=writing_waiting)
        if exported is not None:
            entry = replace(entry, exported=exported[0], exported_detail=exported[1])
        self._entries[row] = entry
        self._changed(row)

    def set_thumbnail(self, photo_id: str, image: QImage) -> None:
        """Store a row's thumbnail (dropping the least recently shown one if full)."""
        row = self._rows.get(photo_id)
        if row is None or image.isNull():
            return
        old = self._thumbs.get(photo_id)
        self._thumb_bytes += image.sizeInBytes() - (0 if old is None else old.sizeInBytes())
        self._thumbs[photo_id] = image
        self._thumbs.move_to_end(photo_id)
        self._asked.discard(photo_id)
        while len(self._thumbs) > 1 and (
            len(self._thumbs) > THUMBNAIL_CACHE_SIZE or self._thumb_bytes > THUMBNAIL_CACHE_BYTES
        ):
            _, dropped = self._thumbs.popitem(last=False)
            self._thumb_bytes -= dropped.sizeInBytes()
        self._changed(row, [Roles.THUMBNAIL])

    # --- reading ------------------------------------------------------------------------

    def entries(self) -> list[GridEntry]:
        """Every row, in order (a copy)."""
        return list(self._entries)

    def entry(self, photo_id: str) -> GridEntry | None:
        row = self._rows.get(photo_id)
        return None if row is None else self._entries[row]

    def row_of(self, photo_id: str) -> int:
        """The row of ``photo_id``, or -1."""
        return self._rows.get(photo_id, -1)

    def photo_id_at(self, row: int) -> str | None:
        return self._entries[row].photo_id if 0 <= row < len(self._entries) else None

    def statuses(self) -> list[PhotoStatus]:
        return [entry.status for entry in self._entries]

    def has_thumbnail(self, photo_id: str) -> bool:
        return photo_id in self._thumbs

    def _thumbnail(self, photo_id: str) -> QImage | None:
        image = self._thumbs.get(photo_id)
        if image is not None:
            self._thumbs.move_to_end(photo_id)
            return image
        if photo_id not in self._asked:
            self._asked.add(photo_id)
            self.thumbnail_wanted.emit(photo_id)
        return None

    def forget_request(self, photo_id: str) -> None:
        """A thumbnail asked for could not be made; allow asking again later."""
        self._asked.discard(photo_id)

    def _changed(self, row: int, roles: Sequence[int] = ()) -> None:
        index = self.index(row)
        self.dataChanged.emit(index, index, [int(r) for r in roles])


def _tooltip(entry: GridEntry) -> str:
    problem = file_problem(entry.status)
    if problem is not None:
        return f"{entry.name}\n{problem.sentence}"
    lines = [entry.name, f"Status: {entry.status.state.label}"]
    lines += [f"• {reason}" for reason in entry.status.reasons]
    if entry.exported_detail:
        lines.append(entry.exported_detail)
    return "\n".join(lines)
