"""HTTP helpers for the server tests: a ``graphkit serve`` subprocess, and a small reverse proxy
that can demand HTTP Basic credentials, answer 503 or drop a connection mid-request (Oxigraph
itself has no authentication and never fails on demand). Everything binds 127.0.0.1."""

from __future__ import annotations

import base64
import http.client
import os
import queue
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from graphkit.server import free_port, terminate

ROOT = Path(__file__).resolve().parent.parent


class ServeProcess:
    """``python -m graphkit serve ARGS`` as a user runs it; started when the banner is printed."""

    def __init__(self, *args: str, env: dict | None = None, timeout: float = 120):
        self.port = free_port()
        environment = dict(os.environ)
        environment.pop("GRAPHKIT_ROOT", None)
        environment.update(env or {})
        self.process = subprocess.Popen([sys.executable, "-m", "graphkit", "serve", "--port", str(self.port), *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment,
                                        cwd=str(ROOT))
        self.lines: list[str] = []
        self.errors: list[str] = []               # standard error's lines, as they come
        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self._errors = threading.Thread(target=self._read_errors, daemon=True)
        self._errors.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if line is None:
                break
            self.lines.append(line)
            if line.startswith("Press Ctrl-C"):
                return
        self.stop()
        self._errors.join(timeout=15)
        raise RuntimeError(f"graphkit serve did not start:\n{''.join(self.lines)}\n{''.join(self.errors)}")

    def _read(self) -> None:
        for line in self.process.stdout:
            self._queue.put(line)
        self._queue.put(None)

    def _read_errors(self) -> None:
        for line in self.process.stderr:
            self.errors.append(line)

    def wait_for_stderr(self, text: str, timeout: float = 30) -> str:
        """The first line of standard error that holds ``text``, waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = next((line for line in list(self.errors) if text in line), None)
            if found is not None:
                return found.rstrip("\n")
            time.sleep(0.1)
        raise AssertionError(f"no line with {text!r} on standard error: {''.join(self.errors)}")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base_url + "/query"

    def interrupt(self, timeout: float = 30) -> tuple[int, str, str]:
        """Ctrl-C; (exit code, the rest of stdout, stderr)."""
        self.process.send_signal(2)
        code = self.process.wait(timeout=timeout)
        rest = []
        while True:
            try:
                line = self._queue.get(timeout=5)
            except queue.Empty:
                break
            if line is None:
                break
            rest.append(line)
        self._errors.join(timeout=15)
        return code, "".join(rest), "".join(self.errors)

    def stop(self) -> None:
        terminate(self.process, timeout=15)


class LocalServer:
    """A test server on 127.0.0.1 (``self.server``, a socketserver) stopped by :meth:`close` or
    at the end of a ``with`` block."""

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass
class Seen:
    method: str
    path: str
    params: dict
    body_length: int
    authorized: bool


@dataclass
class Proxy(LocalServer):
    """A reverse proxy to ``upstream`` on 127.0.0.1 with failure and authentication switches."""

    upstream: str
    auth: tuple[str, str] | None = None
    # (request number from 1, Seen) -> what to do: None (forward), "drop", an HTTP status to answer,
    # or "lost": forward it, then answer 504 (a gateway that gave up on an answer under way)
    fault: Callable[[int, Seen], object] | None = None
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self):
        self.port = free_port()
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                parts = urllib.parse.urlsplit(self.path)
                authorized = proxy._authorized(self.headers.get("Authorization"))
                seen = Seen(self.command, parts.path, dict(urllib.parse.parse_qsl(parts.query)), length, authorized)
                with proxy._lock:
                    proxy.seen.append(seen)
                    number = len(proxy.seen)
                action = proxy.fault(number, seen) if proxy.fault else None
                if action == "drop":
                    self.rfile.read(min(length, 65536))
                    # Close with a reset while the client is still sending: a broken upload.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    return
                body = self.rfile.read(length) if length else None
                if not authorized:
                    return self._answer(401, b"authentication required", {"WWW-Authenticate": 'Basic realm="kg"'})
                if isinstance(action, int):
                    return self._answer(action, b"try again later")
                upstream = urllib.parse.urlsplit(proxy.upstream)
                connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("authorization", "host")}
                try:
                    connection.request(self.command, self.path, body=body, headers=headers)
                    response = connection.getresponse()
                    data = response.read()
                except OSError:            # the upstream is gone (a test killed it)
                    return self._answer(502, b"bad gateway")
                connection.close()
                if action == "lost":
                    return self._answer(504, b"the upstream sent nothing in time")
                self._answer(response.status, data, {"Content-Type": response.getheader("Content-Type", "")})

            def _answer(self, status: int, data: bytes, headers: dict | None = None):
                self.send_response(status)
                for key, value in (headers or {}).items():
                    if value:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def _authorized(self, header: str | None) -> bool:
        if self.auth is None:
            return True
        expected = "Basic " + base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode()
        return header == expected

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"



@dataclass
class Answer:
    """What a :class:`FakeEndpoint` answers: a status, a body and its type, or a hang of ``delay``
    seconds; with ``chunks``, a body sent in chunked transfer encoding, one chunk after another,
    ``pause`` seconds apart; with ``header_lines``, that many header lines of no meaning sent first,
    one at a time ``pause`` seconds apart after the status line; ``headers`` besides (a redirect's
    ``Location``)."""

    status: int = 200
    body: bytes = b'{"head": {"vars": []}, "results": {"bindings": []}}'
    content_type: str = "application/sparql-results+json"
    delay: float = 0.0
    chunks: list[bytes] | None = None
    pause: float = 0.0
    header_lines: int = 0
    headers: dict = field(default_factory=dict)


class FakeEndpoint(LocalServer):
    """An HTTP server on 127.0.0.1 that records every request (method, path, form or query
    parameters) and answers what ``answer`` says: a stand-in for a SPARQL endpoint that fails,
    refuses, answers HTML or hangs, or for an internal host a SERVICE clause must never reach."""

    def __init__(self, answer: Answer | None = None):
        self.answer = answer or Answer()
        self.requests: list[tuple[str, str, dict]] = []
        self.headers: list[dict] = []
        self.raw: list[tuple[str, bytes]] = []         # each request's target and body, as they arrived
        self.clients: list[tuple[str, int]] = []       # the client's address of each request (its connection)
        self.port = free_port()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                parts = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    while size := int(self.rfile.readline().strip() or b"0", 16):
                        raw += self.rfile.read(size)
                        self.rfile.readline()
                    self.rfile.readline()
                body = raw.decode("utf-8", "replace")
                params = dict(urllib.parse.parse_qsl(parts.query))
                if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                    params.update(urllib.parse.parse_qsl(body))
                elif body:
                    params["body"] = body
                endpoint.requests.append((self.command, parts.path, params))
                endpoint.headers.append(dict(self.headers.items()))
                endpoint.raw.append((self.path, raw))
                endpoint.clients.append(self.client_address)
                answer = endpoint.answer
                if answer.delay:
                    time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for n in range(answer.header_lines):
                        self.flush_headers()
                        time.sleep(answer.pause)
                        self.send_header(f"X-Slow-{n}", str(n))
                    self.send_header("Content-Type", answer.content_type)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    if answer.chunks is None:
                        self.send_header("Content-Length", str(len(answer.body)))
                        self.end_headers()
                        self.wfile.write(answer.body)
                        return
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for chunk in answer.chunks:
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                        self.wfile.flush()
                        time.sleep(answer.pause)
                    self.wfile.write(b"0\r\n\r\n")
                except OSError:            # the client gave up (a hang test)
                    pass

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.1,), daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"



class StoreEndpoint(LocalServer):
    """A SPARQL endpoint on 127.0.0.1 answering from a pyoxigraph store in this process (a user's
    own triple store holding what they loaded into it, in its default graph): POSTed queries,
    ``default-graph-uri`` read as SPARQL's protocol says, SPARQL JSON answers."""

    def __init__(self, store):
        import pyoxigraph as ox

        self.port = free_port()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                form = urllib.parse.parse_qs(body)
                graphs = [ox.NamedNode(g) for g in form.get("default-graph-uri", [])]
                answer = store.query(form["query"][0], **({"default_graph": graphs} if graphs else {}))
                data = answer.serialize(format=ox.QueryResultsFormat.JSON)
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.1,), daemon=True).start()

    url = FakeEndpoint.url



class WholeRequestFirst(LocalServer):
    """A plain HTTP server on 127.0.0.1 that reads a request up to its blank line before it answers
    (200, empty), as Oxigraph's server does: a TLS client's hello, which holds no blank line, is
    left waiting (Python's http.server answers 400 to it only when its bytes happen to hold a
    line break)."""

    def __init__(self):
        import socketserver

        self.port = free_port()

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                received = b""
                while b"\r\n\r\n" not in received:
                    chunk = self.request.recv(4096)
                    if not chunk:
                        return
                    received += chunk
                self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.1,), daemon=True).start()



class NoHTTP(LocalServer):
    """A server on 127.0.0.1 that answers every request with bytes that are no HTTP status line
    (a NUL, a byte that is no UTF-8, a line break): a port some other protocol listens on."""

    ANSWER = b"\x00\xff garbage not http\r\n\r\n"

    def __init__(self):
        import socketserver

        self.port = free_port()

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.recv(65536)
                self.request.sendall(NoHTTP.ANSWER)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.1,), daemon=True).start()
