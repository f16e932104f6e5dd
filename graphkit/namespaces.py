"""IRIs of the graph and the prefix map for external identifiers.

Entities live under ``https://w3id.org/graphkit/entity/``; the schema under
``https://w3id.org/graphkit/schema#``. External identifiers are CURIEs expanded and
contracted with :data:`CONVERTER` (a :mod:`curies` converter built from
``graphkit/prefixes.json``: bioregistry preferred prefixes, OBO PURLs for OBO ontologies,
and the prefix spellings of the MONDO mapping sets as synonyms).

>>> str(entity_iri("jmml"))
'https://w3id.org/graphkit/entity/jmml'
>>> str(entity_iri("ICD10CM:C93.32"))
'http://purl.bioontology.org/ontology/ICD10CM/C93.32'
>>> CONVERTER.compress("http://purl.obolibrary.org/obo/MONDO_0011908")
'MONDO:0011908'
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import curies
from rdflib import BNode, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/graphkit/"
GK = Namespace(BASE + "schema#")
GKE = Namespace(BASE + "entity/")
GKEV = Namespace(BASE + "evidence/")
GKQ = Namespace(BASE + "quantity/")
GKSRC = Namespace(BASE + "source/")
GKMAP = Namespace(BASE + "mapping/")
GKG = Namespace(BASE + "graph/")
OA = Namespace("http://www.w3.org/ns/oa#")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
SSSOM = Namespace("https://w3id.org/sssom/")
VANN = Namespace("http://purl.org/vocab/vann/")

SCHEMA_ONTOLOGY = URIRef(BASE + "schema")
RELEASE_ONTOLOGY = URIRef(BASE + "all")          # all.ttl: the schema, the asserted graph, the provenance

# Named graphs of the store and the server.
GRAPH_SCHEMA = GKG.schema
GRAPH_ASSERTED = GKG.asserted
GRAPH_PROVENANCE = GKG.provenance
GRAPH_INFERRED = GKG.inferred
GRAPH_IMPORTS = GKG["imports"]

# Prefixes written in Turtle output and offered to SPARQL queries, in this order.
TURTLE_PREFIXES: dict[str, str] = {
    "gk": str(GK),
    "gke": str(GKE),
    "gkev": str(GKEV),
    "gkq": str(GKQ),
    "gksrc": str(GKSRC),
    "gkmap": str(GKMAP),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "oa": str(OA),
    "biolink": str(BIOLINK),
    "semapv": str(SEMAPV),
    "vann": str(VANN),
    "foaf": str(FOAF),
}

_PREFIXES_FILE = Path(__file__).with_name("prefixes.json")
ENTITY_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")


@lru_cache(maxsize=1)
def _converter() -> curies.Converter:
    records = json.loads(_PREFIXES_FILE.read_text(encoding="utf-8"))["records"]
    return curies.Converter.from_extended_prefix_map(records)


class _LazyConverter:
    """Defers reading prefixes.json until first use (keeps ``import graphkit`` fast)."""

    def __getattr__(self, name):
        return getattr(_converter(), name)


CONVERTER: curies.Converter = _LazyConverter()  # type: ignore[assignment]


def written_prefixes() -> dict[str, str]:
    """The prefixes Turtle output may use: the graph's own (:data:`TURTLE_PREFIXES`), then every
    external CURIE prefix of the converter (the canonical writer declares only those it uses)."""
    prefixes = dict(TURTLE_PREFIXES)
    for record in _converter().records:
        prefixes.setdefault(record.prefix, record.uri_prefix)
    return prefixes


def is_curie(identifier: str) -> bool:
    """True for ``PREFIX:local`` with a prefix the converter knows (any spelling)."""
    if ":" not in identifier:
        return False
    prefix = identifier.split(":", 1)[0]
    return _converter().standardize_prefix(prefix) is not None


def standardize_curie(curie: str) -> str | None:
    """The CURIE with its preferred prefix spelling (``Orphanet:1`` -> ``ORPHA:1``)."""
    return _converter().standardize_curie(curie)


@lru_cache(maxsize=1)
def _prefix_records() -> dict[str, curies.Record]:
    """Every prefix and prefix synonym of the converter, case-folded, to its record."""
    return {name.casefold(): record for record in _converter().records
            for name in (record.prefix, *record.prefix_synonyms)}


def external_iri(identifier: str) -> str | None:
    """The IRI of an external identifier: a CURIE with any prefix spelling of the prefix map in any
    case, or an IRI (a synonym URI prefix becomes the preferred one); None for an unknown prefix.

    >>> external_iri("orphanet:99"), external_iri("icd10who:C93.3")
    ('http://www.orpha.net/ORDO/Orphanet_99', 'https://icd.who.int/browse10/2019/en#/C93.3')
    >>> external_iri("http://identifiers.org/orphanet/99")
    'http://www.orpha.net/ORDO/Orphanet_99'
    """
    identifier = identifier.strip()
    if re.match(r"^https?://", identifier):
        return _converter().standardize_uri(identifier) or identifier
    prefix, colon, local = identifier.partition(":")
    record = _prefix_records().get(prefix.casefold()) if colon and local else None
    return record.uri_prefix + local if record else None


def expand(curie: str) -> URIRef:
    uri = _converter().expand(curie)
    if uri is None:
        raise ValueError(f"unknown CURIE prefix in {curie!r}")
    return URIRef(uri)


def entity_iri(identifier: str) -> URIRef:
    """IRI of a registry entity: a local id (``jmml``) or an external CURIE (``ICD10CM:C93.32``)."""
    if ENTITY_ID.match(identifier):
        return GKE[identifier]
    return expand(identifier)


def compact(iri: str) -> str:
    """Shortest readable form: ``gke:x`` local names, external CURIEs, or the IRI itself."""
    for prefix, ns in TURTLE_PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z0-9_.\-]*", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    curie = _converter().compress(iri)
    return curie if curie else iri


def readable(text: str) -> str:
    """A term's text as people read it: an IRI compacted (:func:`compact`), other text as is.

    >>> readable("https://w3id.org/graphkit/entity/jmml"), readable("JMML in relapse")
    ('gke:jmml', 'JMML in relapse')
    """
    return compact(text) if text.startswith("http") and " " not in text else text


def local_id(iri: str) -> str:
    """The registry id of an entity IRI (``jmml`` or ``ICD10CM:C93.32``)."""
    if iri.startswith(str(GKE)):
        return iri[len(str(GKE)):]
    curie = _converter().compress(iri)
    return curie if curie else iri


_PROVENANCE_NAMESPACES = (str(GKEV), str(GKSRC), str(GKMAP), str(RELEASE_ONTOLOGY))
# The schema's own terms, and statements it makes about standard vocabulary terms (labels of
# skos:altLabel and the like).
_SCHEMA_NAMESPACES = (str(GK), str(SCHEMA_ONTOLOGY), str(RDF), str(RDFS), str(OWL), str(SKOS), str(DCTERMS),
                      str(PROV), str(OA), str(XSD), str(VANN), str(FOAF))
# The links of a statement's blank owl:Axiom node (an OWL 2 axiom annotation) to the statement
# and to its evidence (ontology/README.md, "Every statement carries its evidence").
EVIDENCE_AXIOM_LINKS = (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget, GK.evidence)


def graph_for_triple(subject, predicate, obj) -> URIRef:
    """Which named graph a triple belongs to.

    Evidence, sources, mapping axioms, the release's ontology header and the blank ``owl:Axiom``
    nodes that link a statement to its evidence are provenance; schema terms (and the standard
    terms the schema declares) and the schema's other blank nodes (restrictions, lists) are schema;
    everything else is asserted knowledge. A blank node is told by its own triple, so a triple is
    placed without seeing the rest of the graph (the schema annotates no axiom; a test checks it).

    >>> str(graph_for_triple(GKEV["003-abc"], GK.certainty, GK.Established)).rsplit("/", 1)[-1]
    'provenance'
    >>> str(graph_for_triple(GKE.jmml, GK.hasSymptom, GKE.fever)).rsplit("/", 1)[-1]
    'asserted'
    >>> str(graph_for_triple(BNode(), OWL.annotatedSource, GKE.jmml)).rsplit("/", 1)[-1]
    'provenance'
    """
    if isinstance(subject, BNode):
        if predicate in EVIDENCE_AXIOM_LINKS or (predicate == RDF.type and obj == OWL.Axiom):
            return GRAPH_PROVENANCE
        return GRAPH_SCHEMA
    text = str(subject)
    if not isinstance(subject, URIRef):
        return GRAPH_SCHEMA
    if text.startswith(_PROVENANCE_NAMESPACES):
        return GRAPH_PROVENANCE
    if text.startswith(_SCHEMA_NAMESPACES):
        return GRAPH_SCHEMA
    return GRAPH_ASSERTED
