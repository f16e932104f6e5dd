"""The Oxigraph server (``oxigraph`` PyPI binary, as ``graphkit serve`` runs it) loaded with given
files into given named graphs, in the same style as the Virtuoso and Comunica fixtures.

``oxigraph load --graph`` fills a database in a temporary directory; graphkit's own
:class:`graphkit.server.OxigraphServer` serves it read-only on 127.0.0.1 with the union of all
graphs as the default graph.

>>> with OxigraphProcess({"https://example.org/g": Path("tiny.ttl")}) as server:   # doctest: +SKIP
...     server.store().query("ASK { ?s ?p ?o }").boolean
True
"""

from __future__ import annotations

import subprocess

from graphkit.errors import EnvironmentProblem
from graphkit.server import OxigraphServer, oxigraph_binary

from .servers import LOOPBACK, GraphFiles, ServerProcess, graph_file_pairs


class OxigraphProcess(ServerProcess):
    """An ``oxigraph serve-read-only`` of its own, loaded with ``graphs`` (graph IRI -> file or files)."""

    name = "oxigraph"

    def __init__(self, graphs: GraphFiles | None = None):
        self.pairs = graph_file_pairs(graphs or {})
        super().__init__()
        self.location = self.workdir / "db"
        self.server = OxigraphServer(self.location, host=LOOPBACK, read_only=True, union_default_graph=True)

    @property
    def query_url(self) -> str:
        return self.server.query_url

    @property
    def graph_store_url(self) -> str:
        """The Graph Store Protocol endpoint (read-only here: it answers GET)."""
        return self.server.store_url

    def start(self, timeout: float = 120) -> "OxigraphProcess":
        binary = oxigraph_binary()
        for graph, path in self.pairs:
            proc = subprocess.run([binary, "load", "--location", str(self.location), "--file", str(path),
                                   "--graph", graph], capture_output=True, text=True, timeout=timeout)
            if proc.returncode != 0:
                raise EnvironmentProblem(f"oxigraph load {path} into <{graph}> failed: {proc.stderr.strip()[-800:]}")
        self.location.mkdir(exist_ok=True)
        self.server.start(timeout=timeout)
        return self

    def stop(self) -> None:
        self.server.stop()
        super().stop()
