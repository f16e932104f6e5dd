"""The query layer: safe parameter binding, the CLI, clear errors, and the same answers from
a real SPARQL server over HTTP as from the embedded store."""

import json

import pytest
from rdflib import Literal, URIRef

from graphkit.catalogue import load_catalogue
from graphkit.errors import EndpointError, QueryError
from graphkit.namespaces import GKE
from graphkit.query import Catalogue, concat_columns, prepare, resolve_entity, run, substitute
from graphkit.server import OxigraphServer, free_port
from graphkit.store import EndpointStore

from .test_catalogue import example_params

INJECTIONS = ['} ; DROP ALL', 'x" } ; DROP ALL ; SELECT * { "', "a'b\"c{d}e", "\\\" ) } #", "<http://evil>"]


# --- binding ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", INJECTIONS)
def test_a_hostile_string_is_data_not_query(store, value):
    text = substitute('SELECT ?s WHERE { ?s rdfs:label ?needle }', {"needle": Literal(value)})
    assert store.query(text).rows == []          # parsed as one literal, matching nothing


def test_substitution_leaves_strings_iris_and_comments_alone():
    text = 'SELECT ?x WHERE { ?x rdfs:comment "?d" . # ?d here\n ?x <http://e/?d> ?d }'
    out = substitute(text, {"d": URIRef("https://w3id.org/graphkit/entity/jmml")})
    assert out == ('SELECT ?x WHERE { ?x rdfs:comment "?d" . # ?d here\n ?x <http://e/?d> '
                   '<https://w3id.org/graphkit/entity/jmml> }')


def test_a_variable_named_where_is_not_the_where_keyword():
    text = "SELECT ?where WHERE { ?where rdfs:label ?x }"
    assert substitute(text, {"x": Literal("a")}) == 'SELECT ?where WHERE { ?where rdfs:label "a" }'


def test_projected_parameter_is_refused():
    with pytest.raises(QueryError, match="must not be projected"):
        substitute("SELECT ?d WHERE { ?d ?p ?o }", {"d": URIRef("http://e/x")})


def test_no_catalogue_query_projects_its_parameters(project):
    from graphkit.query import projected_variables

    for query in load_catalogue(project.queries_dir).values():
        assert not (projected_variables(query.body) & set(query.params)), query.name


@pytest.mark.parametrize("name", ["jmml_in_relapse", "JMML IN RELAPSE", "JMML relapse", "gke:jmml_in_relapse",
                                  "https://w3id.org/graphkit/entity/jmml_in_relapse"])
def test_entity_parameter_accepts_id_label_synonym_curie_iri(store, name):
    assert resolve_entity(store, name) == GKE.jmml_in_relapse


def test_entity_parameter_accepts_an_external_curie(store):
    assert resolve_entity(store, "ICD10CM:C93.32") == URIRef("http://purl.bioontology.org/ontology/ICD10CM/C93.32")


def test_unknown_entity_suggests_close_names(store):
    with pytest.raises(QueryError, match="did you mean 'petechiae'"):
        resolve_entity(store, "petechia")


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_in_an_entity_parameter_is_a_clean_error(store, project, value):
    query = Catalogue(project).get("symptoms-of-disease")
    with pytest.raises(QueryError, match="no entity with id, label or synonym"):
        prepare(query, store, {"disease": value})


def test_python_api_returns_pandas_friendly_records(store, project):
    records = run("study-findings", store=store, project=project).records()
    overall = next(r for r in records if r["finding"].endswith("chang2004_overall_finding"))
    assert (overall["with_outcome"], overall["cohort"], overall["percent"]) == (7, 13, 54)
    assert isinstance(overall["cohort"], int)


# --- command line ----------------------------------------------------------------------------------


def test_cli_runs_a_named_query_with_a_label_parameter(cli):
    result = cli("query", "symptoms-of-disease", "--param", "disease=JMML in relapse", "--format", "csv")
    assert result.code == 0, result
    lines = result.out.strip().splitlines()
    assert lines[0] == "symptom,symptom_label,stated_for_label,certainty,frequency,population,sources"
    assert {line.split(",")[1] for line in lines[1:]} == {"bone pain", "fatigue", "hepatomegaly", "pallor",
                                                          "recurrent infections", "splenomegaly"}


def test_cli_json_is_sparql_results_json(cli):
    result = cli("query", "drugs-by-target", "--param", "target=CD19", "--format", "json")
    assert result.code == 0, result
    data = json.loads(result.out)
    assert data["head"]["vars"] == ["therapy", "therapy_label", "mechanisms", "sources"]
    assert {b["therapy"]["value"] for b in data["results"]["bindings"]} == {
        str(GKE.blinatumomab), str(GKE.tisagenlecleucel)}
    assert all(b["therapy"]["type"] == "uri" for b in data["results"]["bindings"])


def test_cli_list_and_show(cli, project):
    listing = cli("query", "--list", "--format", "tsv")
    assert listing.code == 0
    names = [line.split("\t")[0] for line in listing.out.strip().splitlines()[1:]]
    assert names == sorted(load_catalogue(project.queries_dir))
    shown = cli("query", "evidence-for-edge", "--show")
    assert shown.code == 0 and "<https://w3id.org/graphkit/entity/jmml_in_relapse>" in shown.out


def test_cli_unknown_query_has_a_did_you_mean(cli):
    result = cli("query", "symptom-of-disease")
    assert result.code == 2
    assert "no query named 'symptom-of-disease'" in result.err and "symptoms-of-disease" in result.err


def test_cli_extra_and_malformed_parameters(cli):
    extra = cli("query", "symptoms-of-disease", "--param", "diseas=jmml")
    assert extra.code == 2 and "has no parameter 'diseas' (did you mean 'disease'?)" in extra.err
    malformed = cli("query", "symptoms-of-disease", "--param", "disease")
    assert malformed.code == 2 and "--param takes name=value" in malformed.err
    bad_bool = cli("query", "symptoms-of-disease", "--param", "include_subtypes=maybe")
    assert bad_bool.code == 2 and "not a boolean" in bad_bool.err


def test_cli_injection_string_is_rejected_as_an_unknown_entity(cli):
    result = cli("query", "symptoms-of-disease", "--param", "disease=} ; DROP ALL")
    assert result.code == 2 and "no entity with id, label or synonym '} ; DROP ALL'" in result.err


def test_cli_sparql_from_stdin_and_malformed_sparql(cli, tmp_path):
    ok = cli("sparql", "-", "--format", "tsv",
             input="SELECT ?code WHERE { gke:jmml_in_relapse gk:hasICD10Code ?code }")
    assert ok.code == 0 and ok.out.splitlines() == ["code", "http://purl.bioontology.org/ontology/ICD10CM/C93.32"]
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE {\n  ?x ?y \n}\n")
    result = cli("sparql", str(bad))
    assert result.code == 2 and "malformed SPARQL at line 3, column" in result.err


def test_cli_sparql_with_a_header_takes_parameters(cli, project):
    path = project.queries_dir / "tests-for-disease.rq"
    result = cli("sparql", str(path), "--param", "disease=jmml_in_relapse", "--format", "csv")
    assert result.code == 0, result
    assert len(result.out.strip().splitlines()) == 4


def test_cli_unreachable_endpoint(cli):
    port = free_port()
    result = cli("query", "definitions", "--endpoint", f"http://127.0.0.1:{port}/query", "--timeout", "3")
    assert result.code == 3
    assert f"endpoint http://127.0.0.1:{port}/query is unreachable" in result.err


def test_endpoint_url_is_checked():
    with pytest.raises(QueryError, match="must start with http"):
        EndpointStore("ftp://example.org/sparql")


# --- a real SPARQL server over HTTP ------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(project, tmp_path_factory):
    with OxigraphServer.for_project(project, tmp_path_factory.mktemp("oxigraph")) as running:
        yield running


def test_every_catalogue_query_gives_the_same_answer_over_http(server, store, project):
    endpoint = EndpointStore(server.query_url, timeout=60)
    for name, query in load_catalogue(project.queries_dir).items():
        params = example_params(query)
        local_query, remote_query = prepare(query, store, params), prepare(query, endpoint, params)
        assert remote_query == local_query, name            # parameters resolve the same over HTTP
        local, remote = store.query(local_query), endpoint.query(remote_query)
        concatenated = concat_columns(query.body)
        assert remote.canonical(concatenated) == local.canonical(concatenated), name


def test_graphkit_query_is_one_call_for_both_back_ends(server, project):
    import graphkit

    local = graphkit.query("drugs-by-target", {"target": "CD19"}, project=project)
    remote = graphkit.query("drugs-by-target", {"target": "CD19"}, project=project, endpoint=server.query_url)
    assert {r["therapy_label"] for r in local.records()} == {"blinatumomab", "tisagenlecleucel"}
    assert remote.canonical(concat_columns(Catalogue(project).get("drugs-by-target").body)) == \
        local.canonical(concat_columns(Catalogue(project).get("drugs-by-target").body))


def test_cli_query_against_the_server(server, cli):
    result = cli("query", "symptoms-of-disease", "--param", "disease=JMML in relapse", "--format", "csv",
                 "--endpoint", server.query_url)
    assert result.code == 0, result
    assert len(result.out.strip().splitlines()) == 7


def test_endpoint_reports_a_malformed_query(server):
    with pytest.raises(QueryError, match="rejected the query"):
        EndpointStore(server.query_url).query("SELECT ?x WHERE { ?x ?y }")


def test_endpoint_http_error_is_clear(server):
    with pytest.raises(EndpointError, match="HTTP 404|failed"):
        EndpointStore(server.base_url + "/no-such-service").query("ASK {}")
