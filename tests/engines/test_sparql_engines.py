"""Smoke tests of the SPARQL engine fixtures: Virtuoso, Comunica, the Oxigraph server and Jena ARQ
each start on 127.0.0.1, load two tiny files into two named graphs and give the exact answers; each stops and
leaves nothing behind. The release fixtures hold exactly what graphkit's embedded store holds."""

import base64
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from graphkit.errors import EnvironmentProblem
from graphkit.store import graph_counts

from tools.engines.comunica import ComunicaServer, comunica_missing
from .fixtures import require
from .jena import JenaServer, jena_missing
from tools.engines.oxigraph import OxigraphProcess
from tools.engines.servers import listening_addresses
from tools.engines.virtuoso import VirtuosoServer, virtuoso_missing

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data"
PEOPLE, PLACES = "https://example.org/graph/people", "https://example.org/graph/places"
TINY = {PEOPLE: DATA / "people.ttl", PLACES: [DATA / "places.nt"]}
EX = "https://example.org/"
PREFIXES = f"PREFIX ex: <{EX}>\nPREFIX rdfs: <{RDFS}>\n"

ENGINES = {
    "virtuoso": (VirtuosoServer, virtuoso_missing),
    "comunica": (ComunicaServer, comunica_missing),
    "oxigraph": (OxigraphProcess, lambda: None),
    "jena": (JenaServer, jena_missing),
}


@pytest.fixture(scope="module", params=sorted(ENGINES))
def tiny(request):
    server_class, missing = ENGINES[request.param]
    require(missing())
    with server_class(TINY) as server:
        yield server


def rows(results):
    return sorted(tuple(row.get(v) for v in results.variables) for row in results.rows)


def test_named_graphs_hold_the_files(tiny):
    answer = tiny.store().query(PREFIXES + f"""
        SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g IN (<{PEOPLE}>, <{PLACES}>)) }}
        GROUP BY ?g""")
    assert {(str(g), int(n)) for g, n in rows(answer)} == {(PEOPLE, 6), (PLACES, 3)}


def test_a_join_across_the_default_graphs(tiny):
    store = tiny.store(default_graphs=[PEOPLE, PLACES])
    answer = store.query(PREFIXES + """
        SELECT DISTINCT ?who ?city WHERE { ?p ex:knows ?q . ?q ex:livesIn ?c . ?p rdfs:label ?who . ?c rdfs:label ?city }""")
    assert rows(answer) == [(Literal("Alice"), Literal("Paris"))]


def test_a_triple_in_two_default_graphs_matches_once_per_graph_or_once(tiny):
    # SPARQL's RDF merge matches it once, as Jena does; Virtuoso, Comunica (FROM) and Oxigraph all
    # match it twice, and the Comunica server follows Comunica's reading of FROM for
    # default-graph-uri too. The catalogue's answers are the same either way (test_conformance).
    matches = 1 if tiny.name == "jena" else 2
    for store in (tiny.store(default_graphs=[PEOPLE, PLACES]), tiny.store()):
        answer = store.query(PREFIXES + "SELECT ?name WHERE { ex:alice rdfs:label ?name }")
        assert rows(answer) == [(Literal("Alice"),)] * matches


def test_literals_keep_language_and_datatype(tiny):
    answer = tiny.store(default_graphs=[PEOPLE]).query(PREFIXES + """
        SELECT ?name ?age WHERE { ?p a ex:Person ; rdfs:label ?name OPTIONAL { ?p ex:age ?age } }""")
    assert rows(answer) == sorted([(Literal("Alice"), Literal(42, datatype=XSD.integer)),
                                   (Literal("Bob", lang="en"), None)])


def test_ask_and_construct(tiny):
    store = tiny.store(default_graphs=[PLACES])
    assert store.query(PREFIXES + "ASK { ex:bob ex:livesIn ex:paris }").boolean is True
    assert store.query(PREFIXES + "ASK { ex:alice ex:knows ex:bob }").boolean is False
    built = store.query(PREFIXES + "CONSTRUCT { ?c ex:home ?p } WHERE { ?p ex:livesIn ?c }").graph
    assert set(built) == {(URIRef(EX + "paris"), URIRef(EX + "home"), URIRef(EX + "bob"))}


def test_listens_on_the_loopback_only(tiny):
    port = int(tiny.query_url.split(":")[2].split("/")[0])
    assert listening_addresses(port) == {"127.0.0.1"}


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_stop_frees_the_port_and_removes_the_directory(engine):
    server_class, missing = ENGINES[engine]
    require(missing())
    with server_class(TINY) as server:
        port = int(server.query_url.split(":")[2].split("/")[0])
        workdir = server.workdir
        assert workdir.is_dir()
    assert not workdir.exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_virtuoso_starts_again_on_other_ports_when_its_port_was_taken():
    """free_port's port can be taken by another test's server before Virtuoso binds it (the tests
    run in parallel): Virtuoso then exits, and the server starts again on other ports."""
    require(virtuoso_missing())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = VirtuosoServer(TINY)
        server.http_port = taken.getsockname()[1]
        with server:
            assert server.http_port != taken.getsockname()[1]
            assert "Failed HTTP listen" in server.log_tail(100_000)
            assert server.store().query("ASK { ?s ?p ?o }").boolean


def test_a_missing_file_is_named():
    with pytest.raises(EnvironmentProblem, match="no-such.ttl: no such file to load into <urn:x>"):
        OxigraphProcess({"urn:x": DATA / "no-such.ttl"})


@pytest.mark.parametrize("server_class, reads", [(ComunicaServer, "Comunica server reads .ttl, .nt, .nq"),
                                                 (JenaServer, "Jena server reads .ttl, .nt")])
def test_a_file_the_engine_cannot_read_is_named_before_it_starts(server_class, reads, tmp_path):
    release = tmp_path / "all.owl"
    release.write_text("<rdf:RDF/>", encoding="utf-8")
    with pytest.raises(EnvironmentProblem, match=f"all.owl: the {reads}$"):
        server_class({PEOPLE: DATA / "people.ttl", "urn:x": release})


# --- Virtuoso ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def virtuoso():
    require(virtuoso_missing())
    with VirtuosoServer(TINY) as server:
        yield server


def digest_opener(server):
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, server.base_url, *server.credentials)
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager))


def test_virtuoso_graph_store_takes_digest_credentials(virtuoso):
    url = virtuoso.graph_store_url + "?graph-uri=https://example.org/graph/new"
    body = b'<https://example.org/carol> <https://example.org/livesIn> <https://example.org/oslo> .\n'
    put = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": "text/turtle"})
    with digest_opener(virtuoso).open(put, timeout=30) as response:
        assert response.status in (200, 201, 204)
    answer = virtuoso.store(default_graphs=["https://example.org/graph/new"]).query(
        PREFIXES + "SELECT ?who ?city WHERE { ?who ex:livesIn ?city }")
    assert rows(answer) == [(URIRef(EX + "carol"), URIRef(EX + "oslo"))]


def test_virtuoso_graph_store_challenges_with_digest_and_refuses_basic(virtuoso):
    url = virtuoso.graph_store_url + f"?graph-uri={PEOPLE}"
    token = base64.b64encode(":".join(virtuoso.credentials).encode()).decode()
    challenges = []
    for headers in ({}, {"Authorization": f"Basic {token}"}):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30)
        assert error.value.code == 401
        challenges.append(error.value.headers.get("WWW-Authenticate", "").split(" ")[0])
    # Anonymous: a Digest challenge; correct credentials sent as Basic: 401 and no challenge at all.
    assert challenges == ["Digest", ""]


def test_virtuoso_names_a_file_its_loader_rejects(virtuoso, tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ex: <https://example.org/> .\nex:a ex:p "x" \n', encoding="utf-8")
    with pytest.raises(EnvironmentProblem, match=r"(?s)broken\.ttl.*line 3: syntax error"):
        virtuoso.load({"https://example.org/graph/broken": broken})


# --- Comunica: the protocol dataset -----------------------------------------------------------


@pytest.fixture(scope="module")
def comunica():
    require(comunica_missing())
    with ComunicaServer(TINY) as server:
        yield server


def test_comunica_counts_the_quads_it_loaded(comunica):
    assert comunica.quads() == 9


def test_comunica_named_graph_uri_restricts_graph_patterns(comunica):
    url = comunica.query_url + "?" + urllib.parse.urlencode(
        {"query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", "named-graph-uri": PLACES})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        bindings = json.load(response)["results"]["bindings"]
    assert [b["g"]["value"] for b in bindings] == [PLACES]


def test_comunica_answers_construct_in_n_triples_and_refuses_bad_queries(comunica):
    url = comunica.query_url + "?" + urllib.parse.urlencode(
        {"query": PREFIXES + "CONSTRUCT WHERE { ex:bob ex:livesIn ?c }"})
    with urllib.request.urlopen(url, timeout=60) as response:
        assert response.headers["Content-Type"].startswith("application/n-triples")
        graph = Graph().parse(data=response.read().decode(), format="nt")
    assert set(graph) == {(URIRef(EX + "bob"), URIRef(EX + "livesIn"), URIRef(EX + "paris"))}
    bad = comunica.query_url + "?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p "})
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(bad, timeout=60)
    assert error.value.code == 400


# --- Jena ARQ: strict SPARQL 1.1 ----------------------------------------------------------------


@pytest.fixture(scope="module")
def jena():
    require(jena_missing())
    with JenaServer(TINY) as server:
        yield server


def test_jena_counts_the_triples_it_merged_and_names_its_version(jena):
    # people.ttl and places.nt share one triple: the default graph holds their merge.
    assert jena.triples() == 8
    with urllib.request.urlopen(jena.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"}),
                                timeout=60) as response:
        assert response.headers["Server"] == "Apache-Jena-ARQ/4.5.0"


def test_jena_refuses_arqs_own_syntax_as_a_portable_client_would_meet_it(jena):
    for query in ("SELECT * WHERE { LET (?x := 1) }", "SELECT * WHERE { ?s ?p "):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(jena.query_url + "?" + urllib.parse.urlencode({"query": query}), timeout=60)
        assert error.value.code == 400


# --- the release in each engine ---------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["virtuoso_release", "comunica_release", "oxigraph_release", "jena_release"])
def test_release_fixtures_hold_the_embedded_stores_graphs(fixture, request, store):
    server = request.getfixturevalue(fixture)
    expected = graph_counts(store)
    wanted = ", ".join(f"<{g}>" for g in expected)
    answer = server.store(timeout=600).query(
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g IN ({wanted})) }} GROUP BY ?g")
    assert {str(g): int(n) for g, n in rows(answer)} == expected
