"""The HTML view: one self-contained page that draws the selection in any browser, offline.

It inlines Cytoscape.js (vendored in ``graphkit/vendor/cytoscape``, MIT) and the graph as
JSON: force-directed layout, node colour by kind with a legend (click to hide a kind), edge
labels, search, and a details panel with each node's attributes and each edge's evidence.
"""

from __future__ import annotations

import html as html_lib
import json
from importlib import resources

import networkx as nx

from ..header import release_credit
from .graphdata import cytoscape_elements, exportable
from .registry import Format, register

CYTOSCAPE_VERSION = "3.34.4"


def html(G: nx.MultiDiGraph, title: str = "") -> str:
    """One self-contained HTML page showing ``G`` (no network needed to open it)."""
    package = resources.files("graphkit")
    template = package.joinpath("templates", "view.html").read_text(encoding="utf-8")
    library = package.joinpath("vendor", "cytoscape", "cytoscape.min.js").read_text(encoding="utf-8")
    title = title or f"graphkit: {G.graph.get('selection', 'knowledge graph')}"
    payload = {"title": title, "selection": G.graph.get("selection", ""), "elements": cytoscape_elements(exportable(G))}
    # JSON inside <script>: escape "<" so no "</script>" or "<!--" can end or confuse the element.
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    page = template.replace("__GRAPHKIT_TITLE__", html_lib.escape(title))
    page = page.replace("__GRAPHKIT_LIBRARY_VERSION__", CYTOSCAPE_VERSION)
    page = page.replace("__GRAPHKIT_RELEASE__", _release_paragraph(G.graph))
    page = page.replace("__GRAPHKIT_DATA__", data)
    return page.replace("__GRAPHKIT_LIBRARY__", library)


def _release_paragraph(attrs: dict) -> str:
    """The release the page was drawn from, its licence and rights, as the side panel's last
    paragraph (empty without them)."""
    credit = release_credit(attrs, markup=True)
    if not credit:
        return ""
    rights = f" {html_lib.escape(attrs['rights'])}" if attrs.get("rights") else ""
    return f'<h2>Source</h2>\n  <p id="release">{credit}{rights}</p>'


def write(sub, ctx) -> dict[str, str]:
    return {"": html(sub, title=ctx.title)}


register(Format("html", "interactive picture, one self-contained file", write, suffixes=(".html", ".htm"),
                picture=True, order=40))
