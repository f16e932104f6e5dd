"""How the gateway reads a request: one reading of where it ends (``Content-Length`` or chunks,
never both, each framing header once), its body as it arrives, and the queries and updates it
carries wherever they travel (the URL, a form, a SPARQL body)."""

from __future__ import annotations

import re
import urllib.parse

from ..iris import known_prefixes
from ..sparql import with_prefixes

BUFFER = 16 * 1024 * 1024           # the largest query or update read, and answer held to check it
CHUNK = 64 * 1024
LONG_URL = 6 * 1024                 # a GET query longer than this goes to Oxigraph as a POST
SPARQL_BODIES = ("application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded")
# Headers that say where a request ends and what it carries: given twice, the gateway and Oxigraph
# could each read another one (a Content-Type of text/plain hid a SPARQL body from the checks).
_ONCE = ("Content-Length", "Content-Type", "Transfer-Encoding", "Content-Encoding", "Host")
_FORM = "application/x-www-form-urlencoded"


class BadRequest(Exception):
    """A request the gateway answers itself with ``status`` and one line, then closes the
    connection (its body may not have been read to its end)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def check_framing(headers, request_version: str) -> None:
    """One reading of where the request ends and what it carries, or 400/501 (and the connection
    closed): a proxy that reads a request otherwise than the server behind it lets a second
    request ride inside the first."""
    if headers.defects:            # "Content-Length : 15": a line no header, the rest taken as body
        raise BadRequest(400, "malformed header line")
    for name in _ONCE:
        given = headers.get_all(name) or []
        if len(given) > 1:
            raise BadRequest(400, f"{name} given {len(given)} times: give it once")
    coding = headers.get("Transfer-Encoding")
    if coding is not None:
        if coding.strip().lower() != "chunked":
            raise BadRequest(501, f"Transfer-Encoding {coding[:30]!r} is not taken: send chunked or a Content-Length")
        if headers.get("Content-Length") is not None:
            raise BadRequest(400, "both Content-Length and Transfer-Encoding: give one")
    declared = (headers.get("Content-Length") or "0").strip()
    if not re.fullmatch(r"[0-9]{1,18}", declared):          # "²" is a digit to str.isdigit, not to int()
        raise BadRequest(400, f"Content-Length {declared[:20]!r} is not a number of bytes")
    if request_version != "HTTP/1.0" and not (headers.get("Host") or "").strip():
        raise BadRequest(400, "a Host header is required (HTTP/1.1)")


def body_chunks(rfile, headers, limit: int | None = None):
    """The request body read from ``rfile`` as it arrives (``Content-Length`` or chunked, as
    :func:`check_framing` let through); a chunk announced larger than ``limit`` bytes is refused
    before it is read."""
    if headers.get("Transfer-Encoding") is not None:
        while True:
            line = rfile.readline()
            digits = line.split(b";")[0].strip()
            if not digits or not all(c in b"0123456789abcdefABCDEF" for c in digits):  # int() takes "-1", "0x10"
                raise BadRequest(400, f"malformed chunked body: chunk size {line.strip()[:20]!r}")
            size = int(digits, 16)
            if limit is not None and size > limit:
                raise BadRequest(413, f"a query or update of more than {limit} bytes is refused")
            if size == 0:
                while rfile.readline().strip():
                    pass
                return
            yield from exactly(rfile, size)          # a chunk may be far larger than a read
            if rfile.readline() not in (b"\r\n", b"\n"):
                raise BadRequest(400, "malformed chunked body: a chunk longer than its size")
    yield from exactly(rfile, int(headers.get("Content-Length") or 0))


def exactly(rfile, left: int):
    """The next ``left`` bytes of ``rfile``, in pieces as they arrive."""
    while left > 0:
        data = rfile.read(min(CHUNK, left))
        if not data:
            raise ConnectionError("the client closed the connection mid-request")
        left -= len(data)
        yield data


def sparql_body(rfile, headers, content_type: str) -> bytes:
    """A query, update or form, read whole to be checked: at most :data:`BUFFER` bytes (413 before
    more is read), UTF-8 and uncompressed."""
    check_sparql_body_headers(headers, content_type)
    too_large = f"a query or update of more than {BUFFER} bytes is refused"
    if int((headers.get("Content-Length") or "0").strip()) > BUFFER:
        raise BadRequest(413, too_large)            # its body is not read
    body = bytearray()
    for piece in body_chunks(rfile, headers, BUFFER):      # chunked: counted as it arrives, not held past the limit
        body += piece
        if len(body) > BUFFER:
            raise BadRequest(413, too_large)        # the rest of the body is not read
    try:
        bytes(body).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(400, f"the request body is not UTF-8 text (byte {exc.start})") from None
    return bytes(body)


def check_sparql_body_headers(headers, content_type: str) -> None:
    """A query, update or form the gateway reads is UTF-8 and uncompressed (SPARQL 1.1 Protocol):
    another charset or a Content-Encoding is 415, where it had closed the connection unanswered."""
    encoding = headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise BadRequest(415, f"a body with Content-Encoding {encoding[:20]} is not taken: send it uncompressed")
    charset = re.search(r";\s*charset\s*=\s*\"?([^\";\s]+)", content_type, re.I)
    if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
        raise BadRequest(415, f"a body in charset {charset.group(1)[:20]} is not taken: send UTF-8")


def media_type(content_type: str) -> str:
    """``application/sparql-query`` of ``Application/SPARQL-Query; charset=utf-8``."""
    return content_type.split(";")[0].strip().lower()


class Carried:
    """The fields and SPARQL texts a request carries, read once: its URL's parameters, a form
    body's fields (each read of a form decoded its escapes again: three per request before)."""

    def __init__(self, path: str, content_type: str, body: bytes | None):
        self.url_fields = urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query, keep_blank_values=True)
        self.is_form = bool(body) and media_type(content_type) == _FORM
        text = body.decode("utf-8", "replace") if body else None
        self.form_fields = urllib.parse.parse_qsl(text, keep_blank_values=True) if self.is_form else []
        self.body_text = None if self.is_form else text         # a SPARQL body

    @property
    def fields(self) -> list[tuple[str, str]]:
        """The URL parameters and form fields, empty ones too."""
        return self.url_fields + self.form_fields

    @property
    def sparql(self) -> list[str]:
        """Every query or update carried (URL parameters, form fields, a SPARQL body)."""
        texts = [v for k, v in self.fields if k in ("query", "update") and v]
        if self.body_text:
            texts.append(self.body_text)
        return texts


def with_declared_prefixes(path: str, content_type: str, body: bytes | None,
                           carried: Carried) -> tuple[str, bytes | None, int]:
    """The request with graphkit's prefixes declared in the query it carries (in the URL, a form
    or a ``application/sparql-query`` body), and how many characters went before the user's text.
    A query that declares what it uses goes on as it came, not encoded again."""
    prefixes = known_prefixes()
    shift = 0

    def declared(text: str) -> str:
        nonlocal shift
        sent = with_prefixes(text, prefixes)
        shift = len(sent) - len(text)
        return sent

    def encoded(fields: list[tuple[str, str]]) -> str | None:
        """The fields encoded again with the query's prefixes declared, or None if none was missing."""
        sent = [(k, declared(v) if k == "query" else v) for k, v in fields]
        return urllib.parse.urlencode(sent) if sent != fields else None

    query = encoded(carried.url_fields)
    if query is not None:
        path = urllib.parse.urlunsplit(urllib.parse.urlsplit(path)._replace(query=query))
    if carried.is_form:
        form = encoded(carried.form_fields)
        if form is not None:
            body = form.encode("utf-8")
    elif body and media_type(content_type) == "application/sparql-query":
        body = declared(carried.body_text).encode("utf-8")
    return path, body, shift
