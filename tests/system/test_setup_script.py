"""The set-up script (run.py) installs system libraries only when they are really missing."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run_py() -> ModuleType:
    spec = importlib.util.spec_from_file_location("photoscreen_run_py", ROOT / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _dpkg_knowing(installed: set[str]):
    def fake(command, **kwargs):
        name = command[-1]
        status = "install ok installed" if name in installed else ""
        return subprocess.CompletedProcess(command, 0 if status else 1, status, "")

    return fake


@pytest.mark.parametrize("renamed", [False, True])
def test_libraries_renamed_for_64_bit_time_count_as_installed(monkeypatch, renamed) -> None:
    """On Ubuntu 24.04 and Debian 13 libglib2.0-0 is libglib2.0-0t64: no apt-get (and no
    sudo password) at every start."""
    run_py = _run_py()
    names = {f"{n}t64" if renamed and n == "libglib2.0-0" else n for n in run_py.DEBIAN_PACKAGES}
    monkeypatch.setattr(run_py.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    monkeypatch.setattr(run_py.subprocess, "run", _dpkg_knowing(names))
    assert run_py._missing_debian_packages() == []
    names.discard("libxcb-cursor0")
    assert run_py._missing_debian_packages() == ["libxcb-cursor0"]


def test_no_package_check_without_dpkg(monkeypatch) -> None:
    run_py = _run_py()
    monkeypatch.setattr(run_py.shutil, "which", lambda tool: None)
    assert run_py._missing_debian_packages() == []
