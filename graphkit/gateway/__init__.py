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

The modules: :mod:`~graphkit.gateway.proxy` (the server, :class:`Gateway`),
:mod:`~graphkit.gateway.handler` (one request), :mod:`~graphkit.gateway.requests` (reading it),
:mod:`~graphkit.gateway.policy` (what is refused), :mod:`~graphkit.gateway.answers` (Oxigraph's
answers); this package gives what the rest of graphkit uses.
"""

from __future__ import annotations

from .answers import CANCELLED, complete
from .policy import Policy
from .proxy import HEADERS_DEADLINE, MAX_CONNECTIONS, Gateway
from .requests import BUFFER

__all__ = ["BUFFER", "CANCELLED", "Gateway", "HEADERS_DEADLINE", "MAX_CONNECTIONS", "Policy", "complete"]
