"""The layout stays readable: no module over 400 lines, no part over 12 modules.

docs/architecture.md says where each kind of change goes; these limits keep each place
small enough to read whole. A module that grows past the limit is split into parts with
a responsibility each (not into mixins that only spread one class over files), and a
part that grows past 12 modules is divided where its own imports say it can be.
"""

from __future__ import annotations

import ast
from pathlib import Path

import photoscreen

PACKAGE = Path(photoscreen.__file__).parent
MAX_LINES = 400
MAX_MODULES = 12


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_module_is_over_400_lines() -> None:
    too_long = {
        str(p.relative_to(PACKAGE.parent)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"modules over {MAX_LINES} lines: {too_long}"


def test_no_part_holds_more_than_12_modules() -> None:
    parts = {p.parent for p in _modules() if p.name == "__init__.py"}
    crowded = {
        str(part.relative_to(PACKAGE.parent)): n
        for part in parts
        if (n := sum(1 for m in part.glob("*.py") if m.name != "__init__.py")) > MAX_MODULES
    }
    assert not crowded, f"parts over {MAX_MODULES} modules: {crowded}"


def _class_attributes_only(node: ast.ClassDef) -> bool:
    """True for a class whose body declares attributes it never sets (``_store: Store``
    with no value): the mark of a mixin reaching into the class it is mixed into."""
    declared = [s for s in node.body if isinstance(s, ast.AnnAssign) and s.value is None]
    has_init = any(isinstance(s, ast.FunctionDef) and s.name == "__init__" for s in node.body)
    is_record = any(
        (isinstance(d, ast.Name) and d.id == "dataclass")
        or (isinstance(d, ast.Call) and getattr(d.func, "id", "") == "dataclass")
        for d in node.decorator_list
    )
    protocol = any(getattr(b, "id", "") in ("Protocol", "NamedTuple") for b in node.bases)
    return bool(declared) and not has_init and not is_record and not protocol


def test_no_class_is_a_mixin_over_another_class_s_state() -> None:
    mixins = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and _class_attributes_only(node):
                mixins.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}")
    assert not mixins, "classes that declare state another class sets: " + ", ".join(mixins)
