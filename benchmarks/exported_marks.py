"""What reading "which photos were exported" costs, with and without schema 9's index.

The grid's "Exported 3 May" marks and the export's skipping of photos already exported
come from the audit trail's ``exported`` entries (``Session.exports()``), read when a
folder opens and after every export. Schema 9 indexes the trail by action for it. This
makes two sessions whose trails hold ``--entries`` entries (one in ``--exported-every`` is
an export, the rest decisions), drops the index from one (the baseline) and times
``exports()`` on each, alternately (median of ``--repeats``).

    python benchmarks/exported_marks.py [--entries 20000] [--exported-every 10] [--json]

Goal: reading the exports of a trail of 20 000 entries with 2 000 exports (years of a
busy folder) takes under 100 ms, so opening a folder and finishing an export do not
stall. Most of it is decoding each entry's details, which the index does not save: the
index matters on long trails (measured on 2 cores under load: 200 000 entries, 321 ms
with it against 412 ms without; 20 000 entries, 66-97 ms against 54-109 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from photoscreen.core.session import Session
from photoscreen.core.trail import audit

GOAL_MS = 100.0


def _fill(session: Session, entries: int, every: int) -> None:
    """Append ``entries`` audit entries in one transaction (chained as any other)."""
    with session.store.transaction() as conn:
        for i in range(entries):
            digest = f"{i // 10:064x}"
            if i % every == 0:
                details = {"name": f"story-time-{i:06d}.jpg", "file": "a.jpg", "destination": "/up"}
                audit.record(conn, "Bench", "exported", digest, details)
            else:
                audit.record(conn, "Bench", "set_activity", digest, {"activity": "story_time"})


def _medians_ms(indexed: Session, bare: Session, repeats: int) -> tuple[float, float]:
    """Median time of ``exports()`` on each session, timed alternately (same load)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for session, into in ((indexed, times[0]), (bare, times[1])):
            start = time.perf_counter()
            session.exports()
            into.append((time.perf_counter() - start) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--exported-every", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="photoscreen-exported-") as scratch:
        (Path(scratch) / "a").mkdir()
        (Path(scratch) / "b").mkdir()
        with (
            Session.open(Path(scratch) / "a", "Bench") as with_index,
            Session.open(Path(scratch) / "b", "Bench") as without,
        ):
            for session in (with_index, without):
                _fill(session, args.entries, args.exported_every)
            with without.store.transaction() as conn:
                conn.execute("DROP INDEX audit_by_action")
            indexed, bare = _medians_ms(with_index, without, args.repeats)
    figures = {
        "entries": args.entries,
        "exports": len(range(0, args.entries, args.exported_every)),
        "indexed_ms": round(indexed, 2),
        "without_index_ms": round(bare, 2),
        "ratio": round(indexed / bare, 3),
        "goal_ms": GOAL_MS,
        "indexed_met": indexed <= GOAL_MS,
        "load_average": round(os.getloadavg()[0], 1),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
