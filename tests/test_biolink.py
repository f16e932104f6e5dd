"""The vendored Biolink Model slice is what tools/vendor_biolink.py makes from the installed
``biolink-model`` package, and reads the model the way the Biolink YAML states it."""

import importlib.util

import pytest

from graphkit.biolink import DATA, Model

from .conftest import ROOT


def _vendor_tool():
    spec = importlib.util.spec_from_file_location("vendor_biolink", ROOT / "tools" / "vendor_biolink.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_vendored_slice_is_the_packages_model():
    pytest.importorskip("biolink_model")
    assert DATA.read_text(encoding="utf-8") == _vendor_tool().render(), \
        "graphkit/data/biolink/biolink_model.json is stale: run tools/vendor_biolink.py"


def test_categories_and_predicates_as_biolink_states_them():
    model = Model.load()
    # mixins, abstract classes and non-things are no categories
    assert [c for c in ("Disease", "PhenotypicFeature", "Drug", "Procedure", "Cohort", "ClinicalCourse")
            if not model.is_category(c)] == []
    assert [c for c in ("Outcome", "StudyResult", "ChemicalOrDrugOrTreatment", "Association", "InformationContentEntity")
            if model.is_category(c)] == []
    # a predicate and its canonical inverse; mixins are refused on edges in either direction
    assert model.edge_predicate("has_phenotype") == ("has_phenotype", False)
    assert model.edge_predicate("phenotype_of") == ("has_phenotype", True)
    assert model.edge_predicate("caused_by") == ("causes", True)
    assert model.edge_predicate("can_be_carried_out_by") == ("capable_of", True)
    assert model.edge_predicate("treated_by") is None and model.edge_predicate("treats") is None
    assert model.edge_predicate("coexists_with") == ("coexists_with", False)      # symmetric
    assert model.edge_predicate("no_such_predicate") is None
    # domains and ranges, inherited from the parent predicate, read with mixins
    assert model.domain("expressed_in") == "GeneOrGeneProduct" and model.range("expressed_in") == "AnatomicalEntity"
    assert model.domain("applied_to_treat") == "ChemicalOrDrugOrTreatment"
    assert model.fits("applied_to_treat", "Drug", "Disease") == (True, True)
    assert model.fits("applied_to_treat", "Procedure", "Cohort") == (False, False)
    assert "OntologyClass" in model.ancestors("Disease") and "OntologyClass" not in model.ancestors("DiagnosticAid")
    assert model.preferred_prefixes("Gene")[:3] == ["NCBIGene", "ENSEMBL", "HGNC"]
    assert model.preferred_prefixes("Cohort") == [] and model.preferred_prefixes("Treatment") == []   # not inherited
