"""Findings from IPTC-IIM records and Photoshop image resource blocks (JPEG APP13, TIFF).

Newsroom and photo-library tools store the photographer (By-line), caption, keywords and
place names as IPTC-IIM datasets, usually wrapped in Photoshop's "8BIM" resources, which
can also hold a thumbnail and an XMP packet.
"""

from __future__ import annotations

from photoscreen.core.metadata import findings as words
from photoscreen.core.metadata.findings import Finding, date_words
from photoscreen.core.metadata.xmp import xmp_findings

PHOTOSHOP_SIGNATURE = b"Photoshop 3.0\x00"
_IPTC_RESOURCE = 0x0404
_THUMBNAIL_RESOURCES = (0x0409, 0x040C)
_XMP_RESOURCE = 0x0424

# (record 2 dataset) -> (kind, what it is: the words the EXIF and XMP readers use too)
_DATASETS = {
    80: ("owner", words.PHOTOGRAPHER),  # By-line
    85: ("owner", "photographer's job title"),  # By-line Title
    116: ("owner", words.COPYRIGHT),
    110: ("owner", "credit line"),
    122: ("owner", "caption writer's name"),
    120: ("comment", words.CAPTION),
    105: ("comment", words.TITLE),  # Headline
    5: ("comment", words.TITLE),  # Object Name
    25: ("comment", words.KEYWORDS),
    40: ("comment", "special instructions"),
    90: ("location", words.PLACES),  # City
    92: ("location", words.PLACES),  # Sub-location
    95: ("location", words.PLACES),  # Province/State
    101: ("location", words.PLACES),  # Country
    55: ("datetime", words.TAKEN),  # Date Created
    65: ("software", words.SOFTWARE),  # Originating Program
}
IPTC = Finding("iptc", words.OTHER, ("IPTC",))


def photoshop_findings(payload: bytes) -> list[Finding]:
    """Findings for a Photoshop resource block (with or without the APP13 signature)."""
    if payload.startswith(PHOTOSHOP_SIGNATURE):
        payload = payload[len(PHOTOSHOP_SIGNATURE) :]
    findings: list[Finding] = []
    for resource_id, data in _resources(payload):
        if resource_id == _IPTC_RESOURCE:
            findings += iptc_findings(data)
        elif resource_id in _THUMBNAIL_RESOURCES:
            findings.append(Finding("thumbnail", words.THUMBNAIL))
        elif resource_id == _XMP_RESOURCE:
            findings += xmp_findings(data)
    return findings or [Finding("other", words.OTHER, ("Photoshop",))]


def iptc_findings(data: bytes) -> list[Finding]:
    """Findings for raw IPTC-IIM datasets."""
    values: dict[int, list[str]] = {}
    for record, dataset, value in _datasets(data):
        if record == 2 and dataset in _DATASETS:
            text = value.decode("utf-8", "replace").strip("\x00 ")
            if text:
                values.setdefault(dataset, []).append(text)
    findings = [IPTC]
    for dataset, texts in values.items():
        kind, what = _DATASETS[dataset]
        shown = tuple(date_words(t) for t in texts) if kind == "datetime" else tuple(texts)
        findings.append(Finding(kind, what, shown))
    return findings


def _resources(payload: bytes) -> list[tuple[int, bytes]]:
    """(id, data) of each "8BIM" resource; stops quietly at the first malformed one."""
    found = []
    pos = 0
    while pos + 12 <= len(payload) and payload[pos : pos + 4] == b"8BIM":
        resource_id = int.from_bytes(payload[pos + 4 : pos + 6], "big")
        name_length = payload[pos + 6]
        pos += 6 + name_length + 1
        pos += pos % 2  # the Pascal name is padded to an even length
        if pos + 4 > len(payload):
            break
        size = int.from_bytes(payload[pos : pos + 4], "big")
        pos += 4
        found.append((resource_id, payload[pos : pos + size]))
        pos += size + size % 2
    return found


def _datasets(data: bytes) -> list[tuple[int, int, bytes]]:
    """(record, dataset, value) of each IIM dataset (tag marker 0x1C)."""
    found = []
    pos = 0
    while pos + 5 <= len(data) and data[pos] == 0x1C:
        record, dataset = data[pos + 1], data[pos + 2]
        size = int.from_bytes(data[pos + 3 : pos + 5], "big")
        pos += 5
        if size & 0x8000:
            # Extended dataset: the low bits give how many bytes hold the real length.
            count = size & 0x7FFF
            size = int.from_bytes(data[pos : pos + count], "big")
            pos += count
        found.append((record, dataset, data[pos : pos + size]))
        pos += size
    return found
