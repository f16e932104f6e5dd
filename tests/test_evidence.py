"""Every fact is traceable: checked on the built release file, independently of the loader."""

import hashlib

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF

from graphkit.namespaces import GK, GKE, GKQ, GKSRC, OA



def _sources(graph, project):
    texts = {}
    for src in graph.subjects(RDF.type, GK.SourceDocument):
        path = project.root / str(graph.value(src, GK.localFile))
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == str(graph.value(src, GK.sha256))
        texts[src] = data.decode("utf-8")
    return texts


def test_every_quote_occurs_at_its_offsets(release_graph, project):
    texts = _sources(release_graph, project)
    evidence = list(release_graph.subjects(RDF.type, GK.Evidence))
    assert evidence
    for ev in evidence:
        target = release_graph.value(ev, OA.hasTarget)
        source = release_graph.value(target, OA.hasSource)
        assert source == release_graph.value(ev, URIRef("http://purl.org/dc/terms/source"))
        selectors = list(release_graph.objects(target, OA.hasSelector))
        quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in release_graph)
        position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in release_graph)
        start = int(release_graph.value(position, OA.start))
        end = int(release_graph.value(position, OA.end))
        exact = str(release_graph.value(quote, OA.exact))
        text = texts[source]
        assert text[start:end] == exact, f"{ev}: quote not at {start}-{end}"
        assert text[:start].endswith(str(release_graph.value(quote, OA.prefix)))
        assert text[end:].startswith(str(release_graph.value(quote, OA.suffix)))


def _is_entity(term):
    return isinstance(term, URIRef) and not str(term).startswith(("http://www.w3.org/", str(GK), str(GKSRC)))


def test_every_entity_edge_has_evidence(release_graph):
    evidence = set(release_graph.subjects(RDF.type, GK.Evidence))
    supported = {(release_graph.value(ax, OWL.annotatedSource), release_graph.value(ax, OWL.annotatedProperty),
                  release_graph.value(ax, OWL.annotatedTarget))
                 for ax, ev in release_graph.subject_objects(GK.evidence) if ev in evidence}
    checked = 0
    for s, p, o in release_graph:
        if not (str(s).startswith(str(GKE)) or (_is_entity(s) and (s, RDF.type, GK.ICD10CMCode) in release_graph)):
            continue
        if not str(p).startswith(str(GK)) or p in (GK.curationFile,):
            continue
        checked += 1
        assert (s, p, o) in supported, f"edge without evidence: {s} {p} {o}"
    assert checked > 50


def test_quantities_are_typed_numbers_with_units(release_graph):
    quantities = list(release_graph.subjects(RDF.type, GK.QuantityValue))
    assert quantities
    for q in quantities:
        assert str(q).startswith(str(GKQ))
        assert release_graph.value(q, GK.unit) is not None, f"{q} has no unit"
        numbers = [o for p, o in release_graph.predicate_objects(q)
                   if p in (GK.value, GK.minInclusive, GK.minExclusive, GK.maxInclusive, GK.maxExclusive)]
        assert numbers and all(isinstance(n, Literal) and n.datatype is not None for n in numbers)


def test_second_transplant_finding_has_its_numbers(store):
    rows = store.query("""
        SELECT ?prop ?value ?unit WHERE {
          gke:chang2004_overall_finding ?prop ?q . ?q gk:value ?value ; gk:unit/skos:notation ?unit .
        }""").records()
    found = {(r["prop"].rsplit("#", 1)[-1], r["value"], r["unit"]) for r in rows}
    assert found == {("patientsWithOutcome", 7, "{patients}"), ("cohortSize", 13, "{patients}"),
                     ("percentWithOutcome", 54, "%"), ("medianFollowUp", 53, "mo")}


def test_icd_code_of_jmml_in_relapse_with_quote(store):
    rows = store.query("""
        SELECT ?code ?title ?quote WHERE {
          gke:jmml_in_relapse gk:hasICD10Code ?code . ?code rdfs:label ?title .
          ?ax owl:annotatedSource gke:jmml_in_relapse ; owl:annotatedProperty gk:hasICD10Code ;
              owl:annotatedTarget ?code ; gk:evidence ?ev .
          ?ev oa:hasTarget/oa:hasSelector/oa:exact ?quote .
        }""").records()
    assert rows == [{"code": "http://purl.bioontology.org/ontology/ICD10CM/C93.32",
                     "title": "Juvenile myelomonocytic leukemia, in relapse", "quote": "ICD-10 code: C93.32"}]


def test_second_transplant_is_stated_for_early_relapse_within_six_months(store):
    """Chang 2004 advises a second transplant for early relapse, within 6 months of the first: the
    edge is on the early-relapse node (not on JMML relapse after HSCT) with the time window."""
    rows = store.query("""
        SELECT ?subject ?certainty ?period ?window WHERE {
          ?ax owl:annotatedSource ?subject ; owl:annotatedProperty gk:treatedWith ;
              owl:annotatedTarget gke:second_allogeneic_hsct ; gk:evidence ?ev .
          ?ev gk:certainty ?certainty ; gk:duringPeriod ?period .
          ?period gk:timeWindow/gk:maxInclusive ?window .
        }""").records()
    assert {(r["subject"].rsplit("/", 1)[-1], r["certainty"].rsplit("#", 1)[-1], r["window"]) for r in rows} == {
        ("jmml_early_relapse_after_hsct", "Possible", 6), ("jmml_early_failure_patients", "Possible", 6)}
    assert not store.query("""ASK { ?ax owl:annotatedSource gke:jmml_relapse_after_hsct ;
                                        owl:annotatedProperty gk:treatedWith ;
                                        owl:annotatedTarget gke:second_allogeneic_hsct }""").boolean


def test_no_guide_edge_stands_unrestricted_on_childhood_all(store):
    """The guide restricts CAR T-cells, blinatumomab, inotuzumab, imatinib, dasatinib and nelarabine to
    subgroups; none of its treatment statements puts them on childhood ALL without a qualifier."""
    stated = """
        SELECT ?therapy WHERE {
          ?ax owl:annotatedSource gke:childhood_all ; owl:annotatedProperty gk:treatedWith ;
              owl:annotatedTarget ?therapy ; gk:evidence ?ev .
          ?ev dcterms:source gksrc:rxharun_pediatric_all_guide .
          %s
        }"""
    assert len(store.query(stated % "").rows) > 5          # the guide's unrestricted treatments are found
    subgroup_drugs = """VALUES ?therapy { gke:car_t_cell_therapy gke:tisagenlecleucel gke:blinatumomab
                                          gke:inotuzumab_ozogamicin gke:imatinib gke:dasatinib gke:nelarabine }"""
    assert store.query(stated % subgroup_drugs).rows == []
