"""Graph algorithms on the view: a simple projection, centrality rankings, components."""

from __future__ import annotations

import networkx as nx

from .builder import SEP, SelectionError, joined
from .subgraphs import has_type


def project(G: nx.MultiDiGraph, directed: bool = True) -> nx.DiGraph | nx.Graph:
    """A simple DiGraph (or Graph) for algorithms that need one: parallel edges merged, with
    ``predicates`` (``|``-joined keys), ``weight`` (how many edges) and ``evidence_count``.

    >>> from graphkit.nxview import load
    >>> G = load()
    >>> P = project(G, directed=False)
    >>> type(P).__name__, P.edges["jmml_in_relapse", "ICD10CM:C93.32"]["predicates"]
    ('Graph', 'hasICD10Code')
    """
    simple = nx.DiGraph() if directed else nx.Graph()
    simple.graph.update(G.graph)
    simple.add_nodes_from(G.nodes(data=True))
    for u, v, key, data in G.edges(keys=True, data=True):
        if simple.has_edge(u, v):
            merged = simple.edges[u, v]
            merged["predicates"] = joined([*merged["predicates"].split(SEP), key])
            merged["weight"] += 1
            merged["evidence_count"] += data.get("evidence_count", 0)
        else:
            simple.add_edge(u, v, predicates=key, weight=1, evidence_count=data.get("evidence_count", 0))
    return simple


MEASURES = ("degree", "betweenness", "pagerank")


def rank(G: nx.MultiDiGraph, measure: str = "degree", types=None, top: int | None = 10) -> list[tuple[str, float]]:
    """Nodes ranked by a centrality measure (on the undirected projection), optionally only
    those of ``types``: ``[(node, score), ...]``, highest first, ties by id.

    >>> from graphkit.nxview import load, filtered
    >>> G = filtered(load(), sources=["icd10_c93_32_page", "chang_2004_jmml_second_hsct"])
    >>> rank(G, "degree", top=1)[0][0]
    'jmml_in_relapse'
    """
    simple = project(G, directed=False)
    if measure == "degree":
        scores = nx.degree_centrality(simple)
    elif measure == "betweenness":
        scores = nx.betweenness_centrality(simple)
    elif measure == "pagerank":
        scores = nx.pagerank(simple)
    else:
        raise SelectionError(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
    ranked = sorted(((n, s) for n, s in scores.items() if not types or has_type(G.nodes[n], types)),
                    key=lambda item: (-item[1], item[0]))
    return ranked[:top] if top else ranked


def components(G: nx.MultiDiGraph, min_size: int = 1) -> list[set[str]]:
    """Weakly connected components, largest first (ties by smallest id).

    >>> from graphkit.nxview import load
    >>> G = load()
    >>> big = components(G, min_size=2)[0]
    >>> {"jmml_in_relapse", "second_allogeneic_hsct"} <= big
    True
    """
    found = [c for c in nx.weakly_connected_components(G) if len(c) >= min_size]
    return sorted(found, key=lambda c: (-len(c), min(c)))
