"""``graphkit conformance``: does a SPARQL endpoint give graphkit's answers to the whole catalogue?"""

from __future__ import annotations

import json
import sys

from ..conformance import QUERY_TIMEOUT, TABLE_COLUMNS, check_endpoint, progress_line, summary_line, table_rows
from ..errors import EXIT_CHECK_FAILED, QueryError
from ..output import emit
from ..project import Project
from ._common import http_url, seconds

HELP = """\
Run every catalogue query, with its defaults and with each documented example, on a SPARQL
endpoint and on graphkit's embedded store, and compare the answers. Run it after `graphkit push`
(or after loading ontology/all.ttl and imports/*.ttl, with or without inferred.ttl, yourself) to
know whether your engine answers the catalogue as graphkit does.

  graphkit conformance --endpoint http://127.0.0.1:8890/sparql
  graphkit conformance --endpoint URL --release-graphs        name graphkit's graphs as the default graph
  graphkit conformance --endpoint URL --only subtypes-of --format json

Parameters are resolved on the embedded store and the same bound query goes to both. Answers are
compared as sets of rows (order aside), with three normalisations only: GROUP_CONCAT members are
sorted, an empty GROUP_CONCAT counts as unbound, and "x" equals "x"^^xsd:string. Each query is
same, differs (with the first row the endpoint lacks or adds), error or timeout. Progress goes to
standard error, one line per run. Before the runs, graphkit's named graphs on the endpoint are
counted: one whose number of triples is not the release's graph's is said in a note (a dump
loaded into a store that held it already holds its blank nodes twice; docs/serving.md, "Load once");
a count the endpoint cannot give is said in the note instead, and the runs go on.

Two queries need ontology/inferred.ttl for graphkit's answers (their header says `needs:
inferred`: describe-entity and path-between show the edges the store holds, inverse and closure
edges included). With --inferred auto (the default) conformance asks whether the endpoint holds
inferred.ttl (its ontology header); if it does not, those two are compared with graphkit's answer
on the embedded store without inferred.ttl, the same data the endpoint holds, and the summary and
the JSON (inferred_graph, each run's reference) say so. Every other query needs no reasoner and is
compared with the whole release either way. --inferred yes compares all with the whole release,
--inferred no compares those two without inferred.ttl whatever the endpoint holds.

Some engines answer some catalogue queries wrongly although they are standard SPARQL 1.1 (the
embedded store, the Oxigraph server and Comunica agree): queries/engine-defects.yaml lists them
with the reason, and a run listed there for the endpoint's engine (recognised by its HTTP Server
header, or named with --engine) is reported as a known engine defect. Measured: Virtuoso 7.2, the
Oxigraph server and Comunica give every answer (the queries were rewritten into forms Virtuoso's
planner gets right); the file lists none today (the last entry, a run one fresh Virtuoso database
of 25 answered differently before its query was rewritten, was answered right on 10 of 10 fresh
databases). Comunica 5.4.1 can leave a query unanswered
(idle) depending on the queries before it: a `timeout` from it is worth asking again after a
restart, with --only NAME (docs/engines-findings.md).

Exit codes: 0 every run same (or, with --allow-known-defects, every other run a known engine
defect); 1 a run differs, failed or timed out; 2 bad options; 3 the endpoint cannot be reached.
"""


def register(p) -> None:
    p.add_argument("--endpoint", required=True, metavar="URL", type=http_url, help="the SPARQL 1.1 query endpoint to check")
    p.add_argument("--timeout", type=seconds, default=QUERY_TIMEOUT, metavar="S",
                   help=f"seconds to wait for each query (default {QUERY_TIMEOUT:g}: Comunica took 63 s on one)")
    p.add_argument("--default-graph", action="append", metavar="IRI", default=[],
                   help="send this default-graph-uri with every query (repeatable)")
    p.add_argument("--release-graphs", action="store_true",
                   help="send every graph graphkit pushes (schema, asserted, provenance, inferred, imports/*) "
                        "as the default graph, for servers whose default graph is not the union of their graphs")
    p.add_argument("--only", action="append", metavar="NAME", default=[], help="check only this query (repeatable)")
    p.add_argument("--engine", metavar="NAME",
                   help="the endpoint's engine as queries/engine-defects.yaml names it (e.g. virtuoso), when its "
                        "Server header does not say (a proxy in front); `none` ignores the known defects")
    p.add_argument("--allow-known-defects", action="store_true",
                   help="exit 0 when every run that is not the same is a known defect of the engine")
    p.add_argument("--no-examples", action="store_true", help="run each query with its defaults only")
    p.add_argument("--include-external", action="store_true",
                   help="the embedded store with the `graphkit load-external` ontologies (as pushed with "
                        "--include-external); default: the release alone, as `graphkit push` sends it")
    p.add_argument("--inferred", choices=("auto", "yes", "no"), default="auto",
                   help="whether the endpoint holds ontology/inferred.ttl: auto (default) asks it; where it does "
                        "not, the queries that need it are compared with graphkit's answer without it")
    p.add_argument("--format", choices=("table", "json"), type=str.lower, default="table",
                   help="a table for people (default) or JSON for machines")
    p.add_argument("--quiet", action="store_true", help="no progress lines on standard error")
    p.set_defaults(run=run)


def run(args) -> int:
    project = Project.locate(args.root)
    if args.timeout <= 0:
        raise QueryError("--timeout must be more than 0")

    def progress(i, total, outcome):
        if not args.quiet:
            print(f"graphkit conformance: {progress_line(i, total, outcome)}", file=sys.stderr, flush=True)

    report = check_endpoint(project, args.endpoint, only=tuple(args.only), timeout=args.timeout,
                            default_graphs=tuple(args.default_graph), release_graphs=args.release_graphs,
                            include_external=args.include_external, engine=args.engine,
                            examples=not args.no_examples, inferred=args.inferred, progress=progress)
    for note in report.skipped + report.notes:
        print(f"graphkit conformance: note: {note}", file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        emit(table_rows(report), TABLE_COLUMNS, "table")
        print(summary_line(report))
    return EXIT_CHECK_FAILED if report.failed(args.allow_known_defects) else 0
