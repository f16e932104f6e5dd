"""A small graph as text, the same wherever graphkit writes one: an entity's page in RDF, and a
CONSTRUCT or DESCRIBE answer of ``graphkit query`` and ``graphkit sparql``.

Turtle is graphkit's canonical writer (sorted, blank nodes inline: the same bytes for the same
triples), N-Triples sorted, JSON-LD compacted with the graph's prefixes and its arrays in a fixed
order, RDF/XML the export's writer. A graph whose blank nodes the canonical writer cannot place
(one shared by two triples, as an ad hoc CONSTRUCT can make) is written by rdflib's Turtle writer.

>>> from rdflib import Literal, URIRef
>>> print(graph_text([(URIRef("https://w3id.org/graphkit/entity/jmml"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
...                    Literal("JMML"))], "turtle"), end="")
@prefix gke: <https://w3id.org/graphkit/entity/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<BLANKLINE>
gke:jmml rdfs:label "JMML" .
"""

from __future__ import annotations

import json

from .iris import TURTLE_PREFIXES
from .jsonld import compact_document
from .iris import known_prefixes
from .terms import sorted_ntriples
from .turtle import UnstableGraph, serialize

FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")


def graph_text(triples, fmt: str) -> str:
    """``triples`` (rdflib terms: a Graph or a list) as ``fmt``, one of :data:`FORMATS`."""
    if fmt == "turtle":
        try:
            return serialize(triples, known_prefixes())
        except UnstableGraph:
            from rdflib import Graph

            graph = Graph()
            for prefix, ns in TURTLE_PREFIXES.items():
                graph.bind(prefix, ns, override=True)
            for triple in triples:
                graph.add(triple)
            return graph.serialize(format="turtle")
    if fmt == "ntriples":
        return sorted_ntriples(triples)
    if fmt == "rdfxml":
        from .export.rdfxml import rdfxml_text       # the export's writer (it loads networkx: not for every page)

        return rdfxml_text(list(triples))
    if fmt == "jsonld":             # its nodes in the order of the sorted triples: the same text every time
        ordered = sorted(triples, key=lambda triple: tuple(map(str, triple)))
        return json.dumps(compact_document(ordered, dict(TURTLE_PREFIXES)), indent=2, ensure_ascii=False,
                          sort_keys=True) + "\n"
    raise ValueError(f"no graph format {fmt!r}: {', '.join(FORMATS)}")
