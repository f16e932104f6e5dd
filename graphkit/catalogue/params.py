"""Parameter values as RDF terms: what a catalogue query's ``--param name=value`` becomes.

Each value is checked against its parameter's type (see :data:`.files.PARAM_TYPES`) and
turned into an IRI or a typed literal (pyoxigraph terms: binding needs no rdflib); an optional
parameter given ``any`` stays unbound.

- ``entity``: an entity of the graph, by id (``jmml``), label or synonym in any case (``JMML in
  relapse``), ``gke:`` CURIE or IRI, or any external identifier it carries as a mapping
  (``MONDO:0011908``, ``ICD10CM:C93.32``, ``HP:0001945``; see :mod:`graphkit.identifiers`), or
  an ICD-10 code written without its system (``C93.32``) that no entity has as a name;
- ``node``: an entity, or an ICD-10 code node (an ICD-10 identifier names the code node itself);
- ``code``: an ICD-10 code node of the graph or its imports (CURIE, code or title; a code in both
  systems, such as C93.3, names ICD-10-CM's, the system of the sources' own codes);
- ``term``: a term of an imported or external ontology (an HPO class) by CURIE or IRI, as itself.

Nothing that names nothing is let through: an unknown value gets the closest names or
identifiers the graph knows (a did-you-mean; for an entity or node parameter, those of the kinds
its header names first: ``kinds: [Drug, Therapy]``, see :func:`kind_classes`), never a silent
empty answer.
"""

from __future__ import annotations

import re
import weakref

from pyoxigraph import Literal, NamedNode

from .. import entitynames, identifiers
from ..errors import QueryError, close_names, did_you_mean, names_several, shorten
from ..iris import GK, GKE, GKSRC, ICD10_CODE_CLASSES, PREFIXES, XSD, bare_icd10_curies, compact, external_iri, own_entity_iri
from ..sparql import tokens
from ..spelling import american, loose_name, singular_forms
from ..store import EndpointStore, Store
from ..terms import IRI, bound
from .files import Param, param_option

CERTAINTY = {"established": "Established", "possible": "Possible", "under_study": "UnderStudy",
             "unclear": "Unclear"}
ANY = {"any", "all", "*", ""}

# The classes of ICD-10 code nodes, of either system: what a ``code`` parameter names.
_IS_CODE = f"ASK WHERE {{ ?term a ?type . FILTER(?type IN ({ICD10_CODE_CLASSES})) }}"
_ENTITY_LABEL = """
SELECT DISTINCT ?e ?name ?label WHERE {
  ?e rdfs:label|skos:altLabel ?name .
  FILTER(LCASE(STR(?name)) = LCASE(STR(?needle)))
  FILTER(STRSTARTS(STR(?e), "https://w3id.org/graphkit/entity/"))
  ?e rdfs:label ?label .
}"""
_CODE_LABEL = f"""
SELECT DISTINCT ?e ?name ?label WHERE {{
  ?e rdfs:label|skos:notation ?name .
  FILTER(LCASE(STR(?name)) = LCASE(STR(?needle)))
  ?e a ?type . FILTER(?type IN ({ICD10_CODE_CLASSES}))
  ?e rdfs:label ?label .
}}"""
# Every name of every entity / code with its label: one query, read once per embedded store.
_ENTITY_NAMES = """
SELECT DISTINCT ?e ?name ?label WHERE {
  ?e rdfs:label|skos:altLabel ?name .
  FILTER(STRSTARTS(STR(?e), "https://w3id.org/graphkit/entity/"))
  ?e rdfs:label ?label .
}"""
_CODE_NAMES = f"""
SELECT DISTINCT ?e ?name ?label WHERE {{
  ?e a ?type ; rdfs:label|skos:notation ?name . FILTER(?type IN ({ICD10_CODE_CLASSES}))
  ?e rdfs:label ?label .
}}"""
_SOURCES = """SELECT ?s ?number ?pmid ?doi ?page WHERE {
  ?s a gk:SourceDocument ; gk:documentNumber ?number OPTIONAL { ?s gk:pmid ?pmid } OPTIONAL { ?s gk:doi ?doi }
  OPTIONAL { ?s rdfs:seeAlso ?page } }"""
# The web addresses of a PMID and a DOI, as a reader copies them from a browser.
_PUBLICATION_PAGES = {"pmid": ("pubmed.ncbi.nlm.nih.gov/", "www.ncbi.nlm.nih.gov/pubmed/"),
                      "doi": ("doi.org/", "dx.doi.org/")}
# The schema's own classes or properties with their labels: what a class or predicate parameter names.
_SCHEMA_TERMS = """
SELECT DISTINCT ?term ?label WHERE {
  ?term a ?type . VALUES ?type { ?kinds }
  OPTIONAL { ?term rdfs:label ?label }
  FILTER(STRSTARTS(STR(?term), STR(gk:)))
}"""
_SCHEMA_KINDS = {"class": "owl:Class", "predicate": "owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty"}
# The schema's classes with their labels (the label optional: a kind is named by its class), and
# the entities of some of them (asserted or inferred types, and their subclasses for a store
# without the inferences): the kinds a parameter's header names (``kinds:``), whose entities its
# suggestions prefer.
_CLASS_LABELS = """SELECT ?class ?label WHERE { ?class a owl:Class OPTIONAL { ?class rdfs:label ?label }
  FILTER(STRSTARTS(STR(?class), STR(gk:))) }"""
_OF_CLASSES = """SELECT DISTINCT ?e WHERE { VALUES ?class { ?classes } ?e a ?type . ?type rdfs:subClassOf* ?class
  FILTER(STRSTARTS(STR(?e), "https://w3id.org/graphkit/entity/")) }"""
# What a name may name: (the lookup of one name, every name, how an error calls a name).
_KINDS = {"entity": (_ENTITY_LABEL, _ENTITY_NAMES, "id, label or synonym"),
          "ICD-10 code": (_CODE_LABEL, _CODE_NAMES, "code or title")}

# Embedded store -> {every-names query: {lower-cased name: {IRI: its label}}}: read once per store
# (its data never changes), so a name is resolved by a lookup, not a scan of every label.
_NAME_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# Store -> the names of its schema's classes (:func:`kind_classes`).
_KIND_CLASSES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# The lexical forms of xsd:integer and xsd:decimal (XSD 1.1 Part 2; no exponent, no infinity), in ASCII digits.
NUMBER_FORMS = {"integer": re.compile(r"[+-]?[0-9]+"), "decimal": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")}


def _named(store: Store, value: str, lookup: str, names: str) -> tuple[dict[str, str], dict[str, str]]:
    """IRI -> label of what ``value`` names (any case; of several, see :func:`_preferred`), and of
    what else it names: ``lookup`` asks for one name, ``names`` for every name (the index of an
    embedded store)."""
    if isinstance(store, EndpointStore):             # a server's data may change: ask it each time
        rows = store.query(bound(lookup, needle=Literal(value))).texts()
    else:
        indexes = _NAME_INDEXES.setdefault(store, {})
        index = indexes.get(names)
        if index is None:
            index = indexes[names] = {}
            for row in store.query(names).texts():
                index.setdefault(row["name"].lower(), []).append(row)
        rows = index.get(value.lower(), [])
    return _preferred(rows, value)


def _preferred(rows: list[dict], value: str) -> tuple[dict[str, str], dict[str, str]]:
    """IRI -> label of the things whose names (rows of e, name, label) ``value`` fits: of several,
    the one it names in its own case, else the one whose label it is ("FISH" is the test, "fish"
    and "Fish" the food); all of them when neither tells them apart. Then those passed over."""
    found = {row["e"]: row["label"] for row in rows}
    for fits in (lambda row: row["name"] == value, lambda row: row["label"].lower() == value.lower()):
        chosen = {row["e"] for row in rows if fits(row)}
        if len(chosen) == 1 < len(found):
            return ({iri: found[iri] for iri in chosen},
                    {iri: label for iri, label in found.items() if iri not in chosen})
    return found, {}


def _is_code(store: Store, term: NamedNode) -> bool:
    return store.query(bound(_IS_CODE, term=term)).boolean


def _own_iri(value: str) -> NamedNode | None:
    """The graph's own IRI named by an id (``jmml``), ``gke:`` CURIE or entity IRI."""
    own = own_entity_iri(value)
    if own is not None:
        return NamedNode(own)
    if value.startswith(GKE):
        return _node(value)
    return None


def _node(iri: str) -> NamedNode | None:
    """The IRI as a term, or None when it is none (pyoxigraph checks more than :data:`IRI`:
    ``http://x/%zz`` is no IRI)."""
    if not IRI.match(iri):
        return None
    try:
        return NamedNode(iri)
    except ValueError:
        return None


def _identifier(value: str) -> str | None:
    """The IRI of an external identifier (a CURIE with a known prefix, or an http(s) IRI)."""
    iri = None if " " in value else external_iri(value)
    return iri if iri and _node(iri) is not None else None


def _by_label(store: Store, value: str, what: str, notes: list | None = None, loose: bool = True,
              kinds: tuple[str, ...] = ()) -> NamedNode:
    """The one ``what`` (``entity`` or ``ICD-10 code``) that ``value`` names by a name (a note on
    the others it names, where one was preferred, goes to ``notes``); with ``loose``, a name
    written with spaces for hyphens or with commas too (:func:`~graphkit.spelling.loose_name`).
    The error of a name that names nothing suggests names of entities of ``kinds`` (the schema's
    class names a parameter's header gives: ``Drug``, ``Therapy``) and their subclasses, others
    only when none is close."""
    lookup, names, by = _KINDS[what]
    found, passed_over = _named(store, value, lookup, names)
    spelling = american(value.lower())
    if not found and spelling != value.lower():       # "leukaemia"
        found, passed_over = _named(store, spelling, lookup, names)
    if len(found) == 1:
        (iri, label), = found.items()
        if passed_over and notes is not None:
            notes.append(names_several(value, f"{label} ({compact(iri)})",
                                       [f"{other} ({compact(o)})" for o, other in sorted(passed_over.items())]))
        return NamedNode(iri)
    if len(found) > 1:
        listing = ", ".join(f"{label} ({compact(iri)})" for iri, label in sorted(found.items()))
        plural = {"entity": "entities", "ICD-10 code": "ICD-10 codes"}[what]
        raise QueryError(f"{shorten(value)!r} names several {plural}: {listing}; use an id")
    every = store.query(names).texts()
    loosely = _loosely_named(every, value) if loose else {}
    if len(loosely) == 1:
        (iri, (name, label)), = loosely.items()
        if notes is not None:
            notes.append(f"{shorten(value)!r} read as {name!r}: {label} ({compact(iri)})")
        return NamedNode(iri)
    classes = [GK + kind for kind in kinds] if what == "entity" else []
    close, others, _ = _suggested(store, value, what, classes, every)
    # Names of other kinds are offered saying so: "leukemia" for a drug parameter is no drug.
    aside = f" (no {_kind_names(store, classes)} is named like it)" if classes and others else ""
    raise QueryError(f"no {what} with {by} {shorten(value)!r}{aside}{did_you_mean(close or others)}")


def _suggested(store: Store, value: str, what: str, classes: list[str], every: list[dict],
               named: list | None = None) -> tuple[list, list, set]:
    """The names (of ``every``: rows of e, name, label) ``value`` may have meant: those of things
    of ``classes`` (IRIs: the kinds the parameter takes; a therapy's, not the disease "brain
    tumor" for "blinatumomb"), then the others only when none of those is close; and the things
    of ``classes``. ``named``: the entities' names (:func:`graphkit.entitynames.names`), if read."""
    if named is None:
        named = entitynames.names(store) if what == "entity" else []
    close: list[str] = []
    wanted: set[str] = set()
    if classes:
        wanted = _of_kinds(store, classes)
        close = _close_names(value, [row for row in every if row["e"] in wanted],
                             [name for name in named if name.iri in wanted], what)
    others = [] if close else _close_names(value, every, named, what)
    return close, others, wanted


def entity_names(store: Store) -> list[dict]:
    """Every name of every entity (rows of e, name, label): what an entity parameter's error
    suggests from (a server whose store does not change reads it once)."""
    return store.query(_KINDS["entity"][1]).texts()


def suggested_entities(store: Store, value: str, kinds: tuple[str, ...] = (), limit: int = 3,
                       every: list[dict] | None = None, named: list | None = None) -> list[entitynames.Hit]:
    """The entities an entity parameter's error names for ``value`` (:func:`resolve_entity`, with
    the parameter's ``kinds``), in its order, each once: what a page offers as links. Each hit's
    ``matched`` is the name suggested (a synonym: BLINCYTO for blinatumomab). ``every``
    (:func:`entity_names`) and ``named`` (:func:`graphkit.entitynames.names`): the names, if read."""
    every = entity_names(store) if every is None else every
    named = entitynames.names(store) if named is None else named
    close, others, wanted = _suggested(store, _unbracketed(value), "entity", [GK + kind for kind in kinds], every, named)
    by_name: dict[str, list[str]] = {}
    for row in every:
        by_name.setdefault(row["name"].lower(), []).append(row["e"])
    about = {name.iri: name for name in named}
    hits: dict[str, entitynames.Hit] = {}
    for name in list(dict.fromkeys(close or others))[:limit]:
        iris = by_name.get(name.lower(), [])
        iri = next((i for i in iris if i in wanted), iris[0] if iris else None)
        if iri is not None and iri not in hits and iri in about:
            hits[iri] = entitynames.Hit(iri, about[iri].label, name, about[iri].kind, 0)
    return list(hits.values())


def _close_names(value: str, rows: list[dict], named: list, what: str) -> list[str]:
    """The names of ``rows`` (e, name, label) and ``named`` (:class:`~graphkit.entitynames.Name`)
    that ``value`` may have meant, the likeliest first."""
    spelled: dict[str, str] = {}           # lower-cased name -> as the graph writes it ("C93.3", "CD19")
    for row in rows:
        spelled.setdefault(row["name"].lower(), row["name"])
    known = sorted(spelled, key=lambda n: (len(n), n))
    # Names that go on from the text first ("BCR-ABL1": "bcr-abl1 fusion", "bcr-abl1 fusion
    # protein"), then those that hold it as a word ("neuropathy": "peripheral neuropathy", where
    # the similar spellings were "neutrophil", "neutropenia"), then the similar ones.
    longer = [n for n in known if n.startswith(value.lower())]
    word = re.compile(rf"(?<![a-z0-9]){re.escape(value.lower())}(?![a-z0-9])")
    within = [n for n in known if word.search(n) and n not in longer] if value.strip() else []
    # An entity's names as the search page finds them come first: it reads a name in any case,
    # spelling and hyphenation, and a text of several words in any order ("relapsed B-cell precursor
    # ALL": relapsed or refractory B-cell precursor ALL, where the similar spellings were "B-cell
    # precursor ALL" and "red-cell precursor").
    searched = [hit.matched for hit in entitynames.search(named, value, 12)] if what == "entity" else []
    return searched + [spelled[n] for n in longer + within] + close_names(value.lower(), known, n=12, shown=spelled)


def kind_classes(store: Store) -> set[str]:
    """The names of the schema's classes in ``store`` (``Drug``, ``DiseaseState``): the kinds a
    parameter's header may name (:func:`~.files.unknown_kinds`); empty for a store that holds no
    schema. Read once per store, an endpoint's too: a query with kinds is checked each time it is
    prepared, and a round trip per run for a typo in a header would slow every run on a server
    (a schema that gains a class while the process runs has it checked by the catalogue's test)."""
    held = _KIND_CLASSES.get(store)
    if held is None:
        held = _KIND_CLASSES[store] = frozenset(iri[len(GK):] for iri in _class_labels(store))
    return set(held)


def _class_labels(store: Store) -> dict[str, str]:
    """The schema's classes (IRIs) with their labels (the class's name where it has none)."""
    return {row["class"]: row.get("label") or row["class"][len(GK):] for row in store.query(_CLASS_LABELS).texts()}


def _kind_names(store: Store, classes: list[str]) -> str:
    """The schema's labels of ``classes`` (IRIs), as a reader says them: "drug or therapy"."""
    labels = _class_labels(store)
    names = sorted(labels.get(iri, iri.rsplit("#", 1)[-1]).removeprefix("kind of ") for iri in classes)
    return " or ".join(filter(None, [", ".join(names[:-1]), names[-1]]))


def entities_of_kinds(store: Store, kinds: tuple[str, ...]) -> set[str]:
    """The IRIs of the entities of a parameter's ``kinds`` (the schema's class names) or of their
    subclasses: what its form's field suggests."""
    return _of_kinds(store, [GK + kind for kind in kinds])


def _of_kinds(store: Store, classes: list[str]) -> set[str]:
    """The entities of the ``classes`` (IRIs) or of their subclasses."""
    return {row["e"] for row in store.query(_OF_CLASSES.replace("?classes", " ".join(f"<{c}>" for c in classes))).texts()}


def _loosely_named(rows: list[dict], value: str) -> dict[str, tuple[str, str]]:
    """IRI -> (the name, its label) of the things one of whose names (rows of e, name, label)
    is ``value`` but for case, hyphens, dashes and commas ("CAR T cell therapy"); none for a value
    that is a sign (:func:`~graphkit.spelling.loose_name`)."""
    wanted = loose_name(value)
    if wanted is None:
        return {}
    return {row["e"]: (row["name"], row["label"]) for row in rows if loose_name(row["name"]) == wanted}


def resolve_entity(store: Store, value: str, notes: list | None = None, loose: bool = True,
                   kinds: tuple[str, ...] = ()) -> NamedNode:
    """The entity an id, label or synonym (any case; with ``loose``, written with spaces for
    hyphens too), graphkit CURIE or IRI, or an external identifier it carries as a mapping names
    (see :mod:`graphkit.identifiers`); a clear error otherwise, whose suggestions prefer entities of
    ``kinds`` (a parameter's ``kinds:``, the schema's class names: ``Drug``, ``Therapy``). A note on
    a loose mapping is appended to ``notes``."""
    value = _unbracketed(value)
    own = _own_iri(value)
    if own is not None:
        if store.describes(own):
            return own
        return _by_label(store, value, "entity", notes, loose, kinds)
    iri = _identifier(value)
    if iri is not None:
        return _mapped_entity(store, value, notes, note_exact=True)
    try:
        return _by_label(store, value, "entity", notes, loose, kinds)
    except QueryError:
        code = bare_code(store, value)
        if code is None:
            raise
        entity = _mapped_entity(store, compact(code.value), notes)
        if notes is not None:        # which system the bare code was read in, and what it named
            notes.append(f"{value} read as {compact(code.value)}: {entity_description(store, entity)}")
        return entity


def entity_description(store: Store, entity: NamedNode) -> str:
    """``label (gke:id), a Kind``: the entity as a person checks what a value named (its most
    specific graphkit classes)."""
    kinds = sorted(entity_kinds(store, entity).values())
    kind = " and ".join(kinds)
    article = "an" if kind[:1].lower() in ("a", "e", "i", "o", "u") else "a"     # "an adverse effect"
    return _label_and_curie(store, entity) + (f", {article} {kind}" if kinds else "")


_OF_CLASS = """SELECT (COUNT(DISTINCT ?entity) AS ?n) WHERE { ?type rdfs:subClassOf* ?class . ?entity a ?type
  FILTER(isIRI(?entity)) }"""


def kind_description(store: Store, kind: NamedNode) -> str:
    """``label (gk:Class), a kind with N entities``: a class parameter's value as a person checks
    what it named (its entities: of it and of its subclasses)."""
    count = store.query(bound(_OF_CLASS, **{"class": kind})).texts()
    number = int(count[0]["n"]) if count else 0
    return f"{_label_and_curie(store, kind)}, a kind with {number:,} {'entity' if number == 1 else 'entities'}"


def _label_and_curie(store: Store, term: NamedNode) -> str:
    """``label (CURIE)``: a term as the notes name it (its CURIE alone where it has no label)."""
    label = store.query(f"SELECT ?label WHERE {{ {term} rdfs:label ?label }} LIMIT 1").texts()
    return f"{label[0]['label'] if label else compact(term.value)} ({compact(term.value)})"


def entity_kinds(store: Store, entity: NamedNode) -> dict[str, str]:
    """The entity's kinds: its graphkit classes that no other class of it is narrower than (IRI ->
    label)."""
    rows = store.query(f"""
        SELECT ?type ?kind WHERE {{
          {entity} a ?type . ?type rdfs:label ?kind
          FILTER(STRSTARTS(STR(?type), STR(gk:)))
          FILTER NOT EXISTS {{ {entity} a ?narrower . ?narrower rdfs:subClassOf ?type FILTER(?narrower != ?type) }}
        }}""").texts()
    return {row["type"]: row["kind"] for row in rows}


def _mapped_entity(store: Store, value: str, notes: list | None, note_exact: bool = False) -> NamedNode:
    """The entity that carries the identifier ``value`` as a mapping. A loose mapping's note goes
    to ``notes``; with ``note_exact``, an exact one's too, naming the entity (describe-entity's
    answer does not name its subject, and an identifier is no name a person reads)."""
    resolved, mappings = identifiers.resolve(store, value)
    if resolved is not None:
        entity = NamedNode(resolved.entity)
        if notes is not None and resolved.note:
            notes.append(resolved.note)
        elif notes is not None and note_exact:
            notes.append(f"{value} read as {entity_description(store, entity)}, which carries it as an exact mapping")
        return entity
    iri = external_iri(value) or value
    hint = did_you_mean(mappings.close_identifiers(value), separator=", ", quoted=False)
    held = " (the graph holds it as an imported term, mapped to no entity)" if store.describes(NamedNode(iri)) else ""
    curie = compact(iri)
    raise QueryError(f"no entity carries the identifier {shorten(curie)}{held}{hint}")


def resolve_code(store: Store, value: str) -> NamedNode:
    """An ICD-10 code node of the graph or its import modules: a CURIE or IRI (ICD10CM:C93.3,
    ICD10WHO:C93.3), its code (C93.3) or its title."""
    value = _unbracketed(value)
    iri = _identifier(value)
    if iri is not None and _is_code(store, NamedNode(iri)):
        return NamedNode(iri)
    own = _own_iri(value)
    if own is not None and store.describes(own):
        raise QueryError(f"{shorten(value)!r} is an entity, not an ICD-10 code: give a code such as ICD10CM:C93.3 "
                         f"(`graphkit query icd10-code-of-disease --param disease={value}` gives its codes)")
    return bare_code(store, value) or _by_label(store, value, "ICD-10 code")


def bare_code(store: Store, value: str) -> NamedNode | None:
    """The code node a code written without its system names: ICD-10-CM's (the system of the
    sources' own codes) where the graph or its imports hold it, else WHO ICD-10's. C93.3 is in
    both with the same meaning; ask for ICD10WHO:C93.3 to get WHO's."""
    for curie in bare_icd10_curies(value):
        iri = _identifier(curie)
        if iri is not None and _is_code(store, NamedNode(iri)):
            return NamedNode(iri)
    return None


def resolve_node(store: Store, value: str, notes: list | None = None, kinds: tuple[str, ...] = ()) -> NamedNode:
    """An entity (see :func:`resolve_entity`) or an ICD-10 code node: an identifier that is a code
    node of the graph names the code node itself (the object of ``gk:hasICD10Code``), and so does
    the code written without its system (C93.32, read in ICD-10-CM first as :func:`bare_code`).
    A name that names nothing suggests entities of ``kinds`` first, as an entity parameter does."""
    value = _unbracketed(value)
    iri = _identifier(value)
    if iri is not None and _own_iri(value) is None and _is_code(store, NamedNode(iri)):
        return NamedNode(iri)
    code = bare_code(store, value)
    if code is not None:
        if notes is not None:
            notes.append(f"{value} read as {compact(code.value)}, the code itself")
        return code
    try:
        return resolve_entity(store, value, notes, loose=False)
    except QueryError:
        try:
            return _by_label(store, value, "ICD-10 code", loose=False)     # a code's exact title before a loose name
        except QueryError:
            pass
    return resolve_entity(store, value, notes, kinds=kinds)


def resolve_term(store: Store, value: str, notes: list | None = None, vocabulary: str | None = None) -> NamedNode:
    """A term of an imported or external ontology (an HPO class ...) by CURIE or IRI, as itself;
    or, by an entity's name, the one term of ``vocabulary`` (a CURIE prefix: the parameter's
    default's) the graph holds that the entity maps exactly to (with a note)."""
    value = _unbracketed(value)
    iri = _identifier(value)
    if iri is not None and _own_iri(value) is None:
        if store.describes(NamedNode(iri)):
            return NamedNode(iri)
        raise QueryError(store.term_not_held(compact(iri)))
    example = f"{vocabulary}:..." if vocabulary else "HP:0001871"
    try:
        entity = resolve_entity(store, value)
    except QueryError as exc:
        raise QueryError(f"give an ontology term as CURIE or IRI ({example}) or the name of an entity mapped "
                         f"exactly to one: {exc}") from None
    held = sorted(compact(term) for term, carriers in identifiers.Mappings.from_store(store).exact().items()
                  if any(c.entity == entity.value for c in carriers) and store.describes(NamedNode(term)))
    fitting = [curie for curie in held if vocabulary is not None and curie.startswith(vocabulary + ":")]
    if len(fitting) == 1:          # "anaemia": HP:0001903, the one HPO term of the graph it maps to
        if notes is not None:
            notes.append(f"{shorten(value)!r} read as {fitting[0]}: {entity_description(store, entity)}, "
                         f"maps exactly to it")
        return NamedNode(external_iri(fitting[0]))
    wanted = f"no {vocabulary} term" if vocabulary and not fitting else "no one term"
    hint = f"; the terms of the graph it maps exactly to: {', '.join(held)}" if held else ""
    raise QueryError(f"{shorten(value)!r} is an entity of the graph, mapped exactly to {wanted} here "
                     f"(give the term as CURIE or IRI){hint}")


def _unbracketed(value: str) -> str:
    value = value.strip()
    if not value:
        raise QueryError("empty entity name")
    # an IRI in angle brackets, as SPARQL writes it; not a text that merely starts and ends with
    # them (an error then quoted '<script>...</script>' as 'script>...</script')
    inside = value[1:-1]
    return inside if value.startswith("<") and value.endswith(">") and IRI.match(inside) else value


def _boolean(name: str, value: str) -> Literal:
    lowered = str(value).strip().lower()
    if lowered in ("true", "yes", "1", "on"):
        return Literal(True)
    if lowered in ("false", "no", "0", "off"):
        return Literal(False)
    raise QueryError(f"parameter {name} takes true or false, got {shorten(value)!r}: not a boolean")


def schema_term(store: Store, name: str, kind: str, text: str) -> NamedNode:
    """A class or property of the schema: its local name (``Drug``), ``gk:`` CURIE, either in any
    case, or its label (``drug``, ``has symptom``); else an error with the closest names."""
    local = text[3:] if text.startswith("gk:") else text
    iri = NamedNode(GK + local) if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", local) else None
    if iri is not None and store.describes(iri):
        return iri
    names: dict[str, str] = {}                    # local name, or label, in lower case -> local name
    for row in store.query(_SCHEMA_TERMS.replace("?kinds", _SCHEMA_KINDS[kind])).texts():
        own = row["term"][len(GK):]
        names.setdefault(own.lower(), own)
        if row.get("label"):                      # classes named like entities are "kind of ..."
            names.setdefault(row["label"].lower(), own)
            names.setdefault(row["label"].lower().removeprefix("kind of "), own)
    wanted = local.strip().lower()
    # a class in the plural ("drugs"), as the pages' kinds read it; a property as named
    for form in sorted(singular_forms(wanted) if kind == "class" else {wanted}, key=len, reverse=True):
        if form in names:
            return NamedNode(GK + names[form])
    close = close_names(wanted, sorted(names), n=6, shown=names)
    raise QueryError(f"parameter {name}: no schema {kind} named {shorten(text)!r}{did_you_mean(close)}")


_SCHEMA_NAMES = """SELECT DISTINCT ?term WHERE {
  { ?term a owl:Class } UNION { ?term a owl:ObjectProperty } UNION { ?term a owl:DatatypeProperty }
  UNION { ?term a owl:AnnotationProperty } UNION { ?term a owl:NamedIndividual } UNION { ?term rdfs:label ?label }
  FILTER(STRSTARTS(STR(?term), STR(gk:)))
}"""
_ENTITY_NAMES = """SELECT DISTINCT ?term WHERE { ?term rdfs:label ?label FILTER(STRSTARTS(STR(?term), STR(gke:))) }"""
# The graph's own names a query may misspell: prefix, namespace, the names the graph holds, what one it lacks is.
_OWN_NAMES = (("gk:", GK, _SCHEMA_NAMES, "no term of the schema: nothing in the graph is said with it"),
              ("gke:", GKE, _ENTITY_NAMES, "no entity of the graph: nothing in it is said of it"))


def unknown_own_names(store: Store, text: str) -> list[str]:
    """Notes on the ``gk:`` and ``gke:`` names of a query that the graph does not hold (a misspelt
    property or entity matches nothing, and the answer is silently empty), each with the closest
    names."""
    read = list(tokens(text))
    declared = {read[i + 1].text: read[i + 2].text for i, token in enumerate(read[:-2])
                if token.kind == "word" and token.text.upper() == "PREFIX"}
    notes = []
    for prefix, namespace, names, what in _OWN_NAMES:
        own_prefix = declared.get(prefix, f"<{namespace}>") == f"<{namespace}>"    # else the query's own
        written = {name for name in (
            token.text[len(prefix):] if token.kind == "pname" and token.text.startswith(prefix) and own_prefix else
            token.text[1 + len(namespace):-1] if token.kind == "iri" and token.text.startswith("<" + namespace) else None
            for token in read) if name}      # the prefix alone and the namespace itself are no name
        if not written:
            continue
        known = {row["term"][len(namespace):] for row in store.query(names).texts()}
        for name in sorted(written - known):
            close = close_names(name, sorted(known), cutoff=0.7)
            notes.append(f"{prefix}{name} is {what}" + did_you_mean((prefix + c for c in close), quoted=False))
    return notes


def convert_param(store: Store, param: Param, raw, notes: list | None = None) -> object:
    """An RDF term for ``raw`` according to the parameter's type (None = unbound); notes on how
    a value was read (a loose mapping) are appended to ``notes``."""
    if isinstance(raw, (list, tuple, set, frozenset, dict)):    # "['CD19', 'CD22']" was looked up as a name
        raise QueryError(f"parameter {param.name} takes one value, got {type(raw).__name__} {shorten(raw)!r}: "
                         f"run the query once for each")
    text = "" if raw is None else str(raw)
    if param.optional and text.strip().lower() in ANY:
        return None
    if param.choices and text not in param.choices:
        # a choice in another case ("Exclude") is the choice, as names and kinds are read in any case
        chosen = [choice for choice in param.choices if str(choice).lower() == text.strip().lower()]
        if len(chosen) == 1:
            text = str(chosen[0])
        else:
            raise QueryError(f"parameter {param.name} must be one of {', '.join(param.choices)}, got {shorten(text)!r}")
    kind = param.type
    if not text.strip() and kind in ("entity", "node", "code", "term", "string", "name"):
        # every name holds the empty text (search-entities listed all 1,608), and an empty entity
        # was "empty entity name", naming neither the parameter nor what it takes
        raise QueryError(f"parameter {param.name} is empty: give {param.description or 'a value'}")
    if kind == "entity":
        return resolve_entity(store, text, notes, kinds=param.kinds)
    if kind == "node":
        return resolve_node(store, text, notes, kinds=param.kinds)
    if kind == "code":
        return resolve_code(store, text)
    if kind == "term":
        vocabulary = str(param.default).split(":", 1)[0] if param.default and ":" in str(param.default) else None
        return resolve_term(store, text, notes, vocabulary)
    if kind in ("string", "name"):       # a name: a text searched in the names (its empty answer suggests some)
        spelled = american(text)
        if spelled != text and notes is not None:     # a text is matched as typed: say what the graph's names spell
            notes.append(f"{param.name} = {shorten(text)!r} is matched as typed; the graph's own names are spelled "
                         f"the American way: {param_option(param.name, spelled)}")
        return Literal(text)
    if kind in ("integer", "decimal"):
        # Read by the lexical form XSD gives the type: Python's int() and float() also took 'nan',
        # 'inf', '1e999', '1_000' and ' 1', bound as "inf"^^xsd:decimal, which matches nothing.
        number = text.strip()
        if not NUMBER_FORMS[kind].fullmatch(number):
            raise QueryError(f"parameter {param.name} takes {'an' if kind == 'integer' else 'a'} {kind} "
                             f"(such as {'42' if kind == 'integer' else '1.5'}), got {shorten(text)!r}")
        return Literal(str(int(number)) if kind == "integer" else number, datatype=NamedNode(XSD + kind))
    if kind == "boolean":
        return _boolean(param.name, text)
    if kind == "iri":
        iri = _node(text) if re.match(r"^https?://", text) else None
        if iri is None:
            raise QueryError(f"parameter {param.name} takes an http(s) IRI, got {shorten(text)!r}")
        return iri
    if kind == "certainty":
        name = re.sub(r"[\s-]+", "_", text.strip().lower())      # "under study", as answers print it
        if name not in CERTAINTY:
            raise QueryError(f"parameter {param.name} takes one of {', '.join(sorted(CERTAINTY))} or any, "
                             f"got {shorten(text)!r}")
        return NamedNode(GK + CERTAINTY[name])
    if kind == "source":
        return resolve_source_document(store, text)
    if kind in ("predicate", "class"):
        return schema_term(store, param.name, kind, text)
    if kind == "prefix":
        prefix = PREFIXES.standardize_prefix_any_case(text.strip())
        if prefix is None:
            known = {prefix.lower(): prefix for prefix in sorted({PREFIXES.standardize_prefix(p) or p
                                                                  for p in PREFIXES.prefix_map})}
            hint = did_you_mean(close_names(text.strip().lower(), known, shown=known)) or f" (the prefixes: {', '.join(known.values())})"
            raise QueryError(f"parameter {param.name}: unknown identifier prefix {shorten(text)!r}{hint}")
        return Literal(PREFIXES.prefix_map[prefix])
    raise QueryError(f"unsupported parameter type {kind!r}")


def _web_key(address: str) -> str:
    """A web address as one key whatever way it is copied: without its scheme, ``www.``, a trailing
    slash or a query, in lower case (``https://pubmed.ncbi.nlm.nih.gov/26389385/``)."""
    key = address.strip().lower().split("?", 1)[0].split("#", 1)[0].rstrip("/")
    key = key.removeprefix("https://").removeprefix("http://")
    return key.removeprefix("www.")


def resolve_source_document(store: Store, text: str) -> NamedNode:
    """A source document by its id (``chang_2004_jmml_second_hsct``), ``gksrc:`` CURIE, number
    (``004``), the publication identifier an export gives it (``PMID:26389385``,
    ``DOI:10.1097/...``, in any case: what KGX's ``publications`` column holds), or a web address
    of it: its page (``rdfs:seeAlso``), its PubMed page or its DOI's (``https://doi.org/10.1097/...``)."""
    rows = store.query(_SOURCES).texts()
    by_key = {}
    for row in rows:
        by_key[row["s"][len(GKSRC):]] = NamedNode(row["s"])
        by_key[row["number"]] = NamedNode(row["s"])
        if (row.get("page") or "").startswith(("http://", "https://")):
            by_key[_web_key(row["page"])] = NamedNode(row["s"])
        for prefix, column in (("pmid:", "pmid"), ("doi:", "doi")):
            if row.get(column):
                by_key[prefix + row[column].lower()] = NamedNode(row["s"])
                for page in _PUBLICATION_PAGES[column]:
                    by_key[_web_key(page + row[column])] = NamedNode(row["s"])
    key = text.strip()[len("gksrc:"):] if text.strip().startswith("gksrc:") else text.strip()
    # a number without its leading zeros ("4" for 004), as the pages' /source/4 reads it
    number = key.zfill(3) if key.isascii() and key.isdigit() else key
    for form in (key, key.lower(), number, _web_key(key)):
        if form in by_key:
            return by_key[form]
    publications = sorted({f"{column.upper()}:{row[column]}" for row in rows for column in ("pmid", "doi") if row.get(column)})
    raise QueryError(f"unknown source {shorten(text)!r}; sources: "
                     f"{', '.join(sorted({row['s'][len(GKSRC):] for row in rows}))} (or their numbers "
                     f"{', '.join(sorted({row['number'] for row in rows}))}"
                     + (f", or {', '.join(publications)} or their web addresses" if publications else "") + ")")
