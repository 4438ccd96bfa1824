"""A centre file anyone at the PC can write never changes a folder's reviewer PIN, nor
weakens a rule, without the old PIN: a PIN change it carries counts only with its proof.

The attack: Alice writes her own PIN's hash into her centre file together with the
folder's current hash (readable in the folder's database) as "replaced", and the folder
took her PIN. The property test gives an attacker everything readable in the folder and
every way to write the centre file, and checks the folder's PIN and rules are unchanged.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photoscreen.core.render.redact import RedactionStyle
from photoscreen.core.rules.policy import PhotoState
from photoscreen.core.rules.review import ReviewRefused, hash_pin_with_key, pin_key
from photoscreen.core.session.folder_session import Session
from photoscreen.core.settings.centre_settings import SettingPartlySaved
from photoscreen.core.settings.pin_change import make_change, parse_changes
from photoscreen.core.storage.centre_file import CentreFile
from tests.helpers.session_fixtures import make_ready, scan, write_photo, write_recorded

MANAGER_PIN = "472915"
NEW_PIN = "803164"
NEWEST_PIN = "915372"
ALICE_PIN = "kq7-wx"


def folder_pin_row(folder: Path) -> str | None:
    """The PIN hash the folder's own database holds, read as anyone could."""
    conn = sqlite3.connect(folder / ".photoscreen" / "session.sqlite3")
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'review.pin_hash'").fetchone()
    finally:
        conn.close()
    return None if row is None else json.loads(row[0])


def flagged_folder(root: Path, manager_centre: Path) -> tuple[Path, str]:
    """A folder whose PIN the manager set, with a photo Bob flagged (ready otherwise)."""
    folder = root / "Messy play"
    folder.mkdir()
    write_photo(folder / "a.jpg", 1)
    with Session.open(folder, "Manager", centre_file=manager_centre) as session:
        session.settings.pin.change(MANAGER_PIN)
        session.settings.activity_list.set_blocked("cooking", True, "knives")
        session.settings.set_export(long_side=1024, quality=85, style=RedactionStyle.FILL)
    with Session.open(folder, "Bob") as session:
        digest = scan(session, folder / "a.jpg")
        make_ready(session, digest)
        session.flag_for_review(digest, "ok?")
    return folder, digest


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    folder, digest = flagged_folder(tmp_path, tmp_path / "manager-pc" / "centre.json")
    yield folder, digest, tmp_path / "alices-pc" / "centre.json"


def test_a_centre_file_naming_the_folders_pin_as_replaced_does_not_change_it(
    setup: tuple[Path, str, Path],
) -> None:
    """The reported attack, in both the old form and with a change record she can make."""
    folder, digest, alices_centre = setup
    folder_hash = folder_pin_row(folder)
    assert folder_hash is not None
    alice_hash, alice_key = hash_pin_with_key(ALICE_PIN)
    forged = make_change(folder_hash, secrets.token_bytes(32), ALICE_PIN, alice_hash, alice_key)
    assert forged is not None
    CentreFile(alices_centre).update(
        {
            "review.pin_hash": alice_hash,
            "review.replaced_pin_hashes": [folder_hash],
            "review.pin_changes": [forged.to_json()],
        }
    )
    with Session.open(folder, "Alice", centre_file=alices_centre) as session:
        with pytest.raises(ReviewRefused, match="not right"):
            session.approve(digest, "Sam", pin=ALICE_PIN)
        assert session.status(digest).state is PhotoState.AWAITING_REVIEW
        with pytest.raises(ReviewRefused):
            session.settings.activity_list.set_blocked("cooking", False, pin=ALICE_PIN)
    assert folder_pin_row(folder) == folder_hash
    with Session.open(folder, "Sam", centre_file=alices_centre) as session:
        session.approve(digest, "Sam", pin=MANAGER_PIN)


def test_the_managers_new_pin_reaches_an_older_folder_through_its_proof(tmp_path: Path) -> None:
    """Changed twice elsewhere: the newest PIN opens the older folder at once (the folder
    takes it), and the PINs it replaced stop working there."""
    manager_centre = tmp_path / "manager-pc" / "centre.json"
    folder, digest = flagged_folder(tmp_path, manager_centre)
    elsewhere = tmp_path / "Story time"
    elsewhere.mkdir()
    with Session.open(elsewhere, "Manager", centre_file=manager_centre) as session:
        session.settings.pin.change(NEW_PIN, current_pin=MANAGER_PIN)
        session.settings.pin.change(NEWEST_PIN, current_pin=NEW_PIN)
    assert len(parse_changes(CentreFile(manager_centre).values()["review.pin_changes"])) == 2
    with Session.open(folder, "Sam", centre_file=manager_centre) as session:
        centre_pin = CentreFile(manager_centre).values()["review.pin_hash"]
        assert folder_pin_row(folder) != centre_pin  # not merely by opening
        session.reject(digest, "Sam", pin=NEWEST_PIN)
        taken = [e for e in session.audit_trail() if e.action == "pin_taken_from_centre"]
        assert len(taken) == 1
        for old in (MANAGER_PIN, NEW_PIN):
            with pytest.raises(ReviewRefused, match="not right"):
                session.approve(digest, "Sam", pin=old)
        session.approve(digest, "Sam", pin=NEWEST_PIN)
    newest = folder_pin_row(folder)
    assert newest is not None and pin_key(NEWEST_PIN, newest) is not None


def test_an_old_pin_that_got_out_stops_working_in_an_older_folder(tmp_path: Path) -> None:
    manager_centre = tmp_path / "manager-pc" / "centre.json"
    folder, digest = flagged_folder(tmp_path, manager_centre)
    elsewhere = tmp_path / "Story time"
    elsewhere.mkdir()
    with Session.open(elsewhere, "Manager", centre_file=manager_centre) as session:
        session.settings.pin.change(NEW_PIN, current_pin=MANAGER_PIN)
    with Session.open(folder, "Alice", centre_file=manager_centre) as session:
        with pytest.raises(ReviewRefused, match="replaced by a new one"):
            session.approve(digest, "Sam", pin=MANAGER_PIN)
        assert session.status(digest).state is PhotoState.AWAITING_REVIEW
        assert not [e for e in session.audit_trail() if e.action == "pin_refused"]
    new_hash = folder_pin_row(folder)
    assert new_hash is not None and pin_key(NEW_PIN, new_hash) is not None


def test_a_folder_from_elsewhere_does_not_carry_a_lifted_block_into_the_centre(
    tmp_path: Path,
) -> None:
    """The manager blocked cooking for this centre. A folder that does not block it (from
    another PC, or edited) is worked on here: its list must not become the centre's."""
    centre = tmp_path / "centre.json"
    first = tmp_path / "First"
    first.mkdir()
    with Session.open(first, "Manager", centre_file=centre) as session:
        session.settings.pin.change(MANAGER_PIN)
        session.settings.activity_list.set_blocked("cooking", True, "knives")
    other = tmp_path / "From another PC"
    other.mkdir()
    with Session.open(other, "Alice", centre_file=tmp_path / "other-pc.json") as session:
        session.settings.activity_list.add("Pond dipping")
    with Session.open(other, "Alice", centre_file=centre) as session:
        assert not next(a for a in session.activities() if a.key == "cooking").blocked
        session.settings.activity_list.rename("stay_and_play", "Stay & play")
    saved = CentreFile(centre).values()["activities"]
    cooking = next(a for a in saved if a["key"] == "cooking")
    assert cooking["blocked"] and cooking["block_reason"] == "knives"
    assert any(a["label"] == "Stay & play" for a in saved)


# --- the property -------------------------------------------------------------------------


def cheap_hash(pin: str) -> tuple[str, bytes]:
    """A PIN hash and key as photoscreen makes them, at a tiny scrypt cost: an attacker
    may write any cost into their file, and the test runs many of them."""
    salt = secrets.token_bytes(16)
    out = hashlib.scrypt(pin.encode(), salt=salt, n=16, r=8, p=1, dklen=64)
    return f"scrypt2$16$8$1${salt.hex()}${out[:32].hex()}", out[32:]


ATTACKER_PINS = ("kq7-wx", "305817")
ATTACKERS = tuple(cheap_hash(pin) for pin in ATTACKER_PINS)


def _record(draw: Any, folder_hash: str) -> dict[str, str]:
    """A change record an attacker can write: any hashes they know, a proof and a seal
    made with any key they have (their own PINs' or random), or parts of other records."""
    old = draw(st.sampled_from((folder_hash, *[h for h, _ in ATTACKERS])))
    (new, new_key), new_pin = draw(
        st.sampled_from(list(zip(ATTACKERS, ATTACKER_PINS, strict=True)))
    )
    sealed_pin = draw(st.sampled_from((*ATTACKER_PINS, "000000", "")))  # "" : the new PIN
    old_key = draw(st.sampled_from((secrets.token_bytes(32), *[k for _, k in ATTACKERS])))
    change = make_change(old, old_key, sealed_pin or new_pin, new, new_key)
    assert change is not None
    record = change.to_json()
    if draw(st.booleans()):
        record["proof"] = secrets.token_hex(32)
    return record


@st.composite
def attacker_centre(draw: Any, folder_hash: str) -> dict[str, Any]:
    pins = [folder_hash, *[h for h, _ in ATTACKERS], None]
    content: dict[str, Any] = {}
    if draw(st.booleans()):
        content["review.pin_hash"] = draw(st.sampled_from(pins))
    if draw(st.booleans()):
        content["review.replaced_pin_hashes"] = draw(st.lists(st.sampled_from(pins), max_size=3))
    content["review.pin_changes"] = [
        _record(draw, folder_hash) for _ in range(draw(st.integers(0, 3)))
    ]
    if draw(st.booleans()):
        content["activities"] = [{"key": "cooking", "label": "Cooking", "blocked": False}]
    if draw(st.booleans()):
        content.update({"export.long_side": 256, "export.quality": 50})
        content["export.redaction_style"] = draw(st.sampled_from([s.value for s in RedactionStyle]))
    return content


@pytest.fixture(scope="module")
def protected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("protected")
    folder, digest = flagged_folder(root, root / "manager-pc" / "centre.json")
    with Session.open(folder, "Manager") as session:
        # The same PIN at a tiny scrypt cost, so many examples run in little time.
        write_recorded(
            session.store,
            "UPDATE settings SET value = ? WHERE key = 'review.pin_hash'",
            (json.dumps(cheap_hash(MANAGER_PIN)[0]),),
        )
    return folder, digest


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_centre_file_a_non_pin_holder_writes_changes_the_folders_pin_or_rules(
    protected: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    folder, digest = protected
    folder_hash = folder_pin_row(folder)
    assert folder_hash is not None
    centre = tmp_path_factory.mktemp("attacker") / "centre.json"
    CentreFile(centre).update(data.draw(attacker_centre(folder_hash)))
    # Each PIN is checked on its merits: a clock that jumps an hour at every look means
    # no wait after wrong PINs ever hides what a PIN would have opened.
    hours = itertools.count(0.0, 3600.0)
    with Session.open(folder, "Alice", centre_file=centre, clock=lambda: next(hours)) as session:
        for pin in ATTACKER_PINS:
            with pytest.raises(ReviewRefused):
                session.approve(digest, "Sam", pin=pin)
            with pytest.raises(ReviewRefused):
                session.settings.activity_list.set_blocked("cooking", False, pin=pin)
            # Refused, or only their own centre file's PIN removed ("partly saved").
            with pytest.raises((ReviewRefused, SettingPartlySaved)):
                session.settings.pin.change(None, current_pin=pin)
        assert next(a for a in session.activities() if a.key == "cooking").blocked
        options = session.export_options()
        assert (options.long_side, options.quality, options.style) == (
            1024,
            85,
            RedactionStyle.FILL,
        )
        assert session.status(digest).state is PhotoState.AWAITING_REVIEW
        assert session.settings.pin.hash == folder_hash
        session.settings.pin.check(MANAGER_PIN, purpose="approve", missing="")  # still opens
    assert folder_pin_row(folder) == folder_hash
