"""Reading and writing one photo's decisions in the session database.

A photo's decisions are split in two:

* the staff fields (:data:`STAFF_FIELDS`): activity, unclothed (the mark, with who raised
  it), excluded, faces, faces checked, questions to the manager (one row each, in the
  ``questions`` table). They are read and written as a snapshot (a dict of field -> value),
  which is what undo/redo restores, and what
  :func:`~photoscreen.core.session.decision_rules.check_change` judges before any write;
* the reviewer's verdict, written only through :func:`set_verdict` and cleared by
  :func:`clear_approval` whenever a staff field changes: an approval covers exactly what
  the reviewer saw. A rejection is never cleared by staff edits: only a reviewer can let a
  rejected photo out.

All functions take a connection inside the caller's transaction.

Every row read back is checked as photoscreen writes it (the types and values a decision
can take: a verdict, face states and sources, finite boxes of some size, the names, times
and sittings of unclothed marks and questions); a row that
fails is damage, :class:`~photoscreen.core.storage.store.DamagedValue`, which the store reports as
the plain "the session file is damaged". A damaged value is never guessed at: an
unclothed mark of 5 or a face box of no size must not let a photo out.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

from photoscreen.core.basics import Box
from photoscreen.core.rules import (
    Concern,
    FaceRecord,
    FaceSource,
    FaceState,
    PhotoDecisions,
    RegionKind,
    Verdict,
)
from photoscreen.core.storage.store import DamagedValue

E = TypeVar("E", bound=Enum)
T = TypeVar("T")

STAFF_FIELDS = ("activity", "unclothed", "excluded", "faces", "faces_checked", "questions")
Snapshot = dict[str, Any]

_PHOTO_COLUMNS = (
    "hash, width, height, format, unreadable_reason, activity, unclothed, unclothed_by, "
    "unclothed_at, unclothed_sitting, excluded, faces_checked_by, faces_checked_at, "
    "verdict, reviewer, review_note, reviewed_at"
)
_FACE_COLUMNS = "id, x, y, w, h, source, state, consent_by, consent_at, score, person_id"
_QUESTION_COLUMNS = "who, asked_at, note, sitting"


def ensure_photo(conn: sqlite3.Connection, photo_hash: str) -> None:
    """Make the photo's row if it has none yet (decisions start empty)."""
    conn.execute("INSERT OR IGNORE INTO photos (hash) VALUES (?)", (photo_hash,))


def load(conn: sqlite3.Connection, photo_hash: str) -> PhotoDecisions | None:
    """The photo's decisions, or None when nothing is known about this content."""
    row = conn.execute(
        f"SELECT {_PHOTO_COLUMNS} FROM photos WHERE hash = ?", (photo_hash,)
    ).fetchone()
    if row is None:
        return None
    rows = conn.execute(
        f"SELECT {_QUESTION_COLUMNS} FROM questions WHERE photo_hash = ? ORDER BY id",
        (photo_hash,),
    )
    questions = tuple(_question(tuple(question)) for question in rows)
    return _decisions(row, load_faces(conn, photo_hash), questions)


def load_all(conn: sqlite3.Connection) -> dict[str, PhotoDecisions]:
    """Every photo's decisions, by hash (three queries, whatever the folder's size)."""
    faces: dict[str, list[FaceRecord]] = {}
    for row in conn.execute(f"SELECT photo_hash, {_FACE_COLUMNS} FROM faces ORDER BY id"):
        faces.setdefault(row[0], []).append(_face(tuple(row)[1:]))
    questions: dict[str, list[Concern]] = {}
    sql = f"SELECT photo_hash, {_QUESTION_COLUMNS} FROM questions ORDER BY id"
    for row in conn.execute(sql):
        questions.setdefault(row[0], []).append(_question(tuple(row)[1:]))
    return {
        row[0]: _decisions(row, tuple(faces.get(row[0], ())), tuple(questions.get(row[0], ())))
        for row in conn.execute(f"SELECT {_PHOTO_COLUMNS} FROM photos")
    }


def _decisions(
    row: sqlite3.Row, faces: tuple[FaceRecord, ...], questions: tuple[Concern, ...]
) -> PhotoDecisions:
    photo_hash = text(row["hash"], "photo")
    return _checked(
        f"photo {photo_hash[:12]}", lambda: _decisions_of(row, photo_hash, faces, questions)
    )


def _decisions_of(
    row: sqlite3.Row,
    photo_hash: str,
    faces: tuple[FaceRecord, ...],
    questions: tuple[Concern, ...],
) -> PhotoDecisions:
    verdict = None if row["verdict"] is None else enum_value(Verdict, row["verdict"])
    reviewer = optional_text(row["reviewer"])
    if verdict is not None and not reviewer:
        raise DamagedValue("a verdict without a reviewer")
    unclothed = flag(row["unclothed"])
    # Checked whether or not the photo is marked: photoscreen writes the four together.
    mark = Concern(
        optional_text(row["unclothed_by"]) or "",
        optional_text(row["unclothed_at"]),
        "",
        optional_text(row["unclothed_sitting"]),
    )
    return PhotoDecisions(
        photo_hash=photo_hash,
        width=_optional_size(row["width"]),
        height=_optional_size(row["height"]),
        format=optional_text(row["format"]),
        unreadable_reason=optional_text(row["unreadable_reason"]),
        activity=optional_text(row["activity"]),
        unclothed=unclothed,
        unclothed_mark=mark if unclothed else None,
        excluded=flag(row["excluded"]),
        faces=faces,
        faces_checked_by=optional_text(row["faces_checked_by"]),
        faces_checked_at=optional_text(row["faces_checked_at"]),
        questions=questions,
        verdict=verdict,
        reviewer=reviewer,
        review_note=text(row["review_note"], "note"),
        reviewed_at=optional_text(row["reviewed_at"]),
    )


def _question(row: tuple[Any, ...]) -> Concern:
    return _checked("a question to the manager", lambda: _question_of(row))


def _question_of(row: tuple[Any, ...]) -> Concern:
    who, at, note, sitting = row
    return Concern(text(who, "name"), optional_text(at), text(note, "note"), optional_text(sitting))


def load_faces(conn: sqlite3.Connection, photo_hash: str) -> tuple[FaceRecord, ...]:
    rows = conn.execute(
        f"SELECT {_FACE_COLUMNS} FROM faces WHERE photo_hash = ? ORDER BY id", (photo_hash,)
    ).fetchall()
    return tuple(_face(tuple(row)) for row in rows)


def _face(row: tuple[Any, ...]) -> FaceRecord:
    return _checked("a face box", lambda: _face_of(row))


def _face_of(row: tuple[Any, ...]) -> FaceRecord:
    face_id, x, y, w, h, source, state, consent_by, consent_at, score, person_id = row
    if not isinstance(face_id, int):
        raise DamagedValue("a face without a number")
    kind, source_value = _kind_and_source(source)
    return FaceRecord(
        id=face_id,
        box=box_of(x, y, w, h),
        source=enum_value(FaceSource, source_value),
        state=enum_value(FaceState, state),
        consent_by=optional_text(consent_by),
        consent_at=optional_text(consent_at),
        score=None if score is None else finite(score),
        person_id=optional_text(person_id),
        kind=kind,
    )


# A writing region is a row of the faces table whose source is prefixed: "text_detector",
# "text_hand". Kept in that column rather than a new one so that the chained audit trail
# (photoscreen.core.trail.decision_state, which seals the faces table's columns) covers it as
# it covers every face, and sessions sealed before writing regions existed still match.
_TEXT_PREFIX = "text_"


def _kind_and_source(stored: object) -> tuple[RegionKind, object]:
    if isinstance(stored, str) and stored.startswith(_TEXT_PREFIX):
        return RegionKind.TEXT, stored[len(_TEXT_PREFIX) :]
    return RegionKind.FACE, stored


def stored_source(face: FaceRecord) -> str:
    """The ``source`` column's value for ``face`` (its kind and who put it there)."""
    prefix = _TEXT_PREFIX if face.is_text else ""
    return prefix + face.source.value


# Checks of values read back (also used by scan_records) --------------------------------


def _checked(what: str, read: Callable[[], T]) -> T:
    try:
        return read()
    except DamagedValue as error:
        raise DamagedValue(f"{what}: {error}") from None


def text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise DamagedValue(f"the {what} is not text")
    return value


def optional_text(value: object) -> str | None:
    return None if value is None else text(value, "name or time")


def flag(value: object) -> bool:
    """A yes/no column: photoscreen writes 0 or 1, nothing else."""
    if value not in (0, 1) or isinstance(value, float):
        raise DamagedValue(f"a yes/no mark holds {value!r}")
    return bool(value)


def finite(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise DamagedValue(f"{value!r} is not a number")
    return float(value)


def box_of(x: object, y: object, w: object, h: object) -> Box:
    """A box as photoscreen stores them: finite and of some size (a box of no size would
    redact nothing). Where it lies is not checked: a detector's box may start off the
    picture's edge."""
    box = Box(finite(x), finite(y), finite(w), finite(h))
    if box.w <= 0 or box.h <= 0:
        raise DamagedValue(f"a box at {box.x:g},{box.y:g} of {box.w:g}x{box.h:g} pixels")
    return box


def enum_value(kind: type[E], value: object) -> E:
    try:
        return kind(value)
    except ValueError:
        raise DamagedValue(f"{value!r} is not a {kind.__name__}") from None


def _optional_size(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise DamagedValue(f"a picture size of {value!r}")
    return value


def snapshot(conn: sqlite3.Connection, photo_hash: str) -> Snapshot:
    """The staff fields of a photo (its row must exist)."""
    decisions = load(conn, photo_hash)
    assert decisions is not None, "ensure_photo first"
    return snapshot_of(decisions)


def snapshot_of(decisions: PhotoDecisions) -> Snapshot:
    checked = decisions.faces_checked_by
    # A photo marked unclothed always has a mark; "" when nobody knows who raised it.
    mark = (decisions.unclothed_mark or Concern("")) if decisions.unclothed else None
    return {
        "activity": decisions.activity,
        "unclothed": mark,
        "excluded": decisions.excluded,
        "faces": decisions.faces,
        "faces_checked": None if checked is None else (checked, decisions.faces_checked_at),
        "questions": decisions.questions,
    }


def apply(conn: sqlite3.Connection, photo_hash: str, fields: Snapshot) -> None:
    """Write the given staff fields (any subset of :data:`STAFF_FIELDS`)."""
    columns: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "faces":
            _write_faces(conn, photo_hash, value)
        elif name == "faces_checked":
            by, at = value if value is not None else (None, None)
            columns.update(faces_checked_by=by, faces_checked_at=at)
        elif name == "unclothed":
            mark = value if value is not None else Concern("")
            columns.update(
                unclothed=int(value is not None),
                unclothed_by=mark.who or None,
                unclothed_at=mark.at,
                unclothed_sitting=mark.sitting,
            )
        elif name == "questions":
            _write_questions(conn, photo_hash, value)
        elif name in ("activity", "excluded"):
            columns[name] = int(value) if isinstance(value, bool) else value
        else:
            raise KeyError(f"not a staff field: {name}")
    if columns:
        assignments = ", ".join(f"{column} = ?" for column in columns)
        conn.execute(
            f"UPDATE photos SET {assignments} WHERE hash = ?", (*columns.values(), photo_hash)
        )


def _write_faces(conn: sqlite3.Connection, photo_hash: str, faces: tuple[FaceRecord, ...]) -> None:
    conn.execute("DELETE FROM faces WHERE photo_hash = ?", (photo_hash,))
    conn.executemany(
        f"INSERT INTO faces (photo_hash, {_FACE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                photo_hash,
                f.id,
                f.box.x,
                f.box.y,
                f.box.w,
                f.box.h,
                stored_source(f),
                f.state.value,
                f.consent_by,
                f.consent_at,
                f.score,
                f.person_id,
            )
            for f in faces
        ],
    )


def _write_questions(
    conn: sqlite3.Connection, photo_hash: str, questions: tuple[Concern, ...]
) -> None:
    conn.execute("DELETE FROM questions WHERE photo_hash = ?", (photo_hash,))
    conn.executemany(
        f"INSERT INTO questions (photo_hash, {_QUESTION_COLUMNS}) VALUES (?,?,?,?,?)",
        [(photo_hash, q.who, q.at, q.note, q.sitting) for q in questions],
    )


def next_face_id(conn: sqlite3.Connection) -> int:
    """An id no face has had, even a deleted one (undo may bring deleted faces back)."""
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'faces'").fetchone()
    top = conn.execute("SELECT MAX(id) FROM faces").fetchone()[0]
    return max(int(seq[0]) if seq else 0, int(top or 0)) + 1


def clear_approval(conn: sqlite3.Connection, photo_hash: str) -> bool:
    """Drop an approval (not a rejection) after a change; True if there was one."""
    cursor = conn.execute(
        "UPDATE photos SET verdict = NULL, reviewer = NULL, review_note = '', "
        "reviewed_at = NULL WHERE hash = ? AND verdict = ?",
        (photo_hash, Verdict.APPROVED.value),
    )
    return cursor.rowcount > 0


def set_verdict(
    conn: sqlite3.Connection, photo_hash: str, verdict: Verdict, reviewer: str, note: str, at: str
) -> None:
    conn.execute(
        "UPDATE photos SET verdict = ?, reviewer = ?, review_note = ?, reviewed_at = ? "
        "WHERE hash = ?",
        (verdict.value, reviewer, note, at, photo_hash),
    )
