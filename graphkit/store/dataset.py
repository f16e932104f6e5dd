"""The release's named graphs counted and written as one dataset (N-Quads or TriG: ``graphkit dump``)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .. import terms
from ..iris import TURTLE_PREFIXES
from ..project import Project
from .oxigraph import OxigraphStore


def graph_counts(store: "OxigraphStore") -> dict[str, int]:
    """Named graph IRI -> its number of triples, in IRI order."""
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
    return {str(r["g"]): int(r["n"]) for r in sorted(rows, key=lambda r: str(r["g"]))}


# The formats of a dump of the release's named graphs (graphkit dump): file suffix -> format.
DATASET_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
DATASET_SUFFIXES = {".nq": "nquads", ".nquads": "nquads", ".trig": "trig"}


def write_dataset(project: Project, output, fmt: str = "nquads", include_inferred: bool = True,
                  include_external: bool = False, mkdir: bool = False) -> "OxigraphStore":
    """The release in its named graphs (schema, asserted, provenance, inferred, imports/*; and
    external/* with ``include_external``), as the embedded store, ``graphkit serve`` and
    ``graphkit push`` hold them, written to ``output`` (a path, or a binary file object) as
    N-Quads or TriG: what another triple store loads to answer ``GRAPH`` patterns as graphkit
    does. A path is written whole or not at all (its directory created with ``mkdir``). The same
    release gives the same bytes: blank nodes get their RDFC-1.0 canonical labels (the store's
    are new random ones at each load) and the quads are sorted by graph, subject, predicate and
    object, so two dumps diff. Returns the store it was read into."""
    from ..fileio import atomic_path

    store = OxigraphStore.from_project(project, include_inferred=include_inferred, include_external=include_external)
    quads = terms.canonical_quads(store.ox.quads_for_pattern(None, None, None, None))
    options = {"format": DATASET_FORMATS[fmt]}
    if fmt == "trig":
        options["prefixes"] = dict(TURTLE_PREFIXES)
    if isinstance(output, (str, Path)):
        with atomic_path(Path(output), mkdir=mkdir) as tmp:
            ox.serialize(quads, str(tmp), **options)
    else:
        ox.serialize(quads, output, **options)
    return store
