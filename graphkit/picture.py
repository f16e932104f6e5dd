"""Pictures of a subgraph: one self-contained interactive HTML file, or a static PNG/SVG.

The HTML view inlines Cytoscape.js (vendored in ``graphkit/vendor/cytoscape``, MIT) and the
graph as JSON, so it opens in any browser without a network: force-directed layout, node
colour by kind with a legend (click to hide a kind), edge labels, search, and a details panel
with each node's attributes and each edge's evidence. The static picture uses matplotlib with
networkx's spring layout (seeded: the same selection gives the same picture).

>>> colour_of("Disease"), colour_of("Therapy")
('#d62728', '#2ca02c')
"""

from __future__ import annotations

import html as html_lib
import io
import json
import textwrap
from importlib import resources

import networkx as nx

from .errors import EnvironmentProblem

CYTOSCAPE_VERSION = "3.34.4"

# One colour per kind (the pairwise disjoint top classes of the schema), the same in every picture.
KIND_COLOURS = {
    "Disease": "#d62728", "Phenotype": "#ff7f0e", "Therapy": "#2ca02c", "DiagnosticTest": "#1f77b4",
    "ClinicalFeature": "#9467bd", "AnatomicalSite": "#8c564b", "CellType": "#e377c2", "Gene": "#17becf",
    "GeneticAbnormality": "#bcbd22", "MolecularTarget": "#aec7e8", "DiseaseState": "#ff9896",
    "PatientGroup": "#c5b0d5", "StudyFinding": "#f7b6d2", "ClinicalStudy": "#c49c94", "Outcome": "#dbdb8d",
    "Exposure": "#98df8a", "TreatmentPhase": "#9edae5", "MechanismOfAction": "#ffbb78",
    "RouteOfAdministration": "#c7c7c7", "Specialist": "#7b4173", "Organization": "#637939",
    "RegulatoryApproval": "#8c6d31", "Criterion": "#843c39", "Food": "#e7ba52", "ICD10Code": "#393b79",
    "QuantityValue": "#e0e0e0", "Unit": "#bdbdbd", "SourceDocument": "#636363", "Evidence": "#969696",
    "SourceDisagreement": "#d6616b", "Class": "#6b6ecf", "Role": "#de9ed6", "Abstract": "#cedb9c",
}
OTHER_COLOUR = "#7f7f7f"


def colour_of(kind: str) -> str:
    """The colour of a node kind (``|``-joined kinds take the first)."""
    return KIND_COLOURS.get((kind or "").split("|")[0], OTHER_COLOUR)


def _elements(G: nx.MultiDiGraph) -> dict:
    from .export import cytoscape_elements, exportable

    return cytoscape_elements(exportable(G))


def html(G: nx.MultiDiGraph, title: str = "") -> str:
    """One self-contained HTML page showing ``G`` (no network needed to open it)."""
    package = resources.files("graphkit")
    template = package.joinpath("templates", "view.html").read_text(encoding="utf-8")
    library = package.joinpath("vendor", "cytoscape", "cytoscape.min.js").read_text(encoding="utf-8")
    title = title or f"graphkit: {G.graph.get('selection', 'knowledge graph')}"
    payload = {"title": title, "selection": G.graph.get("selection", ""), "elements": _elements(G)}
    # JSON inside <script>: escape "<" so no "</script>" or "<!--" can end or confuse the element.
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    page = template.replace("__GRAPHKIT_TITLE__", html_lib.escape(title))
    page = page.replace("__GRAPHKIT_LIBRARY_VERSION__", CYTOSCAPE_VERSION)
    page = page.replace("__GRAPHKIT_DATA__", data)
    return page.replace("__GRAPHKIT_LIBRARY__", library)


def layout(G: nx.MultiDiGraph, seed: int = 7) -> dict:
    """Positions for a static picture: each connected component laid out on its own with
    networkx's spring layout (ForceAtlas2 from 500 nodes; both seeded), scaled by its size and
    packed in rows, largest first; single nodes in a grid below."""
    simple = nx.Graph(G.to_undirected(as_view=True))
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    parts = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c)))
    groups = [sorted(c) for c in parts if len(c) > 1]
    singles = sorted(n for c in parts if len(c) == 1 for n in c)
    placed: list[tuple[dict, float]] = []
    for nodes in groups:
        part = simple.subgraph(nodes)
        if len(nodes) < 500:
            raw = nx.spring_layout(part, k=1.6 / len(nodes) ** 0.5, iterations=300, seed=seed, method="force")
        else:   # networkx's spring layout needs SciPy from 500 nodes on; ForceAtlas2 needs only NumPy
            raw = nx.forceatlas2_layout(part, seed=seed, max_iter=150, scaling_ratio=2.0)
        xs = [p[0] for p in raw.values()]
        ys = [p[1] for p in raw.values()]
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
        size = len(nodes) ** 0.5
        placed.append(({n: ((x - min(xs)) / span * size, (y - min(ys)) / span * size)
                        for n, (x, y) in raw.items()}, size))
    width = max([size for _, size in placed] + [(sum(size ** 2 for _, size in placed)) ** 0.5 * 1.3, 3.0])
    pos: dict = {}
    x = y = row = 0.0
    gap = 0.8
    for coords, size in placed:
        if x > 0 and x + size > width:
            x, y, row = 0.0, y - row - gap, 0.0
        pos.update({n: (x + cx, y - size + cy) for n, (cx, cy) in coords.items()})
        x += size + gap
        row = max(row, size)
    y -= row + gap
    columns = max(1, int(width / 0.9))
    for i, node in enumerate(singles):
        pos[node] = ((i % columns) * 0.9, y - (i // columns) * 0.6)
    return pos


def static(G: nx.MultiDiGraph, fmt: str = "png", title: str = "") -> bytes | str:
    """A PNG (bytes) or SVG (text) picture of ``G``: nodes coloured by kind, labelled, with a
    legend; edge labels when there are at most 150 edges."""
    try:
        import matplotlib
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D
    except ImportError:
        raise EnvironmentProblem("png/svg pictures need matplotlib: pip install matplotlib") from None
    matplotlib.rcParams["svg.hashsalt"] = "graphkit"
    n = G.number_of_nodes()
    side = min(40.0, max(9.0, 3.0 + 1.25 * n ** 0.5))
    fig = Figure(figsize=(side * 1.25, side), dpi=100 if n < 300 else 72)
    ax = fig.subplots()
    ax.set_axis_off()
    pos = layout(G)
    kinds = {node: data.get("kind", "") for node, data in G.nodes(data=True)}
    degree = dict(G.degree())
    sizes = [160 + 60 * min(degree[node], 20) for node in G]
    nx.draw_networkx_edges(G, pos, ax=ax, edge_color="#9a9a9a", width=0.9, arrows=True, arrowsize=9,
                           node_size=sizes, connectionstyle="arc3,rad=0.06")
    nx.draw_networkx_nodes(G, pos, ax=ax, node_color=[colour_of(kinds[node]) for node in G], node_size=sizes,
                           edgecolors="#444444", linewidths=0.6)
    labels = {node: "\n".join(([node] if data.get("kind") == "ICD10Code" and data.get("type") != "Class" else [])
                               + textwrap.wrap(data.get("label", node), 24)[:3]) for node, data in G.nodes(data=True)}
    nx.draw_networkx_labels(G, pos, labels=labels, ax=ax, font_size=7 if n < 150 else 5)
    if G.number_of_edges() <= 150:
        edge_labels = {}
        for u, v, data in G.edges(data=True):
            edge_labels.setdefault((u, v), []).append(data.get("label", ""))
        nx.draw_networkx_edge_labels(G, pos, edge_labels={e: ", ".join(sorted(ls)) for e, ls in edge_labels.items()},
                                     ax=ax, font_size=5.5, font_color="#555555", rotate=False,
                                     bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7},
                                     connectionstyle="arc3,rad=0.06")
    present = sorted(set(kinds.values()), key=lambda k: (-sum(1 for x in kinds.values() if x == k), k))
    handles = [Line2D([0], [0], marker="o", linestyle="", markersize=8, markerfacecolor=colour_of(k),
                      markeredgecolor="#444444", label=f"{k or 'other'} ({sum(1 for x in kinds.values() if x == k)})")
               for k in present]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8,
              title="kind", title_fontsize=9)
    ax.set_title(title or f"graphkit: {G.graph.get('selection', 'knowledge graph')} "
                          f"({n} nodes, {G.number_of_edges()} edges)", fontsize=11)
    fig.tight_layout()
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buffer, format=fmt, metadata=metadata)
    data = buffer.getvalue()
    return data.decode("utf-8") if fmt == "svg" else data
