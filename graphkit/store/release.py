"""The built release as a store holds it: its named graphs, and its quads read with rdflib."""

from __future__ import annotations

from ..external import list_external
from ..iris import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_PROVENANCE, GRAPH_SCHEMA, import_graph
from ..project import Project
from ..switch import reading


# The graphs of ontology/all.ttl, the release as curated: what graphkit validate checks.
CURATED_GRAPHS = (GRAPH_SCHEMA, GRAPH_ASSERTED, GRAPH_PROVENANCE)
RELEASE_GRAPHS = CURATED_GRAPHS + (GRAPH_INFERRED,)


def release_graph_names(project: Project, include_external: bool = False) -> list[str]:
    """The named graphs of the release, as the embedded store and ``graphkit serve`` hold them
    (and ``graphkit push`` sends them): schema, asserted, provenance, inferred and one
    ``imports/<module>`` each; with ``include_external``, the external ontologies' graphs
    (``graphkit load-external``) too."""
    external = [str(ext.graph) for ext in list_external(project)] if include_external else []
    return [str(g) for g in RELEASE_GRAPHS] + [import_graph(path.stem) for path in project.import_files()] + external


def release_quads(project: Project, include_inferred: bool = True, include_imports: bool = True,
                  include_external: bool = True):
    """(s, p, o, graph) rdflib tuples of the built release, by named graph (and of the external
    ontologies loaded with ``graphkit load-external``)."""
    from rdflib import Graph, URIRef

    from ..namespaces import graph_for_triple

    with reading(project.root):          # the built files as one release, never half of a build's switch
        project.require_release()
        release = Graph().parse(project.all_ttl, format="turtle")
        inferred = Graph().parse(project.inferred_ttl, format="turtle") \
            if include_inferred and project.inferred_ttl.exists() else Graph()
    for s, p, o in release:
        yield s, p, o, graph_for_triple(s, p, o)
    for s, p, o in inferred:
        yield s, p, o, URIRef(GRAPH_INFERRED)
    if include_imports:
        for path in project.import_files():
            target = URIRef(import_graph(path.stem))
            for s, p, o in Graph().parse(path, format="turtle"):
                yield s, p, o, target
    if include_external:
        for ext in list_external(project):
            for s, p, o in Graph().parse(ext.data, format="nt"):
                yield s, p, o, ext.graph
