"""The thumbnail grid: its model, the painted cells, the status filter, and why a file cannot
be used.
"""

from __future__ import annotations

from photoscreen.ui.grid.delegate import CELL_SIZE, GridDelegate, badge_colours
from photoscreen.ui.grid.file_problems import FileProblem, file_problem
from photoscreen.ui.grid.filters import (
    ALL_PHOTOS,
    FILTERS,
    REVIEW_FILTER,
    FilterBar,
    StatusFilter,
    StatusFilterProxy,
)
from photoscreen.ui.grid.model import (
    THUMBNAIL_CACHE_SIZE,
    FaceCount,
    GridEntry,
    PhotoGridModel,
    Roles,
)

__all__ = [
    "ALL_PHOTOS",
    "CELL_SIZE",
    "FILTERS",
    "REVIEW_FILTER",
    "THUMBNAIL_CACHE_SIZE",
    "FaceCount",
    "FileProblem",
    "FilterBar",
    "GridDelegate",
    "GridEntry",
    "PhotoGridModel",
    "Roles",
    "StatusFilter",
    "StatusFilterProxy",
    "badge_colours",
    "file_problem",
]
