"""The gateway as a server: listening where the user asked, one thread per connection up to a
limit, a deadline for each request head, and Oxigraph restarted when a query is stuck past its
timeout (:class:`Gateway`; each request is handled by :class:`~graphkit.gateway.handler.GatewayHandler`)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from http.server import ThreadingHTTPServer

from .handler import handler_for
from .policy import Policy

# A request line and headers must arrive within this time in all (a client sending a byte every
# 50 s held its connection and thread past the idle timeout, which each byte restarted).
HEADERS_DEADLINE = 120.0
MAX_CONNECTIONS = 256
_TOO_MANY_TEXT = b"too many connections at once: try again in a moment\n"
_TOO_MANY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\n"
             b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(_TOO_MANY_TEXT) + _TOO_MANY_TEXT)


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
        self.server = (_Server6 if ":" in host else _Server)((host, port), handler_for(self), max_connections)
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
