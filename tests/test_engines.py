"""The embedded engine (pyoxigraph) and the reference engine (rdflib) give the same answers."""

from __future__ import annotations

import pytest
from rdflib import Graph

from graphkit.query import Catalogue, prepare
from graphkit.store import RdflibStore

# Catalogue queries rdflib answers in well under a second (the others take it seconds to minutes:
# see docs/benchmarks.md); among them the ones with GROUP_CONCAT(DISTINCT ?x) over an OPTIONAL ?x.
QUICK_ON_RDFLIB = ["diet-advice", "genetic-abnormalities", "study-findings", "treatment-phases", "drugs-by-target",
                   "subtypes-of", "risk-group-criteria", "therapies-in-phase", "path-between", "evidence-for-edge"]


@pytest.fixture(scope="module")
def rdflib_store(project):
    return RdflibStore.from_project(project, include_external=False)


@pytest.mark.parametrize("name", QUICK_ON_RDFLIB)
def test_same_answers_on_both_engines(name, store, rdflib_store, project):
    text = prepare(Catalogue(project).get(name), store)
    assert rdflib_store.query(text).comparable() == store.query(text).comparable() != []


def test_rdflib_aggregates_over_unbound_values():
    graph = Graph().parse(data="""
        <http://x/a> <http://x/p> "1" . <http://x/b> <http://x/p> "2" . <http://x/b> <http://x/q> "n" .""",
                          format="turtle")
    rows = RdflibStore(graph).query("""
        SELECT ?s (GROUP_CONCAT(DISTINCT ?n; SEPARATOR=",") AS ?ns) (COUNT(DISTINCT ?n) AS ?c)
        WHERE { ?s <http://x/p> ?v OPTIONAL { ?s <http://x/q> ?n } } GROUP BY ?s ORDER BY ?s""").records()
    assert rows == [{"s": "http://x/a", "ns": "", "c": 0}, {"s": "http://x/b", "ns": "n", "c": 1}]
