"""A read-only folder's session is kept on this PC: that copy never lets a stale or lost
decision through (DESIGN.md invariants 1 and 6), and ``photoscreen status`` reads the
same session the window does.

Two PCs are two per-user data directories. A read-only folder is simulated through the
store's one writability check (root, who runs some CI jobs, can write anywhere, so chmod
proves nothing); every test also checks that the read-only opens wrote nothing into the
folder. One test uses a real read-only mount where the system allows it.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from photoscreen.commands import status as status_command
from photoscreen.core.rules.policy import PhotoState
from photoscreen.core.session.folder_session import Session, SessionLocked
from photoscreen.core.storage import location as location_module
from photoscreen.core.storage.location import fallback_directory
from photoscreen.core.storage.store import Store
from photoscreen.core.workflows.export import export_photos
from tests.helpers.session_fixtures import make_ready, scan, write_photo


class Folder:
    """A folder of photos whose write access can be taken away and given back."""

    def __init__(self, path: Path, read_only: set[Path]) -> None:
        self.path = path
        self._read_only = read_only

    def make_read_only(self) -> None:
        self._read_only.add(self.path.resolve())

    def make_writable(self) -> None:
        self._read_only.discard(self.path.resolve())

    def session_files(self) -> dict[str, bytes]:
        """Everything in the folder's own session directory, to prove it was not written."""
        inside = self.path / ".photoscreen"
        if not inside.is_dir():
            return {}
        return {p.name: p.read_bytes() for p in sorted(inside.iterdir()) if p.is_file()}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Folder:
    read_only: set[Path] = set()
    real = location_module.session_dir_writable

    def writable(path: Path, *, probe: bool) -> bool:
        return path.resolve() not in read_only and real(path, probe=probe)

    monkeypatch.setattr(location_module, "session_dir_writable", writable)
    photos = tmp_path / "photos"
    photos.mkdir()
    on_pc(monkeypatch, tmp_path, "alice-pc")
    return Folder(photos, read_only)


def on_pc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pc: str) -> None:
    """What follows runs on ``pc``: its own per-user data directory."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / pc))


def export_names(session: Session, destination: Path) -> list[str]:
    summary = export_photos(session, destination)
    assert summary.ok
    return sorted(p.name for p in destination.iterdir()) if destination.exists() else []


def status_by_file(path: Path) -> tuple[dict[str, str], str]:
    """``photoscreen status --json`` (state per file) and the table's notes."""
    out = io.StringIO()
    assert status_command.run(path, as_json=True, out=out) == 0
    states = {p["file"]: p["status"] for p in json.loads(out.getvalue())["photos"]}
    table = io.StringIO()
    assert status_command.run(path, as_json=False, out=table) == 0
    return states, table.getvalue()


def window_states(session: Session) -> dict[str, str]:
    return {e.name: e.state.value for e in session.photos()}


def two_photos_d1_ready(folder: Folder) -> tuple[str, str]:
    """IMG_1 ready and IMG_2 scanned, decided in the folder's own session."""
    write_photo(folder.path / "IMG_1.jpg", 1)
    write_photo(folder.path / "IMG_2.jpg", 2)
    with Session.open(folder.path, "Alice") as session:
        d1 = scan(session, folder.path / "IMG_1.jpg")
        d2 = scan(session, folder.path / "IMG_2.jpg")
        make_ready(session, d1)
    return d1, d2


def excluded_in_read_only_copy(folder: Folder) -> tuple[str, str]:
    """As :func:`two_photos_d1_ready`; then, the folder read-only, Alice excludes IMG_1 in
    this PC's copy of its session."""
    d1, d2 = two_photos_d1_ready(folder)
    folder.make_read_only()
    with Session.open(folder.path, "Alice") as session:
        session.set_excluded(d1, True)
    return d1, d2


def kept_copies(tmp_path: Path, pc: str, folder: Folder) -> list[Path]:
    directory = tmp_path / pc / "photoscreen" / "sessions" / fallback_directory(folder.path).name
    return sorted(directory.glob("session-*.sqlite3"))


def decisions_in(db: Path, photo_hash: str) -> tuple[bool, bool]:
    """(excluded, unclothed) of a photo in a session file."""
    store = Store(db, read_only=True)
    try:
        with store.reading() as conn:
            row = conn.execute(
                "SELECT excluded, unclothed FROM photos WHERE hash = ?", (photo_hash,)
            ).fetchone()
    finally:
        store.close()
    return bool(row[0]), bool(row[1])


# Read-only folder: the copy follows the folder -------------------------------------------


def test_copy_is_refreshed_when_someone_blocks_a_photo_in_the_folder(
    folder: Folder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d1, _ = two_photos_d1_ready(folder)
    folder.make_read_only()
    with Session.open(folder.path, "Alice") as session:
        assert session.fallback_reason is not None
        assert session.status(d1).exportable  # the copy starts from the folder's decisions
    on_pc(monkeypatch, tmp_path, "bob-pc")
    folder.make_writable()
    with Session.open(folder.path, "Bob") as session:  # Bob can write the folder
        session.set_unclothed(d1, True)
    folder.make_read_only()
    untouched = folder.session_files()
    on_pc(monkeypatch, tmp_path, "alice-pc")

    states, notes = status_by_file(folder.path)
    assert states["IMG_1.jpg"] == PhotoState.BLOCKED.value
    assert "cannot be written" in notes and "NOT" not in notes
    with Session.open(folder.path, "Alice") as session:
        assert session.status(d1).state is PhotoState.BLOCKED
        assert export_names(session, tmp_path / "upload") == []
        assert "NOT used" not in (session.fallback_reason or "")
    assert folder.session_files() == untouched
    assert kept_copies(tmp_path, "alice-pc", folder) == []  # nothing of its own to keep


def test_copy_is_used_while_the_folder_is_unchanged(folder: Folder, tmp_path: Path) -> None:
    d1, d2 = two_photos_d1_ready(folder)
    folder.make_read_only()
    untouched = folder.session_files()
    with Session.open(folder.path, "Alice") as session:
        session.set_excluded(d1, True)
        make_ready(session, d2)
    states, _ = status_by_file(folder.path)
    assert states == {"IMG_1.jpg": "excluded", "IMG_2.jpg": "ready"}
    with Session.open(folder.path, "Alice") as session:
        assert session.status(d1).state is PhotoState.EXCLUDED
        assert export_names(session, tmp_path / "upload") == ["messy-play-001.jpg"]
    assert folder.session_files() == untouched


def test_folder_faces_found_by_the_detector_do_not_void_the_copy(
    folder: Folder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from photoscreen.core.basics.geometry import Box
    from tests.helpers.session_fixtures import detection

    d1, _ = excluded_in_read_only_copy(folder)
    # Bob only opens the folder: his detector finds a face in a new photo. No decision.
    write_photo(folder.path / "IMG_3.jpg", 3)
    on_pc(monkeypatch, tmp_path, "bob-pc")
    folder.make_writable()
    with Session.open(folder.path, "Bob") as session:
        scan(session, folder.path / "IMG_3.jpg", [detection(Box(4, 4, 20, 20))])
        assert session.audit_trail()[-1].action == "faces_detected"
    folder.make_read_only()
    on_pc(monkeypatch, tmp_path, "alice-pc")
    with Session.open(folder.path, "Alice") as session:
        assert session.status(d1).state is PhotoState.EXCLUDED  # Alice's decision holds
        assert "NOT used" not in (session.fallback_reason or "")


def test_both_changed_sets_the_copy_aside_and_says_where(
    folder: Folder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d1, d2 = two_photos_d1_ready(folder)
    folder.make_read_only()
    with Session.open(folder.path, "Alice") as session:
        session.set_excluded(d2, True)  # Alice's own decision, in her copy
    on_pc(monkeypatch, tmp_path, "bob-pc")
    folder.make_writable()
    with Session.open(folder.path, "Bob") as session:
        session.set_unclothed(d1, True)  # and Bob's, in the folder
    folder.make_read_only()
    untouched = folder.session_files()
    on_pc(monkeypatch, tmp_path, "alice-pc")

    states, notes = status_by_file(folder.path)
    assert states["IMG_1.jpg"] == PhotoState.BLOCKED.value
    assert "are NOT shown and will not be used" in notes.replace("\n", " ")
    with Session.open(folder.path, "Alice") as session:
        assert session.status(d1).state is PhotoState.BLOCKED  # newest confirmed: Bob's
        assert not session.photo(d2).excluded  # type: ignore[union-attr]
        reason = session.fallback_reason or ""
        assert "cannot be written" in reason
        assert "were NOT used, because someone has changed the folder's decisions" in reason
        [kept] = kept_copies(tmp_path, "alice-pc", folder)
        assert str(kept) in reason
        assert export_names(session, tmp_path / "upload") == []
    assert decisions_in(kept, d2) == (True, False)  # Alice's exclusion is kept, unchanged
    assert folder.session_files() == untouched
    with Session.open(folder.path, "Alice") as session:  # told once; the copy is now fresh
        assert "NOT used" not in (session.fallback_reason or "")
        assert kept_copies(tmp_path, "alice-pc", folder) == [kept]


# Writable again: the copy's decisions are not dropped -------------------------------------


def test_copy_is_saved_into_the_folder_when_it_becomes_writable(
    folder: Folder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d1, _ = excluded_in_read_only_copy(folder)
    folder.make_writable()

    states, notes = status_by_file(folder.path)  # before the window: already the copy's
    assert states["IMG_1.jpg"] == PhotoState.EXCLUDED.value
    assert "saved into the folder when it is next opened" in notes.replace("\n", " ")
    with Session.open(folder.path, "Alice") as session:
        assert session.session_dir == folder.path.resolve() / ".photoscreen"
        assert session.status(d1).state is PhotoState.EXCLUDED
        assert "have now been saved into the folder" in (session.fallback_reason or "")
        assert session.audit_trail()[-1].action == "fallback_copy_adopted"
        assert export_names(session, tmp_path / "upload") == []
    [kept] = kept_copies(tmp_path, "alice-pc", folder)
    assert kept.name.startswith("session-saved-in-folder-")
    assert not fallback_directory(folder.path).joinpath("session.sqlite3").exists()
    on_pc(monkeypatch, tmp_path, "bob-pc")
    with Session.open(folder.path, "Bob") as session:  # everyone now sees it
        assert session.status(d1).state is PhotoState.EXCLUDED
        assert session.fallback_reason is None


def test_copy_is_saved_into_a_folder_that_had_no_session(
    folder: Folder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_photo(folder.path / "IMG_1.jpg", 1)
    write_photo(folder.path / "IMG_2.jpg", 2)
    folder.make_read_only()
    with Session.open(folder.path, "Alice") as session:
        d1 = scan(session, folder.path / "IMG_1.jpg")
        d2 = scan(session, folder.path / "IMG_2.jpg")
        make_ready(session, d1)
        make_ready(session, d2)
        session.set_unclothed(d2, True)
    assert folder.session_files() == {}
    folder.make_writable()
    with Session.open(folder.path, "Alice") as session:
        assert "saved into the folder" in (session.fallback_reason or "")
        assert session.status(d2).state is PhotoState.BLOCKED
        assert session.status(d1).exportable
    on_pc(monkeypatch, tmp_path, "bob-pc")
    with Session.open(folder.path, "Bob") as session:
        assert session.status(d2).state is PhotoState.BLOCKED
        assert export_names(session, tmp_path / "upload") == ["messy-play-001.jpg"]


def test_writable_folder_changed_by_someone_else_keeps_its_own_and_sets_the_copy_aside(
    folder: Folder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d1, d2 = two_photos_d1_ready(folder)
    folder.make_read_only()
    with Session.open(folder.path, "Alice") as session:
        session.set_excluded(d2, True)
    on_pc(monkeypatch, tmp_path, "bob-pc")
    folder.make_writable()
    with Session.open(folder.path, "Bob") as session:
        session.set_unclothed(d1, True)
    on_pc(monkeypatch, tmp_path, "alice-pc")

    states, notes = status_by_file(folder.path)
    assert states["IMG_1.jpg"] == PhotoState.BLOCKED.value
    assert "are NOT shown and will not be used" in notes.replace("\n", " ")
    with Session.open(folder.path, "Alice") as session:
        assert session.status(d1).state is PhotoState.BLOCKED
        assert not session.photo(d2).excluded  # type: ignore[union-attr]
        reason = session.fallback_reason or ""
        [kept] = kept_copies(tmp_path, "alice-pc", folder)
        assert "were NOT used" in reason and str(kept) in reason
        assert session.audit_trail()[-1].action == "fallback_copy_set_aside"
    assert decisions_in(kept, d2) == (True, False)
    with Session.open(folder.path, "Alice") as session:
        assert session.fallback_reason is None  # said once, the copy is out of the way


def test_copy_with_only_detector_faces_is_left_alone(
    folder: Folder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from photoscreen.core.basics.geometry import Box
    from tests.helpers.session_fixtures import detection

    d1, _ = two_photos_d1_ready(folder)
    write_photo(folder.path / "IMG_3.jpg", 3)
    folder.make_read_only()
    with Session.open(folder.path, "Alice") as session:
        scan(session, folder.path / "IMG_3.jpg", [detection(Box(4, 4, 20, 20))])
    folder.make_writable()
    before = folder.session_files()["session.sqlite3"]
    with Session.open(folder.path, "Alice") as session:
        assert session.fallback_reason is None
        assert session.status(d1).exportable
    assert folder.session_files()["session.sqlite3"] == before
    assert kept_copies(tmp_path, "alice-pc", folder) == []


def test_copy_still_open_in_another_window_is_not_taken_from_under_it(
    folder: Folder, tmp_path: Path
) -> None:
    d1, _ = two_photos_d1_ready(folder)
    folder.make_read_only()
    first = Session.open(folder.path, "Alice")  # working in the copy
    try:
        first.set_excluded(d1, True)
        folder.make_writable()
        with pytest.raises(SessionLocked, match="open in photoscreen by Alice on"):
            Session.open(folder.path, "Alice")
        assert not (folder.path / ".photoscreen" / "lock").exists()  # given back
        first.set_unclothed(d1, True)  # still saved, and not lost
    finally:
        first.close()
    with Session.open(folder.path, "Alice") as session:
        decisions = session.photo(d1)
        assert decisions is not None and decisions.excluded and decisions.unclothed


# photoscreen status: the window's session, read without writing --------------------------


def test_status_agrees_with_the_window_for_a_read_only_folder(
    folder: Folder, tmp_path: Path
) -> None:
    d1, d2 = two_photos_d1_ready(folder)
    folder.make_read_only()
    with Session.open(folder.path, "Alice") as session:
        session.set_excluded(d1, True)
        make_ready(session, d2)
        seen_by_window = window_states(session)
    states, notes = status_by_file(folder.path)
    assert states == seen_by_window == {"IMG_1.jpg": "excluded", "IMG_2.jpg": "ready"}
    assert "cannot be written" in notes


def test_status_reads_a_session_saved_by_an_older_photoscreen(tmp_path: Path) -> None:
    from tests.core.storage.test_store import V1_SCHEMA

    folder = tmp_path / "photos"
    folder.mkdir()
    d1 = write_photo(folder / "IMG_1.jpg", 1)
    d2 = write_photo(folder / "IMG_2.jpg", 2)
    write_photo(folder / "IMG_3.jpg", 3)  # never seen by that photoscreen
    db = folder / ".photoscreen" / "session.sqlite3"
    db.parent.mkdir()
    conn = sqlite3.connect(db)
    conn.executescript(V1_SCHEMA)
    conn.execute(
        "INSERT INTO photos (hash, activity, faces_checked_by) VALUES (?, 'messy_play', 'Al')",
        (d1,),
    )
    conn.execute("INSERT INTO photos (hash, activity) VALUES (?, 'swimming')", (d2,))
    conn.commit()
    conn.close()
    before = db.read_bytes()
    states, _ = status_by_file(folder)
    assert states == {"IMG_1.jpg": "ready", "IMG_2.jpg": "blocked", "IMG_3.jpg": "not_scanned"}
    assert db.read_bytes() == before  # read, never migrated in place
    assert sorted(p.name for p in db.parent.iterdir()) == ["session.sqlite3"]


def _leave_hot_journal(folder: Path, photo_hash: str) -> None:
    """The folder's session as a crash mid-write leaves it: a hot journal beside it.

    A write is made on a copy of the session and, while it is still open, the database and
    its journal are copied over the folder's: exactly the files a kill at that moment
    leaves behind (the uncommitted write marks the photo swimming, a blocked activity).
    """
    inside = folder / ".photoscreen"
    scratch = folder.parent / "scratch"
    scratch.mkdir()
    shutil.copy(inside / "session.sqlite3", scratch / "session.sqlite3")
    conn = sqlite3.connect(scratch / "session.sqlite3", isolation_level=None)
    conn.execute("PRAGMA cache_size=1")  # spill the change into the database file
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE photos SET activity = 'swimming' WHERE hash = ?", (photo_hash,))
    for number in range(400):
        conn.execute("INSERT INTO settings VALUES (?, ?)", (f"junk{number}", "x" * 2000))
    shutil.copy(scratch / "session.sqlite3", inside / "session.sqlite3")
    shutil.copy(scratch / "session.sqlite3-journal", inside / "session.sqlite3-journal")
    conn.execute("ROLLBACK")
    conn.close()


def test_status_after_a_crash_mid_write_reads_the_last_confirmed_state(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    write_photo(folder / "IMG_1.jpg", 1)
    with Session.open(folder, "Alice") as session:
        d1 = scan(session, folder / "IMG_1.jpg")
        make_ready(session, d1)
    _leave_hot_journal(folder, d1)
    inside = folder / ".photoscreen"
    left = {p.name: p.read_bytes() for p in inside.iterdir()}
    assert "session.sqlite3-journal" in left

    states, notes = status_by_file(folder)
    assert states == {"IMG_1.jpg": "ready"}
    assert "damaged" not in notes
    assert {p.name: p.read_bytes() for p in inside.iterdir()} == left  # nothing written
    with Session.open(folder, "Alice") as session:  # a normal open agrees
        assert session.status(d1).exportable


def test_read_only_folder_left_mid_write_opens_in_its_last_confirmed_state(
    folder: Folder, tmp_path: Path
) -> None:
    d1, _ = two_photos_d1_ready(folder)
    _leave_hot_journal(folder.path, d1)
    folder.make_read_only()
    left = folder.session_files()
    with Session.open(folder.path, "Alice") as session:
        assert session.fallback_reason is not None
        assert session.status(d1).exportable
    assert folder.session_files() == left


# A real read-only folder ------------------------------------------------------------------


def _can_mount_read_only(tmp_path: Path) -> bool:
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    source, target = tmp_path / "probe-src", tmp_path / "probe-dst"
    source.mkdir()
    target.mkdir()
    bound = subprocess.run(["mount", "--bind", str(source), str(target)], capture_output=True)
    if bound.returncode != 0:
        return False
    subprocess.run(["umount", str(target)], capture_output=True)
    return True


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """(writable source, its bind mount that can be remounted read-only)."""
    if not _can_mount_read_only(tmp_path):
        pytest.skip("needs root with permission to mount")
    source, target = tmp_path / "share", tmp_path / "mnt"
    source.mkdir()
    target.mkdir()
    subprocess.run(["mount", "--bind", str(source), str(target)], check=True)
    try:
        yield source, target
    finally:
        subprocess.run(["umount", str(target)], check=False)


def _remount(target: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode},bind", str(target)], check=True)


def test_really_read_only_folder_refreshes_its_copy_and_keeps_its_decisions(
    mounted: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, mnt = mounted
    on_pc(monkeypatch, tmp_path, "alice-pc")
    write_photo(mnt / "IMG_1.jpg", 1)
    write_photo(mnt / "IMG_2.jpg", 2)
    with Session.open(mnt, "Alice") as session:
        d1 = scan(session, mnt / "IMG_1.jpg")
        d2 = scan(session, mnt / "IMG_2.jpg")
        make_ready(session, d1)
        make_ready(session, d2)
    _remount(mnt, "ro")
    with Session.open(mnt, "Alice") as session:
        assert session.fallback_reason is not None
        session.set_excluded(d2, True)
    # Bob writes the folder through the share itself; Alice's view stays read-only.
    with Session.open(source, "Bob") as session:
        session.set_unclothed(d1, True)
    states, _ = status_by_file(mnt)
    assert states == {"IMG_1.jpg": "blocked", "IMG_2.jpg": "ready"}
    with Session.open(mnt, "Alice") as session:
        assert session.status(d1).state is PhotoState.BLOCKED
        assert "were NOT used" in (session.fallback_reason or "")
    _remount(mnt, "rw")
    with Session.open(mnt, "Alice") as session:
        assert session.fallback_reason is None  # the copy had nothing new of its own
        assert session.status(d1).state is PhotoState.BLOCKED


def test_read_only_snapshot_opens_odd_folder_names_and_windows_shares(tmp_path: Path) -> None:
    from pathlib import PureWindowsPath

    from photoscreen.core.storage.store import read_only_uri

    odd = tmp_path / "Messy play #2 ? 100%"
    odd.mkdir()
    write_photo(odd / "IMG_1.jpg", 1)
    with Session.open(odd, "Alice") as session:
        d1 = scan(session, odd / "IMG_1.jpg")
        make_ready(session, d1)
    states, _ = status_by_file(odd)
    assert states == {"IMG_1.jpg": "ready"}
    share = PureWindowsPath(r"\\office-nas\photos\Messy play\.photoscreen\session.sqlite3")
    assert read_only_uri(share) == (
        "file:////office-nas/photos/Messy%20play/.photoscreen/session.sqlite3?mode=ro"
    )
    drive = PureWindowsPath(r"Z:\Messy play\.photoscreen\session.sqlite3")
    assert read_only_uri(drive) == "file:/Z:/Messy%20play/.photoscreen/session.sqlite3?mode=ro"
