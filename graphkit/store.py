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
"""

from __future__ import annotations

import ast
import copy
import json
import re
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from abc import ABC, abstractmethod
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from . import rdflibfixes, storecache, terms, turtlediff
from .background import in_background
from .errors import EndpointError, EndpointTimeout, EnvironmentProblem, QueryError, QueryTimeout, excerpt, shorten
from .external import covering_graph, list_external
from .iris import (GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_PROVENANCE, GRAPH_SCHEMA, TURTLE_PREFIXES,
                   graph_name, graph_name_expression, import_graph, known_prefixes, readable, redact_url)
from .project import Project
from .rdfread import syntax_problem
from .sparql import (malformed, on_users_line, query_form, refuse_service, refuse_too_complex, refuse_update, services,
                     sorted_parts, star_columns, with_prefixes)
from .switch import reading

ENGINES = ("oxigraph", "rdflib")
RELEASE_GRAPHS = (GRAPH_SCHEMA, GRAPH_ASSERTED, GRAPH_PROVENANCE, GRAPH_INFERRED)


class Results:
    """The answer to a query: SELECT rows, an ASK boolean, or a CONSTRUCT/DESCRIBE graph.

    ``rows`` (variable -> rdflib term, unbound variables absent) and ``graph`` (an rdflib Graph)
    are made on first use from the engine's own terms: :meth:`records`, :meth:`texts`,
    :meth:`to_json` and :meth:`to_df` read those directly, without rdflib.
    """

    def __init__(self, kind: str, variables=None, rows: list[dict] | None = None, boolean: bool | None = None,
                 graph=None, *, solutions: list[tuple] | None = None, triples: list | None = None):
        self.kind = kind                            # "select" | "ask" | "graph"
        self.variables: list[str] = list(variables or [])
        self.boolean = boolean
        self._rows = rows if rows is not None or solutions is not None else []
        self._solutions = solutions                 # pyoxigraph terms (None = unbound), in variable order
        self._graph = graph
        self._triples = triples                     # pyoxigraph triples of a graph answer
        self.notes: tuple[str, ...] = ()            # what a catalogue run noted (graphkit.catalogue.runner.run)

    def __repr__(self) -> str:
        if self.kind == "ask":
            shown = f"<Results ask: {self.boolean}"
        elif self.kind == "graph":
            shown = f"<Results graph: {len(self._triples) if self._triples is not None else len(self.graph)} triples"
        else:
            shown = f"<Results select: {len(self._native_rows())} rows of {', '.join(self.variables)}"
        return shown + "".join(f"; note: {note}" for note in self.notes) + ">"

    # How many rows a notebook shows of an answer (its repr says how many there are).
    SHOWN_IN_NOTEBOOK = 50

    def _repr_html_(self) -> str:
        """A SELECT answer as a table in a notebook (Jupyter calls this), its notes above it; the
        first :data:`SHOWN_IN_NOTEBOOK` rows, the count of the rest below."""
        import html

        notes = "".join(f"<p><em>note: {html.escape(note)}</em></p>" for note in self.notes)
        if self.kind != "select":
            return notes + f"<pre>{html.escape(repr(self))}</pre>"
        rows = self.texts(marked_blank_nodes=True)
        head = "".join(f"<th>{html.escape(v)}</th>" for v in self.variables)
        body = "".join("<tr>" + "".join(f"<td>{'' if row[v] is None else html.escape(readable(row[v]))}</td>"
                                        for v in self.variables) + "</tr>"
                       for row in rows[:self.SHOWN_IN_NOTEBOOK])
        more = len(rows) - self.SHOWN_IN_NOTEBOOK
        return (notes + f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
                + (f"<p>{more:,} more rows (.records() or .to_df() hold them all)</p>" if more > 0 else
                   f"<p>{len(rows):,} rows</p>"))

    @property
    def rows(self) -> list[dict]:
        """Rows of rdflib terms (variable -> term; unbound variables absent)."""
        if self._rows is None:
            self._rows = self._made(self._solutions)
        return self._rows

    def head(self, count: int) -> list[dict]:
        """The first ``count`` of :attr:`rows`, made of rdflib terms for those only (a page shows
        the first rows of an answer of any size)."""
        return self._rows[:count] if self._rows is not None else self._made(self._solutions[:count])

    def _made(self, solutions) -> list[dict]:
        memo: dict = {}
        return [{v: terms.from_oxigraph(t, memo) for v, t in zip(self.variables, solution) if t is not None}
                for solution in solutions]

    @property
    def row_count(self) -> int:
        """How many rows a SELECT answer has (counted without making rdflib terms of them)."""
        return len(self._solutions) if self._solutions is not None else len(self._rows or [])

    @property
    def graph(self):
        """The rdflib Graph of a CONSTRUCT or DESCRIBE answer (None for other answers)."""
        if self._graph is None and self._triples is not None:
            from rdflib import Graph

            self._graph = Graph()
            for triple in terms.rdflib_triples(self._triples):
                self._graph.add(triple)
        return self._graph

    def _native_rows(self) -> list[dict]:
        """Rows of whatever terms the engine gave (pyoxigraph's or rdflib's)."""
        if self._solutions is None:
            return self._rows if self._rows is not None else self.rows
        return [dict(zip(self.variables, solution)) for solution in self._solutions]

    def records(self) -> list[dict]:
        """Rows as plain Python values (str, int, float, bool, None): pandas-friendly. Only a SELECT
        answer has rows (an ASK or CONSTRUCT answer's records had been an empty list)."""
        self._select_only("records")
        return [{v: terms.to_python(row.get(v)) for v in self.variables} for row in self._native_rows()]

    def _select_only(self, method: str) -> None:
        if self.kind != "select":
            answer = ("an ASK answer (a boolean: .boolean)" if self.kind == "ask"
                      else "a graph (CONSTRUCT or DESCRIBE: .graph)")
            raise QueryError(f"{method}() takes the rows of a SELECT query; this answer is {answer}")

    def texts(self, marked_blank_nodes: bool = False) -> list[dict]:
        """Rows as the text of each term (an IRI, a literal's lexical form; None when unbound);
        a blank node as its label, or with ``marked_blank_nodes`` as ``_:`` and its label (to
        show: a label alone reads as a literal)."""
        text = terms.marked_text if marked_blank_nodes else terms.text
        return [{v: text(row.get(v)) for v in self.variables} for row in self._native_rows()]

    def to_df(self):
        """The rows as a pandas DataFrame of :meth:`records` (pandas is optional: installed with
        ``pip install pandas``)."""
        try:
            import pandas
        except ImportError:
            raise EnvironmentProblem("Results.to_df() needs pandas, which is not installed: "
                                     "`pip install pandas` (or use .records())") from None
        self._select_only("to_df")
        records = self.records()
        frame = pandas.DataFrame.from_records(records, columns=self.variables)
        # A column of whole numbers with gaps stays whole (pandas' nullable Int64): 7 patients
        # read 7.0 where another row has none.
        # Made from the records, not the float column (2**53 + 1 read as 2**53); a number out of
        # Int64's range leaves the column as pandas makes it.
        for column in self.variables:
            values = [r.get(column) for r in records]
            present = [v for v in values if v is not None]
            if present and len(present) < len(values) and all(type(v) is int and -2**63 <= v < 2**63 for v in present):
                frame[column] = pandas.array(values, dtype="Int64")
        return frame

    def to_json(self) -> dict:
        """SPARQL 1.1 Query Results JSON."""
        if self.kind == "ask":
            return {"head": {}, "boolean": bool(self.boolean)}
        bindings = [{v: terms.to_json(t) for v, t in row.items() if t is not None} for row in self._native_rows()]
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}

    def with_sorted_parts(self, concatenated: dict[str, str]) -> "Results":
        """This answer with the parts of each GROUP_CONCAT value in order (``concatenated``: its
        variables and their separators; :func:`graphkit.sparql.sorted_parts`), so that a list in a
        cell reads the same on every engine. The rows keep their order."""
        columns = [n for n, v in enumerate(self.variables) if v in concatenated]
        if self.kind != "select" or not columns:
            return self
        if self._solutions is not None:
            solutions = []
            for solution in self._solutions:
                solution = list(solution)
                for n in columns:
                    term = solution[n]
                    if isinstance(term, ox.Literal) and term.language is None:
                        solution[n] = ox.Literal(sorted_parts(term.value, concatenated[self.variables[n]]),
                                                 datatype=term.datatype)
                solutions.append(tuple(solution))
            return Results("select", self.variables, solutions=solutions)
        from rdflib import Literal

        rows = []
        for row in self.rows:
            row = dict(row)
            for n in columns:
                var = self.variables[n]
                term = row.get(var)
                if isinstance(term, Literal) and term.language is None:
                    row[var] = Literal(sorted_parts(str(term), concatenated[var]), datatype=term.datatype)
            rows.append(row)
        return Results("select", self.variables, rows)

    def canonical(self, concatenated: dict[str, str] | None = None) -> list[tuple]:
        """Rows as sorted tuples of N-Triples strings, to compare answers across engines;
        ``concatenated`` maps GROUP_CONCAT variables to their separator (parts get sorted)."""
        return sorted(self.in_order(concatenated))

    def in_order(self, concatenated: dict[str, str] | None = None) -> list[tuple]:
        """The rows of :meth:`canonical` in the order the engine gave them (to compare the order
        of an ORDER BY across engines)."""
        from rdflib import Literal

        concatenated = concatenated or {}

        def key(var, term):
            if var in concatenated and isinstance(term, Literal):
                # Engines differ on an empty GROUP_CONCAT: "" (SPARQL 1.1) or unbound.
                term = Literal(sorted_parts(str(term), concatenated[var])) if str(term) else None
            return terms.key(term)

        return [tuple(key(v, row.get(v)) for v in self.variables) for row in self.rows]


# Seconds a query may take where no one said otherwise (an endpoint's, the Python API's; the
# command line's --timeout has the same default).
QUERY_TIMEOUT = 30.0


class Store(ABC):
    """A SPARQL dataset that answers queries: the one interface every back end offers."""

    name = "store"
    allow_service = False        # whether a query may name a SERVICE that this process would fetch
    timeout: float | None = None  # seconds a query may run (None: no limit)

    @abstractmethod
    def query(self, sparql) -> Results:
        """Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE): query text, or a
        prepared catalogue query (anything with the query in ``.text``). Updates are refused."""

    def describes(self, term) -> bool:
        """Whether the store has a triple whose subject is ``term`` (an IRI as an rdflib or
        pyoxigraph term)."""
        return bool(self.query(terms.bound("ASK WHERE { ?term ?p ?o }", term=term)).boolean)

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


def _until(stop: threading.Event, items):
    """``items`` until ``stop`` is set (a query its caller stopped waiting for reads no further)."""
    for item in items:
        if stop.is_set():
            return
        yield item


def _failed(exc: Exception, text: str) -> Exception:
    """The error of a query that failed while it ran: a SERVICE that failed is the environment's."""
    called = services(text)
    if called:
        return EndpointError(f"SERVICE {', '.join(called)} failed: {shorten(exc, 300)}")
    if str(exc).startswith("Corruption:"):             # RocksDB's word for a damaged store
        return EnvironmentProblem(f"the store is damaged ({shorten(exc, 120)}): remove the project's "
                                  ".graphkit-cache/store (or $GRAPHKIT_CACHE/store) and run the command again, which "
                                  "loads it anew")
    return QueryError(f"query failed: {shorten(exc, 300)}")


# ---------------------------------------------------------------------------------------------
# Loading the built release


def release_graph_names(project: Project, include_external: bool = False) -> list[str]:
    """The named graphs of the release, as the embedded store and ``graphkit serve`` hold them
    (and ``graphkit push`` sends them): schema, asserted, provenance, inferred and one
    ``imports/<module>`` each; with ``include_external``, the external ontologies' graphs
    (``graphkit load-external``) too."""
    external = [str(ext.graph) for ext in list_external(project)] if include_external else []
    return [str(g) for g in RELEASE_GRAPHS] + [import_graph(path.stem) for path in project.import_files()] + external


def graph_counts(store: "OxigraphStore") -> dict[str, int]:
    """Named graph IRI -> its number of triples, in IRI order."""
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
    return {str(r["g"]): int(r["n"]) for r in sorted(rows, key=lambda r: str(r["g"]))}


# The formats of a dump of the release's named graphs (graphkit dump): file suffix -> format.
DATASET_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
DATASET_SUFFIXES = {".nq": "nquads", ".nquads": "nquads", ".trig": "trig"}


def write_dataset(project: Project, output, fmt: str = "nquads", include_inferred: bool = True,
                  include_external: bool = False, mkdir: bool = False) -> "OxigraphStore":
    """The release in its named graphs (schema, asserted, provenance, inferred, imports/*; and
    external/* with ``include_external``), as the embedded store, ``graphkit serve`` and
    ``graphkit push`` hold them, written to ``output`` (a path, or a binary file object) as
    N-Quads or TriG: what another triple store loads to answer ``GRAPH`` patterns as graphkit
    does. A path is written whole or not at all (its directory created with ``mkdir``). The same
    release gives the same bytes: blank nodes get their RDFC-1.0 canonical labels (the store's
    are new random ones at each load) and the quads are sorted by graph, subject, predicate and
    object, so two dumps diff. Returns the store it was read into."""
    from .fileio import atomic_path

    store = OxigraphStore.from_project(project, include_inferred=include_inferred, include_external=include_external)
    quads = terms.canonical_quads(store.ox.quads_for_pattern(None, None, None, None))
    options = {"format": DATASET_FORMATS[fmt]}
    if fmt == "trig":
        options["prefixes"] = dict(TURTLE_PREFIXES)
    if isinstance(output, (str, Path)):
        with atomic_path(Path(output), mkdir=mkdir) as tmp:
            ox.serialize(quads, str(tmp), **options)
    else:
        ox.serialize(quads, output, **options)
    return store


def release_quads(project: Project, include_inferred: bool = True, include_imports: bool = True,
                  include_external: bool = True):
    """(s, p, o, graph) rdflib tuples of the built release, by named graph (and of the external
    ontologies loaded with ``graphkit load-external``)."""
    from rdflib import Graph, URIRef

    from .namespaces import graph_for_triple

    with reading(project.root):          # the built files as one release, never half of a build's switch
        project.require_release()
        release = Graph().parse(project.all_ttl, format="turtle")
        inferred = Graph().parse(project.inferred_ttl, format="turtle") \
            if include_inferred and project.inferred_ttl.exists() else Graph()
    for s, p, o in release:
        yield s, p, o, graph_for_triple(s, p, o)
    for s, p, o in inferred:
        yield s, p, o, URIRef(GRAPH_INFERRED)
    if include_imports:
        for path in project.import_files():
            target = URIRef(import_graph(path.stem))
            for s, p, o in Graph().parse(path, format="turtle"):
                yield s, p, o, target
    if include_external:
        for ext in list_external(project):
            for s, p, o in Graph().parse(ext.data, format="nt"):
                yield s, p, o, ext.graph


# ---------------------------------------------------------------------------------------------
# pyoxigraph


_RELEASE_GRAPH_NODES = {g: ox.NamedNode(g) for g in RELEASE_GRAPHS}


def _release_graph(triple) -> ox.NamedNode:
    """The named graph of a triple (or quad) of the release (:func:`graphkit.iris.graph_name`)."""
    subject, obj = triple.subject, triple.object
    return _RELEASE_GRAPH_NODES[graph_name(isinstance(subject, ox.BlankNode), subject.value, triple.predicate.value,
                                           obj.value if isinstance(obj, ox.NamedNode) else "")]


def release_graph_quads(source: dict):
    """The triples of the built release (``source``: ``path=`` or ``input=`` of pyoxigraph's parser)
    as pyoxigraph quads, each in its named graph (:func:`graphkit.iris.graph_name`)."""
    for t in ox.parse(**source, format=ox.RdfFormat.TURTLE):
        yield ox.Quad(t.subject, t.predicate, t.object, _release_graph(t))


# Copies the release, parsed into the default graph, into its named graphs: release_graph_quads
# as one SPARQL update (the same placement, checked triple by triple by a test).
_PLACE_RELEASE = (f"INSERT {{ GRAPH ?graph {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o "
                  f"BIND({graph_name_expression()} AS ?graph) }}")




@contextmanager
def _reading_file(project: Project, path: Path, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE):
    """A syntax error of the file (a hand-edited or damaged release, import module or converted
    external ontology) as one problem at its line, not a traceback."""
    try:
        yield
    except SyntaxError as exc:
        raise syntax_problem(exc, project.relative(path), fmt.name) from None


def _default_graph_size(store: ox.Store) -> int:
    """The number of quads in the default graph, counted inside pyoxigraph (iterating them in
    Python took 3 s for the full HPO's union copy)."""
    count = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(next(iter(count))[0].value)


def _inferred_graph(triple: ox.Triple) -> ox.NamedNode:
    return ox.NamedNode(GRAPH_INFERRED)


def _apply_changes(database: ox.Store, changes: list, notes: dict) -> dict:
    """Apply each file's :class:`~graphkit.turtlediff.Changes` (with the function placing its
    triples in their named graph) to a copy of a saved store (``notes``: its notes), keeping the
    union copy in the default graph; returns the notes of the new store."""
    if "union_copy" not in notes:
        raise ValueError("a saved store without the union copy")
    union, copies, removed, taken = ox.DefaultGraph(), notes["union_copy"], [], set()
    for change, place in changes:
        stale = list(change.removed) + [t for says in change.removed_nodes
                                        for t in _stored_node(database, says, place, taken)]
        for t in stale:
            database.remove(ox.Quad(t.subject, t.predicate, t.object, place(t)))
        removed += stale
    for change, place in changes:
        for t in change.added:
            database.add(ox.Quad(t.subject, t.predicate, t.object, place(t)))
            if ox.Quad(t.subject, t.predicate, t.object, union) not in database:
                database.add(ox.Quad(t.subject, t.predicate, t.object, union))
                copies += 1
    for t in removed:
        if all(q.graph_name == union for q in database.quads_for_pattern(t.subject, t.predicate, t.object)):
            database.remove(ox.Quad(t.subject, t.predicate, t.object, union))    # in no named graph now
            copies -= 1
    return {"superseded": notes.get("superseded", {}), "union_copy": copies}


def _stored_node(database: ox.Store, says: frozenset, place, taken: set) -> list[ox.Triple]:
    """The triples of a blank node of the file (its triples in the named graphs ``place`` gives),
    not ``taken`` already (then it is), that says exactly ``says`` ((predicate, object) pairs)
    and that nothing points to (a statement of its own; two that say the same are the same to a
    reader)."""
    predicate, obj = min(says, key=lambda pair: isinstance(pair[1], ox.Literal))     # an IRI object if any
    graph = place(ox.Triple(ox.BlankNode(), predicate, obj))
    for quad in database.quads_for_pattern(None, predicate, obj, graph):
        node = quad.subject
        if isinstance(node, ox.BlankNode) and node not in taken and \
                next(database.quads_for_pattern(None, None, node), None) is None:
            triples = [ox.Triple(node, q.predicate, q.object)
                       for q in database.quads_for_pattern(node, None, None, ox.DefaultGraph())]
            if {(t.predicate, t.object) for t in triples} == says:
                taken.add(node)
                return triples
    raise LookupError("a removed blank node is not in the saved store")


class StoredGraph:
    """A named graph of an embedded store read as the exporters read an rdflib Graph (``triples``,
    ``subjects``, ``objects``, ``predicate_objects``, ``value``, ``in``, iteration), each call a
    pattern on pyoxigraph's indexes whose answer alone becomes rdflib terms. Converting the whole
    provenance graph (68,000 triples) into an rdflib Graph took most of an RDF or KGX export of a
    few nodes (2 s, measured). Read-only; blank nodes keep the store's ids, so one found here can
    be asked about again."""

    def __init__(self, store: "ox.Store", name: str):
        self._store, self._graph = store, ox.NamedNode(name)
        self._memo: dict = {}

    def triples(self, pattern):
        s, p, o = (None if term is None else terms.to_oxigraph(term) for term in pattern)
        memo = self._memo
        for quad in self._store.quads_for_pattern(s, p, o, self._graph):
            yield (terms.from_oxigraph(quad.subject, memo), terms.from_oxigraph(quad.predicate, memo),
                   terms.from_oxigraph(quad.object, memo))

    def __iter__(self):
        return self.triples((None, None, None))

    def __len__(self) -> int:
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, self._graph))

    def __contains__(self, triple) -> bool:
        return next(self.triples(triple), None) is not None

    def subjects(self, predicate=None, object=None, unique: bool = False):
        found = (s for s, _, _ in self.triples((None, predicate, object)))
        return iter(dict.fromkeys(found)) if unique else found

    def objects(self, subject=None, predicate=None):
        return (o for _, _, o in self.triples((subject, predicate, None)))

    def predicate_objects(self, subject=None):
        return ((p, o) for _, p, o in self.triples((subject, None, None)))

    def value(self, subject=None, predicate=None, object=None):
        for s, p, o in self.triples((subject, predicate, object)):
            return o if object is None else s if subject is None else p
        return None


class OxigraphStore(Store):
    """Embedded pyoxigraph store; the default graph of queries is the union of all graphs.

    In memory (:meth:`from_project`), or a saved store on disk opened read-only
    (:mod:`graphkit.storecache`, what :func:`open_store` gives)."""

    name = "oxigraph"

    def __init__(self, store=None, superseded: dict[str, str] | None = None, keep=None,
                 union_copy: bool = False, saved_directory: Path | None = None):
        self.ox = store if store is not None else ox.Store()
        # A saved store's directory (never changed once written: what is derived from it is kept
        # there, graphkit.viewcache); None for a store in memory.
        self.saved_directory = saved_directory
        # import module graph -> external graph holding all of it
        self.superseded: dict[str, str] = dict(superseded or {})
        self._keep = keep               # held as long as the store: the saved store's reader lock
        # The default graph holds a copy of the union of the named graphs (the saved store): queries
        # read it instead of asking the engine for the union, which on disk takes twice as long.
        self.union_copy = union_copy

    def stored_graph(self, name: str) -> StoredGraph:
        """The named graph ``name`` read in place (:class:`StoredGraph`), where :meth:`graph`
        copies it into an rdflib Graph."""
        return StoredGraph(self.ox, name)

    @classmethod
    def from_project(cls, project: Project, include_inferred: bool = True, include_imports: bool = True,
                     include_external: bool = True):
        """Load the built release with pyoxigraph's own parser (no rdflib round trip), and the
        external ontologies of ``graphkit load-external`` (see :mod:`graphkit.external`), in memory."""
        store = cls()
        store.fill(project, include_inferred, include_imports, include_external)
        return store

    @classmethod
    def saved(cls, project: Project, include_external: bool = True) -> "OxigraphStore":
        """The release (with the external ontologies unless ``include_external`` is off) from its
        saved store on disk, opened read-only, loaded first when the built files changed
        (:mod:`graphkit.storecache`); in memory when the cache directory cannot be written."""
        saved = storecache.open_saved(project, cls._saver(project, include_external), include_external)
        if saved is None:
            return cls.from_project(project, include_external=include_external)
        return cls(saved.database, superseded=saved.meta.get("superseded"), keep=saved.lock,
                   union_copy="union_copy" in saved.meta, saved_directory=saved.directory)

    @classmethod
    def prepare_saved(cls, project: Project, texts: dict[Path, str] | None = None,
                      include_external: bool = True) -> None:
        """Load the saved store of a release not written yet (``texts``: path -> text of the built
        files, as the build is about to write them; None: the files as written), so that
        :meth:`saved` finds it ready once they are written, from the store of the files written
        now when there is one. pyoxigraph parses, places and writes it without the interpreter
        lock: the build runs this in a thread beside its validation."""
        storecache.prepare_saved(project, cls._saver(project, include_external, texts), texts or {},
                                 include_external, update=cls._updater(project, texts) if texts else None)

    @classmethod
    def _saver(cls, project: Project, include_external: bool, texts: dict[Path, str] | None = None):
        """What loads a saved store: the release in memory with the union copy in its default
        graph, written to disk by one run of pyoxigraph's bulk loader over its N-Quads (half the
        time of bulk-adding quads built in Python, which was most of a build's refresh)."""
        def fill(database: ox.Store) -> dict:
            # The external ontologies go from their N-Triples files straight to the bulk loader,
            # not through the store in memory and its dump: the store of the graph + the full HPO
            # took 12.5 s and 1.2 GB of memory that way, and takes 8.5 s and 340 MB (measured).
            for ext in list_external(project) if include_external else []:
                with _reading_file(project, ext.data, ox.RdfFormat.N_TRIPLES):
                    for target in (ox.NamedNode(ext.graph_iri), ox.DefaultGraph()):
                        database.bulk_load(path=str(ext.data), format=ox.RdfFormat.N_TRIPLES, to_graph=target)
            memory = cls(union_copy=True)
            memory.fill(project, include_external=include_external, texts=texts, externals_in=database)
            database.bulk_load(memory.ox.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
            return {"superseded": memory.superseded, "union_copy": _default_graph_size(database)}
        return fill

    @staticmethod
    def _updater(project: Project, texts: dict[Path, str]) -> storecache.Updater:
        """What turns the saved store of the release files written now into that of ``texts``: the
        triples of the statements that changed (:mod:`graphkit.turtlediff`; a few after an edit of
        the curation) removed from and added to their named graphs and the union copy, in
        milliseconds instead of the second a load takes. The same quads as a load (a test checks)."""
        def update(written: dict[Path, str]):
            changes = []
            for path in (project.all_ttl, project.inferred_ttl):
                if path in texts and texts[path] != written.get(path):
                    change = turtlediff.changes(written[path], texts[path]) if path in written else None
                    if path == project.inferred_ttl and change is not None and \
                            (change.removed_nodes or any(isinstance(t.subject, ox.BlankNode) for t in change.added)):
                        change = None           # its copy in the default graph has blank nodes of their own
                    if change is None:
                        return None
                    changes.append((change, _release_graph if path == project.all_ttl else _inferred_graph))
            return lambda database, notes: _apply_changes(database, changes, notes)
        return update

    def fill(self, project: Project, include_inferred: bool = True, include_imports: bool = True,
             include_external: bool = True, texts: dict[Path, str] | None = None,
             externals_in: ox.Store | None = None) -> None:
        """Load the release (and imports, externals) into this store, each file in its named graph
        and, for a store with the union copy, in the default graph too. ``texts`` (path -> text)
        stands for built files not written yet; ``externals_in``, a store that holds the external
        ontologies already (they are not loaded here; an import module is compared with them
        there). Every step runs inside pyoxigraph."""
        def source(path: Path) -> dict:
            return {"input": texts[path]} if texts and path in texts else {"path": str(path)}

        def load(path: Path, graph: str, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> None:
            with _reading_file(project, path, fmt):
                for target in [ox.NamedNode(graph)] + ([ox.DefaultGraph()] if self.union_copy else []):
                    self.ox.load(**source(path), format=fmt, to_graph=target)

        with reading(project.root):      # the built files as one release, never half of a build's switch
            if not (texts and project.all_ttl in texts):
                project.require_release()
            with _reading_file(project, project.all_ttl):
                if self.union_copy:
                    # The saved store's load: parsed into the default graph (the union copy) and
                    # placed by one update, inside pyoxigraph and off the interpreter lock (the
                    # build runs it beside validation).
                    self.ox.load(**source(project.all_ttl), format=ox.RdfFormat.TURTLE)
                    self.ox.update(_PLACE_RELEASE)
                else:
                    # In memory: placed in Python as parsed, twice as fast as the update followed
                    # by clearing the default graph, whose removed quads pyoxigraph keeps (queries
                    # took 20-30% longer) unless it is done in a scratch store (half as much
                    # memory again).
                    self.ox.extend(release_graph_quads(source(project.all_ttl)))
            if include_inferred and ((texts and project.inferred_ttl in texts) or project.inferred_ttl.exists()):
                load(project.inferred_ttl, GRAPH_INFERRED)
        externals = list_external(project) if include_external else []
        if externals_in is None:
            for ext in externals:
                load(ext.data, ext.graph_iri, ox.RdfFormat.N_TRIPLES)
        if include_imports:
            for path in project.import_files():
                graph = import_graph(path.stem)
                cover = (covering_graph(self.ox if externals_in is None else externals_in, path,
                                        [e.graph_iri for e in externals]) if externals else None)
                if cover is not None:
                    self.superseded[graph] = str(cover)
                    continue
                load(path, graph)

    def add_graph(self, graph, name) -> None:
        """Add the triples of an rdflib Graph as the named graph ``name``."""
        self.ox.extend(terms.oxigraph_triples(graph, ox.NamedNode(str(name))))

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.ox.named_graphs())

    def __len__(self) -> int:
        """The number of quads in the named graphs."""
        return len(self.ox) - (_default_graph_size(self.ox) if self.union_copy else 0)

    def query(self, sparql) -> Results:
        sparql = self._read_only(sparql)
        return self._answer(lambda stop: self._evaluate(sparql, stop))

    def _evaluate(self, sparql: str, stop: threading.Event) -> Results:
        try:
            answer = self.ox.query(sparql, use_default_graph_as_union=not self.union_copy, prefixes=known_prefixes())
        except SyntaxError as exc:
            raise malformed(exc, sparql, known_prefixes()) from None
        try:
            if isinstance(answer, ox.QueryBoolean):
                return Results("ask", boolean=bool(answer))
            if isinstance(answer, ox.QuerySolutions):
                variables = [v.value for v in answer.variables]
                solutions = [tuple(solution) for solution in _until(stop, answer)]
                order = star_order(variables, sparql)
                if order:           # pyoxigraph sorts SELECT *'s columns by name
                    variables = [variables[i] for i in order]
                    solutions = [tuple(solution[i] for i in order) for solution in solutions]
                return Results("select", variables=variables, solutions=solutions)
            return Results("graph", triples=list(_until(stop, answer)))
        except (OSError, ValueError, RuntimeError) as exc:   # raised while the solutions are read
            if str(exc).startswith("Corruption:") and self.saved_directory is not None:
                # RocksDB's word for a damaged saved store, found where this query read it
                storecache.set_aside(self.saved_directory, exc)
                raise EnvironmentProblem(f"the saved store is damaged ({shorten(exc, 120)}): it is set aside, and "
                                         "the next command loads it anew; run the command again") from None
            raise _failed(exc, sparql) from None


def star_order(variables: list[str], text: str) -> list[int] | None:
    """For a ``SELECT *`` query, the positions of its answer's ``variables`` in the order its
    text names them (:func:`graphkit.sparql.star_columns`), the same on every engine; None for
    any other query."""
    ranks = star_columns(text)
    if not ranks:
        return None
    return sorted(range(len(variables)), key=lambda i: (ranks.get(variables[i], len(ranks)), i))


# ---------------------------------------------------------------------------------------------
# rdflib


class RdflibStore(Store):
    """rdflib's SPARQL engine over one merged graph (the union of the release graphs)."""

    name = "rdflib"

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
                raise _failed(exc, text) from None
        return self._answer(evaluate)

    @staticmethod
    def _results(answer, text: str, stop: threading.Event) -> Results:
        if answer.type == "ASK":
            return Results("ask", boolean=bool(answer.askAnswer))
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            from rdflib import Graph

            graph = Graph()
            for triple in _until(stop, answer):
                graph.add(triple)
            return Results("graph", graph=graph)
        variables = [str(v) for v in answer.vars]
        order = star_order(variables, text)      # rdflib gives SELECT *'s columns in an order of its own
        variables = [variables[i] for i in order] if order else variables
        return Results("select", variables=variables,
                       rows=terms.solution_rows(variables, _until(stop, answer), terms.plain))


# ---------------------------------------------------------------------------------------------
# Remote endpoint


class EndpointStore(Store):
    """Any SPARQL 1.1 endpoint over HTTP (SPARQLWrapper), with a timeout and clear errors.

    It only ever sends the ``query`` parameter to the query URL: updates are refused before
    anything is sent, and SPARQLWrapper's own switch to an update request (when it spots an
    update keyword) is turned off. SERVICE clauses are the endpoint's business (it fetches them).
    """

    name = "endpoint"
    allow_service = True

    def __init__(self, url: str, timeout: float | None = QUERY_TIMEOUT, default_graphs: list[str] | None = None):
        if not re.match(r"^https?://", url):
            raise QueryError(f"endpoint URL must start with http:// or https://, got {shorten(url)!r}")
        if redact_url(url) != url:      # read as part of the host name, and printed in every message about it
            raise QueryError(f"endpoint {redact_url(url)}: credentials in the URL are not sent; the URL is shown in "
                             "messages, so give it without them")
        self.url = url
        self.timeout = timeout
        self.default_graphs = list(default_graphs or [])
        self.server = ""        # the HTTP Server header of the last answer (which engine it is)

    def _wrapper(self, sparql: str, form: str, accept: str):
        # Imported here: only --endpoint needs it, and it adds ~35 ms (measured) to every
        # command that opens the embedded store.
        from SPARQLWrapper import POST, SPARQLWrapper

        class QueryOnly(SPARQLWrapper):
            def isSparqlUpdateRequest(self) -> bool:       # noqa: N802 (SPARQLWrapper's name)
                return False

        wrapper = QueryOnly(self.url)
        wrapper.setMethod(POST)
        if self.timeout is not None:                    # None: wait as long as the server takes
            wrapper.setTimeout(max(1, round(self.timeout)))
        wrapper.setQuery(sparql)
        wrapper.queryType = form
        wrapper.setOnlyConneg(True)
        wrapper.addCustomHttpHeader("Accept", accept)
        for graph in self.default_graphs:
            wrapper.addDefaultGraph(graph)
        return wrapper

    def _run(self, sparql: str, form: str, accept: str) -> tuple[bytes, str]:
        # Imported here, with SPARQLWrapper (see _wrapper): only an endpoint needs the HTTP client.
        import http.client
        import socket
        import urllib.error

        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        try:
            response = self._wrapper(sparql, form, accept).query()
            body = response.response.read()
            ctype = response.response.headers.get("Content-Type", "")
            self.server = response.response.headers.get("Server", "")
            return body, ctype
        except http.client.HTTPException as exc:     # IncompleteRead: the server broke off its answer
            raise self._broke_off(exc) from None
        except SPARQLWrapperException as exc:
            status, body = _wrapper_error(exc)
            if status == 400:
                raise QueryError(f"the endpoint {self.url} rejected the query (HTTP 400): {excerpt(body)}") from None
            raise EndpointError(f"endpoint {self.url} answered HTTP {status}: {excerpt(body)}") from None
        except urllib.error.HTTPError as exc:
            detail = excerpt(exc.read()) if hasattr(exc, "read") else ""
            raise EndpointError(f"endpoint {self.url} answered HTTP {exc.code} {exc.reason}"
                                + (f": {detail}" if detail else "")) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (socket.timeout, TimeoutError)):
                raise self._timed_out() from None
            raise self._unreachable(exc.reason) from None
        except (socket.timeout, TimeoutError):
            raise self._timed_out() from None
        except OSError as exc:
            raise self._unreachable(exc) from None

    # The transport's failures, in the same words for every way of reaching an endpoint.

    def _unreachable(self, reason) -> EndpointError:
        return EndpointError(f"endpoint {self.url} is unreachable: {reason}")

    def _timed_out(self) -> EndpointTimeout:
        return EndpointTimeout(f"endpoint {self.url} did not answer within {self.timeout:g} s")

    def _broke_off(self, exc: Exception) -> EndpointError:
        return EndpointError(f"endpoint {self.url} broke off its answer ({exc.__class__.__name__}); "
                             f"a server's query timeout does that to a large answer")

    def query(self, sparql) -> Results:
        text = self._read_only(sparql)
        sent = with_prefixes(text, known_prefixes())
        try:
            return self._answer_to(sent)
        except QueryError as exc:       # a syntax error's columns, as the user wrote the query
            raise QueryError(on_users_line(str(exc), len(sent) - len(text))) from None

    def _answer_to(self, sparql: str) -> Results:
        form = query_form(sparql)
        if form in ("CONSTRUCT", "DESCRIBE"):
            body, ctype = self._run(sparql, form, "application/n-triples, text/turtle;q=0.9")
            try:        # pyoxigraph's parser: rdflib's took 80 ms for an entity's 900 triples (measured)
                triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES if "n-triples" in ctype.lower()
                                        else ox.RdfFormat.TURTLE))
            except (SyntaxError, ValueError):
                raise EndpointError(f"endpoint {self.url} did not return RDF ({ctype or 'no Content-Type'}): "
                                    f"{excerpt(body) or 'an empty answer'}") from None
            return Results("graph", triples=triples)
        body, ctype = self._run(sparql, form, "application/sparql-results+json")
        try:
            data = json.loads(body)
            if "boolean" in data:
                return Results("ask", boolean=bool(data["boolean"]))
            variables = list(data.get("head", {}).get("vars", []))
            order = star_order(variables, sparql)
            variables = [variables[i] for i in order] if order else variables
            memo: dict = {}
            rows = [{v: terms.from_json(b[v], memo) for v in variables if v in b} for b in data["results"]["bindings"]]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise EndpointError(f"endpoint {self.url} did not return SPARQL JSON results "
                                f"({ctype or 'no Content-Type'}): {excerpt(body) or 'an empty answer'}") from None
        return Results("select", variables=variables, rows=rows)


class ServerStore(EndpointStore):
    """A SPARQL server on this machine that one process asks many questions (the Oxigraph server
    behind ``graphkit serve``'s pages): plain HTTP on kept-alive connections, one per query in
    flight, reused, instead of SPARQLWrapper's new connection for every query (measured on the
    served graph: ``ASK {}`` in 0.7 ms instead of 1.5 ms, half the client's CPU time). Answers and
    errors as :class:`EndpointStore`'s."""

    name = "server"

    def __init__(self, url: str, timeout: float = QUERY_TIMEOUT, default_graphs: list[str] | None = None):
        super().__init__(url, timeout, default_graphs)
        import urllib.parse

        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise QueryError(f"a server store takes an http:// URL of a local server, got {shorten(url)!r}")
        self._address = (parts.hostname, parts.port or 80)
        self._target = parts.path or "/"
        self._idle: list = []           # connections no query is using, to reuse (list.pop/append are atomic)

    def _run(self, sparql: str, form: str, accept: str) -> tuple[bytes, str]:
        import http.client
        import socket
        import urllib.parse

        body = urllib.parse.urlencode([("query", sparql)] + [("default-graph-uri", g) for g in self.default_graphs])
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        while True:
            try:
                connection, reused = self._idle.pop(), True
            except IndexError:
                connection, reused = http.client.HTTPConnection(*self._address, timeout=self.timeout), False
            try:
                connection.request("POST", self._target, body, headers)
                response = connection.getresponse()
                data = response.read()
            except (ConnectionError, http.client.RemoteDisconnected, http.client.CannotSendRequest) as exc:
                connection.close()
                if reused:              # the server closed an idle connection meanwhile: ask on another
                    continue
                raise self._unreachable(exc) from None
            except (socket.timeout, TimeoutError):
                connection.close()
                raise self._timed_out() from None
            except http.client.HTTPException as exc:
                connection.close()
                raise self._broke_off(exc) from None
            except OSError as exc:
                connection.close()
                raise self._unreachable(exc) from None
            if response.will_close:
                connection.close()
            else:
                self._idle.append(connection)
            self.server = response.getheader("Server", "")
            if response.status == 400:
                raise QueryError(f"the endpoint {self.url} rejected the query (HTTP 400): {excerpt(data)}")
            if response.status != 200:
                raise EndpointError(f"endpoint {self.url} answered HTTP {response.status} {response.reason}"
                                    + (f": {excerpt(data)}" if data else ""))
            return data, response.getheader("Content-Type", "")

    def close(self) -> None:
        """Close the idle connections (a query still running keeps its own until it ends)."""
        while self._idle:
            self._idle.pop().close()


# SPARQLWrapper's exceptions for the HTTP statuses it names (its documentation); the body is in
# the message, written with %r.
_WRAPPER_STATUS = {"QueryBadFormed": 400, "Unauthorized": 401, "EndPointNotFound": 404, "URITooLong": 414,
                   "EndPointInternalError": 500}


def _wrapper_error(exc: Exception) -> tuple[int | str, bytes]:
    """(HTTP status, response body) of a SPARQLWrapper exception."""
    status = _WRAPPER_STATUS.get(exc.__class__.__name__, "error")
    _, _, raw = str(exc).partition("\n\nResponse:\n")
    try:
        body = ast.literal_eval(raw) if raw else b""
    except (ValueError, SyntaxError):
        body = raw.encode()
    return status, body if isinstance(body, bytes) else str(body).encode()


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
