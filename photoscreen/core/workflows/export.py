"""The export job: write every eligible photo, safely redacted, to the upload folder.

:func:`export_photos` is a plain function for a worker thread: it calls ``progress`` after
each photo, checks ``cancel`` between photos, and returns an :class:`ExportSummary`.

Each file is read once, hashed, and judged from the decisions stored for *that* hash at
that moment (README rules 1 and 2): the bytes hashed are the bytes encoded, so a
file edited after it was checked is withheld, never exported on its old approval. The
written file gets a neutral name (activity and sequence number, never the camera's name),
and the sequence continues after files already in the destination instead of replacing
them. A picture held by two files is exported once. Which files are read at all is
chosen first from the folder's listing (:mod:`~photoscreen.core.workflows.export_plan`):
the photos ready to post, less those already in the destination (and, when asked, those
exported anywhere before), so a stopped export resumed into the same folder completes it
without writing any picture twice, and the progress counts only the photos exported.

The consent register is asked about each photo as it is judged and again just before it
is named (the session's judgement holds the register's, ``consent_held``: the same check
the window and ``photoscreen status`` show), and the file is then put in the takedown
list (:mod:`~photoscreen.core.consent`).
Before the export starts, every photo's records are checked against the chained audit
trail (:mod:`photoscreen.core.storage.records_check`), and each photo again just before its file
is named: records changed outside photoscreen hold it back, like any other reason.

No file is published without its audit entry: the "exported" entry is saved after the
file was written and verified under its temporary name, and only then does the file get
its final name. If the entry cannot be saved (the session's disk is full), the file is
not published and the export stops, saying why; if naming the file fails after the entry
was saved, a second entry says it was not published.

The summary is logged in plain text in the session directory and in the audit trail,
never in the upload folder. When either cannot be saved the summary says so.

Photos are read, judged, named, written and logged one at a time, in folder order, on the
calling thread (the only one that touches the session); their pixel work (decode, redact,
resize, encode) runs on one thread per core, up to two, a photo or two ahead. Measured
with ``benchmarks/export.py`` on 2 cores (20 photos of 12 megapixels to 2048 px): 68 ms
per photo, against 110 ms the same day on one thread (of which ~7 ms was an encoder
since replaced).
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from photoscreen.core.basics import CancelToken, Progress, return_big_buffers_promptly, shown_name
from photoscreen.core.consent import ConsentCheck, RegisterUser
from photoscreen.core.consent import HeldBack as _NoLongerEligible
from photoscreen.core.imaging import UnreadablePhoto, photo_hash, read_photo_file
from photoscreen.core.render import (
    ExportFailed,
    ExportOptions,
    RenderedExport,
    remove_partial_files,
    render_for_writing,
    write_export,
)
from photoscreen.core.render import ExportRefused as ExportRefused
from photoscreen.core.render import check_destination as check_folder
from photoscreen.core.rules import (
    Activity,
    PhotoDecisions,
    PhotoStatus,
    photo_status,
    slugify,
)
from photoscreen.core.session import PhotoEntry
from photoscreen.core.storage import ExportRecord, WriteFailed, is_disk_full
from photoscreen.core.trail import audit
from photoscreen.core.workflows.export_plan import plan_export
from photoscreen.core.workflows.export_summary import (
    ExportSummary,
    FailedPhoto,
    WithheldPhoto,
    WrittenPhoto,
)


class ExportSource(RegisterUser, Protocol):
    """What the export job asks of the session (:class:`~photoscreen.core.session.Session`
    is one): the folder, its settings, its decisions, its audit trail, and what the
    consent register asks (:class:`~photoscreen.core.consent.RegisterUser`)."""

    def export_options(self) -> ExportOptions: ...

    def photos(self) -> list[PhotoEntry]: ...

    def exports(self) -> dict[str, tuple[ExportRecord, ...]]: ...

    def check_records(self) -> object: ...

    def check_register(self) -> object: ...

    def activities(self) -> tuple[Activity, ...]: ...

    # Decisions carry ``records_changed`` and ``consent_held``, asked when called.
    def photo(self, photo_hash: str) -> PhotoDecisions | None: ...

    def judge_content(self, path: Path, digest: str) -> tuple[PhotoDecisions | None, PhotoStatus]:
        ...

    def log_event(self, action: str, photo_hash: str | None, details: dict[str, Any]) -> None:
        ...


CHANGED_DURING_EXPORT = "A decision about it changed while it was being exported"


def check_destination(session: ExportSource, destination: Path) -> Path:
    """The destination, created if needed; refuses the photo folder and the session
    folder, by any path (see :mod:`~photoscreen.core.render.export_destination`)."""
    return check_folder(destination, photo_folder=session.folder, session_dir=session.session_dir)


class _Namer:
    """Neutral names ``<activity-slug>-<NNN>.jpg``, continuing after existing files."""

    def __init__(self, destination: Path) -> None:
        self._destination = destination
        self._next: dict[str, int] = {}

    def next_name(self, label: str) -> str:
        slug = slugify(label)
        if slug not in self._next:
            self._next[slug] = self._highest(slug) + 1
        number = self._next[slug]
        self._next[slug] = number + 1
        return f"{slug}-{number:03d}.jpg"

    def _highest(self, slug: str) -> int:
        pattern = re.compile(rf"^{re.escape(slug)}-(\d+)\.jpe?g$", re.IGNORECASE)
        numbers = [
            int(m.group(1)) for p in self._destination.iterdir() if (m := pattern.match(p.name))
        ]
        return max(numbers, default=0)


def export_photos(
    session: ExportSource,
    destination: Path,
    *,
    options: ExportOptions | None = None,
    cancel: CancelToken | None = None,
    progress: Callable[[Progress], None] | None = None,
    only_new: bool = False,
) -> ExportSummary:
    """Export every eligible photo of the session's folder to ``destination``.

    A picture already in ``destination`` from an earlier export is not written again;
    with ``only_new``, nor is one exported anywhere before (see
    :mod:`~photoscreen.core.workflows.export_plan`). ``progress`` counts the photos to
    export. Raises :class:`ExportRefused` for an unusable destination before writing
    anything. Per photo problems never raise: they are listed in the summary.
    """
    target = check_destination(session, destination)
    return_big_buffers_promptly()
    job = _ExportJob(session, target, options or session.export_options())
    # A killed export may have left its hidden temporary file; never under a final name,
    # but it is picture data in the upload folder, so it goes (ours only, by its name).
    job.summary.leftovers_removed = remove_partial_files(target)
    report = progress or (lambda _p: None)
    session.check_records()
    session.check_register()  # the consent register's whole trail, read again
    plan = plan_export(session.photos(), session.exports(), target, only_new=only_new)
    for entry in plan.withheld:
        job.withhold_listed(entry)
    job.summary.already += plan.already
    paths = plan.to_export
    details = {"destination": str(target), "files": len(paths), "only_new": only_new}
    session.log_event("export_started", None, details)
    _run(job, paths, cancel, report)
    if not job.summary.cancelled:
        report(Progress(len(paths), len(paths), "Export finished"))
    _finish(session, job.summary)
    return job.summary


def _run(
    job: _ExportJob,
    paths: tuple[Path, ...],
    cancel: CancelToken | None,
    report: Callable[[Progress], None],
) -> None:
    """Read, judge and write ``paths`` in order, a photo or two rendering ahead."""
    workers = render_workers()
    in_flight: deque[_InFlight] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="export") as pool:
        for done, path in enumerate(paths):
            if cancel is not None and cancel.cancelled:
                job.summary.cancelled = True
            if job.summary.cancelled or job.summary.stopped is not None:
                job.summary.not_reached += paths[done:]
                break
            report(Progress(done, len(paths), f"Exporting {shown_name(path.name)}"))
            started = job.start(path, pool)
            if started is not None:
                in_flight.append(started)
            while len(in_flight) >= workers:
                job.finish(in_flight.popleft())
        # Photos already started when cancel came are finished, as one in hand would be.
        while in_flight:
            job.finish(in_flight.popleft())


def render_workers() -> int:
    """Photos rendered at once: one per core, at most two (each holds ~80 MB meanwhile)."""
    return max(1, min(2, os.cpu_count() or 1))


def _finish(session: ExportSource, summary: ExportSummary) -> None:
    """Log the summary as text and in the audit trail; what cannot be saved is said in
    the summary, never raised: the files are out already, each with its own entry."""
    stem = "export-" + audit.utc_now().replace(":", "").replace("+0000", "Z")
    try:
        summary.log_path = audit.write_text_log(session.session_dir, stem, summary.lines())
    except OSError as error:
        why = "the disk is full" if is_disk_full(error) else (error.strerror or str(error))
        summary.problems.append(
            f"The export's log could not be saved in {shown_name(session.session_dir)} ({why})."
        )
    details = {
        "destination": str(summary.destination),
        "written": len(summary.written),
        "withheld": len(summary.withheld),
        "failed": len(summary.failed),
        "cancelled": summary.cancelled,
        "leftovers_removed": len(summary.leftovers_removed),
        "log": None if summary.log_path is None else summary.log_path.name,
    }
    try:
        session.log_event("export_finished", None, details)
    except WriteFailed as error:
        summary.problems.append(f"The end of the export is not in the audit trail: {error}")


@dataclass(frozen=True)
class _InFlight:
    """A photo judged eligible, its export rendering on another thread."""

    path: Path
    photo: PhotoDecisions
    render: Future[RenderedExport]


class _ExportJob:
    """The state of one export run."""

    def __init__(self, session: ExportSource, destination: Path, options: ExportOptions) -> None:
        self.session = session
        self.options = options
        self.summary = ExportSummary(destination)
        self._namer = _Namer(destination)
        # The consent register, asked again for each photo as it is judged and named.
        self.consent = ConsentCheck.for_session(session, destination)
        self._started: dict[str, Path] = {}  # content hash -> the first file holding it

    def start(self, path: Path, pool: ThreadPoolExecutor) -> _InFlight | None:
        """Read and judge one photo; if it may go out, start rendering it on ``pool``."""
        try:
            data = read_photo_file(path)
        except UnreadablePhoto as error:
            self._withhold(path, f"Could not be read: {error.reason}")
            return None
        digest = photo_hash(data)
        if digest in self._started:
            self.summary.duplicates.append((path, self._started[digest]))
            return None
        photo, reasons = self._judge(path, digest)
        if photo is None or reasons:
            self._withhold(path, *reasons)
            return None
        self._started[digest] = path
        render = pool.submit(
            render_for_writing,
            data,
            photo.faces_to_redact,
            self.options,
            frame=_frame(photo),
            writing=photo.writing_to_redact,
        )
        return _InFlight(path, photo, render)

    def finish(self, started: _InFlight) -> None:
        """Write a started photo under its neutral name (in the order photos started)."""
        if self.summary.stopped is not None:
            started.render.cancel()
            reason = "not exported: the export stopped before it (see below)"
            self.summary.failed.append(FailedPhoto(started.path, reason))
            return
        self._write(started.path, started.photo, started.render)

    def _judge(self, path: Path, digest: str) -> tuple[PhotoDecisions | None, tuple[str, ...]]:
        """The decisions for exactly this picture, and every reason it may not leave."""
        # The session's judgement holds the register's (``consent_held``), asked now.
        photo, status = self.session.judge_content(path, digest)
        return photo, status.reasons

    def _write(self, path: Path, photo: PhotoDecisions, render: Future[RenderedExport]) -> None:
        try:
            rendered = render.result()
        except (ExportFailed, UnreadablePhoto) as error:
            self.summary.failed.append(FailedPhoto(path, error.reason))
            return
        label = _activity_label(photo.activity, self.session.activities())
        name = self._namer.next_name(label)

        details = {"name": name, "file": path.name, "destination": str(self.summary.destination)}
        recorded: list[bool] = []
        indexed: list[int | None] = []

        def publish() -> None:
            # A decision may land (from the window) while this photo is rendered and
            # written: asked last, once the file is verified, just before it is named.
            reasons = self._reasons_now(photo)
            if reasons:
                raise _NoLongerEligible(reasons)
            indexed.append(self.consent.record_or_hold(photo, self.session, path.name, name))
            # The entry first: no file is ever in the upload folder without its entry.
            self.session.log_event("exported", photo.photo_hash, details)
            recorded.append(True)

        try:
            write_export(rendered, self.summary.destination / name, before_publish=publish)
        except _NoLongerEligible as stopped:
            self._withhold(path, *stopped.reasons)
            return
        except WriteFailed as error:
            self.summary.problems += self.consent.forget_all(indexed)
            self.summary.failed.append(FailedPhoto(path, f"not exported: {error}"))
            self.summary.stopped = f"Nothing more was exported: {error}"
            return
        except ExportFailed as error:
            self.summary.failed.append(FailedPhoto(path, error.reason))
            self.summary.problems += self.consent.forget_all(indexed)
            if recorded:
                self._not_published(photo.photo_hash, details, error.reason)
            return
        self.summary.written.append(WrittenPhoto(name, path, photo.photo_hash))

    def _not_published(self, digest: str, details: dict[str, str], reason: str) -> None:
        """The file's entry was saved but the file was not named: say so in the trail."""
        try:
            self.session.log_event("export_not_published", digest, {**details, "reason": reason})
        except WriteFailed as error:
            self.summary.problems.append(
                f"{details['name']} was not published, but the audit trail says it was "
                f"exported: {error}"
            )

    def _reasons_now(self, rendered: PhotoDecisions) -> tuple[str, ...]:
        """Why the photo may no longer go out, asked again now (empty: it still may)."""
        now = self.session.photo(rendered.photo_hash)
        if now is not None and (now.records_changed or now.consent_held):
            return (*now.records_changed, *now.consent_held)
        if now is None or (now.faces_to_redact, now.writing_to_redact) != (
            rendered.faces_to_redact,
            rendered.writing_to_redact,
        ):
            return (CHANGED_DURING_EXPORT,)
        if not photo_status(now, self.session.activities()).exportable:
            return (CHANGED_DURING_EXPORT,)
        return ()

    def withhold_listed(self, entry: PhotoEntry) -> None:
        """A file the listing shows not ready: withheld, with the register's reasons too
        (asked again now; the listing's already hold what it held then: each said once)."""
        found = () if entry.decisions is None else self.consent.reasons(entry.decisions)
        self._withhold(entry.path, *dict.fromkeys((*entry.reasons, *found)))

    def _withhold(self, path: Path, *reasons: str) -> None:
        self.summary.withheld.append(WithheldPhoto(path, tuple(reasons)))


def _frame(photo: PhotoDecisions) -> tuple[int, int]:
    """The upright size the photo's face boxes were placed on (recorded when it was read).

    A photo is read before anyone can decide about it, so the size is always there; if it
    is not, (0, 0) matches no picture and the photo fails rather than go out unchecked.
    """
    return (photo.width or 0, photo.height or 0)


def _activity_label(key: str | None, activities: tuple[Activity, ...]) -> str:
    for activity in activities:
        if activity.key == key:
            return activity.label
    return "photo"
