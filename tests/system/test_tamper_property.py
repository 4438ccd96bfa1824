"""Any one hand edit of the session database is found, or changes nothing exportable.

Hypothesis makes random legitimate decisions on three photos (two people, a reviewer
with the PIN, face edits, settings), exports, closes the folder, then makes one random
raw SQL edit: any table, any row, any column; an update, a delete or an insert of a
changed copy of a row. Then the folder is opened again and exported again.

The judge is written apart from photoscreen's own list of what it seals: a plain dump of
the decision columns, the face rows, the questions to the manager, the settings and the
audit tables. If the edit changed that dump, the session must say the records were
changed outside photoscreen and every photo it touched must be withheld with that reason
(every photo, for a setting). An edit that leaves a value no photoscreen writes may
instead make the folder refuse to open as damaged (the read-back checks of
tests/core/session/test_session_damage.py), which exports nothing. Whatever the edit, nothing may be
exported that was not exported, byte for byte, before it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from photoscreen.core.basics.geometry import Box
from photoscreen.core.rules.review import ReviewRefused, hash_pin
from photoscreen.core.session.folder_session import DecisionError, Session
from photoscreen.core.settings.centre_settings import SettingError
from photoscreen.core.storage.location import DB_NAME, SESSION_DIR_NAME
from photoscreen.core.storage.migrations import migrate
from photoscreen.core.storage.records_check import CHANGED_OUTSIDE, SETTINGS_CHANGED_OUTSIDE
from photoscreen.core.storage.store import StoreError
from photoscreen.core.workflows.export import export_photos
from tests.helpers.session_fixtures import detection, jpeg_bytes

PIN = "482915"
NAMES = ("a.jpg", "b.jpg", "c.jpg")
CONTENTS = tuple(jpeg_bytes(seed) for seed in range(1, 4))
DECISION_COLUMNS = (
    "activity, unclothed, unclothed_by, unclothed_at, unclothed_sitting, excluded, "
    "faces_checked_by, faces_checked_at, verdict, reviewer, review_note, reviewed_at"
)
UNDECIDED = (None, 0, None, None, None, 0, None, None, None, None, "", None)
# Every table of the session but the schema's own bookkeeping, found in the file itself,
# so a table added later (several people's questions, say) is edited here too: if it
# holds a decision that is not sealed, deleting its row lets a photo out, and this fails.
NOT_EDITED = ("sqlite_sequence", "schema_version")


@dataclass(frozen=True)
class Edit:
    table: int  # which of the file's tables, in name order
    kind: str  # update, delete, insert
    row: int
    column: int
    source: str  # where the new value comes from: a pool of sensible values, another row...
    pick: int


# Values that mean something in each column: what someone bending a decision would write.
POOLS: dict[str, list[Any]] = {
    "activity": ["messy_play", "swimming", "story_time"],
    "unclothed": [0, 1],
    "excluded": [0, 1],
    "verdict": ["approved", "rejected"],
    "source": ["detector", "hand"],
    "state": ["face", "possible_accepted", "possible_pending", "dismissed"],
    "x": [1.0, 30.0],
    "y": [1.0, 30.0],
    "w": [2.0, 40.0],
    "h": [2.0, 40.0],
    "details": ["{}", '{"unclothed": false}'],
    # A setting renamed: gone under its own name (another setting's name is taken, or
    # would give that setting a value of the wrong kind: again another test's business).
    "key": ["unknown.key"],
}
OTHERWISE = ["Bob", "2024-05-03T09:42:10+00:00", 1, ""]
# A setting's value must still be a value of that setting: what photoscreen makes of a
# malformed one is another test's business (settings are checked as they are read).
SETTING_VALUES = {
    "export.quality": ["95", "50"],
    "export.long_side": ["2048", "300"],
    "export.redaction_style": ['"fill"', '"mosaic"'],
    "review.pin_hash": [json.dumps(hash_pin("731946")), "null"],
    "activities": ["null"],
}
# Tables whose values are caught when they are junk (as damage, or as an edit) or never
# read on the way to an export: any junk may go there.
JUNK_OK = ("photos", "faces", "questions", "audit", "audit_chain", "files", "detections")

edits = st.builds(
    Edit,
    table=st.integers(0, 50),
    kind=st.sampled_from(("update", "delete", "insert")),
    row=st.integers(0, 200),
    column=st.integers(0, 20),
    source=st.sampled_from(("pool", "copy", "null", "junk")),
    pick=st.integers(0, 50),
)
decisions = st.lists(
    st.tuples(
        st.sampled_from(
            (
                "activity",
                "swimming",
                "unclothed",
                "unmark",
                "exclude",
                "checked",
                "flag",
                "approve",
                "reject",
                "add_face",
                "remove_face",
                "consent",
                "accept",
                "quality",
                "block",
                "person",
            )
        ),
        st.integers(0, len(NAMES) - 1),
    ),
    max_size=12,
)


@contextmanager
def fresh_folder() -> Iterator[Path]:
    shm = Path("/dev/shm")
    base = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    root = Path(tempfile.mkdtemp(prefix="photoscreen-tamper-", dir=base))
    try:
        (root / "photos").mkdir()
        for name, data in zip(NAMES, CONTENTS, strict=True):
            (root / "photos" / name).write_bytes(data)
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def decide(session: Session, digest: str, kind: str) -> None:
    face = next(iter(session.faces(digest)), None)
    steps = {
        "activity": lambda: session.set_activity(digest, "messy_play"),
        "swimming": lambda: session.set_activity(digest, "swimming"),
        "unclothed": lambda: session.set_unclothed(digest, True),
        "unmark": lambda: session.set_unclothed(digest, False, pin=PIN),
        "exclude": lambda: session.set_excluded(digest, True),
        "checked": lambda: session.set_faces_checked(digest),
        "flag": lambda: session.flag_for_review(digest, "ok?"),
        "approve": lambda: session.approve(digest, "Manager", pin=PIN),
        "reject": lambda: session.reject(digest, "Manager", pin=PIN),
        "add_face": lambda: session.add_face(digest, Box(5, 5, 12, 12)),
        "remove_face": lambda: face and session.remove_face(digest, face.id),
        "consent": lambda: face and session.set_consent(digest, face.id, True),
        "accept": lambda: face and session.accept_face(digest, face.id),
        "quality": lambda: session.settings.set_export(quality=70),
        "block": lambda: session.settings.activity_list.set_blocked("story_time", True),
        "person": lambda: session.change_user("Bob" if session.user == "Alice" else "Alice"),
    }
    with contextlib.suppress(DecisionError, ReviewRefused, SettingError):
        steps[kind]()  # refused by the rules is a legitimate outcome too


def exported(session: Session, upload: Path) -> tuple[dict[str, bytes], dict[str, tuple[str, ...]]]:
    summary = export_photos(session, upload)
    written = {w.source.name: (upload / w.name).read_bytes() for w in summary.written}
    return written, {w.source.name: w.reasons for w in summary.withheld}


def dump(db: Path) -> dict[str, Any]:
    """What the judge counts as the records: decisions, faces, settings, the trail."""
    conn = sqlite3.connect(db)
    try:
        photos = {
            row[0]: repr(row[1:])
            for row in conn.execute(f"SELECT hash, {DECISION_COLUMNS} FROM photos")
            if tuple(row[1:]) != UNDECIDED
        }
        faces: dict[Any, list[str]] = {}
        for row in conn.execute("SELECT * FROM faces ORDER BY id"):
            faces.setdefault(row[1], []).append(repr(row))
        questions: dict[Any, list[str]] = {}
        for row in conn.execute("SELECT * FROM questions ORDER BY id"):
            questions.setdefault(row[1], []).append(repr(row))
        return {
            "photos": photos,
            "faces": faces,
            "questions": questions,
            "settings": sorted(repr(r) for r in conn.execute("SELECT * FROM settings")),
            "trail": sorted(repr(r) for r in conn.execute("SELECT * FROM audit")),
            "links": sorted(repr(r) for r in conn.execute("SELECT * FROM audit_chain")),
        }
    finally:
        conn.close()


def apply(db: Path, change: Edit) -> None:
    """Make ``change`` as someone with a SQLite tool would (dropping what stops them)."""
    conn = sqlite3.connect(db)
    try:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            conn.execute(f"DROP TRIGGER {name}")
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
            if name not in NOT_EDITED
        ]
        table = tables[change.table % len(tables)]
        rows = conn.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        if not rows:
            return
        row = rows[change.row % len(rows)]
        column = columns[change.column % len(columns)]
        old = dict(zip(columns, row[1:], strict=True))
        value = _new_value(table, change, rows, columns, column, old)
        try:
            if change.kind == "update":
                sql = f"UPDATE {table} SET {column} = ? WHERE rowid = ?"
                conn.execute(sql, (value, row[0]))
            elif change.kind == "delete":
                conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (row[0],))
            else:
                _insert_changed_copy(conn, table, change.row, old, column, value)
        except sqlite3.IntegrityError:
            return  # the database refused it: nothing changed
        conn.commit()
    finally:
        conn.close()


def _new_value(
    table: str, change: Edit, rows: list[Any], columns: list[str], column: str, row: dict[str, Any]
) -> Any:
    if table == "settings" and column == "value":
        pool = SETTING_VALUES.get(str(row["key"]), ["null"])
        return pool[change.pick % len(pool)]
    if change.source == "null":
        return None
    if change.source == "junk" and table in JUNK_OK:
        return ("x", -7, 1e9, b"\x00")[change.pick % 4]
    if change.source == "copy":
        other = rows[change.pick % len(rows)]
        return other[1 + columns.index(column)]
    pool = POOLS.get(column, OTHERWISE)
    return pool[change.pick % len(pool)]


def _insert_changed_copy(
    conn: sqlite3.Connection, table: str, tag: int, old: dict[str, Any], column: str, value: Any
) -> None:
    row = {**old, column: value}
    key = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[5] == 1]
    if len(key) == 1 and key[0] != column:  # a new row, not the same one again
        row[key[0]] = None if key[0] in ("id", "audit_id") else f"forged-{tag}"
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values()))


def _schema() -> tuple[list[str], dict[str, list[str]]]:
    """The session file's tables (in the order :func:`apply` numbers them) and columns."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn)
        listed = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        tables = [name for (name,) in listed.fetchall() if name not in NOT_EDITED]
        columns = {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in tables}
        return tables, columns
    finally:
        conn.close()


TABLES, COLUMNS = _schema()


def _edit(table: str, kind: str, column: str = "id") -> Edit:
    """An edit of the first row of ``table`` (the first photo's), "Bob" as the new value."""
    at = COLUMNS[table].index(column) if column in COLUMNS[table] else 0
    return Edit(TABLES.index(table), kind, row=0, column=at, source="pool", pick=0)


# Always tried, whatever hypothesis draws: the decisions kept outside the photos table's
# first columns (a question of one's own, who marked a photo and in which sitting).
@example(steps=[("flag", 0)], change=_edit("questions", "delete"))
@example(steps=[], change=Edit(TABLES.index("audit"), "insert", 0, 0, "junk", 1))  # id -7
@example(steps=[("flag", 0)], change=_edit("questions", "update", "who"))
@example(steps=[("flag", 0), ("person", 0), ("flag", 0)], change=_edit("questions", "insert"))
@example(steps=[("unclothed", 0)], change=_edit("photos", "update", "unclothed_by"))
@example(steps=[("unclothed", 0)], change=_edit("photos", "update", "unclothed_sitting"))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(steps=decisions, change=edits)
def test_one_raw_edit_is_found_or_changes_nothing_exportable(
    steps: list[tuple[str, int]], change: Edit
) -> None:
    with fresh_folder() as root:
        folder = root / "photos"
        db = folder / SESSION_DIR_NAME / DB_NAME
        with Session.open(folder, "Alice") as session:
            session.settings.pin.change(PIN)
            hashes = [_scan(session, folder / name) for name in NAMES]
            for kind, index in steps:
                decide(session, hashes[index], kind)
            before, _ = exported(session, root / "before")
        records, whole = dump(db), everything(db)
        apply(db, change)
        after_records = dump(db)
        try:
            with Session.open(folder, "Carol") as session:
                problem = session.records_problem
                after, withheld = exported(session, root / "after")
        except StoreError as error:
            # A value no photoscreen writes: refused as damage, so nothing goes out.
            assert "is damaged" in str(error) and everything(db) != whole, (change, error)
            return
    # Safety, whatever the edit: nothing new goes out, nothing changed goes out.
    assert all(before.get(name) == data for name, data in after.items()), change
    if after_records == records:
        assert problem is None, (change, problem)  # no false alarm
        return
    assert problem is not None and "changed outside photoscreen" in problem, change
    touched = _touched_photos(records, after_records)
    for name, digest in zip(NAMES, hashes, strict=True):
        reasons = " ".join(withheld.get(name, ()))
        if records["settings"] != after_records["settings"]:
            assert SETTINGS_CHANGED_OUTSIDE in reasons, (change, name, reasons)
        if digest in touched:
            assert CHANGED_OUTSIDE in reasons, (change, name, reasons)


def _scan(session: Session, path: Path) -> str:
    from tests.helpers.session_fixtures import scan

    found = [detection(Box(20, 10, 16, 16)), detection(Box(40, 20, 10, 10), possible=True)]
    return scan(session, path, found)


def everything(db: Path) -> list[str]:
    """Every row of every table, to tell that an edit changed the file at all."""
    conn = sqlite3.connect(db)
    try:
        listed = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        tables = [name for (name,) in listed.fetchall()]
        return [f"{t}: {row!r}" for t in tables for row in conn.execute(f"SELECT * FROM {t}")]
    finally:
        conn.close()


def _touched_photos(before: dict[str, Any], after: dict[str, Any]) -> set[Any]:
    touched = set()
    for table in ("photos", "faces", "questions"):
        for key in set(before[table]) | set(after[table]):
            if before[table].get(key) != after[table].get(key):
                touched.add(key)
    return touched
