"""Run catalogue queries and ad hoc SPARQL with parameters bound safely, on any back end.

Parameters are bound as RDF terms: each value is converted to an IRI or a typed literal
(validated, escaped: :mod:`.params`) and substituted for its variable wherever the variable
occurs in the query's patterns and expressions (prepared substitution of typed terms), never
spliced into the query text as raw strings. An optional parameter left unbound keeps its
variable.

>>> from rdflib import Literal
>>> Prepared("SELECT ?o WHERE { ?x ?p ?o }", {"x": Literal('} ; DROP ALL')}).text
'SELECT ?o WHERE { "} ; DROP ALL" ?p ?o }'

Substitution (rather than a VALUES join) lets every engine start from the bound terms:
Oxigraph and rdflib both evaluate an inline VALUES block as a separate relation joined
afterwards, which makes property-path queries orders of magnitude slower.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode

from .. import entitynames
from ..errors import QueryError, QueryTimeout, shorten, suggestion, timeout_problem
from ..output import counted
from ..project import Project
from ..sparql import concat_columns, refuse_update
from ..store import QUERY_TIMEOUT, Results, Store, default_store, open_store
from ..iris import compact
from ..terms import bound, text
from .files import Catalogue, CatalogueQuery, param_option, parse_query_text, unknown_kinds
from .params import convert_param, entity_description, entity_kinds, kind_classes, kind_description


@dataclass(frozen=True)
class Prepared:
    """A query and its parameter bindings (RDF terms; None = left unbound), and notes on how
    values were read (an identifier taken from a loose mapping)."""

    body: str
    bindings: dict
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def text(self) -> str:
        """The portable SPARQL: each bound parameter's variable replaced by its term."""
        return bound(self.body, **{name: term for name, term in self.bindings.items() if term is not None})


# (a query name such as describe-entity may start with a keyword: the keyword ends at a space or a term)
_SPARQL_START = re.compile(r"\s*(SELECT|ASK|CONSTRUCT|DESCRIBE|PREFIX|BASE)(?=[\s*<?$({])", re.IGNORECASE)


def load_query(query: CatalogueQuery | str, project: Project | None = None) -> CatalogueQuery:
    """A catalogue query given by name, an ad hoc query text (with or without a ``#+`` header
    declaring parameters), or the query itself."""
    if isinstance(query, CatalogueQuery):
        return query
    # "symptoms of disease" is a name written with spaces; SPARQL has a group, a header or a keyword first
    if "{" in query or query.lstrip().startswith("#") or _SPARQL_START.match(query):
        return ad_hoc_query(query)
    return Catalogue(project if project is not None else Project.current()).get(query)


def ad_hoc_query(text: str, name: str = "ad-hoc", path: Path | None = None) -> CatalogueQuery:
    """A query text of the user's, with or without a ``#+`` header declaring parameters (a
    summary is not needed: it is "ad hoc")."""
    return parse_query_text(text, name, path, summary="ad hoc")


def prepare(query: CatalogueQuery | str, store: Store, params: dict | None = None,
            project: Project | None = None) -> Prepared:
    """The query (see :func:`load_query`) with every parameter bound: the given values, else the
    defaults. ``.text`` is the portable SPARQL with each parameter replaced by its RDF term."""
    query = load_query(query, project)
    refuse_update(query.body)
    params = dict(params or {})
    unknown = set(params) - set(query.params)
    if unknown:
        names = sorted(unknown)
        known = ", ".join(query.params) or "none"
        by_case = {name.lower(): name for name in query.params}      # "DISEASE" is disease: said so
        hint = suggestion(names[0].lower(), by_case, n=1, shown=by_case)
        raise QueryError(f"query {query.name} has no parameter {shorten(names[0])!r}{hint}; its parameters: {known}")
    if any(param.kinds for param in query.params.values()):
        # a kind the schema lacks (a typo in the header) would prefer nothing, silently
        classes = kind_classes(store)
        wrong = unknown_kinds(query, classes) if classes else []
        if wrong:
            raise QueryError(wrong[0])
    notes: list[str] = []
    bindings = {}
    for name, param in query.params.items():
        try:
            if params.get(name) is not None:
                bindings[name] = convert_param(store, param, params[name], notes)
                continue
            try:
                bindings[name] = convert_param(store, param, param.default, notes)
            except QueryError as exc:       # the file's fault, not the user's: said as its file's
                raise QueryError(f"{query.where}: the header's default: {exc}") from None
        except QueryError:
            store.require_entities()        # nothing found, perhaps because an endpoint holds nothing
            if param.type in ("term", "code"):      # an HPO term, an ICD-10 code: in the import modules
                store.require_imports()
            raise
    return Prepared(query.body, bindings, tuple(notes))


def run(query: Prepared | CatalogueQuery | str, params: dict | None = None, *, store: Store | None = None,
        project: Project | None = None, endpoint: str | None = None, timeout: float | None = None) -> Results:
    """Run a query (a :class:`Prepared` one, or see :func:`load_query`) with ``params`` on
    ``store``, else on ``endpoint`` (a SPARQL 1.1 query URL), else on the embedded store of the
    built graph, kept for this process (:func:`~graphkit.store.default_store`); waiting at most
    ``timeout`` seconds (default: 30 for an endpoint, the store's own limit else; 0: no limit;
    QueryTimeout).
    The parts of each GROUP_CONCAT value come in order
    (:meth:`~graphkit.store.Results.with_sorted_parts`): SPARQL leaves it to the engine.
    ``.notes`` of the answer: :func:`answer_notes` for a query run by name, the prepared query's
    notes for a :class:`Prepared` one."""
    if isinstance(query, Prepared) and params:
        raise QueryError("a prepared query has its parameters bound already")
    problem = None if timeout is None else timeout_problem(timeout)
    if problem is not None:
        raise QueryError(problem)
    if store is None and endpoint is not None:
        store = open_store(project, endpoint=endpoint, timeout=QUERY_TIMEOUT if timeout is None else timeout or None)
    else:
        store = default_store(project) if store is None else store
        store = store.with_timeout(timeout or None) if timeout is not None else store
    asked = None if isinstance(query, Prepared) else load_query(query, project)
    prepared = query if asked is None else prepare(asked, store, params, project)
    results = store.query(prepared).with_sorted_parts(concat_columns(prepared.body))
    results.notes = prepared.notes if asked is None else answer_notes(asked, prepared, results, store)
    return results


# A query's closing LIMIT (its last clause): an answer that long may have been cut there.
_CLOSING_LIMIT = re.compile(r"\bLIMIT\s+(\d+)\s*(?:OFFSET\s+\d+\s*)?$", re.IGNORECASE)


def answer_notes(query: CatalogueQuery, prepared: Prepared, results: Results, store: Store) -> tuple[str, ...]:
    """The notes on an answer: how loosely a parameter named its entity, then :func:`result_notes`."""
    return prepared.notes + result_notes(query, prepared, results, store)


def result_notes(query: CatalogueQuery, prepared: Prepared, results: Results, store: Store) -> tuple[str, ...]:
    """What the rows of an answer do not say themselves: for no rows, what each entity parameter
    named (:func:`empty_answer_note`); for as many rows as the query's LIMIT, that the answer may
    go on (path-between gave its first 25 paths and did not say so)."""
    if results.kind != "select":
        return ()
    notes: tuple[str, ...] = ()
    if results.row_count == 0:
        note = stated_edges_note(query, prepared, store) or default_flag_note(query, prepared, store) \
            or narrower_entity_note(query, prepared, store) or close_names_note(query, prepared, store) \
            or empty_answer_note(query, prepared, store)
        notes += (note,) if note else ()
    limit = _CLOSING_LIMIT.search(query.body.rstrip())
    if limit and results.row_count == int(limit.group(1)):
        notes += (f"the first {limit.group(1)} rows: the query stops there (its LIMIT {limit.group(1)}); "
                  f"there may be more",)
    return notes


# The edges the sources state between two entities, either way round (each statement's axiom).
_STATED_BETWEEN = """SELECT DISTINCT ?from ?predicate ?to WHERE {
  { ?axiom owl:annotatedSource ?a ; owl:annotatedTarget ?b . BIND(?a AS ?from) BIND(?b AS ?to) }
  UNION
  { ?axiom owl:annotatedSource ?b ; owl:annotatedTarget ?a . BIND(?b AS ?from) BIND(?a AS ?to) }
  ?axiom owl:annotatedProperty ?predicate ; gk:evidence ?evidence .
} ORDER BY ?from ?predicate ?to"""
STATED_EDGES_SHOWN = 5        # the stated edges an empty edge query names, at most


def stated_edges_note(query: CatalogueQuery, prepared: Prepared, store: Store) -> str | None:
    """For an edge query (parameters ``subject``, ``predicate`` of type predicate, ``object``)
    with no rows: the edges the sources state between the two entities, either way round, each
    with the parameters that find its evidence. evidence-for-edge for childhood ALL and Down
    syndrome with the predicate left at its default (hasICD10Code) had said only what the two
    entities were, and ``fatigue hasSymptom JMML in relapse`` (asked the other way round) the
    same. Only the edges whose parameters give rows are named; None when there are none."""
    if not {"subject", "predicate", "object"} <= query.params.keys() \
            or query.params["predicate"].type != "predicate":
        return None
    subject, obj = prepared.bindings.get("subject"), prepared.bindings.get("object")
    if not isinstance(subject, NamedNode) or not isinstance(obj, NamedNode):
        return None
    found = []
    for row in store.query(bound(_STATED_BETWEEN, a=subject, b=obj)).rows:
        edge = {"subject": NamedNode(text(row["from"])), "predicate": NamedNode(text(row["predicate"])),
                "object": NamedNode(text(row["to"]))}
        if store.query(Prepared(prepared.body, {**prepared.bindings, **edge})).row_count:
            found.append(edge)
    if not found:
        return None
    shown = []
    for edge in found[:STATED_EDGES_SHOWN]:
        names = {name: compact(term.value) for name, term in edge.items()}
        predicate = names["predicate"].removeprefix("gk:")
        options = param_option("predicate", predicate) if edge["subject"] == subject else \
            " ".join(param_option(name, predicate if name == "predicate" else names[name])
                     for name in ("subject", "predicate", "object"))
        shown.append(f"{names['subject']} {names['predicate']} {names['object']} ({options})")
    more = f"; and {len(found) - STATED_EDGES_SHOWN} more" if len(found) > STATED_EDGES_SHOWN else ""
    asked = prepared.bindings.get("predicate")
    asked_text = compact(asked.value) if isinstance(asked, NamedNode) else "that predicate"
    return (f"no rows for {compact(subject.value)} {asked_text} {compact(obj.value)}; the sources state "
            f"{'this edge' if len(found) == 1 else 'these edges'} between them: " + "; ".join(shown) + more)


def default_flag_note(query: CatalogueQuery, prepared: Prepared, store: Store) -> str | None:
    """For an answer with no rows where a boolean parameter was turned from its default: how many
    rows its default gives (symptoms-of-disease for JMML with include_subtypes=false had said only
    that JMML is a disease, while its states have six symptoms); None otherwise."""
    for name, param in query.params.items():
        given = prepared.bindings.get(name)
        if param.type != "boolean" or given is None or str(param.default).lower() not in ("true", "false"):
            continue
        default = str(param.default).lower()
        if text(given) == default:
            continue
        rows = store.query(Prepared(prepared.body, {**prepared.bindings,
                                                    name: convert_param(store, param, default)})).row_count
        if rows:
            return f"no rows; with {name}={default}, its default, {counted(rows, 'row')}"
    return None


_NARROWER = """SELECT DISTINCT ?narrower WHERE {
  ?narrower gk:subtypeOf|^gk:hasSubtype|gk:stateOf|^gk:hasStateVariant ?entity
  FILTER(STRSTARTS(STR(?narrower), "https://w3id.org/graphkit/entity/"))
} ORDER BY ?narrower"""
NARROWER_CHECKED = 40         # the narrower entities whose answers are counted, at most
NARROWER_SECONDS = 2.0        # and the time all those queries may take together


def narrower_entity_note(query: CatalogueQuery, prepared: Prepared, store: Store) -> str | None:
    """For an answer with no rows: the subtypes and states of an entity parameter's value that
    have rows of their own, the most first (risk-group-criteria for "ALL", the disease at any age,
    had said only that ALL is a disease, while NCI's risk groups are childhood ALL's). Only for a
    value of a kind the parameter's default is of (a disease for a disease: the drug profile of a
    disease's subtype is no answer to a question about drugs), so not for a parameter whose default
    is ``any`` (relapse-treatments-by-site's disease: no kind to compare with); the first
    :data:`NARROWER_CHECKED`, within :data:`NARROWER_SECONDS` in all. None when none has rows."""
    for name, param in query.params.items():
        entity = prepared.bindings.get(name)
        if param.type not in ("entity", "node") or not isinstance(entity, NamedNode) or param.default is None:
            continue
        default = convert_param(store, param, param.default)
        if default is None or not entity_kinds(store, entity).keys() & entity_kinds(store, default).keys():
            continue
        narrower = [text(row["narrower"]) for row in
                    store.query(bound(_NARROWER, entity=entity)).rows]
        counts, checked, deadline = [], 0, time.monotonic() + NARROWER_SECONDS
        for iri in narrower[:NARROWER_CHECKED]:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                rows = store.with_timeout(left).query(Prepared(prepared.body, {**prepared.bindings,
                                                                                name: NamedNode(iri)})).row_count
            except QueryTimeout:
                break
            checked += 1
            if rows:
                counts.append((-rows, iri))
        if counts:
            shown = "; ".join(f"{entity_description(store, NamedNode(iri))}: {counted(-rows, 'row')} "
                              f"({param_option(name, compact(iri))})" for rows, iri in sorted(counts)[:3])
            more = f"; and {len(counts) - 3} more" if len(counts) > 3 else ""
            unchecked = (f" ({len(narrower) - checked} of its {len(narrower)} narrower entities not checked)"
                         if checked < len(narrower) else "")
            return f"no rows for {compact(entity.value)}; narrower entities have answers of their own: {shown}{more}" \
                   f"{unchecked}"
    return None


def close_names_note(query: CatalogueQuery, prepared: Prepared, store: Store) -> str | None:
    """For an answer with no rows to a text searched in the entities' names (a parameter of type
    ``name``: search-entities' ``text``): the names the search page finds for it (any case,
    British or American spelling, hyphen or space, words in any order), else those spelled nearly
    so, as the page suggests them (:mod:`graphkit.entitynames`): a typo had given no rows and no
    hint. None when the query has no such parameter bound, or the store holds no names."""
    for name, param in query.params.items():
        given = prepared.bindings.get(name)
        if param.type != "name" or given is None:
            continue
        typed = text(given)
        known = entitynames.names(store)
        if not known:       # a store without the release: no names to offer
            return None
        found = entitynames.search(known, typed, CLOSE_NAMES_SHOWN)
        close = found or entitynames.close(known, typed, CLOSE_NAMES_SHOWN)
        if not close:
            return f"no rows: no label or synonym holds {shorten(typed)!r}, and none is spelled nearly so"
        said = "names the search page finds for it" if found else "names spelled nearly so"
        shown = "; ".join(f"{hit.matched} ({compact(hit.iri)})" for hit in close)
        return (f"no rows: no label or synonym holds {shorten(typed)!r} as typed; {said}: {shown} "
                f"({param_option(name, close[0].matched)})")
    return None


CLOSE_NAMES_SHOWN = 5         # the names an empty search suggests, at most


def empty_answer_note(query: CatalogueQuery, prepared: Prepared, store: Store) -> str | None:
    """For an answer with no rows: what each entity parameter named, since an entity of another
    kind than the question is about (``symptoms-of-disease --param disease=vincristine``, a drug)
    is the usual reason, and how many entities a class parameter's class has where it is not the
    default (``definitions --param kind=Gene``, 8 genes, none with a definition, had said nothing
    at all); None when the query has neither bound."""
    asked = [(name, param) for name, param in query.params.items()
             if isinstance(prepared.bindings.get(name), NamedNode) and (param.type in ("entity", "node") or (
                 param.type == "class" and prepared.bindings[name] != convert_param(store, param, param.default)))]
    if not asked:
        return None
    return "no rows for " + "; ".join(
        f"{name} = {(kind_description if param.type == 'class' else entity_description)(store, prepared.bindings[name])} "
        f"(it asks for {param.description})" for name, param in asked)
