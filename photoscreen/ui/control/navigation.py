"""Moving through the grid: which photo comes next in its order, with its filter applied.

Arrow keys, Home/End, "faces checked, next" and the filter bar all ask one
:class:`GridNavigation`; the controller then shows the photo it names. The walk follows
the grid model's rows (the folder's order) and the status filter of its proxy, so what
the keys reach is exactly what the grid shows.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from photoscreen.core.rules import needs_staff
from photoscreen.ui.control.photo_rows import PhotoRows
from photoscreen.ui.grid import PhotoGridModel, StatusFilterProxy


class GridNavigation:
    """Answers "which photo is next" for ``rows`` shown through ``proxy``."""

    def __init__(self, rows: PhotoRows, proxy: StatusFilterProxy) -> None:
        self._rows = rows
        self._proxy = proxy
        # Where the photo shown last stood in the filtered grid: once a decision takes it
        # out of the filter, its old place holds the photo that came after it.
        self._last_row = 0

    @property
    def _model(self) -> PhotoGridModel:
        return self._rows.model

    def shown(self, photo_id: str | None) -> None:
        """``photo_id`` is on screen now: remember its place in the filtered grid."""
        row = self._visible_row(photo_id)
        if row >= 0:
            self._last_row = row

    def is_visible(self, photo_id: str | None) -> bool:
        """True if the grid, with its filter, shows ``photo_id``."""
        return self._visible_row(photo_id) >= 0

    def next_needing(self, current: str | None, step: int, *, wrap: bool) -> str | None:
        """The first photo after (or before) ``current``, in the grid's order with its
        filter, that still needs something from staff
        (:func:`~photoscreen.core.rules.policy.needs_staff`); from the other end again if
        ``wrap``. None when there is none.

        Walked in the model's rows, where the current photo keeps its place even when a
        decision has just taken it out of the filter."""
        count = self._model.rowCount()
        start = self._model.row_of(current or "")
        if start < 0:
            start = -1 if step > 0 else count
        direction = 1 if step > 0 else -1
        for offset in range(1, count + 1):
            row = start + direction * offset
            if wrap:
                row %= count
            elif not 0 <= row < count:
                return None
            photo_id = self._model.photo_id_at(row)
            entry = self._rows.get(photo_id)
            if (
                photo_id != current
                and entry is not None
                and needs_staff(entry.status)
                and self._proxy.filterAcceptsRow(row, QModelIndex())
            ):
                return photo_id
        return None

    def neighbour(self, current: str | None, step: int) -> str | None:
        """The photo ``step`` places from ``current`` in the filtered grid, stopping at
        its ends; None for an empty grid."""
        count = self._proxy.rowCount()
        if not count:
            return None
        row = self._visible_row(current)
        if row < 0:
            # The current photo left the filter (it was decided): its old place now
            # holds the next photo.
            row = self._last_row - (1 if step > 0 else 0)
        return self._at(min(max(row + step, 0), count - 1))

    def end(self, last: bool) -> str | None:
        """The first (or ``last``) photo of the filtered grid; None if it shows none."""
        count = self._proxy.rowCount()
        return self._at(count - 1 if last else 0) if count else None

    def first_visible(self) -> str | None:
        return self.end(last=False)

    def _visible_row(self, photo_id: str | None) -> int:
        source = self._model.index(self._model.row_of(photo_id or ""))
        return self._proxy.mapFromSource(source).row()

    def _at(self, row: int) -> str | None:
        return self._model.photo_id_at(self._proxy.mapToSource(self._proxy.index(row, 0)).row())
