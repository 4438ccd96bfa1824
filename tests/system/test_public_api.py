"""Each part of the core and of the window is used through its public API.

A part's ``__init__`` names what other parts may use (its ``__all__``); the modules
inside it are its own business, so they can be split or renamed without touching the
rest. Tests may reach into a part's modules to test them; the application, the
benchmarks and the tools may not.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import photoscreen.core
import photoscreen.ui

REPO = Path(photoscreen.core.__file__).resolve().parents[2]


def _parts() -> list[str]:
    return [
        info.name
        for package in (photoscreen.core, photoscreen.ui)
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + ".")
        if info.ispkg
    ]


def _part_of(module: str) -> str | None:
    pieces = module.split(".")
    if len(pieces) >= 3 and pieces[0] == "photoscreen" and pieces[1] in ("core", "ui"):
        return ".".join(pieces[:3])
    return None


def _imported(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return found


def private_imports(repo: Path) -> list[str]:
    """Every import of a part's own module from outside that part, as "file:line module"."""
    files = [*(repo / "photoscreen").rglob("*.py"), *(repo / "benchmarks").glob("*.py")]
    files += (repo / "tools").glob("*.py")
    bad = []
    for path in sorted(files):
        relative = path.relative_to(repo).with_suffix("")
        importer = ".".join(relative.parts)
        for line, module in _imported(ast.parse(path.read_text(encoding="utf-8"))):
            part = _part_of(module)
            if part is not None and module != part and _part_of(importer) != part:
                bad.append(f"{relative}.py:{line} {module}")
    return bad


def test_every_part_is_a_package_with_an_api() -> None:
    assert "photoscreen.core.storage" in _parts() and "photoscreen.ui.control" in _parts()
    for part in _parts():
        module = importlib.import_module(part)
        assert module.__doc__, f"{part} does not say what it holds"
        for name in getattr(module, "__all__", ()):
            assert hasattr(module, name), f"{part}.__all__ names {name}, which it lacks"


def test_other_parts_import_only_a_part_s_api() -> None:
    bad = private_imports(REPO)
    assert not bad, "imports of another part's own modules:\n" + "\n".join(bad)


def test_a_private_import_is_found(tmp_path: Path) -> None:
    (tmp_path / "photoscreen" / "ui").mkdir(parents=True)
    (tmp_path / "photoscreen" / "ui" / "x.py").write_text(
        "def f():\n    from photoscreen.core.storage.store import Store\n"
        "from photoscreen.core.storage import Store\n"
    )
    assert private_imports(tmp_path) == ["photoscreen/ui/x.py:2 photoscreen.core.storage.store"]
