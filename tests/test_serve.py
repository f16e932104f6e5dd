"""graphkit serve: a real SPARQL 1.1 server started as a user starts it, queried over HTTP (slow), and
the refusals that come before any server starts (in process)."""

from __future__ import annotations

import socket
import threading
import urllib.request

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from graphkit.catalogue import Catalogue, prepare
from graphkit.sparql import concat_columns
from graphkit.server import free_port
from graphkit.store import EndpointStore

from .httptools import ServeProcess

RELEASE_GRAPHS = {f"https://w3id.org/graphkit/graph/{name}" for name in (
    "schema", "asserted", "provenance", "inferred", "imports/hp", "imports/mondo", "imports/doid",
    "imports/icd10cm", "imports/icd10who")}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve-tmp")
    server = ServeProcess(env={"TMPDIR": str(tmp)})
    server.tmpdir = tmp
    yield server
    server.stop()


@pytest.mark.slow
def test_banner_names_the_endpoint_and_the_ui(served):
    text = "".join(served.lines)
    assert f"SPARQL query endpoint  {served.base_url}/query" in text
    assert f"web query UI           {served.base_url}/" in text
    assert "read-only" in text
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
    result = cli("serve", "--bind", "0.0.0.0", "--writable", root=mini.root)
    assert "warning: listening on 0.0.0.0 makes the graph reachable from other machines" in result.err
    assert "anyone who reaches it can change or delete the data" in result.err


@pytest.mark.slow
def test_location_keeps_the_database(tmp_path):
    location = tmp_path / "db"
    first = ServeProcess("--location", str(location), "--writable")
    try:
        assert "loaded" in first.lines[0] and "writable" in first.lines[0]
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
