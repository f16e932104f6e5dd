"""The embedded default: pyoxigraph, the release in its named graphs, in memory or saved on
disk (:mod:`graphkit.storecache`) and updated there statement by statement after an edit."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from .. import storecache, terms, turtlediff
from ..errors import EnvironmentProblem, shorten
from ..external import covering_graph, list_external
from ..iris import GRAPH_INFERRED, graph_name, graph_name_expression, import_graph, known_prefixes
from ..project import Project
from ..rdfread import syntax_problem
from ..sparql import malformed
from ..switch import reading
from .base import Store, query_failure, star_order, until_stopped
from .release import RELEASE_GRAPHS
from .results import Results


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

    def query(self, sparql, default_graphs: Sequence[str] = ()) -> Results:
        """The answer of ``sparql``; its default graph is the union of the named graphs, or the
        ``default_graphs`` (IRIs) merged where given: the release as curated, for a QC check."""
        sparql = self._read_only(sparql)
        return self._answer(lambda stop: self._evaluate(sparql, stop, default_graphs))

    def _evaluate(self, sparql: str, stop: threading.Event, default_graphs: Sequence[str] = ()) -> Results:
        dataset = ({"default_graph": [ox.NamedNode(g) for g in default_graphs]} if default_graphs
                   else {"use_default_graph_as_union": not self.union_copy})
        try:
            answer = self.ox.query(sparql, prefixes=known_prefixes(), **dataset)
        except SyntaxError as exc:
            raise malformed(exc, sparql, known_prefixes()) from None
        try:
            if isinstance(answer, ox.QueryBoolean):
                return Results("ask", boolean=bool(answer))
            if isinstance(answer, ox.QuerySolutions):
                variables = [v.value for v in answer.variables]
                solutions = [tuple(solution) for solution in until_stopped(stop, answer)]
                order = star_order(variables, sparql)
                if order:           # pyoxigraph sorts SELECT *'s columns by name
                    variables = [variables[i] for i in order]
                    solutions = [tuple(solution[i] for i in order) for solution in solutions]
                return Results("select", variables=variables, solutions=solutions)
            return Results("graph", triples=list(until_stopped(stop, answer)))
        except (OSError, ValueError, RuntimeError) as exc:   # raised while the solutions are read
            if str(exc).startswith("Corruption:") and self.saved_directory is not None:
                # RocksDB's word for a damaged saved store, found where this query read it
                storecache.set_aside(self.saved_directory, exc)
                raise EnvironmentProblem(f"the saved store is damaged ({shorten(exc, 120)}): it is set aside, and "
                                         "the next command loads it anew; run the command again") from None
            raise query_failure(exc, sparql) from None
