"""Run catalogue queries and ad hoc SPARQL with parameters bound safely, on any back end.

Parameters are bound as RDF terms: each value is converted to an IRI or a typed literal
(validated, escaped) and substituted for its variable wherever the variable occurs in the
query's patterns and expressions (prepared substitution of typed terms), never spliced into the query text as raw strings. An optional parameter left unbound keeps its
variable. Entity parameters accept an id (``jmml``), a label or synonym in any case
(``JMML in relapse``), a CURIE (``MONDO:0011908`` or ``gke:jmml``) or an IRI.

>>> substitute("SELECT ?o WHERE { ?x ?p ?o }", {"x": Literal('} ; DROP ALL')})
'SELECT ?o WHERE { "} ; DROP ALL" ?p ?o }'

Substitution (rather than a VALUES join) lets every engine start from the bound terms:
Oxigraph and rdflib both evaluate an inline VALUES block as a separate relation joined
afterwards, which makes property-path queries orders of magnitude slower.
"""

from __future__ import annotations

import difflib
import re
import sys
import types
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .catalogue import CatalogueQuery, Param, load_catalogue, parse_query_text
from .errors import QueryError
from .namespaces import CONVERTER, ENTITY_ID, GK, GKE, GKSRC, expand, is_curie
from .project import Project
from .store import Results, Store, open_store
from .turtle import escape_string

_IRI = re.compile(r'^[^<>"{}|^`\\\x00-\x20]+$')
_IRIREF_AT = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
CERTAINTY = {"established": "Established", "possible": "Possible", "under_study": "UnderStudy",
             "unclear": "Unclear"}
ANY = {"any", "all", "*", ""}


# ---------------------------------------------------------------------------------------------
# Binding parameters by substitution


def _term_text(term) -> str:
    if isinstance(term, URIRef):
        if not _IRI.match(str(term)):
            raise QueryError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        body = f'"{escape_string(str(term))}"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{body}^^<{term.datatype}>"
        return body
    raise QueryError(f"cannot bind {term!r}")


_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _code(text: str):
    """(index, char) of every character outside comments, strings and IRIs: the query's syntax."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            i = n if end == -1 else end
            continue
        if ch in "\"'":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        if ch == "<":
            match = _IRIREF_AT.match(text, i)
            if match:
                i = match.end()
                continue
        yield i, ch
        i += 1


def _where_brace(text: str) -> int:
    """Index of the ``{`` that opens the query's WHERE group."""
    depth, first_brace, after_where, skip_to = 0, None, False, 0
    for i, ch in _code(text):
        if i < skip_to:
            continue
        if ch == "{":
            if depth == 0:
                if after_where:
                    return i
                if first_brace is None:
                    first_brace = i
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and text[i:i + 5].upper() == "WHERE" and not (text[i - 1:i].isalnum() or text[i - 1:i] in "?$_") \
                and not text[i + 5:i + 6].isalnum():
            after_where, skip_to = True, i + 5
    if re.search(r"(?i)\bCONSTRUCT\b", text) and not after_where:
        raise QueryError("a CONSTRUCT query needs an explicit WHERE clause to take parameters")
    if first_brace is None:
        raise QueryError("malformed SPARQL: no WHERE group found")
    return first_brace


@dataclass(frozen=True)
class Prepared:
    """A query and its parameter bindings (RDF terms; None = left unbound)."""

    body: str
    bindings: dict

    @property
    def text(self) -> str:
        return substitute(self.body, self.bindings)


def _scan_variables(text: str):
    """(start, end, name) of every variable outside strings, IRIs and comments."""
    skip_to = 0
    for i, ch in _code(text):
        if i < skip_to or ch not in "?$":
            continue
        match = _VARIABLE_NAME.match(text, i + 1)
        if match:
            yield i, match.end(), match.group(0)
            skip_to = match.end()


def projected_variables(text: str) -> set[str]:
    """Variables named in the SELECT clause (before the WHERE group)."""
    head = text[:_where_brace(text)]
    return {name for _, _, name in _scan_variables(head)}


def substitute(text: str, bindings: dict) -> str:
    """``text`` with each bound variable replaced by its term (unbound ones are kept)."""
    bound = {name: _term_text(term) for name, term in bindings.items() if term is not None}
    clash = projected_variables(text) & set(bound)
    if clash:
        raise QueryError(f"parameter variable(s) {sorted(clash)} must not be projected by the query")
    out, last = [], 0
    for start, end, name in _scan_variables(text):
        if name in bound:
            out.append(text[last:start])
            out.append(bound[name])
            last = end
    out.append(text[last:])
    return "".join(out)


def concat_columns(query_text: str) -> dict[str, str]:
    """Variables computed with GROUP_CONCAT and their separators: the order of their parts is
    not defined by SPARQL, so comparisons across engines sort the parts first."""
    pattern = r'GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?SEPARATOR\s*=\s*"([^"]*)"\s*\)\s*AS\s*\?(\w+)'
    return {var: sep for sep, var in re.findall(pattern, query_text, flags=re.IGNORECASE)}


# ---------------------------------------------------------------------------------------------
# Parameter values


_LABEL_LOOKUP = """
SELECT DISTINCT ?e ?label WHERE {
  ?e rdfs:label|skos:altLabel ?name .
  FILTER(LCASE(STR(?name)) = LCASE(STR(?needle)))
  ?e rdfs:label ?label .
  FILTER(STRSTARTS(STR(?e), "https://w3id.org/graphkit/entity/") || EXISTS { ?e a gk:ICD10Code })
}"""
_ALL_LABELS = """
SELECT DISTINCT ?name WHERE {
  ?e rdfs:label|skos:altLabel ?name .
  FILTER(STRSTARTS(STR(?e), "https://w3id.org/graphkit/entity/"))
}"""


def resolve_entity(store: Store, value: str) -> URIRef:
    """The entity an id, label, synonym, CURIE or IRI names; a clear error otherwise."""
    value = value.strip()
    if not value:
        raise QueryError("empty entity name")
    candidates: list[URIRef] = []
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if re.match(r"^https?://", value):
        candidates.append(URIRef(value))
    elif ENTITY_ID.match(value):
        candidates.append(GKE[value])
    elif value.startswith("gke:") and ENTITY_ID.match(value[4:]):
        candidates.append(GKE[value[4:]])
    elif is_curie(value) and " " not in value:
        candidates.append(expand(CONVERTER.standardize_curie(value) or value))
    for iri in candidates:
        if _IRI.match(str(iri)) and store.query(Prepared("ASK WHERE { ?e ?p ?o }", {"e": iri})).boolean:
            return iri
    rows = store.query(Prepared(_LABEL_LOOKUP, {"needle": Literal(value)})).rows
    found = {row["e"]: str(row["label"]) for row in rows}
    if len(found) == 1:
        return next(iter(found))
    if len(found) > 1:
        listing = ", ".join(f"{label} ({iri})" for iri, label in sorted(found.items()))
        raise QueryError(f"{value!r} names several entities: {listing}; use an id")
    names = [str(r["name"]) for r in store.query(_ALL_LABELS).rows]
    close = difflib.get_close_matches(value.lower(), [n.lower() for n in names], n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
    raise QueryError(f"no entity with id, label or synonym {value!r}{hint}")


def _boolean(value: str) -> Literal:
    lowered = str(value).strip().lower()
    if lowered in ("true", "yes", "1", "on"):
        return Literal(True)
    if lowered in ("false", "no", "0", "off"):
        return Literal(False)
    raise QueryError(f"not a boolean: {value!r} (use true or false)")


def convert_param(store: Store, param: Param, raw) -> object:
    """An RDF term for ``raw`` according to the parameter's type (None = unbound)."""
    text = "" if raw is None else str(raw)
    if param.optional and text.strip().lower() in ANY:
        return None
    if param.choices and text not in param.choices:
        raise QueryError(f"parameter {param.name} must be one of {list(param.choices)}, got {text!r}")
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
                             f"got {text!r}") from None
        return Literal(str(number), datatype=XSD.integer if kind == "integer" else XSD.decimal)
    if kind == "boolean":
        return _boolean(text)
    if kind == "iri":
        if not re.match(r"^https?://", text) or not _IRI.match(text):
            raise QueryError(f"parameter {param.name} takes an http(s) IRI, got {text!r}")
        return URIRef(text)
    if kind == "certainty":
        if text not in CERTAINTY:
            raise QueryError(f"parameter {param.name} takes one of {sorted(CERTAINTY)} or any, got {text!r}")
        return GK[CERTAINTY[text]]
    if kind == "source":
        return _resolve_source(store, text)
    if kind in ("predicate", "class"):
        local = text[3:] if text.startswith("gk:") else text
        iri = GK[local]
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", local) or not store.query(
                Prepared("ASK WHERE { ?t ?p ?o }", {"t": iri})).boolean:
            raise QueryError(f"parameter {param.name}: no schema {kind} named {text!r}")
        return iri
    if kind == "prefix":
        prefix = CONVERTER.standardize_prefix(text)
        if prefix is None:
            raise QueryError(f"parameter {param.name}: unknown identifier prefix {text!r}")
        return Literal(CONVERTER.prefix_map[prefix])
    raise QueryError(f"unsupported parameter type {kind!r}")


_SOURCES = "SELECT ?s ?number WHERE { ?s a gk:SourceDocument ; gk:documentNumber ?number }"


def _resolve_source(store: Store, text: str) -> URIRef:
    rows = store.query(_SOURCES).rows
    by_key = {}
    for row in rows:
        by_key[str(row["s"])[len(str(GKSRC)):]] = row["s"]
        by_key[str(row["number"])] = row["s"]
    key = text[len("gksrc:"):] if text.startswith("gksrc:") else text
    if key in by_key:
        return by_key[key]
    raise QueryError(f"unknown source {text!r}; sources: {', '.join(sorted(k for k in by_key if not k.isdigit()))} "
                     f"(or their numbers 000-004)")


# ---------------------------------------------------------------------------------------------
# Running


@dataclass
class Catalogue:
    project: Project

    def queries(self) -> dict[str, CatalogueQuery]:
        return load_catalogue(self.project.queries_dir)

    def names(self) -> list[str]:
        return sorted(path.stem for path in self.project.queries_dir.glob("*.rq"))

    def get(self, name: str) -> CatalogueQuery:
        path = self.project.queries_dir / f"{name}.rq"
        if re.fullmatch(r"[A-Za-z0-9_.-]+", name) and path.exists():
            return parse_query_text(path.read_text(encoding="utf-8"), name, path)
        close = difflib.get_close_matches(name, self.names(), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `graphkit query --list` shows them"
        raise QueryError(f"no query named {name!r} in the catalogue{hint}")


def prepare(query: CatalogueQuery, store: Store, params: dict | None = None) -> Prepared:
    """The query with every parameter bound (given values, else defaults); ``.text`` is the
    portable SPARQL with each parameter replaced by its RDF term."""
    params = dict(params or {})
    unknown = set(params) - set(query.params)
    if unknown:
        names = sorted(unknown)
        known = ", ".join(query.params) or "none"
        close = difflib.get_close_matches(names[0], list(query.params), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise QueryError(f"query {query.name} has no parameter {names[0]!r}{hint}; its parameters: {known}")
    bindings = {}
    for name, param in query.params.items():
        raw = params.get(name, param.default)
        bindings[name] = convert_param(store, param, raw)
    return Prepared(query.body, bindings)


def run(query: CatalogueQuery | str, params: dict | None = None, store: Store | None = None,
        project: Project | None = None, endpoint: str | None = None, timeout: float = 30.0) -> Results:
    """Run a catalogue query (by name or object) or an ad hoc query text (optionally with a ``#+``
    header declaring parameters) on ``store``, else on ``endpoint`` (a SPARQL 1.1 query URL), else
    on the embedded store of the built graph. The module itself is callable as this function.

    >>> import graphkit                                                          # doctest: +SKIP
    >>> graphkit.query("drugs-by-target", {"target": "CD19"}).records()[0]["therapy_label"]  # doctest: +SKIP
    'blinatumomab'
    >>> graphkit.query("subtypes-of", endpoint="http://127.0.0.1:7878/query")   # doctest: +SKIP
    """
    project = project or Project.locate()
    if isinstance(query, str):
        if "\n" in query or " " in query.strip():
            query = parse_query_text(query if query.lstrip().startswith("#+") else "#+ summary: ad hoc\n" + query,
                                     "ad-hoc")
        else:
            query = Catalogue(project).get(query)
    store = store or open_store(project, endpoint=endpoint, timeout=timeout)
    return store.query(prepare(query, store, params))


class _CallableModule(types.ModuleType):
    """Lets ``graphkit.query(...)`` run a query while ``graphkit.query`` stays the module that
    ``from graphkit.query import Catalogue`` needs."""

    def __call__(self, *args, **kwargs) -> Results:
        return run(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
