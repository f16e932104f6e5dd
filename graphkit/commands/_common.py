"""Options and output shared by the commands (query, sparql, build, validate, ...).

Light at import (no store, no rdflib): ``graphkit query --list`` and ``--help`` use it; the
functions that open a store or print its answers import the store when they run.
"""

from __future__ import annotations

import sys

from ..errors import QueryError, shorten, timeout_problem
from ..output import FORMATS
from ..project import Project

# The choices of the engine options; tests/test_architecture.py checks that they are the
# engines graphkit.store, graphkit.reason and graphkit.qc offer.
ENGINES = ("oxigraph", "rdflib")
REASONERS = ("reasonable", "owlrl")
SHACL_ENGINES = ("fast", "pyshacl")


def http_url(text: str) -> str:
    """An argument that is an http(s) URL (argparse's ``type``): a malformed one is bad input,
    said at once, rather than a connection that fails or a traceback."""
    import argparse
    import urllib.parse

    from ..iris import redact_url

    if redact_url(text) != text:    # printed in every message about the endpoint, and no query endpoint reads them
        raise argparse.ArgumentTypeError(
            f"{shorten(redact_url(text))!r}: put credentials in GRAPHKIT_ENDPOINT_USER and GRAPHKIT_ENDPOINT_PASSWORD, "
            "GRAPHKIT_ENDPOINT_TOKEN or ~/.netrc (graphkit push reads them), not in the URL")
    try:
        parts = urllib.parse.urlsplit(text)
        parts.port                                   # raises on a port that is no number or out of range
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{shorten(text)!r} is not a URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in text):
        raise argparse.ArgumentTypeError(f"{shorten(text)!r} is not an http:// or https:// URL with a host")
    return text


def seconds(text: str) -> float:
    """An argument that is a number of seconds (argparse's ``type``): ``inf``, ``nan`` and numbers
    too large for a float had ended in a traceback or a timeout at once."""
    import argparse
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{shorten(text)!r} is not a number of seconds") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{shorten(text)!r} is not a number of seconds (0 for no limit)")
    problem = timeout_problem(value)
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return value


def whole_seconds(text: str) -> int:
    """A number of whole seconds (argparse's ``type``), as Oxigraph's server takes its timeout:
    ``1e10`` had started a server that answered nothing (every wait overflowed)."""
    import argparse

    value = seconds(text)
    if value != int(value):
        raise argparse.ArgumentTypeError(f"{shorten(text)!r} is not a whole number of seconds")
    return int(value)


def add_store_options(parser) -> None:
    group = parser.add_argument_group("where to run (default: the embedded store of the built graph)")
    group.add_argument("--endpoint", metavar="URL", type=http_url,
                       help="a SPARQL 1.1 query endpoint instead of the embedded store")
    # store.QUERY_TIMEOUT's value: the store (and pyoxigraph) is not loaded to build a parser
    group.add_argument("--timeout", type=seconds, default=30.0, metavar="S",
                       help="seconds a query may take, on the embedded store as on an endpoint (default 30; "
                            "0: no limit)")
    group.add_argument("--default-graph", action="append", metavar="IRI", default=[],
                       help="send this default-graph-uri to the endpoint (repeatable)")
    group.add_argument("--release-graphs", action="store_true",
                       help="send graphkit's named graphs (schema, asserted, provenance, inferred, imports/*) as "
                            "the endpoint's default graph, for servers whose default graph is not their union")
    group.add_argument("--engine", choices=ENGINES, default="oxigraph",
                       help="embedded engine (default oxigraph; rdflib is the slow reference)")
    group.add_argument("--no-external", action="store_true",
                       help="leave out the external ontologies added with `graphkit load-external`")
    group.add_argument("--allow-service", action="store_true",
                       help="embedded store: run SERVICE clauses, which make graphkit fetch the URLs they name "
                            "(off by default: a query file from elsewhere could reach hosts of your network)")


def add_engine_options(parser, reasoner_help: str) -> None:
    """The reasoning and SHACL engines of the commands that validate (build, validate)."""
    parser.add_argument("--reasoner", choices=REASONERS, default="reasonable", help=reasoner_help)
    parser.add_argument("--shacl-engine", choices=SHACL_ENGINES, default="fast",
                        help="SHACL engine (pyshacl is the reference; the same results, ~10x slower)")


def add_format_option(parser) -> None:
    parser.add_argument("--format", choices=FORMATS, type=str.lower, default="table",
                        help="table for people; csv, tsv or json (SPARQL 1.1 results JSON) for machines; a "
                             "CONSTRUCT's graph: Turtle, JSON-LD as json, a triple per row as csv or tsv")


def store_from_args(args):
    from ..store import open_store, release_graph_names  # see the module docstring

    project = Project.locate(args.root)
    graphs = list(args.default_graph)
    if args.release_graphs:
        graphs += [g for g in release_graph_names(project, include_external=not args.no_external) if g not in graphs]
    if graphs and not args.endpoint:
        raise QueryError("--default-graph and --release-graphs apply to --endpoint only")
    return open_store(project, endpoint=args.endpoint, engine=args.engine,
                      timeout=args.timeout or None, default_graphs=graphs, include_external=not args.no_external,
                      allow_service=args.allow_service)


def print_notes(prepared, command: str) -> None:
    """The notes of a prepared query (how a parameter value was read) on standard error."""
    for note in prepared.notes:
        print(f"graphkit {command}: note: {note}", file=sys.stderr)


def print_results(results, fmt: str, stream=None) -> None:
    """A store's :class:`~graphkit.store.Results` in ``fmt`` (:func:`graphkit.answertext.answer_text`)."""
    from ..answertext import answer_text         # graph answers' writers: loaded when an answer is printed

    (stream or sys.stdout).write(answer_text(results, fmt))
