"""pytest fixtures over the external engines (session scope; each skips with the reason when its
tool is not installed). ``tests/engines/conftest.py`` offers them to the tests in this folder;
a test module elsewhere imports the ones it uses::

    from tests.engines.fixtures import virtuoso_release   # noqa: F401  (a fixture)

Servers listen on 127.0.0.1 only and are stopped, and their temporary directories removed, when
the session ends, whether the tests passed or not.

- ``release_graphs``: graph IRI -> N-Triples file of each named graph of the release, with the
  inferred graph, exactly as graphkit's embedded store holds it (no external ontologies).
- ``virtuoso_release``, ``comunica_release``, ``oxigraph_release``, ``jena_release``: a running server
  loaded with ``release_graphs`` (:class:`~tools.engines.virtuoso.VirtuosoServer`,
  :class:`~tools.engines.comunica.ComunicaServer`, :class:`~tools.engines.oxigraph.OxigraphProcess`,
  :class:`~tests.engines.jena.JenaServer`):
  ``.query_url``, ``.store(default_graphs)`` (a :class:`graphkit.store.EndpointStore`), Virtuoso's
  ``.graph_store_url`` and ``.credentials``.
- ``owlapi``: :class:`~tests.engines.owlapi.OwlApi`, ready to ``.report(files, imports=...)``.
- ``kgx_offline``: the :func:`~tests.engines.kgx_offline.kgx_validate` function.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tools.engines.comunica import ComunicaServer, comunica_missing
from .jena import JenaServer, jena_missing
from .kgx_offline import kgx_missing, kgx_validate
from .owlapi import OwlApi, owlapi_missing
from tools.engines.oxigraph import OxigraphProcess
from tools.engines.release import release_graph_files
from tools.engines.virtuoso import VirtuosoServer, virtuoso_missing


def require(reason: str | None) -> None:
    """Skip the test with ``reason`` when a tool is missing (``reason`` is None otherwise)."""
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def release_graphs(project):
    with tempfile.TemporaryDirectory(prefix="graphkit-release-graphs-") as directory:
        yield release_graph_files(project, Path(directory))


@pytest.fixture(scope="session")
def virtuoso_release(release_graphs):
    require(virtuoso_missing())
    with VirtuosoServer(release_graphs) as server:
        yield server


@pytest.fixture(scope="session")
def comunica_release(release_graphs):
    require(comunica_missing())
    with ComunicaServer(release_graphs) as server:
        yield server


@pytest.fixture(scope="session")
def oxigraph_release(release_graphs):
    with OxigraphProcess(release_graphs) as server:
        yield server


@pytest.fixture(scope="session")
def jena_release(release_graphs):
    require(jena_missing())
    with JenaServer(release_graphs) as server:
        yield server


@pytest.fixture(scope="session")
def owlapi():
    require(owlapi_missing())
    with tempfile.TemporaryDirectory(prefix="graphkit-owlapi-") as build_dir:
        yield OwlApi(Path(build_dir))


@pytest.fixture(scope="session")
def kgx_offline():
    require(kgx_missing())
    return kgx_validate
