"""One export from start to end, as ``graphkit export`` runs it: the built graph loaded, its view
built, a part selected, written in a format.

>>> import tempfile
>>> from graphkit.select import Selection
>>> with tempfile.TemporaryDirectory() as out:
...     done = export(Selection(seeds=["jmml_relapse_after_hsct"], hops=0), "nt", f"{out}/j.nt")
...     done.sub.number_of_nodes(), [p.name for p in done.written.paths], done.notes
(1, ['j.nt'], [])
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import networkx as nx

from .. import nxview
from ..progress import Progress
from ..project import Project
from ..select import Selection, select
from ..store import OxigraphStore
from .context import Context
from .files import Written, table_rows, write
from .registry import Format, format_named, render


@dataclass
class Exported:
    """What an export wrote: the selection (a subgraph of the view), the files as rendered, where
    they went, the notes on how the selection was read, and the seconds it took to load and to
    select and write."""

    sub: nx.MultiDiGraph
    files: dict[str, str | bytes]
    written: Written
    notes: list[str] = field(default_factory=list)
    load_s: float = 0.0
    export_s: float = 0.0

    @property
    def rows(self) -> dict[str, int]:
        """The rows of each table file written (KGX folds some nodes and edges into columns)."""
        return table_rows(self.files)


def export(selection: Selection, fmt: str | Format, output: str, *, project: Project | None = None,
           schema: bool = False, include_schema: bool = False, include_provenance: bool = False,
           include_inferred: bool = False, quantities: str = "nodes", title: str = "", force: bool = False,
           mkdir: bool = False, progress: bool | None = False, notes: list[str] | None = None) -> Exported:
    """Export ``selection`` of the built graph of ``project`` (default: the one the process runs
    in) as ``fmt`` to ``output`` (a path, or ``-`` for standard output): the view is the schema
    with ``schema``, else the entities with what ``include_*`` adds (see
    :func:`graphkit.nxview.from_store`). Notes on how the selection was read are appended to
    ``notes`` as they come, so a caller has them when a later stage fails."""
    started = time.perf_counter()
    fmt = format_named(fmt) if isinstance(fmt, str) else fmt
    project = project or Project.locate()
    project.refuse_to_overwrite(output, fmt.files)
    notes = [] if notes is None else notes
    with Progress("export", total=4, enabled=progress) as bar:         # the stages, on a terminal or when asked
        bar.step("export: loading the graph")
        store = OxigraphStore.saved(project)     # opened in milliseconds; the view kept beside it
        bar.advance()
        bar.step("export: building the view")
        view = nxview.schema_view(store) if schema else nxview.from_store(
            store, include_schema=include_schema, include_provenance=include_provenance,
            include_inferred=include_inferred, quantities=quantities)
        loaded = time.perf_counter()
        bar.advance()
        bar.step("export: selecting")
        sub = select(view, selection, store, notes)
        bar.advance()
        bar.step(f"export: writing {fmt.name}")
        files = render(fmt, sub, Context(view, store, progress=progress, title=title, force=force))
        written = write(fmt, files, output, mkdir=mkdir)
        bar.advance()
    return Exported(sub, files, written, notes, loaded - started, time.perf_counter() - loaded)
