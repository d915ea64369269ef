"""The backend's shape: no import circle, small modules, area states that stand alone.

Read from the sources with ast (nothing imported): the hand-written modules under
templates/server/runtime/backend/ and the generated copy, which adds the rendered wiring.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SOURCES = ROOT / "templates" / "server" / "runtime" / "backend"
GENERATED = ROOT / "generated" / "emqx_server_stub" / "backend"
MAX_LINES = 400
# Folders that are not an area: helpers any area may use.
SHARED = {"common"}


def _module(path: Path, root: Path) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(("backend", *parts))


def _imports(path: Path, root: Path) -> set[str]:
    """The backend modules that `path` imports (at any depth of the file)."""
    name = _module(path, root)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or node.level == 0:
            continue
        base = package[: len(package) - (node.level - 1)]
        if not base or base[0] != "backend":
            continue  # above the backend: the stub's models, errors and runtime
        target = [*base, *(node.module.split(".") if node.module else [])]
        for alias in node.names:
            found.add(".".join([*target, alias.name]))
            found.add(".".join(target))
    return found


def graph(root: Path) -> dict[str, set[str]]:
    files = {_module(p, root): p for p in sorted(root.rglob("*.py"))}
    return {name: _imports(path, root) & set(files) - {name} for name, path in files.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part: list[str] = []
            while True:
                top = stack.pop()
                part.append(top)
                if top == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_circle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]


@pytest.mark.parametrize("root", [SOURCES, GENERATED], ids=["templates", "generated"])
def test_no_import_circle(root: Path) -> None:
    assert cycles(graph(root)) == []


def test_the_graph_sees_the_wiring() -> None:
    edges = graph(GENERATED)
    assert "backend.clients.handler" in edges["backend._handlers"]
    assert "backend.state" in edges["backend.clients.handler"]


def test_no_module_over_400_lines() -> None:
    sizes = {
        path.relative_to(SOURCES).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in SOURCES.rglob("*.py")
    }
    assert len(sizes) > 100
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_area_states_import_no_other_area() -> None:
    edges = graph(SOURCES)
    strays = {}
    for name, targets in edges.items():
        parts = name.split(".")
        if len(parts) != 3 or not parts[2].endswith("state") or parts[1] in SHARED:
            continue
        area = parts[1]
        other = {t for t in targets if t.split(".")[1] not in {area, *SHARED}}
        if other:
            strays[name] = sorted(other)
    assert strays == {}


def test_every_tag_has_its_area() -> None:
    wiring = (GENERATED / "_handlers.py").read_text(encoding="utf-8")
    areas = sorted(p.parent.name for p in SOURCES.glob("*/handler.py"))
    wired = sorted(re.findall(r"^from \.(\w+)\.handler import ", wiring, re.MULTILINE))
    # one area per tag of the spec (the wiring is rendered from the tag list), none more
    assert areas == wired and len(areas) >= 40


def test_no_area_reaches_into_another_areas_handler() -> None:
    edges = graph(SOURCES)
    reaching = {
        name: sorted(t for t in targets if t.endswith(".handler") and t.split(".")[1] != area)
        for name, targets in edges.items()
        if len(name.split(".")) == 3 and (area := name.split(".")[1]) not in SHARED
    }
    assert {name: found for name, found in reaching.items() if found} == {}
