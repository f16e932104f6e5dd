"""What the gateway makes of Oxigraph's answers: whether one ended as a whole document of its
type (Oxigraph appends an error text to an answer it cannot finish), the headers that stay
between two hops, and the service description made true of the gateway's endpoint."""

from __future__ import annotations

import pyoxigraph as ox

from ..store.endpoint import CANCELLED

SD = "http://www.w3.org/ns/sparql-service-description#"
# Not "host": the client's Host goes on to Oxigraph, which resolves a relative graph name against
# it; without it, /store/x named the graph <http://127.0.0.1:PRIVATE/store/x> and the 404 said so.
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "content-length", "expect"}


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


def describe_service(body: bytes, content_type: str, private: str, public: str, route: str,
                     allow_service: bool) -> bytes:
    """Oxigraph's description of its endpoint (``body``, the answer to a GET of ``route``), made
    true of the gateway's: the IRIs under ``private`` (Oxigraph's own port, which bypasses the
    gateway's checks) moved under ``public`` (the server the client reached), and no federated
    query feature unless ``allow_service``."""
    try:
        rdf_format = ox.RdfFormat.from_media_type(content_type.split(";")[0].strip())
        quads = list(ox.parse(body, format=rdf_format, base_iri=public + route.lstrip("/")))
    except (ValueError, SyntaxError):
        return body
    federated = ox.NamedNode(SD + "BasicFederatedQuery")
    kept = []
    for quad in quads:
        if quad.object == federated and not allow_service:
            continue
        if isinstance(quad.object, ox.NamedNode) and quad.object.value.startswith(private):
            quad = ox.Quad(quad.subject, quad.predicate,
                           ox.NamedNode(public + quad.object.value[len(private):]), quad.graph_name)
        kept.append(quad if rdf_format.supports_datasets else quad.triple)
    return ox.serialize(kept, format=rdf_format, prefixes={"sd": SD})
