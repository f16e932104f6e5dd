"""What the checks look at: the release as asserted, its OWL RL inferences, and where things came from.

:class:`QCData` holds the release (``all.ttl``: schema + asserted + provenance) in an embedded
pyoxigraph store: the release is the store's default graph and the inferences are the named graph
``https://w3id.org/graphkit/graph/inferred`` (so a QC query sees what was asserted unless it
asks for ``GRAPH gkg:inferred``). It also answers the questions every finding needs: the label
of a node and the curated file and line it came from.

Every check works on pyoxigraph terms, as the store answers them: converting every answer to
rdflib terms took about a tenth of a validation's time (profiled).
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import CurationError, Location
from ..iris import GKG
from ..namespaces import GK, GRAPH_INFERRED, RDF, TURTLE_PREFIXES, compact
from ..rdfread import syntax_problem
from ..terms import oxigraph_triples

PREFIXES = dict(TURTLE_PREFIXES, gkg=GKG, sh="http://www.w3.org/ns/shacl#",
                gksh="https://w3id.org/graphkit/shapes#")


_GK = str(GK)
_RDF_TYPE = ox.NamedNode(str(RDF.type))


class QCData:
    def __init__(self, store, root: Path, lines: dict[str, str] | None = None):
        self.store = store              # pyoxigraph: default graph = release, + the inferred graph
        self.root = Path(root)
        # IRI -> "path:line" from the curation, when at hand: the release names the file alone.
        self.lines = lines or {}

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_graphs(cls, graph: Graph, inferred: Graph, root: Path, release_text: str | None = None,
                    inferred_text: str | None = None, release_store: ox.Store | None = None,
                    lines: dict[str, str] | None = None) -> "QCData":
        """From rdflib graphs (the build); Turtle texts of them, when at hand, load faster;
        ``release_store``, a store of the release text parsed already (the build parses it beside
        the reasoner), is completed with the inferred graph."""
        store = release_store
        if store is None and release_text is not None:
            store = parse_release(release_text)
        elif store is None:
            store = ox.Store()
            store.extend(oxigraph_triples(graph))
        target = ox.NamedNode(str(GRAPH_INFERRED))
        if inferred_text is not None:
            store.load(inferred_text, format=ox.RdfFormat.TURTLE, to_graph=target)
        else:
            store.extend(oxigraph_triples(inferred, target))
        return cls(store, root, lines)

    @classmethod
    def from_files(cls, release: Path, inferred: Path | None, root: Path,
                   lines: dict[str, str] | None = None) -> "QCData":
        """From built Turtle files (``graphkit validate``): parsed by pyoxigraph only."""
        store = ox.Store()
        _load(store, release, None, root)
        if inferred is not None and inferred.exists():
            _load(store, inferred, ox.NamedNode(str(GRAPH_INFERRED)), root)
        return cls(store, root, lines)

    def release_quads(self):
        """The release as asserted (the default graph): pyoxigraph quads."""
        return self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())

    def release_with(self, predicate: ox.NamedNode):
        """The triples of the release (as asserted) with ``predicate``: pyoxigraph quads."""
        return self.store.quads_for_pattern(None, predicate, None, ox.DefaultGraph())

    def asserted_types(self, node) -> list:
        """The classes ``node`` has an rdf:type of in the release (none for a literal)."""
        if isinstance(node, ox.Literal):
            return []
        return [q.object for q in self.store.quads_for_pattern(node, _RDF_TYPE, None, ox.DefaultGraph())]

    # -- SPARQL ---------------------------------------------------------------------------------

    def select(self, query: str, union: bool = False) -> list[dict]:
        """Rows of a SELECT query (variable -> pyoxigraph term, unbound variables absent);
        ``union`` adds the inferred graph to the default graph."""
        kwargs = {"use_default_graph_as_union": True} if union else {}
        return _rows(self.store.query(query, prefixes=PREFIXES, **kwargs))

    def answer(self, query: str) -> bytes:
        """A SELECT query's answer, serialized (read it with :meth:`rows`): pyoxigraph evaluates
        and writes it without the interpreter lock, so a thread runs it beside Python work, which
        iterating the solutions in Python would hold up (measured: QC queries beside the SHACL
        engine took the sum of both iterated, the longer of the two serialized)."""
        return self.store.query(query, prefixes=PREFIXES).serialize(format=ox.QueryResultsFormat.JSON)

    @staticmethod
    def rows(answer: bytes) -> list[dict]:
        """The rows of an answer of :meth:`answer`, as :meth:`select` gives them."""
        return _rows(ox.parse_query_results(answer, format=ox.QueryResultsFormat.JSON))

    def select_values(self, query: str) -> list[dict]:
        """Rows of a SELECT query as plain strings (term values)."""
        return [{v: term.value for v, term in row.items()} for row in self.select(query)]

    def sparql_targets(self, query: str) -> list:
        """The first column of a query (SHACL-AF SPARQL targets)."""
        return [row[next(iter(row))] for row in self.select(query) if row]

    # -- labels and locations -------------------------------------------------------------------

    @cached_property
    def _labels(self) -> dict:
        return {row["s"]: row["l"].value for row in self.select("SELECT ?s ?l WHERE { ?s rdfs:label ?l }")}

    @cached_property
    def _curation_files(self) -> dict:
        """Node -> its curated file, at its line where the curation has the node in that file."""
        files = {row["s"]: row["f"].value for row in self.select("SELECT ?s ?f WHERE { ?s gk:curationFile ?f }")}
        for node, file in files.items():
            line = self.lines.get(node.value)
            if line is not None and line.rpartition(":")[0] == file:
                files[node] = line
        return files

    @cached_property
    def _evidence(self) -> dict:
        """(s, p, o) -> evidence nodes."""
        index = defaultdict(list)
        for s, p, o, _, ev in self._statement_rows:
            if o is not None:
                index[(s, p, o)].append(ev)
        return index

    @cached_property
    def _evidence_parts(self) -> dict:
        """target / selector node -> its evidence node."""
        parts = {}
        for row in self.select("SELECT ?ev ?t ?sel WHERE { ?ev oa:hasTarget ?t . OPTIONAL { ?t oa:hasSelector ?sel } }"):
            parts[row["t"]] = row["ev"]
            if "sel" in row:
                parts[row["sel"]] = row["ev"]
        return parts

    @cached_property
    def _quantity_owners(self) -> dict:
        owners = defaultdict(list)
        for row in self.select("SELECT ?s ?p ?q WHERE { ?q a gk:QuantityValue . ?s ?p ?q }"):
            owners[row["q"]].append((row["s"], row["p"]))
        return owners

    @cached_property
    def _mapping_sources(self) -> dict:
        return {row["ax"]: row["s"] for row in self.select(
            "SELECT ?ax ?s WHERE { ?ax gk:mappingJustification ?j ; owl:annotatedSource ?s }")}

    @cached_property
    def _statement_rows(self) -> list[tuple]:
        """(subject, predicate, object or None, axiom node, evidence node) of every evidence
        node's statement."""
        return [(row["s"], row["p"], row.get("o"), row["ax"], row["ev"]) for row in self.select(
            "SELECT ?ax ?ev ?s ?p ?o WHERE { ?ax gk:evidence ?ev ; owl:annotatedSource ?s ; owl:annotatedProperty ?p "
            "OPTIONAL { ?ax owl:annotatedTarget ?o } }")]

    @cached_property
    def _statement_of(self) -> dict:
        """Evidence node or axiom node -> (subject, predicate, object) of its statement."""
        found = {}
        for s, p, o, ax, ev in self._statement_rows:
            found[ev] = found[ax] = (s, p, o)
        return found

    def label(self, node) -> str:
        """A readable name: the label, or what an evidence or quantity node is about."""
        if node is None:
            return ""
        found = self._labels.get(node)
        if found is not None:
            return found
        if node in self._statement_of:
            s, p, o = self._statement_of[node]
            return f"evidence: {self.label(s) or compact(s.value)} {compact(p.value)} {self.short(o)}"
        if node in self._evidence_parts:
            return self.label(self._evidence_parts[node])
        if node in self._quantity_owners:
            s, p = self._quantity_owners[node][0]
            return f"quantity: {self.label(s) or compact(s.value)} {compact(p.value)}"
        if node in self._mapping_sources:
            return f"xref of {self.label(self._mapping_sources[node])}"
        return ""

    def short(self, term) -> str:
        """A term as people read it: CURIE or compact IRI, or the literal's text."""
        if term is None:
            return ""
        if isinstance(term, ox.Literal):
            text = term.value
            return text if len(text) <= 120 else text[:117] + "..."
        if isinstance(term, tuple):
            return f"^{compact(term[1].value)}"
        if term in self._mapping_sources:       # a blank mapping axiom: the entity whose xref it is
            return compact(self._mapping_sources[term].value)
        return compact(term.value)

    def locations(self, node, prop=None, value=None) -> list[str]:
        """The curated files and lines a finding about ``node`` (and its ``prop`` ``value``) comes from."""
        if prop is not None and value is not None and not isinstance(prop, tuple):
            evidence = self._evidence.get((node, prop, value), [])
            found = sorted({self._curation_files[ev] for ev in evidence if ev in self._curation_files})
            if found:
                return found
        if node in self._curation_files:
            return [self._curation_files[node]]
        if node in self._evidence_parts:
            return self.locations(self._evidence_parts[node])
        if node in self._quantity_owners:
            found = []
            for s, p in self._quantity_owners[node]:
                found.extend(self.locations(s, p, node))
            return sorted(set(found))
        if node in self._mapping_sources:
            return self.locations(self._mapping_sources[node])
        if node in self._statement_of and self._statement_of[node][2] is not None:
            return self.locations(*self._statement_of[node])
        if node in self._source_nodes:
            return ["sources/manifest.yaml"]
        if isinstance(node, ox.NamedNode) and node.value.startswith(_GK):
            return ["ontology/schema.ttl"]
        return []

    def statement_locations(self, subject, prop) -> list[str]:
        """The curated files and lines of the statements of ``subject`` with ``prop`` (any object)."""
        return sorted({loc for (s, p, o) in self._evidence if s == subject and p == prop
                       for loc in self.locations(s, p, o)})

    @cached_property
    def _source_nodes(self) -> set:
        return {row["s"] for row in self.select("SELECT ?s WHERE { ?s a gk:SourceDocument }")}

    def edge_locations(self, s, p, o) -> list[str]:
        """Where an edge of the release comes from: its evidence, or for an inferred edge the
        asserted edges it follows from (inverse, symmetric or sub-property)."""
        found = self.locations(s, p, o) if (s, p, o) in self._evidence else []
        if found:
            return found
        if isinstance(o, ox.Literal):
            return []
        s, p, o = str(s), str(p), str(o)        # pyoxigraph terms print as N-Triples: SPARQL terms
        for row in self.select(f"""
            SELECT DISTINCT ?s2 ?p2 ?o2 WHERE {{
              {{ {p} owl:inverseOf ?p2 . BIND({o} AS ?s2) BIND({s} AS ?o2) }}
              UNION {{ ?p2 owl:inverseOf {p} . BIND({o} AS ?s2) BIND({s} AS ?o2) }}
              UNION {{ {p} a owl:SymmetricProperty . BIND({p} AS ?p2) BIND({o} AS ?s2) BIND({s} AS ?o2) }}
              UNION {{ ?p2 rdfs:subPropertyOf+ {p} . BIND({s} AS ?s2) BIND({o} AS ?o2) }}
              ?s2 ?p2 ?o2 .
            }}"""):
            found.extend(self.locations(row["s2"], row["p2"], row["o2"]))
        return sorted(set(found))


def _rows(solutions) -> list[dict]:
    """pyoxigraph's solutions as rows: variable -> term, unbound variables absent."""
    variables = [v.value for v in solutions.variables]
    return [{v: term for v, term in zip(variables, row) if term is not None} for row in solutions]


def parse_release(text: str) -> ox.Store:
    """A store of the checks with the release's Turtle ``text`` in its default graph."""
    store = ox.Store()
    store.load(text, format=ox.RdfFormat.TURTLE)
    return store


def _load(store, path: Path, graph, root: Path) -> None:
    """A built file into ``store`` (its default graph, or ``graph``); a fault names the file (from
    the project's root) and, for a syntax error, its line and column."""
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    try:
        if graph is None:
            store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        else:
            store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph)
    except SyntaxError as exc:
        raise syntax_problem(exc, shown) from None
    except OSError as exc:
        raise CurationError([(Location(shown), f"cannot read: {exc}")]) from None
