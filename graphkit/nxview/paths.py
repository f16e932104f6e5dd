"""How two nodes are connected: the paths between them as steps, each edge with its qualifiers."""

from __future__ import annotations

import re
from dataclasses import dataclass

import networkx as nx

from .builder import SCOPE_ATTRIBUTES, SEP, SelectionError
from .names import resolve
from .subgraphs import filtered


@dataclass(frozen=True)
class Step:
    """One edge of a path, as asserted: ``subject -[predicate]-> object``; ``forward`` when the
    path walks it from subject to object."""

    subject: str
    predicate: str
    object: str
    forward: bool


def explain(G: nx.MultiDiGraph, source: str, target: str, predicates=None, types=None,
            sources=None) -> list[Step]:
    """A shortest connection between two entities, ignoring edge direction, with the predicate
    of each step in its asserted direction (an "explain the connection" answer); of several
    equally short ones, the first by node ids, so the answer does not depend on hashing.

    >>> from graphkit.nxview import load
    >>> G, jmml_docs = load(), ["icd10_c93_32_page", "chang_2004_jmml_second_hsct"]
    >>> [(s.subject, s.predicate, s.object) for s in explain(G, "jmml_relapse_after_hsct", "fatigue", sources=jmml_docs)]
    [('jmml_relapse_after_hsct', 'subtypeOf', 'jmml_in_relapse'), ('jmml_in_relapse', 'hasSymptom', 'fatigue')]
    """
    paths = explain_all(G, source, target, predicates, types, limit=1, sources=sources)
    return paths[0]


def explain_all(G: nx.MultiDiGraph, source: str, target: str, predicates=None, types=None,
                limit: int | None = None, sources=None) -> list[list[Step]]:
    """Every shortest connection (up to ``limit``), each as a list of :class:`Step`, in the
    order of their node ids. ``source`` and ``target`` are entities named as :func:`resolve` reads
    them (id, CURIE, label or synonym)."""
    source, target = resolve(G, source), resolve(G, target)
    view = filtered(G, predicates, types, keep=(source, target), sources=sources)
    undirected = view.to_undirected(as_view=True)
    try:
        node_paths = sorted(nx.all_shortest_paths(undirected, source, target))
        out = []
        for path in node_paths:
            out.append(_steps(view, path))
            if limit and len(out) >= limit:
                break
    except nx.NetworkXNoPath:
        raise SelectionError(f"no connection between {source} and {target}") from None
    return out


def _steps(G, path: list[str]) -> list[Step]:
    steps = []
    for a, b in zip(path, path[1:]):
        forward = sorted(G.get_edge_data(a, b, default={}))
        if forward:
            steps.append(Step(a, forward[0], b, True))
        else:
            steps.append(Step(b, sorted(G.get_edge_data(b, a))[0], a, False))
    return steps


def edge_qualifiers(G: nx.MultiDiGraph, data: dict) -> str:
    """How sure, how often and for whom an edge is stated, as a path step shows it: ``rarely;
    newly diagnosed, first-line treatment`` (nothing for an established edge stated plainly).
    Several statements of one edge with different qualifiers show them all, ``/``-joined."""
    def words(value: str) -> str:      # an entity by its label, a value (UnderStudy) in words
        return "/".join(G.nodes[v]["label"] if v in G else re.sub(r"(?<!^)(?=[A-Z])", " ", v).lower()
                        for v in value.split(SEP) if v)

    certainty = words(data.get("certainty", "")) if data.get("certainty") != "Established" else ""
    scope = ", ".join(filter(None, (words(data.get(name, "")) for name in SCOPE_ATTRIBUTES.values())))
    return "; ".join(filter(None, (certainty, words(data.get("frequency", "")), scope)))


def format_path(G: nx.MultiDiGraph, steps: list[Step]) -> str:
    """A path as one line: ``a label -[predicate label]-> b label <-[...]- c label``, each step
    with its qualifiers in parentheses (:func:`edge_qualifiers`), so that an edge stated "rarely"
    or for one group only does not read as true in general."""
    if not steps:
        return ""

    def name(n):
        return f"{n} {G.nodes[n]['label']}"

    first = steps[0].subject if steps[0].forward else steps[0].object
    parts = [name(first)]
    for step in steps:
        data = G.edges[step.subject, step.object, step.predicate]
        qualifiers = edge_qualifiers(G, data)
        label = data["label"] + (f" ({qualifiers})" if qualifiers else "")
        if step.forward:
            parts.append(f"-[{label}]-> {name(step.object)}")
        else:
            parts.append(f"<-[{label}]- {name(step.subject)}")
    return " ".join(parts)
