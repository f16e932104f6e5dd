"""A real SPARQL 1.1 server for the graph: Oxigraph's, from the ``oxigraph`` PyPI package.

The release is written as N-Quads (named graphs: schema, asserted, provenance, inferred,
imports/*, external/*), loaded into an Oxigraph database directory with ``oxigraph load``, and
served with ``oxigraph serve-read-only`` (or ``serve`` when writes are wanted) with the union of
all graphs as the default graph, on 127.0.0.1 unless told otherwise.

A database directory that graphkit manages holds the Oxigraph database and a stamp::

    DIR/oxigraph/        the database (RocksDB)
    DIR/graphkit.json    fingerprints of the files it was loaded from, and its graphs

so ``graphkit serve --location DIR`` starts at once when the built graph has not changed.

>>> with OxigraphServer.for_project(Project.locate(), workdir) as server:   # doctest: +SKIP
...     EndpointStore(server.query_url).query("ASK { ?s ?p ?o }").boolean
True
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import ipaddress
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


from .errors import EnvironmentProblem, shorten
from .fileio import atomic_write_text
from .project import Project
from .store import graph_counts, write_dataset
from .storecache import fingerprint
from .switch import complete_pending

STAMP = "graphkit.json"
DATABASE = "oxigraph"
WORKDIR_PREFIX = "graphkit-serve-"
OWNER = ".owner.lock"


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
    """Whether something listens on ``host:port`` (a bind probe, as the server will bind)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise EnvironmentProblem(f"cannot bind {host}:{port}: {exc.strerror or exc}") from None
    return False


@functools.lru_cache(maxsize=256)        # asked of every request's Host (20 us a time by ipaddress)
def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name, an address, an IPv6 address in brackets) is this machine only."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    """The host part of a URL that reaches a server bound to ``host``."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


# ---------------------------------------------------------------------------------------------
# The database


@dataclass
class Database:
    """An Oxigraph database directory loaded with the release."""

    directory: Path                     # graphkit's directory (database + stamp)
    graphs: dict[str, int] = field(default_factory=dict)   # graph IRI -> triples
    superseded: dict[str, str] = field(default_factory=dict)
    reused: bool = False

    @property
    def location(self) -> Path:
        return self.directory / DATABASE

    @property
    def quads(self) -> int:
        return sum(self.graphs.values())


def load_database(project: Project, directory: Path, include_external: bool = True,
                  reload: bool = False) -> Database:
    """The release in an Oxigraph database under ``directory`` (created, reloaded when the
    built files changed or ``reload`` is set, else reused as it is)."""
    complete_pending(project.root)           # a build killed mid-switch: its release, before the fingerprints
    directory = Path(directory)
    stamp_path = directory / STAMP
    if directory.exists() and not directory.is_dir():
        raise EnvironmentProblem(f"{directory} is a file, not a directory")
    if directory.exists() and any(directory.iterdir()) and not stamp_path.exists():
        raise EnvironmentProblem(f"{directory} is not empty and is not a graphkit database directory "
                                 f"(no {STAMP}); choose a new or empty directory")
    wanted = fingerprint(project, include_external)
    if stamp_path.exists() and not reload and (directory / DATABASE).exists():
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        if stamp.get("files") == wanted:
            return Database(directory, stamp.get("graphs", {}), stamp.get("superseded", {}), reused=True)
    shutil.rmtree(directory / DATABASE, ignore_errors=True)
    stamp_path.unlink(missing_ok=True)
    directory.mkdir(parents=True, exist_ok=True)
    dump = directory / "release.nq"
    try:
        store = write_dataset(project, dump, "nquads", include_external=include_external)
        proc = subprocess.run([oxigraph_binary(), "load", "--location", str(directory / DATABASE),
                               "--file", str(dump)], capture_output=True, text=True)
    finally:
        dump.unlink(missing_ok=True)
    if proc.returncode != 0:
        raise EnvironmentProblem(f"oxigraph load failed: {proc.stderr.strip()[-500:]}")
    database = Database(directory, graph_counts(store), dict(store.superseded))
    atomic_write_text(stamp_path, json.dumps({"files": wanted, "graphs": database.graphs,
                                              "superseded": database.superseded}, indent=2) + "\n")
    return database


class Workdir:
    """A temporary directory for a server's database, locked (``flock``) while the process that
    made it lives: the kernel drops the lock when the process dies, even by SIGKILL, so the next
    server finds the directories of killed ones unlocked and removes them (:func:`remove_abandoned`)."""

    def __init__(self, parent: Path | None = None):
        self.parent = Path(parent or tempfile.gettempdir())
        self.removed = remove_abandoned(self.parent)
        self.path = Path(tempfile.mkdtemp(prefix=WORKDIR_PREFIX, dir=self.parent))
        self._fd = os.open(self.path / OWNER, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def remove_abandoned(parent: Path) -> list[Path]:
    """Remove the server directories under ``parent`` whose process is gone (their lock is free).
    A directory without a lock file is left alone: it may belong to a server that does not lock
    (an older graphkit), still running."""
    removed = []
    for directory in sorted(Path(parent).glob(f"{WORKDIR_PREFIX}*")):
        try:
            fd = os.open(directory / OWNER, os.O_RDWR)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue                                  # its server is running
        try:
            shutil.rmtree(directory, ignore_errors=True)
            removed.append(directory)
        finally:
            os.close(fd)
    return removed


# ---------------------------------------------------------------------------------------------
# The server process


def die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: a child process (a server) gets SIGTERM when its parent dies, even by SIGKILL (no orphan
    on the port). Given as ``preexec_fn``; the test harness starts its engines with it too."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def terminate(process: subprocess.Popen, timeout: float = 10) -> None:
    """Stop ``process`` (SIGTERM, then SIGKILL after ``timeout`` seconds) and reap it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class OxigraphServer:
    """An ``oxigraph serve`` process; a context manager that starts and stops it."""

    def __init__(self, location: Path, host: str = "127.0.0.1", port: int | None = None,
                 read_only: bool = True, union_default_graph: bool = True, timeout_s: int | None = None,
                 cors: bool = False):
        self.location = Path(location)
        self.host = host
        self.port = port or free_port(host)
        self.read_only = read_only
        self.union_default_graph = union_default_graph
        self.timeout_s = timeout_s
        self.cors = cors
        self.process: subprocess.Popen | None = None
        self._log = None
        self._restart = threading.Event()       # a restart is asked for (the process is being stopped)
        self._restarted = threading.Event()     # ... and made

    @classmethod
    def for_project(cls, project: Project, workdir: Path, include_external: bool = True,
                    **kwargs) -> "OxigraphServer":
        database = load_database(project, Path(workdir) / "graphkit-db", include_external)
        return cls(database.location, **kwargs)

    @property
    def base_url(self) -> str:
        return f"http://{url_host(self.host)}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def store_url(self) -> str:
        return f"{self.base_url}/store"

    def command(self) -> list[str]:
        cmd = [oxigraph_binary(), "serve-read-only" if self.read_only else "serve",
               "--location", str(self.location), "--bind", f"{self.host}:{self.port}"]
        if self.union_default_graph:
            cmd.append("--union-default-graph")
        if self.timeout_s:
            cmd += ["--timeout-s", str(int(self.timeout_s))]
        if self.cors:
            cmd.append("--cors")
        return cmd

    def start(self, timeout: float = 30.0) -> "OxigraphServer":
        if port_in_use(self.host, self.port):
            raise EnvironmentProblem(f"port {self.port} on {self.host} is already in use; choose another with --port")
        if self._log is not None:                     # started again: the last process's log
            self._log.close()
        self._log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=self._log,
                                        stderr=subprocess.STDOUT,
                                        preexec_fn=die_with_parent if sys.platform == "linux" else None)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                message = self.log_tail()
                self.stop()
                if "in use" in message.lower():
                    raise EnvironmentProblem(f"port {self.port} on {self.host} is already in use; "
                                             f"choose another with --port")
                raise EnvironmentProblem(f"oxigraph server exited at start: {message}")
            if self.ready():
                return self
            time.sleep(0.05)
        self.stop()
        raise EnvironmentProblem(f"oxigraph server did not answer on {self.base_url} within {timeout:g} s")

    def log_tail(self, size: int = 500) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace").strip()[-size:]

    def ready(self) -> bool:
        url = self.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def wait(self) -> int:
        """Block until the server exits; its exit code. A :meth:`restart` asked for meanwhile is
        made here, not an exit: the process is started by the thread that waits, because it
        dies with the thread that started it (``PR_SET_PDEATHSIG``), and a request's thread ends."""
        while True:
            code = self.process.wait() if self.process else 0
            if not self._restart.is_set():
                return code
            try:
                self.start()
            finally:
                self._restart.clear()
                self._restarted.set()

    def keep_running(self, say, crashes_per_minute: int = 3) -> None:
        """Wait on the process for as long as it runs, starting it again when it stops unexpectedly
        (a query past what its stack holds: ``graphkit serve`` had exited on one request, which
        any web page's image can make), each time said in one line to ``say``; stopping for
        good (:class:`EnvironmentProblem`) after more than ``crashes_per_minute`` in a minute."""
        crashes: list[float] = []
        while True:
            code = self.wait()
            now = time.monotonic()
            crashes = [t for t in crashes if now - t < 60] + [now]
            lines = [line.strip() for line in self.log_tail().splitlines() if line.strip()]
            why = f"exit {code}" + (f": {shorten(lines[-1], 120)}" if lines else "")
            if len(crashes) > crashes_per_minute:
                raise EnvironmentProblem(f"the oxigraph server stopped unexpectedly {len(crashes)} times in a "
                                         f"minute ({why})")
            say(f"the oxigraph server stopped unexpectedly ({why}); started again")
            self.start()

    def restart(self, timeout: float = 30.0) -> None:
        """Stop the process and have :meth:`wait` start a new one on the same port and database:
        the only way to stop a query that Oxigraph's own timeout does not interrupt (a count over
        a cross product computes without looking at it). Requests in flight are cut off. Returns
        when the new process answers (or after ``timeout`` seconds)."""
        self._restarted.clear()
        self._restart.set()
        if self.process is not None:
            terminate(self.process, timeout=2)
        self._restarted.wait(timeout)

    def stop(self) -> None:
        if self.process:
            terminate(self.process)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> "OxigraphServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
