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
"""

from __future__ import annotations

import http.client
import socket
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .errors import excerpt
from .pages import is_page
from .server import is_loopback
from .sparql import keywords, services

BUFFER = 16 * 1024 * 1024           # answers up to this size become an HTTP error when they fail
CHUNK = 64 * 1024
IDLE_TIMEOUT = 120.0                # a client connection that sends nothing for this long is closed
CANCELLED = b"The SPARQL operation has been cancelled"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "host", "content-length", "expect"}
READ_METHODS = {"GET", "HEAD", "OPTIONS"}
SPARQL_BODIES = ("application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded")


@dataclass(frozen=True)
class Policy:
    """What the gateway lets through."""

    allow_service: bool = False          # SERVICE clauses and LOAD operations
    query_timeout: float | None = 30.0   # Oxigraph's query timeout (seconds), for the messages and the upstream wait


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
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        """A connection that broke is the client's or Oxigraph's business: nothing to print on
        the server's terminal (the requests that fail are answered with their reason)."""


class _Server6(_Server):
    address_family = socket.AF_INET6


class Gateway:
    """The proxy, listening on ``host:port`` once made (an ``OSError`` when the port is taken);
    ``start()`` serves in background threads, ``stop()`` ends it."""

    def __init__(self, upstream_port: int, host: str, port: int, policy: Policy = Policy(), pages=None):
        self.upstream = ("127.0.0.1", upstream_port)
        self.host, self.port, self.policy = host, port, policy
        self.pages = pages                  # a graphkit.pages.Pages, or None: every request goes to Oxigraph
        self.server = (_Server6 if ":" in host else _Server)((host, port), _handler(self))
        self._thread: threading.Thread | None = None

    def start(self) -> "Gateway":
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.1,), name="graphkit-gateway",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self.server.server_close()

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
        if route.endswith("/update"):
            return method not in READ_METHODS or bool(sparql)
        return route.endswith("/store") and method not in READ_METHODS


def _sparql_texts(path: str, content_type: str, body: bytes | None) -> list[str]:
    """Every query or update a request carries (URL parameters, form fields, a SPARQL body)."""
    texts = [v for k, v in urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query) if k in ("query", "update")]
    if body:
        kind = content_type.split(";")[0].strip().lower()
        text = body.decode("utf-8", "replace")
        if kind == "application/x-www-form-urlencoded":
            texts += [v for k, v in urllib.parse.parse_qsl(text) if k in ("query", "update")]
        else:
            texts.append(text)
    return texts


def _handler(gateway: Gateway):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = IDLE_TIMEOUT
        disable_nagle_algorithm = True      # headers and body go out in separate writes: no 40 ms delayed-ACK stall
        server_version = "graphkit-gateway"
        upstream: http.client.HTTPConnection | None = None

        def log_message(self, *args):      # the server's terminal is for the banner and warnings
            pass

        def finish(self):
            super().finish()
            if self.upstream is not None:
                self.upstream.close()

        def _refuse(self, status: int, message: str) -> None:
            data = (message + "\n").encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _body_chunks(self):
            """The request body as it arrives (Content-Length or chunked)."""
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline().strip():
                            pass
                        return
                    yield self.rfile.read(size)
                    self.rfile.readline()
            left = int(self.headers.get("Content-Length") or 0)
            while left > 0:
                data = self.rfile.read(min(CHUNK, left))
                if not data:
                    raise ConnectionError("the client closed the connection mid-request")
                left -= len(data)
                yield data

        def _handle(self):
            content_type = self.headers.get("Content-Type", "")
            kind = content_type.split(";")[0].strip().lower()
            chunked = self.headers.get("Transfer-Encoding", "").lower() == "chunked"
            length = int(self.headers.get("Content-Length") or 0)
            # A SPARQL request is read whole (to check it); anything else streams through.
            body, stream = None, None
            if kind in SPARQL_BODIES:
                if length > BUFFER:
                    self.close_connection = True        # its body is not read
                    return self._refuse(413, f"a query or update of more than {BUFFER} bytes is refused")
                body = b"".join(self._body_chunks())
                if len(body) > BUFFER:
                    return self._refuse(413, f"a query or update of more than {BUFFER} bytes is refused")
            elif chunked or length:
                stream = self._body_chunks()
            sparql = _sparql_texts(self.path, content_type, body)
            why = gateway.refusal(self.command, self.path, self.headers, sparql)
            if why:
                if stream is not None:
                    self.close_connection = True        # the body was not read
                return self._refuse(403, why)
            if gateway.pages is not None and is_page(self.path):
                if stream is not None:
                    self.close_connection = True        # a page takes no upload
                return self._page(body)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            if body is not None:
                headers["Content-Length"] = str(len(body))
            elif length and not chunked:
                headers["Content-Length"] = str(length)
            try:
                response = self._forward(headers, body if body is not None else stream, chunked and stream is not None)
            except (OSError, http.client.HTTPException) as exc:
                return self._refuse(502, f"the Oxigraph server did not answer: {exc}")
            is_query = bool(sparql) and not urllib.parse.urlsplit(self.path).path.rstrip("/").endswith("/update")
            self._relay(response, buffered=is_query and response.status == 200 and self.command != "HEAD")

        def _page(self, body: bytes | None) -> None:
            answer = gateway.pages.respond(self.command, self.path, self.headers, body)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for key, value in answer.headers:
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer.body)

        def _forward(self, headers, body, chunked: bool) -> http.client.HTTPResponse:
            wait = (gateway.policy.query_timeout or 3600) + 30
            for attempt in (1, 2):
                if self.upstream is None:
                    self.upstream = http.client.HTTPConnection(*gateway.upstream, timeout=wait)
                try:
                    self.upstream.request(self.command, self.path, body=body, headers=headers, encode_chunked=chunked)
                    return self.upstream.getresponse()
                except (ConnectionError, http.client.RemoteDisconnected, http.client.CannotSendRequest):
                    # A kept-alive connection Oxigraph closed meanwhile: once more on a new one,
                    # if the body can be sent again.
                    self.upstream.close()
                    self.upstream = None
                    if attempt == 2 or not (body is None or isinstance(body, bytes)):
                        raise
            raise AssertionError("unreachable")

        def _send_head(self, response, length: int | None) -> None:
            self.send_response_only(response.status, response.reason)     # Oxigraph's Server and Date follow
            for key, value in response.getheaders():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            if length is not None:
                self.send_header("Content-Length", str(length))
            elif self.command != "HEAD" and response.status not in (204, 304):
                self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()

        def _relay(self, response, buffered: bool) -> None:
            try:
                self._relay_body(response, buffered)
            finally:
                if response.will_close and self.upstream is not None:
                    self.upstream.close()
                    self.upstream = None

        def _relay_body(self, response, buffered: bool) -> None:
            content_type = response.getheader("Content-Type", "")
            if not buffered:
                declared = response.getheader("Content-Length")
                self._send_head(response, int(declared) if declared is not None else None)
                if self.command == "HEAD" or response.status in (204, 304):
                    return
                while data := response.read(CHUNK):
                    self._write(data, chunked=declared is None)
                if declared is None:
                    self.wfile.write(b"0\r\n\r\n")
                return
            held = bytearray()
            while len(held) <= BUFFER:
                data = response.read(CHUNK)
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
                timeout = gateway.policy.query_timeout
                return self._refuse(503, f"the query was stopped after {timeout:g} s, the server's query timeout "
                                         f"(graphkit serve --query-timeout S)")
            self._refuse(500, f"the query failed while its answer was written: {excerpt(body[-300:])}")

        def _stream_rest(self, response, held: bytearray, content_type: str) -> None:
            """An answer too large to hold: stream it, keeping its last bytes back until it ends."""
            self._send_head(response, None)
            keep = len(CANCELLED) + 2
            self._write(bytes(held[:-keep]), chunked=True)
            tail = bytes(held[-keep:])
            while data := response.read(CHUNK):
                tail += data
                self._write(tail[:-keep], chunked=True)
                tail = tail[-keep:]
            if not complete(tail, content_type):
                self.close_connection = True            # no final chunk: the client sees a broken answer
                return
            self._write(tail, chunked=True)
            self.wfile.write(b"0\r\n\r\n")

        def _write(self, data: bytes, chunked: bool) -> None:
            if not data:
                return
            if chunked:
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            else:
                self.wfile.write(data)

        def _handle_safely(self):
            try:
                self._handle()
            except (ConnectionError, socket.timeout, TimeoutError, http.client.HTTPException, ValueError):
                self.close_connection = True            # the client or Oxigraph went away, or spoke nonsense
                if self.upstream is not None:
                    self.upstream.close()
                    self.upstream = None

        do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _handle_safely

    return Handler
