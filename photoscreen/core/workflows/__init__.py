"""Long jobs over a whole folder: scan (and its schedule) and export."""

from __future__ import annotations

from photoscreen.core.workflows.export import (
    ExportRefused,
    check_destination,
    export_photos,
    render_workers,
)
from photoscreen.core.workflows.export_plan import ExportPlan, exported_before, plan_export
from photoscreen.core.workflows.export_summary import AlreadyExported, ExportSummary
from photoscreen.core.workflows.scan import ScanResult, scan_photos
from photoscreen.core.workflows.scan_schedule import ScanQueue

__all__ = [
    "AlreadyExported",
    "ExportPlan",
    "ExportRefused",
    "ExportSummary",
    "ScanQueue",
    "ScanResult",
    "check_destination",
    "export_photos",
    "exported_before",
    "plan_export",
    "render_workers",
    "scan_photos",
]
