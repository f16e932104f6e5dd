"""GraphML: the view's nodes and edges with their attributes (Gephi, Cytoscape, yEd, networkx)."""

from __future__ import annotations

import io

import networkx as nx

from .graphdata import exportable
from .registry import Format, register


def write(sub, ctx) -> dict[str, str]:
    buffer = io.BytesIO()
    nx.write_graphml(exportable(sub), buffer, edge_id_from_attribute="id")
    return {"": buffer.getvalue().decode("utf-8")}


register(Format("graphml", "GraphML (Gephi, Cytoscape, yEd, networkx)", write, suffixes=(".graphml",), order=20))
