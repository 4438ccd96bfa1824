"""``photoscreen consent ...`` and ``photoscreen takedown``, run as the manager would, and
the takedown list end to end: export, withdraw, and the list names exactly the files."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from photoscreen.app import _command_parser
from photoscreen.commands import consent as consent_command
from photoscreen.core.basics.geometry import Box
from photoscreen.core.consent import ConsentRegister
from photoscreen.core.session import Session
from photoscreen.core.settings.declared import PIN_KEY, REGISTER_KEY
from photoscreen.core.storage.centre_file import CentreFile
from photoscreen.core.workflows import export_photos
from tests.helpers.consent_fixtures import PIN, WRONG, pin_hash
from tests.helpers.session_fixtures import make_ready, scan, write_photo


@pytest.fixture
def centre(tmp_path: Path) -> Path:
    """A centre file naming a register in a "shared drive" folder."""
    (tmp_path / "shared").mkdir()
    path = tmp_path / "centre.json"
    CentreFile(path).update({REGISTER_KEY: str(tmp_path / "shared" / "register.sqlite3")})
    return path


def run(centre: Path, *argv: str, pin: str | None = None) -> tuple[int, str]:
    out = io.StringIO()
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return pin or ""

    args = _command_parser().parse_args(list(argv))
    status = consent_command.run(args, out, centre, ask)
    if pin is None:
        assert asked == [], "a PIN was asked for with none set"
    return status, out.getvalue()


def test_add_list_withdraw_and_import(centre: Path, tmp_path: Path) -> None:
    status, said = run(centre, "consent", "add", "Sam Jones", "--consent", "yes",
                       "--given-by", "Mum", "--date", "2026-01-10")  # fmt: skip
    assert status == 0 and said.startswith("Added Sam Jones (P-")
    sheet = tmp_path / "consent.csv"
    sheet.write_text("Name,Kind,Consent,Date\nLeo,child,no,\nPriya,adult,yes,2026-02-01\n")
    assert run(centre, "consent", "import", str(sheet))[0] == 0
    status, said = run(centre, "consent", "withdraw", "sam jones")
    assert status == 0 and "photoscreen takedown P-" in said
    status, said = run(centre, "consent", "list", "--json")
    people = {p["name"]: p for p in json.loads(said)}
    assert set(people) == {"Sam Jones", "Leo", "Priya"}
    assert people["Sam Jones"]["state"] == "withdrawn" and not people["Leo"]["may_be_shown"]
    status, said = run(centre, "consent", "list")
    assert said.splitlines()[-1] == "3 people, 1 with current consent"


def test_a_bad_file_is_refused_line_by_line(centre: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "consent.csv"
    sheet.write_text("Leo,child,maybe,\nAmy,pupil,yes,2026-01-01\n")
    status, said = run(centre, "consent", "import", str(sheet))
    assert status == 1 and "Nothing was imported" in said
    assert "Line 1:" in said and "Line 2:" in said
    assert json.loads(run(centre, "consent", "list", "--json")[1]) == []


def test_changes_ask_for_the_centre_pin(centre: Path) -> None:
    CentreFile(centre).update({PIN_KEY: pin_hash()})
    status, said = run(centre, "consent", "add", "Sam", "--consent", "no", pin=WRONG)
    assert status == 1 and "not right" in said
    assert run(centre, "consent", "add", "Sam", "--consent", "no", pin=PIN)[0] == 0
    assert run(centre, "consent", "list")[0] == 0  # reading needs no PIN


def test_an_unreachable_register_is_said_plainly(tmp_path: Path) -> None:
    centre = tmp_path / "centre.json"
    CentreFile(centre).update({REGISTER_KEY: str(tmp_path / "gone" / "register.sqlite3")})
    status, said = run(centre, "consent", "list")
    assert status == 2 and "cannot be reached" in said and "is not there" in said


def test_takedown_lists_exactly_the_exported_files(centre: Path, tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    register_file = tmp_path / "shared" / "register.sqlite3"
    with Session.open(folder, "Alice", centre_file=centre) as session:
        register = ConsentRegister(register_file, "Manager", clock=session.clock)
        run(centre, "consent", "add", "Sam", "--consent", "yes", "--given-by", "Mum")
        run(centre, "consent", "add", "Kit", "--consent", "yes", "--given-by", "Dad")
        sam, kit = register.find("Sam"), register.find("Kit")
        digests = []
        for seed in range(4):
            write_photo(folder / f"p{seed}.jpg", seed)
            digest = scan(session, folder / f"p{seed}.jpg")
            face = session.add_face(digest, Box(5, 5, 20, 20))
            other = session.add_face(digest, Box(30, 5, 20, 20))
            if seed in (0, 1):
                session.show_face(digest, face, sam, register.today())
            if seed == 2:
                session.link_face(digest, other, sam.id)  # in it, blurred
            if seed in (1, 3):
                session.show_face(digest, other, kit, register.today())
            make_ready(session, digest)
            digests.append(digest)
        first = export_photos(session, tmp_path / "upload-1")
        assert len(first.written) == 4
        status, said = run(centre, "consent", "withdraw", sam.id)
        assert status == 0
        second = export_photos(session, tmp_path / "upload-2")
        assert [w.photo_hash for w in second.written] == digests[2:]  # 0, 1 held back now
    status, said = run(centre, "takedown", sam.id, "--json")
    assert status == 0
    listed = json.loads(said)["files"]
    by_hash = {w.photo_hash: w for w in first.written}
    expected = [
        (str(tmp_path / "upload-1"), by_hash[digests[0]].name, True),
        (str(tmp_path / "upload-1"), by_hash[digests[1]].name, True),
        (str(tmp_path / "upload-1"), by_hash[digests[2]].name, False),
        (str(tmp_path / "upload-2"), second.written[0].name, False),
    ]
    assert sorted((f["destination"], f["file_name"], f["face_shown"]) for f in listed) == sorted(
        expected
    )
    for entry in listed:
        assert (Path(entry["destination"]) / entry["file_name"]).is_file()
        assert entry["thumbnail"] and ".photoscreen" in entry["thumbnail"]  # the session's
        assert "Sam" not in entry["file_name"]
    kit_files = json.loads(run(centre, "takedown", "Kit", "--json")[1])["files"]
    assert len(kit_files) == 3  # p1 and p3, then p3 alone (p1 shows Sam: held back)
    status, said = run(centre, "takedown", "sam")
    assert said.startswith(f"Photos exported with Sam ({sam.id}) in them: 4")


def test_remove_check_and_accept_at_the_command_line(centre: Path, tmp_path: Path) -> None:
    run(centre, "consent", "add", "Sam Jones", "--consent", "yes", "--date", "2026-01-10")
    run(centre, "consent", "add", "Leo", "--consent", "no")
    assert run(centre, "consent", "check") == (0, "The register matches its trail.\n")
    status, said = run(centre, "consent", "remove", "leo", "moved away")
    assert status == 0 and "was removed" in said
    assert "Leo" not in run(centre, "consent", "list")[1]
    path = tmp_path / "shared" / "register.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE people SET review_on = '2099-01-01'")
    status, said = run(centre, "consent", "check")
    assert status == 1 and "the review date changed" in said
    assert "Note: The consent register was changed outside photoscreen" in run(
        centre, "consent", "list")[1]  # fmt: skip
    assert run(centre, "consent", "accept")[0] == 0
    assert run(centre, "consent", "check")[0] == 0
