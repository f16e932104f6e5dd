"""Static pictures of a selection, PNG or SVG (matplotlib): nodes coloured by kind, labelled,
with a legend; networkx's spring layout, seeded, so the same selection gives the same picture.
"""

from __future__ import annotations

import io
import textwrap

import networkx as nx

from ..header import release_credit
from .graphdata import colour_of
from .registry import Format, register


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
    # Imported here: matplotlib takes ~0.4 s to import (measured), and every export loads this
    # module with the format registry.
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

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
                          f"({n} nodes, {G.number_of_edges()} edges)", fontsize=11,
                 parse_math=False)     # a title is text: "$5 and $10" is not matplotlib's math
    # The release and its licence in a line under the picture, where a reader of a figure copied
    # into a slide or paper still sees it, and in the file's metadata (PNG text chunks, SVG's Dublin
    # Core), where tools read it.
    statement = release_credit(G.graph)
    footer = 0.0
    if statement:
        fig.text(0.005, 0.004, statement, fontsize=7, color="#555555", ha="left", va="bottom", parse_math=False)
        footer = 0.25 / side                     # a quarter of an inch of the figure's height
    fig.tight_layout(rect=(0.0, footer, 1.0, 1.0))
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata=_metadata(G.graph, fmt))
    data = buffer.getvalue()
    return data.decode("utf-8") if fmt == "svg" else data


def _metadata(attrs: dict, fmt: str) -> dict:
    """The release's title, version IRI, licence and rights as the picture format's metadata keys;
    no date or software version, so the same selection gives the same bytes."""
    title = " ".join(attrs[key] for key in ("title", "version") if attrs.get(key))
    rights = [f"Licence: {attrs['license']}"] if attrs.get("license") else []
    rights += [attrs["rights"]] if attrs.get("rights") else []
    if fmt == "svg":
        metadata = {"Date": None, "Title": title or None, "Source": attrs.get("source"), "Rights": rights or None}
    else:
        metadata = {"Software": None, "Title": title or None, "Source": attrs.get("source"),
                    "Copyright": "; ".join(rights) or None}
    return {key: value for key, value in metadata.items() if value is not None or key in ("Date", "Software")}


def _writer(fmt: str):
    def write(sub, ctx) -> dict[str, bytes | str]:
        with ctx.bar(f"drawing {sub.number_of_nodes()} nodes ({fmt})", 1) as bar:
            drawn = static(sub, fmt, title=ctx.title)
            bar.advance()
        return {"": drawn}
    return write


register(Format("png", "static picture (PNG)", _writer("png"), suffixes=(".png",), to_stdout=False, picture=True,
                order=41))
register(Format("svg", "static picture (SVG)", _writer("svg"), suffixes=(".svg",), picture=True, order=42))
