"""A damaged session database, or a value in it photoscreen could not have written, is
reported in plain words ("the session file ... is damaged"), never a traceback, and no
photo is ever exported on a damaged value.

Two ways in: every settings row and decision column given values it cannot take (each
checked as when it was set), and seeded random damage to a real session file (pages
overwritten, bits flipped), a few hundred cases, each opened, read and exported.
"""

from __future__ import annotations

import io
import json
import math
import os
import random
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from photoscreen.commands import export as export_command
from photoscreen.commands import status as status_command
from photoscreen.commands.status import judge_files
from photoscreen.core.basics.file_names import stored_name
from photoscreen.core.basics.geometry import Box
from photoscreen.core.render.redact import RedactionStyle
from photoscreen.core.rules.policy import (
    Activity,
    FaceSource,
    FaceState,
    Verdict,
    default_activities,
    photo_status,
)
from photoscreen.core.rules.review import looks_like_pin_hash
from photoscreen.core.session import scan_records
from photoscreen.core.session.folder_session import Session
from photoscreen.core.settings.centre_settings import (
    LONG_SIDE_RANGE,
    QUALITY_RANGE,
    SETTINGS,
    CentreSettings,
)
from photoscreen.core.storage import decisions
from photoscreen.core.storage.store import Store, StoreError
from photoscreen.core.storage.store_errors import WriteFailed
from photoscreen.core.trail import audit
from photoscreen.core.workflows.export import export_photos
from tests.helpers.session_fixtures import detection, make_ready, scan, write_photo, write_recorded

PIN = "472915"
# The photos' file names; the last is not valid text (Latin-1 "é"), so the files table
# holds one name as bytes (see photoscreen.core.basics.file_names). Windows names are UTF-16.
NAMES = [f"IMG_{i}.jpg" for i in range(5)] + [
    "IMG_5.jpg" if sys.platform == "win32" else os.fsdecode(b"IMG_5 caf\xe9.jpg")
]


def _memory_disk() -> Path | None:
    """A RAM-backed folder when there is one: every decision is fsynced, and the fuzz opens
    hundreds of copies (durability is tested elsewhere, on the ordinary disk)."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


@pytest.fixture(scope="module")
def made() -> Iterator[Path]:
    """A folder with a session holding every kind of value: settings, a PIN, faces (sure
    and possible), tags, a flag, a verdict, an unclothed mark, exclusions, detections,
    and a file name that is not valid text."""
    root = Path(tempfile.mkdtemp(prefix="photoscreen-damage-", dir=_memory_disk()))
    folder = root / "photos"
    folder.mkdir()
    for i, name in enumerate(NAMES):
        write_photo(folder / name, i)
    with Session.open(folder, "Alice") as session:
        session.settings.set_export(quality=80, long_side=640)
        session.settings.activity_list.add("Forest school")
        session.settings.activity_list.set_blocked("cooking", True, "knives")
        boxes = [detection(Box(5, 5, 10, 10)), detection(Box(30, 10, 8, 8), possible=True)]
        for name in NAMES:
            digest = scan(session, folder / name, boxes)
            session.accept_face(digest, session.faces(digest)[1].id)
            make_ready(session, digest)
        hashes = [session.recorded_hash(folder / name) for name in NAMES]
        session.set_activity(hashes[0], "swimming")
        session.flag_for_review(hashes[1], "is the badge ok?")
        session.flag_for_review(hashes[2], "and this one?")
        session.approve(hashes[2], "Sam")
        session.set_unclothed(hashes[3], True)
        session.set_excluded(hashes[4], True)
        session.settings.pin.change(PIN)
    yield folder
    shutil.rmtree(root, ignore_errors=True)


def copy_of(made: Path, tmp: Path) -> Path:
    folder = tmp / "photos"
    shutil.copytree(made, folder)
    return folder


def database(folder: Path) -> Path:
    return folder / ".photoscreen" / "session.sqlite3"


def set_value(folder: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(database(folder))
    with conn:
        assert conn.execute(sql, params).rowcount > 0
    conn.close()


def assert_damaged_everywhere(folder: Path, out: Path) -> None:
    """Opening (window and status) says "damaged"; the export command writes nothing."""
    for read_only in (False, True):
        with pytest.raises(StoreError, match="is damaged"):
            Session.open(folder, "Bob", read_only=read_only)
    text = io.StringIO()
    assert export_command.run(folder, out, user="Bob", out=text) == 2
    assert "is damaged" in text.getvalue() and not (out.exists() and any(out.iterdir()))
    text = io.StringIO()
    assert status_command.run(folder, as_json=False, out=text) == 2
    assert "is damaged" in text.getvalue()


BAD_SETTINGS = [
    ("export.redaction_style", '"none"'),
    ("export.redaction_style", "5"),
    ("export.redaction_style", '["blur"]'),
    ("activities", "5"),
    ("activities", '"messy play"'),
    ("activities", '{"activities": 7}'),
    ("activities", '[{"key": "a"}]'),
    ("activities", "[1, 2]"),
    ("export.quality", "{not json"),
    ("export.quality", "5"),
    ("export.quality", "96"),
    ("export.quality", "80.5"),
    ("export.quality", '"80"'),
    ("export.quality", "true"),
    ("export.quality", "NaN"),
    ("export.long_side", "20"),
    ("export.long_side", "1e9"),
    ("export.long_side", "null"),
    ("review.pin_hash", '"472915"'),
    ("review.pin_hash", "5"),
    (
        "review.pin_hash",
        '"scrypt2$1048576$64$16$00112233445566778899aabbccddeeff$' + "ab" * 32 + '"',
    ),
]


@pytest.mark.parametrize(("key", "raw"), BAD_SETTINGS)
def test_a_setting_read_back_is_checked_as_when_it_was_set(
    made: Path, tmp_path: Path, key: str, raw: str
) -> None:
    folder = copy_of(made, tmp_path)
    set_value(folder, "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", key, raw)
    assert_damaged_everywhere(folder, tmp_path / "upload")


BAD_COLUMNS = [
    ("photos", "unclothed", 5),
    ("photos", "unclothed", -1),
    ("photos", "unclothed", "yes"),
    ("photos", "unclothed", 0.5),
    ("photos", "excluded", 2),
    ("photos", "verdict", "approve"),
    ("photos", "verdict", 1),
    ("photos", "reviewer", None),
    ("photos", "activity", b"messy_play"),  # a text column holding bytes
    ("photos", "width", -640),
    ("photos", "height", "tall"),
    ("photos", "unclothed_by", b"\xff\xfe"),
    ("photos", "unclothed_at", b"\x00"),
    ("photos", "unclothed_sitting", b"\x01"),
    ("questions", "who", b"\xff\xfe"),
    ("questions", "asked_at", b"\x00"),
    ("questions", "note", b"ok?"),
    ("questions", "sitting", b"\x01"),
    ("faces", "state", "bogus"),
    ("faces", "source", "robot"),
    ("faces", "w", 0),
    ("faces", "h", -3),
    ("faces", "x", "left"),
    ("faces", "score", "high"),
    ("faces", "consent_by", b"\x80"),
    ("files", "size", "big"),
    ("files", "hash", b"\x01"),
    ("files", "ctime_ns", "yesterday"),
    ("files", "inode", 1.5),
    # A name that is text is stored as text: as bytes, it is not one photoscreen wrote.
    ("files", "path", b"IMG_0.jpg"),
    ("files", "path", None),
    ("detections", "boxes", "{not json"),
    ("detections", "boxes", "[[1, 2]]"),
    ("detections", "boxes", '[[0, 0, 0, 0, 0.9, "face"]]'),
    ("pin_attempts", "failures", -1),
    ("pin_attempts", "last_failure", "soon"),
]


@pytest.mark.parametrize(("table", "column", "value"), BAD_COLUMNS)
def test_a_decision_read_back_is_checked_as_when_it_was_made(
    made: Path, tmp_path: Path, table: str, column: str, value: object
) -> None:
    folder = copy_of(made, tmp_path)
    if table == "pin_attempts":
        set_value(folder, "INSERT INTO pin_attempts (id, failures, last_failure) VALUES (1, 0, 0)")
    where = {"reviewer": " WHERE verdict IS NOT NULL", "path": " WHERE path = 'IMG_0.jpg'"}
    set_value(folder, f"UPDATE {table} SET {column} = ?{where.get(column, '')}", value)
    assert_damaged_everywhere(folder, tmp_path / "upload")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE settings SET value = '5' WHERE key = 'export.quality'",
        "INSERT OR REPLACE INTO settings VALUES ('export.redaction_style', '\"none\"')",
        "UPDATE faces SET w = 0",
        "UPDATE photos SET unclothed = 7",
        "UPDATE questions SET who = x'ff'",
        "UPDATE photos SET unclothed_by = x'00'",
    ],
)
def test_damage_done_while_the_folder_is_open_stops_the_export(
    made: Path, tmp_path: Path, sql: str
) -> None:
    folder = copy_of(made, tmp_path)
    upload = tmp_path / "upload"
    with Session.open(folder, "Bob") as session:
        set_value(folder, sql)
        with pytest.raises(StoreError, match="is damaged"):
            export_photos(session, upload)
    assert not (upload.exists() and [p for p in upload.iterdir() if p.suffix == ".jpg"])


def test_a_decision_that_meets_damage_says_damaged_not_that_the_disk_failed(
    made: Path, tmp_path: Path
) -> None:
    """A write that reads a damaged value is rolled back and said as damage (the store's
    one transaction path tells damage from a write that could not be saved)."""
    folder = copy_of(made, tmp_path)
    with Session.open(folder, "Bob") as session:
        digest = session.recorded_hash(folder / NAMES[5])
        assert digest is not None
        set_value(folder, "UPDATE photos SET unclothed = 7")
        with pytest.raises(StoreError, match="is damaged") as raised:
            session.set_excluded(digest, True)
        assert not isinstance(raised.value, WriteFailed)
        assert not session.can_undo


def test_the_values_photoscreen_writes_are_read_back_without_complaint(
    made: Path, tmp_path: Path
) -> None:
    """The checks must not refuse a healthy session (the fuzz's "works" outcome)."""
    folder = copy_of(made, tmp_path)
    with Session.open(folder, "Bob", read_only=True) as session:
        # Judged by content, as status does: a copied file is a new file to the listing.
        states = sorted(status.state.value for _, _, status, _ in judge_files(session))
    assert states == ["awaiting_review", "blocked", "blocked", "excluded", "ready", "ready"]


# --- seeded random damage ----------------------------------------------------------------

PAGE = 4096


def damage_pages(data: bytes, rng: random.Random) -> bytes:
    """Overwrite up to 64 random bytes of one random page."""
    damaged = bytearray(data)
    page = rng.randrange(len(data) // PAGE)
    for _ in range(rng.randint(1, 64)):
        damaged[page * PAGE + rng.randrange(PAGE)] = rng.randrange(256)
    return bytes(damaged)


def flip_bits(data: bytes, rng: random.Random) -> bytes:
    """Flip up to 8 random bits anywhere in the file."""
    damaged = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
    return bytes(damaged)


def open_read_export(folder: Path, upload: Path) -> str:
    """What a person can do with the folder: "works" or "damaged"; anything else raises."""
    try:
        with Session.open(folder, "Fuzz", read_only=True) as session:
            [entry.state for entry in session.photos()]
        with Session.open(folder, "Fuzz") as session:
            [entry.state for entry in session.photos()]
            session.review_queue()
            summary = export_photos(session, upload)
    except StoreError as error:
        assert "is damaged" in str(error) or "cannot be" in str(error), str(error)
        return "damaged"
    with Session.open(folder, "Fuzz", read_only=True) as session:
        for written in summary.written:
            assert session.status(written.photo_hash).exportable
    return "works"


@pytest.mark.parametrize("damage", [damage_pages, flip_bits])
def test_random_damage_to_a_session_file_is_reported_never_a_traceback(
    made: Path, damage: object
) -> None:
    data = database(made).read_bytes()
    rng = random.Random(f"photoscreen-{damage.__name__}")  # type: ignore[attr-defined]
    outcomes = {"works": 0, "damaged": 0}
    work = Path(tempfile.mkdtemp(prefix="photoscreen-fuzz-", dir=_memory_disk()))
    try:
        for case in range(125):
            folder = work / f"case-{case}"
            shutil.copytree(made, folder)
            database(folder).write_bytes(damage(data, rng))  # type: ignore[operator]
            outcomes[open_read_export(folder, work / f"upload-{case}")] += 1
            shutil.rmtree(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    assert outcomes["damaged"] > 20 and outcomes["works"] > 20, outcomes  # both happen


# --- any value in any row -----------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=10,
)
SQL_VALUES = st.one_of(
    st.none(), st.integers(-(2**63), 2**63 - 1), st.floats(), st.text(max_size=12), st.binary()
)


@settings(max_examples=200, deadline=None)
@given(
    key=st.sampled_from([setting.key for setting in SETTINGS]),
    raw=JSON_VALUES.map(json.dumps) | st.text(max_size=20),
)
def test_any_settings_row_is_used_only_when_it_passes_its_check(key: str, raw: str) -> None:
    store = Store(None)
    centre = CentreSettings(store, "Fuzz")
    write_recorded(store, "INSERT INTO settings (key, value) VALUES (?, ?)", (key, raw))
    try:
        long_side, quality = centre.long_side, centre.quality
        style, activities, pin = (
            centre.redaction_style,
            centre.activity_list.current(),
            centre.pin.hash,
        )
    except StoreError as error:
        assert "is damaged: the setting" in str(error)
        return
    finally:
        store.close()
    assert LONG_SIDE_RANGE[0] <= long_side <= LONG_SIDE_RANGE[1]
    assert QUALITY_RANGE[0] <= quality <= QUALITY_RANGE[1]
    assert isinstance(style, RedactionStyle) and all(isinstance(a, Activity) for a in activities)
    assert pin is None or looks_like_pin_hash(pin)


PHOTO_ROW = {
    "hash": "ab" * 32, "width": 64, "height": 48, "format": "JPEG", "activity": "messy_play",
    "unclothed": 1, "unclothed_by": "Al", "unclothed_at": "t", "unclothed_sitting": "s1",
    "excluded": 0, "faces_checked_by": "Al", "faces_checked_at": "t", "verdict": "approved",
    "reviewer": "Sam", "review_note": "", "reviewed_at": "t",
}  # fmt: skip
FACE_ROW = {
    "photo_hash": "ab" * 32, "x": 1.0, "y": 2.0, "w": 10.0, "h": 12.0, "source": "detector",
    "state": "face", "consent_by": None, "consent_at": None, "score": 0.9,
}  # fmt: skip
QUESTION_ROW = {
    "photo_hash": "ab" * 32,
    "who": "Al",
    "asked_at": "t",
    "note": "ok?",
    "sitting": "s1",
}
ROWS = {"photos": PHOTO_ROW, "faces": FACE_ROW, "questions": QUESTION_ROW}


@settings(max_examples=300, deadline=None)
@given(
    table=st.sampled_from(sorted(ROWS)),
    column=st.data(),
    value=SQL_VALUES,
)
def test_any_decision_column_is_used_only_when_it_is_a_value_photoscreen_writes(
    table: str, column: st.DataObject, value: object
) -> None:
    row = dict(ROWS[table])
    name = column.draw(st.sampled_from(sorted(set(row) - {"hash", "photo_hash"})))
    row[name] = value
    store = Store(None)
    try:
        with store.transaction() as conn:
            _insert(conn, "photos", row if table == "photos" else PHOTO_ROW)
            if table != "photos":
                _insert(conn, table, row)
            # Written as photoscreen would: with an audit entry, which the chain requires.
            audit.record(conn, "Fuzz", "test_rows", None, {})
    except WriteFailed:
        store.close()
        return  # the schema itself refuses it (NOT NULL)
    try:
        with store.reading() as conn:
            photo = decisions.load_all(conn)["ab" * 32]
    except StoreError as error:
        assert "is damaged" in str(error)
        return
    finally:
        store.close()
    assert isinstance(photo.unclothed, bool) and isinstance(photo.excluded, bool)
    assert photo.verdict is None or isinstance(photo.verdict, Verdict)
    concerns = (*photo.questions, *([photo.unclothed_mark] if photo.unclothed_mark else []))
    assert photo.unclothed == (photo.unclothed_mark is not None)
    assert photo.flagged == bool(photo.questions)
    for concern in concerns:
        assert isinstance(concern.who, str) and isinstance(concern.note, str)
        assert all(v is None or isinstance(v, str) for v in (concern.at, concern.sitting))
    for face in photo.faces:
        assert face.box.w > 0 and face.box.h > 0 and math.isfinite(face.box.x + face.box.y)
        assert isinstance(face.state, FaceState) and isinstance(face.source, FaceSource)
    photo_status(photo, default_activities())  # judged without a traceback


FILE_ROW = {
    "path": "IMG_0.jpg", "hash": "ab" * 32, "size": 100, "mtime_ns": 1, "ctime_ns": 2,
    "inode": 3, "unreadable_reason": None, "seen_at": "t",
}  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    column=st.sampled_from(sorted(set(FILE_ROW) - {"seen_at"})),
    value=SQL_VALUES | st.binary().map(lambda b: stored_name(os.fsdecode(b))),
)
def test_any_file_record_is_used_only_when_it_is_one_photoscreen_writes(
    column: str, value: object
) -> None:
    """Names as text or as the bytes of a name that is not text; numbers as integers."""
    store = Store(None)
    try:
        with store.transaction() as conn:
            _insert(conn, "files", {**FILE_ROW, column: value})
    except WriteFailed:
        store.close()
        return  # the schema itself refuses it (NOT NULL)
    try:
        with store.reading() as conn:
            (stored,) = conn.execute("SELECT path FROM files").fetchone()
            (record,) = scan_records.file_records(conn).values()
    except StoreError as error:
        assert "is damaged" in str(error)
        return
    finally:
        store.close()
    assert isinstance(record.name, str) and stored_name(record.name) == stored
    assert all(v is None or type(v) is int for v in (*record.identity,))
    assert record.photo_hash is None or isinstance(record.photo_hash, str)
    assert record.unreadable_reason is None or isinstance(record.unreadable_reason, str)


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, object]) -> None:
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({marks})", tuple(row.values()))
