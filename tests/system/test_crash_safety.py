"""Nothing is lost (DESIGN.md invariant 6): kill photoscreen mid-decision and mid-export,
then check the store is intact, every confirmed decision is there, and no half-written
or unverified file sits under a final name in the upload folder.

A child process makes decisions (or exports) and prints a line after each one returns;
the parent kills it with SIGKILL at a random moment, repeated a few times.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from photoscreen.core.render.encode import is_partial_name, verify_clean_jpeg
from photoscreen.core.session.folder_session import Session
from photoscreen.core.workflows.export import export_photos
from tests.helpers.session_fixtures import make_ready, scan, write_photo

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
REPO = Path(__file__).resolve().parents[2]

DECIDER = """
import sys
from pathlib import Path
from photoscreen.core.basics.geometry import Box
from photoscreen.core.session.folder_session import Session
folder, digest, start = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
session = Session.open(folder, "Killed")
for i in range(start, start + 10000):
    session.add_face(digest, Box(i % 50, 1, 5, 5))
    session.set_excluded(digest, i % 2 == 0)
    print("done", i, flush=True)
"""

EXPORTER = """
import sys
from pathlib import Path
from photoscreen.core.session.folder_session import Session
from photoscreen.core.workflows.export import export_photos
session = Session.open(Path(sys.argv[1]), "Killed")
export_photos(session, Path(sys.argv[2]), progress=lambda p: print("at", p.done, flush=True))
print("finished", flush=True)
"""


def _child(code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env, cwd=REPO
    )


def _kill_after(child: subprocess.Popen[str], lines: int, delay: float) -> list[str]:
    """Read ``lines`` lines, wait ``delay`` seconds, SIGKILL; returns the lines read."""
    assert child.stdout is not None
    seen = []
    while len(seen) < lines:
        line = child.stdout.readline()
        if not line:
            break
        seen.append(line.strip())
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    rest = child.stdout.read()  # lines printed before the kill landed are confirmed too
    child.wait()
    return seen + rest.splitlines()


def _integrity_ok(db: Path) -> bool:
    conn = sqlite3.connect(db)
    try:
        return bool(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
    finally:
        conn.close()


def test_kill_mid_decision_loses_nothing_confirmed(tmp_path: Path) -> None:
    write_photo(tmp_path / "a.jpg", 1)
    with Session.open(tmp_path, "Alice") as session:
        digest = scan(session, tmp_path / "a.jpg")
    rng = random.Random(20240503)
    made = 0
    for _ in range(4):
        child = _child(DECIDER, str(tmp_path), digest, str(made))
        out = _kill_after(child, rng.randint(1, 25), rng.uniform(0.0, 0.02))
        confirmed = [int(line.split()[1]) for line in out if line.startswith("done ")]
        assert _integrity_ok(tmp_path / ".photoscreen" / "session.sqlite3")
        with Session.open(tmp_path, "Checker") as session:  # the dead child's lock is stale
            faces = session.faces(digest)
            trail = session.audit_trail(digest)
            # Each entry's link was saved with it: the chained trail still holds.
            assert session.records_problem is None
        # Each face is saved with its audit entry, or neither is.
        assert len(faces) == sum(e.action == "add_face" for e in trail)
        last = confirmed[-1] if confirmed else made - 1
        # Every confirmed decision is there; at most one more made it before the kill.
        assert last + 1 <= len(faces) <= last + 2
        made = len(faces)
    assert made > 4


def _big_photo(path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 255, size=(600, 800, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path, quality=92)


def test_kill_mid_export_leaves_no_half_written_file(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    with Session.open(folder, "Alice") as session:
        for seed in range(8):
            _big_photo(folder / f"IMG_{seed}.jpg", seed)
            make_ready(session, scan(session, folder / f"IMG_{seed}.jpg"))
    rng = random.Random(7)
    for attempt in range(3):
        upload = tmp_path / f"upload-{attempt}"
        child = _child(EXPORTER, str(folder), str(upload))
        _kill_after(child, rng.randint(1, 6), rng.uniform(0.0, 0.15))
        assert _integrity_ok(folder / ".photoscreen" / "session.sqlite3")
        with Session.open(folder, "Checker") as session:
            assert session.records_problem is None
            recorded = {
                (e.details["destination"], e.details["name"])
                for e in session.audit_trail()
                if e.action == "exported"
            }
        for path in upload.iterdir() if upload.exists() else []:
            if path.name.startswith("."):
                assert is_partial_name(path.name)  # a temporary file, never a final name
                continue
            assert path.name.startswith("messy-play-") and path.suffix == ".jpg"
            assert verify_clean_jpeg(path.read_bytes(), (800, 600)) == []
            # No published file without its audit entry.
            assert (str(upload.resolve()), path.name) in recorded
    with Session.open(folder, "Checker") as session:
        summary = export_photos(session, tmp_path / "upload-final")
    assert len(summary.written) == 8 and summary.ok


# Stops for good in the middle of reading back a written file to verify it, the moment
# the file exists only under its temporary name: the parent kills it there.
STALLED_VERIFIER = """
import sys, time
from pathlib import Path
from photoscreen.core.render import safe_export
from photoscreen.core.session.folder_session import Session
from photoscreen.core.workflows.export import export_photos
def stall(path, expected, size):
    print("verifying", path.name, "holding", len(path.read_bytes()), flush=True)
    time.sleep(60)
safe_export._check_written = stall
export_photos(Session.open(Path(sys.argv[1]), "Killed"), Path(sys.argv[2]))
"""


def test_kill_while_verifying_leaves_only_a_temporary_file(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    with Session.open(folder, "Alice") as session:
        _big_photo(folder / "IMG_0.jpg", 0)
        make_ready(session, scan(session, folder / "IMG_0.jpg"))
    upload = tmp_path / "upload"
    child = _child(STALLED_VERIFIER, str(folder), str(upload))
    (line,) = _kill_after(child, 1, 0.0)
    _, temporary, _, size = line.split()
    assert int(size) > 0 and is_partial_name(temporary)
    # Written in full and on disk, but not yet verified: so not under its final name.
    assert [p.name for p in upload.iterdir()] == [temporary]
    with Session.open(folder, "Checker") as session:
        summary = export_photos(session, upload)
    assert summary.leftovers_removed == [temporary]
    assert [p.name for p in upload.iterdir()] == ["messy-play-001.jpg"]
