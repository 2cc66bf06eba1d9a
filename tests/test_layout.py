"""The package layout is a map: these tests read the source (``ast``, nothing is
imported) and check the rules the folder tree promises.

- ``detector/`` is the runtime (the wheel); ``detector_dev/`` (corpus building,
  training, benchmarks) may import it, never the other way round, not even
  inside a function.
- The runtime needs no training library: scikit-learn, SciPy and skops appear
  nowhere in ``detector/``, nor joblib's model persistence; datatrove is
  imported at module level only by ``detector/datatrove_step.py``, the adapter
  that subclasses its ``BaseFilter`` (importing that module is opting in).
- No import cycle among ``detector``'s modules, counting imports inside
  functions too (they run later, but a loop between modules is still a loop).
  ``from detector.a.b import x`` also runs ``detector/a/__init__.py``, so it
  counts as importing ``detector.a`` unless the importer lives in ``detector.a``
  itself (a package's ``__init__`` always runs before its modules). The root
  ``detector/__init__.py``, the public facade that every import passes through
  first, is left out of the graph as a target. ``if TYPE_CHECKING:`` imports
  never run and are left out of the cycle graph (not of the other rules).
- Data flows one way, through these layers, lowest first; a module may import
  its own layer or a lower one, never a higher one::

      0 core    document, tokens, language, overlap, boosting, decisions,
                modelstore, inputs        (shared by every mode; no model code)
      1 modes   text_mode, html_mode, filler
      2         pipeline                  (one document through the modes)
      3         runner                    (killable worker pools of pipelines)
      4         report                    (batch reports on top of the runner)
      5 fronts  cli, datatrove_step, the ``detector`` facade

  Within the modes: ``html_mode`` may use ``text_mode`` (it reuses its cue
  lexicon and month names for block features); ``text_mode`` and ``filler``
  import no other mode.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = "detector"
DEV = "detector_dev"

LAYERS: dict[str, int] = {
    **dict.fromkeys(
        ("document", "layout", "tokens", "language", "overlap", "boosting", "decisions")
        + ("modelstore", "inputs"),
        0,
    ),
    **dict.fromkeys(("text_mode", "html_mode", "filler"), 1),
    "pipeline": 2,
    "runner": 3,
    "report": 4,
    **dict.fromkeys(("cli", "datatrove_step", ""), 5),
}
"""Layer of each top-level part of ``detector`` ("" is the package's __init__)."""

MODE_IMPORTS: dict[str, set[str]] = {
    "text_mode": set(),
    "html_mode": {"text_mode"},
    "filler": set(),
}
"""The other modes each mode may import."""

TRAINING_ONLY = ("sklearn", "scipy", "skops", "joblib.dump", "joblib.load", "datatrove")
"""Top-level names the runtime must not import (joblib's ``cpu_count`` is fine)."""

DATATROVE_ADAPTER = "detector.datatrove_step"


@dataclass(frozen=True)
class Import:
    """One imported name as written: ``target`` is the module (``from m import x``
    gives ``m.x``, which may be a module or a name inside ``m``)."""

    module: str
    target: str
    line: int
    top_level: bool
    type_checking: bool


def module_name(path: Path) -> str:
    """``detector/html_mode/__init__.py`` -> ``detector.html_mode``."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources(package: str) -> dict[str, Path]:
    """Every module of ``package`` by dotted name."""
    return {module_name(p): p for p in sorted((ROOT / package).rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(module: str, path: Path) -> Iterator[Import]:
    """Every import statement of one module, with where it stands."""
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

    def visit(node: ast.AST, top_level: bool, type_checking: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield Import(module, alias.name, child.lineno, top_level, type_checking)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:  # relative: resolve against this module's package
                    package = module.split(".")
                    package = package[: len(package) - child.level + (1 if is_package else 0)]
                    base = ".".join(package + ([base] if base else []))
                for alias in child.names:
                    yield Import(
                        module, f"{base}.{alias.name}", child.lineno, top_level, type_checking
                    )
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                yield from visit(child, False, type_checking)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    yield from visit(ast.Module(body=[stmt], type_ignores=[]), top_level, True)
                for stmt in child.orelse:
                    yield from visit(ast.Module(body=[stmt], type_ignores=[]), top_level, False)
            else:  # class bodies, try/with/if blocks run with their module
                yield from visit(child, top_level, type_checking)

    yield from visit(tree, True, False)


def _starts(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _internal_targets(imp: Import, modules: set[str]) -> set[str]:
    """The ``detector`` modules one import runs: the module named (``a.b.x`` is
    module ``a.b`` when ``x`` is a name in it) and its packages outside the
    importer's own, the root package excepted."""
    target = imp.target if imp.target in modules else imp.target.rpartition(".")[0]
    if target not in modules:
        return set()
    parts = target.split(".")
    runs = {".".join(parts[:i]) for i in range(2, len(parts) + 1)}
    return {m for m in runs if not _starts(imp.module, m) or m == target} - {RUNTIME}


def import_graph(package: str = RUNTIME) -> dict[str, dict[str, int]]:
    """Module -> {module it imports at run time (any level): first line}."""
    found = sources(package)
    modules = set(found)
    graph: dict[str, dict[str, int]] = {m: {} for m in modules}
    for module, path in found.items():
        for imp in imports_of(module, path):
            if imp.type_checking:
                continue
            for target in _internal_targets(imp, modules) - {module}:
                graph[module].setdefault(target, imp.line)
    return graph


def find_cycle(graph: dict[str, dict[str, int]]) -> list[str] | None:
    """One cycle of ``graph`` as [a, b, ..., a], or None (depth-first search)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := walk(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := walk(start)):
            return cycle
    return None


def part_of(module: str) -> str:
    """``detector.html_mode.features`` -> ``html_mode``; ``detector`` -> ""."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _all_imports(package: str) -> list[Import]:
    return [imp for m, p in sources(package).items() for imp in imports_of(m, p)]


def _where(imp: Import) -> str:
    return f"{imp.module} line {imp.line}: imports {imp.target}"


def _forbidden_modes(mode: str) -> set[str]:
    return MODE_IMPORTS.keys() - {mode} - MODE_IMPORTS[mode]


def test_every_module_has_a_layer() -> None:
    unknown = sorted({part_of(m) for m in sources(RUNTIME)} - set(LAYERS))
    assert not unknown, f"add these parts of detector/ to LAYERS: {unknown}"


def test_runtime_never_imports_development_code() -> None:
    bad = [_where(i) for i in _all_imports(RUNTIME) if _starts(i.target, DEV)]
    assert not bad, "detector/ imports detector_dev/:\n" + "\n".join(bad)


def test_development_code_is_not_imported_as_runtime() -> None:
    """detector_dev names the runtime ``detector.*``, never itself relatively
    as if it lived inside the wheel (``detector.corpus`` and the like)."""
    runtime = set(sources(RUNTIME))
    bad = [
        _where(i)
        for i in _all_imports(DEV)
        if _starts(i.target, RUNTIME)
        and i.target not in runtime
        and i.target.rpartition(".")[0] not in runtime
    ]
    assert not bad, "detector_dev imports names that are not in detector/:\n" + "\n".join(bad)


def test_runtime_needs_no_training_library() -> None:
    bad = []
    for imp in _all_imports(RUNTIME):
        for name in TRAINING_ONLY:
            if not _starts(imp.target, name):
                continue
            if name == "datatrove" and (imp.module == DATATROVE_ADAPTER or imp.type_checking):
                continue
            bad.append(_where(imp))
    assert not bad, "detector/ imports training-only libraries:\n" + "\n".join(bad)


def test_no_import_cycle() -> None:
    graph = import_graph()
    cycle = find_cycle(graph)
    assert cycle is None, (
        "import cycle: "
        + " -> ".join(f"{a} (line {graph[a][b]})" for a, b in zip(cycle, cycle[1:], strict=False))
        + f" -> {cycle[-1]}"
    )


def test_lower_layers_never_import_higher_ones() -> None:
    modules = set(sources(RUNTIME))
    bad = set()
    for imp in _all_imports(RUNTIME):
        for target in _internal_targets(imp, modules):
            here, there = part_of(imp.module), part_of(target)
            if LAYERS[there] > LAYERS[here]:
                bad.add(f"{_where(imp)} (layer {LAYERS[here]} -> {LAYERS[there]})")
            elif here in MODE_IMPORTS and there in _forbidden_modes(here):
                bad.add(f"{_where(imp)} (mode {here} may not use mode {there})")
    assert not bad, "imports against the layering:\n" + "\n".join(sorted(bad))


@pytest.mark.parametrize(
    ("graph", "cycle"),
    [
        ({"a": {"b": 1}, "b": {"c": 1}, "c": {}}, None),
        ({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}}, ["a", "b", "c", "a"]),
        ({"a": {"b": 1}, "b": {"b": 1}}, ["b", "b"]),
    ],
)
def test_find_cycle(graph: dict[str, dict[str, int]], cycle: list[str] | None) -> None:
    assert find_cycle(graph) == cycle


def test_imports_are_found_at_every_level(tmp_path: Path) -> None:
    """Inside functions, classes, try blocks and TYPE_CHECKING, relative or not."""
    path = tmp_path / "mod.py"
    path.write_text(
        "from typing import TYPE_CHECKING\n"
        "import a.b\n"
        "try:\n    from .c import d\nexcept ImportError:\n    pass\n"
        "if TYPE_CHECKING:\n    from e import f\n"
        "class K:\n    def m(self):\n        import g\n"
    )
    found = {(i.target, i.top_level, i.type_checking) for i in imports_of("p.q.mod", path)}
    assert found == {
        ("typing.TYPE_CHECKING", True, False),
        ("a.b", True, False),
        ("p.q.c.d", True, False),
        ("e.f", True, True),
        ("g", False, False),
    }
