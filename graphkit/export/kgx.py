"""KGX TSV: ``nodes.tsv`` and ``edges.tsv`` for Biolink/KGX pipelines, in the form ``kgx validate``
accepts.

- **Node ids** are the Biolink-preferred CURIE where the entity has an exact mapping: among its
  ``skos:exactMatch`` ids, the one whose prefix comes first in the ``id_prefixes`` of its
  category (``MONDO`` before ``DOID`` for a disease, ``HP`` for a phenotype, ``CHEBI`` before
  ``UNII`` for a drug); the graphkit CURIE stays as an ``xref``. Entities without such a mapping
  (or whose preferred id another node of the graph would take too) keep their graphkit CURIE.
- **Categories** are concrete Biolink classes (see :meth:`graphkit.nxview` ``category``).
- **Predicates** come from the schema's alignments to Biolink (``skos:exactMatch``,
  ``closeMatch``, then ``broadMatch``: a broader Biolink predicate is still true), of the
  property, of its super-properties, else of its inverse; each is written in Biolink's canonical
  direction (``treatment_applications_from`` becomes ``applied_to_treat`` with subject and object
  swapped), and predicates that may not stand on an edge (mixins such as ``treated_by``) are
  passed over. Without a usable alignment: ``biolink:related_to``.
- **Quantity values** (``13 patients``, ``1 to <10 years``) are not nodes: Biolink keeps numbers
  in attributes of the entity they describe, so each edge to a quantity value becomes a column of
  its subject's row named after the property (``gk:cohortSize`` -> ``quantity_cohort_size``), the
  quantity's label as its value; the statements (with their scope) and their evidence stay in
  that row's ``quantity_statements``, ``quantity_supporting_text``, ``quantity_publications`` and
  ``quantity_evidence``; the numbers of a subject's one value of a property are numbers beside it
  (``quantity_cohort_size_value`` 13, ``_unit``, ``_approximate``, bounds: :func:`quantity_numbers`).
- **Numbers are numbers**: a number or flag of the view (``phase_order``, an evidence node's
  ``quote_start``) is a column of its own, not a ``text_`` one; a document's number (``004``) and
  PubMed id name something and stay text.
- **Routes of administration** are not edges either: Biolink has no predicate for them, only the
  node slot ``routes_of_delivery`` of chemical entities (its ``DrugDeliveryEnum``), so a chemical's,
  drug's or treatment's ``gk:administeredVia`` statements become values of that column
  (:data:`ROUTES_OF_DELIVERY`), the statements and their evidence in ``route_statements``,
  ``route_supporting_text``, ``route_publications`` and ``route_evidence``.
- **Disease states** (``gk:inState``, aligned with Biolink's ``has_attribute`` node slot) are
  values of their subject's ``has_attribute`` column where the state is a Biolink attribute
  (``ClinicalCourse``), with ``attribute_statements`` and the evidence beside them; how several
  states, sites, criteria or patient conditions combine is the node's ``state_combination``,
  ``site_combination``, ``criteria_combination`` or ``condition_combination`` (``any_of`` for the
  source's "or").
- **Regulatory approvals** (n-ary nodes: therapy, indication, agency) are the therapy-indication
  edge (``applied_to_treat``) with Biolink's ``clinical_approval_status``
  (``fda_approved_for_condition`` for the FDA), the approval node in ``regulatory_approval`` and
  what limits it in ``approval_line_of_therapy`` and ``approval_maximum_patient_age``; the edge
  merges with the curated treatment where there is one (:func:`approval_rows`).
- **Text statements** of the sources about an entity (``gk:note``, ``gk:purpose``,
  ``gk:mechanismDescription``... in the source's words) are node columns ``text_`` + the
  property in snake case (``text_note``, ``text_line_of_therapy``); their quotes and offsets are
  in the RDF release.
- **Edge ids** are UUIDs derived from the curated triple (``urn:uuid:...``): stable from one
  export to the next, and free of ``|``, KGX's list separator.
- **The release** the view was made from is one node, a ``biolink:Dataset`` with its title,
  version, date, licence and rights (:func:`release_row`): kgx reads no graph-level metadata from
  KGX files, so only a row keeps them. No edge points to it: Biolink's ``has_evidence`` is for what
  supports an edge (here the source documents, in ``publications``), and ``primary_knowledge_source``
  already names graphkit.
- **Evidence** (sources as publications, quotes as ``supporting_text``, the evidence nodes,
  certainty and frequency) and **scope** (the evidence's ``in_phase``, ``for_population``,
  ``for_state``, ``for_line_of_therapy``, ``during_period`` as KGX node ids, and ``scope_note``:
  a statement true for children is not written as true in general) come from
  :func:`provenance_columns`, the one place that reads them.

>>> biolink_edge(Model.load(), [("treated_by", False, 0), ("treatment_applications_from", False, 1)])
('biolink:applied_to_treat', True, 1)
"""

from __future__ import annotations

import re
import uuid

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ..biolink import ALIGNMENT_MATCHES, RDF_ALIGNMENTS, ROOT_PREDICATE, Model
from ..namespaces import (BIOLINK, GK, GKSRC, GRAPH_ASSERTED, GRAPH_PROVENANCE, GRAPH_SCHEMA, RELEASES, compact,
                          expand, is_curie)
from ..nxview import (CERTAINTY_ORDER, ENTITY_FIELDS, EVIDENCE_FIELDS, FREQUENCY_ORDER, MAPPING_FIELDS, NONE_STATED,
                      QUOTE_SEP, SCOPE_ATTRIBUTES, SEP)
from ..output import delimited
from .context import Context
from .graphdata import columns
from .registry import Format, register

FILES = ("nodes.tsv", "edges.tsv")
KGX_PROVIDER = "infores:graphkit"
# Schema alignments a KGX predicate may come from, best first (a narrower or merely related
# Biolink predicate would say more than the source does).
ALIGNMENTS = tuple(map(URIRef, ALIGNMENT_MATCHES))
SCOPE_COLUMNS = tuple(SCOPE_ATTRIBUTES.values())      # in_phase, for_population, ... (the view's names)
EDGE_ID_NAMESPACE = uuid.UUID("6c1f3b8e-6a43-5d2e-9a0e-2b7f0c6e1d54")   # fixed: ids stay the same per triple
# The release's own node. kgx 2.6 reads and writes no graph-level metadata (TSV, JSON and JSON
# Lines hold nodes and edges only), so the release's licence and version are a row: a
# biolink:Dataset, the class Biolink gives ``version`` to (``license``, ``rights`` and
# ``creation_date`` are slots of every information content entity). kgx takes an id whose local
# part holds "/" for no CURIE (an error of kgx validate), so the id is not the version IRI (releases/0.1.0/all, the
# row's xref) but the release version under a prefix of graphkit's releases: gkrelease:0.1.0.
RELEASE_PREFIX = "gkrelease"
KGX_PREFIXES = {RELEASE_PREFIX: RELEASES}      # the prefix the KGX export adds to graphkit's
RELEASE_CATEGORY = "biolink:Dataset"


def _biolink_slot(term) -> str | None:
    text = str(term)
    return text[len(str(BIOLINK)):] if text.startswith(str(BIOLINK)) and text[len(str(BIOLINK)):][:1].islower() \
        else None


def aligned_predicates(schema: Graph, predicate: URIRef) -> list[tuple[str, bool, int]]:
    """The Biolink predicates the schema aligns a property with, best first, each with whether
    it reads the edge backwards and the strength of the alignment (0 exact, 1 close, 2 broad):
    the property's own alignments, its super-properties', then its inverse's (reversed); an RDF
    property's are :data:`~graphkit.biolink.RDF_ALIGNMENTS`.

    >>> aligned_predicates(Graph(), RDFS.subClassOf)
    [('subclass_of', False, 0)]
    """
    if str(predicate) in RDF_ALIGNMENTS:
        return list(RDF_ALIGNMENTS[str(predicate)])
    def own(prop, seen) -> list[tuple[str, int]]:
        if prop in seen:
            return []
        seen.add(prop)
        found = [(slot, strength) for strength, match in enumerate(ALIGNMENTS)
                 for slot in sorted(filter(None, map(_biolink_slot, schema.objects(prop, match))))]
        for parent in sorted(schema.objects(prop, RDFS.subPropertyOf)):
            if str(parent).startswith(str(GK)):
                found += own(parent, seen)
        return found

    out = [(slot, False, strength) for slot, strength in own(predicate, set())]
    inverses = set(schema.objects(predicate, OWL.inverseOf)) | set(schema.subjects(OWL.inverseOf, predicate))
    for inverse in sorted(inverses):
        out += [(slot, True, strength) for slot, strength in own(inverse, set())]
    return out


def biolink_edge(model: Model, candidates, subject_category: str = "", object_category: str = "") \
        -> tuple[str, bool, int]:
    """The predicate an edge is written with, in its canonical direction: (``biolink:`` CURIE,
    whether subject and object are swapped, strength of the alignment). ``candidates`` are
    :func:`aligned_predicates`, best first; of those that may stand on an edge (the stronger
    alignment first, and of equal strength one with a domain or range before one for any named
    thing), the first whose domain and range take the subject's and object's categories
    (``biolink:Disease``...), else the first; without one, ``biolink:related_to`` (strength 3).

    >>> model = Model.load()
    >>> candidates = [("associated_with_increased_likelihood_of", False, 1), ("predisposes_to_condition", False, 1)]
    >>> biolink_edge(model, candidates, "biolink:Drug", "biolink:Disease")[0]
    'biolink:predisposes_to_condition'
    >>> biolink_edge(model, candidates, "biolink:ClinicalAttribute", "biolink:Disease")[0]   # age at diagnosis
    'biolink:associated_with_increased_likelihood_of'
    """
    usable = []
    for slot, reverse, strength in candidates:
        found = model.edge_predicate(slot)
        if found:
            usable.append((found[0], reverse != found[1], strength))
    # Of equal strength, a predicate Biolink keeps for certain kinds (predisposes_to_condition, for
    # chemicals, drugs and treatments) before one for any named thing (associated_with_...).
    usable.sort(key=lambda u: (u[2], {model.domain(u[0]), model.range(u[0])} <= {None, "NamedThing"}))
    for slot, swapped, strength in usable:
        subject, obj = (object_category, subject_category) if swapped else (subject_category, object_category)
        if all(model.fits(slot, subject.removeprefix("biolink:"), obj.removeprefix("biolink:"))):
            return f"biolink:{slot}", swapped, strength
    if usable:
        return f"biolink:{usable[0][0]}", usable[0][1], usable[0][2]
    return f"biolink:{ROOT_PREDICATE}", False, len(ALIGNMENTS)


def graphkit_curie(view: nx.MultiDiGraph, node: str) -> str:
    """A node's graphkit CURIE (its key where the view gives none)."""
    return view.nodes[node].get("curie") or node


def node_ids(view: nx.MultiDiGraph, asserted: Graph, model: Model) -> dict[str, str]:
    """Node key -> KGX id over the whole view: the exact mapping whose prefix Biolink prefers for
    the node's category, else the graphkit CURIE. A preferred id that two nodes would take (or
    two exact ids of one vocabulary) is not used."""
    chosen: dict[str, str] = {}
    for node, data in view.nodes(data=True):
        exact = [compact(str(o)) for o in asserted.objects(URIRef(data.get("iri", "")), SKOS.exactMatch)]
        prefixes = model.preferred_prefixes(data.get("category", "").removeprefix("biolink:"))
        best = next((p for p in prefixes if any(c.split(":", 1)[0] == p for c in exact)), None)
        candidates = [c for c in exact if best and c.split(":", 1)[0] == best]
        chosen[node] = candidates[0] if len(candidates) == 1 else graphkit_curie(view, node)
    taken: dict[str, int] = {}
    for kgx_id in chosen.values():
        taken[kgx_id] = taken.get(kgx_id, 0) + 1
    return {node: (kgx_id if taken[kgx_id] == 1 else graphkit_curie(view, node)) for node, kgx_id in chosen.items()}


_LINE_BREAKING = re.compile(r"[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def _text(value: str) -> str:
    """One value of a KGX cell: each tab or line break a space (rows are single lines of
    tab-separated cells; a quote keeps its length and its runs of spaces), ``|`` (KGX's list
    separator) shown as ``¦``."""
    return _LINE_BREAKING.sub(" ", str(value)).replace(SEP, "¦")


def _values(values) -> str:
    """A multi-valued KGX cell."""
    return SEP.join(_text(v) for v in values if v not in (None, ""))


def _split(joined: str) -> list[str]:
    return [v for v in (joined or "").split(SEP) if v]


def publications_of(provenance: Graph) -> dict[str, list[str]]:
    """Source id -> its publication CURIEs (``PMID:``/``DOI:``; else the source's own CURIE)."""
    out = {}
    for source in provenance.subjects(RDF.type, GK.SourceDocument):
        ids = [f"PMID:{v}" for v in provenance.objects(source, GK.pmid)] + \
              [f"DOI:{v}" for v in provenance.objects(source, GK.doi)]
        out[str(source)[len(str(GKSRC)):]] = sorted(ids) or [compact(str(source))]
    return out


def provenance_columns(data: dict, publications: dict[str, list[str]], ids: dict[str, str]) -> dict:
    """The evidence of one edge of the view as KGX columns: Biolink's ``knowledge_level``,
    ``agent_type``, ``primary_knowledge_source``, ``publications`` and ``supporting_text``, and
    graphkit's ``source_documents``, ``evidence``, ``evidence_count``, ``certainty``, ``frequency``
    and the scope qualifiers (``in_phase`` ... as the KGX ids in ``ids``, ``scope_note``).
    The only place the KGX export reads evidence."""
    sources = _split(data.get("sources", ""))
    inferred = bool(data.get("inferred"))
    return {
        "knowledge_level": "logical_entailment" if inferred else "knowledge_assertion",
        "agent_type": "automated_agent" if inferred else "manual_agent",
        "primary_knowledge_source": KGX_PROVIDER,
        "publications": _values(sorted({p for s in sources for p in publications.get(s, [f"gksrc:{s}"])})),
        "supporting_text": _values((data.get("quotes") or "").split(QUOTE_SEP)),
        "source_documents": _values(f"gksrc:{s}" for s in sources),
        "evidence": data.get("evidence", ""), "evidence_count": data.get("evidence_count", 0),
        "certainty": data.get("certainty", ""), "frequency": data.get("frequency", ""),
        **{column: _values(ids.get(v, v) for v in _split(data.get(column, ""))) for column in SCOPE_COLUMNS},
        "scope_note": _values((data.get("scope_note") or "").split(QUOTE_SEP)),
        "for_some_members_only": bool(data.get("for_some_members_only")),
        "evidence_details": _values(evidence_details(data, ids)),
    }


def evidence_details(data: dict, ids: dict[str, str]) -> list[str]:
    """One self-contained value per evidence of an edge of the view (``gkev:...; source=gksrc:...;
    certainty=...; frequency=...; for_population=gke:children; members=some; offsets=120-164;
    quote=...``, a scope qualifier and ``members`` only where the evidence has them; ``offsets`` the
    quote's in the source text; the source and the scope's entities named as the other columns
    name them, the entities by their KGX ids in ``ids``): the columns above are distinct values and
    unions, which do not say whose, and KGX tools read a list as a set (kgx transform drops a
    repeated value and keeps no order), so the view's aligned per-evidence fields would not
    survive them."""
    if not data.get("evidence"):
        return []
    fields = [data["evidence"].split(SEP)] + [data[f].split(QUOTE_SEP if f == "evidence_quotes" else SEP)
                                              for f in EVIDENCE_FIELDS]
    return [f"{ev}; source=gksrc:{source}; certainty={certainty}; frequency={frequency}; "
            + (f"{_scope_ids(scope, ids)}; " if scope != NONE_STATED else "")
            + (f"members={members}; " if members != NONE_STATED else "")
            + f"offsets={offsets}; quote={quote}"
            for ev, source, certainty, frequency, scope, members, offsets, quote in zip(*fields)]


def _scope_ids(scope: str, ids: dict[str, str]) -> str:
    """An evidence's scope as the view writes it (``for_population=childhood_all``, several ids
    comma-separated) with each entity named by its KGX id (``for_population=MONDO:0000870``), as
    the scope columns name it.

    >>> _scope_ids("for_population=childhood_all,infant_all; in_phase=induction", {"childhood_all": "MONDO:0000870"})
    'for_population=MONDO:0000870,infant_all; in_phase=induction'
    """
    def named(part: str) -> str:
        qualifier, _, entities = part.partition("=")
        return f"{qualifier}={','.join(ids.get(e, e) for e in entities.split(','))}"

    return "; ".join(named(part) for part in scope.split("; "))


def release_row(release: dict) -> dict:
    """The KGX node of the release a view was made from (``release``: the view's graph attributes,
    :data:`graphkit.header.RELEASE_ATTRIBUTES`), its version IRI as ``xref``.

    >>> row = release_row({"title": "graphkit", "version": "0.1.0", "date": "2026-12-02", "rights": "...",
    ...                    "license": "https://creativecommons.org/licenses/by/4.0/",
    ...                    "source": "https://w3id.org/graphkit/releases/0.1.0/all"})
    >>> row["id"], row["category"], row["version"]
    ('gkrelease:0.1.0', 'biolink:Dataset', '0.1.0')
    >>> row["iri"], row["xref"]
    ('https://w3id.org/graphkit/releases/0.1.0', 'https://w3id.org/graphkit/releases/0.1.0/all')
    """
    version = release["version"]
    return {"id": f"{RELEASE_PREFIX}:{version}", "category": RELEASE_CATEGORY, "name": _text(release["title"]),
            "xref": release["source"], "iri": KGX_PREFIXES[RELEASE_PREFIX] + version, "provided_by": KGX_PROVIDER,
            "version": version, "creation_date": release["date"], "license": release["license"],
            "rights": _text(release["rights"])}


def edge_id(subject: str, predicate: str, obj: str) -> str:
    """``urn:uuid:`` + a UUID of the edge's subject, predicate and object.

    >>> edge_id("MONDO:0011908", "biolink:has_phenotype", "HP:0001945")
    'urn:uuid:54f66efa-049e-5e4a-9c80-d1b48b421181'
    """
    return f"urn:uuid:{uuid.uuid5(EDGE_ID_NAMESPACE, ' '.join((subject, predicate, obj)))}"


# Multi-valued edge columns, merged as unions when several curated edges are one KGX edge.
MERGED_COLUMNS = ("publications", "supporting_text", "source_documents", "evidence", "evidence_details",
                  "graphkit_statements", *SCOPE_COLUMNS, "scope_note")


def merged(rows: list[dict]) -> dict:
    """One KGX edge for curated edges that map to the same subject, predicate and object (KGX
    keys edges by those three, so it would merge them on reading): the most direct alignment's
    ``original_*`` columns, the union of the provenance, every curated statement (``subject
    property object``) in ``graphkit_statements``; a column that only some of them have (an
    approval's) keeps the union of their values."""
    first = dict(rows[0])
    partial = dict.fromkeys(c for row in rows for c in row if c not in first)
    for column in (*MERGED_COLUMNS, *partial):
        first[column] = SEP.join(dict.fromkeys(v for row in rows for v in _split(row.get(column, ""))))
    for column, order in (("certainty", CERTAINTY_ORDER), ("frequency", FREQUENCY_ORDER)):
        present = {v for row in rows for v in _split(row[column])}
        first[column] = SEP.join([v for v in order if v in present] + sorted(present - set(order)))
    first["evidence_count"] = len(_split(first["evidence"]))
    first["for_some_members_only"] = all(row["for_some_members_only"] for row in rows)
    if any(row["knowledge_level"] == "knowledge_assertion" for row in rows):
        first.update(knowledge_level="knowledge_assertion", agent_type="manual_agent")
    return first


QUANTITY_KIND = "QuantityValue"
# Routes of administration as the values of Biolink's ``routes_of_delivery`` node slot (its
# DrugDeliveryEnum, whose description counts intravenous, subcutaneous and intramuscular among the
# injections; intrathecal has no value of its own, and an intrathecal dose is injected).
ROUTES_OF_DELIVERY = {"gke:oral": "oral", "gke:intravenous": "intravenous_injection",
                      "gke:subcutaneous": "subcutaneous_injection", "gke:intramuscular": "intramuscular_injection",
                      "gke:intrathecal": "injection"}
ROUTE_PROPERTY = "gk:administeredVia"
# Biolink gives ``routes_of_delivery`` to chemical entities; of the interventions it groups with
# them (the ChemicalOrDrugOrTreatment mixin) a treatment's route is its drugs'. A procedure's stays an edge.
ROUTE_SUBJECTS = "ChemicalOrDrugOrTreatment"
# A property the schema aligns with Biolink's ``has_attribute`` node slot (``gk:inState``: JMML in
# relapse has the clinical course relapse) is a column of its subject where its object is one of
# Biolink's attributes (ClinicalCourse is an Attribute): Biolink connects entities to attributes
# with that slot, not with a predicate.
ATTRIBUTE_SLOT = "has_attribute"
ATTRIBUTE_CATEGORY = "Attribute"
# A regulatory approval is an n-ary node (therapy, indication, agency) in graphkit; Biolink states
# it on the therapy-condition edge as ``clinical_approval_status``. Its three edges become that
# edge (the approval node stays a node, named in ``regulatory_approval``).
APPROVAL_KIND = "RegulatoryApproval"
APPROVAL_PARTS = {"gk:hasRegulatoryApproval": "therapy", "gk:approvalIndication": "indication",
                  "gk:regulatoryAgency": "agency"}
APPROVAL_PREDICATE = "biolink:applied_to_treat"
# ClinicalApprovalStatusEnum: fda_approved_for_condition where the agency is the FDA.
APPROVAL_STATUS = {"gke:fda": "fda_approved_for_condition"}
APPROVAL_STATUS_OTHERWISE = "approved_for_condition"
# What limits an approval (first-line only; patients up to 25 years), as columns of its edge, so
# that the edge does not read as an approval for every line or age: the approval node's text
# attributes of these properties and its quantity values (``approval_maximum_patient_age``).
APPROVAL_TEXT_LIMITS = ("lineOfTherapy",)
# How several values of a node combine (the view's gk:stateCombination, siteCombination,
# criteriaCombination and conditionCombination: AnyOf for the source's "or"), as node columns:
# without them the two has_attribute values of "relapsed or refractory ALL" would read as both holding.
COMBINATION_ATTRIBUTES = ("stateCombination", "siteCombination", "criteriaCombination", "conditionCombination")
COMBINATION_VALUES = {"AnyOf": "any_of", "AllOf": "all_of"}
# Each group of folded statements: its node columns holding the statements and their evidence.
FOLDED_PROVENANCE = {"statements": None, "supporting_text": "supporting_text", "publications": "publications",
                     "evidence": "evidence"}


def snake_case(predicate: str) -> str:
    """A property's local name in snake case.

    >>> snake_case("gk:cohortSize"), snake_case("lineOfTherapy")
    ('cohort_size', 'line_of_therapy')
    """
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", predicate.split(":", 1)[-1]).lower()


def quantity_column(predicate: str) -> str:
    """The node column of a quantity-valued property (``quantity_`` + its name in snake case).

    >>> quantity_column("gk:cohortSize"), quantity_column("gk:timepoint")
    ('quantity_cohort_size', 'quantity_timepoint')
    """
    return "quantity_" + snake_case(predicate)


# A quantity value's numbers (the view's attributes of its node), each a column of its own.
QUANTITY_NUMBERS = ("value", "min_inclusive", "min_exclusive", "max_inclusive", "max_exclusive")


def quantity_numbers(column: str, quantity: dict) -> dict:
    """The numbers of the one quantity value a subject has for a property, as columns beside its
    label (``column``): ``quantity_cohort_size_value`` 13, ``_unit`` ``{patients}`` (UCUM),
    ``_approximate``; a range's bounds as ``_min_inclusive`` ... ``_max_exclusive``. Numbers, not
    text: a reader that types its cells (pandas) reads them as numbers. A subject with several
    values of one property (methotrexate's two dosing frequencies) has its labels only: kgx reads a
    list as a set, so lists of numbers would not stay aligned with their units and bounds.

    >>> quantity_numbers("quantity_cohort_size", {"value": 13, "unit": "{patients}", "approximate": False})
    {'quantity_cohort_size_value': 13, 'quantity_cohort_size_unit': '{patients}', 'quantity_cohort_size_approximate': False}
    """
    out = {f"{column}_{name}": quantity[name] for name in QUANTITY_NUMBERS if quantity.get(name) is not None}
    if quantity.get("unit"):
        out[f"{column}_unit"] = quantity["unit"]
    if "approximate" in quantity:
        out[f"{column}_approximate"] = bool(quantity["approximate"])
    return out


def _scope(provenance: dict) -> list[str]:
    """A statement's scope as text: ``[for_population: gke:children]`` per qualifier."""
    return [f"[{column}: {', '.join(_split(provenance[column]))}]" for column in (*SCOPE_COLUMNS, "scope_note")
            if provenance[column]]


def fold_statements(rows: dict[str, dict], folded: dict[str, list[tuple[str, str, str, str, str, dict]]],
                    group: str) -> None:
    """Write statements that are node properties in Biolink into their subject's row: ``(column,
    value, property, graphkit subject, graphkit object or label, provenance columns)`` -> the
    column (the values), ``GROUP_statements`` (``subject property object``, then its scope if it
    has one: ``[for_population: ...]``) and the union of the evidence (``GROUP_supporting_text``,
    ``GROUP_publications``, ``GROUP_evidence``)."""
    for node, statements in folded.items():
        row = rows[node]
        for column, value, *_ in sorted(statements, key=lambda s: s[:5]):
            row[column] = _values([*_split(row.get(column, "")), value])
        statement_texts = [" ".join([subject, predicate, obj, *_scope(provenance)])
                           for _, _, predicate, subject, obj, provenance in statements]
        row[f"{group}_statements"] = _values(sorted(statement_texts))
        for suffix, source in FOLDED_PROVENANCE.items():
            if source:
                row[f"{group}_{suffix}"] = SEP.join(dict.fromkeys(v for *_, provenance in statements
                                                                  for v in _split(provenance[source])))


def curated_edge(sub: nx.MultiDiGraph, u: str, v: str, key: str, data: dict) -> tuple[str, str, str]:
    """An edge of the view as graphkit CURIEs: (property, subject, object)."""
    return data.get("predicate", key), graphkit_curie(sub, u), graphkit_curie(sub, v)


def edge_row(subject: str, predicate: str, obj: str, original: tuple[str, str, str], data: dict,
             publications: dict[str, list[str]], ids: dict[str, str]) -> dict:
    """One KGX edge row for the curated edge ``original`` (property, subject, object as graphkit
    CURIEs) written as ``subject predicate obj``, with the curated edge's provenance."""
    return {"id": edge_id(subject, predicate, obj), "subject": subject, "predicate": predicate, "object": obj,
            "category": "biolink:Association", **provenance_columns(data, publications, ids),
            "original_predicate": original[0], "original_subject": original[1], "original_object": original[2],
            "graphkit_statements": " ".join((original[1], original[0], original[2]))}


def approvals_of(sub: nx.MultiDiGraph) -> dict[str, dict[str, list[tuple]]]:
    """Approval node -> its parts (``therapy``, ``indication``, ``agency``: edges ``(u, v, key,
    data)``), for the approvals whose therapy and indication are both in ``sub`` (an approval cut
    off from either keeps its edges)."""
    found: dict[str, dict[str, list[tuple]]] = {}
    for u, v, k, data in sub.edges(keys=True, data=True):
        part = APPROVAL_PARTS.get(data.get("predicate", k))
        node = v if part == "therapy" else u
        if part and APPROVAL_KIND in _split(sub.nodes[node].get("types", "")):
            found.setdefault(node, {}).setdefault(part, []).append((u, v, k, data))
    return {node: parts for node, parts in found.items() if parts.get("therapy") and parts.get("indication")}


def approval_rows(sub: nx.MultiDiGraph, approval: str, parts: dict[str, list[tuple]], ids: dict[str, str],
                  publications: dict[str, list[str]]) -> list[tuple[tuple, dict]]:
    """The therapy-indication edges of one approval: for each therapy and indication, one row per
    statement of the approval (merged into one edge by :func:`merged`, with the edge the
    curated treatment gives if there is one), each with ``clinical_approval_status`` and the
    approval node in ``regulatory_approval``."""
    agencies = {graphkit_curie(sub, v) for _, v, _, _ in parts.get("agency", [])}
    status = _values(sorted({APPROVAL_STATUS.get(a, APPROVAL_STATUS_OTHERWISE) for a in agencies})) \
        or APPROVAL_STATUS_OTHERWISE
    statements = [edge for part in APPROVAL_PARTS.values() for edge in parts.get(part, [])]
    limits = {f"approval_{snake_case(name)}": _text(sub.nodes[approval][name])
              for name in APPROVAL_TEXT_LIMITS if sub.nodes[approval].get(name)}
    for _, value, key, data in sub.out_edges(approval, keys=True, data=True):
        if sub.nodes[value].get("kind") == QUANTITY_KIND:
            column = f"approval_{snake_case(data.get('predicate', key))}"
            limits[column] = _values([*_split(limits.get(column, "")), _text(sub.nodes[value].get("label", value))])
    rows = []
    for therapy, *_ in parts["therapy"]:
        for _, indication, _, _ in parts["indication"]:
            subject, obj = ids[therapy], ids[indication]
            for u, v, k, data in statements:
                original = curated_edge(sub, u, v, k, data)
                row = edge_row(subject, APPROVAL_PREDICATE, obj, original, data, publications, ids)
                row.update(clinical_approval_status=status, regulatory_approval=ids[approval], **limits)
                # ranked as a broad alignment: merged with a curated treatment, the treatment's
                # original_* columns are the edge's
                rows.append(((subject, APPROVAL_PREDICATE, obj), (len(ALIGNMENTS) - 1, original, row)))
    return rows


def node_row(sub: nx.MultiDiGraph, node: str, kgx_id: str, category: str, asserted: Graph) -> dict:
    """One KGX node row: its id (``kgx_id``, with the graphkit CURIE and the other exact matches as
    ``xref``), its Biolink ``category``, names, types, combinations, text statements and mapping
    slots; the statements folded into it are added after (:func:`fold_statements`)."""
    data = sub.nodes[node]
    local, iri = graphkit_curie(sub, node), URIRef(data.get("iri", ""))
    exact = sorted(({compact(str(o)) for o in asserted.objects(iri, SKOS.exactMatch)} | {local}) - {kgx_id})
    row = {"id": kgx_id, "category": category,
           "name": _text(data.get("label", "")), "description": _text(data.get("definition", "")),
           "xref": _values(exact), "synonym": _values(_split(data.get("synonyms", ""))),
           "iri": str(expand(kgx_id)) if kgx_id != local and is_curie(kgx_id) else str(iri),
           "provided_by": KGX_PROVIDER,
           "original_type": _values(f"gk:{t}" for t in _split(data.get("types", "")))}
    for attribute, value in data.items():
        if attribute in COMBINATION_ATTRIBUTES:
            row[snake_case(attribute)] = COMBINATION_VALUES[value]
        elif attribute not in ENTITY_FIELDS and isinstance(value, str) and value:
            row[f"text_{snake_case(attribute)}"] = _values(value.split(QUOTE_SEP))      # the sources' words
        elif attribute not in ENTITY_FIELDS and value is not None and value != "":
            # a number stays a number, under its own name (phase_order 2, study_period_start 1988, an
            # evidence node's quote_start and quote_end), as a flag stays a flag: not text
            row[snake_case(attribute)] = value
    for column in MAPPING_FIELDS.values():          # the view's names are LinkML's mapping slots
        if data.get(column):
            row[column] = data[column]
    return row


def write(sub: nx.MultiDiGraph, ctx: Context) -> dict[str, str]:
    model = Model.load()
    schema, asserted = ctx.graph(GRAPH_SCHEMA), ctx.graph(GRAPH_ASSERTED)
    publications = publications_of(ctx.graph(GRAPH_PROVENANCE))
    ids = node_ids(ctx.view, asserted, model)
    ids.update({n: graphkit_curie(sub, n) for n in sub.nodes if n not in ids})
    categories = {n: d.get("category", "biolink:NamedThing") for n, d in sub.nodes(data=True)}
    # the quantity values (not the class gk:QuantityValue, which --include-schema brings along)
    quantities = {n for n, d in sub.nodes(data=True) if d.get("kind") == QUANTITY_KIND and d.get("type") != "Class"}
    nodes = {node: node_row(sub, node, ids[node], categories[node], asserted)
             for node in sub.nodes if node not in quantities}
    folded: dict[str, dict[str, list]] = {"quantity": {}, "route": {}, "attribute": {}}
    numbers: dict[str, dict[str, list[str]]] = {}       # subject -> quantity column -> its quantity values
    aligned: dict[str, list] = {}
    grouped: dict[tuple, list[tuple]] = {}
    approvals = approvals_of(sub)
    with ctx.bar("writing KGX edges", sub.number_of_edges()) as bar:
        for u, v, k, data in sub.edges(keys=True, data=True):
            bar.advance()
            original = curated_edge(sub, u, v, k, data)
            if original[0] in APPROVAL_PARTS and (u in approvals or v in approvals):
                continue
            if u in quantities:
                # a quantity value is a column of its subject's row, not a node: its own edges
                # (its class, with --include-schema) would start from no node of the file
                continue
            if v in quantities:
                numbers.setdefault(u, {}).setdefault(quantity_column(original[0]), []).append(v)
                label = _text(sub.nodes[v].get("label", v))
                folded["quantity"].setdefault(u, []).append((quantity_column(original[0]), label, *original[:2], label,
                                                             provenance_columns(data, publications, ids)))
                continue
            if original[0] == ROUTE_PROPERTY and original[2] in ROUTES_OF_DELIVERY and \
                    ROUTE_SUBJECTS in model.ancestors(categories[u].removeprefix("biolink:")):
                folded["route"].setdefault(u, []).append(("routes_of_delivery", ROUTES_OF_DELIVERY[original[2]],
                                                          *original, provenance_columns(data, publications, ids)))
                continue
            iri = data.get("predicate_iri")
            if iri not in aligned:
                aligned[iri] = aligned_predicates(schema, URIRef(iri)) if iri else []
            if any(slot == ATTRIBUTE_SLOT and not reverse for slot, reverse, _ in aligned[iri]) and \
                    ATTRIBUTE_CATEGORY in model.ancestors(categories[v].removeprefix("biolink:")):
                folded["attribute"].setdefault(u, []).append((ATTRIBUTE_SLOT, ids[v], *original,
                                                              provenance_columns(data, publications, ids)))
                continue
            predicate, reverse, strength = biolink_edge(model, aligned[iri], categories[u], categories[v])
            subject, obj = (ids[v], ids[u]) if reverse else (ids[u], ids[v])
            grouped.setdefault((subject, predicate, obj), []).append(
                (strength, original, edge_row(subject, predicate, obj, original, data, publications, ids)))
    for approval, parts in approvals.items():
        for key, row in approval_rows(sub, approval, parts, ids, publications):
            grouped.setdefault(key, []).append(row)
    edges = [merged([row for *_, row in sorted(group, key=lambda item: item[:2])]) for group in grouped.values()]
    for group, statements in folded.items():
        fold_statements(nodes, statements, group)
    for node, of_column in numbers.items():
        for column, values in sorted(of_column.items()):
            if len(values) == 1:
                nodes[node].update(quantity_numbers(column, sub.nodes[values[0]]))
    nodes = [release_row(sub.graph), *nodes.values()]
    node_cols = columns(nodes, ["id", "category", "name", "description", "xref", "synonym", "iri", "provided_by",
                                "original_type"])
    edge_cols = columns(edges, ["id", "subject", "predicate", "object", "category", "knowledge_level", "agent_type",
                                "primary_knowledge_source", "publications", "supporting_text",
                                "original_predicate", "original_subject", "original_object"])
    return {"nodes.tsv": delimited(nodes, node_cols, "\t"), "edges.tsv": delimited(edges, edge_cols, "\t")}


register(Format("kgx", "KGX TSV: nodes.tsv + edges.tsv (Biolink)", write, aliases=("tsv",), files=FILES,
                to_stdout=False, order=31))
