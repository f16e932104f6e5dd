"""CSV: ``nodes.csv`` and ``edges.csv`` (pandas, spreadsheets), one column per attribute."""

from __future__ import annotations

from ..output import delimited
from .graphdata import columns
from .registry import Format, register

FILES = ("nodes.csv", "edges.csv")


def write(sub, ctx) -> dict[str, str]:
    nodes = [dict(data, id=node) for node, data in sub.nodes(data=True)]
    edges = [dict(data, source=u, target=v, key=k) for u, v, k, data in sub.edges(keys=True, data=True)]
    node_cols = columns(nodes, ["id", "label", "type", "kind", "category", "curie", "iri"])
    edge_cols = columns(edges, ["id", "source", "target", "key", "predicate", "label", "evidence_count",
                                "sources", "source_documents", "certainty", "frequency", "quotes"])
    return {"nodes.csv": delimited(nodes, node_cols, ","), "edges.csv": delimited(edges, edge_cols, ",")}


register(Format("csv", "nodes.csv + edges.csv", write, files=FILES, to_stdout=False, order=30))
