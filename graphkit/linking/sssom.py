"""The registry's cross-references as an SSSOM mapping set (TSV with a YAML metadata header).

One row per xref: subject = the entity (``gke:jmml``, or the code CURIE for ICD-10 code nodes),
predicate = the SKOS match, object = the external id with its label from the reference data,
justification = ``semapv:ManualMappingCuration`` / ``semapv:LexicalMatching`` /
``semapv:MappingChaining`` (via MONDO). Unverified xrefs carry ``comment: unverified: <note>``.
Rows are sorted, and nothing time-dependent is written, so the file is deterministic.
"""

from __future__ import annotations

import csv
import io

from loaders.registry import Registry
from graphkit.namespaces import BASE, CONVERTER, ENTITY_ID, GKE

from .reference import Reference

PREDICATES = {"exact": "skos:exactMatch", "close": "skos:closeMatch", "broad": "skos:broadMatch",
              "narrow": "skos:narrowMatch", "related": "skos:relatedMatch"}
JUSTIFICATIONS = {"manual": "semapv:ManualMappingCuration", "lexical": "semapv:LexicalMatching",
                  "via_mondo": "semapv:MappingChaining"}
COLUMNS = ["subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification",
           "comment"]
FIXED_PREFIXES = {"gke": str(GKE), "skos": "http://www.w3.org/2004/02/skos/core#",
                  "semapv": "https://w3id.org/semapv/vocab/"}


def mapping_rows(registry: Registry, reference: Reference | None = None) -> list[dict]:
    xrefs = [(e, x) for e in registry.values() for x in e.xrefs]
    terms = reference.lookup_many({x.curie for _, x in xrefs}) if reference else {}
    rows = []
    for entity, xref in xrefs:
        term = terms.get(xref.curie)
        comment = f"unverified: {xref.note}" if xref.unverified else xref.note
        rows.append({
            "subject_id": f"gke:{entity.id}" if ENTITY_ID.match(entity.id) else entity.id,
            "subject_label": entity.label,
            "predicate_id": PREDICATES[xref.match],
            "object_id": xref.curie,
            "object_label": term.label if term and not term.derived_label else "",
            "mapping_justification": JUSTIFICATIONS[xref.justification],
            "comment": comment,
        })
    return sorted(rows, key=lambda r: (r["subject_id"], r["object_id"], r["predicate_id"]))


def _yaml_scalar(text: str) -> str:
    if any(c in text for c in ":#'\"") and not text.startswith("http"):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f'"{text}"' if text.endswith(":") else text


def render(registry: Registry, reference: Reference | None, version: str, license: str) -> str:
    """The mapping set as SSSOM TSV; ``version`` and ``license`` are the release's (ontology/release.yaml),
    so the mappings state the licence all.ttl states."""
    rows = mapping_rows(registry, reference)
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
        "mapping_set_description: " + _yaml_scalar(
            "Every xref of the graphkit entity registry (ontology/curation/entities/*.yaml), checked offline by "
            "graphkit link --check against MONDO, DO, HPO, ICD-10-CM, WHO ICD-10, UNII, ChEBI and HGNC reference data."),
        f"license: {license}",
        f"subject_source: {BASE}entity/",
        "mapping_provider: https://w3id.org/graphkit/",
    ]
    if version:
        header.append(f"mapping_set_version: {_yaml_scalar(version)}")
    out = io.StringIO()
    for line in header:
        out.write(f"# {line}\n")
    writer = csv.DictWriter(out, COLUMNS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
