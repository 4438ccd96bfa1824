"""Run parser cases in a child process, each under a memory and a time bound.

A parser that allocates without limit would take the test run (or the machine) down with
it, and one that loops would hang it, so the cases run in a child process:

- the child caps its own address space (``RLIMIT_AS``, where the platform has it) at what
  it uses after start-up plus :data:`ADDRESS_SPACE_HEADROOM`, so an allocation that runs
  away, in Python or in a C library, fails there with ``MemoryError``;
- each case's peak of Python allocations is measured with ``tracemalloc`` (numpy's arrays
  count too), and reported with the case;
- the parent gives each case :data:`SECONDS_PER_CASE` to report back and kills the child
  if it does not, naming the case that hung.

The time budget is generous (a loaded two-core machine must not make it flake): it
catches work that grows with the square of a file's size or worse, which takes minutes
on the cases here, not a constant factor.

Usage: ``outcomes = run_cases("attacks")`` or ``run_cases("mutations", seed=1, count=300)``;
each outcome says the case's label, size, peak, seconds and the error it raised, if any.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ADDRESS_SPACE_HEADROOM = 2 << 30
SECONDS_PER_CASE = 60.0
_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Outcome:
    """How one case went: ``error`` is the exception's type and message, or None."""

    label: str
    size: int
    peak: int
    seconds: float
    error: str | None


class CaseHung(AssertionError):
    """A case did not finish within its time budget (the child was killed)."""


def run_cases(source: str, *, seed: int = 0, count: int = 0) -> list[Outcome]:
    """Run the cases of ``source`` ("attacks" or "mutations") in a child process."""
    command = [sys.executable, "-m", "tests.helpers.bounded_runs", source, str(seed), str(count)]
    child = subprocess.Popen(
        command, cwd=_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_pump, args=(child, lines), daemon=True).start()
    outcomes: list[Outcome] = []
    current = "start-up"
    try:
        while True:
            try:
                line = lines.get(timeout=SECONDS_PER_CASE)
            except queue.Empty:
                raise CaseHung(
                    f"no result within {SECONDS_PER_CASE:.0f} s for: {current}"
                ) from None
            if line is None:
                break
            record = json.loads(line)
            if "started" in record:
                current = record["started"]
            else:
                outcomes.append(Outcome(**record))
    finally:
        child.kill()
        child.wait()
    if child.returncode not in (0, -9) or current != "done":
        raise AssertionError(f"the child stopped at {current}: {child.stderr.read()[-2000:]}")
    return outcomes


def _pump(child: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    assert child.stdout is not None
    for line in child.stdout:
        lines.put(line)
    lines.put(None)


# --- the child ----------------------------------------------------------------------


def _limit_address_space() -> None:
    try:
        import resource
    except ImportError:  # Windows: the tracemalloc peaks still bound each case
        return
    with open(f"/proc/{os.getpid()}/statm") as statm:
        in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = in_use + ADDRESS_SPACE_HEADROOM
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _read_case(kind: str, data: bytes) -> None:
    """Every parser entry point that reads a case of this kind."""
    from photoscreen.core.formats.sniffing import sniff_format
    from photoscreen.core.imaging.icc import read_matrix_shaper
    from photoscreen.core.metadata.exif import exif_block_findings
    from photoscreen.core.metadata.icc_names import icc_findings
    from photoscreen.core.metadata.inspection import inspect_metadata
    from photoscreen.core.metadata.xmp import xmp_findings

    if kind == "file":
        sniff_format(data)
        inspect_metadata(data)
    elif kind == "icc":
        icc_findings(data)
        read_matrix_shaper(data)
    elif kind == "exif":
        exif_block_findings(data)
    elif kind == "xmp":
        xmp_findings(data)


def _cases(source: str, seed: int, count: int) -> Iterator[object]:
    from tests.helpers import parser_cases

    if source == "attacks":
        return parser_cases.attacks()
    if source == "attack":  # one of them, by its index (for looking into one)
        return iter([list(parser_cases.attacks())[seed]])
    return parser_cases.mutations(seed, count)


def _say(record: dict[str, object]) -> None:
    print(json.dumps(record), flush=True)


def main(source: str, seed: int, count: int) -> None:
    import warnings

    warnings.simplefilter("ignore")  # Pillow's and libheif's complaints are not results
    from tests.helpers import parser_cases

    parser_cases.seed_files()  # made before the limit: building them is not under test
    _read_case("file", b"")  # imports, likewise
    _limit_address_space()
    for case in _cases(source, seed, count):
        assert isinstance(case, parser_cases.Case)
        _say({"started": case.label})
        error = None
        tracemalloc.start()
        began = time.perf_counter()
        try:
            _read_case(case.kind, case.data)
        except BaseException as raised:  # reported to the parent, which fails the test
            error = f"{type(raised).__name__}: {raised}"[:500]
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        _say(
            {"label": case.label, "size": len(case.data), "peak": peak, "seconds": seconds}
            | {"error": error}
        )
    _say({"started": "done"})


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
