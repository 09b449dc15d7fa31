"""Layering: the engines never import a face, and no package's modules import each other in a circle.

The same rule is ruff's banned-import check (TID251 in pyproject.toml); this test walks every import
(also those inside functions, which is where a shortcut to a face usually hides) so that it fails
whatever the linter configuration.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "planmon"
FACES = ("planmon.cli", "planmon.web", "planmon.report")


def _modules() -> dict[str, Path]:
    out = {}
    for f in SRC.rglob("*.py"):
        rel = f.relative_to(SRC.parent).with_suffix("")
        out[".".join(p for p in rel.parts if p != "__init__")] = f
    return out


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.AST, runtime_only: bool) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) of every import; with ``runtime_only`` not those under ``if TYPE_CHECKING``."""
    out: list[tuple[int, str, list[str]]] = []

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if runtime_only and _is_type_checking(child):
                continue
            if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                out.append((child.lineno, child.module, [a.name for a in child.names]))
            elif isinstance(child, ast.Import):
                out.extend((child.lineno, a.name, []) for a in child.names)
            walk(child)
    walk(tree)
    return out


def _is_face(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FACES)


def test_engines_never_import_a_face() -> None:
    offenders = []
    for name, path in sorted(_modules().items()):
        if _is_face(name) or name == "planmon.__main__":
            continue
        for line, module, names in _imports(ast.parse(path.read_text(encoding="utf-8")), runtime_only=False):
            targets = [module] + [f"{module}.{n}" for n in names]
            if any(_is_face(t) for t in targets):
                offenders.append(f"{path.relative_to(SRC.parent)}:{line} imports {module}")
    assert offenders == [], "an engine imports a face:\n" + "\n".join(offenders)


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    edges: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        for _, module, names in _imports(ast.parse(path.read_text(encoding="utf-8")), runtime_only=True):
            if not module.startswith("planmon"):
                continue
            for n in names or [""]:
                full = f"{module}.{n}" if n else module
                edges[name].add(full if full in mods else module)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles() -> None:
    """Run-time imports (also those inside functions) form no circle; ``if TYPE_CHECKING`` imports are types only."""
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
