"""The NetworkX view of a saved store, kept beside it.

Building the view (:func:`graphkit.nxview.from_store`) reads every entity, statement and quote of
the release into Python: about a second, most of what ``graphkit export`` took. A saved store never
changes (:mod:`graphkit.storecache`), so a view built from one is kept in its directory as networkx
node-link JSON and read back in a few tens of milliseconds::

    .graphkit-cache/store/<key>/views/<digest>.json

``digest`` covers the view's options and graphkit's own code, so another release (another store)
or an edit of the code never reads an old view. JSON, not pickle: reading a cache file runs no
code. Every attribute of a view is a str, int, float or bool (:mod:`graphkit.nxview`'s rule),
which JSON gives back as they were, in their order. A view that cannot be written (a read-only
project) or read back (a damaged file) is built anew, silently: the cache only saves time.

>>> import networkx as nx, tempfile
>>> G = nx.MultiDiGraph(name="view")
>>> G.add_node("a", label="A", id="not the key")
>>> G.add_edge("a", "b", key="p", sources="x", inferred=False)
'p'
>>> with tempfile.TemporaryDirectory() as store:
...     write(Path(store), {"quantities": "nodes"}, G)
...     again = read(Path(store), {"quantities": "nodes"})
...     missing = read(Path(store), {"quantities": "attributes"})
>>> list(again.nodes(data=True)) == list(G.nodes(data=True)), list(again.edges(keys=True, data=True)), missing
(True, [('a', 'b', 'p', {'sources': 'x', 'inferred': False})], None)
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import networkx as nx

from .codedigest import code_digest
from .errors import EnvironmentProblem
from .fileio import atomic_write_text

VIEWS = "views"
# The node-link fields that are not attributes: named so that no attribute of a view can be one.
_FIELDS = {"name": "@id", "source": "@source", "target": "@target", "key": "@key", "edges": "edges"}


def view_path(directory: Path, options: dict) -> Path:
    """Where the view of the saved store in ``directory`` with ``options`` is kept."""
    key = json.dumps({"options": options, "code": code_digest()}, sort_keys=True)
    return directory / VIEWS / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"


def read(directory: Path, options: dict) -> nx.MultiDiGraph | None:
    """The view kept for ``options`` beside the saved store in ``directory``, or None."""
    try:
        data = json.loads(view_path(directory, options).read_text(encoding="utf-8"))
        return nx.node_link_graph(data, directed=True, multigraph=True, **_FIELDS)
    except (OSError, ValueError, KeyError, TypeError, nx.NetworkXError):
        return None


def write(directory: Path, options: dict, G: nx.MultiDiGraph) -> None:
    """Keep ``G``, the view with ``options`` of the saved store in ``directory`` (silently not,
    where the directory cannot be written)."""
    try:
        text = json.dumps(nx.node_link_data(G, **_FIELDS), ensure_ascii=False, separators=(",", ":"))
        atomic_write_text(view_path(directory, options), text, mkdir=True)
    except (OSError, EnvironmentProblem):          # fileio reports a failed write as the latter
        pass
