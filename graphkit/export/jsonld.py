"""JSON-LD: the triples of the Turtle export, compacted with a context of the prefixes used."""

from __future__ import annotations

import json

from rdflib.namespace import RDFS

from ..namespaces import written_prefixes
from .rdf import rdf_graph, used_prefixes
from .registry import Format, register


def write(sub, ctx) -> dict[str, str]:
    graph = rdf_graph(sub, ctx)
    context = {**used_prefixes(graph, written_prefixes()), "label": str(RDFS.label)}
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    if isinstance(data.get("@graph"), list):
        data["@graph"].sort(key=lambda item: str(item.get("@id", "")))
    return {"": json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"}


register(Format("jsonld", "JSON-LD with a context", write, suffixes=(".jsonld",), aliases=("json-ld",), order=12))
