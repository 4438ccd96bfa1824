"""Peers benchmark: photoscreen against mat2 and deface on the same ten 12 MP JPEGs.

Goals (issue 6), per photo, in one run on the same generated folder:

- photoscreen's export alone (redact, resize, encode, verify) takes less wall time than
  ``mat2`` (which only re-renders the picture to strip metadata);
- photoscreen's scan + export together take less than ``deface --scale 1024x768``
  (detect + blur).

The peers run from their own virtual environments, never from photoscreen's:

- deface: ``python -m venv DIR && DIR/bin/pip install deface``;
- mat2: it needs GObject introspection, GdkPixbuf and librsvg from the system (on
  Debian/Ubuntu: ``apt-get install python3-gi python3-cairo gir1.2-gdkpixbuf-2.0
  gir1.2-rsvg-2.0 gir1.2-poppler-0.18``), then a venv of the *system* Python that can see
  them: ``/usr/bin/python3 -m venv --system-site-packages DIR && DIR/bin/pip install mat2``.

``--setup`` does both (the apt step must be done by hand). A peer that is missing is
reported as such in the output, with the reason, and its comparison is skipped.

    python benchmarks/peers.py [--setup] [--photos 10] [--repeats 3] [--deface-defaults] [--json]
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Report, common_arguments, generate_folder, temp_photo_dir
from export import export_once, prepare_session

PEERS_HOME = Path(tempfile.gettempdir()) / "photoscreen-peers"
SYSTEM_PYTHON = Path("/usr/bin/python3")


def _bin(venv: Path, name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    return venv / folder / name


def setup(deface_venv: Path, mat2_venv: Path, report: Report) -> None:
    """Create the peers' virtual environments with pip (idempotent)."""
    if not _bin(deface_venv, "deface").exists():
        report.log(f"installing deface into {deface_venv} ...")
        subprocess.run([sys.executable, "-m", "venv", str(deface_venv)], check=True)
        subprocess.run([str(_bin(deface_venv, "pip")), "install", "-q", "deface"], check=True)
    if not _bin(mat2_venv, "mat2").exists():
        python = SYSTEM_PYTHON if SYSTEM_PYTHON.exists() else Path(sys.executable)
        report.log(f"installing mat2 into {mat2_venv} (system Python {python}) ...")
        subprocess.run(
            [str(python), "-m", "venv", "--system-site-packages", str(mat2_venv)], check=True
        )
        subprocess.run([str(_bin(mat2_venv, "pip")), "install", "-q", "mat2"], check=False)


def peer_problem(command: list[str]) -> str | None:
    """Why the peer cannot run (None when it can)."""
    if not Path(command[0]).exists():
        return f"{command[0]} is not installed (run with --setup; see the module docstring)"
    probe = subprocess.run([*command, "--version"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        return (probe.stderr.strip() or probe.stdout.strip())[-400:] or "it does not start"
    return None


def run_peer(command: list[str], paths: list[Path], work: Path) -> float:
    """Wall time of one run of ``command`` over copies of ``paths`` in a fresh directory."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    copies = []
    for path in paths:
        copy = work / path.name
        shutil.copyfile(path, copy)
        copies.append(copy)
    start = time.perf_counter()
    done = subprocess.run(
        [*command, *map(str, copies)], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {done.stderr[-600:]}")
    return elapsed


def photoscreen_runs(base: Path, paths: list[Path], index: int) -> tuple[float, float]:
    """(scan wall time, export wall time) of a fresh session on copies of ``paths``."""
    folder = base / f"ps{index}"
    folder.mkdir()
    copies = []
    for path in paths:
        copies.append(folder / path.name)
        shutil.copyfile(path, copies[-1])
    session, scan_s = prepare_session(folder, copies)
    try:
        export_s = export_once(session, base / f"ps{index}-out", len(copies))
    finally:
        session.close()
    return scan_s, export_s


def main() -> int:
    parser = common_arguments(__doc__.splitlines()[0], default_photos=10)
    parser.add_argument("--setup", action="store_true", help="create the peers' venvs first")
    parser.add_argument("--deface-venv", type=Path, default=PEERS_HOME / "deface")
    parser.add_argument("--mat2-venv", type=Path, default=PEERS_HOME / "mat2")
    parser.add_argument(
        "--deface-defaults", action="store_true", help="also time deface at full size (slow)"
    )
    args = parser.parse_args()
    report = Report("peers", args.json)
    if args.setup:
        setup(args.deface_venv, args.mat2_venv, report)
    peers = {
        "mat2": [str(_bin(args.mat2_venv, "mat2"))],
        "deface_scaled": [str(_bin(args.deface_venv, "deface")), "--scale", "1024x768"],
    }
    if args.deface_defaults:
        peers["deface_default"] = [str(_bin(args.deface_venv, "deface"))]
    problems = {name: peer_problem(command) for name, command in peers.items()}
    with temp_photo_dir() as base:
        report.log(f"generating {args.photos} 12-megapixel JPEGs ...")
        paths = generate_folder(base / "photos", args.photos)
        times: dict[str, list[float]] = {name: [] for name in [*peers, "scan", "export"]}
        for index in range(args.repeats):
            report.log(f"round {index + 1} of {args.repeats} ...")
            scan_s, export_s = photoscreen_runs(base, paths, index)
            times["scan"].append(scan_s)
            times["export"].append(export_s)
            for name, command in peers.items():
                if problems[name] is None:
                    work = base / f"{name}{index}"
                    times[name].append(run_peer(command, paths, work))
    _report(report, {k: v for k, v in times.items() if v}, len(paths), problems)
    report.finish()
    return 0


def _report(
    report: Report, times: dict[str, list[float]], count: int, problems: dict[str, str | None]
) -> None:
    per_photo = {name: statistics.median(values) / count for name, values in times.items()}
    if not report.as_json:
        print(f"peers benchmark: {count} photos, {os.cpu_count()} cores (seconds per photo)")
    labels = {
        "export": "photoscreen export alone",
        "scan": "photoscreen scan (hash, thumbnail, detect)",
        "mat2": "mat2 (metadata strip by re-render)",
        "deface_scaled": "deface --scale 1024x768",
        "deface_default": "deface with its defaults",
    }
    for name, value in per_photo.items():
        report.add(f"{name}_s_per_photo", value, "s", labels[name])
    both = per_photo["scan"] + per_photo["export"]
    report.add("scan_plus_export_s_per_photo", both, "s", "photoscreen scan + export")
    for name, problem in problems.items():
        if problem is not None:
            report.add(f"{name}_available", False)
            report.note(f"{name} not measured: {problem}")
    if "mat2" in per_photo:
        ratio = per_photo["export"] / per_photo["mat2"]
        report.goal("export_vs_mat2", ratio, 1.0, "export / mat2 (goal below 1)")
    if "deface_scaled" in per_photo:
        ratio = both / per_photo["deface_scaled"]
        report.goal("scan_export_vs_deface", ratio, 1.0, "(scan+export) / deface --scale")
    report.add("load_average_1min", os.getloadavg()[0], "", "machine load (other programs)")


if __name__ == "__main__":
    sys.exit(main())
