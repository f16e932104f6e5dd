"""Virtuoso 7.2 (Debian package ``virtuoso-opensource``) as a test server of our own.

``virtuoso-t +foreground`` runs with an ini written into a temporary directory: database, log and
load folder there; SQL and HTTP ports on 127.0.0.1 (free ports); ``ResultSetMaxRows`` high and
``MaxQueryExecutionTime`` / ``MaxQueryCostEstimationTime`` 0, because the packaged values silently
truncate results, return partial "anytime" answers or refuse small queries. Files are loaded into
named graphs with the bulk loader (``ld_add`` + ``rdf_loader_run`` through ``isql-vt``); a file
the loader rejects raises with Virtuoso's message.

>>> with VirtuosoServer({"https://example.org/g": Path("tiny.ttl")}) as server:   # doctest: +SKIP
...     server.store(["https://example.org/g"]).query("SELECT * WHERE { ?s ?p ?o }").rows

What it answers (for the conformance work): the default graph is the union of all graphs,
Virtuoso's own system graphs included, unless ``default-graph-uri`` is sent; SPARQL JSON gives
plain strings the ``xsd:string`` datatype. The Graph Store Protocol endpoint
:attr:`VirtuosoServer.graph_store_url` (``/sparql-graph-crud-auth``) takes HTTP Digest
credentials only (:attr:`VirtuosoServer.credentials`; Basic gets 401).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from graphkit.errors import EnvironmentProblem
from graphkit.server import free_port

from .servers import LOOPBACK, GraphFiles, ServerProcess, answers_sparql, graph_file_pairs

SERVER = "virtuoso-t"
ISQL = "isql-vt"
PACKAGE = "virtuoso-opensource"
VAD_DIR = Path("/usr/share/virtuoso-opensource-7/vad")
ACCOUNT = ("dba", "dba")        # the stock administrator of a new database

INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = {host}:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = ., {load_dir}, {vad_dir}
VADInstallDir        = {vad_dir}/
NumberOfBuffers      = 50000
MaxDirtyBuffers      = 30000
ThreadsPerQuery      = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort           = {host}:{http_port}
ServerRoot           = {dir}/vsp
MaxClientConnections = 10
ServerThreads        = 10
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = 100000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 0
"""


def virtuoso_missing() -> str | None:
    """Why Virtuoso cannot run here (a reason for ``pytest.skip``), or None."""
    missing = [tool for tool in (SERVER, ISQL) if shutil.which(tool) is None]
    if missing:
        return (f"Virtuoso is not installed ({' and '.join(missing)} not found): it comes with the Debian "
                f"package {PACKAGE}, which .ci/run installs")
    return None


def sql_string(text: str) -> str:
    """``text`` as a Virtuoso SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


PORT_ATTEMPTS = 3
_PORT_TAKEN = re.compile(r"Failed (HTTP )?listen|Failed to listen|address already in use", re.IGNORECASE)


class VirtuosoServer(ServerProcess):
    """A Virtuoso server of its own, loaded with ``graphs`` (graph IRI -> file or files)."""

    name = "virtuoso"

    def __init__(self, graphs: GraphFiles | None = None):
        graph_file_pairs(graphs or {})           # every file exists (checked before anything starts)
        super().__init__()
        self.graphs = dict(graphs or {})
        self.sql_port = free_port(LOOPBACK)
        self.http_port = free_port(LOOPBACK)
        self.load_dir = self.workdir / "load"
        self.loaded_files = 0

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.http_port}"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 query endpoint."""
        return f"{self.base_url}/sparql"

    @property
    def graph_store_url(self) -> str:
        """The SPARQL 1.1 Graph Store Protocol endpoint that takes credentials (HTTP Digest)."""
        return f"{self.base_url}/sparql-graph-crud-auth"

    @property
    def credentials(self) -> tuple[str, str]:
        """(user, password) for :attr:`graph_store_url` and ``isql-vt``."""
        return ACCOUNT

    def write_ini(self) -> Path:
        self.load_dir.mkdir(exist_ok=True)
        (self.workdir / "vsp").mkdir(exist_ok=True)
        ini = self.workdir / "virtuoso.ini"
        ini.write_text(INI.format(dir=self.workdir, host=LOOPBACK, sql_port=self.sql_port,
                                  http_port=self.http_port, load_dir=self.load_dir, vad_dir=VAD_DIR),
                       encoding="utf-8")
        return ini

    def start(self, timeout: float = 120) -> "VirtuosoServer":
        reason = virtuoso_missing()
        if reason:
            raise EnvironmentProblem(reason)
        for attempt in range(PORT_ATTEMPTS):
            logged = self.log_path.stat().st_size if self.log_path.exists() else 0
            self.spawn([SERVER, "+foreground", "+configfile", str(self.write_ini())])
            try:
                self.wait_until(lambda: answers_sparql(self.query_url), timeout, "to answer SPARQL")
                break
            except EnvironmentProblem:
                # A port free_port gave can be taken by another test's server (the tests run in
                # parallel) before Virtuoso binds it: then it exits; start again on other ports.
                if attempt + 1 == PORT_ATTEMPTS or not _PORT_TAKEN.search(self.log_since(logged)):
                    raise
                self.process.wait()
                self.sql_port, self.http_port = free_port(LOOPBACK), free_port(LOOPBACK)
        if self.graphs:
            self.load(self.graphs)
        return self

    def log_since(self, offset: int) -> str:
        """What the server logged after ``offset`` bytes of its log."""
        with open(self.log_path, "rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", errors="replace")

    def isql(self, sql: str, timeout: float = 600) -> str:
        """Run SQL statements (``;``-separated) as dba through ``isql-vt``; their output.
        Raises with Virtuoso's message when a statement fails."""
        user, password = self.credentials
        proc = subprocess.run([ISQL, f"{LOOPBACK}:{self.sql_port}", user, password, "VERBOSE=OFF", "BANNER=OFF",
                               "PROMPT=OFF", "ECHO=OFF", "ERRORS=STDOUT", f"exec={sql}"],
                              capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        output = proc.stdout + proc.stderr
        if proc.returncode != 0 or "*** Error" in output:
            raise EnvironmentProblem(f"isql-vt failed (exit {proc.returncode}) on {sql[:200]!r}:\n{output.strip()[-1500:]}")
        return output

    def load(self, graphs: GraphFiles) -> None:
        """Load files into named graphs with the bulk loader, then checkpoint; raises naming the
        file and Virtuoso's message if the loader rejects one."""
        statements = []
        for graph, path in graph_file_pairs(graphs):
            self.loaded_files += 1
            # A copy inside DirsAllowed, under a unique name (the loader remembers files by path).
            target = self.load_dir / f"{self.loaded_files:04d}-{path.name}"
            shutil.copyfile(path, target)
            statements.append(f"ld_add({sql_string(target)}, {sql_string(graph)});")
        if not statements:
            return
        self.isql(" ".join(statements) + " rdf_loader_run(); checkpoint;")
        errors = self.isql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
        if str(self.load_dir) in errors:
            raise EnvironmentProblem(f"Virtuoso's loader rejected a file:\n{errors.strip()[-1500:]}")
