"""A session database edited by hand: the edit shows, and what it would let out stays in.

Each case makes a folder with decisions in photoscreen, closes it, edits the database
with plain SQL as someone with write access to the files could (dropping the append-only
triggers first where needed), then opens it again and exports. The photos whose records
changed are withheld with a reason naming what disagrees; the session says the records
were changed outside photoscreen. On the code before the chained trail every one of
these edits was exported (or went unnoticed).
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from photoscreen.commands import export as export_command
from photoscreen.commands import status as status_command
from photoscreen.core.basics.geometry import Box
from photoscreen.core.render import safe_export
from photoscreen.core.rules.review import ReviewRefused, hash_pin
from photoscreen.core.session.folder_session import Session
from photoscreen.core.storage.location import DB_NAME, SESSION_DIR_NAME
from photoscreen.core.storage.migrations import MIGRATIONS
from photoscreen.core.storage.records_check import (
    CHANGED_OUTSIDE,
    SETTINGS_CHANGED_OUTSIDE,
    TRAIL_CUT,
)
from photoscreen.core.trail import audit_chain, trail_anchor
from photoscreen.core.workflows.export import export_photos
from tests.helpers.session_fixtures import detection, make_ready, scan, write_photo

PIN = "482915"
NAMES = ("ready.jpg", "flagged.jpg", "swimming.jpg", "unclothed.jpg")
Hashes = dict[str, str]


def decided_folder(tmp_path: Path) -> tuple[Path, Hashes]:
    """Four photos: one ready, one asked about, one of swimming, one marked unclothed by
    Bob (last, so taking the trail's last entries off takes his mark's entry)."""
    folder = tmp_path / "photos"
    folder.mkdir()
    with Session.open(folder, "Alice") as session:
        session.settings.pin.change(PIN)
        session.settings.set_export(quality=80)
        session.settings.activity_list.add("Outings", blocked=True)
        hashes = {}
        for seed, name in enumerate(NAMES, start=1):
            write_photo(folder / name, seed)
            hashes[name] = scan(session, folder / name, [detection(Box(10, 10, 20, 20))])
        make_ready(session, hashes["ready.jpg"])
        make_ready(session, hashes["flagged.jpg"])
        session.flag_for_review(hashes["flagged.jpg"], "is the apron logo ok?")
        make_ready(session, hashes["swimming.jpg"], "swimming")
        make_ready(session, hashes["unclothed.jpg"])
        session.change_user("Bob")
        session.set_unclothed(hashes["unclothed.jpg"], True)
    return folder, hashes


def edit(folder: Path, *statements: str | tuple[str, tuple[object, ...]]) -> None:
    """Change the folder's session file with plain SQL, as any SQLite tool would."""
    conn = sqlite3.connect(folder / SESSION_DIR_NAME / DB_NAME)
    for trigger in ("audit_no_update", "audit_no_delete"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for trigger in ("audit_chain_no_update", "audit_chain_no_delete"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for statement in statements:
        sql, params = statement if isinstance(statement, tuple) else (statement, ())
        conn.execute(sql, params)
    conn.commit()
    conn.close()


def reopen_and_export(folder: Path, upload: Path) -> tuple[str | None, dict[str, tuple[str, ...]]]:
    """Open the folder again and export: what the session says, and what was held back."""
    with Session.open(folder, "Carol") as session:
        problem = session.records_problem
        summary = export_photos(session, upload)
    written = {w.source.name for w in summary.written}
    withheld = {w.source.name: w.reasons for w in summary.withheld}
    assert written | set(withheld) == set(NAMES)
    return problem, withheld


def test_untouched_records_raise_nothing(tmp_path: Path) -> None:
    folder, _ = decided_folder(tmp_path)
    problem, withheld = reopen_and_export(folder, tmp_path / "upload")
    assert problem is None
    assert "ready.jpg" not in withheld
    assert not any(CHANGED_OUTSIDE in r for reasons in withheld.values() for r in reasons)


PhotoEdit = Callable[[Hashes], list[str | tuple[str, tuple[object, ...]]]]
PHOTO_EDITS: dict[str, tuple[PhotoEdit, str, str]] = {
    "approve a flagged photo": (
        lambda h: [
            (
                "UPDATE photos SET verdict = 'approved', reviewer = 'Sam', reviewed_at = 't' "
                "WHERE hash = ?",
                (h["flagged.jpg"],),
            )
        ],
        "flagged.jpg",
        "manager's decision",
    ),
    "withdraw the question to the manager": (
        lambda h: [("DELETE FROM questions WHERE photo_hash = ?", (h["flagged.jpg"],))],
        "flagged.jpg",
        "questions to the manager",
    ),
    "put another name on the question": (
        lambda h: [("UPDATE questions SET who = 'Sam' WHERE photo_hash = ?", (h["flagged.jpg"],))],
        "flagged.jpg",
        "questions to the manager",
    ),
    "make the question one of this sitting's": (
        lambda h: [
            ("UPDATE questions SET sitting = 'x' WHERE photo_hash = ?", (h["flagged.jpg"],))
        ],
        "flagged.jpg",
        "questions to the manager",
    ),
    "put another name on the unclothed mark": (
        lambda h: [
            (
                "UPDATE photos SET unclothed_by = 'Alice', unclothed_sitting = NULL WHERE hash = ?",
                (h["unclothed.jpg"],),
            )
        ],
        "unclothed.jpg",
        "unclothed mark",
    ),
    "clear an unclothed mark": (
        lambda h: [("UPDATE photos SET unclothed = 0 WHERE hash = ?", (h["unclothed.jpg"],))],
        "unclothed.jpg",
        "unclothed mark",
    ),
    "retag swimming as messy play": (
        lambda h: [
            (
                "UPDATE photos SET activity = 'messy_play' WHERE hash = ?",
                (h["swimming.jpg"],),
            )
        ],
        "swimming.jpg",
        "activity",
    ),
    "delete a face box": (
        lambda h: [("DELETE FROM faces WHERE photo_hash = ?", (h["ready.jpg"],))],
        "ready.jpg",
        "face boxes",
    ),
    "mark consent on a face": (
        lambda h: [("UPDATE faces SET consent_by = 'x' WHERE photo_hash = ?", (h["ready.jpg"],))],
        "ready.jpg",
        "face boxes",
    ),
    "dismiss a face": (
        lambda h: [
            ("UPDATE faces SET state = 'dismissed' WHERE photo_hash = ?", (h["ready.jpg"],))
        ],
        "ready.jpg",
        "face boxes",
    ),
    "delete the photo's row": (
        lambda h: [
            ("DELETE FROM faces WHERE photo_hash = ?", (h["unclothed.jpg"],)),
            ("DELETE FROM photos WHERE hash = ?", (h["unclothed.jpg"],)),
        ],
        "unclothed.jpg",
        "unclothed mark",
    ),
    "clear the mark and add a forged entry without its link": (
        lambda h: [
            ("UPDATE photos SET unclothed = 0 WHERE hash = ?", (h["unclothed.jpg"],)),
            (
                "INSERT INTO audit (at, who, action, photo_hash, details) "
                "VALUES ('t', 'Bob', 'set_unclothed', ?, '{\"unclothed\": false}')",
                (h["unclothed.jpg"],),
            ),
        ],
        "unclothed.jpg",
        "unclothed mark",
    ),
}


@pytest.mark.parametrize("case", sorted(PHOTO_EDITS))
def test_a_photo_whose_records_were_edited_is_withheld_naming_what(
    tmp_path: Path, case: str
) -> None:
    folder, hashes = decided_folder(tmp_path)
    statements, photo, words = PHOTO_EDITS[case]
    edit(folder, *statements(hashes))
    problem, withheld = reopen_and_export(folder, tmp_path / "upload")
    assert problem is not None and "changed outside photoscreen" in problem
    reason = withheld[photo][0]
    assert reason.startswith(f"{CHANGED_OUTSIDE}: ") and words in reason
    # The others are judged as before: only the edited photo is held for it.
    assert "ready.jpg" not in withheld or photo == "ready.jpg"


SETTING_EDITS: dict[str, tuple[str, str]] = {
    "reviewer PIN": ("review.pin_hash", json.dumps(hash_pin("731946"))),
    "export quality": ("export.quality", "95"),
    "activity list": ("activities", "[]"),  # every block the centre set, gone
}


@pytest.mark.parametrize("words", sorted(SETTING_EDITS))
def test_edited_settings_hold_every_photo(tmp_path: Path, words: str) -> None:
    folder, _ = decided_folder(tmp_path)
    key, value = SETTING_EDITS[words]
    edit(folder, ("UPDATE settings SET value = ? WHERE key = ?", (value, key)))
    problem, withheld = reopen_and_export(folder, tmp_path / "upload")
    assert problem is not None and words in problem
    assert set(withheld) == set(NAMES)
    assert f"{SETTINGS_CHANGED_OUTSIDE}: {words}" in withheld["ready.jpg"]


def test_a_setting_added_by_hand_is_found(tmp_path: Path) -> None:
    folder, _ = decided_folder(tmp_path)
    edit(folder, "INSERT INTO settings (key, value) VALUES ('export.long_side', '300')")
    problem, withheld = reopen_and_export(folder, tmp_path / "upload")
    assert problem is not None and "export size" in problem
    assert set(withheld) == set(NAMES)


def _entry_id(folder: Path, action: str) -> int:
    conn = sqlite3.connect(folder / SESSION_DIR_NAME / DB_NAME)
    try:
        return int(
            conn.execute("SELECT max(id) FROM audit WHERE action = ?", (action,)).fetchone()[0]
        )
    finally:
        conn.close()


TRAIL_EDITS: dict[str, Callable[[Path], list[str]]] = {
    "an entry changed": lambda f: [
        f"UPDATE audit SET who = 'Mallory' WHERE id = {_entry_id(f, 'set_unclothed')}"
    ],
    "an entry deleted": lambda f: [f"DELETE FROM audit WHERE id = {_entry_id(f, 'flag')}"],
    "two entries swapped": lambda f: [
        "UPDATE audit SET details = CASE id WHEN 1 THEN (SELECT details FROM audit WHERE id = 2) "
        "ELSE (SELECT details FROM audit WHERE id = 1) END WHERE id IN (1, 2)"
    ],
    "an entry added": lambda f: [
        "INSERT INTO audit (at, who, action, photo_hash, details) "
        "VALUES ('t', 'Mallory', 'export_started', NULL, '{}')"
    ],
    # Below the first link, where photoscreen never writes (ids start at 1).
    "an entry added before the first": lambda f: [
        "INSERT INTO audit (id, at, who, action, photo_hash, details) "
        "VALUES (-7, 't', 'Mallory', 'export_started', NULL, '{}')"
    ],
    "an entry added as number 0": lambda f: [
        "INSERT INTO audit (id, at, who, action, photo_hash, details) "
        "VALUES (0, 't', 'Mallory', 'export_started', NULL, '{}')"
    ],
    "a link changed": lambda f: ["UPDATE audit_chain SET link = 'x' WHERE audit_id = 3"],
    "a link deleted": lambda f: ["DELETE FROM audit_chain WHERE audit_id = 3"],
}


@pytest.mark.parametrize("case", sorted(TRAIL_EDITS))
def test_an_edited_trail_is_reported_and_lets_nothing_new_out(tmp_path: Path, case: str) -> None:
    folder, _ = decided_folder(tmp_path)
    _, before = reopen_and_export(folder, tmp_path / "before")
    edit(folder, *TRAIL_EDITS[case](folder))
    problem, withheld = reopen_and_export(folder, tmp_path / "after")
    assert problem is not None and "The audit trail:" in problem
    assert set(before) <= set(withheld)
    # Recorded once, as a checkpoint: the next open starts from a trail that holds.
    with Session.open(folder, "Dan") as session:
        trail = session.audit_trail()
        assert [e.action for e in trail].count("records_changed_outside") == 1
        assert session.records_problem is None or "The audit trail:" not in session.records_problem


def _cut_trail_back(folder: Path, to_id: int) -> None:
    """Take the trail back to entry ``to_id``, with the decisions made after it: a
    shorter trail that holds in itself."""
    edit(
        folder,
        f"DELETE FROM audit WHERE id > {to_id}",
        f"DELETE FROM audit_chain WHERE audit_id > {to_id}",
        "UPDATE photos SET unclothed = 0, unclothed_by = NULL, unclothed_at = NULL, "
        "unclothed_sitting = NULL",
    )


def test_a_trail_cut_back_with_its_decisions_is_found_on_a_pc_that_saw_it(
    tmp_path: Path,
) -> None:
    folder, _ = decided_folder(tmp_path)
    _cut_trail_back(folder, _entry_id(folder, "set_unclothed") - 1)
    problem, withheld = reopen_and_export(folder, tmp_path / "upload")
    assert problem is not None and TRAIL_CUT in problem
    assert set(withheld) == set(NAMES)
    assert all(TRAIL_CUT in w for w in withheld["unclothed.jpg"])


def test_without_this_pc_s_copy_of_the_head_a_cut_back_trail_cannot_be_seen(
    tmp_path: Path,
) -> None:
    """The limit docs/tamper-evidence.md states: with no secret and no copy of the head
    elsewhere, a trail cut back together with its decisions is a valid shorter trail."""
    folder, _ = decided_folder(tmp_path)
    anchor = trail_anchor.anchor_path(folder.resolve() / SESSION_DIR_NAME / DB_NAME)
    anchor.unlink()  # another PC, which never had the folder open
    _cut_trail_back(folder, _entry_id(folder, "set_unclothed") - 1)
    problem, withheld = reopen_and_export(folder, tmp_path / "upload")
    assert problem is None
    assert "unclothed.jpg" not in withheld


def test_a_decision_on_another_part_does_not_launder_the_edit(tmp_path: Path) -> None:
    folder, hashes = decided_folder(tmp_path)
    digest = hashes["unclothed.jpg"]
    edit(folder, ("UPDATE photos SET unclothed = 0 WHERE hash = ?", (digest,)))
    with Session.open(folder, "Carol") as session:
        session.set_excluded(digest, True)
        session.set_excluded(digest, False)
        session.add_face(digest, Box(30, 20, 10, 10))
        session.set_faces_checked(digest)
    with Session.open(folder, "Carol") as session:
        held = session.photo(digest)
        assert held is not None and held.records_changed
        assert "unclothed mark" in held.records_changed[0]
        # Deciding that part again, in photoscreen, is what settles it.
        session.set_unclothed(digest, True)
        assert session.photo(digest).records_changed == ()  # type: ignore[union-attr]
    with Session.open(folder, "Carol") as session:
        assert session.records_problem is None


def test_an_edit_made_while_exporting_holds_the_photo_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export asks again just before it names each file, as it asks about eligibility."""
    folder, hashes = decided_folder(tmp_path)
    real_check = safe_export._check_written

    def check_written(path: Path, expected: bytes, size: tuple[int, int]) -> list[str]:
        edit(
            folder,
            ("UPDATE faces SET consent_by = 'x' WHERE photo_hash = ?", (hashes["ready.jpg"],)),
        )
        return real_check(path, expected, size)

    monkeypatch.setattr(safe_export, "_check_written", check_written)
    with Session.open(folder, "Carol") as session:
        summary = export_photos(session, tmp_path / "upload")
    assert summary.written == []
    assert [
        (w.source.name, w.reasons) for w in summary.withheld if w.source.name == "ready.jpg"
    ] == [("ready.jpg", (f"{CHANGED_OUTSIDE}: face boxes",))]
    assert list((tmp_path / "upload").iterdir()) == []


def test_a_decision_written_without_its_entry_is_refused(tmp_path: Path) -> None:
    folder, hashes = decided_folder(tmp_path)
    with Session.open(folder, "Carol") as session:
        with pytest.raises(audit_chain.UnrecordedChange), session.store.transaction() as conn:
            conn.execute("UPDATE photos SET excluded = 1 WHERE hash = ?", (hashes["ready.jpg"],))
        assert session.photo(hashes["ready.jpg"]).excluded is False  # type: ignore[union-attr]


def _v2_session(folder: Path) -> None:
    """A session as photoscreen saved it before the trail was chained (schema 2)."""
    (folder / SESSION_DIR_NAME).mkdir(parents=True)
    conn = sqlite3.connect(folder / SESSION_DIR_NAME / DB_NAME)
    conn.execute("BEGIN")
    for step in (*MIGRATIONS[0], *MIGRATIONS[1]):
        assert isinstance(step, str)
        conn.execute(step)
    conn.execute("UPDATE schema_version SET version = 2")
    conn.execute("INSERT INTO photos (hash, activity, unclothed) VALUES ('abc', 'messy_play', 1)")
    conn.execute("INSERT INTO photos (hash, flagged_by, flag_note) VALUES ('def', 'Al', 'ok?')")
    conn.execute("INSERT INTO audit (at, who, action, photo_hash) VALUES ('t', 'Al', 'x', 'abc')")
    conn.execute("INSERT INTO settings (key, value) VALUES ('export.quality', '80')")
    conn.commit()
    conn.close()


def test_an_older_session_is_sealed_once_as_it_is_then_checked(tmp_path: Path) -> None:
    _v2_session(tmp_path)
    with Session.open(tmp_path, "Alice") as session:
        assert session.records_problem is None
        sealed = [e for e in session.audit_trail() if e.action == "records_sealed"]
        assert len(sealed) == 1 and sealed[0].who == "photoscreen"
    with Session.open(tmp_path, "Alice") as session:
        assert [e.action for e in session.audit_trail()].count("records_sealed") == 1
    # Sealed after the flags became questions (schema 4), so the questions are sealed too.
    edit(
        tmp_path,
        "UPDATE photos SET unclothed = 0 WHERE hash = 'abc'",
        "DELETE FROM questions WHERE photo_hash = 'def'",
    )
    with Session.open(tmp_path, "Alice") as session:
        photo = session.photo("abc")
        assert photo is not None
        assert photo.records_changed == (f"{CHANGED_OUTSIDE}: unclothed mark",)
        asked = session.photo("def")
        assert asked is not None and not asked.flagged
        assert asked.records_changed == (f"{CHANGED_OUTSIDE}: questions to the manager",)


@pytest.mark.parametrize("how", ["a forged entry added", "his entry edited"])
def test_a_hand_made_entry_does_not_make_someone_the_one_who_marked_it(
    tmp_path: Path, how: str
) -> None:
    """Who may clear an unclothed mark without the PIN is the sitting kept with the mark
    (sealed by the chain), never read from the trail: an entry made by hand names nobody."""
    folder, hashes = decided_folder(tmp_path)
    digest = hashes["unclothed.jpg"]
    if how == "a forged entry added":
        edit(
            folder,
            (
                "INSERT INTO audit (at, who, action, photo_hash, details) "
                "VALUES ('t', 'Alice', 'set_unclothed', ?, '{\"unclothed\": true}')",
                (digest,),
            ),
        )
    else:
        edit(
            folder,
            f"UPDATE audit SET who = 'Alice' WHERE id = {_entry_id(folder, 'set_unclothed')}",
        )
    with Session.open(folder, "Alice") as session:
        assert session.unclothed_mark_needing_pin(digest) is not None
        with pytest.raises(ReviewRefused):
            session.set_unclothed(digest, False)
        session.set_unclothed(digest, False, pin=PIN)  # the manager still can


def test_the_command_line_says_so_too(tmp_path: Path) -> None:
    folder, hashes = decided_folder(tmp_path)
    edit(folder, ("UPDATE photos SET unclothed = 0 WHERE hash = ?", (hashes["unclothed.jpg"],)))
    out = io.StringIO()
    assert status_command.run(folder, as_json=False, out=out) == 0
    said = out.getvalue()
    assert "Note: This folder's records were changed outside photoscreen." in said
    assert f"{CHANGED_OUTSIDE}: unclothed mark" in said
    out = io.StringIO()
    assert export_command.run(folder, tmp_path / "up", user="Carol", out=out) == 0
    assert "changed outside photoscreen" in out.getvalue()
    assert [p.name for p in (tmp_path / "up").iterdir()] == ["messy-play-001.jpg"]


def test_a_session_started_again_from_nothing_is_not_taken_for_a_cut_trail(
    tmp_path: Path,
) -> None:
    folder, _ = decided_folder(tmp_path)
    (folder / SESSION_DIR_NAME / DB_NAME).unlink()  # "start again": no decisions to trust
    centre = tmp_path / "centre.json"  # which adds its settings to the new trail at once
    with Session.open(folder, "Carol", centre_file=centre) as session:
        session.settings.set_export(quality=70)
    with Session.open(folder, "Carol", centre_file=centre) as session:
        assert session.records_problem is None
    (folder / SESSION_DIR_NAME / DB_NAME).unlink()
    with Session.open(folder, "Carol", centre_file=centre) as session:
        assert [e.action for e in session.audit_trail()] == ["settings_from_centre"]
        assert session.records_problem is None


def test_a_block_lifted_by_hand_is_found(tmp_path: Path) -> None:
    folder, hashes = decided_folder(tmp_path)
    with Session.open(folder, "Alice") as session:
        session.set_activity(hashes["ready.jpg"], "outings")  # blocked by the centre
    conn = sqlite3.connect(folder / SESSION_DIR_NAME / DB_NAME)
    (stored,) = conn.execute("SELECT value FROM settings WHERE key = 'activities'").fetchone()
    conn.close()
    lifted = [
        {**item, "blocked": False} if item["key"] == "outings" else item
        for item in json.loads(stored)
    ]
    edit(folder, ("UPDATE settings SET value = ? WHERE key = 'activities'", (json.dumps(lifted),)))
    problem, withheld = reopen_and_export(folder, tmp_path / "upload")
    assert problem is not None and "activity list" in problem
    assert f"{SETTINGS_CHANGED_OUTSIDE}: activity list" in withheld["ready.jpg"]


def test_what_other_paths_write_is_chained_and_a_hand_edit_of_it_found(tmp_path: Path) -> None:
    """Every path that writes a decision part records it in the chain: a picture read
    again at another size (its face check cleared, photo_size_changed), wrong PINs
    (pin_refused, no part), a change of name (user_changed), marks and questions with
    their sittings. The trail then holds; putting the cleared check back by hand is found."""
    folder, hashes = decided_folder(tmp_path)
    digest = hashes["ready.jpg"]
    with Session.open(folder, "Alice") as session:
        session.record_scan(folder / "ready.jpg", digest, 48, 64, "JPEG", None, "test")
        with pytest.raises(ReviewRefused):
            session.approve(hashes["flagged.jpg"], "Sam", pin="999991")
        session.change_user("Dan")
        session.flag_for_review(digest, "is this one all right?")
        session.set_unclothed(digest, True)
        session.set_unclothed(digest, False)
        session.unflag(digest)
        actions = {e.action for e in session.audit_trail()}
        assert {"photo_size_changed", "pin_refused", "user_changed"} <= actions
        assert session.photo(digest).faces_checked_by is None  # type: ignore[union-attr]
    with Session.open(folder, "Carol") as session:
        assert session.records_problem is None
    edit(
        folder,
        (
            "UPDATE photos SET faces_checked_by = 'Alice', faces_checked_at = 't' WHERE hash = ?",
            (digest,),
        ),
    )
    problem, withheld = reopen_and_export(folder, tmp_path / "upload")
    assert problem is not None
    assert withheld["ready.jpg"][0] == f"{CHANGED_OUTSIDE}: faces checked"
