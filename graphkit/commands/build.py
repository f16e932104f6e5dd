"""``graphkit build``: curated sources -> ontology/all.ttl, inferred.ttl, catalog-v001.xml, docs/coverage.md."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..build import build
from ._common import add_engine_options
from ..output import table
from ..project import Project


HELP = """\
Build the knowledge graph from sources/, ontology/schema.ttl and ontology/curation/.

Checks every curated statement (entities, predicates, domains and ranges, units, and that
each quote occurs verbatim at its offsets in the source text), reasons (OWL 2 RL), validates
the result (the checks of `graphkit validate`: SHACL, consistency, QC queries, quotes), and
writes the products that ontology/release.yaml declares (ontology/all.ttl, inferred.ttl,
shapes-properties.ttl, catalog-v001.xml, docs/coverage.md) as one unit: all of them or none, their permissions
kept. A curation error exits 2, a QC finding at the fail level (fail_on: violation) exits 1;
both print file:line: lines and leave the previous files untouched. A full disk or a read-only
directory exits 3 with the old release in place. One build runs at a time in a project (a
second one exits 3 at once); a build killed while it switched the files is completed by the
next build or command that reads the release. Warnings do not fail the build: the summary
counts them and `graphkit validate` lists them. The saved store that queries open
(.graphkit-cache/store/) is made for the new release while it is validated, so the next
query starts at once: after an edit, the last release's store is copied and updated by the
statements that changed (milliseconds); on a first build it is loaded whole, from the build's
start (about two seconds of work beside compiling and validation).

  graphkit build                 build and print a summary
  graphkit build --check         exit 1 if the committed files differ from a fresh build
  graphkit build --format json   summary as JSON
  graphkit build -q              the three summary lines only (after each edit, in a hook)

Exit codes: 0 built (warnings counted); 1 a QC finding at the fail level, or with --check stale
files; 2 a curation error (file:line); 3 a full disk, a read-only directory, another build running.
"""


def register(p) -> None:
    p.add_argument("--check", action="store_true", help="do not write; exit 1 if the built files are stale")
    p.add_argument("--format", choices=("table", "json"), type=str.lower, default="table", help="summary format")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print the summary's three lines, without the tables of sources, kinds and predicates")
    add_engine_options(p, "OWL RL engine (owlrl is the reference; both give the same inferences)")
    p.set_defaults(run=run)


def run(args) -> int:
    project = Project.locate(args.root)
    release = build(project, check=args.check, reasoner=args.reasoner, shacl_engine=args.shacl_engine,
                    progress=None, saved_store=not args.check)   # a bar of the stages on a terminal
    if release.recovered:
        print(f"graphkit build: completed the release an interrupted build had half-switched "
              f"({', '.join(release.recovered)})", file=sys.stderr)
    summary = release.summary()
    if args.format == "json":
        json.dump(summary, sys.stdout, indent=2)
        print()
        return 0
    out = sys.stdout
    verb = "up to date" if args.check else "built"
    # The files as the user can open them: from the project's root, or whole when the command ran
    # elsewhere (graphkit found the project in a parent directory or its checkout).
    shown = project.relative if project.root == Path.cwd().resolve() else str
    out.write(f"{shown(project.all_ttl)} {verb}: {summary['triples']} triples "
              f"({', '.join(f'{k} {v}' for k, v in summary['triples_by_graph'].items())}); "
              f"{summary['inferred_triples']} inferred in {shown(project.inferred_ttl)}\n")
    out.write(f"{summary['entities']} entities, {summary['statements']} statements with evidence, "
              f"{summary['uncovered_sections']} knowledge sections without statements\n")
    qc = summary["qc"]
    out.write(f"QC: {qc['violation']} violations, {qc['warning']} warnings, {qc['info']} info "
              "(`graphkit validate` lists them)\n")
    if args.quiet:
        return 0
    out.write("\n")
    # The document number beside the id: the catalogue's answers name sources by number (002, 003).
    out.write(table([{"document": release.sources[k].number, "source": k, "statements": v}
                     for k, v in summary["statements_by_source"].items()],
                    ["document", "source", "statements"]) + "\n\n")
    out.write(table([{"type": k, "entities": v} for k, v in summary["entities_by_type"].items()],
                    ["type", "entities"]) + "\n\n")
    out.write(table([{"predicate": k, "statements": v} for k, v in summary["edges_by_predicate"].items()],
                    ["predicate", "statements"]) + "\n\n")
    out.write("timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in summary["timings_s"].items()) + "\n")
    return 0
