"""N-Triples: the triples of the Turtle export, one a line, sorted (a stable file to diff)."""

from __future__ import annotations

from ..terms import sorted_ntriples
from .rdf import rdf_triples
from .registry import Format, register


def write(sub, ctx) -> dict[str, str]:
    # pyoxigraph writes the lines (rdflib's writer wanted an rdflib Graph, slow to fill: 2.4 s
    # of the whole graph's export, measured)
    return {"": sorted_ntriples(rdf_triples(sub, ctx))}


register(Format("nt", "RDF N-Triples, sorted", write, suffixes=(".nt",), aliases=("n-triples", "ntriples"),
                order=11))
