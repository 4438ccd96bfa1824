"""The manager reviewing a folder staff have open (core/session/review.py,
core/storage/review_access.py): verdicts only, never overwriting either side's work,
the audit chain one chain, nothing lost when either process is killed mid-write."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from photoscreen.core.basics.geometry import Box
from photoscreen.core.rules.policy import PhotoState, Verdict
from photoscreen.core.rules.review import ReviewRefused
from photoscreen.core.session.folder_session import DecisionError, Session, SessionLocked
from photoscreen.core.storage import StoreError
from photoscreen.core.storage.migrations import LATEST
from tests.helpers.session_fixtures import make_ready, scan, write_photo

PHOTOS = 6
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Six photos read, ready, and asked about by Sam (folder closed again)."""
    for i in range(PHOTOS):
        write_photo(tmp_path / f"p{i}.jpg", i)
    with Session.open(tmp_path, "Sam") as staff:
        for i in range(PHOTOS):
            digest = scan(staff, tmp_path / f"p{i}.jpg")
            make_ready(staff, digest)
            staff.flag_for_review(digest, f"photo {i}?")
    return tmp_path


def _hashes(session: Session) -> list[str]:
    return [e.photo_hash or "" for e in session.photos()]


def _audit_count(session: Session) -> int:
    return len(session.audit_trail())


def test_the_manager_reviews_beside_staff_and_neither_loses_work(folder: Path) -> None:
    with Session.open(folder, "Sam") as staff:
        with pytest.raises(SessionLocked) as locked:
            Session.open(folder, "Morgan")
        with Session.open_to_review(folder, "Morgan", locked.value.holder) as manager:
            assert manager.review_only is not None and "Sam on" in manager.review_only.notice
            first, second, third = _hashes(manager)[:3]
            manager.approve(first, "Morgan", note="fine")
            staff.set_activity(second, "story_time")  # staff go on deciding meanwhile
            manager.reject(third, "Morgan", note="no")
            staff.flag_for_review(_hashes(staff)[4], "and this one?")
            # Each sees the other's work, read afresh from the one database.
            assert staff.status(first).state is PhotoState.READY
            assert staff.photo(third).verdict is Verdict.REJECTED
            assert manager.photo(second).activity == "story_time"
            assert manager.photo(_hashes(staff)[4]).questions[-1].note == "and this one?"
            assert manager.check_records().clean and staff.check_records().clean
    with Session.open(folder, "Sam") as again:
        assert again.check_records().clean
        assert again.status(first).exportable
        actions = [e.action for e in again.audit_trail()]
        assert actions.count("approved") == 1 and actions.count("rejected") == 1


def test_nothing_but_a_verdict_is_saved_when_opened_to_review(folder: Path) -> None:
    with Session.open(folder, "Sam"), Session.open_to_review(folder, "Morgan", None) as manager:
        digest = _hashes(manager)[0]
        before = _audit_count(manager)
        attempts = [
            lambda: manager.set_activity(digest, "story_time"),
            lambda: manager.set_excluded(digest, True),
            lambda: manager.set_unclothed(digest, True),
            lambda: manager.set_faces_checked(digest, False),
            lambda: manager.flag_for_review(digest, "mine"),
            lambda: manager.add_face(digest, Box(1, 1, 10, 10)),
            lambda: manager.change_user("Someone Else"),
            lambda: manager.log_event("export_started", None, {}),
            lambda: manager.settings.set_export(long_side=800),
        ]
        for attempt in attempts:
            with pytest.raises(DecisionError, match="opened to review only"):
                attempt()
        # Deny by default: any write at all, not only the verbs above, outside a verdict.
        with (
            pytest.raises(DecisionError, match="opened to review only"),
            manager.store.transaction(),
        ):
            pass
        assert _audit_count(manager) == before
        assert not manager.can_undo
        manager.approve(digest, "Morgan")  # a verdict still goes through
        assert _audit_count(manager) == before + 1


def test_a_verdict_on_a_photo_changed_since_it_was_shown_is_refused(folder: Path) -> None:
    with Session.open(folder, "Sam") as staff, Session.open_to_review(
        folder, "Morgan", None
    ) as manager:
        digest = _hashes(manager)[0]
        shown = manager.photo(digest)
        staff.add_face(digest, Box(2, 2, 20, 20))  # a face boxed after the manager looked
        for verdict in (manager.approve, manager.reject):
            with pytest.raises(ReviewRefused, match="changed after it was shown to you"):
                verdict(digest, "Morgan", note="n", seen=shown)
        assert manager.photo(digest).verdict is None
        manager.approve(digest, "Morgan", seen=manager.photo(digest))
        assert staff.photo(digest).verdict is Verdict.APPROVED


def test_a_session_of_another_schema_is_not_shared_nor_changed(folder: Path) -> None:
    db = folder / ".photoscreen" / "session.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("UPDATE schema_version SET version = ?", (LATEST - 1,))
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(StoreError, match="older version of photoscreen"):
        Session.open_to_review(folder, "Morgan", None)
    assert db.read_bytes() == before
    empty = folder / "empty"
    empty.mkdir()
    with pytest.raises(StoreError, match="nothing to review"):
        Session.open_to_review(empty, "Morgan", None)
    assert list(empty.iterdir()) == []


def test_a_change_saved_by_another_photoscreen_is_noticed(folder: Path) -> None:
    with Session.open(folder, "Sam") as staff, Session.open_to_review(
        folder, "Morgan", None
    ) as manager:
        seen, mine = manager.store.data_version(), staff.store.data_version()
        assert manager.store.data_version() == seen  # nothing new: no refresh needed
        manager.approve(_hashes(manager)[0], "Morgan")
        assert manager.store.data_version() == seen  # its own write is not news
        assert staff.store.data_version() != mine  # the manager's verdict is news there
        mine = staff.store.data_version()
        staff.set_excluded(_hashes(staff)[1], True)
        assert staff.store.data_version() == mine
        assert manager.store.data_version() != seen


# Two real processes ---------------------------------------------------------------------

_STAFF = """
import sys, time
from pathlib import Path
from photoscreen.core.session.folder_session import Session
folder, rounds = Path(sys.argv[1]), int(sys.argv[2])
with Session.open(folder, 'Sam') as s:
    print('open', flush=True)
    hashes = [e.photo_hash for e in s.photos()]
    for r in range(rounds):
        for h in hashes:
            s.set_activity(h, 'story_time' if r % 2 else 'messy_play')
    print('done', flush=True)
    sys.stdin.readline()
"""

_REVIEWER = """
import sys
from pathlib import Path
from photoscreen.core.session.folder_session import Session
folder = Path(sys.argv[1])
with Session.open_to_review(folder, 'Morgan', None) as s:
    hashes = [e.photo_hash for e in s.photos()]
    print('open', flush=True)
    r = 0
    while True:
        for h in hashes:
            (s.approve if r % 2 else s.reject)(h, 'Morgan', note=f'round {r}')
        r += 1
"""


def _python(code: str, *args: str, stdin: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stdin=subprocess.PIPE if stdin else None,
        text=True,
    )


def test_staff_and_manager_processes_writing_at_once_lose_nothing(folder: Path) -> None:
    """Staff (a second process, holding the lock) re-tag every photo round after round
    while the manager (a third, killed mid-write) gives verdict after verdict: every
    write is whole, the trail is one chain, and staff's last tags all stand."""
    staff = _python(_STAFF, str(folder), "30", stdin=True)
    reviewer = None
    try:
        assert staff.stdout is not None and staff.stdout.readline().strip() == "open"
        reviewer = _python(_REVIEWER, str(folder))
        assert reviewer.stdout is not None and reviewer.stdout.readline().strip() == "open"
        assert staff.stdout.readline().strip() == "done"
        time.sleep(0.3)
        os.kill(reviewer.pid, signal.SIGKILL)  # wherever it was: mid-transaction, likely
        reviewer.wait()
        assert staff.stdin is not None
        staff.stdin.write("\n")
        staff.stdin.flush()
        assert staff.wait(timeout=60) == 0
    finally:
        for process in (staff, reviewer):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    with Session.open(folder, "Check") as after:
        assert after.store.integrity_ok()
        assert after.check_records().clean
        trail = after.audit_trail()
        verdicts = [e for e in trail if e.action in ("approved", "rejected")]
        assert verdicts, "the manager's verdicts were saved"
        for entry in after.photos():
            decided = entry.decisions
            assert decided is not None and decided.activity == "story_time"  # round 29
            assert decided.verdict is None or decided.reviewer == "Morgan"


_STAFF_FOREVER = """
import sys
from pathlib import Path
from photoscreen.core.session.folder_session import Session
with Session.open(Path(sys.argv[1]), 'Sam') as s:
    hashes = [e.photo_hash for e in s.photos()][2:]  # not the two the manager answers
    print('open', flush=True)
    r = 0
    while True:
        for h in hashes:
            s.set_excluded(h, bool(r % 2))
        r += 1
"""


def test_staff_killed_mid_write_leave_the_manager_and_the_next_opener_whole(
    folder: Path,
) -> None:
    """The lock's holder is killed while writing: the manager reviewing beside it goes
    on (the half-written change is rolled back, never read), and staff opening the
    folder again take the dead lock over and find every verdict and a whole chain."""
    staff = _python(_STAFF_FOREVER, str(folder))
    try:
        assert staff.stdout is not None and staff.stdout.readline().strip() == "open"
        with Session.open_to_review(folder, "Morgan", None) as manager:
            hashes = _hashes(manager)
            manager.approve(hashes[0], "Morgan")
            time.sleep(0.3)
            os.kill(staff.pid, signal.SIGKILL)
            staff.wait()
            manager.reject(hashes[1], "Morgan", note="no")
            assert manager.store.integrity_ok()
    finally:
        if staff.poll() is None:
            staff.kill()
            staff.wait()
    with Session.open(folder, "Sam") as again:  # the dead process's lock is recovered
        assert again.store.integrity_ok() and again.check_records().clean
        assert again.photo(hashes[0]).verdict is Verdict.APPROVED
        assert again.photo(hashes[1]).verdict is Verdict.REJECTED
