"""Filtering the grid by status, and the counts line under it.

Each filter is a named set of statuses; "All photos" has none. The counts line uses the
core's own wording (``count_states``), so the window and the command line agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QWidget

from photoscreen.core.rules import PhotoState, PhotoStatus, count_states, needs_staff
from photoscreen.ui.grid.file_problems import file_problem
from photoscreen.ui.grid.model import Roles


@dataclass(frozen=True)
class StatusFilter:
    """A named choice of which photos the grid shows."""

    label: str
    states: frozenset[PhotoState] = frozenset()
    # True: a photo is shown when any of ``states`` applies to it, not only the one its
    # badge shows (the manager sees every flagged photo, checked or not).
    any_reason: bool = False

    def accepts(self, status: PhotoStatus) -> bool:
        if not self.states:
            return True
        if self.any_reason:
            return any(status.has(state) for state in self.states)
        return status.state in self.states


ALL_PHOTOS = StatusFilter("All photos")
REVIEW_FILTER = StatusFilter(
    "Waiting for the manager", frozenset({PhotoState.AWAITING_REVIEW}), any_reason=True
)
FILTERS: tuple[StatusFilter, ...] = (
    ALL_PHOTOS,
    StatusFilter(
        "Still to do",
        frozenset({PhotoState.NEEDS_ACTIVITY, PhotoState.CHECK_FACES, PhotoState.NOT_SCANNED}),
    ),
    StatusFilter("Needs activity", frozenset({PhotoState.NEEDS_ACTIVITY})),
    StatusFilter("Check faces", frozenset({PhotoState.CHECK_FACES})),
    REVIEW_FILTER,
    StatusFilter("Ready to post", frozenset({PhotoState.READY})),
    StatusFilter(
        "Not going out (blocked, excluded, rejected)",
        frozenset({PhotoState.BLOCKED, PhotoState.EXCLUDED, PhotoState.REJECTED}),
    ),
    StatusFilter("Not supported or can't open", frozenset({PhotoState.UNREADABLE})),
)



class StatusFilterProxy(QSortFilterProxyModel):
    """Shows only the rows whose status the chosen filter accepts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filter = ALL_PHOTOS
        # Status changes must re-filter live (a photo tagged ready leaves "Still to do").
        self.setDynamicSortFilter(True)

    @property
    def current(self) -> StatusFilter:
        return self._filter

    def set_filter(self, status_filter: StatusFilter) -> None:
        self.beginFilterChange()
        self._filter = status_filter
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        return self._filter.accepts(index.data(Roles.STATUS))


class FilterBar(QWidget):
    """A "Show:" drop-down for the filters and the counts line beside it; ``export_key``
    is the export command's key, named once every photo is decided."""

    filter_chosen = Signal(object)

    def __init__(self, export_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._export_key = export_key
        self._combo = QComboBox()
        for status_filter in FILTERS:
            self._combo.addItem(status_filter.label)
        self._combo.currentIndexChanged.connect(lambda i: self.filter_chosen.emit(FILTERS[i]))
        self._counts = QLabel("")
        # One line that keeps its height whatever it says (a wrapped second line pushed
        # the window's content up and down); the full text is its tooltip.
        self._counts.setWordWrap(False)
        self._counts.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(QLabel("Show:"))
        layout.addWidget(self._combo)
        layout.addStretch(1)

    @property
    def counts_label(self) -> QLabel:
        """The counts line (laid out by the main window in its status bar)."""
        return self._counts

    def choose(self, status_filter: StatusFilter) -> None:
        """Select ``status_filter`` in the drop-down (emits ``filter_chosen``)."""
        self._combo.setCurrentIndex(FILTERS.index(status_filter))

    def show_counts(self, statuses: Sequence[PhotoStatus]) -> None:
        decided = decided_text(statuses, self._export_key)
        counts = counts_text(statuses)
        self._counts.setText(f"{decided}   ·   {counts}" if decided else counts)
        self._counts.setToolTip(self._counts.text())
        # The one place that says the work is done: in bold, where the counts always are.
        self._counts.setStyleSheet(
            "QLabel { font-weight: bold; color: #1b7a36; }" if decided else ""
        )

    def clear_counts(self) -> None:
        """No folder open: no counts (the last folder's would stay on the welcome page)."""
        self._counts.clear()


def decided_text(statuses: Sequence[PhotoStatus], export_key: str) -> str:
    """ "All 42 photos decided — Export (Ctrl+E)" once no photo needs anything from staff
    (files that cannot be used are not photos to decide); else "". ``export_key`` is the
    export command's key ("Ctrl+E")."""
    photos = [s for s in statuses if s.state is not PhotoState.UNREADABLE]
    if not photos or any(needs_staff(s) for s in photos):
        return ""
    noun = "photo" if len(photos) == 1 else "photos"
    return f"All {len(photos)} {noun} decided — Export ({export_key})"


def counts_text(statuses: Sequence[PhotoStatus]) -> str:
    """E.g. "44 photos: 38 ready, 2 blocked, 4 waiting for the manager; 1 file not supported".

    Files that cannot be used are counted apart: a video is not a photo to be done.
    """
    if not statuses:
        return "No photos in this folder"
    photos = [s for s in statuses if s.state is not PhotoState.UNREADABLE]
    problems = [p for p in map(file_problem, statuses) if p is not None]
    unsupported = sum(1 for p in problems if p.unsupported)
    damaged = len(problems) - unsupported
    noun = "photo" if len(photos) == 1 else "photos"
    parts = [f"{len(photos)} {noun}: {count_states(photos)}" if photos else "No photos"]
    if unsupported:
        parts.append(f"{unsupported} file{'s' if unsupported != 1 else ''} not supported")
    if damaged:
        parts.append(f"{damaged} file{'s' if damaged != 1 else ''} can't be opened")
    return "; ".join(parts)
