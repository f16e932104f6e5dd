"""``graphkit query``: run a named query of the catalogue (queries/*.rq)."""

from __future__ import annotations

import argparse
import sys

from ..catalogue import Catalogue, load_catalogue
from ..errors import QueryError, shorten
from ..output import emit
from ..project import Project
from ..catalogue.files import parse_params
from ._common import add_format_option, add_store_options, print_notes, print_results, store_from_args

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
ICD10CM:C93.32, UNII:..., any prefix spelling), with a note on standard error naming the entity
(and how loosely, for one carried only as a close, broad or narrow match). A name that names
nothing is an error with the closest names, those of the parameter's kinds first (NAME --help
shows them: "entity of kind Therapy"), exit 2. Values are bound as RDF terms, never pasted into
the query text.

Exit codes: 0 an answer (one with no rows too: a note on standard error says what the values
named); 2 an unknown query, parameter or value, bad options; 3 the graph not built, an endpoint
unreachable or failing, a query past its --timeout.
"""


ADD_HELP = False       # its own: `graphkit query NAME --help` is that query's help


class QueryHelp(argparse.Action):
    """``--help`` with a query's name, before or after it: what the query answers, its parameters
    (type, default, what they take), its example and expected answer; without a name, the
    command's help.

    Both are printed by :func:`run`, once every argument is read (``--help NAME`` printed the
    command's help) and where the project is known: argparse parses a command's options into a
    namespace of its own, without the ``--root`` given before the command. The parser is kept
    for the command's help."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=None, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, parser)


def register(p) -> None:
    p.add_argument("-h", "--help", action=QueryHelp, help="this help; after a query's name, that query's help")
    p.add_argument("name", nargs="?", help="query name (see --list); NAME --help: its parameters")
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", help="a parameter value (repeatable)")
    p.add_argument("--list", action="store_true",
                   help="list the catalogue (with NAME: the queries whose name, summary or tags hold it, any case)")
    p.add_argument("--show", action="store_true", help="print the query with its parameters bound; do not run it")
    p.add_argument("--write-readme", action="store_true",
                   help="regenerate queries/README.md from the headers and real runs")
    add_format_option(p)
    add_store_options(p)
    p.set_defaults(run=run)


def run(args) -> int:
    if args.help is not None and not args.name:         # needs no project
        args.help.print_help()
        return 0
    project = Project.locate(args.root)
    if args.help is not None:
        sys.stdout.write(Catalogue(project).get(args.name).help())
        return 0
    if args.list:
        skipped: list[str] = []
        queries = list(load_catalogue(project.queries_dir, skipped).values())
        for note in skipped:
            print(f"graphkit query: note: {note}", file=sys.stderr)
        if args.name:               # `--list risk`: it had listed everything, the word unread
            queries = [q for q in queries if q.mentions(args.name)]
            if not queries:
                raise QueryError(f"no query has {shorten(args.name)!r} in its name, summary or tags "
                                 f"(graphkit query --list lists them all)")
        rows = [{"name": q.name, "summary": q.summary,
                 "parameters": ", ".join(f"{p.name}={p.written_default}" for p in q.params.values()),
                 "needs": ", ".join(q.needs), "tags": ", ".join(q.tags)}
                for q in queries]
        # the header's tags (as grlc reads them) for machines; a table is wide enough without them
        emit(rows, ["name", "summary", "parameters", "needs"] + (["tags"] if args.format != "table" else []),
             args.format)
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
    prepared = runner.prepare(query, store, parse_params(args.param, query.params))
    print_notes(prepared, "query")
    if args.show:
        # the header is not in the bound text: what the answers need besides all.ttl and the
        # imports goes with it, as a comment another engine skips
        if "inferred" in query.needs:
            sys.stdout.write("# needs: inferred (load ontology/inferred.ttl too for graphkit's answers)\n")
        sys.stdout.write(prepared.text)
        return 0
    results = runner.run(prepared, store=store)
    print_results(results, args.format)
    for note in runner.result_notes(query, prepared, results, store):
        print(f"graphkit query: note: {note}", file=sys.stderr)
    return 0
