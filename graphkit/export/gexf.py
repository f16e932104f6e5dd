"""GEXF: the GraphML content for Gephi, with node colours by kind."""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

import networkx as nx

from ..header import RELEASE_ATTRIBUTES
from .graphdata import exportable
from .registry import Format, register


def write(sub, ctx) -> dict[str, str]:
    H = exportable(sub)
    for _, data in H.nodes(data=True):
        hex_colour = data["color"].lstrip("#")
        r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
        data["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "size": 10.0}
    buffer = io.BytesIO()
    nx.write_gexf(H, buffer)
    text = buffer.getvalue().decode("utf-8")
    # The writer stamps today's date; keep files reproducible.
    text = re.sub(r'lastmodifieddate="[^"]*"', 'lastmodifieddate="1970-01-01"', text, count=1)
    # GEXF keeps no graph attributes: the release's title, version, licence, rights and version IRI
    # go in <meta>'s description
    terms = [f"{key}: {sub.graph[key]}" for key in RELEASE_ATTRIBUTES if sub.graph.get(key)]
    if terms:
        text = text.replace("</meta>", f"<description>{escape('; '.join(terms))}</description></meta>", 1)
    return {"": text}


register(Format("gexf", "GEXF (Gephi), node colours by kind", write, suffixes=(".gexf",), order=21))
