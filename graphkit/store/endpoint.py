"""Any SPARQL 1.1 endpoint over HTTP (:class:`EndpointStore`), and a server on this machine asked many
questions on kept-alive connections (:class:`ServerStore`)."""

from __future__ import annotations

import json
import re
import time

import pyoxigraph as ox

from .. import terms
from ..errors import EndpointError, EndpointTimeout, QueryError, StoppedByServer, excerpt, not_http, shorten
from ..iris import GKE, IMPORT_ONTOLOGIES, OWL, known_prefixes, redact_url
from ..sparql import on_users_line, query_form, with_prefixes
from .base import QUERY_TIMEOUT, Store, star_order
from .results import Results


# What Oxigraph's server appends to an answer whose query its timeout stopped, after the status
# 200 and the rows already sent.
CANCELLED = b"The SPARQL operation has been cancelled"


# How much of an error page is read: its excerpt is a line.
_ERROR_BYTES = 64 << 10


# A triple about one of graphkit's entities: what an endpoint holding the release holds.
_AN_ENTITY = f'?e ?p ?o FILTER(STRSTARTS(STR(?e), "{GKE}"))'


class EndpointStore(Store):
    """Any SPARQL 1.1 endpoint over HTTP (SPARQLWrapper), with a timeout and clear errors.

    It only ever sends the ``query`` parameter to the query URL: updates are refused before
    anything is sent, and SPARQLWrapper's own switch to an update request (when it spots an
    update keyword) is turned off. SERVICE clauses are the endpoint's business (it fetches them).
    """

    name = "endpoint"
    allow_service = True
    # The answer formats asked for an ASK query and for a SELECT query, best first (the server
    # behind the pages asks for TSV first: ServerStore).
    ASK_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
    SELECT_RESULTS = ASK_RESULTS

    def __init__(self, url: str, timeout: float | None = QUERY_TIMEOUT, default_graphs: list[str] | None = None):
        if not re.match(r"^https?://", url):
            raise QueryError(f"endpoint URL must start with http:// or https://, got {shorten(url)!r}")
        if redact_url(url) != url:      # read as part of the host name, and printed in every message about it
            raise QueryError(f"endpoint {redact_url(url)}: credentials in the URL are not sent; the URL is shown in "
                             "messages, so give it without them")
        self.url = url
        self.timeout = timeout
        self.default_graphs = list(default_graphs or [])
        self.server = ""        # the HTTP Server header of the last answer (which engine it is)

    def _wrapper(self, sparql: str, form: str, accept: str, deadline: float | None):
        # Imported here: only --endpoint needs it, and it adds ~35 ms (measured) to every
        # command that opens the embedded store.
        from SPARQLWrapper import POST, SPARQLWrapper

        class QueryOnly(SPARQLWrapper):
            def isSparqlUpdateRequest(self) -> bool:       # noqa: N802 (SPARQLWrapper's name)
                return False

            def _query(self):
                # SPARQLWrapper's own, but without following redirects: urllib turned the POST into
                # a GET without the query, so another URL's page was printed as the endpoint's answer.
                # HTTP errors are raised as urllib's, which EndpointStore._run reads. The deadline
                # bounds the whole exchange: the socket's timeout alone bounded each read.
                return _opener(deadline).open(self._createRequest()), self.returnFormat

        wrapper = QueryOnly(self.url)
        wrapper.setMethod(POST)
        wrapper.setQuery(sparql)
        wrapper.queryType = form
        wrapper.setOnlyConneg(True)
        wrapper.addCustomHttpHeader("Accept", accept)
        for graph in self.default_graphs:
            wrapper.addDefaultGraph(graph)
        return wrapper

    def _run(self, sparql: str, form: str, accept: str) -> tuple[bytes, str]:
        # Imported here, with SPARQLWrapper (see _wrapper): only an endpoint needs the HTTP client.
        import http.client
        import socket
        import urllib.error

        deadline = self._deadline()
        try:
            answer = self._wrapper(sparql, form, accept, deadline).query().response
            with answer:        # closed when read, or when the deadline cut it off
                body = self._read_answer(answer)
            self.server = answer.headers.get("Server", "")
            return body, answer.headers.get("Content-Type", "")
        except http.client.HTTPException as exc:     # IncompleteRead: the server broke off its answer
            raise self._broke_off(exc) from None
        except urllib.error.HTTPError as exc:
            detail = excerpt(exc.read(_ERROR_BYTES)) if hasattr(exc, "read") else ""
            if exc.code == 400:
                raise QueryError(f"the endpoint {self.url} rejected the query (HTTP 400): {detail}") from None
            if 300 <= exc.code < 400 and exc.headers.get("Location"):
                raise self._redirected(exc.code, exc.reason, exc.headers["Location"]) from None
            raise EndpointError(f"endpoint {self.url} answered HTTP {exc.code} {exc.reason}"
                                + (f": {detail}" if detail else "")) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (socket.timeout, TimeoutError)):
                raise self._timed_out() from None
            raise self._unreachable(exc.reason) from None
        except (socket.timeout, TimeoutError):
            raise self._timed_out() from None
        except OSError as exc:
            raise self._unreachable(exc) from None

    def _read_answer(self, response) -> bytes:
        from ..httpdeadline import AnswerTooLarge, read_body      # as the HTTP client: only an endpoint needs it

        try:
            return read_body(response)
        except AnswerTooLarge as exc:
            raise EndpointError(f"endpoint {self.url} sent more than {exc.args[0] >> 20} MB for one answer; ask "
                                "for less (LIMIT, fewer variables), or export it with the endpoint's own tools") from None

    # The transport's failures, in the same words for every way of reaching an endpoint.


    def _unreachable(self, reason) -> EndpointError:
        return EndpointError(f"endpoint {self.url} is unreachable: {reason}")

    def _deadline(self) -> float | None:
        """When an answer must be in (``time.monotonic()``), or None for no limit."""
        return None if self.timeout is None else time.monotonic() + self.timeout

    def _redirected(self, status: int, reason: str, location: str) -> EndpointError:
        return EndpointError(f"endpoint {self.url} answered HTTP {status} {reason}, a redirect to "
                             f"{shorten(redact_url(location))}; a query goes only to the URL given: give that one "
                             "if it is the endpoint")

    def _timed_out(self) -> EndpointTimeout:
        return EndpointTimeout(f"endpoint {self.url} did not answer within {self.timeout:g} s")

    def _broke_off(self, exc: Exception) -> EndpointError:
        import http.client

        if isinstance(exc, http.client.BadStatusLine):     # no answer cut short: no HTTP at all
            return EndpointError(f"endpoint {self.url} {not_http(exc)}: is it a SPARQL endpoint's URL?")
        return EndpointError(f"endpoint {self.url} broke off its answer ({exc.__class__.__name__}); "
                             f"a server's query timeout does that to a large answer")

    def require_entities(self) -> None:
        """An :class:`EndpointError` when the default graph the endpoint's queries read holds none
        of graphkit's entities: every catalogue query then finds nothing, and each entity named
        (a parameter's default too) is "no entity with id ..." without a word about the store."""
        if self._holds(_AN_ENTITY):
            return
        if self.default_graphs and self._holds(_AN_ENTITY, graphs=[]):
            # the release loaded into the endpoint's own default graph, and graphs named on top of it
            raise EndpointError(f"endpoint {self.url} holds none of graphkit's entities in the graphs given as its "
                                f"default graph ({self._named_graphs()}), but its own default graph holds them: "
                                "leave out --default-graph and --release-graphs")
        raise EndpointError(f"endpoint {self.url} holds none of graphkit's entities in {self._read()}: load "
                            "ontology/all.ttl and ontology/imports/*.ttl into it, or, where the release is in "
                            "named graphs (graphkit dump or push), make their union its default graph or give "
                            "--release-graphs")

    def require_imports(self) -> None:
        """An :class:`EndpointError` when the endpoint's default graph holds none of the release's
        import modules (``ontology/imports/*.ttl``, each with its ontology header): an HPO term or
        ICD-10 code asked for was otherwise "in neither the import modules nor an external
        ontology" (exit 2, advice to load an external ontology) about a term the release holds."""
        if not self._holds(f'?module a <{OWL}Ontology> FILTER(STRSTARTS(STR(?module), "{IMPORT_ONTOLOGIES}"))'):
            remedy = ("name their graphs too (--release-graphs names every graph of the release)" if self.default_graphs
                      else "load ontology/imports/*.ttl into it beside ontology/all.ttl")
            raise EndpointError(f"endpoint {self.url} holds none of graphkit's import modules in {self._read()}: "
                                f"{remedy} (the HPO, MONDO, DOID and ICD-10 terms and hierarchies the catalogue reads)")

    def term_not_held(self, curie: str) -> str:
        """:meth:`Store.term_not_held` as the endpoint holds it: an :class:`EndpointError` when it
        holds no import module (:meth:`require_imports`); else the term is in neither those it holds
        nor an ontology loaded into it, which ``graphkit load-external`` alone does not do (it adds
        the ontology to the embedded store: the advice had been that, for an endpoint)."""
        self.require_imports()
        return (f"{curie} is not in endpoint {self.url}: {self._read()} holds graphkit's import modules (the terms "
                "the graph uses and their ancestors), not the whole ontology: load the ontology into the endpoint "
                "(or `graphkit load-external FILE`, then `graphkit push --include-external`)")

    def _holds(self, pattern: str, graphs: list[str] | None = None) -> bool:
        """Whether the default graph (``graphs`` sent as it, else this store's) matches ``pattern``."""
        asked = self if graphs is None else type(self)(self.url, self.timeout, graphs)
        return bool(asked.query(f"ASK {{ {pattern} }}").boolean)

    def _read(self) -> str:
        return f"the graphs given as its default graph ({self._named_graphs()})" if self.default_graphs \
            else "its default graph"

    def _named_graphs(self) -> str:
        shown = ", ".join(f"<{g}>" for g in self.default_graphs[:2])
        more = len(self.default_graphs) - 2
        return shown + (f" and {more} more" if more > 0 else "")

    def query(self, sparql) -> Results:
        text = self._read_only(sparql)
        sent = with_prefixes(text, known_prefixes())
        try:
            return self._answer_to(sent)
        except QueryError as exc:       # a syntax error's columns, as the user wrote the query
            raise QueryError(on_users_line(str(exc), len(sent) - len(text))) from None

    def _answered(self, sparql: str, form: str, accept: str) -> tuple[bytes, str]:
        """The body and content type of the answer (:meth:`_run`), once it is known not to be one
        the server stopped at its query timeout: Oxigraph sends such rows with status 200 and its
        error text after them, which had been read as a malformed answer (HTTP 502 on a page)."""
        body, ctype = self._run(sparql, form, accept)
        if body.rstrip().endswith(CANCELLED):
            raise StoppedByServer(f"endpoint {self.url} stopped the query at its own query timeout "
                                  f"({CANCELLED.decode()})")
        return body, ctype

    def _answer_to(self, sparql: str) -> Results:
        form = query_form(sparql)
        if form in ("CONSTRUCT", "DESCRIBE"):
            body, ctype = self._answered(sparql, form, "application/n-triples, text/turtle;q=0.9")
            try:        # pyoxigraph's parser: rdflib's took 80 ms for an entity's 900 triples (measured)
                triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES if "n-triples" in ctype.lower()
                                        else ox.RdfFormat.TURTLE))
            except (SyntaxError, ValueError):
                raise EndpointError(f"endpoint {self.url} did not return RDF ({ctype or 'no Content-Type'}): "
                                    f"{excerpt(body) or 'an empty answer'}") from None
            return Results("graph", triples=triples)
        body, ctype = self._answered(sparql, form, self.SELECT_RESULTS if form == "SELECT" else self.ASK_RESULTS)
        if "sparql-results+xml" in ctype.lower():      # an endpoint that answers only XML (SPARQL 1.0's format)
            return self._xml_results(body, ctype, sparql)
        if "tab-separated-values" in ctype.lower():
            return self._tsv_results(body, ctype, sparql)
        try:
            data = json.loads(body)
            if "boolean" in data:
                return Results("ask", boolean=bool(data["boolean"]))
            variables = list(data.get("head", {}).get("vars", []))
            order = star_order(variables, sparql)
            variables = [variables[i] for i in order] if order else variables
            memo: dict = {}
            iris = self._iris()
            rows = [{v: terms.from_json(b[v], memo, iris) for v in variables if v in b}
                    for b in data["results"]["bindings"]]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise EndpointError(f"endpoint {self.url} did not return SPARQL JSON results "
                                f"({ctype or 'no Content-Type'}): {excerpt(body) or 'an empty answer'}") from None
        return Results("select", variables=variables, rows=rows)

    def _iris(self) -> dict | None:
        """An IRI as an answer writes it -> its rdflib term, kept from answer to answer; None: each
        answer makes its own."""
        return None

    def _tsv_results(self, body: bytes, ctype: str, sparql: str) -> Results:
        """SPARQL 1.1 Query Results TSV: a line of variables, then a line of terms a row (an
        unbound one empty), each cell read once an answer (an IRI once for every answer, where
        the store keeps them: :meth:`_iris`)."""
        memo: dict = {}
        iris = self._iris()
        iris = memo if iris is None else iris
        try:
            head, *lines = body.decode("utf-8").removesuffix("\n").split("\n")
            variables = [name[1:] for name in head.split("\t")] if head else []
            rows = []
            for line in lines:          # an empty line is a row too: its one variable (or none) unbound
                row = {}
                for name, cell in zip(variables, line.split("\t") if variables else [], strict=True):
                    if cell:
                        table = iris if cell.startswith("<") else memo
                        found = table.get(cell)
                        if found is None:
                            found = table[cell] = terms.from_tsv(cell)
                        row[name] = found
                rows.append(row)
        except (ValueError, KeyError):
            raise EndpointError(f"endpoint {self.url} did not return SPARQL TSV results ({ctype}): "
                                f"{excerpt(body) or 'an empty answer'}") from None
        order = star_order(variables, sparql)
        return Results("select", variables=[variables[i] for i in order] if order else variables, rows=rows)

    def _xml_results(self, body: bytes, ctype: str, sparql: str) -> Results:
        """SPARQL Query Results XML, read by pyoxigraph (which expands no entity a document
        declares: an answer cannot make its reader fetch a file or grow without end)."""
        try:
            answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
            if isinstance(answer, ox.QueryBoolean):
                return Results("ask", boolean=bool(answer))
            variables = [variable.value for variable in answer.variables]
            memo: dict = {}
            rows = [{name: terms.from_oxigraph(solution[name], memo) for name in variables
                     if solution[name] is not None} for solution in answer]
        except (SyntaxError, ValueError):
            raise EndpointError(f"endpoint {self.url} did not return SPARQL XML results ({ctype}): "
                                f"{excerpt(body) or 'an empty answer'}") from None
        order = star_order(variables, sparql)
        return Results("select", variables=[variables[i] for i in order] if order else variables, rows=rows)


class ServerStore(EndpointStore):
    """A SPARQL server on this machine that one process asks many questions (the Oxigraph server
    behind ``graphkit serve``'s pages): plain HTTP on kept-alive connections, one per query in
    flight, reused, instead of SPARQLWrapper's new connection for every query (measured on the
    served graph: ``ASK {}`` in 0.7 ms instead of 1.5 ms, half the client's CPU time). Answers and
    errors as :class:`EndpointStore`'s."""

    name = "server"
    # The IRIs of its answers, each made once (:meth:`_iris`) until it holds this many.
    IRIS_KEPT = 100_000
    # TSV first: Oxigraph writes it in less time than JSON, and the pages read it in a third of the
    # time (childhood ALL's edges: 3.75 against 4.75 ms of the server's, 2.1 against 6.2 ms to read;
    # measured).
    SELECT_RESULTS = ("text/tab-separated-values, application/sparql-results+json;q=0.9, "
                      "application/sparql-results+xml;q=0.8")

    def __init__(self, url: str, timeout: float = QUERY_TIMEOUT, default_graphs: list[str] | None = None):
        super().__init__(url, timeout, default_graphs)
        import urllib.parse

        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise QueryError(f"a server store takes an http:// URL of a local server, got {shorten(url)!r}")
        self._address = (parts.hostname, parts.port or 80)
        # The query is the body, as it is (SPARQL's "query via POST directly"): form-encoding the
        # text took the client 0.4 ms for a query naming 150 evidence nodes (measured). The
        # default graphs are parameters of the URL.
        graphs = urllib.parse.urlencode([("default-graph-uri", g) for g in self.default_graphs])
        self._target = (parts.path or "/") + (f"?{graphs}" if graphs else "")
        self._idle: list = []           # connections no query is using, to reuse (list.pop/append are atomic)
        self._made: dict = {}           # an IRI as an answer writes it -> its rdflib term (:meth:`_iris`)

    def _run(self, sparql: str, form: str, accept: str) -> tuple[bytes, str]:
        import http.client
        import socket

        from ..httpdeadline import BoundedHTTPConnection

        body = sparql.encode("utf-8")
        headers = {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept}
        deadline = self._deadline()
        while True:
            try:
                connection, reused = self._idle.pop(), True
            except IndexError:
                connection, reused = BoundedHTTPConnection(*self._address), False
            connection.deadline = deadline      # connecting, sending, the headers and the body, all by then
            try:
                connection.request("POST", self._target, body, headers)
                response = connection.getresponse()
                data = self._read_answer(response)
            except (ConnectionError, http.client.RemoteDisconnected, http.client.CannotSendRequest) as exc:
                connection.close()
                if reused:              # the server closed an idle connection meanwhile: ask on another
                    continue
                raise self._unreachable(exc) from None
            except (socket.timeout, TimeoutError):
                connection.close()
                raise self._timed_out() from None
            except http.client.HTTPException as exc:
                connection.close()
                raise self._broke_off(exc) from None
            except OSError as exc:
                connection.close()
                raise self._unreachable(exc) from None
            except EndpointError:           # too large: the rest of the answer is never read
                connection.close()
                raise
            if response.will_close:
                connection.close()
            else:
                self._idle.append(connection)
            self.server = response.getheader("Server", "")
            if response.status == 400:
                raise QueryError(f"the endpoint {self.url} rejected the query (HTTP 400): {excerpt(data)}")
            if 300 <= response.status < 400 and response.getheader("Location"):
                raise self._redirected(response.status, response.reason, response.getheader("Location"))
            if response.status != 200:
                raise EndpointError(f"endpoint {self.url} answered HTTP {response.status} {response.reason}"
                                    + (f": {excerpt(data)}" if data else ""))
            return data, response.getheader("Content-Type", "")

    def _iris(self) -> dict:
        """The IRIs of every answer (by their text as the answer writes them), each made once: the
        pages ask the same release's IRIs again and again (childhood ALL's page made 2,000 terms a
        request), and rdflib compares two equal terms that are not one object in Python (5,000
        times a request for that page). Emptied before an answer when it holds more than
        :data:`IRIS_KEPT` (the editor's queries may make new IRIs without end; one answer's IRIs
        are all kept until the next)."""
        if len(self._made) > self.IRIS_KEPT:
            self._made.clear()
        return self._made

    def term_not_held(self, curie: str) -> str:
        # The server graphkit serve started holds this project's import modules and external
        # ontologies: what adds a term to it is what adds one to the embedded store.
        return Store.term_not_held(self, curie)

    def close(self) -> None:
        """Close the idle connections (a query still running keeps its own until it ends)."""
        while self._idle:
            self._idle.pop().close()


def _opener(deadline: float | None):
    """An HTTP client (urllib's opener) that follows no redirect (a 3xx is an HTTPError) and
    connects, sends and reads the whole answer by ``deadline`` (``time.monotonic()``; None: no limit)."""
    import urllib.request

    from ..httpdeadline import bounded_opener

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            return None

    return bounded_opener(deadline, NoRedirects)
