"""The site ``graphkit serve`` runs, as one thing to start and stop: the built graph in Oxigraph's
SPARQL server on a private port, behind the gateway (:mod:`graphkit.gateway`) that answers on the
public address with the web pages (:mod:`graphkit.pages`) beside the SPARQL endpoints.

    with serve_site(project, SiteOptions(port=7879)) as site:
        print(site.base_url)            # http://127.0.0.1:7879
        site.server.keep_running(print)  # until Ctrl-C (KeyboardInterrupt), restarting a crashed engine

Whatever was started is stopped when the block ends, however it ends: the gateway, the pages'
connections, Oxigraph, and the temporary database (a ``location`` is kept).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .errors import EnvironmentProblem
from .gateway import Gateway, Policy
from .pages import Pages
from .project import Project
from .server import OxigraphServer, Workdir, load_database, port_in_use, url_host
from .store import ServerStore


@dataclass(frozen=True)
class SiteOptions:
    bind: str = "127.0.0.1"            # the public address (the gateway's); Oxigraph listens on 127.0.0.1
    port: int = 7878
    writable: bool = False
    location: str | None = None        # keep the database there (None: a temporary one, removed at exit)
    reload: bool = False               # with location: load the graph again even if unchanged
    include_external: bool = True      # the ontologies of `graphkit load-external`
    query_timeout: int | None = 30     # seconds (None: never)
    allow_service: bool = False
    cors: bool = False


@dataclass(frozen=True)
class Site:
    base_url: str
    database: object                   # graphkit.server.load_database's answer: what was loaded, or reused
    server: OxigraphServer
    temporary: bool                    # the database is removed when the site stops


@contextmanager
def serve_site(project: Project, options: SiteOptions, say: Callable[[str], None] = lambda line: None) -> Iterator[Site]:
    """The site of ``project``'s built graph, running for the ``with`` block (``say`` gets a line
    for what a person should know: a stale database removed)."""
    project.require_release()
    if port_in_use(options.bind, options.port):
        raise EnvironmentProblem(f"port {options.port} on {options.bind} is already in use (another server?); "
                                 f"choose another with --port")
    workdir = Workdir() if options.location is None else None
    for directory in workdir.removed if workdir else []:
        say(f"removed {directory}, the database of a server that was stopped abruptly")
    directory = workdir.path / "database" if workdir else Path(options.location)
    server = gateway = store = None
    try:
        database = load_database(project, directory, include_external=options.include_external, reload=options.reload)
        server = OxigraphServer(database.location, host="127.0.0.1", read_only=not options.writable,
                                timeout_s=options.query_timeout or None, cors=options.cors).start()
        store = ServerStore(server.query_url, timeout=(options.query_timeout or 3600) + 5)

        def restart_stuck_engine() -> None:
            """A page's query past its time may still run in Oxigraph (a count over a cross product
            does not stop at its timeout): restarted, as the gateway does for /query."""
            if gateway is not None:
                gateway.stuck(gateway.restarts)

        pages = Pages(store, project, unchanging=not options.writable, on_timeout=restart_stuck_engine)
        try:
            gateway = Gateway(server.port, options.bind, options.port,
                              Policy(allow_service=options.allow_service, query_timeout=options.query_timeout or None),
                              pages, restart=server.restart)
        except OSError as exc:
            raise EnvironmentProblem(f"cannot listen on {options.bind}:{options.port}: {exc.strerror or exc}") from None
        gateway.start()
        yield Site(f"http://{url_host(options.bind)}:{options.port}", database, server, workdir is not None)
    finally:
        if gateway is not None:
            gateway.stop()
        if store is not None:
            store.close()
        if server is not None:
            server.stop()
        if workdir is not None:
            workdir.close()
