"""Turn the loaders' records into triples: the build's assemble stage.

Each kind of curated input has one function here, ``add_<kind>(triples, curation)``, which
adds the triples of its records (``curation[kind]``) to the release's :class:`Triples`;
:data:`graphkit.build.INPUTS` pairs each with its loader.

Each statement becomes the plain triple (so simple SPARQL works), an evidence node that is a
PROV entity derived from the source and a W3C Web Annotation whose target selects the quote by
text and by position, and the link between them: an OWL 2 axiom annotation, one blank
``owl:Axiom`` node per triple (``owl:annotatedSource``/``annotatedProperty``/``annotatedTarget``)
naming every evidence node of the triple with ``gk:evidence`` (ontology/README.md). All IRIs are
derived from content, so building twice gives the same graph (the canonical writer writes the
blank nodes by their content).
"""

from __future__ import annotations

import functools
from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from loaders.registry import JUSTIFICATIONS, MATCHES, Entity
from loaders.sources import Source
from loaders.statements import BOUNDS, QUALIFIERS, Quantity, Statement

from .header import release_header
from .iris import short_digest
from .namespaces import GK, GKEV, GKQ, GKSRC, OA, SCHEMA_ONTOLOGY, SEMAPV, entity_iri, expand
from .project import Project

CONTEXT_CHARS = 32
MATCH = {match: SKOS[name] for match, name in MATCHES.items()}
JUSTIFICATION = {justification: SEMAPV[name] for justification, name in JUSTIFICATIONS.items()}

# rdflib makes a new term at each access of RDF.type and the like (~1.4 us; graphkit's own
# namespaces keep theirs): the ones each statement uses, made once.
_TYPE = RDF.type
_AXIOM_TERMS = (OWL.Axiom, OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget)
_SOURCE, _DERIVED_FROM, _IDENTIFIER = DCTERMS.source, PROV.wasDerivedFrom, DCTERMS.identifier


class Curation(dict):
    """The records of a project's curated inputs, by the name of their kind in
    :data:`graphkit.build.INPUTS`, as the loaders return them."""

    def __init__(self, project: Project):
        super().__init__()
        self.project = project


class Triples(list):
    """The release's triples in the order they are added, with a set's ``add`` and ``update`` at a
    list's cost (:func:`graphkit.build.assemble` drops the repeats, keeping the order). The order
    is kept because a subject's triples are mostly added together, and reading them so (the
    writer, the reasoner's input) touches memory in order: reading the hash order of a set made
    writing the release 1.8x slower (measured)."""

    add = list.append
    update = list.extend


@functools.lru_cache(maxsize=1 << 16)
def text_literal(text: str) -> Literal:
    """A plain string literal, made without rdflib's normalizing pass, which leaves a string as it
    is and took 3/4 of the time of making one (the release makes ~20k). The same text gives the
    same object: two literals in three repeat one before them (a section's name, a file's path on
    every statement's evidence), and the Turtle writer formats each object once.

    >>> text_literal("ALL") == Literal("ALL"), text_literal("ALL") is text_literal("ALL")
    (True, True)
    """
    return Literal(text, normalize=False)


@functools.lru_cache(maxsize=1 << 16)
def number_literal(value: Decimal | int) -> Literal:
    """Canonical typed number: xsd:integer when whole, else xsd:decimal; the same object for the
    same number (a quote's offsets repeat), as :func:`text_literal` for a text."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return Literal(str(int(value)), datatype=XSD.integer)
    return Literal(format(value.normalize(), "f"), datatype=XSD.decimal)


def source_iri(source: Source) -> URIRef:
    return GKSRC[source.id]


def evidence_iri(st: Statement) -> URIRef:
    return GKEV[f"{st.source.number}-{st.digest}"]


def quantity_iri(subject: str, prop: str, quantity: Quantity) -> URIRef:
    return GKQ[short_digest(subject, prop, quantity.key())]


def curated_lines(curation: Curation) -> dict[str, str]:
    """IRI -> the file and line each entity and statement is curated at (``path:line``), for the
    checks' findings. The release records the file alone (``gk:curationFile``): a line changes
    whenever a line above it does, and one statement inserted rewrote some 350 evidence nodes."""
    lines = {str(entity_iri(e.id)): str(e.location) for e in curation["registry"].values() if e.location}
    lines.update((str(evidence_iri(st)), str(st.location)) for st in curation["statements"])
    return lines


def add_schema(graph: Triples, curation: Curation) -> None:
    """The schema's axioms, under the release's own ontology header (:mod:`graphkit.header`)
    instead of the schema's: one file, one ontology, which imports the schema."""
    graph.update(t for t in curation["schema"].graph if t[0] != SCHEMA_ONTOLOGY)
    graph.update(release_header(curation.project.config))


def add_sources(graph: Triples, curation: Curation) -> None:
    for source in curation["sources"].values():
        node = source_iri(source)
        meta = source.metadata
        graph.add((node, _TYPE, GK.SourceDocument))
        graph.add((node, RDFS.label, text_literal(source.title)))
        graph.add((node, DCTERMS.title, text_literal(source.title)))
        graph.add((node, DCTERMS.type, text_literal(source.type)))
        graph.add((node, DCTERMS["format"], text_literal("text/plain; charset=utf-8")))
        graph.add((node, GK.documentNumber, Literal(source.number)))
        graph.add((node, GK.localFile, text_literal(curation.project.relative(source.path))))
        graph.add((node, GK.sha256, text_literal(source.sha256)))
        for key, prop in (("creator", DCTERMS.creator), ("publisher", DCTERMS.publisher),
                          ("citation", DCTERMS.bibliographicCitation), ("date_note", SKOS.note)):
            if meta.get(key):
                graph.add((node, prop, text_literal(str(meta[key]))))
        if meta.get("date"):
            # As written (2004-03, 2024-07-12): W3C-DTF text, as Dublin Core recommends. Not
            # xsd:date or xsd:gYearMonth, which are outside the OWL 2 datatype map.
            graph.add((node, DCTERMS.date, text_literal(str(meta["date"]))))
        if meta.get("pmid"):
            graph.add((node, GK.pmid, text_literal(str(meta["pmid"]))))
            graph.add((node, RDFS.seeAlso, expand(f"PMID:{meta['pmid']}")))
        if meta.get("doi"):
            graph.add((node, GK.doi, text_literal(str(meta["doi"]))))
            graph.add((node, RDFS.seeAlso, expand(f"DOI:{meta['doi']}")))
        if meta.get("url"):
            graph.add((node, RDFS.seeAlso, URIRef(meta["url"])))


def add_entities(graph: Triples, curation: Curation) -> None:
    for entity in curation["registry"].values():
        node = entity_iri(entity.id)
        graph.add((node, _TYPE, OWL.NamedIndividual))
        for type_name in entity.types:
            graph.add((node, _TYPE, GK[type_name]))
        graph.add((node, RDFS.label, text_literal(entity.label)))
        graph.add((node, SKOS.prefLabel, text_literal(entity.label)))
        for synonym in entity.synonyms:
            graph.add((node, SKOS.altLabel, text_literal(synonym)))
        if entity.comment:
            graph.add((node, SKOS.editorialNote, text_literal(entity.comment)))
        graph.add((node, GK.curationFile, text_literal(str(entity.location.path))))
        for xref in entity.xrefs:
            _add_xref(graph, entity, xref)


def _add_xref(graph: Triples, entity: Entity, xref) -> None:
    """The mapping triple and its justification: an OWL 2 axiom annotation (a blank ``owl:Axiom``
    node, as for the evidence of statements), which the OWL API reads as annotations on the
    mapping assertion; the CURIE as written in ``gk:mappingCurie``."""
    target = expand(xref.curie)
    predicate = MATCH[xref.match]
    graph.add((entity_iri(entity.id), predicate, target))
    axiom = _add_axiom(graph, (entity_iri(entity.id), predicate, target))
    graph.add((axiom, GK.mappingJustification, JUSTIFICATION[xref.justification]))
    graph.add((axiom, GK.mappingCurie, text_literal(xref.curie)))
    if xref.unverified:
        graph.add((axiom, GK.mappingVerified, Literal(False)))
    if xref.note:
        graph.add((axiom, RDFS.comment, text_literal(xref.note)))


def statement_object(st: Statement):
    if st.obj is not None:
        return GK[st.obj[3:]] if st.obj.startswith("gk:") else entity_iri(st.obj)
    if st.quantity is not None:
        return quantity_iri(st.subject, st.prop.name, st.quantity)
    return Literal(st.value)          # a text, or an integer (xsd:integer)


# Unit labels written in the plural after a number other than 1, the plural ones in the singular
# after 1, and those shown as symbols.
_TIME_UNITS = {"year", "month", "week", "day", "hour"}
# Each number of a quantity and its property: min_inclusive is gk:minInclusive.
QUANTITY_PROPERTIES = tuple((name, GK[name.split("_")[0] + "".join(w.title() for w in name.split("_")[1:])])
                            for name in BOUNDS)
_SINGULAR = {"times per day": "time per day", "times per week": "time per week", "patients": "patient",
             "chromosomes": "chromosome"}
_UNIT_SYMBOLS = {"percent": "%"}


def quantity_label(quantity: Quantity, unit_label: str) -> str:
    """A quantity value as people write it: ``13 patients``, ``1 to <10 years``, ``≥ 50000 cells
    per microliter``, ``about 54 %``.

    >>> quantity_label(Quantity("year", min_inclusive=Decimal(1), max_exclusive=Decimal(10)), "year")
    '1 to <10 years'
    >>> quantity_label(Quantity("percent", value=Decimal("54"), approximate=True), "percent")
    'about 54 %'
    >>> quantity_label(Quantity("times_per_week", value=Decimal(1)), "times per week")
    '1 time per week'
    """
    text = {key: str(number_literal(getattr(quantity, key))) for key in BOUNDS if getattr(quantity, key) is not None}
    low = text.get("min_inclusive", text.get("min_exclusive"))
    high = text.get("max_inclusive", text.get("max_exclusive"))
    if "value" in text:
        number = text["value"]
    elif low is not None and high is not None:
        number = f"{'' if 'min_inclusive' in text else '>'}{low} to {'<' if 'max_exclusive' in text else ''}{high}"
    elif low is not None:
        number = f"{'≥' if 'min_inclusive' in text else '>'} {low}"
    elif high is not None:
        number = f"{'≤' if 'max_inclusive' in text else '<'} {high}"
    else:
        number = "?"
    if unit_label in _TIME_UNITS and text.get("value") != "1":
        unit_label += "s"
    elif text.get("value") == "1":
        unit_label = _SINGULAR.get(unit_label, unit_label)
    unit_label = _UNIT_SYMBOLS.get(unit_label, unit_label)
    return f"{'about ' if quantity.approximate else ''}{number} {unit_label}".strip()


def _add_quantity(graph: Triples, node: URIRef, quantity: Quantity, unit_label: str) -> None:
    graph.add((node, _TYPE, GK.QuantityValue))
    graph.add((node, RDFS.label, text_literal(quantity_label(quantity, unit_label))))
    for key, prop in QUANTITY_PROPERTIES:
        number = getattr(quantity, key)
        if number is not None:
            graph.add((node, prop, number_literal(number)))
    graph.add((node, GK.unit, GK[f"unit_{quantity.unit}"]))
    if quantity.approximate:
        graph.add((node, GK.approximate, Literal(True)))


def _add_axiom(graph: Triples, statement: tuple) -> BNode:
    """The blank ``owl:Axiom`` node that annotates ``statement`` (OWL 2's mapping of an annotated
    axiom to RDF, which the OWL API reads as annotations on the axiom)."""
    node = BNode()
    s, p, o = statement
    axiom, source, prop, target = _AXIOM_TERMS
    graph.update(((node, _TYPE, axiom), (node, source, s), (node, prop, p), (node, target, o)))
    return node


def add_statements(graph: Triples, curation: Curation) -> None:
    schema = curation["schema"].graph
    axioms: dict[tuple, BNode] = {}
    for st in curation["statements"]:
        subject = entity_iri(st.subject)
        obj = statement_object(st)
        statement = (subject, st.prop.iri, obj)
        graph.add(statement)
        if st.quantity is not None:
            unit = GK[f"unit_{st.quantity.unit}"]
            _add_quantity(graph, obj, st.quantity, str(schema.value(unit, RDFS.label) or st.quantity.unit))
        ev = evidence_iri(st)
        if statement not in axioms:
            axioms[statement] = _add_axiom(graph, statement)
        graph.add((axioms[statement], GK.evidence, ev))
        src = source_iri(st.source)
        target, quote_sel, position_sel = (URIRef(f"{ev}-target"), URIRef(f"{ev}-quote"), URIRef(f"{ev}-position"))
        graph.add((ev, _TYPE, GK.Evidence))
        graph.add((ev, GK.certainty, GK[st.certainty]))
        if st.frequency:
            graph.add((ev, GK.frequency, GK[st.frequency]))
        for key, ids in st.qualifiers.items():
            for ident in ids:
                graph.add((ev, GK[QUALIFIERS[key]], entity_iri(ident)))
        if st.some_members:
            graph.add((ev, GK.forSomeMembersOnly, Literal(True)))
        if st.scope_note:
            graph.add((ev, GK.scopeNote, text_literal(st.scope_note)))
        graph.add((ev, _SOURCE, src))
        graph.add((ev, _DERIVED_FROM, src))
        if st.section:
            graph.add((ev, GK.section, text_literal(st.section)))
        if st.name:
            graph.add((ev, _IDENTIFIER, text_literal(st.name)))
        graph.add((ev, GK.curationFile, text_literal(str(st.location.path))))
        graph.add((ev, OA.hasTarget, target))
        graph.add((target, _TYPE, OA.SpecificResource))
        graph.add((target, OA.hasSource, src))
        graph.add((target, OA.hasSelector, quote_sel))
        graph.add((target, OA.hasSelector, position_sel))
        text = st.source.text
        graph.add((quote_sel, _TYPE, OA.TextQuoteSelector))
        graph.add((quote_sel, OA.exact, text_literal(st.quote)))
        graph.add((quote_sel, OA.prefix, text_literal(text[max(0, st.start - CONTEXT_CHARS):st.start])))
        graph.add((quote_sel, OA.suffix, text_literal(text[st.end:st.end + CONTEXT_CHARS])))
        graph.add((position_sel, _TYPE, OA.TextPositionSelector))
        graph.add((position_sel, OA.start, number_literal(st.start)))
        graph.add((position_sel, OA.end, number_literal(st.end)))


def add_disagreements(graph: Triples, curation: Curation) -> None:
    for item in curation["disagreements"]:
        node = GKEV[f"disagreement-{item.id}"]
        graph.add((node, _TYPE, GK.SourceDisagreement))
        graph.add((node, RDFS.label, text_literal(item.id.replace("_", " "))))
        graph.add((node, GK.disagreementNote, text_literal(item.note)))
        for st in item.statements:
            graph.add((node, GK.disagreementStatement, evidence_iri(st)))
