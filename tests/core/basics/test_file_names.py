"""File names (and folder names) that are not valid text work end to end.

The class of bug: file names assumed to be text. A photo named ``caf\\xe9.jpg`` in
Latin-1 (not valid UTF-8) stopped scan (SQLite refused the name) and made export crash
after writing its files, leaving an empty log and no audit entry. Every place a name is
stored (SQLite), printed (verify, status, export's summary and log, the audit trail) or
compared is exercised here with undecodable names, and a property test throws arbitrary
bytes names at the same path (Linux, where names are bytes).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photoscreen.commands import export as export_command
from photoscreen.commands import status as status_command
from photoscreen.commands import verify as verify_command
from photoscreen.core.basics.file_names import (
    is_text,
    name_from_store,
    name_key,
    path_digest,
    shown_name,
    stored_name,
)
from photoscreen.core.basics.jobs import CancelToken
from photoscreen.core.session.folder_session import Session
from photoscreen.core.storage.store import StoreError
from photoscreen.core.workflows.export import export_photos
from photoscreen.core.workflows.scan import scan_photos
from tests.helpers.session_fixtures import jpeg_bytes, make_ready

bytes_names = pytest.mark.skipif(sys.platform == "win32", reason="Windows names are UTF-16")


def _path(folder: Path, name: bytes) -> Path:
    return Path(os.fsdecode(os.fsencode(folder) + b"/" + name))


def _terminal() -> io.TextIOWrapper:
    """An output that, like a UTF-8 terminal, refuses text that cannot be encoded."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n")


def _printed(out: io.TextIOWrapper) -> str:
    out.flush()
    buffer = out.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


def _scan(session: Session) -> None:
    results = scan_photos(
        session.folder_files(), detector_factory=None, cancel=CancelToken(), sink=session
    )
    assert all(result.error is None for result in results)


@pytest.mark.parametrize("name", ["plain.jpg", "caf\udce9.jpg", "\udcff\udcfe"])
def test_names_are_stored_and_read_back_exactly(name: str) -> None:
    assert name_from_store(stored_name(name)) == name
    assert shown_name(name).isprintable()
    assert name_key(name).encode("utf-8")


def test_stored_text_names_stay_text_and_others_never_equal_them() -> None:
    assert stored_name("café.jpg") == "café.jpg"
    assert stored_name("caf\udce9.jpg") == b"caf\xe9.jpg"
    assert name_key("caf\udce9.jpg") != name_key("caf\udce8.jpg")
    assert shown_name("caf\udce9.jpg") == "caf\\xe9.jpg"


@pytest.mark.parametrize("name", ["photos", "fête d'été", "写真", os.fsdecode(b"f\xeate")])
def test_a_folder_has_one_id_whatever_its_name_and_text_names_keep_theirs(
    tmp_path: Path, name: str
) -> None:
    """The ids of a folder's things on this PC (this PC's copy of its session, the head
    of its trail): any name has one; a name that is text keeps the id it always had (the
    hash of its UTF-8), so copies kept before are still found."""
    if not is_text(name) and sys.platform == "win32":
        pytest.skip("Windows names are UTF-16")
    folder = tmp_path / name
    assert len(path_digest(folder)) == 20 and path_digest(folder) != path_digest(tmp_path)
    if is_text(name):
        utf8 = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:20]
        assert path_digest(folder) == utf8


@bytes_names
def test_a_latin_1_name_in_a_latin_1_folder_goes_all_the_way(tmp_path: Path) -> None:
    folder = _path(tmp_path, b"f\xeate")  # "fête" in Latin-1
    folder.mkdir()
    odd = _path(folder, b"caf\xe9.jpg")
    odd.write_bytes(jpeg_bytes(1))
    (folder / "plain.jpg").write_bytes(jpeg_bytes(2))
    with Session.open(folder, "Alice") as session:
        _scan(session)
        entries = {entry.name: entry for entry in session.photos()}
        assert set(entries) == {odd.name, "plain.jpg"}
        for entry in entries.values():
            assert entry.photo_hash is not None
            make_ready(session, entry.photo_hash)
    # status: the table shows the name readably, the JSON keeps it exactly.
    table, document = io.StringIO(), io.StringIO()
    assert status_command.run(folder, as_json=False, out=table) == 0
    assert "caf\\xe9.jpg  ready" in table.getvalue()
    assert status_command.run(folder, as_json=True, out=document) == 0
    files = {p["file"]: p["status"] for p in json.loads(document.getvalue())["photos"]}
    assert files == {odd.name: "ready", "plain.jpg": "ready"}
    # export: both written, the summary and its log name the file readably.
    out = _terminal()
    upload = tmp_path / "upload"
    assert export_command.run(folder, upload, user="Alice", out=out) == 0
    assert "  written  messy-play-001.jpg <- caf\\xe9.jpg" in _printed(out)
    assert f"Summary kept in {shown_name(folder)}" in _printed(out)
    with Session.open(folder, "Alice") as session:
        trail = session.audit_trail()
        log = session.session_dir / "exports" / trail[-1].details["log"]
    assert "caf\\xe9.jpg" in log.read_text(encoding="utf-8")
    exported = {e.details["file"] for e in trail if e.action == "exported"}
    assert exported == {odd.name, "plain.jpg"}
    assert trail[-1].action == "export_finished" and trail[-1].details["written"] == 2
    # verify prints the folder's and the file's names readably.
    report = io.StringIO()
    assert verify_command.run([folder], report) == 0
    assert f"{shown_name(odd)}: clean" in report.getvalue().splitlines()


@bytes_names
def test_a_message_about_a_session_names_its_folder_readably(tmp_path: Path) -> None:
    """The session's own messages (damaged, not saved) name the folder as shown names
    do: a terminal or the window could not show the odd bytes otherwise."""
    folder = _path(tmp_path, b"f\xeate")
    (folder / ".photoscreen").mkdir(parents=True)
    (folder / ".photoscreen" / "session.sqlite3").write_bytes(b"")  # damage: 0 bytes
    with pytest.raises(StoreError, match="is damaged") as raised:
        Session.open(folder, "Alice")
    assert is_text(str(raised.value)) and shown_name(folder) in str(raised.value)
    for run in (
        lambda out: status_command.run(folder, as_json=False, out=out),
        lambda out: export_command.run(folder, tmp_path / "upload", user="Alice", out=out),
    ):
        out = _terminal()
        assert run(out) == 2
        assert "is damaged" in _printed(out)


# Any bytes a Linux file name may hold, except "/" and NUL; hidden names ("." first) are
# skipped by the listing, so they are left out here.
_NAME_BYTES = st.binary(min_size=1, max_size=40).filter(
    lambda b: b"/" not in b and b"\x00" not in b and not b.startswith(b".")
)


@bytes_names
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(_NAME_BYTES, min_size=1, max_size=3, unique=True))
def test_any_bytes_name_is_listed_exported_and_audited(tmp_path_factory, names) -> None:
    folder = tmp_path_factory.mktemp("photos")
    for seed, name in enumerate(names):
        _path(folder, name).write_bytes(jpeg_bytes(seed))
    expected = {os.fsdecode(name) for name in names}
    with Session.open(folder, "Alice") as session:
        _scan(session)
        entries = session.photos()
        assert {entry.name for entry in entries} == expected
        for entry in entries:
            assert entry.photo_hash is not None
            make_ready(session, entry.photo_hash)
        summary = export_photos(session, tmp_path_factory.mktemp("upload"))
        assert len(summary.written) == len(names)
        assert summary.log_path is not None and summary.log_path.read_text(encoding="utf-8")
        trail = session.audit_trail()
    assert {e.details["file"] for e in trail if e.action == "exported"} == expected
    assert trail[-1].action == "export_finished"
    table = io.StringIO()
    assert status_command.run(folder, as_json=False, out=table) == 0
    assert table.getvalue().splitlines()[-1] == f"{len(names)} ready"
