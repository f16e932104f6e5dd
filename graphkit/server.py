"""A real SPARQL 1.1 server for the graph: Oxigraph's, from the ``oxigraph`` PyPI package.

The release is written as N-Quads (named graphs: schema, asserted, provenance, inferred,
imports/*), loaded into an Oxigraph database directory with ``oxigraph load``, and served
with ``oxigraph serve-read-only`` (or ``serve`` when writes are wanted) with the union of all
graphs as the default graph, on 127.0.0.1 unless told otherwise.

>>> with OxigraphServer.for_project(Project.locate(), workdir) as server:   # doctest: +SKIP
...     EndpointStore(server.query_url).query("ASK { ?s ?p ?o }").boolean
True
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .errors import EnvironmentProblem
from .project import Project
from .store import OxigraphStore


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` command (installed beside this Python by the oxigraph package)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise EnvironmentProblem("the oxigraph server binary is not installed: pip install oxigraph")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def write_nquads(project: Project, path: Path) -> int:
    """Dump the release (all named graphs) as N-Quads; returns the number of quads."""
    import pyoxigraph as ox

    store = OxigraphStore.from_project(project)
    store.ox.dump(str(path), format=ox.RdfFormat.N_QUADS)
    return len(store)


def load_database(project: Project, location: Path) -> int:
    """Create an Oxigraph database at ``location`` holding the release; returns the quad count."""
    location.mkdir(parents=True, exist_ok=True)
    dump = location.parent / f"{location.name}.nq"
    count = write_nquads(project, dump)
    proc = subprocess.run([oxigraph_binary(), "load", "--location", str(location), "--file", str(dump)],
                          capture_output=True, text=True)
    dump.unlink(missing_ok=True)
    if proc.returncode != 0:
        raise EnvironmentProblem(f"oxigraph load failed: {proc.stderr.strip()[-500:]}")
    return count


class OxigraphServer:
    """An ``oxigraph serve`` process; a context manager that starts and stops it."""

    def __init__(self, location: Path, host: str = "127.0.0.1", port: int | None = None,
                 read_only: bool = True, union_default_graph: bool = True):
        self.location = Path(location)
        self.host = host
        self.port = port or free_port(host)
        self.read_only = read_only
        self.union_default_graph = union_default_graph
        self.process: subprocess.Popen | None = None

    @classmethod
    def for_project(cls, project: Project, workdir: Path, **kwargs) -> "OxigraphServer":
        location = Path(workdir) / "oxigraph-db"
        load_database(project, location)
        return cls(location, **kwargs)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    @property
    def store_url(self) -> str:
        return f"{self.base_url}/store"

    def command(self) -> list[str]:
        cmd = [oxigraph_binary(), "serve-read-only" if self.read_only else "serve",
               "--location", str(self.location), "--bind", f"{self.host}:{self.port}"]
        if self.union_default_graph:
            cmd.append("--union-default-graph")
        return cmd

    def start(self, timeout: float = 30.0) -> "OxigraphServer":
        if port_in_use(self.host, self.port):
            raise EnvironmentProblem(f"port {self.port} on {self.host} is already in use; choose another with --port")
        self.process = subprocess.Popen(self.command(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read() if self.process.stderr else ""
                raise EnvironmentProblem(f"oxigraph server exited at start: {err.strip()[-500:]}")
            if self.ready():
                return self
            time.sleep(0.1)
        self.stop()
        raise EnvironmentProblem(f"oxigraph server did not answer on {self.base_url} within {timeout:g} s")

    def ready(self) -> bool:
        url = self.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> "OxigraphServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
