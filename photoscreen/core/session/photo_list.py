"""The folder's listing: every file, which picture it holds, and that picture's status.

A listing is built from what is on disk now (names, sizes, times) and what the session
knows (the hash each file had when read, each hash's decisions). Nothing is read from the
photos themselves, so listing a large folder is quick; a file that changed since it was
read shows as not scanned until scan reads it again.

:class:`Listing` is the session's reading part: the listing, one picture's decisions, what
a file re-read is judged as, whether another photoscreen saved something since, and what
the last check of the records against the chained trail found. What it hands out carries
``records_changed`` (records changed outside photoscreen) and ``consent_held`` (what the
consent register holds back now), so every reader sees the same status.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from photoscreen.core.basics import name_key, shown_name
from photoscreen.core.rules import (
    CHANGED_FILE,
    NOT_SCANNED,
    Activity,
    PhotoDecisions,
    PhotoState,
    PhotoStatus,
    photo_status,
)
from photoscreen.core.session import scan_records
from photoscreen.core.session.links import ConsentHolds
from photoscreen.core.session.scan_records import FileRecord, stat_or_none
from photoscreen.core.storage import (
    ExportRecord,
    Findings,
    RecordsGuard,
    Store,
    decisions,
    export_records,
    records_check,
)
from photoscreen.core.trail import audit


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


class Listing:
    """What a session reads of its folder: ``store`` and ``records`` (the chained trail's
    findings), ``holds`` (the consent register's), ``activities`` (the centre's now)."""

    def __init__(
        self,
        folder: Path,
        store: Store,
        records: RecordsGuard,
        holds: ConsentHolds,
        activities: Callable[[], tuple[Activity, ...]],
    ) -> None:
        self._folder = folder
        self._store = store
        self._records = records
        self._holds = holds
        self._activities = activities
        self.found = Findings()  # the last check of the records: see check_records
        self._data_version = store.data_version()  # see changed_elsewhere

    def check_records(self) -> Findings:
        """Check every photo and setting against the chained audit trail now (export
        does, before it starts); :attr:`found` then holds what was found."""
        self.found = self._records.check_all()
        return self.found

    def changed_elsewhere(self) -> bool:
        """True when another photoscreen (staff, or a manager reviewing beside them) has
        saved something in this session since the last call, or since it was opened:
        then read it again (a quick query; the window asks every second or two)."""
        version = self._store.data_version()
        changed, self._data_version = version != self._data_version, version
        return changed

    def photo(self, photo_hash: str) -> PhotoDecisions | None:
        """Everything decided about this picture, fresh from the store, with
        ``records_changed`` (records changed outside photoscreen, even a deleted row) and
        ``consent_held`` (the register's holds, now); a value never written: StoreError."""
        reasons = self._records.reasons(photo_hash)
        own = any(r.startswith(records_check.CHANGED_OUTSIDE) for r in reasons)
        with self._store.reading() as conn:
            found = self._holds.with_holds(decisions.load(conn, photo_hash))
        if not reasons:
            return found
        if found is None and not own:
            return None  # a picture nobody decided anything about
        return replace(found or PhotoDecisions(photo_hash), records_changed=reasons)

    def photos(self) -> list[PhotoEntry]:
        """The folder's files with status, reasons and decisions, sorted by name."""
        found = self._records.findings()
        with self._store.reading() as conn:
            files = scan_records.file_records(conn)
            known = decisions.load_all(conn)
        for photo_hash in {*found.photos, *(known if not found.clean else ())}:
            reasons = found.reasons(photo_hash)
            if reasons:
                decided = known.get(photo_hash) or PhotoDecisions(photo_hash)
                known[photo_hash] = replace(decided, records_changed=reasons)
        known.update(self._holds.held(list(known.values()), full=True))
        return build_entries(list_folder(self._folder), files, known, self._activities())

    def audit_trail(self, photo_hash: str | None = None) -> list[audit.AuditEntry]:
        """The trail, oldest first (only ``photo_hash``'s entries when given)."""
        with self._store.reading() as conn:
            return audit.entries(conn, photo_hash)

    def exports(self) -> dict[str, tuple[ExportRecord, ...]]:
        """Each picture's published exports, oldest first, from the audit trail."""
        with self._store.reading() as conn:
            return export_records.exported(conn)

    def file_record(self, path: Path) -> FileRecord | None:
        """What was seen of ``path`` when it was last read (may be out of date)."""
        with self._store.reading() as conn:
            return scan_records.file_records(conn).get(Path(path).name)

    def judge_content(self, path: Path, digest: str) -> tuple[PhotoDecisions | None, PhotoStatus]:
        """Judge the picture with hash ``digest`` just read from ``path``, as of now.

        Used where the file itself was re-read (export, ``photoscreen status``): the
        decisions are those of exactly this content. Without any, the reason says whether
        the file changed since it was checked, could not be read, or was never scanned.
        """
        photo = self.photo(digest)
        if photo is not None:
            return photo, photo_status(photo, self._activities())
        record = self.file_record(path)
        if record is None:
            return None, NOT_SCANNED
        if record.photo_hash is not None and record.photo_hash != digest:
            return None, CHANGED_FILE
        if record.unreadable_reason is not None and record.matches(stat_or_none(Path(path))):
            reason = f"Could not be read: {record.unreadable_reason}"
            return None, PhotoStatus(PhotoState.UNREADABLE, (reason,))
        return None, NOT_SCANNED
