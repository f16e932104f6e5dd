"""The parsed reference data kept between runs reads back as what the sources parse to."""

from __future__ import annotations

import pytest

from graphkit.linking import reference as reference_module
from graphkit.linking.parsedcache import ParsedCache
from graphkit.linking.reference import Reference

TABLES = ("mondo_terms.tsv.gz", "doid_terms.tsv.gz", "hgnc_genes.tsv.gz", "chebi_terms.tsv.gz",
          "symp_terms.tsv.gz", "imported_terms.tsv.gz", "mondo_mappings.tsv.gz")


@pytest.fixture
def fresh(monkeypatch):
    """A function giving a Reference that has read nothing yet in this process."""
    def make(cache_dir=None):
        monkeypatch.setattr(Reference, "_shared", {"_vocabularies": {}, "_tables": {}, "parsed": ParsedCache(None)})
        return Reference(cache_dir)
    return make


def contents(reference: Reference) -> dict:
    return {"hpo": (reference.vocabulary("HP").version, reference.vocabulary("HP").terms),
            "icd10cm": reference.vocabulary("ICD10CM")._tabular,
            **{name: reference.table(name) for name in TABLES}}


@pytest.mark.slow
def test_a_second_run_reads_the_parses_back_as_they_were(fresh, tmp_path, monkeypatch):
    written = contents(fresh(tmp_path))                         # parsed and kept
    kept = sorted(p.name.rsplit("-", 1)[0] for p in tmp_path.iterdir())
    assert kept == sorted(["hpo", "icd10cm", *TABLES])

    def no_parse(*args):
        raise AssertionError("parsed again")
    for parse in ("read_table", "_hpo", "_icd_tabular"):
        monkeypatch.setattr(reference_module, parse, no_parse)
    again = contents(fresh(tmp_path))                           # read back, nothing parsed
    assert written == again
    assert again["hpo"][1]["HP:0001945"].label == "Fever"
    assert again["icd10cm"]["C93.32"] == ["Juvenile myelomonocytic leukemia, in relapse", "C93.3", "subcategory"]


def test_a_damaged_or_stale_parse_is_made_anew(tmp_path):
    calls = []

    def parse():
        calls.append(1)
        return {"rows": [["a", "b"]]}
    source = tmp_path / "source.tsv"
    source.write_text("a\tb\n")
    cache = ParsedCache(tmp_path / "cache")
    kept = cache.path("demo", source)
    assert cache.get("demo", source, parse) == {"rows": [["a", "b"]]} and kept.exists()
    kept.write_text('{"rows": [["a"')                            # a write cut short
    assert cache.get("demo", source, parse) == {"rows": [["a", "b"]]} and len(calls) == 2
    source.write_text("a\tb\tc\n")                               # the source changed: another key
    assert cache.path("demo", source) != kept
    cache.get("demo", source, parse)
    assert len(calls) == 3 and [p.name for p in (tmp_path / "cache").iterdir()] == [cache.path("demo", source).name]


def test_a_cache_directory_that_cannot_be_written_only_costs_time(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    source = tmp_path / "source.tsv"
    source.write_text("x\n")
    assert ParsedCache(blocked / "reference").get("demo", source, lambda: [1, 2]) == [1, 2]
