"""The catalogue's examples and what their `expected:` lines say, as a newcomer reads them first
(`graphkit query NAME --help`, queries/README.md, the served pages): each example asks something
the defaults do not, and each expected line states what its example gives, in the answer's own
labels and with its exact row counts (the rule: README, "How to add ... a catalogue query")."""

import re
from dataclasses import dataclass

import pytest

from graphkit.catalogue import load_catalogue, parse_query_text, prepare
from graphkit.namespaces import GKE
from graphkit.sparql import concat_columns

from .test_answers import CHILDHOOD_ALL, run_query

# Queries with a parameter whose graph states the answer for one subject only, the default's: any
# value with an answer gives the default's rows, so the example is the bare command, as for a query
# without parameters. The property that holds the answer; a test checks that one subject states it.
ONE_ANSWER = {
    "specialists-for-condition": "treatedBySpecialist",       # only childhood ALL's specialists are named
    "study-findings": "hasFinding",                             # the graph holds one study, Chang et al. 2004
}


@dataclass(frozen=True)
class Says:
    """What an expected line states about one example's answer: names the answer shows (each
    appears in the line, in any case, and in a cell of the rows, whole or as one part of a list
    cell), and the number of rows where the line gives it ("N rows")."""
    names: tuple[str, ...]
    rows: int | None = None


JMML_IN_RELAPSE = "juvenile myelomonocytic leukemia, in relapse"

# Per query, one Says per example, in the order of the examples.
EXPECTED = {
    "definitions": [Says(("relapse", "cancer that has come back after it has been treated", "refractory disease",
                          "cancer that does not respond to initial treatment", "003"), rows=2)],
    "describe-entity": [Says(("BLINCYTO", "bispecific antibody", "bispecific T-cell engagers", "immunotherapy",
                              "targeted therapy", "CD19", "CD3", "intravenous", "abnormality of the nervous system",
                              "confusion", "cytokine release syndrome", "fever", "seizures",
                              "MRD-positive B-cell precursor ALL in remission",
                              "relapsed or refractory B-cell precursor acute lymphoblastic leukemia in children",
                              "children with high minimal residual disease", "combination chemotherapy",
                              "UNII:4FR53SIF3A"), rows=38)],
    "diet-advice": [Says(("soft, easy-to-chew foods", "soups", "mashed potatoes", "yogurt", CHILDHOOD_ALL, "002"),
                         rows=4)],
    "diseases-under-icd10-code": [Says(("juvenile myelomonocytic leukemia", JMML_IN_RELAPSE, "ICD10CM:C93.3",
                                        "ICD10CM:C93.32", "hasICD10Code", "exactMatch", "broadMatch", "narrowMatch",
                                        "acute lymphoblastic leukemia", "ICD10CM:C91.0", CHILDHOOD_ALL,
                                        "ICD10CM:C91.02", "relapsed childhood acute lymphoblastic leukemia",
                                        "acute myeloid leukemia", "ICD10CM:C92.0", "Acute myeloblastic leukemia"),
                                       rows=21)],
    "diseases-with-symptom": [Says((CHILDHOOD_ALL, "intermediate-risk childhood B-cell acute lymphoblastic leukemia",
                                    "leukemia", "children", "often", "sometimes", "000", "002", "003"), rows=5)],
    "drug-profile": [Says(("bispecific T-cell engagers", "immunotherapy", "targeted therapy",
                           "brings T cells and leukemia cells together (binds CD3 and CD19)", "CD19", "CD3",
                           "intravenous", "abnormality of the nervous system", "confusion", "cytokine release syndrome",
                           "fever", "seizures", "close monitoring is required", "002", "003"), rows=18)],
    "drugs-by-mechanism": [Says(("asparaginase", "pegaspargase", "E. coli-derived asparaginase",
                                 "Erwinia-derived asparaginase", "breaks down asparagine that leukemia cells need",
                                 "lowering blood asparagine so leukemia cells cannot grow"),
                                rows=4)],
    "drugs-by-target": [Says(("inotuzumab ozogamicin", "delivers a chemotherapy toxin into CD22-positive cells", "002"),
                             rows=1)],
    "drugs-sharing-side-effects-with": [Says(("cyclophosphamide", "11", "alopecia", "nausea", "daunorubicin",
                                              "doxorubicin", "vincristine", "10", "mercaptopurine", "methotrexate",
                                              "nelarabine", "9", "dexamethasone", "prednisone", "8", "blinatumomab",
                                              "fever", "dasatinib", "myelosuppression", "imatinib mesylate",
                                              "inotuzumab ozogamicin", "chemotherapy", "anthracyclines", "bone thinning"),
                                             rows=19)],
    "drugs-with-side-effect": [Says(("anthracyclines", "daunorubicin", "doxorubicin", "cyclophosphamide", "cytarabine",
                                     "high-dose cytarabine", "dasatinib", "inotuzumab ozogamicin", "mercaptopurine",
                                     "methotrexate", "high-dose methotrexate", "nelarabine", "vincristine", "002"),
                                    rows=13)],
    "entities-with-xref": [Says(("anemia", "HP:0001903", "exactMatch", "semapv:LexicalMatching", "antibody deficiency",
                                 "HP:0004313", "closeMatch", "semapv:ManualMappingCuration",
                                 "abnormal blood cell counts", "HP:0001871", "broadMatch", "bone thinning",
                                 "HP:0004349", "narrowMatch", "HP:0000939"), rows=121)],
    "evidence-for-edge": [
        Says(("002", "Drug treatments", "links T-cells (immune cells) to CD19-positive B-cell leukemia cells", "003",
              "Immunotherapy"), rows=2),
        Says(("relieved by", "002", "They also help treat allergic reactions to drugs like asparaginase.")),
        Says(("curative therapy", "004",
              "Hematopoietic stem cell transplantation (HSCT) is the only way to cure the disease")),
        Says(("used with", "002", "sometimes", "Under local anesthesia and sometimes sedation")),
        Says(("rarely", "newly diagnosed disease", "003", "Stem cell transplant",
              "Stem cell transplant is rarely used as initial treatment for children and adolescents with ALL."), rows=1),
    ],
    "genetic-abnormalities": [Says(("Philadelphia chromosome-positive acute lymphoblastic leukemia",
                                    "Philadelphia chromosome (BCR-ABL1 fusion)", "ABL1", "BCR",
                                    "ETV6-RUNX1-positive acute lymphoblastic leukemia", "ETV6-RUNX1 fusion", "ETV6",
                                    "RUNX1", "KMT2A (MLL) rearrangement", "KMT2A", "hyperdiploidy", "Down syndrome",
                                    "extra copy of chromosome 21", "constitutional mismatch repair deficiency",
                                    "mutations in DNA mismatch repair genes",
                                    "certain changes in the chromosomes or genes", "Li-Fraumeni syndrome",
                                    "has associated gene", "TP53"), rows=9)],
    "hpo-categories": [Says(("Abnormal bleeding", "easy bleeding", "easy bruising", "epistaxis", "gingival bleeding",
                             "hematochezia", "petechiae", "Abnormal leukocyte morphology",
                             "increased peripheral blast count", "leukocytosis", "leukopenia", "neutropenia",
                             "neutrophilia", "Abnormal erythrocyte morphology", "anemia", "Abnormality of thrombocytes",
                             "thrombocytopenia", "prolonged thrombocytopenia", "broadMatch", "HP:0001873",
                             "Abnormal leukocyte physiology", "antibody deficiency", "closeMatch",
                             "Abnormal thrombosis",
                             "thrombosis", "Abnormality of coagulation", "abnormality of coagulation"), rows=17)],
    "icd10-code-of-disease": [Says(("ICD10CM:C93.3", "Juvenile myelomonocytic leukemia", "exactMatch", "hasICD10Code",
                                    "001", "C93 Monocytic leukemia", "ICD10WHO:C93.3",
                                    "Juvenile myelomonocytic leukaemia", "C93 Monocytic leukaemia"), rows=2)],
    "late-effects": [Says(("cancer treatment", "acute myeloid leukemia", "brain tumor", "myelodysplastic syndrome",
                           "second cancer", "thyroid cancer", "abnormality of blood vessels",
                           "abnormality of the liver",
                           "bone problems", "changes in mood, feelings, thinking, learning or memory",
                           "fertility problems", "heart problems", "late effects of cancer treatment", "sometimes",
                           "radiation therapy to the brain",
                           "children younger than 4 years who received radiation therapy to the brain", "003",
                           "chemotherapy", "radiation therapy", "growth abnormality", "learning problems",
                           "high-dose chemotherapy", "total-body irradiation", "002"), rows=25)],
    "path-between": [Says((JMML_IN_RELAPSE, "has state variant", "has symptom", "curative therapy", "treated with",
                           "hematopoietic stem cell transplantation", "treats", CHILDHOOD_ALL, "childhood cancer",
                           "leukemia", "anemia", "causes"), rows=7)],
    "pharmacogenes": [Says(("mercaptopurine", "NUDT15", "TPMT",
                            "rarely, severe toxicity in children with certain genetic enzyme problems (TPMT or NUDT15 "
                            "variants)"), rows=2)],
    "phenotypes-under-hpo-term": [Says(("abdominal distension", "abdominal pain", "abnormality of the liver",
                                        "abnormality of the spleen", "constipation", "diarrhea", "early satiety",
                                        "hematochezia", "hepatitis", "hepatomegaly", "hepatosplenomegaly",
                                        "loss of appetite", "malnutrition", "nausea", "pancreatitis", "splenomegaly",
                                        "vomiting", "exactMatch", "strong diarrhea", "strong vomiting", "broadMatch"),
                                       rows=19)],
    "prognostic-factors": [Says(("relapse", JMML_IN_RELAPSE, "age of the child", "extent of the relapse",
                                 "response to previous treatments", "001"), rows=3)],
    "quantities-about-entity": [Says(("cohort size", "13", "patients with outcome", "7", "patients",
                                      "percent with outcome", "54", "percent", "median follow-up", "53", "month"),
                                     rows=4)],
    "regulatory-approvals": [Says(("U.S. Food and Drug Administration", "blinatumomab",
                                   "MRD-positive B-cell precursor ALL in remission",
                                   "relapsed or refractory B-cell precursor acute lymphoblastic leukemia in children",
                                   "pegaspargase", CHILDHOOD_ALL, "first-line", "tisagenlecleucel",
                                   "B-cell precursor ALL that is refractory or in second or later relapse", "25",
                                   "patients up to 25 years old", "children", "vincristine", "acute leukemia"),
                                  rows=5)],
    "relapse-outcomes": [Says(("JMML patients with autologous recovery or early relapse within 6 months of the first "
                               "transplant (literature since 1988)", "7", "10", "70",
                               "juvenile myelomonocytic leukemia relapsed after hematopoietic stem cell "
                               "transplantation",
                               "Chang et al. 2004 case: 5-year-old girl with JMML relapse after first transplant"),
                              rows=2)],
    "relapse-risk-factors": [Says((JMML_IN_RELAPSE, "incomplete remission", "first-line treatment",
                                   "minimal residual disease", "specific genetic mutations", "possible", "001",
                                   "relapsed childhood acute lymphoblastic leukemia", "diagnosis in infancy",
                                   "medication nonadherence", "003", "stopping treatment early", "002"), rows=14)],
    "relapse-treatments-by-site": [Says((
        "childhood acute lymphoblastic leukemia relapsed in the bone marrow", "bone marrow",
        "allogeneic hematopoietic stem cell transplantation", "blinatumomab", "combination chemotherapy",
        "immunotherapy", "targeted therapy", "sometimes",
        "childhood acute lymphoblastic leukemia relapsed in the brain and spinal cord only", "systemic chemotherapy",
        "intrathecal chemotherapy", "radiation therapy to the brain and/or spinal cord",
        "hematopoietic stem cell transplantation",
        "childhood acute lymphoblastic leukemia relapsed in the testicles only", "radiation therapy",
        "childhood acute lymphoblastic leukemia in second relapse", "CAR T-cell therapy", "under study",
        "relapsed or refractory childhood acute lymphoblastic leukemia", "dasatinib", "imatinib mesylate",
        "inotuzumab ozogamicin", "relapsed or refractory childhood T-cell acute lymphoblastic leukemia", "nelarabine",
        "relapsed or refractory B-cell precursor acute lymphoblastic leukemia in children",
        "relapsed childhood acute lymphoblastic leukemia", "cytarabine", "often", "treatment for relapsed leukemia",
        "autologous hematopoietic stem cell transplantation", "childhood B-cell acute lymphoblastic leukemia",
        "002", "003"), rows=25)],
    "risk-factors-of-disease": [Says(("pesticide exposure", "pollution, diet or household chemicals",
                                      "repeated CT scans or x-rays in pregnancy or early life", "solvent exposure",
                                      "viral infection", "x-ray exposure before birth", "exposure", "has risk factor",
                                      CHILDHOOD_ALL, "under study", "002"), rows=6)],
    "risk-group-criteria": [Says(("intermediate risk group (childhood B-ALL)",), rows=1)],
    "search-entities": [Says(("CAR T-cell therapy", "kind of CAR T-cell therapy",
                              "chimeric antigen receptor (CAR) T-cell therapy", "chimeric antigen receptor T cell",
                              "cell type", "CAR T cell", "CAR T cells", "chimeric antigen receptor (CAR) T cells",
                              "whole word"), rows=5)],
    "shared-risk-factors": [Says(("past treatment with chemotherapy", CHILDHOOD_ALL, "has risk factor", "possible",
                                  "003", "secondary leukemia", "has cause", "established", "sometimes", "002"),
                                 rows=2)],
    "shared-symptoms": [Says(("fever", "splenomegaly", "tachycardia", "tachypnea", "infection", "often",
                              CHILDHOOD_ALL, "003", "002",
                              "intermediate-risk childhood B-cell acute lymphoblastic leukemia", "sometimes", "000"),
                             rows=8)],
    "side-effects-of-drug": [Says(("anthracyclines", "alopecia", "heart problems", "high cumulative anthracycline dose",
                                   "mouth sores", "myelosuppression", "chemotherapy", "balance impairment",
                                   "bone thinning", CHILDHOOD_ALL, "decreased serum zinc",
                                   "gastrointestinal mucositis", "leukopenia", "muscle weakness",
                                   "reduced flexibility", "often", "sometimes", "002"), rows=14)],
    "source-disagreements": [Says(("curated", "car t cell therapy status", "cause usually triggered vs often unknown",
                                   "intermediate risk group vs three risk groups",
                                   "neutrophilia vs lack of healthy white cells", "viral infection as trigger",
                                   "certainty", CHILDHOOD_ALL, "has risk factor", "Bloom syndrome", "Down syndrome",
                                   "Fanconi anemia", "x-ray exposure before birth", "002", "003"), rows=22)],
    "specialists-for-condition": [Says(("oncology team", "pediatric oncologist", "child-life specialist",
                                        "fertility specialist", "hematologist", "medical oncologist", "neurologist",
                                        "neuroradiologist", "pediatric intensivist", "pediatric nurse specialist",
                                        "pediatric surgeon", "pediatrician", "psychologist", "radiation oncologist",
                                        "rehabilitation specialist", "social worker", "sometimes", "002", "003"),
                                       rows=16)],
    "statements-from-source": [Says((JMML_IN_RELAPSE, "has ICD-10 code", "Juvenile myelomonocytic leukemia, in relapse",
                                     "ICD-10 code: C93.32", "synonym", "JMML",
                                     "has risk factor", "incomplete remission", "minimal residual disease",
                                     "specific genetic mutations", "possible", "has symptom", "often",
                                     "diagnosed by", "bone marrow aspiration", "genetic testing", "imaging tests",
                                     "has prognostic factor", "treated with", "supportive care",
                                     "pain relief medication", "psychological support", "Treatment options (teaser)"),
                                    rows=74)],
    "study-findings": [Says(("Chang et al. 2004: 7 of 13 JMML patients alive and disease-free after a second "
                             "transplant",
                             "alive and disease-free", "7", "13", "54", "53",
                             "Chang et al. 2004: 7 of 10 patients with autologous recovery or early relapse alive "
                             "after a second transplant", "10", "70",
                             "Chang et al. 2004: 3 of 6 patients retransplanted within 6 months alive", "3", "6", "50",
                             "24", "57", "90",
                             "Chang et al. 2004 case: 5-year-old girl with JMML relapse after first transplant"),
                            rows=4)],
    "subtypes-of": [Says(("asparaginase", "pegaspargase", "E. coli-derived asparaginase",
                          "Erwinia-derived asparaginase", "cyclophosphamide", "cytarabine", "high-dose cytarabine",
                          "daunorubicin", "doxorubicin", "dexamethasone", "prednisone", "etoposide",
                          "mercaptopurine", "thioguanine", "methotrexate", "high-dose methotrexate", "nelarabine",
                          "vincristine", "combination chemotherapy", "high-dose chemotherapy",
                          "high-dose systemic chemotherapy", "systemic chemotherapy", "intrathecal chemotherapy",
                          "intrathecal chemotherapy (methotrexate ± cytarabine and steroid)", "CNS-directed therapy",
                          "subtype"), rows=25)],
    "symptom-causes": [Says(("thrombocytopenia", "easy bleeding",
                             "tiny blood vessels under the skin leak because there are not enough platelets",
                             "002", "003"), rows=3)],
    "symptoms-of-disease": [Says(("bone pain", "fatigue", "hepatomegaly", "pallor", "recurrent infections",
                                  "splenomegaly", JMML_IN_RELAPSE, "established", "often", "001"), rows=6)],
    "therapy-cautions": [
        Says(("energy drinks", "folate", "herbal or traditional medicines", "herbal teas",
              "high-dose antioxidant supplements", "supplements not approved by the oncology team", "possible",
              "002"), rows=6),
        Says(("infants with acute lymphoblastic leukemia", "very young children", "established", "sometimes", "003"),
             rows=2),
    ],
    "tests-for-disease": [Says(("bone marrow aspiration", "genetic testing", "imaging tests", JMML_IN_RELAPSE,
                                "established", "sometimes", "001"), rows=3)],
    "tests-that-detect": [Says(("chest x-ray", "computed tomography", "magnetic resonance imaging", "imaging tests",
                                "radiography", "002", "003"), rows=3)],
    "therapies-in-phase": [Says(("CNS-directed therapy", CHILDHOOD_ALL, "always", "combination chemotherapy",
                                 "newly diagnosed disease", "standard-risk childhood ALL", "high-risk childhood ALL",
                                 "very high-risk childhood ALL", "infant acute lymphoblastic leukemia",
                                 "childhood T-cell acute lymphoblastic leukemia",
                                 "childhood Philadelphia chromosome-positive acute lymphoblastic leukemia",
                                 "Down syndrome-associated acute lymphoblastic leukemia",
                                 "acute lymphoblastic leukemia in adolescents and young adults", "prednisone", "often",
                                 "003", "002"), rows=10)],
    "treatment-phases": [Says(("1", "remission induction", "remission",
                               "to kill the leukemia cells in the blood and bone marrow", "2",
                               "consolidation/intensification",
                               "to kill any leukemia cells that remain in the body and may cause a relapse", "3",
                               "maintenance", "keep these hidden cells from growing again",
                               "to kill any remaining leukemia cells that may regrow and cause a relapse",
                               "re-induction"),
                              rows=4)],
    "treatments-for-condition": [Says(("standard-risk childhood ALL", "combination chemotherapy", "always",
                                       "newly diagnosed disease", "remission induction",
                                       "consolidation/intensification", "maintenance", "intrathecal chemotherapy",
                                       "allogeneic hematopoietic stem cell transplantation",
                                       "children with a poor response to treatment who are in remission after "
                                       "remission induction", "sometimes", "003"), rows=3)],
    "urgent-warning-signs": [Says(("balance impairment", "headache", "nausea", "visual impairment", "vomiting",
                                   "childhood acute lymphoblastic leukemia that has spread to the brain and spinal "
                                   "cord",
                                   "established"), rows=5)],
    "what-relieves": [
        Says(("filgrastim", "granulocyte colony-stimulating factor", "pegfilgrastim", "neutropenia", "002"), rows=3),
        Says(("thrombopoietin receptor agonists", "prolonged thrombocytopenia", "possible", "rarely", "002"), rows=1),
    ],
}

ROWS_STATED = re.compile(r"\b(\d+) rows?\b")


@pytest.fixture(scope="module")
def catalogue(project):
    return load_catalogue(project.queries_dir)


def repeated_questions(query, store) -> list[str]:
    """The example lines of the query that ask what its defaults or an example before it ask: the
    same values, however written (a label for the default's id), with only output options changed."""
    asked, repeated = {prepare(query, store).text}, []
    for line, params in zip(query.example.splitlines(), query.example_params):
        text = prepare(query, store, params).text
        if text in asked:
            repeated.append(line)
        asked.add(text)
    return repeated


def test_every_example_asks_what_the_defaults_do_not(catalogue, store):
    """An example that runs the defaults again, or changes only how the answer is printed
    (`--format csv`), shows a newcomer nothing the form and the README's excerpt do not (8 such
    examples and 5 of --format alone were found). A query without parameters, or of ONE_ANSWER, has
    one answer: its example is the bare command, without output options."""
    for name, query in catalogue.items():
        if not query.params or name in ONE_ANSWER:
            assert query.example == f"graphkit query {name}", \
                f"{name}: its one answer's example is `graphkit query {name}`"
        else:
            assert query.example, f"{name}: the header needs an example"
            assert repeated_questions(query, store) == [], f"{name}: these examples ask what the defaults ask"


def test_an_example_in_other_words_or_formats_repeats_the_defaults(store):
    query = parse_query_text("#+ summary: s\n#+ params:\n#+   drug: {type: entity, default: vincristine}\n"
                             "#+ example:\n#+   - graphkit query x --param drug=Vincristine --format csv\n"
                             "#+   - graphkit query x --param drug=daunorubicin\n"
                             "#+   - graphkit query x --param drug=gke:daunorubicin --format json\n"
                             "SELECT ?e WHERE { ?drug <https://w3id.org/graphkit/schema#hasAdverseEffect> ?e }", "x")
    assert repeated_questions(query, store) == ["graphkit query x --param drug=Vincristine --format csv",
                                                "graphkit query x --param drug=gke:daunorubicin --format json"]


def test_a_query_with_one_answer_has_it_for_its_default_only(catalogue, store):
    for name, prop in ONE_ANSWER.items():
        [param] = catalogue[name].params.values()
        subjects = {str(row["s"]) for row in store.query(f"SELECT DISTINCT ?s WHERE {{ ?s gk:{prop} ?o }}").rows}
        assert subjects == {str(GKE[param.default])}, \
            f"{name}: gk:{prop} has more subjects than its default now; give the query an example that asks for one"


def named_in(rows: list[dict], concatenated: dict[str, str]) -> set[str]:
    """The cells of the rows, and the parts of each GROUP_CONCAT cell."""
    cells = {value for row in rows for value in row.values()}
    parts = {part for row in rows for var, separator in concatenated.items() if var in row
             for part in row[var].split(separator)}
    return cells | parts


def test_each_expected_line_states_what_its_examples_give(catalogue, store):
    """The names an expected line states appear in its example's rows, and its row counts are the
    answer's: `drug-profile` described mercaptopurine under a blinatumomab example, in words no row
    holds ("low blood counts and liver inflammation" for myelosuppression and hepatitis)."""
    missing, gone = sorted(set(catalogue) - set(EXPECTED)), sorted(set(EXPECTED) - set(catalogue))
    assert not missing and not gone, (
        f"EXPECTED in tests/catalogue/test_examples.py: add a Says per example of {', '.join(missing) or '-'} (the "
        f"names its expected line states, and its rows where the line counts them); remove {', '.join(gone) or '-'}")
    wrong = []          # every query's, in one failure
    for name, query in catalogue.items():
        runs = query.example_params
        assert len(EXPECTED[name]) == len(runs), f"{name}: one Says per example"
        stated = sorted(int(n) for n in ROWS_STATED.findall(query.expected))
        if stated != sorted(says.rows for says in EXPECTED[name] if says.rows is not None):
            wrong.append(f"{name}: the expected line states {stated} rows, EXPECTED other counts")
        for says, params in zip(EXPECTED[name], runs):
            assert says.names, f"{name}: EXPECTED names nothing its expected line states"
            rows = run_query(catalogue, store, name, **params)
            shown = named_in(rows, concat_columns(query.body))
            wrong += [f"{name}: the expected line does not name {named!r}" for named in says.names
                      if named.lower() not in query.expected.lower()]
            wrong += [f"{name} {params}: no row shows {named!r}" for named in says.names if named not in shown]
            if says.rows is not None and len(rows) != says.rows:
                wrong.append(f"{name} {params}: {len(rows)} rows, not {says.rows}")
    assert not wrong, "\n".join(wrong)
