"""Turtle: the selected triples and their evidence, written by the canonical writer."""

from __future__ import annotations

from ..iris import known_prefixes
from ..turtle import serialize
from .rdf import rdf_triples
from .registry import Format, register


def write(sub, ctx) -> dict[str, str]:
    return {"": serialize(rdf_triples(sub, ctx), known_prefixes())}


register(Format("turtle", "RDF Turtle: selected triples + their evidence", write, suffixes=(".ttl",),
                aliases=("ttl",), order=10))
