"""IRIs of the graph and the prefix map for external identifiers.

Entities live under ``https://w3id.org/graphkit/entity/``; the schema under
``https://w3id.org/graphkit/schema#``. External identifiers are CURIEs expanded and
contracted with :data:`CONVERTER` (the prefix map of :mod:`graphkit.iris`, read from
``graphkit/prefixes.json``). The same names as text, without rdflib, are in :mod:`graphkit.iris`.

>>> str(entity_iri("jmml"))
'https://w3id.org/graphkit/entity/jmml'
>>> str(entity_iri("ICD10CM:C93.32"))
'http://purl.bioontology.org/ontology/ICD10CM/C93.32'
>>> CONVERTER.compress("http://purl.obolibrary.org/obo/MONDO_0011908")
'MONDO:0011908'
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD  # noqa: F401 (used by importers)

from . import iris
from .iris import (BASE, ENTITY_ID, RELEASES, TURTLE_PREFIXES, compact, external_iri,  # noqa: F401 (re-exported)
                   is_curie, local_id, readable)


class _Namespace(Namespace):
    """An rdflib Namespace whose terms named as attributes (``GK.certainty``) are each made once:
    rdflib makes and checks a new URIRef at every access (~2.7 us), and assembling the release
    asked for ~50k of them. Terms named by index (``GKE[identifier]``) are made each time, as the
    data names them (a cache of them would grow with the data)."""

    def __getattr__(self, name: str):
        term = super().__getattr__(name)
        self.__dict__[name] = term        # found without a call from now on
        return term


GK = _Namespace(iris.GK)
GKE = _Namespace(iris.GKE)
GKEV = _Namespace(iris.GKEV)
GKQ = _Namespace(iris.GKQ)
GKSRC = _Namespace(iris.GKSRC)
GKG = _Namespace(iris.GKG)
OA = _Namespace(iris.OA)
BIOLINK = _Namespace(iris.BIOLINK)
SEMAPV = _Namespace(iris.SEMAPV)
SSSOM = _Namespace(iris.SSSOM)
VANN = _Namespace(iris.VANN)

SCHEMA_ONTOLOGY = URIRef(iris.SCHEMA_ONTOLOGY)
RELEASE_ONTOLOGY = URIRef(iris.RELEASE_ONTOLOGY)          # all.ttl: the schema, the asserted graph, the provenance

# Named graphs of the store and the server.
GRAPH_SCHEMA = URIRef(iris.GRAPH_SCHEMA)
GRAPH_ASSERTED = URIRef(iris.GRAPH_ASSERTED)
GRAPH_PROVENANCE = URIRef(iris.GRAPH_PROVENANCE)
GRAPH_INFERRED = URIRef(iris.GRAPH_INFERRED)
GRAPH_IMPORTS = URIRef(iris.GRAPH_IMPORTS)
_GRAPHS = {str(g): g for g in (GRAPH_SCHEMA, GRAPH_ASSERTED, GRAPH_PROVENANCE)}

# The prefix map of external CURIEs (see graphkit.iris).
CONVERTER = iris.PREFIXES


def schema_name(iri) -> str | None:
    """The local name of a term of graphkit's schema (``gk:Disease`` -> ``Disease``); None for any
    other IRI or None.

    >>> schema_name(GK.Disease), schema_name("http://purl.obolibrary.org/obo/MONDO_0011908")
    ('Disease', None)
    """
    text = str(iri) if iri is not None else ""
    return text[len(str(GK)):] if text.startswith(str(GK)) else None


def standardize_curie(curie: str) -> str | None:
    """The CURIE with its preferred prefix spelling (``Orphanet:1`` -> ``ORPHA:1``)."""
    return CONVERTER.standardize_curie(curie)


def expand(curie: str) -> URIRef:
    uri = CONVERTER.expand(curie)
    if uri is None:
        raise ValueError(f"unknown CURIE prefix in {curie!r}")
    return URIRef(uri)


def entity_iri(identifier: str) -> URIRef:
    """IRI of a registry entity: a local id (``jmml``) or an external CURIE (``ICD10CM:C93.32``)."""
    if ENTITY_ID.match(identifier):
        return GKE[identifier]
    return expand(identifier)


def graph_for_triple(subject, predicate, obj) -> URIRef:
    """Which named graph a triple of rdflib terms belongs to (see :func:`graphkit.iris.graph_name`).

    >>> str(graph_for_triple(GKEV["003-abc"], GK.certainty, GK.Established)).rsplit("/", 1)[-1]
    'provenance'
    >>> str(graph_for_triple(GKE.jmml, GK.hasSymptom, GKE.fever)).rsplit("/", 1)[-1]
    'asserted'
    >>> str(graph_for_triple(BNode(), OWL.annotatedSource, GKE.jmml)).rsplit("/", 1)[-1]
    'provenance'
    """
    # type() first: isinstance on rdflib terms goes through an ABC check, and a build asks this
    # for every triple (twice: the reasoner's input and the summary).
    kind = type(subject)
    if kind is URIRef or (kind is not BNode and isinstance(subject, URIRef)):
        return _GRAPHS[iris.graph_name(False, str(subject), "", "")]      # told by the subject alone
    if not (kind is BNode or isinstance(subject, BNode)):
        return GRAPH_SCHEMA
    kind = type(obj)
    named = kind is URIRef or (kind is not Literal and kind is not BNode and isinstance(obj, URIRef))
    return _GRAPHS[iris.graph_name(True, str(subject), str(predicate), str(obj) if named else "")]


def triple_graphs(triples) -> Iterator[tuple[tuple, URIRef]]:
    """Each triple with its named graph (:func:`graph_for_triple`), a named subject's graph found
    once for a run of its triples (the build's triples come a subject's together).

    >>> [str(g).rsplit("/", 1)[-1] for _, g in triple_graphs([(GKE.jmml, GK.hasSymptom, GKE.fever),
    ...                                                         (GKE.jmml, RDFS.label, Literal("JMML"))])]
    ['asserted', 'asserted']
    """
    subject = graph = None
    for triple in triples:
        s = triple[0]
        if s is not subject or type(s) is not URIRef:
            subject, graph = s, graph_for_triple(*triple)
        yield triple, graph
