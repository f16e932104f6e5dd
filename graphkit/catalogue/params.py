"""Parameter values as RDF terms: what a catalogue query's ``--param name=value`` becomes.

Each value is checked against its parameter's type (see :data:`.files.PARAM_TYPES`) and
turned into an IRI or a typed literal (pyoxigraph terms: binding needs no rdflib); an optional parameter given ``any`` stays unbound.
Entity parameters accept an id (``jmml``), a label or synonym in any case (``JMML in
relapse``), a CURIE (``MONDO:0011908`` or ``gke:jmml``) or an IRI, and name the closest
labels when nothing matches.
"""

from __future__ import annotations

import difflib
import re
import weakref

from pyoxigraph import Literal, NamedNode

from ..errors import QueryError, did_you_mean, shorten
from ..iris import ENTITY_ID, GK, GKE, GKSRC, PREFIXES, XSD, is_curie
from ..sparql import substitute
from ..store import EndpointStore, Store
from ..terms import IRI, sparql_text
from .files import Param

CERTAINTY = {"established": "Established", "possible": "Possible", "under_study": "UnderStudy",
             "unclear": "Unclear"}
ANY = {"any", "all", "*", ""}

_ASK = "ASK WHERE { ?term ?p ?o }"
_LABEL_LOOKUP = """
SELECT DISTINCT ?e ?label WHERE {
  ?e rdfs:label|skos:altLabel ?name .
  FILTER(LCASE(STR(?name)) = LCASE(STR(?needle)))
  ?e rdfs:label ?label .
  FILTER(STRSTARTS(STR(?e), "https://w3id.org/graphkit/entity/") || EXISTS { ?e a gk:ICD10Code })
}"""
_ENTITY_NAMES = """
SELECT DISTINCT ?e ?name ?label WHERE {
  ?e rdfs:label|skos:altLabel ?name .
  ?e rdfs:label ?label .
  FILTER(STRSTARTS(STR(?e), "https://w3id.org/graphkit/entity/") || EXISTS { ?e a gk:ICD10Code })
}"""
_ALL_LABELS = """
SELECT DISTINCT ?name WHERE {
  ?e rdfs:label|skos:altLabel ?name .
  FILTER(STRSTARTS(STR(?e), "https://w3id.org/graphkit/entity/"))
}"""
_SOURCES = "SELECT ?s ?number WHERE { ?s a gk:SourceDocument ; gk:documentNumber ?number }"


# Embedded store -> {lower-cased label or synonym: {entity IRI: its label}}: read once per store
# (its data never changes), so a name is resolved by a lookup, not a scan of every label.
_NAME_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _entities_named(store: Store, value: str) -> dict[str, str]:
    """Entity IRI -> label of the entities whose label or synonym is ``value`` (any case)."""
    if isinstance(store, EndpointStore):             # a server's data may change: ask it each time
        rows = store.query(_bound(_LABEL_LOOKUP, needle=Literal(value))).texts()
        return {row["e"]: row["label"] for row in rows}
    index = _NAME_INDEXES.get(store)
    if index is None:
        index = {}
        for row in store.query(_ENTITY_NAMES).texts():
            index.setdefault(row["name"].lower(), {})[row["e"]] = row["label"]
        _NAME_INDEXES[store] = index
    return dict(index.get(value.lower(), {}))


def _bound(query: str, **values) -> str:
    return substitute(query, {name: sparql_text(term) for name, term in values.items()})


def _exists(store: Store, term: NamedNode) -> bool:
    return store.query(_bound(_ASK, term=term)).boolean


def resolve_entity(store: Store, value: str) -> NamedNode:
    """The entity an id, label, synonym, CURIE or IRI names; a clear error otherwise."""
    value = value.strip()
    if not value:
        raise QueryError("empty entity name")
    candidates: list[str] = []
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if re.match(r"^https?://", value):
        candidates.append(value)
    elif ENTITY_ID.match(value):
        candidates.append(GKE + value)
    elif value.startswith("gke:") and ENTITY_ID.match(value[4:]):
        candidates.append(GKE + value[4:])
    elif is_curie(value) and " " not in value:
        candidates.append(PREFIXES.expand(value))
    for iri in candidates:
        if IRI.match(iri) and _exists(store, NamedNode(iri)):
            return NamedNode(iri)
    found = _entities_named(store, value)
    if len(found) == 1:
        return NamedNode(next(iter(found)))
    if len(found) > 1:
        listing = ", ".join(f"{label} ({iri})" for iri, label in sorted(found.items()))
        raise QueryError(f"{shorten(value)!r} names several entities: {listing}; use an id")
    names = [row["name"] for row in store.query(_ALL_LABELS).texts()]
    close = difflib.get_close_matches(value.lower(), [n.lower() for n in names], n=12, cutoff=0.6)
    raise QueryError(f"no entity with id, label or synonym {shorten(value)!r}{did_you_mean(close)}")


def _boolean(value: str) -> Literal:
    lowered = str(value).strip().lower()
    if lowered in ("true", "yes", "1", "on"):
        return Literal(True)
    if lowered in ("false", "no", "0", "off"):
        return Literal(False)
    raise QueryError(f"not a boolean: {shorten(value)!r} (use true or false)")


def convert_param(store: Store, param: Param, raw) -> object:
    """An RDF term for ``raw`` according to the parameter's type (None = unbound)."""
    text = "" if raw is None else str(raw)
    if param.optional and text.strip().lower() in ANY:
        return None
    if param.choices and text not in param.choices:
        raise QueryError(f"parameter {param.name} must be one of {list(param.choices)}, got {shorten(text)!r}")
    kind = param.type
    if kind == "entity":
        return resolve_entity(store, text)
    if kind == "string":
        return Literal(text)
    if kind in ("integer", "decimal"):
        try:
            number = int(text) if kind == "integer" else float(text)
        except ValueError:
            raise QueryError(f"parameter {param.name} takes {'an' if kind == 'integer' else 'a'} {kind}, "
                             f"got {shorten(text)!r}") from None
        return Literal(str(number), datatype=NamedNode(XSD + ("integer" if kind == "integer" else "decimal")))
    if kind == "boolean":
        return _boolean(text)
    if kind == "iri":
        if not re.match(r"^https?://", text) or not IRI.match(text):
            raise QueryError(f"parameter {param.name} takes an http(s) IRI, got {shorten(text)!r}")
        return NamedNode(text)
    if kind == "certainty":
        if text not in CERTAINTY:
            raise QueryError(f"parameter {param.name} takes one of {sorted(CERTAINTY)} or any, got {shorten(text)!r}")
        return NamedNode(GK + CERTAINTY[text])
    if kind == "source":
        return _resolve_source(store, text)
    if kind in ("predicate", "class"):
        local = text[3:] if text.startswith("gk:") else text
        iri = NamedNode(GK + local) if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", local) else None
        if iri is None or not _exists(store, iri):
            raise QueryError(f"parameter {param.name}: no schema {kind} named {shorten(text)!r}")
        return iri
    if kind == "prefix":
        prefix = PREFIXES.standardize_prefix(text)
        if prefix is None:
            raise QueryError(f"parameter {param.name}: unknown identifier prefix {shorten(text)!r}")
        return Literal(PREFIXES.prefix_map[prefix])
    raise QueryError(f"unsupported parameter type {kind!r}")


def _resolve_source(store: Store, text: str) -> NamedNode:
    rows = store.query(_SOURCES).texts()
    by_key = {}
    for row in rows:
        by_key[row["s"][len(GKSRC):]] = NamedNode(row["s"])
        by_key[row["number"]] = NamedNode(row["s"])
    key = text[len("gksrc:"):] if text.startswith("gksrc:") else text
    if key in by_key:
        return by_key[key]
    raise QueryError(f"unknown source {shorten(text)!r}; sources: {', '.join(sorted(k for k in by_key if not k.isdigit()))} "
                     f"(or their numbers 000-004)")
