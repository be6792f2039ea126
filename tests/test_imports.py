"""The package's import graph: no cycles, and the model modules each import on their own.

The graph is read from the source with `ast` (nothing is imported to build it): an edge A -> B
for every `import briefing.B` / `from briefing.B import ...` in A, `if TYPE_CHECKING:` blocks
left out (they never run). "Module level" is what runs when A is imported (its body and class
bodies); "lazy" adds the imports inside functions.
"""

from __future__ import annotations

import ast
import graphlib
import subprocess
import sys
from collections import deque
from pathlib import Path

import pytest

import briefing

PACKAGE = Path(briefing.__file__).parent
ROOT = PACKAGE.parent

#: Finding, fetching and loading models: one job per module (see briefing/seq2seq/loading.py).
MODEL_MODULES = [
    "briefing.seq2seq.model_errors",
    "briefing.seq2seq.revision",
    "briefing.seq2seq.locate",
    "briefing.seq2seq.device",
    "briefing.seq2seq.quantize_policy",
    "briefing.seq2seq.loading",
    "briefing.seq2seq.hub",
    "briefing.seq2seq.convert",
]


def _module_names(package: Path) -> dict[str, Path]:
    names = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _import_nodes(tree: ast.Module, lazy: bool) -> list[ast.Import | ast.ImportFrom]:
    found, todo = [], list(tree.body)
    while todo:
        node = todo.pop()
        if _is_type_checking(node):
            todo.extend(node.orelse)
            continue
        if not lazy and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return found


def import_graph(package: Path, lazy: bool = False) -> dict[str, set[str]]:
    """{module: the package's modules it imports} for the package folder `package`."""
    modules = _module_names(package)

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8")), lazy):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:  # relative: from the module's package, up level - 1 folders
                    package_parts = name.split(".")[: None if path.name == "__init__.py" else -1]
                    package_parts = package_parts[: len(package_parts) - node.level + 1]
                    base = ".".join(package_parts + ([base] if base else []))
                # `from pkg import mod` names a submodule when there is one, else an attribute of pkg
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
            for target in targets:
                if (found := resolve(target)) and found != name:
                    graph[name].add(found)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        return exc.args[1]
    return None


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = {start}, deque([start])
    while todo:
        node = todo.popleft()
        if node == goal:
            return True
        for nxt in graph.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def test_the_graph_reader_sees_a_cycle_and_ignores_type_checking_imports(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg.b import thing\n")
    (pkg / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n"
                              "def f():\n    from . import c\n")
    (pkg / "c.py").write_text("import pkg.a\n")
    assert _cycle(import_graph(pkg)) is None
    assert import_graph(pkg)["pkg.b"] == set()
    assert import_graph(pkg, lazy=True)["pkg.b"] == {"pkg.c"}
    assert set(_cycle(import_graph(pkg, lazy=True))) == {"pkg.a", "pkg.b", "pkg.c"}


@pytest.mark.parametrize("lazy", [False, True], ids=["module level", "with imports inside functions"])
def test_briefing_has_no_import_cycle(lazy):
    """No module needs itself back, not even through an import deferred into a function body (the
    support checkers' registry once imported the learned checker lazily to dodge such a cycle)."""
    graph = import_graph(PACKAGE, lazy=lazy)
    assert {"briefing.seq2seq.locate", "briefing.seq2seq.model_errors"} <= graph["briefing.seq2seq.convert"]  # the reader sees edges
    assert _cycle(graph) is None


@pytest.mark.parametrize("module", MODEL_MODULES)
def test_no_model_module_is_on_an_import_cycle_even_through_imports_inside_functions(module):
    graph = import_graph(PACKAGE, lazy=True)
    assert module in graph
    back = sorted(other for other in graph[module] if _reaches(graph, other, module))
    assert not back, f"{module} imports {back}, which import {module} again"


def test_convert_needs_only_locate_and_the_errors():
    """The pickle converter knows what weights are (locate) and how to fail (model_errors),
    nothing of loading or fetching."""
    assert import_graph(PACKAGE, lazy=True)["briefing.seq2seq.convert"] == {"briefing.seq2seq.locate", "briefing.seq2seq.model_errors"}


@pytest.mark.parametrize("module", MODEL_MODULES)
def test_each_model_module_imports_alone_without_torch(module):
    """A fresh interpreter imports the module by itself (no import-order dependence), and the
    weight-free path stays torch-free: torch and transformers load only when a model does."""
    probe = (
        f"import sys, {module}; "
        "heavy = sorted({'torch', 'transformers', 'huggingface_hub', 'safetensors'} & set(sys.modules)); "
        "print(','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr.strip().splitlines()[-1:]
    assert done.stdout.strip() == ""
