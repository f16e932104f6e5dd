"""The house rules, checked: imports point one way (no cycle), the loaders stand on graphkit's
ground floor only, the tools import nothing from the tests, no module imports another's private
names, and the command line starts without the heavy libraries it does not need."""

from __future__ import annotations

import ast
import re
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGES = ("graphkit", "loaders")
# What the loaders may use of graphkit: errors, YAML with lines, identifiers, the schema index.
LOADERS_MAY_IMPORT = {"graphkit.errors", "graphkit.yamlio", "graphkit.iris", "graphkit.namespaces", "graphkit.schema"}


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


MODULES = _modules()


def _resolve(module: str, node: ast.ImportFrom | ast.Import) -> list[tuple[str, list[str]]]:
    """(imported module, names taken from it) for an import statement in ``module``."""
    if isinstance(node, ast.Import):
        return [(alias.name, []) for alias in node.names]
    package = module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]
    if node.level:
        base = package.split(".")
        base = base[:len(base) - node.level + 1]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module
    out = []
    names = []
    for alias in node.names:
        if f"{target}.{alias.name}" in MODULES:          # from package import module
            out.append((f"{target}.{alias.name}", []))
        else:
            names.append(alias.name)
    if names:
        out.append((target, names))
    return out


def _imports() -> dict[str, list[tuple[str, list[str], int]]]:
    """Module -> (imported graphkit/loaders module, names taken from it, line) of every import
    statement, at the top or inside functions."""
    graph: dict[str, list[tuple[str, list[str], int]]] = {}
    for module, path in MODULES.items():
        found = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target, names in _resolve(module, node):
                    if target.split(".")[0] in PACKAGES:
                        found.append((target, names, node.lineno))
        graph[module] = found
    return graph


def test_no_import_cycle():
    """No module imports, at its top or in a function, a module that imports it back (directly
    or through others)."""
    graph = {m: sorted({t for t, _, _ in edges if t in MODULES and t != m}) for m, edges in _imports().items()}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, path: list[str]) -> bool:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                cycle.extend(path[path.index(nxt):] + [node, nxt] if nxt in path else [node, nxt])
                return True
            if state.get(nxt) is None and visit(nxt, path + [node]):
                return True
        state[node] = 2
        return False

    assert not any(state.get(m) is None and visit(m, []) for m in sorted(graph)), " -> ".join(cycle)


def test_loaders_stand_on_the_ground_floor():
    wrong = [(m, t, line) for m, edges in _imports().items() if m.startswith("loaders")
             for t, _, line in edges if t.startswith("graphkit") and t not in LOADERS_MAY_IMPORT]
    assert wrong == [], wrong


def test_tools_do_not_import_the_tests():
    """Dependencies point from the tests to what they test: tools/catalogue_check.py imported the
    engine servers from tests/engines, so a developer's tool broke with a test's rename. What both
    need is in tools/engines (the tests import it from there)."""
    wrong = []
    for path in sorted((ROOT / "tools").rglob("*.py")):
        if "node_modules" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            wrong += [f"{path.relative_to(ROOT)}:{node.lineno}: {name}" for name in names
                      if name.split(".")[0] == "tests"]
    assert wrong == [], wrong


def test_no_private_name_is_imported_from_another_module():
    wrong = [f"{MODULES[m].relative_to(ROOT)}:{line}: {t}.{name}" for m, edges in _imports().items()
             for t, names, line in edges if t != m for name in names if name.startswith("_")]
    assert wrong == [], wrong


@pytest.mark.slow
def test_no_private_name_is_used_from_another_module_by_the_tests_tools_or_benchmarks_either():
    """`module._name` read or patched from outside, in any Python file of the checkout: a review
    found tests patching nxview._build and calling cli._interrupted, which the import check above
    (graphkit and loaders, `from x import _y`) did not see."""
    wrong = []
    files = [p for folder in ("graphkit", "loaders", "tests", "tools", "benchmarks") for p in (ROOT / folder).rglob("*.py")
             if "node_modules" not in p.parts and "vendor" not in p.parts]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                   for alias in node.names if alias.name.split(".")[0] in PACKAGES}
        modules |= {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    for alias in node.names if f"{node.module}.{alias.name}" in MODULES}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PACKAGES:
                wrong += [f"{path.relative_to(ROOT)}:{node.lineno}: {node.module}.{alias.name}" for alias in node.names
                          if alias.name.startswith("_") and not alias.name.startswith("__")
                          and f"{node.module}.{alias.name}" not in MODULES]
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules \
                    and node.attr.startswith("_") and not node.attr.startswith("__"):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    assert wrong == [], wrong


def test_no_name_is_imported_or_assigned_and_never_used():
    """Pyflakes' rules (through ruff, a test extra): an unused import, a local assigned and never
    read, a loop variable that hides an import. A code review found eleven (a dead `paths` list in
    the export writer, imports left behind by moves) that no test had seen."""
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    proc = subprocess.run([ruff, "check", "--no-cache", "--select", "F", "--output-format", "concise",
                           "graphkit", "loaders", "tests", "tools", "benchmarks"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_every_command_module_is_listed_and_every_listed_command_has_a_module():
    from graphkit.cli import make_parser
    from graphkit.commands import COMMANDS

    files = {path.stem.replace("_", "-") for path in (ROOT / "graphkit" / "commands").glob("*.py")
             if not path.stem.startswith("_")}
    assert set(COMMANDS) == files, ("each module of graphkit/commands/ has its one-line help in COMMANDS "
                                    "(graphkit/commands/__init__.py), and each entry a module")
    assert set(make_parser()._subparsers._group_actions[0].choices) == files
    for name in COMMANDS:                      # each module registers into the parser the CLI made for it
        command = make_parser(name)._subparsers._group_actions[0].choices[name]
        assert callable(command.get_default("run")), (
            f"graphkit {name}: its register(parser) must call parser.set_defaults(run=...) with the function it runs")


def test_engine_choices_are_the_engines_graphkit_has():
    from graphkit.commands import _common
    from graphkit.qc.run import SHACL_ENGINES
    from graphkit.reason import REASONERS
    from graphkit.store import ENGINES

    assert (_common.ENGINES, _common.REASONERS, _common.SHACL_ENGINES) == (ENGINES, REASONERS, SHACL_ENGINES)


def test_the_command_lines_query_timeout_is_the_libraries():
    from graphkit.cli import make_parser
    from graphkit.store import QUERY_TIMEOUT

    assert make_parser("query").parse_args(["query", "x"]).timeout == QUERY_TIMEOUT


HEAVY = ("rdflib", "networkx", "matplotlib", "pyoxigraph", "owlrl", "pyshacl")


@pytest.mark.parametrize("args", [["query", "--list"], ["query", "--help"], ["sparql", "--help"], ["--help"], []])
def test_starting_the_command_line_imports_no_heavy_library(args):
    """`graphkit query --list`, `--help` and `graphkit` alone answer without importing the RDF stack
    (0.1 s, not 0.7 s); the command list imports no command module."""
    program = (f"import sys\nfrom graphkit.cli import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
               f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]", f"graphkit {' '.join(args)} imported heavy libraries"


@pytest.mark.parametrize("args", [["--help"], []])
def test_the_list_of_commands_imports_no_command_module(args):
    program = (f"import sys\nfrom graphkit.cli import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
               "print(sorted(m for m in sys.modules if m.startswith('graphkit.commands.')))")
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout[-300:]


# What a query needs is the engine and the query files: not rdflib (which graphkit hands to API
# callers on demand), the NetworkX view, plotting, curies and pydantic, or the exporters.
NOT_FOR_A_QUERY = ("rdflib", "networkx", "matplotlib", "curies", "pydantic", "owlrl", "pyshacl", "SPARQLWrapper",
                   "graphkit.namespaces", "graphkit.export", "graphkit.linking", "graphkit.nxview", "graphkit.build",
                   "graphkit.qc")


@pytest.mark.parametrize("args", [["query", "subtypes-of"], ["query", "symptoms-of-disease", "-p", "disease=JMML",
                                                              "--format", "json"], ["sparql", "-"]])
@pytest.mark.slow
def test_a_query_on_the_saved_store_imports_only_what_it_needs(args, tmp_path):
    """The first run loads the saved store, the second opens it: neither imports the RDF library
    or the exporters (a query starts in a fraction of a second)."""
    program = (f"import sys, io\nsys.stdin = io.StringIO('SELECT * WHERE {{ ?s a gk:Disease }} LIMIT 2')\n"
               f"from graphkit.cli import main\ncode = main({args!r})\n"
               f"print(code, sorted(m for m in {NOT_FOR_A_QUERY!r} if m in sys.modules))")
    env = {**os.environ, "GRAPHKIT_CACHE": str(tmp_path)}
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT, timeout=120,
                              env=env)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip().splitlines()[-1] == "0 []", proc.stdout[-500:]


def _rooms() -> dict[str, int]:
    """Module -> the row of the README's table of rooms it is named in (the first, counted from
    the ground floor); a package named with a slash (``pages/``) stands for its modules."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("The library, from the ground floor up", 1)[1].split("\n\n", 2)[1]
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith(("| room", "|---"))]
    rooms: dict[str, int] = {}
    for index, row in enumerate(rows):
        _, room, names, _ = row.split("|")
        home = "loaders" if "`loaders/`" in room else "graphkit"
        for name in re.findall(r"`([\w./]+)(?:\(\.\.\.\))?`", names):
            package = name.endswith("/")
            base = "graphkit" if name == "graphkit.query" else f"{home}.{name.rstrip('/').replace('/', '.')}"
            for module in MODULES:
                if module == base or (package and module.startswith(base + ".")):
                    rooms.setdefault(module, index)
    return rooms


def test_every_module_imports_only_from_its_room_or_the_rooms_below():
    """README, Layout: each module imports only from the rows above it or its own row."""
    rooms = _rooms()
    unplaced = sorted(m for m in MODULES if m not in rooms
                      and m not in ("graphkit.__main__", "loaders") and not m.startswith("graphkit.vendor"))
    assert len(rooms) > 90 and unplaced == [], "modules the README's table of rooms does not name"
    upward = [(m, t, line) for m, edges in _imports().items() if m in rooms
              for t, _, line in edges if t in rooms and rooms[t] > rooms[m]]
    assert upward == [], upward


def test_every_file_the_packages_read_is_installed():
    """The pages' stylesheet and script (graphkit/pages/static) were in no package-data pattern:
    an install that is not editable (a wheel) served every page without them, 404s. Each file of
    the packages that is not Python is matched by a pattern of pyproject.toml's package-data."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    for package, patterns in config["package-data"].items():
        root = ROOT / package
        installed = {path for pattern in patterns for path in root.glob(pattern)}
        data = {path for path in root.rglob("*") if path.is_file() and path.suffix not in (".py", ".pyc")}
        assert sorted(str(p.relative_to(root)) for p in data - installed) == []
