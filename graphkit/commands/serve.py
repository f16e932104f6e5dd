"""``graphkit serve``: the built graph behind a real SPARQL 1.1 server (Oxigraph's)."""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from ..errors import EnvironmentProblem, QueryError
from ..project import Project
from ..server import OxigraphServer, is_loopback, load_database, port_in_use

ORDER = 40
HELP = """\
Serve the built graph with Oxigraph's SPARQL 1.1 server (from the oxigraph package), read-only,
on 127.0.0.1:7878, with a web query UI. Every named graph is there (schema, asserted,
provenance, inferred, imports/*, external/*), and the default graph is their union, so the
catalogue runs unchanged:

  graphkit serve                                     http://127.0.0.1:7878/query, UI at http://127.0.0.1:7878/
  graphkit query symptoms-of-disease --endpoint http://127.0.0.1:7878/query
  graphkit serve --port 8000 --location .graphkit-cache/server   keep the database between runs
  graphkit serve --writable                          accept SPARQL UPDATE and Graph Store writes
  graphkit serve --bind 0.0.0.0                      reachable from other machines (see the warning)

Ctrl-C stops the server and removes its temporary database. A port in use or a graph not yet
built exits with 3.
"""


def register(sub) -> None:
    p = sub.add_parser("serve", help="serve the graph with a SPARQL 1.1 server and web UI", description=HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=7878, help="port (default 7878)")
    p.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS",
                   help="address to listen on (default 127.0.0.1, this machine only)")
    p.add_argument("--writable", action="store_true",
                   help="accept updates (SPARQL UPDATE at /update, Graph Store writes at /store)")
    p.add_argument("--location", metavar="DIR",
                   help="keep the database in DIR (reused while the built graph is unchanged); "
                        "default: a temporary directory removed at exit")
    p.add_argument("--reload", action="store_true", help="with --location: load the graph again even if unchanged")
    p.add_argument("--no-external", action="store_true",
                   help="leave out the external ontologies added with `graphkit load-external`")
    p.add_argument("--query-timeout", type=int, metavar="S", help="stop SPARQL queries after S seconds")
    p.add_argument("--cors", action="store_true", help="allow cross-origin requests (browser apps on other sites)")
    p.set_defaults(run=run)


def _warn(text: str) -> None:
    print(f"graphkit serve: warning: {text}", file=sys.stderr, flush=True)


def run(args) -> int:
    project = Project.locate(args.root)
    if not 0 < args.port < 65536:
        raise QueryError(f"--port must be between 1 and 65535, got {args.port}")
    if args.reload and not args.location:
        raise QueryError("--reload applies to --location only")
    if not is_loopback(args.bind):
        _warn(f"listening on {args.bind} makes the graph reachable from other machines, and Oxigraph has no "
              f"authentication or TLS: use it on a trusted network only, or put a reverse proxy with both in front"
              + ("; with --writable anyone who reaches it can change or delete the data" if args.writable else ""))
    if not project.all_ttl.exists():
        raise EnvironmentProblem(f"{project.relative(project.all_ttl)} not found: run `graphkit build` first")
    if port_in_use(args.bind, args.port):
        raise EnvironmentProblem(f"port {args.port} on {args.bind} is already in use (another server?); "
                                 f"choose another with --port")

    temporary = args.location is None
    directory = Path(tempfile.mkdtemp(prefix="graphkit-serve-")) if temporary else Path(args.location)
    server = None
    # Ctrl-C and SIGTERM stop cleanly, also when started in the background (where SIGINT is ignored).
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        database = load_database(project, directory, include_external=not args.no_external, reload=args.reload)
        server = OxigraphServer(database.location, host=args.bind, port=args.port, read_only=not args.writable,
                                timeout_s=args.query_timeout, cors=args.cors).start()
        _banner(server, database, args, temporary)
        code = server.wait()
        raise EnvironmentProblem(f"the oxigraph server stopped unexpectedly (exit {code}): {server.log_tail()}")
    except KeyboardInterrupt:
        print("stopping the server", flush=True)
        return 0
    finally:
        if server is not None:
            server.stop()
        if temporary:
            shutil.rmtree(directory, ignore_errors=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _banner(server: OxigraphServer, database, args, temporary: bool) -> None:
    out = sys.stdout
    mode = "writable" if args.writable else "read-only (updates are refused)"
    loaded = "reused the database in" if database.reused else "loaded"
    where = f" {args.location}" if database.reused else ""
    out.write(f"graphkit serve: {loaded}{where} {database.quads:,} triples in {len(database.graphs)} named graphs; "
              f"{mode}\n")
    rows = [("SPARQL query endpoint", server.query_url, "GET or POST; the default graph is the union of all graphs"),
            ("web query UI", server.base_url + "/", "open it in a browser")]
    if args.writable:
        rows += [("SPARQL update endpoint", server.update_url, ""),
                 ("Graph Store", server.store_url, "GET, PUT, POST, DELETE ?graph=IRI")]
    else:
        rows.append(("Graph Store (read)", server.store_url, "GET ?graph=IRI"))
    width = max(len(r[0]) for r in rows)
    for label, url, note in rows:
        out.write(f"  {label.ljust(width)}  {url}" + (f"   ({note})" if note else "") + "\n")
    out.write("  named graphs:\n")
    for graph, count in database.graphs.items():
        out.write(f"    <{graph}> {count:,}\n")
    for module, graph in database.superseded.items():
        out.write(f"    (<{module}> is contained in <{graph}> and not loaded separately)\n")
    if args.writable:
        out.write("  changes are discarded when the server stops\n" if temporary
                  else f"  changes are kept in {args.location} until the built graph changes (then it is reloaded)\n")
    out.write(f"  try: graphkit query symptoms-of-disease --endpoint {server.query_url}\n")
    out.write("Press Ctrl-C to stop.\n")
    out.flush()
