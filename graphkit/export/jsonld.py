"""JSON-LD: the triples of the Turtle export, compacted with a context of the prefixes used."""

from __future__ import annotations

import json

from rdflib.namespace import RDFS

from ..jsonld import compact_document
from ..iris import known_prefixes
from .rdf import rdf_triples, used_prefixes
from .registry import Format, register


def sorted_arrays(value):
    """``value`` with every array sorted but an ``@list``'s: JSON-LD arrays of values are sets, and
    a writer gives them in the order it meets the triples, which need not be the same twice."""
    if isinstance(value, dict):
        return {key: ([sorted_arrays(item) for item in inner] if key == "@list" and isinstance(inner, list)
                      else sorted_arrays(inner)) for key, inner in value.items()}
    if isinstance(value, list) and len(value) > 1:
        return sorted((sorted_arrays(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, list):
        return [sorted_arrays(item) for item in value]
    return value


def write(sub, ctx) -> dict[str, str]:
    triples = rdf_triples(sub, ctx)
    context = {**used_prefixes(triples, known_prefixes()), "label": str(RDFS.label)}
    data = sorted_arrays(compact_document(triples, context))
    if isinstance(data.get("@graph"), list):
        data["@graph"].sort(key=lambda item: str(item.get("@id", "")))
    return {"": json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"}


register(Format("jsonld", "JSON-LD with a context", write, suffixes=(".jsonld",), aliases=("json-ld",), order=12))
