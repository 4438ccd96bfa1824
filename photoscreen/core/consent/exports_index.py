"""The takedown index: every photo exported with a face linked to someone, per centre.

When consent is withdrawn, or a child leaves, staff must find and remove every post
showing them. The export writes one row per published file whose photo has a face linked
to a person (:meth:`ExportIndex.record`, before the file gets its name, so no
such file is ever published without its row): when, by whom, from which folder, to which
upload folder under which neutral file name, and which person ids were shown or only
linked. It lives in the register file, so the list for a person needs no folder to be
found again (:meth:`ExportIndex.takedown`). It holds no picture: the thumbnail is the
folder's own session thumbnail (:func:`thumbnail_path`), shown while the folder can be
reached, never a copy of the upload.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from photoscreen.core.consent.register_file import RegisterFile
from photoscreen.core.imaging import ThumbnailStore, UnreadablePhoto, quick_thumbnail
from photoscreen.core.trail import utc_now


@dataclass(frozen=True)
class ExportedFile:
    """One published file that showed (or held, blurred) a person."""

    id: int
    exported_at: str
    who: str
    folder: str
    session_dir: str
    source_name: str
    photo_hash: str
    destination: str
    file_name: str
    shown: bool  # the person's face was shown (False: linked, blurred)

    @property
    def path(self) -> Path:
        """Where the file was published."""
        return Path(self.destination) / self.file_name

    def to_json(self) -> dict[str, object]:
        return {
            "exported_at": self.exported_at, "exported_by": self.who,
            "folder": self.folder, "source_file": self.source_name,
            "destination": self.destination, "file_name": self.file_name,
            "face_shown": self.shown, "thumbnail": _text(thumbnail_path(self)),
        }  # fmt: skip


@dataclass(frozen=True)
class Published:
    """What the export tells the index about one file it is about to publish."""

    folder: Path
    session_dir: Path
    source_name: str
    photo_hash: str
    destination: Path
    file_name: str


def thumbnail_path(entry: ExportedFile) -> Path | None:
    """The folder's session thumbnail of the exported photo, when it is still there."""
    path = ThumbnailStore(Path(entry.session_dir)).path_for(entry.photo_hash)
    try:
        return path if path.is_file() else None
    except OSError:
        return None


def keep_thumbnail(file: Published) -> None:
    """Make sure the folder's session has a thumbnail of the exported photo (the window
    makes them as it lists a folder; a command-line export may come first). A photo that
    cannot be read for it only goes without a thumbnail in the list."""
    thumbs = ThumbnailStore(file.session_dir)
    if thumbs.has(file.photo_hash):
        return
    try:
        thumbs.save(file.photo_hash, quick_thumbnail(file.folder / file.source_name))
    except (OSError, UnreadablePhoto, ValueError):
        return


def _text(path: Path | None) -> str | None:
    return None if path is None else str(path)


class ExportIndex:
    """Which exported file shows whom, kept in the register at ``file``
    (``register.exports``): the takedown list when consent is withdrawn."""

    def __init__(self, file: RegisterFile) -> None:
        self._file = file

    def record(self, published: Published, shown: Iterable[str], linked: Iterable[str]) -> int:
        """Add a row for a file about to be published; returns its id."""
        people = {pid: False for pid in linked}
        people.update({pid: True for pid in shown})
        with self._file.writing() as conn:
            cursor = conn.execute(
                "INSERT INTO exports (exported_at, who, folder, session_dir, source_name, "
                "photo_hash, destination, file_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (utc_now(), self._file.who, str(published.folder), str(published.session_dir),
                 published.source_name, published.photo_hash, str(published.destination),
                 published.file_name),
            )  # fmt: skip
            entry_id = int(cursor.lastrowid or 0)
            conn.executemany(
                "INSERT INTO export_people (export_id, person_id, shown) VALUES (?, ?, ?)",
                [(entry_id, pid, int(on)) for pid, on in sorted(people.items())],
            )
        return entry_id

    def forget(self, entry_id: int) -> None:
        """Take back a row whose file was not published after all."""
        with self._file.writing() as conn:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("DELETE FROM export_people WHERE export_id = ?", (entry_id,))
            conn.execute("DELETE FROM exports WHERE id = ?", (entry_id,))

    def takedown(self, person_id: str) -> list[ExportedFile]:
        """Every file published with a face of ``person_id`` (shown or linked), oldest first."""
        with self._file.connect() as conn:
            rows = conn.execute(
                "SELECT e.id, e.exported_at, e.who, e.folder, e.session_dir, e.source_name, "
                "e.photo_hash, e.destination, e.file_name, p.shown FROM exports e "
                "JOIN export_people p ON p.export_id = e.id WHERE p.person_id = ? "
                "ORDER BY e.id",
                (person_id,),
            ).fetchall()
        return [_exported(tuple(row)) for row in rows]


def _exported(row: tuple[object, ...]) -> ExportedFile:
    at, who, folder, session_dir, source, digest, destination, name = (str(v) for v in row[1:9])
    entry_id = row[0]
    if not isinstance(entry_id, int):
        raise ValueError("an export without a number")
    return ExportedFile(
        entry_id, at, who, folder, session_dir, source, digest, destination, name, bool(row[9])
    )
