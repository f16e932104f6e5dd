"""Upload the graph to any SPARQL 1.1 Graph Store HTTP Protocol endpoint (``graphkit push``).

Each named graph of the release (schema, asserted, provenance, inferred, imports/*; external/*
on request) replaces the graph of the same IRI on the endpoint, or everything goes into one
graph (``--graph IRI``). The replacement is safe against a failure part-way:

1. every graph is uploaded (HTTP PUT ``?graph=``) to a *staging* graph of its own
   (``https://w3id.org/graphkit/graph/staging/<run>/<n>``) and its triple count is checked there;
2. only when all staging graphs are complete, one SPARQL Update request moves them onto their
   targets (``MOVE <staging> TO <target> ; ...``), which Oxigraph, Fuseki, GraphDB/RDF4J and
   Neptune run as one transaction (the endpoint has either all the old graphs or all the new
   ones); Virtuoso does not document it so, and a failure inside it is reported graph by graph
   (:attr:`Endpoints.one_transaction`);
3. the targets' triple counts are checked again (SPARQL ``COUNT``, or the graph read back with
   GET when no query endpoint is known).

A failure before step 2 drops the staging graphs and leaves the endpoint's graphs as they were,
naming the graph that failed. Every failure says what the endpoint holds afterwards; staging
graphs that could not be dropped (the endpoint went away) are named, and :func:`cleanup`
(``graphkit push --cleanup``) removes them later. Each attempt at a request is held to one deadline,
``timeout`` seconds for connecting, sending the body and reading the whole answer
(:mod:`graphkit.httpdeadline`), and connection errors, timeouts, 5xx and 429 answers are retried a
bounded number of times with exponential backoff.

Credentials come from ``GRAPHKIT_ENDPOINT_TOKEN`` (a bearer token), from
``GRAPHKIT_ENDPOINT_USER`` + ``GRAPHKIT_ENDPOINT_PASSWORD``, or from ``~/.netrc`` (``$NETRC``)
for the endpoint's host, in that order. They are never printed, logged or put in error messages
(messages are scrubbed of them), never sent to another host (redirects are refused), and not
accepted inside the URL. How they are sent is the server's choice, read from its
``WWW-Authenticate`` challenge: before any graph is sent, push uploads one triple to a staging
graph without credentials and drops it again; a server that answers 401 names the schemes it
takes, and push answers with HTTP Digest (RFC 7616, preferred: the password never travels),
Basic or a bearer token, then repeats the small request with them. Virtuoso's ``-auth``
endpoints take Digest only (Basic credentials get a 401 without a challenge), and a refused
password is explained from the challenge, all before a large body is sent.

>>> guess_endpoints("http://localhost:3030/ds/data").update
'http://localhost:3030/ds/update'
>>> redact_url("https://alice:s3cret@db.example.org/store")
'https://***@db.example.org/store'
"""

from __future__ import annotations

import base64
import http.client
import json
import netrc
import os
import re
import secrets
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from .errors import CheckFailed, EndpointError, GraphkitError, excerpt, not_http
from .iris import RDFS, redact_url
from .httpauth import Challenge, asks, digest_authorization, parse_challenges
from .httpdeadline import AnswerTooLarge, PlainHTTPServer, bounded_opener, read_body
from .namespaces import GKG
from .output import counted
from .project import Project
from .store import OxigraphStore

ENV_USER = "GRAPHKIT_ENDPOINT_USER"
ENV_PASSWORD = "GRAPHKIT_ENDPOINT_PASSWORD"
ENV_TOKEN = "GRAPHKIT_ENDPOINT_TOKEN"
RETRY_STATUS = {408, 429, 500, 502, 503, 504}


# ---------------------------------------------------------------------------------------------
# Endpoints and credentials


@dataclass(frozen=True)
class Endpoints:
    store: str                 # Graph Store Protocol
    update: str | None         # SPARQL 1.1 Update
    query: str | None          # SPARQL 1.1 Query (for counts)
    server: str = ""           # the server guessed from the path ("" when unknown)
    one_transaction: bool | None = None   # whether it documents one update request as one transaction


# Graph Store path -> (update path, query path, server, one update request = one transaction) of the
# servers we know. Oxigraph (tested), Fuseki (TDB2), GraphDB/RDF4J and Neptune document an update
# request as one transaction; Virtuoso's SPARQL endpoint does not.
_KNOWN = [
    (r"/store$", "/update", "/query", "Oxigraph", True),
    (r"/data$", "/update", "/query", "Apache Jena Fuseki", True),
    (r"/rdf-graphs/service$", "/statements", "", "GraphDB / RDF4J", True),
    (r"/sparql-graph-crud-auth$", "/sparql-auth", "/sparql-auth", "Virtuoso", False),
    (r"/sparql-graph-crud$", "/sparql", "/sparql", "Virtuoso", False),
    (r"/sparql/gsp/?$", "/sparql", "/sparql", "Amazon Neptune", True),
]


def guess_endpoints(store: str, update: str | None = None, query: str | None = None) -> Endpoints:
    """The update and query endpoints beside a Graph Store endpoint, where the server is known.
    A URL with credentials in it is refused: they would be printed and logged with it."""
    for url in filter(None, (store, update, query)):
        if redact_url(url) != url:
            raise GraphkitError(f"{redact_url(url)}: put credentials in {ENV_USER} and {ENV_PASSWORD}, {ENV_TOKEN} "
                                f"or ~/.netrc, not in the URL")
    parts = urllib.parse.urlsplit(store)
    for pattern, update_path, query_path, server, atomic in _KNOWN:
        if re.search(pattern, parts.path):
            base = re.sub(pattern, "", parts.path)
            make = lambda p: urllib.parse.urlunsplit(parts._replace(path=base + p, query=""))  # noqa: E731
            return Endpoints(store, update or make(update_path), query or make(query_path), server, atomic)
    return Endpoints(store, update, query)


def graph_store_hint(url: str) -> str:
    """For a ``--endpoint`` that ends as a known server's query or update endpoint does: the Graph
    Store endpoints beside it that push writes to (a user gave ``graphkit serve``'s ``/query``).

    >>> graph_store_hint("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/query is a SPARQL endpoint; --endpoint takes the Graph Store endpoint, which push writes the graphs to: http://127.0.0.1:7878/store (Oxigraph) or http://127.0.0.1:7878/data (Apache Jena Fuseki)?'
    >>> graph_store_hint("http://127.0.0.1:7878/graphs")
    ''
    """
    parts = urllib.parse.urlsplit(url)
    found = []
    for pattern, update_path, query_path, server, _ in _KNOWN:
        for path in dict.fromkeys(p for p in (update_path, query_path) if p):
            if parts.path.endswith(path):
                store_path = re.sub(r"/\?\$$|\$$", "", pattern)
                found.append(f"{urllib.parse.urlunsplit(parts._replace(path=parts.path[:-len(path)] + store_path))} "
                             f"({server})")
    if not found:
        return ""
    return (f"{redact_url(url)} is a SPARQL endpoint; --endpoint takes the Graph Store endpoint, which push "
            f"writes the graphs to: {' or '.join(dict.fromkeys(found))}?")


@dataclass(frozen=True)
class Credentials:
    source: str = "none"                                      # where they came from (safe to print)
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    @property
    def basic(self) -> str | None:
        if not (self.user and self.password):
            return None
        return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()

    @property
    def header(self) -> str | None:
        """The Authorization header sent without a challenge: the bearer token, else Basic."""
        return f"Bearer {self.token}" if self.token else self.basic

    @property
    def secrets(self) -> tuple[str, ...]:
        """Strings scrubbed from every message."""
        basic = self.basic
        return tuple(s for s in (self.token, self.password, basic and basic.split(" ", 1)[1]) if s)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


def credentials_for(url: str, environ=None) -> Credentials:
    """Credentials for ``url`` from the environment or netrc (see the module documentation)."""
    environ = os.environ if environ is None else environ
    token = environ.get(ENV_TOKEN)
    if token:
        return Credentials(ENV_TOKEN, token=token)
    user, password = environ.get(ENV_USER), environ.get(ENV_PASSWORD)
    if user or password:
        if not (user and password):
            raise GraphkitError(f"set both {ENV_USER} and {ENV_PASSWORD} (or neither)")
        return Credentials(f"{ENV_USER}/{ENV_PASSWORD}", user, password)
    host = urllib.parse.urlsplit(url).hostname or ""
    path = Path(environ.get("NETRC") or Path.home() / ".netrc")
    if path.exists():
        try:
            entry = netrc.netrc(str(path)).authenticators(host)
        except (netrc.NetrcParseError, OSError) as exc:
            # The parser's message can quote the file's lines: say only where the problem is.
            line = getattr(exc, "lineno", None)
            raise GraphkitError(f"cannot read {path}{f' (line {line})' if line else ''}: "
                                f"{exc.__class__.__name__}") from None
        if entry and entry[0] and entry[2]:
            return Credentials(f"{path} ({host})", entry[0], entry[2])
    return Credentials()


# ---------------------------------------------------------------------------------------------
# HTTP with timeouts, retries and no redirects


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, f"redirected to {redact_url(newurl)} (give that URL "
                                     f"instead; credentials are not sent on redirects)", headers, fp)


class PushFailed(EndpointError):
    """The endpoint failed or refused a request (exit code 3); ``status`` is the HTTP status of a
    refusal (None when the request broke off or timed out, so it may have had an effect);
    ``reached``: whether any attempt may have reached the server (not when every connection was
    refused or the host is unknown)."""

    def __init__(self, message: str, status: int | None = None, reached: bool = True):
        super().__init__(message)
        self.status = status
        self.reached = reached


@dataclass
class GraphStoreClient:
    endpoints: Endpoints
    credentials: Credentials = field(default_factory=Credentials)
    timeout: float = 60.0             # seconds for each attempt at a request, its whole answer read
    retries: int = 3
    retry_wait: float = 0.5
    graph_param: str = "graph"
    content_type: str = "application/n-triples"
    log: Callable[[str], None] = lambda message: None

    def __post_init__(self):
        self.scheme: str | None = None          # how credentials go, once the server asked: basic, bearer, digest
        self._digest: Challenge | None = None
        self._digest_count = 0
        self._challenges: list[Challenge] = []

    def _fail(self, message: str, status: int | None = None, reached: bool = True) -> PushFailed:
        return PushFailed(self.credentials.redact(message), status, reached)

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict | None = None,
                what: str = "request", retry: bool = True) -> bytes:
        """The body of a 2xx answer; retries connection errors, timeouts, 5xx and 429 (unless not
        ``retry``: a request that must not run twice). Nothing is sent with credentials until the
        server asks (401, or 403 when there are some): then the request is repeated as its
        challenge says (see :meth:`_answer_challenge`)."""
        attempts, attempt, answered = (self.retries + 1 if retry else 1), 1, 0
        reached = False                 # whether an attempt may have got to the server
        while True:
            sent = dict(headers or {})
            authorization = self._authorization(method, url)
            if authorization:
                sent["Authorization"] = authorization
            request = urllib.request.Request(url, data=body, method=method, headers=sent)
            # One deadline for the attempt: connecting, sending the body, the headers and the whole
            # answer (a socket timeout alone bounds each read, which a server dribbling bytes renews).
            opener = bounded_opener(time.monotonic() + self.timeout, _NoRedirect)
            try:
                with opener.open(request) as response:
                    return read_body(response)
            except AnswerTooLarge as exc:
                raise self._fail(f"{what}: the server sent more than {exc.args[0] >> 20} MB in one answer") from None
            except urllib.error.HTTPError as exc:
                detail = _error_body(exc)
                if exc.code in (401, 403) and answered < 2 and self._answer_challenge(exc, what):
                    answered += 1
                    continue
                if exc.code == 401 and self.scheme is not None:
                    raise self._fail(self._refused(what, self._challenges), 401) from None
                if exc.code in RETRY_STATUS and attempt < attempts:
                    reason = f"HTTP {exc.code}"
                else:
                    raise self._fail(self._http_message(exc.code, exc.reason, detail, what), exc.code) from None
            except (urllib.error.URLError, http.client.HTTPException, ConnectionError, socket.timeout,
                    TimeoutError, OSError) as exc:
                reason = _connection_reason(exc, self.timeout)
                cause = getattr(exc, "reason", exc)
                # refused, no such host, or a server that answers plain HTTP to an https:// URL
                # (asked before any byte of the request): nothing got there
                reached = reached or not isinstance(cause, (ConnectionRefusedError, socket.gaierror, PlainHTTPServer))
                if attempt >= attempts or isinstance(cause, PlainHTTPServer):      # no retry mends a wrong scheme
                    raise self._fail(f"{what}: {reason} (after {attempt} attempt{'s' if attempt > 1 else ''})",
                                     reached=reached) from None
            wait = self.retry_wait * 2 ** (attempt - 1)
            self.log(f"  {what}: {reason}; retrying in {wait:g} s ({attempt}/{self.retries})")
            time.sleep(wait)
            attempt += 1

    def _authorization(self, method: str, url: str) -> str | None:
        if self.scheme == "digest":
            self._digest_count += 1
            parts = urllib.parse.urlsplit(url)
            uri = parts.path + (f"?{parts.query}" if parts.query else "")
            return digest_authorization(self._digest, self.credentials.user, self.credentials.password, method, uri,
                                        self._digest_count)
        if self.scheme == "bearer":
            return f"Bearer {self.credentials.token}"
        if self.scheme == "basic":
            return self.credentials.basic
        return None

    def _answer_challenge(self, exc: urllib.error.HTTPError, what: str) -> bool:
        """Choose how to send the credentials from the server's 401 (or 403) answer; True to repeat
        the request that way. Raises, explaining the challenge, when credentials cannot help."""
        challenges = parse_challenges((exc.headers.get_all("WWW-Authenticate") or []) if exc.headers else [])
        offered = {c.scheme: c for c in challenges}
        credentials = self.credentials
        self._challenges = challenges
        if exc.code == 403:                  # some servers forbid what they would allow a known user
            if self.scheme is not None or not credentials.header:
                return False
            self.scheme = "bearer" if credentials.token else "basic"
            return True
        digest = offered.get("digest")
        if self.scheme == "digest" and digest and digest.params.get("nonce") != self._digest.params.get("nonce"):
            self._digest, self._digest_count = digest, 0       # a new nonce (stale, or another endpoint's): once
            return True
        if self.scheme is not None:
            raise self._fail(self._refused(what, challenges), 401)
        wanted = asks(challenges)
        if not (credentials.token or credentials.basic):
            raise self._fail(f"{what}: the endpoint requires authentication (HTTP 401): set {ENV_USER} and "
                             f"{ENV_PASSWORD} (or {ENV_TOKEN}), or add its host to ~/.netrc; it asks for {wanted}", 401)
        if credentials.token:
            if "bearer" in offered or not challenges:
                self.scheme = "bearer"
                return True
            raise self._fail(f"{what}: the endpoint asks for {wanted}, not a bearer token ({credentials.source}): "
                             f"set {ENV_USER} and {ENV_PASSWORD} instead", 401)
        if digest:
            self.scheme, self._digest, self._digest_count = "digest", digest, 0
            digest_authorization(digest, "", "", "GET", "/", 1)        # an algorithm push cannot answer fails here
            return True
        if "basic" in offered or not challenges:
            self.scheme = "basic"
            return True
        raise self._fail(f"{what}: the endpoint asks for {wanted}, which a user and password cannot answer "
                         f"(a bearer token goes in {ENV_TOKEN})", 401)

    def _refused(self, what: str, challenges: list[Challenge]) -> str:
        message = (f"{what}: the endpoint refused the credentials from {self.credentials.source}, sent as "
                   f"HTTP {self.scheme.capitalize()} (HTTP 401; it asks for {asks(challenges)})")
        if self.scheme == "basic" and not challenges:
            message += ("; a 401 without a challenge to Basic credentials is how Virtuoso's -auth endpoints refuse "
                        "them: they take HTTP Digest")
        return message + "; check the user name and password"

    @property
    def authentication(self) -> str:
        """How requests are authenticated, once the first one has been answered (safe to print)."""
        if self.scheme is None:
            return "none (the endpoint did not ask)"
        challenge = self._digest if self.scheme == "digest" else next(
            (c for c in self._challenges if c.scheme == self.scheme), None)
        return challenge.describe() if challenge else f"HTTP {self.scheme.capitalize()}"

    def _http_message(self, code: int, reason: str, detail: str, what: str) -> str:
        if code == 403:
            return (f"{what}: forbidden (HTTP 403{': ' + detail if detail else ''}); the account may not have "
                    f"write access, or the server is read-only")
        return f"{what}: HTTP {code} {reason}{': ' + detail if detail else ''}"

    def graph_url(self, base: str, graph: str) -> str:
        joiner = "&" if "?" in base else "?"
        return f"{base}{joiner}{urllib.parse.urlencode({self.graph_param: graph})}"

    def put_graph(self, graph: str, data: bytes, what: str) -> None:
        self.request("PUT", self.graph_url(self.endpoints.store, graph), data,
                     {"Content-Type": self.content_type}, what)

    def update(self, sparql: str, what: str, retry: bool = True) -> None:
        if not self.endpoints.update:
            raise GraphkitError("no SPARQL update endpoint: give --update-endpoint URL")
        self.request("POST", self.endpoints.update, urllib.parse.urlencode({"update": sparql}).encode(),
                     {"Content-Type": "application/x-www-form-urlencoded"}, what, retry)

    def select(self, sparql: str, what: str) -> bytes:
        """The answer, as SPARQL 1.1 Query Results JSON, of a query to the query endpoint."""
        return self.request("POST", self.endpoints.query, urllib.parse.urlencode({"query": sparql}).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded",
                             "Accept": "application/sparql-results+json"}, what)

    def count(self, graph: str, what: str) -> int:
        """Triples in ``graph`` on the endpoint (0 when it does not exist)."""
        if self.endpoints.query:
            body = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", what)
            try:
                bindings = json.loads(body)["results"]["bindings"]
                return int(bindings[0]["n"]["value"]) if bindings else 0
            except (ValueError, KeyError, IndexError):
                raise self._fail(f"{what}: the query endpoint did not return a count: {excerpt(body)}") from None
        return self._count_by_get(graph, what)

    def _count_by_get(self, graph: str, what: str) -> int:
        try:
            body = self.request("GET", self.graph_url(self.endpoints.store, graph),
                                headers={"Accept": "application/n-triples"}, what=what)
        except PushFailed as exc:
            if "HTTP 404" in str(exc):
                return 0
            raise
        try:
            return len(set(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)))
        except SyntaxError as exc:
            raise self._fail(f"{what}: the graph read back is not N-Triples: {exc}") from None


def _error_body(exc: urllib.error.HTTPError) -> str:
    try:
        return excerpt(exc.read(2000))       # its start: read whole, an endless error page never ended
    except Exception:  # the body may be unreadable after a broken connection
        return ""


def _connection_reason(exc: Exception, timeout: float) -> str:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, (socket.timeout, TimeoutError)) or isinstance(exc, (socket.timeout, TimeoutError)):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running, and is the URL right?)"
    if isinstance(reason, socket.gaierror):
        return f"unknown host ({reason.strerror})"
    if isinstance(exc, (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
                        http.client.IncompleteRead)) or isinstance(reason, (ConnectionResetError, BrokenPipeError)):
        return "the connection was closed by the server before the request completed"
    if isinstance(exc, http.client.HTTPException) or isinstance(reason, http.client.HTTPException):
        # BadStatusLine: its bytes had been printed as they came, the message broken over two lines
        return f"the server {not_http(reason)}"
    return f"unreachable: {' '.join(str(reason).split())}"


# ---------------------------------------------------------------------------------------------
# The graphs and the push


@dataclass
class GraphUpload:
    target: str
    data: bytes
    triples: int
    staging: str = ""
    status: str = "pending"


def release_graphs(project: Project, include_external: bool = False, single: str | None = None,
                   only: list[str] | None = None) -> list[GraphUpload]:
    """The graphs to push, as N-Triples: each named graph of the release (``only`` those whose
    IRI ends with one of the names), or all of them as one graph ``single``."""
    store = OxigraphStore.from_project(project, include_external=include_external)
    names = store.graph_names()
    if only:
        wanted = {n.strip("/") for n in only}
        unknown = wanted - {n.rsplit("/graph/", 1)[-1] for n in names}
        if unknown:
            choices = ", ".join(n.rsplit("/graph/", 1)[-1] for n in names)
            raise GraphkitError(f"no graph named {', '.join(sorted(unknown))}; the graphs: {choices}")
        names = [n for n in names if n.rsplit("/graph/", 1)[-1] in wanted]
    uploads = []
    for name in names:
        data = store.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        uploads.append(GraphUpload(name, data, data.count(b"\n")))
    if single:
        lines = sorted({line for u in uploads for line in u.data.splitlines() if line})
        data = b"\n".join(lines) + b"\n" if lines else b""
        return [GraphUpload(single, data, len(lines))]
    return uploads


STAGING = str(GKG["staging/"])
NOTHING_REPLACED = "nothing was replaced: the endpoint's graphs are as they were"
# The one triple check_access writes before any large body (into a staging graph of its own).
PROBE = f'<{STAGING}> <{RDFS}comment> "graphkit push: access check" .\n'.encode()


def check_access(client: GraphStoreClient, probe: GraphUpload, staged: list[GraphUpload]) -> None:
    """Before any large body: ``probe`` (one triple) PUT into its staging graph and dropped again
    through the update endpoint, first without credentials; a 401 there makes the client answer
    the server's challenge (Digest, Basic or bearer) and repeat it, and a refusal is explained
    from the challenge, having sent a few hundred bytes. ``probe`` is in ``staged`` while the
    staging graph may exist on the endpoint."""
    try:
        client.put_graph(probe.staging, probe.data, "checking access (one triple into a staging graph)")
    except PushFailed as exc:
        if exc.status is None and exc.reached:      # broke off: it may have been written
            staged.append(probe)
        raise
    staged.append(probe)
    client.update(_dropping([probe.staging]), "checking access to the update endpoint")
    staged.remove(probe)
    client.log(f"  access checked: authentication {client.authentication}")


def _cleanup_hint(client: GraphStoreClient) -> str:
    return f"`graphkit push --cleanup --endpoint {redact_url(client.endpoints.store)}`"


def push(client: GraphStoreClient, uploads: list[GraphUpload]) -> list[GraphUpload]:
    """Replace each upload's target graph on the endpoint (see the module documentation). Every
    failure says what the endpoint holds afterwards: the previous graphs (and whether staging
    graphs remain, which ``graphkit push --cleanup`` removes), or the new ones."""
    if not client.endpoints.update:
        raise GraphkitError(graph_store_hint(client.endpoints.store) or
                            f"cannot tell the SPARQL update endpoint of {redact_url(client.endpoints.store)}, "
                            f"which the safe replace needs: give --update-endpoint URL (and --query-endpoint URL)")
    run = secrets.token_hex(4)
    for n, upload in enumerate(uploads, 1):
        upload.staging = f"{STAGING}{run}/{n}"
    probe = GraphUpload("", PROBE, 1, f"{STAGING}{run}/0")
    staged: list[GraphUpload] = []
    try:
        check_access(client, probe, staged)
        for upload in uploads:
            what = f"graph <{upload.target}>"
            if upload.triples == 0:
                upload.status = "empty"
                continue
            staged.append(upload)                 # from the first byte sent, it may exist on the endpoint
            try:
                client.put_graph(upload.staging, upload.data, f"uploading {what}")
            except PushFailed as exc:
                if not exc.reached:               # every connection refused: nothing of it got there
                    staged.remove(upload)
                raise
            found = client.count(upload.staging, f"counting {what} after upload")
            if found != upload.triples:
                raise CheckFailed(f"{what}: the endpoint holds {found} triples after the upload, not {upload.triples}")
            upload.status = "staged"
            client.log(f"  {upload.target}  {upload.triples:,} triples uploaded and counted")
    except GraphkitError as exc:
        raise exc.__class__(f"{exc}; {NOTHING_REPLACED}{_drop(client, staged)}") from None
    except BaseException:          # Ctrl-C: the targets are untouched; do not leave staging graphs
        _drop(client, staged)
        raise
    _replace(client, uploads)
    for upload in uploads:
        try:
            found = client.count(upload.target, f"counting graph <{upload.target}>")
        except PushFailed as exc:
            raise PushFailed(f"{exc}; the endpoint had answered the replace, so it holds the new graphs, but they "
                             f"could not be counted") from None
        if found != upload.triples:
            raise CheckFailed(f"graph <{upload.target}>: {found} triples on the endpoint after the replace, "
                              f"expected {upload.triples}")
        upload.status = "replaced"
    return uploads


def _replace(client: GraphStoreClient, uploads: list[GraphUpload]) -> None:
    operations = [f"MOVE <{u.staging}> TO <{u.target}>" if u.triples else f"DROP SILENT GRAPH <{u.target}>"
                  for u in uploads]
    sparql = " ;\n".join(operations)
    try:
        # Sent once: a failure may come after it ran (a lost answer, a gateway that gave up on it),
        # and sent again, the MOVE from an emptied staging graph empties the target on Virtuoso.
        client.update(sparql, f"replacing {counted(len(uploads), 'graph')}", retry=False)
    except PushFailed as exc:
        # The update may have run although its answer was lost: the staging graphs tell.
        staged = [u for u in uploads if u.triples]
        atomic = client.endpoints.one_transaction
        try:
            emptied = [client.count(u.staging, "checking the staging graphs") == 0 for u in staged]
            if all(emptied) and all(client.count(u.target, "checking the replaced graphs") == u.triples
                                    for u in staged):
                return
        except PushFailed:
            names = ", ".join(f"<{u.staging}>" for u in staged)
            holds = ("the replace is one transaction, so it holds either all the previous graphs or all the new ones"
                     if atomic else f"{_server(client)} does not run the replace as one transaction, so it may hold "
                     f"some new graphs beside previous ones")
            raise PushFailed(f"{exc}; the endpoint cannot be asked what it did: {holds}, and the staging graphs "
                             f"{names} may remain; when it answers again, run {_cleanup_hint(client)} and push "
                             f"again") from None
        if any(emptied) and not atomic:
            new = ", ".join(f"<{u.target}>" for u, done in zip(staged, emptied) if done)
            raise PushFailed(f"{exc}; the replace stopped part-way ({_server(client)} does not run it as one "
                             f"transaction): {new} hold the new graphs, the others the previous ones; push again"
                             f"{_drop(client, [u for u, done in zip(staged, emptied) if not done])}") from None
        raise PushFailed(f"{exc}; the replace did not run: {NOTHING_REPLACED}{_drop(client, staged)}") from None


def _server(client: GraphStoreClient) -> str:
    return client.endpoints.server or "the endpoint"


def _dropping(graphs) -> str:
    """One SPARQL Update that drops ``graphs``, those of them that exist."""
    return " ;\n".join(f"DROP SILENT GRAPH <{graph}>" for graph in graphs)


def _drop(client: GraphStoreClient, staged: list[GraphUpload]) -> str:
    """Remove the staging graphs; what is left of them, as the end of a message."""
    if not staged:
        return ""
    try:
        client.update(_dropping(u.staging for u in staged), "removing staging graphs")
        return ""
    except GraphkitError:
        names = ", ".join(f"<{u.staging}>" for u in staged)
        return f"; the staging graphs {names} remain: when the endpoint answers again, run {_cleanup_hint(client)}"


def staging_graphs(client: GraphStoreClient) -> list[str]:
    """The staging graphs of graphkit pushes on the endpoint (from any run that did not finish)."""
    if not client.endpoints.query:
        raise GraphkitError("finding the staging graphs needs the SPARQL query endpoint: give --query-endpoint URL")
    sparql = (f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{STAGING}")) }} '
              f'ORDER BY ?g')
    body = client.select(sparql, "listing the staging graphs")
    try:
        return [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]]
    except (ValueError, KeyError, TypeError):
        raise client._fail(f"listing the staging graphs: the query endpoint did not return SPARQL JSON: "
                           f"{excerpt(body)}") from None


def cleanup(client: GraphStoreClient) -> list[str]:
    """Drop every staging graph a push left on the endpoint (``graphkit push --cleanup``)."""
    graphs = staging_graphs(client)
    if graphs:
        client.update(_dropping(graphs), "removing the staging graphs")
    return graphs
