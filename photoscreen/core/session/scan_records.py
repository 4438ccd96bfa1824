"""What scanning a folder records: which file holds which picture, and the detector's boxes.

The ``files`` table maps a file's name in the folder to the content hash it had when it
was last read, with what the file system said of it then: size, modification time, change
time and inode. A listing trusts that hash only while all four are unchanged; a changed
file shows as not scanned until it is read again. Size and modification time alone are
not enough: a program can rewrite a photo and set its modification time back (exiftool
-P does), but not its change time, which every write sets; and a file replaced by another
has another inode. Export never trusts the record: it re-reads and re-hashes every file.

Each picture's upright size is recorded with it: the frame its face boxes are kept in
(see :mod:`photoscreen.core.imaging.upright`). The same content always has the same size, so a
size that changes when the picture is read again means its boxes were placed in another
frame (as older versions did for TIFFs turned 90 degrees): the person's face check no
longer holds, and the photo goes back to "needs face check".

Detections are cached per (content hash, detector settings key), so reopening a folder
does not run the detector again. The first time a picture's detections are recorded they
become its faces (face band: a face to redact; possible band: a possible face a person
must accept or dismiss); after that, faces belong to people and are never overwritten.
Writing (the text band) is applied the same way, once, the first time it is looked for.

:class:`ScanRecorder` is the session's part scan writes through (its ``ScanSink``).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from photoscreen.core.basics import Box, name_from_store, stored_name
from photoscreen.core.identifiers import WRITING_MARK
from photoscreen.core.rules import FaceRecord, FaceSource, FaceState, RegionKind
from photoscreen.core.session.changes import Desk
from photoscreen.core.storage import DamagedValue, decisions
from photoscreen.core.trail import audit

if TYPE_CHECKING:
    from photoscreen.core.faces import Detection


class DetectionLike(Protocol):
    """The shape of ``photoscreen.core.faces.detector.Detection`` that the store needs."""

    @property
    def box(self) -> Box: ...

    @property
    def score(self) -> float: ...

    @property
    def band(self) -> Any: ...


@dataclass(frozen=True)
class FileRecord:
    """What was seen of one file when it was last read."""

    name: str
    photo_hash: str | None
    size: int | None
    mtime_ns: int | None
    unreadable_reason: str | None
    ctime_ns: int | None = None
    inode: int | None = None

    def matches(self, info: os.stat_result | None) -> bool:
        """True when the file is still as it was when read (see the module docstring)."""
        return info is not None and self.identity == file_identity(info)

    @property
    def identity(self) -> tuple[int | None, ...]:
        return (self.size, self.mtime_ns, self.ctime_ns, self.inode)


def file_identity(info: os.stat_result) -> tuple[int, int, int, int]:
    """What tells a file's content apart without reading it: size, modification time,
    change time and inode. (Windows reports the creation time as the change time: a
    photo rewritten in place there with its modification time set back is caught when
    it is shown or exported, both of which re-read and re-hash it.)"""
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def file_records(conn: sqlite3.Connection) -> dict[str, FileRecord]:
    rows = conn.execute(
        "SELECT path, hash, size, mtime_ns, unreadable_reason, ctime_ns, inode FROM files"
    )
    return {record.name: record for record in map(_file_record, rows)}


def _file_record(row: sqlite3.Row) -> FileRecord:
    """One ``files`` row, checked as it is written (see
    :mod:`photoscreen.core.storage.decisions`)."""
    name, photo_hash, size, mtime_ns, reason, ctime_ns, inode = tuple(row)
    for number in (size, mtime_ns, ctime_ns, inode):
        if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
            raise DamagedValue(f"the record of a file holds {number!r} as its size, time or inode")
    return FileRecord(
        _file_name(name),
        decisions.optional_text(photo_hash),
        size,
        mtime_ns,
        decisions.optional_text(reason),
        ctime_ns,
        inode,
    )


def _file_name(value: object) -> str:
    """A stored file name: text, or the bytes of one that is not (see
    :func:`~photoscreen.core.basics.file_names.stored_name`, which never stores text as bytes)."""
    if not isinstance(value, bytes):
        return decisions.text(value, "file name")
    try:
        name = name_from_store(value)
    except UnicodeError:  # bytes this system cannot turn into a name (Windows)
        name = None
    if name is None or stored_name(name) != value:
        raise DamagedValue(f"the file name {value!r} is not one photoscreen stores")
    return name


def _save_file(
    conn: sqlite3.Connection,
    name: str,
    info: os.stat_result | None,
    photo_hash: str | None,
    reason: str | None,
) -> None:
    size, mtime_ns, ctime_ns, inode = (None,) * 4 if info is None else file_identity(info)
    conn.execute(
        "INSERT OR REPLACE INTO files (path, hash, size, mtime_ns, unreadable_reason, seen_at, "
        "ctime_ns, inode) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            stored_name(name),  # not always text: see file_names
            photo_hash,
            size,
            mtime_ns,
            reason,
            audit.utc_now(),
            ctime_ns,
            inode,
        ),
    )


@dataclass(frozen=True)
class Recorded:
    """What recording a read photo changed in its decisions.

    ``faces_added``: detector faces that became its faces (its first detections).
    ``size_before``: the different upright size recorded for it before, when the size
    changed (its face check was then cleared), else None.
    """

    faces_added: int = 0
    size_before: tuple[int, int] | None = None


def record_scan(
    conn: sqlite3.Connection,
    *,
    name: str,
    info: os.stat_result | None,
    photo_hash: str,
    size: tuple[int, int],
    fmt: str,
    detections: Sequence[DetectionLike] | None,
    settings_key: str | None,
) -> Recorded:
    """Record one read photo (``size`` upright); returns what that changed."""
    _save_file(conn, name, info, photo_hash, None)
    decisions.ensure_photo(conn, photo_hash)
    size_before = _record_size(conn, photo_hash, size, fmt)
    if detections is None or settings_key is None:
        return Recorded(0, size_before)
    conn.execute(
        "INSERT OR REPLACE INTO detections (photo_hash, settings_key, boxes) VALUES (?, ?, ?)",
        (photo_hash, settings_key, json.dumps([_encode(d) for d in detections])),
    )
    added = _apply_first_detections(conn, photo_hash, detections, settings_key)
    return Recorded(added, size_before)


def _record_size(
    conn: sqlite3.Connection, photo_hash: str, size: tuple[int, int], fmt: str
) -> tuple[int, int] | None:
    """Store the upright size; if another was stored, clear the face check and return it."""
    row = conn.execute("SELECT width, height FROM photos WHERE hash = ?", (photo_hash,)).fetchone()
    before = (row[0], row[1]) if row[0] is not None and row[1] is not None else None
    conn.execute(
        "UPDATE photos SET width = ?, height = ?, format = ?, unreadable_reason = NULL "
        "WHERE hash = ?",
        (size[0], size[1], fmt, photo_hash),
    )
    if before is None or before == tuple(size):
        return None
    # Its boxes were kept in another frame: a person must look at them again.
    if decisions.snapshot(conn, photo_hash)["faces_checked"] is not None:
        decisions.apply(conn, photo_hash, {"faces_checked": None})
        decisions.clear_approval(conn, photo_hash)
    return before


def _encode(detection: DetectionLike) -> list[Any]:
    box = detection.box
    band = getattr(detection.band, "value", detection.band)
    return [box.x, box.y, box.w, box.h, float(detection.score), str(band)]


def _apply_first_detections(
    conn: sqlite3.Connection,
    photo_hash: str,
    detections: Sequence[DetectionLike],
    settings_key: str,
) -> int:
    """Make a picture's first detections its regions: faces once, and writing once, when
    it is first looked for (so turning writing on later still finds it on photos whose
    faces were applied before). Returns how many regions were added."""
    row = conn.execute(
        "SELECT detections_applied, writing_applied FROM photos WHERE hash = ?", (photo_hash,)
    ).fetchone()
    faces_done, writing_done = bool(row[0]), bool(row[1])
    take_writing = looked_for_writing(settings_key) and not writing_done
    chosen = [
        d for d in detections
        if (_is_writing(d.band) and take_writing) or (not _is_writing(d.band) and not faces_done)
    ]  # fmt: skip
    conn.execute(
        "UPDATE photos SET detections_applied = 1, writing_applied = ? WHERE hash = ?",
        (int(writing_done or take_writing), photo_hash),
    )
    if not chosen:
        return 0
    before = decisions.snapshot(conn, photo_hash)
    first_id = decisions.next_face_id(conn)
    added = tuple(
        FaceRecord(
            id=first_id + i,
            box=d.box,
            source=FaceSource.DETECTOR,
            state=state_for_band(d.band),
            score=float(d.score),
            kind=RegionKind.TEXT if _is_writing(d.band) else RegionKind.FACE,
        )
        for i, d in enumerate(chosen)
    )
    fields: decisions.Snapshot = {"faces": (*before["faces"], *added)}
    if before["faces_checked"] is not None:
        fields["faces_checked"] = None  # a person's check did not cover these boxes
    decisions.apply(conn, photo_hash, fields)
    decisions.clear_approval(conn, photo_hash)
    return len(added)


def looked_for_writing(settings_key: str | None) -> bool:
    """True when detections recorded under ``settings_key`` include a look for writing."""
    return settings_key is not None and WRITING_MARK in settings_key


def _is_writing(band: Any) -> bool:
    return str(getattr(band, "value", band)) == "text"


def state_for_band(band: Any) -> FaceState:
    """A face-band detection is a face; a possible-band or text-band one waits for a
    person (accept or dismiss)."""
    value = str(getattr(band, "value", band))
    return FaceState.POSSIBLE_PENDING if value in ("possible", "text") else FaceState.FACE


def stat_or_none(path: Path) -> os.stat_result | None:
    """What the system says of ``path`` now (following links), or None when it cannot."""
    try:
        return path.stat()
    except OSError:
        return None


def cached_detections(
    conn: sqlite3.Connection, photo_hash: str, settings_key: str
) -> list[tuple[Box, float, str]] | None:
    """(box, score, band value) of the cached detections, or None when never run."""
    row = conn.execute(
        "SELECT boxes FROM detections WHERE photo_hash = ? AND settings_key = ?",
        (photo_hash, settings_key),
    ).fetchone()
    return None if row is None else _boxes(row[0])


def check_cached_detections(conn: sqlite3.Connection) -> None:
    """Read back every cached detection (:class:`DamagedValue` for one that is damaged)."""
    for row in conn.execute("SELECT photo_hash, settings_key, boxes FROM detections"):
        decisions.text(row[0], "photo")
        decisions.text(row[1], "detector")
        _boxes(row[2])


def _boxes(stored: object) -> list[tuple[Box, float, str]]:
    try:
        found = json.loads(decisions.text(stored, "list of boxes"))
        return [
            (decisions.box_of(x, y, w, h), decisions.finite(score), decisions.text(band, "band"))
            for x, y, w, h, score, band in found
        ]
    except (TypeError, ValueError, RecursionError) as error:  # DamagedValue is a ValueError
        raise DamagedValue(f"the detector's boxes for a photo are not readable ({error})") from None


def record_unreadable(
    conn: sqlite3.Connection,
    *,
    name: str,
    info: os.stat_result | None,
    reason: str,
    photo_hash: str | None,
) -> None:
    """Record that a file could not be used as a photo, and why."""
    _save_file(conn, name, info, photo_hash, reason)
    if photo_hash is not None:
        decisions.ensure_photo(conn, photo_hash)
        conn.execute("UPDATE photos SET unreadable_reason = ? WHERE hash = ?", (reason, photo_hash))


class ScanRecorder:
    """What scan records in a session: each file read (or not readable), and the
    detector's boxes; ``desk.user`` is named in the trail, ``desk.notify`` told."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    def cached_detections(self, photo_hash: str, settings_key: str) -> list[Detection] | None:
        """Detections stored for (picture, detector settings), or None if never run."""
        from photoscreen.core.faces import Detection, FaceBand  # the detector, loaded late

        with self._desk.store.reading() as conn:
            found = cached_detections(conn, photo_hash, settings_key)
        if found is None:
            return None
        return [Detection(box=box, score=score, band=FaceBand(band)) for box, score, band in found]

    def record_scan(
        self,
        path: Path,
        photo_hash: str,
        size: tuple[int, int],
        fmt: str,
        detections: Sequence[DetectionLike] | None,
        settings_key: str | None,
    ) -> None:
        """Scan read ``path``: its picture's hash, upright ``size``, format and detections.

        The first detections recorded for a picture become its faces; later ones are only
        cached, so a person's face edits are never overwritten. A size other than the one
        recorded before clears the face check (its boxes were placed in another frame).
        """
        path, user = Path(path), self._desk.user
        with self._desk.store.transaction() as conn:
            recorded = record_scan(
                conn, name=path.name, info=stat_or_none(path), photo_hash=photo_hash,
                size=size, fmt=fmt, detections=detections, settings_key=settings_key,
            )  # fmt: skip
            if recorded.size_before is not None:
                resized = {"from": list(recorded.size_before), "to": list(size)}
                audit.record(conn, user, "photo_size_changed", photo_hash, resized)
            if recorded.faces_added:
                details = {"faces": recorded.faces_added, "detector": settings_key}
                audit.record(conn, user, "faces_detected", photo_hash, details)
        self._desk.notify(photo_hash)

    def record_unreadable(self, path: Path, reason: str, photo_hash: str | None = None) -> None:
        """``path`` could not be used as a photo, for the plain-words ``reason``."""
        path = Path(path)
        with self._desk.store.transaction() as conn:
            record_unreadable(
                conn, name=path.name, info=stat_or_none(path), reason=reason, photo_hash=photo_hash
            )
        self._desk.notify(photo_hash)
