#!/usr/bin/env python3
"""Regenerate graphkit/data/biolink/biolink_model.json from the Biolink Model YAML of the
``biolink-model`` package (a test extra; graphkit itself does not depend on it, nor on its
LinkML runtime).

    .venv/bin/python tools/vendor_biolink.py [--to graphkit/data/biolink/biolink_model.json]

What is kept: for every class, its parent (``is_a``), mixins, whether it is a mixin, abstract or
deprecated, and its ``id_prefixes`` in order; for every predicate (the slots under
``related to``), its parent, inverse, domain and range, whether it is a mixin, abstract,
deprecated, symmetric or canonical (``annotations: canonical_predicate``); the IRI prefix of each
id prefix of a class (the package's ``biolink_model_prefix_map.json``). One line per class and
predicate, false and empty values left out. Class names are written as Biolink CURIEs write
them (``DiseaseOrPhenotypicFeature``), predicates in snake case (``treated_by``). Output is
deterministic (sorted keys). The test ``tests/test_biolink.py`` checks that the file equals
what this script makes from the installed package.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "graphkit" / "data" / "biolink" / "biolink_model.json"


def camel(name: str) -> str:
    """Biolink's class name in a CURIE: 'disease or phenotypic feature' -> 'DiseaseOrPhenotypicFeature'."""
    return "".join(word[:1].upper() + word[1:] for word in name.split(" "))


def snake(name: str) -> str:
    return name.replace(" ", "_")


def model_package() -> Path:
    """The folder of the installed ``biolink_model`` package."""
    spec = importlib.util.find_spec("biolink_model")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("the biolink-model package is not installed (it is in the test extras)")
    return Path(list(spec.submodule_search_locations)[0])


def slice_of(model: dict, prefix_map: dict) -> dict:
    classes, slots = model["classes"], model["slots"]
    out_classes = {}
    # 'KnowledgeGraph' and 'knowledge graph' are two classes with one CURIE name: the spaced one wins.
    for name in sorted(classes, key=lambda n: (" " in n, n)):
        spec = classes[name] or {}
        out_classes[camel(name)] = compact({
            "is_a": camel(spec["is_a"]) if spec.get("is_a") else None,
            "mixins": [camel(m) for m in spec.get("mixins") or []],
            "mixin": bool(spec.get("mixin")), "abstract": bool(spec.get("abstract")),
            "deprecated": bool(spec.get("deprecated")), "id_prefixes": list(spec.get("id_prefixes") or []),
        })
    predicates = {}

    def under_related_to(name: str) -> bool:
        while name:
            if name == "related to":
                return True
            name = (slots.get(name) or {}).get("is_a")
        return False

    for name, spec in slots.items():
        spec = spec or {}
        if not under_related_to(name):
            continue
        predicates[snake(name)] = compact({
            "is_a": snake(spec["is_a"]) if spec.get("is_a") else None,
            "inverse": snake(spec["inverse"]) if spec.get("inverse") else None,
            "domain": camel(spec["domain"]) if spec.get("domain") else None,
            "range": camel(spec["range"]) if spec.get("range") else None,
            "mixin": bool(spec.get("mixin")), "abstract": bool(spec.get("abstract")),
            "deprecated": bool(spec.get("deprecated")), "symmetric": bool(spec.get("symmetric")),
            "canonical": bool((spec.get("annotations") or {}).get("canonical_predicate")),
        })
    id_prefixes = {p for c in out_classes.values() for p in c.get("id_prefixes", ())}
    return {"name": model["name"], "version": str(model["version"]), "license": model["license"],
            "source": f"biolink-model {model['version']} (PyPI package): schema/biolink_model.yaml, "
                      "prefixmaps/biolink_model_prefix_map.json",
            "prefixes": {p: prefix_map[p] for p in sorted(id_prefixes) if p in prefix_map},
            "classes": out_classes, "predicates": predicates}


def compact(spec: dict) -> dict:
    """Without the false, empty and missing values (absent means false, empty or none)."""
    return {k: v for k, v in spec.items() if v not in (None, False, [])}


def render(package: Path | None = None) -> str:
    package = package or model_package()
    model = yaml.safe_load((package / "schema" / "biolink_model.yaml").read_text(encoding="utf-8"))
    prefix_map = json.loads((package / "prefixmaps" / "biolink_model_prefix_map.json").read_text(encoding="utf-8"))
    data = slice_of(model, prefix_map)
    lines = [f" {json.dumps(k)}: {json.dumps(data[k], ensure_ascii=False)}," for k in ("license", "name", "prefixes",
                                                                                         "source", "version")]
    for table in ("classes", "predicates"):
        rows = [f"  {json.dumps(name)}: {json.dumps(spec, sort_keys=True, ensure_ascii=False)}"
                for name, spec in sorted(data[table].items())]
        lines.append(f" {json.dumps(table)}: {{\n" + ",\n".join(rows) + "\n },")
    lines[-1] = lines[-1].rstrip(",")
    return "{\n" + "\n".join(lines) + "\n}\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--to", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    args.to.parent.mkdir(parents=True, exist_ok=True)
    args.to.write_text(render(), encoding="utf-8")
    print(f"wrote {args.to}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
