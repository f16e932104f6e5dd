"""RDF/XML: the triples of the Turtle export, for Protégé and the OWL API."""

from __future__ import annotations

import pyoxigraph as ox

from ..iris import known_prefixes
from ..terms import oxigraph_triples
from .rdf import rdf_triples, used_prefixes
from .registry import Format, register


def rdfxml_text(triples: list[tuple]) -> str:
    """RDF/XML of rdflib ``triples`` with the prefixes they use (an export, an entity's page)."""
    # pyoxigraph writes the triples in the order given, a subject's together: sorted, the file is
    # the same on every run (rdflib's writer followed its store's sets, which changed order with
    # the interpreter's hash seed).
    ordered = sorted((ox.Triple(q.subject, q.predicate, q.object) for q in oxigraph_triples(triples)),
                     key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(ordered, format=ox.RdfFormat.RDF_XML,
                        prefixes=used_prefixes(triples, known_prefixes())).decode("utf-8")


def write(sub, ctx) -> dict[str, str]:
    return {"": rdfxml_text(rdf_triples(sub, ctx))}


register(Format("rdfxml", "RDF/XML", write, suffixes=(".rdf", ".owl", ".xml"), aliases=("rdf", "xml", "owl"),
                order=13))
