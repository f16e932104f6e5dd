"""RDF/XML: the triples of the Turtle export, for Protégé and the OWL API."""

from __future__ import annotations

from ..namespaces import written_prefixes
from .rdf import rdf_graph, used_prefixes
from .registry import Format, register


def write(sub, ctx) -> dict[str, str]:
    graph = rdf_graph(sub, ctx)
    for prefix, ns in used_prefixes(graph, written_prefixes()).items():
        graph.bind(prefix, ns, override=True, replace=True)
    return {"": graph.serialize(format="xml")}


register(Format("rdfxml", "RDF/XML", write, suffixes=(".rdf", ".owl", ".xml"), aliases=("rdf", "xml", "owl"),
                order=13))
