"""The one interface every back end offers (:class:`Store`), and what the embedded engines share:
the default timeout, a query's error, stopping to read an answer, the columns of ``SELECT *``."""

from __future__ import annotations

import copy
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from abc import ABC, abstractmethod

from .. import terms
from ..background import in_background
from ..errors import EndpointError, EnvironmentProblem, QueryError, QueryTimeout, shorten
from ..sparql import refuse_service, refuse_too_complex, refuse_update, services, star_columns
from .results import Results


# Seconds a query may take where no one said otherwise (an endpoint's, the Python API's; the
# command line's --timeout has the same default).
QUERY_TIMEOUT = 30.0


class Store(ABC):
    """A SPARQL dataset that answers queries: the one interface every back end offers."""

    name = "store"
    allow_service = False        # whether a query may name a SERVICE that this process would fetch
    timeout: float | None = None  # seconds a query may run (None: no limit)
    # Whether the release's named graphs are kept apart (GRAPH <...> finds them); a store of one
    # merged graph answers only queries of the default graph.
    named_graphs = True

    @abstractmethod
    def query(self, sparql) -> Results:
        """Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE): query text, or a
        prepared catalogue query (anything with the query in ``.text``). Updates are refused."""

    def describes(self, term) -> bool:
        """Whether the store has a triple whose subject is ``term`` (an IRI as an rdflib or
        pyoxigraph term)."""
        return bool(self.query(terms.bound("ASK WHERE { ?term ?p ?o }", term=term)).boolean)

    def require_entities(self) -> None:
        """Raise when this store holds none of graphkit's entities where its queries read (an
        endpoint whose default graph is not the union of the release's graphs): graphkit's own
        stores hold the release, so nothing here; :class:`~graphkit.store.EndpointStore` asks."""

    def require_imports(self) -> None:
        """Raise when this store holds none of the release's import modules where its queries read
        (an endpoint loaded with ``ontology/all.ttl`` alone): nothing here, as above."""

    def term_not_held(self, curie: str) -> str:
        """What to say of an ontology term (``curie``, an HPO class ...) this store does not hold:
        where it looked and what would add the term. graphkit's own stores hold the import modules
        and the ontologies of ``graphkit load-external``, which adds one."""
        return (f"{curie} is in neither the import modules (ontology/imports) nor an external ontology: add the "
                "whole ontology with `graphkit load-external FILE`")

    def graph(self, name):
        """The triples of the named graph ``name`` as an rdflib Graph."""
        from rdflib import Graph

        result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
        return result.graph if result.graph is not None else Graph()

    def allowing_service(self) -> "Store":
        """This store (the same data) answering queries with SERVICE clauses too."""
        clone = copy.copy(self)
        clone.allow_service = True
        return clone

    def with_timeout(self, seconds: float | None) -> "Store":
        """This store (the same data) giving each query at most ``seconds`` (None: no limit)."""
        clone = copy.copy(self)
        clone.timeout = seconds
        return clone

    def _answer(self, evaluate) -> "Results":
        """``evaluate(stop)`` run so that Ctrl-C and this store's timeout reach the caller at once.

        The embedded engines evaluate in native code (pyoxigraph, without the interpreter lock)
        or in long stretches of Python (rdflib) that a signal or a clock cannot interrupt. So the
        query runs in a thread of its own while the caller waits, ready to stop waiting. A query
        left behind reads no further solution (``stop`` is set); one still inside the engine (a
        sort, a COUNT over a cross product) runs on until it ends or the process does."""
        if self.timeout is None and threading.current_thread() is not threading.main_thread():
            return evaluate(threading.Event())     # no signal reaches this thread: nothing to wait for
        stop = threading.Event()
        answer = in_background(lambda: evaluate(stop), "graphkit query")
        try:
            return answer.result(timeout=self.timeout)
        except FutureTimeout:
            raise QueryTimeout(f"the query did not finish within {self.timeout:g} s, its timeout, on the embedded "
                               f"{self.name} store (a query too broad may need a LIMIT or a narrower pattern)") from None
        finally:
            stop.set()

    def _read_only(self, sparql) -> str:
        """The text of ``sparql``, once it is known to be a query this store may run."""
        text = sparql if isinstance(sparql, str) else sparql.text
        refuse_update(text)
        refuse_too_complex(text)
        if not self.allow_service:
            refuse_service(text)
        return text


def until_stopped(stop: threading.Event, items):
    """``items`` until ``stop`` is set (a query its caller stopped waiting for reads no further)."""
    for item in items:
        if stop.is_set():
            return
        yield item


def query_failure(exc: Exception, text: str) -> Exception:
    """The error of a query that failed while it ran: a SERVICE that failed is the environment's."""
    called = services(text)
    if called:
        return EndpointError(f"SERVICE {', '.join(called)} failed: {shorten(exc, 300)}")
    if str(exc).startswith("Corruption:"):             # RocksDB's word for a damaged store
        return EnvironmentProblem(f"the store is damaged ({shorten(exc, 120)}): remove the project's "
                                  ".graphkit-cache/store (or $GRAPHKIT_CACHE/store) and run the command again, which "
                                  "loads it anew")
    return QueryError(f"query failed: {shorten(exc, 300)}")


def star_order(variables: list[str], text: str) -> list[int] | None:
    """For a ``SELECT *`` query, the positions of its answer's ``variables`` in the order its
    text names them (:func:`graphkit.sparql.star_columns`), the same on every engine; None for
    any other query."""
    ranks = star_columns(text)
    if not ranks:
        return None
    return sorted(range(len(variables)), key=lambda i: (ranks.get(variables[i], len(ranks)), i))
