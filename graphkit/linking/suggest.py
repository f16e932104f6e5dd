"""Candidate xrefs for entities, by exact name match against the reference vocabularies.

For each entity, the vocabularies that fit its type are searched for terms whose label, trusted
synonym (HPO exact synonym, UNII name, HGNC gene name) or noisy hint (MONDO/ChEBI/ORDO
synonyms) equals one of the entity's names after spelling normalization. A prefix the entity
already has an xref for is skipped. Each candidate says how it matched:

- ``label``: an entity name equals the reference label: propose ``exact``;
- ``synonym``: an entity name equals a trusted synonym: propose ``exact``, check the label;
- ``hint``: only a noisy synonym matches: a lead for a curator, never written automatically.

A vocabulary whose terms can only be a close match of the type (an HPO term for a disease:
:data:`graphkit.linking.check.CLOSE_AT_BEST`) has its label and synonym candidates proposed as ``close``, never ``exact``.

``--write`` accepts only label/synonym candidates of the entity type's primary vocabularies that
are unambiguous: the only candidate of their prefix matching the entity's label, or else the
only candidate of their prefix (justification ``lexical``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass

from loaders.registry import Entity, Registry, Xref
from graphkit.namespaces import ENTITY_ID
from graphkit.schema import Schema

from .check import close_at_best
from .normalize import name_set
from .reference import Reference

# Schema class -> (primary vocabularies (may be written), secondary vocabularies (shown only)):
# the prefixes `link --suggest` searches, each with reference data in reference.VOCABULARIES.
# An HPO term named like a disease is the phenotype of having it, a close match at best (the
# registry's own judgement, e.g. brain tumor): shown for a disease, never written, and proposed as
# close (CLOSE_AT_BEST), never as exact.
VOCABULARIES_BY_CLASS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Disease": (("MONDO",), ("HP", "DOID", "NCIT", "ORPHA", "ICD10CM", "ICD10WHO")),
    "DiseaseInState": (("MONDO",), ("DOID", "NCIT", "ICD10CM", "ICD10WHO")),
    "Phenotype": (("HP",), ("SYMP", "MONDO", "NCIT")),
    "Drug": (("UNII",), ("CHEBI", "NCIT")),
    "DrugClass": (("CHEBI",), ("UNII", "NCIT", "MAXO")),
    "DietarySupplement": (("UNII",), ("CHEBI",)),
    "Therapy": ((), ("MAXO", "NCIT")),
    "DiagnosticTest": ((), ("MAXO", "NCIT")),
    "Gene": (("HGNC", "NCBIGene"), ()),
    "MolecularTarget": ((), ("HGNC", "CHEBI", "UNII")),
    "GeneticAbnormality": ((), ("MONDO", "NCIT")),
    "Exposure": ((), ("ECTO",)),
    "ClinicalFeature": ((), ("NCIT",)),
    "AnatomicalSite": ((), ("NCIT",)),
    "CellType": ((), ("NCIT",)),
}
# How a candidate matched, strongest first: a term found several ways is kept with the strongest.
HOW = ("label", "synonym", "hint")


@dataclass
class Candidate:
    entity: str
    types: str
    name: str
    xref: str
    reference_label: str
    how: str
    proposed_match: str
    writable: bool
    location: str

    COLUMNS = ("entity", "xref", "reference_label", "how", "name", "proposed_match", "location")

    def as_dict(self) -> dict:
        return asdict(self)


def vocabularies_for(entity: Entity, schema: Schema) -> tuple[list[str], list[str]]:
    primary: list[str] = []
    secondary: list[str] = []
    for type_name in entity.types:
        for cls in [type_name, *sorted(schema.ancestors(type_name) - {type_name})]:
            if cls in VOCABULARIES_BY_CLASS:
                first, second = VOCABULARIES_BY_CLASS[cls]
                primary += [p for p in first if p not in primary]
                secondary += [p for p in second if p not in secondary]
                break
    return primary, [p for p in secondary if p not in primary]


def _abbreviation(name: str) -> bool:
    """Whether ``name`` is written in capitals (ALL, JMML, B-ALL): matched only where the reference
    writes it so, since normalizing the case made the synonym ALL HPO's root term "All"."""
    return name.upper() == name and sum(c.isalpha() for c in name) >= 2


def suggest(registry: Registry, schema: Schema, reference: Reference, only: set[str] | None = None,
            missing_only: bool = True) -> list[Candidate]:
    wanted: dict[str, list[tuple[Entity, bool]]] = defaultdict(list)       # prefix -> (entity, primary?)
    close: dict[str, set[str]] = {}                                          # entity -> prefixes close at best
    for entity in registry.values():
        if (only and entity.id not in only) or not ENTITY_ID.match(entity.id):
            continue
        if missing_only and entity.xrefs and not only:
            continue
        have = {x.curie.split(":", 1)[0] for x in entity.xrefs}
        primary, secondary = vocabularies_for(entity, schema)
        close[entity.id] = close_at_best(entity, schema)
        for prefix in primary + secondary:
            if prefix not in have:
                wanted[prefix].append((entity, prefix in primary))
    out: list[Candidate] = []
    for prefix, items in sorted(wanted.items()):
        names_by_entity = {e.id: {n: raw for raw in [e.label, *e.synonyms] for n in name_set([raw])}
                           for e, _ in items}
        all_names = set().union(*(set(v) for v in names_by_entity.values()))
        found = reference.vocabulary(prefix).search(all_names)
        for entity, primary in items:
            strong_match = "close" if prefix in close[entity.id] else "exact"
            hits: dict[str, Candidate] = {}
            for key, raw in names_by_entity[entity.id].items():
                for term, how in found.get(key, []):
                    if _abbreviation(raw) and raw not in (term.label, *term.synonyms, *term.hints):
                        continue
                    best = hits.get(term.curie)
                    if best and HOW.index(best.how) <= HOW.index(how):
                        continue
                    hits[term.curie] = Candidate(entity.id, ",".join(entity.types), raw, term.curie, term.label, how,
                                                 strong_match if how != "hint" else "review", False, str(entity.location))
            strong = [c for c in hits.values() if c.how != "hint"]
            on_label = [c for c in strong if name_set([c.name]) & name_set([entity.label])]
            if primary and (len(on_label) == 1 or len(strong) == 1):
                (on_label or strong)[0].writable = True
            out.extend(sorted(hits.values(), key=lambda c: (HOW.index(c.how), c.xref)))
    order = {e: i for i, e in enumerate(registry)}
    return sorted(out, key=lambda c: order[c.entity])


def accepted(candidates: list[Candidate]) -> dict[str, list[Xref]]:
    out: dict[str, list[Xref]] = defaultdict(list)
    for c in candidates:
        if c.writable:
            out[c.entity].append(Xref(c.xref, justification="lexical"))
    return out
