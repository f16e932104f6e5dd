"""``graphkit validate [GRAPH_FILE]``: the QC report of the built graph or of any RDF file graphkit writes."""

from __future__ import annotations

import sys
from pathlib import Path

from ..project import Project
from ._common import add_engine_options


HELP = """\
Check a graph and print a QC report: SHACL shapes (ontology/shapes.ttl and the domain/range
shapes derived from the schema), consistency of the OWL 2 RL closure (disjoint classes,
owl:Nothing, functional and other property characteristics, with the triples responsible),
the ROBOT-style SPARQL checks of queries/qc/ (duplicate labels, dangling references, edges
without evidence, missing xrefs, short quotes ...), and every quote against its source text.

Without GRAPH_FILE it checks the built release, ontology/all.ttl + ontology/inferred.ttl. A
GRAPH_FILE is any Turtle file, or an RDF export in the syntax its suffix names (.nt N-Triples,
.jsonld JSON-LD, .rdf .owl .xml RDF/XML): the project's schema is added if the file has none,
and its OWL RL closure is computed here. `graphkit build` runs the same checks before it writes.

Each finding names its level, rule, entity (id and label), property, value and the curated
file:line it comes from (the line from the project's curation: the graph records the file). Exit 1 on any finding at the fail level of ontology/release.yaml
(fail_on: violation, so warnings and info do not fail), 0 otherwise.
docs/quality.md documents every rule.

  graphkit validate                        the built release; violations and warnings
  graphkit validate --level info --all     every finding
  graphkit validate --format tsv > qc.tsv  for machines (also json, csv)
  graphkit validate my-graph.ttl           any Turtle file
  graphkit validate jmml.owl               an export (graphkit export --seed jmml -o jmml.owl)

Exit codes: 0 no finding at the fail level; 1 a finding at the fail level; 2 a GRAPH_FILE that is
not in its syntax (file:line), bad options; 3 a missing GRAPH_FILE, the release not built.
"""


def register(p) -> None:
    p.add_argument("graph_file", nargs="?", metavar="GRAPH_FILE",
                   help="a Turtle file (or .nt, .jsonld, .rdf/.owl/.xml) to check (default: the built "
                        "ontology/all.ttl + inferred.ttl)")
    p.add_argument("--format", choices=("table", "tsv", "csv", "json"), type=str.lower, default="table", help="output format")
    p.add_argument("--level", choices=("violation", "warning", "info"), default=None,
                   help="lowest level listed (table default: warning; tsv/csv/json default: info)")
    p.add_argument("--all", action="store_true", help="table: list every finding, not 10 per rule")
    add_engine_options(p, "OWL RL engine for a GRAPH_FILE (owlrl is the reference)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..build import validate_project

    project = Project.locate(args.root)
    report = validate_project(project, Path(args.graph_file) if args.graph_file else None, args.shacl_engine,
                              args.reasoner, progress=None)                                    # a bar on a terminal
    level = args.level or ("warning" if args.format == "table" else "info")
    sys.stdout.write(report.render(args.format, level, per_rule=0 if args.all else 10))
    if args.format == "table":
        sys.stdout.write("timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items()) + "\n")
    return report.exit_code
