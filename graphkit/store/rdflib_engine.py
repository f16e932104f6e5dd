"""rdflib's SPARQL engine over the same data: the reference the benchmark compares with."""

from __future__ import annotations

import threading

from .. import rdflibfixes, terms
from ..errors import QueryError
from ..iris import known_prefixes
from ..project import Project
from .base import Store, query_failure, star_order, until_stopped
from .release import release_quads
from .results import Results


class RdflibStore(Store):
    """rdflib's SPARQL engine over one merged graph (the union of the release graphs)."""

    name = "rdflib"
    named_graphs = False         # rdflib refuses GRAPH on a Graph rather than finding nothing

    def __init__(self, graph=None):
        from rdflib import Graph

        rdflibfixes.apply()
        self.graph = graph if graph is not None else Graph()
        for prefix, ns in known_prefixes().items():
            self.graph.bind(prefix, ns, override=True)

    @classmethod
    def from_project(cls, project: Project, include_inferred: bool = True, include_imports: bool = True,
                     include_external: bool = True):
        store = cls()
        for s, p, o, _ in release_quads(project, include_inferred, include_imports, include_external):
            store.graph.add((s, p, o))
        return store

    def __len__(self) -> int:
        return len(self.graph)

    def query(self, sparql) -> Results:
        from pyparsing import ParseException

        text = self._read_only(sparql)

        def evaluate(stop: threading.Event) -> Results:
            try:
                return self._results(self.graph.query(text, initNs=known_prefixes()), text, stop)
            except ParseException as exc:
                raise QueryError(f"malformed SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
            except Exception as exc:  # rdflib raises assorted errors for bad queries, some while the rows are read
                raise query_failure(exc, text) from None
        return self._answer(evaluate)

    @staticmethod
    def _results(answer, text: str, stop: threading.Event) -> Results:
        if answer.type == "ASK":
            return Results("ask", boolean=bool(answer.askAnswer))
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            from rdflib import Graph

            graph = Graph()
            for triple in until_stopped(stop, answer):
                graph.add(triple)
            return Results("graph", graph=graph)
        variables = [str(v) for v in answer.vars]
        order = star_order(variables, text)      # rdflib gives SELECT *'s columns in an order of its own
        variables = [variables[i] for i in order] if order else variables
        return Results("select", variables=variables,
                       rows=terms.solution_rows(variables, until_stopped(stop, answer), terms.plain))
