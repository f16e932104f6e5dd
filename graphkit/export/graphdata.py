"""The view as the graph formats write it: one scalar type per attribute, colours by kind,
Cytoscape.js elements, and table columns.

>>> colour_of("Disease"), colour_of("Therapy")
('#d62728', '#2ca02c')
"""

from __future__ import annotations

import networkx as nx

# One colour per kind (the pairwise disjoint top classes of the schema), the same in every picture.
KIND_COLOURS = {
    "Disease": "#d62728", "Phenotype": "#ff7f0e", "Therapy": "#2ca02c", "DiagnosticTest": "#1f77b4",
    "ClinicalFeature": "#9467bd", "AnatomicalSite": "#8c564b", "CellType": "#e377c2", "Gene": "#17becf",
    "GeneticAbnormality": "#bcbd22", "MolecularTarget": "#aec7e8", "DiseaseState": "#ff9896",
    "PatientGroup": "#c5b0d5", "StudyFinding": "#f7b6d2", "ClinicalStudy": "#c49c94", "Outcome": "#dbdb8d",
    "Exposure": "#98df8a", "TreatmentPhase": "#9edae5", "MechanismOfAction": "#ffbb78",
    "RouteOfAdministration": "#c7c7c7", "MedicalDevice": "#5254a3", "Specialist": "#7b4173", "Organization": "#637939",
    "RegulatoryApproval": "#8c6d31", "Criterion": "#843c39", "Food": "#e7ba52", "ICD10Code": "#393b79",
    "QuantityValue": "#e0e0e0", "Unit": "#bdbdbd", "SourceDocument": "#636363", "Evidence": "#969696",
    "SourceDisagreement": "#d6616b", "Class": "#6b6ecf", "Role": "#de9ed6", "Abstract": "#cedb9c",
}
OTHER_COLOUR = "#7f7f7f"


def colour_of(kind: str) -> str:
    """The colour of a node kind (``|``-joined kinds take the first)."""
    return KIND_COLOURS.get((kind or "").split("|")[0], OTHER_COLOUR)
def exportable(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes have one scalar type per name (GraphML/GEXF declare one type per
    attribute): numbers mixing int and float become float, anything mixed with text becomes text.
    Adds ``color`` (hex, by kind) to nodes."""
    H = G.copy()
    for items in (lambda: (d for _, d in H.nodes(data=True)), lambda: (d for *_, d in H.edges(keys=True, data=True))):
        types: dict[str, set[type]] = {}
        for data in items():
            for key, value in data.items():
                types.setdefault(key, set()).add(type(value))
        for data in items():
            for key, value in list(data.items()):
                kinds = types[key]
                if value is None:
                    del data[key]
                elif len(kinds) > 1 and kinds <= {int, float}:
                    data[key] = float(value)
                elif len(kinds) > 1 and not isinstance(value, str):
                    data[key] = str(value)
    for _, data in H.nodes(data=True):
        data["color"] = colour_of(data.get("kind", ""))
    H.graph = {k: v for k, v in G.graph.items() if isinstance(v, (str, int, float, bool))}
    return H


# Node attributes whose names the Cytoscape JSON layout gives another meaning (networkx reads the
# node key from ``value``), written under these names instead: a quantity's number.
RENAMED_FOR_CYTOSCAPE = {"value": "quantity_value"}


def cytoscape_elements(sub: nx.MultiDiGraph) -> dict:
    """Cytoscape.js elements, in the form networkx's ``cytoscape_data`` writes and
    ``cytoscape_graph`` reads: node ``data`` = attributes + ``id``, ``value`` (the node key) and
    ``name`` (the label), a quantity's own ``value`` as ``quantity_value``
    (:data:`RENAMED_FOR_CYTOSCAPE`); edge ``data`` = attributes + ``source``, ``target``, ``key``
    (the edge key, which keeps parallel edges apart) and ``interaction`` (the predicate's local
    name, Cytoscape desktop's edge type).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("gkq:1", label="53 months", value=53)
    >>> cytoscape_elements(G)["nodes"][0]["data"]
    {'label': '53 months', 'quantity_value': 53, 'id': 'gkq:1', 'value': 'gkq:1', 'name': '53 months'}
    """
    nodes = [{"data": {**{RENAMED_FOR_CYTOSCAPE.get(key, key): value for key, value in data.items()},
                       "id": node, "value": node, "name": data.get("label", node)}}
             for node, data in sub.nodes(data=True)]
    edges = [{"data": {**data, "id": data.get("id", f"{u}|{k}|{v}"), "source": u, "target": v, "key": k,
                       "interaction": k}}
             for u, v, k, data in sub.edges(keys=True, data=True)]
    return {"nodes": nodes, "edges": edges}


def columns(rows: list[dict], first: list[str]) -> list[str]:
    """The columns of ``rows``: ``first``, the columns every node or edge has, in their order and
    also when there is no row (a selection without edges still gives an edges file with its
    header, which pandas and kgx read, and the same first columns as any other export, which a
    script reading several finds in each), then the others sorted.

    >>> columns([{"b": 1, "z": 2}], ["a", "b"]), columns([], ["a", "b"])
    (['a', 'b', 'z'], ['a', 'b'])
    """
    return list(first) + sorted({key for row in rows for key in row} - set(first))
