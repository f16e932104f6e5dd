"""Store back ends: behaviour that must not differ between engines."""

from __future__ import annotations

from rdflib import Graph

from graphkit.store import RdflibStore


def test_rdflib_aggregates_over_unbound_values():
    """SPARQL 1.1 skips unbound values in DISTINCT aggregates; rdflib 7 alone raises instead."""
    graph = Graph().parse(data="""
        <http://x/a> <http://x/p> "1" . <http://x/b> <http://x/p> "2" . <http://x/b> <http://x/q> "n" .""",
                          format="turtle")
    rows = RdflibStore(graph).query("""
        SELECT ?s (GROUP_CONCAT(DISTINCT ?n; SEPARATOR=",") AS ?ns) (COUNT(DISTINCT ?n) AS ?c)
        WHERE { ?s <http://x/p> ?v OPTIONAL { ?s <http://x/q> ?n } } GROUP BY ?s ORDER BY ?s""").records()
    assert rows == [{"s": "http://x/a", "ns": "", "c": 0}, {"s": "http://x/b", "ns": "n", "c": 1}]
