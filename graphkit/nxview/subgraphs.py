"""Parts of the view: filtered by predicate, type and source, a neighbourhood of hops, and the
evidence, classes and context that go with a set of nodes."""

from __future__ import annotations

import networkx as nx

from ..closure import reachable
from .builder import PROVENANCE_TYPES, SEP, SelectionError
from .names import resolve, resolve_predicate, resolve_source, resolve_type


def has_type(data: dict, types) -> bool:
    """Whether a node's classes (asserted types, their superclasses and inferred roles) meet ``types``."""
    return bool(set(types) & set(data.get("classes", "").split(SEP)))


def stated_by(data: dict, sources) -> bool:
    """Whether an edge has evidence from one of ``sources`` (source document ids)."""
    return bool(set(sources) & set(data.get("sources", "").split(SEP)))


def evidence_kept(data: dict, sources=None, certainties=None, scopes=None) -> bool:
    """Whether one evidence of an edge meets every filter given: stated by one of ``sources``
    (source document ids), with one of ``certainties`` (``Established``...) and scoped to one of
    ``scopes`` (entity keys its population, state, period, phase or line of therapy names).

    >>> edge = {"evidence_sources": "doc_a|doc_b", "evidence_certainty": "Established|Possible",
    ...         "evidence_scopes": "for_population=childhood_all; in_phase=maintenance|-"}
    >>> evidence_kept(edge, certainties=["Possible"]), evidence_kept(edge, scopes=["maintenance"])
    (True, True)
    >>> evidence_kept(edge, sources=["doc_b"], scopes=["childhood_all"])   # no one evidence has both
    False
    """
    for source, certainty, scope in zip(*(data.get(field, "").split(SEP) for field in
                                          ("evidence_sources", "evidence_certainty", "evidence_scopes"))):
        named = scoped_to(scope)
        if (not sources or source in sources) and (not certainties or certainty in certainties) \
                and (not scopes or named & set(scopes)):
            return True
    return False


def scoped_to(scope: str) -> set[str]:
    """The entities one evidence's scope names (an entry of ``evidence_scopes``).

    >>> sorted(scoped_to("for_population=infant_all; in_phase=maintenance,remission_induction"))
    ['infant_all', 'maintenance', 'remission_induction']
    """
    return {entity for part in scope.split("; ") if "=" in part for entity in part.split("=", 1)[1].split(",")}


def with_narrower(G: nx.MultiDiGraph, predicates) -> set[str]:
    """The edge keys ``predicates`` and those of the properties below them in the schema
    (treatedWith: curativeTherapy too), as ``types`` hold their subclasses.

    >>> from graphkit.nxview import load
    >>> sorted(with_narrower(load(), ["treatedWith"]))
    ['curativeTherapy', 'treatedWith']
    """
    below = G.graph.get("narrower_properties", {})
    return set(predicates) | {narrower for p in predicates for narrower in below.get(p, ())}


def filtered(G: nx.MultiDiGraph, predicates=None, types=None, keep=(), sources=None) -> nx.MultiDiGraph:
    """A read-only view with only edges of ``predicates`` (or a property below one of them)
    stated by ``sources`` (source document ids) and nodes of ``types`` (plus ``keep``). Names are read as the command line reads them
    (:func:`resolve_predicate`, :func:`resolve_type`, :func:`resolve_source`): a name no edge or
    node has is an error with a suggestion, not an empty view.

    >>> from graphkit.nxview import load
    >>> G = load()
    >>> filtered(G, predicates=["has symptom"], types=["drug"]).number_of_nodes() > 0
    True
    >>> filtered(G, predicates=["hasSymptoms"])
    Traceback (most recent call last):
    ...
    graphkit.nxview.SelectionError: unknown predicate 'hasSymptoms' (not used by any edge); did you mean 'hasSymptom'?
    """
    keep = set(keep)
    predicates = with_narrower(G, [resolve_predicate(G, p) for p in predicates]) if predicates else None
    types = {resolve_type(G, t) for t in types} if types else None
    sources = {resolve_source(G, s) for s in sources} if sources else None

    def node_ok(n):
        return types is None or n in keep or has_type(G.nodes[n], types)

    def edge_ok(u, v, k):
        return (predicates is None or k in predicates) and (sources is None or stated_by(G.edges[u, v, k], sources))

    return nx.subgraph_view(G, filter_node=node_ok, filter_edge=edge_ok)


def neighbourhood(G: nx.MultiDiGraph, seeds, hops: int = 1, predicates=None, types=None,
                  direction: str = "both", sources=None) -> nx.MultiDiGraph:
    """The nodes within ``hops`` of any seed and every edge among them (a copy).

    Only edges whose key is in ``predicates`` are followed and kept, and only nodes of
    ``types`` (by class or superclass, e.g. ``Therapy`` includes drugs) are reached and kept;
    seeds are always kept. ``direction`` is ``both`` (ignore edge direction), ``out`` or ``in``.
    ``sources`` keeps only edges stated by those source documents.

    >>> from graphkit.nxview import load
    >>> G, jmml_docs = load(), ["icd10_c93_32_page", "chang_2004_jmml_second_hsct"]
    >>> sorted(neighbourhood(G, "jmml_relapse_after_hsct", hops=1, sources=jmml_docs))
    ['chang2004_case', 'hsct', 'jmml', 'jmml_early_relapse_after_hsct', 'jmml_in_relapse', 'jmml_relapse_after_hsct', 'relapse', 'treatment_failure']
    >>> sorted(neighbourhood(G, "jmml_early_relapse_after_hsct", hops=1, types=["Therapy"], sources=jmml_docs))
    ['hsct', 'jmml_early_relapse_after_hsct', 'second_allogeneic_hsct']
    """
    seeds = [resolve(G, seed) for seed in ([seeds] if isinstance(seeds, str) else seeds)]
    if hops < 0:
        raise SelectionError(f"hops must be 0 or more, not {hops}")
    view = filtered(G, predicates, types, keep=seeds, sources=sources)
    # With provenance or the schema in the view, hops count between entities only: an evidence
    # node, a source document or a class is not a step (from one seed, every node its documents
    # state would be 3 hops away, every drug 2 through gk:Drug); they come along (context).
    context = set() if view.graph.get("schema_only") else {
        n for n, kind in view.nodes(data="type") if is_context(kind)}
    walked = view.subgraph(set(view) - context) if context and not context & set(seeds) else view
    walk = {"both": lambda: walked.to_undirected(as_view=True), "out": lambda: walked,
            "in": lambda: walked.reverse(copy=False)}.get(direction)
    if walk is None:
        raise SelectionError(f"direction must be both, out or in, not {direction!r}")
    reached = set(nx.multi_source_dijkstra_path_length(walk(), seeds, cutoff=hops))
    return with_context(G, view.subgraph(reached).copy())


# The edges from a condition down to its subtypes and disease states, as the catalogue's
# relapse-treatments-by-site follows them: (gk:stateOf|^gk:hasStateVariant|gk:subtypeOf|^gk:hasSubtype)*.
# Each edge key with whether it points up (from the subtype to the condition) or down.
SUBTYPE_EDGES = {"subtypeOf": "up", "stateOf": "up", "hasSubtype": "down", "hasStateVariant": "down"}


def subtypes_of(G: nx.MultiDiGraph, node: str) -> list[str]:
    """``node`` and every subtype and disease state of it, and theirs (sorted): the nodes with a
    path ``(gk:stateOf|^gk:hasStateVariant|gk:subtypeOf|^gk:hasSubtype)*`` to it, as the catalogue's
    ``relapse-treatments-by-site`` reads "a disease and its subtypes and states".

    >>> from graphkit.nxview import load
    >>> subtypes_of(load(), "jmml")
    ['jmml', 'jmml_autologous_recovery_after_hsct', 'jmml_early_relapse_after_hsct', 'jmml_in_relapse', 'jmml_relapse_after_hsct']
    """
    def below(n):
        for u, _, key in G.in_edges(n, keys=True):
            if SUBTYPE_EDGES.get(key) == "up":
                yield u
        for _, v, key in G.out_edges(n, keys=True):
            if SUBTYPE_EDGES.get(key) == "down":
                yield v
    return sorted(reachable(node, below))


def is_context(kind: str | None) -> bool:
    """Whether a node of this type comes along with a selection rather than being selected: an
    evidence node, a source document or a class (:func:`context_of`)."""
    return kind in PROVENANCE_TYPES or kind == "Class"


def evidence_of(view: nx.MultiDiGraph, nodes, whole: nx.MultiDiGraph | None = None) -> set[str]:
    """The evidence nodes of the edges among ``nodes`` in ``view`` and the documents they cite, where
    ``whole`` (by default ``view``; a part of the view holds none yet) has them (``include_provenance``)."""
    whole = view if whole is None else whole
    evidence = {ev for *_, d in view.subgraph(nodes).edges(keys=True, data=True)
                for ev in d.get("evidence", "").split(SEP) if ev in whole}
    return evidence | ({whole.nodes[ev]['source'] for ev in evidence} & set(whole))


def classes_of(view: nx.MultiDiGraph, nodes) -> set[str]:
    """The classes of ``nodes`` with their superclasses, where the view has them (``include_schema``)."""
    def superclasses(cls):
        return [v for _, v, key in view.out_edges(cls, keys=True) if key == "subClassOf"]

    return {cls for n in nodes if n in view for _, v, key in view.out_edges(n, keys=True) if key == "instanceOf"
            for cls in reachable(v, superclasses)}


def context_of(view: nx.MultiDiGraph, part: nx.MultiDiGraph) -> set[str]:
    """What comes along with ``part``, a part of ``view``, where the view has it: the evidence of
    its edges and the documents it cites (``include_provenance``), the classes of its nodes and
    their superclasses (``include_schema``)."""
    return evidence_of(part, part, view) | classes_of(view, part)


def with_context(view: nx.MultiDiGraph, part: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``part`` (a copy of a part of ``view``, changed in place) with its context
    (:func:`context_of`) and every edge of the view that ties a context node to it. Taken from the
    whole view, after the filters: an evidence node is of no ``--type`` asked for, and its edges
    and the instanceOf edges are of no ``--predicate`` and stated by no ``--source``, so a filtered
    part had lost them (evidence nodes without edges, or none at all). A schema view has none:
    its classes are what is selected."""
    if view.graph.get("schema_only"):
        return part
    part.add_nodes_from((n, view.nodes[n]) for n in sorted(context_of(view, part) - set(part)))
    part.add_edges_from((u, v, k, d) for u, v, k, d in view.subgraph(part).edges(keys=True, data=True)
                        if (is_context(view.nodes[u].get("type")) or is_context(view.nodes[v].get("type")))
                        and not part.has_edge(u, v, k))
    return part
