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


def assert_folder_agrees_with_the_trail(
    session: Session, upload: Path, *, killed: bool = False
) -> None:
    """Every file in the upload folder is a complete photo with its "exported" entry,
    every entry's file is there, nothing half-written is left, no picture is twice.

    ``killed``: an export was killed between an entry and its file's name, so an entry
    may lack its file (never the other way round).
    """
    files = sorted(p.name for p in upload.iterdir()) if upload.exists() else []
    records = published_into(session, upload)
    if killed:
        assert set(files) <= {r.name for r in records}
    else:
        assert files == sorted(r.name for r in records)
    for name in files:
        assert not name.startswith(".")  # no temporary file left behind
        with Image.open(upload / name) as image:
            image.load()  # a complete JPEG: decodes to the end
    present = [r.photo_hash for r in records if r.name in files]
    twice = [d for d, n in Counter(present).items() if n > 1]
    assert not twice
