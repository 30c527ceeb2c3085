"""The engine's layout is its architecture: packages in layers, no import circles, nothing upward.

Read from the code's own imports (``ast``, every ``import`` and ``from ... import`` wherever it
stands, inside functions too), so a new circle or an upward import fails here before anyone
notices it in a picture. The layers are the table of ``autograder/__init__.py``.
"""
from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[1] / "autograder"

#: package -> layer; a module may import its own package and packages of a LOWER layer only
LAYERS = {
    "checks": 0,
    "sandbox": 0,
    "questions": 1,
    "course": 2,
    "grading": 3,
    "batch": 4,
    "report": 5,
    "gradescope": 5,
    "demo": 6,
}
ENTRY_POINTS = {"cli", "__main__", "nbgrader_plugin"}  # imported by nothing of the engine (but __main__ -> cli)
STUDENT_KIT = "checks"  # released inside checks.py: numpy and the standard library only


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ENGINE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """The absolute names of the modules ``path`` imports (``from a.b import c`` -> ``a.b.c``
    when ``a/b/c.py`` is a module, else ``a.b``)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                child = f"{module}.{alias.name}"
                found.add(child if child in MODULES else module)
    return found


MODULES = {_module_name(p): p for p in ENGINE.rglob("*.py")}
GRAPH = {name: {m for m in _imports(path) if m in MODULES and m != name} for name, path in MODULES.items()}


def _unit(module: str) -> str:
    """The package (``grading``) or entry point (``cli``) a module of the engine belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "autograder"


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph)))

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_engine_has_no_import_circle():
    assert _circles(GRAPH) == []


def test_the_circle_finder_finds_a_circle():  # the test above could not fail without it
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_package_of_the_engine_has_a_layer():
    units = {_unit(m) for m in MODULES} - {"autograder"} - ENTRY_POINTS
    assert units == set(LAYERS), "give a new package its layer in LAYERS and in autograder/__init__.py"


def test_no_module_imports_upward_or_sideways():
    wrong = []
    for module, targets in GRAPH.items():
        source = _unit(module)
        for target in targets:
            goal = _unit(target)
            if goal in (source, "autograder") or source in ENTRY_POINTS and goal not in ENTRY_POINTS:
                continue
            if source in ENTRY_POINTS or goal in ENTRY_POINTS:
                if not (source == "__main__" and goal == "cli"):
                    wrong.append(f"{module} -> {target} (an entry point is imported by nothing of the engine)")
            elif LAYERS[goal] >= LAYERS[source]:
                wrong.append(f"{module} -> {target} ({source}, layer {LAYERS[source]}, may not import "
                             f"{goal}, layer {LAYERS[goal]})")
    assert wrong == []


def test_nothing_imports_the_command_line():
    importers = sorted(m for m, targets in GRAPH.items() if "autograder.cli" in targets)
    assert importers == ["autograder.__main__"]


def test_the_student_kit_needs_numpy_and_the_standard_library_only():
    wrong = []
    for module, path in MODULES.items():
        if _unit(module) != STUDENT_KIT:
            continue
        for name in _imports(path):
            top = name.split(".")[0]
            allowed = top in sys.stdlib_module_names or top in ("numpy", "__future__") or \
                name.startswith(f"autograder.{STUDENT_KIT}")
            if not allowed:
                wrong.append(f"{module} imports {name}")
    assert wrong == []


def test_the_question_registry_reads_no_course():
    readers = sorted(m for m, targets in GRAPH.items()
                     if _unit(m) == "questions" and any(_unit(t) == "course" for t in targets))
    assert readers == []


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_each_package_says_what_it_holds_and_what_it_may_import(package):
    init = ENGINE / package / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
    modules = sorted(p.stem for p in (ENGINE / package).glob("*.py") if p.stem != "__init__")
    missing = [name for name in modules if not re.search(rf"\b{name}\b", doc)]
    assert doc and missing == [], f"{init}: its docstring names every module ({missing} missing)"
    assert "import" in doc, f"{init}: its docstring says what the package may import"


def test_the_layers_of_the_package_docstring_are_these_layers():
    doc = ast.get_docstring(ast.parse((ENGINE / "__init__.py").read_text(encoding="utf-8"))) or ""
    listed = [line.split()[0].strip("`/") for line in doc.splitlines() if line.startswith("``")]
    by_layer = defaultdict(list)
    for package in listed:
        by_layer[LAYERS[package]].append(package)
    assert sorted(listed) == sorted(LAYERS)
    assert [LAYERS[p] for p in listed] == sorted(LAYERS[p] for p in listed), "lowest first, as the test reads them"
