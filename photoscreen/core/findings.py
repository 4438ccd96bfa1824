"""What the metadata inspector reports: one plain-words finding per kind of data.

Kept apart from the format readers so each of them (EXIF, XMP, IPTC, container walkers)
can produce findings without importing the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from photoscreen.core.printable import printable

# Stable short ids, in the order a summary lists them (most sensitive first).
KINDS = (
    "gps",
    "location",
    "names",
    "owner",
    "serial",
    "camera",
    "datetime",
    "software",
    "comment",
    "text",
    "thumbnail",
    "secondary_image",
    "makernote",
    "xmp",
    "iptc",
    "exif",
    "other",
    "trailing_data",
    "damaged",
)
_TEXT_LIMIT = 60


@dataclass(frozen=True)
class Finding:
    """One kind of identifying data a file carries: a stable ``kind`` and plain ``text``."""

    kind: str
    text: str


def quoted(value: str) -> str:
    """A value shortened and quoted for a one-line report, control and direction characters
    shown as escapes (a right-to-left override in a tag must not turn the words round)."""
    value = printable(" ".join(value.split()))
    if len(value) > _TEXT_LIMIT:
        value = value[: _TEXT_LIMIT - 1] + "…"
    return f'"{value}"'


def summarize(findings: Iterable[Finding]) -> str:
    """One line for staff, most sensitive first, e.g. "GPS position 53.68 N 1.51 W, ..."."""
    unique = list(dict.fromkeys(findings))
    order = {kind: index for index, kind in enumerate(KINDS)}
    unique.sort(key=lambda f: order.get(f.kind, len(KINDS)))
    return ", ".join(f.text for f in unique) if unique else "clean"
