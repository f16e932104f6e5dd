"""Apache Jena ARQ (the query engine of Fuseki and of Jena's ``sparql`` command) behind our own
SPARQL 1.1 Protocol server (``JenaServer.java`` beside this file: the JDK's HTTP server, binding
127.0.0.1 only). Dataset rules and the protocol are documented at the top of the Java file; queries
are parsed as strict SPARQL 1.1, not ARQ's extended syntax.

The jars are Debian's ``libapache-jena-java`` (Jena 4.5.0) and the Debian packages it depends on,
in ``/usr/share/java``; ``.ci/run`` installs it as it installs Virtuoso. ``JenaServer.java`` is
compiled with ``javac`` into the server's directory on each start (about 2 s).

Debian's ``jena-core.jar`` moved Jena's copy of Xerces to the package ``xerces`` but left its
message files under ``org/apache/jena/ext/xerces``: without them at ``xerces/...`` the first use
of an XSD datatype fails ("internal error" in ``XSSimpleTypeDecl.applyFacets1``). The server's
class path therefore holds a copy of those files at the path the classes look for.

>>> with JenaServer({"https://example.org/g": Path("tiny.ttl")}) as server:     # doctest: +SKIP
...     server.store().query("ASK { ?s ?p ?o }").boolean
True
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

from graphkit.errors import EnvironmentProblem
from graphkit.server import free_port

from tools.engines.servers import LOOPBACK, GraphFiles, ServerProcess, answers_sparql, graph_file_pairs

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "JenaServer.java"
JAVA_LIBRARY = Path("/usr/share/java")
# jena-arq and what it loads to parse, hold and query Turtle and N-Triples in memory, with the
# Debian packages libapache-jena-java depends on; slf4j-nop keeps the log quiet.
JARS = ("jena-arq", "jena-core", "jena-base", "jena-iri", "commons-cli", "commons-codec", "commons-compress",
        "commons-csv", "commons-io", "commons-lang3", "dexx.collection", "gson", "guava", "httpclient", "httpcore",
        "jackson-core", "jackson-databind", "jackson-annotations", "jsonld-java", "jakarta.json-api",
        "titanium-json-ld", "protobuf", "thrift", "slf4j-api", "slf4j-nop")
XERCES_MESSAGES = "org/apache/jena/ext/xerces/"
SUPPORTED_SUFFIXES = (".ttl", ".nt")


def jena_jars() -> list[Path]:
    return [JAVA_LIBRARY / f"{name}.jar" for name in JARS]


def jena_missing() -> str | None:
    """Why the Jena server cannot run here (a reason for ``pytest.skip``), or None."""
    for tool in ("java", "javac"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (the Jena tests need a JDK, 11 or later)"
    missing = [jar.name for jar in jena_jars() if not jar.is_file()]
    if missing:
        return (f"Apache Jena's jars are not installed ({', '.join(missing[:3])} ... missing from {JAVA_LIBRARY}): "
                f"apt-get install libapache-jena-java (.ci/run does)")
    return None


def copy_xerces_messages(classes: Path) -> None:
    """Xerces' message files, from where Debian's jena-core.jar holds them to where its classes
    look for them, under the class-path directory ``classes``."""
    with zipfile.ZipFile(JAVA_LIBRARY / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(XERCES_MESSAGES) and name.endswith(".properties"):
                target = classes / "xerces" / name[len(XERCES_MESSAGES):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))


def arq_select(data: list[Path], query: str, scratch: Path) -> list[dict]:
    """The rows (CSV, as text) of ``query`` by Jena's own ``arq.sparql`` command on a dataset of
    the ``data`` files (N-Quads and TriG keep their named graphs), as a user runs ARQ."""
    reason = jena_missing()
    if reason:
        raise EnvironmentProblem(reason)
    classes = scratch / "arq-classes"
    copy_xerces_messages(classes)
    (scratch / "query.rq").write_text(query, encoding="utf-8")
    classpath = ":".join([str(jar) for jar in jena_jars()] + [str(JAVA_LIBRARY / "jena-cmds.jar"), str(classes)])
    command = ["java", "-Xmx4g", "-cp", classpath, "arq.sparql", "--syntax=SPARQL11", "--results=CSV",
               "--query", str(scratch / "query.rq")] + [f"--data={path}" for path in data]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise EnvironmentProblem(f"arq.sparql failed:\n{proc.stderr[-2000:]}")
    return list(csv.DictReader(io.StringIO(proc.stdout)))


class JenaServer(ServerProcess):
    """A Jena ARQ SPARQL endpoint of its own, loaded with ``graphs`` (graph IRI -> file or files)."""

    name = "jena"

    def __init__(self, graphs: GraphFiles | None = None):
        self.pairs = graph_file_pairs(graphs or {}, "Jena", SUPPORTED_SUFFIXES)
        super().__init__()
        self.port = free_port(LOOPBACK)
        self.classes = self.workdir / "classes"

    @property
    def query_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/sparql"

    def classpath(self) -> str:
        return ":".join([str(jar) for jar in jena_jars()] + [str(self.classes)])

    def compile(self) -> None:
        """``JenaServer.java`` into ``classes``, beside the copy of Xerces' message files."""
        reason = jena_missing()
        if reason:
            raise EnvironmentProblem(reason)
        self.classes.mkdir()
        copy_xerces_messages(self.classes)
        proc = subprocess.run(["javac", "-nowarn", "-d", str(self.classes), "-cp", self.classpath(), str(SOURCE)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise EnvironmentProblem(f"javac JenaServer.java failed:\n{proc.stderr[-2000:]}")

    def start(self, timeout: float = 300) -> "JenaServer":
        self.compile()
        # An IPv4 socket: without this the JDK binds 127.0.0.1 as the IPv6 address ::ffff:127.0.0.1.
        command = ["java", "-Xmx4g", "-Djava.net.preferIPv4Stack=true", "-cp", self.classpath(), "JenaServer",
                   "--port", str(self.port)]
        for graph, path in self.pairs:
            command += ["--load", f"{graph}={path}"]
        self.spawn(command)
        self.wait_until(lambda: answers_sparql(self.query_url), timeout, "to load its files and answer SPARQL")
        return self

    def triples(self) -> int:
        """The number of triples in the default graph (from the server's banner)."""
        for line in self.log_tail(100_000).splitlines():
            if line.startswith("listening on ") and line.endswith(" triples in the default graph)"):
                return int(line.rsplit("(", 1)[1].split()[0])
        raise EnvironmentProblem(f"the Jena server printed no banner:\n{self.log_tail(500)}")
