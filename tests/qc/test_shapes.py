"""The SHACL shapes: they cover the schema, and the fast engine agrees with pyshacl."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD

from graphkit.namespaces import GK, GKE
from graphkit.qc.shacl import evaluated_rules, validate_fast, validate_pyshacl
from graphkit.qc.shapes import GKSH, load_shapes
from graphkit.schema import Schema


@pytest.fixture(scope="module")
def schema(project):
    return Schema.load(project.schema_file)


@pytest.fixture(scope="module")
def shapes(project, schema):
    return load_shapes(project.shapes_file, schema)


def test_every_schema_class_is_the_target_of_a_shape(schema, shapes):
    targeted = {t for t in shapes.objects(None, SH.targetClass)}
    for name, cls in schema.classes.items():
        assert schema.ancestors(name) & {str(t)[len(str(GK)):] for t in targeted}, f"no shape targets gk:{name}"


def test_every_property_has_domain_and_range_shapes(schema, shapes):
    for name, prop in schema.props.items():
        if not str(prop.iri).startswith(str(GK)):
            continue
        assert (GKSH[f"{name}-range"], SH.targetSubjectsOf, prop.iri) in shapes
        if prop.domain and not schema.is_role(prop.domain):
            assert (GKSH[f"{name}-domain"], SH["class"], GK[prop.domain]) in shapes


def test_entity_kind_shape_lists_the_schema_kinds(schema, shapes):
    alternatives = Collection(shapes, shapes.value(GKSH["entity-kind"], SH["or"]))
    listed = {str(shapes.value(a, SH["class"]))[len(str(GK)):] for a in alternatives}
    assert listed == schema.kinds


def test_severities_are_used(shapes):
    used = set(shapes.objects(None, SH.severity))
    assert {SH.Violation, SH.Warning} <= used


def _broken_sample(release) -> Graph:
    """The release with most evidence nodes left out (pyshacl is slow) and a dozen defects."""
    graph = Graph().parse(data=release.outputs()[release.project.all_ttl], format="turtle")
    evidence = sorted(graph.subjects(RDF.type, GK.Evidence))
    for ev in [ev for i, ev in enumerate(evidence) if i % 8]:
        for node in [ev, graph.value(ev, URIRef("http://www.w3.org/ns/oa#hasTarget"))]:
            for sel in list(graph.objects(node, URIRef("http://www.w3.org/ns/oa#hasSelector"))):
                graph.remove((sel, None, None))
            graph.remove((node, None, None))
    mentioned = {o for ev in graph.subjects(RDF.type, GK.Evidence) for o in graph.objects(ev)}
    mentioned |= {GKE.jmml_in_relapse, GKE.vincristine, GKE.fever, GKE.relapse, GKE.jmml}
    entities = sorted(set(graph.subjects(RDF.type, OWL.NamedIndividual)) - set(graph.subjects(RDF.type, OWL.Class)))
    for entity in [e for i, e in enumerate(entities) if e not in mentioned and i % 10]:
        graph.remove((entity, None, None))
    q = next(graph.subjects(RDF.type, GK.QuantityValue))
    kept = next(graph.subjects(RDF.type, GK.Evidence))
    defects = [
        (GKE.jmml_in_relapse, GK.hasSymptom, GKE.vincristine),        # range
        (GKE.vincristine, GK.hasSymptom, GKE.fever),                  # domain
        (GKE.vincristine, RDF.type, GK.Diseases),                     # undeclared type
        (GKE.fever, RDFS.label, Literal("a second label")),           # label count
        (GKE.fever, SKOS.altLabel, Literal("fièvre", lang="fr")),     # synonym datatype
        (q, GK.value, Literal("7.5", datatype=XSD.decimal)),          # two values
        (q, GK.minInclusive, Literal(1)),                             # value and bounds
        (q, GK.approximate, Literal("yes")),                          # boolean
        (URIRef("http://purl.bioontology.org/ontology/ICD10CM/C9332"), RDF.type, GK.ICD10CMCode),
        (BNode("mapping"), RDF.type, OWL.Axiom),                      # a mapping axiom with a bad CURIE, no property
        (BNode("mapping"), GK.mappingCurie, Literal("MONDO:123")),
        (BNode("mapping"), OWL.annotatedSource, GKE.jmml),
        (BNode("mapping"), GK.mappingJustification, URIRef("https://w3id.org/semapv/vocab/ManualMappingCuration")),
        (URIRef("http://example.org/evidence_link"), GK.evidence, kept),   # an IRI-named evidence axiom naming nothing
        (URIRef("http://example.org/mapping"), GK.mappingJustification,     # an IRI-named mapping axiom
         URIRef("https://w3id.org/semapv/vocab/ManualMappingCuration")),
        (GKE.relapse, RDF.type, GK.TreatmentPhase),                   # needs a definition (warning)
    ]
    for triple in defects:
        graph.add(triple)
    graph.remove((q, GK.unit, None))                                 # no unit
    graph.add((BNode("orphan"), SKOS.prefLabel, Literal("x")))
    return graph


@pytest.mark.slow
def test_fast_engine_agrees_with_pyshacl(release, shapes):
    graph = _broken_sample(release)
    fast = {r.key(shapes) for r in validate_fast(graph, shapes)}
    reference = {r.key(shapes) for r in validate_pyshacl(graph, shapes)}
    assert fast == reference
    # every result is of a rule validate lists as run (with its count, 0 when it finds nothing)
    assert {(k[5].lower(), k[3]) for k in fast} <= set(evaluated_rules(shapes))
    rules = {k[3] for k in fast}
    assert {"hasSymptom-range", "hasSymptom-domain", "entity-declared-type", "entity-label", "entity-synonym",
            "quantity-value", "quantity-value-or-bounds", "quantity-approximate", "quantity-unit",
            "icd10cm-code-syntax", "xref-MONDO", "mapping-property", "entity-definition", "EvidenceAxiom",
            "MappingAxiom", "evidence-axiom-source", "evidence-axiom-evidence", "evidence-statement"} <= rules


def test_fast_engine_reads_only_the_predicates_the_shapes_name():
    """Read from a store by predicate (as the build validates), the engine gives the results of
    the same triples given as a list, and never reads a predicate no shape names."""
    import pyoxigraph as ox

    from graphkit.qc.shacl import FastValidator

    shapes = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://x/> .
        ex:CShape a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:datatype <http://www.w3.org/2001/XMLSchema#string> ] .""")
    store = ox.Store()
    store.load(format=ox.RdfFormat.TURTLE, input="""
        @prefix ex: <http://x/> .
        ex:a a ex:C ; ex:p "ok" .  ex:b a ex:C ; ex:p 3 .  ex:c a ex:C ; ex:q "unread" .""")
    asked = []

    def with_predicate(predicate):
        asked.append(predicate.value)
        return store.quads_for_pattern(None, predicate, None, ox.DefaultGraph())

    def sparql(query):
        return [row[0] for row in store.query(query)]

    by_predicate = FastValidator(with_predicate, shapes, sparql).validate()
    listed = FastValidator(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), shapes).validate()
    assert sorted((r.focus.value, r.component) for r in by_predicate) == [
        ("http://x/b", "DatatypeConstraintComponent"), ("http://x/c", "MinCountConstraintComponent")]
    assert by_predicate == listed
    assert "http://x/q" not in asked and "http://x/p" in asked
    with pytest.raises(ValueError, match="sparql"):
        FastValidator(with_predicate, shapes)
