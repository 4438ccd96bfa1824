"""Which files an export will read and write, chosen from the folder's listing first.

An export reads only the files that may go out: those the listing shows ready to post,
and those it cannot vouch for (changed on disk or not read yet: the export reads and
judges them, and withholds any that are not ready). Every other file is withheld at once
with the listing's reasons, so the progress counts the photos being exported, not every
file in the folder.

A picture is never written twice into one folder: one that the audit trail says was
exported into the destination, under a name still there, is skipped (so a stopped
export resumed into the same folder completes the set without duplicates). With
``only_new``, a picture exported into any other folder before is skipped too (one
exported into this folder but missing from it is written again: a resume after a kill
completes the set). Every photo written is read and judged as it is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from photoscreen.core.rules import PhotoState
from photoscreen.core.session import PhotoEntry
from photoscreen.core.storage import ExportRecord
from photoscreen.core.workflows.export_summary import AlreadyExported

# Listing states the export reads the file for: ready, or not known from the listing.
_READ = (PhotoState.READY, PhotoState.NOT_SCANNED)


@dataclass(frozen=True)
class ExportPlan:
    """What an export will do with each file of the folder, before it reads any."""

    to_export: tuple[Path, ...]  # read, judged and (if still ready) written, in order
    withheld: tuple[PhotoEntry, ...]  # not ready: the listing says why
    already: tuple[AlreadyExported, ...]  # exported before: not written again

    @property
    def ready(self) -> int:
        """Photos the listing shows ready to post (those exported before included)."""
        return len(self.to_export) + len(self.already)


def plan_export(
    entries: Sequence[PhotoEntry],
    exports: Mapping[str, tuple[ExportRecord, ...]],
    destination: Path | None,
    *,
    only_new: bool,
) -> ExportPlan:
    """Sort the listing's ``entries`` into read, withheld and already exported.

    ``destination`` is the folder as :func:`~photoscreen.core.workflows.check_destination`
    resolved it (None: not chosen yet, only earlier exports anywhere can count).
    """
    to_export: list[Path] = []
    withheld: list[PhotoEntry] = []
    already: list[AlreadyExported] = []
    for entry in entries:
        if entry.state not in _READ:
            withheld.append(entry)
            continue
        records = exports.get(entry.photo_hash or "", ())
        earlier = _already(entry.path, records, destination, only_new)
        if earlier is None:
            to_export.append(entry.path)
        else:
            already.append(earlier)
    return ExportPlan(tuple(to_export), tuple(withheld), tuple(already))


def _already(
    path: Path, records: tuple[ExportRecord, ...], destination: Path | None, only_new: bool
) -> AlreadyExported | None:
    """Why ``path``'s picture is not written again, or None if it is to be.

    An export into this destination whose file is not there (removed since, or an
    export killed between its entry and its file's name) does not count: the picture
    is missing from this folder, so it is written again.
    """
    where = None if destination is None else str(destination)
    for record in reversed(records):
        if record.destination == where and (Path(where) / record.name).exists():
            return AlreadyExported(path, record, here=True)
    elsewhere = [r for r in records if r.destination != where]
    if only_new and elsewhere:
        return AlreadyExported(path, elsewhere[-1], here=False)
    return None


def exported_before(entries: Sequence[PhotoEntry], exports: Mapping[str, object]) -> int:
    """How many photos ready to post were exported before (to any folder)."""
    return sum(
        1 for e in entries if e.state is PhotoState.READY and (e.photo_hash or "") in exports
    )
