"""The registry's cross-references as an SSSOM mapping set (TSV with a YAML metadata header).

One row per xref: subject = the entity (``gke:jmml``, or the code CURIE for ICD-10 code nodes),
with its source on the row (``subject_source``: ``graphkit:all``, the release, for an entity of
graphkit's own; for a code node, the import module that holds the codes of its vocabulary,
``graphkit:imports/icd10cm``: the identifier is ICD-10-CM's, not the release's; and that
source's version). The set states no ``subject_source`` of its own: SSSOM propagates a set's
value to every row unless some row has its own, and the sources differ by row.
predicate = the SKOS match, object = the external id with its label from the reference data
(where the reference data has one: MeSH, UMLS and SNOMED CT ids have none offline; OMIM's titles
are not republished),
justification = ``semapv:ManualMappingCuration`` / ``semapv:LexicalMatching`` /
``semapv:MappingChaining`` (via MONDO). Provenance:

- ``author_label``: the project's curators, who asserted every mapping in the registry (no
  ORCID: none is on record, and none is made up); the set's ``creator_label`` the same;
- ``reviewer_label``: the curators, on the rows a tool proposed and a curator accepted
  (lexical matches from ``graphkit link --suggest``, chained ones from ``link --propagate``);
  ``mapping_tool`` names that command, ``mapping_tool_version`` graphkit's version;
- ``mapping_date``: the day since which the committed registry has stated the xref as it is
  (:mod:`graphkit.linking.history`: its match, justification and note, not the rest of its line;
  empty for an xref changed since the last commit, or outside a git checkout);
- chained rows name their intermediate: ``comment`` says which MONDO xref of the entity and
  which Mondo mapping set (with its predicate) give the object, and ``see_also`` is that mapping
  set's versioned IRI.

Unverified xrefs carry ``comment: unverified: <note>``. Rows are sorted, and nothing depends on
the clock, so the file is the same for the same commit.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from loaders.registry import JUSTIFICATIONS as CURATED_JUSTIFICATIONS, MATCHES, Entity, Registry, Xref
from graphkit.config import ImportModule
from graphkit.namespaces import BASE, CONVERTER, ENTITY_ID, GKE
from graphkit.project import Project

from .check import mondo_chains
from .history import xref_dates
from .reference import VOCABULARIES, Mapped, Reference

PREDICATES = {match: f"skos:{name}" for match, name in MATCHES.items()}
JUSTIFICATIONS = {justification: f"semapv:{name}" for justification, name in CURATED_JUSTIFICATIONS.items()}
# Vocabularies whose titles the release does not republish: OMIM's come under OMIM's own terms of
# use (no import module holds them either: docs/linking.md); their rows name the id alone, as MeSH,
# UMLS and SNOMED CT rows do for want of a label offline.
LABELS_NOT_REPUBLISHED = frozenset({"OMIM", "OMIMPS"})
# The command that proposes the xrefs of a justification (a curator then accepts them).
TOOLS = {"lexical": "graphkit link --suggest", "via_mondo": "graphkit link --propagate"}
COLUMNS = ["subject_id", "subject_label", "subject_source", "subject_source_version", "predicate_id", "object_id", "object_label", "object_source_version",
           "mapping_justification",
           "author_label", "reviewer_label", "mapping_date", "mapping_tool", "mapping_tool_version", "see_also",
           "comment"]
FIXED_PREFIXES = {"gke": str(GKE), "graphkit": BASE, "skos": "http://www.w3.org/2004/02/skos/core#",
                  "semapv": "https://w3id.org/semapv/vocab/"}
CURATORS = "graphkit curators"
# The release ontology, the source of every subject of graphkit's own (gke:...).
RELEASE_SOURCE = "graphkit:all"


def _description(object_prefixes: set[str]) -> str:
    """What the set holds and what its objects were checked against: the reference data of each
    vocabulary its rows use (the vocabulary's terms, or the ids Mondo's mapping sets and DO's
    xrefs know)."""
    def titles(found):
        return "; ".join(sorted((VOCABULARIES[p].title for p in object_prefixes if found(p)), key=str.lower))

    checked = titles(lambda p: p in VOCABULARIES and VOCABULARIES[p].kind is not Mapped)
    known = titles(lambda p: p in VOCABULARIES and VOCABULARIES[p].kind is Mapped)
    text = ("Every xref of the graphkit entity registry (ontology/curation/entities/*.yaml), checked offline by "
            f"graphkit link --check against the terms of {checked}")
    if known:
        text += f"; and against the ids of {known} known from Mondo's mapping sets and DO's xrefs"
    others = sorted(p for p in object_prefixes if p not in VOCABULARIES)
    if others:
        text += f"; {', '.join(others)} ids have no reference data here (each such row says 'unverified')"
    return text + "."


def chain_of(entity: Entity, xref: Xref, reference: Reference) -> tuple[str, str, str] | None:
    """For an xref found through MONDO: (the entity's MONDO xref it came through, the Mondo
    mapping set that maps that term to the object, that set's predicate); the one whose
    composition gives the xref's own predicate first, then in id order. None if no MONDO xref of
    the entity is mapped to it. (A curator may have re-judged the predicate by the labels: Mondo
    maps acute myeloid leukemia exactly to ICD10CM:C92.0, the registry says narrow.)"""
    found = [(composed != xref.match, source.curie, row["mapping_set"], row["predicate_id"])
             for source, row, composed in mondo_chains(entity, xref.curie, reference)]
    return min(found)[1:] if found else None


def object_source_version(reference: Reference, curie: str) -> str:
    """The release of the reference data ``curie`` was checked against (``2026-08-04`` for a MONDO
    id, hp.obo's data-version for an HP id): "" for an id known only from Mondo's mapping sets and
    DO's xrefs (NCIT, ORPHA, OMIM, MeSH, UMLS, SNOMED CT), whose version is not their source's."""
    prefix = curie.split(":", 1)[0]
    return "" if VOCABULARIES[prefix].kind is Mapped else reference.vocabulary(prefix).version


def subject_source(subject: str, release_version: str, modules: dict[str, str],
                   reference: Reference | None) -> tuple[str, str]:
    """(subject_source, subject_source_version) of a row's subject: the release for ``gke:...``;
    for an external id (an ICD-10-CM code node), the import module of its vocabulary and the
    release of the reference data its code and title were checked against; ("", "") for an id
    of a vocabulary no import module holds (none is made up)."""
    if subject.startswith("gke:"):
        return RELEASE_SOURCE, release_version
    prefix = subject.split(":", 1)[0]
    if prefix not in modules:
        return "", ""
    spec_version = VOCABULARIES[prefix].version if prefix in VOCABULARIES else ""
    return (f"graphkit:imports/{modules[prefix]}",
            reference.vocabulary(prefix).version if reference and prefix in VOCABULARIES else spec_version)


def mapping_rows(registry: Registry, reference: Reference | None = None, version: str = "",
                 dates: dict[tuple[str, str], str] | None = None, release_version: str = "",
                 modules: dict[str, str] | None = None) -> list[dict]:
    """The rows; ``version``: graphkit's (its tools' rows); ``release_version``: the release's,
    the version of the subjects of graphkit's own; ``modules``: import module id by the prefix
    of the ids it holds (the sources of the other subjects)."""
    xrefs = [(e, x) for e in registry.values() for x in e.xrefs]
    terms = reference.lookup_many({x.curie for _, x in xrefs}) if reference else {}
    dates = dates or {}
    rows = []
    for entity, xref in xrefs:
        term = terms.get(xref.curie)
        comments = [f"unverified: {xref.note}" if xref.unverified else xref.note]
        see_also = ""
        # A chained xref names its chain; a curator's xref that a chain also reaches names it too.
        chain = chain_of(entity, xref, reference) if reference and xref.justification != "lexical" else None
        if chain:
            via, mapping_set, predicate = chain
            see_also = reference.mapping_set_version(mapping_set)
            match = next(x.match for x in entity.xrefs if x.curie == via)
            how = "chained via" if xref.justification == "via_mondo" else "reached via"
            comments.insert(0, f"{how} {via}: the entity's {match} match {via}, mapped to {xref.curie} by "
                            f"{predicate} in Mondo's mapping set {mapping_set}"
                            + ("" if xref.justification == "via_mondo" else f"; the {xref.match} match is a curator's"))
        tool = TOOLS.get(xref.justification, "")
        subject = f"gke:{entity.id}" if ENTITY_ID.match(entity.id) else entity.id
        source, source_version = subject_source(subject, release_version, modules or {}, reference)
        rows.append({
            "subject_id": subject,
            "subject_label": entity.label,
            "subject_source": source,
            "subject_source_version": source_version,
            "predicate_id": PREDICATES[xref.match],
            "object_id": xref.curie,
            "object_label": term.label if term and not term.derived_label
            and xref.curie.split(":", 1)[0] not in LABELS_NOT_REPUBLISHED else "",
            "object_source_version": object_source_version(reference, xref.curie) if term else "",
            "mapping_justification": JUSTIFICATIONS[xref.justification],
            "author_label": CURATORS,
            "reviewer_label": CURATORS if tool else "",
            "mapping_date": dates.get((entity.id, xref.curie), ""),
            "mapping_tool": tool,
            "mapping_tool_version": version if tool else "",
            "see_also": see_also,
            "comment": "; ".join(c for c in comments if c),
        })
    return sorted(rows, key=lambda r: (r["subject_id"], r["object_id"], r["predicate_id"]))


def _yaml_scalar(text: str) -> str:
    if any(c in text for c in ":#'\"") and not text.startswith("http"):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f'"{text}"' if text.endswith(":") else text


def render(registry: Registry, reference: Reference | None, version: str, license: str,
           root: Path | None = None, tool_version: str = "", cache: Path | None = None,
           imports: tuple[ImportModule, ...] | None = None) -> str:
    """The mapping set as SSSOM/TSV text. ``version`` and ``license`` are the release's
    (ontology/release.yaml), so the mappings state the licence all.ttl states; ``tool_version`` is
    graphkit's, on the rows its linking tools proposed. ``root``: the project folder, for the
    mapping dates (the git history of the registry files); without it the dates are left empty.
    ``cache``: the project's cache directory, where the history's reading is kept. ``imports``:
    the release's import modules (ontology/release.yaml; read from ``root`` when not given), the
    sources of the subjects that are not graphkit's own ids."""
    dates = xref_dates(root, registry.values(), cache) if root else {}
    if imports is None:
        imports = Project(root).config.imports if root else ()
    rows = mapping_rows(registry, reference, tool_version or version, dates, version,
                        {module.prefix: module.id for module in imports})
    prefixes = dict(FIXED_PREFIXES)
    for row in rows:
        for key in ("subject_id", "object_id"):
            prefix = row[key].split(":", 1)[0]
            if prefix not in prefixes:
                prefixes[prefix] = CONVERTER.expand(f"{prefix}:x")[:-1]
    header = ["curie_map:"] + [f"  {p}: {_yaml_scalar(prefixes[p])}" for p in sorted(prefixes, key=str.lower)]
    header += [
        f"mapping_set_id: {BASE}mappings/graphkit.sssom.tsv",
        f"mapping_set_title: {_yaml_scalar('graphkit: cross-references of the pediatric leukemia knowledge graph')}",
        "mapping_set_description: " + _yaml_scalar(_description({row["object_id"].split(":", 1)[0] for row in rows})),
        f"license: {license}",
        "creator_label:",
        f"  - {CURATORS}",
        # no subject_source here: each row names its own (the release, or an import module)
        "mapping_provider: https://w3id.org/graphkit/",
    ]
    if version:
        header += [f"mapping_set_version: {_yaml_scalar(version)}"]
    out = io.StringIO()
    for line in header:
        out.write(f"# {line}\n")
    writer = csv.DictWriter(out, COLUMNS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
