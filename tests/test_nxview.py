"""The NetworkX view: nodes, edges and their attributes from the data; algorithms on it."""

from collections import Counter, defaultdict

import networkx as nx
import pytest

from graphkit import nxview
from graphkit.errors import GraphkitError
from graphkit.namespaces import GKEV, compact
from graphkit.nxview import SelectionError
from graphkit.select import Selection, select

from .conftest import ROOT

# Documents 001 and 004 are fully curated; the others grow on the curation branch, so the
# exact sets below are taken over the edges these two documents state.
JMML_DOCS = ["icd10_c93_32_page", "chang_2004_jmml_second_hsct"]

# What document 001 (ICD-10 C93.32 page) and 004 (Chang 2004) say about JMML in relapse.
JMML_RELAPSE_1_HOP = {
    "jmml_in_relapse",
    # symptoms
    "bone_pain", "fatigue", "frequent_infections", "hepatomegaly", "pallor", "splenomegaly",
    # risk and prognostic factors
    "incomplete_remission", "minimal_residual_disease", "specific_genetic_mutations",
    "age_of_child", "extent_of_relapse", "response_to_previous_treatment",
    # diagnosis and monitoring
    "bone_marrow_aspiration", "genetic_testing", "imaging_tests", "blood_count_monitoring",
    # treatment
    "nutritional_support", "open_communication", "pain_relief_medication", "psychological_support", "supportive_care",
    "supportive_monitoring",
    # identity: state of JMML, in relapse, ICD-10-CM code, sites; relapse after HSCT is a subtype (004)
    "jmml", "relapse", "ICD10CM:C93.32", "blood", "bone_marrow", "jmml_relapse_after_hsct",
    # relapse comes after a period of remission (001)
    "remission",
}
JMML_RELAPSE_2_HOPS_EXTRA = {
    "ICD10CM:C93.3", "chang2004_case", "chang2004_review", "childhood_cancer", "hsct", "leukemia",
    "myeloproliferative_disease", "jmml_second_transplant_patients",
    "treatment_failure", "gkq:671b06df8270",   # JMML mainly affects children under 4 years
    # early relapse after HSCT (004): where the second transplant is advised, so that is 3 hops away
    "jmml_early_relapse_after_hsct",
    # JMML with autologous recovery after HSCT (004): the other state of JMML the advice is for
    "jmml_autologous_recovery_after_hsct",
    # the tests of a relapse guide its treatment (001)
    "cancer_treatment",
    # what supportive care relieves (001): side effects; pain relief medication: pain
    "side_effects_of_treatment", "pain",
}


@pytest.fixture(scope="module")
def full(store):
    return nxview.from_store(store)


@pytest.fixture(scope="module")
def G(full):
    return nxview.filtered(full, sources=JMML_DOCS).copy()


def test_one_node_per_entity_with_scalar_attributes(full, release):
    G = full
    entities = {e.id for e in release.registry.values()}
    quantities = {n for n, d in G.nodes(data=True) if d["kind"] == "QuantityValue"}
    assert set(G) == entities | quantities
    for _, data in G.nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())
    for *_, data in G.edges(keys=True, data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())


def test_entity_attributes(G, full):
    node = G.nodes["jmml_in_relapse"]
    assert node["label"] == "juvenile myelomonocytic leukemia, in relapse"
    assert node["curie"] == "gke:jmml_in_relapse"
    assert node["type"] == "DiseaseInState" and node["kind"] == "Disease"
    assert node["category"] == "biolink:Disease"
    assert node["synonyms"].split("|") == ["JMML in relapse", "JMML relapse", "juvenile myelomonocytic leukemia in relapse",
                                         "relapsed JMML"]
    # exact mappings are the xrefs; the WHO's C93.3 and MONDO's JMML are broader than the relapse
    assert (node["xrefs"], node["broad_mappings"], node["close_mappings"]) == (
        "ICD10CM:C93.32", "ICD10WHO:C93.3|MONDO:0011908", "")
    # no two entities share an exact xref (a code node shares its WHO code with its disease):
    # an analyst joining on one finds one node
    exact = Counter(x for _, d in full.nodes(data=True) if not d["type"].endswith("Code")
                    for x in d.get("xrefs", "").split("|") if x)
    assert [x for x, n in exact.items() if n > 1] == []
    assert node["definition"] == "JMML relapse occurs when the disease reappears after a period of remission."
    code = G.nodes["ICD10CM:C93.32"]
    assert code["label"] == "Juvenile myelomonocytic leukemia, in relapse" and code["type"] == "ICD10CMCode"
    # every entity node starts with the fixed fields (exports tell its text statements by them)
    entities = [d for _, d in full.nodes(data=True) if d["kind"] != "QuantityValue"]
    assert all(tuple(d)[:len(nxview.ENTITY_FIELDS)] == nxview.ENTITY_FIELDS for d in entities)
    # how several states or criteria combine: relapsed *or* refractory
    assert (full.nodes["relapsed_refractory_t_all"]["stateCombination"],
            full.nodes["very_high_risk"]["criteriaCombination"]) == ("AnyOf", "AnyOf")


def test_edge_attributes_carry_evidence(G):
    edge = G.edges["jmml_in_relapse", "ICD10CM:C93.32", "hasICD10Code"]
    assert edge["predicate"] == "gk:hasICD10Code" and edge["label"] == "has ICD-10 code"
    assert edge["evidence_count"] == 1 and edge["sources"] == "icd10_c93_32_page"
    assert edge["certainty"] == "Established" and edge["inferred"] is False
    parent = G.edges["ICD10CM:C93.32", "ICD10CM:C93.3", "parentCode"]
    assert parent["quotes"] == "Disease category: C93.3: Juvenile myelomonocytic leukemia"
    chang = G.edges["jmml_early_relapse_after_hsct", "second_allogeneic_hsct", "treatedWith"]
    assert chang["sources"] == "chang_2004_jmml_second_hsct"
    # every edge of the view is an asserted statement with evidence
    assert all(d["evidence_count"] >= 1 for *_, d in G.edges(keys=True, data=True))


def test_per_evidence_fields_line_up_with_the_evidence(full, store):
    """An edge two sources state: the n-th source, certainty, frequency and quote are the n-th
    evidence's (the distinct ``sources`` and ``certainty`` are ordered each their own way)."""
    edge = full.edges["childhood_all", "prenatal_xray_exposure", "hasRiskFactor"]
    rows = list(zip(*(edge[f].split(nxview.QUOTE_SEP if f == "evidence_quotes" else "|")
                      for f in ("evidence", *nxview.EVIDENCE_FIELDS))))
    assert rows == [
        ("gkev:002-037ccab28d9d", "rxharun_pediatric_all_guide", "UnderStudy", "-", "-", "-", "6571-6736",
         "Some studies suggest that repeated CT scans or X-rays in pregnancy or early life may slightly raise "
         "leukemia risk, but the increase is small and still being studied."),
        ("gkev:003-cbfe10ab9dcc", "nci_pdq_childhood_all", "Possible", "-", "-", "-", "4507-4588",
         "Other possible risk factors for ALL include: being exposed to x-rays before birth")]
    assert (edge["sources"], edge["certainty"]) == ("nci_pdq_childhood_all|rxharun_pediatric_all_guide",
                                                    "Possible|UnderStudy")
    # every edge: as many entries as evidence, each the evidence statement's own (as the store has it)
    stated = {str(row["ev"]): (str(row["src"]).rsplit("/", 1)[1], str(row["c"]).rsplit("#", 1)[1],
                               str(row["q"])) for row in store.query("""
        SELECT ?ev ?src ?c ?q WHERE { ?ev a gk:Evidence ; prov:wasDerivedFrom ?src ; gk:certainty ?c ;
                                          oa:hasTarget/oa:hasSelector/oa:exact ?q }""").rows}
    checked = 0
    for *_, d in full.edges(keys=True, data=True):
        evidence = d["evidence"].split("|") if d["evidence"] else []
        sources, certainty = d["evidence_sources"].split("|"), d["evidence_certainty"].split("|")
        quotes = d["evidence_quotes"].split(nxview.QUOTE_SEP)
        for i, ev in enumerate(evidence):
            assert (sources[i], certainty[i], quotes[i]) == stated[str(GKEV) + ev.split(":", 1)[1]], ev
            checked += 1
        assert len(evidence) == d["evidence_count"] == len(d["evidence_frequency"].split("|")) or not evidence
    assert checked > 2000          # the others are of text statements and quantities (node attributes)
    # a statement of some members of a class only says so (gk:forSomeMembersOnly): "certain
    # antibody deficiencies"
    ivig = full.edges["antibody_deficiency", "ivig", "treatedWith"]
    assert (ivig["for_some_members_only"], ivig["evidence_members"], ivig["evidence_offsets"]) == (True, "some",
                                                                                                 "48180-48313")
    some = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?ev gk:forSomeMembersOnly true }").texts()[0]["n"]
    assert sum(d["evidence_members"].split("|").count("some") for *_, d in full.edges(keys=True, data=True)) == int(some)
    # the scope attributes are the union over the evidence; evidence_scopes says whose
    anthracyclines = full.edges["anthracyclines", "heart_problems", "hasAdverseEffect"]
    assert anthracyclines["for_population"] == "high_cumulative_anthracycline_dose"       # of one of two
    assert sorted(anthracyclines["evidence_scopes"].split("|")) == ["-", "for_population=high_cumulative_anthracycline_dose"]


@pytest.mark.slow
def test_edges_and_evidence_carry_their_scope(full, store):
    """Each scope qualifier of the evidence (phase, population, state, line of therapy, period) is
    an edge attribute named after its property, and the curator's scope note rides along."""
    nci = full.edges["childhood_all", "hsct", "treatedWith"]      # NCI: rarely used as initial treatment
    assert (nci["for_state"], nci["for_line_of_therapy"], nci["during_period"]) == (
        "newly_diagnosed", "first_line_treatment", "")
    assert nci["quotes"] == "Stem cell transplant is rarely used as initial treatment for children and adolescents with ALL."
    chang = full.edges["jmml_early_relapse_after_hsct", "second_allogeneic_hsct", "treatedWith"]
    assert chang["during_period"] == "within_6_months_of_first_transplant"
    counts = {attr: sum(bool(d[attr]) for *_, d in full.edges(keys=True, data=True))
              for attr in nxview.SCOPE_ATTRIBUTES.values()}
    assert all(counts.values()), counts
    with_provenance = nxview.from_store(store, include_provenance=True)
    evidence = with_provenance.nodes[chang["evidence"]]
    assert evidence["during_period"] == "within_6_months_of_first_transplant" and evidence["for_state"] == ""


def test_quantities_as_nodes_or_attributes(G, store):
    cohort = [v for _, v, k in G.out_edges("chang2004_overall_finding", keys=True) if k == "cohortSize"]
    assert [G.nodes[q]["label"] for q in cohort] == ["13 patients"]
    assert G.nodes[cohort[0]]["value"] == 13 and G.nodes[cohort[0]]["unit"] == "{patients}"
    folded = nxview.from_store(store, quantities="attributes")
    finding = folded.nodes["chang2004_overall_finding"]
    assert (finding["cohortSize"], finding["patientsWithOutcome"], finding["percentWithOutcome"],
            finding["medianFollowUp"]) == ("13 patients", "7 patients", "54 %", "53 months")
    assert not any(d["kind"] == "QuantityValue" for _, d in folded.nodes(data=True))
    assert G.nodes["gkq:671b06df8270"]["label"] == "< 4 years"


@pytest.mark.slow
def test_schema_provenance_and_inferred_only_when_asked(full, store, release):
    G = full
    assert not any(d["type"] in ("Class", "Evidence", "SourceDocument") for _, d in G.nodes(data=True))
    full = nxview.from_store(store, include_schema=True, include_provenance=True, include_inferred=True)
    assert full.has_edge("jmml_in_relapse", "gk:DiseaseInState", "instanceOf")
    assert full.has_edge("gk:DiseaseInState", "gk:Disease", "subClassOf")
    evidence = [n for n, d in full.nodes(data=True) if d["type"] == "Evidence"]
    assert len(evidence) == len(release.statements)
    code = G.edges["jmml_in_relapse", "ICD10CM:C93.32", "hasICD10Code"]["evidence"]
    assert set(full.successors(code)) == {"jmml_in_relapse", "ICD10CM:C93.32", "gksrc:icd10_c93_32_page"}
    assert full.nodes[code]["certainty"] == "Established"
    inverse = full.edges["fatigue", "jmml_in_relapse", "symptomOf"]
    assert inverse["inferred"] is True and inverse["evidence_count"] == 0


def test_hops_count_between_entities_when_provenance_is_in_the_view(full, store):
    """Evidence nodes and documents are not steps: the same entities within 2 hops with and without
    provenance, plus the evidence of the edges kept and the documents it cites."""
    with_provenance = nxview.from_store(store, include_provenance=True)
    plain = nxview.neighbourhood(full, "jmml", hops=2)
    around = nxview.neighbourhood(with_provenance, "jmml", hops=2)
    kinds = {n: d["type"] for n, d in around.nodes(data=True)}
    assert {n for n, kind in kinds.items() if kind not in nxview.PROVENANCE_TYPES} == set(plain)
    cited = {ev for *_, d in plain.edges(keys=True, data=True) for ev in d["evidence"].split("|")}
    assert {n for n, kind in kinds.items() if kind == "Evidence"} == cited
    assert {n for n, kind in kinds.items() if kind == "SourceDocument"} == {
        with_provenance.nodes[ev]["source"] for ev in cited}
    evidence = next(iter(sorted(cited)))                 # a provenance seed walks through provenance
    assert with_provenance.nodes[evidence]["source"] in nxview.neighbourhood(with_provenance, evidence, 1)


def test_a_source_documents_node_carries_what_it_is_cited_by(store, tmp_path):
    """With provenance, a document's node had its title only: an analyst in Gephi, Cytoscape or
    pandas could not cite an evidence's source (number, authors, date, publisher, citation, DOI,
    PMID, address), which the RDF formats carry. The attributes read back from GraphML and CSV."""
    import csv
    import io

    from graphkit.export import Context, render

    with_provenance = nxview.from_store(store, include_provenance=True)
    chang = with_provenance.nodes["gksrc:chang_2004_jmml_second_hsct"]
    assert {a: chang[a] for a in ("document_number", "creator", "date", "publisher", "citation", "source_type",
                                  "pmid", "doi", "see_also")} == {
        "document_number": "004", "creator": "Yu-Hsiang Chang et al.", "date": "2004-03",
        "publisher": "J Pediatr Hematol Oncol", "citation": "J Pediatr Hematol Oncol. 2004 Mar;26(3):190-3.",
        "source_type": "journal article abstract (review with case report)", "pmid": "",
        "doi": "10.1097/00043426-200403000-00009", "see_also": "https://doi.org/10.1097/00043426-200403000-00009"}
    nci = with_provenance.nodes["gksrc:nci_pdq_childhood_all"]
    assert (nci["pmid"], nci["see_also"]) == (
        "26389385", "https://pubmed.ncbi.nlm.nih.gov/26389385|https://www.cancer.gov/types/leukemia/patient/child-all-treatment-pdq")
    part = select(with_provenance, Selection(seeds=["jmml_in_relapse"], hops=1))
    (tmp_path / "part.graphml").write_text(render("graphml", part, Context(with_provenance))[""], encoding="utf-8")
    read = nx.read_graphml(tmp_path / "part.graphml", force_multigraph=True)
    assert read.nodes["gksrc:icd10_c93_32_page"]["document_number"] == "001"
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(
        render("csv", part, Context(with_provenance))["nodes.csv"]))}
    assert (rows["gksrc:icd10_c93_32_page"]["document_number"], rows["gksrc:icd10_c93_32_page"]["source_type"]) == (
        "001", "health-information condition page")


def test_k_hop_neighbourhood_of_jmml_in_relapse(G):
    assert set(nxview.neighbourhood(G, "jmml_in_relapse", hops=1)) == JMML_RELAPSE_1_HOP
    assert set(nxview.neighbourhood(G, "jmml_in_relapse", hops=2)) == JMML_RELAPSE_1_HOP | JMML_RELAPSE_2_HOPS_EXTRA
    symptoms = nxview.neighbourhood(G, "jmml_in_relapse", hops=2, predicates=["hasSymptom"])
    assert set(symptoms) == {"jmml_in_relapse", "bone_pain", "fatigue", "frequent_infections", "hepatomegaly",
                             "pallor", "splenomegaly"}
    assert {k for *_, k in symptoms.edges(keys=True)} == {"hasSymptom"}
    therapies = nxview.neighbourhood(G, "jmml_in_relapse", hops=1, types=["Therapy"])
    assert set(therapies) == {"jmml_in_relapse", "nutritional_support", "open_communication", "pain_relief_medication",
                              "psychological_support", "supportive_care", "supportive_monitoring"}
    outgoing = nxview.neighbourhood(G, "jmml_in_relapse", hops=1, direction="out")
    assert "jmml_relapse_after_hsct" not in outgoing and "jmml" in outgoing
    with pytest.raises(SelectionError, match="hops must be 0 or more"):
        nxview.neighbourhood(G, "jmml_in_relapse", hops=-1)


def test_explain_the_connection(G):
    steps = nxview.explain(G, "second_allogeneic_hsct", "fatigue")
    assert [(s.subject, s.predicate, s.object, s.forward) for s in steps] == [
        ("chang2004_case", "successfullyTreatedWith", "second_allogeneic_hsct", False),
        ("chang2004_case", "patientCondition", "jmml_relapse_after_hsct", True),
        ("jmml_relapse_after_hsct", "subtypeOf", "jmml_in_relapse", True),
        ("jmml_in_relapse", "hasSymptom", "fatigue", True),
    ]
    assert nxview.format_path(G, steps) == (
        "second_allogeneic_hsct second allogeneic hematopoietic stem cell transplantation "
        "<-[successfully treated with]- chang2004_case Chang et al. 2004 case: 5-year-old girl with JMML relapse "
        "after first transplant -[patient condition]-> jmml_relapse_after_hsct juvenile myelomonocytic leukemia "
        "relapsed after hematopoietic stem cell transplantation -[subtype of]-> jmml_in_relapse juvenile "
        "myelomonocytic leukemia, in relapse -[has symptom (often)]-> fatigue fatigue")
    # five connections of 4 steps, in the order of their node ids: the case, the review, the
    # advice for autologous recovery after HSCT (via JMML) and for early relapse after HSCT (via
    # JMML, or via relapse after HSCT); the JMML patients the advice is for are a step further
    # (their conditions are states of JMML, not JMML)
    first_steps = [(p[0].subject, p[1].object) for p in nxview.explain_all(G, "second_allogeneic_hsct", "fatigue")]
    assert first_steps == [("chang2004_case", "jmml_relapse_after_hsct"), ("chang2004_review", "jmml"),
                           ("jmml_autologous_recovery_after_hsct", "jmml"), ("jmml_early_relapse_after_hsct", "jmml"),
                           ("jmml_early_relapse_after_hsct", "jmml_relapse_after_hsct")]
    # ICD-10 C93.3 reaches fatigue two ways: via JMML, or via C93.32 (both 3 steps)
    both = {tuple(s.predicate for s in path) for path in nxview.explain_all(G, "ICD10CM:C93.3", "fatigue")}
    assert both == {("hasICD10Code", "stateOf", "hasSymptom"), ("parentCode", "hasICD10Code", "hasSymptom")}
    only_codes = nxview.explain(G, "ICD10CM:C93.3", "fatigue", predicates=["parentCode", "hasICD10Code", "hasSymptom"])
    assert [s.subject for s in only_codes] == ["ICD10CM:C93.32", "jmml_in_relapse", "jmml_in_relapse"]
    with pytest.raises(SelectionError, match="no connection"):
        nxview.explain(G, "jmml_in_relapse", "vincristine")


def test_ranking_components_and_projection(G):
    assert nxview.rank(G, "degree", top=2)[0][0] == "jmml_in_relapse"
    assert [n for n, _ in nxview.rank(G, "betweenness", top=3)] == ["jmml_in_relapse", "jmml", "chang2004_review"]
    # PageRank is networkx's on scipy: a dependency, so that the documented measure runs after `pip install`
    assert [n for n, _ in nxview.rank(G, "pagerank", top=2)] == ["jmml_in_relapse", "jmml"]
    phenotypes = nxview.rank(G, "degree", types=["Phenotype"], top=None)
    assert all("Phenotype" in G.nodes[n]["classes"] for n, _ in phenotypes)
    assert [n for n, _ in phenotypes[:8]] == ["bone_pain", "fatigue", "frequent_infections", "hepatomegaly",
                                              "pain", "pallor", "side_effects_of_treatment", "splenomegaly"]
    parts = nxview.components(G, min_size=2)
    assert [len(p) for p in parts] == [86, 2] and JMML_RELAPSE_1_HOP <= parts[0]
    # the time window Chang's advice is restricted to is a qualifier on the evidence, not an edge
    # (the period and its 6-month window stand apart)
    assert "within_6_months_of_first_transplant" in parts[1]
    assert sum(len(c) for c in nxview.components(G)) == G.number_of_nodes()
    simple = nxview.project(G)
    assert isinstance(simple, nx.DiGraph) and not simple.is_multigraph()
    assert simple.number_of_edges() == len({(u, v) for u, v in G.edges()})
    assert isinstance(nxview.project(G, directed=False), nx.Graph)
    with pytest.raises(SelectionError, match="measure must be one of"):
        nxview.rank(G, "closeness")


def test_resolve_names(G):
    assert nxview.resolve(G, "jmml_in_relapse") == "jmml_in_relapse"
    assert nxview.resolve(G, "JUVENILE MYELOMONOCYTIC LEUKEMIA, IN RELAPSE") == "jmml_in_relapse"
    # the code's title in its own case names the disease too, as a catalogue parameter reads it
    # (the source page's title named the code node); the code is named by its code
    assert nxview.resolve(G, "Juvenile myelomonocytic leukemia, in relapse") == "jmml_in_relapse"
    assert nxview.resolve(G, "ICD10CM:C93.32") == "ICD10CM:C93.32"
    assert nxview.resolve(G, "jmml relapse") == "jmml_in_relapse"
    assert nxview.resolve(G, "gke:jmml") == "jmml"
    assert nxview.resolve(G, "https://w3id.org/graphkit/entity/jmml") == "jmml"
    assert nxview.resolve(G, "icd10cm:c93.32") == "ICD10CM:C93.32"
    # British spelling, as the web search reads it (it was "unknown entity")
    assert nxview.resolve(G, "Juvenile myelomonocytic leukaemia in relapse") == "jmml_in_relapse"
    # the words in any order first, as the search page reads them (was "'JMML relapse'", a
    # spelling of the same entity)
    with pytest.raises(SelectionError, match=r"unknown entity 'JMML relapsed'; did you mean 'relapsed JMML' \(jmml_in_relapse\)"):
        nxview.resolve(G, "JMML relapsed")
    with pytest.raises(SelectionError, match=r"unknown entity 'CAR-T'; did you mean 'CAR T cell' \(car_t_cell\) or "
                                             r"'CAR T-cell therapy' \(car_t_cell_therapy\)"):
        nxview.resolve(G, "CAR-T")
    with pytest.raises(SelectionError, match="unknown entity 'zzzz'$"):
        nxview.resolve(G, "zzzz")
    assert nxview.resolve_predicate(G, "has symptom") == "hasSymptom"
    assert nxview.resolve_predicate(G, "gk:hasSymptom") == "hasSymptom"
    assert nxview.resolve_type(G, "therapy") == "Therapy"
    with pytest.raises(SelectionError, match="did you mean 'hasSymptom'") as info:
        nxview.resolve_predicate(G, "hasSymptoms")
    assert str(info.value).count("'hasSymptom'") == 1            # one suggestion, not one per spelling
    with pytest.raises(SelectionError, match=r"unknown type 'Drugg' \(no node has it\); did you mean 'Drug'\?$"):
        nxview.resolve_type(G, "Drugg")


def test_the_python_api_reads_names_as_the_command_line_does(full):
    """filtered, neighbourhood and explain take labels and refuse names nothing has (they used to
    return an empty graph for sources=["chang"], types=["Drugs"] or predicates=["hasSymptoms"])."""
    by_name = nxview.neighbourhood(full, "JMML in relapse", predicates=["has symptom"], types=["phenotype"])
    by_key = nxview.neighbourhood(full, "jmml_in_relapse", predicates=["hasSymptom"], types=["Phenotype"])
    assert set(by_name.edges(keys=True)) == set(by_key.edges(keys=True)) and by_key.number_of_edges() >= 6
    first = nxview.explain(full, "JMML", "fatigue", sources=JMML_DOCS)[0]
    assert "jmml" in (first.subject, first.object)
    for call, message in [
            (lambda: nxview.filtered(full, sources=["chang"]), "unknown source 'chang'"),
            (lambda: nxview.filtered(full, types=["Drugs"]), "unknown type 'Drugs' (no node has it); did you mean 'Drug' or 'DrugClass'?"),
            (lambda: nxview.neighbourhood(full, "jmml", predicates=["hasSymptoms"]), "did you mean 'hasSymptom'?"),
            (lambda: nxview.explain(full, "JMML in relaps", "fatigue"), "unknown entity 'JMML in relaps'")]:
        with pytest.raises(SelectionError) as info:
            call()
        assert message in str(info.value)


def test_source_restriction(full, G):
    assert set(G) == set(full)
    stated = select(full, Selection(sources=["chang_2004_jmml_second_hsct"]))
    assert set(stated) == {n for e in stated.edges() for n in e} and "chang2004_overall_finding" in stated
    assert all("chang_2004_jmml_second_hsct" in d["sources"].split("|") for *_, d in stated.edges(keys=True, data=True))
    assert all(set(d["sources"].split("|")) & set(JMML_DOCS) for *_, d in G.edges(keys=True, data=True))
    assert {e for e in full.edges(keys=True) if nxview.stated_by(full.edges[e], JMML_DOCS)} == set(G.edges(keys=True))
    assert nxview.resolve_source(full, "gksrc:chang_2004_jmml_second_hsct") == "chang_2004_jmml_second_hsct"
    # document numbers, as `export --source 004` takes them, without a store
    assert [nxview.resolve_source(full, n) for n in ("000", "001", "002", "003", "004")] == [
        "cainiu_qa_2023", "icd10_c93_32_page", "rxharun_pediatric_all_guide", "nci_pdq_childhood_all",
        "chang_2004_jmml_second_hsct"]
    assert set(select(full, Selection(sources=["004"])).edges(keys=True)) == set(stated.edges(keys=True))
    with pytest.raises(SelectionError, match="unknown source 'chang_2004' .*did you mean 'chang_2004_jmml_second_hsct'"):
        nxview.resolve_source(full, "chang_2004")
    with pytest.raises(SelectionError, match="unknown source 'zhou' .*; sources stating edges: cainiu_qa_2023, "
                                             "chang_2004_jmml_second_hsct, icd10_c93_32_page, "):
        nxview.resolve_source(full, "zhou")


def test_a_source_by_its_number_where_a_store_says_which_it_is(full, store):
    """The catalogue's ``source`` parameter takes a document's number; so do export's sources."""
    by_number = select(full, Selection(sources=["004"]), store=store)
    assert set(by_number.edges(keys=True)) == set(select(full, Selection(sources=["chang_2004_jmml_second_hsct"])).edges(keys=True))
    with pytest.raises(SelectionError, match=r"unknown source '009'; sources: cainiu_qa_2023, .* \(or their numbers "
                                             r"000, 001, 002, 003, 004, or DOI:10.1097/00043426-200403000-00009, "
                                             r"PMID:26389385 or their web addresses\)"):
        select(full, Selection(sources=["009"]), store=store)
    # the publication identifiers KGX's `publications` column gives the sources name them too
    nci = set(select(full, Selection(sources=["nci_pdq_childhood_all"])).edges(keys=True))
    assert set(select(full, Selection(sources=["PMID:26389385"]), store=store).edges(keys=True)) == nci
    assert set(select(full, Selection(sources=["doi:10.1097/00043426-200403000-00009"]), store=store).edges(keys=True)) \
        == set(by_number.edges(keys=True))
    # and a web address of the document, as copied from a browser: its page, its PubMed page, its DOI's
    for address in ("https://www.cancer.gov/types/leukemia/patient/child-all-treatment-pdq",
                    "https://pubmed.ncbi.nlm.nih.gov/26389385/", "http://www.ncbi.nlm.nih.gov/pubmed/26389385"):
        assert set(select(full, Selection(sources=[address]), store=store).edges(keys=True)) == nci, address
    for address in ("https://doi.org/10.1097/00043426-200403000-00009", "http://dx.doi.org/10.1097/00043426-200403000-00009"):
        assert set(select(full, Selection(sources=[address]), store=store).edges(keys=True)) == set(by_number.edges(keys=True))
    with pytest.raises(SelectionError, match=r"unknown source 'https://pubmed.ncbi.nlm.nih.gov/1/'"):
        select(full, Selection(sources=["https://pubmed.ncbi.nlm.nih.gov/1/"]), store=store)


def test_schema_view(store):
    S = nxview.schema_view(store)
    assert S.nodes["gk:Drug"]["kind"] == "Therapy" and S.nodes["gk:RiskFactor"]["kind"] == "Role"
    assert S.has_edge("gk:Drug", "gk:Therapy", "subClassOf")
    assert S.edges["gk:TreatmentContext", "gk:Therapy", "treatedWith"]["label"] == "treated with"


def test_the_readme_path_example_is_what_format_path_prints(full):
    """The README's explain example, its wrapped comment joined: each step with its qualifiers
    (the treatment edge is NCI's "rarely used as initial treatment", not a general truth)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    comment = readme.split('print(nxview.format_path(g, nxview.explain(g, "down_syndrome", "hsct")))\n', 1)[1]
    lines = [line.removeprefix("#").strip() for line in comment.split("```", 1)[0].splitlines()]
    shown = " ".join(lines[1:])
    assert shown == nxview.format_path(full, nxview.explain(full, "down_syndrome", "hsct"))
    assert "-[treated with (rarely; newly diagnosed disease, first-line treatment)]-> hsct" in shown


def test_a_shared_name_names_what_a_catalogue_parameter_names(full, store):
    """Every name two nodes share, as written, lower-cased and upper-cased, resolves to the node a
    catalogue parameter reads it as ("FISH", the synonym of the test, had named the food "fish")."""
    from graphkit.catalogue.params import resolve_entity

    shared = defaultdict(set)
    for node, data in full.nodes(data=True):
        for name in filter(None, [data.get("label", ""), *data.get("synonyms", "").split("|")]):
            shared[name.lower()].add(node)
    forms = {form for node, data in full.nodes(data=True)
             for name in filter(None, [data.get("label", ""), *data.get("synonyms", "").split("|")])
             if len(shared[name.lower()]) > 1 for form in (name, name.lower(), name.upper())}

    def read(resolver, form):
        try:
            return resolver(form)
        except GraphkitError:
            return "an error"

    assert len(forms) >= 30
    for form in sorted(forms):
        assert read(lambda f: nxview.resolve(full, f), form) == read(
            lambda f: compact(resolve_entity(store, f).value).removeprefix("gke:"), form), form
    notes = []
    assert nxview.resolve(full, "FISH") == "fluorescence_in_situ_hybridization" != nxview.resolve(full, "Fish", notes)
    assert notes == ["'Fish' is fish (fish_food); it also names fluorescence in situ hybridization "
                     "(fluorescence_in_situ_hybridization): give the id to mean that"]


def test_a_number_a_node_states_stays_a_number(full):
    """phaseOrder and studyPeriodStart (xsd:integer in the RDF) were strings in the view and every
    graph format, so phases sorted as text."""
    phases = sorted((d["phaseOrder"], n) for n, d in full.nodes(data=True) if "phaseOrder" in d)
    assert phases == [(1, "remission_induction"), (2, "consolidation_intensification"), (3, "maintenance")]
    assert full.nodes["chang2004_review"]["studyPeriodStart"] == 1988


def test_an_exact_mapping_names_its_entity_without_a_store(full):
    """`explain(G, "MONDO:0011908", "fever")` was 'unknown entity', though `export --seed` takes the
    identifier (through the store): the view's exact mappings name their node, a node's own id first."""
    assert nxview.resolve(full, "MONDO:0011908") == nxview.resolve(full, "mondo:0011908") == "jmml"
    assert nxview.resolve(full, "ICD10CM:C93.3") == "ICD10CM:C93.3"            # the code node, not jmml's xref
    assert nxview.explain(full, "MONDO:0011908", "fever")[0].subject == "jmml"
