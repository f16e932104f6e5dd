"""The query catalogue: every query runs with its example parameters and gives the documents'
answer (exact sets), the same on pyoxigraph and rdflib (in the same order); headers are complete; the generated
catalogue page is current."""

import re
from pathlib import Path

import pytest
import yaml

from graphkit.catalogue import Catalogue, load_catalogue, prepare
from graphkit.catalogue.doc import render
from graphkit.catalogue.files import parse_query_text
from graphkit.errors import QueryError
from graphkit.namespaces import compact
from graphkit.sparql import concat_columns

CATALOGUE_SIZE_AT_LEAST = 30


def example_params(query) -> dict:
    """The parameters of the query's (first) documented example."""
    return query.example_params[0] if query.example_params else {}


@pytest.fixture(scope="module")
def catalogue(project):
    return load_catalogue(project.queries_dir)


def run_query(catalogue, store, name, **params):
    """The query's rows with these parameters (its defaults for the others), values compacted
    (gke:x, ICD10CM:...), the parts of each GROUP_CONCAT value in order as `graphkit query` gives them."""
    prepared = prepare(catalogue[name], store, params)
    rows = store.query(prepared).with_sorted_parts(concat_columns(prepared.body)).rows
    return [{k: compact(str(v)) if str(v).startswith("http") else str(v) for k, v in row.items()} for row in rows]


@pytest.fixture(scope="module")
def answers(catalogue, store):
    """Every query's rows with its (first) example's parameters, as run_query gives them."""
    return {name: run_query(catalogue, store, name, **example_params(query)) for name, query in catalogue.items()}


@pytest.fixture(scope="module")
def ask(catalogue, store):
    """A query's records with other parameters than its example's: ``ask("drug-profile", drug="x")``."""
    def records(name, **params):
        prepared = prepare(catalogue[name], store, params)
        return store.query(prepared).with_sorted_parts(concat_columns(prepared.body)).records()
    return records


def column(rows, name, **where):
    return {row.get(name) for row in rows if all(row.get(k) == v for k, v in where.items())}


def test_catalogue_has_enough_documented_queries(catalogue):
    assert len(catalogue) >= CATALOGUE_SIZE_AT_LEAST
    for name, query in catalogue.items():
        for key in ("summary", "description", "expected"):
            assert getattr(query, key), f"{name}: the header needs '#+ {key}:' (README, How to add a catalogue query)"
        header = yaml.safe_load("\n".join(line[3:] for line in query.text.splitlines() if line.startswith("#+ ")))
        assert header["summary"] == query.summary
        for param in query.params.values():
            assert param.description, f"{name}: parameter {param.name} is undocumented"
        assert "PREFIX gk:" in query.body, f"{name}: declare prefixes so other SPARQL tools can run it"


def binding_note(query) -> str | None:
    """The header's comment that tells a user who copies the file into another engine to bind its
    parameters (None for a query whose parameters may all stay unbound, meaning any)."""
    names = [f"?{name}" for name, param in query.params.items() if not param.optional]
    if not names:
        return None
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    one = len(names) == 1
    return (f"#+ # Other engines: replace {listed} everywhere in the text with {'a term' if one else 'terms'} first "
            f"(`graphkit query {query.name} --show` prints the text bound, `--param` as above). Left unbound "
            f"{'it is' if one else 'they are'} not the default{'' if one else 's'}: the query answers for every value "
            f"at once, or for none, without an error.")


@pytest.mark.slow
def test_every_query_file_says_how_to_bind_its_parameters_elsewhere(catalogue, store):
    """A user who copied symptoms-of-disease.rq into their engine got 10 rows (JMML in relapse's, infection's)
    (the defaults' answer has 79 about childhood ALL), evidence-for-edge.rq every statement (2,814),
    treatments-for-condition.rq none: SPARQL has no way to fail on an unbound variable, so each file
    says it at its top, and the claim is checked on the file's text run as it is."""
    for name, query in catalogue.items():
        note = binding_note(query)
        header = [line for line in query.text.splitlines() if line.startswith("#+ # ")]
        assert header == ([note] if note else []), f"{name}: the header should hold the line\n{note}"
    unbound = store.query(catalogue["symptoms-of-disease"].body).row_count
    assert (unbound, len(run_query(catalogue, store, "symptoms-of-disease"))) == (10, 79)
    statements = store.query("PREFIX gk: <https://w3id.org/graphkit/schema#> "
                             "SELECT (COUNT(?evidence) AS ?n) WHERE { ?evidence a gk:Evidence }")
    assert store.query(catalogue["evidence-for-edge"].body).row_count == int(statements.rows[0]["n"]) > 2800
    assert store.query(catalogue["treatments-for-condition"].body).row_count == 0


def test_every_query_has_a_test_of_its_answer(catalogue):
    """Each query is named in a test of this file (its exact answer asserted), beyond the lists
    that only tune other tests."""
    text = Path(__file__).read_text(encoding="utf-8")
    text = re.sub(r"\nPARAMETER_VALUES = \{.*?\n\}\n", "\n", text, flags=re.S)
    text = text[:text.index("def test_every_query_has_a_test_of_its_answer")] + \
        text[text.index("def test_every_query_runs_with_defaults"):]
    untested = sorted(name for name in catalogue if f'"{name}"' not in text)
    assert untested == [], (f"no test in tests/catalogue/test_answers.py names {', '.join(untested)}: add a test of "
                            "its exact answer (the answers fixture runs its first example; README, How to add ... a "
                            "catalogue query)")


def test_every_query_runs_with_defaults(catalogue, store):
    for name, query in catalogue.items():
        results = store.query(prepare(query, store))
        assert results.kind == "select", name


# A sub-SELECT's LIMIT that no answer reaches tells pyoxigraph's optimizer that few rows come
# before the OPTIONALs after it (README, "How to add ... a catalogue query").
PLANNING_LIMIT = re.compile(r"\bLIMIT\s+(\d+)\s*\}")


def test_no_planning_limit_changes_an_answer(catalogue, store):
    """Each query with its limits and without them gives the same rows with its defaults and
    examples: a limit tells the engine's optimizer something, and never cuts an answer. The
    sub-SELECTs of required patterns take 100000000, above the number of triples the store holds."""
    limited = {name: q for name, q in catalogue.items() if PLANNING_LIMIT.search(q.body)}
    assert {"symptoms-of-disease", "statements-from-source", "evidence-for-edge"} <= set(limited)
    assert len(store) < 100000000
    for name, query in limited.items():
        unlimited = parse_query_text(query.text.replace(query.body, PLANNING_LIMIT.sub("}", query.body)), name)
        for params in [{}, *query.example_params]:
            with_limit = store.query(prepare(query, store, params)).with_sorted_parts(concat_columns(query.body))
            without = store.query(prepare(unlimited, store, params)).with_sorted_parts(concat_columns(query.body))
            assert with_limit.texts() == without.texts(), (name, params)


def test_the_queries_that_need_the_inferred_graph_say_so(catalogue):
    """The exploration queries show the edges the store holds: their headers say `needs: inferred`
    (which `graphkit conformance` reads), and test_what_needs_the_inferred_graph checks what they
    lack without ontology/inferred.ttl."""
    assert {name for name, q in catalogue.items() if "inferred" in q.needs} == {"describe-entity", "path-between"}
    with pytest.raises(QueryError, match=r"x: needs: \['reasoner'\]: a query can need only inferred"):
        parse_query_text("#+ summary: s\n#+ needs: reasoner\nSELECT * WHERE {}", "x")


def test_a_parameter_the_query_does_not_use_is_refused():
    """A declared parameter whose variable the query never names would take any value and change
    nothing: refused when the file is read, naming it."""
    with pytest.raises(QueryError, match=r"^x: parameter 'source' is declared in the header but \?source is not in "
                                         r"the query$"):
        parse_query_text('#+ summary: s\n#+ params:\n#+   source: {type: string, default: "004"}\n'
                         'SELECT ?s WHERE { ?s ?p "?source" } # ?source', "x")
    query = parse_query_text("#+ summary: s\n#+ params:\n#+   doc: {type: string, default: x}\n"
                             "SELECT ?s WHERE { ?s ?p $doc }", "x")
    assert list(query.params) == ["doc"]


@pytest.fixture(scope="module")
def plain_store(project, store):
    """The embedded store without the inferred graph: all.ttl and the import modules."""
    from graphkit.store import OxigraphStore

    plain = OxigraphStore.from_project(project, include_inferred=False, include_external=False)
    assert len(plain) < len(store)
    return plain


def runs_with_and_without_inferred(query, store, plain):
    """(params, canonical rows without the inferred graph, with it) for the defaults and the example."""
    concatenated = concat_columns(query.body)
    for params in ({}, example_params(query)):
        yield (params, plain.query(prepare(query, plain, params)).canonical(concatenated),
               store.query(prepare(query, store, params)).canonical(concatenated))


def test_queries_need_no_reasoner(catalogue, store, plain_store):
    """Every other query follows inverses, subproperties, subclasses and transitive chains itself,
    so any SPARQL 1.1 engine holding all.ttl and the import modules gives the same answers."""
    for name, query in catalogue.items():
        if "inferred" in query.needs:
            continue
        for params, without, with_inferred in runs_with_and_without_inferred(query, store, plain_store):
            assert without == with_inferred, (name, params)


def test_what_needs_the_inferred_graph(catalogue, store, plain_store):
    """As their headers say: without inferred.ttl, describe-entity gives exactly the rows of the
    full answer but those with evidence 0 that the reasoner adds, and path-between a subset of its
    paths (here none: its defaults and example connect only through inverse edges)."""
    from collections import Counter

    for params, without, with_inferred in runs_with_and_without_inferred(catalogue["describe-entity"], store,
                                                                          plain_store):
        added = Counter(with_inferred) - Counter(without)
        assert not Counter(without) - Counter(with_inferred), params
        assert added and {row[-1] for row in added} == {'"0"^^<http://www.w3.org/2001/XMLSchema#integer>'}, params
    for params, without, with_inferred in runs_with_and_without_inferred(catalogue["path-between"], store,
                                                                          plain_store):
        assert with_inferred and without == [], params


@pytest.mark.slow
def test_every_query_gives_the_same_answer_on_rdflib(catalogue, store, project):
    from graphkit.store import RdflibStore

    reference = RdflibStore.from_project(project)
    for name, query in catalogue.items():
        params = example_params(query)
        fast = store.query(prepare(query, store, params))
        slow = reference.query(prepare(query, reference, params))
        concatenated = concat_columns(query.body)
        assert fast.in_order(concatenated) == slow.in_order(concatenated), name    # the rows, in one order


# --- the documents' answers -------------------------------------------------------------------------


def test_symptoms_of_jmml_in_relapse(answers):
    rows = answers["symptoms-of-disease"]
    assert column(rows, "symptom") == {"gke:bone_pain", "gke:fatigue", "gke:hepatomegaly", "gke:pallor",
                                       "gke:frequent_infections", "gke:splenomegaly"}
    assert column(rows, "certainty") == {"established"} and column(rows, "sources") == {"001"}


def test_diseases_with_anemia(answers):
    assert {(r["disease"], r["certainty"]) for r in answers["diseases-with-symptom"]} == {
        ("gke:childhood_all", "established"), ("gke:intermediate_risk_childhood_b_all", "established"),
        ("gke:leukemia", "established")}


def test_a_statement_is_not_shared_with_itself(catalogue, store):
    """B-cell ALL is under childhood ALL: what is stated for it reaches both sides, and pairs only with
    statements made for another subject."""
    rows = run_query(catalogue, store, "shared-symptoms", disease_a="childhood_all", disease_b="b_all")
    assert rows and all(r["via_a_label"] != r["via_b_label"] for r in rows)
    assert column(rows, "symptom") == {"gke:anemia", "gke:fever", "gke:thrombocytopenia"}


def test_shared_symptoms_of_all_and_jmml(catalogue, store):
    rows = run_query(catalogue, store, "shared-symptoms", disease_a="childhood_all", disease_b="jmml")
    assert column(rows, "symptom") == {
        "gke:bone_pain", "gke:fatigue", "gke:hepatomegaly", "gke:pallor", "gke:frequent_infections",
        "gke:splenomegaly"}
    # each side's scope as its sources state it: JMML in relapse from the ICD-10 page's "Common signs"
    # (001), childhood ALL from NCI (003) and the guide (002), whose lists say "often" or "sometimes"
    assert {(r["via_b_label"], r["certainty_b"], r.get("frequency_b"), r["sources_b"]) for r in rows} == {
        ("juvenile myelomonocytic leukemia, in relapse", "established", "often", "001")}
    bone_pain = {(r["certainty_a"], r.get("frequency_a"), frozenset(r["sources_a"].split(",")))
                 for r in rows if r["symptom"] == "gke:bone_pain"}
    # NCI states it plainly; the guide's symptom list hedges it (its prevention tip, "whenever a child
    # has prolonged fever, bruising, pallor, or bone pain", is no symptom statement)
    assert bone_pain == {("established", None, frozenset({"003"})), ("established", "sometimes", frozenset({"002"}))}


def test_symptoms_childhood_all_shares_with_an_infection(answers):
    """The example: the guide's signs of infection (002, "often") that are signs of childhood ALL too."""
    rows = answers["shared-symptoms"]
    assert column(rows, "symptom_label") == {"fever", "splenomegaly", "tachycardia", "tachypnea"}
    assert {(r["via_b_label"], r["certainty_b"], r["frequency_b"], r["sources_b"]) for r in rows} == {
        ("infection", "established", "often", "002")}
    # fever on the ALL side three times: NCI plainly, the guide "often", the Q&A's B-ALL "may present"
    fever = {(r["via_a_label"], r.get("frequency_a"), r["sources_a"]) for r in rows if r["symptom_label"] == "fever"}
    assert fever == {
        (CHILDHOOD_ALL, None, "003"), (CHILDHOOD_ALL, "often", "002"),
        ("intermediate-risk childhood B-cell acute lymphoblastic leukemia", "sometimes", "000")}
    assert len(rows) == 8


def test_symptoms_of_disease_give_what_is_said_of_some_members_only(ask):
    """The guide's splenomegaly in infection is said of some infections (gk:forSomeMembersOnly),
    which the answer had dropped."""
    assert {(r["symptom_label"], r.get("frequency"), r.get("some_members"))
            for r in ask("symptoms-of-disease", disease="infection")} == {
        ("fever", "often", None), ("splenomegaly", "often", True), ("tachycardia", "often", None),
        ("tachypnea", "often", None)}


def test_diseases_with_symptom_give_what_is_said_of_some_members_only(ask):
    """The guide's splenomegaly in some infections (gk:forSomeMembersOnly), which the answer had dropped."""
    assert {(r["disease_label"], r.get("frequency"), r.get("some_members"), r["sources"])
            for r in ask("diseases-with-symptom", symptom="splenomegaly")} == {
        (CHILDHOOD_ALL, "often", None, "002"), (CHILDHOOD_ALL, "sometimes", None, "002"),
        ("infection", "often", True, "002"), ("juvenile myelomonocytic leukemia, in relapse", "often", None, "001")}


def test_shared_symptoms_give_what_is_said_of_some_members_only(answers):
    """The example: the guide's splenomegaly in some infections (gk:forSomeMembersOnly) on the
    infection side, which the answer had dropped."""
    rows = answers["shared-symptoms"]
    assert {(r["symptom_label"], r.get("some_members_b")) for r in rows} == {
        ("fever", None), ("splenomegaly", "true"), ("tachycardia", None), ("tachypnea", None)}
    assert column(rows, "some_members_a") == {None}


def test_shared_risk_factors_and_triggers(catalogue, store):
    rows = run_query(catalogue, store, "shared-risk-factors", disease_a="childhood_all",
                     disease_b="intermediate_risk_childhood_b_all")
    # the guide's chemical factor is benzene (002 discusses no other chemical): not the Q&A's chemical exposures
    assert column(rows, "factor") == {"gke:viral_infection"}
    assert column(rows, "relation_b") == {"has cause"}
    # the guide (002) hedges what the Q&A (000) states as a usual trigger
    assert {(r["factor"], r["relation_a"], r["certainty_a"], r["sources_a"], r["certainty_b"], r.get("frequency_b"),
             r["sources_b"]) for r in rows} == {
        ("gke:viral_infection", "has risk factor", "under study", "002", "established", "sometimes", "000")}


def test_past_chemotherapy_is_a_risk_of_childhood_all_and_a_cause_of_secondary_leukemia(answers):
    """The example: NCI's "other possible risk factors for ALL include ... past treatment with
    chemotherapy" (003) beside the guide's secondary leukemia that previous chemotherapy "sometimes"
    leads to, and "may" cause (002)."""
    assert {(r["factor_label"], r["relation_a"], r["certainty_a"], r["sources_a"], r["via_b_label"], r["relation_b"],
             r["certainty_b"], r.get("frequency_b"), r["sources_b"]) for r in answers["shared-risk-factors"]} == {
        ("past treatment with chemotherapy", "has risk factor", "possible", "003", "secondary leukemia", "has cause",
         "possible", None, "002"),
        ("past treatment with chemotherapy", "has risk factor", "possible", "003", "secondary leukemia",
         "has risk factor", "established", "sometimes", "002")}


def test_risk_factors_include_causes_stated_for_subtypes(catalogue, store):
    """The Q&A (000): intermediate-risk B-ALL is "usually triggered by factors such as genetic
    predisposition, viral infections, and chemical exposures" (gk:hasCause)."""
    triggers = {("gke:genetic_predisposition", "has cause", "sometimes", "000"),
                ("gke:viral_infection", "has cause", "sometimes", "000"),
                ("gke:chemical_exposure", "has cause", "sometimes", "000")}
    rows = run_query(catalogue, store, "risk-factors-of-disease", disease="intermediate_risk_childhood_b_all")
    assert {(r["factor"], r["relation"], r["frequency"], r["sources"]) for r in rows} == triggers
    childhood = run_query(catalogue, store, "risk-factors-of-disease", disease="childhood_all")
    assert {(r["factor"], r["relation"], r["frequency"], r["sources"]) for r in childhood
            if r["stated_for_label"] != CHILDHOOD_ALL} == triggers
    assert column(childhood, "relation", stated_for_label=CHILDHOOD_ALL) == {"has risk factor"}
    # what raises the risk of relapse (a disease state) is relapse-risk-factors' answer, not this one's
    assert "gke:medication_nonadherence" not in column(childhood, "factor")
    only_itself = run_query(catalogue, store, "risk-factors-of-disease", disease="childhood_all",
                            include_subtypes="false")
    assert column(only_itself, "stated_for_label") == {CHILDHOOD_ALL}


def test_risk_factors_under_study(answers):
    assert column(answers["risk-factors-of-disease"], "factor") == {
        "gke:pesticide_exposure", "gke:environmental_factors", "gke:ct_scan_exposure", "gke:solvent_exposure",
        "gke:viral_infection", "gke:prenatal_xray_exposure"}
    # tobacco smoke: "may slightly increase the risk of leukemia in children, but results are mixed"
    # (under study), stated for leukemia in children, not ALL


def test_a_certainty_as_answers_print_it(catalogue, store):
    """"under study", as the answers print it, is the value under_study."""
    query = catalogue["risk-factors-of-disease"]
    assert prepare(query, store, {"certainty": "under study"}) == prepare(query, store, {"certainty": "under_study"})


def test_tests_that_detect_a_mediastinal_mass(answers):
    rows = answers["tests-that-detect"]
    assert column(rows, "test") == {"gke:chest_xray", "gke:ct_scan", "gke:mri"}
    assert column(rows, "sources", test="gke:chest_xray") == {"002,003"}


def test_tests_for_jmml_in_relapse(answers):
    rows = answers["tests-for-disease"]
    assert column(rows, "test") == {"gke:bone_marrow_aspiration", "gke:genetic_testing", "gke:imaging_tests"}
    assert column(rows, "certainty") == {"established"}    # "may include": options, some patients (frequency)
    assert column(rows, "frequency") == {"sometimes"}      # shown: the column was missing


def test_tests_that_detect_keep_a_hedged_finding(ask):
    """"Abnormal patterns can suggest seizures" (002): the EEG detects seizures, possible."""
    rows = ask("tests-that-detect", target="seizures")
    assert [(compact(str(r["test"])), r["certainty"]) for r in rows] == [("gke:eeg", "possible")]


def test_treatments_for_standard_risk(answers):
    rows = answers["treatments-for-condition"]
    assert column(rows, "therapy") == {"gke:combination_chemotherapy", "gke:intrathecal_chemotherapy",
                                       "gke:allogeneic_hsct"}
    combination = next(r for r in rows if r["therapy"] == "gke:combination_chemotherapy")
    assert combination["frequency"] == "always"
    assert combination["state"] == "newly diagnosed disease"          # NCI's "newly diagnosed" sections
    assert set(combination["phases"].split("; ")) == {"remission induction", "consolidation/intensification",
                                                      "maintenance"}
    # the transplant is stated for a patient group within standard risk, not for the risk group
    transplant = next(r for r in rows if r["therapy"] == "gke:allogeneic_hsct")
    assert transplant["stated_for_label"].startswith("children with a poor response")
    assert transplant["frequency"] == "sometimes"


SCOPE_COLUMNS = ("population", "state", "line", "period", "phases")
CHILDHOOD_ALL = "childhood acute lymphoblastic leukemia"


def test_treatments_for_childhood_all_show_who_states_them_and_for_whom(catalogue, store):
    """The guide restricts CAR T-cells, blinatumomab, inotuzumab, imatinib/dasatinib and nelarabine to
    relapsed/refractory, Ph+ and T-cell ALL: its statements appear only under those subjects. NCI's
    broad lists stay on childhood ALL as NCI words them ("used"; targeted therapy "used or studied")."""
    rows = run_query(catalogue, store, "treatments-for-condition", condition="childhood_all")
    restricted_drugs = {"gke:car_t_cell_therapy", "gke:tisagenlecleucel", "gke:blinatumomab",
                        "gke:inotuzumab_ozogamicin", "gke:imatinib", "gke:dasatinib", "gke:nelarabine"}
    guide = [r for r in rows if r["therapy"] in restricted_drugs and "002" in r["sources"].split(",")]
    assert guide and all(r["stated_for_label"] != CHILDHOOD_ALL for r in guide)
    assert {r["stated_for_label"] for r in guide} <= {
        "relapsed or refractory childhood acute lymphoblastic leukemia",
        "relapsed or refractory B-cell precursor acute lymphoblastic leukemia in children",
        "relapsed childhood acute lymphoblastic leukemia",
        "relapsed or refractory childhood T-cell acute lymphoblastic leukemia",
        "childhood T-cell acute lymphoblastic leukemia",
        "Philadelphia chromosome-positive acute lymphoblastic leukemia",
        "childhood Philadelphia chromosome-positive acute lymphoblastic leukemia",
        "children with high minimal residual disease"}
    car_t = {(r["stated_for_label"], r["sources"], r.get("frequency")) for r in guide
             if r["therapy"] == "gke:car_t_cell_therapy"}
    # the guide's "mainly used for children whose leukemia has come back ... Not every child needs
    # this therapy": sometimes, as NCI's "may include" (one row, both sources)
    assert ("relapsed or refractory childhood acute lymphoblastic leukemia", "002,003", "sometimes") in car_t
    broad = {(r["therapy"], r["certainty"]) for r in rows
             if r["stated_for_label"] == CHILDHOOD_ALL and r["therapy"] in restricted_drugs}
    assert broad == {("gke:car_t_cell_therapy", "established"), ("gke:blinatumomab", "established"),
                     ("gke:nelarabine", "established"), ("gke:imatinib", "under study"),
                     ("gke:dasatinib", "under study"), ("gke:inotuzumab_ozogamicin", "under study")}
    assert all(r["sources"] == "003" for r in rows
               if r["stated_for_label"] == CHILDHOOD_ALL and r["therapy"] in restricted_drugs)


def test_treatments_for_condition_restricted_parameter(catalogue, store):
    every = run_query(catalogue, store, "treatments-for-condition", condition="childhood_all")
    plain = run_query(catalogue, store, "treatments-for-condition", condition="childhood_all", restricted="exclude")
    scoped = run_query(catalogue, store, "treatments-for-condition", condition="childhood_all", restricted="only")
    assert plain and scoped
    assert all(r["stated_for_label"] == CHILDHOOD_ALL and not any(r.get(c) for c in SCOPE_COLUMNS) for r in plain)
    assert all(r["stated_for_label"] != CHILDHOOD_ALL or any(r.get(c) for c in SCOPE_COLUMNS) for r in scoped)
    def key(row):      # the order of GROUP_CONCAT parts is not defined
        return tuple(sorted((k, ",".join(sorted(v.split(","))) if k == "sources" else v) for k, v in row.items()))
    assert sorted(map(key, plain + scoped)) == sorted(map(key, every))
    assert "gke:car_t_cell_therapy" in column(scoped, "therapy")
    # a statement on a disjunctive node ("relapsed or refractory") counts for each of its states
    relapsed = run_query(catalogue, store, "treatments-for-condition", condition="relapsed_childhood_all",
                         restricted="exclude")
    assert ("gke:car_t_cell_therapy", "relapsed or refractory childhood acute lymphoblastic leukemia") in {
        (r["therapy"], r["stated_for_label"]) for r in relapsed}


def test_treatments_for_condition_give_what_is_said_of_some_members_only(ask):
    """The guide's "there are now targeted medicines that work against this abnormal protein" and
    tyrosine kinase inhibitors for Ph+ ALL, its probiotics and IVIG, NCI's targeted therapy: said of
    some members of the therapy class (gk:forSomeMembersOnly), which the answer had dropped."""
    rows = ask("treatments-for-condition", condition="childhood_all")
    assert {(r["therapy_label"], r["stated_for_label"], r["certainty"], r.get("frequency"), r["sources"])
            for r in rows if r.get("some_members") is not None} == {
        ("targeted therapy", "childhood Philadelphia chromosome-positive acute lymphoblastic leukemia", "established",
         None, "002"),
        ("tyrosine kinase inhibitors", "childhood Philadelphia chromosome-positive acute lymphoblastic leukemia",
         "established", "sometimes", "002"),
        ("probiotics", CHILDHOOD_ALL, "possible", "sometimes", "002"),
        ("targeted therapy", CHILDHOOD_ALL, "established", "sometimes", "003")}
    assert {r.get("some_members") for r in rows} == {None, True} and len(rows) == 198
    assert [(r["therapy_label"], r.get("some_members"), r.get("population"))
            for r in ask("treatments-for-condition", condition="antibody_deficiency")] == [
        ("intravenous immunoglobulin", True, CHILDHOOD_ALL)]


def test_therapies_in_remission_induction(answers, catalogue, store):
    rows = answers["therapies-in-phase"]
    assert column(rows, "therapy") == {"gke:cns_directed_therapy", "gke:combination_chemotherapy", "gke:prednisone"}
    assert "gke:standard_risk" not in column(rows, "for_label")
    assert "standard-risk childhood ALL" in column(rows, "for_label", therapy="gke:combination_chemotherapy")
    # "sometimes during maintenance therapy" (003) is said once, as a treatment of childhood ALL, not
    # again with a blank condition from the same document's gk:usedInPhase; a patient group defined by
    # its disease (infants with ALL) does not repeat the disease's row
    maintenance = run_query(catalogue, store, "therapies-in-phase", phase="maintenance")
    assert {(r["for_label"], r["frequency"]) for r in maintenance if r["therapy"] == "gke:cns_directed_therapy"} == {
        (CHILDHOOD_ALL, "sometimes")}
    assert column(maintenance, "for_label", therapy="gke:mercaptopurine") == {None}       # the guide names none
    combination = column(maintenance, "for_label", therapy="gke:combination_chemotherapy")
    assert "infant acute lymphoblastic leukemia" in combination
    assert not {"infants with acute lymphoblastic leukemia", "children with Down syndrome and acute lymphoblastic leukemia",
                "adolescents and young adults with acute lymphoblastic leukemia"} & combination


def test_drugs_by_target(answers, store, project):
    assert column(answers["drugs-by-target"], "therapy") == {"gke:inotuzumab_ozogamicin"}
    query = Catalogue(project).get("drugs-by-target")
    cd19 = {compact(str(r["therapy"])) for r in store.query(prepare(query, store, {"target": "CD19"})).rows}
    assert cd19 == {"gke:blinatumomab", "gke:tisagenlecleucel"}


def test_drugs_by_target_gives_the_scope_each_is_stated_in(ask):
    """The guide's "there are now targeted medicines that work against this abnormal protein" (the
    BCR-ABL1 protein of Ph+ ALL) is said of some targeted medicines, for children with Ph+ ALL:
    the answer had given "targeted therapy targets the BCR-ABL1 protein" with neither."""
    assert {(r["therapy_label"], r.get("some_members"), r.get("scope"))
            for r in ask("drugs-by-target", target="bcr_abl1_protein")} == {
        ("dasatinib", None, None), ("imatinib mesylate", None, None),
        ("targeted therapy", True, "childhood Philadelphia chromosome-positive acute lymphoblastic leukemia")}


def test_drugs_by_mechanism(answers, catalogue, store):
    assert column(answers["drugs-by-mechanism"], "therapy") == {
        "gke:asparaginase", "gke:pegaspargase", "gke:e_coli_asparaginase", "gke:erwinia_asparaginase"}
    # one row per therapy: the curated mechanism beside the sources' words for it
    dna = run_query(catalogue, store, "drugs-by-mechanism", text="DNA")
    assert len(dna) == len(column(dna, "therapy"))
    assert column(dna, "therapy") == {"gke:anthracyclines", "gke:cyclophosphamide", "gke:cytarabine", "gke:folate",
                                      "gke:mercaptopurine", "gke:methotrexate", "gke:nelarabine"}
    methotrexate = next(r for r in dna if r["therapy"] == "gke:methotrexate")
    assert methotrexate["mechanism"] == "blocks folate pathways needed to make DNA"


def test_side_effects_of_daunorubicin_include_its_class(answers):
    rows = answers["side-effects-of-drug"]
    assert column(rows, "effect", stated_for_label="anthracyclines") == {
        "gke:alopecia", "gke:heart_problems", "gke:mouth_sores", "gke:low_blood_counts"}
    assert "chemotherapy" in column(rows, "stated_for_label")


def test_drugs_with_low_blood_counts(answers):
    assert column(answers["drugs-with-side-effect"], "therapy") == {
        "gke:anthracyclines", "gke:cyclophosphamide", "gke:cytarabine", "gke:dasatinib", "gke:daunorubicin",
        "gke:doxorubicin", "gke:high_dose_cytarabine", "gke:high_dose_methotrexate", "gke:inotuzumab_ozogamicin",
        "gke:mercaptopurine", "gke:methotrexate", "gke:nelarabine", "gke:vincristine"}


def test_drugs_sharing_side_effects_with_cytarabine(answers):
    rows = answers["drugs-sharing-side-effects-with"]
    assert "gke:cytarabine" not in column(rows, "other")
    shared = {r["other"]: set(r["effects"].split("; ")) for r in rows}
    # chemotherapy's effects (002) reach both drugs; hair loss is stated for cytarabine itself, and
    # for chemotherapy only as "many of the chemotherapy drugs" (some members): not methotrexate's
    assert shared["gke:methotrexate"] == {
        "balance impairment", "bone thinning (childhood acute lymphoblastic leukemia)", "decreased serum zinc",
        "gastrointestinal mucositis", "leukopenia", "mouth sores", "muscle weakness", "myelosuppression",
        "reduced flexibility"}
    assert "alopecia" in shared["gke:vincristine"]
    # each effect as the other side states it, with its restriction: chemotherapy's bone thinning in
    # childhood ALL, the corticosteroids' (and prednisone's) for long-term use, dexamethasone's own plainly
    bone = {other: {e for e in effects if e.startswith("bone thinning")} for other, effects in shared.items()}
    assert bone["gke:prednisone"] == {"bone thinning (childhood acute lymphoblastic leukemia)",
                                      "bone thinning (long-term use)"}
    assert bone["gke:dexamethasone"] == bone["gke:prednisone"] | {"bone thinning"}
    assert bone["gke:etoposide"] == {"bone thinning (childhood acute lymphoblastic leukemia)"}
    assert {r["other"]: r["shared"] for r in rows}["gke:dexamethasone"] == "8"     # one effect, however stated
    # what the other drug's side states the shared effects for: a class, or the drug itself too
    stated_for = {r["other"]: r["stated_for"] for r in rows}
    assert (stated_for["gke:e_coli_asparaginase"], stated_for["gke:daunorubicin"], stated_for["gke:vincristine"]) == (
        "chemotherapy", "anthracyclines; chemotherapy", "chemotherapy; vincristine")
    assert "gke:tisagenlecleucel" not in shared     # cytarabine's neurological symptoms only at higher doses
    # "certain chemotherapy and targeted drugs can make skin more sensitive": no targeted drug shares it
    assert not [r for r in rows if "photosensitivity" in r["effects"]]
    assert {r["other_label"] for r in rows if r["shared"] == "1"} == {
        "blinatumomab", "dasatinib", "imatinib mesylate", "inotuzumab ozogamicin"}
    # the same effects as cytarabine's side states them: its bone thinning is chemotherapy's, in
    # childhood ALL, whichever drug shares it (dexamethasone's plain statement is dexamethasone's)
    mine = {r["other"]: set(r["drug_effects"].split("; ")) for r in rows}
    assert mine["gke:methotrexate"] == shared["gke:methotrexate"]
    assert mine["gke:dexamethasone"] == shared["gke:dexamethasone"] - {"bone thinning", "bone thinning (long-term use)"}
    assert {effect for effects in mine.values() for effect in effects if effect.startswith("bone thinning")} == {
        "bone thinning (childhood acute lymphoblastic leukemia)"}


def test_a_shared_side_effect_is_shown_with_each_sides_restrictions(ask):
    """Prednisone's bone thinning is stated for long-term use (and, through chemotherapy and the
    corticosteroids, in childhood ALL), dexamethasone's also plainly: the shared effect was listed
    only as the other drug's side states it, so that etoposide's row read as if prednisone's side
    were restricted to childhood ALL, and prednisone's row for dexamethasone as if plain there too."""
    def bone(rows):
        return {r["other_label"]: ({e for e in r["effects"].split("; ") if e.startswith("bone")},
                                   {e for e in r["drug_effects"].split("; ") if e.startswith("bone")}) for r in rows}

    all_ = "(childhood acute lymphoblastic leukemia)"
    prednisone = bone(ask("drugs-sharing-side-effects-with", drug="prednisone"))
    assert prednisone["etoposide"] == ({f"bone thinning {all_}"},
                                       {f"bone thinning {all_}", "bone thinning (long-term use)"})
    assert prednisone["dexamethasone"] == (
        {"bone thinning", f"bone thinning {all_}", "bone thinning (long-term use)", "bone problems",
         f"bone fracture {all_}", "bone fracture (long-term use)"},
        {f"bone thinning {all_}", "bone thinning (long-term use)", "bone problems",
         f"bone fracture {all_}", "bone fracture (long-term use)"})
    dexamethasone = bone(ask("drugs-sharing-side-effects-with", drug="dexamethasone"))
    assert dexamethasone["prednisone"] == prednisone["dexamethasone"][::-1]
    assert dexamethasone["etoposide"] == ({f"bone thinning {all_}"},
                                          {"bone thinning", f"bone thinning {all_}", "bone thinning (long-term use)"})


def test_relapse_treatments_by_site(answers):
    rows = answers["relapse-treatments-by-site"]
    by_state = {}
    for r in rows:
        by_state.setdefault(r["state_label"], set()).add((r["therapy_label"], r["certainty"], r.get("frequency")))
    # NCI's "Treatment of relapsed ... may include:" lists options: established, sometimes (the hedge rule)
    assert by_state["childhood acute lymphoblastic leukemia relapsed in the bone marrow"] == {
        (t, "established", "sometimes") for t in ("allogeneic hematopoietic stem cell transplantation", "blinatumomab",
                                                  "combination chemotherapy", "immunotherapy", "targeted therapy")}
    assert by_state["childhood acute lymphoblastic leukemia relapsed in the testicles only"] == {
        ("combination chemotherapy", "established", "sometimes"), ("radiation therapy", "established", "sometimes")}
    assert by_state["childhood acute lymphoblastic leukemia in second relapse"] == {
        ("CAR T-cell therapy", "under study", None)}
    cns = {t for t, _, _ in by_state["childhood acute lymphoblastic leukemia relapsed in the brain and spinal cord only"]}
    assert cns == {"systemic chemotherapy", "intrathecal chemotherapy",
                   "radiation therapy to the brain and/or spinal cord", "hematopoietic stem cell transplantation"}
    # the disjunctive node (inState relapse, refractory; stateCombination AnyOf) is found by state
    either = by_state["relapsed or refractory childhood acute lymphoblastic leukemia"]
    # the guide ("mainly used ...; not every child needs this therapy") and NCI ("may include"): sometimes
    assert ("CAR T-cell therapy", "established", "sometimes") in either
    assert ("CAR T-cell therapy", "established", "usually") not in either
    sites = {r["relapse_sites"] for r in rows if r["state_label"].endswith("relapsed in the bone marrow")}
    assert sites == {"bone marrow"}
    # relapsed ALL "may come back in the blood and bone marrow, brain, spinal cord, testicles" (sometimes)
    # says where relapses happen: not a scope of the guide's cytarabine for relapsed ALL in general
    assert {r.get("relapse_sites") for r in rows if r["state_label"] == "relapsed childhood acute lymphoblastic leukemia"} \
        == {None}
    # the states of its subtypes, and the subtypes of its states, are childhood ALL's too (they were left out:
    # the disease was followed by gk:stateOf alone)
    assert by_state["relapsed or refractory childhood T-cell acute lymphoblastic leukemia"] == {
        ("nelarabine", "established", None)}
    assert by_state["relapsed or refractory B-cell precursor acute lymphoblastic leukemia in children"] == {
        ("blinatumomab", "established", None)}


def test_relapse_treatments_by_site_for_a_disease_above_the_relapsed_ones(ask, answers):
    """ALL, whose relapsed states are those of its subtype childhood ALL, had no rows; T-ALL none."""
    childhood = {r["state_label"] for r in answers["relapse-treatments-by-site"]}
    assert {r["state_label"] for r in ask("relapse-treatments-by-site", disease="acute_lymphoblastic_leukemia")} \
        == childhood | {"B-cell precursor ALL that is refractory or in second or later relapse"}
    assert [(r["state_label"], r["therapy_label"]) for r in ask("relapse-treatments-by-site", disease="t_all")] == [
        ("relapsed or refractory childhood T-cell acute lymphoblastic leukemia", "nelarabine")]


def test_risk_group_criteria(catalogue, store):
    criteria = run_query(catalogue, store, "risk-group-criteria", disease="childhood_all")
    rows = {(r["group_label"], r["feature_label"]): r for r in criteria}
    standard_age = rows[("standard-risk childhood ALL", "age at diagnosis")]
    assert (standard_age["min_inclusive"], standard_age["max_exclusive"], standard_age["unit"]) == ("1", "10", "year")
    assert standard_age["combination"] == "all of"
    standard_wbc = rows[("standard-risk childhood ALL", "white blood cell count at diagnosis")]
    assert (standard_wbc["max_exclusive"], standard_wbc["unit"]) == ("50000", "cells per microliter")
    high_wbc = rows[("high-risk childhood ALL", "white blood cell count at diagnosis")]
    assert (high_wbc["min_inclusive"], high_wbc["combination"]) == ("50000", "any of")
    assert rows[("high-risk childhood ALL", "age at diagnosis")]["min_inclusive"] == "10"
    assert rows[("very high-risk childhood ALL", "age at diagnosis")]["max_exclusive"] == "1"
    assert rows[("very high-risk childhood ALL", "signs of leukemia after the first weeks of treatment")]["timepoint"] == "4 week"
    assert len(criteria) == 8


def test_the_q_and_as_intermediate_risk_group_has_no_criteria(answers):
    """The example: childhood B-ALL's one risk group is the Q&A's (000) intermediate-risk group,
    which states no criteria (NCI's three groups and their criteria are childhood ALL's)."""
    assert answers["risk-group-criteria"] == [{"group_label": "intermediate risk group (childhood B-ALL)"}]


def test_prognostic_factors_at_diagnosis_and_relapse(store, project, answers):
    assert {(r["at"], r["factor"]) for r in answers["prognostic-factors"]} == {
        ("relapse", "gke:age_of_child"), ("relapse", "gke:extent_of_relapse"),
        ("relapse", "gke:response_to_previous_treatment")}
    query = Catalogue(project).get("prognostic-factors")
    rows = store.query(prepare(query, store, {"disease": "childhood_all"})).rows
    nci = {(str(r["at"]), compact(str(r["factor"]))) for r in rows if "003" in str(r["sources"])}
    assert {f for at, f in nci if at == "relapse"} == {
        "gke:time_to_relapse", "gke:relapse_site_feature", "gke:age_at_relapse", "gke:initial_risk_group",
        "gke:response_to_relapse_treatment", "gke:cell_lineage", "gke:chromosome_gene_changes"}
    assert {"gke:age_at_diagnosis", "gke:sex", "gke:race_ethnicity", "gke:wbc_at_diagnosis", "gke:cell_lineage",
            "gke:chromosome_gene_changes", "gke:down_syndrome", "gke:cns_involvement_at_diagnosis",
            "gke:weight_at_diagnosis"} <= {f for at, f in nci if at == "diagnosis"}


def test_icd10_code_and_hierarchy(answers, store, project, catalogue):
    rows = answers["icd10-code-of-disease"]
    # JMML: the code the ICD-10 page states (and maps exactly), and the WHO code it maps to
    assert [(r["code"], r["title"], set(r["links"].split(", ")), r.get("sources")) for r in rows] == [
        ("ICD10CM:C93.3", "Juvenile myelomonocytic leukemia", {"exactMatch", "hasICD10Code"}, "001"),
        ("ICD10WHO:C93.3", "Juvenile myelomonocytic leukaemia", {"exactMatch"}, None)]
    # no source codes childhood ALL: its mappings say where it is coded, and that the code is broader
    childhood = run_query(catalogue, store, "icd10-code-of-disease", disease="childhood_all")
    assert {(r["code"], r["links"]) for r in childhood} == {("ICD10CM:C91.0", "broadMatch"),
                                                           ("ICD10WHO:C91.0", "broadMatch")}
    assert set(rows[0]["within"].split("; ")) >= {"C93 Monocytic leukemia"}
    under_block = answers["diseases-under-icd10-code"]          # example: the block C81-C96
    assert column(under_block, "disease", link="hasICD10Code") == {"gke:jmml", "gke:jmml_in_relapse"}
    assert column(under_block, "disease", link="exactMatch") == {
        "gke:acute_lymphoblastic_leukemia", "gke:jmml", "gke:jmml_in_relapse"}
    # C92.0 holds the myeloblastic types (its inclusion terms): narrower than acute myeloid leukemia
    assert column(under_block, "disease_code", disease="gke:acute_myeloid_leukemia") == {"ICD10CM:C92.0"}
    assert column(under_block, "link", disease="gke:acute_myeloid_leukemia") == {"narrowMatch"}
    assert column(under_block, "disease_code", disease="gke:childhood_all") == {"ICD10CM:C91.0"}
    assert column(under_block, "link", disease="gke:childhood_all") == {"broadMatch"}
    assert column(under_block, "disease_code", disease="gke:relapsed_childhood_all") == {"ICD10CM:C91.02"}


def test_study_findings_numbers(answers, store, project):
    query = Catalogue(project).get("study-findings")
    rows = {compact(str(r["finding"])): r for r in store.query(prepare(query, store)).rows}
    overall = rows["gke:chang2004_overall_finding"]
    assert (int(overall["with_outcome"]), int(overall["cohort"]), int(overall["percent"]),
            int(overall["median_follow_up_months"])) == (7, 13, 54, 53)
    early = rows["gke:chang2004_early_failure_finding"]
    assert (int(early["with_outcome"]), int(early["cohort"]), int(early["percent"]),
            int(early["median_survival_months"])) == (7, 10, 70, 53)
    retransplant = rows["gke:chang2004_early_retransplant_finding"]
    assert (int(retransplant["with_outcome"]), int(retransplant["cohort"]), int(retransplant["percent"])) == (3, 6, 50)
    assert sorted(int(x) for x in str(retransplant["follow_up_months"]).split(", ")) == [24, 57, 90]
    case = rows["gke:chang2004_case"]               # the case report: no numbers, its label says what it is
    assert str(case["finding_label"]) == ("Chang et al. 2004 case: 5-year-old girl with JMML relapse after "
                                          "first transplant") and "cohort" not in case


def test_curated_disagreements(answers, project):
    curated = yaml.safe_load((project.disagreements_file).read_text())["disagreements"]
    labels = {d["id"].replace("_", " ") for d in curated}
    assert {r["disagreement"] for r in answers["source-disagreements"] if r["kind"] == "curated"} == labels
    certainty = {(r["object_label"], r["certainty"], r["doc"]) for r in answers["source-disagreements"]
                 if r["kind"] == "certainty" and r["predicate_label"] == "has risk factor"}
    assert {("Down syndrome", "established", "002"), ("Down syndrome", "possible", "003")} <= certainty


def test_statements_from_source_in_text_order(release, store, project):
    query = Catalogue(project).get("statements-from-source")
    rows = store.query(prepare(query, store, {"source": "001"})).rows
    starts = [int(r["start"]) for r in rows]
    assert starts == sorted(starts)
    assert len(rows) == sum(1 for st in release.statements if st.source.number == "001")


def test_evidence_for_blinatumomab_targeting_cd19(answers, project):
    rows = answers["evidence-for-edge"]
    assert {r["doc"] for r in rows} == {"002", "003"}
    for row in rows:
        number = row["doc"]
        path = next(project.sources_dir.glob(f"{number}_*.txt"))
        text = path.read_text(encoding="utf-8")
        assert text[int(row["start"]):int(row["end"])] == row["quote"]


def test_evidence_for_an_edge_stated_with_a_narrower_property(catalogue, store):
    """JMML treatedWith HSCT is stated as curativeTherapy (a subproperty): the evidence is found,
    and stated_as says how the source put it (it gave no row, and no hint why)."""
    rows = run_query(catalogue, store, "evidence-for-edge", subject="jmml", predicate="treatedWith", object="hsct")
    assert [(r["doc"], r["stated_as"], r["quote"]) for r in rows] == [
        ("004", "curative therapy", "Hematopoietic stem cell transplantation (HSCT) is the only way to cure the disease")]
    exact = run_query(catalogue, store, "evidence-for-edge", subject="jmml", predicate="curativeTherapy", object="hsct")
    assert [(r["doc"], r["stated_as"]) for r in exact] == [("004", "curative therapy")]



def test_evidence_names_the_disease_state_its_statement_is_restricted_to(catalogue, store):
    """NCI's "Stem cell transplant is rarely used as initial treatment" is stated for newly
    diagnosed childhood ALL (gk:forState): the evidence of childhood ALL treatedWith HSCT had no
    word of that state, where the entity page and the treatment queries show it. Every statement
    restricted to a state (101: 99 newly diagnosed disease, 2 first remission) names it so, and the
    others leave it empty."""
    from collections import Counter

    rows = run_query(catalogue, store, "evidence-for-edge", subject="childhood_all", predicate="treatedWith",
                     object="hsct")
    assert [(r["doc"], r["frequency"], r["state"], r["quote"]) for r in rows] == [
        ("003", "rarely", "newly diagnosed disease",
         "Stem cell transplant is rarely used as initial treatment for children and adolescents with ALL.")]
    unbound = store.query(catalogue["evidence-for-edge"].body).rows
    assert Counter(str(r["state"]) for r in unbound if r.get("state") is not None) == {
        "newly diagnosed disease": 99, "first remission": 2}
    infant = run_query(catalogue, store, "evidence-for-edge", subject="infant_all", predicate="treatedWith", object="hsct")
    assert {r["state"] for r in infant} >= {"first remission"}


def test_an_edge_stated_the_other_way_round_has_the_evidence_of_the_way_it_is_stated(catalogue, store):
    """`corticosteroids relieves allergic reaction`, an inferred edge whose source states the
    reaction relieved by them, had no rows (a user's own store gave no note either); an edge asked
    of a symmetric property finds the evidence stated from its other end."""
    rows = run_query(catalogue, store, "evidence-for-edge", subject="corticosteroids", predicate="relieves",
                     object="allergic_reaction")
    assert [(r["doc"], r["stated_as"], r["quote"]) for r in rows] == [
        ("002", "relieved by", "They also help treat allergic reactions to drugs like asparaginase.")]
    for given, stated_as in ((("fatigue", "symptomOf", "jmml_in_relapse"), "has symptom"),
                             (("hsct", "treats", "jmml"), "curative therapy")):     # the inverse's narrower property
        rows = run_query(catalogue, store, "evidence-for-edge", **dict(zip(("subject", "predicate", "object"), given)))
        assert rows and {r["stated_as"] for r in rows} == {stated_as}
    stated = {(str(r["s"]), str(r["o"])) for r in store.query(
        "SELECT ?s ?o WHERE { ?ax owl:annotatedSource ?s ; owl:annotatedProperty gk:usedWith ; owl:annotatedTarget ?o }"
    ).rows}
    s, o = sorted(stated)[0]
    assert (o, s) not in stated
    back = run_query(catalogue, store, "evidence-for-edge", subject=compact(o), predicate="usedWith", object=compact(s))
    assert back and {r["stated_as"] for r in back} == {"used with"}


def test_describe_blinatumomab(answers):
    rows = answers["describe-entity"]
    assert column(rows, "value_id", direction="out", property="targets") == {"gke:cd19", "gke:cd3"}
    assert column(rows, "value_id", direction="out", property="has adverse effect") == {
        "gke:neurologic_symptoms", "gke:confusion", "gke:cytokine_release_syndrome", "gke:fever", "gke:seizures"}
    # a standard property by the label its vocabulary publishes (SKOS), else by its CURIE
    assert column(rows, "value_id", direction="out", property="has exact match") == {"UNII:4FR53SIF3A"}
    assert column(rows, "value", direction="out", property="rdf:type") >= {"drug"}


def test_entities_with_hpo_xrefs_match_the_registry(answers, release):
    expected = {(f"gke:{e.id}", x.curie) for e in release.registry.values() for x in e.xrefs if x.curie.startswith("HP:")}
    assert {(r["entity"], r["xref"]) for r in answers["entities-with-xref"]} == expected
    assert ("gke:fever", "HP:0001945") in expected and ("gke:petechiae", "HP:0000967") in expected


def test_entities_with_xref_reads_a_prefix_in_any_case_and_gives_each_mappings_justification(catalogue, store, release):
    """`prefix=NCIt` (the README's spelling) was an unknown prefix while `ncit` worked, and the
    query promised the curator's justification without a column for it."""
    rows = run_query(catalogue, store, "entities-with-xref", prefix="NCIt")
    justification = {"lexical": "semapv:LexicalMatching", "manual": "semapv:ManualMappingCuration",
                     "via_mondo": "semapv:MappingChaining"}
    expected = {(f"gke:{e.id}", x.curie, justification[x.justification]) for e in release.registry.values()
                for x in e.xrefs if x.curie.startswith("NCIT:")}
    assert {(r["entity"], r["xref"], r["justification"]) for r in rows} == expected
    assert ("gke:b_all", "NCIT:C8936", "semapv:ManualMappingCuration") in expected


def test_hpo_categories_under_the_blood_branch(answers):
    rows = answers["hpo-categories"]            # the example: root HP:0001871, blood and blood-forming tissues
    assert len(rows) == 17
    assert column(rows, "label", category="HP:0001892") == {
        "easy bleeding", "easy bruising", "epistaxis", "gingival bleeding", "hematochezia", "petechiae"}
    assert column(rows, "category_label", label="anemia") == {"Abnormal erythrocyte morphology"}
    assert column(rows, "match", label="antibody deficiency") == {"closeMatch"}
    # narrower than thrombocytopenia (HP:0001873): under its branch as a broadMatch
    assert {(r["category_label"], r["match"]) for r in rows if r["label"] == "prolonged thrombocytopenia"} == {
        ("Abnormality of thrombocytes", "broadMatch")}


def test_hpo_categories_agree_with_the_phenotypes_under_each_category(catalogue, store):
    """Each organ-system category holds exactly what phenotypes-under-hpo-term finds under it."""
    by_category: dict = {}
    for row in store.query(prepare(catalogue["hpo-categories"], store)).texts():
        by_category.setdefault(row["category"], set()).add((row["entity"], row["match"], row["hpo"]))
    assert len(by_category) == 18
    assert len(by_category["http://purl.obolibrary.org/obo/HP_0001871"]) == 19
    for category, found in by_category.items():
        under = store.query(prepare(catalogue["phenotypes-under-hpo-term"], store, {"hpo_term": category})).texts()
        assert {(r["entity"], r["match"], r["hpo"]) for r in under} == found, category


def test_path_between_jmml_and_fatigue(answers):
    two_hop = [r for r in answers["path-between"] if r["hops"] == "2"]
    assert [(r["p1_label"], r["x_label"], r["p2_label"]) for r in two_hop] == [
        ("has state variant", "juvenile myelomonocytic leukemia, in relapse", "has symptom")]


def test_subtypes_of_chemotherapy_include_the_nci_drug_list(answers):
    nci = {"gke:cyclophosphamide", "gke:cytarabine", "gke:daunorubicin", "gke:dexamethasone", "gke:doxorubicin",
           "gke:etoposide", "gke:mercaptopurine", "gke:methotrexate", "gke:nelarabine", "gke:prednisone",
           "gke:thioguanine", "gke:vincristine", "gke:asparaginase"}
    assert nci <= column(answers["subtypes-of"], "subtype")


def test_subtypes_of_childhood_all_reach_a_disease_filed_under_one_of_its_states(ask):
    """The guide's relapsed or refractory B-cell precursor ALL is a subtype of relapsed or
    refractory childhood ALL, a state of childhood ALL: it was missing from childhood ALL's answer."""
    rows = [{k: compact(str(v)) for k, v in r.items()} for r in ask("subtypes-of", entity="childhood_all")]
    relations = {}
    for r in rows:
        relations.setdefault(r["subtype"], set()).add(r["relation"])
    assert relations["gke:relapsed_refractory_bcp_all"] == {"subtype of a state"}
    assert relations["gke:relapsed_childhood_all"] == {"state"}         # a state of it, not listed twice
    assert relations["gke:childhood_b_all"] == {"subtype"}


def test_late_effects(answers):
    rows = answers["late-effects"]
    assert column(rows, "effect", therapy_label="cancer treatment", kind="disease") == {
        "gke:acute_myeloid_leukemia", "gke:brain_tumor", "gke:myelodysplastic_syndrome", "gke:second_cancer",
        "gke:thyroid_cancer"}
    assert column(rows, "effect", therapy_label="radiation therapy to the brain") == {"gke:cognitive_problems"}
    # the guide's "Some children may have problems later with learning, growth, heart function,
    # fertility, or second cancers" (gk:forSomeMembersOnly), which the answer had dropped: 11 rows
    assert {(r["therapy_label"], r["effect"]) for r in rows if r.get("some_members") == "true"} == {
        *((therapy, f"gke:{effect}") for therapy in ("chemotherapy", "radiation therapy")
          for effect in ("learning_problems", "growth_problems", "heart_problems", "infertility", "second_cancer")),
        ("high-dose chemotherapy", "gke:infertility")}
    assert column(rows, "some_members", therapy_label="total-body irradiation") == {None}


def test_treatment_phases(answers):
    rows = {r["phase"]: r for r in answers["treatment-phases"]}
    assert rows["gke:remission_induction"]["order"] == "1" and rows["gke:maintenance"]["order"] == "3"
    # in their order, a phase the sources give no place in after them (re-induction came first)
    assert [r["phase"] for r in answers["treatment-phases"]][-1] == "gke:re_induction"
    assert set(rows["gke:remission_induction"]["precedes"].split("; ")) == {"consolidation/intensification", "maintenance"}
    assert rows["gke:remission_induction"]["aims_at"] == "remission"


def test_specialists(answers):
    rows = answers["specialists-for-condition"]
    assert "gke:pediatric_oncologist" in column(rows, "specialist", certainty="established")
    # "Other specialists may include:" lists who may take part (the hedge rule: established, sometimes)
    assert column(rows, "specialist", certainty="established", frequency="sometimes") == {
        f"gke:{s}" for s in ("pediatrician", "hematologist", "medical_oncologist", "pediatric_surgeon",
                             "radiation_oncologist", "pediatric_intensivist", "neurologist", "neuroradiologist",
                             "pediatric_nurse_specialist", "social_worker", "rehabilitation_specialist",
                             "psychologist", "child_life_specialist", "fertility_specialist")}


def test_genetic_abnormalities(answers):
    rows = {(r["condition_label"], r.get("abnormality_label")): set(filter(None, r.get("genes", "").split("; ")))
            for r in answers["genetic-abnormalities"]}
    assert rows[("Philadelphia chromosome-positive acute lymphoblastic leukemia",
                 "Philadelphia chromosome (BCR-ABL1 fusion)")] == {"BCR", "ABL1"}
    assert rows[("ETV6-RUNX1-positive acute lymphoblastic leukemia", "ETV6-RUNX1 fusion")] == {"ETV6", "RUNX1"}
    assert rows[("Li-Fraumeni syndrome", None)] == {"TP53"}


def test_pharmacogenes(answers):
    # "rarely" is how often the severe toxicity happens (its own statement), not the drug's link to the genes
    rows = answers["pharmacogenes"]
    assert {(r["drug_label"], r["gene_label"], r.get("frequency")) for r in rows} == {
        ("mercaptopurine", "TPMT", None), ("mercaptopurine", "NUDT15", None)}
    assert all(r["quote"].startswith("rarely, severe toxicity") for r in rows)


def test_therapy_cautions(answers, ask):
    # the guide's "can interfere with chemotherapy" list, stated of each item (interactsWith is
    # symmetric: the query reads it either way round)
    assert {(r["other"], r["certainty"], r.get("frequency")) for r in answers["therapy-cautions"]} == {
        ("gke:energy_drinks", "established", None), ("gke:folate", "established", "sometimes"),
        ("gke:herbal_teas", "established", None), ("gke:herbal_traditional_medicines", "established", None),
        ("gke:high_dose_antioxidants", "possible", None), ("gke:unapproved_supplements", "established", None)}
    assert {r["relation"] for r in answers["therapy-cautions"]} == {"interacts with"}
    # "some can interfere with chemotherapy": said of some energy drinks, herbal teas and medicines
    # and unapproved supplements, not of every one (the statement's gk:forSomeMembersOnly)
    assert {r["other"] for r in answers["therapy-cautions"] if r.get("some_members")} == {
        "gke:energy_drinks", "gke:herbal_teas", "gke:herbal_traditional_medicines", "gke:unapproved_supplements"}
    # the scope each caution is stated in: high-dose antioxidants are avoided during maintenance and
    # recovery (two statements), and cancer treatment is guided by imaging tests in childhood ALL (002)
    # and in JMML in relapse (001, sometimes)
    assert {(r["relation"], r["other"], r.get("scope")) for r in ask("therapy-cautions", therapy="high_dose_antioxidants")
            if r["relation"] == "avoided in"} == {
        ("avoided in", "https://w3id.org/graphkit/entity/childhood_all", "maintenance"),
        ("avoided in", "https://w3id.org/graphkit/entity/childhood_all", "recovery")}
    assert {(r.get("frequency"), r["scope"], r["sources"]) for r in ask("therapy-cautions", therapy="cancer_treatment")
            if r["other_label"] == "imaging tests"} == {
        (None, "childhood acute lymphoblastic leukemia", "002"),
        ("sometimes", "juvenile myelomonocytic leukemia, in relapse", "001")}
    # NCI: "sometimes not given to infants and very young children"
    assert {(r["relation"], r["other"], r["frequency"], r["sources"])
            for r in ask("therapy-cautions", therapy="total_body_irradiation")} == {
        ("avoided in", "https://w3id.org/graphkit/entity/infants_with_all", "sometimes", "003"),
        ("avoided in", "https://w3id.org/graphkit/entity/very_young_children", "sometimes", "003")}
    # the guide: "Doctors adjust dose based on regular blood tests and sometimes genetic testing"
    assert {(r["relation"], r["other_label"], r.get("frequency")) for r in ask("therapy-cautions")} == {
        ("guided by", "blood test", None), ("guided by", "TPMT and NUDT15 genetic testing", "sometimes")}


def test_regulatory_approvals(answers):
    rows = {(r["therapy_label"], r["indication_label"]): r for r in answers["regulatory-approvals"]}
    assert set(rows) == {
        ("blinatumomab", "MRD-positive B-cell precursor ALL in remission"),
        ("blinatumomab", "relapsed or refractory B-cell precursor acute lymphoblastic leukemia in children"),
        ("pegaspargase", "childhood acute lymphoblastic leukemia"),
        ("tisagenlecleucel", "B-cell precursor ALL that is refractory or in second or later relapse"),
        ("vincristine", "acute leukemia")}
    assert rows[("tisagenlecleucel", "B-cell precursor ALL that is refractory or in second or later relapse")][
        "max_age_years"] == "25"
    assert rows[("pegaspargase", "childhood acute lymphoblastic leukemia")]["line"] == "first-line"


def test_regulatory_approvals_give_the_scope_each_is_stated_in(ask):
    """The guide's "FDA-approved for children with relapsed or refractory B-cell precursor ALL"
    and "for patients up to 25 years old": the scope is the qualifiers of the indication's
    evidence (the approval's own evidence states none here); the answer had given neither."""
    assert {(r["therapy_label"], r["indication_label"], r.get("some_members"), r.get("scope"))
            for r in ask("regulatory-approvals")} == {
        ("blinatumomab", "MRD-positive B-cell precursor ALL in remission", None, "children"),
        ("blinatumomab", "relapsed or refractory B-cell precursor acute lymphoblastic leukemia in children", None,
         "children"),
        ("pegaspargase", "childhood acute lymphoblastic leukemia", None, None),
        ("tisagenlecleucel", "B-cell precursor ALL that is refractory or in second or later relapse", None,
         "patients up to 25 years old"),
        ("vincristine", "acute leukemia", None, None)}


REGULATORY_SCOPES = """
@prefix gk: <https://w3id.org/graphkit/schema#> . @prefix gke: <https://w3id.org/graphkit/entity/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
gke:t rdfs:label "therapy t" ; gk:hasRegulatoryApproval gke:a, gke:b .
gke:a gk:approvalIndication gke:i . gke:i rdfs:label "indication i" .
gke:kids rdfs:label "children" . gke:teens rdfs:label "adolescents" . gke:rel rdfs:label "in relapse" .
[] owl:annotatedSource gke:t ; owl:annotatedProperty gk:hasRegulatoryApproval ; owl:annotatedTarget gke:a ;
   gk:evidence gke:ev1 .
gke:ev1 gk:forState gke:rel ; gk:forSomeMembersOnly true ; oa:hasTarget [ oa:hasSelector [ oa:exact "approved for i" ] ] .
[] owl:annotatedSource gke:a ; owl:annotatedProperty gk:approvalIndication ; owl:annotatedTarget gke:i ;
   gk:evidence gke:iev1, gke:iev2 .
gke:iev1 gk:forPopulation gke:kids . gke:iev2 gk:forPopulation gke:teens .
[] owl:annotatedSource gke:t ; owl:annotatedProperty gk:hasRegulatoryApproval ; owl:annotatedTarget gke:b ;
   gk:evidence gke:ev2 .
gke:ev2 oa:hasTarget [ oa:hasSelector [ oa:exact "approved, indication unsaid" ] ] .
"""


@pytest.mark.parametrize("engine", ["pyoxigraph", "rdflib"])
def test_regulatory_approvals_join_both_scopes_a_row_per_indication_evidence(catalogue, engine):
    """The approval's own qualifiers and its indication's, "; " between them, one row per evidence
    of the indication (two sources may state it for different patients), and none made up for an
    approval whose indication is not stated (the indication's evidence is optional there)."""
    import pyoxigraph as ox
    from rdflib import Graph

    from graphkit.store import OxigraphStore, RdflibStore

    if engine == "pyoxigraph":
        data = ox.Store()
        data.load(REGULATORY_SCOPES, format=ox.RdfFormat.TURTLE)
        store = OxigraphStore(data)
    else:
        store = RdflibStore(Graph().parse(data=REGULATORY_SCOPES, format="turtle"))
    rows = store.query(prepare(catalogue["regulatory-approvals"], store, {})).records()
    assert {(r.get("indication_label"), r.get("some_members"), r.get("scope"), r["quote"]) for r in rows} == {
        ("indication i", True, "in relapse; adolescents", "approved for i"),
        ("indication i", True, "in relapse; children", "approved for i"),
        (None, None, None, "approved, indication unsaid")}


def test_relapse_risk_factors(answers):
    assert {(r["factor"], r["certainty"]) for r in answers["relapse-risk-factors"]
            if r["state_label"] == "juvenile myelomonocytic leukemia, in relapse"} == {
        ("gke:incomplete_remission", "possible"), ("gke:minimal_residual_disease", "possible"),
        ("gke:specific_genetic_mutations", "possible")}
    # 001's "incomplete remission after initial treatment": the line of therapy is in the answer
    # (an audit found it plain "incomplete remission", the restriction in the graph only)
    assert {r["factor"]: r.get("line_of_therapy") for r in answers["relapse-risk-factors"]
            if r["state_label"] == "juvenile myelomonocytic leukemia, in relapse"}["gke:incomplete_remission"] == \
        "first-line treatment"


def test_relapse_outcomes(answers):
    """Chang et al.'s 7 of 10 for the patients in autologous recovery or early relapse; not the
    7 of 13 of the whole reviewed cohort, of whom only those 10 were (a newcomer found the 13 under
    early relapse: the query had taken a subgroup's condition for its population's). One row for
    those 10, named as the population: a row per condition read as 70% of the early relapses."""
    rows = answers["relapse-outcomes"]
    assert {(r["about_label"], r.get("with_outcome"), r.get("cohort"), r.get("percent")) for r in rows} == {
        ("JMML patients with autologous recovery or early relapse within 6 months of the first transplant "
         "(literature since 1988)",
         "7", "10", "70"),
        ("juvenile myelomonocytic leukemia relapsed after hematopoietic stem cell transplantation", None, None, None)}


def test_quantities_about_the_overall_finding(answers, catalogue, store):
    assert {(r["property"], r["value"], r["unit"]) for r in answers["quantities-about-entity"]} == {
        ("cohort size", "13", "patients"), ("median follow-up", "53", "month"),
        ("patients with outcome", "7", "patients"), ("percent with outcome", "54", "percent")}
    # a risk group's numbers are on its criteria (NCI: "aged 1 to younger than 10 years", "less than 50,000")
    standard = run_query(catalogue, store, "quantities-about-entity", entity="standard_risk")
    assert {(r["about_label"], r.get("min"), r.get("min_kind"), r["max"], r["max_kind"], r["unit"]) for r in standard} == {
        ("standard risk: age 1 to younger than 10 years", "1", "inclusive", "10", "exclusive", "year"),
        ("standard risk: white blood cell count below 50,000 per microliter", None, None, "50000", "exclusive",
         "cells per microliter")}
    # a number the source gives for a population or a phase says so (the cure rate read as general)
    childhood = run_query(catalogue, store, "quantities-about-entity", entity="childhood_all")
    assert {r["property"]: r.get("scope") for r in childhood if r.get("scope")} == {
        "cure rate": "children with ALL in high-income settings", "share of childhood cancers": "children in the United States"}
    dosing = run_query(catalogue, store, "quantities-about-entity", entity="methotrexate")
    assert {(r["property"], r["value"], r["unit"], r["scope"]) for r in dosing} == {
        ("dosing frequency", "1", "times per day", "maintenance"), ("dosing frequency", "1", "times per week", "maintenance")}


def test_symptom_causes_of_petechiae(answers):
    assert column(answers["symptom-causes"], "cause_label") - {None} == {"thrombocytopenia", "easy bleeding"}


def test_symptom_causes_keep_the_hedges(ask):
    """"Abnormal patterns can suggest seizures ... which may be related to leukemia" (002): possible;
    "Fever may come from infections ..., or from the leukemia itself": sometimes."""
    def causes(symptom):
        return {(r["cause_label"], r["certainty"], r.get("frequency"))
                for r in ask("symptom-causes", symptom=symptom) if r.get("cause_label")}

    assert causes("seizures") == {("childhood acute lymphoblastic leukemia", "possible", None)}
    assert causes("fever") == {(cause, "established", "sometimes")
                               for cause in ("childhood acute lymphoblastic leukemia", "infection", "inflammation")}


def test_symptom_causes_and_what_relieves_give_the_scope_each_is_stated_in(ask):
    """The guide's "Many children lose strength, balance, and flexibility because of steroids,
    chemotherapy, and long hospital stays" is said of its children with ALL (audit 27), and oral
    care relieves the pain of mouth sores: the answers had dropped the scope the edges carry."""
    assert {(r["cause_label"], r.get("scope")) for r in ask("symptom-causes", symptom="muscle_weakness")} == {
        (cause, "childhood acute lymphoblastic leukemia")
        for cause in ("chemotherapy", "corticosteroids", "prolonged hospital stay")}
    assert {(r["cause_label"], r.get("scope")) for r in ask("symptom-causes", symptom="hyperuricemia")} == {
        ("cancer treatment", "childhood acute lymphoblastic leukemia; start of treatment")}
    pain = {(r["therapy_label"], r.get("scope"), r["sources"]) for r in ask("what-relieves", condition="pain")}
    assert ("oral care programs", "mouth sores", "002") in pain
    assert ("pain relief medication", "juvenile myelomonocytic leukemia, in relapse", "001") in pain
    assert ("coping skills training", None, "002") in pain
    assert {(r["therapy_label"], r.get("scope")) for r in ask("what-relieves", condition="anxiety")
            if r["therapy_label"] == "music and art therapy"} == {("music and art therapy", "during procedures or long infusions")}


def test_tests_give_the_scope_each_is_stated_in(ask):
    """The guide's complete blood count finds the anemia of its children with ALL; NCI's follow-up
    tests find a relapse, and bone marrow tests confirm one, after treatment ends."""
    assert {(r["test_label"], r.get("scope")) for r in ask("tests-that-detect", target="anemia")} == {
        ("complete blood count", "childhood acute lymphoblastic leukemia"), ("skin and mucous membrane exam", None)}
    assert {(r["test_label"], r.get("scope")) for r in ask("tests-that-detect", target="relapse")} == {
        ("follow-up tests and check-ups", "after treatment ends")}
    assert {(r["test_label"], r.get("scope")) for r in ask("tests-for-disease", disease="relapsed_childhood_all")
            if r["test_label"] == "bone marrow aspiration and biopsy"} == {
        ("bone marrow aspiration and biopsy", "after treatment ends")}


def test_what_relieves_neutropenia_nausea_and_a_narrower_thrombocytopenia(answers, ask):
    """Stated either way round: "low neutrophil counts are shortened by G-CSF" is neutropenia
    relievedBy G-CSF; relaxation techniques relieve nausea. A narrower condition's relief is listed
    under it (for): thrombopoietin receptor agonists for prolonged thrombocytopenia."""
    assert {(r["therapy"], r["for_label"], r["certainty"], r["sources"]) for r in answers["what-relieves"]} == {
        (f"gke:{t}", "neutropenia", "established", "002") for t in ("filgrastim", "g_csf", "pegfilgrastim")}
    assert {(r["therapy_label"], r["certainty"]) for r in ask("what-relieves", condition="nausea")} == {
        ("music and art therapy", "possible"), ("palliative care (symptom management) services", "established"),
        ("relaxation, breathing and mind-body techniques", "established")}
    assert [(r["therapy_label"], r["for_label"], r["certainty"], r["frequency"])
            for r in ask("what-relieves", condition="thrombocytopenia")] == [
        ("thrombopoietin receptor agonists", "prolonged thrombocytopenia", "possible", "rarely")]


def test_urgent_warning_signs(catalogue, store):
    rows = run_query(catalogue, store, "urgent-warning-signs", condition="childhood_all")
    assert column(rows, "sign") == {f"gke:{s}" for s in (
        "balance_problems", "central_line_malfunction", "behavior_change", "chest_pain", "chills", "confusion",
        "dyspnea", "easy_bleeding", "easy_bruising", "epistaxis", "fever", "gum_bleeding", "headache",
        "hematochezia", "hematuria", "inability_to_keep_fluids_down", "lethargy", "nausea",
        "central_line_site_pain_swelling", "seizures", "tachypnea", "vision_changes", "vomiting",
        # the general list's signs as severe as it says ("severe headache"); the plain ones above
        # are those of spread to the brain. "cannot drink or keep fluids down, with strong vomiting
        # or diarrhea" is one sign: strong vomiting or diarrhea alone is not said to be urgent
        "severe_headache", "sudden_vision_changes")}
    # the patient guide states every one of them without hedge, frequency or population
    assert (column(rows, "certainty"), column(rows, "frequency"), column(rows, "population")) == (
        {"established"}, {None}, {None})


def test_urgent_warning_signs_of_leukemia_in_the_brain(answers):
    """The example: CNS leukemia gathers the signs the guide gives for ALL spread to the brain and spinal cord."""
    rows = answers["urgent-warning-signs"]
    assert column(rows, "sign_label") == {"balance impairment", "headache", "nausea", "visual impairment", "vomiting"}
    assert column(rows, "stated_for_label") == {
        "childhood acute lymphoblastic leukemia that has spread to the brain and spinal cord"}


def test_diet_advice(catalogue, store):
    rows = run_query(catalogue, store, "diet-advice", condition="childhood_all")
    assert column(rows, "food_label", advice="avoid") == {
        "energy drinks", "herbal teas", "raw or undercooked eggs", "raw or undercooked fish", "raw or undercooked meat",
        "unpasteurized soft cheeses", "supplements not approved by the oncology team", "unpasteurized juices",
        "unpasteurized milk", "very oily foods", "very salty foods", "very sugary foods"}
    assert column(rows, "rationales", food_label="raw or undercooked meat") == {"to lower infection risk"}
    # "nut butters (if safe), cheese, or medical nutrition shakes, when the child is underweight" and
    # "soups, mashed potatoes, yogurt when the mouth is sore": the situation stays with each food
    assert {r["food_label"]: r.get("when") for r in rows if r.get("when")} == {
        "high-calorie snacks": "underweight", "nut butters": "underweight", "cheese": "underweight",
        "medical nutrition shakes": "underweight", "soft, easy-to-chew foods": "mouth sores", "soups": "mouth sores",
        "mashed potatoes": "mouth sores", "yogurt": "mouth sores"}
    assert column(rows, "notes", food_label="nut butters") == {"if safe"}


def test_diet_advice_for_mouth_sores(answers):
    """The example: the guide's soft foods "when the mouth is sore", stated for children with ALL."""
    assert {(r["advice"], r["food_label"], r["when"], r["sources"]) for r in answers["diet-advice"]} == {
        ("eat", food, CHILDHOOD_ALL, "002")
        for food in ("mashed potatoes", "soft, easy-to-chew foods", "soups", "yogurt")}


def test_definitions_of_disease_states(answers):
    assert {(r["entity"], r["definition"]) for r in answers["definitions"]} == {
        ("gke:relapse", "cancer that has come back after it has been treated"),
        ("gke:refractory_disease", "cancer that does not respond to initial treatment")}


def test_search_entities(answers, catalogue, store):
    # the example: "CAR" as a whole word only (chimeric antigen receptor), not inside "cardiotoxicity"
    assert column(answers["search-entities"], "entity") == {"gke:car_t_cell_therapy", "gke:car_t_cell"}
    assert column(answers["search-entities"], "match") == {"whole word"}
    anywhere = run_query(catalogue, store, "search-entities", text="CAR")
    assert ("gke:heart_problems", "cardiotoxicity", "part of a word") in {
        (r["entity"], r["matched"], r["match"]) for r in anywhere}
    matches = [r["match"] for r in anywhere]             # whole words first
    assert matches == sorted(matches, key=lambda m: m != "whole word") and matches[0] == "whole word"
    assert column(run_query(catalogue, store, "search-entities", text="asparaginase"), "entity") == {
        "gke:e_coli_asparaginase", "gke:erwinia_asparaginase", "gke:asparaginase"}
    # a name that is the text comes first: JMML (a synonym of the disease) was 10th, after nine
    # study findings and patient groups that hold the word
    jmml = run_query(catalogue, store, "search-entities", text="jmml")
    assert (jmml[0]["entity"], jmml[0]["matched"], jmml[0]["match"]) == ("gke:jmml", "JMML", "whole name")
    assert [r["match"] for r in jmml[1:]] == ["whole word"] * (len(jmml) - 1)
    assert {r["entity"] for r in run_query(catalogue, store, "search-entities", text="JMML", whole_words="true")} \
        == {r["entity"] for r in jmml}


def test_search_entities_finds_code_nodes_of_both_icd_versions(catalogue, store):
    rows = store.query(prepare(catalogue["search-entities"], store, {"text": "myelomonocytic"})).records()
    assert {(compact(r["entity"]), r["type_label"]) for r in rows} == {
        ("gke:jmml", "disease"), ("gke:jmml_in_relapse", "disease in a state"),
        ("gke:jmml_relapse_after_hsct", "disease in a state"), ("gke:jmml_early_relapse_after_hsct", "disease in a state"),
        ("gke:jmml_autologous_recovery_after_hsct", "disease in a state"),
        ("ICD10CM:C93.3", "ICD-10-CM code"),
        ("ICD10CM:C93.32", "ICD-10-CM code"), ("ICD10WHO:C93.3", "WHO ICD-10 code")}


def test_search_entities_lists_every_icd10_code_class(catalogue, store):
    # the query names the code classes instead of walking rdfs:subClassOf* (Virtuoso 7.2): a new one
    # in the schema must be added there
    closure = {compact(str(r["c"])) for r in store.query("SELECT ?c WHERE { ?c rdfs:subClassOf* gk:ICD10Code }").rows}
    listed = re.search(r"\?type IN \((gk:ICD10Code, [^)]*)\)", catalogue["search-entities"].body).group(1)
    assert set(listed.split(", ")) == closure == {"gk:ICD10Code", "gk:ICD10CMCode", "gk:ICD10WHOCode"}


def test_drug_profile(answers):
    rows = answers["drug-profile"]
    assert column(rows, "value", aspect="target") == {"CD19", "CD3"}
    assert column(rows, "value", aspect="route") == {"intravenous"}



def test_drug_profile_keeps_a_side_effects_hedge_and_its_patients(ask):
    """"and, rarely, severe toxicity in children with TPMT or NUDT15 variants" (002): the profile
    listed "severe thiopurine toxicity" as a plain side effect of mercaptopurine."""
    rows = ask("drug-profile", drug="mercaptopurine")
    toxicity = [r for r in rows if r["value"] == "severe thiopurine toxicity"]
    assert [(r["certainty"], r["frequency"], set(r["scope"].split("; "))) for r in toxicity] == [
        ("established", "rarely", {"TPMT variants", "NUDT15 variants"})]


def test_drug_profile_gives_what_is_said_of_some_members_only(ask):
    """The guide's "Some children may have problems later with learning, growth, heart function,
    fertility, or second cancers", its "many of the chemotherapy drugs" (hair loss), "certain
    chemotherapy and targeted drugs" (photosensitivity), herbal medicines' "some" that harm the liver
    and kidneys, and targeted medicines against the BCR-ABL1 protein: said of some members of the
    class (gk:forSomeMembersOnly), which the profile had dropped (6 side effects, 11 late effects, 1 target)."""
    def some(drug):
        return {(r["aspect"], r["value"]) for r in ask("drug-profile", drug=drug) if r.get("some_members")}

    late = {"fertility problems", "growth abnormality", "heart problems", "learning problems", "second cancer"}
    assert some("chemotherapy") == {("late effect", effect) for effect in late} | {
        ("side effect", "alopecia"), ("side effect", "heart problems"), ("side effect", "photosensitivity")}
    assert some("radiation_therapy") == {("late effect", effect) for effect in late}
    assert some("high_dose_chemotherapy") == {("late effect", "fertility problems")}
    assert some("herbal_traditional_medicines") == {("side effect", "abnormality of the kidney"),
                                                    ("side effect", "abnormality of the liver")}
    assert some("targeted_therapy") == {("side effect", "photosensitivity"), ("target", "BCR-ABL1 fusion protein")}
    assert {r.get("some_members") for r in ask("drug-profile", drug="chemotherapy")} == {None, True}


def test_drug_profile_gives_a_row_per_scope_as_stated(ask):
    """Two statements of one value for other patients were one row with their qualifiers merged
    (intrathecal chemotherapy's purpose "for" eight groups at once); now a row each."""
    def scopes(drug, value):
        return sorted(tuple(sorted(r["scope"].split("; "))) if r.get("scope") else ()
                      for r in ask("drug-profile", drug=drug) if r["value"] == value)

    assert scopes("corticosteroids", "bone thinning") == [(CHILDHOOD_ALL,), (CHILDHOOD_ALL, "long-term use")]
    purpose = scopes("intrathecal_chemotherapy", "to prevent or treat the spread of leukemia cells to the brain and spinal cord")
    assert {tuple(set(scope) - {"newly diagnosed disease"}) for scope in purpose} == {(group,) for group in (
        "Down syndrome-associated acute lymphoblastic leukemia", "acute lymphoblastic leukemia in adolescents and young adults",
        "childhood Philadelphia chromosome-positive acute lymphoblastic leukemia",
        "childhood T-cell acute lymphoblastic leukemia", "high-risk childhood ALL", "infant acute lymphoblastic leukemia",
        "very high-risk childhood ALL")} and len(purpose) == 7


def test_generated_catalogue_page_is_current(project, store):
    assert (project.queries_dir / "README.md").read_text(encoding="utf-8") == render(project, store), \
        "queries/README.md is stale: run `graphkit query --write-readme`"


def test_readme_names_every_catalogue_query(catalogue, project):
    readme = (project.root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Query catalogue"):readme.index("## Command line")]
    assert f"{len(catalogue)} named questions" in section, f"README, Query catalogue: write '{len(catalogue)} named questions'"
    unnamed = sorted(name for name in catalogue if f"`{name}`" not in section)
    assert unnamed == [], f"README, Query catalogue: name {', '.join(unnamed)} in the table of areas"


# Engines order rows that tie on every ORDER BY key as their plan leaves them (pyoxigraph by its
# plan, Virtuoso, Comunica and rdflib each their own way): a catalogue query orders by enough
# keys that no two of its rows tie, so that every engine lists them in the same order.
ORDER_BY = re.compile(r"ORDER BY((?:\s+(?:DESC|ASC)?\(?(?:!BOUND\()?\?\w+\)?\)?)+)")     # (!BOUND(?v)): unbound last
PARAMETER_VALUES = {       # values beyond the defaults and examples whose answers tied before
    "describe-entity": {"entity": "hepatic_veno_occlusive_disease"},
    "drugs-with-side-effect": {"effect": "cardiotoxicity"},
    "search-entities": {"text": "pneumonia"},        # ICD-10-CM J18 and J18.9 share their title
    "side-effects-of-drug": {"drug": "intrathecal_triple_therapy"},
    "therapies-in-phase": {"phase": "remission_induction"},
    "treatments-for-condition": {"condition": "very_high_risk"},
}


def test_no_two_rows_tie_on_the_order_by_keys(catalogue, store):
    checked = 0
    for name, query in catalogue.items():
        found = ORDER_BY.search(query.body)
        assert found is not None, f"{name}: no ORDER BY: every engine would list its rows in an order of its own"
        keys = re.findall(r"\?(\w+)", found.group(1))
        for params in [{}, *query.example_params, *([PARAMETER_VALUES[name]] if name in PARAMETER_VALUES else [])]:
            rows = store.query(prepare(query, store, params)).rows
            seen = {}
            for row in rows:
                key = tuple(str(row.get(k)) for k in keys)
                assert key not in seen or seen[key] == row, f"{name} {params}: two rows tie on ORDER BY {keys}: {key}"
                seen[key] = row
            checked += 1
    assert checked > 50


def test_a_class_effect_stated_for_some_members_stays_with_the_class(ask):
    """"Certain chemotherapy and targeted drugs can make skin more sensitive" (002): the statements
    carry gk:forSomeMembersOnly, so no drug of either class is given photosensitivity."""
    with_effect = ask("drugs-with-side-effect", effect="photosensitivity")
    assert {(r["therapy_label"], r["via_label"]) for r in with_effect} == {
        ("chemotherapy", "chemotherapy"), ("targeted therapy", "targeted therapy")}
    vincristine = ask("side-effects-of-drug", drug="vincristine")
    assert {r["stated_for_label"] for r in vincristine if compact(str(r["effect"])) == "gke:alopecia"} == {"vincristine"}
    assert not [r for r in vincristine if compact(str(r["effect"])) in ("gke:skin_sensitivity", "gke:heart_problems")]
    chemotherapy = {compact(str(r["effect"])) for r in ask("side-effects-of-drug", drug="chemotherapy")}
    assert {"gke:skin_sensitivity", "gke:heart_problems", "gke:alopecia"} <= chemotherapy
    sharing = {r["other_label"]: r["effects"].split("; ") for r in ask("drugs-sharing-side-effects-with", drug="imatinib")}
    assert "photosensitivity" not in {effect for effects in sharing.values() for effect in effects}


def test_an_empty_answer_with_a_flag_off_its_default_says_what_the_default_gives(catalogue, store):
    """symptoms-of-disease for JMML with include_subtypes=false said only that JMML is a disease,
    as if it were the wrong kind; the symptoms are stated for its states."""
    from graphkit.catalogue.runner import answer_notes

    query = catalogue["symptoms-of-disease"]
    prepared = prepare(query, store, {"disease": "jmml", "include_subtypes": "false"})
    results = store.query(prepared)
    assert results.row_count == 0
    assert answer_notes(query, prepared, results, store) == ("no rows; with include_subtypes=true, its default, 6 rows",)


def test_an_empty_answer_names_the_narrower_entities_that_have_answers(catalogue, store):
    """risk-group-criteria for "ALL" (the disease at any age, the first name a person types) said
    only that ALL is a disease: NCI's risk groups are childhood ALL's."""
    from graphkit.catalogue.runner import answer_notes

    query = catalogue["risk-group-criteria"]
    prepared = prepare(query, store, {"disease": "ALL"})
    results = store.query(prepared)
    assert results.row_count == 0
    assert answer_notes(query, prepared, results, store) == (
        "no rows for gke:acute_lymphoblastic_leukemia; narrower entities have answers of their own: childhood acute "
        "lymphoblastic leukemia (gke:childhood_all), a disease and risk factor: 8 rows (--param "
        "disease=gke:childhood_all); childhood B-cell acute lymphoblastic leukemia (gke:childhood_b_all), a disease: "
        "1 row (--param disease=gke:childhood_b_all)",)
    # an entity none of whose subtypes or states has rows keeps the note on what it is
    prepared = prepare(query, store, {"disease": "vincristine"})
    assert answer_notes(query, prepared, store.query(prepared), store)[0].startswith(
        "no rows for disease = vincristine (gke:vincristine), a drug")
    # and so does one of another kind than the parameter's: the drug profile of a disease's
    # subtype is no answer about drugs (a reviewer found "ALL" sent to childhood ALL's 40 rows)
    drugs = catalogue["drug-profile"]
    prepared = prepare(drugs, store, {"drug": "ALL"})
    assert answer_notes(drugs, prepared, store.query(prepared), store) == (
        "no rows for drug = acute lymphoblastic leukemia (gke:acute_lymphoblastic_leukemia), a disease (it asks "
        "for the drug or therapy)",)


def test_an_empty_edge_query_names_the_edges_the_sources_state_between_its_ends(catalogue, store):
    """A newcomer asked evidence-for-edge for childhood ALL and Down syndrome with the predicate
    left at its default (hasICD10Code), and for fatigue hasSymptom JMML in relapse (the other way
    round): each note said only what the two entities were."""
    from graphkit.catalogue.runner import answer_notes

    query = catalogue["evidence-for-edge"]

    def note(**params):
        prepared = prepare(query, store, params)
        results = store.query(prepared)
        assert results.row_count == 0
        return answer_notes(query, prepared, results, store)

    assert note(subject="childhood_all", object="Down syndrome") == (
        "no rows for gke:childhood_all gk:hasICD10Code gke:down_syndrome; the sources state these edges between "
        "them: gke:childhood_all gk:hasPrognosticFactor gke:down_syndrome (--param predicate=hasPrognosticFactor); "
        "gke:childhood_all gk:hasRiskFactor gke:down_syndrome (--param predicate=hasRiskFactor); gke:childhood_all "
        "gk:riskGroupDependsOn gke:down_syndrome (--param predicate=riskGroupDependsOn)",)
    assert note(subject="fatigue", predicate="hasSymptom", object="JMML in relapse") == (
        "no rows for gke:fatigue gk:hasSymptom gke:jmml_in_relapse; the sources state this edge between them: "
        "gke:jmml_in_relapse gk:hasSymptom gke:fatigue (--param subject=gke:jmml_in_relapse --param "
        "predicate=hasSymptom --param object=gke:fatigue)",)
    # each named edge gives rows with the parameters the note names
    assert run_query(catalogue, store, "evidence-for-edge", subject="childhood_all", predicate="riskGroupDependsOn",
                     object="down_syndrome")
    # two entities the sources relate by no edge keep the note on what each is
    assert note(subject="fatigue", predicate="hasSymptom", object="vincristine")[0].startswith(
        "no rows for subject = fatigue (gke:fatigue), a phenotype or symptom")


def test_an_empty_answer_says_how_many_entities_a_class_parameter_names(catalogue, store):
    """definitions --param kind=Gene gave no rows and no note at all: the kind exists (8 genes),
    none of them has a definition in the sources."""
    from graphkit.catalogue.runner import answer_notes

    query = catalogue["definitions"]
    prepared = prepare(query, store, {"kind": "Gene"})
    results = store.query(prepared)
    assert results.row_count == 0
    assert answer_notes(query, prepared, results, store) == (
        f"no rows for kind = gene (gk:Gene), a kind with 8 entities (it asks for {query.params['kind'].description})",)
    # a class left at its default is not what narrowed the answer: not named
    query = catalogue["treatments-for-condition"]
    prepared = prepare(query, store, {"condition": "children's hospitals"})
    assert answer_notes(query, prepared, store.query(prepared), store) == (
        "no rows for condition = children's hospitals (gke:childrens_hospitals), an organization (it asks for "
        f"{query.params['condition'].description})",)


def test_the_narrower_entities_note_stops_at_its_time_and_says_how_many_it_left(catalogue, store, monkeypatch):
    from graphkit.catalogue import runner

    monkeypatch.setattr(runner, "NARROWER_SECONDS", 0.0)
    query = catalogue["risk-group-criteria"]
    prepared = prepare(query, store, {"disease": "ALL"})
    assert runner.narrower_entity_note(query, prepared, store) is None        # none checked, none named
    monkeypatch.setattr(runner, "NARROWER_SECONDS", 60.0)
    monkeypatch.setattr(runner, "NARROWER_CHECKED", 5)
    note = runner.narrower_entity_note(query, prepared, store)
    assert note.endswith("(16 of its 21 narrower entities not checked)") and "childhood_b_all" in note


def test_describe_entity_gives_each_fact_once(catalogue, store):
    """A newcomer read "in | has subtype | chemotherapy" beside "out | subtype of | chemotherapy",
    and "out | treats | childhood ALL" (evidence 0) beside "in | treated with | childhood ALL"
    (evidence 2): the reasoner's inverses of the same facts."""
    rows = {(r["direction"], r["property"], r.get("value_id"), r["evidence"])
            for r in run_query(catalogue, store, "describe-entity", entity="intrathecal_triple_therapy")}
    assert ("in", "treated with", "gke:childhood_all", "2") in rows
    assert ("out", "subtype of", "gke:chemotherapy", "0") in rows                 # inferred, transitive
    assert ("out", "used with", "gke:methotrexate", "1") in rows                  # symmetric: once
    assert not {r for r in rows if (r[0], r[1]) in {("out", "treats"), ("in", "has subtype"), ("in", "prevented by"),
                                                    ("in", "used with")}}
    assert len(rows) == 22
