"""Smoke tests of the OWL API fixture: OwlReport (OWL API 5 + HermiT) on tiny ontologies gives
the exact axiom counts, unparsed triples, OWL 2 DL profile violations and consistency."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

OWL = Path(__file__).parent / "data" / "owl"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@pytest.fixture(scope="module")
def tiny(owlapi):
    return owlapi.report([OWL / "tiny.ttl"], imports=[OWL / "imports"])


def test_reified_statement_triples_are_unparsed(tiny):
    [file] = tiny["files"]
    assert (file["triples"], file["axioms"], file["unparsed_triples"]) == (19, 14, 3)
    assert file["unparsed_by_predicate"] == {f"<{RDF}{p}>": 1 for p in ("object", "predicate", "subject")}


def test_imports_resolve_offline_from_the_imports_folder(tiny):
    [file] = tiny["files"]
    assert file["imports"] == ["https://example.org/upper"]
    assert (file["imports_closure"], file["missing_imports"]) == (2, [])
    assert tiny["axioms"] == 15            # the upper ontology's class declaration merged in


def test_axiom_types_of_the_merged_closure(tiny):
    assert tiny["axiom_types"] == {"AnnotationAssertion": 1, "ClassAssertion": 2, "DataPropertyAssertion": 1,
                                   "Declaration": 7, "ObjectPropertyAssertion": 1, "ObjectPropertyDomain": 1,
                                   "ObjectPropertyRange": 1, "SubClassOf": 1}
    assert tiny["datatypes"] == {"http://www.w3.org/2001/XMLSchema#gYear": 1,
                                 "http://www.w3.org/2001/XMLSchema#string": 1}


def test_profile_violations_by_kind(tiny):
    profile = tiny["profile"]
    assert (profile["in_profile"], profile["violations"]) == (False, 3)
    assert {kind: v["count"] for kind, v in profile["by_kind"].items()} == {
        "UseOfDefinedDatatypeInLiteral": 1, "UseOfUndeclaredAnnotationProperty": 1, "UseOfUndeclaredDatatype": 1}
    [example] = profile["by_kind"]["UseOfUndeclaredAnnotationProperty"]["examples"]
    assert example.startswith("Use of undeclared annotation property: <http://purl.org/dc/terms/source>")


def test_hermit_refuses_gyear_then_finds_it_consistent(tiny):
    reasoner = tiny["reasoner"]
    assert "http://www.w3.org/2001/XMLSchema#gYear' is not part of the OWL 2 datatype map" in reasoner["strict_error"]
    assert (reasoner["consistent"], reasoner["ignored_unsupported_datatypes"], reasoner["timed_out"]) == (True, True, False)


def test_inconsistent_ontology_and_a_missing_import(owlapi):
    report = owlapi.report([OWL / "inconsistent.ttl"], imports=[OWL / "imports"])
    [file] = report["files"]
    assert file["missing_imports"] == ["https://example.org/nowhere"]       # reported, never fetched
    assert report["profile"]["violations"] == 0
    assert report["reasoner"]["consistent"] is False


def test_two_files_with_one_ontology_iri_are_reported_as_a_clash(owlapi, tmp_path):
    copy = tmp_path / "copy.ttl"
    copy.write_bytes((OWL / "tiny.ttl").read_bytes())
    report = owlapi.report([OWL / "tiny.ttl", copy], imports=[OWL / "imports"], reasoner="none")
    assert report["ontology_iri_clashes"] == {"https://example.org/onto": [str(OWL / "tiny.ttl"), str(copy)]}
    assert report["axioms"] == 15


# The evidence-model experiment of docs/engines-findings.md: which shapes the OWL API keeps as
# annotations on the axiom (two evidence nodes on one object property assertion stay two annotated
# copies of it; one on a data property assertion).
EVIDENCE_SHAPES = {       # file: (unparsed triples, DL profile violations, annotated axioms)
    "today": (8, 1, 0),
    "axiom-iri": (0, 0, 0),          # annotatedSource/Property/Target on an IRI: dropped, silently
    "axiom-blank": (0, 0, 3),
    "axiom-reference": (0, 0, 3),
}


@pytest.mark.parametrize("shape", sorted(EVIDENCE_SHAPES))
def test_evidence_shapes(owlapi, shape):
    report = owlapi.report([OWL / "evidence" / f"{shape}.ttl"], show_annotated=5)
    [file] = report["files"]
    annotated = sum(report["annotated_axioms"].values())
    assert (file["unparsed_triples"], report["profile"]["violations"], annotated) == EVIDENCE_SHAPES[shape]
    assert report["reasoner"]["consistent"] is True
    if annotated:
        assert report["annotated_axioms"] == {"DataPropertyAssertion": 1, "ObjectPropertyAssertion": 2}
