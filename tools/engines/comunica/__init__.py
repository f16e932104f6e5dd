"""Comunica (npm ``@comunica/query-sparql-rdfjs`` over an N3.js store) behind our own SPARQL 1.1
Protocol server (``server.mjs`` beside this file), which binds 127.0.0.1 only.

The npm packages are pinned by ``package.json`` + ``package-lock.json`` here; ``.ci/run`` runs
``npm ci`` in this folder when Node is present (a developer runs it once by hand). Dataset rules
(union default graph; ``default-graph-uri`` / ``named-graph-uri`` replace the query's dataset) are
documented at the top of ``server.mjs``.

>>> with ComunicaServer({"https://example.org/g": Path("tiny.ttl")}) as server:   # doctest: +SKIP
...     server.store().query("ASK { ?s ?p ?o }").boolean
True

Comunica is slow: one catalogue query can take tens of seconds; give its store a long timeout.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from graphkit.errors import EnvironmentProblem
from graphkit.server import free_port

from ..servers import LOOPBACK, GraphFiles, ServerProcess, answers_sparql, graph_file_pairs

HERE = Path(__file__).resolve().parent
SERVER_SCRIPT = HERE / "server.mjs"
ENGINE_PACKAGE = HERE / "node_modules" / "@comunica" / "query-sparql-rdfjs"
SUPPORTED_SUFFIXES = (".ttl", ".nt", ".nq")


def comunica_missing() -> str | None:
    """Why the Comunica server cannot run here (a reason for ``pytest.skip``), or None."""
    if shutil.which("node") is None:
        return "Node.js is not installed (the Comunica engine tests need node 20 or later)"
    if not ENGINE_PACKAGE.is_dir():
        return f"Comunica's npm packages are not installed: run `npm ci` in {HERE.name}/ (tools/engines/comunica)"
    return None


class ComunicaServer(ServerProcess):
    """A Comunica SPARQL endpoint of its own, loaded with ``graphs`` (graph IRI -> file or files)."""

    name = "comunica"

    def __init__(self, graphs: GraphFiles | None = None):
        self.pairs = graph_file_pairs(graphs or {}, "Comunica", SUPPORTED_SUFFIXES)
        super().__init__()
        self.port = free_port(LOOPBACK)

    @property
    def query_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/sparql"

    def start(self, timeout: float = 300) -> "ComunicaServer":
        reason = comunica_missing()
        if reason:
            raise EnvironmentProblem(reason)
        command = ["node", str(SERVER_SCRIPT), "--port", str(self.port)]
        for graph, path in self.pairs:
            command += ["--load", f"{graph}={path}"]
        self.spawn(command, cwd=HERE)
        self.wait_until(lambda: answers_sparql(self.query_url), timeout, "to load its files and answer SPARQL")
        return self

    def quads(self) -> int:
        """The number of quads loaded (from the server's banner)."""
        banner = self.log_tail(100_000)
        for line in banner.splitlines():
            if line.startswith("listening on ") and line.endswith(" quads)"):
                return int(line.rsplit("(", 1)[1].split()[0])
        raise EnvironmentProblem(f"the Comunica server printed no banner:\n{banner[-500:]}")

