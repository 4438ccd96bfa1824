"""Centre-wide settings on this PC: a reviewer PIN, blocked activity or export size set in
one folder carries over to every new folder, and nobody can get round the PIN by opening
a new folder, by changing the PIN without the current one, or by a damaged settings file.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from photoscreen.commands import export as export_command
from photoscreen.commands import status as status_command
from photoscreen.core.render.redact import RedactionStyle
from photoscreen.core.render.safe_export import ExportOptions
from photoscreen.core.rules.policy import PhotoState, default_activities
from photoscreen.core.rules.review import ReviewRefused
from photoscreen.core.session.folder_session import Session
from photoscreen.core.settings.centre_settings import SettingError, SettingPartlySaved
from photoscreen.core.storage.centre_file import CentreFile, default_centre_path
from tests.helpers.session_fixtures import jpeg_bytes, make_ready, scan, write_photo

# Not hex, so it cannot turn up inside a hash by chance.
PIN = "kq7-wx"
OTHER_PIN = "zt9-pm"


@pytest.fixture
def centre(tmp_path: Path) -> Path:
    return tmp_path / "config" / "photoscreen" / "centre.json"


def new_folder(tmp_path: Path, name: str, seed: int = 1) -> tuple[Path, Path]:
    """A folder holding one photo; returns (folder, photo)."""
    folder = tmp_path / name
    folder.mkdir()
    photo = folder / "IMG_0001.jpg"
    write_photo(photo, seed)
    return folder, photo


def folder_with_centre_pin(tmp_path: Path, name: str, centre: Path) -> tuple[Path, Path]:
    """A new folder in which the manager sets the centre's reviewer PIN; (folder, photo)."""
    folder, photo = new_folder(tmp_path, name, 1)
    with Session.open(folder, "Manager", centre_file=centre) as session:
        session.settings.pin.change(PIN)
    return folder, photo


def flagged_by_alice(folder: Path, photo: Path, centre: Path | None) -> tuple[Session, str]:
    """Alice opens the folder, gets the photo ready and flags it for review."""
    session = Session.open(folder, "Alice", centre_file=centre)
    digest = scan(session, photo)
    make_ready(session, digest)
    session.flag_for_review(digest, "is the badge ok?")
    return session, digest


def test_a_pin_set_in_one_folder_protects_a_new_folder(tmp_path: Path, centre: Path) -> None:
    folder_with_centre_pin(tmp_path, "Messy play", centre)
    folder, photo = new_folder(tmp_path, "Story time", 2)
    session, digest = flagged_by_alice(folder, photo, centre)
    with session:
        assert session.settings.pin.is_set
        # Alice approving her own flag under another name is exactly what the PIN stops.
        with pytest.raises(ReviewRefused, match="Enter the reviewer PIN"):
            session.approve(digest, "Sam")
        with pytest.raises(ReviewRefused, match="not right"):
            session.approve(digest, "Sam", pin=OTHER_PIN)
        assert session.status(digest).state is PhotoState.AWAITING_REVIEW
        session.approve(digest, "Sam", pin=PIN)
        assert session.status(digest).exportable


def test_a_new_folder_keeps_the_centre_pin_for_a_reviewer_on_another_pc(
    tmp_path: Path, centre: Path
) -> None:
    folder_with_centre_pin(tmp_path, "Messy play", centre)
    folder, photo = new_folder(tmp_path, "Outing", 2)
    session, digest = flagged_by_alice(folder, photo, centre)
    session.close()
    other_pc = tmp_path / "other-pc" / "centre.json"  # knows nothing of this centre
    with Session.open(folder, "Sam", centre_file=other_pc) as session:
        with pytest.raises(ReviewRefused, match="Enter the reviewer PIN"):
            session.approve(digest, "Sam")
        session.approve(digest, "Sam", pin=PIN)
    with Session.open(folder, "Sam") as session:  # and with no centre file at all
        assert session.settings.pin.is_set


def test_a_new_folder_starts_from_every_centre_setting(tmp_path: Path, centre: Path) -> None:
    first, _ = new_folder(tmp_path, "First", 1)
    with Session.open(first, "Manager", centre_file=centre) as session:
        session.settings.activity_list.add("Forest school")
        session.settings.activity_list.set_blocked("messy_play", True, "paint on bare arms")
        session.settings.set_export(long_side=640, quality=70, style=RedactionStyle.MOSAIC)
    folder, photo = new_folder(tmp_path, "Second", 2)
    with Session.open(folder, "Alice", centre_file=centre) as session:
        digest = scan(session, photo)
        make_ready(session, digest, "messy_play")
        assert session.status(digest).reasons == ("Blocked: paint on bare arms (policy)",)
        assert "Forest school" in [a.label for a in session.activities()]
        options = session.export_options()
        assert (options.long_side, options.quality, options.style) == (
            640,
            70,
            RedactionStyle.MOSAIC,
        )
        trail = [e for e in session.audit_trail() if e.action == "settings_from_centre"]
        assert len(trail) == 1 and "export.quality" in trail[0].details["keys"]
    # Kept in the folder itself: the same rules without this PC's centre file.
    with Session.open(folder, "Sam") as session:
        assert session.status(digest).state is PhotoState.BLOCKED
        assert session.export_options().long_side == 640


def test_a_folder_keeps_its_own_settings_when_the_centre_changes(
    tmp_path: Path, centre: Path
) -> None:
    older, _ = new_folder(tmp_path, "Older", 1)
    with Session.open(older, "Manager", centre_file=centre) as session:
        session.settings.set_export(quality=60)
    newer, _ = new_folder(tmp_path, "Newer", 2)
    with Session.open(newer, "Manager", centre_file=centre) as session:
        assert session.settings.quality == 60  # started from the centre
        session.settings.set_export(quality=85)
    with Session.open(older, "Manager", centre_file=centre) as session:
        assert session.settings.quality == 60  # its own value is never overwritten
    assert CentreFile(centre).values()["export.quality"] == 85


def test_changes_are_saved_to_the_folder_and_the_centre_file_pin_only_as_a_hash(
    tmp_path: Path, centre: Path
) -> None:
    folder, _ = new_folder(tmp_path, "Folder", 1)
    with Session.open(folder, "Manager", centre_file=centre) as session:
        session.settings.pin.change(PIN)
        session.settings.set_export(long_side=1024)
        db = session.session_dir / "session.sqlite3"
    stored = json.loads(centre.read_text("utf-8"))["settings"]
    assert stored["export.long_side"] == 1024
    assert stored["review.pin_hash"].startswith("scrypt2$")
    conn = sqlite3.connect(db)
    folder_pin = conn.execute("SELECT value FROM settings WHERE key = 'review.pin_hash'")
    assert json.loads(folder_pin.fetchone()[0]).startswith("scrypt2$")
    conn.close()
    for path in (centre, db):
        assert PIN.encode() not in path.read_bytes()
    assert [p.name for p in centre.parent.iterdir()] == ["centre.json"]  # no temp files left


def test_the_pin_cannot_be_removed_or_replaced_from_a_new_folder_without_it(
    tmp_path: Path, centre: Path
) -> None:
    folder_with_centre_pin(tmp_path, "First", centre)
    folder, photo = new_folder(tmp_path, "Second", 2)
    session, digest = flagged_by_alice(folder, photo, centre)
    with session:
        with pytest.raises(ReviewRefused, match="Enter the current reviewer PIN"):
            session.settings.pin.change(None)
        with pytest.raises(ReviewRefused, match="not the current reviewer PIN"):
            session.settings.pin.change(OTHER_PIN, current_pin="000011")
        with pytest.raises(SettingError, match=r"pin\.change"):
            session.settings.set("review.pin_hash", None)
        with pytest.raises(ReviewRefused):
            session.approve(digest, "Sam", pin=OTHER_PIN)
    third, _ = new_folder(tmp_path, "Third", 3)
    with Session.open(third, "Alice", centre_file=centre) as session:
        assert session.settings.pin.is_set


def test_a_pin_made_up_on_another_pc_does_not_open_a_protected_folder(
    tmp_path: Path, centre: Path
) -> None:
    folder, photo = folder_with_centre_pin(tmp_path, "Shared drive", centre)
    # Alice, on her own PC, sets her own PIN in a folder of her own...
    alices_pc = tmp_path / "alices-pc" / "centre.json"
    own, _ = new_folder(tmp_path, "Alice's folder", 2)
    with Session.open(own, "Alice", centre_file=alices_pc) as session:
        session.settings.pin.change(OTHER_PIN)
    # ...then tries it on the manager's folder: only her own PC's PIN changes.
    session, digest = flagged_by_alice(folder, photo, alices_pc)
    with session:
        assert session.settings.pin.is_set
        with pytest.raises(SettingPartlySaved, match="this folder has its own PIN"):
            session.settings.pin.change("abcd-19", current_pin=OTHER_PIN)
        with pytest.raises(ReviewRefused, match="not right"):
            session.approve(digest, "Sam", pin="abcd-19")
        with pytest.raises(ReviewRefused, match="not right"):
            session.approve(digest, "Sam", pin=OTHER_PIN)
        session.approve(digest, "Sam", pin=PIN)


def test_the_folder_pin_applies_else_the_centre_pin(tmp_path: Path, centre: Path) -> None:
    folder, photo = new_folder(tmp_path, "Folder", 1)
    session, digest = flagged_by_alice(folder, photo, centre)
    with session:
        session.settings.pin.change(PIN)
        # Removed for this folder and the centre: no PIN anywhere.
        session.settings.pin.change(None, current_pin=PIN)
        assert not session.settings.pin.is_set
        # Another folder sets a centre PIN; this folder, which has none of its own, needs it.
        other, _ = new_folder(tmp_path, "Other", 2)
        with Session.open(other, "Manager", centre_file=centre) as elsewhere:
            elsewhere.settings.pin.change(OTHER_PIN)
        with pytest.raises(ReviewRefused, match="Enter the reviewer PIN"):
            session.approve(digest, "Sam")
        session.approve(digest, "Sam", pin=OTHER_PIN)


def test_a_pin_changed_for_the_centre_replaces_it_in_older_folders(
    tmp_path: Path, centre: Path
) -> None:
    older, photo = folder_with_centre_pin(tmp_path, "Older", centre)
    newer, _ = new_folder(tmp_path, "Newer", 2)
    with Session.open(newer, "Manager", centre_file=centre) as session:
        session.settings.pin.change(OTHER_PIN, current_pin=PIN)  # the old one got out
    session, digest = flagged_by_alice(older, photo, centre)
    with session:
        with pytest.raises(ReviewRefused, match="replaced by a new one on this PC"):
            session.approve(digest, "Sam", pin=PIN)
        session.approve(digest, "Sam", pin=OTHER_PIN)
    with Session.open(older, "Sam") as session:  # updated in the folder itself
        assert session.settings.pin.hash == CentreFile(centre).values()["review.pin_hash"]


@pytest.mark.parametrize(
    "content",
    [b"{ not json", b"\xff\xfe\x00", b"[1, 2]", b'{"settings": {}}', b""],
)
def test_a_damaged_centre_file_is_reported_and_defaults_are_used(
    tmp_path: Path, centre: Path, content: bytes
) -> None:
    centre.parent.mkdir(parents=True)
    centre.write_bytes(content)
    folder, _ = new_folder(tmp_path, "Folder", 1)
    with Session.open(folder, "Alice", centre_file=centre) as session:
        assert session.centre_problem is not None
        assert str(centre) in session.centre_problem
        assert "could not be read" in session.centre_problem
        assert session.settings.quality == 90 and not session.settings.pin.is_set
        session.settings.set_export(quality=75)  # saving starts a good file afresh
        assert session.centre_problem is None
    assert CentreFile(centre).values() == {"export.quality": 75}
    assert (centre.parent / "centre.json.unreadable").read_bytes() == content


def test_unusable_values_in_the_centre_file_are_reported_one_by_one(
    tmp_path: Path, centre: Path
) -> None:
    centre.parent.mkdir(parents=True)
    settings = {
        "export.quality": 500,
        "export.long_side": 800,
        "export.redaction_style": "gaussian",
        "review.pin_hash": "2468",  # a PIN in clear is never taken for a hash
        "activities": [{"label": "no key"}],
    }
    document = {"format": "photoscreen centre settings", "version": 1, "settings": settings}
    centre.write_text(json.dumps(document), "utf-8")
    folder, _ = new_folder(tmp_path, "Folder", 1)
    with Session.open(folder, "Alice", centre_file=centre) as session:
        problem = session.centre_problem or ""
        for key in ("export.quality", "export.redaction_style", "review.pin_hash", "activities"):
            assert f"'{key}'" in problem
        assert "'export.long_side'" not in problem
        assert session.settings.long_side == 800
        assert session.settings.quality == 90
        assert session.settings.redaction_style is RedactionStyle.BLUR
        assert [a.key for a in session.activities()][:2] == ["stay_and_play", "messy_play"]


def test_a_centre_file_that_cannot_be_written_keeps_the_folder_change(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("a file where the folder should be")
    centre = blocker / "photoscreen" / "centre.json"
    folder, _ = new_folder(tmp_path, "Folder", 1)
    with Session.open(folder, "Manager", centre_file=centre) as session:
        with pytest.raises(SettingPartlySaved, match="Saved for this folder"):
            session.settings.set_export(quality=66)
        assert session.settings.quality == 66
        assert session.centre_problem is None  # nothing to read is not a problem


def test_two_sessions_on_this_pc_keep_each_others_changes(tmp_path: Path, centre: Path) -> None:
    one, _ = new_folder(tmp_path, "One", 1)
    two, _ = new_folder(tmp_path, "Two", 2)
    with (
        Session.open(one, "Alice", centre_file=centre) as first,
        Session.open(two, "Bea", centre_file=centre) as second,
    ):
        first.settings.set_export(quality=71)
        second.settings.set_export(long_side=999)
        first.settings.activity_list.add("Forest school")
    values = CentreFile(centre).values()
    assert values["export.quality"] == 71 and values["export.long_side"] == 999
    assert "Forest school" in [a["label"] for a in values["activities"]]


def test_status_and_export_commands_use_the_centre_settings(tmp_path: Path, centre: Path) -> None:
    setup, _ = new_folder(tmp_path, "Setup", 1)
    with Session.open(setup, "Manager", centre_file=centre) as session:
        session.settings.activity_list.set_blocked("cooking", True, "kitchen knives")
        session.settings.set_export(long_side=300)
    photos = tmp_path / "photos"
    photos.mkdir()
    # Decisions made in a folder whose own session never stored any settings.
    with Session.open(photos, "Alice") as session:
        for seed, activity in enumerate(("cooking", "messy_play")):
            path = photos / f"IMG_{seed}.jpg"
            path.write_bytes(jpeg_bytes(seed, (640, 480)))
            make_ready(session, scan(session, path), activity)
    out = io.StringIO()
    assert status_command.run(photos, as_json=True, out=out, centre_file=centre) == 0
    reasons = {p["file"]: p["reasons"] for p in json.loads(out.getvalue())["photos"]}
    assert reasons == {"IMG_0.jpg": ["Blocked: kitchen knives (policy)"], "IMG_1.jpg": []}
    out = io.StringIO()
    code = export_command.run(photos, tmp_path / "up", user="Bea", out=out, centre_file=centre)
    assert code == 0, out.getvalue()
    (written,) = (tmp_path / "up").iterdir()
    with Image.open(written) as image:
        assert image.size == (300, 225)
    assert "IMG_0.jpg: Blocked: kitchen knives (policy)" in out.getvalue()


def test_commands_say_when_the_centre_file_is_damaged(tmp_path: Path, centre: Path) -> None:
    centre.parent.mkdir(parents=True)
    centre.write_text("{ damaged")
    folder, _ = new_folder(tmp_path, "Folder", 1)
    out = io.StringIO()
    assert status_command.run(folder, as_json=False, out=out, centre_file=centre) == 0
    assert out.getvalue().startswith(f"Note: The centre settings file {centre}")


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG layout is for Linux")
def test_the_centre_file_lives_in_the_per_user_config_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert default_centre_path() == tmp_path / "cfg" / "photoscreen" / "centre.json"
    monkeypatch.setenv("XDG_CONFIG_HOME", "cfg")  # relative: ignored, as XDG says
    assert default_centre_path() == Path.home() / ".config" / "photoscreen" / "centre.json"


CENTRE_WRITER = """
import resource, signal, sys
from dataclasses import replace
from pathlib import Path
from photoscreen.core.storage.centre_file import CentreFile
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))
CentreFile(Path(sys.argv[1])).update({"activities": [{"key": "k%d" % i, "label": "x" * 40}
                                                     for i in range(100)]})
"""


@pytest.mark.skipif(os.name != "posix", reason="file-size limits are POSIX")
def test_a_save_killed_halfway_leaves_the_old_centre_file(tmp_path: Path, centre: Path) -> None:
    CentreFile(centre).update({"export.quality": 77})
    before = centre.read_bytes()
    repo = Path(__file__).resolve().parents[3]
    killed = subprocess.run(
        [sys.executable, "-c", CENTRE_WRITER, str(centre)],
        env={**os.environ, "PYTHONPATH": str(repo)},
        cwd=repo,
        capture_output=True,
        timeout=60,
    )
    assert killed.returncode == -signal.SIGXFSZ  # stopped in the middle of the new file
    assert centre.read_bytes() == before
    assert CentreFile(centre).values() == {"export.quality": 77}
    assert CentreFile(centre).problem is None


def test_a_block_the_policy_sets_can_never_be_lifted(tmp_path: Path, centre: Path) -> None:
    """Blocked is absolute: no list, PIN, removal, re-adding or twin lets swimming out."""
    folder, photo = folder_with_centre_pin(tmp_path, "Swimming gala", centre)
    with Session.open(folder, "Manager", centre_file=centre) as session:
        digest = scan(session, photo)
        make_ready(session, digest)
        session.set_activity(digest, "swimming")
        swimming = next(a for a in session.activities() if a.key == "swimming")
        assert swimming.by_policy and swimming.blocked
        others = tuple(a for a in session.activities() if a.key != "swimming")
        attempts = [
            lambda: session.settings.activity_list.set_blocked("swimming", False, pin=PIN),
            lambda: session.settings.activity_list.replace(
                (*others, replace(swimming, blocked=False)), pin=PIN
            ),
            lambda: session.settings.activity_list.replace(others, pin=PIN),  # left out, to re-add
            lambda: session.settings.activity_list.add("swimming"),  # an unblocked twin
            lambda: session.settings.activity_list.rename("stay_and_play", "Swimming"),
        ]
        for attempt in attempts:
            with pytest.raises(SettingError):
                attempt()
        session.settings.activity_list.rename("swimming", "Swimming lessons")  # renaming is fine
        assert session.status(digest).reasons == ("Blocked: swimming involves undress (policy)",)
        assert not [e for e in session.audit_trail() if e.action == "block_lifted"]


def test_a_hand_edited_settings_file_cannot_lift_a_policy_block(
    tmp_path: Path, centre: Path
) -> None:
    folder, photo = new_folder(tmp_path, "Folder")
    edited = [{**a.to_json(), "blocked": False} for a in default_activities()]
    CentreFile(centre).update({"activities": edited})
    with Session.open(folder, "Alice", centre_file=centre) as session:
        digest = scan(session, photo)
        make_ready(session, digest)
        session.set_activity(digest, "baby_massage")
        assert session.status(digest).state is PhotoState.BLOCKED
        session.set_activity(digest, "cooking")  # the centre's own choice: not blocked
        assert session.status(digest).exportable


def test_only_the_manager_can_lift_a_block_the_centre_set(tmp_path: Path, centre: Path) -> None:
    """With a reviewer PIN set, lifting a centre's own block needs the PIN, whichever way
    the list is changed; blocking needs nothing."""
    folder, photo = folder_with_centre_pin(tmp_path, "Cooking", centre)
    with Session.open(folder, "Alice", centre_file=centre) as session:
        digest = scan(session, photo)
        make_ready(session, digest)
        session.set_activity(digest, "cooking")
        session.settings.activity_list.set_blocked(
            "cooking", True, "kitchen knives"
        )  # no PIN needed
        assert session.status(digest).state is PhotoState.BLOCKED
        unblocked = tuple(
            replace(a, blocked=False) if a.key == "cooking" else a for a in session.activities()
        )
        with pytest.raises(ReviewRefused, match="Only the manager can lift the block on Cooking"):
            session.settings.activity_list.set_blocked("cooking", False)
        with pytest.raises(ReviewRefused, match="not the reviewer PIN: Cooking stays blocked"):
            session.settings.activity_list.set_blocked("cooking", False, pin=OTHER_PIN)
        with pytest.raises(ReviewRefused, match="Only the manager"):
            session.settings.activity_list.replace(unblocked)
        assert session.settings.activity_list.lift_needs_pin("cooking")
        assert not session.settings.activity_list.lift_needs_pin("stay_and_play")
        assert session.status(digest).state is PhotoState.BLOCKED

        session.settings.activity_list.set_blocked("cooking", False, pin=PIN)
        assert session.status(digest).exportable
        lifted = [e for e in session.audit_trail() if e.action == "block_lifted"]
        assert [(e.who, e.details["label"]) for e in lifted] == [("Alice", "Cooking")]
        # Blocked again without a reason given: the earlier reason comes back.
        session.settings.activity_list.set_blocked("cooking", True)
        assert session.status(digest).reasons == ("Blocked: kitchen knives (policy)",)


def test_with_no_pin_set_anyone_can_lift_a_block_the_centre_set(tmp_path: Path) -> None:
    folder, _ = new_folder(tmp_path, "Folder")
    with Session.open(folder, "Alice") as session:
        session.settings.activity_list.set_blocked("cooking", True)
        assert not session.settings.activity_list.lift_needs_pin("cooking")
        session.settings.activity_list.set_blocked("cooking", False)
        assert not any(a.blocked for a in session.activities() if a.key == "cooking")


# Names given to activities: a block is the activity's, whatever it is called ----------

_TWINS = ["Swіmming", "SWIMMING", "Swimming.", "Swímming", "Swim ming", "Ｓｗｉｍｍｉｎｇ"]


@pytest.mark.parametrize("twin", _TWINS)
def test_an_activity_reading_as_a_blocked_one_is_refused(tmp_path: Path, twin: str) -> None:
    """An unblocked twin of "Swimming" (a Cyrillic і, capitals, an accent, a dot, a space,
    full-width letters) would be picked for swimming photos and let them out."""
    folder, _ = new_folder(tmp_path, "Folder")
    with Session.open(folder, "Alice") as session:
        with pytest.raises(SettingError, match="already an activity called Swimming"):
            session.settings.activity_list.add(twin)
        with pytest.raises(SettingError, match="already an activity called Swimming"):
            session.settings.activity_list.rename("stay_and_play", twin)
        session.settings.activity_list.add("Swimming club trip")  # another name is fine


@settings(max_examples=60, deadline=None)
@given(label=st.text(min_size=1, max_size=40))
def test_no_new_name_lifts_a_block(tmp_path_factory: pytest.TempPathFactory, label: str) -> None:
    """Renaming a blocked activity (the policy's or the centre's) to anything keeps its
    photos blocked; the name is refused or taken, nothing else changes."""
    folder, photo = new_folder(tmp_path_factory.mktemp("names"), "Folder")
    with Session.open(folder, "Alice") as session:
        session.settings.activity_list.set_blocked("cooking", True, "knives")
        digest = scan(session, photo)
        make_ready(session, digest, "cooking")
        for key in ("swimming", "cooking"):
            with contextlib.suppress(SettingError):
                session.settings.activity_list.rename(key, label)
            session.set_activity(digest, key)
            assert session.status(digest).state is PhotoState.BLOCKED


def test_a_new_folder_exports_with_the_export_s_own_defaults(tmp_path: Path) -> None:
    with Session.open(tmp_path, "Alice") as session:
        assert session.export_options() == ExportOptions()
