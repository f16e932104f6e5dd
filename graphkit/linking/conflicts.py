"""Two mappings of one entity that the reference data says cannot both hold (``conflict``).

An entity E with the mappings ``E p X`` and ``E q Y`` (curated predicates: exact, close, broad,
narrow, related; ``E broad X``: X is the broader) is in conflict where the reference data states a
relation ``X s Y`` whose composition with ``p`` is not ``q``: the two judgements of one pair of
concepts disagree, so at least one of the three statements (the two xrefs, the reference row) is
wrong. E's mappings are its xrefs and, for a code node (``ICD10CM:C93.3``), its own id, an exact
match of itself.

**Reference statements** ``X s Y`` come only from the rows of Mondo's SSSOM mapping sets (the
vendored ``mondo_mappings.tsv.gz``: ``MONDO:M s Z``, read from either side, ``Z`` then
``inverse(s) M``), the only reference data that states a SKOS predicate:

- a ``skos:exactMatch`` row counts only where it is **one to one** in its vocabulary: M has no other
  exact row to Z's vocabulary, and Z is the exact match of no other MONDO term. Mondo maps
  "cancer" exactly to DO's cancer, organ system cancer and cell type cancer; graphkit's one exact
  match per vocabulary (``cardinality``) keeps one of them, and such a row cannot tell which;
- two one-to-one exact rows ``M exact Z1`` and ``M exact Z2`` state ``Z1 exact Z2`` (Mondo's own
  chaining), for an entity that maps both and not M (an entity that maps M has the rows
  themselves: a disagreement is found once, between M and the xref it is about, not again
  between each of M's other exact matches and that xref);
- broad, narrow, close and related rows count as they are (Mondo has them for ICD-10-CM only).

DO's xrefs are not used: ``oboInOwl:hasDbXref`` states no predicate, and DO's own lists are not
one to one (DOID:12603 acute leukemia lists two UMLS ids and ICD10CM:C95.00).

**Composition** (:func:`implied`): ``p`` then ``s`` gives the predicate c of ``E -> Y``:

- ``s`` exact: c = p (X and Y are one concept, so E is to Y what it is to X);
- ``p`` exact: c = s;
- broad then broad is broad, narrow then narrow is narrow;
- anything else (broad then narrow, close or related then anything but exact) implies nothing.

**Conflict**: c is implied and the curated ``q`` is not c. graphkit's predicates are exclusive
(an xref has the one that holds: exact, else broad or narrow, else close, else related), so
exact against close is a conflict as much as exact against broad: "E exact X, X exact Y per
Mondo, E broad/narrow/close/related Y"; "E exact X, E exact Y, X broad/narrow Y per Mondo". Each
conflict is found from both sides (X -> Y and Y -> X), so both xrefs of the pair are marked.
(Two exact matches in one vocabulary are ``cardinality``, found with or without reference data.)

**Settled**: where a curator judges the reference row wrong, the ``note`` of either xref names the
other's id (the whole CURIE), saying why the row does not hold here (acute myeloid leukemia
``ICD10CM:C92.0 narrow``: "C92.0 includes the myeloblastic types ...; ICD-10-CM codes the other
acute myeloid leukemias under C92.4, ..., so Mondo's exact row from MONDO:0018874 takes one
category for the whole"). A note that names the other id is read as the curator's word on that
pair, so it should say what it thinks of the row. A settled conflict is no finding;
:func:`find_conflicts` still returns it (``settled``), and ``graphkit link --check`` says it in
the xref's detail.

``conflict`` fails ``graphkit link --check`` (exit 1), as ``contradiction``, ``chain-only`` and
``cardinality`` do: like them, it means that an xref as curated is wrong or unexplained, and a
note settles it where the curator has a reason.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Iterable

from loaders.registry import MATCHES, Entity, Registry, Xref
from graphkit.namespaces import ENTITY_ID

from .reference import Reference

SKOS_MATCH = {f"skos:{name}": match for match, name in MATCHES.items()}      # a mapping set's predicate_id -> match
# A match read from its object's side: B is broader than A where A is narrower than B.
INVERSE_MATCH = {"exact": "exact", "close": "close", "related": "related", "broad": "narrow", "narrow": "broad"}


@dataclass(frozen=True, order=True)
class Conflict:
    """The xref ``entity -> xref`` (curated ``match``) against the match ``implied`` by the
    entity's xref ``via`` (curated ``via_match``) and the reference statement ``reference``
    (``"via s xref"``, read as the rows say it)."""
    entity: str
    xref: str
    match: str
    via: str
    via_match: str
    reference: str
    implied: str
    settled: bool = False

    def as_dict(self) -> dict:
        return asdict(self)

    def detail(self) -> str:
        """What the conflict is, for the xref's row of ``graphkit link --check``."""
        said = f"Mondo's {self.reference} and {self.via_match}Match {self.via} make it {self.implied}Match"
        if self.settled:
            return f"{said}: a curated disagreement with Mondo's row (the note of one of the two names the other)"
        return (f"{said}, the registry says {self.match}Match: this xref, {self.via} or Mondo's row is wrong; fix "
                f"the xref, or say in a note that names {self.via} why the row does not hold here")


def implied(first: str, step: str) -> str | None:
    """What ``E -first-> X`` and the reference's ``X -step-> Y`` make of ``E -> Y``, or None.

    >>> implied("close", "exact"), implied("exact", "broad"), implied("broad", "broad")
    ('close', 'broad', 'broad')
    >>> implied("broad", "narrow") is None, implied("close", "broad") is None
    (True, True)
    """
    if step == "exact":
        return first
    if first == "exact":
        return step
    if first == step and first in ("broad", "narrow"):
        return first
    return None


class Statements:
    """The reference statements between two ids, from Mondo's mapping sets (module docstring)."""

    def __init__(self, reference: Reference):
        self.reference = reference
        exact = [r for r in reference.mapping_rows if r["predicate_id"] == "skos:exactMatch"]
        per_vocabulary = Counter((r["subject_id"], _prefix(r["object_id"])) for r in exact)
        per_object = Counter(r["object_id"] for r in exact)
        self.one_to_one = {(r["subject_id"], r["object_id"]) for r in exact
                           if per_vocabulary[r["subject_id"], _prefix(r["object_id"])] == 1
                           and per_object[r["object_id"]] == 1}

    def rows(self, curie: str) -> Iterable[tuple[str, str, str, str]]:
        """(s, Y, the statement as the rows say it, the MONDO term between or "") for every
        reference statement ``curie s Y``."""
        for row in self.reference.mappings_from(curie):
            match = SKOS_MATCH.get(row["predicate_id"])
            if match and self._counts(row):
                yield match, row["object_id"], f"{curie} {row['predicate_id']} {row['object_id']}", ""
        for row in self.reference.mappings_to(curie):
            match = SKOS_MATCH.get(row["predicate_id"])
            if match and self._counts(row):
                mondo = row["subject_id"]
                yield INVERSE_MATCH[match], mondo, f"{mondo} {row['predicate_id']} {curie}", ""
                if match == "exact":                     # curie = M = Z: Mondo's own chaining
                    for other in self.reference.mappings_from(mondo):
                        if other["object_id"] != curie and other["predicate_id"] == "skos:exactMatch" \
                                and self._counts(other):
                            yield "exact", other["object_id"], \
                                f"{mondo} skos:exactMatch {curie} and {other['object_id']}", mondo

    def _counts(self, row: dict) -> bool:
        return row["predicate_id"] != "skos:exactMatch" or (row["subject_id"], row["object_id"]) in self.one_to_one


def _prefix(curie: str) -> str:
    return curie.split(":", 1)[0]


def names(note: str, curie: str) -> bool:
    """Whether ``note`` names ``curie`` (whole: ICD10CM:C92.0 is not ICD10CM:C92.01).

    >>> names("Mondo maps MONDO:0018874 exactly to C92.0", "MONDO:0018874"), names("see ICD10CM:C92.01", "ICD10CM:C92.0")
    (True, False)
    """
    return re.search(rf"(?<![\w:.]){re.escape(curie)}(?![\w.]*\w)", note) is not None


def mappings(entity: Entity) -> list[Xref]:
    """The entity's xrefs, and for a code node (``ICD10CM:C93.32``) its own id, exactly itself."""
    own = [] if ENTITY_ID.match(entity.id) else [Xref(entity.id)]
    return own + list(entity.xrefs)


def entity_conflicts(entity: Entity, statements: Statements) -> list[Conflict]:
    """Every xref of ``entity`` whose match a reference statement and another of its xrefs
    contradict (module docstring), settled or not, in the order of its xrefs."""
    xrefs = {x.curie: x for x in mappings(entity)}
    found: dict[tuple[str, str], Conflict] = {}
    for via in xrefs.values():
        for step, target, said, through in statements.rows(via.curie):
            xref = xrefs.get(target)
            if xref is None or target == via.curie or through in xrefs:
                continue                 # a MONDO term the entity maps: its own rows say it
            match = implied(via.match, step)
            if match is None or match == xref.match:
                continue
            settled = names(xref.note, via.curie) or names(via.note, xref.curie)
            found.setdefault((xref.curie, via.curie), Conflict(
                entity.id, xref.curie, xref.match, via.curie, via.match, said, match, settled))
    order = {curie: n for n, curie in enumerate(xrefs)}
    return sorted(found.values(), key=lambda c: (order[c.xref], order[c.via]))


def find_conflicts(registry: Registry, reference: Reference, only: set[str] | None = None) -> list[Conflict]:
    """The conflicts of every entity of ``registry`` (or of the ``only`` ones), settled or not."""
    statements = Statements(reference)
    return [conflict for entity in registry.values() if not only or entity.id in only
            for conflict in entity_conflicts(entity, statements)]
