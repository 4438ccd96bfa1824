"""What identifying data a photo file carries, in plain words: one reader per kind (EXIF, XMP,
IPTC, PNG chunks, ICC names, HEIF) and the findings they report.
"""

from __future__ import annotations

from photoscreen.core.metadata.findings import DAMAGED, UNCHECKED_KINDS, Finding, merged, summarize
from photoscreen.core.metadata.inspection import damage, inspect_metadata

__all__ = [
    "DAMAGED",
    "UNCHECKED_KINDS",
    "Finding",
    "damage",
    "inspect_metadata",
    "merged",
    "summarize",
]
