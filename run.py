#!/usr/bin/env python3
"""Set up photoscreen in a private virtual environment, then start it or test it.

    python3 run.py [FOLDER]   install what is missing, then start the app
    python3 run.py test       install what is missing (with test tools), then run the tests
    python3 run.py bundle     build the self-contained app in dist/photoscreen (PyInstaller)
    python3 run.py smoke      smoke-test that built app (packaging/smoke.py)

Everything goes into ``.venv`` beside this file; nothing is installed system-wide except,
on Debian/Ubuntu, the few system libraries Qt and OpenCV need (only when missing, with
apt-get, as root or through sudo). Only the standard library is used here because this
runs before anything else is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"

# System libraries that Qt's xcb/offscreen platforms and OpenCV's GUI build load at run
# time, and the venv module Debian ships separately. Checked with dpkg, installed if absent.
DEBIAN_PACKAGES = [
    "python3-venv",
    "libgl1",
    "libegl1",
    "libglib2.0-0",
    "libfontconfig1",
    "fonts-dejavu-core",
    "libdbus-1-3",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-shape0",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-image0",
    "libxcb-xinerama0",
]


# What PyInstaller needs on Linux besides Python: ldd (always there), objdump and strip;
# with Debian's own Python also its shared library (PyInstaller ships it).
BUNDLE_DEBIAN_PACKAGES = ["binutils"]


def _venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _missing_debian_packages(extra: list[str] | None = None) -> list[str]:
    if not shutil.which("dpkg-query") or not shutil.which("apt-get"):
        return []
    # Debian 13 and Ubuntu 24.04 renamed some libraries for 64-bit time ("libglib2.0-0t64");
    # dpkg-query does not answer for the old name, so the new one counts as installed too.
    missing = [
        name
        for name in [*DEBIAN_PACKAGES, *(extra or [])]
        if not _dpkg_installed(name) and not _dpkg_installed(name + "t64")
    ]
    if "python3-venv" in missing and sys.prefix != "/usr":
        # Only Debian's own Python splits venv/ensurepip into a separate package; a
        # Python from pyenv or python.org brings its own.
        missing.remove("python3-venv")
    return missing


def _dpkg_installed(name: str) -> bool:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", name],
        capture_output=True,
        text=True,
        check=False,
    )
    return "install ok installed" in result.stdout


def install_system_packages(extra: list[str] | None = None) -> None:
    missing = _missing_debian_packages(extra)
    if not missing:
        return
    prefix: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        if not shutil.which("sudo"):
            sys.exit(
                "photoscreen needs these system packages: "
                + " ".join(missing)
                + "\nAsk someone with administrator rights to install them with apt-get."
            )
        prefix = ["sudo"]
    print("Installing system packages:", " ".join(missing), flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        check=True,
        env=env,
    )


def _install_fingerprint(extras: str) -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(extras.encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_venv(extras: str) -> Path:
    """Create .venv and install photoscreen into it, unless it is already up to date."""
    python = _venv_python()
    if not python.exists():
        print("Creating a virtual environment in", VENV, flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    if _is_installed(extras) or (not extras and any(map(_is_installed, ("test", "bundle")))):
        return python
    target = f".[{extras}]" if extras else "."
    print("Installing photoscreen and its dependencies (first run only)...", flush=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", target],
        cwd=ROOT,
        check=True,
    )
    _stamp(extras).write_text(_install_fingerprint(extras))
    return python


def _stamp(extras: str) -> Path:
    return VENV / f".photoscreen-installed-{extras or 'app'}"


def _is_installed(extras: str) -> bool:
    """True when this set of extras was installed from the current pyproject.toml."""
    stamp = _stamp(extras)
    return stamp.exists() and stamp.read_text() == _install_fingerprint(extras)


def _venv_script(name: str) -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / f"{name}.exe"
    return VENV / "bin" / name


def run_tests(python: Path, args: list[str]) -> int:
    """Lint, check the layers, type-check the Qt-free core, then run the whole test suite."""
    sources = [
        p
        for p in ("photoscreen", "tests", "benchmarks", "tools", "packaging", "run.py")
        if (ROOT / p).exists()
    ]
    steps = [
        [str(python), "-m", "ruff", "check", *sources],
        # The layer contracts in pyproject.toml ([tool.importlinter]).
        [str(_venv_script("lint-imports")), "--no-cache"],
        [str(python), "-m", "mypy"],
        [str(python), "-m", "pytest", "-q", *args],
    ]
    for step in steps:
        print("$", " ".join(Path(step[0]).name if i == 0 else s for i, s in enumerate(step)))
        code = subprocess.run(step, cwd=ROOT, check=False).returncode
        if code != 0:
            return code
    return 0


def _bundle_packages() -> list[str]:
    packages = list(BUNDLE_DEBIAN_PACKAGES)
    if sys.prefix == "/usr":  # Debian's Python: its shared library is a package of its own
        packages.append(f"libpython{sys.version_info.major}.{sys.version_info.minor}")
    return packages


def main(argv: list[str]) -> int:
    install_system_packages(_bundle_packages() if argv[:1] == ["bundle"] else None)
    if argv[:1] == ["test"]:
        python = ensure_venv("test")
        return run_tests(python, argv[1:])
    if argv[:1] == ["bundle"]:
        # PyInstaller is a build-time extra: never a dependency of the app itself.
        python = ensure_venv("bundle")
        script = ROOT / "packaging" / "build.py"
        return subprocess.run([str(python), str(script), *argv[1:]], check=False).returncode
    if argv[:1] == ["smoke"]:
        python = ensure_venv("")
        script = ROOT / "packaging" / "smoke.py"
        return subprocess.run([str(python), str(script), *argv[1:]], check=False).returncode
    python = ensure_venv("")
    return subprocess.run([str(python), "-m", "photoscreen", *argv], check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
