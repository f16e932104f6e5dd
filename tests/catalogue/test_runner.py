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
from graphkit.namespaces import GK, GKE
from graphkit.sparql import concat_columns, projected_variables
from graphkit.server import OxigraphServer
from graphkit.store import EndpointStore

from .test_answers import example_params

INJECTIONS = ['} ; DROP ALL', 'x" } ; DROP ALL ; SELECT * { "', "a'b\"c{d}e", "\\\" ) } #", "<http://evil>"]


# --- binding ----------------------------------------------------------------------------------------


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


@pytest.mark.parametrize("description, kinds", [
    ("the drug or therapy", ["Drug", "Therapy"]),
    ("the disease or disease state", ["Disease", "DiseaseState"]),
    ("the disease whose risk groups to list", ["Disease"]),                # not a risk group: what the query lists
    ("the side effect, e.g. hair loss, low blood counts, pancreatitis", ["AdverseEffect"]),   # not "blood"
    ("the symptom or finding", ["Phenotype"]),
    ("the therapy, drug, dietary supplement or food", ["DietarySupplement", "Drug", "Food", "Therapy"]),
    ("the entity", []),
    ("start entity", []),
])
def test_a_parameters_description_names_the_kinds_it_takes(store, description, kinds):
    from graphkit.catalogue.params import described_kinds

    assert [iri.removeprefix(str(GK)) for iri in described_kinds(store, description)] == kinds


@pytest.mark.parametrize("args, suggested", [
    # a drug for a drug: 'brain tumor', a disease, was the second suggestion
    (("side-effects-of-drug", "--param", "drug=blinatumomb"), "; did you mean 'blinatumomab' or 'BLINCYTO'?"),
    # diseases for a disease: the symptom 'leukopenia' was the third
    (("symptoms-of-disease", "--param", "disease=leukmia"), "; did you mean 'leukemia' or 'CNS leukemia' or 'acute leukemia'?"),
    # no drug or therapy is named like 'leukmia': the names of other kinds, saying so
    (("side-effects-of-drug", "--param", "drug=leukmia"),
     " (no drug or therapy is named like it); did you mean 'leukemia' or 'CNS leukemia' or 'leukopenia'?"),
    # a parameter that names no kind ("the entity") suggests every kind
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
