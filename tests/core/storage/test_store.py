"""The session store: where it lives, how it is opened, migrations, locks and threads."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from photoscreen.core.rules.policy import FaceState
from photoscreen.core.rules.review import ReviewRefused
from photoscreen.core.session.folder_session import DecisionError, Session, SessionLocked
from photoscreen.core.storage.location import fallback_directory
from photoscreen.core.storage.migrations import LATEST
from photoscreen.core.storage.session_lock import pid_alive
from photoscreen.core.storage.store import Store, StoreError
from tests.helpers.session_fixtures import make_ready, scan, write_photo

# Version 1 of the schema, frozen here as it was shipped, so the migration test keeps
# testing a real old file even when the migration code changes.
V1_SCHEMA = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (1);
CREATE TABLE photos (
    hash TEXT PRIMARY KEY, width INTEGER, height INTEGER, format TEXT,
    unreadable_reason TEXT, activity TEXT,
    unclothed INTEGER NOT NULL DEFAULT 0, excluded INTEGER NOT NULL DEFAULT 0,
    faces_checked_by TEXT, faces_checked_at TEXT,
    flagged_by TEXT, flag_note TEXT NOT NULL DEFAULT '', flagged_at TEXT,
    verdict TEXT, reviewer TEXT, review_note TEXT NOT NULL DEFAULT '', reviewed_at TEXT);
CREATE TABLE faces (
    id INTEGER PRIMARY KEY AUTOINCREMENT, photo_hash TEXT NOT NULL REFERENCES photos(hash),
    x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,
    source TEXT NOT NULL, state TEXT NOT NULL, consent_by TEXT, consent_at TEXT, score REAL);
CREATE INDEX faces_by_photo ON faces (photo_hash);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, who TEXT NOT NULL,
    action TEXT NOT NULL, photo_hash TEXT, details TEXT NOT NULL DEFAULT '{}');
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def test_new_session_lives_in_the_folder_with_a_durable_journal(tmp_path: Path) -> None:
    with Session.open(tmp_path, "Alice") as session:
        assert session.session_dir == tmp_path.resolve() / ".photoscreen"
        assert session.fallback_reason is None
        with session.store.reading() as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert session.store.schema_version == LATEST
    assert (tmp_path / ".photoscreen" / "session.sqlite3").is_file()
    assert not (tmp_path / ".photoscreen" / "lock").exists()


def test_an_emptied_session_file_is_damage_not_a_new_session(tmp_path: Path) -> None:
    """A session file cut to 0 bytes (a sync tool, a full disk elsewhere) once held every
    decision: starting afresh would silently lose them all."""
    write_photo(tmp_path / "a.jpg", 1)
    with Session.open(tmp_path, "Alice") as session:
        make_ready(session, scan(session, tmp_path / "a.jpg"))
    db = tmp_path / ".photoscreen" / "session.sqlite3"
    db.write_bytes(b"")
    for read_only in (False, True):
        with pytest.raises(StoreError, match="is damaged: it is empty"):
            Session.open(tmp_path, "Bob", read_only=read_only)
    assert db.read_bytes() == b""  # left as found, for whoever restores it


def test_a_new_session_file_is_never_left_half_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from photoscreen.core.storage import store as store_module

    def killed(conn: sqlite3.Connection) -> int:
        raise KeyboardInterrupt  # as if photoscreen stopped while making the file

    monkeypatch.setattr(store_module, "migrate", killed)
    with pytest.raises(KeyboardInterrupt):
        Store(tmp_path / "session.sqlite3")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    store = Store(tmp_path / "session.sqlite3")
    assert store.schema_version == LATEST
    store.close()
    assert [p.name for p in tmp_path.iterdir()] == ["session.sqlite3"]


def test_v1_session_is_migrated_keeping_every_decision(tmp_path: Path) -> None:
    db = tmp_path / ".photoscreen" / "session.sqlite3"
    db.parent.mkdir()
    conn = sqlite3.connect(db)
    conn.executescript(V1_SCHEMA)
    conn.execute(
        "INSERT INTO photos (hash, activity, faces_checked_by) VALUES ('abc', 'messy_play', 'Al')"
    )
    conn.execute("INSERT INTO photos (hash) VALUES ('def')")
    conn.execute(
        "INSERT INTO faces (photo_hash, x, y, w, h, source, state) "
        "VALUES ('abc', 1, 2, 3, 4, 'detector', 'face')"
    )
    conn.execute("INSERT INTO audit (at, who, action) VALUES ('t', 'Al', 'tag_activity')")
    conn.commit()
    conn.close()

    with Session.open(tmp_path, "Alice") as session:
        assert session.store.schema_version == LATEST
        photo = session.photo("abc")
        assert photo is not None and photo.activity == "messy_play"
        assert photo.faces_checked_by == "Al"
        assert [f.state for f in photo.faces] == [FaceState.FACE]
        with session.store.reading() as conn:
            applied = dict(conn.execute("SELECT hash, detections_applied FROM photos"))
        # A photo with faces never gets detector boxes added again; one without may.
        assert applied == {"abc": 1, "def": 0}
        # The decisions made before the trail was chained are sealed once, and it says so.
        assert [e.action for e in session.audit_trail()] == ["tag_activity", "records_sealed"]
        assert session.records_problem is None


# What version 2 added to version 1, frozen as it was shipped.
V2_ADDED = """
ALTER TABLE photos ADD COLUMN detections_applied INTEGER NOT NULL DEFAULT 0;
CREATE TABLE files (
    path TEXT PRIMARY KEY, hash TEXT, size INTEGER, mtime_ns INTEGER,
    unreadable_reason TEXT, seen_at TEXT);
CREATE INDEX files_by_hash ON files (hash);
CREATE TABLE detections (
    photo_hash TEXT NOT NULL, settings_key TEXT NOT NULL, boxes TEXT NOT NULL,
    PRIMARY KEY (photo_hash, settings_key));
UPDATE schema_version SET version = 2;
"""


def test_v2_flags_become_one_question_per_asker_and_marks_keep_their_marker(
    tmp_path: Path,
) -> None:
    """Version 2 appended a second asker's note to the first's ("Bob: ..."); each becomes
    a question of its own, so the manager sees both and Bob cannot approve. Neither
    question has a sitting any more: only the manager can answer them."""
    db = tmp_path / ".photoscreen" / "session.sqlite3"
    db.parent.mkdir()
    conn = sqlite3.connect(db)
    conn.executescript(V1_SCHEMA + V2_ADDED)
    conn.execute(
        "INSERT INTO photos (hash, activity, faces_checked_by, flagged_by, flag_note, "
        "flagged_at, unclothed) VALUES ('abc', 'messy_play', 'Al', 'Alice', ?, 't1', 1)",
        ("is the badge ok?\nand the peg?\nBob: child not on the consent list",),
    )
    conn.execute(
        "INSERT INTO photos (hash, flagged_by, flag_note) VALUES ('def', 'Alice', 'Eve: hi')"
    )
    entries = [
        ("t1", "Alice", "flag", "abc", {"note": "is the badge ok?\nand the peg?"}),
        ("t2", "Bob", "flag", "abc", {"note": "child not on the consent list"}),
        ("t3", "Bob", "set_unclothed", "abc", {"unclothed": True}),
        ("t4", "Carol", "set_unclothed", "abc", {"unclothed": False}),
    ]
    conn.executemany(
        "INSERT INTO audit (at, who, action, photo_hash, details) VALUES (?, ?, ?, ?, ?)",
        [(*entry[:4], json.dumps(entry[4])) for entry in entries],
    )
    conn.commit()
    conn.close()

    with Session.open(tmp_path, "Alice") as session:
        photo = session.photo("abc")
        assert photo is not None
        assert [(q.who, q.at, q.note, q.sitting) for q in photo.questions] == [
            ("Alice", "t1", "is the badge ok?\nand the peg?", None),
            ("Bob", "t2", "child not on the consent list", None),
        ]
        assert photo.unclothed_mark is not None and photo.unclothed_mark.who == "Bob"
        other = session.photo("def")  # no audit entry: the line stays Alice's note
        assert other is not None and [q.note for q in other.questions] == ["Eve: hi"]
        with pytest.raises(DecisionError, match="Alice asked the manager"):
            session.unflag("abc")
        with pytest.raises(ReviewRefused, match="Bob asked the manager"):
            session.approve("abc", "bob")
        with session.store.reading() as conn:
            left = conn.execute("SELECT COUNT(*) FROM photos WHERE flagged_by IS NOT NULL")
            assert left.fetchone()[0] == 0  # nothing left to read a stale asker from


def test_audit_trail_is_append_only(tmp_path: Path) -> None:
    with Session.open(tmp_path, "Alice") as session:
        session.log_event("export_started", None, {})
        with session.store.reading() as conn:
            for sql in ("UPDATE audit SET who = 'Eve'", "DELETE FROM audit"):
                with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                    conn.execute(sql)
        assert session.audit_trail()[0].who == "Alice"


def test_session_from_a_newer_photoscreen_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "session.sqlite3"
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer version of photoscreen"):
        Store(db)


def test_damaged_or_foreign_files_get_a_clear_message(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="damaged"):
        Store(garbage)
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.close()
    with pytest.raises(StoreError, match="not a photoscreen session"):
        Store(foreign)


def test_second_instance_is_told_who_has_the_folder(tmp_path: Path) -> None:
    first = Session.open(tmp_path, "Alice")
    with pytest.raises(SessionLocked) as error:
        Session.open(tmp_path, "Bob")
    message = str(error.value)
    assert message.startswith("This folder is open in photoscreen by Alice on ")
    assert socket.gethostname() in message and " since " in message
    first.close()
    Session.open(tmp_path, "Bob").close()


def test_lock_held_by_another_process_blocks_and_stale_lock_is_recovered(
    tmp_path: Path,
) -> None:
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from photoscreen.core.session.folder_session import Session\n"
        "s = Session.open(Path(sys.argv[1]), 'Carol')\n"
        "print('open', flush=True)\n"
        "time.sleep(60)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(SessionLocked, match="by Carol on"):
            Session.open(tmp_path, "Dan")
    finally:
        holder.kill()
        holder.wait()
    assert not pid_alive(holder.pid)
    assert (tmp_path / ".photoscreen" / "lock").exists()  # left behind by the kill
    with Session.open(tmp_path, "Dan") as session:
        assert session.user == "Dan"


def test_lock_from_another_pc_is_not_broken_but_explained(tmp_path: Path) -> None:
    (tmp_path / ".photoscreen").mkdir()
    holder = {"user": "Eve", "host": "PC-12", "pid": 1, "since": "2020-01-01T10:42:00+00:00"}
    (tmp_path / ".photoscreen" / "lock").write_text(json.dumps({**holder, "token": "x"}))
    with pytest.raises(SessionLocked) as error:
        Session.open(tmp_path, "Alice")
    assert "by Eve on PC-12 since" in str(error.value)
    assert "delete the file 'lock'" in str(error.value)


def test_read_only_open_needs_no_lock_and_writes_nothing(tmp_path: Path) -> None:
    write_photo(tmp_path / "a.jpg", 1)
    with Session.open(tmp_path / ".", "Alice") as writer:
        digest = scan(writer, tmp_path / "a.jpg")
        make_ready(writer, digest)
        with Session.open(tmp_path, "status", read_only=True) as reader:
            assert reader.status(digest).exportable
            with pytest.raises(StoreError, match="read-only"):
                reader.set_excluded(digest, True)
    empty = tmp_path / "empty"
    empty.mkdir()
    with Session.open(empty, "status", read_only=True) as reader:
        assert reader.photos() == []
    assert list(empty.iterdir()) == []


def test_unwritable_folder_falls_back_to_the_user_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "card"
    folder.mkdir()
    write_photo(folder / "a.jpg", 1)
    # A file where the session directory would go makes the folder unusable for a session,
    # as a read-only card does (chmod cannot stop root, who runs some CI jobs).
    (folder / ".photoscreen").write_bytes(b"")
    with Session.open(folder, "Alice") as session:
        assert session.session_dir == fallback_directory(folder)
        assert str(tmp_path / "data" / "photoscreen" / "sessions") in str(session.session_dir)
        assert session.fallback_reason and "cannot be written" in session.fallback_reason
        digest = scan(session, folder / "a.jpg")
        make_ready(session, digest)
    with Session.open(folder, "Bob") as again:
        assert again.status(digest).exportable
    with Session.open(folder, "status", read_only=True) as reader:
        assert reader.status(digest).exportable


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_read_only_folder_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "card"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with Session.open(folder, "Alice") as session:
            assert session.fallback_reason is not None
            assert not (folder / ".photoscreen").exists()
    finally:
        folder.chmod(0o755)


def test_decisions_from_several_threads_are_all_kept(tmp_path: Path) -> None:
    with Session.open(tmp_path, "Alice") as session:
        digests = []
        for seed in range(4):
            write_photo(tmp_path / f"p{seed}.jpg", seed)
            digests.append(scan(session, tmp_path / f"p{seed}.jpg"))
        errors: list[BaseException] = []

        def work(digest: str) -> None:
            try:
                for i in range(20):
                    session.set_excluded(digest, i % 2 == 0)
                    session.photos()
            except BaseException as error:  # collected and re-raised in the test thread
                errors.append(error)

        threads = [threading.Thread(target=work, args=(d,)) for d in digests]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert sum(e.action == "set_excluded" for e in session.audit_trail()) == 4 * 20
        assert session.store.integrity_ok()


def test_a_v8_session_gets_the_audit_index_of_v9_and_keeps_its_exports(tmp_path: Path) -> None:
    """Version 9 only indexes the trail by action: a version 8 file (the same tables,
    without the index) opens as 9 with its "exported" entries found through it."""
    with Session.open(tmp_path, "Alice") as session:
        details = {"name": "story-time-001.jpg", "file": "a.jpg", "destination": "/up"}
        session.log_event("exported", "abc", details)
    db = tmp_path / ".photoscreen" / "session.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("DROP INDEX audit_by_action")
    conn.execute("UPDATE schema_version SET version = 8")
    conn.commit()
    conn.close()

    with Session.open(tmp_path, "Alice") as session:
        assert session.store.schema_version == LATEST == 9
        assert [r.name for r in session.exports()["abc"]] == ["story-time-001.jpg"]
        with session.store.reading() as conn:
            plan = " ".join(
                str(row[-1])
                for row in conn.execute(
                    "EXPLAIN QUERY PLAN SELECT photo_hash FROM audit WHERE action = 'exported'"
                )
            )
        assert "audit_by_action" in plan
        assert session.records_problem is None
