"""N-Triples: the triples of the Turtle export, one a line, sorted (a stable file to diff)."""

from __future__ import annotations

import pyoxigraph as ox

from ..terms import oxigraph_triples
from .rdf import rdf_triples
from .registry import Format, register


def write(sub, ctx) -> dict[str, str]:
    # pyoxigraph writes the lines (rdflib's writer wanted an rdflib Graph, slow to fill: 2.4 s
    # of the whole graph's export, measured); the same bytes.
    text = ox.serialize(oxigraph_triples(rdf_triples(sub, ctx)), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return {"": "".join(sorted(line + "\n" for line in text.splitlines() if line.strip()))}


register(Format("nt", "RDF N-Triples, sorted", write, suffixes=(".nt",), aliases=("n-triples", "ntriples"),
                order=11))
