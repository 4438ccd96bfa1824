"""The folder's listing: every file, which picture it holds, and that picture's status.

A listing is built from what is on disk now (names, sizes, times) and what the session
knows (the hash each file had when read, each hash's decisions). Nothing is read from the
photos themselves, so listing a large folder is quick; a file that changed since it was
read shows as not scanned until ingest reads it again.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from photoscreen.core.basics import name_key, shown_name
from photoscreen.core.rules import (
    NOT_SCANNED,
    Activity,
    PhotoDecisions,
    PhotoState,
    PhotoStatus,
    photo_status,
)
from photoscreen.core.session.scan_records import FileRecord, stat_or_none


@dataclass(frozen=True)
class PhotoEntry:
    """One file of the folder as the window lists it."""

    path: Path
    photo_hash: str | None
    status: PhotoStatus
    decisions: PhotoDecisions | None

    @property
    def name(self) -> str:
        """The file's name exactly as the system gives it (not always text)."""
        return self.path.name

    @property
    def key(self) -> str:
        """An id for the file that is valid text (the window's, through Qt): see
        :func:`~photoscreen.core.basics.file_names.name_key`."""
        return name_key(self.name)

    @property
    def shown_name(self) -> str:
        """The name for people to read (odd bytes and control characters visible)."""
        return shown_name(self.name)

    @property
    def state(self) -> PhotoState:
        return self.status.state

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.status.reasons

    @property
    def activity(self) -> str | None:
        return None if self.decisions is None else self.decisions.activity

    @property
    def faces_to_redact(self) -> int:
        """Faces export will redact (every face not shown with consent on the register)."""
        return 0 if self.decisions is None else len(self.decisions.faces_to_redact)

    @property
    def faces_with_consent(self) -> int:
        if self.decisions is None:
            return 0
        return sum(1 for f in self.decisions.faces if f.state.is_face and not f.redacted)

    @property
    def flagged(self) -> bool:
        return self.decisions is not None and self.decisions.flagged

    @property
    def awaiting_review(self) -> bool:
        """Flagged for the manager and not yet approved or rejected."""
        return self.decisions is not None and self.decisions.flagged and (
            self.decisions.verdict is None
        )


def review_queue(entries: Iterable[PhotoEntry]) -> list[PhotoEntry]:
    """The manager's review queue, the one rule for the session and the window alike: the
    photos awaiting a verdict, in folder order (a photo leaves it once judged)."""
    return [entry for entry in entries if entry.awaiting_review]


# Files the system itself leaves in folders of photos (Windows' thumbnail cache and folder
# settings; macOS's ``.DS_Store`` and ``._name`` files are hidden names). Nobody put them
# there: listing them as "not supported" and counting them only confused people.
SYSTEM_FILES = frozenset({"thumbs.db", "ehthumbs.db", "ehthumbs_vista.db", "desktop.ini"})


def is_system_file(name: str) -> bool:
    """True for a hidden name or a file the system keeps in folders (see SYSTEM_FILES)."""
    return name.startswith(".") or name.casefold() in SYSTEM_FILES


def list_folder(folder: Path) -> list[Path]:
    """The files directly in ``folder`` (not hidden, not folders), sorted by name.

    Every file is listed, photo or not, so unsupported files get a reason instead of
    silently vanishing. The session directory, other hidden names and the system's own
    files (:func:`is_system_file`) are skipped.
    """
    paths = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if is_system_file(entry.name) or entry.is_dir(follow_symlinks=False):
                continue
            paths.append(folder / entry.name)
    return sorted(paths, key=lambda p: (p.name.casefold(), p.name))


def build_entries(
    paths: Iterable[Path],
    files: Mapping[str, FileRecord],
    known: Mapping[str, PhotoDecisions],
    activities: Iterable[Activity],
) -> list[PhotoEntry]:
    """Pair each path with the decisions of the picture it held when last read."""
    activity_list = tuple(activities)
    entries = []
    for path in paths:
        record = files.get(path.name)
        if record is None or not record.matches(stat_or_none(path)):
            entries.append(PhotoEntry(path, None, NOT_SCANNED, None))
            continue
        decisions = known.get(record.photo_hash) if record.photo_hash else None
        if record.unreadable_reason is not None:
            decisions = PhotoDecisions(
                photo_hash=record.photo_hash or "", unreadable_reason=record.unreadable_reason
            )
        status = photo_status(decisions, activity_list)
        entries.append(PhotoEntry(path, record.photo_hash, status, decisions))
    return entries
