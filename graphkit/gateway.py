"""The front of ``graphkit serve``: a small HTTP reverse proxy between the clients and Oxigraph's
server, for what the ``oxigraph`` binary cannot be told to do.

Oxigraph listens on a private port of 127.0.0.1; the gateway listens where the user asked
(``--bind``, ``--port``) and forwards every request, streaming bodies both ways, keeping
connections alive (to the client and to Oxigraph). Before forwarding it:

- **refuses SERVICE and LOAD** (HTTP 403) unless ``allow_service``: Oxigraph would fetch any
  URL a query names, from the server's machine (a request forgery into the user's network);
  the query or update is read with :mod:`graphkit.sparql`'s lexer, wherever it travels (URL,
  form, ``application/sparql-query`` or ``-update`` body);
- **refuses writes from other web pages** (HTTP 403): a request that changes data (``/update``,
  or ``/store`` with any method but GET, HEAD and OPTIONS) whose ``Origin`` is not the
  server's own, or which a browser marks ``Sec-Fetch-Site: cross-site``/``same-site``; a form
  POST from ``http://evil.example`` never reaches Oxigraph. Programs (curl, ``graphkit push``)
  send no ``Origin`` and are served;
- **refuses other host names** on a loopback address (HTTP 403), so a web page cannot reach
  the server through a DNS name rebound to 127.0.0.1.

Every other path (``/``, ``/entity/...``, ``/search``, ``/catalogue/...``, ``/sparql`` ...) is
answered by the pages (:mod:`graphkit.pages`) when the gateway was given them, after the same
checks: the pages read the store through Oxigraph's endpoint, so they show what it holds.

And it turns Oxigraph's way of failing a query it already started answering (HTTP 200, then
the error text appended to the body: ``The SPARQL operation has been cancelled`` when the
query timeout stops it) into an HTTP error: the answer to a query is held until it is complete
(up to :data:`BUFFER` bytes), then sent with its length, or replaced by HTTP 503 (timeout) or
500 (another error) with the error text. A larger answer is streamed as it comes, its last
bytes held back, and when it ends in an error the connection is closed before the final chunk:
every HTTP client reports an incomplete response instead of taking the error for data.

Oxigraph's timeout does not stop every query: a count over a cross product computes without
looking at it. A query silent for :attr:`Policy.grace` seconds past the timeout is
answered HTTP 503 like the others, and the gateway has Oxigraph restarted (``restart``, given
by ``graphkit serve``), which is the only way to get its core back; queries cut off by the
restart are answered 503 with ``Retry-After``.

A query sent to ``/query`` may use graphkit's prefixes (``gk:``, ``gke:``, ``HP:`` ...) without
declaring them, as in ``graphkit query``: the gateway declares those it uses on its first line,
and a syntax error's columns on that line are given back in the user's own text.

``GET /query`` without a query is Oxigraph's service description; it names the endpoint the
clients reach (the gateway's, not Oxigraph's private port, which bypasses these checks), and
claims federated queries only when SERVICE is allowed.
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox

from .errors import excerpt
from .iris import known_prefixes
from .pages import is_page
from .server import is_loopback
from .sparql import keywords, on_users_line, services, too_complex, with_prefixes

BUFFER = 16 * 1024 * 1024           # answers up to this size become an HTTP error when they fail
CHUNK = 64 * 1024
SD = "http://www.w3.org/ns/sparql-service-description#"
IDLE_TIMEOUT = 120.0                # a client connection that sends nothing for this long is closed
# A request line and headers must arrive within this time in all (a client sending a byte every
# 50 s held its connection and thread past the idle timeout, which each byte restarted).
HEADERS_DEADLINE = 120.0
MAX_CONNECTIONS = 256
LONG_URL = 6 * 1024                 # a GET query longer than this goes to Oxigraph as a POST
_TOO_MANY_TEXT = b"too many connections at once: try again in a moment\n"
_TOO_MANY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\n"
             b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(_TOO_MANY_TEXT) + _TOO_MANY_TEXT)
CANCELLED = b"The SPARQL operation has been cancelled"
# Not "host": the client's Host goes on to Oxigraph, which resolves a relative graph name against
# it; without it, /store/x named the graph <http://127.0.0.1:PRIVATE/store/x> and the 404 said so.
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "content-length", "expect"}
READ_METHODS = {"GET", "HEAD", "OPTIONS"}
QUERY_METHODS = {"GET", "HEAD", "OPTIONS", "POST"}     # OPTIONS: a browser's CORS preflight (--cors)
SPARQL_BODIES = ("application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded")
_ROUTE_UPDATE = re.compile(r"/update(/|$)")
_ROUTE_STORE = re.compile(r"/store(/|$)")
# Headers that say where a request ends and what it carries: given twice, the gateway and Oxigraph
# could each read another one (a Content-Type of text/plain hid a SPARQL body from the checks).
_ONCE = ("Content-Length", "Content-Type", "Transfer-Encoding", "Content-Encoding", "Host")


class BadRequest(Exception):
    """A request the gateway answers itself with ``status`` and one line, then closes the
    connection (its body may not have been read to its end)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class UpstreamSilent(Exception):
    """Oxigraph sent nothing for as long as the gateway waits (:meth:`Policy.upstream_wait`)."""


@dataclass(frozen=True)
class Policy:
    """What the gateway lets through."""

    allow_service: bool = False          # SERVICE clauses and LOAD operations
    query_timeout: float | None = 30.0   # Oxigraph's query timeout (seconds), for the messages and the upstream wait
    grace: float = 5.0                   # seconds past the query timeout before a silent query counts as stuck

    def upstream_wait(self, query: bool) -> float:
        """How long to wait for Oxigraph's next bytes: a query past its timeout and the grace is
        stuck; other requests (uploads, downloads of whole graphs) get longer."""
        if query and self.query_timeout:
            return self.query_timeout + self.grace
        return (self.query_timeout or 3600) + 30

    def timed_out(self) -> str:
        return (f"the query was stopped after {self.query_timeout:g} s, the server's query timeout "
                f"(graphkit serve --query-timeout S)")


def _host_name(value: str) -> str:
    """The host part of a Host header or an origin's authority (no port, IPv6 brackets kept)."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[:value.find("]") + 1]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def complete(body_end: bytes, content_type: str) -> bool:
    """Whether an answer ends as a whole document of its type ends (Oxigraph appends an error
    text, without a line end, to an answer it cannot finish)."""
    kind = content_type.split(";")[0].strip().lower()
    end = body_end.rstrip()
    if body_end.endswith(CANCELLED):
        return False
    if "json" in kind:
        return end.endswith((b"}", b"]"))
    if "xml" in kind:
        return end.endswith(b">")
    if kind in ("text/csv", "text/tab-separated-values"):
        return body_end == b"" or body_end.endswith(b"\n") or body_end in (b"true", b"false")
    if kind in ("application/n-triples", "application/n-quads", "text/turtle", "application/trig"):
        return body_end == b"" or body_end.endswith(b"\n")
    return True


class _Server(ThreadingHTTPServer):
    """One thread per connection, at most ``max_connections`` (:data:`MAX_CONNECTIONS`) at once (500
    half-open connections had made 501 threads): one more is answered 503 and closed at once."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, handler, max_connections: int = 0):
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(max_connections or MAX_CONNECTIONS)

    def process_request(self, request, client_address):
        if not self._slots.acquire(blocking=False):
            try:
                request.sendall(_TOO_MANY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:                # no thread started: its slot is free again
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address):
        """A connection that broke is the client's or Oxigraph's business: nothing to print on
        the server's terminal (the requests that fail are answered with their reason)."""


class _Server6(_Server):
    address_family = socket.AF_INET6


class Gateway:
    """The proxy, listening on ``host:port`` once made (an ``OSError`` when the port is taken);
    ``start()`` serves in background threads, ``stop()`` ends it."""

    def __init__(self, upstream_port: int, host: str, port: int, policy: Policy = Policy(), pages=None,
                 restart: Callable[[], None] | None = None, max_connections: int = MAX_CONNECTIONS):
        self.upstream = ("127.0.0.1", upstream_port)
        self.host, self.port, self.policy = host, port, policy
        self.pages = pages                  # a graphkit.pages.Pages, or None: every request goes to Oxigraph
        self.restart = restart              # restarts Oxigraph on its port; None: a stuck query is left running
        self.restarts = 0                   # how many times it was restarted (a request notes it before it starts)
        self._restarting = threading.Lock()
        self.server = (_Server6 if ":" in host else _Server)((host, port), _handler(self), max_connections)
        self._thread: threading.Thread | None = None
        self.headers_deadline = HEADERS_DEADLINE
        self._reading: dict[socket.socket, float] = {}       # connections reading a request head -> deadline
        self._reading_lock = threading.Lock()
        self._stopped = threading.Event()

    def start(self) -> "Gateway":
        self._stopped.clear()
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.1,), name="graphkit-gateway",
                                        daemon=True)
        self._thread.start()
        threading.Thread(target=self._close_late_heads, name="graphkit-gateway-deadlines", daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self.server.server_close()

    def reading_head(self, connection: socket.socket, reading: bool) -> None:
        """Note that ``connection`` starts (or has ended) reading a request line and headers."""
        with self._reading_lock:
            if reading:
                self._reading[connection] = time.monotonic() + self.headers_deadline
            else:
                self._reading.pop(connection, None)

    def _close_late_heads(self) -> None:
        """Close each connection whose request head is not in within the deadline (a read timeout
        alone restarts at every byte)."""
        while not self._stopped.wait(min(1.0, self.headers_deadline / 4)):
            now = time.monotonic()
            with self._reading_lock:
                late = [connection for connection, deadline in self._reading.items() if deadline < now]
                for connection in late:
                    del self._reading[connection]
            for connection in late:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stuck(self, restarts: int) -> None:
        """A query sent when Oxigraph had been restarted ``restarts`` times is stuck past its
        timeout: restart it, unless another stuck query had it restarted since."""
        with self._restarting:
            if self.restart is not None and self.restarts == restarts:
                try:
                    self.restart()
                finally:
                    self.restarts += 1

    def ready(self) -> None:
        """Wait for a restart in progress to end (a request then reaches the new process)."""
        with self._restarting:
            pass

    def service_description(self, body: bytes, content_type: str, host: str, route: str) -> bytes:
        """Oxigraph's description of its endpoint, made true of the gateway's: the endpoint the
        client reached instead of Oxigraph's private port, and no federated query feature when
        SERVICE is refused."""
        private = f"http://127.0.0.1:{self.upstream[1]}/"
        public = f"http://{host or f'{self.host}:{self.port}'}/"
        try:
            rdf_format = ox.RdfFormat.from_media_type(content_type.split(";")[0].strip())
            quads = list(ox.parse(body, format=rdf_format, base_iri=public + route.lstrip("/")))
        except (ValueError, SyntaxError):
            return body
        federated = ox.NamedNode(SD + "BasicFederatedQuery")
        kept = []
        for quad in quads:
            if quad.object == federated and not self.policy.allow_service:
                continue
            if isinstance(quad.object, ox.NamedNode) and quad.object.value.startswith(private):
                quad = ox.Quad(quad.subject, quad.predicate,
                               ox.NamedNode(public + quad.object.value[len(private):]), quad.graph_name)
            kept.append(quad if rdf_format.supports_datasets else quad.triple)
        return ox.serialize(kept, format=rdf_format, prefixes={"sd": SD})

    # -- the checks ---------------------------------------------------------------------------

    def refusal(self, method: str, path: str, headers, sparql: list[str]) -> str | None:
        """Why a request is refused, or None."""
        host = _host_name(headers.get("Host", ""))
        if is_loopback(self.host) and host and not is_loopback(host):
            return (f"host name {host!r} refused: this server listens on a loopback address and answers "
                    f"only to loopback names")
        if self._writes(method, path, sparql):
            origin = headers.get("Origin")
            fetch_site = (headers.get("Sec-Fetch-Site") or "").lower()
            own = {f"http://{name}" for name in (headers.get("Host", ""),) if name}
            if (origin is not None and origin.lower() not in {o.lower() for o in own}) \
                    or fetch_site in ("cross-site", "same-site"):
                return (f"a write from another web page (Origin {origin or fetch_site}) is refused: only programs and "
                        f"this server's own page may change the data")
        for text in sparql:                                   # it would crash Oxigraph
            why = too_complex(text)
            if why is not None:
                return why
        return self.service_refusal(sparql)

    def service_refusal(self, sparql: list[str]) -> str | None:
        """Why the queries or updates ``sparql`` are refused for fetching other URLs, or None."""
        if not self.policy.allow_service:
            for text in sparql:
                found = services(text)
                if found:
                    return (f"SERVICE {', '.join(found)} refused: a query must not make the server fetch other URLs "
                            f"(graphkit serve --allow-service allows it)")
                if "LOAD" in keywords(text):
                    return ("LOAD refused: an update must not make the server fetch other URLs "
                            "(graphkit serve --allow-service allows it)")
        return None

    @staticmethod
    def _writes(method: str, path: str, sparql: list[str]) -> bool:
        route = urllib.parse.urlsplit(path).path.rstrip("/")
        if _ROUTE_UPDATE.search(route):
            return method not in READ_METHODS or bool(sparql)
        # /store/NAME is a graph Oxigraph names by that URL: a POST there from another site wrote data.
        return bool(_ROUTE_STORE.search(route)) and method not in READ_METHODS


def _check_sparql_body_headers(headers, content_type: str) -> None:
    """A query, update or form the gateway reads is UTF-8 and uncompressed (SPARQL 1.1 Protocol):
    another charset or a Content-Encoding is 415, where it had closed the connection unanswered."""
    encoding = headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise BadRequest(415, f"a body with Content-Encoding {encoding[:20]} is not taken: send it uncompressed")
    charset = re.search(r";\s*charset\s*=\s*\"?([^\";\s]+)", content_type, re.I)
    if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
        raise BadRequest(415, f"a body in charset {charset.group(1)[:20]} is not taken: send UTF-8")


def _fields(path: str, content_type: str, body: bytes | None) -> list[tuple[str, str]]:
    """The URL parameters and form fields of a request, empty ones too."""
    fields = urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query, keep_blank_values=True)
    if body and content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        fields += urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    return fields


def _sparql_texts(path: str, content_type: str, body: bytes | None) -> list[str]:
    """Every query or update a request carries (URL parameters, form fields, a SPARQL body)."""
    texts = [v for k, v in _fields(path, content_type, body) if k in ("query", "update") and v]
    if body and content_type.split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        texts.append(body.decode("utf-8", "replace"))
    return texts


def _with_prefixes(path: str, content_type: str, body: bytes | None) -> tuple[str, bytes | None, int]:
    """The request with graphkit's prefixes declared in the query it carries (in the URL, a form
    or a ``application/sparql-query`` body), and how many characters went before the user's text."""
    prefixes = known_prefixes()
    shift = 0

    def declared(text: str) -> str:
        nonlocal shift
        sent = with_prefixes(text, prefixes)
        shift = len(sent) - len(text)
        return sent

    def in_fields(encoded: str) -> str:
        fields = urllib.parse.parse_qsl(encoded, keep_blank_values=True)
        if not any(key == "query" for key, _ in fields):
            return encoded
        return urllib.parse.urlencode([(k, declared(v) if k == "query" else v) for k, v in fields])

    parts = urllib.parse.urlsplit(path)
    path = urllib.parse.urlunsplit(parts._replace(query=in_fields(parts.query))) if parts.query else path
    kind = content_type.split(";")[0].strip().lower()
    if body and kind == "application/x-www-form-urlencoded":
        body = in_fields(body.decode("utf-8")).encode("utf-8")
    elif body and kind == "application/sparql-query":
        body = declared(body.decode("utf-8")).encode("utf-8")
    return path, body, shift


def _handler(gateway: Gateway):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = IDLE_TIMEOUT
        disable_nagle_algorithm = True      # headers and body go out in separate writes: no 40 ms delayed-ACK stall
        server_version = "graphkit-gateway"
        upstream: http.client.HTTPConnection | None = None
        head_sent = False                   # whether this request's answer has begun (no error status then)
        chunking = False                    # whether this request's answer is sent in chunks
        upstream_method: str | None = None
        # A request line Python cannot read is answered with a status line (HTTP/0.9 has none), and
        # its errors (400, 414, 431, 501) in plain text like the gateway's own, not an HTML page.
        default_request_version = "HTTP/1.0"
        error_message_format = "%(message)s\n"
        error_content_type = "text/plain; charset=utf-8"

        def handle_one_request(self):
            gateway.reading_head(self.connection, True)
            try:
                super().handle_one_request()
            finally:
                gateway.reading_head(self.connection, False)

        def parse_request(self) -> bool:
            parsed = super().parse_request()            # the request line and headers read
            gateway.reading_head(self.connection, False)
            if not parsed:
                return False
            if len(self.raw_requestline.split()) < 3:          # "GET /": HTTP/0.9, served without headers
                self.send_error(400, "HTTP/0.9 is not served: send HTTP/1.1 or HTTP/1.0")
                return False
            return True

        def log_message(self, *args):      # the server's terminal is for the banner and warnings
            pass

        def finish(self):
            super().finish()
            if self.upstream is not None:
                self.upstream.close()

        def _refuse(self, status: int, message: str, headers=()) -> None:
            data = (message + "\n").encode("utf-8")
            self.send_response(status)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers:
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _body_chunks(self, limit: int | None = None):
            """The request body as it arrives (Content-Length or chunked); a chunk announced larger
            than ``limit`` bytes is refused before it is read."""
            if self.headers.get("Transfer-Encoding") is not None:       # chunked: _check_framing took no other
                while True:
                    line = self.rfile.readline()
                    digits = line.split(b";")[0].strip()
                    if not digits or not all(c in b"0123456789abcdefABCDEF" for c in digits):  # int() takes "-1", "0x10"
                        raise BadRequest(400, f"malformed chunked body: chunk size {line.strip()[:20]!r}")
                    size = int(digits, 16)
                    if limit is not None and size > limit:
                        raise BadRequest(413, f"a query or update of more than {limit} bytes is refused")
                    if size == 0:
                        while self.rfile.readline().strip():
                            pass
                        return
                    yield from self._exactly(size)          # a chunk may be far larger than a read
                    if self.rfile.readline() not in (b"\r\n", b"\n"):
                        raise BadRequest(400, "malformed chunked body: a chunk longer than its size")
            yield from self._exactly(int(self.headers.get("Content-Length") or 0))

        def _exactly(self, left: int):
            """The next ``left`` bytes of the body, in pieces as they arrive."""
            while left > 0:
                data = self.rfile.read(min(CHUNK, left))
                if not data:
                    raise ConnectionError("the client closed the connection mid-request")
                left -= len(data)
                yield data

        def _check_framing(self) -> None:
            """One reading of where the request ends and what it carries, or 400/501 (and the
            connection closed): a proxy that reads a request otherwise than the server behind it
            lets a second request ride inside the first."""
            if self.headers.defects:            # "Content-Length : 15": a line no header, the rest taken as body
                raise BadRequest(400, "malformed header line")
            for name in _ONCE:
                given = self.headers.get_all(name) or []
                if len(given) > 1:
                    raise BadRequest(400, f"{name} given {len(given)} times: give it once")
            coding = self.headers.get("Transfer-Encoding")
            if coding is not None:
                if coding.strip().lower() != "chunked":
                    raise BadRequest(501, f"Transfer-Encoding {coding[:30]!r} is not taken: send chunked or a "
                                          f"Content-Length")
                if self.headers.get("Content-Length") is not None:
                    raise BadRequest(400, "both Content-Length and Transfer-Encoding: give one")
            declared = (self.headers.get("Content-Length") or "0").strip()
            if not re.fullmatch(r"[0-9]{1,18}", declared):          # "²" is a digit to str.isdigit, not to int()
                raise BadRequest(400, f"Content-Length {declared[:20]!r} is not a number of bytes")
            if self.request_version != "HTTP/1.0" and not (self.headers.get("Host") or "").strip():
                raise BadRequest(400, "a Host header is required (HTTP/1.1)")

        def _handle(self):
            self.head_sent = False
            self.chunking = False
            self.upstream_method = None         # another method than the client's, for Oxigraph
            self._check_framing()
            content_type = self.headers.get("Content-Type", "")
            kind = content_type.split(";")[0].strip().lower()
            chunked = self.headers.get("Transfer-Encoding") is not None
            length = int((self.headers.get("Content-Length") or "0").strip())
            # A SPARQL request is read whole (to check it); anything else streams through.
            body, stream = None, None
            if kind in SPARQL_BODIES:
                _check_sparql_body_headers(self.headers, content_type)
                if length > BUFFER:
                    self.close_connection = True        # its body is not read
                    return self._refuse(413, f"a query or update of more than {BUFFER} bytes is refused")
                body = bytearray()
                for piece in self._body_chunks(BUFFER):     # chunked: counted as it arrives, not held past the limit
                    body += piece
                    if len(body) > BUFFER:
                        self.close_connection = True        # the rest of the body is not read
                        return self._refuse(413, f"a query or update of more than {BUFFER} bytes is refused")
                body = bytes(body)
                try:
                    body.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise BadRequest(400, f"the request body is not UTF-8 text (byte {exc.start})") from None
            elif chunked or length:
                stream = self._body_chunks()
            sparql = _sparql_texts(self.path, content_type, body)
            why = gateway.refusal(self.command, self.path, self.headers, sparql)
            page = gateway.pages is not None and is_page(self.path)
            if why and not (page and why == gateway.service_refusal(sparql)):
                if stream is not None:
                    self.close_connection = True        # the body was not read
                return self._refuse(403, why)
            if page:
                if stream is not None:
                    self.close_connection = True        # a page takes no upload
                return self._page(body, refusal=why)    # the editor shows why, with the query kept
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            if body is not None:
                headers["Content-Length"] = str(len(body))
            elif length and not chunked:
                headers["Content-Length"] = str(length)
            route = urllib.parse.urlsplit(self.path).path.rstrip("/")
            misdirected = self._misdirected(route, content_type, body)
            if misdirected is not None:
                if stream is not None:
                    self.close_connection = True        # the body was not read
                return self._refuse(*misdirected)
            is_query = bool(sparql) and not route.endswith("/update")
            path, shift = self.path, 0
            if is_query and route.endswith("/query"):
                path, body, shift = _with_prefixes(self.path, content_type, body)
                if self.command == "GET" and len(path) > LONG_URL:
                    # Oxigraph takes no request head over 8 KB ("The headers size must fit in 8kb"):
                    # a long query in the URL (SPARQLWrapper's default GET) goes on as a form POST.
                    path, _, form = path.partition("?")
                    body, self.upstream_method = form.encode("latin-1"), "POST"     # the bytes as sent
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                if body is not None:
                    headers["Content-Length"] = str(len(body))
            self._exchange(path, headers, body if body is not None else stream, chunked and stream is not None,
                           is_query, description=not sparql and route.endswith("/query"), shift=shift)

        def _misdirected(self, route: str, content_type: str, body: bytes | None):
            """(status, message, headers) for a request /query does not take, or None (Oxigraph
            answered a PUT with 404 "not supported", an update with "query must be set")."""
            if not route.endswith("/query"):
                return None
            if self.command not in QUERY_METHODS:
                return (405, f"{self.command} is not a SPARQL query: send GET or POST to /query",
                        [("Allow", ", ".join(sorted(QUERY_METHODS)))])
            if any(name == "update" for name, _ in _fields(self.path, content_type, body)):
                return 400, "a SPARQL update goes to /update, not /query (and only to a server started with --writable)"
            return None

        def _exchange(self, path: str, headers, body, chunked: bool, is_query: bool, description: bool,
                      shift: int) -> None:
            """Forward the request and relay the answer; ``description``: a GET of /query without a
            query (the service description); ``shift``: the characters put before the user's query."""
            self.head_sent = False
            restarts = gateway.restarts
            try:
                response = self._forward(path, headers, body, chunked, gateway.policy.upstream_wait(is_query))
                if description and self.command == "GET" and response.status == 200:
                    return self._describe(response)
                if shift and response.status == 400:
                    return self._syntax_error(response, shift)
                self._relay(response, buffered=is_query and response.status == 200 and self.command != "HEAD")
            except UpstreamSilent as silent:
                self._drop_upstream()
                stuck = is_query and bool(gateway.policy.query_timeout)
                if stuck:
                    gateway.stuck(restarts)
                if self.head_sent:
                    self.close_connection = True        # a streamed answer: broken off before its end
                    return
                if stuck:
                    return self._refuse(503, gateway.policy.timed_out())
                self._refuse(504, f"the Oxigraph server sent nothing for {silent} s")
            except (OSError, http.client.HTTPException) as exc:
                self._drop_upstream()
                if self.head_sent:
                    raise
                gateway.ready()
                if gateway.restarts != restarts:
                    return self._refuse(503, "the query was cut off when the SPARQL engine was restarted to stop "
                                             "another query that ran past the query timeout: send it again",
                                        [("Retry-After", "1")])
                self._refuse(502, f"the Oxigraph server did not answer: {exc}")

        def _read(self, response, size: int | None = CHUNK) -> bytes:
            try:
                return response.read(size)
            except TimeoutError:
                raise UpstreamSilent(f"{self.upstream.timeout if self.upstream else 0:g}") from None

        def _drop_upstream(self) -> None:
            if self.upstream is not None:
                self.upstream.close()
                self.upstream = None

        def _describe(self, response) -> None:
            """The service description, about the gateway's endpoint."""
            data = gateway.service_description(self._read(response, None), response.getheader("Content-Type", ""),
                                               self.headers.get("Host", ""), urllib.parse.urlsplit(self.path).path)
            self._send_head(response, len(data))
            self.wfile.write(data)

        def _page(self, body: bytes | None, refusal: str | None = None) -> None:
            answer = gateway.pages.respond(self.command, self.path, self.headers, body, refusal)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for key, value in answer.headers:
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer.body)

        def _syntax_error(self, response, shift: int) -> None:
            """Oxigraph's syntax error about a query sent with prefixes declared before it."""
            data = on_users_line(self._read(response, None).decode("utf-8", "replace"), shift).encode("utf-8")
            self._send_head(response, len(data))
            self.wfile.write(data)

        def _forward(self, path: str, headers, body, chunked: bool, wait: float) -> http.client.HTTPResponse:
            gateway.ready()
            for attempt in (1, 2):
                if self.upstream is None:
                    self.upstream = http.client.HTTPConnection(*gateway.upstream, timeout=wait)
                self.upstream.timeout = wait
                if self.upstream.sock is not None:
                    self.upstream.sock.settimeout(wait)
                try:
                    # HEAD as GET: Oxigraph answers HEAD with 404; the body is not read but the
                    # connection dropped (read or not, it would be the next answer's start).
                    method = self.upstream_method or ("GET" if self.command == "HEAD" else self.command)
                    self.upstream.request(method, path, body=body, headers=headers, encode_chunked=chunked)
                    return self.upstream.getresponse()
                except TimeoutError:
                    raise UpstreamSilent(f"{wait:g}") from None
                except (ConnectionError, http.client.RemoteDisconnected, http.client.CannotSendRequest):
                    # A kept-alive connection Oxigraph closed meanwhile: once more on a new one,
                    # if the body can be sent again.
                    self._drop_upstream()
                    if attempt == 2 or not (body is None or isinstance(body, bytes)):
                        raise
            raise AssertionError("unreachable")

        def _send_head(self, response, length: int | None) -> None:
            self.head_sent = True
            self.send_response_only(response.status, response.reason)     # Oxigraph's Server and Date follow
            for key, value in response.getheaders():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            if length is not None:
                self.send_header("Content-Length", str(length))
            elif self.command != "HEAD" and response.status not in (204, 304):
                if self.request_version == "HTTP/1.0":  # it knows no chunks: the answer ends when the connection does
                    self.close_connection = True
                else:
                    self.chunking = True
                    self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()

        def _relay(self, response, buffered: bool) -> None:
            try:
                self._relay_body(response, buffered)
            finally:
                if response.will_close:
                    self._drop_upstream()

        def _relay_body(self, response, buffered: bool) -> None:
            content_type = response.getheader("Content-Type", "")
            if not buffered:
                declared = response.getheader("Content-Length")
                self._send_head(response, int(declared) if declared is not None else None)
                if self.command == "HEAD":
                    self._drop_upstream()
                    return
                if response.status in (204, 304):
                    return
                while data := self._read(response):
                    self._write(data)
                self._end_body()
                return
            held = bytearray()
            while len(held) <= BUFFER:
                data = self._read(response)
                if not data:
                    break
                held += data
            else:
                return self._stream_rest(response, held, content_type)
            if not complete(bytes(held[-len(CANCELLED) - 2:]), content_type):
                return self._failed(bytes(held))
            self._send_head(response, len(held))
            self.wfile.write(held)

        def _failed(self, body: bytes) -> None:
            if body.endswith(CANCELLED):
                return self._refuse(503, gateway.policy.timed_out())
            self._refuse(500, f"the query failed while its answer was written: {excerpt(body[-300:])}")

        def _stream_rest(self, response, held: bytearray, content_type: str) -> None:
            """An answer too large to hold: stream it, keeping its last bytes back until it ends."""
            self._send_head(response, None)
            keep = len(CANCELLED) + 2
            self._write(bytes(held[:-keep]))
            tail = bytes(held[-keep:])
            while data := self._read(response):
                tail += data
                self._write(tail[:-keep])
                tail = tail[-keep:]
            if not complete(tail, content_type):
                self.close_connection = True            # no final chunk: the client sees a broken answer
                return
            self._write(tail)
            self._end_body()

        def _write(self, data: bytes) -> None:
            if not data:
                return
            if self.chunking:
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            else:
                self.wfile.write(data)

        def _end_body(self) -> None:
            if self.chunking:
                self.wfile.write(b"0\r\n\r\n")

        def _handle_safely(self):
            try:
                self._handle()
            except BadRequest as exc:
                self.close_connection = True            # its body may be unread
                if not self.head_sent:
                    self._refuse(exc.status, str(exc))
            except (ConnectionError, socket.timeout, TimeoutError, http.client.HTTPException, ValueError):
                self.close_connection = True            # the client or Oxigraph went away, or spoke nonsense
                self._drop_upstream()

        do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _handle_safely

    return Handler
