"""Long jobs over a whole folder: ingest (and its schedule) and export."""

from __future__ import annotations

from photoscreen.core.workflows.export import (
    ExportRefused,
    check_destination,
    export_photos,
    render_workers,
)
from photoscreen.core.workflows.export_plan import ExportPlan, exported_before, plan_export
from photoscreen.core.workflows.export_summary import AlreadyExported, ExportSummary
from photoscreen.core.workflows.ingest import IngestResult, ingest_photos
from photoscreen.core.workflows.ingest_schedule import IngestQueue

__all__ = [
    "AlreadyExported",
    "ExportPlan",
    "ExportRefused",
    "ExportSummary",
    "IngestQueue",
    "IngestResult",
    "check_destination",
    "export_photos",
    "exported_before",
    "ingest_photos",
    "plan_export",
    "render_workers",
]
