"""The knowledge graph as a :class:`networkx.MultiDiGraph`, and graph algorithms on it.

One node per entity of the registry, one edge per asserted relation (a plain triple of the
asserted graph between two entities, or from an entity to a quantity value). Schema and
provenance are left out unless asked for. Every attribute is a plain scalar (str, int,
float, bool) so the graph writes to GraphML and GEXF unchanged; multi-valued attributes are
``|``-joined, sorted strings (``G.nodes[n]["synonyms"].split("|")``).

Node keys are registry ids (``jmml_in_relapse``, ``ICD10CM:C93.32``); quantity values are
nodes too, keyed by their CURIE (``gkq:0d5d6bebb70b``) and labelled with their number and
unit (``13 patients``), so the edge ``finding --cohortSize--> 13 patients`` keeps its
evidence. Pass ``quantities="attributes"`` to fold them into attributes of their subject
instead (``G.nodes["chang2004_overall_finding"]["cohortSize"] == "13 patients"``).

>>> G = load()
>>> jmml_docs = filtered(G, sources=["icd10_c93_32_page", "chang_2004_jmml_second_hsct"])  # documents 001, 004
>>> G.nodes["jmml_in_relapse"]["label"]
'juvenile myelomonocytic leukemia, in relapse'
>>> G.nodes["jmml_in_relapse"]["category"]
'biolink:Disease'
>>> G.edges["jmml_in_relapse", "fatigue", "hasSymptom"]["sources"]
'icd10_c93_32_page'
>>> sorted(neighbourhood(G, "jmml_in_relapse", hops=1, predicates=["hasSymptom"]))[:3]
['bone_pain', 'fatigue', 'frequent_infections']
>>> print(format_path(G, explain(jmml_docs, "second_allogeneic_hsct", "fatigue")))
second_allogeneic_hsct second allogeneic hematopoietic stem cell transplantation <-[successfully treated with]- chang2004_case Chang et al. 2004 case: 5-year-old girl with JMML relapse after first transplant -[patient condition]-> jmml_relapse_after_hsct juvenile myelomonocytic leukemia relapsed after hematopoietic stem cell transplantation -[subtype of]-> jmml_in_relapse juvenile myelomonocytic leukemia, in relapse -[has symptom (often)]-> fatigue fatigue
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from loaders.registry import MATCHES
from loaders.statements import QUALIFIERS

from . import viewcache
from .assemble import QUANTITY_PROPERTIES
from .biolink import Model as BiolinkModel
from .closure import reachable
from .errors import GraphkitError, close_names, did_you_mean, names_several, shorten
from .iris import BARE_ICD10
from .namespaces import (BIOLINK, GK, GKEV, GKQ, GKSRC, GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_PROVENANCE,
                         GRAPH_SCHEMA, RELEASE_ONTOLOGY, compact, local_id, schema_name)
from .project import Project
from .schema import Schema
from .spelling import american, loose_name
from .store import OxigraphStore

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


# ---------------------------------------------------------------------------------------------
# Building the view


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
    # the release's licence and rights travel with every graph made from it (GraphML and cyjs graph
    # attributes; GEXF's <meta> description)
    provenance = store.graph(GRAPH_PROVENANCE)
    for key, prop in (("license", DCTERMS.license), ("rights", DCTERMS.rights), ("version", OWL.versionInfo)):
        value = provenance.value(RELEASE_ONTOLOGY, prop)
        if value is not None:
            G.graph[key] = str(value)
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
                   schema_only=True)
    builder.add_schema()
    for name, prop in sorted(schema.props.items()):
        domain, rng = prop.domain, prop.range_local
        if prop.kind == "object" and domain in schema.classes and rng in schema.classes:
            builder.plain_edge(builder.class_node(domain), builder.class_node(rng), name, builder.label_of(prop.iri),
                               compact(str(prop.iri)), str(prop.iri))
    return G


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


_NUMERIC = {XSD.integer, XSD.decimal}


def _number(literal: Literal):
    value = literal.toPython()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _join(values) -> str:
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
                data[_local(p)] = _join([*data.get(_local(p), "").split(SEP), self.quantity_text(o)])
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
            "type": self.primary_type(types), "types": _join(types),
            "kind": _join(self.schema.kind_of(set(types))) or self.primary_type(types),
            "classes": _join(closure | roles), "roles": _join(roles), "category": self.category(types),
            "synonyms": _join(str(s) for s in g.objects(entity, SKOS.altLabel) if str(s) != label),
            "definition": QUOTE_SEP.join(sorted(str(d) for d in g.objects(entity, SKOS.definition))),
            "xrefs": _join(compact(str(o)) for o in g.objects(entity, SKOS.exactMatch)),
            **{field: _join(compact(str(o)) for o in g.objects(entity, match)) for match, field in MAPPING_FIELDS.items()},
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
            "sources": _join(e.source for e in evidence),
            "evidence": SEP.join(compact(e.iri) for e in evidence),        # in IRI order
            "certainty": _ordered([e.certainty for e in evidence], CERTAINTY_ORDER),
            "frequency": _ordered([e.frequency for e in evidence], FREQUENCY_ORDER),
            "quotes": QUOTE_SEP.join(dict.fromkeys(e.quote for e in evidence if e.quote)),
            **{attr: _join(x for e in evidence for x in e.qualifiers.get(prop, ())) for prop, attr in SCOPE_ATTRIBUTES.items()},
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
            return _join(kinds)
        return "Role" if self.schema.is_role(name) else "Abstract"

    def class_node(self, name: str) -> str:
        key = f"gk:{name}"
        if key not in self.G:
            cls = GK[name]
            self.G.add_node(key, id=key, iri=str(cls), curie=key, label=self.label_of(cls), type="Class",
                            types="Class", kind=self.class_kind(name),
                            classes=_join(self.schema.ancestors(name) | {"Class"}), roles="",
                            category="biolink:NamedThing", definition=str(self.sg.value(cls, SKOS.definition) or ""))
        return key

    def plain_edge(self, u: str, v: str, key: str, label: str, predicate: str, predicate_iri: str = "") -> None:
        self.G.add_edge(u, v, key=key, id=f"{u}|{key}|{v}", predicate=predicate, predicate_iri=predicate_iri,
                        label=label, evidence_count=0, sources="", evidence="", certainty="", frequency="",
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
            self.G.add_node(key, id=key, iri=str(source), curie=key, label=str(provenance.value(source, RDFS.label)),
                            type="SourceDocument", types="SourceDocument", kind="SourceDocument",
                            classes="SourceDocument", roles="", category="biolink:Publication")
        for (s, p, o), items in sorted(self.evidence.items(), key=lambda kv: [e.iri for e in kv[1]]):
            targets = [node_key(x) for x in (s, o) if isinstance(x, URIRef) and node_key(x) in self.G]
            for e in items:
                key = compact(e.iri)
                self.G.add_node(key, id=key, iri=e.iri, curie=key, label=f"{_local(p)}: {e.quote[:60]}",
                                type="Evidence", types="Evidence", kind="Evidence", classes="Evidence", roles="",
                                category="biolink:InformationContentEntity", predicate=compact(str(p)),
                                quote=e.quote, certainty=e.certainty, frequency=e.frequency, source=e.source,
                                quote_start=-1 if e.start is None else e.start, quote_end=-1 if e.end is None else e.end,
                                for_some_members_only=e.some_members, scope_note=e.scope_note,
                                **{attr: _join(e.qualifiers.get(prop, ())) for prop, attr in SCOPE_ATTRIBUTES.items()})
                if targets:
                    self.plain_edge(key, targets[0], "evidenceFor", "evidence for", "owl:annotatedSource")
                if len(targets) > 1:
                    self.plain_edge(key, targets[1], "evidenceObject", "evidence object", "owl:annotatedTarget")
                self.plain_edge(key, f"gksrc:{e.source}", "derivedFrom", "derived from", "prov:wasDerivedFrom")


# ---------------------------------------------------------------------------------------------
# Finding entities by name


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())


def resolve(G: nx.MultiDiGraph, text: str, notes: list | None = None) -> str:
    """The node key of an entity named by id, CURIE, IRI, an external identifier it carries as an
    exact mapping (``MONDO:0011908``), label or synonym (case-insensitive).

    Ids first (the node's own, then the exact mappings), then labels and synonyms, then names
    written with commas, hyphens or dashes for spaces (a note says so). Where a name
    fits several nodes, as a catalogue parameter reads it: an entity wins over an ICD-10 code node
    with the same title, then the one named in the case typed, then the one whose label it is (a
    note on the others goes to ``notes``); otherwise it is an error.

    >>> G = load()
    >>> resolve(G, "JMML in relapse"), resolve(G, "gke:fatigue"), resolve(G, "icd10cm:c93.32")
    ('jmml_in_relapse', 'fatigue', 'ICD10CM:C93.32')
    >>> resolve(G, "MONDO:0011908"), resolve(G, "C93.32")
    ('jmml', 'ICD10CM:C93.32')
    >>> resolve(G, "JMML, in relapse")          # commas and hyphens as spaces, as a parameter reads a name
    'jmml_in_relapse'

    >>> resolve(G, "JMML in relaps")
    Traceback (most recent call last):
    ...
    graphkit.nxview.SelectionError: unknown entity 'JMML in relaps'; did you mean 'JMML in relapse' (jmml_in_relapse) or 'CNS relapse' (cns_relapse_any_childhood_all)?
    """
    if text in G:
        return text
    wanted = _norm(text)
    by_id: dict[str, str] = {}
    by_label: dict[str, set[str]] = defaultdict(set)
    by_synonym: dict[str, set[str]] = defaultdict(set)
    by_mapping: dict[str, set[str]] = defaultdict(set)
    for node, data in G.nodes(data=True):
        for form in (node, data.get("curie", ""), data.get("iri", "")):
            if form:
                by_id[_norm(form)] = node
        for mapped in filter(None, data.get("xrefs", "").split(SEP)):
            by_mapping[_norm(mapped)].add(node)
        by_label[_norm(data.get("label", ""))].add(node)
        for synonym in filter(None, data.get("synonyms", "").split(SEP)):
            by_synonym[_norm(synonym)].add(node)
    mapped = by_mapping.get(wanted, set())
    if wanted not in by_id and len(mapped) == 1:     # an external id no node has as its own: its entity
        return next(iter(mapped))
    if BARE_ICD10.fullmatch(text.strip()):           # C93.32: ICD-10-CM's code node, as a catalogue parameter reads it
        for system in ("ICD10CM", "ICD10WHO"):
            if f"{system}:{text.strip().upper()}" in G:
                return f"{system}:{text.strip().upper()}"
    for form in dict.fromkeys((wanted, american(wanted))):       # as typed, then "leukaemia" as "leukemia"
        found_node = _found(G, text, form, by_id, by_label, by_synonym, notes)
        if found_node is not None:
            return found_node
    loosely = _loosely_named(G, text, by_label, by_synonym)
    if len(loosely) == 1:             # "JMML, in relapse", as a catalogue parameter reads it
        (node, name), = loosely.items()
        if notes is not None:
            notes.append(f"{shorten(text)!r} read as {name!r}: {G.nodes[node].get('label', node)} ({node})")
        return node
    names = {}
    for index in (by_label, by_synonym):
        for name, nodes in index.items():
            names.setdefault(name, sorted(nodes)[0])
    for name, node in by_id.items():
        names.setdefault(name, node)
    suggestions: dict[str, str] = {}
    for close in close_names(wanted, names, n=12):
        suggestions.setdefault(names[close], close)
    hint = ""
    if suggestions:
        shown = [(_display(G, c, n), n) for n, c in list(suggestions.items())[:3]]
        hint = "; did you mean " + " or ".join(f"{d!r}" + (f" ({n})" if d != n else "") for d, n in shown) + "?"
    raise SelectionError(f"unknown entity {shorten(text)!r}{hint}")


def _found(G, text: str, wanted: str, by_id, by_label, by_synonym, notes: list | None = None) -> str | None:
    """The node ``wanted`` (a normalized name) names by id, else by a label or synonym; None if
    none; an error if several do and nothing below tells them apart (a note names the ones
    passed over when something does)."""
    if wanted in by_id:
        return by_id[wanted]
    found = named = by_label.get(wanted, set()) | by_synonym.get(wanted, set())
    typed = text.strip()
    # Of several, as a catalogue parameter reads a name: an entity over an ICD-10 code node with
    # the same title (codes are named by their code; case first made the source page's own title
    # name the code node), then the one named in the case typed ("FISH" is the test, its
    # synonym), then the one whose label it is ("fish" and "Fish" the food).
    preferences = (lambda n: G.nodes[n].get("kind") != "ICD10Code",
                   lambda n: typed in (G.nodes[n].get("label"), *G.nodes[n].get("synonyms", "").split(SEP)),
                   lambda n: n in by_label.get(wanted, ()))
    for preferred in preferences:
        if len(found) <= 1:
            break
        found = {n for n in found if preferred(n)} or found
    if len(found) == 1:
        chosen = next(iter(found))
        if len(named) > 1 and notes is not None:        # "Fish" is the food; "FISH" would have been the test
            notes.append(names_several(text, f"{G.nodes[chosen].get('label', chosen)} ({chosen})",
                                       [f"{G.nodes[n].get('label', n)} ({n})" for n in sorted(named - found)]))
        return chosen
    if found:
        names = ", ".join(f"{n} ({G.nodes[n]['label']})" for n in sorted(found))
        raise SelectionError(f"{shorten(text)!r} names several entities: {names}; use an id")
    return None


def _loosely_named(G, text: str, by_label, by_synonym) -> dict[str, str]:
    """Node -> its name, of the nodes one of whose names ``text`` is but for case, hyphens, dashes
    and commas (:func:`~graphkit.spelling.loose_name`)."""
    wanted = loose_name(text)
    if wanted is None:
        return {}
    return {node: _display(G, name, node) for index in (by_label, by_synonym) for name, nodes in index.items()
            if loose_name(name) == wanted for node in nodes}


def _display(G, normalized: str, node: str) -> str:
    data = G.nodes[node]
    for form in [data.get("label", ""), *data.get("synonyms", "").split(SEP), node]:
        if _norm(form) == normalized:
            return form
    return node


def resolve_predicate(G: nx.MultiDiGraph, text: str) -> str:
    """An edge key (``hasSymptom``) from a local name, ``gk:`` CURIE, IRI or label."""
    keys = {}
    for _, _, key, data in G.edges(keys=True, data=True):
        for form in (key, data["predicate"], data["predicate_iri"], data["label"]):
            if form:
                keys[_norm(form)] = key
    for broader, narrower in G.graph.get("narrower_properties", {}).items():   # treatedWith: its curativeTherapy edges
        if any(_norm(name) in keys for name in narrower):
            for form in (broader, f"gk:{broader}", str(GK) + broader):
                keys.setdefault(_norm(form), broader)
    found = keys.get(_norm(text))
    if found:
        return found
    close = close_names(_norm(text), sorted(keys), n=12, shown=keys)
    raise SelectionError(f"unknown predicate {shorten(text)!r} (not used by any edge){did_you_mean(close)}")


def resolve_source(G: nx.MultiDiGraph, text: str) -> str:
    """A source document id (``chang_2004_jmml_second_hsct``) that states at least one edge, from
    its id, ``gksrc:`` CURIE or document number (``004``, the first part of its evidence ids).

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="p", sources="doc_x", evidence="gkev:004-1f", evidence_sources="doc_x")
    'p'
    >>> resolve_source(G, "004"), resolve_source(G, "gksrc:doc_x")
    ('doc_x', 'doc_x')
    """
    known = {s for *_, d in G.edges(keys=True, data=True) for s in d.get("sources", "").split(SEP) if s}
    wanted = text.removeprefix("gksrc:")
    if wanted in known:
        return wanted
    if wanted.isdigit():
        numbered = {evidence.removeprefix("gkev:").split("-", 1)[0]: source
                    for *_, d in G.edges(keys=True, data=True)
                    for evidence, source in zip(d.get("evidence", "").split(SEP), d.get("evidence_sources", "").split(SEP))
                    if evidence and source}
        if wanted in numbered:
            return numbered[wanted]
    hint = did_you_mean(close_names(wanted, sorted(known), cutoff=0.5)) or f"; sources stating edges: {', '.join(sorted(known))}"
    raise SelectionError(f"unknown source {shorten(text)!r} (no edge is stated by it){hint}")


def resolve_type(G: nx.MultiDiGraph, text: str) -> str:
    """A class name (``Drug``) from a local name, ``gk:`` CURIE or label."""
    classes = {}
    for _, data in G.nodes(data=True):
        for name in filter(None, data.get("classes", "").split(SEP)):
            classes[_norm(name)] = name
            classes[_norm(f"gk:{name}")] = name
    found = classes.get(_norm(text)) or classes.get(_norm(text).replace(" ", ""))
    if found:
        return found
    close = close_names(_norm(text), sorted(classes), n=12, shown=classes)
    raise SelectionError(f"unknown type {shorten(text)!r} (no node has it){did_you_mean(close)}")


# ---------------------------------------------------------------------------------------------
# Algorithms (all networkx underneath)


def has_type(data: dict, types) -> bool:
    """Whether a node's classes (asserted types, their superclasses and inferred roles) meet ``types``."""
    return bool(set(types) & set(data.get("classes", "").split(SEP)))


def stated_by(data: dict, sources) -> bool:
    """Whether an edge has evidence from one of ``sources`` (source document ids)."""
    return bool(set(sources) & set(data.get("sources", "").split(SEP)))


def with_narrower(G: nx.MultiDiGraph, predicates) -> set[str]:
    """The edge keys ``predicates`` and those of the properties below them in the schema
    (treatedWith: curativeTherapy too), as ``types`` hold their subclasses.

    >>> sorted(with_narrower(load(), ["treatedWith"]))
    ['curativeTherapy', 'treatedWith']
    """
    below = G.graph.get("narrower_properties", {})
    return set(predicates) | {narrower for p in predicates for narrower in below.get(p, ())}


def filtered(G: nx.MultiDiGraph, predicates=None, types=None, keep=(), sources=None) -> nx.MultiDiGraph:
    """A read-only view with only edges of ``predicates`` (or a property below one of them)
    stated by ``sources`` (source document ids) and nodes of ``types`` (plus ``keep``). Names are read as the command line reads them
    (:func:`resolve_predicate`, :func:`resolve_type`, :func:`resolve_source`): a name no edge or
    node has is an error with a suggestion, not an empty view.

    >>> G = load()
    >>> filtered(G, predicates=["has symptom"], types=["drug"]).number_of_nodes() > 0
    True
    >>> filtered(G, predicates=["hasSymptoms"])
    Traceback (most recent call last):
    ...
    graphkit.nxview.SelectionError: unknown predicate 'hasSymptoms' (not used by any edge); did you mean 'hasSymptom'?
    """
    keep = set(keep)
    predicates = with_narrower(G, [resolve_predicate(G, p) for p in predicates]) if predicates else None
    types = {resolve_type(G, t) for t in types} if types else None
    sources = {resolve_source(G, s) for s in sources} if sources else None

    def node_ok(n):
        return types is None or n in keep or has_type(G.nodes[n], types)

    def edge_ok(u, v, k):
        return (predicates is None or k in predicates) and (sources is None or stated_by(G.edges[u, v, k], sources))

    return nx.subgraph_view(G, filter_node=node_ok, filter_edge=edge_ok)


def neighbourhood(G: nx.MultiDiGraph, seeds, hops: int = 1, predicates=None, types=None,
                  direction: str = "both", sources=None) -> nx.MultiDiGraph:
    """The nodes within ``hops`` of any seed and every edge among them (a copy).

    Only edges whose key is in ``predicates`` are followed and kept, and only nodes of
    ``types`` (by class or superclass, e.g. ``Therapy`` includes drugs) are reached and kept;
    seeds are always kept. ``direction`` is ``both`` (ignore edge direction), ``out`` or ``in``.
    ``sources`` keeps only edges stated by those source documents.

    >>> G, jmml_docs = load(), ["icd10_c93_32_page", "chang_2004_jmml_second_hsct"]
    >>> sorted(neighbourhood(G, "jmml_relapse_after_hsct", hops=1, sources=jmml_docs))
    ['chang2004_case', 'hsct', 'jmml', 'jmml_early_relapse_after_hsct', 'jmml_in_relapse', 'jmml_relapse_after_hsct', 'relapse', 'treatment_failure']
    >>> sorted(neighbourhood(G, "jmml_early_relapse_after_hsct", hops=1, types=["Therapy"], sources=jmml_docs))
    ['hsct', 'jmml_early_relapse_after_hsct', 'second_allogeneic_hsct']
    """
    seeds = [resolve(G, seed) for seed in ([seeds] if isinstance(seeds, str) else seeds)]
    if hops < 0:
        raise SelectionError(f"hops must be 0 or more, not {hops}")
    view = filtered(G, predicates, types, keep=seeds, sources=sources)
    # With provenance or the schema in the view, hops count between entities only: an evidence
    # node, a source document or a class is not a step (from one seed, every node its documents
    # state would be 3 hops away, every drug 2 through gk:Drug); they come along (context).
    context = set() if view.graph.get("schema_only") else {
        n for n, kind in view.nodes(data="type") if kind in PROVENANCE_TYPES or kind == "Class"}
    walked = view.subgraph(set(view) - context) if context and not context & set(seeds) else view
    walk = {"both": lambda: walked.to_undirected(as_view=True), "out": lambda: walked,
            "in": lambda: walked.reverse(copy=False)}.get(direction)
    if walk is None:
        raise SelectionError(f"direction must be both, out or in, not {direction!r}")
    reached = set(nx.multi_source_dijkstra_path_length(walk(), seeds, cutoff=hops))
    if walked is not view:
        reached |= evidence_of(view, reached)
    found = view.subgraph(reached).copy()
    if G.graph.get("include_schema") and not G.graph.get("schema_only"):
        # the classes of what was reached, from the whole view: a --predicate or --type filter
        # that keeps no instanceOf edge or class node does not take the schema away
        classes = classes_of(G, reached)
        found.add_nodes_from((c, G.nodes[c]) for c in sorted(classes - set(found)))
        found.add_edges_from((u, v, k, d) for u, v, k, d in G.subgraph(set(found)).edges(keys=True, data=True)
                             if k in ("instanceOf", "subClassOf") and not found.has_edge(u, v, k))
    return found


def evidence_of(view: nx.MultiDiGraph, nodes) -> set[str]:
    """The evidence nodes of the edges among ``nodes`` and the documents they cite, where the
    view has them (``include_provenance``)."""
    evidence = {ev for *_, d in view.subgraph(nodes).edges(keys=True, data=True)
                for ev in d.get("evidence", "").split(SEP) if ev in view}
    return evidence | ({f"gksrc:{view.nodes[ev]['source']}" for ev in evidence} & set(view))


def classes_of(view: nx.MultiDiGraph, nodes) -> set[str]:
    """The classes of ``nodes`` with their superclasses, where the view has them (``include_schema``)."""
    def superclasses(cls):
        return [v for _, v, key in view.out_edges(cls, keys=True) if key == "subClassOf"]

    return {cls for n in nodes if n in view for _, v, key in view.out_edges(n, keys=True) if key == "instanceOf"
            for cls in reachable(v, superclasses)}


def context_of(view: nx.MultiDiGraph, nodes) -> set[str]:
    """What comes along with ``nodes`` where the view has it: their evidence and documents
    (``include_provenance``) and their classes (``include_schema``)."""
    return evidence_of(view, nodes) | classes_of(view, nodes)


@dataclass(frozen=True)
class Step:
    """One edge of a path, as asserted: ``subject -[predicate]-> object``; ``forward`` when the
    path walks it from subject to object."""

    subject: str
    predicate: str
    object: str
    forward: bool


def explain(G: nx.MultiDiGraph, source: str, target: str, predicates=None, types=None,
            sources=None) -> list[Step]:
    """A shortest connection between two entities, ignoring edge direction, with the predicate
    of each step in its asserted direction (an "explain the connection" answer); of several
    equally short ones, the first by node ids, so the answer does not depend on hashing.

    >>> G, jmml_docs = load(), ["icd10_c93_32_page", "chang_2004_jmml_second_hsct"]
    >>> [(s.subject, s.predicate, s.object) for s in explain(G, "jmml_relapse_after_hsct", "fatigue", sources=jmml_docs)]
    [('jmml_relapse_after_hsct', 'subtypeOf', 'jmml_in_relapse'), ('jmml_in_relapse', 'hasSymptom', 'fatigue')]
    """
    paths = explain_all(G, source, target, predicates, types, limit=1, sources=sources)
    return paths[0]


def explain_all(G: nx.MultiDiGraph, source: str, target: str, predicates=None, types=None,
                limit: int | None = None, sources=None) -> list[list[Step]]:
    """Every shortest connection (up to ``limit``), each as a list of :class:`Step`, in the
    order of their node ids. ``source`` and ``target`` are entities named as :func:`resolve` reads
    them (id, CURIE, label or synonym)."""
    source, target = resolve(G, source), resolve(G, target)
    view = filtered(G, predicates, types, keep=(source, target), sources=sources)
    undirected = view.to_undirected(as_view=True)
    try:
        node_paths = sorted(nx.all_shortest_paths(undirected, source, target))
        out = []
        for path in node_paths:
            out.append(_steps(view, path))
            if limit and len(out) >= limit:
                break
    except nx.NetworkXNoPath:
        raise SelectionError(f"no connection between {source} and {target}") from None
    return out


def _steps(G, path: list[str]) -> list[Step]:
    steps = []
    for a, b in zip(path, path[1:]):
        forward = sorted(G.get_edge_data(a, b, default={}))
        if forward:
            steps.append(Step(a, forward[0], b, True))
        else:
            steps.append(Step(b, sorted(G.get_edge_data(b, a))[0], a, False))
    return steps


def edge_qualifiers(G: nx.MultiDiGraph, data: dict) -> str:
    """How sure, how often and for whom an edge is stated, as a path step shows it: ``rarely;
    newly diagnosed, first-line treatment`` (nothing for an established edge stated plainly).
    Several statements of one edge with different qualifiers show them all, ``/``-joined."""
    def words(value: str) -> str:      # an entity by its label, a value (UnderStudy) in words
        return "/".join(G.nodes[v]["label"] if v in G else re.sub(r"(?<!^)(?=[A-Z])", " ", v).lower()
                        for v in value.split(SEP) if v)

    certainty = words(data.get("certainty", "")) if data.get("certainty") != "Established" else ""
    scope = ", ".join(filter(None, (words(data.get(name, "")) for name in SCOPE_ATTRIBUTES.values())))
    return "; ".join(filter(None, (certainty, words(data.get("frequency", "")), scope)))


def format_path(G: nx.MultiDiGraph, steps: list[Step]) -> str:
    """A path as one line: ``a label -[predicate label]-> b label <-[...]- c label``, each step
    with its qualifiers in parentheses (:func:`edge_qualifiers`), so that an edge stated "rarely"
    or for one group only does not read as true in general."""
    if not steps:
        return ""

    def name(n):
        return f"{n} {G.nodes[n]['label']}"

    first = steps[0].subject if steps[0].forward else steps[0].object
    parts = [name(first)]
    for step in steps:
        data = G.edges[step.subject, step.object, step.predicate]
        qualifiers = edge_qualifiers(G, data)
        label = data["label"] + (f" ({qualifiers})" if qualifiers else "")
        if step.forward:
            parts.append(f"-[{label}]-> {name(step.object)}")
        else:
            parts.append(f"<-[{label}]- {name(step.subject)}")
    return " ".join(parts)


def project(G: nx.MultiDiGraph, directed: bool = True) -> nx.DiGraph | nx.Graph:
    """A simple DiGraph (or Graph) for algorithms that need one: parallel edges merged, with
    ``predicates`` (``|``-joined keys), ``weight`` (how many edges) and ``evidence_count``.

    >>> G = load()
    >>> P = project(G, directed=False)
    >>> type(P).__name__, P.edges["jmml_in_relapse", "ICD10CM:C93.32"]["predicates"]
    ('Graph', 'hasICD10Code')
    """
    simple = nx.DiGraph() if directed else nx.Graph()
    simple.graph.update(G.graph)
    simple.add_nodes_from(G.nodes(data=True))
    for u, v, key, data in G.edges(keys=True, data=True):
        if simple.has_edge(u, v):
            merged = simple.edges[u, v]
            merged["predicates"] = _join([*merged["predicates"].split(SEP), key])
            merged["weight"] += 1
            merged["evidence_count"] += data.get("evidence_count", 0)
        else:
            simple.add_edge(u, v, predicates=key, weight=1, evidence_count=data.get("evidence_count", 0))
    return simple


MEASURES = ("degree", "betweenness", "pagerank")


def rank(G: nx.MultiDiGraph, measure: str = "degree", types=None, top: int | None = 10) -> list[tuple[str, float]]:
    """Nodes ranked by a centrality measure (on the undirected projection), optionally only
    those of ``types``: ``[(node, score), ...]``, highest first, ties by id.

    >>> G = filtered(load(), sources=["icd10_c93_32_page", "chang_2004_jmml_second_hsct"])
    >>> rank(G, "degree", top=1)[0][0]
    'jmml_in_relapse'
    """
    simple = project(G, directed=False)
    if measure == "degree":
        scores = nx.degree_centrality(simple)
    elif measure == "betweenness":
        scores = nx.betweenness_centrality(simple)
    elif measure == "pagerank":
        scores = nx.pagerank(simple)
    else:
        raise SelectionError(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
    ranked = sorted(((n, s) for n, s in scores.items() if not types or has_type(G.nodes[n], types)),
                    key=lambda item: (-item[1], item[0]))
    return ranked[:top] if top else ranked


def components(G: nx.MultiDiGraph, min_size: int = 1) -> list[set[str]]:
    """Weakly connected components, largest first (ties by smallest id).

    >>> G = load()
    >>> big = components(G, min_size=2)[0]
    >>> {"jmml_in_relapse", "second_allogeneic_hsct"} <= big
    True
    """
    found = [c for c in nx.weakly_connected_components(G) if len(c) >= min_size]
    return sorted(found, key=lambda c: (-len(c), min(c)))
