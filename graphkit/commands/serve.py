"""``graphkit serve``: the built graph behind a real SPARQL 1.1 server (Oxigraph's)."""

from __future__ import annotations

import signal
import sys

from ..project import Project
from ..site import DEFAULT_QUERY_TIMEOUT, SiteOptions, serve_site
from ._common import whole_seconds

HELP = """\
Serve the built graph with Oxigraph's SPARQL 1.1 server (from the oxigraph package), read-only,
on 127.0.0.1:7878, with web pages for people: every entity with each statement's quote in its
source, the sources with their quoted passages marked, search, the catalogue's queries as forms
with CSV/JSON downloads, and a SPARQL editor. Every named graph is there (schema, asserted,
provenance, inferred, imports/*, external/*), and the default graph is their union, so the
catalogue runs unchanged:

  graphkit serve                                     pages at http://127.0.0.1:7878/, SPARQL at /query
  curl -H 'Accept: text/turtle' http://127.0.0.1:7878/entity/jmml     an entity with its evidence, as Turtle
  graphkit query symptoms-of-disease --endpoint http://127.0.0.1:7878/query
  graphkit serve --port 8000 --location .graphkit-cache/server   keep the database between runs
  graphkit serve --writable                          accept SPARQL UPDATE and Graph Store writes
  graphkit serve --bind 0.0.0.0                      reachable from other machines (see the warning)

Safe by default: a query stops after 30 s (--query-timeout) with HTTP 503 (one that Oxigraph
cannot interrupt has Oxigraph restarted 5 s later, cutting off the queries then running, which
get 503 and Retry-After); SERVICE clauses and
LOAD, which make the server fetch other URLs (from your network), are refused with HTTP 403
unless --allow-service; with --writable, a write from another web page (its Origin is not this
server's) is refused, and --writable on an address other machines reach needs
--allow-remote-writes. A small proxy of graphkit's in front of Oxigraph does these checks
(docs/serving.md). Ctrl-C stops the server and removes its temporary database; the database of
a server that was killed is removed by the next `graphkit serve`. A port in use or a graph not
yet built exits with 3.

Exit codes: 0 stopped (Ctrl-C or SIGTERM); 2 --writable on an address other machines reach
without --allow-remote-writes, a --location whose parent directory does not exist (a typo would
put the database somewhere unseen; under .graphkit-cache/ the parents are made), bad options; 3 a port in use, the graph not built, Oxigraph's
server failing to start.
"""


def register(p) -> None:
    p.add_argument("--port", type=int, default=7878, help="port (default 7878)")
    p.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS",
                   help="address to listen on (default 127.0.0.1, this machine only)")
    p.add_argument("--writable", action="store_true",
                   help="accept updates (SPARQL UPDATE at /update, Graph Store writes at /store) from programs and "
                        "this server's own page; writes from other web pages are refused")
    p.add_argument("--allow-remote-writes", action="store_true",
                   help="with --writable and a --bind address other machines reach: confirm that anyone who reaches "
                        "the port may change or delete the graph (no authentication)")
    p.add_argument("--location", metavar="DIR",
                   help="keep the database in DIR (reused while the built graph is unchanged); a DIR that does "
                        "not exist is made, said on stderr, when its parent exists (or under .graphkit-cache/), "
                        "else refused (exit 2); default: a temporary directory removed at exit")
    p.add_argument("--reload", action="store_true", help="with --location: load the graph again even if unchanged")
    p.add_argument("--no-external", action="store_true",
                   help="leave out the external ontologies added with `graphkit load-external`")
    p.add_argument("--query-timeout", type=whole_seconds, metavar="S", default=DEFAULT_QUERY_TIMEOUT,
                   help=f"stop a SPARQL query after S seconds, answering HTTP 503 (default {DEFAULT_QUERY_TIMEOUT}; "
                        f"0: never, and a heavy query may occupy a core until the server stops)")
    p.add_argument("--allow-service", action="store_true",
                   help="run SERVICE clauses and LOAD, which make the server fetch the URLs they name: a risk "
                        "(server-side request forgery) when others can reach the server or send it queries")
    p.add_argument("--cors", action="store_true",
                   help="allow cross-origin queries (browser apps on other sites; writes from them stay refused)")
    p.set_defaults(run=run)


def run(args) -> int:
    project = Project.locate(args.root)
    options = SiteOptions(bind=args.bind, port=args.port, writable=args.writable,
                          allow_remote_writes=args.allow_remote_writes, location=args.location, reload=args.reload,
                          include_external=not args.no_external, query_timeout=args.query_timeout or None,
                          allow_service=args.allow_service, cors=args.cors)

    def say(line: str) -> None:
        print(f"graphkit serve: {line}", file=sys.stderr, flush=True)

    # Ctrl-C and SIGTERM stop cleanly, also when started in the background (where SIGINT is ignored).
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with serve_site(project, options, say) as site:
            _banner(site.base_url, site.database, args, site.temporary)
            site.server.keep_running(say)
    except KeyboardInterrupt:
        print("stopping the server", flush=True)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _banner(base_url: str, database, args, temporary: bool) -> None:
    out = sys.stdout
    mode = "writable" if args.writable else "read-only (updates are refused)"
    loaded = "reused the database in" if database.reused else "loaded"
    where = f" {args.location}" if database.reused else ""
    out.write(f"graphkit serve: {loaded}{where} {database.quads:,} triples in {len(database.graphs)} named graphs; "
              f"{mode}\n")
    rows = [("web pages", base_url + "/", "entities with their evidence, sources, search, the catalogue"),
            ("SPARQL editor", f"{base_url}/sparql", "open it in a browser"),
            ("SPARQL query endpoint", f"{base_url}/query", "GET or POST; the default graph is the union of all graphs")]
    if args.writable:
        rows += [("SPARQL update endpoint", f"{base_url}/update", ""),
                 ("Graph Store", f"{base_url}/store", "GET, PUT, POST, DELETE ?graph=IRI")]
    else:
        rows.append(("Graph Store (read)", f"{base_url}/store", "GET ?graph=IRI"))
    width = max(len(r[0]) for r in rows)
    for label, url, note in rows:
        out.write(f"  {label.ljust(width)}  {url}" + (f"   ({note})" if note else "") + "\n")
    out.write("  named graphs:\n")
    for graph, count in database.graphs.items():
        out.write(f"    <{graph}> {count:,}\n")
    for module, graph in database.superseded.items():
        out.write(f"    (<{module}> is contained in <{graph}> and not loaded separately)\n")
    limits = [f"queries stop after {args.query_timeout} s" if args.query_timeout else "no query timeout",
              "SERVICE and LOAD allowed" if args.allow_service else "SERVICE and LOAD refused"]
    out.write(f"  {'; '.join(limits)}\n")
    if args.writable:
        out.write("  changes are discarded when the server stops\n" if temporary
                  else f"  changes are kept in {args.location} until the built graph changes (then it is reloaded)\n")
    out.write(f"  try: graphkit query symptoms-of-disease --endpoint {base_url}/query\n")
    out.write("Press Ctrl-C to stop.\n")
    out.flush()
