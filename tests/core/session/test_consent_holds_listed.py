"""What the consent register holds back is listed as export holds it: the grid's status,
the side panel's reasons and ``photoscreen status`` use export's own check, so a photo
export would withhold for consent is never listed "ready"."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photoscreen.commands import status as status_command
from photoscreen.core.basics.geometry import Box
from photoscreen.core.consent import ConsentRegister
from photoscreen.core.rules import PhotoState
from photoscreen.core.session import Session
from photoscreen.core.settings.declared import REGISTER_KEY
from photoscreen.core.workflows import export_photos
from tests.helpers.consent_fixtures import consenting, today_clock
from tests.helpers.session_fixtures import make_ready, scan, write_photo


def _opened(tmp_path: Path) -> tuple[Session, ConsentRegister, str, str]:
    """A folder of one photo whose one face is shown for Sam, ready to go out."""
    folder = tmp_path / "photos"
    folder.mkdir()
    write_photo(folder / "a.jpg", 1)
    clock = today_clock()
    session = Session.open(folder, "Alice", clock=clock)
    path = tmp_path / "shared" / "register.sqlite3"
    path.parent.mkdir()
    session.settings.set(REGISTER_KEY, str(path))
    register = ConsentRegister(path, "Manager", clock=clock)
    sam = register.add(consenting("Sam", clock))
    digest = scan(session, folder / "a.jpg")
    session.add_face(digest, Box(10, 10, 20, 20))
    make_ready(session, digest)
    face = session.faces(digest)[0].id
    session.show_face(digest, face, sam, register.today())
    session.set_faces_checked(digest)
    return session, register, digest, sam.id


def _listed(session: Session, digest: str) -> tuple[PhotoState, tuple[str, ...]]:
    [entry] = [e for e in session.photos() if e.photo_hash == digest]
    return entry.status.state, entry.status.reasons


def _withheld(session: Session, tmp_path: Path, name: str) -> tuple[str, ...]:
    summary = export_photos(session, tmp_path / name)
    return () if summary.written else summary.withheld[0].reasons


def test_a_withdrawal_is_listed_with_exports_own_reason(tmp_path: Path) -> None:
    session, register, digest, sam = _opened(tmp_path)
    with session:
        assert _listed(session, digest) == (PhotoState.READY, ())
        register.withdraw(sam)
        state, reasons = _listed(session, digest)
        assert state is PhotoState.BLOCKED
        assert session.status(digest).reasons == reasons  # the panel's photo, one at a time
        assert _withheld(session, tmp_path, "out") == reasons
        assert "consent was withdrawn" in reasons[0]


def test_photoscreen_status_shows_the_registers_hold(tmp_path: Path) -> None:
    session, register, _, sam = _opened(tmp_path)
    with session:
        register.set_never_publish(sam, True, "court order")
    out = io.StringIO()
    assert status_command.run(session.folder, as_json=True, out=out) == 0
    [photo] = json.loads(out.getvalue())["photos"]
    assert photo["status"] == "blocked"
    assert any("never publish" in reason for reason in photo["reasons"])


EDITS = st.sampled_from([
    "UPDATE people SET withdrawn_at = '2026-01-01T00:00:00+00:00'",
    "UPDATE people SET review_on = '2001-01-01'",
    "UPDATE people SET never_publish = 1",
    "UPDATE people SET consent = 0",
    "UPDATE people SET name = 'Someone else'",
    "DELETE FROM people",
    "DELETE FROM audit_chain",
    "UPDATE audit SET who = 'Nobody'",
])  # fmt: skip


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                              HealthCheck.too_slow])  # fmt: skip
@given(edit=EDITS)
def test_the_list_and_export_agree_after_any_hand_edit_of_the_register(
    tmp_path_factory: pytest.TempPathFactory, edit: str
) -> None:
    tmp_path = tmp_path_factory.mktemp("edit")
    session, register, digest, _ = _opened(tmp_path)
    with session:
        conn = sqlite3.connect(register.path, isolation_level=None)
        for trigger in ("audit_no_update", "audit_chain_no_delete"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute(edit)
        conn.close()
        state, reasons = _listed(session, digest)
        assert state is PhotoState.BLOCKED, edit
        assert _withheld(session, tmp_path, "out") == reasons

