"""IRIs as text: the graph's namespaces, the prefix map of external CURIEs, the named graph of a
triple. No RDF library: the query path (``graphkit query``, ``graphkit.query``) reads only this,
and :mod:`graphkit.namespaces` offers the same names as rdflib terms for the build and the exports.

The prefix map (:data:`PREFIXES`, from ``graphkit/prefixes.json``: bioregistry preferred prefixes,
OBO PURLs for OBO ontologies, the prefix spellings of the MONDO mapping sets as synonyms; OMIM's
IRIs its pages', https://omim.org/entry/, as the Mondo mapping sets have them) does what
graphkit asks of a :mod:`curies` converter (a test checks that both give the same answers) without
importing curies and pydantic, which take longer than the rest of a query.

>>> compact("https://w3id.org/graphkit/entity/jmml"), compact("http://purl.obolibrary.org/obo/MONDO_0011908")
('gke:jmml', 'MONDO:0011908')
>>> PREFIXES.expand("mondo:0011908")
'http://purl.obolibrary.org/obo/MONDO_0011908'
>>> graph_name(False, GKE + "jmml", GK + "hasSymptom", GKE + "fever").rsplit("/", 1)[-1]
'asserted'
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType

BASE = "https://w3id.org/graphkit/"
GK = BASE + "schema#"
GKE = BASE + "entity/"
GKEV = BASE + "evidence/"
GKQ = BASE + "quantity/"
GKSRC = BASE + "source/"
GKG = BASE + "graph/"
RELEASES = BASE + "releases/"     # version IRIs: releases/<version>/<name> (graphkit.header)
OA = "http://www.w3.org/ns/oa#"
BIOLINK = "https://w3id.org/biolink/vocab/"
SEMAPV = "https://w3id.org/semapv/vocab/"
SSSOM = "https://w3id.org/sssom/"
VANN = "http://purl.org/vocab/vann/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
OBO_PURL = "http://purl.obolibrary.org/obo/"

SCHEMA_ONTOLOGY = BASE + "schema"
IMPORT_ONTOLOGIES = BASE + "imports/"     # imports/<id>.ttl is the ontology imports/<id> (graphkit.header)
RELEASE_ONTOLOGY = BASE + "all"          # all.ttl: the schema, the asserted graph, the provenance

# The classes of the ICD-10 code nodes, as a SPARQL list (``FILTER(?type IN (...))``, with the
# ``gk:`` prefix declared): named rather than found through ``rdfs:subClassOf* gk:ICD10Code``, whose
# half of an ``||`` Virtuoso 7.2 drops (docs/engines-findings.md).
ICD10_CODE_CLASSES = "gk:ICD10Code, gk:ICD10CMCode, gk:ICD10WHOCode"

# Named graphs of the store and the server.
GRAPH_SCHEMA = GKG + "schema"
GRAPH_ASSERTED = GKG + "asserted"
GRAPH_PROVENANCE = GKG + "provenance"
GRAPH_INFERRED = GKG + "inferred"
GRAPH_IMPORTS = GKG + "imports"


def import_graph(module: str) -> str:
    """The named graph the store loads the import module ``module`` (``hp``: ``imports/hp.ttl``) into."""
    return f"{GRAPH_IMPORTS}/{module}"

# Prefixes written in Turtle output and offered to SPARQL queries, in this order.
TURTLE_PREFIXES: dict[str, str] = {
    "gk": GK, "gke": GKE, "gkev": GKEV, "gkq": GKQ, "gksrc": GKSRC,
    "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS, "dcterms": DCTERMS, "prov": PROV,
    "oa": OA, "biolink": BIOLINK, "semapv": SEMAPV, "vann": VANN, "foaf": FOAF,
}

ENTITY_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
# The characters an IRI may hold as Turtle and N-Triples write it (RFC 3987: no space, <>"{}|\^`),
# for fields of the curated files that become IRIs (a homepage, a source's URL or DOI).
IRI_TEXT = r"[^\s<>\"{}|\\^`]+"
HTTP_IRI = re.compile(r"https?://" + IRI_TEXT)
PREFIXES_FILE = Path(__file__).with_name("prefixes.json")


@dataclass(frozen=True)
class PrefixRecord:
    prefix: str
    uri_prefix: str
    prefix_synonyms: tuple[str, ...] = ()
    uri_prefix_synonyms: tuple[str, ...] = ()


class PrefixMap:
    """CURIEs to IRIs and back, with prefix synonyms (the part of curies' ``Converter`` graphkit
    uses: ``expand``, ``compress``, ``standardize_prefix``, ``standardize_curie``, ``prefix_map``,
    ``records``)."""

    def __init__(self, records: list[PrefixRecord]):
        self.records = sorted(records, key=lambda record: record.prefix)     # as curies orders them
        self._by_prefix = {}
        for record in records:
            for name in (record.prefix, *record.prefix_synonyms):
                self._by_prefix.setdefault(name, record)
        # Longest IRI prefix first: compress takes the longest that matches, as curies' trie does.
        self._by_uri = sorted(((uri, record) for record in records
                               for uri in (record.uri_prefix, *record.uri_prefix_synonyms)),
                              key=lambda pair: -len(pair[0]))

    @classmethod
    def from_file(cls, path: Path = PREFIXES_FILE) -> "PrefixMap":
        return cls([PrefixRecord(r["prefix"], r["uri_prefix"], tuple(r.get("prefix_synonyms", ())),
                                 tuple(r.get("uri_prefix_synonyms", ())))
                    for r in json.loads(path.read_text(encoding="utf-8"))["records"]])

    @cached_property
    def prefix_map(self) -> dict[str, str]:
        """Every prefix spelling (preferred and synonyms) -> the preferred IRI prefix."""
        return {name: record.uri_prefix for name, record in self._by_prefix.items()}

    def standardize_prefix(self, prefix: str) -> str | None:
        record = self._by_prefix.get(prefix)
        return record.prefix if record else None

    def standardize_curie(self, curie: str) -> str | None:
        prefix, _, local = curie.partition(":")
        record = self._by_prefix.get(prefix)
        return f"{record.prefix}:{local}" if record else None

    def expand(self, curie: str) -> str | None:
        prefix, _, local = curie.partition(":")
        record = self._by_prefix.get(prefix)
        return record.uri_prefix + local if record else None

    def compress(self, uri: str) -> str | None:
        for uri_prefix, record in self._by_uri:
            if uri.startswith(uri_prefix):
                return f"{record.prefix}:{uri[len(uri_prefix):]}"
        return None

    def standardize_uri(self, uri: str) -> str | None:
        """The IRI with the preferred IRI prefix of its record (None when no prefix matches)."""
        for uri_prefix, record in self._by_uri:
            if uri.startswith(uri_prefix):
                return record.uri_prefix + uri[len(uri_prefix):]
        return None

    @cached_property
    def _by_folded_prefix(self) -> dict[str, PrefixRecord]:
        """Every prefix spelling (preferred and synonyms), case-folded -> its record."""
        return {name.casefold(): record for record in self.records
                for name in (record.prefix, *record.prefix_synonyms)}

    def standardize_prefix_any_case(self, prefix: str) -> str | None:
        """:meth:`standardize_prefix` for a prefix spelt in any case (``NCIt``, ``ChEBI``, ``Mondo``)."""
        record = self._by_prefix.get(prefix) or self._by_folded_prefix.get(prefix.casefold())
        return record.prefix if record else None

    def expand_any_case(self, curie: str) -> str | None:
        """:meth:`expand` for a prefix spelt in any case (``orphanet:99``, ``icd10who:C93.3``)."""
        prefix, colon, local = curie.partition(":")
        record = self._by_folded_prefix.get(prefix.casefold()) if colon and local else None
        return record.uri_prefix + local if record else None


class _LazyPrefixMap:
    """:class:`PrefixMap` read from prefixes.json on first use (keeps ``import graphkit`` fast)."""

    @cached_property
    def _map(self) -> PrefixMap:
        return PrefixMap.from_file()

    def __getattr__(self, name):
        return getattr(self._map, name)


PREFIXES: PrefixMap = _LazyPrefixMap()  # type: ignore[assignment]


@lru_cache(maxsize=None)
def _known_prefixes() -> MappingProxyType:
    prefixes = dict(TURTLE_PREFIXES)
    for record in PREFIXES.records:
        prefixes.setdefault(record.prefix, record.uri_prefix)
    return MappingProxyType(prefixes)


def known_prefixes() -> dict[str, str]:
    """The prefixes a query may use without declaring them, and Turtle output may write: the
    graph's own (:data:`TURTLE_PREFIXES`), then each external CURIE prefix graphkit prints, so that
    an identifier an answer shows (``HP:0001945``) can be pasted into the next query (the
    canonical Turtle writer declares only those it uses).

    >>> known_prefixes()["HP"], known_prefixes()["gke"]
    ('http://purl.obolibrary.org/obo/HP_', 'https://w3id.org/graphkit/entity/')
    """
    return dict(_known_prefixes())


# An ICD-10 code, or a block of them, written without its system (C93.32, C81-C96): ICD-10-CM's
# codes have up to four characters after the point.
BARE_ICD10 = re.compile(r"[A-Za-z]\d\d(\.[0-9A-Za-z]{1,4})?(-[A-Za-z]\d\d(\.[0-9A-Za-z]{1,4})?)?")


def bare_icd10_curies(text: str) -> list[str]:
    """The CURIEs a code written without its system (:data:`BARE_ICD10`) stands for: ICD-10-CM's
    first (the system of the sources' own codes), then WHO ICD-10's; none for any other text.

    >>> bare_icd10_curies("c93.32"), bare_icd10_curies("C93.32 ")
    (['ICD10CM:C93.32', 'ICD10WHO:C93.32'], [])
    """
    return [f"{system}:{text.upper()}" for system in ("ICD10CM", "ICD10WHO")] if BARE_ICD10.fullmatch(text) else []


def redact_url(url: str) -> str:
    """``url`` with the credentials in it (``user:password@``) written ``***@``, whatever else is
    wrong with it (a bad port, an unclosed IPv6 bracket): a URL as a message shows it.

    >>> redact_url("https://alice:s3cret@db.example.org/store"), redact_url("http://a:b@[::1/q")
    ('https://***@db.example.org/store', 'http://***@[::1/q')
    """
    scheme, separator, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    if not separator or "@" not in authority:
        return url
    return f"{scheme}{separator}***@{authority.rsplit('@', 1)[1]}{slash}{path}"


def short_digest(*parts: str) -> str:
    """The local name minted for a node made of ``parts`` (an evidence statement, a quantity
    value): 12 hex digits of their SHA-1, the same on every build.

    >>> short_digest("a", "b")
    '9abe6de24a87'
    """
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:12]


def is_curie(identifier: str) -> bool:
    """True for ``PREFIX:local`` with a prefix the map knows (any spelling)."""
    return ":" in identifier and PREFIXES.standardize_prefix(identifier.split(":", 1)[0]) is not None


def external_iri(identifier: str) -> str | None:
    """The IRI of an external identifier: a CURIE with any prefix spelling of the prefix map in any
    case, or an IRI (a synonym URI prefix becomes the preferred one); None for an unknown prefix.

    >>> external_iri("orphanet:99"), external_iri("icd10who:C93.3")
    ('http://www.orpha.net/ORDO/Orphanet_99', 'https://icd.who.int/browse10/2019/en#/C93.3')
    >>> external_iri("http://identifiers.org/orphanet/99")
    'http://www.orpha.net/ORDO/Orphanet_99'

    An OBO term's id as its PURL ends (``MONDO_0011908``, ``obo:HP_0001945``, as OLS and OBO
    files write it) is that term:

    >>> external_iri("MONDO_0011908"), external_iri("obo:HP_0001945"), external_iri("jmml_in_relapse")
    ('http://purl.obolibrary.org/obo/MONDO_0011908', 'http://purl.obolibrary.org/obo/HP_0001945', None)
    """
    identifier = identifier.strip()
    if re.match(r"^https?://", identifier):
        return PREFIXES.standardize_uri(identifier) or identifier
    obo_id = re.fullmatch(r"(?:obo:)?([A-Za-z][A-Za-z0-9]*)_(\w+)", identifier, flags=re.IGNORECASE)
    if obo_id is not None:
        iri = PREFIXES.expand_any_case(f"{obo_id.group(1)}:{obo_id.group(2)}")
        # only where the CURIE's IRI is that PURL: an id of another vocabulary written so is none
        if iri is not None and iri.casefold() == (OBO_PURL + identifier.rpartition(":")[2]).casefold():
            return iri
        return None
    return PREFIXES.expand_any_case(identifier)


def compact(iri: str) -> str:
    """Shortest readable form: ``gke:x`` local names, external CURIEs, or the IRI itself."""
    for prefix, ns in TURTLE_PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z0-9_.\-]*", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    curie = PREFIXES.compress(iri)
    return curie if curie else iri


def readable(text: str) -> str:
    """A term's text as people read it: an IRI compacted (:func:`compact`), other text as is.

    >>> readable("https://w3id.org/graphkit/entity/jmml"), readable("JMML in relapse")
    ('gke:jmml', 'JMML in relapse')
    """
    return compact(text) if text.startswith("http") and " " not in text else text


def local_id(iri: str) -> str:
    """The registry id of an entity IRI (``jmml`` or ``ICD10CM:C93.32``)."""
    if iri.startswith(GKE):
        return iri[len(GKE):]
    curie = PREFIXES.compress(iri)
    return curie if curie else iri


def own_entity_iri(identifier: str) -> str | None:
    """The IRI of graphkit's entity an id (``jmml``) or ``gke:`` CURIE names, whether or not the
    graph has it; None for any other text.

    >>> own_entity_iri("jmml"), own_entity_iri("gke:jmml"), own_entity_iri("JMML"), own_entity_iri("gk:Drug")
    ('https://w3id.org/graphkit/entity/jmml', 'https://w3id.org/graphkit/entity/jmml', None, None)
    """
    local = identifier[len("gke:"):] if identifier.startswith("gke:") else identifier
    return GKE + local if ENTITY_ID.match(local) else None


_PROVENANCE_NAMESPACES = (GKEV, GKSRC, RELEASE_ONTOLOGY)
# The schema's own terms, and statements it makes about standard vocabulary terms (labels of
# skos:altLabel and the like).
_SCHEMA_NAMESPACES = (GK, SCHEMA_ONTOLOGY, RDF, RDFS, OWL, SKOS, DCTERMS, PROV, OA, XSD, VANN, FOAF)
# The links of a statement's blank owl:Axiom node (an OWL 2 axiom annotation) to the statement
# and to its evidence (ontology/README.md, "Every statement carries its evidence").
EVIDENCE_AXIOM_LINKS = frozenset({OWL + "annotatedSource", OWL + "annotatedProperty", OWL + "annotatedTarget",
                                  GK + "evidence"})
# The annotations of an entity's blank mapping axiom (its skos:*Match's justification, CURIE,
# verification and note; the schema's blank nodes carry none of them).
MAPPING_AXIOM_ANNOTATIONS = frozenset({GK + "mappingJustification", GK + "mappingCurie", GK + "mappingVerified",
                                       RDFS + "comment"})
_RDF_TYPE, _OWL_AXIOM = RDF + "type", OWL + "Axiom"


def graph_name(blank_subject: bool, subject: str, predicate: str, obj: str) -> str:
    """Which named graph a triple belongs to, from its terms' text (``blank_subject``: the
    subject is a blank node; a literal subject is never asked about).

    Evidence, sources, the release's ontology header and the blank ``owl:Axiom`` nodes that link a
    statement to its evidence or a mapping to its justification are provenance; schema terms (and
    the standard terms the schema declares) and the schema's other blank nodes (restrictions,
    lists) are schema; everything else is asserted knowledge. A blank node is told by its own triple, so a triple is
    placed without seeing the rest of the graph (the schema annotates no axiom; a test checks it).
    """
    if blank_subject:
        if predicate in EVIDENCE_AXIOM_LINKS or predicate in MAPPING_AXIOM_ANNOTATIONS or \
                (predicate == _RDF_TYPE and obj == _OWL_AXIOM):
            return GRAPH_PROVENANCE
        return GRAPH_SCHEMA
    if subject.startswith(_PROVENANCE_NAMESPACES):
        return GRAPH_PROVENANCE
    if subject.startswith(_SCHEMA_NAMESPACES):
        return GRAPH_SCHEMA
    return GRAPH_ASSERTED


def graph_name_expression(subject: str = "?s", predicate: str = "?p", obj: str = "?o") -> str:
    """:func:`graph_name` as a SPARQL expression over three variables: the store places a parsed
    release with one update, inside the engine (no Python per triple, and without the
    interpreter lock, so it runs beside other work). A test checks both place every triple alike.

    >>> "STRSTARTS(STR(?s), " in graph_name_expression()
    True
    """
    def one_of(names) -> str:
        return ", ".join(f"<{name}>" for name in sorted(names))

    def starts(namespaces) -> str:
        return " || ".join(f'STRSTARTS(STR({subject}), "{ns}")' for ns in namespaces)

    axiom = (f"{predicate} IN ({one_of(EVIDENCE_AXIOM_LINKS | MAPPING_AXIOM_ANNOTATIONS)}) || "
             f"({predicate} = <{_RDF_TYPE}> && {obj} = <{_OWL_AXIOM}>)")
    return (f"IF(isBlank({subject}), IF({axiom}, <{GRAPH_PROVENANCE}>, <{GRAPH_SCHEMA}>), "
            f"IF({starts(_PROVENANCE_NAMESPACES)}, <{GRAPH_PROVENANCE}>, "
            f"IF({starts(_SCHEMA_NAMESPACES)}, <{GRAPH_SCHEMA}>, <{GRAPH_ASSERTED}>)))")
