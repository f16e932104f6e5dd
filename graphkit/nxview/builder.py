"""The view built from a store: one node per entity, one edge per asserted relation with its
evidence as plain attributes (:func:`load`, :func:`from_store`), and the schema's own view."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from loaders.registry import MATCHES
from loaders.statements import QUALIFIERS

from .. import viewcache
from ..assemble import QUANTITY_PROPERTIES
from ..biolink import Model as BiolinkModel
from ..closure import reachable
from ..errors import GraphkitError
from ..header import release_attributes
from ..namespaces import (BIOLINK, GK, GKEV, GKQ, GKSRC, GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_PROVENANCE,
                         GRAPH_SCHEMA, compact, local_id, schema_name)
from ..project import Project
from ..schema import Schema
from ..store import OxigraphStore


SEP = "|"
PROVENANCE_TYPES = ("Evidence", "SourceDocument")      # the node types include_provenance adds
QUOTE_SEP = " | "
CERTAINTY_ORDER = ("Established", "Possible", "UnderStudy", "Unclear")
FREQUENCY_ORDER = ("Always", "Usually", "Often", "Sometimes", "Rarely")
MAPPING_PROPERTIES = frozenset(SKOS[name] for name in MATCHES.values())
# Entity-level triples that are bookkeeping, not knowledge: kept in RDF exports, not as attributes.
_NOT_ATTRIBUTES = {RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.definition, GK.curationFile,
                   SKOS.editorialNote}
# ``xrefs`` are the exact mappings only (the same thing elsewhere); the looser ones have a field
# each, named as LinkML's mapping slots, so that a join on a MONDO id does not take a subtype for
# the disease it is filed under.
MAPPING_FIELDS = {SKOS.closeMatch: "close_mappings", SKOS.broadMatch: "broad_mappings",
                  SKOS.narrowMatch: "narrow_mappings", SKOS.relatedMatch: "related_mappings"}
# The attributes every entity node has; the others are its text statements (``note``, ``purpose``...)
# and how its values combine.
ENTITY_FIELDS = ("id", "iri", "curie", "label", "type", "types", "kind", "classes", "roles", "category", "synonyms",
                 "definition", "xrefs", *MAPPING_FIELDS.values())
# An edge's evidence one entry per evidence statement, in the order of its ``evidence`` attribute
# (its IRIs), so that the n-th source, certainty, frequency and quote are the n-th evidence's
# ("-" where it states none). The edge's ``sources``, ``certainty``, ``frequency`` and ``quotes``
# are its distinct values (for filtering and reading), which do not line up with one another.
# The edge's scope attributes (in_phase ...) are the union over its evidence; ``evidence_scopes``
# says whose: ``for_population=infant_all; for_state=newly_diagnosed`` for each evidence;
# ``evidence_members`` is ``some`` where the evidence states the relation of some members of a
# class only (gk:forSomeMembersOnly); ``evidence_offsets`` the quote's ``start-end`` in the source.
EVIDENCE_FIELDS = ("evidence_sources", "evidence_certainty", "evidence_frequency", "evidence_scopes",
                   "evidence_members", "evidence_offsets", "evidence_quotes")
NONE_STATED = "-"
# How several values of a node combine (gk:stateCombination AnyOf: relapsed *or* refractory): an
# attribute, so that a view or export does not read the states, sites or criteria as all holding.
LOGICAL_OPERATORS = {GK.AnyOf, GK.AllOf}


class SelectionError(GraphkitError):
    """An entity, predicate, type or parameter of a selection is not in the graph (exit 2)."""

    __module__ = "graphkit.nxview"      # where users import it from, and what a traceback names


_CACHE: dict[tuple, nx.MultiDiGraph] = {}


def load(project=None, **options) -> nx.MultiDiGraph:
    """The view of a project's built release (``ontology/all.ttl``) on the embedded store.

    Options are those of :func:`from_store`. The view is cached per release file (size and
    modification time) and options; each call returns a fresh copy.
    """
    project = project or Project.locate()
    stamp = tuple((p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else None
                  for p in (project.all_ttl, project.inferred_ttl))
    key = (str(project.root), stamp, tuple(sorted(options.items())))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = from_store(OxigraphStore.saved(project), **options)
    return _CACHE[key].copy()


def from_store(store, include_schema: bool = False, include_provenance: bool = False,
               include_inferred: bool = False, quantities: str = "nodes") -> nx.MultiDiGraph:
    """Build the view from any :class:`graphkit.store.Store` holding the release's named graphs.

    ``include_schema`` adds the classes as nodes with ``subClassOf`` edges and an ``instanceOf``
    edge from each entity to its types; ``include_provenance`` adds the source documents and one
    node per evidence statement (``evidenceFor`` the subject, ``evidenceObject`` the object,
    ``derivedFrom`` the source); ``include_inferred`` adds the OWL RL inferred edges between
    entities (inverse and transitive edges; ``inferred=True``, no evidence).

    The view of a saved store (what commands open) is kept beside it and read back the next time
    (:mod:`graphkit.viewcache`): a second or so to build, a few tens of milliseconds to read.
    """
    if quantities not in ("nodes", "attributes"):
        raise SelectionError(f"quantities must be 'nodes' or 'attributes', not {quantities!r}")
    options = {"include_schema": include_schema, "include_provenance": include_provenance,
               "include_inferred": include_inferred, "quantities": quantities}
    saved = getattr(store, "saved_directory", None)
    G = viewcache.read(saved, options) if saved is not None else None
    if G is None:
        G = build_view(store, **options)
        if saved is not None:
            viewcache.write(saved, options, G)
    return G


def _narrower_properties(schema_graph: Graph) -> dict[str, list[str]]:
    """Each schema property -> the properties below it (``rdfs:subPropertyOf``, transitively), by
    local name: a filter on treatedWith keeps the edges stated as curativeTherapy."""
    parents: dict[str, list[str]] = defaultdict(list)
    for narrower, broader in schema_graph.subject_objects(RDFS.subPropertyOf):
        if str(narrower).startswith(str(GK)) and str(broader).startswith(str(GK)):
            parents[str(narrower)[len(str(GK)):]].append(str(broader)[len(str(GK)):])
    below: dict[str, set[str]] = defaultdict(set)
    for narrower in parents:
        for broader in reachable(narrower, lambda p: parents.get(p, ())):
            if broader != narrower:
                below[broader].add(narrower)
    return {broader: sorted(names) for broader, names in sorted(below.items())}


def build_view(store, include_schema: bool, include_provenance: bool, include_inferred: bool,
               quantities: str) -> nx.MultiDiGraph:
    """The view of ``store`` made anew (:func:`from_store` keeps it beside a saved store)."""
    schema_graph = store.graph(GRAPH_SCHEMA)
    schema = Schema(schema_graph)
    asserted = store.graph(GRAPH_ASSERTED)
    evidence = _evidence(store)
    roles = _roles(store, schema)
    builder = _Builder(schema, asserted, evidence, roles, quantities)
    G = builder.build()
    if include_inferred:
        builder.add_inferred(store.graph(GRAPH_INFERRED))
    if include_schema:
        builder.add_schema()
    if include_provenance:
        builder.add_provenance(store.graph(GRAPH_PROVENANCE))
    G.graph.update(include_schema=include_schema, include_provenance=include_provenance,
                   include_inferred=include_inferred, quantities=quantities)
    # not a scalar: the view's own, left out of the graph formats' attributes (export.graphdata)
    G.graph["narrower_properties"] = _narrower_properties(schema_graph)
    G.graph.update(release_attributes(store))
    return G


def schema_view(store) -> nx.MultiDiGraph:
    """The schema as a graph: one node per class (keyed ``gk:Disease``, coloured by the kind it
    belongs to, or ``Role``/``Abstract``), ``subClassOf`` edges, and one edge per object property
    from its domain to its range (where both are schema classes).

    >>> from graphkit.store import OxigraphStore
    >>> from graphkit.project import Project
    >>> S = schema_view(OxigraphStore.from_project(Project.locate()))
    >>> S.edges["gk:DiseaseInState", "gk:Disease", "subClassOf"]["label"]
    'subclass of'
    >>> S.edges["gk:MedicalCondition", "gk:Phenotype", "hasSymptom"]["label"]
    'has symptom'
    """
    schema = Schema(store.graph(GRAPH_SCHEMA))
    builder = _Builder(schema, Graph(), {}, {}, "nodes")
    G = builder.G
    G.graph.update(name="graphkit schema", description="graphkit schema: classes, subclass edges, properties",
                   schema_only=True, **release_attributes(store))
    builder.add_schema()
    for name, prop in sorted(schema.props.items()):
        domain, rng = prop.domain, prop.range_local
        if prop.kind == "object" and domain in schema.classes and rng in schema.classes:
            builder.plain_edge(builder.class_node(domain), builder.class_node(rng), name, builder.label_of(prop.iri),
                               compact(str(prop.iri)), str(prop.iri))
    return G


# A source document's description, as attributes of its node (--include-provenance).
SOURCE_ATTRIBUTES = {GK.documentNumber: "document_number", DCTERMS.creator: "creator", DCTERMS.date: "date",
                     DCTERMS.publisher: "publisher", DCTERMS.bibliographicCitation: "citation",
                     DCTERMS.type: "source_type", GK.pmid: "pmid", GK.doi: "doi", RDFS.seeAlso: "see_also"}
# The evidence's scope qualifiers (gk:inPhase, gk:forPopulation, gk:forState, gk:forLineOfTherapy,
# gk:duringPeriod) as edge attributes named after their property: in_phase, for_population ...
SCOPE_ATTRIBUTES = {prop: "".join("_" + c.lower() if c.isupper() else c for c in prop)
                    for prop in QUALIFIERS.values()}


@dataclass
class _Evidence:
    iri: str
    source: str
    certainty: str
    frequency: str
    quote: str
    scope_note: str
    qualifiers: dict[str, tuple[str, ...]]     # qualifier property local name -> entity ids
    start: int | None = None                   # the quote's offsets in the source text
    end: int | None = None
    some_members: bool = False                 # gk:forSomeMembersOnly

    @property
    def offsets(self) -> str:
        return "" if self.start is None else f"{self.start}-{self.end}"


def _evidence(store) -> dict[tuple, list[_Evidence]]:
    """(s, p, o) -> its evidence statements, sorted by IRI."""
    qualifier_values = " ".join(f"gk:{prop}" for prop in SCOPE_ATTRIBUTES)
    rows = store.query(f"""
        SELECT ?ev ?s ?p ?o ?src ?cert ?freq ?quote ?start ?end ?some ?note ?qp ?qv WHERE {{
        GRAPH <{GRAPH_PROVENANCE}> {{
          ?ax owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o ; gk:evidence ?ev .
          ?ev prov:wasDerivedFrom ?src .
          OPTIONAL {{ ?ev gk:certainty ?cert }}
          OPTIONAL {{ ?ev gk:frequency ?freq }}
          OPTIONAL {{ ?ev oa:hasTarget/oa:hasSelector/oa:exact ?quote }}
          OPTIONAL {{ ?ev oa:hasTarget/oa:hasSelector ?position . ?position oa:start ?start ; oa:end ?end }}
          OPTIONAL {{ ?ev gk:forSomeMembersOnly ?some }}
          OPTIONAL {{ ?ev gk:scopeNote ?note }}
          OPTIONAL {{ VALUES ?qp {{ {qualifier_values} }} ?ev ?qp ?qv }}
        }} }}""").rows
    merged: dict[str, dict] = {}
    for row in rows:
        item = merged.setdefault(str(row["ev"]), {"key": (row["s"], row["p"], row["o"]), "src": row["src"],
                                                  "cert": row.get("cert"), "freq": row.get("freq"),
                                                  "quote": row.get("quote"), "note": row.get("note"),
                                                  "start": row.get("start"), "end": row.get("end"),
                                                  "some": row.get("some"), "qualifiers": defaultdict(set)})
        if row.get("qv") is not None:
            item["qualifiers"][_local(row["qp"])].add(local_id(str(row["qv"])))
    out: dict[tuple, list[_Evidence]] = defaultdict(list)
    for iri in sorted(merged):
        item = merged[iri]
        out[item["key"]].append(_Evidence(
            iri=iri, source=str(item["src"])[len(str(GKSRC)):],
            certainty=_local(item["cert"]), frequency=_local(item["freq"]),
            quote=str(item["quote"] or ""), scope_note=str(item["note"] or ""),
            qualifiers={prop: tuple(sorted(ids)) for prop, ids in item["qualifiers"].items()},
            start=None if item["start"] is None else int(item["start"]),
            end=None if item["end"] is None else int(item["end"]),
            some_members=item["some"] is not None and item["some"].toPython() is True))
    return out


def _roles(store, schema: Schema) -> dict[URIRef, set[str]]:
    """Role classes (risk factor, adverse effect...) each entity plays, from the inferred graph."""
    role_names = {name for name in schema.classes if schema.is_role(name)}
    out: dict[URIRef, set[str]] = defaultdict(set)
    for row in store.query(f"SELECT ?s ?t WHERE {{ GRAPH <{GRAPH_INFERRED}> {{ ?s a ?t }} }}").rows:
        name = _local(row["t"])
        if name in role_names:
            out[row["s"]].add(name)
    return out


def _local(term) -> str:
    return "" if term is None else schema_name(term) or compact(str(term))


def node_key(iri) -> str:
    """The node key of an IRI: registry id for entities, CURIE for everything else."""
    text = str(iri)
    if text.startswith((str(GK), str(GKQ), str(GKEV), str(GKSRC))):
        return compact(text)
    return local_id(text)


def source_node(source: str) -> str:
    """The node key of a source document (its ``gksrc:`` CURIE, as :func:`node_key` keys every node
    but the entities) from its id: what an edge's ``source_documents`` and an evidence node's
    ``source`` name, so that they join the document's node (``--include-provenance``).

    >>> source_node("nci_pdq_childhood_all")
    'gksrc:nci_pdq_childhood_all'
    """
    return node_key(GKSRC[source])


_NUMERIC = {XSD.integer, XSD.decimal}


def _number(literal: Literal):
    value = literal.toPython()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def joined(values) -> str:
    return SEP.join(sorted({str(v) for v in values if v not in (None, "")}))


def _per_evidence(evidence: list[_Evidence]) -> dict[str, str]:
    """The :data:`EVIDENCE_FIELDS` of an edge: one entry per evidence statement, aligned."""
    rows = [(e.source, e.certainty, e.frequency, _evidence_scope(e), "some" if e.some_members else "", e.offsets,
             e.quote) for e in evidence]
    columns = list(zip(*rows)) if rows else [()] * len(EVIDENCE_FIELDS)          # in EVIDENCE_FIELDS' order
    return {field: (QUOTE_SEP if field == "evidence_quotes" else SEP).join(v or NONE_STATED for v in column)
            for field, column in zip(EVIDENCE_FIELDS, columns)}


def _evidence_scope(evidence: _Evidence) -> str:
    """An evidence statement's scope qualifiers, ``for_population=infant_all; for_state=newly_diagnosed``
    (the attributes' names; several ids comma-separated); "" for none."""
    return "; ".join(f"{attr}={','.join(evidence.qualifiers[prop])}" for prop, attr in SCOPE_ATTRIBUTES.items()
                     if evidence.qualifiers.get(prop))


def _ordered(values, order) -> str:
    present = {v for v in values if v}
    return SEP.join([v for v in order if v in present] + sorted(present - set(order)))


class _Builder:
    def __init__(self, schema: Schema, asserted: Graph, evidence, roles, quantities: str):
        self.schema = schema
        self.sg = schema.graph
        self.asserted = asserted
        self.evidence = evidence
        self.roles = roles
        self.quantities = quantities
        self.G = nx.MultiDiGraph(name="graphkit", description="graphkit knowledge graph (asserted)")
        self.entities = sorted({s for s in asserted.subjects(RDF.type, OWL.NamedIndividual)
                                if isinstance(s, URIRef)}, key=str)
        self.entity_set = set(self.entities)
        self.quantity_nodes = {s for s in asserted.subjects(RDF.type, GK.QuantityValue)}

    def label_of(self, term) -> str:
        label = self.sg.value(term, RDFS.label) or self.asserted.value(term, RDFS.label)
        return str(label) if label is not None else _local(term)

    # -- nodes
    def build(self) -> nx.MultiDiGraph:
        for entity in self.entities:
            self.G.add_node(node_key(entity), **self.entity_attributes(entity))
        if self.quantities == "nodes":
            for q in sorted(self.quantity_nodes, key=str):
                self.G.add_node(node_key(q), **self.quantity_attributes(q))
        for s, p, o in sorted(self.asserted, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
            if s not in self.entity_set or p in _NOT_ATTRIBUTES or isinstance(o, Literal) or p in MAPPING_PROPERTIES:
                continue
            if o in self.quantity_nodes and self.quantities == "attributes":
                data = self.G.nodes[node_key(s)]
                data[_local(p)] = joined([*data.get(_local(p), "").split(SEP), self.quantity_text(o)])
                continue
            if o not in self.entity_set and o not in self.quantity_nodes:
                continue
            self.add_edge(s, p, o, self.evidence.get((s, p, o), []))
        return self.G

    def primary_type(self, types: list[str]) -> str:
        return max(types, key=lambda t: (len(self.schema.ancestors(t)), t)) if types else "Thing"

    def category(self, types: list[str]) -> str:
        """Biolink category: the mapping of the nearest mapped class, searching all types upwards
        level by level (exact matches before close matches, then by name). Only Biolink classes
        that may stand as a category count (no mixin such as ``Outcome``, no abstract class such
        as ``StudyResult``)."""
        biolink = BiolinkModel.load()
        level = sorted(types)
        seen: set[str] = set()
        while level:
            for match in (SKOS.exactMatch, SKOS.closeMatch):
                for cls in level:
                    for target in sorted(self.sg.objects(GK[cls], match)):
                        text = str(target)
                        local = text[len(str(BIOLINK)):] if text.startswith(str(BIOLINK)) else ""
                        if biolink.is_category(local):
                            return f"biolink:{local}"
            seen.update(level)
            level = sorted({p for cls in level for p in self.schema.parents(cls)} - seen)
        return "biolink:NamedThing"

    def entity_attributes(self, entity: URIRef) -> dict:
        g = self.asserted
        types = sorted(_local(t) for t in g.objects(entity, RDF.type) if str(t).startswith(str(GK)))
        closure = set().union(*(self.schema.ancestors(t) for t in types)) if types else set()
        roles = self.roles.get(entity, set())
        label = str(g.value(entity, RDFS.label) or node_key(entity))
        attrs = {
            "id": node_key(entity), "iri": str(entity), "curie": compact(str(entity)), "label": label,
            "type": self.primary_type(types), "types": joined(types),
            "kind": joined(self.schema.kind_of(set(types))) or self.primary_type(types),
            "classes": joined(closure | roles), "roles": joined(roles), "category": self.category(types),
            "synonyms": joined(str(s) for s in g.objects(entity, SKOS.altLabel) if str(s) != label),
            "definition": QUOTE_SEP.join(sorted(str(d) for d in g.objects(entity, SKOS.definition))),
            "xrefs": joined(compact(str(o)) for o in g.objects(entity, SKOS.exactMatch)),
            **{field: joined(compact(str(o)) for o in g.objects(entity, match)) for match, field in MAPPING_FIELDS.items()},
        }
        texts: dict[str, list] = defaultdict(list)
        for p, o in g.predicate_objects(entity):
            if isinstance(o, Literal) and p not in _NOT_ATTRIBUTES:
                texts[_local(p)].append(o)
            elif o in LOGICAL_OPERATORS:
                texts[_local(p)].append(_local(o))
        for name, values in sorted(texts.items()):
            # one number stays a number (phaseOrder 2, studyPeriodStart 1988: sorted as numbers)
            single = values[0] if len(values) == 1 else None
            attrs[name] = _number(single) if isinstance(single, Literal) and single.datatype in _NUMERIC \
                else QUOTE_SEP.join(sorted(str(v) for v in values))
        return attrs

    def quantity_text(self, q) -> str:
        """The quantity's label (``13 patients``), written by the build."""
        return str(self.asserted.value(q, RDFS.label) or node_key(q))

    def quantity_attributes(self, q) -> dict:
        g = self.asserted
        unit = g.value(q, GK.unit)
        attrs = {"id": node_key(q), "iri": str(q), "curie": compact(str(q)), "label": self.quantity_text(q),
                 "type": "QuantityValue", "types": "QuantityValue", "kind": "QuantityValue",
                 "classes": "QuantityValue", "roles": "", "category": "biolink:Attribute"}
        for name, prop in QUANTITY_PROPERTIES:
            number = g.value(q, prop)
            if number is not None:
                attrs[name] = _number(number)
        if unit is not None:
            attrs["unit"] = str(self.sg.value(unit, SKOS.notation) or _local(unit))
            attrs["unit_label"] = self.label_of(unit)
        attrs["approximate"] = g.value(q, GK.approximate) == Literal(True)
        return attrs

    # -- edges
    def add_edge(self, s, p, o, evidence: list[_Evidence], inferred: bool = False) -> None:
        u, v, key = node_key(s), node_key(o), _local(p)
        self.G.add_edge(u, v, key=key, **{
            "id": f"{u}|{key}|{v}", "predicate": compact(str(p)), "predicate_iri": str(p),
            "label": self.label_of(p), "evidence_count": len(evidence),
            "sources": joined(e.source for e in evidence),
            # the same documents as the ids of their nodes (--include-provenance): gksrc:..., in the
            # order of sources (one prefix before each id keeps their sorted order)
            "source_documents": joined(source_node(e.source) for e in evidence if e.source),
            "evidence": SEP.join(compact(e.iri) for e in evidence),        # in IRI order
            "certainty": _ordered([e.certainty for e in evidence], CERTAINTY_ORDER),
            "frequency": _ordered([e.frequency for e in evidence], FREQUENCY_ORDER),
            "quotes": QUOTE_SEP.join(dict.fromkeys(e.quote for e in evidence if e.quote)),
            **{attr: joined(x for e in evidence for x in e.qualifiers.get(prop, ())) for prop, attr in SCOPE_ATTRIBUTES.items()},
            "scope_note": QUOTE_SEP.join(dict.fromkeys(e.scope_note for e in evidence if e.scope_note)),
            # stated of some members of a class only by every evidence (evidence_members says whose)
            "for_some_members_only": bool(evidence) and all(e.some_members for e in evidence),
            **_per_evidence(evidence),
            "inferred": inferred,
        })

    def add_inferred(self, inferred: Graph) -> None:
        for s, p, o in sorted(inferred, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
            if s in self.entity_set and o in self.entity_set and p != RDF.type and str(p).startswith(str(GK)):
                if not self.G.has_edge(node_key(s), node_key(o), _local(p)):
                    self.add_edge(s, p, o, [], inferred=True)

    def class_kind(self, name: str) -> str:
        """The kind a class belongs to (``Disease`` for DiseaseInState), ``Role`` or ``Abstract``."""
        kinds = self.schema.ancestors(name) & self.schema.kinds
        if kinds:
            return joined(kinds)
        return "Role" if self.schema.is_role(name) else "Abstract"

    def class_node(self, name: str) -> str:
        key = f"gk:{name}"
        if key not in self.G:
            cls = GK[name]
            self.G.add_node(key, id=key, iri=str(cls), curie=key, label=self.label_of(cls), type="Class",
                            types="Class", kind=self.class_kind(name),
                            classes=joined(self.schema.ancestors(name) | {"Class"}), roles="",
                            category="biolink:NamedThing", definition=str(self.sg.value(cls, SKOS.definition) or ""))
        return key

    def plain_edge(self, u: str, v: str, key: str, label: str, predicate: str, predicate_iri: str = "") -> None:
        self.G.add_edge(u, v, key=key, id=f"{u}|{key}|{v}", predicate=predicate, predicate_iri=predicate_iri,
                        label=label, evidence_count=0, sources="", source_documents="", evidence="", certainty="", frequency="",
                        quotes="", **dict.fromkeys(SCOPE_ATTRIBUTES.values(), ""), scope_note="",
                        for_some_members_only=False, **_per_evidence([]), inferred=False)

    def add_schema(self) -> None:
        for name in sorted(self.schema.classes):
            self.class_node(name)
        for name in sorted(self.schema.classes):
            for parent in sorted(self.schema.parents(name)):
                self.plain_edge(self.class_node(name), self.class_node(parent), "subClassOf", "subclass of",
                                "rdfs:subClassOf", str(RDFS.subClassOf))
        for node, data in list(self.G.nodes(data=True)):
            if data["type"] not in ("Class", "Evidence", "SourceDocument"):
                for t in filter(None, data["types"].split(SEP)):
                    if t in self.schema.classes:
                        self.plain_edge(node, self.class_node(t), "instanceOf", "instance of", "rdf:type")

    def add_provenance(self, provenance: Graph) -> None:
        for source in sorted(provenance.subjects(RDF.type, GK.SourceDocument), key=str):
            key = node_key(source)
            # what a reader cites the document by (the RDF formats had it, the graph and table
            # formats only its title)
            described = {attr: joined(str(value) for value in provenance.objects(source, prop))
                         for prop, attr in SOURCE_ATTRIBUTES.items()}
            self.G.add_node(key, id=key, iri=str(source), curie=key, label=str(provenance.value(source, RDFS.label)),
                            type="SourceDocument", types="SourceDocument", kind="SourceDocument",
                            classes="SourceDocument", roles="", category="biolink:Publication", **described)
        for (s, p, o), items in sorted(self.evidence.items(), key=lambda kv: [e.iri for e in kv[1]]):
            targets = [node_key(x) for x in (s, o) if isinstance(x, URIRef) and node_key(x) in self.G]
            for e in items:
                key = compact(e.iri)
                self.G.add_node(key, id=key, iri=e.iri, curie=key, label=f"{_local(p)}: {e.quote[:60]}",
                                type="Evidence", types="Evidence", kind="Evidence", classes="Evidence", roles="",
                                category="biolink:InformationContentEntity", predicate=compact(str(p)),
                                quote=e.quote, certainty=e.certainty, frequency=e.frequency, source=source_node(e.source),
                                quote_start=-1 if e.start is None else e.start, quote_end=-1 if e.end is None else e.end,
                                for_some_members_only=e.some_members, scope_note=e.scope_note,
                                **{attr: joined(e.qualifiers.get(prop, ())) for prop, attr in SCOPE_ATTRIBUTES.items()})
                if targets:
                    self.plain_edge(key, targets[0], "evidenceFor", "evidence for", "owl:annotatedSource")
                if len(targets) > 1:
                    self.plain_edge(key, targets[1], "evidenceObject", "evidence object", "owl:annotatedTarget")
                self.plain_edge(key, source_node(e.source), "derivedFrom", "derived from", "prov:wasDerivedFrom")


