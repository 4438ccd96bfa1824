"""The register's chained trail: a hand edit of the register file never lets a photo out
that the register, as its trail recorded it, would hold back."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photoscreen.core.basics import Box
from photoscreen.core.consent import (
    ConsentCheck,
    ConsentError,
    ConsentRegister,
    Kind,
    NewPerson,
    RegisterProblem,
)
from photoscreen.core.consent.schema import PERSON_COLUMNS
from photoscreen.core.rules import FaceRecord, FaceSource, FaceState, PhotoDecisions
from photoscreen.core.rules.review import ReviewRefused
from tests.helpers.consent_fixtures import PIN, FakeClock, consenting, open_register

COLUMNS = [c.strip() for c in PERSON_COLUMNS.split(",")]


def raw(path: Path) -> sqlite3.Connection:
    """The register file as an SQLite tool sees it: no triggers stop an edit."""
    conn = sqlite3.connect(path, isolation_level=None)
    for trigger in ("audit_no_update", "audit_no_delete", "audit_chain_no_update",
                    "audit_chain_no_delete"):  # fmt: skip
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    return conn


def photo_of(person_id: str, *, shown: bool) -> PhotoDecisions:
    face = FaceRecord(1, Box(10, 10, 50, 50), FaceSource.HAND, FaceState.FACE,
                      consent_by="Ann" if shown else None, person_id=person_id)  # fmt: skip
    return PhotoDecisions(f"hash-{person_id}-{shown}", faces=(face,))


def held(register: ConsentRegister, clock: FakeClock, photo: PhotoDecisions) -> bool:
    check = ConsentCheck(register, None, clock)
    try:
        return bool(check.reasons(photo))
    except RegisterProblem:
        return True


def a_register(path: Path, clock: FakeClock) -> tuple[ConsentRegister, list[str]]:
    """Five people, one in each state export tells apart."""
    register = open_register(path, clock)
    lapsed = clock.today - timedelta(days=5)
    ids = [
        register.add(consenting("Ava", clock)).id,  # current
        register.add(consenting("Ben", clock)).id,  # to be withdrawn
        register.add(consenting("Cal", clock, never_publish=True, never_publish_reason="x")).id,
        register.add(consenting("Dee", clock, days_ago=400, review_on=lapsed)).id,
        register.add(NewPerson("Eve", Kind.ADULT, False)).id,  # no consent
    ]
    register.withdraw(ids[1])
    return register, ids


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_a_withdrawal_cleared_by_hand_holds_the_photo_and_says_why(
    tmp_path: Path, clock: FakeClock
) -> None:
    register, ids = a_register(tmp_path / "register.sqlite3", clock)
    ben = ids[1]
    assert held(register, clock, photo_of(ben, shown=True))
    with raw(register.path) as conn:
        conn.execute("UPDATE people SET withdrawn_at = NULL, withdrawn_by = NULL WHERE id = ?",
                     (ben,))  # fmt: skip
    reasons = ConsentCheck(register, None, clock).reasons(photo_of(ben, shown=True))
    assert reasons and "changed outside photoscreen" in reasons[0] and "withdrawal" in reasons[0]
    assert held(register, clock, photo_of(ben, shown=False))  # linked, blurred: held too
    assert ben not in {p.id for p in register.with_current_consent()}  # not offered
    assert ben in register.findings().people
    assert register.findings().summary() is not None
    assert not held(register, clock, photo_of(ids[0], shown=True))  # Ava's row is intact


def test_the_managers_change_starts_from_the_recorded_row(
    tmp_path: Path, clock: FakeClock
) -> None:
    register, ids = a_register(tmp_path / "register.sqlite3", clock)
    cal = ids[2]
    with raw(register.path) as conn:
        conn.execute("UPDATE people SET never_publish = 0 WHERE id = ?", (cal,))
    renewed = register.give_consent(cal, given_by="Dad", given_on=clock.today)
    assert renewed.never_publish  # the hand-cleared mark is back
    assert register.findings().clean
    assert held(register, clock, photo_of(cal, shown=False))
    entry = register.audit_trail(cal)[-1]
    assert entry.details["restored_from_trail"] == ["never publish changed"]


def test_the_manager_accepts_the_register_as_it_is_with_the_pin(
    tmp_path: Path, clock: FakeClock
) -> None:
    register = open_register(tmp_path / "register.sqlite3", clock, with_pin=True)
    eve = register.add(NewPerson("Eve", Kind.ADULT, False), pin=PIN)
    with raw(register.path) as conn:
        conn.execute("UPDATE people SET name = 'Evie' WHERE id = ?", (eve.id,))
    with pytest.raises(ReviewRefused):
        register.accept_as_is()
    accepted = register.accept_as_is(pin=PIN)
    assert accepted.people == {eve.id: ("the name changed",)}
    assert register.findings().clean
    assert register.audit_trail()[-1].action == "register_accepted"


def test_a_trail_cut_back_with_its_rows_is_found_on_a_pc_that_saw_it(
    tmp_path: Path, clock: FakeClock
) -> None:
    register, ids = a_register(tmp_path / "register.sqlite3", clock)
    ben = ids[1]
    assert register.findings().clean  # this PC keeps the trail's head
    with raw(register.path) as conn:  # take the withdrawal off the end, and put consent back
        last = conn.execute("SELECT max(id) FROM audit").fetchone()[0]
        conn.execute("DELETE FROM audit WHERE id = ?", (last,))
        conn.execute("DELETE FROM audit_chain WHERE audit_id = ?", (last,))
        conn.execute("UPDATE people SET withdrawn_at = NULL, withdrawn_by = NULL WHERE id = ?",
                     (ben,))  # fmt: skip
    found = register.findings()
    assert found.trail and not found.people
    assert held(register, clock, photo_of(ben, shown=True))
    assert held(register, clock, photo_of(ids[0], shown=True))  # everyone linked: held


def test_a_register_made_before_the_chain_is_sealed_as_it_is(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "register.sqlite3"
    _, ids = a_register(path, clock)
    with raw(path) as conn:  # as schema 1 left it
        conn.execute("DROP TABLE audit_chain")
        conn.execute("PRAGMA user_version = 1")
    again = open_register(path, clock)
    assert again.findings().clean
    assert again.audit_trail()[-1].action == "register_sealed"
    assert held(again, clock, photo_of(ids[1], shown=True))
    assert not held(again, clock, photo_of(ids[0], shown=True))


def test_removing_a_person_holds_every_photo_linked_to_them_and_is_audited(
    tmp_path: Path, clock: FakeClock
) -> None:
    register = open_register(tmp_path / "register.sqlite3", clock, with_pin=True)
    sam = register.add(consenting("Sam", clock), pin=PIN)
    assert not held(register, clock, photo_of(sam.id, shown=False))
    with pytest.raises(ReviewRefused):
        register.remove(sam.id)
    register.remove(sam.id, pin=PIN)
    assert register.person(sam.id) is None
    assert register.findings().clean
    reasons = ConsentCheck(register, None, clock).reasons(photo_of(sam.id, shown=False))
    assert reasons and "not in the register" in reasons[0]
    entry = register.audit_trail(sam.id)[-1]
    assert (entry.action, entry.details["name"]) == ("person_removed", "Sam")
    with pytest.raises(ConsentError):
        register.remove(sam.id, pin=PIN)


# The class: any hand edit of the register file -----------------------------------------

VALUES = st.sampled_from([0, 1, None, "", "x", "2026-02-01", "2099-12-31", "P-000000",
                          "2026-02-20T10:00:00+00:00", "child", "adult"])  # fmt: skip
ROW_EDIT = st.tuples(st.just("row"), st.integers(0, 4), st.sampled_from(COLUMNS), VALUES)
DELETE_ROW = st.tuples(st.just("delete"), st.integers(0, 4))
ADD_ROW = st.tuples(st.just("add"))
TRAIL_EDIT = st.tuples(
    st.just("trail"),
    st.sampled_from(["audit", "audit_chain"]),
    st.sampled_from(["update", "delete"]),
    st.integers(1, 9),
)
EDIT = st.one_of(ROW_EDIT, DELETE_ROW, ADD_ROW, TRAIL_EDIT)


def apply_edit(conn: sqlite3.Connection, ids: list[str], edit: tuple[object, ...]) -> None:
    kind = edit[0]
    try:
        if kind == "row":
            _, who, column, value = edit
            conn.execute(f"UPDATE people SET {column} = ? WHERE id = ?", (value, ids[who]))  # type: ignore[index]
        elif kind == "delete":
            conn.execute("DELETE FROM people WHERE id = ?", (ids[edit[1]],))  # type: ignore[index]
        elif kind == "add":
            values = ["P-FFFFFF", "Zed", "child", 1, "Mum", "2026-02-01", "2099-01-01", None,
                      None, 0, "", "2026-02-01T10:00:00+00:00", "Manager"]  # fmt: skip
            conn.execute(f"INSERT INTO people ({PERSON_COLUMNS}) VALUES ({','.join('?' * 13)})",
                         values)  # fmt: skip
        else:
            _, table, how, number = edit
            key = "id" if table == "audit" else "audit_id"
            if how == "delete":
                conn.execute(f"DELETE FROM {table} WHERE {key} = ?", (number,))
            elif table == "audit":
                conn.execute("UPDATE audit SET details = '{}' WHERE id = ?", (number,))
            else:
                conn.execute("UPDATE audit_chain SET state = NULL WHERE audit_id = ?", (number,))
    except sqlite3.IntegrityError:
        pass  # refused by the file's own checks: nothing changed


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(EDIT, min_size=1, max_size=3))
def test_no_hand_edit_lets_out_a_photo_the_trail_would_hold_back(
    edits: list[tuple[object, ...]],
) -> None:
    clock = FakeClock()
    with tempfile.TemporaryDirectory() as folder:
        register, ids = a_register(Path(folder) / "register.sqlite3", clock)
        photos = [photo_of(pid, shown=s) for pid in [*ids, "P-FFFFFF"] for s in (True, False)]
        before = [held(register, clock, photo) for photo in photos]
        # shown, blurred: Ava (current), Ben (withdrawn), Cal (never publish), Dee
        # (lapsed), Eve (no consent), and someone not in the register
        assert before == [False, False, True, False, True, True, True, False, True, False,
                          True, True]  # fmt: skip
        with raw(register.path) as conn:
            rows_before = rows(conn)
            for edit in edits:
                apply_edit(conn, ids, edit)
            rows_after = rows(conn)
        after = [held(register, clock, photo) for photo in photos]
        for photo, was, now in zip(photos, before, after, strict=True):
            assert now or not was, f"{photo.photo_hash} got out after {edits}"
        changed = {
            pid
            for pid in {*rows_before, *rows_after}
            if rows_before.get(pid) != rows_after.get(pid)
        }
        for photo, now in zip(photos, after, strict=True):
            person = photo.faces[0].person_id
            assert now or person not in changed, f"{person}'s edited row let a photo out"


def rows(conn: sqlite3.Connection) -> dict[str, tuple[object, ...]]:
    return {str(r[0]): tuple(r) for r in conn.execute(f"SELECT {PERSON_COLUMNS} FROM people")}


def test_rows_are_compared_at_every_check_and_the_whole_trail_on_a_full_one(
    tmp_path: Path, clock: FakeClock
) -> None:
    register, ids = a_register(tmp_path / "register.sqlite3", clock)
    assert register.findings().clean  # the replay is kept from here on
    later = register.add(consenting("Fay", clock))  # links added since are read
    assert register.findings().clean
    with raw(register.path) as conn:  # a row edited: every check sees it
        conn.execute("UPDATE people SET consent = 1 WHERE id = ?", (ids[4],))
    assert set(register.findings().people) == {ids[4]}
    with raw(register.path) as conn:  # an old entry edited: only a full read sees it
        conn.execute("UPDATE audit SET who = 'Nobody' WHERE id = 1")
    assert not register.findings().trail
    broken = register.findings(full=True)  # nobody is trusted on a broken trail
    assert broken.trail == ("entry 1 was changed",)
    assert not broken.trusted(later.id) and not broken.trusted(ids[0])
