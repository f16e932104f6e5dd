"""graphkit serve: a real SPARQL 1.1 server started as a user starts it, queried over HTTP (slow), and
the refusals that come before any server starts (in process)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from graphkit.catalogue import Catalogue, prepare
from graphkit.errors import EndpointError, QueryError
from graphkit.sparql import concat_columns
from graphkit.server import WORKDIR_PREFIX, free_port
from graphkit.store import EndpointStore

from .httptools import FakeEndpoint, ServeProcess

RELEASE_GRAPHS = {f"https://w3id.org/graphkit/graph/{name}" for name in (
    "schema", "asserted", "provenance", "inferred", *(f"imports/{module}" for module in (
        "hp", "mondo", "doid", "icd10cm", "icd10who", "ncit", "orpha", "chebi", "unii", "hgnc", "ncbigene", "ecto",
        "maxo", "symp")))}


TIMEOUT = 3


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve-tmp")
    server = ServeProcess("--query-timeout", str(TIMEOUT), env={"TMPDIR": str(tmp)})
    server.tmpdir = tmp
    yield server
    server.stop()


def post(url: str, headers: dict | None = None, **fields) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def oxigraph_of(serve: ServeProcess) -> int:
    """The pid of the oxigraph process that ``graphkit serve`` started."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if stat.rsplit(")", 1)[1].split()[1] == str(serve.process.pid) and "oxigraph" in stat:
                return int(entry.name)
    raise AssertionError("no oxigraph process under graphkit serve")


@pytest.mark.slow
def test_banner_names_the_endpoint_and_the_ui(served):
    text = "".join(served.lines)
    assert f"SPARQL query endpoint  {served.base_url}/query" in text
    assert f"web pages              {served.base_url}/" in text
    assert f"SPARQL editor          {served.base_url}/sparql" in text
    assert "read-only" in text
    # docs/serving.md shows the banner (the named graphs but one left out): it had lost its "try:" line
    docs = (Path(__file__).parent.parent / "docs" / "serving.md").read_text(encoding="utf-8")
    printed = [line.rstrip("\n").replace(served.base_url, "http://127.0.0.1:7878")
               .replace(f"queries stop after {TIMEOUT} s", "queries stop after 30 s") for line in served.lines]
    assert [line for line in printed if not line.startswith("    <") and line not in docs] == []
    with urllib.request.urlopen(served.base_url + "/", timeout=10) as response:
        assert response.status == 200 and response.headers["Content-Type"].startswith("text/html")


@pytest.mark.slow
def test_named_graphs_over_sparqlwrapper(served, store):
    sparql = SPARQLWrapper(served.query_url)
    sparql.setReturnFormat(JSON)
    sparql.setQuery("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {b["g"]["value"]: int(b["n"]["value"]) for b in sparql.queryAndConvert()["results"]["bindings"]}
    assert set(counts) == RELEASE_GRAPHS
    local = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").records()
    assert counts == {r["g"]: r["n"] for r in local}


@pytest.mark.slow
def test_update_is_refused(served):
    update = SPARQLWrapper(served.base_url + "/update")
    update.setMethod(POST)
    update.setQuery("INSERT DATA { <https://example.org/x> <https://example.org/p> 'intruder' }")
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)) as info:
        update.query()
    assert "403" in str(info.value) or getattr(info.value, "code", None) == 403
    ask = SPARQLWrapper(served.query_url)
    ask.setReturnFormat(JSON)
    ask.setQuery("ASK { ?s ?p 'intruder' }")
    assert ask.queryAndConvert()["boolean"] is False


@pytest.mark.slow
def test_concurrent_clients(served, store, project):
    """8 clients x 50 queries at once: no errors, every answer right."""
    catalogue = Catalogue(project).queries()
    names = ["drugs-by-target", "subtypes-of", "risk-group-criteria", "study-findings", "icd10-code-of-disease",
             "therapies-in-phase", "drug-profile", "diet-advice"]
    texts = {name: prepare(catalogue[name], store) for name in names}
    expected = {name: store.query(text).canonical(concat_columns(texts[name].body)) for name, text in texts.items()}
    errors, done = [], []

    def client(number: int):
        endpoint = EndpointStore(served.query_url)
        for i in range(50):
            name = names[(number + i) % len(names)]
            try:
                if endpoint.query(texts[name]).canonical(concat_columns(texts[name].body)) != expected[name]:
                    errors.append(f"client {number}: wrong answer to {name}")
                done.append(name)
            except Exception as exc:  # any failure counts
                errors.append(f"client {number}: {exc}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == [] and len(done) == 400


@pytest.mark.slow
def test_service_requests_never_leave_the_server(served):
    with FakeEndpoint() as internal:
        secret = f"http://127.0.0.1:{internal.port}/internal-admin?secret=1"
        status, text = post(served.query_url, query=f"SELECT * WHERE {{ SERVICE <{secret}> {{ ?s ?p ?o }} }}")
        assert status == 403 and text.decode().startswith(f"SERVICE <{secret}> refused")
        status, _ = post(served.query_url, query=f"select * {{ bind(<{secret}> as ?u) service silent ?u {{ ?s ?p ?o }} }}")
        assert status == 403
        with pytest.raises(EndpointError, match=r"answered HTTP 403 Forbidden: SERVICE <.*> refused"):
            EndpointStore(served.query_url).query(f"SELECT * WHERE {{ SERVICE <{secret}> {{ ?s ?p ?o }} }}")
    assert internal.requests == []


@pytest.mark.slow
def test_a_heavy_query_is_stopped_with_an_http_error(served):
    """Oxigraph's timeout stops the query (the process stops computing); the client gets HTTP 503,
    or, for an answer too large to hold, a connection broken off before its end, never a 200
    with the error text taken for rows."""
    started = time.monotonic()
    status, text = post(served.query_url, {"Accept": "text/csv"},
                        query="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?a ?b ?c }")
    took = time.monotonic() - started
    assert status == 503 and text.decode().startswith(f"the query was stopped after {TIMEOUT} s")
    assert TIMEOUT - 0.5 < took < TIMEOUT + 10
    status, text = post(served.query_url, {"Accept": "application/sparql-results+json"},
                        query="SELECT * WHERE { ?s (<https://w3id.org/graphkit/schema#treatedWith>|"
                              "!<https://w3id.org/graphkit/schema#treatedWith>)* ?o }")
    assert status in (200, 503)                            # on a fast machine this path query may finish
    request = urllib.request.Request(served.query_url, method="POST", headers={"Accept": "text/csv"},
                                     data=urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c }"}).encode())
    with pytest.raises(http.client.IncompleteRead) as broken:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
    assert not broken.value.partial.rstrip().endswith(b"cancelled")
    with pytest.raises(EndpointError, match="broke off its answer"):
        EndpointStore(served.query_url).query("SELECT * WHERE { ?s ?p ?o . ?a ?b ?c }")
    assert EndpointStore(served.query_url).query("ASK { ?s ?p ?o }").boolean
    # On a loaded machine a query can outlast the timeout's grace, and the gateway restarts
    # Oxigraph (the next test's case): the process to watch is the one serving now.
    oxigraph = oxigraph_of(served)
    before = cpu_seconds(oxigraph)
    time.sleep(1.5)
    assert cpu_seconds(oxigraph) - before < 0.3             # nothing left running


@pytest.mark.slow
def test_a_query_the_timeout_cannot_stop_restarts_oxigraph(served):
    """A count over a three-way cross product computes without looking at Oxigraph's timeout: the
    gateway answers 503 once the timeout and its grace are past, and has Oxigraph restarted (once
    for two such queries), which frees the core; the server goes on answering, pages included."""
    before = oxigraph_of(served)
    answers = []

    def stuck():
        started = time.monotonic()
        status, text = post(served.query_url, {"Accept": "text/csv"},
                            query="SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        answers.append((status, text.decode(), time.monotonic() - started))

    clients = [threading.Thread(target=stuck) for _ in range(2)]
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=120)
    for status, text, took in answers:
        assert status == 503, text
        assert text.startswith(f"the query was stopped after {TIMEOUT} s") or "send it again" in text
        assert took < TIMEOUT + 5 + 20
    after = oxigraph_of(served)
    assert after != before and not Path(f"/proc/{before}").exists()
    started = cpu_seconds(after)
    time.sleep(1)
    assert cpu_seconds(after) - started < 0.3               # nothing left running
    loaded = int(served.lines[0].split(" triples")[0].split()[-1].replace(",", ""))      # from the banner
    assert EndpointStore(served.query_url).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").records() \
        == [{"n": loaded}]
    with urllib.request.urlopen(served.base_url + "/search?q=fatigue", timeout=30) as page:
        assert b">fatigue</a>" in page.read()


@pytest.mark.slow
def test_an_engine_that_stops_unexpectedly_is_started_again_and_said_in_one_line(served):
    """A query past what Oxigraph's stack holds aborted it, and serve exited with four lines of
    its log: every later request refused."""
    before = oxigraph_of(served)
    os.kill(before, signal.SIGABRT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            after = oxigraph_of(served)
            if after != before and EndpointStore(served.query_url).query("ASK { ?s ?p ?o }").boolean:
                break
        except (AssertionError, EndpointError):
            pass
        time.sleep(0.2)
    else:
        raise AssertionError("no new oxigraph process answers")
    assert served.process.poll() is None
    line = served.wait_for_stderr("started again")
    assert line.startswith("graphkit serve: the oxigraph server stopped unexpectedly (exit -6") and "\n" not in line


@pytest.mark.slow
def test_the_service_description_names_the_served_endpoint(served):
    """What a client that follows the service description reaches is the gateway, not
    Oxigraph's private port; federated queries are not claimed while SERVICE is refused."""
    request = urllib.request.Request(served.query_url, headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode()
    assert f"sd:endpoint <{served.query_url}>" in text
    assert "sd:UnionDefaultGraph" in text and "BasicFederatedQuery" not in text


@pytest.mark.slow
def test_ctrl_c_stops_cleanly(served):
    code, out, err = served.interrupt()
    assert code == 0, (out, err)
    assert "stopping the server" in out and "Traceback" not in err
    assert list(served.tmpdir.iterdir()) == []            # the temporary database is gone
    with socket.socket() as sock:                          # and the port is free again
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", served.port))


def test_port_in_use(cli):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = cli("serve", "--port", str(port))
    assert result.code == 3, result
    assert f"port {port} on 127.0.0.1 is already in use" in result.err and "Traceback" not in result.err


def test_missing_graph(cli, mini):
    mini.all_ttl.unlink()
    result = cli("serve", "--port", str(free_port()), root=mini.root)
    assert result.code == 3
    assert "ontology/all.ttl not found: run `graphkit build` first" in result.err


def test_public_address_warns(cli, mini):
    mini.all_ttl.unlink()          # stops before anything binds
    result = cli("serve", "--bind", "0.0.0.0", "--writable", "--allow-remote-writes", root=mini.root)
    assert "warning: listening on 0.0.0.0 makes the graph reachable from other machines" in result.err
    assert "anyone who reaches it can change or delete the data" in result.err
    assert "warning: --writable: every program that can reach the port can change or delete the graph" in result.err


def test_remote_writes_need_confirming(cli, mini):
    result = cli("serve", "--bind", "0.0.0.0", "--writable", "--port", str(free_port()), root=mini.root)
    assert result.code == 2 and result.err == (
        "graphkit serve: --writable on 0.0.0.0 lets anyone who reaches the port change or delete the graph "
        "(Oxigraph has no authentication): add --allow-remote-writes to confirm, or bind 127.0.0.1\n")


def test_the_library_refuses_what_the_command_refuses(mini):
    """The checks were the command's only: `serve_site(project, SiteOptions(bind="0.0.0.0",
    writable=True))`, the documented API, served writes to the network unconfirmed."""
    from graphkit.errors import QueryError
    from graphkit.site import SiteOptions, serve_site

    refused = {"--writable on 0.0.0.0": SiteOptions(bind="0.0.0.0", writable=True, port=free_port()),
               "--port must be between": SiteOptions(port=0), "--reload applies": SiteOptions(reload=True)}
    for message, options in refused.items():
        with pytest.raises(QueryError, match=message):
            with serve_site(mini, options):
                pytest.fail("the site started")
    assert SiteOptions(bind="0.0.0.0", writable=True, allow_remote_writes=True).warnings()[0].startswith(
        "listening on 0.0.0.0 makes the graph reachable from other machines")
    assert SiteOptions().warnings() == []


@pytest.mark.slow
def test_a_writable_server_refuses_writes_from_other_web_pages(mini_built, tmp_path):
    server = ServeProcess("--writable", env={"GRAPHKIT_ROOT": str(mini_built.root), "TMPDIR": str(tmp_path)})
    try:
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        before = EndpointStore(server.query_url).query(count).records()
        status, text = post(server.base_url + "/update", {"Origin": "http://evil.example"}, update="DROP ALL")
        assert status == 403 and b"a write from another web page (Origin http://evil.example) is refused" in text
        assert EndpointStore(server.query_url).query(count).records() == before != [{"n": 0}]
        own = post(server.base_url + "/update", {"Origin": server.base_url},
                   update="INSERT DATA { GRAPH <https://example.org/notes> { <https://example.org/n> "
                          "<https://example.org/says> 'mine' } }")
        assert own[0] == 204
        # the pages of a writable server ask again what a read-only one keeps: a new entity is found at once
        search = server.base_url + "/search?q=quokka"
        assert b"Nothing found" in urllib.request.urlopen(search, timeout=30).read()
        added = post(server.base_url + "/update", {"Origin": server.base_url}, update=(
            "INSERT DATA { GRAPH <https://w3id.org/graphkit/graph/asserted> { <https://w3id.org/graphkit/entity/"
            "quokka_fever> <http://www.w3.org/2000/01/rdf-schema#label> 'quokka fever' ; a "
            "<https://w3id.org/graphkit/schema#Disease> } }"))
        assert added[0] == 204
        assert b'<a href="/entity/quokka_fever">quokka fever</a>' in urllib.request.urlopen(search, timeout=30).read()
    finally:
        code, out, err = server.interrupt()
    assert code == 0 and "warning: --writable" in err


@pytest.mark.slow
def test_the_database_of_a_killed_server_is_removed_at_the_next_start(mini_built, tmp_path):
    env = {"GRAPHKIT_ROOT": str(mini_built.root), "TMPDIR": str(tmp_path)}
    first = ServeProcess(env=env)
    [abandoned] = tmp_path.glob(f"{WORKDIR_PREFIX}*")
    oxigraph = oxigraph_of(first)
    first.process.send_signal(signal.SIGKILL)
    first.process.wait(timeout=30)
    for _ in range(100):                                   # the server follows its parent (PR_SET_PDEATHSIG)
        if not Path(f"/proc/{oxigraph}").exists():
            break
        time.sleep(0.1)
    assert abandoned.exists()
    second = ServeProcess(env=env)
    assert not abandoned.exists()
    code, _, err = second.interrupt()
    assert code == 0 and f"removed {abandoned}, the database of a server that was stopped abruptly" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_location_keeps_the_database(tmp_path):
    location = tmp_path / "db"
    first = ServeProcess("--location", str(location), "--writable")
    try:
        assert "loaded" in first.lines[0] and "writable" in first.lines[0]
        # the directory did not exist, its parent does: made, and said
        assert first.wait_for_stderr("created") == f"graphkit serve: created {location} for the database (--location)"
        update = SPARQLWrapper(first.base_url + "/update")
        update.setMethod(POST)
        update.setQuery("INSERT DATA { GRAPH <https://example.org/notes> { <https://example.org/n> "
                        "<https://example.org/says> 'kept' } }")
        update.query()
    finally:
        assert first.interrupt()[0] == 0
    assert (location / "graphkit.json").exists() and (location / "oxigraph").is_dir()
    second = ServeProcess("--location", str(location))
    try:
        assert second.lines[0].startswith(f"graphkit serve: reused the database in {location}")
        assert not any("created" in line for line in second.errors)
        ask = SPARQLWrapper(second.query_url)
        ask.setReturnFormat(JSON)
        ask.setQuery("ASK { GRAPH <https://example.org/notes> { ?s ?p 'kept' } }")
        assert ask.queryAndConvert()["boolean"] is True
    finally:
        assert second.interrupt()[0] == 0


def test_location_must_be_graphkits(cli, tmp_path):
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "cat.jpg").write_bytes(b"\xff\xd8")
    result = cli("serve", "--port", str(free_port()), "--location", str(foreign))
    assert result.code == 3 and "is not a graphkit database directory" in result.err
    assert (foreign / "cat.jpg").exists()


@pytest.mark.parametrize("parent_is", ["missing", "a file"])
def test_a_location_whose_parent_is_not_a_directory_is_refused(cli, tmp_path, parent_is, monkeypatch):
    """`--location /data/graphkti/db` (a typo) made the whole path, a database somewhere unseen:
    only the last directory is made, a missing parent is a bad input (exit 2) naming it, and
    nothing is made (no server starts: the refusal comes first)."""
    import graphkit.site

    def no_database(*args, **kwargs):
        raise AssertionError("the database was loaded: a server would have started")
    monkeypatch.setattr(graphkit.site, "load_database", no_database)
    parent = tmp_path / "graphkti"
    if parent_is == "a file":
        parent.write_text("notes\n", encoding="utf-8")
    location = parent / "db"
    result = cli("serve", "--port", str(free_port()), "--location", str(location))
    why = "does not exist" if parent_is == "missing" else "is not a directory"
    assert (result.code, result.out) == (2, "") and result.err == (
        f"graphkit serve: --location {location}: {parent} {why}, and graphkit makes only the last directory of the "
        f"path (a mistyped path would put the database somewhere unseen): check the path, or create the directory "
        f"first\n"), result
    assert sorted(path.name for path in tmp_path.iterdir()) == (["graphkti"] if parent_is == "a file" else [])


def test_only_the_last_directory_of_a_location_is_made_but_under_the_cache_all(project, tmp_path, monkeypatch):
    from graphkit.site import missing_location

    (tmp_path / "kept").mkdir()
    assert missing_location(project, str(tmp_path / "kept")) is None
    assert missing_location(project, str(tmp_path / "new")) == tmp_path / "new"
    monkeypatch.setenv("GRAPHKIT_CACHE", str(tmp_path / "cache"))
    assert missing_location(project, str(tmp_path / "cache" / "servers" / "db")) == tmp_path / "cache" / "servers" / "db"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(QueryError, match=f"--location other/db: {tmp_path / 'other'} does not exist"):
        missing_location(project, "other/db")
    assert missing_location(project, "db") == Path("db") and list(tmp_path.iterdir()) == [tmp_path / "kept"]
