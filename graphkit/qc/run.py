"""Run every check over a release and collect one report.

>>> from graphkit import Project, compile_release
>>> release = compile_release(Project.locate())
>>> report = validate_release(release)
>>> report.exit_code, report.summary_line().split(", ")[0]
(0, '0 violations')
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from .. import collector
from ..assemble import curated_lines
from ..errors import CurationError, Location
from ..namespaces import GK, RELEASE_ONTOLOGY, SCHEMA_ONTOLOGY, compact
from ..progress import Progress
from ..project import Project
from ..reason import infer, reasoning_input
from ..schema import Schema
from ..rdfread import graph_file, turtle_graph
from ..switch import reading
from ..terms import rdflib_triples, to_oxigraph
from .consistency import check_consistency
from .data import QCData
from .findings import Finding, Report
from .imports import check_import_coverage
from .queries import CHECK as QUERY_CHECK, load_queries, start_queries
from .shacl import FastValidator, Result, UnsupportedShape, evaluated_rules, rule_name, validate_pyshacl
from .shapes import load_shapes
from .sources import check_quotes

SHACL_ENGINES = ("fast", "pyshacl")


def shacl_findings(data: QCData, shapes: Graph, results: list[Result]) -> list[Finding]:
    """Findings of SHACL results in pyoxigraph terms (the QC data's)."""
    def gk_types(node) -> str:
        """The node's asserted gk: classes, which a sh:class result shows (looked up for the few
        results, not for the ~10^4 typed nodes)."""
        return ", ".join(sorted(compact(t.value) for t in data.asserted_types(node) if t.value.startswith(str(GK))))

    findings = []
    for r in results:
        rule = rule_name(shapes, r.shape)
        value = ""
        if r.value is not None and r.value != r.focus:
            value = data.short(r.value)
            if r.component == "ClassConstraintComponent" and gk_types(r.value):
                value += f" ({gk_types(r.value)})"
        elif r.value is not None and r.component == "ClassConstraintComponent":
            value = gk_types(r.value) or "no gk: type"
        if rule.endswith("-domain") and r.path is None:
            prop = GK[rule[: -len("-domain")]]
            where = data.statement_locations(r.focus, ox.NamedNode(prop)) or data.locations(r.focus)
            path = compact(prop)
        else:
            where = data.locations(r.focus, r.path, r.value)
            path = data.short(r.path) if r.path is not None else ""
        message = r.message or r.component.replace("ConstraintComponent", " constraint")
        findings.append(Finding(r.severity.lower(), rule, "shacl", data.short(r.focus), data.label(r.focus),
                                path, value, "; ".join(where), message))
    return findings


@contextmanager
def _timed(timings: dict[str, float], stage: str):
    """Record how long the ``with`` block took as ``timings[stage]``."""
    started = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - started


def run_checks(data: QCData, project: Project, schema: Schema, shacl_engine: str = "fast",
               target: str = "", progress: bool | None = False,
               timings: dict[str, float] | None = None) -> Report:
    """SHACL, consistency of the closure, the SPARQL checks of queries/qc/ and the quote checks;
    ``progress`` draws them on stderr (None: when it is a terminal); ``timings``: the stages
    before the checks (loading, reasoning), reported first."""
    timings = dict(timings or {})
    findings: list[Finding] = []
    # The QC queries are evaluated in a thread beside the SHACL engine (Python); their findings are
    # made in their turn, so the report is the same as when they ran there.
    qc_queries = load_queries(project.qc_queries_dir) if project.qc_queries_dir.exists() else []
    queries = start_queries(data, qc_queries)
    # The rules that ran, those that found nothing too: the SHACL shapes evaluated (added by
    # _shacl) and the SPARQL checks.
    checked: list[tuple[str, str, str]] = []
    checks = {"shacl": lambda: _shacl(data, project, schema, shacl_engine, checked),
              "consistency": lambda: check_consistency(data),
              "queries": queries,
              "sources": lambda: check_quotes(data),
              "imports": lambda: check_import_coverage(data, project)}
    # The checks make ~10^6 objects that live while they run (the SHACL engine's indexes, query
    # answers): five full collections in one validation scanned them, 0.45 s of its 2.7 s CPU (measured).
    with Progress("validate", total=len(checks), enabled=progress) as bar, collector.paused():
        for name, check in checks.items():
            bar.step(f"validate: {name:<12}")
            with _timed(timings, name):
                findings += check()
            bar.advance()
    checked += [(query.level, query.rule, QUERY_CHECK) for query in qc_queries]
    return Report(findings, timings, target, project.config.failing_levels, checked=checked)


def _shacl(data: QCData, project: Project, schema: Schema, shacl_engine: str,
           checked: list[tuple[str, str, str]]) -> list[Finding]:
    """The SHACL findings; adds to ``checked`` the (level, rule, "shacl") of every shape evaluated."""
    shapes = load_shapes(project.shapes_file, schema, project.relative(project.shapes_file))
    if shacl_engine == "pyshacl":
        graph = Graph()
        for triple in rdflib_triples(data.release_quads()):
            graph.add(triple)
        results = [r.with_terms(to_oxigraph) for r in validate_pyshacl(graph, shapes)]
        rules = evaluated_rules(shapes)
    else:
        try:
            validator = FastValidator(data.release_with, shapes, data.sparql_targets)
            results = validator.validate()
        except UnsupportedShape as exc:
            raise CurationError([(Location(project.relative(project.shapes_file)), str(exc))]) from None
        rules = evaluated_rules(shapes, validator.parameters)
    checked += [(level, rule, "shacl") for level, rule in rules]
    return shacl_findings(data, shapes, results)


def validate_release(release, shacl_engine: str = "fast", release_store=None) -> Report:
    """Check a compiled release (the build) before anything is written (``release_store``: a
    pyoxigraph store of its text, parsed already)."""
    project, before = release.project, {}
    with _timed(before, "load"):
        texts = release.outputs()
        data = QCData.from_graphs(release.triples, release.inferred, project.root,
                                  texts[project.all_ttl], texts[project.inferred_ttl], release_store,
                                  curated_lines(release.curation))
    return run_checks(data, project, release.schema, shacl_engine, project.relative(project.all_ttl),
                      timings=before)


def validate_built(project: Project, shacl_engine: str = "fast", progress: bool | None = False,
                   lines: dict[str, str] | None = None) -> Report:
    """Check the built files ``ontology/all.ttl`` + ``ontology/inferred.ttl`` (``progress``: see
    :func:`run_checks`; ``lines``: IRI -> curated ``path:line``, see
    :func:`graphkit.assemble.curated_lines`)."""
    project.require_release()
    before: dict[str, float] = {}
    with _timed(before, "load"), reading(project.root):
        data = QCData.from_files(project.all_ttl, project.inferred_ttl, project.root, lines)
    return run_checks(data, project, Schema.of_project(project), shacl_engine,
                      f"{project.relative(project.all_ttl)} + {project.relative(project.inferred_ttl)}", progress,
                      timings=before)


def validate_file(path: Path, project: Project, shacl_engine: str = "fast", reasoner: str = "reasonable",
                  lines: dict[str, str] | None = None) -> Report:
    """Check any Turtle file (or N-Triples, JSON-LD or RDF/XML, by its suffix:
    :func:`graphkit.rdfread.graph_file`): the project's schema is added when the file has none,
    and the OWL RL closure of its schema + asserted part is computed here (``lines``: as for
    :func:`validate_built`, for the nodes the file shares with the project's curation)."""
    before: dict[str, float] = {}
    with _timed(before, "load"):
        graph = graph_file(path)
        if not any((ontology, RDF.type, OWL.Ontology) in graph for ontology in (SCHEMA_ONTOLOGY, RELEASE_ONTOLOGY)):
            turtle_graph(project.schema_file, graph, project.relative(project.schema_file))
    with _timed(before, "reason"):
        inferred = infer(reasoning_input(graph), reasoner)
    data = QCData.from_graphs(graph, inferred, project.root, lines=lines)
    return run_checks(data, project, Schema.of_project(project), shacl_engine, str(path), timings=before)


__all__ = ["run_checks", "validate_release", "validate_built", "validate_file", "SHACL_ENGINES"]
