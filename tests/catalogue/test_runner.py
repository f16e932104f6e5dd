"""The query layer: safe parameter binding, clear errors, the Python API, and the same answers
from a real SPARQL server over HTTP as from the embedded store (the command line:
tests/commands/test_query.py)."""

import pytest
from pyoxigraph import NamedNode
from rdflib import Literal, URIRef

from graphkit.catalogue import Catalogue, load_catalogue, prepare, run
from graphkit.catalogue.params import resolve_entity
from graphkit.catalogue.runner import Prepared
from graphkit.errors import EndpointError, QueryError
from graphkit.namespaces import GKE
from graphkit.sparql import concat_columns, projected_variables
from graphkit.server import OxigraphServer
from graphkit.store import EndpointStore

from .test_answers import example_params

INJECTIONS = ['} ; DROP ALL', 'x" } ; DROP ALL ; SELECT * { "', "a'b\"c{d}e", "\\\" ) } #", "<http://evil>"]


# --- binding ----------------------------------------------------------------------------------------


def test_a_node_parameter_prefers_its_kinds_as_an_entity_parameter_does(store):
    from graphkit.catalogue.files import parse_query_text

    def suggested(kinds: str) -> str:
        text = (f"#+ summary: s\n#+ params:\n#+   x: {{type: node, {kinds}default: jmml, description: a node}}\n"
                "SELECT ?p ?o WHERE { ?x ?p ?o }\n")
        with pytest.raises(QueryError) as failed:
            prepare(parse_query_text(text, "mine", where="query mine"), store, {"x": "blinatumomb"})
        return str(failed.value)

    assert suggested("kinds: [Therapy], ") == "no entity with id, label or synonym 'blinatumomb'; did you mean 'blinatumomab' or 'BLINCYTO'?"
    assert suggested("kinds: [Disease], ") == "no entity with id, label or synonym 'blinatumomb'; did you mean 'brain tumor' or 'brain tumors'?"
    assert suggested("") == ("no entity with id, label or synonym 'blinatumomb'; did you mean 'blinatumomab' or 'brain tumor' "
                             "or 'BLINCYTO'?")


@pytest.mark.parametrize("value", INJECTIONS)
def test_a_hostile_string_is_data_not_query(store, value):
    text = Prepared('SELECT ?s WHERE { ?s rdfs:label ?needle }', {"needle": Literal(value)}).text
    assert store.query(text).rows == []          # parsed as one literal, matching nothing


def test_substitution_leaves_strings_iris_and_comments_alone():
    text = 'SELECT ?x WHERE { ?x rdfs:comment "?d" . # ?d here\n ?x <http://e/?d> ?d }'
    out = Prepared(text, {"d": URIRef("https://w3id.org/graphkit/entity/jmml")}).text
    assert out == ('SELECT ?x WHERE { ?x rdfs:comment "?d" . # ?d here\n ?x <http://e/?d> '
                   '<https://w3id.org/graphkit/entity/jmml> }')


def test_a_variable_named_where_is_not_the_where_keyword():
    text = "SELECT ?where WHERE { ?where rdfs:label ?x }"
    assert Prepared(text, {"x": Literal("a")}).text == 'SELECT ?where WHERE { ?where rdfs:label "a" }'


def test_projected_parameter_is_refused():
    with pytest.raises(QueryError, match="must not be projected"):
        Prepared("SELECT ?d WHERE { ?d ?p ?o }", {"d": URIRef("http://e/x")}).text


def test_no_catalogue_query_projects_its_parameters(project):
    for query in load_catalogue(project.queries_dir).values():
        assert not (projected_variables(query.body) & set(query.params)), query.name


@pytest.mark.parametrize("name", ["jmml_in_relapse", "JMML IN RELAPSE", "JMML relapse", "gke:jmml_in_relapse",
                                  "https://w3id.org/graphkit/entity/jmml_in_relapse"])
def test_entity_parameter_accepts_id_label_synonym_curie_iri(store, name):
    assert resolve_entity(store, name) == NamedNode(str(GKE.jmml_in_relapse))   # a pyoxigraph term: no rdflib


def test_entity_parameter_accepts_an_external_curie(store):
    assert resolve_entity(store, "ICD10CM:C93.32") == NamedNode(str(GKE.jmml_in_relapse))


@pytest.mark.parametrize("name, entity", [("FISH", "fluorescence_in_situ_hybridization"), ("fish", "fish_food"),
                                          ("Fish", "fish_food")])
def test_a_name_of_two_entities_is_the_one_it_names_in_its_case_else_by_label(store, name, entity):
    """The test's synonym FISH and the food's label fish are one name in any case: 'fish'
    named the test by its id, and 'FISH' was 'names several entitys'."""
    notes = []
    assert resolve_entity(store, name, notes) == NamedNode(str(GKE[entity]))
    other = {"fish_food": "fluorescence in situ hybridization (gke:fluorescence_in_situ_hybridization)",
             "fluorescence_in_situ_hybridization": "fish (gke:fish_food)"}[entity]
    assert notes == [f"{name!r} is {'fish' if entity == 'fish_food' else 'fluorescence in situ hybridization'} "
                     f"(gke:{entity}); it also names {other}: give the id to mean that"]    # it was silent


def test_a_name_two_entities_share_alike_is_refused_naming_both():
    import pyoxigraph as ox

    from graphkit.store import OxigraphStore

    data = ox.Store()
    data.load("""@prefix gke: <https://w3id.org/graphkit/entity/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
                 @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
                 gke:a rdfs:label "acute lymphoblastic leukemia" ; skos:altLabel "ALL" .
                 gke:b rdfs:label "childhood acute lymphoblastic leukemia" ; skos:altLabel "ALL" .""",
              format=ox.RdfFormat.TURTLE)
    with pytest.raises(QueryError, match=r"^'all' names several entities: acute lymphoblastic leukemia \(gke:a\), "
                                         r"childhood acute lymphoblastic leukemia \(gke:b\); use an id$"):
        resolve_entity(OxigraphStore(data), "all")


def test_unknown_entity_suggests_close_names(store):
    with pytest.raises(QueryError, match="did you mean 'petechiae'"):
        resolve_entity(store, "petechia")
    # a name that holds the text as a word before the names spelled like it
    with pytest.raises(QueryError, match="did you mean 'peripheral neuropathy' or 'neutrophil'"):
        resolve_entity(store, "neuropathy")
    # the names the search page finds first: the words in any order, a hyphen for a space
    # (were "'B-cell precursor ALL' or 'red-cell precursor'", "'Ara-C'" and "'early relapse'")
    with pytest.raises(QueryError, match=r"; did you mean 'relapsed or refractory B-cell precursor ALL in children' or "):
        resolve_entity(store, "relapsed B-cell precursor ALL")
    with pytest.raises(QueryError, match=r"; did you mean 'CAR T cell' or 'CAR T-cell therapy' or 'Ara-C'\?$"):
        resolve_entity(store, "CAR-T")
    with pytest.raises(QueryError, match=r"; did you mean 'childhood ALL relapsed a second time' or 'relapsed ALL' or "):
        resolve_entity(store, "ALL relapse")


# The kinds each entity or node parameter of the catalogue takes (its header's `kinds:`): those whose
# entities the query answers for, each checked by running the query for every entity of the graph.
CATALOGUE_KINDS = {
    "diet-advice.condition": ("Disease", "Phenotype"),        # childhood ALL; mouth sores, underweight
    "diseases-with-symptom.symptom": ("Phenotype",),
    "drug-profile.drug": ("Therapy",),
    "drugs-by-target.target": ("MolecularTarget",),
    "drugs-sharing-side-effects-with.drug": ("Therapy",),
    "drugs-with-side-effect.effect": ("AdverseEffect",),
    "icd10-code-of-disease.disease": ("Disease", "Phenotype"),  # sunburn and cytokine release syndrome have codes
    "prognostic-factors.disease": ("Disease",),
    "relapse-treatments-by-site.disease": ("Disease",),
    "risk-factors-of-disease.disease": ("Disease", "Phenotype"),   # vomiting has causes
    "risk-group-criteria.disease": ("Disease",),
    "shared-risk-factors.disease_a": ("Disease", "Phenotype"),
    "shared-risk-factors.disease_b": ("Disease", "Phenotype"),
    "shared-symptoms.disease_a": ("Disease", "Phenotype"),        # infection has symptoms
    "shared-symptoms.disease_b": ("Disease", "Phenotype"),
    "side-effects-of-drug.drug": ("Therapy",),
    "specialists-for-condition.condition": ("Disease",),
    "study-findings.study": ("ClinicalStudy",),
    "symptom-causes.symptom": ("Phenotype",),
    "symptoms-of-disease.disease": ("Disease", "Phenotype"),
    "tests-for-disease.disease": ("Disease",),
    "tests-that-detect.target": ("Phenotype", "ClinicalFeature", "Disease", "DiseaseState", "CellType", "Gene",
                                 "GeneticAbnormality"),
    "therapies-in-phase.phase": ("TreatmentPhase",),
    "therapy-cautions.therapy": ("Therapy", "Food"),
    "treatments-for-condition.condition": ("Disease", "DiseaseState", "Phenotype", "PatientGroup"),
    "urgent-warning-signs.condition": ("Disease",),
    "what-relieves.condition": ("Phenotype",),
}
# Parameters that take any entity (or code node): no kind is preferred.
ANY_KIND = {"describe-entity.entity", "evidence-for-edge.object", "evidence-for-edge.subject", "path-between.from",
            "path-between.to", "quantities-about-entity.entity", "subtypes-of.entity"}


def test_every_entity_parameter_of_the_catalogue_names_its_kinds_as_the_schema_does(project):
    from graphkit.catalogue.files import unknown_kinds
    from graphkit.schema import Schema

    classes = Schema.of_project(project).classes
    queries = load_catalogue(project.queries_dir)
    assert [problem for q in queries.values() for problem in unknown_kinds(q, classes)] == []
    kinds = {f"{q.name}.{name}": param.kinds for q in queries.values() for name, param in q.params.items()
             if param.type in ("entity", "node")}
    assert {where: k for where, k in kinds.items() if k} == CATALOGUE_KINDS
    assert {where for where, k in kinds.items() if not k} == ANY_KIND


def test_a_grlc_style_reader_reads_the_kinds_as_graphkit_does(project):
    """grlc reads a header by stripping each ``#+`` line's leading '#' and '+' and loading the rest
    as YAML (``get_yaml_decorators``): the kinds are a list of names there too, beside the fields
    it had read, and the header is still one YAML mapping."""
    import yaml

    for q in load_catalogue(project.queries_dir).values():
        header = yaml.safe_load("\n".join(line.lstrip("#+") for line in q.text.split("\n") if line.startswith("#+")))
        assert isinstance(header, dict) and header["summary"] == q.summary, q.name
        for name, param in q.params.items():
            read = header["params"][name]
            assert read.get("kinds", []) == list(param.kinds) and read["type"] == param.type, (q.name, name)
            assert read.get("description", "") == param.description, (q.name, name)


def test_an_unknown_kind_in_a_header_is_refused_naming_the_file_and_the_parameter(project, store, tmp_path):
    from pathlib import Path

    from graphkit.catalogue.files import parse_query_text, unknown_kinds
    from graphkit.schema import Schema

    text = ("#+ summary: s\n#+ params:\n#+   drug: {type: entity, kinds: [Therapy, Drugg], default: vincristine, "
            "description: the drug}\nSELECT ?p ?o WHERE { ?drug ?p ?o }\n")
    query = parse_query_text(text, "mine", Path("queries/mine.rq"), where="query mine")
    said = "queries/mine.rq: parameter 'drug' has unknown kind 'Drugg' (did you mean 'Drug'?)"
    assert unknown_kinds(query, Schema.of_project(project).classes) == [said]
    with pytest.raises(QueryError) as refused:          # graphkit query refuses it, as the catalogue's test does
        prepare(query, store, {"drug": "vincristine"})
    assert str(refused.value) == said
    # an ad hoc file is named by its path as given
    adhoc = parse_query_text(text, "mine", tmp_path / "mine.rq")
    assert unknown_kinds(adhoc, {"Therapy"}) == [f"{tmp_path / 'mine.rq'}: parameter 'drug' has unknown kind 'Drugg' "
                                                   f"(kinds are the classes of ontology/schema.ttl, by local name)"]


@pytest.mark.parametrize("spec, said", [
    ("{type: string, kinds: [Drug], default: x}", "parameter 'drug' has kinds, which only an entity or node parameter takes"),
    ("{type: entity, kinds: {Drug: 1}, default: x}",
     "parameter 'drug': kinds is a list of the schema's class names, e.g. `kinds: [Drug, Therapy]`, not {'Drug': 1}"),
    ("{type: entity, kinds: [drug or therapy], default: x}",
     "parameter 'drug': kinds is a list of the schema's class names, e.g. `kinds: [Drug, Therapy]`, not ['drug or therapy']"),
    ("{type: entity, kinds: [], default: x}",
     "parameter 'drug': kinds is a list of the schema's class names, e.g. `kinds: [Drug, Therapy]`, not []"),
])
def test_kinds_is_a_list_of_class_names_of_an_entity_or_node_parameter(spec, said):
    from graphkit.catalogue.files import parse_query_text

    with pytest.raises(QueryError) as refused:
        parse_query_text(f"#+ summary: s\n#+ params:\n#+   drug: {spec}\nSELECT ?drug WHERE {{}}\n", "mine", where="query mine")
    assert str(refused.value) == f"query mine: {said}"


@pytest.mark.parametrize("args, suggested", [
    # a drug for a drug: 'brain tumor', a disease, was the second suggestion
    (("side-effects-of-drug", "--param", "drug=blinatumomb"), "; did you mean 'blinatumomab' or 'BLINCYTO'?"),
    # diseases for a disease: the symptom 'leukopenia' was the third
    (("tests-for-disease", "--param", "disease=leukmia"), "; did you mean 'leukemia' or 'CNS leukemia' or 'acute leukemia'?"),
    # symptoms-of-disease answers for symptoms too (infection's): leukopenia is one of its kinds
    (("symptoms-of-disease", "--param", "disease=leukmia"), "; did you mean 'leukemia' or 'CNS leukemia' or 'leukopenia'?"),
    # a drug's profile is a therapy's: 'brain tumor' (a disease) was the second for the old heuristic's
    # "drug or therapy" too, and would be again if the description were reworded ("the medicine")
    (("drug-profile", "--param", "drug=blinatumomb"), "; did you mean 'blinatumomab' or 'BLINCYTO'?"),
    # molecular targets for a target: blinatumomab's mechanism (binds CD3 and CD19) is none
    (("drugs-by-target", "--param", "target=CD1"), "; did you mean 'CD19' or 'CD3'?"),
    (("describe-entity", "--param", "entity=CD1"),
     "; did you mean 'CD19' or 'brings T cells and leukemia cells together (binds CD3 and CD19)' or 'CD3'?"),
    # no therapy is named like 'leukmia': the names of other kinds, saying so
    (("side-effects-of-drug", "--param", "drug=leukmia"),
     " (no therapy is named like it); did you mean 'leukemia' or 'CNS leukemia' or 'leukopenia'?"),
    # a parameter of no kind (describe-entity's: any entity) suggests every kind
    (("describe-entity", "--param", "entity=blinatumomb"), "; did you mean 'blinatumomab' or 'brain tumor' or 'BLINCYTO'?"),
])
def test_an_unknown_entity_is_suggested_entities_of_the_parameters_kind(cli, args, suggested):
    word = args[-1].split("=")[1]
    result = cli("query", *args)
    assert result.code == 2 and result.err == f"graphkit query: no entity with id, label or synonym {word!r}{suggested}\n", result


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_in_an_entity_parameter_is_a_clean_error(store, project, value):
    query = Catalogue(project).get("symptoms-of-disease")
    with pytest.raises(QueryError, match="no entity (with id, label or synonym|carries the identifier)"):
        prepare(query, store, {"disease": value})


def test_graphkit_query_is_a_plain_function(store):
    import inspect

    import graphkit

    assert inspect.isfunction(graphkit.query) and "Run the catalogue query" in graphkit.query.__doc__
    assert [(p.name, p.kind.name) for p in inspect.signature(graphkit.query).parameters.values()] == [
        ("name", "POSITIONAL_ONLY"), ("params", "POSITIONAL_ONLY"), ("endpoint", "KEYWORD_ONLY"),
        ("store", "KEYWORD_ONLY"), ("timeout", "KEYWORD_ONLY"), ("named_params", "VAR_KEYWORD")]
    by_dict = graphkit.query("drugs-by-target", {"target": "CD19"}, store=store)
    by_keyword = graphkit.query("drugs-by-target", target="CD19", store=store)
    assert {r["therapy_label"] for r in by_keyword.records()} == {"blinatumomab", "tisagenlecleucel"}
    assert by_dict.canonical() == by_keyword.canonical()


def test_python_api_returns_pandas_friendly_records(store, project):
    records = run("study-findings", store=store, project=project).records()
    overall = next(r for r in records if r["finding"].endswith("chang2004_overall_finding"))
    assert (overall["with_outcome"], overall["cohort"], overall["percent"]) == (7, 13, 54)
    assert isinstance(overall["cohort"], int)


# --- a real SPARQL server over HTTP ------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(project, tmp_path_factory):
    with OxigraphServer.for_project(project, tmp_path_factory.mktemp("oxigraph")) as running:
        yield running


@pytest.mark.slow
def test_every_catalogue_query_gives_the_same_answer_over_http(server, store, project):
    endpoint = EndpointStore(server.query_url, timeout=60)
    for name, query in load_catalogue(project.queries_dir).items():
        params = example_params(query)
        local_query, remote_query = prepare(query, store, params), prepare(query, endpoint, params)
        assert remote_query == local_query, name            # parameters resolve the same over HTTP
        local, remote = store.query(local_query), endpoint.query(remote_query)
        concatenated = concat_columns(query.body)
        assert remote.canonical(concatenated) == local.canonical(concatenated), name


@pytest.mark.slow
def test_graphkit_query_is_one_call_for_both_back_ends(server, project):
    import graphkit

    local = graphkit.query("drugs-by-target", {"target": "CD19"})
    remote = graphkit.query("drugs-by-target", target="CD19", endpoint=server.query_url)
    assert {r["therapy_label"] for r in local.records()} == {"blinatumomab", "tisagenlecleucel"}
    assert remote.canonical(concat_columns(Catalogue(project).get("drugs-by-target").body)) == \
        local.canonical(concat_columns(Catalogue(project).get("drugs-by-target").body))


@pytest.mark.slow
def test_cli_query_against_the_server(server, cli):
    result = cli("query", "symptoms-of-disease", "--param", "disease=JMML in relapse", "--format", "csv",
                 "--endpoint", server.query_url)
    assert result.code == 0, result
    assert len(result.out.strip().splitlines()) == 7


@pytest.mark.slow
def test_endpoint_reports_a_malformed_query(server):
    with pytest.raises(QueryError, match="rejected the query"):
        EndpointStore(server.query_url).query("SELECT ?x WHERE { ?x ?y }")


@pytest.mark.slow
def test_endpoint_http_error_is_clear(server):
    with pytest.raises(EndpointError, match="HTTP 404|failed"):
        EndpointStore(server.base_url + "/no-such-service").query("ASK {}")
