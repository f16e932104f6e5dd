"""Store back ends: one interface, the same answers, results in every form a caller asks for."""

from __future__ import annotations

import json
import time

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, XSD

from graphkit.errors import EndpointError, EndpointTimeout, EnvironmentProblem, QueryError
from graphkit.namespaces import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_PROVENANCE, GRAPH_SCHEMA, GKE, compact
from graphkit.store import EndpointStore, OxigraphStore, RdflibStore, ServerStore, open_store, release_quads

from .conftest import run_cli
from .httptools import Answer, FakeEndpoint, NoHTTP

DATA = """
@prefix x: <http://x/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
x:a x:label "alpha" ; x:count 3 ; x:weight 2.5 ; x:ok true ; x:tag "t1", "t2" .
x:b x:label "beta"^^xsd:string ; x:count 7 ; x:lang "bêta"@fr .
"""


@pytest.fixture(scope="module")
def graph():
    return Graph().parse(data=DATA, format="turtle")


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def tiny(request, graph):
    """The same small dataset on each embedded engine (in one named graph on Oxigraph, whose
    default graph is the union)."""
    if request.param == "rdflib":
        return RdflibStore(graph)
    store = OxigraphStore()
    store.add_graph(graph, URIRef("http://x/graph"))
    return store


def test_select_rows_hold_rdflib_terms_and_plain_records(tiny):
    results = tiny.query("SELECT ?s ?label ?count WHERE { ?s <http://x/label> ?label ; <http://x/count> ?count } "
                         "ORDER BY ?s")
    assert results.kind == "select" and results.variables == ["s", "label", "count"]
    assert results.rows[1]["label"] == Literal("beta")          # xsd:string written as the plain literal
    assert results.records() == [{"s": "http://x/a", "label": "alpha", "count": 3},
                                 {"s": "http://x/b", "label": "beta", "count": 7}]


def test_select_star_columns_are_in_the_order_the_query_names_them(tiny):
    """pyoxigraph sorted them by name (`o p s` for ?s ?p ?o) and rdflib gave an order of its own."""
    results = tiny.query("SELECT * WHERE { ?zz <http://x/count> ?count . OPTIONAL { ?zz <http://x/lang> ?a } } "
                         "ORDER BY ?zz")
    assert results.variables == ["zz", "count", "a"]
    assert results.records() == [{"zz": "http://x/a", "count": 3, "a": None},
                                 {"zz": "http://x/b", "count": 7, "a": "bêta"}]
    distinct = tiny.query("PREFIX x: <http://x/> SELECT DISTINCT * { ?s x:count ?n } ORDER BY ?s")
    assert distinct.variables == ["s", "n"]


def test_a_blank_node_is_written_as_sparql_csv_writes_it(tiny):
    """A blank node's label alone (`cc4dfdfe...`) could not be told from a literal."""
    [row] = tiny.query("SELECT ?b WHERE { BIND(BNODE() AS ?b) }").records()
    assert row["b"].startswith("_:") and len(row["b"]) > 2
    [shown] = tiny.query("SELECT ?b WHERE { BIND(BNODE() AS ?b) }").texts(marked_blank_nodes=True)
    assert shown["b"].startswith("_:")


def test_records_convert_numbers_and_booleans(tiny):
    [row] = tiny.query("SELECT ?w ?ok ?lang WHERE { <http://x/a> <http://x/weight> ?w ; <http://x/ok> ?ok . "
                       "OPTIONAL { <http://x/a> <http://x/lang> ?lang } }").records()
    assert row == {"w": 2.5, "ok": True, "lang": None}


def test_results_as_sparql_json(tiny):
    data = tiny.query("SELECT ?l WHERE { <http://x/b> <http://x/label>|<http://x/lang> ?l } ORDER BY ?l").to_json()
    assert data == {"head": {"vars": ["l"]}, "results": {"bindings": [
        {"l": {"type": "literal", "value": "beta"}},
        {"l": {"type": "literal", "value": "bêta", "xml:lang": "fr"}}]}}
    assert tiny.query("ASK { <http://x/a> ?p 3 }").to_json() == {"head": {}, "boolean": True}


def test_construct_gives_a_graph(tiny):
    result = tiny.query("CONSTRUCT { ?s <http://x/n> ?c } WHERE { ?s <http://x/count> ?c }")
    assert result.kind == "graph"
    assert set(result.graph) == {(URIRef("http://x/a"), URIRef("http://x/n"), Literal(3)),
                                 (URIRef("http://x/b"), URIRef("http://x/n"), Literal(7))}


def test_canonical_answers_ignore_the_order_of_concatenated_parts(tiny):
    text = ('SELECT ?s (GROUP_CONCAT(?t; SEPARATOR="|") AS ?tags) WHERE { ?s <http://x/label> ?l '
            'OPTIONAL { ?s <http://x/tag> ?t } } GROUP BY ?s')
    assert tiny.query(text).canonical({"tags": "|"}) == [("<http://x/a>", '"t1|t2"'), ("<http://x/b>", "")]


def test_concatenated_parts_in_order_on_every_engine(tiny):
    """What graphkit's runner gives a person: each GROUP_CONCAT's parts in order, the rows as the
    engine ordered them, other columns untouched."""
    text = ('SELECT ?s (GROUP_CONCAT(?t; SEPARATOR="|") AS ?tags) (COUNT(?t) AS ?n) WHERE { ?s <http://x/label> ?l '
            'OPTIONAL { ?s <http://x/tag> ?t } } GROUP BY ?s ORDER BY DESC(?s)')
    ordered = tiny.query(text).with_sorted_parts({"tags": "|"})
    # (an empty GROUP_CONCAT is "" on rdflib, unbound on pyoxigraph)
    assert [(r["s"], r["tags"] or "", r["n"]) for r in ordered.texts()] == [("http://x/b", "", "0"),
                                                                          ("http://x/a", "t1|t2", "2")]
    assert ordered.rows[1]["tags"] == Literal("t1|t2")
    reversed_parts = 'SELECT (GROUP_CONCAT(?t; SEPARATOR=", ") AS ?ts) WHERE { VALUES ?t { "t2" "t1" "10" "9" } }'
    assert tiny.query(reversed_parts).texts() != [{"ts": "9, 10, t1, t2"}]       # the engine's order
    assert tiny.query(reversed_parts).with_sorted_parts({"ts": ", "}).texts() == [{"ts": "9, 10, t1, t2"}]


def test_both_engines_answer_alike(graph):
    oxigraph = OxigraphStore()
    oxigraph.add_graph(graph, URIRef("http://x/graph"))
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    assert oxigraph.query(text).canonical() == RdflibStore(graph).query(text).canonical()
    assert len(oxigraph.query(text).rows) == len(graph) == 9


def test_rdflib_aggregates_over_unbound_values():
    """SPARQL 1.1 skips unbound values in DISTINCT aggregates; rdflib 7 alone raises instead."""
    graph = Graph().parse(data="""
        <http://x/a> <http://x/p> "1" . <http://x/b> <http://x/p> "2" . <http://x/b> <http://x/q> "n" .""",
                          format="turtle")
    rows = RdflibStore(graph).query("""
        SELECT ?s (GROUP_CONCAT(DISTINCT ?n; SEPARATOR=",") AS ?ns) (COUNT(DISTINCT ?n) AS ?c)
        WHERE { ?s <http://x/p> ?v OPTIONAL { ?s <http://x/q> ?n } } GROUP BY ?s ORDER BY ?s""").records()
    assert rows == [{"s": "http://x/a", "ns": "", "c": 0}, {"s": "http://x/b", "ns": "n", "c": 1}]


def test_malformed_queries_name_line_and_column(tiny):
    with pytest.raises(QueryError, match=r"malformed SPARQL at line 2, column"):
        tiny.query("SELECT ?x WHERE {\n ?x ?y }")


def test_the_release_in_its_named_graphs(mini_built, mini_store):
    counts = {r["g"]: r["n"] for r in mini_store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").records()}
    assert set(counts) == {str(g) for g in (GRAPH_SCHEMA, GRAPH_ASSERTED, GRAPH_PROVENANCE, GRAPH_INFERRED)}
    quads = list(release_quads(mini_built, include_imports=False, include_external=False))
    assert sum(counts.values()) == len(quads)
    assert (GKE.jmml, URIRef("https://w3id.org/graphkit/schema#curativeTherapy"), GKE.hsct, GRAPH_ASSERTED) in quads
    # the statement's blank owl:Axiom node (its evidence link) is provenance, on both loaders
    axiom = """SELECT ?g WHERE { GRAPH ?g { ?ax owl:annotatedSource gke:jmml ; owl:annotatedProperty gk:curativeTherapy ;
                                                owl:annotatedTarget gke:hsct ; gk:evidence ?ev } }"""
    assert [r["g"] for r in mini_store.query(axiom).records()] == [str(GRAPH_PROVENANCE)]
    assert {g for s, p, o, g in quads if isinstance(s, BNode) and p == OWL.annotatedSource} == {GRAPH_PROVENANCE}
    assert set(mini_store.graph(GRAPH_INFERRED)) == set(Graph().parse(mini_built.inferred_ttl, format="turtle"))


def test_open_store_refuses_what_it_cannot_open(mini):
    with pytest.raises(QueryError, match="unknown engine 'virtuoso'"):
        open_store(mini, engine="virtuoso")
    mini.all_ttl.write_bytes(b"")             # served as the imports alone: every query "no rows", exit 0
    for engine in ("oxigraph", "rdflib"):
        with pytest.raises(EnvironmentProblem, match="ontology/all.ttl is empty: run `graphkit build` to write it"):
            open_store(mini, engine=engine)
    mini.all_ttl.unlink()
    with pytest.raises(EnvironmentProblem, match="ontology/all.ttl not found: run `graphkit build` first"):
        open_store(mini)


def test_credentials_in_an_endpoint_url_are_refused_and_never_shown():
    """urllib read `alice:s3cret@127.0.0.1` as the host name, and the message printed the password."""
    with pytest.raises(QueryError) as refused:
        EndpointStore("http://alice:s3cret@127.0.0.1:1/query")
    assert "s3cret" not in str(refused.value) and "http://***@127.0.0.1:1/query" in str(refused.value)
    result = run_cli("sparql", "ASK {}", "--endpoint", "http://alice:s3cret@127.0.0.1:1/query")
    assert result.code == 2 and "s3cret" not in result.err and "not in the URL" in result.err, result


def test_endpoint_url_is_checked():
    with pytest.raises(QueryError, match="must start with http"):
        EndpointStore("ftp://example.org/sparql")


def test_plain_and_typed_strings_are_one_term():
    typed = Literal("x", datatype=XSD.string)
    graph = Graph()
    graph.add((URIRef("http://x/a"), URIRef("http://x/p"), typed))
    rows = RdflibStore(graph).query('SELECT ?o WHERE { ?s ?p ?o }').rows
    assert rows == [{"o": Literal("x")}]


# ---------------------------------------------------------------------------------------------
# Every back end only reads, and fetches no URL it was not allowed to


UPDATES_REFUSED = r"^updates are not supported \(use the server's update endpoint yourself\)$"


@pytest.mark.parametrize("update", ["DROP ALL", "# tidy up\nPREFIX x: <http://x/>\ndelete where { ?s ?p ?o }",
                                    "LOAD <http://127.0.0.1:9/data.ttl>"])
def test_updates_are_refused_on_every_back_end(tiny, update):
    before = len(tiny.query("SELECT * WHERE { ?s ?p ?o }").rows)
    with pytest.raises(QueryError, match=UPDATES_REFUSED):
        tiny.query(update)
    assert len(tiny.query("SELECT * WHERE { ?s ?p ?o }").rows) == before == 9


def test_the_endpoint_client_never_sends_an_update():
    """SPARQLWrapper sends text it takes for an update as an update (`update=`): refused before
    anything is sent, and what is sent is always the `query` parameter."""
    with FakeEndpoint() as endpoint:
        store = EndpointStore(endpoint.url, timeout=5)
        for update in ("DROP ALL", "PREFIX x: <http://x/>\nINSERT DATA { x:a x:b x:c }", "CLEAR DEFAULT"):
            with pytest.raises(QueryError, match=UPDATES_REFUSED):
                store.query(update)
        assert endpoint.requests == []
        # A query with update keywords in a string, an IRI and a comment is a query, sent as one.
        store.query('# DROP ALL\nSELECT * WHERE { ?s <http://x/DELETE> "INSERT DATA" }')
        # Below the refusal, SPARQLWrapper itself is kept from switching to an update request.
        store._run("DROP ALL", "SELECT", "application/sparql-results+json")
    (method, path, params), (_, _, direct) = endpoint.requests
    assert (method, path) == ("POST", "/sparql") and "update" not in params
    assert params["query"].endswith('# DROP ALL\nSELECT * WHERE { ?s <http://x/DELETE> "INSERT DATA" }')
    assert direct["query"] == "DROP ALL" and "update" not in direct


def test_service_is_refused_on_the_embedded_engines(tiny):
    with FakeEndpoint() as internal:
        secret = f"http://127.0.0.1:{internal.port}/internal-admin?secret=1"
        for text in (f"SELECT * WHERE {{ SERVICE <{secret}> {{ ?s ?p ?o }} }}",
                     f"select * {{ service silent <{secret}> {{ ?s ?p ?o }} }}",
                     f"SELECT * {{ BIND(<{secret}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}"):
            with pytest.raises(QueryError, match="refused: a query must not make graphkit fetch other URLs"):
                tiny.query(text)
        assert internal.requests == []                     # the request never arrived


def test_an_allowed_service_is_fetched_and_its_failure_is_the_environments(tiny):
    with FakeEndpoint() as remote:
        allowed = tiny.allowing_service()
        text = f"SELECT * WHERE {{ SERVICE <{remote.url}> {{ ?s ?p ?o }} }}"
        assert allowed.query(text).rows == []
        assert [request[1] for request in remote.requests] == ["/sparql"]
        with pytest.raises(QueryError, match="refused"):
            tiny.query(text)                               # the store it came from still refuses
    port = remote.port                                     # closed now: the connection is refused
    with pytest.raises(EndpointError, match=rf"^SERVICE <http://127.0.0.1:{port}/sparql> failed: "):
        allowed.query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")


@pytest.mark.parametrize("answer, expected", [
    (Answer(500, b"<html><head><title>500 Internal Server Error</title></head><body><p>database is locked</p>"
                 b"</body></html>", "text/html"), r"answered HTTP 500( Internal Server Error)?: 500 Internal Server Error: database is locked$"),
    (Answer(401, b"Unauthorized", "text/plain"), r"answered HTTP 401( Unauthorized)?: Unauthorized$"),
    (Answer(503, b"<!DOCTYPE html><html><body>\n<h1>Service Unavailable</h1>\n</body></html>", "text/html"),
     r"answered HTTP 503 Service Unavailable: Service Unavailable$"),
    (Answer(200, b"<html><body>Welcome to nginx!</body></html>", "text/html"),
     r"did not return SPARQL JSON results \(text/html\): Welcome to nginx!$"),
    (Answer(200, b"", "application/sparql-results+json"), r"did not return SPARQL JSON results "
                                                          r"\(application/sparql-results\+json\): an empty answer$"),
], ids=["500-html", "401", "503", "200-html", "200-empty"])
@pytest.mark.parametrize("client", [EndpointStore, ServerStore])
def test_endpoint_failures_are_one_line_with_status_and_text(answer, expected, client):
    with FakeEndpoint(answer) as endpoint:
        with pytest.raises(EndpointError, match=expected) as info:
            client(endpoint.url, timeout=5).query("SELECT * WHERE { ?s ?p ?o }")
    message = str(info.value)
    assert "\n" not in message and "b'" not in message and message.startswith(f"endpoint {endpoint.url} ")


def test_an_endpoints_control_characters_are_shown_not_obeyed(cli):
    """An endpoint's error text or answer holding escape sequences (clear the screen, retitle the
    window) or a carriage return (write over the line) had them printed as they came, for the
    user's terminal to act on."""
    hostile = "\x1b[2J\x1b]0;pwned\x07boom\rfake"
    with FakeEndpoint(Answer(500, hostile.encode(), "text/plain")) as endpoint:
        failed = cli("sparql", "SELECT ?x {}", "--endpoint", endpoint.url, "--timeout", "5")
    assert failed.code == 3 and failed.err.endswith(": \\x1b[2J\\x1b]0;pwned\\x07boom fake\n"), failed
    answer = json.dumps({"head": {"vars": ["x"]},
                         "results": {"bindings": [{"x": {"type": "literal", "value": "a" + hostile}}]}})
    with FakeEndpoint(Answer(200, answer.encode())) as endpoint:
        shown = cli("sparql", "SELECT ?x {}", "--endpoint", endpoint.url, "--timeout", "5")
        kept = cli("sparql", "SELECT ?x {}", "--endpoint", endpoint.url, "--timeout", "5", "--format", "csv")
    assert shown.code == 0 and "a\\x1b[2J\\x1b]0;pwned\\x07boom\\rfake" in shown.out, shown
    assert "\x1b" not in shown.out + shown.err and "\r" not in shown.out
    assert hostile in kept.out, kept         # a data format keeps the value as it is


@pytest.mark.parametrize("client", [EndpointStore, ServerStore])
def test_a_bad_request_is_bad_input(client):
    with FakeEndpoint(Answer(400, b"Parser error: unexpected '}' at line 1", "text/plain")) as endpoint:
        with pytest.raises(QueryError, match=r"rejected the query \(HTTP 400\): Parser error: unexpected '}'"):
            client(endpoint.url, timeout=5).query("SELECT * WHERE { ?s ?p ?o }")


def test_the_predeclared_prefixes_keep_the_users_line_numbers():
    """The prefixes sent ahead of a query go on its first line: a server's syntax error at line 2
    is the user's line 2 (they were lines of their own, and a 2-line file was reported at 19:1)."""
    with FakeEndpoint(Answer(400, b"Parser error at line 2", "text/plain")) as endpoint:
        with pytest.raises(QueryError):
            EndpointStore(endpoint.url, timeout=5).query("SELECT * WHERE {\n  ?s rdfs:label ?o ; ?p }")
    sent = endpoint.requests[0][2]["query"]
    assert sent.count("\n") == 1 and sent.split("\n")[1] == "  ?s rdfs:label ?o ; ?p }"
    assert sent.startswith("PREFIX ") and "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in sent
    # only the prefixes the query uses are sent (not the ~50 a query may use)
    assert sent.split("\n")[0] == "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT * WHERE {"


def test_an_identifier_an_answer_prints_can_be_pasted_into_the_next_query(store):
    """The answer prints HP:0001945 and ICD10CM:C93.32: those prefixes are predeclared as the
    graph's own are, on the embedded store, on rdflib and in what an endpoint is sent."""
    printed = [compact(str(row["x"])) for row in store.query(
        'SELECT ?x WHERE { gke:fever skos:exactMatch ?x FILTER(STRSTARTS(STR(?x), "http://purl.obolibrary.org/obo/HP_")) }'
    ).rows]
    assert printed == ["HP:0001945"]
    for curie, entity in (("HP:0001945", "fever"), ("ICD10CM:C93.32", "jmml_in_relapse")):
        rows = store.query(f"SELECT ?d WHERE {{ ?d skos:exactMatch {curie} }}").rows
        assert [compact(str(row["d"])) for row in rows] == [f"gke:{entity}"]
    rdflib = RdflibStore(Graph().parse(data="<http://x/a> <http://www.w3.org/2004/02/skos/core#exactMatch> "
                                            "<http://purl.obolibrary.org/obo/HP_0001945> .", format="nt"))
    assert len(rdflib.query("SELECT ?d WHERE { ?d skos:exactMatch HP:0001945 }").rows) == 1
    with FakeEndpoint(Answer(body=b'{"head": {"vars": ["d"]}, "results": {"bindings": []}}')) as endpoint:
        EndpointStore(endpoint.url, timeout=5).query("SELECT ?d WHERE { ?d skos:exactMatch HP:0001945 }")
    assert endpoint.requests[0][2]["query"].startswith("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                                                       "PREFIX HP: <http://purl.obolibrary.org/obo/HP_> SELECT")


@pytest.mark.parametrize("client", [EndpointStore, ServerStore])
@pytest.mark.slow
def test_a_hanging_endpoint_times_out(client):
    with FakeEndpoint(Answer(delay=3)) as endpoint:
        with pytest.raises(EndpointError, match=rf"^endpoint {endpoint.url} did not answer within 1 s$"):
            client(endpoint.url, timeout=1).query("SELECT * WHERE { ?s ?p ?o }")


@pytest.mark.parametrize("client", [EndpointStore, ServerStore])
@pytest.mark.slow
def test_an_answer_that_trickles_in_times_out_at_the_timeout(client):
    """The timeout bounded each read of the socket, not the answer: a server sending a byte every
    half second kept `graphkit sparql --endpoint URL --timeout 3` waiting as long as it went on."""
    with FakeEndpoint(Answer(chunks=[b" "] * 60, pause=0.1)) as endpoint:
        started = time.monotonic()
        with pytest.raises(EndpointTimeout, match=rf"^endpoint {endpoint.url} did not answer within 1 s$"):
            client(endpoint.url, timeout=1).query("SELECT * WHERE { ?s ?p ?o }")
        assert time.monotonic() - started < 3


@pytest.mark.parametrize("client", [EndpointStore, ServerStore])
@pytest.mark.slow
def test_headers_that_trickle_in_time_out_at_the_timeout(client):
    """The deadline bounded the body only: the status line and each header line waited up to a
    timeout of their own, so a server sending a header line every 1.5 s held
    `graphkit sparql --endpoint URL --timeout 2` for 15 s (ten lines)."""
    with FakeEndpoint(Answer(header_lines=20, pause=0.4)) as endpoint:
        started = time.monotonic()
        with pytest.raises(EndpointTimeout, match=rf"^endpoint {endpoint.url} did not answer within 1 s$"):
            client(endpoint.url, timeout=1).query("SELECT * WHERE { ?s ?p ?o }")
        assert time.monotonic() - started < 1.5


@pytest.mark.slow
def test_a_kept_alive_connection_keeps_each_querys_own_deadline():
    """A connection a server store reuses gets the next query's deadline, not the first's."""
    with FakeEndpoint(Answer(header_lines=2, pause=0.4)) as endpoint:
        store = ServerStore(endpoint.url, timeout=1.5)
        for _ in range(3):      # 0.8 s each: 2.4 s in all, past the first query's deadline
            assert store.query("SELECT * WHERE { ?s ?p ?o }").rows == []
        assert len(set(endpoint.clients)) == 1


@pytest.mark.parametrize("form", ["SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",
                                  "CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c . ?d ?e ?f }"])
@pytest.mark.parametrize("client", [EndpointStore, ServerStore])
def test_an_answer_the_server_stopped_at_its_timeout_is_a_timeout(client, form):
    """Oxigraph's server sends status 200, then its error text after the rows its timeout cut:
    read as a malformed answer ("did not return SPARQL JSON results")."""
    from graphkit.errors import StoppedByServer

    with FakeEndpoint(Answer(200, b'{"head":{"vars":["n"]},"results":{"bindings":[The SPARQL operation has been '
                                  b'cancelled')) as endpoint:
        with pytest.raises(StoppedByServer, match=rf"^endpoint {endpoint.url} stopped the query at its own query "
                                                  r"timeout \(The SPARQL operation has been cancelled\)$") as info:
            client(endpoint.url, timeout=5).query(form)
    assert info.value.exit_code == 3


@pytest.mark.parametrize("client", [EndpointStore, ServerStore])
def test_a_redirect_is_said_and_not_followed(client):
    """urllib followed a 302 as a GET without the query: another URL's answer (a page, a service
    description parsed as the CONSTRUCT's graph) was printed as the endpoint's, exit 0."""
    triples = b"<http://evil.example/s> <http://evil.example/p> <http://evil.example/o> .\n"
    with FakeEndpoint(Answer(body=triples, content_type="application/n-triples")) as elsewhere, \
            FakeEndpoint(Answer(302, b"", headers={"Location": elsewhere.url})) as endpoint:
        with pytest.raises(EndpointError) as info:
            client(endpoint.url, timeout=5).query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        assert str(info.value) == (f"endpoint {endpoint.url} answered HTTP 302 Found, a redirect to {elsewhere.url}; "
                                   "a query goes only to the URL given: give that one if it is the endpoint")
        assert elsewhere.requests == [] and len(endpoint.requests) == 1


def test_a_server_store_asks_on_one_kept_alive_connection():
    rows = b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "http://x/a"}}]}}'
    with FakeEndpoint(Answer(body=rows)) as endpoint:
        store = ServerStore(endpoint.url, timeout=5)
        answers = [store.query("SELECT ?s WHERE { ?s ?p ?o }").rows for _ in range(3)]
        assert answers == [[{"s": URIRef("http://x/a")}]] * 3
        assert len(endpoint.clients) == 3 and len(set(endpoint.clients)) == 1
        # the query as the body ("query via POST directly"), not form-encoded
        assert all(params["body"].endswith("SELECT ?s WHERE { ?s ?p ?o }") for _, _, params in endpoint.requests)
        assert {h["Content-Type"] for h in endpoint.headers} == {"application/sparql-query; charset=utf-8"}
        endpoint.clients.clear()
        for _ in range(2):
            EndpointStore(endpoint.url, timeout=5).query("SELECT ?s WHERE { ?s ?p ?o }")
        assert len(set(endpoint.clients)) == 2          # SPARQLWrapper: a new connection each time
        store.close()


def test_a_server_store_asks_again_when_the_server_closed_its_idle_connection():
    """A server may close a kept-alive connection between two queries: the next query goes on a
    new connection (a query is only read, so asking it again is safe)."""
    import socket
    import threading

    answer = b'{"head": {"vars": []}, "results": {"bindings": [{}]}}'
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []

    def serve():                        # each connection: one answer, then closed without notice
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(conn)
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                         b"Content-Length: %d\r\n\r\n" % len(answer) + answer)
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        store = ServerStore(f"http://127.0.0.1:{listener.getsockname()[1]}/query", timeout=5)
        for _ in range(3):
            assert len(store.query("SELECT * WHERE { ?s ?p ?o }").rows) == 1
        assert len(accepted) == 3
    finally:
        listener.close()


def test_a_server_store_reads_a_graph_answer_and_refuses_one_that_is_not_rdf():
    triples = b'<http://x/a> <http://x/label> "alpha" .\n<http://x/a> <http://x/count> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    with FakeEndpoint(Answer(body=triples, content_type="application/n-triples")) as endpoint:
        graph = ServerStore(endpoint.url, timeout=5).query("CONSTRUCT WHERE { ?s ?p ?o }").graph
        assert set(graph) == {(URIRef("http://x/a"), URIRef("http://x/label"), Literal("alpha")),
                              (URIRef("http://x/a"), URIRef("http://x/count"), Literal(3))}
    with FakeEndpoint(Answer(body=b"<html>Welcome to nginx!</html>", content_type="text/html")) as endpoint:
        with pytest.raises(EndpointError, match=r"did not return RDF \(text/html\): Welcome to nginx!$"):
            ServerStore(endpoint.url, timeout=5).query("CONSTRUCT WHERE { ?s ?p ?o }")


def test_unknown_prefixes_are_named_plainly(tiny):
    with pytest.raises(QueryError) as info:
        tiny.query("SELECT * WHERE {\n  ?s foo:bar ?o }")
    if isinstance(tiny, OxigraphStore):   # rdflib's parser has its own message
        assert str(info.value) == ("malformed SPARQL at line 2, column 6: unknown prefix foo: "
                                   "(declare it with PREFIX foo: <IRI>)")
    assert "\\u{" not in str(info.value) and "\n" not in str(info.value)


# A SELECT whose solutions never end (a three-way cross product); one solution is one term, so
# what a stopped query read before it stopped stays small.
ENDLESS = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_query_past_its_timeout_raises_and_reads_no_further(mini_built, mini_store, engine):
    import threading
    import time

    import graphkit
    from graphkit.errors import QueryTimeout

    store = mini_store if engine == "oxigraph" else RdflibStore.from_project(mini_built, include_external=False)
    with pytest.raises(QueryTimeout, match=rf"^the query did not finish within 0\.3 s, its timeout, on the embedded "
                                           rf"{engine} store \(a query too broad"):
        graphkit.query(ENDLESS, store=store, timeout=0.3)
    assert store.timeout is None                    # the call's timeout was its own
    # The query left behind stops at its next solution instead of reading on in the background.
    deadline = time.monotonic() + 30
    while any(t.name == "graphkit query" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(t.name == "graphkit query" for t in threading.enumerate())
    assert len(store.with_timeout(30).query("SELECT ?s WHERE { ?s a ?c } LIMIT 3").rows) == 3


def test_a_stored_graph_answers_as_the_rdflib_copy_of_it(store):
    """The exporters read named graphs in place (StoredGraph) instead of copying 68,000 triples of
    provenance into rdflib (2 s of a small export): each method answers as on the copy."""
    from rdflib import URIRef
    from rdflib.namespace import OWL

    from graphkit.namespaces import GK, GRAPH_PROVENANCE

    copy, in_place = store.graph(GRAPH_PROVENANCE), store.stored_graph(GRAPH_PROVENANCE)
    assert len(in_place) == len(copy) > 60000
    jmml = URIRef("https://w3id.org/graphkit/entity/jmml_in_relapse")
    axioms = sorted(copy.subjects(OWL.annotatedSource, jmml))
    assert sorted(in_place.subjects(OWL.annotatedSource, jmml)) == axioms and len(axioms) > 10
    for ax in axioms:                      # a blank node found in place is asked about again
        assert sorted(in_place.predicate_objects(ax)) == sorted(copy.predicate_objects(ax))
        assert in_place.value(ax, OWL.annotatedProperty) == copy.value(ax, OWL.annotatedProperty)
        evidence = sorted(in_place.objects(ax, GK.evidence))      # none on a mapping's axiom
        assert evidence == sorted(copy.objects(ax, GK.evidence))
        assert all((ax, GK.evidence, node) in in_place for node in evidence)
    assert in_place.value(jmml, GK.evidence) is None and (jmml, GK.evidence, jmml) not in in_place
    assert sorted(in_place.subjects(GK.evidence, None, unique=True)) == sorted(copy.subjects(GK.evidence, None, unique=True))


def test_a_term_not_held_is_advised_by_what_the_store_is(store):
    """An unknown HPO term: the embedded store and graphkit serve's server (which holds this
    project's external ontologies) advise `graphkit load-external`; an endpoint's advice (its own
    words, after asking what it holds: tests/commands/test_query.py) is loading it there."""
    from graphkit.server import free_port

    said = ("HP:9999999 is in neither the import modules (ontology/imports) nor an external ontology: add the whole "
            "ontology with `graphkit load-external FILE`")
    assert ServerStore(f"http://127.0.0.1:{free_port()}/query").term_not_held("HP:9999999") == said
    assert store.term_not_held("HP:9999999") == said


@pytest.mark.parametrize("client", [EndpointStore, ServerStore])
@pytest.mark.parametrize("answer", [Answer(chunks=[b" " * 65536] * 40), Answer(body=b" " * (2 << 20))],
                         ids=["streamed", "declared"])
def test_an_answer_larger_than_any_is_refused_not_read_to_its_end(client, answer, monkeypatch):
    """An endpoint streaming without end had filled 1.9 GB of memory in 8 s, bounded only by the
    timeout: an answer past the limit (here 1 MB) is refused, by its declared length before it is
    read, and the kept-alive connection it came on is not used again."""
    import graphkit.httpdeadline

    monkeypatch.setattr(graphkit.httpdeadline, "MAX_ANSWER_BYTES", 1 << 20)
    with FakeEndpoint(answer) as endpoint:
        store = client(endpoint.url, timeout=10)
        with pytest.raises(EndpointError, match=rf"^endpoint {endpoint.url} sent more than 1 MB for one answer; ask "
                                                r"for less \(LIMIT, fewer variables\)"):
            store.query("SELECT * WHERE { ?s ?p ?o }")
        endpoint.answer = Answer()
        assert store.query("SELECT * WHERE { ?s ?p ?o }").rows == []


@pytest.mark.parametrize("client", [EndpointStore, ServerStore])
def test_a_server_that_answers_no_http_is_said_so(client):
    """A port answering bytes that are no HTTP status line was "broke off its answer (BadStatusLine);
    a server's query timeout does that to a large answer", a cause it was not."""
    with NoHTTP() as server:
        url = f"http://127.0.0.1:{server.port}/sparql"
        with pytest.raises(EndpointError) as failed:
            client(url, timeout=5).query("ASK {}")
    assert str(failed.value) == (f"endpoint {url} did not answer in HTTP (BadStatusLine: '\\x00ÿ garbage not "
                                 "http'): is it a SPARQL endpoint's URL?")


XML_ROWS = b"""<?xml version="1.0"?>
<sparql xmlns="http://www.w3.org/2005/sparql-results#">
  <head><variable name="s"/><variable name="label"/></head>
  <results>
    <result><binding name="s"><uri>https://w3id.org/graphkit/entity/jmml</uri></binding>
            <binding name="label"><literal xml:lang="en">JMML</literal></binding></result>
    <result><binding name="s"><bnode>b0</bnode></binding>
            <binding name="label"><literal datatype="http://www.w3.org/2001/XMLSchema#integer">3</literal></binding></result>
    <result><binding name="label"><literal>no subject</literal></binding></result>
  </results>
</sparql>"""


def test_a_server_store_reads_tsv_results():
    """The server behind the pages is asked for TSV first (read in a third of JSON's time): each
    kind of term, escapes, an unbound cell, a row of none bound and a row of no variables; a cell
    that is no term is a malformed answer."""
    tsv = "text/tab-separated-values; charset=utf-8"
    rows = ('?s\t?label\n<https://w3id.org/graphkit/entity/jmml>\t"JMML"@en\n_:b0\t3\n'
            '\t"say \\"hi\\"\\tthere \\u00e9"\n<https://w3id.org/graphkit/entity/jmml>\t"2"^^<http://ex/dt>\n\t\n')
    with FakeEndpoint(Answer(body=rows.encode(), content_type=tsv)) as endpoint:
        store = ServerStore(endpoint.url, timeout=5)
        answer = store.query("SELECT * WHERE { ?s rdfs:label ?label }")
        assert endpoint.headers[0]["Accept"].startswith("text/tab-separated-values, ")
        assert answer.variables == ["s", "label"]
        assert answer.rows == [{"s": URIRef(GKE + "jmml"), "label": Literal("JMML", lang="en")},
                               {"s": BNode("b0"), "label": Literal("3", datatype=XSD.integer)},
                               {"label": Literal('say "hi"\tthere é')},
                               {"s": URIRef(GKE + "jmml"), "label": Literal("2", datatype=URIRef("http://ex/dt"))}, {}]
        endpoint.answer = Answer(body=b"\n\n", content_type=tsv)
        assert store.query("SELECT * WHERE {}").rows == [{}]
        # an ASK is answered in SPARQL's JSON (TSV has no boolean)
        endpoint.answer = Answer(body=b'{"head": {}, "boolean": true}', content_type="application/sparql-results+json")
        assert store.query("ASK {}").boolean is True
        assert endpoint.headers[-1]["Accept"] == "application/sparql-results+json, application/sparql-results+xml;q=0.9"
        endpoint.answer = Answer(body=b"?x\nnot a term\n", content_type=tsv)
        with pytest.raises(EndpointError, match=r"did not return SPARQL TSV results"):
            store.query("SELECT ?x WHERE { ?x ?p ?o }")


@pytest.mark.parametrize("client", [EndpointStore, ServerStore])
def test_an_endpoint_answering_sparql_xml_results_is_read(client):
    """An endpoint that answers only SPARQL 1.0's XML results (it ignores the Accept header, or
    knows no JSON) had been "did not return SPARQL JSON results": its rows, as JSON's would be,
    and its booleans; a document declaring entities is refused, not expanded."""
    xml = "application/sparql-results+xml; charset=utf-8"
    with FakeEndpoint(Answer(body=XML_ROWS, content_type=xml)) as endpoint:
        store = client(endpoint.url, timeout=5)
        answer = store.query("SELECT * WHERE { ?s rdfs:label ?label }")
        assert "application/sparql-results+xml;q=0." in endpoint.headers[0]["Accept"]
        assert answer.variables == ["s", "label"]
        assert answer.rows == [{"s": URIRef(GKE + "jmml"), "label": Literal("JMML", lang="en")},
                               {"s": BNode("b0"), "label": Literal("3", datatype=XSD.integer)},
                               {"label": Literal("no subject")}]
        endpoint.answer = Answer(body=b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                                      b'<head/><boolean>true</boolean></sparql>', content_type=xml)
        assert store.query("ASK { ?s ?p ?o }").boolean is True
        endpoint.answer = Answer(body=b'<?xml version="1.0"?><!DOCTYPE sparql [<!ENTITY a "aaaa">]>'
                                      b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
                                      b'<variable name="x"/></head><results><result><binding name="x"><literal>&a;'
                                      b'</literal></binding></result></results></sparql>', content_type=xml)
        with pytest.raises(EndpointError, match=rf"^endpoint {endpoint.url} did not return SPARQL XML results "
                                                r"\(application/sparql-results\+xml; charset=utf-8\): "):
            store.query("SELECT ?x WHERE { ?x ?p ?o }")


def test_an_unknown_entity_is_suggested_on_the_merged_graph_of_rdflib(mini_built):
    """rdflib's store is one merged graph, which refuses GRAPH: the names are read from its
    default graph, and a misspelled value gets the same suggestion as on Oxigraph."""
    import graphkit

    from graphkit.store import OxigraphStore

    said = []
    for store in (OxigraphStore.from_project(mini_built, include_external=False),
                  RdflibStore.from_project(mini_built, include_external=False)):
        with pytest.raises(QueryError) as raised:
            graphkit.query("treatments-for-condition", store=store, condition="jmml_relaps")
        said.append(str(raised.value))
    assert said[0] == said[1]
    assert said[1].endswith("did you mean 'JMML relapse' or 'JMML relapse after HSCT' or 'JMML in relapse'?")
