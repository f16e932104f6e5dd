"""Verify every cross-reference of the registry against the offline reference data.

For each xref (and each registry id that is itself a CURIE, such as ``ICD10CM:C93.32``):

1. the prefix has reference data, else the xref must be marked ``unverified`` (with a note);
2. the id exists in the reference, else it is ``unknown`` (or ``unverified`` if so marked);
3. it is not obsolete (an HPO/DO alternative id counts as obsolete: use the primary id);
4. its names agree with the entity's:

   - an **exact** match needs the reference label (or an HPO exact synonym, a UNII name, the HGNC
     gene name) to equal the entity's label or one of its synonyms after spelling normalization,
     or a curator's ``note`` saying why the two mean the same. A corroborating chain alone
     (another label-confirmed xref of the entity that the MONDO mapping sets or DO's xrefs map
     to this id: MONDO -> DOID/NCIT/..., DOID -> its xrefs, any id -> the MONDO term mapped
     exactly to it) is ``chain-only``: mapping sets map exactly what is only close, broader or
     narrower ("cancer" to "organ system cancer"), so the curator judges it by the labels.
     Without a chain either, it is a ``contradiction``;
   - a **broad/narrow** match is confirmed by a chain, or by the labels' containment (a broader
     term's label inside the entity's, e.g. "acute lymphoblastic leukemia" inside "childhood acute
     lymphoblastic leukemia"), or by a curator's ``note`` saying why; close/related matches need the
   note. Without either they are listed for ``review``.

Across the registry (:func:`cardinality`): an entity has at most one exact match per vocabulary
(prefix), and no id is the exact match of two entities (unless one of them is an exact match of
the other, as a disease and its ICD-10 code node are); the xrefs that break this are
``cardinality``.

An exact match to a vocabulary whose terms are a close match of the entity's class at best
(:data:`CLOSE_AT_BEST`: an HPO term for a disease) is a ``contradiction``.

Two xrefs of one entity that a statement of Mondo's mapping sets relates otherwise than the
two predicates do (the entity exact to MONDO:M and broad to DOID:D, which Mondo maps exactly to
M) are ``conflict``, unless a note of one names the other (:mod:`graphkit.linking.conflicts`
gives the rules).

An xref whose ``justification`` does not say how its predicate was reached (``lexical`` for
other than an exact match, ``via_mondo`` for a predicate no chain composes) is ``justification``
(:func:`justification_problem`).

The statuses of :data:`FAILING` (``unknown``, ``obsolete``, ``contradiction``, ``cardinality``,
``conflict``, ``chain-only``, ``justification`` and ``unverifiable``) fail the check; ``ok``, ``review`` and
``unverified`` do not. Synonyms of MONDO, ChEBI and ORDO are never used to
confirm a link (they are noisy); :mod:`graphkit.linking.suggest` uses them as hints.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from loaders.registry import Entity, Registry, Xref
from graphkit.namespaces import ENTITY_ID
from graphkit.progress import Progress
from graphkit.schema import Schema

from .conflicts import INVERSE_MATCH, SKOS_MATCH, Conflict, find_conflicts, implied as implied_match
from .normalize import contains, name_set
from .reference import Reference, Term

FAILING = ("unknown", "obsolete", "contradiction", "cardinality", "conflict", "chain-only", "justification",
           "unverifiable")
STATUS_ORDER = ("unknown", "obsolete", "contradiction", "cardinality", "conflict", "chain-only", "justification",
                "unverifiable", "review", "unverified", "ok")
# The matches that chain (SSSOM chaining): close and related say too little to go further.
CHAINING = ("exact", "broad", "narrow")
# Schema class -> the vocabularies whose terms are a close match of its entities (and of its
# subclasses') at best: an HPO term named like a disease is the phenotype of having it.
CLOSE_AT_BEST: dict[str, tuple[str, ...]] = {"Disease": ("HP",)}


@dataclass
class Row:
    entity: str
    types: str
    xref: str
    match: str
    justification: str
    status: str
    reference_label: str = ""
    detail: str = ""
    location: str = ""

    COLUMNS = ("entity", "xref", "match", "status", "reference_label", "detail", "location")

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class CheckResult:
    rows: list[Row]
    registry: Registry
    verified: dict[str, set[str]] = field(default_factory=dict)   # entity id -> curies with status ok
    conflicts: list[Conflict] = field(default_factory=list)       # settled or not (graphkit.linking.conflicts)

    @property
    def failed(self) -> list[Row]:
        return [r for r in self.rows if r.status in FAILING]

    def counts(self) -> dict[str, int]:
        counter = Counter(r.status for r in self.rows)
        return {s: counter[s] for s in STATUS_ORDER if counter[s]}

    def coverage(self) -> list[dict]:
        """Per entity type: entities, entities with at least one verified xref, share."""
        total, linked = Counter(), Counter()
        for entity in self.registry.values():
            for type_name in entity.types:
                total[type_name] += 1
                if self.verified.get(entity.id):
                    linked[type_name] += 1
        return [{"type": t, "entities": total[t], "with_verified_xref": linked[t],
                 "share": f"{100 * linked[t] / total[t]:.0f}%"}
                for t in sorted(total, key=lambda t: (-total[t], t))]

    def unverified(self) -> list[Row]:
        return [r for r in self.rows if r.status == "unverified"]


def entity_names(entity: Entity) -> set[str]:
    return name_set([entity.label, *entity.synonyms])


def composed(first: str, predicate_id: str) -> str | None:
    """What "entity -first-> A" and a mapping set's row "A -predicate_id-> B" make of "entity ->
    B" (:func:`.conflicts.implied`, between :data:`CHAINING` matches), or None: a close or related
    row, or a broad and a narrow step, lead nowhere.

    >>> composed("exact", "skos:broadMatch"), composed("narrow", "skos:broadMatch")
    ('broad', None)
    >>> composed("exact", "skos:closeMatch") is None
    True
    """
    return chained(first, SKOS_MATCH.get(predicate_id, ""))


def chained(first: str, step: str) -> str | None:
    return implied_match(first, step) if first in CHAINING and step in CHAINING else None


def mondo_chains(entity: Entity, curie: str, reference: Reference) -> list[tuple[Xref, dict, str | None]]:
    """The chains from ``entity`` to ``curie`` through the Mondo mapping sets: (the entity's MONDO
    xref, the mapping-set row that maps that term to ``curie``, the match the two compose), in the
    order of the entity's xrefs."""
    return [(source, row, composed(source.match, row["predicate_id"]))
            for source in entity.xrefs if source.curie.startswith("MONDO:")
            for row in reference.mappings_from(source.curie) if row["object_id"] == curie]


def chain_targets(reference: Reference, curie: str, match: str) -> dict[str, tuple[str, str]]:
    """Ids implied from an entity's verified xref ``curie`` (entity -match-> curie) by the MONDO
    mapping sets and DO's xrefs: target -> (implied match, via)."""
    out: dict[str, tuple[str, str]] = {}
    if curie.startswith("MONDO:"):
        for row in reference.mappings_from(curie):
            found = composed(match, row["predicate_id"])
            if found:
                out.setdefault(row["object_id"], (found, curie))
        return out
    if curie.startswith("DOID:"):
        for target in reference.do_xrefs(curie):
            found = chained(match, "exact")
            if found:
                out.setdefault(target, (found, curie))
    if match == "exact":
        # The MONDO term that a mapping set maps exactly to a confirmed id is the same concept.
        for row in reference.mappings_to(curie):
            if row["predicate_id"] == "skos:exactMatch":
                out.setdefault(row["subject_id"], ("exact", curie))
    return out


def close_at_best(entity: Entity, schema: Schema) -> set[str]:
    """The prefixes whose terms can only be a close match of ``entity`` (:data:`CLOSE_AT_BEST`, by
    its types and their ancestors)."""
    classes = {c for t in entity.types for c in (t, *schema.ancestors(t))}
    return {prefix for cls in classes for prefix in CLOSE_AT_BEST.get(cls, ())}


def justification_problem(entity: Entity, xref: Xref, reference: Reference) -> str:
    """Why an xref's ``justification`` does not say how its predicate was reached, or "". The
    SSSOM export and all.ttl give it as the mapping's justification: ``lexical`` (a label match)
    gives exact matches, ``via_mondo`` (`graphkit link --propagate`) the predicate composed from an
    exact MONDO xref of the entity and a Mondo mapping; a predicate a curator chose is ``manual``."""
    if xref.justification == "lexical" and xref.match != "exact":
        return f"a lexical match gives exactMatch; a {xref.match} match is a curator's: write justification: manual"
    if xref.justification != "via_mondo":
        return ""
    matches = {match for source, _, match in mondo_chains(entity, xref.curie, reference)
               if source.match == "exact"} - {None}
    if xref.match in matches:
        return ""
    found = (f"the chain gives {'/'.join(sorted(matches))}Match" if matches
             else "no exact MONDO xref of the entity leads to it")
    return f"justification via_mondo, but {found}: a {xref.match} match a curator chose is justification: manual"


def _label_status(entity: Entity, xref: Xref, term: Term) -> tuple[bool, str]:
    names = entity_names(entity)
    hit = names & term.names()
    if hit:
        return True, "label" if hit & name_set([term.label]) else "synonym"
    if xref.match in ("broad", "narrow"):
        for mine in names:
            for theirs in term.names():
                if xref.match == "broad" and contains(mine, theirs):
                    return True, "label contains the broader term's"
                if xref.match == "narrow" and contains(theirs, mine):
                    return True, "narrower term's label contains the label"
    return False, ""


def _reversed(entity: Entity, xref: Xref, term: Term) -> bool:
    """Whether a broad or narrow mapping's labels fit the opposite direction (persistent fever
    narrow to fever: the entity's label holds the term's, so the term is the broader)."""
    if xref.match not in ("broad", "narrow"):
        return False
    opposite = Xref(xref.curie, match=INVERSE_MATCH[xref.match])
    return _label_status(entity, opposite, term)[0]


def check_registry(registry: Registry, reference: Reference, schema: Schema, only: set[str] | None = None,
                   bar: Progress | None = None) -> CheckResult:
    """Every xref of the registry (or of the ``only`` entities) checked against ``reference``
    (``schema``: the entities' classes, for the matches a class allows);
    ``bar`` shows the stages: each vocabulary read, then the entities checked (it is given the
    number of stages; a caller may add its own after)."""
    entities = [e for e in registry.values() if not only or e.id in only]
    wanted = {x.curie for e in entities for x in e.xrefs}
    wanted |= {e.id for e in entities if not ENTITY_ID.match(e.id)}
    bar = bar or Progress("link", enabled=False)
    vocabularies = reference.by_prefix(wanted)
    bar.total = (bar.total or 0) + len(vocabularies) + 1
    terms: dict = {}
    for prefix, curies in vocabularies.items():         # reading a vocabulary can take seconds
        bar.step(f"link: reading {prefix}")
        terms.update(reference.lookup_many(curies))
        bar.advance()
    bar.step(f"link: checking {len(entities)} entities")
    rows: list[Row] = []
    verified: dict[str, set[str]] = {}
    for entity in entities:
        rows.extend(_check_entity(entity, reference, terms, verified, close_at_best(entity, schema)))
    bar.advance()
    for row in cardinality(registry, rows):
        verified.get(row.entity, set()).discard(row.xref)
    conflicts = find_conflicts(registry, reference, only)
    for row in mark_conflicts(rows, conflicts):
        verified.get(row.entity, set()).discard(row.xref)
    return CheckResult(rows, registry, verified, conflicts)


def mark_conflicts(rows: list[Row], conflicts: list[Conflict]) -> list[Row]:
    """Give each xref its conflicts (:mod:`graphkit.linking.conflicts`): an unsettled one makes
    the row ``conflict``, a settled one is said in its detail; a row that failed already keeps its
    status. Returns the rows marked ``conflict``."""
    by_xref: dict[tuple[str, str], list[Conflict]] = {}
    for conflict in conflicts:
        by_xref.setdefault((conflict.entity, conflict.xref), []).append(conflict)
    marked = []
    for row in rows:
        found = by_xref.get((row.entity, row.xref), [])
        if not found or row.status in FAILING:
            continue
        open_ = [c for c in found if not c.settled]
        if open_:
            row.status = "conflict"
            row.detail = "; ".join(c.detail() for c in open_)
            marked.append(row)
        else:
            row.detail = "; ".join([row.detail] * bool(row.detail) + [c.detail() for c in found])
    return marked


def cardinality(registry: Registry, rows: list[Row]) -> list[Row]:
    """Mark the exact xrefs that break one-to-one: a second exact match of an entity in one
    vocabulary, and an id that is the exact match of two entities (an entity and its own exact
    match, such as a disease and its ICD-10 code node, may share one). Returns the rows marked.

    The registry as a whole is looked at, so checking a few entities still sees the others."""
    wrong = {(row.entity, row.xref) for row in rows if row.status in FAILING}
    owners: dict[str, set[str]] = {}
    for entity in registry.values():
        for xref in entity.xrefs:
            if xref.match == "exact" and (entity.id, xref.curie) not in wrong:
                owners.setdefault(xref.curie, set()).add(entity.id)
    marked = []
    by_prefix: dict[tuple[str, str], list[Row]] = {}
    # rows with a failing status are wrong already; the rest must be one-to-one
    rows = [row for row in rows if row.match == "exact" and row.status not in FAILING]
    for row in rows:
        by_prefix.setdefault((row.entity, row.xref.split(":", 1)[0]), []).append(row)
    for (entity, prefix), group in sorted(by_prefix.items()):
        if len(group) > 1:
            ids = ", ".join(sorted(r.xref for r in group))
            for row in group:
                marked.append(_mark(row, f"{len(group)} exact matches in {prefix} ({ids}): an entity has one; "
                                         "make the others close, broad or narrow by their labels"))
    for row in rows:
        if row.status == "cardinality":
            continue
        others = sorted(other for other in owners.get(row.xref, ()) if other != row.entity
                        and not _exact_pair(registry, row.entity, other))
        if others:
            marked.append(_mark(row, f"also the exact match of {', '.join(others)}: one id, one entity; keep it on "
                                     "the entity whose label it means"))
    return marked


def _exact_pair(registry: Registry, a: str, b: str) -> bool:
    """One entity is an exact match of the other (its registry id is the other's exact xref)."""
    return any(x.curie == b and x.match == "exact" for x in registry[a].xrefs) or \
        any(x.curie == a and x.match == "exact" for x in registry[b].xrefs)


def _mark(row: Row, detail: str) -> Row:
    row.status = "cardinality"
    row.detail = detail
    return row


def _check_entity(entity: Entity, reference: Reference, terms: dict[str, Term], verified,
                  close: set[str]) -> list[Row]:
    """Each xref of ``entity`` checked (and a code node's own id): read against the reference
    data, confirmed by the labels or by a chain from a confirmed xref, then classified (an exact
    match to a vocabulary of ``close``, the prefixes that are a close match at best, contradicts);
    the ids found ``ok`` are added to ``verified`` (entity id -> CURIEs)."""
    rows = [_code_node_row(entity, reference, terms, verified)] if not ENTITY_ID.match(entity.id) else []
    first = _first_pass(entity, reference, terms)
    implied = _chained(reference, first)
    for xref in entity.xrefs:
        row, ok = first[xref.curie]
        if row.status == "ok" and xref.match == "exact" and xref.curie.split(":", 1)[0] in close:
            row.status = "contradiction"
            row.detail = (f"a {xref.curie.split(':', 1)[0]} term is a close match of a {'/'.join(entity.types)} at "
                          "best (an HPO term named like a disease is the phenotype of having it): write match: close")
        if row.status == "ok":
            _classify(entity, xref, row, ok, implied.get(xref.curie), terms, reference)
            if row.status == "ok":
                verified.setdefault(entity.id, set()).add(xref.curie)
        rows.append(row)
    return rows


def _code_node_row(entity: Entity, reference: Reference, terms: dict[str, Term], verified) -> Row:
    """A code node's own id: it must exist and its label be the official title."""
    term = terms.get(entity.id)
    row = Row(entity.id, ",".join(entity.types), entity.id, "self", "manual", "ok", location=str(entity.location))
    if not reference.supports(entity.id.split(":", 1)[0]):
        row.status, row.detail = "unverifiable", "no reference data for this prefix"
    elif term is None:
        row.status, row.detail = "unknown", "not in the reference release"
    else:
        row.reference_label = term.label
        ok, how = _label_status(entity, Xref(entity.id), term)
        if ok:
            row.detail = f"official title ({how})"
            verified.setdefault(entity.id, set()).add(entity.id)
        else:
            row.status, row.detail = "contradiction", "label differs from the official title"
    return row


def _first_pass(entity: Entity, reference: Reference, terms: dict[str, Term]) -> dict[str, tuple[Row, bool]]:
    """CURIE -> (its row, whether its own labels confirm it): unknown, obsolete and unverifiable
    ids are settled here; the confirmed ones may corroborate the others."""
    first: dict[str, tuple[Row, bool]] = {}
    for xref in entity.xrefs:
        row = Row(entity.id, ",".join(entity.types), xref.curie, xref.match, xref.justification, "ok",
                  location=str(xref.location or entity.location))       # the xref's own line
        prefix = xref.curie.split(":", 1)[0]
        term = terms.get(xref.curie)
        if not reference.supports(prefix):
            row.status = "unverified" if xref.unverified else "unverifiable"
            row.detail = xref.note if xref.unverified else f"no reference data for {prefix}: mark it unverified with a note"
            first[xref.curie] = (row, False)
            continue
        if term is None:
            row.status = "unverified" if xref.unverified else "unknown"
            row.detail = xref.note if xref.unverified else "id not in the reference data" + (
                "" if reference.is_complete(prefix) else
                f" (which holds the {prefix} ids {reference.vocabulary(prefix).spec.version} only; a real id outside them: "
                "mark it unverified with a note)")
            first[xref.curie] = (row, False)
            continue
        row.reference_label = term.label
        if term.obsolete:
            row.status = "obsolete"
            row.detail = f"obsolete; use {term.replaced_by}" if term.replaced_by else "obsolete term"
            first[xref.curie] = (row, False)
            continue
        ok, how = _label_status(entity, xref, term)
        if ok:
            row.detail = f"{how} matches" if how in ("label", "synonym") else how
        elif xref.match == "exact" and xref.note:
            ok, row.detail = True, f"curated exact match: {xref.note}"
        first[xref.curie] = (row, ok)
    return first


def _chained(reference: Reference, first: dict[str, tuple[Row, bool]]) -> dict[str, tuple[str, str]]:
    """CURIE -> (match, how) that a chain from a confirmed xref implies, to a fixpoint: an id
    confirmed through a chain (``first`` updated) confirms others in turn."""
    implied: dict[str, tuple[str, str]] = {}
    expanded: set[str] = set()
    while True:
        todo = [c for c, (row, ok) in first.items() if ok and c not in expanded
                and (row.match == "exact" or c.startswith("MONDO:"))]
        if not todo:
            return implied
        for curie in todo:
            expanded.add(curie)
            for target, value in chain_targets(reference, curie, first[curie][0].match).items():
                implied.setdefault(target, value)
        for curie, (row, ok) in first.items():
            chain = implied.get(curie)
            if not ok and row.status == "ok" and chain and chain[0] == row.match != "exact":
                first[curie] = (row, True)
                row.detail = f"via {chain[1]}"


def _classify(entity: Entity, xref: Xref, row: Row, ok: bool, chain: tuple[str, str] | None,
              terms: dict[str, Term], reference: Reference) -> None:
    """The final status and detail of an xref the first pass left ``ok``, from its own labels
    (``ok``), the chain that implies it (``chain``), its note and its justification."""
    if not ok and chain and xref.match == "exact" and chain[0] == "exact":
        row.status = "chain-only"
        row.detail = (f"exact only by chaining via {chain[1]}; the reference label "
                      f"{terms[xref.curie].label!r} is none of the entity's names: make it close, broad or "
                      "narrow by the labels, or say in a note why they mean the same")
    elif not ok and chain and xref.note:
        row.detail = f"curated {xref.match} match: {xref.note}; {chain[1]} implies {chain[0]}Match"
    elif not ok and chain:
        row.status = "review"
        row.detail = f"{chain[1]} implies {chain[0]}Match, the registry says {xref.match}"
    elif ok and chain and chain[0] != xref.match:
        row.detail += f"; {chain[1]} implies {chain[0]}Match"
    elif not ok:
        term = terms[xref.curie]
        if xref.match == "exact":
            row.status = "contradiction"
            row.detail = ("names of the terms mapped to it" if term.derived_label else "reference label") \
                + " match none of the entity's names"
        elif xref.note:
            row.detail = f"curated {xref.match} match: {xref.note}"
        elif _reversed(entity, xref, term):
            other = INVERSE_MATCH[xref.match]
            row.status = "contradiction"
            row.detail = (f"the labels say the other way round: {other} (the "
                          + ("term's label holds the entity's" if other == "narrow" else "entity's label holds the term's")
                          + f"): write match: {other}")
        else:
            row.status = "review"
            row.detail = f"{xref.match} match without corroboration or note: confirm it"
    problem = justification_problem(entity, xref, reference) if row.status in ("ok", "review") else ""
    if problem:
        row.status, row.detail = "justification", problem
    if xref.unverified and row.status in ("ok", "review"):
        row.detail += "; verifiable: drop 'unverified'"
