"""The built release as files per named graph, for loading into other engines exactly as graphkit's
embedded store holds it (schema, asserted, provenance, inferred, imports/*; no external ontologies).

>>> files = release_graph_files(Project.locate(), tmp_dir)                  # doctest: +SKIP
>>> sorted(iri.rsplit("/", 1)[-1] for iri in files)                          # doctest: +SKIP
['asserted', 'chebi', 'doid', 'ecto', 'hgnc', 'hp', 'icd10cm', 'icd10who', 'inferred', 'maxo', 'mondo', 'ncbigene', 'ncit', 'orpha', 'provenance', 'schema', 'symp', 'unii']
"""

from __future__ import annotations

from pathlib import Path

from graphkit.project import Project
from graphkit.store import OxigraphStore


def release_graph_files(project: Project, directory: Path, inferred: bool = True) -> dict[str, Path]:
    """Write each named graph of the release as N-Triples into ``directory``; graph IRI -> file.
    Blank nodes occur in the schema graph only, so the split keeps every blank node in one file."""
    import pyoxigraph as ox

    store = OxigraphStore.from_project(project, include_inferred=inferred, include_external=False)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    files = {}
    for index, graph in enumerate(store.graph_names()):
        path = directory / f"{index:02d}-{graph.rstrip('/').rsplit('/', 1)[-1]}.nt"
        store.ox.dump(str(path), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
        files[graph] = path
    return files
