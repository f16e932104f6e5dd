"""``graphkit push``: upload the graph to a SPARQL 1.1 Graph Store HTTP Protocol endpoint."""

from __future__ import annotations

import sys

from ..errors import GraphkitError
from ..output import counted
from ..project import Project
from ..push import (ENV_PASSWORD, ENV_TOKEN, ENV_USER, GraphStoreClient, cleanup, credentials_for, guess_endpoints,
                    push, redact_url, release_graphs)
from ._common import http_url, seconds

HELP = f"""\
Upload the built graph to a triple store's SPARQL 1.1 Graph Store endpoint, replacing each
named graph (schema, asserted, provenance, inferred, imports/*) of the same IRI, or putting
everything into one graph with --graph.

  graphkit push --endpoint http://127.0.0.1:7878/store                   Oxigraph (graphkit serve --writable)
  graphkit push --endpoint http://localhost:3030/ds/data                  Apache Jena Fuseki
  graphkit push --endpoint http://localhost:7200/repositories/kg/rdf-graphs/service      GraphDB
  graphkit push --endpoint https://host:8890/sparql-graph-crud-auth      Virtuoso (HTTP Digest)
  graphkit push --endpoint https://cluster:8182/sparql/gsp/ --content-type text/turtle   Neptune
  graphkit push --endpoint URL --graph https://example.org/graph/leukemia   one graph

Safe replace: every graph goes to a staging graph first (a Graph Store PUT per graph, which no
server makes one transaction across graphs) and is counted there; then one SPARQL Update moves
all of them onto their targets; then the targets are counted. Oxigraph, Fuseki
(TDB2), GraphDB/RDF4J and Neptune run that one update as one transaction (all old graphs or all
new); Virtuoso does not document it so: a failure inside its update can leave some graphs new and
others old, which push then reports graph by graph. A failure before the move leaves the
endpoint's graphs as they were and names the graph that failed; every failure says what the
endpoint holds. Staging graphs that could not be removed
(the endpoint went away mid-push) are named; `graphkit push --cleanup --endpoint URL` removes
every staging graph of graphkit's from the endpoint later (not while a push to it is running).
The update and query endpoints are guessed for the servers above; give --update-endpoint /
--query-endpoint otherwise.

Credentials: ${ENV_TOKEN} (bearer token), or ${ENV_USER} and ${ENV_PASSWORD}, or ~/.netrc
($NETRC) for the host; never printed or logged. Before any graph is sent, push uploads one triple
to a staging graph without credentials and drops it: a server that answers 401 says how it wants
them (WWW-Authenticate), and push answers with HTTP Digest (Virtuoso's -auth endpoints take only
that), Basic or the bearer token; a refusal is explained from the challenge before large bodies
travel. Use https:// beyond localhost (Basic sends the password readable).

Exit codes: 0 done; 1 a count did not match; 2 bad options; 3 the endpoint failed or refused.
"""


def register(p) -> None:
    p.add_argument("--endpoint", required=True, metavar="URL", type=http_url, help="the Graph Store HTTP Protocol endpoint")
    p.add_argument("--graph", metavar="IRI", help="put everything into this one named graph")
    p.add_argument("--only", action="append", metavar="NAME",
                   help="push only this graph (asserted, inferred, imports/hp, ...; repeatable)")
    p.add_argument("--include-external", action="store_true",
                   help="push the external ontologies of `graphkit load-external` too (graphs external/*)")
    p.add_argument("--update-endpoint", metavar="URL", type=http_url, help="SPARQL update endpoint (default: guessed)")
    p.add_argument("--query-endpoint", metavar="URL", type=http_url,
                   help="SPARQL query endpoint for the counts (default: guessed; else graphs are read back)")
    p.add_argument("--graph-param", default="graph", metavar="NAME",
                   help="the Graph Store parameter naming the graph (default graph; Virtuoso: graph-uri)")
    p.add_argument("--content-type", default="application/n-triples",
                   choices=("application/n-triples", "text/turtle"),
                   help="how the data is labelled (N-Triples is valid Turtle; default application/n-triples)")
    p.add_argument("--timeout", type=seconds, default=120.0, metavar="S",
                   help="seconds for each attempt at a request in all: connecting, sending, the headers and the "
                        "whole answer (default 120; exit 3 when the last attempt runs out)")
    p.add_argument("--retries", type=int, default=3, metavar="N",
                   help="retries after a connection error, timeout, 5xx or 429 (default 3; the replace itself is sent once)")
    p.add_argument("--retry-wait", type=float, default=1.0, metavar="S",
                   help="first wait before a retry, doubled each time (default 1)")
    p.add_argument("--dry-run", action="store_true", help="say what would be pushed; contact nothing")
    p.add_argument("--cleanup", action="store_true",
                   help="push nothing: remove the staging graphs that interrupted pushes left on the endpoint")
    p.set_defaults(run=run)


def run(args) -> int:
    project = Project.locate(args.root)
    if args.retries < 0 or args.timeout <= 0:
        raise GraphkitError("--retries must be >= 0 and --timeout > 0")
    endpoints = guess_endpoints(args.endpoint, args.update_endpoint, args.query_endpoint)
    if args.cleanup:
        return _cleanup(args, endpoints)
    uploads = release_graphs(project, include_external=args.include_external, single=args.graph, only=args.only)
    total = sum(u.triples for u in uploads)
    out = sys.stdout
    if args.dry_run:
        out.write(f"would push {counted(len(uploads), 'graph')} ({total:,} triples) to "
                  f"{endpoints.store}\n")
        for u in uploads:
            out.write(f"  {u.target}  {u.triples:,} triples\n")
        out.write(f"  update endpoint: {endpoints.update or '(unknown: give --update-endpoint)'}\n"
                  f"  count check:     {endpoints.query or 'GET each graph back'}\n")
        return 0
    client = _client(args, endpoints)
    out.write(f"pushing {counted(len(uploads), 'graph')} ({total:,} triples) to "
              f"{endpoints.store} (credentials: {client.credentials.source})\n")
    out.flush()
    push(client, uploads)
    out.write(f"replaced {counted(len(uploads), 'graph')} in one update; the endpoint's "
              f"counts match ({total:,} triples); authentication: {client.authentication}\n")
    return 0


def _client(args, endpoints) -> GraphStoreClient:
    return GraphStoreClient(endpoints, credentials_for(args.endpoint), timeout=args.timeout, retries=args.retries,
                            retry_wait=args.retry_wait, graph_param=args.graph_param,
                            content_type=args.content_type, log=lambda line: print(line, flush=True))


def _cleanup(args, endpoints) -> int:
    if not endpoints.update:
        raise GraphkitError(f"cannot tell the SPARQL update endpoint of {redact_url(endpoints.store)}: "
                            f"give --update-endpoint URL (and --query-endpoint URL)")
    removed = cleanup(_client(args, endpoints))
    print(f"removed {counted(len(removed), 'staging graph')}"
          + "".join(f"\n  <{g}>" for g in removed))
    return 0
