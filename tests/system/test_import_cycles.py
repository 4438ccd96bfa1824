"""No import cycles in photoscreen, counting every import: at the top of a module, inside
a function, and under ``TYPE_CHECKING``.

import-linter (run by ``python3 run.py test``) checks the layers; a cycle inside one part
is not a layer violation, so this test reads every module with :mod:`ast` and looks for
cycles itself, naming each one it finds.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import photoscreen

ROOT = Path(photoscreen.__file__).resolve().parent

Graph = dict[str, set[str]]


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Every module under ``root`` (the folder of ``package``) by its dotted name."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def import_graph(root: Path, package: str) -> Graph:
    """Which module imports which, among the modules of ``package``."""
    modules = module_names(root, package)
    graph: Graph = {name: set() for name in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(node, name, is_package):
                known = _known(target, modules)
                if known is not None and known != name:
                    graph[name].add(known)
    return graph


def _targets(node: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            here = module.split(".") if is_package else module.split(".")[:-1]
            here = here[: len(here) - node.level + 1]
            base = ".".join([*here, *([node.module] if node.module else [])])
        for alias in node.names:
            yield f"{base}.{alias.name}"  # a submodule, or a name of ``base``


def _known(target: str, modules: dict[str, Path]) -> str | None:
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target or None


def cycles(graph: Graph) -> list[list[str]]:
    """Each group of modules that import one another, as one cycle through them."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # Tarjan's strongly connected components, without recursion.
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = stack[stack.index(node) :]
                    del stack[stack.index(node) :]
                    if len(group) > 1:
                        found.append(_cycle_through(graph, set(group)))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in stack:
                low[node] = min(low[node], index[child])

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return found


def _cycle_through(graph: Graph, group: set[str]) -> list[str]:
    """A shortest path from the group's first module back to itself."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & group):
            if child == start:
                return [*paths[node], start]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    raise AssertionError("a strongly connected group always has a cycle")


def test_photoscreen_has_no_import_cycle() -> None:
    found = cycles(import_graph(ROOT, "photoscreen"))
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_the_graph_sees_every_kind_of_import(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "part").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "part" / "__init__.py").write_text("from pkg.part.low import Thing\n")
    (package / "part" / "low.py").write_text("class Thing: ...\n")
    (package / "top.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from pkg.middle import helper\n"
    )
    (package / "middle.py").write_text("def helper():\n    from .top import x\n")
    (package / "user.py").write_text("import pkg.part\nfrom pkg.part import Thing\n")
    graph = import_graph(package, "pkg")
    assert graph["pkg.top"] == {"pkg.middle"}  # under TYPE_CHECKING
    assert graph["pkg.middle"] == {"pkg.top"}  # relative, inside a function
    assert graph["pkg.part"] == {"pkg.part.low"}
    assert graph["pkg.user"] == {"pkg.part"}
    assert cycles(graph) == [["pkg.middle", "pkg.top", "pkg.middle"]]


def test_a_cycle_is_named_module_by_module() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
