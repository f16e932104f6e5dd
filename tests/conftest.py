"""Shared fixtures: the project, its compiled release, an embedded store, throwaway project
copies for deliberately broken inputs, and a CLI runner that runs graphkit as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graphkit.build import compile_release
from graphkit.project import Project

ROOT = Path(__file__).resolve().parent.parent
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


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


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.locate(ROOT)


@pytest.fixture(scope="session")
def release(project):
    """The release compiled from the curated sources (nothing written)."""
    return compile_release(project)


@pytest.fixture(scope="session")
def store(project):
    from graphkit.store import OxigraphStore

    return OxigraphStore.from_project(project, include_external=False)


def copy_project(dest: Path) -> Project:
    """A full copy of the project's inputs and built outputs (for broken-input tests)."""
    for name in ("sources", "queries"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name)
    shutil.copytree(ROOT / "ontology", dest / "ontology")
    if (ROOT / "docs").exists():
        shutil.copytree(ROOT / "docs", dest / "docs")
    return Project(dest)


@pytest.fixture
def project_copy(tmp_path) -> Project:
    return copy_project(tmp_path / "project")


class CLIResult:
    def __init__(self, proc: subprocess.CompletedProcess):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def __repr__(self):
        return f"<exit {self.code}\nstdout: {self.out[-2000:]}\nstderr: {self.err[-2000:]}>"


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
    return CLIResult(proc)


@pytest.fixture
def cli():
    return run_cli
