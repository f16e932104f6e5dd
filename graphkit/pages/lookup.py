"""What the pages show, asked of the store in SPARQL: the pages are a view over the same
store the SPARQL endpoint answers from (``graphkit serve``: Oxigraph, over HTTP), never a copy.

Each function takes a :class:`graphkit.store.Store` (the search box reads
:func:`graphkit.entitynames.names`, which a read-only server's pages keep) and returns plain records for
:mod:`.render`. Entities are named by an id (``jmml``), a CURIE (``ICD10CM:C93.32``) or an IRI;
which entity an external id (``MONDO:0011908``) names is :mod:`graphkit.identifiers`' answer, the
same as for the catalogue's parameters.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from loaders.statements import QUALIFIERS

from .. import iris
from ..iris import GRAPH_ASSERTED, GRAPH_INFERRED, OWL, RDF, RDFS, SKOS, TURTLE_PREFIXES, external_iri, own_entity_iri
from ..entitynames import Hit, folded
from ..namespaces import GK, GKE, GKSRC, compact
from ..spelling import singular_forms
from ..store import Store
from ..terms import IRI, bound, sparql_text

SKOS_HIERARCHY = {SKOS + name for name in ("broader", "broaderTransitive", "narrower", "narrowerTransitive")}
SKOS_DEFINITION = SKOS + "definition"
SKOS_ALT_LABEL = SKOS + "altLabel"
SKOS_EDITORIAL_NOTE = SKOS + "editorialNote"
# Properties shown in an entity's header, not among its edges.
HEADER_PROPERTIES = {RDF + "type", RDFS + "label", SKOS + "prefLabel", SKOS_ALT_LABEL, SKOS_DEFINITION,
                     iris.GK + "curationFile", SKOS_EDITORIAL_NOTE, OWL + "annotatedSource", OWL + "annotatedTarget"}
MAPPING_PROPERTIES = {
    SKOS + "exactMatch": "exact match",
    SKOS + "closeMatch": "close match",
    SKOS + "broadMatch": "broader match",
    SKOS + "narrowMatch": "narrower match",
    SKOS + "relatedMatch": "related match",
    RDFS + "seeAlso": "see also",
}
# The pages' names of standard properties, before the labels their vocabularies publish (which
# the schema gives them: SKOS's "has exact match", Dublin Core's "Creator").
PROPERTY_NAMES = {**MAPPING_PROPERTIES, SKOS + "notation": "code (skos:notation)"}


def at_once(*calls):
    """The result of each call (functions of no arguments that query the store), the calls made
    at the same time: a page waits for its slowest query, not for their sum (the server answers
    them on its cores)."""
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


def _text(row: dict, name: str) -> str | None:
    value = row.get(name)
    return None if value is None else str(value)


# ---------------------------------------------------------------------------------------------
# Identifiers

def iri_of(identifier: str) -> URIRef | None:
    """The IRI an id, ``gke:`` name, CURIE (any prefix spelling, any case) or IRI spells (whether
    or not the graph has it)."""
    identifier = identifier.strip()
    own = own_entity_iri(identifier)
    if own is not None:
        return URIRef(own)
    prefix, colon, local = identifier.partition(":")
    if colon and prefix in TURTLE_PREFIXES and IRI.match(TURTLE_PREFIXES[prefix] + local):
        return URIRef(TURTLE_PREFIXES[prefix] + local)   # the graph's own: a quantity, gk:AnyOf (compact's CURIEs)
    iri = external_iri(identifier) if " " not in identifier else None
    return URIRef(iri) if iri is not None and IRI.match(iri) else None


def entity_id(iri: str) -> str:
    """The id of an entity in page URLs: ``jmml`` for graphkit's entities, else its CURIE (or IRI)."""
    if iri.startswith(str(GKE)):
        return iri[len(str(GKE)):]
    return compact(iri)



# ---------------------------------------------------------------------------------------------
# The names of terms

# Every term's label and code (skos:notation), and each source's document number: what the pages
# name the edges' properties and other ends, the statements' subjects, properties and objects, the
# quotes' certainties and sources by. One query of the whole release (1,876 labels and 89 codes:
# 6 ms of the server's time) in place of one query of the terms each page names,
# which read the terms again to name them (childhood ALL's edges: 7 ms, the statements stated for
# it 3.5 ms more; a page of NCI's statements 5 ms: measured); a read-only server's pages ask it
# once and keep it.
_TERM_NAMES = """
SELECT ?term ?label ?code ?doc WHERE {
  { ?term rdfs:label ?label } UNION { ?term skos:notation ?code } UNION { ?term gk:documentNumber ?doc }
}"""

# Every quantity (value, bounds, unit), named by them: the release's, as its names (an entity's
# own, read from its objects, took 2 ms of the server's time for childhood ALL's 5: it looked up
# the unit of each of its 500 objects).
_QUANTITIES = """
SELECT DISTINCT ?other ?unit ?value ?low ?high WHERE {
  ?other gk:unit/rdfs:label ?unit .
  OPTIONAL { ?other gk:value ?value } OPTIONAL { ?other gk:minInclusive ?low } OPTIONAL { ?other gk:maxInclusive ?high }
}"""


@dataclass(frozen=True)
class Names:
    """Term -> its label, term -> its code, a source -> its document number (of a term of
    several, the first in code point order: the same on every engine); a quantity -> its value
    and unit ("≥ 1 year")."""

    labels: dict
    codes: dict
    docs: dict
    quantities: dict


def term_names(store: Store) -> Names:
    """The label and code of every term of the graph that has one, the number of every source and
    the text of every quantity (:class:`Names`)."""
    rows, quantity_rows = at_once(lambda: store.query(_TERM_NAMES).rows, lambda: store.query(_QUANTITIES).rows)
    return Names(_first_values(rows, "label"), _first_values(rows, "code"), _first_values(rows, "doc"),
                 {row["other"]: _quantity(row) for row in quantity_rows})


# ---------------------------------------------------------------------------------------------
# An entity

_EDGES = """
SELECT ?direction ?p ?other ?graph WHERE {
  { GRAPH ?graph { ?entity ?p ?other } BIND("out" AS ?direction) }
  UNION
  { GRAPH ?graph { ?other ?p ?entity }
    # not the evidence naming it as a scope (_SCOPED's), or a certainty's 2,800: read and dropped,
    # they made the 2 KB page of gk:Established take 80 ms (measured)
    FILTER(isIRI(?other) && !STRSTARTS(STR(?other), "https://w3id.org/graphkit/evidence/"))
    BIND("in" AS ?direction) }
}"""

# The schema's inverse properties (has subtype, subtype of): an edge inferred both ways is one fact.
_INVERSES = """SELECT ?p ?q WHERE { ?p owl:inverseOf ?q }"""

# The entity's statements and their evidence nodes, without anything else: what the page's
# sections, their counts and its pages are made of. The evidence itself (its quote, source,
# certainty and qualifiers) is asked for the nodes one page shows (_EVIDENCE_OF, _QUALIFIER_*):
# childhood ALL's 541 quotes in one query took 62 ms, 150 of them named in VALUES 11 ms (on a
# loaded machine: measured).
# The statements out and in are two queries, in parallel: as one (a UNION of the entity as the
# axiom's source or target), 10 ms of the server's time for childhood ALL, as two 7 and 1 ms.
_AXIOMS_OUT = """
SELECT ?p ?other ?ev WHERE {
  ?ax owl:annotatedSource ?entity ; owl:annotatedProperty ?p ; owl:annotatedTarget ?other ; gk:evidence ?ev .
}"""
_AXIOMS_IN = """
SELECT ?p ?other ?ev WHERE {
  ?ax owl:annotatedTarget ?entity ; owl:annotatedProperty ?p ; owl:annotatedSource ?other ; gk:evidence ?ev .
}"""

# Oxigraph evaluates an OPTIONAL without regard to the bindings before it (the whole optional
# pattern, then a join): measured on the server, four OPTIONALs made this lookup 15 times slower.
# So the evidence and its qualifiers are separate queries that each start from the evidence
# nodes, named in VALUES (a VALUES of the statements' subject, property and object instead was
# 18 times slower: measured). Each selector is joined with what it holds at once (a target's two
# selectors taken as both the quote's and the position's made 4 rows of each). The certainty's
# label and the source's number are the release's names (:class:`Names`): read here, they took a
# quarter of its time (5.75 against 4.25 ms of the server's for childhood ALL's first page: measured).
_EVIDENCE_OF = """
SELECT ?ev ?source ?quote ?start ?end ?certainty WHERE {
  VALUES ?ev { %(nodes)s }
  ?ev dcterms:source ?source ; gk:certainty ?certainty ; oa:hasTarget ?target .
  ?target oa:hasSelector ?quote_selector . ?quote_selector oa:exact ?quote .
  ?target oa:hasSelector ?position . ?position oa:start ?start ; oa:end ?end .
}"""

# The qualifiers of the same evidence: each evidence node's properties, filtered (a VALUES list of
# the properties, or a UNION of one pattern per property, is evaluated over every evidence node of
# the graph first: 20-100 times slower, measured). Oxigraph evaluates a UNION before joining what
# precedes it: the nodes are named in each branch.
_QUALIFIER_TEXTS = """
SELECT DISTINCT ?ev ?qualifier ?value WHERE {
  { VALUES ?ev { %(nodes)s }
    ?ev ?qualifier ?value . FILTER(?qualifier IN (gk:scopeNote, gk:section, gk:forSomeMembersOnly)) }
  UNION { VALUES ?ev { %(nodes)s }
          ?disagreement gk:disagreementStatement ?ev ; gk:disagreementNote ?value
          BIND(gk:disagreementNote AS ?qualifier) }
}"""

# The qualifiers whose values are named by their labels: the frequency and the scope.
_SCOPE_QUALIFIERS = ", ".join(f"gk:{qualifier}" for qualifier in QUALIFIERS.values())     # inPhase, forPopulation ...
_LABELLED_QUALIFIERS = f"gk:frequency, {_SCOPE_QUALIFIERS}"

_QUALIFIER_LABELS = f"""
SELECT DISTINCT ?ev ?qualifier ?value ?node WHERE {{
  VALUES ?ev {{ %(nodes)s }}
  ?ev ?qualifier ?node . ?node rdfs:label ?value .
  FILTER(?qualifier IN ({_LABELLED_QUALIFIERS}))
}}"""

# The statements stated for the entity: the evidence that names it as its scope (a population,
# state, line of therapy, period or phase) with its statement. Starts from the entity, as the
# object of the evidence's qualifier (an index lookup).
_SCOPED = f"""
SELECT DISTINCT ?ev ?qualifier ?s ?p ?o ?doc WHERE {{
  ?ev ?qualifier ?entity . FILTER(?qualifier IN ({_SCOPE_QUALIFIERS}))
  ?ax gk:evidence ?ev ; owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o .
  ?ev dcterms:source/gk:documentNumber ?doc .
}}"""

class _ShownAtItsEvidence:
    """A statement linked to where its subject's page shows it: its evidence node's ``evidence``
    IRI ends in the anchor."""

    @property
    def evidence_anchor(self) -> str:
        """The id of this evidence on the subject's page."""
        return self.evidence.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Scoped(_ShownAtItsEvidence):
    """A statement stated for the entity (its scope): on the scope's page."""

    evidence: str                   # the evidence node's IRI
    qualifier: str                  # forPopulation, forState, forLineOfTherapy, duringPeriod or inPhase
    subject: str
    subject_label: str
    predicate_label: str
    object: object
    object_label: str
    doc: str


@dataclass
class Evidence:
    """One evidence statement: the quote in its source, and the scope it is stated for."""

    node: str
    source: str                     # the source's IRI
    doc: str                        # its document number (000-004)
    quote: str
    start: int
    end: int
    certainty: str
    frequency: str | None = None
    note: str | None = None
    section: str | None = None
    scope: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)   # qualifier -> (label, IRI)
    disagreement: str | None = None     # the curator's note where another source's statement disagrees

    @property
    def source_id(self) -> str:
        return self.source[len(str(GKSRC)):] if self.source.startswith(str(GKSRC)) else self.source

    @property
    def anchor(self) -> str:
        """The id of this evidence on its entity's page."""
        return self.node.rsplit("/", 1)[-1]


@dataclass
class Edge:
    direction: str                  # "out" (entity -p-> other) or "in" (other -p-> entity)
    predicate: str
    predicate_label: str
    other: object                   # URIRef or Literal
    other_label: str
    graphs: set[str] = field(default_factory=set)
    evidence: list[Evidence] = field(default_factory=list)     # asked for the page that shows the edge
    nodes: list[str] = field(default_factory=list)             # its evidence nodes' IRIs: one per quote

    @property
    def inferred(self) -> bool:
        return self.graphs == {GRAPH_INFERRED}


@dataclass
class Entity:
    iri: str
    label: str
    kinds: list[tuple[str, str]]                # (class IRI, label)
    synonyms: list[str]
    definitions: list[str]
    mappings: list[tuple[str, str, bool]]       # (relation label, IRI, whether the graph has it)
    curation: list[str]
    edges: list[Edge]
    # The quotes of the header's statements: (skos:definition or skos:altLabel IRI, text) -> evidence
    said: dict[tuple[str, str], list[Evidence]] = field(default_factory=dict)
    said_nodes: dict[tuple[str, str], list[str]] = field(default_factory=dict)    # their evidence nodes
    scoped: list[Scoped] = field(default_factory=list)        # the statements stated for it
    editorial_notes: list[str] = field(default_factory=list)  # the curators' (skos:editorialNote), not a source's
    names: Names | None = None      # what its outline named terms by: its evidence is named by them too

    @property
    def id(self) -> str:
        return entity_id(self.iri)

    def evidence_nodes(self, edges: list[Edge] | None = None) -> list[str]:
        """The evidence nodes of ``edges`` (by default every edge: one page shows some) and of the
        header's definitions and synonyms, which every page shows."""
        return [node for edge in (self.edges if edges is None else edges) for node in edge.nodes] + \
            [node for found in self.said_nodes.values() for node in found]


def _quantity(row: dict) -> str:
    unit = str(row["unit"])
    value, low, high = _text(row, "value"), _text(row, "low"), _text(row, "high")
    parts = [value] if value else []
    parts += [f"≥ {low}"] if low else []
    parts += [f"≤ {high}"] if high else []
    return " ".join(parts + [unit])


def _property_label(predicate: str, label: str | None) -> str:
    return PROPERTY_NAMES.get(predicate) or label or compact(predicate)


def _term_label(term, label: str | None, quantities: dict) -> str:
    """How a page names an object: its label, a quantity's value and unit, a literal's text, a CURIE."""
    return label or quantities.get(term) or (str(term) if isinstance(term, Literal) else compact(str(term)))


def _qualify(by_node: dict[str, list], rows) -> None:
    """Give each evidence record (by its node) the qualifiers of ``rows`` (?ev ?qualifier ?value,
    and ?node where the value is a node's label): its frequency, scope note and section, and the
    labels and IRIs of its scope."""
    for row in rows:
        qualifier, value = str(row["qualifier"]).rsplit("#", 1)[-1], str(row["value"])
        named = (value, _text(row, "node"))
        for found in by_node.get(str(row["ev"]), []):
            if qualifier in ("frequency", "scopeNote", "section", "disagreementNote"):
                setattr(found, {"scopeNote": "note", "disagreementNote": "disagreement"}.get(qualifier, qualifier), value)
            elif named not in found.scope.setdefault(qualifier, []):
                found.scope[qualifier].append(named)


def outline(store: Store, iri: URIRef, names: Callable[[], Names]) -> Entity | None:
    """An entity's names, edges and the statements stated for it, each edge with its evidence
    nodes but not their quotes (:func:`with_evidence` asks for those of the edges a page shows);
    None when the graph has nothing on it. ``names`` gives the terms' :class:`Names` (a read-only
    server's pages keep them), called beside the entity's queries."""
    named, rows, axioms_out, axioms_in, scoped_rows = at_once(names, *(
        lambda q=q: store.query(bound(q, entity=iri)).rows for q in (_EDGES, _AXIOMS_OUT, _AXIOMS_IN, _SCOPED)))
    if not rows:
        return None
    _name(rows, named)
    # the quantities among its own objects, which its edges show as their text ("≥ 1 year"); a
    # statement stated for it names a quantity of another subject by its label
    quantities = {row["other"]: named.quantities[row["other"]] for row in rows
                  if row["other"] in named.quantities and str(row["direction"]) == "out"}
    edges = _edges(rows, quantities)
    said_nodes = _attach_nodes(edges, {"out": axioms_out, "in": axioms_in})
    # The reasoner restates gk:subtypeOf and gk:parentCode in SKOS's hierarchy (skos:broader,
    # broaderTransitive, their inverses): shown once, by the graph's own property.
    own = {str(e.other) for e in edges.values() if not e.predicate.startswith(SKOS)}
    kept = [e for e in edges.values() if not (e.inferred and e.predicate in SKOS_HIERARCHY and str(e.other) in own)]
    ordered = sorted(kept, key=lambda e: (e.direction != "out", e.predicate_label.lower(), e.other_label.lower()))
    labels = named.labels
    scoped = sorted({Scoped(str(r["ev"]), str(r["qualifier"]).rsplit("#", 1)[-1], str(r["s"]),
                            labels.get(r["s"]) or compact(str(r["s"])), _property_label(str(r["p"]), labels.get(r["p"])),
                            r["o"], _term_label(r["o"], labels.get(r["o"]), quantities), str(r["doc"]))
                     for r in scoped_rows},
                    key=lambda st: (st.qualifier, st.subject_label.lower(), st.predicate_label.lower(),
                                    st.object_label.lower(), st.doc, st.evidence))
    return Entity(str(iri), edges=ordered, said_nodes=said_nodes, scoped=scoped, names=named, **_header(iri, rows))


def _header(iri: URIRef, rows: list[dict]) -> dict:
    """The entity's own names, kinds, identifiers and curation, from its edges out (``_EDGES``'s
    rows): the fields of :class:`Entity` its page's header shows, by name."""
    label, kinds, synonyms, definitions, mappings, curation, notes = None, {}, set(), set(), set(), set(), set()
    for row in rows:
        p, o = str(row["p"]), row["other"]
        if str(row["direction"]) != "out":
            continue
        if p.endswith("#type") and isinstance(o, URIRef) and str(o).startswith(str(GK)):
            kinds[str(o)] = _text(row, "other_label") or compact(str(o))
        elif p.endswith("rdf-schema#label"):
            label = label or str(o)
        elif p.endswith("#altLabel"):
            synonyms.add(str(o))
        elif p.endswith("#definition"):
            definitions.add(str(o))
        elif p.endswith("#curationFile"):
            curation.add(str(o))
        elif p == SKOS_EDITORIAL_NOTE:
            notes.add(str(o))
        elif p in MAPPING_PROPERTIES and isinstance(o, URIRef):
            mappings.add((MAPPING_PROPERTIES[p], str(o), _text(row, "other_label") is not None))
    return {"label": label or compact(str(iri)), "kinds": sorted(kinds.items(), key=lambda k: k[1]),
            "synonyms": sorted(synonyms), "definitions": sorted(definitions),
            "mappings": sorted(mappings, key=lambda m: (m[0], compact(m[1]))), "curation": sorted(curation),
            "editorial_notes": sorted(notes)}


def _edges(rows: list[dict], quantities: dict) -> dict[tuple, Edge]:
    """The entity's edges (``_EDGES``'s rows but the header's), by (direction, predicate, other
    end), each with the graphs that hold it."""
    edges: dict[tuple, Edge] = {}
    for row in rows:
        p = str(row["p"])
        # An entity's own mappings are its header's identifiers; mappings to it (an external
        # term's page) are what leads back to the entities it identifies.
        if p in HEADER_PROPERTIES or (p in MAPPING_PROPERTIES and str(row["direction"]) == "out"):
            continue
        other = row["other"]
        if str(row["direction"]) == "in" and not (str(other).startswith(str(GKE)) or _text(row, "other_label")):
            continue                # evidence nodes naming the entity as their scope: shown on their edges
        key = (str(row["direction"]), p, other)
        edge = edges.get(key)
        if edge is None:
            other_label = _term_label(other, _text(row, "other_label"), quantities)
            # an ICD-10 code: by its code, then its title (a unit's code is UCUM's: "mo", "/d")
            if _text(row, "code") and _text(row, "other_label") and p != str(GK.unit):
                other_label = f"{_text(row, 'code')} – {other_label}"
            edge = edges[key] = Edge(str(row["direction"]), p, _property_label(p, _text(row, "p_label")), other,
                                     other_label)
        edge.graphs.add(str(row["graph"]))
    return edges


def _name(rows: list[dict], names: Names) -> None:
    """Give each of ``_EDGES``' rows the labels of its property and its other end and the other
    end's code (``p_label``, ``other_label``, ``code``)."""
    labels, codes = names.labels, names.codes
    for row in rows:
        for name, found, term in (("p_label", labels, row["p"]), ("other_label", labels, row["other"]),
                                  ("code", codes, row["other"])):
            if term in found:
                row[name] = found[term]


def _first_values(rows: list[dict], column: str = "label") -> dict:
    """Term -> the text of its ``column``, of ``?term`` rows (a term of several: the first in code
    point order, the same on every engine; a row without one is passed over)."""
    found: dict = {}
    for row in rows:
        value = row.get(column)
        if value is not None and (row["term"] not in found or str(value) < found[row["term"]]):
            found[row["term"]] = str(value)
    return found


def _attach_nodes(edges: dict[tuple, Edge], axiom_rows: dict[str, list[dict]]) -> dict[tuple[str, str], list[str]]:
    """Give each edge its evidence nodes (the rows of ``_AXIOMS_OUT`` and ``_AXIOMS_IN``, by
    direction); those of the header's definitions and synonyms are returned, as
    :attr:`Entity.said_nodes`."""
    nodes: dict[tuple, dict[str, None]] = defaultdict(dict)
    for direction, rows in axiom_rows.items():
        for row in rows:
            nodes[(direction, str(row["p"]), row["other"])][str(row["ev"])] = None
    said = {}
    for key, found in nodes.items():
        if key in edges:
            edges[key].nodes = list(found)
        elif key[0] == "out" and key[1] in (SKOS_DEFINITION, SKOS_ALT_LABEL):
            said[(key[1], str(key[2]))] = list(found)
    return said


def with_evidence(store: Store, entity: Entity, nodes) -> None:
    """Give the edges and the header's statements of ``entity`` (an :func:`outline`) the evidence
    of ``nodes`` (IRIs of evidence nodes): each quote with its source, offsets, certainty and
    qualifiers, in document order."""
    nodes = sorted(set(nodes))
    if not nodes:
        return
    values = " ".join(sparql_text(URIRef(node)) for node in nodes)
    evidence_rows, texts, labels = at_once(*(lambda q=q: store.query(q % {"nodes": values}).rows
                                             for q in (_EVIDENCE_OF, _QUALIFIER_TEXTS, _QUALIFIER_LABELS)))
    by_node: dict[str, list[Evidence]] = {}
    names = entity.names
    for row in evidence_rows:
        node, doc, certainty = str(row["ev"]), names.docs.get(row["source"]), names.labels.get(row["certainty"])
        if node not in by_node and doc is not None and certainty is not None:
            by_node[node] = [Evidence(node, str(row["source"]), doc,
                                      str(row["quote"]), int(row["start"]), int(row["end"]), certainty)]
    _qualify(by_node, [*texts, *labels])

    def cited(found: list[str]) -> list[Evidence]:
        return sorted((by_node[node][0] for node in found if node in by_node),
                      key=lambda e: (e.doc, e.start, e.end, e.node))

    for edge in entity.edges:
        if edge.nodes:
            edge.evidence = cited(edge.nodes)
    entity.said = {key: quoted for key, found in entity.said_nodes.items() if (quoted := cited(found))}


def inverses(store: Store) -> dict[str, str]:
    """Property IRI -> its inverse's (``owl:inverseOf``, both ways): the schema's, the same on
    every page."""
    rows = store.query(_INVERSES).rows
    return {**{str(r["p"]): str(r["q"]) for r in rows}, **{str(r["q"]): str(r["p"]) for r in rows}}


_SUBGRAPH = """
CONSTRUCT { ?it ?p ?o . ?s ?in ?it . ?ax ?ax_p ?ax_o . ?ev ?ev_p ?ev_o . ?t ?t_p ?t_o . ?sel ?sel_p ?sel_o }
WHERE {
  BIND(?entity AS ?it)
  { ?entity ?p ?o }
  UNION { ?s ?in ?entity . FILTER(isIRI(?s) && !STRSTARTS(STR(?s), "https://w3id.org/graphkit/evidence/")) }
  UNION { { ?ax owl:annotatedSource ?entity } UNION { ?ax owl:annotatedTarget ?entity }
          UNION { ?scoped ?scope ?entity . FILTER(?scope IN (%s)) ?ax gk:evidence ?scoped }
          { ?ax ?ax_p ?ax_o }
          UNION { ?ax gk:evidence ?ev . ?ev ?ev_p ?ev_o }
          UNION { ?ax gk:evidence/oa:hasTarget ?t . ?t ?t_p ?t_o }
          UNION { ?ax gk:evidence/oa:hasTarget/oa:hasSelector ?sel . ?sel ?sel_p ?sel_o } }
}""" % _SCOPE_QUALIFIERS


def subgraph(store: Store, iri: URIRef):
    """The triples about an entity, in and out, with the axiom and evidence nodes (quote,
    offsets, source, scope) of every statement it takes part in or is the scope of: an rdflib Graph."""
    return store.query(bound(_SUBGRAPH, entity=iri)).graph


# ---------------------------------------------------------------------------------------------
# Search, kinds, sources

_ASSERTED = URIRef(GRAPH_ASSERTED)

_OF_KIND = bound("""
SELECT ?entity ?label WHERE { GRAPH ?asserted { ?entity a ?kind ; rdfs:label ?label } }
ORDER BY LCASE(STR(?label))""", asserted=_ASSERTED)

# What states a value with a unit: its subject and property, to tell apart the values of one
# name ("≤ 6 months" is five nodes: a window of each patient group, a period of the advice).
_QUANTITY_USES = bound("""
SELECT ?quantity ?s_label ?p_label WHERE {
  GRAPH ?asserted { ?quantity a gk:QuantityValue . ?s ?p ?quantity }
  ?s rdfs:label ?s_label . OPTIONAL { ?p rdfs:label ?p_label }
} ORDER BY ?quantity ?s_label ?p_label""", asserted=_ASSERTED)

_KINDS = bound("""
SELECT ?kind ?kind_label (COUNT(?entity) AS ?n) WHERE {
  GRAPH ?asserted { ?entity a ?kind }
  FILTER(?kind != owl:NamedIndividual)
  ?kind rdfs:label ?kind_label .
} GROUP BY ?kind ?kind_label ORDER BY DESC(?n) ?kind_label""", asserted=_ASSERTED)

_LABELS = bound("""
SELECT ?entity ?label WHERE { GRAPH ?asserted { ?entity a owl:NamedIndividual ; rdfs:label ?label } }
ORDER BY LCASE(STR(?label))""", asserted=_ASSERTED)


# The label and stated kinds of terms named by an identifier rather than found by a name (an
# imported ICD-10 or MONDO term has no name in the asserted graph, which search looks through);
# the broader kinds the reasoner adds are left out, as search's hits leave them.
_NAMED_TERMS = bound("""
SELECT ?term ?label ?kind_label WHERE {
  VALUES ?term { %s }
  OPTIONAL { ?term rdfs:label ?label }
  OPTIONAL { GRAPH ?stated { ?term a ?kind } ?kind rdfs:label ?kind_label
             FILTER(?kind != owl:NamedIndividual && ?stated != ?inferred) }
}""", inferred=URIRef(GRAPH_INFERRED))


def hits_named(store: Store, terms: list[str]) -> list[Hit]:
    """``terms`` (IRIs an identifier names) as hits, in that order, each by its label (else its
    CURIE) and a kind: ICD10CM:C91.0 is "Acute lymphoblastic leukemia [ALL]", an ICD-10-CM code."""
    if not terms:
        return []
    rows = store.query(_NAMED_TERMS % " ".join(sparql_text(URIRef(term)) for term in terms)).rows
    labels, kinds = {}, defaultdict(set)
    for row in rows:
        term = str(row["term"])
        labels.setdefault(term, _text(row, "label"))
        if row.get("kind_label") is not None:
            kinds[term].add(str(row["kind_label"]))
    hits = []
    for term in terms:
        label = labels.get(term) or compact(term)
        hits.append(Hit(term, label, label, ", ".join(sorted(kinds[term])), -1))
    return hits


def of_kind(store: Store, kind: URIRef) -> list[tuple[str, str]]:
    """(IRI, label) of the entities whose most specific kind is ``kind``."""
    return [(str(r["entity"]), str(r["label"])) for r in store.query(bound(_OF_KIND, kind=kind)).rows]


def quantity_uses(store: Store) -> dict[str, str]:
    """Quantity value IRI -> what states it ("cohort size of JMML patients who ...")."""
    uses: dict[str, list[str]] = defaultdict(list)
    for r in store.query(_QUANTITY_USES).rows:
        uses[str(r["quantity"])].append(f"{_text(r, 'p_label') or 'value'} of {r['s_label']}")
    return {quantity: "; ".join(said) for quantity, said in uses.items()}


def kinds(store: Store) -> list[tuple[str, str, int]]:
    """(class IRI, label, number of entities) for every kind, largest first (an entity counts
    under its most specific kinds)."""
    return [(str(r["kind"]), str(r["kind_label"]), int(r["n"])) for r in store.query(_KINDS).rows]


def kind_named(kinds: list[tuple[str, str, int]], text: str) -> str | None:
    """The kind (of :func:`kinds`) ``text`` names: its IRI, CURIE, name or label, any case,
    singular or plural; None when none is.

    >>> kinds = [("https://w3id.org/graphkit/schema#RiskGroup", "risk group", 4),
    ...          ("https://w3id.org/graphkit/schema#Chemotherapy", "kind of chemotherapy", 14)]
    >>> [compact(kind_named(kinds, t) or "-") for t in ("gk:RiskGroup", "risk groups", "chemotherapies", "tablet")]
    ['gk:RiskGroup', 'gk:RiskGroup', 'gk:Chemotherapy', '-']
    """
    def key(name: str) -> str:
        return re.sub(r"[^a-z0-9]", "", folded(name))

    wanted = singular_forms(key(text))
    for iri, label, _ in kinds:
        if {key(iri), key(compact(iri)), key(iri.rsplit("#", 1)[-1]), key(label),
                key(label.removeprefix("kind of "))} & wanted:
            return iri
    return None


def labels(store: Store) -> list[tuple[str, str]]:
    """(IRI, label) of every entity, for suggestions."""
    return [(str(r["entity"]), str(r["label"])) for r in store.query(_LABELS).rows]


def named_entities(store: Store) -> dict[str, str]:
    """Label -> IRI of the labels only one entity has (a column of names links to them)."""
    by_label: dict[str, set[str]] = defaultdict(set)
    for iri, label in labels(store):
        by_label[label].add(iri)
    return {label: next(iter(iris)) for label, iris in by_label.items() if len(iris) == 1}


# ---------------------------------------------------------------------------------------------
# Sources

_SOURCES = """
SELECT ?source ?doc ?title ?type ?publisher ?file (COUNT(DISTINCT ?ev) AS ?statements) WHERE {
  ?source a gk:SourceDocument ; gk:documentNumber ?doc ; dcterms:title ?title ; gk:localFile ?file .
  OPTIONAL { ?source dcterms:type ?type }
  OPTIONAL { ?source dcterms:publisher ?publisher }
  OPTIONAL { ?ev dcterms:source ?source }
} GROUP BY ?source ?doc ?title ?type ?publisher ?file ORDER BY ?doc"""

# The frequency and scope of a source's evidence (as _QUALIFIER_LABELS for an entity's), of the
# evidence nodes one page lists. Oxigraph evaluates a UNION before joining what precedes it: the
# nodes are named in each branch (with the source outside, the branches read every evidence node
# of the graph: measured, 665 ms for NCI's summary, 7 ms so).
_SOURCE_QUALIFIERS = f"""
SELECT DISTINCT ?ev ?qualifier ?value ?node WHERE {{
  {{ VALUES ?ev {{ %(nodes)s }}
     ?ev ?qualifier ?node . ?node rdfs:label ?value . FILTER(?qualifier IN ({_LABELLED_QUALIFIERS})) }}
  UNION {{ VALUES ?ev {{ %(nodes)s }} ?ev gk:forSomeMembersOnly ?value BIND(gk:forSomeMembersOnly AS ?qualifier) }}
}}"""

_SOURCE_META = """
SELECT ?source ?p ?p_label ?o WHERE {
  ?source a gk:SourceDocument ; ?p ?o . FILTER(isLiteral(?o) || ?p = rdfs:seeAlso)
  OPTIONAL { ?p rdfs:label ?p_label }
}"""

# What a source's description says, by the pages' names of its standard properties (before the
# labels their vocabularies publish: Dublin Core's "Creator" is the authors of a paper).
_SOURCE_FIELDS = {"dcterms:title": "title", "dcterms:type": "kind of document", "dcterms:publisher": "publisher",
                  "dcterms:creator": "authors", "dcterms:date": "date", "dcterms:format": "format of the text file",
                  "dcterms:bibliographicCitation": "citation", "dcterms:source": "source", "dcterms:license": "licence",
                  "dcterms:language": "language", "rdfs:label": "name", "rdfs:seeAlso": "see also",
                  "rdfs:comment": "comment", "skos:note": "note", "skos:editorialNote": "curator's note",
                  "skos:definition": "definition"}

# Where a source's quoted passages are (its evidence nodes, by their offsets): what its text is
# marked with and its listing is paged by, as one text of a line per evidence node ("start end
# IRI"): NCI's 845 rows of three terms took the pages 8.4 ms to read, the one text 0.9 ms (and
# the server 3 ms more: measured). What each passage's statements say is asked for the passages
# one page lists (_STATEMENTS): NCI's 845 statements in one query made the page take 111 ms.
_SPANS = """
SELECT (GROUP_CONCAT(CONCAT(STR(?start), " ", STR(?end), " ", STR(?ev)); separator="\\n") AS ?spans) WHERE {
  ?ev dcterms:source ?source ; oa:hasTarget/oa:hasSelector ?position .
  ?position oa:start ?start ; oa:end ?end .
}"""

# The subject's and the certainty's labels are the release's names (:class:`Names`): read here,
# they took an eighth of its time (NCI's first page: 7.5 against 6.5 ms of the server's, measured).
_STATEMENTS = """
SELECT ?ev ?s ?p ?o ?certainty WHERE {
  VALUES ?ev { %(nodes)s }
  ?ev gk:certainty ?certainty .
  ?ax gk:evidence ?ev ; owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o .
}"""


@dataclass
class Source:
    iri: str
    doc: str
    title: str
    kind: str
    file: str
    statements: int
    publisher: str = ""

    @property
    def id(self) -> str:
        return self.iri[len(str(GKSRC)):]

    @property
    def who(self) -> str:
        """Who says it, as a citation names it: the publisher and the kind of document (a
        document that names no publisher says so)."""
        return f"{self.publisher}, {self.kind}" if self.publisher else f"{self.kind or 'document'}, publisher not named"


@dataclass
class Statement(_ShownAtItsEvidence):
    evidence: str                   # the evidence node's IRI
    subject: str
    subject_label: str
    predicate_label: str
    object: object
    object_label: str
    certainty: str
    frequency: str | None = None
    scope: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)   # qualifier -> (label, IRI)


@dataclass
class Passage:
    start: int
    end: int
    statements: list[Statement] = field(default_factory=list)     # asked for the page that lists it
    nodes: list[str] = field(default_factory=list)                 # the evidence nodes quoting it

    @property
    def anchor(self) -> str:
        return f"{self.start}-{self.end}"


def sources(store: Store) -> list[Source]:
    return [Source(str(r["source"]), str(r["doc"]), str(r["title"]), _text(r, "type") or "", str(r["file"]),
                   int(r["statements"]), _text(r, "publisher") or "") for r in store.query(_SOURCES).rows]


def source_metadata(store: Store) -> dict[str, list[tuple[str, str, str]]]:
    """Source IRI -> (name, property CURIE, value) of every source: its title, type, file, links."""
    found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for r in store.query(_SOURCE_META).rows:
        curie = compact(str(r["p"]))
        found[str(r["source"])].append((_SOURCE_FIELDS.get(curie) or _text(r, "p_label") or curie, curie, str(r["o"])))
    return {source: sorted(facts, key=lambda fact: (fact[0].lower(), fact[2])) for source, facts in found.items()}


def spans(store: Store, source_iri: str) -> list[Passage]:
    """Every quoted passage of a source (by its IRI), in text order, with its evidence nodes (the
    statements are asked for by :func:`with_statements`)."""
    found: dict[tuple[int, int], Passage] = {}
    rows = store.query(bound(_SPANS, source=URIRef(source_iri))).rows
    for line in (_text(rows[0], "spans") or "").splitlines() if rows else []:
        start, end, node = line.split(" ", 2)
        found.setdefault((int(start), int(end)), Passage(int(start), int(end))).nodes.append(node)
    return [found[span] for span in sorted(found)]


def with_statements(store: Store, passages: list[Passage], names: Callable[[], Names]) -> None:
    """Give ``passages`` (of :func:`spans`) the statements their evidence supports, each with its
    certainty, frequency and scope, in the order of their evidence nodes."""
    nodes = sorted({node for passage in passages for node in passage.nodes})
    if not nodes:
        return
    values = {"nodes": " ".join(sparql_text(URIRef(node)) for node in nodes)}
    named, rows, qualifier_rows = at_once(names, *(lambda q=q: store.query(q % values).rows
                                                   for q in (_STATEMENTS, _SOURCE_QUALIFIERS)))
    labels = named.labels
    by_node: dict[str, list[Statement]] = defaultdict(list)
    for row in rows:
        subject_label, certainty = labels.get(row["s"]), labels.get(row["certainty"])
        if subject_label is not None and certainty is not None:     # left out without them, as the query's join did
            by_node[str(row["ev"])].append(Statement(
                str(row["ev"]), str(row["s"]), subject_label, labels.get(row["p"]) or compact(str(row["p"])),
                row["o"], _term_label(row["o"], labels.get(row["o"]), {}), certainty))
    _qualify(by_node, qualifier_rows)
    for passage in passages:
        passage.statements = [statement for node in sorted(passage.nodes) for statement in by_node.get(node, [])]
