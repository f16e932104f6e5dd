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


def test_text_shown_to_readers_has_no_layout_white_space(release_graph):
    """A definition or note is the quote's words without the source HTML's line breaks and
    indents (the pediatric oncologist's definition read "specializes\\n\\t\\t  in treating")."""
    from rdflib.namespace import SKOS

    oncologist = GKE.pediatric_oncologist
    assert str(release_graph.value(oncologist, SKOS.definition)) == \
        "a doctor who specializes in treating children with cancer"
    quoted = {OA.exact, OA.prefix, OA.suffix}
    laid_out = [(s, p) for s, p, o in release_graph
                if isinstance(o, Literal) and p not in quoted and str(s).startswith(str(GKE))
                and any(c in str(o) for c in "\n\t")]
    assert laid_out == []


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
    """Chang 2004 advises a second transplant for autologous recovery or early relapse, within 6
    months of the first: the edges are on those two nodes (not on JMML relapse after HSCT) with
    the time window."""
    rows = store.query("""
        SELECT ?subject ?certainty ?period ?window WHERE {
          ?ax owl:annotatedSource ?subject ; owl:annotatedProperty gk:treatedWith ;
              owl:annotatedTarget gke:second_allogeneic_hsct ; gk:evidence ?ev .
          ?ev gk:certainty ?certainty ; gk:duringPeriod ?period .
          ?period gk:timeWindow/gk:maxInclusive ?window .
        }""").records()
    assert {(r["subject"].rsplit("/", 1)[-1], r["certainty"].rsplit("#", 1)[-1], r["window"]) for r in rows} == {
        ("jmml_early_relapse_after_hsct", "Possible", 6), ("jmml_autologous_recovery_after_hsct", "Possible", 6),
        ("jmml_autologous_recovery_or_earlier_relapse_patients", "Possible", 6)}
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


def _stated(store, subject: str, predicate: str, obj: str) -> set[str]:
    """The documents (numbers) that state the edge, through its evidence."""
    rows = store.query(f"""
        SELECT DISTINCT ?doc WHERE {{
          ?ax owl:annotatedSource {subject} ; owl:annotatedProperty {predicate} ; owl:annotatedTarget {obj} ;
              gk:evidence/dcterms:source/gk:documentNumber ?doc .
        }}""").rows
    return {str(row["doc"]) for row in rows}


def test_brain_and_spinal_cord_statements_stay_off_the_testicles(store):
    """NCI's sentences on spread to the brain and spinal cord (intrathecal chemotherapy, CNS-directed
    therapy, the blood-brain barrier) are on that node; the radiation sentence naming the brain,
    spinal cord or testicles gives each site its own radiation, never another site's (the node that
    takes in both would give every site's radiation to each)."""
    for subject, predicate, obj in [("gke:intrathecal_chemotherapy", "gk:prevents", "{}"),
                                    ("gke:cns_directed_therapy", "gk:prevents", "{}"),
                                    ("{}", "gk:treatedWith", "gke:intrathecal_chemotherapy"),
                                    ("{}", "gk:treatedWith", "gke:cns_directed_therapy")]:
        assert _stated(store, subject.format("gke:cns_spread_childhood_all"), predicate,
                       obj.format("gke:cns_spread_childhood_all")) == {"003"}
        assert _stated(store, subject.format("gke:cns_childhood_all"), predicate,
                       obj.format("gke:cns_childhood_all")) == set()
    assert _stated(store, "gke:testicular_childhood_all", "gk:treatedWith", "gke:testicular_radiation") == {"003"}
    assert _stated(store, "gke:cns_spread_childhood_all", "gk:treatedWith", "gke:cranial_radiation") == {"003"}
    for radiation in ("cranial_radiation", "craniospinal_radiation", "testicular_radiation"):
        assert _stated(store, "gke:cns_childhood_all", "gk:treatedWith", f"gke:{radiation}") == set()
    assert _stated(store, "gke:testicular_childhood_all", "gk:treatedWith", "gke:cranial_radiation") == set()


def test_fewer_healthy_white_cells_is_not_leukopenia(store):
    """'less room for healthy ... white blood cells' (NCI) and 'not enough healthy ... white cells'
    (the guide) say nothing of the total white count, which in ALL may be low or high."""
    assert _stated(store, "gke:childhood_all", "gk:hasSymptom", "gke:lack_of_healthy_white_blood_cells") == {
        "002", "003"}
    # a low total count is the guide's own statement ("either low or high total white cells"), not NCI's
    assert _stated(store, "gke:childhood_all", "gk:hasSymptom", "gke:leukopenia") == {"002"}


def test_markers_of_b_cell_leukemia_cells_are_scoped_to_b_all(store):
    """CD19 and CD22 are on B-cell leukemia cells (the guide), never on every leukemia cell."""
    rows = store.query("""
        SELECT ?marker ?population WHERE {
          ?ax owl:annotatedSource ?marker ; owl:annotatedProperty gk:expressedOn ; owl:annotatedTarget gke:leukemia_cell ;
              gk:evidence ?ev .
          OPTIONAL { ?ev gk:forPopulation ?population }
        }""").rows
    assert {(str(r["marker"]).rsplit("/", 1)[-1], str(r.get("population", "")).rsplit("/", 1)[-1]) for r in rows} == {
        ("cd19", "b_all"), ("cd22", "b_all"), ("cd19", "b_cell_precursor_all")}


def test_the_guides_causes_and_risk_reductions_keep_their_scope(store):
    """Audit 27: 'Many children lose strength, balance, and flexibility because of steroids,
    chemotherapy, and long hospital stays' is said of children with ALL, not of every weakness,
    imbalance or stiffness; hygiene 'helps reduce hospitalizations and serious complications during
    therapy'; 'Some viruses can cause leukemia in adults' is said of some viral infections."""
    rows = store.query("""
        SELECT ?subject ?property ?object ?population ?period ?some WHERE {
          VALUES (?subject ?property) { (gke:muscle_weakness gk:hasCause) (gke:balance_problems gk:hasCause)
                                        (gke:reduced_flexibility gk:hasCause) (gke:leukemia gk:hasCause)
                                        (gke:infection_prevention_hygiene gk:lowersRiskOf) }
          VALUES ?object { gke:corticosteroids gke:chemotherapy gke:prolonged_hospital_stay gke:viral_infection
                           gke:infection gke:hospitalization gke:serious_complications }
          ?ax owl:annotatedSource ?subject ; owl:annotatedProperty ?property ; owl:annotatedTarget ?object ;
              gk:evidence ?ev .
          ?ev dcterms:source gksrc:rxharun_pediatric_all_guide .
          OPTIONAL { ?ev gk:forPopulation ?population }
          OPTIONAL { ?ev gk:duringPeriod ?period }
          OPTIONAL { ?ev gk:forSomeMembersOnly ?some }
        }""").rows
    local = lambda term: str(term).rsplit("/", 1)[-1] if term is not None else None
    found = {(local(r["subject"]), local(r["object"]), local(r.get("population")), local(r.get("period")),
              r.get("some") is not None and r["some"].toPython()) for r in rows}
    causes = {(subject, cause, "childhood_all", None, False)
              for subject in ("muscle_weakness", "balance_problems", "reduced_flexibility")
              for cause in ("corticosteroids", "chemotherapy", "prolonged_hospital_stay")}
    hygiene = {("infection_prevention_hygiene", risk, None, "during_chemotherapy", False)
               for risk in ("infection", "hospitalization", "serious_complications")}
    assert found == causes | hygiene | {("leukemia", "viral_infection", "adults", None, True)}


def _local(term) -> str | None:
    return None if term is None else str(term).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def test_ncis_more_and_lower_dose_statements_name_the_group_they_compare_with(store):
    """Audit 28: 'more anticancer drugs' and 'lower doses' are relative. NCI compares the high-risk,
    T-cell and adolescent groups with the standard-risk group (the treatment's usual meaning, its
    editorial note), but the very high-risk group with the high-risk group, and maintenance's doses
    with those of the two phases before it: those statements say so in their scope note."""
    rows = store.query("""
        SELECT ?subject ?property ?object ?note WHERE {
          VALUES ?node { gke:more_intensive_therapy gke:lower_dose_chemotherapy }
          VALUES ?property { gk:treatedWith gk:usedInPhase }
          { ?ax owl:annotatedTarget ?node } UNION { ?ax owl:annotatedSource ?node }
          ?ax owl:annotatedSource ?subject ; owl:annotatedProperty ?property ; owl:annotatedTarget ?object ;
              gk:evidence ?ev .
          ?ev dcterms:source gksrc:nci_pdq_childhood_all .
          OPTIONAL { ?ev gk:scopeNote ?note }
        }""").rows
    found = {(_local(r["subject"]), _local(r["property"]), _local(r["object"]),
              None if r.get("note") is None else str(r["note"])) for r in rows}
    maintenance = ("lower than the doses used during remission induction and consolidation/intensification, "
                   "the phases before maintenance")
    assert found == {
        ("high_risk", "treatedWith", "more_intensive_therapy", None),
        ("very_high_risk", "treatedWith", "more_intensive_therapy", None),
        ("very_high_risk", "treatedWith", "more_intensive_therapy",
         "more than the high-risk group is given: NCI compares this group with the high-risk group, "
         "not with the standard-risk group"),
        ("childhood_t_all", "treatedWith", "more_intensive_therapy", None),
        ("aya_all", "treatedWith", "more_intensive_therapy", None),
        ("down_syndrome_all", "treatedWith", "lower_dose_chemotherapy", None),
        ("more_intensive_therapy", "usedInPhase", "consolidation_intensification", None),
        ("childhood_all", "treatedWith", "lower_dose_chemotherapy", maintenance),
        ("lower_dose_chemotherapy", "usedInPhase", "maintenance", maintenance)}
    note = store.query("SELECT ?note WHERE { gke:more_intensive_therapy skos:editorialNote ?note }").rows
    assert [str(r["note"]) for r in note] == [
        "Relative to the standard-risk group in NCI's sentences (the very high-risk group's is relative to the "
        "high-risk group, its scope note says so); the guide's 'stronger treatment' names no group"]


def test_entities_are_the_kind_their_type_says(store):
    """Audit 28, entity types: an extra copy of chromosome 21 is an abnormal number of chromosomes
    (a ploidy abnormality, as hyperdiploidy is), not a structural change; 'broken, missing,
    rearranged or extra chromosomes' are both; school dropout is an outcome, not a symptom or sign;
    educators and community leaders, who give care the guide names, are no health professionals,
    which the specialist class now says it may hold. The Ommaya reservoir, then a device typed by
    its placement, is a medical device since, as is the central venous catheter or port the guide's
    and NCI's procedures place or give treatment through (gk:usesDevice)."""
    rows = store.query("""
        SELECT ?entity ?type WHERE {
          VALUES ?entity { gke:trisomy_21 gke:chromosome_structural_changes gke:school_dropout }
          ?entity a ?type . FILTER(STRSTARTS(STR(?type), STR(gk:)))
          FILTER NOT EXISTS { GRAPH <https://w3id.org/graphkit/graph/inferred> { ?entity a ?type } }
        }""").rows
    assert {(_local(r["entity"]), _local(r["type"])) for r in rows} == {
        ("trisomy_21", "PloidyAbnormality"), ("chromosome_structural_changes", "ChromosomeAbnormality"),
        ("chromosome_structural_changes", "PloidyAbnormality"), ("school_dropout", "Outcome")}
    definition = store.query("SELECT ?d WHERE { gk:Specialist skos:definition ?d }").rows
    assert [str(r["d"]) for r in definition] == [
        "A kind of health professional, such as a pediatric oncologist or a genetic counselor, or another person "
        "a source names as giving a child care or support, such as an educator or a community leader."]
    devices = store.query("""
        SELECT ?device ?note ?used_by WHERE {
          ?device a gk:MedicalDevice . ?used_by gk:usesDevice ?device .
          OPTIONAL { ?device skos:editorialNote ?note } }""").rows
    assert sorted((_local(r["device"]), _local(r["used_by"]), "note" in r) for r in devices) == [
        ("central_venous_catheter", "central_line_placement", False), ("central_venous_catheter", "hsct", False),
        ("ommaya_reservoir", "intrathecal_chemotherapy", False)]


def test_the_guides_leukemia_after_earlier_treatment_keeps_its_hedge(store):
    """Audit 29: children treated earlier with certain strong chemotherapy drugs 'sometimes develop
    leukemia years later': the timing says sometimes, not of every such child; radiation 'can also
    injure the DNA ... and increase the chance of leukemia': the risk factor's note reads the 'can'
    over both verbs, as the sentence has it."""
    timing = store.query("""
        SELECT ?value ?frequency WHERE {
          ?ax owl:annotatedSource gke:prior_chemotherapy ; owl:annotatedProperty gk:timing ;
              owl:annotatedTarget ?value ; gk:evidence ?ev .
          OPTIONAL { ?ev gk:frequency ?frequency }
        }""").rows
    assert [(str(r["value"]), _local(r.get("frequency"))) for r in timing] == [
        ("sometimes develop leukemia years later", "Sometimes")]
    note = store.query("""
        SELECT ?note WHERE {
          ?ax owl:annotatedSource gke:leukemia ; owl:annotatedProperty gk:hasRiskFactor ;
              owl:annotatedTarget gke:prior_radiation_therapy ; gk:evidence ?ev .
          ?ev gk:scopeNote ?note .
        }""").rows
    assert [str(r["note"]) for r in note] == [
        "'can' governs both verbs (radiation can injure the DNA and increase the chance of leukemia): a risk "
        "factor is one that can raise the chance, so the sentence states this one with no frequency and no doubt"]


def test_who_develops_the_treatment_plan_of_jmml_in_relapse_is_an_edge(store):
    """Audit 29, recall of the ICD-10 page: "healthcare professionals will consider these factors
    when developing an individualized treatment plan" was held only in a note; the treatment plan
    of JMML in relapse is now decided by healthcare professionals (an edge, scoped to JMML in
    relapse), and the note keeps what states no relation."""
    rows = store.query("""
        SELECT ?therapy ?population WHERE {
          ?ax owl:annotatedSource ?therapy ; owl:annotatedProperty gk:decidedBy ;
              owl:annotatedTarget gke:healthcare_professional ; gk:evidence ?ev .
          ?ev dcterms:source gksrc:icd10_c93_32_page .
          OPTIONAL { ?ev gk:forPopulation ?population }
        }""").rows
    assert [(_local(r["therapy"]), _local(r.get("population"))) for r in rows] == [
        ("cancer_treatment", "jmml_in_relapse")]
    notes = store.query("""
        SELECT ?note WHERE { gke:jmml_in_relapse gk:note ?note . FILTER(CONTAINS(?note, "unique")) }""").rows
    assert [str(r["note"]) for r in notes] == ["Each case is unique"]


def test_chang_et_al_say_in_whom_jmml_is_rare(store):
    """Audit 29, recall of the abstract: "a rare clonal myeloproliferative disease in young
    childhood" was 'rare' alone, the age held only in the source's gloss; the prevalence says in
    whom, as NCI's "uncommon in young children" does (the ICD-10 page's 'rare' is its own)."""
    rows = store.query("""
        SELECT ?number ?value WHERE {
          ?ax owl:annotatedSource gke:jmml ; owl:annotatedProperty gk:prevalence ; owl:annotatedTarget ?value ;
              gk:evidence ?ev .
          ?ev dcterms:source ?source . ?source gk:documentNumber ?number .
        }""").rows
    assert sorted((str(r["number"]), str(r["value"])) for r in rows) == [
        ("001", "rare"), ("004", "a rare clonal myeloproliferative disease in young childhood")]
