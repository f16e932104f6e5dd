"""What a format's writer gets besides the subgraph: the full view, the store behind it, options.

RDF formats read triples and evidence from the store's named graphs (loaded once per export,
on first use); every writer may show progress on long work.
"""

from __future__ import annotations

import networkx as nx
from rdflib import Graph

from ..external import external_graph_iri
from ..iris import GRAPH_IMPORTS
from ..progress import Progress
from ..project import Project
from ..store import OxigraphStore, graph_in_place


class Context:
    """The full view, the store behind it (default: the embedded store of the built graph), and
    the export's options (progress, picture title, --force)."""

    def __init__(self, view: nx.MultiDiGraph, store=None, progress: bool | None = None, title: str = "",
                 force: bool = False):
        self.view = view
        self._store = store
        self.progress = progress
        self.title = title
        self.force = force
        self._graphs: dict = {}

    @property
    def store(self):
        if self._store is None:
            self._store = OxigraphStore.from_project(Project.locate())
        return self._store

    def graph(self, name) -> Graph:
        """The store's named graph ``name`` (schema, asserted, provenance, inferred) as an rdflib
        Graph, read once per export; on the embedded store it is read in place instead
        (:class:`graphkit.store.StoredGraph`: only the triples a writer asks about are converted)."""
        if name not in self._graphs:
            self._graphs[name] = graph_in_place(self.store, name)
        return self._graphs[name]

    def term_graphs(self) -> list[str]:
        """The named graphs of external terms the store holds: the import modules
        (``graph/imports/hp`` ...) and the ontologies of ``graphkit load-external``, one of which
        stands in for an import module it contains (``graph/external/hp``)."""
        return sorted(name for name in self.store.graph_names()
                      if name.startswith((GRAPH_IMPORTS + "/", external_graph_iri(""))))

    def bar(self, label: str, total: int) -> Progress:
        return Progress(label, total=total, enabled=self.progress)
