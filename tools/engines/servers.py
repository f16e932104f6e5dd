"""What every engine fixture shares: a server process of the test's own, in a temporary directory,
listening on a free port of 127.0.0.1, ready when it answers a SPARQL query, stopped and its
directory removed afterwards (also when a test fails: use it as a context manager or through the
fixtures in :mod:`tests.engines.fixtures`, and ``tools/catalogue_check.py``).

``graphs`` arguments map a named-graph IRI to the file(s) loaded into it (Turtle ``.ttl`` or
N-Triples ``.nt``)::

    {"https://example.org/g/1": [Path("a.ttl"), Path("b.nt")], "https://example.org/g/2": Path("c.ttl")}
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from graphkit.errors import EnvironmentProblem
from graphkit.server import die_with_parent, terminate
from graphkit.store import EndpointStore

GraphFiles = Mapping[str, "Path | Sequence[Path]"]

LOOPBACK = "127.0.0.1"


def graph_file_pairs(graphs: GraphFiles, engine: str | None = None,
                     suffixes: tuple[str, ...] = ()) -> list[tuple[str, Path]]:
    """``graphs`` flattened into (graph IRI, file) pairs, in order; every file must exist and,
    where an ``engine`` reads only some formats, end with one of its ``suffixes``."""
    pairs = []
    for graph, files in graphs.items():
        for path in [files] if isinstance(files, (str, Path)) else files:
            path = Path(path)
            if not path.is_file():
                raise EnvironmentProblem(f"{path}: no such file to load into <{graph}>")
            if suffixes and path.suffix not in suffixes:
                raise EnvironmentProblem(f"{path}: the {engine} server reads {', '.join(suffixes)}")
            pairs.append((str(graph), path))
    return pairs


def answers_sparql(url: str, timeout: float = 2.0) -> bool:
    """Whether ``url`` answers ``ASK {}`` with HTTP 200 (a SPARQL endpoint is up)."""
    try:
        with urllib.request.urlopen(url + "?" + urllib.parse.urlencode({"query": "ASK {}"}),
                                    timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


class ServerProcess:
    """A server subprocess with its own temporary directory (``workdir``) and log file; a context
    manager that starts it and, on leaving, stops it and removes the directory.

    Subclasses set ``name``, ``query_url``, and implement :meth:`start`, which calls
    :meth:`spawn` and :meth:`wait_until`; they check their arguments before calling
    ``__init__`` here, which creates the directory.
    """

    name = "server"

    def __init__(self):
        self.workdir = Path(tempfile.mkdtemp(prefix=f"graphkit-{self.name}-"))
        self.process: subprocess.Popen | None = None
        self.log_path = self.workdir / "server.log"

    @property
    def query_url(self) -> str:
        raise NotImplementedError

    def start(self, timeout: float = 120) -> "ServerProcess":
        raise NotImplementedError

    def spawn(self, command: list[str], cwd: Path | None = None) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, cwd=str(cwd or self.workdir), stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT,
                                            preexec_fn=die_with_parent if sys.platform == "linux" else None)

    def wait_until(self, ready: Callable[[], bool], timeout: float, what: str = "") -> None:
        """Poll ``ready`` until it holds; a clear error (with the log's tail) if the process exits
        or ``timeout`` seconds pass first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise EnvironmentProblem(f"{self.name} exited with code {self.process.returncode} "
                                         f"{what}:\n{self.log_tail()}")
            if ready():
                return
            time.sleep(0.2)
        raise EnvironmentProblem(f"{self.name} was not ready {what} within {timeout:g} s:\n{self.log_tail()}")

    def log_tail(self, size: int = 2000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-size:]
        except OSError:
            return ""

    def store(self, default_graphs: Sequence[str] = (), timeout: float = 300) -> EndpointStore:
        """graphkit's own SPARQL client on this server (optionally sending ``default-graph-uri``s)."""
        return EndpointStore(self.query_url, timeout=timeout, default_graphs=list(default_graphs))

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and remove its directory."""
        if self.process is not None:
            terminate(self.process, timeout=30)
            self.process = None
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()



def listening_addresses(port: int) -> set[str]:
    """The local addresses on which some process listens on TCP ``port`` (Linux /proc/net),
    e.g. ``{"127.0.0.1"}``; to check a server binds the loopback only."""
    import ipaddress

    found = set()
    for table, width in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) != port or fields[3] != "0A":        # 0A = LISTEN
                continue
            raw = bytes.fromhex(address)
            # /proc writes each 32-bit word in host (little-endian) order.
            words = b"".join(raw[i:i + 4][::-1] for i in range(0, width, 4))
            found.add(str(ipaddress.ip_address(words)))
    return found
