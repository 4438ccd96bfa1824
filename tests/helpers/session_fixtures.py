"""Helpers shared by the session, review, export and command tests: small generated photos,
the steps that take one to "ready", and writing a stored value as photoscreen would.

Photos are tiny generated JPEGs (Pillow), each with its own colour pattern so each has its
own content hash.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from photoscreen.core.basics.geometry import Box
from photoscreen.core.imaging.loading import photo_hash
from photoscreen.core.session.folder_session import Session
from photoscreen.core.storage.store import Store
from photoscreen.core.trail import audit

WIDTH, HEIGHT = 64, 48


def jpeg_bytes(seed: int, size: tuple[int, int] = (WIDTH, HEIGHT)) -> bytes:
    """A small JPEG whose pixels (and so hash) depend on ``seed``."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 255, size=(size[1], size[0], 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def write_photo(path: Path, seed: int) -> str:
    """Write a generated photo at ``path``; returns its content hash."""
    data = jpeg_bytes(seed)
    path.write_bytes(data)
    return photo_hash(data)


def detection(box: Box, *, possible: bool = False, score: float = 0.9) -> Any:
    """A detector result, as ``photoscreen.core.faces.detector`` makes them."""
    from photoscreen.core.faces.detector import Detection, FaceBand

    return Detection(box=box, score=score, band=FaceBand.POSSIBLE if possible else FaceBand.FACE)


def scan(
    session: Session,
    path: Path,
    detections: Sequence[Any] = (),
    settings_key: str = "test-detector",
) -> str:
    """Record ``path`` as scan would (hash, size, detections); returns its hash."""
    digest = photo_hash(path.read_bytes())
    with Image.open(path) as image:
        width, height = image.size
    session.record_scan(path, digest, width, height, "JPEG", list(detections), settings_key)
    return digest


def make_ready(session: Session, digest: str, activity: str = "messy_play") -> None:
    """Tag an allowed activity and check the faces: the photo becomes ready."""
    session.set_activity(digest, activity)
    session.set_faces_checked(digest)


def write_recorded(store: Store, sql: str, params: Sequence[object] = ()) -> None:
    """Write a value through ``store`` as photoscreen's own change, with an audit entry.

    For a value today's photoscreen would not write (a PIN set when 4 digits were enough,
    a row the damage checks must refuse): written this way it is in the chained trail,
    so it is judged as what it is, not found as an edit made outside photoscreen.
    """
    with store.transaction() as conn:
        conn.execute(sql, tuple(params))
        audit.record(conn, "test", "setting_changed", None, {"written": "by a test"})
