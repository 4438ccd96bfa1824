"""Findings from IPTC-IIM records and Photoshop image resource blocks (JPEG APP13, TIFF).

Newsroom and photo-library tools store the photographer (By-line), caption, keywords and
place names as IPTC-IIM datasets, usually wrapped in Photoshop's "8BIM" resources, which
can also hold a thumbnail and an XMP packet.
"""

from __future__ import annotations

from photoscreen.core.findings import Finding, quoted
from photoscreen.core.metadata_xmp import xmp_findings

PHOTOSHOP_SIGNATURE = b"Photoshop 3.0\x00"
_IPTC_RESOURCE = 0x0404
_THUMBNAIL_RESOURCES = (0x0409, 0x040C)
_XMP_RESOURCE = 0x0424

# (record 2 dataset) -> (kind, label)
_DATASETS = {
    80: ("owner", "by-line"),
    85: ("owner", "by-line title"),
    116: ("owner", "copyright"),
    110: ("owner", "credit"),
    122: ("owner", "caption writer"),
    120: ("comment", "IPTC caption"),
    105: ("comment", "IPTC headline"),
    5: ("comment", "IPTC title"),
    25: ("comment", "IPTC keywords"),
    40: ("comment", "IPTC instructions"),
    90: ("location", "city"),
    92: ("location", "sub-location"),
    95: ("location", "province/state"),
    101: ("location", "country"),
    55: ("datetime", "IPTC date"),
    65: ("software", "IPTC program"),
}


def photoshop_findings(payload: bytes) -> list[Finding]:
    """Findings for a Photoshop resource block (with or without the APP13 signature)."""
    if payload.startswith(PHOTOSHOP_SIGNATURE):
        payload = payload[len(PHOTOSHOP_SIGNATURE) :]
    findings: list[Finding] = []
    for resource_id, data in _resources(payload):
        if resource_id == _IPTC_RESOURCE:
            findings += iptc_findings(data)
        elif resource_id in _THUMBNAIL_RESOURCES:
            findings.append(Finding("thumbnail", "1 embedded thumbnail (Photoshop)"))
        elif resource_id == _XMP_RESOURCE:
            findings += xmp_findings(data)
    return findings or [Finding("other", "Photoshop data")]


def iptc_findings(data: bytes) -> list[Finding]:
    """Findings for raw IPTC-IIM datasets."""
    values: dict[int, list[str]] = {}
    for record, dataset, value in _datasets(data):
        if record == 2 and dataset in _DATASETS:
            text = value.decode("utf-8", "replace").strip("\x00 ")
            if text:
                values.setdefault(dataset, []).append(text)
    findings = [Finding("iptc", "IPTC data")]
    for dataset, texts in values.items():
        kind, label = _DATASETS[dataset]
        findings.append(Finding(kind, f"{label} {quoted(', '.join(texts))}"))
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
