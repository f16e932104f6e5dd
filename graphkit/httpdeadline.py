"""HTTP exchanges held to one deadline: connecting, sending, the status line, each header line and
the body, each wait no longer than what is left of it.

A socket's timeout bounds one read, not an answer: a server sending a header line every few
seconds had kept a client with a 2 s timeout waiting 15 s (one timeout per line). Here every read
and write first sets the socket's timeout to the time left, and a read asked for past the deadline
raises ``TimeoutError`` (as a socket's timeout does) without waiting.

``deadline`` is a ``time.monotonic()`` value, or None for no limit. :class:`BoundedHTTPConnection`
is an ``http.client`` connection whose ``deadline`` may be set anew for each request on a kept-alive
connection; :func:`bounded_opener` is a urllib opener whose connections keep one deadline.
:func:`read_body` bounds an answer's size as the deadline bounds its time.
"""

from __future__ import annotations

import functools
import http.client
import io
import socket
import time
import urllib.request

# A TLS server answers the client's hello within a round trip; a server speaking plain HTTP on the
# port waits for the end of a request line that never comes (Oxigraph's server did, until the
# client's timeout ran out). After this many seconds without the handshake, the port is asked a
# plain HTTP request: an HTTP answer ends the wait at once.
PLAIN_HTTP_PROBE_AFTER = 1.0
# The most one answer may hold. An endpoint streaming without end (a broken or hostile one) had
# filled 1.9 GB of memory in 8 s, bounded only by the timeout (none with --timeout 0); the whole
# release (77.8k triples) is 11.6 MB as N-Triples.
MAX_ANSWER_BYTES = 512 << 20


class AnswerTooLarge(Exception):
    """An HTTP answer longer than :data:`MAX_ANSWER_BYTES`."""


def read_body(response) -> bytes:
    """The body of an HTTP answer (``http.client`` or urllib), at most :data:`MAX_ANSWER_BYTES`:
    :class:`AnswerTooLarge` by its declared length before it is read, else when it runs past."""
    length = response.getheader("Content-Length") or ""
    if length.isdigit():
        if int(length) > MAX_ANSWER_BYTES:
            raise AnswerTooLarge(MAX_ANSWER_BYTES)
        return response.read()
    # Chunked or ended by closing: read in pieces (read(n) would allocate n bytes at once).
    parts, size = [], 0
    while piece := response.read(1 << 20):
        size += len(piece)
        if size > MAX_ANSWER_BYTES:
            raise AnswerTooLarge(MAX_ANSWER_BYTES)
        parts.append(piece)
    return b"".join(parts)


def time_left(deadline: float | None) -> float | None:
    """Seconds until ``deadline`` (None: no limit); ``TimeoutError`` when it has passed."""
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("timed out")
    return left


class _BoundedReader(io.RawIOBase):
    """The raw reader under an answer: each read waits at most until the deadline."""

    def __init__(self, raw, sock, deadline: float | None):
        self._raw, self._sock, self._deadline = raw, sock, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self._sock.settimeout(time_left(self._deadline))
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()         # the socket's reader: the connection closes when both are done with it
        super().close()


class _BoundedResponse(http.client.HTTPResponse):
    def __init__(self, sock, deadline: float | None, *args, **kwargs):
        super().__init__(sock, *args, **kwargs)
        self.fp = io.BufferedReader(_BoundedReader(self.fp.detach(), sock, deadline))


class _Bounded:
    """What makes an ``http.client`` connection keep ``self.deadline`` (a mixin)."""

    def __init__(self, *args, deadline: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self) -> None:
        self.timeout = time_left(self.deadline)
        super().connect()

    def send(self, data) -> None:
        if self.sock is None and self.auto_open:
            self.connect()
        if self.sock is not None:
            self.sock.settimeout(time_left(self.deadline))
        super().send(data)

    def response_class(self, sock, *args, **kwargs):       # what getresponse() builds the answer with
        return _BoundedResponse(sock, self.deadline, *args, **kwargs)


class BoundedHTTPConnection(_Bounded, http.client.HTTPConnection):
    pass


class PlainHTTPServer(ConnectionError):
    """An https:// URL whose server speaks plain HTTP."""


class BoundedHTTPSConnection(_Bounded, http.client.HTTPSConnection):
    def connect(self) -> None:
        """Connect and shake hands within :data:`PLAIN_HTTP_PROBE_AFTER` seconds, else ask the port
        whether it speaks plain HTTP (:class:`PlainHTTPServer` when it does) and try again with
        what is left of the deadline."""
        first_wait = PLAIN_HTTP_PROBE_AFTER if self.deadline is None else min(PLAIN_HTTP_PROBE_AFTER,
                                                                                time_left(self.deadline))
        try:
            self._connect_within(first_wait)
            return
        except TimeoutError:
            self.close()            # the server's worker waiting on the hello is let go before the probe
            # Through a proxy's tunnel the port is the proxy's, which speaks plain HTTP itself.
            if getattr(self, "_tunnel_host", None) is None and speaks_plain_http(self.host, self.port, first_wait):
                raise PlainHTTPServer(f"the server at {self.host}:{self.port} answers plain HTTP, not HTTPS: "
                                      "give the URL with http://") from None
        self._connect_within(time_left(self.deadline))

    def _connect_within(self, seconds: float | None) -> None:
        self.timeout = seconds
        http.client.HTTPSConnection.connect(self)


def speaks_plain_http(host: str, port: int, seconds: float) -> bool:
    """Whether the server at ``host``:``port`` answers a plain HTTP request (``HEAD /``) with an
    HTTP status line within ``seconds``."""
    try:
        with socket.create_connection((host, port), timeout=seconds) as probe:
            probe.sendall(f"HEAD / HTTP/1.0\r\nHost: {host}\r\n\r\n".encode("ascii", "replace"))
            return probe.recv(5) == b"HTTP/"
    except OSError:
        return False


def bounded_opener(deadline: float | None, *handlers) -> urllib.request.OpenerDirector:
    """urllib's opener (with ``handlers`` besides, such as a redirect handler) whose HTTP and
    HTTPS connections keep ``deadline``."""

    class Bounded:
        def do_open(self, http_class, req, **kwargs):       # urllib's connection, made one that keeps it
            bounded = BoundedHTTPSConnection if issubclass(http_class, http.client.HTTPSConnection) \
                else BoundedHTTPConnection
            return super().do_open(functools.partial(bounded, deadline=deadline), req, **kwargs)

    class HTTPHandler(Bounded, urllib.request.HTTPHandler):
        pass

    class HTTPSHandler(Bounded, urllib.request.HTTPSHandler):
        pass

    return urllib.request.build_opener(HTTPHandler, HTTPSHandler, *handlers)
