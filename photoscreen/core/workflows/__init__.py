"""Long jobs over a whole folder: ingest (and its schedule) and export."""

from __future__ import annotations

from photoscreen.core.workflows.export import (
    ExportRefused,
    check_destination,
    export_photos,
    render_workers,
)
from photoscreen.core.workflows.export_summary import ExportSummary
from photoscreen.core.workflows.ingest import IngestResult, ingest_photos
from photoscreen.core.workflows.ingest_schedule import IngestQueue

__all__ = [
    "ExportRefused",
    "ExportSummary",
    "IngestQueue",
    "IngestResult",
    "check_destination",
    "export_photos",
    "ingest_photos",
    "render_workers",
]
