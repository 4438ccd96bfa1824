"""The core never imports Qt: checked in a fresh interpreter so nothing else loaded it."""

import pkgutil
import subprocess
import sys

import photoscreen.core


def _core_modules() -> list[str]:
    return [
        info.name
        for info in pkgutil.walk_packages(photoscreen.core.__path__, "photoscreen.core.")
    ]


def test_core_modules_exist() -> None:
    assert "photoscreen.core.basics.geometry" in _core_modules()


def test_importing_core_never_loads_qt() -> None:
    modules = ["photoscreen.core", *_core_modules(), "photoscreen.commands"]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"core loaded Qt: {result.stdout}"
