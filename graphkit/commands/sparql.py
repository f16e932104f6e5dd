"""``graphkit sparql``: run an ad hoc SPARQL query from a file or standard input."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..errors import QueryError
from ..fileio import read_limited, read_text
from ..catalogue.files import parse_params
from ._common import add_format_option, add_store_options, print_notes, print_results, store_from_args

HELP = """\
Run any SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) against the embedded store or --endpoint.

  graphkit sparql my-query.rq
  graphkit sparql 'SELECT ?d ?l WHERE { ?d a gk:Disease ; rdfs:label ?l }'
  echo 'SELECT ?d ?l WHERE { ?d a gk:Disease ; rdfs:label ?l }' | graphkit sparql -
  graphkit sparql my-query.rq --param disease=childhood_all   (when the file has a #+ params header)

A file with parameters starts with the catalogue's header (queries/README.md): a summary, and
each parameter's type and a default that gives an answer; ?disease in the query is then bound:

  #+ summary: Symptoms stated for a disease
  #+ params:
  #+   disease: {type: entity, default: jmml_in_relapse}
  SELECT ?symptom WHERE { ?disease gk:hasSymptom ?symptom }

The graph's prefixes (gk: <https://w3id.org/graphkit/schema#>, gke: <https://w3id.org/graphkit/entity/>,
rdfs:, skos:, oa:, ...) and those of the identifiers answers print (HP:, MONDO:, ICD10CM:, UNII:, ...)
are predeclared: on the embedded store, and sent ahead of your query to an --endpoint (those it
uses, on its first line, so a server's syntax error names your line; a column on that line is
given back counted in your text, as Oxigraph and Jena write them). Syntax errors are reported with
line and column; a gk: term or gke: entity the graph does not hold, which matches nothing, is named
on standard error with the closest names (gke:jmmll: did you mean gke:jmml?).

A QC check of queries/qc/ (graphkit sparql queries/qc/duplicate_label-violation.rq) runs on the
graphs graphkit validate checks, the release as curated (schema, asserted, provenance), not on the
union with the inferred graph and the import modules; to an --endpoint, name them with --default-graph.

Only queries run: an update (INSERT, DELETE, DROP, CLEAR, LOAD, ...) is refused before anything
is sent (use the server's update endpoint yourself). On the embedded store a SERVICE clause is
refused too, as it would make graphkit fetch the URL it names; --allow-service permits it (a
query file from elsewhere could then reach hosts of your network).

Exit codes: 0 an answer; 2 malformed SPARQL, an update, a SERVICE clause on the embedded store
without --allow-service, a --param the header does not declare; 3 a missing query file, the
graph not built, an endpoint unreachable or failing, a query past its --timeout.
"""


def register(p) -> None:
    p.add_argument("file", metavar="QUERY", help="a .rq file, - for standard input, or the query's text itself")
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE",
                   help="a parameter declared in the file's #+ params header (repeatable)")
    add_format_option(p)
    add_store_options(p)
    p.set_defaults(run=run)


def _is_file(name: str) -> bool:
    try:
        return Path(name).is_file()
    except OSError:         # a name too long for the file system: a query, not a file
        return False


def _typed_query(argument: str) -> bool:
    """Whether an argument that names no file is a query typed on the command line: it has a
    space or a brace (`DESCRIBE gke:jmml`, and a misspelt `SELCT ... {`, which then gets the
    engine's syntax error rather than a missing file's), and no query file's suffix (a mistyped
    `my query.rq` is a missing file)."""
    if argument.lower().endswith((".rq", ".sparql")):
        return False
    return "{" in argument or any(c.isspace() for c in argument)


# The header of the QC checks (queries/qc/*.rq, graphkit.qc.queries): one `#+ key: text` line per
# key, the finding's summary and the rule's description, read line by line, not as YAML (their
# texts hold ": "). It declares no parameter.
_QC_HEADER_KEYS = {"summary", "description"}
_HEADER_LINE = re.compile(r"#\+\s*(\w+):")


def _qc_header(text: str) -> bool:
    """Whether the query's leading ``#+`` lines are a QC check's header (summary and description,
    a line each): the query is then run as it is, with nothing to bind."""
    lines = []
    for line in text.lstrip().splitlines():
        if not line.startswith("#+"):
            break
        lines.append(_HEADER_LINE.match(line))
    return bool(lines) and all(m is not None and m.group(1) in _QC_HEADER_KEYS for m in lines)


def _run_check(store, text: str, args):
    """The answer of a QC check on the graphs ``graphkit validate`` checks: the release as curated
    (schema, asserted, provenance). On the union of every graph, the catalogue's default graph,
    three checks find what the inferred graph and the import modules add (duplicate_label 322
    rows, edge-without-evidence 1,457), none of them a fault of the release."""
    from ..store import CURATED_GRAPHS, OxigraphStore

    curated = ", ".join(f"<{g}>" for g in CURATED_GRAPHS)
    if args.endpoint:
        if not (args.default_graph or args.release_graphs):
            _note(f"a QC check, which graphkit validate runs on the release as curated: name its graphs with "
                  f"--default-graph ({curated}), or the endpoint's default graph is checked (docs/serving.md)")
        return store.query(text)
    if isinstance(store, OxigraphStore):
        _note("a QC check: run on the release as curated (the schema, asserted and provenance graphs), "
              "as graphkit validate runs it")
        return store.query(text, default_graphs=CURATED_GRAPHS)
    _note("a QC check, run on the whole release in one graph (--engine rdflib holds no named graphs): "
          "inferred triples and the import modules' terms may be found too; graphkit validate checks the "
          "release as curated")
    return store.query(text)


def _note(text: str) -> None:
    print(f"graphkit sparql: note: {text}", file=sys.stderr)


def _standard_input() -> str:
    """The query on standard input, read as UTF-8 whatever the locale (a text stream given in its
    place, as tests do, is read as it is)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        return sys.stdin.read()
    data = read_limited(stream, "standard input")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError(f"standard input is not UTF-8 text (byte {exc.start})") from None


def run(args) -> int:
    path = None                      # the query file, when the query is one
    if args.file == "-":
        text = _standard_input()
    elif not args.file.strip():      # "" is the shell's unset variable, not the current directory
        text = ""
    elif not _is_file(args.file) and _typed_query(args.file):
        text = args.file
    else:
        path = Path(args.file)
        text = read_text(path, "the query file")
    if not text.strip():
        raise QueryError("empty query")
    store = store_from_args(args)
    qc_check = _qc_header(text)
    if text.lstrip().startswith("#+") and not qc_check:
        from ..catalogue import runner     # the store and the engine: not for --help

        name = path.stem if path is not None else "stdin" if args.file == "-" else "query"
        query = runner.ad_hoc_query(text, name, path)
        prepared = runner.prepare(query, store, parse_params(args.param, query.params))
        print_notes(prepared, "sparql")
        results = runner.run(prepared, store=store)
        print_results(results, args.format)
        # what an empty answer's parameters named, as graphkit query says it (the same header)
        for note in runner.result_notes(query, prepared, results, store):
            print(f"graphkit sparql: note: {note}", file=sys.stderr)
    elif args.param:
        raise QueryError("--param needs a query file with a #+ params header declaring the parameters")
    elif qc_check:
        print_results(_run_check(store, text, args), args.format)
    else:
        print_results(store.query(text), args.format)
    from ..catalogue.params import unknown_own_names     # after the answer: a query may mean no schema

    for note in unknown_own_names(store, text):
        print(f"graphkit sparql: note: {note}", file=sys.stderr)
    return 0
