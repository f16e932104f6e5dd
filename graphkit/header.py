"""The ontology headers of the release's files, OBO-style, from ``ontology/release.yaml``.

Each file the build or ``graphkit link`` writes is an ontology of its own, so OWL tools (the
OWL API in Protégé and ROBOT) can load them together:

============================ ==========================================================
file                         ontology IRI; owl:imports
============================ ==========================================================
``schema.ttl`` (hand-made)   ``https://w3id.org/graphkit/schema``; none
``imports/<id>.ttl``         ``https://w3id.org/graphkit/imports/<id>``; the schema
``all.ttl``                  ``https://w3id.org/graphkit/all``; the schema and every
                             import module
``inferred.ttl``             ``https://w3id.org/graphkit/inferred``; the release
============================ ==========================================================

``all.ttl`` holds the schema's axioms too (so it reads alone), but not the schema's header: one
file, one ontology. The release and inferred files carry the version IRI of the release
(``https://w3id.org/graphkit/releases/<version>/<name>``), its version, date, title, creator and homepage; every
header states the one data licence (``ontology.license``; the SSSOM export states the same),
and the rights of the content graphkit did not write. The date is declared in release.yaml, so
two builds give the same bytes.

``catalog-v001.xml`` (beside all.ttl, as in ODK repositories) maps each of these ontology IRIs
to its file, so Protégé and ROBOT (``--catalog``) resolve the imports offline.

>>> from graphkit.project import Project
>>> config = Project.locate().config
>>> header = dict(((p.split("#")[-1].rsplit("/", 1)[-1], str(o)) for _, p, o in release_header(config)))
>>> header["versionIRI"], header["license"]
('https://w3id.org/graphkit/releases/0.1.0/all', 'https://creativecommons.org/licenses/by/4.0/')
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterator
from xml.sax.saxutils import quoteattr

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF

from .config import ImportModule, OntologyHeader, ReleaseConfig
from .iris import IMPORT_ONTOLOGIES
from .namespaces import BASE, GRAPH_ASSERTED, GRAPH_PROVENANCE, RELEASE_ONTOLOGY, RELEASES, SCHEMA_ONTOLOGY
from .project import Project

INFERRED_ONTOLOGY = URIRef(BASE + "inferred")
RELEASE_RIGHTS = (
    "The quotes are the source documents' words, each with its source and citation; their publishers' "
    "terms apply to them. External identifiers and the import modules' terms remain under their "
    "publishers' terms (see each import module). The software that builds the release is MIT licensed.")
INFERRED_DESCRIPTION = (
    "Triples implied by ontology/schema.ttl and the asserted graph (not the provenance) under OWL 2 RL, "
    "reduced to informative statements about entities: inverse and transitive edges, super-property edges, "
    "and class memberships from subclass, domain and range axioms. Not asserted by any source; see all.ttl "
    "for the asserted graph and its evidence. Computed with the reasonable engine; the test suite checks "
    "that owlrl, the reference implementation, gives the same triples. In the store and on the server "
    "these triples are the named graph https://w3id.org/graphkit/graph/inferred.")

Triple = tuple[URIRef, URIRef, object]

# The release's header as the build wrote it into all.ttl, by the names Dublin Core gives them:
# ``source`` is the version IRI of the release. Whatever is made from the release says where it
# came from with them: the view's graph attributes (so GraphML's and Cytoscape JSON's, GEXF's <meta>
# description, the KGX export's biolink:Dataset node, the pictures' captions) and the pages' footer.
RELEASE_ATTRIBUTES = {"title": DCTERMS.title, "version": OWL.versionInfo, "date": DCTERMS.date,
                      "source": OWL.versionIRI, "license": DCTERMS.license, "rights": DCTERMS.rights}
_STATED_RELEASE = f"""SELECT ?p (MIN(STR(?o)) AS ?value) WHERE {{
  GRAPH <{GRAPH_PROVENANCE}> {{ <{RELEASE_ONTOLOGY}> ?p ?o }}
  VALUES ?p {{ {" ".join(f"<{p}>" for p in RELEASE_ATTRIBUTES.values())} }}
}} GROUP BY ?p"""


def release_attributes(store) -> dict[str, str]:
    """The release's title, version, date, licence, rights and version IRI (``source``), as the
    header of ``store``'s release states them (:data:`RELEASE_ATTRIBUTES`): one small query, so
    on a SPARQL endpoint holding the release as on the embedded store.

    >>> from graphkit.store import OxigraphStore
    >>> attributes = release_attributes(OxigraphStore.from_project(Project.locate()))
    >>> sorted(attributes), attributes["license"]
    (['date', 'license', 'rights', 'source', 'title', 'version'], 'https://creativecommons.org/licenses/by/4.0/')
    """
    stated = {str(row["p"]): str(row["value"]) for row in store.query(_STATED_RELEASE).rows}
    return {key: stated[str(p)] for key, p in RELEASE_ATTRIBUTES.items() if str(p) in stated}


def release_credit(attrs: dict[str, str], markup: bool = False) -> str:
    """The line that says which release a picture or page shows and under which licence, from
    :func:`release_attributes` (or a view's graph attributes): text for a picture, whose reader
    cannot follow a link, so the version IRI is written out; with ``markup``, HTML whose title links
    to the version IRI and whose licence is the ``rel="license"`` link by which HTML names a
    page's licence. Empty for attributes without a licence.

    >>> attrs = {"title": "kg", "version": "0.1.0", "date": "2026-12-02", "source": "https://x/0.1.0/all",
    ...          "license": "https://creativecommons.org/licenses/by/4.0/"}
    >>> release_credit(attrs)
    'From kg 0.1.0 (2026-12-02), https://x/0.1.0/all. Licence: https://creativecommons.org/licenses/by/4.0/'
    >>> release_credit(attrs, markup=True)
    'From <a href="https://x/0.1.0/all">kg 0.1.0</a> (2026-12-02). Licence: <a rel="license" href="https://creativecommons.org/licenses/by/4.0/">https://creativecommons.org/licenses/by/4.0/</a>.'
    >>> release_credit({})
    ''
    """
    if not attrs.get("license"):
        return ""
    text = html.escape if markup else str
    named = text(" ".join(attrs[key] for key in ("title", "version") if attrs.get(key)))
    source = attrs.get("source")
    if named and source and markup:
        named = f'<a href="{text(source)}">{named}</a>'
    dated = f" ({text(attrs['date'])})" if attrs.get("date") else ""
    located = f", {source}" if source and not markup else ""
    licence = (f'<a rel="license" href="{text(attrs["license"])}">{text(attrs["license"])}</a>.' if markup
               else attrs["license"])
    return f"From {named}{dated}{located}. Licence: {licence}" if named else f"Licence: {licence}"


def module_iri(name: str) -> URIRef:
    """The ontology IRI of the import module ``name``."""
    return URIRef(IMPORT_ONTOLOGIES + name)


def version_iri(meta: OntologyHeader, name: str) -> URIRef:
    """The version IRI of the release's file ``name`` (``all``, ``inferred``)."""
    return URIRef(f"{RELEASES}{meta.version}/{name}")


def release_header(config: ReleaseConfig) -> Iterator[Triple]:
    """The header of ``all.ttl``: the release, importing the schema and every import module."""
    meta = config.ontology
    node = RELEASE_ONTOLOGY
    yield from _versioned(node, meta, "all", meta.title, meta.description)
    yield node, OWL.imports, SCHEMA_ONTOLOGY
    for module in config.imports:
        yield node, OWL.imports, module_iri(module.id)
    yield node, DCTERMS.rights, Literal(RELEASE_RIGHTS)


def inferred_header(config: ReleaseConfig) -> Iterator[Triple]:
    """The header of ``inferred.ttl``: informative inferences, importing the release."""
    meta = config.ontology
    yield from _versioned(INFERRED_ONTOLOGY, meta, "inferred", f"{meta.title}: inferred triples (OWL 2 RL closure)",
                          INFERRED_DESCRIPTION)
    yield INFERRED_ONTOLOGY, OWL.imports, RELEASE_ONTOLOGY
    yield INFERRED_ONTOLOGY, PROV.wasDerivedFrom, SCHEMA_ONTOLOGY
    yield INFERRED_ONTOLOGY, PROV.wasDerivedFrom, GRAPH_ASSERTED


def module_header(module: ImportModule, meta: OntologyHeader, version: str) -> Iterator[Triple]:
    """The header of an import module: what it extracts from where, under which terms."""
    node = module_iri(module.id)
    yield node, RDF.type, OWL.Ontology
    yield node, OWL.imports, SCHEMA_ONTOLOGY
    yield node, DCTERMS.title, Literal(module.title)
    yield node, DCTERMS.source, URIRef(module.source)
    yield node, DCTERMS.license, URIRef(meta.license)
    yield node, DCTERMS.rights, Literal(f"The terms, labels and hierarchy extracted here come from {module.source} and "
                                        f"remain under their publisher's terms ({module.license}); the licence "
                                        "covers graphkit's selection of them.")
    # dcterms:description, as ROBOT's missing_ontology_description asks of every ontology header
    yield node, DCTERMS.description, Literal(f"{module.description} Generated by `graphkit link --update-imports`; "
                                             "do not edit.")
    yield node, OWL.versionInfo, Literal(version)


def _versioned(node: URIRef, meta: OntologyHeader, name: str, title: str, description: str) -> Iterator[Triple]:
    yield node, RDF.type, OWL.Ontology
    yield node, OWL.versionIRI, version_iri(meta, name)
    yield node, OWL.versionInfo, Literal(meta.version)
    yield node, DCTERMS.title, Literal(title)
    yield node, DCTERMS.description, Literal(description)
    yield node, DCTERMS.creator, Literal(meta.creator)
    yield node, DCTERMS.date, Literal(meta.date)
    yield node, DCTERMS.license, URIRef(meta.license)
    yield node, FOAF.homepage, URIRef(meta.homepage)


def catalog_xml(project: Project) -> str:
    """The XML catalog (OASIS, as Protégé reads ``catalog-v001.xml`` beside an ontology) that maps
    the ontology IRIs of the schema, the import modules, the release and the inferred file to
    the files, relative to the catalog."""
    folder = project.product("catalog").parent
    files = [(SCHEMA_ONTOLOGY, project.schema_file),
             *((module_iri(m.id), project.imports_dir / f"{m.id}.ttl") for m in project.config.imports),
             (RELEASE_ONTOLOGY, project.all_ttl), (INFERRED_ONTOLOGY, project.inferred_ttl)]
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
             "<!-- Built by `graphkit build` from ontology/release.yaml; never edited. -->",
             '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">']
    for iri, path in files:
        lines.append(f"    <uri name={quoteattr(str(iri))} uri={quoteattr(os.path.relpath(path, folder))}/>")
    return "\n".join(lines + ["</catalog>", ""])
