"""Cytoscape JSON: one ``.cyjs`` file that Cytoscape desktop imports, Cytoscape.js draws and
networkx reads back (``networkx.cytoscape_graph``); and, as the ``cytoscape`` format, that file
with a Cytoscape desktop style (``styles.xml``) beside it, so colours by kind, labels and arrows
appear on import.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_edge("jmml", "fever", key="hasSymptom", label="has symptom")
'hasSymptom'
>>> G.add_edge("jmml", "fever", key="symptomOf", label="symptom of")
'symptomOf'
>>> back = nx.cytoscape_graph(document(G))
>>> sorted(back.edges(keys=True))
[('jmml', 'fever', 'hasSymptom'), ('jmml', 'fever', 'symptomOf')]
"""

from __future__ import annotations

import json
from xml.sax.saxutils import quoteattr

import networkx as nx

from .graphdata import OTHER_COLOUR, cytoscape_elements, exportable
from .registry import Format, register

STYLE_NAME = "graphkit"


def document(sub: nx.MultiDiGraph) -> dict:
    """The selection as a Cytoscape JSON document (graph attributes as ``data``)."""
    H = exportable(sub)
    return {"format_version": "1.0", "generated_by": "graphkit", "target_cytoscapejs_version": "~3.34",
            "data": dict(H.graph), "directed": True, "multigraph": True, "elements": cytoscape_elements(H)}


def text(sub: nx.MultiDiGraph) -> str:
    return json.dumps(document(sub), indent=1, ensure_ascii=False) + "\n"


# Visual properties of the style: (name, default, mapping). Mappings: ("passthrough", column,
# column type) or ("discrete", column, column type, {column value: property value}).
NODE_STYLE = (
    ("NODE_FILL_COLOR", OTHER_COLOUR, ("passthrough", "color", "string")),
    ("NODE_LABEL", "", ("passthrough", "name", "string")),
    ("NODE_TOOLTIP", "", ("passthrough", "definition", "string")),
    ("NODE_SHAPE", "ELLIPSE", ("discrete", "kind", "string", {"QuantityValue": "ROUND_RECTANGLE"})),
    ("NODE_SIZE", "30.0", None),
    ("NODE_BORDER_PAINT", "#404040", None),
    ("NODE_BORDER_WIDTH", "1.0", None),
    ("NODE_LABEL_FONT_SIZE", "10", None),
    ("NODE_LABEL_POSITION", "S,N,c,0.00,0.00", None),
)
EDGE_STYLE = (
    ("EDGE_LABEL", "", ("passthrough", "label", "string")),
    ("EDGE_TOOLTIP", "", ("passthrough", "quotes", "string")),
    ("EDGE_TARGET_ARROW_SHAPE", "DELTA", None),
    ("EDGE_STROKE_UNSELECTED_PAINT", "#8C8C8C", None),
    ("EDGE_WIDTH", "1.5", None),
    ("EDGE_LABEL_FONT_SIZE", "8", None),
    ("EDGE_LINE_TYPE", "SOLID", ("discrete", "inferred", "boolean", {"true": "EQUAL_DASH"})),
)


def _property(name: str, default: str, mapping) -> str:
    head = f"      <visualProperty name={quoteattr(name)} default={quoteattr(default)}"
    if mapping is None:
        return head + "/>"
    kind, column, column_type, *table = mapping
    attributes = f"attributeName={quoteattr(column)} attributeType={quoteattr(column_type)}"
    if kind == "passthrough":
        inner = [f"        <passthroughMapping {attributes}/>"]
    else:
        inner = [f"        <discreteMapping {attributes}>"]
        inner += [f"          <discreteMappingEntry attributeValue={quoteattr(key)} value={quoteattr(value)}/>"
                  for key, value in table[0].items()]
        inner.append("        </discreteMapping>")
    return "\n".join([head + ">", *inner, "      </visualProperty>"])


def style() -> str:
    """A Cytoscape desktop style (the vizmap XML of File → Import → Styles from File): nodes
    filled with their ``color`` column (the colour of their kind, as in every graphkit picture)
    and labelled with ``name``, quantity values as rounded rectangles, edges labelled with their
    ``label``, arrows at the target, inferred edges dashed; tooltips with definitions and quotes."""
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
             '<vizmap id="VizMap-graphkit" documentVersion="3.1">',
             f"  <visualStyle name={quoteattr(STYLE_NAME)}>",
             "    <network>",
             '      <visualProperty name="NETWORK_BACKGROUND_PAINT" default="#FFFFFF"/>',
             "    </network>",
             "    <node>",
             '      <dependency name="nodeSizeLocked" value="true"/>',
             *[_property(*item) for item in NODE_STYLE],
             "    </node>",
             "    <edge>",
             '      <dependency name="arrowColorMatchesEdge" value="true"/>',
             *[_property(*item) for item in EDGE_STYLE],
             "    </edge>",
             "  </visualStyle>",
             "</vizmap>"]
    return "\n".join(lines) + "\n"


def write(sub, ctx) -> dict[str, str]:
    return {"": text(sub)}


def write_with_style(sub, ctx) -> dict[str, str]:
    return {"network.cyjs": text(sub), "styles.xml": style()}


register(Format("cyjs", "Cytoscape JSON (Cytoscape desktop, Cytoscape.js, networkx)", write,
                suffixes=(".cyjs", ".json"), order=22))
register(Format("cytoscape", "network.cyjs + styles.xml: Cytoscape desktop with colours and labels",
                write_with_style, aliases=("cytoscape-desktop",), files=("network.cyjs", "styles.xml"),
                to_stdout=False, order=23))
