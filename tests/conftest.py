"""Shared fixtures.

- ``project``, ``release``, ``release_graph``, ``store``: the real project, its release compiled
  once per session (nothing written), the built ``all.ttl`` as rdflib reads it, and its
  embedded store loaded once; shared read-only by every test.
- ``mini``: a copy of the mini project (``tests/fixtures/mini_project``: one source, 15
  entities), built once per session in process; tests break its inputs on purpose.
  ``mini_built``, ``mini_store`` and ``mini_view`` are the built mini project, its store and
  its NetworkX view, shared read-only: small real data for unit tests.
- ``cli``: runs ``graphkit ARGS`` in process (``graphkit.cli.main``), returning the exit code,
  standard output and standard error; ``run_cli`` runs ``python -m graphkit ARGS`` in a
  subprocess, for the few tests about the real process (exit codes, stderr, start-up).

Tiers: ``pytest -m "not slow"`` is the fast tier; ``pytest`` runs everything (tests marked
``slow`` run other engines, servers, browsers or the whole HPO).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from graphkit import cli as graphkit_cli
from graphkit.build import build, compile_release
from graphkit.project import Project

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MINI_PROJECT = FIXTURES / "mini_project"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
# What a mini project takes from the real one, so it follows the schema, shapes and checks.
SHARED_WITH_MINI = ("ontology/schema.ttl", "ontology/shapes.ttl", "ontology/release.yaml", "queries/qc")


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory):
    """A cache directory of the test session's own, so external ontologies a developer loaded
    (``graphkit load-external``) never change what the tests see."""
    previous = os.environ.get("GRAPHKIT_CACHE")
    cache = tmp_path_factory.mktemp("graphkit-cache")
    os.environ["GRAPHKIT_CACHE"] = str(cache)
    yield cache
    if previous is None:
        os.environ.pop("GRAPHKIT_CACHE", None)
    else:
        os.environ["GRAPHKIT_CACHE"] = previous


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A cache directory of the test's own (external ontologies, saved stores)."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("GRAPHKIT_CACHE", str(directory))
    return directory


# ---------------------------------------------------------------------------------------------
# The real project, shared read-only


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.locate(ROOT)


@pytest.fixture(scope="session")
def release(project):
    """The release compiled from the curated sources (nothing written)."""
    return compile_release(project)


@pytest.fixture(scope="session")
def release_graph(project):
    """``ontology/all.ttl`` read by pyoxigraph's parser (not graphkit's loaders; twice as fast as
    rdflib's) into an rdflib Graph; parsed once, tests never change it."""
    import pyoxigraph as ox
    from rdflib import Graph

    from graphkit.terms import rdflib_triples

    graph = Graph()
    graph.addN((*triple, graph) for triple in rdflib_triples(ox.parse(path=str(project.all_ttl),
                                                                       format=ox.RdfFormat.TURTLE)))
    return graph


@pytest.fixture(scope="session")
def store(project):
    from graphkit.store import OxigraphStore

    return OxigraphStore.from_project(project, include_external=False)


def _built_files_stamp(project: Project, include_external: bool) -> tuple:
    from graphkit.external import list_external

    files = [project.all_ttl, project.inferred_ttl, *sorted(project.imports_dir.glob("*.ttl"))]
    if include_external:
        files += [ext.data for ext in list_external(project)]
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files if p.exists())


@pytest.fixture(scope="session", autouse=True)
def stores_loaded_once():
    """Commands run in process open the embedded store as a user's command does; a store of the
    same built files (and external ontologies) is parsed once per session and then shared,
    read-only, like the ``store`` fixture."""
    from graphkit.store import OxigraphStore

    load = OxigraphStore.from_project.__func__
    loaded: dict = {}

    def from_project(cls, project, include_inferred=True, include_imports=True, include_external=True):
        key = (cls, project.root, include_inferred, include_imports, _built_files_stamp(project, include_external))
        if key not in loaded:
            loaded[key] = load(cls, project, include_inferred, include_imports, include_external)
        return loaded[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(OxigraphStore, "from_project", classmethod(from_project))
        yield


@pytest.fixture(scope="session", autouse=True)
def views_built_once(stores_loaded_once):
    """Likewise the NetworkX view of a shared store (``graphkit export`` builds one per run)."""
    from graphkit import nxview

    build_view = nxview.from_store
    built: dict = {}

    def from_store(store, **options):
        if getattr(store, "saved_directory", None) is not None:     # kept on disk beside it (graphkit.viewcache)
            return build_view(store, **options)
        key = (id(store), tuple(sorted(options.items())))
        if key not in built:
            built[key] = (store, build_view(store, **options))
        return built[key][1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nxview, "from_store", from_store)
        yield


# ---------------------------------------------------------------------------------------------
# The mini project


def make_mini_project(dest: Path) -> Project:
    """A copy of ``tests/fixtures/mini_project`` with the real schema, shapes, release declaration,
    QC queries and source text (not built)."""
    shutil.copytree(MINI_PROJECT, dest, ignore=shutil.ignore_patterns("README.md"))
    for name in SHARED_WITH_MINI:
        source, target = ROOT / name, dest / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    mini = Project(dest)
    for path in sorted(ROOT.joinpath("sources").glob("004_*.txt")):
        shutil.copy2(path, mini.sources_dir / path.name)
    return mini


@pytest.fixture(scope="session")
def mini_built(tmp_path_factory) -> Project:
    """The mini project, built once (in process)."""
    mini = make_mini_project(tmp_path_factory.mktemp("mini") / "project")
    build(mini)
    return mini


@pytest.fixture(scope="session")
def mini_store(mini_built):
    """The embedded store of the built mini project (shared, read-only)."""
    from graphkit.store import OxigraphStore

    return OxigraphStore.from_project(mini_built, include_external=False)


@pytest.fixture(scope="session")
def mini_view(mini_store):
    """The NetworkX view of the mini project (shared, read-only)."""
    from graphkit import nxview

    return nxview.from_store(mini_store)


@pytest.fixture
def mini(mini_built, tmp_path) -> Project:
    """A fresh copy of the built mini project, to break."""
    dest = tmp_path / "mini"
    shutil.copytree(mini_built.root, dest)
    return Project(dest)


# ---------------------------------------------------------------------------------------------
# The command line


@dataclass
class CLIResult:
    code: int
    out: str
    err: str

    def __repr__(self):
        return f"<exit {self.code}\nstdout: {self.out[-2000:]}\nstderr: {self.err[-2000:]}>"


@pytest.fixture
def cli(capsys, monkeypatch):
    """``cli("query", "--list")``: graphkit's command line in this process (``root`` sets
    ``--root``, ``input`` standard input, ``env`` environment variables for the call)."""

    def run(*args: str, root: Path | None = None, input: str | None = None, env: dict | None = None) -> CLIResult:
        with monkeypatch.context() as patch:
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            patch.setattr(sys, "stdin", io.StringIO(input or ""))
            capsys.readouterr()
            try:
                code = graphkit_cli.main((["--root", str(root)] if root else []) + list(args))
            except SystemExit as exc:               # argparse: bad options
                code = exc.code if isinstance(exc.code, int) else 2
            out, err = capsys.readouterr()
        return CLIResult(code, out, err)

    return run



@pytest.fixture(scope="module")
def served():
    """``graphkit serve`` of the release, read-only, for the tests of one module (the browser's:
    pages and accessibility); a module that needs another server defines its own."""
    from .httptools import ServeProcess

    server = ServeProcess()
    yield server
    server.stop()

def run_cli(*args: str, root: Path | None = None, input: str | None = None, timeout: float = 300,
            env: dict | None = None) -> CLIResult:
    """Run ``python -m graphkit ARGS`` in a subprocess, as a user would run the command."""
    environment = dict(os.environ)
    environment.pop("GRAPHKIT_ROOT", None)
    if root is not None:
        environment["GRAPHKIT_ROOT"] = str(root)
    environment.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "graphkit", *args], capture_output=True, text=True,
                          input=input, timeout=timeout, env=environment, cwd=str(root or ROOT))
    return CLIResult(proc.returncode, proc.stdout, proc.stderr)
