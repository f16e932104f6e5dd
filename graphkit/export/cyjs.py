"""Cytoscape.js JSON (Cytoscape desktop imports it)."""

from __future__ import annotations

import json

from .graphdata import cytoscape_elements, exportable
from .registry import Format, register


def write(sub, ctx) -> dict[str, str]:
    H = exportable(sub)
    document = {"format_version": "1.0", "generated_by": "graphkit", "target_cytoscapejs_version": "~3.34",
                "data": dict(H.graph), "elements": cytoscape_elements(H)}
    return {"": json.dumps(document, indent=1, ensure_ascii=False) + "\n"}


register(Format("cyjs", "Cytoscape.js JSON", write, suffixes=(".cyjs", ".json"), aliases=("cytoscape",), order=22))
