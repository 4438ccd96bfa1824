"""What any export, stopped anywhere, must leave: an upload folder that agrees with the
audit trail (used by the core's property test and the window's tests)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PIL import Image

from photoscreen.core.session import Session
from photoscreen.core.storage import ExportRecord


def published_into(session: Session, upload: Path) -> list[ExportRecord]:
    """The audit trail's published exports into ``upload``."""
    where = str(upload.resolve())
    return [r for rs in session.exports().values() for r in rs if r.destination == where]


def assert_folder_agrees_with_the_trail(session: Session, upload: Path) -> None:
    """Every file in the upload folder is a complete photo with its "exported" entry,
    every entry's file is there, nothing half-written is left, no picture is twice."""
    files = sorted(p.name for p in upload.iterdir()) if upload.exists() else []
    records = published_into(session, upload)
    assert files == sorted(r.name for r in records)
    for name in files:
        assert not name.startswith(".")  # no temporary file left behind
        with Image.open(upload / name) as image:
            image.load()  # a complete JPEG: decodes to the end
    twice = [d for d, n in Counter(r.photo_hash for r in records).items() if n > 1]
    assert not twice
