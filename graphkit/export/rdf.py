"""A selection as RDF: what the RDF formats (turtle, nt, jsonld, rdfxml) write.

Every asserted triple about a selected node except edges of the view that were not selected,
the quantity values it points to, the ``owl:Axiom`` node that annotates each of those triples
(a statement's evidence, with every evidence node, its quote selectors and source document; a
mapping's justification and CURIE), and selected inferred edges; the recorded disagreements
between sources all of whose evidence it holds, the labels of the entities that evidence names
without selecting them and of the external terms its entities are mapped to, and a header of the export's own (licence, rights, the release version
it was derived from), and the schema's declarations of the classes and properties it uses (with
their labels), so that OWL tools read its edges as property assertions; with a view that
includes the schema, the whole schema instead. A schema view exports the schema triples of its
classes and properties, with the same header and declarations. The axiom nodes
are blank nodes labelled by a digest of their statement, and the schema's (restrictions, lists)
get their RDFC-1.0 canonical labels (the store labels them anew at each load), so the N-Triples,
JSON-LD and RDF/XML files are the same on every run.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from ..closure import reachable
from ..namespaces import (GK, GKE, GKEV, GKQ, GKSRC, GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_PROVENANCE, GRAPH_SCHEMA,
                          RELEASE_ONTOLOGY)
from ..nxview import MAPPING_PROPERTIES
from ..terms import canonical_quads, oxigraph_triples, rdflib_triples
from .context import Context


def _axioms_of(provenance: Graph, subjects) -> dict[tuple, BNode]:
    """(s, p, o) -> the owl:Axiom node that annotates each triple whose subject is one of
    ``subjects``: a statement's evidence, or a mapping's justification and CURIE (without those,
    `graphkit validate` of an export warned of entities without cross-references). Looked up from
    the subjects: a selection of a few nodes reads a few axioms."""
    found = {}
    for subject in subjects:
        for ax in provenance.subjects(OWL.annotatedSource, subject):
            found[(subject, provenance.value(ax, OWL.annotatedProperty), provenance.value(ax, OWL.annotatedTarget))] = ax
    return found


def _copy_tree(source: Graph, start, out: dict, follow, copied: set) -> None:
    """Add to ``out`` the triples of ``start`` and of every node reached through objects that
    ``follow``, but not again those of a node ``copied`` already: a source document is reached
    from each of its 2,800 evidence nodes (copying it each time made the whole graph's RDF
    exports take 5 s more, measured)."""
    if start in copied:
        return

    def successors(node):
        # The node's triples are read once: copied here, then followed.
        pairs = list(source.predicate_objects(node))
        out.update(dict.fromkeys((node, p, o) for p, o in pairs))
        return [o for _, o in pairs if follow(o) and o not in copied]

    copied.update(reachable(start, successors))


def _schema(ctx: Context) -> list[tuple]:
    """The schema's triples, its blank nodes labelled canonically."""
    return rdflib_triples(canonical_quads(oxigraph_triples(ctx.graph(GRAPH_SCHEMA))))


def _in(*namespaces: str):
    return lambda term: isinstance(term, URIRef) and str(term).startswith(namespaces)


def rdf_triples(sub: nx.MultiDiGraph, ctx: Context) -> list[tuple]:
    """The RDF of a selection (see the module documentation): its triples, each once, in the
    order found (a subject's mostly together)."""
    view = ctx.view
    if view.graph.get("schema_only"):
        out = dict.fromkeys(_schema_rdf(sub, _schema(ctx)))
        _add_export_header(ctx.graph(GRAPH_PROVENANCE), out)
        _declare_vocabulary(ctx.graph(GRAPH_SCHEMA), out)
        return list(out)
    asserted, provenance = ctx.graph(GRAPH_ASSERTED), ctx.graph(GRAPH_PROVENANCE)
    iri = {n: URIRef(d["iri"]) for n, d in view.nodes(data=True)}
    view_edges = {(iri[u], URIRef(d["predicate_iri"]), iri[v]) for u, v, d in view.edges(data=True)
                  if d.get("predicate_iri")}
    chosen = {(iri[u], URIRef(d["predicate_iri"]), iri[v]) for u, v, d in sub.edges(data=True)
              if d.get("predicate_iri")}
    # An ordered set: an rdflib Graph's store took 20 us a triple to add to (2.4 s of the whole
    # graph's export, measured), and only the JSON-LD writer needs one (it makes its own).
    out: dict[tuple, None] = {}
    copied: set = set()
    is_quantity, is_evidence = _in(str(GKQ)), _in(str(GKEV), str(GKSRC))
    with ctx.bar("collecting triples", sub.number_of_nodes() + sub.number_of_edges()) as bar:
        for node in sub:
            bar.advance()
            subject = iri[node]
            for p, o in asserted.predicate_objects(subject):
                if (subject, p, o) in view_edges and (subject, p, o) not in chosen:
                    continue
                out[(subject, p, o)] = None
                if is_quantity(o):
                    _copy_tree(asserted, o, out, is_quantity, copied)
        for triple in chosen:
            bar.advance()
            if triple not in out and (triple in ctx.graph(GRAPH_INFERRED)):
                out[triple] = None
    axioms = _axioms_of(provenance, sorted({s for s, _, _ in out}))
    for triple in list(out):
        if triple in axioms:
            label = BNode("ax" + hashlib.sha1(" ".join(t.n3() for t in triple).encode("utf-8")).hexdigest()[:16])
            for p, o in provenance.predicate_objects(axioms[triple]):
                out[(label, p, o)] = None
                if p == GK.evidence:
                    _copy_tree(provenance, o, out, is_evidence, copied)
    _add_disagreements(provenance, out)
    _name_referenced_entities(asserted, out)
    _label_mapped_terms([ctx.graph(name) for name in ctx.term_graphs()], out)
    _add_export_header(provenance, out)
    if view.graph.get("include_schema"):
        out.update(dict.fromkeys(_schema(ctx)))
    else:
        _declare_vocabulary(ctx.graph(GRAPH_SCHEMA), out)
    return list(out)


def _declare_vocabulary(schema: Graph, out: dict) -> None:
    """The schema's declarations (``rdf:type`` triples) and labels of every term ``out`` uses, and
    of the classes those declarations name. Without them the OWL API (Protégé, ROBOT) read a
    subset's edges as annotations and left each statement's evidence unparsed (an export of JMML
    in relapse: 0 object property assertions, 753 unparsed triples, 12,266 OWL 2 DL violations;
    with them, as with ``--include-schema``: none unparsed, none violated)."""
    used = sorted({t for triple in out for t in triple if isinstance(t, URIRef)})
    declared = {term for start in used for term in reachable(start, lambda term: list(schema.objects(term, RDF.type)))}
    for term in sorted(declared):
        out.update(dict.fromkeys((term, RDF.type, kind) for kind in schema.objects(term, RDF.type)))
        out.update(dict.fromkeys((term, RDFS.label, label) for label in schema.objects(term, RDFS.label)))


def _name_referenced_entities(asserted: Graph, out: dict) -> None:
    """Who the entities are that the selection's evidence names but does not select (a statement's
    population, state, period, line of therapy: `graphkit validate` of an export of childhood ALL
    found gk:forPopulation of gke:children_in_high_income_settings, a node it did not define):
    their types, labels and registry file, what the checks ask of an entity, and not their
    statements. With their labels only, two hops around JMML in relapse had 12 violations (no
    value of gk:duringPeriod was a gk:TimePeriod)."""
    described = {s for s, _, _ in out}
    named = sorted({o for _, _, o in out if isinstance(o, URIRef) and str(o).startswith(str(GKE))} - described)
    for entity in named:
        for prop in (RDF.type, RDFS.label, SKOS.prefLabel, GK.curationFile):
            out.update(dict.fromkeys((entity, prop, value) for value in asserted.objects(entity, prop)))


def _label_mapped_terms(imports: list[Graph], out: dict) -> None:
    """The labels the import modules (or an ontology loaded beside them) give the external terms
    the selection's entities are mapped to (``MONDO:0011908`` juvenile myelomonocytic leukemia),
    as the release has them through its ``owl:imports``: an export, which imports nothing, showed
    a curator bare ids in Protégé, where the mapping set names each term. MeSH, UMLS and SNOMED CT
    ids have no module, so no label."""
    described = {s for s, _, _ in out}
    mapped = sorted({o for _, p, o in out if p in MAPPING_PROPERTIES and isinstance(o, URIRef)} - described)
    for term in mapped:
        for module in imports:
            out.update(dict.fromkeys((term, RDFS.label, label) for label in module.objects(term, RDFS.label)))


def _add_disagreements(provenance: Graph, out: dict) -> None:
    """The recorded disagreements between sources whose evidence nodes are all in ``out`` (the
    whole graph's exports had left out all five, which the release holds; one naming evidence
    the export lacks would name statements it does not hold)."""
    exported = {s for s, _, _ in out if isinstance(s, URIRef)}
    for disagreement in sorted(set(provenance.subjects(RDF.type, GK.SourceDisagreement))):
        if set(provenance.objects(disagreement, GK.disagreementStatement)) <= exported:
            out.update(dict.fromkeys((disagreement, p, o) for p, o in provenance.predicate_objects(disagreement)))


EXPORT_DESCRIPTION = ("A part of the graphkit release it was derived from (prov:wasDerivedFrom), written by "
                      "graphkit export: the selected triples, the evidence of each and the recorded "
                      "disagreements between sources among them.")


def _add_export_header(provenance: Graph, out: dict) -> None:
    """The export's own ontology header: the release's licence and rights, and the release version
    it was derived from. An anonymous ontology: an export is no second ontology of the release's
    IRI (loaded beside the release, it would be one), and its licence is then an annotation of the
    ontology, as Protégé and ROBOT read one."""
    header = BNode("export")
    out[(header, RDF.type, OWL.Ontology)] = None
    title = provenance.value(RELEASE_ONTOLOGY, DCTERMS.title)
    out[(header, DCTERMS.title, Literal(f"{title or 'graphkit'}: an export"))] = None
    out[(header, DCTERMS.description, Literal(EXPORT_DESCRIPTION))] = None
    for prop in (DCTERMS.license, DCTERMS.rights):
        value = provenance.value(RELEASE_ONTOLOGY, prop)
        if value is not None:
            out[(header, prop, value)] = None
    version = provenance.value(RELEASE_ONTOLOGY, OWL.versionIRI)
    if version is not None:
        out[(header, PROV.wasDerivedFrom, version)] = None


def _schema_rdf(sub: nx.MultiDiGraph, schema: list[tuple]) -> list[tuple]:
    """The schema triples of the selected classes and of the properties on selected edges
    (with the blank nodes they hold: restrictions, lists)."""
    graph = Graph()
    graph.addN((*triple, graph) for triple in schema)
    out: dict[tuple, None] = {}
    copied: set = set()
    subjects = {URIRef(d["iri"]) for _, d in sub.nodes(data=True)}
    subjects |= {URIRef(d["predicate_iri"]) for *_, d in sub.edges(data=True)
                 if str(d.get("predicate_iri", "")).startswith(str(GK))}
    for subject in sorted(subjects):
        _copy_tree(graph, subject, out, lambda term: isinstance(term, BNode), copied)
    return list(out)


def used_prefixes(triples: list[tuple], prefixes: dict[str, str]) -> dict[str, str]:
    """The ``prefixes`` whose namespace an IRI of ``triples`` is in."""
    iris = sorted({str(t) for triple in triples for t in triple if isinstance(t, URIRef)})

    def used(namespace: str) -> bool:
        at = bisect_left(iris, namespace)       # the first IRI from the namespace on, if any
        return at < len(iris) and iris[at].startswith(namespace)

    return {p: ns for p, ns in prefixes.items() if used(ns)}
