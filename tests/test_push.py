"""graphkit push against a real, writable Oxigraph server on 127.0.0.1 (behind a small proxy
where a test needs authentication or a broken connection; slow), and the checks that need none."""

from __future__ import annotations

import base64
import time
import urllib.request

import pytest

from graphkit.errors import GraphkitError
from graphkit.httpauth import Challenge, digest_authorization, parse_challenges
from graphkit.push import Credentials, GraphStoreClient, PushFailed, credentials_for, guess_endpoints
from graphkit.server import OxigraphServer, free_port
from graphkit.store import EndpointStore

from .httptools import Answer, FakeEndpoint, NoHTTP, Proxy, WholeRequestFirst

GRAPH = "https://w3id.org/graphkit/graph/"
USER, PASSWORD = "curator", "correct-horse-battery-staple"
# --timeout holds a request's whole answer to it: a 10 MB upload into an on-disk Oxigraph, or the MOVE,
# takes 10-30 s on a machine busy with other work.
FAST = ("--retries", "1", "--retry-wait", "0.01", "--timeout", "120")


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    server = OxigraphServer(tmp_path_factory.mktemp("push-db") / "db", read_only=False).start()
    yield server
    server.stop()


def counts(server) -> dict[str, int]:
    rows = EndpointStore(server.query_url).query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").records()
    return {r["g"]: r["n"] for r in rows}


def put(server, graph: str, ntriples: str) -> None:
    request = urllib.request.Request(f"{server.store_url}?graph={graph}", data=ntriples.encode(), method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(request, timeout=30).close()


def marker(n: int) -> str:
    return f"<https://example.org/old> <https://example.org/version> \"{n}\" .\n"


@pytest.mark.slow
def test_round_trip_with_counts(cli, oxigraph, store):
    put(oxigraph, GRAPH + "asserted", marker(0))       # an older release there: replaced, not merged
    result = cli("push", "--endpoint", oxigraph.store_url, *FAST)
    assert result.code == 0, result
    local = {r["g"]: r["n"] for r in store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").records()}
    assert counts(oxigraph) == local                      # every graph, exactly, and no staging graphs left
    assert f"replaced {len(local)} graphs in one update" in result.out
    # the pushed graph answers the catalogue as the embedded store does
    endpoint = EndpointStore(oxigraph.query_url)
    text = "SELECT ?d ?l WHERE { ?d gk:treatedWith gke:blinatumomab ; rdfs:label ?l }"
    assert endpoint.query(text).canonical() == store.query(text).canonical() != []


@pytest.mark.slow
def test_single_graph(cli, oxigraph, store):
    target = "https://example.org/graphs/leukemia"
    result = cli("push", "--endpoint", oxigraph.store_url, "--graph", target, "--only", "asserted",
                 "--only", "inferred", *FAST)
    assert result.code == 0, result
    merged = {(q.subject, q.predicate, q.object) for q in store.ox
              if q.graph_name.value in (GRAPH + "asserted", GRAPH + "inferred")}
    assert counts(oxigraph)[target] == len(merged)


@pytest.mark.slow
def test_interrupted_upload_keeps_the_old_graphs(cli, oxigraph):
    put(oxigraph, GRAPH + "asserted", marker(1))
    put(oxigraph, GRAPH + "inferred", marker(2))
    before = counts(oxigraph)
    # The connection of the second upload (inferred) is reset mid-body, every time it is tried (requests
    # 1 and 2 check access with one triple, 3 and 4 upload and count asserted).
    with Proxy(oxigraph.base_url, fault=lambda n, seen: "drop" if seen.method == "PUT" and n > 4 else None) as proxy:
        result = cli("push", "--endpoint", proxy.base_url + "/store", "--only", "asserted", "--only", "inferred",
                     *FAST)
    assert result.code == 3, result
    assert f"uploading graph <{GRAPH}inferred>: the connection was closed by the server" in result.err
    assert "nothing was replaced: the endpoint's graphs are as they were" in result.err
    assert "retrying" in result.out
    assert counts(oxigraph) == before                     # asserted was staged, never moved; staging dropped
    ask = EndpointStore(oxigraph.query_url)
    assert ask.query(f"ASK {{ GRAPH <{GRAPH}asserted> {{ ?s ?p '1' }} }}").boolean
    assert ask.query(f"ASK {{ GRAPH <{GRAPH}inferred> {{ ?s ?p '2' }} }}").boolean


@pytest.mark.slow
def test_transient_errors_are_retried(cli, oxigraph):
    put(oxigraph, GRAPH + "inferred", marker(3))
    with Proxy(oxigraph.base_url, fault=lambda n, seen: 503 if n <= 2 else None) as proxy:
        result = cli("push", "--endpoint", proxy.base_url + "/store", "--only", "inferred",
                     "--retries", "3", "--retry-wait", "0.01")
    assert result.code == 0, result
    assert "HTTP 503; retrying in 0.01 s (1/3)" in result.out
    assert not EndpointStore(oxigraph.query_url).query(f"ASK {{ GRAPH <{GRAPH}inferred> {{ ?s ?p '3' }} }}").boolean


@pytest.mark.slow
def test_a_replace_whose_answer_is_lost_is_not_sent_again(cli, oxigraph):
    """The MOVE update ran but its answer was lost (HTTP 504 from a gateway that gave up on it):
    push sent it again, and on Virtuoso a MOVE from the staging graph it had emptied empties the
    target (tried: `MOVE <none> TO <t>` left <t> with 0 triples), so the release was lost. It is
    sent once; the staging and target graphs then tell that it ran."""
    put(oxigraph, GRAPH + "inferred", marker(5))
    updates = []

    def lose_the_replace(n, seen):
        if seen.method == "POST" and seen.path == "/update":
            updates.append(n)
            return "lost" if len(updates) == 2 else None     # the access check's drop, then the replace
        return None

    with Proxy(oxigraph.base_url, fault=lose_the_replace) as proxy:
        result = cli("push", "--endpoint", proxy.base_url + "/store", "--only", "inferred", *FAST)
    assert result.code == 0, result
    assert len(updates) == 2 and "retrying" not in result.out
    assert not EndpointStore(oxigraph.query_url).query(f"ASK {{ GRAPH <{GRAPH}inferred> {{ ?s ?p '5' }} }}").boolean


@pytest.fixture
def guarded(oxigraph):
    with Proxy(oxigraph.base_url, auth=(USER, PASSWORD)) as proxy:
        yield proxy


def _secret_free(result, secret: str) -> bool:
    encoded = base64.b64encode(f"{USER}:{secret}".encode()).decode()
    return all(s not in result.out + result.err for s in (secret, encoded))


@pytest.mark.slow
def test_wrong_password(cli, guarded, oxigraph):
    before = counts(oxigraph)
    wrong = "wrong-password-8271"
    result = cli("push", "--endpoint", guarded.base_url + "/store", "--only", "inferred", *FAST,
                 env={"GRAPHKIT_ENDPOINT_USER": USER, "GRAPHKIT_ENDPOINT_PASSWORD": wrong})
    assert result.code == 3, result
    assert ("checking access (one triple into a staging graph): the endpoint refused the credentials from "
            "GRAPHKIT_ENDPOINT_USER/GRAPHKIT_ENDPOINT_PASSWORD, sent as HTTP Basic (HTTP 401; it asks for HTTP Basic "
            '(realm "kg")); check the user name and password; nothing was replaced') in result.err
    assert max(seen.body_length for seen in guarded.seen) < 200      # found out before any graph was sent
    assert _secret_free(result, wrong)
    assert counts(oxigraph) == before


@pytest.mark.slow
def test_missing_credentials(cli, guarded):
    result = cli("push", "--endpoint", guarded.base_url + "/store", "--only", "inferred", *FAST)
    assert result.code == 3
    assert "the endpoint requires authentication (HTTP 401): set GRAPHKIT_ENDPOINT_USER" in result.err
    assert 'it asks for HTTP Basic (realm "kg")' in result.err and "staging graphs" not in result.err


@pytest.mark.slow
def test_a_token_where_the_server_asks_for_a_password(cli, guarded):
    result = cli("push", "--endpoint", guarded.base_url + "/store", "--only", "inferred", *FAST,
                 env={"GRAPHKIT_ENDPOINT_TOKEN": "tok-8271"})
    assert result.code == 3 and "tok-8271" not in result.err
    assert ('the endpoint asks for HTTP Basic (realm "kg"), not a bearer token (GRAPHKIT_ENDPOINT_TOKEN): set '
            "GRAPHKIT_ENDPOINT_USER and GRAPHKIT_ENDPOINT_PASSWORD instead") in result.err


@pytest.mark.slow
def test_right_password_from_env_and_netrc(cli, guarded, tmp_path):
    result = cli("push", "--endpoint", guarded.base_url + "/store", "--only", "inferred", *FAST,
                 env={"GRAPHKIT_ENDPOINT_USER": USER, "GRAPHKIT_ENDPOINT_PASSWORD": PASSWORD})
    assert result.code == 0, result
    assert "credentials: GRAPHKIT_ENDPOINT_USER/GRAPHKIT_ENDPOINT_PASSWORD" in result.out
    assert 'authentication: HTTP Basic (realm "kg")' in result.out
    assert _secret_free(result, PASSWORD)
    # Only the first request goes without credentials: the one-triple probe that learns the challenge.
    assert [seen.authorized for seen in guarded.seen[:2]] == [False, True] and guarded.seen[0].body_length < 200
    assert all(seen.authorized for seen in guarded.seen[1:])
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {USER} password {PASSWORD}\n")
    netrc.chmod(0o600)
    result = cli("push", "--endpoint", guarded.base_url + "/store", "--only", "inferred", *FAST,
                 env={"NETRC": str(netrc)})
    assert result.code == 0, result
    assert f"credentials: {netrc} (127.0.0.1)" in result.out and _secret_free(result, PASSWORD)


def test_unreachable_endpoint(cli):
    result = cli("push", "--endpoint", f"http://127.0.0.1:{free_port()}/store", "--only", "inferred", *FAST)
    assert result.code == 3
    assert "connection refused (is the server running, and is the URL right?) (after 2 attempts)" in result.err
    # Nothing got there, so no staging graph can be left: it had said they remained, tried three
    # more times to remove them, and advised `push --cleanup`.
    assert result.err.endswith("nothing was replaced: the endpoint's graphs are as they were\n"), result.err
    assert "remain" not in result.err and "removing staging graphs" not in result.out + result.err


@pytest.mark.slow
def test_an_https_url_of_a_plain_http_server_fails_at_once_naming_it(cli):
    """An https:// URL whose server speaks plain HTTP (Oxigraph's waits for the end of a request
    line the TLS hello never gives) waited the whole timeout and said only "did not answer within
    5 s"; push tried four times and advised `push --cleanup` for staging graphs it never sent.
    The port is asked a plain HTTP request when the handshake stalls, and its answer named."""
    with WholeRequestFirst() as server:
        said = (f"the server at 127.0.0.1:{server.port} answers plain HTTP, not HTTPS: give the URL with http://")
        with pytest.raises(GraphkitError) as failed:
            EndpointStore(f"https://127.0.0.1:{server.port}/query", timeout=5).query("ASK {}")
        assert str(failed.value) == f"endpoint https://127.0.0.1:{server.port}/query is unreachable: {said}"
        query = cli("query", "definitions", "--endpoint", f"https://127.0.0.1:{server.port}/query", "--timeout", "5")
        assert (query.code, query.err) == (
            3, f"graphkit query: endpoint https://127.0.0.1:{server.port}/query is unreachable: {said}\n"), query
        client = GraphStoreClient(guess_endpoints(f"https://127.0.0.1:{server.port}/store"), timeout=5, retries=3)
        with pytest.raises(PushFailed) as pushed:
            client.put_graph("https://example.org/g", b"<https://e.org/s> <https://e.org/p> 1 .\n", "uploading")
    assert (str(pushed.value), pushed.value.status, pushed.value.reached) == (
        f"uploading: unreachable: {said} (after 1 attempt)", None, False)


def test_a_server_that_answers_no_http_is_named_on_one_line():
    """A server answering bytes that are no HTTP status line (BadStatusLine) had its bytes printed
    as they came: a NUL, then a line break that split the message over two lines."""
    with NoHTTP() as server:
        client = GraphStoreClient(guess_endpoints(f"http://127.0.0.1:{server.port}/store"), timeout=5, retries=0)
        with pytest.raises(PushFailed) as failed:
            client.put_graph("https://example.org/g", b"<https://e.org/s> <https://e.org/p> 1 .\n", "uploading")
    said = str(failed.value)
    assert said.startswith("uploading: the server did not answer in HTTP (BadStatusLine: "), said
    assert "\n" not in said and "\x00" not in said and "\\x00" in said and "\\\\x00" not in said


# A server that sends its answer slowly: a header line every 0.4 s, or the body a byte every 0.1 s.
TRICKLING = {"headers": Answer(204, b"", "text/plain", header_lines=20, pause=0.4),
             "body": Answer(200, b"", "text/plain", chunks=[b" "] * 60, pause=0.1)}


@pytest.mark.parametrize("trickle", sorted(TRICKLING))
@pytest.mark.slow
def test_an_answer_that_trickles_in_times_out_at_the_timeout(trickle):
    """The timeout bounded each read of the socket, not the request: a server sending a header line
    every 0.4 s (or a byte of the body every 0.1 s) kept a client with a 1 s timeout for 8 s (6 s),
    and its answer was taken."""
    with FakeEndpoint(TRICKLING[trickle]) as endpoint:
        client = GraphStoreClient(guess_endpoints(endpoint.url), timeout=1, retries=0)
        started = time.monotonic()
        with pytest.raises(PushFailed) as failed:
            client.put_graph("https://example.org/g", b"<https://e.org/s> <https://e.org/p> 1 .\n", "uploading")
        assert time.monotonic() - started < 1.5
    assert (str(failed.value), failed.value.status) == ("uploading: no answer within 1 s (after 1 attempt)", None)


@pytest.mark.slow
def test_a_push_to_a_server_that_trickles_its_answers_times_out(cli):
    """--timeout holds each request to one deadline: the command exits 3, as for any endpoint failure."""
    with FakeEndpoint(TRICKLING["headers"]) as endpoint:
        result = cli("push", "--endpoint", endpoint.url.replace("/sparql", "/store"), "--only", "inferred",
                     "--retries", "0", "--timeout", "1")
    assert result.code == 3, result
    assert result.err.startswith("graphkit push: checking access (one triple into a staging graph): no answer "
                                 "within 1 s (after 1 attempt); nothing was replaced"), result.err


def test_credentials_in_the_url_are_refused(cli):
    result = cli("push", "--endpoint", f"http://{USER}:{PASSWORD}@127.0.0.1:{free_port()}/store")
    assert result.code == 2
    assert "put credentials in GRAPHKIT_ENDPOINT_USER" in result.err and PASSWORD not in result.err


def test_the_library_refuses_credentials_in_any_endpoint_url_too():
    """The command had checked the URLs itself: a Python caller of push got no such check."""
    for urls in ([f"http://{USER}:{PASSWORD}@127.0.0.1:1/store"],
                 ["http://127.0.0.1:1/store", f"http://{USER}:{PASSWORD}@127.0.0.1:1/update"]):
        with pytest.raises(GraphkitError) as refused:
            guess_endpoints(*urls)
        assert str(refused.value) == (f"{urls[-1].replace(f'{USER}:{PASSWORD}', '***')}: put credentials in "
                                      "GRAPHKIT_ENDPOINT_USER and GRAPHKIT_ENDPOINT_PASSWORD, GRAPHKIT_ENDPOINT_TOKEN "
                                      "or ~/.netrc, not in the URL")


@pytest.mark.slow
def test_read_only_server_is_reported(cli, tmp_path, project):
    with OxigraphServer.for_project(project, tmp_path, include_external=False) as server:
        result = cli("push", "--endpoint", server.store_url, "--only", "inferred", *FAST)
    assert result.code == 3
    assert "forbidden (HTTP 403: The server is read-only)" in result.err


def test_credentials_precedence_and_redaction(tmp_path):
    env = {"GRAPHKIT_ENDPOINT_TOKEN": "tok-123", "GRAPHKIT_ENDPOINT_USER": "u", "GRAPHKIT_ENDPOINT_PASSWORD": "p"}
    token = credentials_for("https://db.example.org/store", env)
    assert token.source == "GRAPHKIT_ENDPOINT_TOKEN" and token.header == "Bearer tok-123"
    assert "tok-123" not in repr(token) and token.redact("echo tok-123") == "echo ***"
    netrc = tmp_path / "netrc"
    netrc.write_text("machine db.example.org login alice password s3cret\n")
    netrc.chmod(0o600)
    basic = credentials_for("https://db.example.org/store", {"NETRC": str(netrc)})
    assert basic.header == "Basic " + base64.b64encode(b"alice:s3cret").decode()
    assert credentials_for("https://other.example.org/store", {"NETRC": str(netrc)}) == Credentials()


def test_challenges_are_read_as_rfc_9110_writes_them():
    assert parse_challenges(['Basic realm="a, b"', 'Digest realm="SPARQL", nonce="n\\"1", qop="auth,auth-int", '
                             'algorithm=MD5, Bearer']) == [
        Challenge("basic", {"realm": "a, b"}),
        Challenge("digest", {"realm": "SPARQL", "nonce": 'n"1', "qop": "auth,auth-int", "algorithm": "MD5"}),
        Challenge("bearer", {})]
    assert parse_challenges([]) == [] and parse_challenges(["Negotiate"]) == [Challenge("negotiate", {})]


def test_digest_answers_rfc_7616s_sha_256_example():
    challenge = Challenge("digest", {"realm": "http-auth@example.org", "qop": "auth, auth-int", "algorithm": "SHA-256",
                                     "nonce": "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                                     "opaque": "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"})
    header = digest_authorization(challenge, "Mufasa", "Circle of Life", "GET", "/dir/index.html", 1,
                                  "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
    assert 'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"' in header
    assert "nc=00000001" in header and 'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"' in header


def test_endpoint_guesses():
    oxigraph = guess_endpoints("http://127.0.0.1:7878/store")
    assert (oxigraph.update, oxigraph.query) == ("http://127.0.0.1:7878/update", "http://127.0.0.1:7878/query")
    graphdb = guess_endpoints("http://h:7200/repositories/kg/rdf-graphs/service")
    assert (graphdb.update, graphdb.query) == ("http://h:7200/repositories/kg/statements",
                                               "http://h:7200/repositories/kg")
    assert guess_endpoints("https://h/sparql-graph-crud-auth").update == "https://h/sparql-auth"
    assert guess_endpoints("https://h:8182/sparql/gsp/").query == "https://h:8182/sparql"
    assert guess_endpoints("https://h/custom/gsp") == guess_endpoints("https://h/custom/gsp", None, None)
    assert guess_endpoints("https://h/custom/gsp").update is None


# ---------------------------------------------------------------------------------------------
# The target dies mid-push: the message says what it holds; --cleanup removes what is left


STAGING = "https://w3id.org/graphkit/graph/staging/"


def staging_on(server) -> list[str]:
    return sorted(g for g in counts(server) if g.startswith(STAGING))


def killed_mid_push(cli, tmp_path, die_on) -> tuple:
    """Push asserted and inferred through a proxy that kills the (writable, persistent) target at
    the request ``die_on(n, seen)`` picks; then start it again on its database. Returns the push's
    result and the restarted server."""
    location = tmp_path / "db"
    target = OxigraphServer(location, read_only=False).start()
    put(target, GRAPH + "asserted", marker(10))
    put(target, GRAPH + "inferred", marker(11))

    def fault(n, seen):
        if die_on(n, seen):
            target.process.kill()                  # SIGKILL: no goodbye
            target.process.wait()
            return "drop"
        return None

    with Proxy(target.base_url, fault=fault) as proxy:
        result = cli("push", "--endpoint", proxy.base_url + "/store", "--only", "asserted", "--only", "inferred",
                     "--retries", "1", "--retry-wait", "0.01", "--timeout", "10")
    target.stop()
    return result, OxigraphServer(location, read_only=False).start()


def still_old(server) -> bool:
    ask = EndpointStore(server.query_url)
    return (ask.query(f"ASK {{ GRAPH <{GRAPH}asserted> {{ ?s ?p '10' }} }}").boolean
            and ask.query(f"ASK {{ GRAPH <{GRAPH}inferred> {{ ?s ?p '11' }} }}").boolean)


@pytest.mark.slow
def test_the_target_dies_before_the_replace(cli, tmp_path):
    updates = []          # the first update drops the access check's staging graph; the second is the replace
    result, restarted = killed_mid_push(cli, tmp_path, lambda n, seen: seen.method == "POST" and seen.path == "/update"
                                        and (updates.append(n) or len(updates) == 2))
    try:
        assert result.code == 3, result
        message = result.err.strip()
        assert len(message.splitlines()) == 1
        assert ("the endpoint cannot be asked what it did: the replace is one transaction, so it holds either all "
                "the previous graphs or all the new ones, and the staging graphs <" + STAGING) in message
        assert "may remain; when it answers again, run `graphkit push --cleanup --endpoint http://127.0.0.1:" in message
        assert still_old(restarted) and len(staging_on(restarted)) == 2      # a full staging copy, as said
        cleaned = cli("push", "--cleanup", "--endpoint", restarted.store_url)
        assert cleaned.code == 0 and cleaned.out.startswith("removed 2 staging graphs"), cleaned
        assert staging_on(restarted) == [] and still_old(restarted)
        assert cli("push", "--cleanup", "--endpoint", restarted.store_url).out == "removed 0 staging graphs\n"
    finally:
        restarted.stop()


@pytest.mark.slow
def test_the_target_dies_during_the_uploads(cli, tmp_path):
    puts = []
    result, restarted = killed_mid_push(cli, tmp_path, lambda n, seen: seen.method == "PUT" and (
        puts.append(n) or len(puts) == 3))        # the access check's triple, asserted, then inferred
    try:
        assert result.code == 3, result
        assert f"uploading graph <{GRAPH}inferred>" in result.err
        assert "nothing was replaced: the endpoint's graphs are as they were; the staging graphs <" in result.err
        assert "remain: when the endpoint answers again, run `graphkit push --cleanup --endpoint" in result.err
        assert still_old(restarted) and len(staging_on(restarted)) == 1      # asserted had been staged
        assert cli("push", "--cleanup", "--endpoint", restarted.store_url).code == 0
        assert staging_on(restarted) == [] and still_old(restarted)
    finally:
        restarted.stop()


def test_a_query_endpoint_given_for_the_graph_store_names_the_graph_store_endpoints_beside_it(cli):
    """A newcomer gave `graphkit serve`'s /query to push and was told to give --update-endpoint."""
    port = free_port()
    result = cli("push", "--endpoint", f"http://127.0.0.1:{port}/query", "--only", "inferred", *FAST)
    assert result.code == 2
    assert result.err == (f"graphkit push: http://127.0.0.1:{port}/query is a SPARQL endpoint; --endpoint takes the "
                          f"Graph Store endpoint, which push writes the graphs to: http://127.0.0.1:{port}/store "
                          f"(Oxigraph) or http://127.0.0.1:{port}/data (Apache Jena Fuseki)?\n")


def test_an_answer_larger_than_any_is_refused_not_read_to_its_end(monkeypatch):
    """A target streaming an answer without end was read until the memory ran out or the
    deadline came: past the limit (here 1 MB) the request fails, naming what it was for."""
    import graphkit.httpdeadline

    monkeypatch.setattr(graphkit.httpdeadline, "MAX_ANSWER_BYTES", 1 << 20)
    with FakeEndpoint(Answer(200, b"", "text/plain", chunks=[b" " * 65536] * 40)) as endpoint:
        client = GraphStoreClient(guess_endpoints(endpoint.url), timeout=10, retries=0)
        with pytest.raises(PushFailed) as failed:
            client.put_graph("https://example.org/g", b"<https://e.org/s> <https://e.org/p> 1 .\n", "uploading")
    assert str(failed.value) == "uploading: the server sent more than 1 MB in one answer"
