"""Xrefs implied through the MONDO mapping sets (SSSOM chaining, justification ``via_mondo``).

An entity with a *verified exact* MONDO xref gets the MONDO term's exact/broad/narrow mappings
(DOID, NCIT, ICD-10-CM, WHO ICD-10, Orphanet, OMIM, UMLS, MeSH, SNOMED CT) with the composed
predicate: exact + exact = exact, exact + broad = broad (the ICD-10-CM code is broader), and so
on. Close and related rows are never followed (the reference README documents a wrong
closeMatch row), nor are chains from broad/narrow MONDO xrefs (they multiply weak links), nor
targets that do not exist in the reference release or are obsolete.

An implied exact match is written (``--write``) only where it would pass ``link --check``: its
reference label is one of the entity's names, and the entity has no other exact match in that
vocabulary. The others are listed with the reason, for a curator to judge by the labels (close,
broad, narrow, or exact with a note).
"""

from __future__ import annotations

from dataclasses import dataclass

from loaders.registry import Registry, Xref

from .check import CheckResult, composed, entity_names
from .reference import Reference

PROPAGATE_PREFIXES = ("DOID", "NCIT", "ICD10CM", "ICD10WHO", "ORPHA", "OMIM", "UMLS", "MESH", "SNOMEDCT")


@dataclass
class Implied:
    entity: str
    xref: Xref
    via: str
    mapping_set: str
    reference_label: str
    location: str
    judge: str = ""             # why a curator must judge it (not written by --write); empty: writable

    COLUMNS = ("entity", "xref", "match", "via", "mapping_set", "reference_label", "judge", "location")

    def as_dict(self) -> dict:
        return {"entity": self.entity, "xref": self.xref.curie, "match": self.xref.match, "via": self.via,
                "mapping_set": self.mapping_set, "reference_label": self.reference_label, "judge": self.judge,
                "location": self.location}


def implied_xrefs(registry: Registry, reference: Reference, checked: CheckResult,
                  only: set[str] | None = None) -> list[Implied]:
    candidates: list[tuple] = []
    for entity in registry.values():
        if only and entity.id not in only:
            continue
        have = {x.curie for x in entity.xrefs}
        ok = checked.verified.get(entity.id, set())
        for source in entity.xrefs:
            if not source.curie.startswith("MONDO:") or source.match != "exact" or source.curie not in ok:
                continue
            for row in reference.mappings_from(source.curie):
                target = row["object_id"]
                implied = composed("exact", row["predicate_id"])
                if (implied is None or target in have or target.split(":", 1)[0] not in PROPAGATE_PREFIXES
                        or row["predicate_id"] in ("skos:closeMatch", "skos:relatedMatch")):
                    continue
                have.add(target)
                candidates.append((entity, Xref(target, match=implied, justification="via_mondo"), source.curie,
                                   row["mapping_set"]))
    terms = reference.lookup_many({c[1].curie for c in candidates})
    exact_in = {(e.id, x.curie.split(":", 1)[0]) for e in registry.values() for x in e.xrefs if x.match == "exact"}
    out = []
    for entity, xref, via, mapping_set in candidates:
        term = terms.get(xref.curie)
        if term is None or term.obsolete:
            continue
        judge = ""
        if xref.match == "exact":
            vocabulary = (entity.id, xref.curie.split(":", 1)[0])
            if not entity_names(entity) & term.names():
                judge = "the label is none of the entity's names"
            elif vocabulary in exact_in:
                judge = f"the entity has an exact match in {vocabulary[1]} already"
            else:
                exact_in.add(vocabulary)
        out.append(Implied(entity.id, xref, via, mapping_set, term.label, str(entity.location), judge))
    return out
