"""OWL 2 RL materialization, kept apart from what was asserted.

Only the part of the graph that needs reasoning is reasoned over: the schema plus asserted
entities and edges (not the evidence nodes, which are two thirds of the triples and have
nothing to infer). The closure is then reduced to informative triples about entities:
inverse and transitive edges, sub-property edges (e.g. ``skos:broaderTransitive``) and
class memberships implied by subclass, domain and range axioms (and ``owl:Nothing``, so an
inconsistency stays visible to the QC checks). owlrl's padding (reflexive ``owl:sameAs``,
literal-subject triples, ``rdfs:Resource`` typing) is dropped.

Two engines give the same informative closure on this graph (``tests/test_reason.py``
compares them): ``reasonable`` (Rust, the default: ~0.3 s where owlrl takes ~3.5 s on the
foundation graph, ~15x) and ``owlrl`` (pure Python, the reference).

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
...   @prefix gk: <https://w3id.org/graphkit/schema#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
...   gk:subtypeOf a owl:TransitiveProperty .
...   <https://w3id.org/graphkit/entity/a> gk:subtypeOf <https://w3id.org/graphkit/entity/b> .
...   <https://w3id.org/graphkit/entity/b> gk:subtypeOf <https://w3id.org/graphkit/entity/c> .''', format="turtle")
>>> sorted(str(o) for s, p, o in infer(g))
['https://w3id.org/graphkit/entity/c']
"""

from __future__ import annotations

import owlrl
import reasonable
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from . import interrupts
from .namespaces import GK, GRAPH_ASSERTED, GRAPH_SCHEMA, triple_graphs

REASONERS = ("reasonable", "owlrl")
DEFAULT_REASONER = "reasonable"
# Predicates whose inferred values say something about entities. Compared as text: rdflib terms
# compare in Python, and each of the closure's ~13k triples is asked about.
_KEEP_PREDICATE_NAMESPACES = (str(GK),)
_KEEP_EXTRA_PREDICATES = frozenset(str(p) for p in (SKOS.broader, SKOS.narrower, SKOS.broaderTransitive,
                                                    SKOS.narrowerTransitive, SKOS.related))
_GK, _RDF_TYPE, _OWL_SAME_AS, _OWL_NOTHING = str(GK), str(RDF.type), str(OWL.sameAs), str(OWL.Nothing)
_VOCABULARY_NAMESPACES = ("http://www.w3.org/", "http://purl.org/dc/", str(GK))
# A set, not a tuple: testing a provenance graph against a tuple called rdflib's Python __eq__
# twice for each of the ~66k provenance triples.
_REASONED_GRAPHS = frozenset({GRAPH_SCHEMA, GRAPH_ASSERTED})


def _is_entity(term) -> bool:
    return isinstance(term, URIRef) and not str(term).startswith(_VOCABULARY_NAMESPACES)


def informative(triple) -> bool:
    s, p, o = triple
    if not _is_entity(s) or isinstance(o, BNode):
        return False
    p = str(p)
    if p == _RDF_TYPE:
        return isinstance(o, URIRef) and (str(o).startswith(_GK) or str(o) == _OWL_NOTHING)
    if p == _OWL_SAME_AS:
        return s != o
    return p.startswith(_KEEP_PREDICATE_NAMESPACES) or p in _KEEP_EXTRA_PREDICATES


def reasoning_input(triples) -> set:
    """The part of a release that is reasoned over: schema + asserted (not provenance: neither the
    evidence nodes nor the blank axiom nodes that link statements to them). A set of triples:
    both reasoners read any iterable of them, and building an rdflib Graph of them cost as much as
    the reasoning."""
    return {triple for triple, graph in triple_graphs(triples) if graph in _REASONED_GRAPHS}


def closure_owlrl(graph) -> Graph:
    work = Graph()
    for triple in graph:
        work.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    return work


def closure_reasonable(graph) -> set:
    """The closure's triples (a set: an rdflib Graph of them, only iterated, cost as much as the
    reasoning), each string literal plain, as in ``graph``."""
    reasoner = reasonable.PyReasoner()
    with interrupts.deferred():                 # the reasoner calls into Python: no Ctrl-C inside it
        reasoner.from_graph(graph)
        closed = reasoner.reason()
    # reasonable types every string literal xsd:string: the plain literal of ``graph`` with the same
    # text stands for it (a lookup, where making a new rdflib Literal cost ~4 us each).
    plain = {str(o): o for _, _, o in graph if type(o) is Literal and o.datatype is None and not o.language}
    work = set()
    for s, p, o in closed:
        if isinstance(o, Literal) and o.datatype is not None and str(o.datatype).endswith("#string"):
            found = plain.get(str(o))
            o = found if found is not None else Literal(str(o))
        work.add((s, p, o))
    return work


def infer(graph, reasoner: str = DEFAULT_REASONER) -> set:
    """The informative triples the OWL RL closure of ``graph`` (an rdflib Graph or a set of
    triples) adds (not those already there), as a set."""
    if reasoner not in REASONERS:
        raise ValueError(f"unknown reasoner {reasoner!r}; choose one of {REASONERS}")
    closed = closure_owlrl(graph) if reasoner == "owlrl" else closure_reasonable(graph)
    return {triple for triple in closed if triple not in graph and informative(triple)}
