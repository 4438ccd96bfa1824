"""Making the shareable copy of one photo: irreversible redaction, fresh JPEG encoding, the
safe-export engine, and where an export may write.
"""

from __future__ import annotations

from photoscreen.core.render.encode import (
    encode_clean_jpeg,
    prefilter_for_resize,
    remove_partial_files,
    sample_prefiltered,
    verify_clean_jpeg,
    write_new_file,
)
from photoscreen.core.render.export_destination import ExportRefused, check_destination
from photoscreen.core.render.redact import RedactionStyle, redact_faces
from photoscreen.core.render.safe_export import (
    ExportFailed,
    ExportOptions,
    RenderedExport,
    _redact_in_place,
    export_photo,
    render_export,
    render_for_writing,
    write_export,
)

__all__ = [
    "ExportFailed",
    "ExportOptions",
    "ExportRefused",
    "RedactionStyle",
    "RenderedExport",
    "_redact_in_place",
    "check_destination",
    "encode_clean_jpeg",
    "export_photo",
    "prefilter_for_resize",
    "redact_faces",
    "remove_partial_files",
    "render_export",
    "render_for_writing",
    "sample_prefiltered",
    "verify_clean_jpeg",
    "write_export",
    "write_new_file",
]
