"""The canonical Turtle writer: the same graph always gives the same bytes, and they parse back."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, XSD

from graphkit.iris import known_prefixes
from graphkit.turtle import UnstableGraph, serialize

X = "http://x/"
PREFIXES = {"x": X, "xy": X + "y/", "rdfs": str(RDFS)}


def _graph(text: str) -> Graph:
    return Graph().parse(data=f"@prefix x: <{X}> . @prefix xy: <{X}y/> . {text}", format="turtle")


def test_order_does_not_depend_on_the_input():
    forward = _graph(f'x:b x:p "2", "1" ; a x:C ; <{RDFS.label}> "b" . x:a x:q x:b .')
    triples = list(forward)
    backward = Graph()
    for triple in reversed(triples):
        backward.add(triple)
    assert serialize(forward, PREFIXES) == serialize(backward, PREFIXES)


def test_type_first_then_label_then_the_rest_objects_sorted():
    graph = Graph()
    node = URIRef(X + "b")
    for triple in [(node, URIRef(X + "p"), Literal("2")), (node, URIRef(X + "p"), Literal("1")),
                   (node, RDFS.label, Literal("b")), (node, RDF.type, URIRef(X + "C"))]:
        graph.add(triple)
    assert serialize(graph, PREFIXES) == ('@prefix x: <http://x/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                                          '\nx:b a x:C ;\n    rdfs:label "b" ;\n    x:p "1", "2" .\n')


def test_subjects_grouped_by_namespace_schema_entities_then_evidence():
    graph = Graph()
    base = "https://w3id.org/graphkit/"
    for subject in (base + "evidence/001-a", base + "entity/jmml", base + "schema#Disease", base + "quantity/q"):
        graph.add((URIRef(subject), RDFS.label, Literal("x")))
    text = serialize(graph, known_prefixes())
    assert [line.split()[0] for line in text.splitlines() if line.endswith(" .") and not line.startswith("@")] == [
        "gk:Disease", "gke:jmml", "gkq:q", "gkev:001-a"]


def test_literals_numbers_and_escapes():
    graph = Graph()
    node, p = URIRef(X + "a"), URIRef(X + "p")
    values = [Literal('say "hi"\n\ttab\x01'), Literal(7), Literal("2.5", datatype=XSD.decimal), Literal(True),
              Literal("2004", datatype=XSD.gYear), Literal("bêta", lang="fr")]
    for value in values:
        graph.add((node, p, value))
    text = serialize(graph, PREFIXES)
    assert '"""say \\"hi\\"\n\ttab\\u0001"""' in text        # line breaks as they are: the OWL API misreads \\n
    assert "x:p " in text and " 7" in text and " 2.5" in text and " true" in text
    assert '"2004"^^<http://www.w3.org/2001/XMLSchema#gYear>' in text and '"bêta"@fr' in text
    assert isomorphic(Graph().parse(data=text, format="turtle"), graph)


def test_only_used_prefixes_and_the_longest_namespace():
    graph = Graph()
    graph.add((URIRef(X + "y/z"), URIRef(X + "p"), URIRef("http://elsewhere.org/o")))
    text = serialize(graph, PREFIXES)
    assert text.startswith("@prefix x: <http://x/> .\n@prefix xy: <http://x/y/> .\n\n")
    assert "xy:z x:p <http://elsewhere.org/o> ." in text and "rdfs:" not in text


def test_blank_nodes_inline_and_lists():
    graph = _graph("x:c x:restriction [ x:on x:p ; x:some x:d ] ; x:members ( x:a x:b ) .")
    text = serialize(graph, PREFIXES)
    assert "x:members ( x:a x:b )" in text and "x:restriction [ x:on x:p ;" in text
    assert isomorphic(Graph().parse(data=text, format="turtle"), graph)


@pytest.mark.parametrize("turtle", [
    "x:a x:p _:shared . x:b x:p _:shared . _:shared x:q 1 .",        # a blank node used twice
    "x:a x:p _:one . _:one x:q _:two . _:two x:q _:one .",           # a cycle of blank nodes
])
def test_unstable_blank_nodes_are_refused(turtle):
    with pytest.raises(UnstableGraph):
        serialize(_graph(turtle), PREFIXES)


def test_a_literal_subject_is_refused():
    with pytest.raises(UnstableGraph, match="literal subject"):
        serialize([(Literal("5"), RDF.type, XSD.integer)], PREFIXES)


def test_a_free_blank_node_is_written_as_brackets():
    graph = Graph()
    graph.add((BNode(), URIRef(X + "p"), Literal("v")))
    assert serialize(graph, PREFIXES).endswith('[] x:p "v" .\n')


def test_axiom_nodes_are_blocks_in_the_order_of_their_text():
    """The blank owl:Axiom nodes that attach evidence: after the named subjects, source, property
    and target first, ordered by their text, whatever the blank node ids and the input order."""
    text = (f"@prefix owl: <{OWL}> . "
            "[] a owl:Axiom ; owl:annotatedTarget x:o ; owl:annotatedSource x:b ; owl:annotatedProperty x:p ; x:ev x:e2 . "
            "[] a owl:Axiom ; owl:annotatedSource x:a ; owl:annotatedProperty x:p ; owl:annotatedTarget x:o ; "
            "x:ev x:e3, x:e1 . x:a x:p x:o . x:b x:p x:o .")
    prefixes = {**PREFIXES, "owl": str(OWL)}
    written = serialize(_graph(text), prefixes)
    assert written.endswith(
        "x:a x:p x:o .\n\nx:b x:p x:o .\n\n"
        "[] a owl:Axiom ;\n    owl:annotatedSource x:a ;\n    owl:annotatedProperty x:p ;\n    owl:annotatedTarget x:o ;\n"
        "    x:ev x:e1, x:e3 .\n\n"
        "[] a owl:Axiom ;\n    owl:annotatedSource x:b ;\n    owl:annotatedProperty x:p ;\n    owl:annotatedTarget x:o ;\n"
        "    x:ev x:e2 .\n")
    again = Graph()
    for triple in reversed(list(Graph().parse(data=written, format="turtle"))):
        again.add(triple)
    assert serialize(again, prefixes) == written


def test_a_built_release_writes_back_to_the_same_bytes(mini_built):
    text = mini_built.all_ttl.read_text(encoding="utf-8")
    assert serialize(Graph().parse(data=text, format="turtle"), known_prefixes()) == text


def test_rdf_type_is_a_only_as_a_predicate():
    """``a`` is Turtle's keyword for rdf:type in the predicate position only: as a subject or an
    object (an axiom annotating a type statement) it is written as an IRI, and the file parses back."""
    graph = Graph()
    node = URIRef(X + "b")
    graph.add((node, RDF.type, URIRef(X + "C")))
    graph.add((node, URIRef(X + "p"), RDF.type))
    graph.add((RDF.type, RDFS.label, Literal("type")))
    text = serialize(graph, dict(PREFIXES, rdf=str(RDF)))
    assert "x:p rdf:type" in text and "\nrdf:type rdfs:label" in text and "x:b a x:C" in text
    assert isomorphic(Graph().parse(data=text, format="turtle"), graph)
