"""The audit trail on its own: the replay of the chain gives the decisions recorded, and
any edit of an entry, a link or a decision made outside photoscreen shows in it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from photoscreen.core.session import Session
from photoscreen.core.storage.location import DB_NAME, SESSION_DIR_NAME
from photoscreen.core.trail import audit, audit_chain
from tests.helpers.session_fixtures import make_ready, scan, write_photo

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(st.dictionaries(st.text(max_size=4), json_values, max_size=5))
def test_the_same_data_always_has_one_spelling(value: dict[str, object]) -> None:
    reordered = dict(reversed(list(value.items())))
    assert audit_chain.canonical(reordered) == audit_chain.canonical(value)


@given(st.text(max_size=6), st.lists(json_values, max_size=4), json_values, st.integers(0, 2))
def test_a_link_changes_with_anything_it_covers(
    previous: str, entry: list[object], state: object, which: int
) -> None:
    link = audit_chain.link_of(previous, tuple(entry), state)
    changed = [
        (previous + "x", tuple(entry), state),
        (previous, (*entry, "x"), state),
        (previous, tuple(entry), {"was": state}),
    ][which]
    assert audit_chain.link_of(*changed) != link


def _decided_folder(tmp_path: Path) -> tuple[Path, str]:
    digest = write_photo(tmp_path / "a.jpg", 1)
    with Session.open(tmp_path, "Alice") as session:
        scan(session, tmp_path / "a.jpg")
        make_ready(session, digest)
    return tmp_path / SESSION_DIR_NAME / DB_NAME, digest


def test_replaying_an_untouched_trail_gives_the_decisions_recorded(tmp_path: Path) -> None:
    db, digest = _decided_folder(tmp_path)
    with sqlite3.connect(db) as conn:
        replayed = audit_chain.replay(conn)
        now = audit_chain.current_state(conn)
        names = [e.action for e in audit.entries(conn, digest)]
    assert replayed.trusted and not replayed.unlinked
    recorded = replayed.photos[digest]
    assert {"activity", "faces_checked"} <= set(recorded)
    assert all(value == now["photos"][digest][part] for part, value in recorded.items())
    assert len(names) >= 2


def test_an_entry_edited_by_hand_breaks_the_chain(tmp_path: Path) -> None:
    db, _ = _decided_folder(tmp_path)
    with sqlite3.connect(db) as conn:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute("UPDATE audit SET who = 'Mallory' WHERE id = (SELECT max(id) FROM audit)")
        assert not audit_chain.replay(conn).trusted


def test_an_entry_added_by_hand_is_reported_as_unlinked(tmp_path: Path) -> None:
    db, digest = _decided_folder(tmp_path)
    with sqlite3.connect(db) as conn:
        audit.record(conn, "Mallory", "faces_checked", digest)
        replayed = audit_chain.replay(conn)
    assert replayed.unlinked, "an entry with no link must be reported"
