"""Build the release: curated sources -> ``ontology/all.ttl`` (+ ``inferred.ttl``, coverage).

Stages: load (manifest, schema, registry, statements), assemble RDF, reason (OWL RL over
schema + asserted edges), serialize canonically, write atomically. Nothing is written unless
every stage succeeded, so a curation error leaves the previous release untouched.

>>> result = compile_release(Project.locate())          # doctest: +SKIP
>>> result.summary()["triples"]                          # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF

from . import coverage, turtle
from .errors import CheckFailed
from .fileio import atomic_write_text
from .loaders import rdf as to_rdf
from .loaders.disagreements import Disagreement, load_disagreements
from .loaders.registry import Registry, load_registry
from .loaders.sources import Source, load_sources
from .loaders.statements import Statement, load_statement_files
from .namespaces import (BASE, GK, GRAPH_ASSERTED, GRAPH_PROVENANCE, GRAPH_SCHEMA, TURTLE_PREFIXES, CONVERTER,
                         graph_for_subject)
from .project import Project
from .reason import infer
from .schema import Schema

INFERRED_ONTOLOGY = URIRef(BASE + "inferred")


@dataclass
class Release:
    project: Project
    sources: dict[str, Source]
    schema: Schema
    registry: Registry
    statements: list[Statement]
    disagreements: list[Disagreement]
    triples: set                      # the release: schema + asserted + provenance
    inferred: Graph
    timings: dict[str, float] = field(default_factory=dict)
    _texts: dict[str, str] = field(default_factory=dict)

    @cached_property
    def graph(self) -> Graph:
        """The release as an rdflib Graph (built on first use; assembling uses a plain set)."""
        graph = Graph()
        for triple in self.triples:
            graph.add(triple)
        return graph

    def outputs(self) -> dict:
        """Path -> text of every built file."""
        p = self.project
        if not self._texts:
            prefixes = _prefixes_for()
            started = time.perf_counter()
            self._texts = {
                p.all_ttl: turtle.serialize(self.triples, prefixes),
                p.inferred_ttl: turtle.serialize(_with_header(self.inferred), prefixes),
                p.coverage_report: coverage.render(self.sources, self.statements),
            }
            self.timings["serialize"] = time.perf_counter() - started
        return self._texts

    def summary(self) -> dict:
        by_graph = Counter(str(graph_for_subject(s)).rsplit("/", 1)[-1] for s, _, _ in self.triples)
        types = Counter()
        for entity in self.registry.values():
            types.update(entity.types)
        edges = Counter(st.prop.name for st in self.statements)
        per_source = Counter(st.source.id for st in self.statements)
        return {
            "triples": len(self.triples),
            "triples_by_graph": dict(sorted(by_graph.items())),
            "inferred_triples": len(self.inferred),
            "entities": len(self.registry),
            "entities_by_type": dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
            "statements": len(self.statements),
            "edges_by_predicate": dict(sorted(edges.items(), key=lambda kv: (-kv[1], kv[0]))),
            "statements_by_source": {sid: per_source.get(sid, 0) for sid in self.sources},
            "uncovered_sections": len(coverage.uncovered_sections(self.sources, self.statements)),
            "timings_s": {k: round(v, 3) for k, v in self.timings.items()},
        }


def _prefixes_for() -> dict[str, str]:
    """Graph prefixes plus the external CURIE prefixes (only those used are written)."""
    prefixes = dict(TURTLE_PREFIXES)
    for record in CONVERTER.records:
        prefixes.setdefault(record.prefix, record.uri_prefix)
    return prefixes


def _with_header(inferred: Graph) -> Graph:
    import owlrl

    graph = Graph()
    graph.add((INFERRED_ONTOLOGY, RDF.type, OWL.Ontology))
    graph.add((INFERRED_ONTOLOGY, DCTERMS.title, Literal("graphkit inferred triples (OWL 2 RL closure)")))
    graph.add((INFERRED_ONTOLOGY, DCTERMS.description, Literal(
        "Triples implied by ontology/schema.ttl and the asserted graph under OWL 2 RL, computed with owlrl "
        "and reduced to informative statements about entities. Not asserted by any source; see all.ttl for "
        "the asserted graph and its evidence.")))
    graph.add((INFERRED_ONTOLOGY, PROV.wasDerivedFrom, URIRef(BASE + "schema")))
    graph.add((INFERRED_ONTOLOGY, OWL.versionInfo, Literal(f"owlrl {owlrl.__version__}")))
    for triple in inferred:
        graph.add(triple)
    return graph


def compile_release(project: Project, reasoner: str = "owlrl") -> Release:
    """Load and check everything, assemble the graph and its closure; write nothing."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    rel = project.relative
    sources = load_sources(project.manifest, rel(project.manifest))
    schema = Schema.load(project.schema_file)
    registry = load_registry(project.entities_dir, schema, project.root)
    statements = load_statement_files(project.statements_dir, schema, registry, sources, project.root)
    disagreements = load_disagreements(project.disagreements_file, statements, rel(project.disagreements_file))
    timings["load"] = time.perf_counter() - started

    started = time.perf_counter()
    graph: set = set(schema.graph)
    to_rdf.add_sources(graph, sources, rel)
    to_rdf.add_entities(graph, registry, lambda e: str(e.location))
    to_rdf.add_statements(graph, statements, registry, lambda st: str(st.location))
    to_rdf.add_disagreements(graph, disagreements)
    timings["assemble"] = time.perf_counter() - started

    started = time.perf_counter()
    reasoning_input = Graph()
    reasoning_input.addN((s, p, o, reasoning_input) for s, p, o in graph
                         if graph_for_subject(s) in (GRAPH_SCHEMA, GRAPH_ASSERTED))
    inferred = infer(reasoning_input, reasoner)
    timings["reason"] = time.perf_counter() - started
    return Release(project, sources, schema, registry, statements, disagreements, graph, inferred, timings)


def build(project: Project, check: bool = False, reasoner: str = "owlrl") -> Release:
    """Compile the release and write it (or, with ``check``, compare it with the files)."""
    release = compile_release(project, reasoner)
    outputs = release.outputs()
    if check:
        stale = [project.relative(path) for path, text in outputs.items()
                 if not path.exists() or path.read_text(encoding="utf-8") != text]
        if stale:
            raise CheckFailed("stale build output (run `graphkit build`): " + ", ".join(stale))
        return release
    started = time.perf_counter()
    for path, text in outputs.items():
        atomic_write_text(path, text)
    release.timings["write"] = time.perf_counter() - started
    return release
