#!/usr/bin/env python3
"""Regenerate tests/fixtures/vocabulary_labels.tsv: the rdfs:label each standard
vocabulary the schema declares terms of publishes for its terms (Dublin Core terms, SKOS, PROV-O,
Web Annotation, VANN, FOAF), from their RDF as the ``@zazuko/rdf-vocabularies`` npm package ships
it (``npm pack @zazuko/rdf-vocabularies``, then unpack it):

    .venv/bin/python tools/vendor_vocabulary_labels.py --from package/ontologies

The schema gives each standard term it declares the label its vocabulary publishes;
tests/test_schema.py checks them against this table. Output is sorted: the same input gives the
same bytes.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphkit.namespaces import TURTLE_PREFIXES  # noqa: E402

VOCABULARIES = {prefix: TURTLE_PREFIXES[prefix] for prefix in ("dcterms", "skos", "prov", "oa", "vann", "foaf")}
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", type=Path, required=True,
                        help="the package's ontologies/ folder (one N-Quads file per prefix)")
    parser.add_argument("--to", type=Path, default=ROOT / "tests" / "fixtures" / "vocabulary_labels.tsv")
    args = parser.parse_args(argv)
    rows = set()
    for prefix, namespace in VOCABULARIES.items():
        store = ox.Store()
        store.load(path=str(args.source / f"{prefix}.nq"), format=ox.RdfFormat.N_QUADS)
        for quad in store.quads_for_pattern(None, LABEL, None):
            term, label = quad.subject, quad.object
            if isinstance(term, ox.NamedNode) and term.value.startswith(namespace) and isinstance(label, ox.Literal):
                rows.add((term.value, label.value, label.language or ""))
    with args.to.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["iri", "label", "language"])
        writer.writerows(sorted(rows))
    print(f"{args.to}: {len(rows)} labels", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
