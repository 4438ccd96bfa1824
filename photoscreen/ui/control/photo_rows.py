"""The open folder's photos as the grid shows them: each file's entry, and its export mark.

The controller keeps one :class:`PhotoRows`. It holds the session's
:class:`~photoscreen.core.session.PhotoEntry` for every file (keyed by an id that survives
Qt's strings: a file name need not be text) and what has been exported of each picture,
and keeps the grid model's rows in step: status, faces, writing waiting, and the
"Exported 3 May" mark. Nothing here decides anything; it only mirrors what the core holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from photoscreen.core.session import PhotoEntry
from photoscreen.core.storage import ExportRecord
from photoscreen.core.workflows import exported_before
from photoscreen.ui.control import view_state
from photoscreen.ui.grid import GridEntry, PhotoGridModel

Exports = Mapping[str, tuple[ExportRecord, ...]]  # picture hash -> its exports


class PhotoRows:
    """The open folder's entries, mirrored into ``model``."""

    def __init__(self, model: PhotoGridModel) -> None:
        self.model = model
        self._photos: dict[str, PhotoEntry] = {}
        self._exports: Exports = {}
        # How many rows this window changed: a read of the session started before a
        # change may predate it (see ui/folder's OutsideChanges).
        self.changes = 0

    def load(self, entries: Iterable[PhotoEntry], exports: Exports) -> None:
        """Show exactly ``entries`` (a folder just opened, or none), in this order."""
        self._photos = {entry.key: entry for entry in entries}
        self._exports = exports
        self.model.set_entries(
            [
                GridEntry(
                    e.key,
                    e.shown_name,
                    e.status,
                    view_state.face_count(e.decisions),
                    view_state.writing_waiting(e.decisions),
                    *self._exported_mark(e),
                )
                for e in self._photos.values()
            ]
        )

    def set_exports(self, exports: Exports) -> None:
        """What has been exported now (an export may have ended); shown as rows are stored."""
        self._exports = exports

    def store(self, entry: PhotoEntry) -> None:
        """Keep ``entry`` (a file read again, or its picture's decisions changed)."""
        self.changes += 1
        self._photos[entry.key] = entry
        self.model.update_entry(
            entry.key,
            status=entry.status,
            face_count=view_state.face_count(entry.decisions),
            writing_waiting=view_state.writing_waiting(entry.decisions),
            exported=self._exported_mark(entry),
        )

    def get(self, key: str | None) -> PhotoEntry | None:
        return self._photos.get(key) if key is not None else None

    def __contains__(self, key: object) -> bool:
        return key in self._photos

    def __len__(self) -> int:
        return len(self._photos)

    def entries(self) -> list[PhotoEntry]:
        """Every photo of the open folder, in folder order."""
        return list(self._photos.values())

    def holding(self, photo_hash: str) -> list[PhotoEntry]:
        """The files holding the picture ``photo_hash`` (copies share their decisions)."""
        return [entry for entry in self._photos.values() if entry.photo_hash == photo_hash]

    def exported_before(self) -> int:
        """How many photos ready to post went out in an earlier export."""
        return exported_before(self.entries(), self._exports)

    def _exported_mark(self, entry: PhotoEntry) -> tuple[str, str]:
        """ "Exported 3 May" (and its tooltip) for a picture exported before."""
        return view_state.exported_mark(self._exports.get(entry.photo_hash or "", ()))
