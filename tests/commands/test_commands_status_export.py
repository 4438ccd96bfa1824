"""``photoscreen status`` and ``photoscreen export``, run as a person would run them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from photoscreen.app import main
from photoscreen.commands import export as export_command
from photoscreen.commands import status as status_command
from photoscreen.core.rules.policy import CHANGED_SINCE_CHECKED
from photoscreen.core.session.folder_session import Session
from tests.helpers.session_fixtures import make_ready, scan, write_photo


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with one photo ready, one blocked, one flagged and one never scanned."""
    photos = tmp_path / "photos"
    photos.mkdir()
    with Session.open(photos, "Alice") as session:
        for seed, (name, activity) in enumerate(
            [("IMG_1.jpg", "messy_play"), ("IMG_2.jpg", "swimming"), ("IMG_3.jpg", "cooking")]
        ):
            write_photo(photos / name, seed)
            make_ready(session, scan(session, photos / name), activity)
        session.flag_for_review(scan(session, photos / "IMG_3.jpg"), "apron logo?")
    write_photo(photos / "IMG_4.jpg", 10)
    return photos


def test_status_table_lists_each_file_and_counts(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["FILE", "STATUS", "REASONS"]
    rows = {line.split()[0]: line for line in lines[1:5]}
    assert "ready" in rows["IMG_1.jpg"]
    assert "Blocked: swimming involves undress (policy)" in rows["IMG_2.jpg"]
    assert "Waiting for the manager to review it" in rows["IMG_3.jpg"]
    assert "Not read yet" in rows["IMG_4.jpg"]
    assert lines[-1] == "1 ready, 1 not read yet, 1 blocked, 1 waiting for the manager"


def test_status_table_shows_terminal_codes_in_names_instead_of_obeying_them(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_photo(folder / "IMG_5\x1b[2K.jpg", 11)
    assert main(["status", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "IMG_5\\x1b[2K.jpg" in out


def test_status_json_is_machine_readable(folder: Path) -> None:
    out = io.StringIO()
    assert status_command.run(folder, as_json=True, out=out) == 0
    document = json.loads(out.getvalue())
    by_file = {p["file"]: p for p in document["photos"]}
    assert by_file["IMG_1.jpg"]["status"] == "ready"
    assert by_file["IMG_1.jpg"]["activity"] == "Messy play"
    assert by_file["IMG_2.jpg"]["reasons"] == ["Blocked: swimming involves undress (policy)"]
    assert by_file["IMG_4.jpg"]["hash"] is not None
    assert document["counts"] == {
        "ready": 1,
        "blocked": 1,
        "awaiting_review": 1,
        "not_scanned": 1,
    }


def test_status_finds_decisions_by_content_and_notices_edits(folder: Path) -> None:
    (folder / "IMG_1.jpg").rename(folder / "renamed.jpg")
    write_photo(folder / "IMG_2.jpg", 77)
    out = io.StringIO()
    status_command.run(folder, as_json=True, out=out)
    by_file = {p["file"]: p for p in json.loads(out.getvalue())["photos"]}
    assert by_file["renamed.jpg"]["status"] == "ready"
    assert by_file["IMG_2.jpg"]["reasons"] == [CHANGED_SINCE_CHECKED]


def test_status_works_while_the_window_has_the_folder(folder: Path) -> None:
    with Session.open(folder, "Alice"):
        out = io.StringIO()
        assert status_command.run(folder, as_json=False, out=out) == 0
    assert "1 ready" in out.getvalue()


def test_status_of_a_missing_folder_says_so(tmp_path: Path) -> None:
    out = io.StringIO()
    assert status_command.run(tmp_path / "nope", as_json=False, out=out) == 2
    assert "does not exist" in out.getvalue()


def test_headless_export_writes_only_ready_photos(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["export", str(folder), "--to", str(tmp_path / "upload"), "--user", "Bob"])
    out = capsys.readouterr().out
    assert code == 0
    assert [p.name for p in (tmp_path / "upload").iterdir()] == ["messy-play-001.jpg"]
    assert "1 written, 3 withheld, 0 failed" in out
    assert "withheld IMG_2.jpg: Blocked: swimming involves undress (policy)" in out
    with Session.open(folder, "check", read_only=True) as session:
        assert session.audit_trail()[-1].who == "Bob"


def test_headless_export_again_writes_nothing_twice_and_only_new_skips_earlier_exports(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upload, later = tmp_path / "upload", tmp_path / "later"
    assert main(["export", str(folder), "--to", str(upload), "--user", "Bob"]) == 0
    assert main(["export", str(folder), "--to", str(upload), "--user", "Bob"]) == 0
    out = capsys.readouterr().out
    assert [p.name for p in upload.iterdir()] == ["messy-play-001.jpg"]
    assert "skipped  IMG_1.jpg: already in this folder as messy-play-001.jpg" in out
    assert main(["export", str(folder), "--to", str(later), "--only-new"]) == 0
    assert "0 written" in capsys.readouterr().out and not list(later.iterdir())
    assert main(["export", str(folder), "--to", str(later)]) == 0
    assert [p.name for p in later.iterdir()] == ["messy-play-001.jpg"]


def test_headless_export_exit_status(folder: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    assert export_command.run(folder, folder, user="Bob", out=out) == 2
    assert "photo folder itself" in out.getvalue()
    with Session.open(folder, "Alice"):
        out = io.StringIO()
        assert export_command.run(folder, tmp_path / "up", user="Bob", out=out) == 2
        assert "open in photoscreen by Alice" in out.getvalue()
    data = (folder / "IMG_1.jpg").read_bytes()
    (folder / "IMG_1.jpg").write_bytes(data[: len(data) // 2])
    with Session.open(folder, "Alice") as session:  # damaged, yet recorded as checked
        digest = scan_damaged(session, folder / "IMG_1.jpg")
        make_ready(session, digest)
    out = io.StringIO()
    assert export_command.run(folder, tmp_path / "up", user="Bob", out=out) == 1
    assert "FAILED   IMG_1.jpg" in out.getvalue()


def scan_damaged(session: Session, path: Path) -> str:
    from photoscreen.core.imaging.loading import photo_hash

    digest = photo_hash(path.read_bytes())
    session.record_scan(path, digest, 64, 48, "JPEG", [], "test")
    return digest


def test_files_scan_could_not_read_are_listed_with_the_reason(folder: Path) -> None:
    (folder / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42 not a photo")
    with Session.open(folder, "Alice") as session:
        session.record_unreadable(folder / "clip.mp4", "videos are not supported")
    out = io.StringIO()
    status_command.run(folder, as_json=True, out=out)
    by_file = {p["file"]: p for p in json.loads(out.getvalue())["photos"]}
    assert by_file["clip.mp4"]["status"] == "unreadable"
    assert by_file["clip.mp4"]["reasons"] == ["Could not be read: videos are not supported"]
