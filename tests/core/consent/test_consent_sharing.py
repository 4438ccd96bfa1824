"""Two photoscreens (two real processes, as two PCs on a shared drive) changing one
register at once: nothing is lost, nothing is overwritten, the file stays whole."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from photoscreen.core.consent import ConsentState
from tests.helpers.consent_fixtures import FakeClock, consenting, open_register

PER_PROCESS = 12

_WORKER = """
import sys, time
from datetime import date
from pathlib import Path
from photoscreen.core.consent import ConsentRegister, Kind, NewPerson
path, tag, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
while not go.exists():
    time.sleep(0.005)
register = ConsentRegister(path, f"PC {tag}")
for i in range(int(sys.argv[4])):
    person = register.add(NewPerson(f"{tag} child {i}", Kind.CHILD, True, "Parent",
                                    date.today()))
    register.withdraw(person.id)
print("done")
"""


def test_two_processes_change_one_register_at_once(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    open_register(path, FakeClock())  # made before, as the manager would
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(path), tag, str(go), str(PER_PROCESS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("Ann", "Bob")
    ]
    time.sleep(0.5)
    go.touch()
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        assert out.strip() == "done"
    register = open_register(path, FakeClock())
    people = register.people()
    assert len(people) == 2 * PER_PROCESS
    assert {p.state(register.today()) for p in people} == {ConsentState.WITHDRAWN}
    assert {p.withdrawn_by for p in people if p.name.startswith("Ann")} == {"PC Ann"}
    trail = register.audit_trail()
    assert len(trail) == 4 * PER_PROCESS
    for person in people:
        actions = [e.action for e in register.audit_trail(person.id)]
        assert actions == ["person_added", "consent_withdrawn"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_register_held_by_another_writer_waits_then_saves(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    clock = FakeClock()
    register = open_register(path, clock)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys, time\n"
         "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "c.execute('BEGIN IMMEDIATE'); print('held', flush=True); time.sleep(1.0)\n"
         "c.execute('COMMIT')\n", str(path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    sam = register.add(consenting("Sam", clock))  # waits for the other PC's change
    holder.wait(timeout=30)
    assert register.person(sam.id) == sam
