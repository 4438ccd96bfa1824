"""What checking the consent register against its chained trail costs, per photo.

Export asks the register about every photo with a face linked to someone, twice (as it
is judged and just before its file is named), and each time replays the register's
trail and compares every row with it (:mod:`photoscreen.core.consent.register_chain`).
The window's list reads the register once for the whole folder (a snapshot).

Made in a temporary directory: a register of ``--people`` people (default 300) with
``--changes`` further changes (default 1000: withdrawals and renewals),
so its trail has people + changes entries. Measured, medians of ``--repeats``:

* baseline: ``register.person(id)``, the one read export made per linked person before
  the chain (open the file, read one row);
* ``ConsentCheck.reasons(photo)`` for a photo with one linked face, as export and the
  window now ask it per photo (the register kept open: read the links added since, compare
  every row, read the person);
* ``findings(full=True)``: the whole trail replayed, as export does once as it starts;
* ``consent_holds`` for ``--photos`` photos (default 500) each linked to someone, as the
  window's list and ``photoscreen status`` do, per photo.

    .venv/bin/python benchmarks/register_check.py [--people 300] [--changes 1000] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from photoscreen.core.basics import Box
from photoscreen.core.consent import ConsentCheck, ConsentRegister, Kind, NewPerson
from photoscreen.core.rules import (
    FaceRecord,
    FaceSource,
    FaceState,
    PhotoDecisions,
)


def _register(path: Path, people: int, changes: int) -> tuple[ConsentRegister, list[str]]:
    register = ConsentRegister(path, "Manager")
    given = date.today() - timedelta(days=10)
    register.add_many([NewPerson(f"Child {n:04d}", Kind.CHILD, True, "Parent", given)
                       for n in range(people)], "bench.csv")  # fmt: skip
    ids = [p.id for p in register.people()]
    for n in range(changes):  # withdraw everyone, then renew everyone, and so on
        person, withdrawing = ids[n % len(ids)], (n // len(ids)) % 2 == 0
        if withdrawing:
            register.withdraw(person)
        else:
            register.give_consent(person, given_by="Parent", given_on=given)
    return register, ids


def _photo(person_id: str, n: int) -> PhotoDecisions:
    face = FaceRecord(1, Box(10, 10, 50, 50), FaceSource.HAND, FaceState.FACE,
                      consent_by="Ann", person_id=person_id)  # fmt: skip
    return PhotoDecisions(f"photo-{n}", faces=(face,))


def _median_ms(job: object, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        job()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--photos", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="photoscreen-register-") as scratch:
        print("making the register...", file=sys.stderr)
        register, ids = _register(Path(scratch) / "register.sqlite3", args.people, args.changes)
        photo = _photo(ids[0], 0)
        baseline = _median_ms(lambda: register.person(ids[0]), args.repeats)
        export = _median_ms(lambda: ConsentCheck(register, None, time.time).reasons(photo),
                            args.repeats)  # fmt: skip
        photos = [_photo(ids[n % len(ids)], n) for n in range(args.photos)]

        def listing() -> None:
            check = ConsentCheck(register, None, time.time, snapshot=True)
            for each in photos:
                check.reasons(each)

        listed = _median_ms(listing, max(1, args.repeats // 4)) / args.photos
        full = _median_ms(lambda: register.findings(full=True), max(1, args.repeats // 4))
    figures = {
        "entries": args.people + args.changes + 1,
        "baseline_person_read_ms": round(baseline, 3),
        "export_check_per_photo_ms": round(export, 3),
        "export_ratio": round(export / baseline, 2),
        "listing_check_per_photo_ms": round(listed, 4),
        "full_replay_at_export_start_ms": round(full, 2),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:>28}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
