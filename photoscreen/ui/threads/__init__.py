"""Where core jobs run off the GUI thread: the worker pools, the job bodies for the photo on
screen and thumbnails, and numpy pixels turned into QImages.
"""

from __future__ import annotations

from photoscreen.ui.threads.images import grid_thumbnail
from photoscreen.ui.threads.photo_jobs import (
    FoundAgain,
    LoadedPhoto,
    PhotoChanged,
    load_photo,
    look_harder,
    quick_grid_thumbnail,
    render_preview,
    stored_grid_thumbnail,
)
from photoscreen.ui.threads.workers import JobContext, JobError, JobHandle, Workers

__all__ = [
    "FoundAgain",
    "JobContext",
    "JobError",
    "JobHandle",
    "LoadedPhoto",
    "PhotoChanged",
    "Workers",
    "grid_thumbnail",
    "load_photo",
    "look_harder",
    "quick_grid_thumbnail",
    "render_preview",
    "stored_grid_thumbnail",
]
