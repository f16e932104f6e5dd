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

import socket
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .errors import EnvironmentProblem, QueryError, shorten
from .gateway import Gateway, Policy
from .pages import Pages
from .project import Project
from .server import OxigraphServer, Workdir, is_loopback, load_database, port_in_use, url_host
from .store import ServerStore

DEFAULT_QUERY_TIMEOUT = 30             # seconds


@dataclass(frozen=True)
class SiteOptions:
    bind: str = "127.0.0.1"            # the public address (the gateway's); Oxigraph listens on 127.0.0.1
    port: int = 7878
    writable: bool = False
    allow_remote_writes: bool = False  # writable on an address other machines reach: confirmed
    location: str | None = None        # keep the database there (None: a temporary one, removed at exit)
    reload: bool = False               # with location: load the graph again even if unchanged
    include_external: bool = True      # the ontologies of `graphkit load-external`
    query_timeout: int | None = DEFAULT_QUERY_TIMEOUT     # seconds (None: never)
    allow_service: bool = False
    cors: bool = False

    def check(self) -> None:
        """A :class:`QueryError` for options a site cannot run with, or must not without being
        told so: a write access that anyone on the network could use."""
        if not 0 < self.port < 65536:
            raise QueryError(f"--port must be between 1 and 65535, got {self.port}")
        try:                            # before the warnings about the address: "999.1.1.1" had them
            socket.getaddrinfo(self.bind, self.port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise QueryError(f"--bind {shorten(self.bind)!r} is no address to listen on "
                             f"({getattr(exc, 'strerror', None) or exc})") from None
        if self.reload and not self.location:
            raise QueryError("--reload applies to --location only")
        if self.writable and not is_loopback(self.bind) and not self.allow_remote_writes:
            raise QueryError(f"--writable on {self.bind} lets anyone who reaches the port change or delete the graph "
                             f"(Oxigraph has no authentication): add --allow-remote-writes to confirm, or bind "
                             f"127.0.0.1")

    def warnings(self) -> list[str]:
        """What a person starting the site should know of the risks these options take."""
        found = []
        if not is_loopback(self.bind):
            found.append(f"listening on {self.bind} makes the graph reachable from other machines, and Oxigraph has "
                         f"no authentication or TLS: use it on a trusted network only, or put a reverse proxy with "
                         f"both in front"
                         + ("; with --writable anyone who reaches it can change or delete the data" if self.writable
                            else ""))
        if self.writable:
            found.append("--writable: every program that can reach the port can change or delete the graph; writes "
                         "from web pages of other origins are refused")
        if self.allow_service:
            found.append("--allow-service: queries can make the server fetch any URL they name, from this machine "
                         "(including hosts of your network)")
        if not self.query_timeout:
            found.append("--query-timeout 0: a heavy query runs until the server stops")
        return found


def missing_location(project: Project, location: str) -> Path | None:
    """The directory ``--location`` names, when it is to be made (None: it exists). Only its last
    component is made: a parent that does not exist is refused as a :class:`QueryError` (a typo in
    it would make a database somewhere unseen), except under the project's cache directory
    (``.graphkit-cache/``, graphkit's own), where the parents are made too."""
    directory = Path(location)
    if directory.exists():
        return None
    parent = directory.resolve().parent
    if not parent.is_dir() and not directory.resolve().is_relative_to(project.cache_dir.resolve()):
        why = "is not a directory" if parent.exists() else "does not exist"
        raise QueryError(f"--location {location}: {parent} {why}, and graphkit makes only the last directory of "
                         f"the path (a mistyped path would put the database somewhere unseen): check the path, or "
                         f"create the directory first")
    return directory


@dataclass(frozen=True)
class Site:
    base_url: str
    database: object                   # graphkit.server.load_database's answer: what was loaded, or reused
    server: OxigraphServer
    temporary: bool                    # the database is removed when the site stops


@contextmanager
def serve_site(project: Project, options: SiteOptions, say: Callable[[str], None] = lambda line: None) -> Iterator[Site]:
    """The site of ``project``'s built graph, running for the ``with`` block (``say`` gets a line
    for what a person should know: the risks the options take, a stale database removed)."""
    options.check()
    to_make = missing_location(project, options.location) if options.location is not None else None
    for warning in options.warnings():
        say(f"warning: {warning}")
    project.require_release()
    if port_in_use(options.bind, options.port):
        raise EnvironmentProblem(f"port {options.port} on {options.bind} is already in use (another server?); "
                                 f"choose another with --port")
    workdir = Workdir() if options.location is None else None
    for directory in workdir.removed if workdir else []:
        say(f"removed {directory}, the database of a server that was stopped abruptly")
    directory = workdir.path / "database" if workdir else Path(options.location)
    if to_make is not None:
        to_make.mkdir(parents=True, exist_ok=True)
        say(f"created {options.location} for the database (--location)")
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
        for note in pages.skipped_queries:
            say(f"note: {note}")
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
