"""The built release as the OWL API (Protégé's and ROBOT's reader) and HermiT see it, on the
unmodified files: the schema, the 14 import modules, all.ttl and inferred.ttl loaded together
(imports resolved offline by the release's catalog-v001.xml, as Protégé resolves them), and
all.ttl alone. Every triple parsed,
the OWL 2 DL profile kept, HermiT finds it consistent without being told to skip a datatype, and
every statement's evidence and every mapping's justification is an annotation on its axiom,
exactly as the RDF says."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF

pytestmark = pytest.mark.slow

BASE = "https://w3id.org/graphkit/"
GK_EVIDENCE = BASE + "schema#evidence"
XSD = "http://www.w3.org/2001/XMLSchema#"
MODULES = ("chebi", "doid", "ecto", "hgnc", "hp", "icd10cm", "icd10who", "maxo", "mondo", "ncbigene", "ncit",
           "orpha", "symp", "unii")


@pytest.fixture(scope="module")
def together(owlapi, project):
    files = [project.schema_file, *(project.imports_dir / f"{m}.ttl" for m in MODULES), project.all_ttl,
             project.inferred_ttl]
    return owlapi.report(files, catalog=project.product("catalog"), annotated_assertions=True)


@pytest.fixture(scope="module")
def alone(owlapi, project):
    return owlapi.report([project.all_ttl], reasoner="none")


def test_every_file_is_an_ontology_of_its_own_with_every_triple_parsed(together, project):
    version = project.config.ontology.version
    assert together["ontology_iri_clashes"] == {}
    by_iri = {f["ontology_iri"]: f for f in together["files"]}
    assert sorted(by_iri) == sorted([BASE + "all", BASE + "inferred", BASE + "schema"]
                                    + [BASE + f"imports/{m}" for m in MODULES])
    for entry in together["files"]:
        assert (entry["unparsed_triples"], entry["missing_imports"], entry.get("load_error")) == (0, [], None), entry["file"]
    assert by_iri[BASE + "all"]["version_iri"] == f"{BASE}releases/{version}/all"
    assert by_iri[BASE + "all"]["imports_closure"] == 16           # itself, the schema, 14 modules
    assert by_iri[BASE + "inferred"]["imports_closure"] == 17      # and the release


def test_the_owl2_dl_profile_holds(together):
    profile = together["profile"]
    assert (profile["violations"], profile["by_kind"], profile["in_profile"]) == (0, {}, True)


def test_only_datatypes_of_the_owl2_datatype_map(together):
    """The four XSD types, and language-tagged text (the English labels Dublin Core, SKOS and VANN
    publish for their terms, which the schema gives them): the OWL API reads it as rdf:langString,
    OWL 2's rdf:PlainLiteral with a language, which HermiT takes (the next test)."""
    assert set(together["datatypes"]) == {XSD + t for t in ("string", "integer", "decimal", "boolean")} | {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def test_hermit_finds_the_release_consistent_without_skipping_a_datatype(together):
    reasoner = together["reasoner"]
    assert (reasoner["consistent"], reasoner["timed_out"], reasoner.get("error")) == (True, False, None)
    assert "strict_error" not in reasoner and "ignored_unsupported_datatypes" not in reasoner


def test_all_ttl_reads_alone(alone):
    """Without the import modules at hand (a user who downloads all.ttl only): the imports are
    missing, and the release still parses completely and stays in OWL 2 DL."""
    [entry] = alone["files"]
    assert sorted(entry["missing_imports"]) == [BASE + f"imports/{m}" for m in MODULES] + [BASE + "schema"]
    assert (entry["unparsed_triples"], alone["profile"]["violations"]) == (0, 0)


SKOS_MATCHES = {"http://www.w3.org/2004/02/skos/core#" + m
                for m in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")}
GK_MAPPING = {BASE + "schema#" + p for p in ("mappingJustification", "mappingCurie", "mappingVerified")} \
    | {"http://www.w3.org/2000/01/rdf-schema#comment"}


def _axioms_in_rdf(path) -> tuple[dict, dict]:
    """The blank owl:Axiom nodes of the RDF: (subject, property, object text) -> the sorted
    gk:evidence IRIs of a statement's axiom, and -> {annotation property: sorted values} of a
    mapping's axiom (its justification, CURIE, verification, note)."""
    graph = Graph().parse(path, format="turtle")
    evidence, mappings = {}, {}
    for axiom in graph.subjects(RDF.type, OWL.Axiom):
        if isinstance(axiom, BNode):
            key = tuple(str(graph.value(axiom, p))
                        for p in (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget))
            if key[1] in SKOS_MATCHES:
                annotations = defaultdict(list)
                for p, o in graph.predicate_objects(axiom):
                    if str(p) in GK_MAPPING:
                        annotations[str(p)].append(str(o))
                mappings[key] = {p: sorted(v) for p, v in annotations.items()}
            else:
                evidence[key] = sorted(str(e) for e in graph.objects(axiom, URIRef(GK_EVIDENCE)))
    return evidence, mappings


def test_every_statement_keeps_its_evidence_and_every_mapping_its_justification(together, project):
    """Statements carry their evidence (gk:evidence) and skos mappings their justification
    (gk:mappingJustification, gk:mappingCurie, gk:mappingVerified, rdfs:comment) as annotations
    on their axioms, as the OWL API reads them: Protégé shows both on the assertion."""
    expected_evidence, expected_mappings = _axioms_in_rdf(project.all_ttl)
    evidence: dict[tuple, list[str]] = defaultdict(list)
    mappings: dict[tuple, dict] = {}
    for subject, prop, obj, on_axiom in together["annotated_assertions"]:
        if prop in SKOS_MATCHES:
            assert (subject, prop, obj) not in mappings
            mappings[(subject, prop, obj)] = {p: sorted(v) for p, v in on_axiom.items()}
        else:
            evidence[(subject, prop, obj)] += on_axiom.pop(GK_EVIDENCE, [])
            assert on_axiom == {}, (subject, prop, obj)       # gk:evidence is a statement's only annotation
    # the counts docs/quality.md states (tests/test_docs_numbers.py holds them to the release)
    quality = " ".join((project.root / "docs" / "quality.md").read_text(encoding="utf-8").split())
    axioms, mapping_count = (int(re.search(pattern, quality).group(1).replace(",", "")) for pattern in (
        r"\(([\d,]+) statement axioms\)", r"each of the ([\d,]+) mappings with its justification"))
    assert (len(expected_evidence), len(expected_mappings)) == (axioms, mapping_count)
    assert sum(together["annotated_axioms"].values()) == len(expected_evidence) + len(expected_mappings)
    assert dict(evidence) == expected_evidence
    assert mappings == expected_mappings               # every annotated skos mapping, each with its justification
    assert all(BASE + "schema#mappingJustification" in a and BASE + "schema#mappingCurie" in a
               for a in mappings.values())
    counts = together["axiom_annotations"]
    assert counts.pop(GK_EVIDENCE) == sum(len(v) for v in expected_evidence.values())
    expected_counts = {p: sum(len(a.get(p, ())) for a in expected_mappings.values()) for p in GK_MAPPING}
    assert counts == {p: n for p, n in expected_counts.items() if n}
    assert evidence[(BASE + "entity/jmml_in_relapse", BASE + "schema#hasICD10Code",
                     "http://purl.bioontology.org/ontology/ICD10CM/C93.32")] == [BASE + "evidence/001-526297e2b904"]
    assert mappings[(BASE + "entity/jmml", "http://www.w3.org/2004/02/skos/core#exactMatch",
                     "http://purl.obolibrary.org/obo/MONDO_0011908")] == {
        BASE + "schema#mappingCurie": ["MONDO:0011908"],
        BASE + "schema#mappingJustification": ["https://w3id.org/semapv/vocab/LexicalMatching"]}


def test_the_rdfxml_export_gives_the_owl_api_the_axioms_of_the_turtle_export(owlapi, tmp_path):
    """The RDF/XML export is for Protégé and the OWL API (docs/export.md): read by the OWL API, it
    holds every triple and the same axioms as the Turtle export of the same selection."""
    from ..conftest import run_cli

    selection = ["--seed", "JMML in relapse", "--hops", "2", "--include-schema"]
    for name in ("jmml.ttl", "jmml.rdf"):
        result = run_cli("export", *selection, "-o", str(tmp_path / name))
        assert result.code == 0, result
    turtle, xml = (owlapi.report([tmp_path / name], reasoner="none") for name in ("jmml.ttl", "jmml.rdf"))
    assert [f["unparsed_triples"] for f in turtle["files"] + xml["files"]] == [0, 0]
    assert xml["axiom_types"] == turtle["axiom_types"]
    assert xml["axiom_types"]["ObjectPropertyAssertion"] > 100 and xml["axioms"] == turtle["axioms"]


def test_a_part_or_the_schema_exported_alone_reads_as_owl(owlapi, tmp_path):
    """A curator opened `graphkit export --seed "JMML in relapse" --hops 2 -o jmml.owl` in the OWL
    API: every edge was an annotation (nothing declared the properties), the evidence of every
    statement was left unparsed (753 triples) and the file broke OWL 2 DL 12,266 times; the
    schema exported alone broke it 235 times (undeclared SKOS, Web Annotation and Dublin Core
    terms). An export now declares the terms it uses, as the release's schema declares them."""
    from ..conftest import run_cli

    exports = {"jmml.owl": ["--seed", "JMML in relapse", "--hops", "2"], "schema.rdf": ["--schema", "-f", "rdfxml"]}
    for name, options in exports.items():
        result = run_cli("export", *options, "-o", str(tmp_path / name))
        assert result.code == 0, result
    part = owlapi.report([tmp_path / "jmml.owl"], reasoner="hermit", annotated_assertions=True)
    schema = owlapi.report([tmp_path / "schema.rdf"], reasoner="none")
    for report in (part, schema):
        assert [f["unparsed_triples"] for f in report["files"]] == [0]
        assert report["profile"]["violations"] == 0
    assert part["reasoner"]["consistent"] is True
    assert part["axiom_types"]["ObjectPropertyAssertion"] > 1000
    with_evidence = {(s, p, o) for s, p, o, on_axiom in part["annotated_assertions"] if GK_EVIDENCE in on_axiom}
    assert (BASE + "entity/jmml_in_relapse", BASE + "schema#hasICD10Code",
            "http://purl.bioontology.org/ontology/ICD10CM/C93.32") in with_evidence
    assert schema["axiom_types"]["Declaration"] > 100
