"""One request to the gateway, from its head to the end of its answer: read and checked
(:mod:`~graphkit.gateway.requests`, :mod:`~graphkit.gateway.policy`), answered by the pages or
forwarded to Oxigraph on a kept-alive connection, and Oxigraph's answer relayed, held until it is
known whole where a failure must become an HTTP error (:mod:`~graphkit.gateway.answers`)."""

from __future__ import annotations

import http.client
import socket
import urllib.parse
from http.server import BaseHTTPRequestHandler

from ..errors import excerpt
from ..pages import is_page
from ..sparql import on_users_line
from .answers import CANCELLED, HOP_BY_HOP, complete, describe_service
from .policy import refusal, service_refusal
from .requests import (BUFFER, CHUNK, LONG_URL, SPARQL_BODIES, BadRequest, Carried, body_chunks, check_framing,
                       media_type, sparql_body, with_declared_prefixes)

IDLE_TIMEOUT = 120.0                # a client connection that sends nothing for this long is closed
QUERY_METHODS = {"GET", "HEAD", "OPTIONS", "POST"}     # OPTIONS: a browser's CORS preflight (--cors)


class UpstreamSilent(Exception):
    """Oxigraph sent nothing for as long as the gateway waits (:meth:`Policy.upstream_wait`)."""


class GatewayHandler(BaseHTTPRequestHandler):
    """A request to ``gateway`` (the :class:`~graphkit.gateway.proxy.Gateway` serving it: a
    subclass made by :func:`handler_for` names it)."""

    gateway = None
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
        self.gateway.reading_head(self.connection, True)
        try:
            super().handle_one_request()
        finally:
            self.gateway.reading_head(self.connection, False)

    def parse_request(self) -> bool:
        parsed = super().parse_request()            # the request line and headers read
        self.gateway.reading_head(self.connection, False)
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

    def _handle(self):
        self.head_sent = False
        self.chunking = False
        self.upstream_method = None         # another method than the client's, for Oxigraph
        check_framing(self.headers, self.request_version)
        content_type = self.headers.get("Content-Type", "")
        chunked = self.headers.get("Transfer-Encoding") is not None
        length = int((self.headers.get("Content-Length") or "0").strip())
        # A SPARQL request is read whole (to check it); anything else streams through.
        body, stream = None, None
        if media_type(content_type) in SPARQL_BODIES:
            body = sparql_body(self.rfile, self.headers, content_type)
        elif chunked or length:
            stream = body_chunks(self.rfile, self.headers)
        carried = Carried(self.path, content_type, body)
        sparql = carried.sparql
        why = refusal(self.gateway.policy, self.gateway.host, self.command, self.path, self.headers, sparql)
        page = self.gateway.pages is not None and is_page(self.path)
        if why and not (page and why == service_refusal(self.gateway.policy, sparql)):
            if stream is not None:
                self.close_connection = True        # the body was not read
            return self._refuse(403, why)
        if page:
            if stream is not None:
                self.close_connection = True        # a page takes no upload
            return self._page(body, refused=why)    # the editor shows why, with the query kept
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        if body is not None:
            headers["Content-Length"] = str(len(body))
        elif length and not chunked:
            headers["Content-Length"] = str(length)
        route = urllib.parse.urlsplit(self.path).path.rstrip("/")
        misdirected = self._misdirected(route, carried)
        if misdirected is not None:
            if stream is not None:
                self.close_connection = True        # the body was not read
            return self._refuse(*misdirected)
        is_query = bool(sparql) and not route.endswith("/update")
        path, shift = self.path, 0
        if is_query and route.endswith("/query"):
            path, body, shift = with_declared_prefixes(self.path, content_type, body, carried)
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

    def _misdirected(self, route: str, carried: Carried):
        """(status, message, headers) for a request /query does not take, or None (Oxigraph
        answered a PUT with 404 "not supported", an update with "query must be set")."""
        if not route.endswith("/query"):
            return None
        if self.command not in QUERY_METHODS:
            return (405, f"{self.command} is not a SPARQL query: send GET or POST to /query",
                    [("Allow", ", ".join(sorted(QUERY_METHODS)))])
        if any(name == "update" for name, _ in carried.fields):
            return 400, "a SPARQL update goes to /update, not /query (and only to a server started with --writable)"
        return None

    def _exchange(self, path: str, headers, body, chunked: bool, is_query: bool, description: bool,
                  shift: int) -> None:
        """Forward the request and relay the answer; ``description``: a GET of /query without a
        query (the service description); ``shift``: the characters put before the user's query."""
        self.head_sent = False
        restarts = self.gateway.restarts
        try:
            response = self._forward(path, headers, body, chunked, self.gateway.policy.upstream_wait(is_query))
            if description and self.command == "GET" and response.status == 200:
                return self._describe(response)
            if shift and response.status == 400:
                return self._syntax_error(response, shift)
            self._relay(response, buffered=is_query and response.status == 200 and self.command != "HEAD")
        except UpstreamSilent as silent:
            self._drop_upstream()
            stuck = is_query and bool(self.gateway.policy.query_timeout)
            if stuck:
                self.gateway.stuck(restarts)
            if self.head_sent:
                self.close_connection = True        # a streamed answer: broken off before its end
                return
            if stuck:
                return self._refuse(503, self.gateway.policy.timed_out())
            self._refuse(504, f"the Oxigraph server sent nothing for {silent} s")
        except (OSError, http.client.HTTPException) as exc:
            self._drop_upstream()
            if self.head_sent:
                raise
            self.gateway.ready()
            if self.gateway.restarts != restarts:
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
        gateway, host = self.gateway, self.headers.get("Host", "")
        data = describe_service(self._read(response, None), response.getheader("Content-Type", ""),
                                private=f"http://127.0.0.1:{gateway.upstream[1]}/",
                                public=f"http://{host or f'{gateway.host}:{gateway.port}'}/",
                                route=urllib.parse.urlsplit(self.path).path,
                                allow_service=gateway.policy.allow_service)
        self._send_head(response, len(data))
        self.wfile.write(data)

    def _page(self, body: bytes | None, refused: str | None = None) -> None:
        answer = self.gateway.pages.respond(self.command, self.path, self.headers, body, refused)
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
        self.gateway.ready()
        for attempt in (1, 2):
            if self.upstream is None:
                self.upstream = http.client.HTTPConnection(*self.gateway.upstream, timeout=wait)
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
            return self._refuse(503, self.gateway.policy.timed_out())
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


def handler_for(gateway) -> type[GatewayHandler]:
    """The handler class of ``gateway``'s server."""
    return type("Handler", (GatewayHandler,), {"gateway": gateway})
