"""N-Triples: the triples of the Turtle export, one a line, sorted (a stable file to diff)."""

from __future__ import annotations

from .rdf import rdf_graph
from .registry import Format, register


def write(sub, ctx) -> dict[str, str]:
    lines = rdf_graph(sub, ctx).serialize(format="nt").splitlines()
    return {"": "".join(sorted(line + "\n" for line in lines if line.strip()))}


register(Format("nt", "RDF N-Triples, sorted", write, suffixes=(".nt",), aliases=("n-triples", "ntriples"),
                order=11))
