"""The hand-edited OWL schema: documented terms, sound characteristics, verified alignments."""

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graphkit.namespaces import BIOLINK, GK
from graphkit.schema import Schema


@pytest.fixture(scope="module")
def schema_graph(project):
    return Graph().parse(project.schema_file, format="turtle")


def _terms(graph, kind):
    return [t for t in graph.subjects(RDF.type, kind) if str(t).startswith(str(GK))]


def test_every_class_and_property_is_labelled_and_defined(schema_graph):
    terms = (_terms(schema_graph, OWL.Class) + _terms(schema_graph, OWL.ObjectProperty)
             + _terms(schema_graph, OWL.DatatypeProperty))
    assert len(terms) > 100
    for term in terms:
        assert schema_graph.value(term, RDFS.label), f"{term} has no label"
        assert schema_graph.value(term, SKOS.definition), f"{term} has no definition"


def test_each_standard_term_has_the_label_its_vocabulary_publishes(schema_graph):
    """ROBOT's missing_label rule listed 42 Dublin Core, SKOS, Web Annotation, PROV, VANN and FOAF
    terms the schema declares: each now has its vocabulary's own label (tests/fixtures/
    vocabulary_labels.tsv, from the vocabularies' RDF: tools/vendor_vocabulary_labels.py), the two
    SKOS properties graphkit names for its pages excepted; no declared term is without a label."""
    import csv

    from rdflib import Literal

    with (Path(__file__).parent / "fixtures" / "vocabulary_labels.tsv").open(encoding="utf-8", newline="") as f:
        published = {row["iri"]: Literal(row["label"], lang=row["language"] or None)
                     for row in csv.DictReader(f, delimiter="\t")}
    own = {SKOS.altLabel: "synonym", SKOS.definition: "definition"}
    declared = {t for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
                for t in schema_graph.subjects(RDF.type, kind) if isinstance(t, URIRef)}
    standard = sorted(t for t in declared if not str(t).startswith(str(GK)) and not str(t).startswith(str(BIOLINK)))
    assert len(standard) >= 44
    for term in standard:
        labels = set(schema_graph.objects(term, RDFS.label))
        assert labels == ({Literal(own[term])} if term in own else {published[str(term)]}), term


def test_transitivity_only_where_true(schema_graph):
    transitive = {str(t)[len(str(GK)):] for t in schema_graph.subjects(RDF.type, OWL.TransitiveProperty)}
    assert transitive == {"subtypeOf", "hasSubtype", "partOf", "hasPart", "developsInto", "developsFrom",
                          "precedes", "follows", "withinCode"}


def test_inverses_are_declared_terms(schema_graph):
    pairs = list(schema_graph.subject_objects(OWL.inverseOf))
    assert len(pairs) > 20
    for a, b in pairs:
        assert (b, RDF.type, OWL.ObjectProperty) in schema_graph, f"inverse {b} of {a} is not declared"


def test_every_issue_class_exists(project):
    schema = Schema.load(project.schema_file)
    required = {"Disease", "DiseaseInState", "DiseaseState", "RiskGroup", "RiskFactor", "Exposure",
                "DemographicFactor", "BirthFactor", "GeneticSyndrome", "Phenotype", "DiagnosticTest", "Therapy",
                "Drug", "Procedure", "RadiationTherapy", "Immunotherapy", "CARTCellTherapy", "BispecificAntibody",
                "TargetedTherapy", "SupportiveCare", "NonPharmacologicalTherapy", "DietarySupplement",
                "TreatmentPhase", "Gene", "GeneticAbnormality", "GeneFusion", "PloidyAbnormality",
                "GeneRearrangement", "MolecularTarget", "AdverseEffect", "LateEffect", "PrognosticFactor",
                "AnatomicalSite", "Specialist", "ClinicalStudy", "StudyFinding", "ICD10Code", "Criterion",
                "QuantityValue", "Evidence", "SourceDocument"}
    assert required <= set(schema.classes)


def test_drug_and_disease_are_disjoint(project):
    schema = Schema.load(project.schema_file)
    assert schema.disjoint("Drug", "Disease")
    assert not schema.disjoint("GeneticSyndrome", "RiskFactor")


@pytest.mark.slow
def test_biolink_alignments_exist_in_the_biolink_model(schema_graph):
    biolink_model = pytest.importorskip("biolink_model")
    import yaml

    package_dir = Path(next(iter(biolink_model.__path__)))
    model = yaml.safe_load((package_dir / "schema" / "biolink_model.yaml").read_text())
    slots = {name.replace(" ", "_") for name in model["slots"]}
    classes = {re.sub(r"(?:^| )(\w)", lambda m: m.group(1).upper(), name) for name in model["classes"]}
    used = {o for _, p, o in schema_graph if isinstance(o, URIRef) and str(o).startswith(str(BIOLINK))}
    assert len(used) > 40
    for term in used:
        local = str(term)[len(str(BIOLINK)):]
        assert local in slots or local in classes, f"{local} is not in the Biolink Model"


def test_a_class_the_schema_names_but_does_not_declare_stops_the_build(mini, cli):
    """A typo in a range (gk:Phenotyp) built cleanly: the reasoner made it a new class of every
    symptom and the range shape fell back to 'an IRI'. It is a curation error at its line."""
    schema = mini.schema_file.read_text(encoding="utf-8")
    typo = schema.replace("rdfs:range gk:Phenotype", "rdfs:range gk:Phenotyp", 1)
    assert typo != schema
    mini.schema_file.write_text(typo, encoding="utf-8")
    line = next(n for n, text in enumerate(typo.splitlines(), 1) if "gk:Phenotyp " in text or text.endswith("gk:Phenotyp"))
    result = cli("build", root=mini.root)
    assert result.code == 2
    assert result.err.startswith(f"ontology/schema.ttl:{line}: gk:Phenotyp is used as a class (rdfs:range of gk:")
    assert result.err.rstrip().endswith("but not declared as an owl:Class; did you mean gk:Phenotype?")
