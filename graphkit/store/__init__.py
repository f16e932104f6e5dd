"""One query interface over interchangeable back ends.

- :class:`OxigraphStore` — the embedded default: pyoxigraph, the built graph split into named
  graphs (schema, asserted, provenance, inferred, imports); saved on disk and opened read-only
  by commands (:func:`open_store`, :mod:`graphkit.storecache`), in memory for a process that
  keeps it (:func:`default_store`).
- :class:`RdflibStore` — rdflib's SPARQL engine over the same data (reference and benchmark).
- :class:`EndpointStore` — any SPARQL 1.1 endpoint over HTTP, through SPARQLWrapper;
  :class:`ServerStore` — a local server asked many questions, on kept-alive connections.

All return :class:`Results`, whose rows are rdflib terms whichever engine ran (made on first
use: printing an answer, ``records()`` and ``to_json()`` need no rdflib). Every
back end only reads: an update (``INSERT``, ``DROP``, ``LOAD`` ...) is refused before anything
runs or is sent, and the embedded engines refuse ``SERVICE`` (a URL the engine would fetch)
unless the store was opened with ``allow_service``.

>>> store = OxigraphStore.from_project(Project.locate())
>>> store.query("SELECT ?l WHERE { gke:jmml rdfs:label ?l }").records()
[{'l': 'juvenile myelomonocytic leukemia'}]

The modules: :mod:`~graphkit.store.base` (the interface), :mod:`~graphkit.store.results`,
:mod:`~graphkit.store.release` (the release's named graphs), one module per back end
(:mod:`~graphkit.store.oxigraph`, :mod:`~graphkit.store.rdflib_engine`,
:mod:`~graphkit.store.endpoint`), :mod:`~graphkit.store.dataset` (``graphkit dump``); this
package gives them all, and opens the store a command or the Python API asks (:func:`open_store`,
:func:`default_store`).
"""

from __future__ import annotations

from .. import storecache
from ..errors import QueryError
from ..project import Project
from .base import QUERY_TIMEOUT, Store, star_order
from .dataset import DATASET_FORMATS, DATASET_SUFFIXES, graph_counts, write_dataset
from .endpoint import EndpointStore, ServerStore
from .oxigraph import OxigraphStore, StoredGraph, release_graph_quads
from .rdflib_engine import RdflibStore
from .release import CURATED_GRAPHS, RELEASE_GRAPHS, release_graph_names, release_quads
from .results import Results

__all__ = ["DATASET_FORMATS", "DATASET_SUFFIXES", "ENGINES", "EndpointStore", "OxigraphStore", "QUERY_TIMEOUT",
           "CURATED_GRAPHS", "RELEASE_GRAPHS", "RdflibStore", "Results", "ServerStore", "Store", "StoredGraph", "default_store",
           "graph_counts", "graph_in_place", "open_store", "release_graph_names", "release_graph_quads",
           "release_quads", "star_order", "write_dataset"]

ENGINES = ("oxigraph", "rdflib")


def graph_in_place(store: Store, name):
    """The named graph ``name`` of ``store`` as an rdflib-like graph: read in place where the store
    can (the embedded store's :class:`StoredGraph`, which converts only the triples asked about),
    else copied into an rdflib Graph (:meth:`Store.graph`)."""
    in_place = getattr(store, "stored_graph", None)
    return in_place(name) if in_place is not None else store.graph(name)


def open_store(project: Project | None = None, endpoint: str | None = None, engine: str = "oxigraph",
               timeout: float = QUERY_TIMEOUT, default_graphs: list[str] | None = None,
               include_external: bool = True, allow_service: bool = False) -> Store:
    """The store a command should query: a remote endpoint if given, else the embedded engine
    (the saved store on disk, see :meth:`OxigraphStore.saved`; with the external ontologies of
    ``graphkit load-external`` unless ``include_external`` is off; answering SERVICE clauses,
    which make this process fetch their URLs, only with ``allow_service``). Each query may take
    ``timeout`` seconds, on an endpoint as on the embedded store (None: no limit, embedded only)."""
    if endpoint:
        return EndpointStore(endpoint, timeout=timeout, default_graphs=default_graphs)
    project = project or Project.locate()
    if engine == "oxigraph":
        store = OxigraphStore.saved(project, include_external=include_external)
    elif engine == "rdflib":
        store = RdflibStore.from_project(project, include_external=include_external)
    else:
        raise QueryError(f"unknown engine {engine!r}; choose one of {ENGINES}")
    store = store.with_timeout(timeout)
    return store.allowing_service() if allow_service else store


# The default store of this process (graphkit.query without store=):
# (project root, cache) -> (the paths it was loaded from and their stats, the store).
_DEFAULT_STORES: dict = {}
def default_store(project: Project | None = None) -> OxigraphStore:
    """The embedded store of ``project`` (default: :meth:`Project.current`) in memory, loaded once
    for this process and again only when its files change (a build, ``load-external``: a few
    ``stat`` calls tell, about 0.1 ms): what ``graphkit.query`` runs on when given no store. In
    memory, not the saved store that one-off commands open: a process that asks many questions
    gets the engine's in-memory speed (queries on the store on disk take several times longer,
    measured in docs/benchmarks.md)."""
    project = project if project is not None else Project.current()
    key = (project.root, project.cache_dir)
    held = _DEFAULT_STORES.get(key)
    if held is not None and storecache.stats(held[0]) == held[1]:
        return held[2]
    # Directories too: a file added to or removed from them changes their mtime.
    paths = [project.release_config, project.imports_dir, project.cache_dir / "external",
             *storecache.input_files(project)]
    before = storecache.stats(paths)
    store = OxigraphStore.from_project(project)
    _DEFAULT_STORES[key] = (paths, before, store)
    return store
