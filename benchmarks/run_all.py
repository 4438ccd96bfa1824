"""Run the whole benchmark suite and print every figure (or one JSON object with ``--json``).

Each benchmark runs in its own process (so memory figures and OpenCV thread settings do
not leak between them) with ``--json``; this script gathers their objects under their
names. ``--quick`` shrinks every folder for a smoke run of a few minutes; the goals are
stated for the full sizes.

    python benchmarks/run_all.py [--quick] [--only scan,export] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# name -> (script, extra arguments for a full run, for a quick run)
SUITE: dict[str, tuple[str, list[str], list[str]]] = {
    "scan": ("scan.py", [], ["--photos", "12", "--repeats", "1"]),
    "first_screen": ("first_screen.py", [], ["--photos", "60", "--repeats", "1"]),
    "responsiveness": ("responsiveness.py", [], ["--photos", "12", "--distinct", "4"]),
    "export": ("export.py", [], ["--photos", "6", "--repeats", "1"]),
    "memory": ("memory.py", [], ["--photos", "40", "--distinct", "4"]),
    "detect_cost": ("detect_cost.py", [], ["--repeats", "1"]),
    "peers": ("peers.py", [], ["--photos", "4", "--repeats", "1"]),
    "startup": ("startup.py", [], ["--repeats", "2"]),
    "exported_marks": ("exported_marks.py", [], ["--entries", "4000", "--repeats", "3"]),
}


def run_one(name: str, quick: bool) -> dict[str, Any]:
    """Run one benchmark script with ``--json``; its object, or the error it printed."""
    script, full, small = SUITE[name]
    command = [sys.executable, str(HERE / script), "--json", *(small if quick else full)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        return {"benchmark": name, "error": done.stderr.strip()[-2000:], "seconds": elapsed}
    result: dict[str, Any] = json.loads(done.stdout)
    result["seconds"] = round(elapsed, 1)
    return result


def missed_goals(results: dict[str, dict[str, Any]]) -> list[str]:
    """Every ``<figure>_met: false`` in the results, as ``benchmark.figure``."""
    missed = []
    for name, figures in results.items():
        for key, value in figures.items():
            if key.endswith("_met") and value is False:
                missed.append(f"{name}.{key[: -len('_met')]}")
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small folders, one repeat")
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n] or list(SUITE)
    unknown = sorted(set(names) - set(SUITE))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(SUITE)}")
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        if not args.json:
            print(f"== {name} ...", flush=True)
        results[name] = run_one(name, args.quick)
        if not args.json:
            for key, value in results[name].items():
                print(f"  {key}: {value}")
    missed = missed_goals(results)
    errors = [n for n, r in results.items() if "error" in r]
    if args.json:
        print(json.dumps({"results": results, "missed": missed, "errors": errors}, indent=2))
    else:
        print(f"goals missed: {', '.join(missed) or 'none'}; errors: {', '.join(errors) or 'none'}")
    return 1 if missed or errors else 0


if __name__ == "__main__":
    sys.exit(main())
