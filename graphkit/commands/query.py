"""``graphkit query``: run a named query of the catalogue (queries/*.rq)."""

from __future__ import annotations

import sys

from ..catalogue import load_catalogue
from ..errors import QueryError
from ..output import emit
from ..project import Project
from ._common import add_format_option, add_store_options, parse_params, print_notes, print_results, store_from_args

HELP = """\
Run a named, parameterized SPARQL query from the catalogue (queries/*.rq; see queries/README.md).

  graphkit query --list                                   the catalogue: name, summary, parameters, needs
  graphkit query symptoms-of-disease                      run with the default parameters
  graphkit query symptoms-of-disease --param disease="JMML in relapse"
  graphkit query drugs-by-target --param target=CD19 --format csv
  graphkit query risk-group-criteria --endpoint http://127.0.0.1:7878/query
  graphkit query evidence-for-edge --show                 print the query with parameters bound

Entity parameters take an id (jmml), a label or synonym in any case ("JMML in relapse"), or any
identifier the entity carries as a mapping, as CURIE or IRI (MONDO:0011908, HP:0001945,
ICD10CM:C93.32, UNII:..., any prefix spelling); one carried only as a close, broad or narrow
match is used with a note on standard error, and an unknown one is an error with the closest
names (exit 2). Values are bound as RDF terms, never pasted into the query text.
"""


def register(p) -> None:
    p.add_argument("name", nargs="?", help="query name (see --list)")
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", help="a parameter value (repeatable)")
    p.add_argument("--list", action="store_true", help="list the catalogue")
    p.add_argument("--show", action="store_true", help="print the query with its parameters bound; do not run it")
    p.add_argument("--write-readme", action="store_true",
                   help="regenerate queries/README.md from the headers and real runs")
    add_format_option(p)
    add_store_options(p)
    p.set_defaults(run=run)


def run(args) -> int:
    project = Project.locate(args.root)
    if args.list:
        queries = load_catalogue(project.queries_dir)
        rows = [{"name": q.name, "summary": q.summary,
                 "parameters": ", ".join(f"{p.name}={p.default}" for p in q.params.values()),
                 "needs": ", ".join(q.needs)}
                for q in queries.values()]
        emit(rows, ["name", "summary", "parameters", "needs"], args.format)
        return 0
    # The runner and the README writer need the store and rdflib: imported only to run a query
    # (`--list` stays light; see graphkit.catalogue).
    if args.write_readme:
        from ..catalogue.doc import write_readme

        path = write_readme(project)
        print(f"wrote {project.relative(path)}")
        return 0
    if not args.name:
        raise QueryError("give a query name, or --list to see the catalogue")
    from ..catalogue import runner

    query = runner.load_query(args.name, project)
    store = store_from_args(args)
    prepared = runner.prepare(query, store, parse_params(args.param))
    print_notes(prepared, "query")
    if args.show:
        sys.stdout.write(prepared.text)
        return 0
    print_results(runner.run(prepared, store=store), args.format)
    return 0
