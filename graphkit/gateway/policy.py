"""What the gateway lets through (:class:`Policy`) and why it refuses a request: SERVICE and
LOAD, which would make the server fetch other URLs; writes from other web pages; other host
names on a loopback address; queries too deeply nested for Oxigraph."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from ..server import is_loopback
from ..sparql import keywords, services, too_complex

READ_METHODS = {"GET", "HEAD", "OPTIONS"}
UNTIMED_WAIT = 3630.0       # seconds of silence a request no query timeout covers may take (an hour and a grace)
_ROUTE_UPDATE = re.compile(r"/update(/|$)")
_ROUTE_STORE = re.compile(r"/store(/|$)")


@dataclass(frozen=True)
class Policy:
    """What the gateway lets through."""

    allow_service: bool = False          # SERVICE clauses and LOAD operations
    query_timeout: float | None = 30.0   # Oxigraph's query timeout (seconds), for the messages and the upstream wait
    grace: float = 5.0                   # seconds past the query timeout before a silent query counts as stuck

    def upstream_wait(self, query: bool) -> float:
        """How long to wait for Oxigraph's next bytes: a query past its timeout and the grace is
        stuck; no timeout covers other requests (updates, uploads, downloads of whole graphs), which
        get an hour. They had the query timeout + 30 s: a push's MOVE of the release's graphs, silent
        for over a minute on a busy machine, was answered 504 while Oxigraph went on to commit it."""
        if query and self.query_timeout:
            return self.query_timeout + self.grace
        return UNTIMED_WAIT

    def timed_out(self) -> str:
        return (f"the query was stopped after {self.query_timeout:g} s, the server's query timeout "
                f"(graphkit serve --query-timeout S)")


def host_name(value: str) -> str:
    """The host part of a Host header or an origin's authority (no port, IPv6 brackets kept)."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[:value.find("]") + 1]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def refusal(policy: Policy, listening_host: str, method: str, path: str, headers, sparql: list[str]) -> str | None:
    """Why a request to a gateway listening on ``listening_host`` is refused, or None
    (``sparql``: the queries and updates it carries)."""
    host = host_name(headers.get("Host", ""))
    if is_loopback(listening_host) and host and not is_loopback(host):
        return (f"host name {host!r} refused: this server listens on a loopback address and answers "
                f"only to loopback names")
    if writes(method, path, sparql):
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
    return service_refusal(policy, sparql)


def service_refusal(policy: Policy, sparql: list[str]) -> str | None:
    """Why the queries or updates ``sparql`` are refused for fetching other URLs, or None."""
    if not policy.allow_service:
        for text in sparql:
            found = services(text)
            if found:
                return (f"SERVICE {', '.join(found)} refused: a query must not make the server fetch other URLs "
                        f"(graphkit serve --allow-service allows it)")
            if "LOAD" in keywords(text):
                return ("LOAD refused: an update must not make the server fetch other URLs "
                        "(graphkit serve --allow-service allows it)")
    return None


def writes(method: str, path: str, sparql: list[str]) -> bool:
    """Whether a request changes data: an update, or a write to the graph store."""
    route = urllib.parse.urlsplit(path).path.rstrip("/")
    if _ROUTE_UPDATE.search(route):
        return method not in READ_METHODS or bool(sparql)
    # /store/NAME is a graph Oxigraph names by that URL: a POST there from another site wrote data.
    return bool(_ROUTE_STORE.search(route)) and method not in READ_METHODS
