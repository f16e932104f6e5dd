"""graphkit.iris, the IRIs without rdflib, gives what rdflib and curies give."""

from __future__ import annotations

import curies
import pytest
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from graphkit import iris
from graphkit.namespaces import GRAPH_ASSERTED, GRAPH_PROVENANCE, GRAPH_SCHEMA, graph_for_triple


def test_the_standard_namespaces_are_rdflibs():
    assert {k: iris.TURTLE_PREFIXES[k] for k in ("rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "prov", "foaf")} == \
        {k: str(ns) for k, ns in (("rdf", RDF), ("rdfs", RDFS), ("owl", OWL), ("xsd", XSD), ("skos", SKOS),
                                  ("dcterms", DCTERMS), ("prov", PROV), ("foaf", FOAF))}


@pytest.fixture(scope="module")
def converter():
    """The curies converter of graphkit/prefixes.json: the reference for the light prefix map."""
    import json

    return curies.Converter.from_extended_prefix_map(json.loads(iris.PREFIXES_FILE.read_text())["records"])


def test_the_prefix_map_answers_as_curies_does(converter, store):
    prefixes = iris.PREFIXES
    assert [(r.prefix, r.uri_prefix) for r in prefixes.records] == [(r.prefix, r.uri_prefix) for r in converter.records]
    for record in converter.records:
        for name in (record.prefix, *record.prefix_synonyms):
            assert prefixes.standardize_prefix(name) == converter.standardize_prefix(name)
            assert prefixes.expand(f"{name}:0001") == converter.expand(f"{name}:0001")
            assert prefixes.standardize_curie(f"{name}:0001") == converter.standardize_curie(f"{name}:0001")
        for uri in (record.uri_prefix, *record.uri_prefix_synonyms):
            assert prefixes.compress(uri + "0001") == converter.compress(uri + "0001")
            assert prefixes.standardize_uri(uri + "0001") == converter.standardize_uri(uri + "0001")
    assert prefixes.prefix_map == converter.prefix_map
    assert prefixes.standardize_prefix("nope") is None and prefixes.expand("nope:1") is None
    assert prefixes.standardize_uri("http://example.org/nope") is None
    iris_in_graph = {r["x"] for r in store.query("SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } "
                                                 "FILTER(isIRI(?x)) }").texts()}
    assert len(iris_in_graph) > 1000
    assert {i: prefixes.compress(i) for i in iris_in_graph} == {i: converter.compress(i) for i in iris_in_graph}


def test_every_triple_is_placed_as_before(release_graph):
    placed = {graph_for_triple(*t) for t in release_graph}
    assert placed == {GRAPH_SCHEMA, GRAPH_ASSERTED, GRAPH_PROVENANCE}


def test_axiom_annotations_are_provenance_and_the_schema_annotates_no_axiom(release_graph):
    """A blank node's triples are placed by their predicate alone: every triple of a blank
    owl:Axiom (a statement's evidence link or a mapping's justification) lands in the provenance
    graph, and no other blank node uses an axiom's predicates."""
    from rdflib import BNode
    from rdflib.namespace import OWL, RDF

    axioms = {s for s in release_graph.subjects(RDF.type, OWL.Axiom) if isinstance(s, BNode)}
    assert len(axioms) > 2000
    for s, p, o in release_graph:
        if isinstance(s, BNode):
            assert (graph_for_triple(s, p, o) == GRAPH_PROVENANCE) == (s in axioms), (s, p, o)


@pytest.mark.slow
def test_the_saved_store_places_every_triple_where_graph_name_does(project):
    """The saved store places the parsed release with one SPARQL update
    (iris.graph_name_expression), the store in memory in Python (graph_name): the same graph for
    every triple, and each triple in exactly one graph."""
    import pyoxigraph as ox

    from graphkit.store import OxigraphStore

    saved = OxigraphStore(union_copy=True)
    saved.fill(project, include_inferred=False, include_imports=False, include_external=False)
    placed = [q for q in saved.ox if not isinstance(q.graph_name, ox.DefaultGraph)]
    assert len(placed) == len(list(ox.parse(path=str(project.all_ttl), format=ox.RdfFormat.TURTLE)))
    for q in placed:
        named = isinstance(q.object, ox.NamedNode)
        assert q.graph_name.value == iris.graph_name(isinstance(q.subject, ox.BlankNode), q.subject.value,
                                                     q.predicate.value, q.object.value if named else ""), q
    memory = OxigraphStore.from_project(project, include_inferred=False, include_imports=False,
                                        include_external=False)
    assert _graph_counts(memory.ox) == _graph_counts(placed)


def _graph_counts(quads) -> dict:
    from collections import Counter

    return Counter(q.graph_name.value for q in quads)
