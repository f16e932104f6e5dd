"""``graphkit query`` and ``graphkit sparql`` as a user runs them: named queries with label
parameters, SPARQL JSON, the catalogue listing, clear errors with exit codes."""

import csv
import io
import json
import time

import pytest

import graphkit
from graphkit.catalogue import load_catalogue
from graphkit.errors import QueryError
from graphkit.namespaces import GKE, GKG
from graphkit.server import free_port

from ..conftest import run_cli
from ..httptools import Answer, FakeEndpoint, StoreEndpoint

UPDATES_REFUSED = "updates are not supported (use the server's update endpoint yourself)"


@pytest.mark.slow
def test_cli_runs_a_named_query_with_a_label_parameter(cli):
    result = cli("query", "symptoms-of-disease", "--param", "disease=JMML in relapse", "--format", "csv")
    assert result.code == 0, result
    lines = result.out.strip().splitlines()
    assert lines[0] == "symptom,symptom_label,stated_for_label,certainty,frequency,some_members,population,sources"
    assert {line.split(",")[1] for line in lines[1:]} == {"bone pain", "fatigue", "hepatomegaly", "pallor",
                                                          "recurrent infections", "splenomegaly"}


def test_an_empty_answer_says_what_the_entity_parameters_named(cli):
    """A drug given where the question asks for a disease gave "(0 rows)" and nothing else."""
    result = cli("query", "symptoms-of-disease", "--param", "disease=vincristine")
    assert result.code == 0 and result.out.rstrip().endswith("(0 rows)")
    assert result.err == ("graphkit query: note: no rows for disease = vincristine (gke:vincristine), a drug (it asks "
                          "for the disease (id, label, synonym, CURIE or IRI))\n")
    answered = cli("query", "symptoms-of-disease", "--param", "disease=jmml")
    assert answered.code == 0 and answered.err == ""
    fever = cli("query", "symptoms-of-disease", "--param", "disease=HP:0001945")      # not "a adverse effect"
    read_as, empty = fever.err.splitlines()
    assert read_as == ("graphkit query: note: HP:0001945 read as fever (gke:fever), an adverse effect and phenotype or "
                       "symptom, which carries it as an exact mapping")
    assert empty.startswith("graphkit query: note: no rows for disease = fever (gke:fever), an adverse effect and "
                            "phenotype or symptom"), fever


def test_an_empty_answer_to_a_parameter_whose_default_is_any_is_a_note(cli):
    """relapse-treatments-by-site's disease defaults to any, which binds nothing: looking for its
    kind sent "None a ?type" to the engine, and an empty answer exited 2 with "malformed SPARQL"."""
    result = cli("query", "relapse-treatments-by-site", "--param", "disease=nelarabine")
    assert result.code == 0 and result.out.rstrip().endswith("(0 rows)"), result
    assert result.err == ("graphkit query: note: no rows for disease = nelarabine (gke:nelarabine), a drug (it asks "
                          "for the underlying disease (e.g. childhood_all, jmml) or any)\n")


def test_cli_json_is_sparql_results_json(cli):
    result = cli("query", "drugs-by-target", "--param", "target=CD19", "--format", "json")
    assert result.code == 0, result
    data = json.loads(result.out)
    assert data["head"]["vars"] == ["therapy", "therapy_label", "some_members", "scope", "mechanisms", "sources"]
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
    assert not shown.out.startswith("#")
    # the bound text keeps what its header said the answers need
    explore = cli("query", "describe-entity", "--show")
    assert explore.out.startswith("# needs: inferred (load ontology/inferred.ttl too for graphkit's answers)\nPREFIX")


def test_cli_unknown_query_has_a_did_you_mean():
    result = run_cli("query", "symptom-of-disease")          # the real command: exit code and stderr
    assert result.code == 2
    assert "no query named 'symptom-of-disease'" in result.err and "symptoms-of-disease" in result.err
    assert len(result.err.splitlines()) == 1 and "Traceback" not in result.err


def test_a_query_name_in_another_case_or_with_underscores_is_the_query(cli):
    """`Symptoms-Of-Disease` and `symptoms_of_disease` were "no query named", exit 2."""
    expected = cli("query", "symptoms-of-disease", "--param", "disease=jmml", "--format", "csv").out
    for name in ("Symptoms-Of-Disease", "symptoms_of_disease", "symptoms of disease", "Symptoms Of Disease"):
        result = cli("query", name, "--param", "disease=jmml", "--format", "csv")
        assert result.code == 0 and result.out == expected and expected.count("\n") == 7, name
    listed = cli("query", "--list", "symptoms_of", "--format", "csv")
    assert [line.split(",")[0] for line in listed.out.splitlines()[1:]] == ["symptoms-of-disease"]


def test_cli_extra_and_malformed_parameters(cli):
    extra = cli("query", "symptoms-of-disease", "--param", "diseas=jmml")
    assert extra.code == 2 and "has no parameter 'diseas' (did you mean 'disease'?)" in extra.err
    malformed = cli("query", "symptoms-of-disease", "--param", "disease")
    assert (malformed.code, malformed.err) == (2, "graphkit query: --param takes NAME=VALUE, got 'disease': write "
                                                  "--param disease=VALUE\n"), malformed
    # the value without its name: written for the first parameter (it said only "takes name=value")
    unnamed = cli("query", "symptoms-of-disease", "--param", "JMML in relapse")
    assert (unnamed.code, unnamed.err) == (2, "graphkit query: --param takes NAME=VALUE, got 'JMML in relapse': write "
                                              "--param 'disease=JMML in relapse' (the query's parameters: disease, "
                                              "include_subtypes)\n"), unnamed
    # a query without parameters says so (late-effects --param cranial had said only "takes NAME=VALUE")
    none = cli("query", "late-effects", "--param", "cranial")
    assert (none.code, none.err) == (2, "graphkit query: --param takes NAME=VALUE, got 'cranial': the query has no "
                                        "parameters\n"), none
    bad_bool = cli("query", "symptoms-of-disease", "--param", "include_subtypes=maybe")
    assert bad_bool.code == 2 and "parameter include_subtypes takes true or false, got 'maybe'" in bad_bool.err


def test_cli_class_and_predicate_parameters_in_any_case_or_by_label(cli):
    """A schema class or property by local name in any case, CURIE or label; a near miss suggests."""
    answers = {kind: cli("query", "treatments-for-condition", "--param", "condition=childhood_all", "--param",
                         f"kind={kind}", "--format", "csv").out for kind in ("Drug", "drug", "gk:DRUG", "drugs")}
    assert answers["Drug"].count("\n") > 10 and len(set(answers.values())) == 1
    labelled = cli("query", "treatments-for-condition", "--param", "condition=childhood_all", "--param",
                   "kind=targeted therapy", "--format", "csv")
    assert labelled.code == 0 and {line.split(",")[0].rsplit("/", 1)[-1] for line in labelled.out.splitlines()[1:]} == {
        "bortezomib", "dasatinib", "imatinib", "inotuzumab_ozogamicin", "ruxolitinib", "targeted_therapy",
        "tyrosine_kinase_inhibitors"}          # nivolumab, a checkpoint inhibitor, is a kind of immunotherapy
    wrong = cli("query", "treatments-for-condition", "--param", "kind=Durgs")
    assert wrong.code == 2 and "parameter kind: no schema class named 'Durgs'; did you mean 'Drug'" in wrong.err
    plural = cli("query", "definitions", "--param", "kind=chemotherapies", "--format", "csv")     # as the pages read kinds
    assert plural.code == 0 and plural.out == cli("query", "definitions", "--param", "kind=Chemotherapy", "--format", "csv").out
    predicate = cli("query", "evidence-for-edge", "--param", "predicate=hasSymptoms")
    assert predicate.code == 2 and "no schema predicate named 'hasSymptoms'; did you mean 'hasSymptom'" in predicate.err


def test_cli_injection_string_is_rejected_as_an_unknown_entity(cli):
    result = cli("query", "symptoms-of-disease", "--param", "disease=} ; DROP ALL")
    assert result.code == 2 and "no entity with id, label or synonym '} ; DROP ALL'" in result.err
    # quoted as typed: the outer angle brackets were taken off as an IRI's
    tagged = cli("query", "symptoms-of-disease", "--param", "disease=<script>alert(1)</script>")
    assert tagged.code == 2 and "no entity with id, label or synonym '<script>alert(1)</script>'" in tagged.err


def test_cli_sparql_from_stdin_and_malformed_sparql(cli, tmp_path):
    ok = cli("sparql", "-", "--format", "tsv",
             input="SELECT ?code WHERE { gke:jmml_in_relapse gk:hasICD10Code ?code }")
    assert ok.code == 0 and ok.out.splitlines() == ["code", "http://purl.bioontology.org/ontology/ICD10CM/C93.32"]
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE {\n  ?x ?y \n}\n")
    result = cli("sparql", str(bad))
    assert result.code == 2 and "malformed SPARQL at line 3, column" in result.err
    # an unclosed bracket is named where it opens: the parser reported the query's end ("line 6, column 1")
    bad.write_text('SELECT ?d ?l WHERE {\n  ?d a gk:Disease ;\n     rdfs:label ?l .\n'
                   '  FILTER(CONTAINS(?l, "leukemia (ALL)")\n}\n')
    unclosed = cli("sparql", str(bad))
    assert unclosed.code == 2 and unclosed.err == (
        "graphkit sparql: malformed SPARQL at line 4, column 9: '(' is never closed "
        "('}' at line 5, column 1 comes first)\n"), unclosed


def test_cli_sparql_takes_the_query_text_itself(cli):
    """A query typed as the argument was read as a file's name ('cannot read the query file
    SELECT ...'); a name that is no file and no query is still that error."""
    ok = cli("sparql", "SELECT ?code WHERE { gke:jmml_in_relapse gk:hasICD10Code ?code }", "--format", "tsv")
    assert ok.code == 0 and ok.out.splitlines() == ["code", "http://purl.bioontology.org/ontology/ICD10CM/C93.32"]
    long = "SELECT ?code WHERE { " + " ".join(["gke:jmml_in_relapse gk:hasICD10Code ?code ."] * 8) + " }"
    assert len(long) > 255           # longer than a file name may be: was 'File name too long'
    assert cli("sparql", long, "--format", "tsv").out.splitlines()[1:] == ["http://purl.bioontology.org/ontology/ICD10CM/C93.32"]
    missing = cli("sparql", "no-such-query.rq")
    assert missing.code == 3 and "cannot read the query file no-such-query.rq" in missing.err, missing
    # every query form and a misspelt one are text too (they were 'cannot read the query file', exit 3)
    described = cli("sparql", "DESCRIBE gke:jmml", "--format", "table")
    assert described.code == 0 and "juvenile myelomonocytic leukemia" in described.out, described
    misspelt = cli("sparql", "SELCT ?x WHERE { ?x a gk:Drug }")
    assert misspelt.code == 2 and "malformed SPARQL at line 1" in misspelt.err, misspelt
    update = cli("sparql", "INSERT DATA { gke:a gke:b gke:c }")
    assert update.code == 2 and "updates are not supported" in update.err, update
    spaced = cli("sparql", "my query.rq")
    assert spaced.code == 3 and "cannot read the query file my query.rq" in spaced.err, spaced


def test_cli_sparql_names_a_misspelt_schema_term(cli):
    """`gk:hasSymtom` gave (0 rows) and exit 0 with no hint; a query parameter's did suggest."""
    result = cli("sparql", "SELECT ?x WHERE { ?x gk:hasSymtom ?y . ?x a <https://w3id.org/graphkit/schema#Disese> }")
    assert result.code == 0 and result.out.endswith("(0 rows)\n")
    assert result.err.splitlines() == [
        "graphkit sparql: note: gk:Disese is no term of the schema: nothing in the graph is said with it; did you "
        "mean gk:Disease?",
        "graphkit sparql: note: gk:hasSymtom is no term of the schema: nothing in the graph is said with it; did "
        "you mean gk:hasSymptom?"]
    right = cli("sparql", "SELECT ?x WHERE { ?x gk:certainty gk:Established ; gk:inPhase ?p } LIMIT 1")
    assert right.code == 0 and right.err == "", right.err
    # the prefix declared (as every catalogue file does) or named alone is no term; gk: bound to
    # another namespace is the query's own
    for text in ("PREFIX gk: <https://w3id.org/graphkit/schema#> SELECT ?x WHERE { ?x a gk:Disease "
                 "FILTER(STRSTARTS(STR(?x), STR(gk:))) } LIMIT 1",
                 "PREFIX gk: <http://example.org/mine#> SELECT ?x WHERE { ?x gk:whatever ?y }"):
        quiet = cli("sparql", text)
        assert quiet.code == 0 and quiet.err == "", quiet.err



def test_cli_sparql_names_a_misspelt_entity(cli):
    """`gke:jmmll` gave (0 rows) and exit 0 with no hint, where a misspelt gk: term was named."""
    result = cli("sparql", "SELECT ?o WHERE { <https://w3id.org/graphkit/entity/JMML_in_relapse> gk:hasICD10Code ?o . "
                           "gke:jmmll ?p ?o }")
    assert result.code == 0 and result.out.endswith("(0 rows)\n")
    assert result.err.splitlines() == [
        "graphkit sparql: note: gke:JMML_in_relapse is no entity of the graph: nothing in it is said of it; did you "
        "mean gke:jmml_in_relapse?",
        "graphkit sparql: note: gke:jmmll is no entity of the graph: nothing in it is said of it; did you mean gke:jmml?"]
    right = cli("sparql", "PREFIX gke: <https://w3id.org/graphkit/entity/> SELECT ?o WHERE { gke:jmml gk:hasICD10Code ?o }")
    assert right.code == 0 and right.err == "", right.err
    mine = cli("sparql", "PREFIX gke: <http://example.org/mine/> SELECT ?o WHERE { gke:whatever ?p ?o }")
    assert mine.code == 0 and mine.err == "", mine.err

def test_cli_sparql_with_a_header_takes_parameters(cli, project):
    path = project.queries_dir / "tests-for-disease.rq"
    result = cli("sparql", str(path), "--param", "disease=jmml_in_relapse", "--format", "csv")
    assert result.code == 0, result
    assert len(result.out.strip().splitlines()) == 4

    empty = cli("sparql", str(path), "--param", "disease=vincristine")
    assert empty.code == 0 and empty.out.rstrip().endswith("(0 rows)")
    assert empty.err == ("graphkit sparql: note: no rows for disease = vincristine (gke:vincristine), a drug (it asks "
                         "for the disease or disease state)\n"), "an empty answer of a file with a header is explained as query's is"


def test_a_choice_a_source_number_and_a_format_in_another_spelling_are_read(cli):
    """A newcomer's `-p restricted=Exclude`, `-p source=4` and `--format CSV` were refused, where
    names, kinds and the pages' /source/4 are read in any case and without leading zeros."""
    def rows(*args):
        result = cli("query", *args)
        assert result.code == 0, result
        return result.out
    scoped = ("treatments-for-condition", "-p", "condition=standard risk")
    assert rows(*scoped, "-p", "restricted=ONLY", "--format", "CSV") == rows(*scoped, "-p", "restricted=only",
                                                                            "--format", "csv")
    assert len(rows(*scoped, "-p", "restricted=Only", "--format", "csv").splitlines()) == 4
    assert rows("statements-from-source", "-p", "source=4", "--format", "Json") == rows(
        "statements-from-source", "-p", "source=004", "--format", "json")
    wrong = cli("query", *scoped, "-p", "restricted=none")
    assert wrong.code == 2 and "parameter restricted must be one of include, exclude, only, got 'none'" in wrong.err
    assert cli("query", "statements-from-source", "-p", "source=44").code == 2


@pytest.mark.parametrize("kind, value", [("decimal", "nan"), ("decimal", "inf"), ("decimal", "1e999"),
                                         ("decimal", "1_000"), ("integer", "1_000"), ("integer", "٣"),
                                         ("integer", "1.5")])
def test_a_number_parameter_takes_the_lexical_form_of_its_type(cli, tmp_path, kind, value):
    """Python's float() and int() read these: `nan` was bound as "nan"^^xsd:decimal, which matches
    nothing, and the query printed "(0 rows)" with exit 0."""
    path = tmp_path / "numbers.rq"
    path.write_text(f"#+ summary: s\n#+ params:\n#+   x: {{type: {kind}, default: 3, description: a number}}\n"
                    "SELECT * WHERE { ?s ?p ?x } LIMIT 1\n", encoding="utf-8")
    result = cli("sparql", str(path), "--param", f"x={value}")
    example = "42" if kind == "integer" else "1.5"
    assert (result.code, result.err) == (2, f"graphkit sparql: parameter x takes {'an' if kind == 'integer' else 'a'} "
                                            f"{kind} (such as {example}), got {value!r}\n"), result
    assert cli("sparql", str(path), "--param", "x=-12").code == 0


def test_cli_unreachable_endpoint():
    port = free_port()
    result = run_cli("query", "definitions", "--endpoint", f"http://127.0.0.1:{port}/query", "--timeout", "3")
    assert result.code == 3
    assert f"endpoint http://127.0.0.1:{port}/query is unreachable" in result.err


def test_an_endpoint_sending_its_headers_slowly_is_cut_off_at_the_timeout(cli):
    """A header line every 0.5 s: the command waited a timeout per line (15 s for --timeout 2)."""
    with FakeEndpoint(Answer(header_lines=20, pause=0.5)) as endpoint:
        started = time.monotonic()
        result = cli("sparql", "ASK {}", "--endpoint", endpoint.url, "--timeout", "1")
        elapsed = time.monotonic() - started
    assert result.code == 3 and result.err == f"graphkit sparql: endpoint {endpoint.url} did not answer within 1 s\n"
    assert elapsed < 1.5


NO_ENTITIES = ("holds none of graphkit's entities in {read}: load ontology/all.ttl and ontology/imports/*.ttl into "
               "it, or, where the release is in named graphs (graphkit dump or push), make their union its default "
               "graph or give --release-graphs")


def test_an_endpoint_whose_default_graph_holds_no_entity_is_said_so(cli):
    """The release pushed or loaded into named graphs of a server whose default graph is not their
    union: every name was "no entity with id, label or synonym 'jmml'" (exit 2), and a query's own
    default blamed on its file ("queries/subtypes-of.rq: the header's default: ...")."""
    with FakeEndpoint(Answer(body=b'{"boolean": false}')) as endpoint:
        by_default = cli("query", "subtypes-of", "--endpoint", endpoint.url)
        named = cli("query", "symptoms-of-disease", "--param", "disease=jmml", "--endpoint", endpoint.url)
        given = cli("query", "subtypes-of", "--endpoint", endpoint.url, "--default-graph", "http://x/g")
    for result, read in ((by_default, "its default graph"), (named, "its default graph"),
                         (given, "the graphs given as its default graph (<http://x/g>)")):
        assert result.code == 3 and result.err == (f"graphkit query: endpoint {endpoint.url} "
                                                   f"{NO_ENTITIES.format(read=read)}\n"), result


def test_a_name_with_a_typographic_apostrophe_is_read_as_the_graphs(cli):
    """"children’s hospitals", as a phone types it, was no entity (exit 2) where the graph writes
    "children's hospitals"; read as it with a note, as a name written with spaces for hyphens is."""
    result = cli("query", "describe-entity", "--param", "entity=children’s hospitals", "--format", "csv")
    assert result.code == 0 and result.err == ("graphkit query: note: 'children’s hospitals' read as \"children's "
                                               "hospitals\": children's hospitals (gke:childrens_hospitals)\n"), result
    assert result.out == cli("query", "describe-entity", "--param", "entity=childrens_hospitals", "--format", "csv").out


def test_a_default_graph_given_over_the_endpoints_own_holding_the_release_is_said_so(cli, project):
    """The release loaded into a store's default graph, and --release-graphs given as well: the
    message told the user to give --release-graphs, which they had given."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(project.all_ttl), format=ox.RdfFormat.TURTLE)
    with StoreEndpoint(store) as endpoint:
        released = cli("query", "subtypes-of", "--endpoint", endpoint.url, "--release-graphs")
        given = cli("query", "subtypes-of", "--endpoint", endpoint.url, "--default-graph", "http://x/g")
    own = "but its own default graph holds them: leave out --default-graph and --release-graphs\n"
    assert released.code == 3 and released.err == (
        f"graphkit query: endpoint {endpoint.url} holds none of graphkit's entities in the graphs given as its "
        f"default graph (<{GKG}schema>, <{GKG}asserted> and 16 more), {own}"), released
    assert given.code == 3 and given.err == (
        f"graphkit query: endpoint {endpoint.url} holds none of graphkit's entities in the graphs given as its "
        f"default graph (<http://x/g>), {own}"), given


def test_an_endpoint_without_the_import_modules_is_said_so(cli, project):
    """ontology/all.ttl loaded alone: an HPO term or ICD-10 code of the import modules was "in
    neither the import modules nor an external ontology: add the whole ontology with `graphkit
    load-external FILE`" or "no ICD-10 code with code or title 'C91'" (exit 2), an entity's HPO term
    "mapped exactly to no HP term here", and conformance reported six queries that differ."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(project.all_ttl), format=ox.RdfFormat.TURTLE)
    with StoreEndpoint(store) as endpoint:
        results = [cli("query", "phenotypes-under-hpo-term", "--endpoint", endpoint.url),
                   cli("query", "phenotypes-under-hpo-term", "--param", "hpo_term=anaemia", "--endpoint", endpoint.url),
                   cli("query", "diseases-under-icd10-code", "--param", "code=C91", "--endpoint", endpoint.url),
                   cli("conformance", "--endpoint", endpoint.url, "--quiet")]
        misspelt = cli("query", "symptoms-of-disease", "--param", "disease=jmmll", "--endpoint", endpoint.url)
        store.load(path=str(project.all_ttl), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("http://x/g"))
        graph = cli("query", "phenotypes-under-hpo-term", "--endpoint", endpoint.url, "--default-graph", "http://x/g")
        store.load(path=str(project.imports_dir / "hp.ttl"), format=ox.RdfFormat.TURTLE)
        unknown = cli("query", "phenotypes-under-hpo-term", "--param", "hpo_term=HP:9999999", "--endpoint", endpoint.url)
    said = (f"endpoint {endpoint.url} holds none of graphkit's import modules in its default graph: load "
            "ontology/imports/*.ttl into it beside ontology/all.ttl (the HPO, MONDO, DOID and ICD-10 terms and "
            "hierarchies the catalogue reads)\n")
    for result, command in zip(results, ["query"] * 3 + ["conformance"]):
        assert (result.code, result.err, result.out) == (3, f"graphkit {command}: {said}", ""), result
    assert misspelt.code == 2 and "did you mean 'JMML'" in misspelt.err       # a typo stays the user's
    assert graph.code == 3 and graph.err == (
        f"graphkit query: endpoint {endpoint.url} holds none of graphkit's import modules in the graphs given as its "
        "default graph (<http://x/g>): name their graphs too (--release-graphs names every graph of the release) "
        "(the HPO, MONDO, DOID and ICD-10 terms and hierarchies the catalogue reads)\n"), graph
    # The endpoint holds the import modules: `graphkit load-external`, which adds an ontology to the
    # embedded store, had been the advice.
    assert (unknown.code, unknown.err) == (
        2, f"graphkit query: HP:9999999 is not in endpoint {endpoint.url}: its default graph holds graphkit's import "
           "modules (the terms the graph uses and their ancestors), not the whole ontology: load the ontology into "
           "the endpoint (or `graphkit load-external FILE`, then `graphkit push --include-external`)\n"), unknown
    embedded = cli("query", "phenotypes-under-hpo-term", "--param", "hpo_term=HP:9999999")
    assert (embedded.code, embedded.err) == (
        2, "graphkit query: HP:9999999 is in neither the import modules (ontology/imports) nor an external ontology: "
           "add the whole ontology with `graphkit load-external FILE`\n"), embedded


def test_cli_sparql_refuses_updates_before_anything_is_sent(cli):
    with FakeEndpoint() as endpoint:
        remote = cli("sparql", "-", "--endpoint", endpoint.url, input="DROP ALL\n")
        prefixed = cli("sparql", "-", "--endpoint", endpoint.url,
                       input="PREFIX x: <http://x/>\n# remove it\ndelete where { ?s x:p ?o }")
    assert endpoint.requests == []
    for result in (remote, prefixed, cli("sparql", "-", input="CLEAR ALL")):
        assert result.code == 2 and result.err == f"graphkit sparql: {UPDATES_REFUSED}\n", result
    with pytest.raises(QueryError, match="updates are not supported"):
        graphkit.query("PREFIX x: <http://x/> INSERT DATA { x:a x:b x:c }")


def test_cli_service_is_refused_unless_allowed(cli):
    with FakeEndpoint() as internal:
        text = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{internal.port}/internal-admin?secret=1> {{ ?s ?p ?o }} }}"
        refused = cli("sparql", "-", input=text)
        assert internal.requests == []
        allowed = cli("sparql", "-", "--allow-service", "--format", "csv", input=text)
        assert [request[1] for request in internal.requests] == ["/internal-admin"]
    assert refused.code == 2 and len(refused.err.splitlines()) == 1
    assert "refused: a query must not make graphkit fetch other URLs (give --allow-service" in refused.err
    assert allowed.code == 0, allowed
    failing = run_cli("sparql", "-", "--allow-service", input=text)          # the fake endpoint is gone
    assert failing.code == 3 and len(failing.err.splitlines()) == 1 and "Traceback" not in failing.err
    assert failing.err.startswith(f"graphkit sparql: SERVICE <http://127.0.0.1:{internal.port}/internal-admin")


@pytest.mark.slow
def test_long_values_are_cut_in_messages(cli):
    """A 100 KB value is quoted as its first 80 characters and its length."""
    value = "x" * 100_000
    cut = "'" + "x" * 80 + "… (100000 characters)'"
    for args, message in [(["query", "symptoms-of-disease", "--param", f"disease={value}"],
                           f"no entity with id, label or synonym {cut}"),
                          (["query", "symptoms-of-disease", "--param", value], f"--param takes NAME=VALUE, got {cut}"),
                          (["query", value], f"no query named {cut} in the catalogue"),
                          (["export", "--seed", value, "--format", "nt", "-o", "-"], f"unknown entity {cut}")]:
        result = cli(*args)
        assert result.code == 2 and message in result.err and len(result.err) < 300, result.err[:300]


def test_a_boolean_is_written_true_or_false_in_every_format(cli):
    """CSV and tables wrote Python's True; SPARQL's CSV results and JSON write true."""
    query = "SELECT ?yes ?no WHERE { BIND(true AS ?yes) BIND(1 = 2 AS ?no) }"
    for fmt, expected in [("csv", "yes,no\ntrue,false\n"), ("tsv", "yes\tno\ntrue\tfalse\n")]:
        result = cli("sparql", "-", "--format", fmt, input=query)
        assert (result.code, result.out) == (0, expected), result
    table = cli("sparql", "-", input=query)
    assert "true" in table.out and "True" not in table.out


def test_a_construct_as_csv_is_a_triple_per_row(cli):
    """--format csv printed Turtle for a CONSTRUCT (exit 0); now one row per triple, in N-Triples terms."""
    query = "CONSTRUCT { gke:jmml rdfs:label ?l ; skos:altLabel ?a } WHERE { gke:jmml rdfs:label ?l ; skos:altLabel ?a }"
    result = cli("sparql", "-", "--format", "csv", input=query)
    assert result.code == 0, result
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert {(r["subject"], r["predicate"], r["object"]) for r in rows} >= {
        ("<https://w3id.org/graphkit/entity/jmml>", "<http://www.w3.org/2000/01/rdf-schema#label>",
         '"juvenile myelomonocytic leukemia"'),
        ("<https://w3id.org/graphkit/entity/jmml>", "<http://www.w3.org/2004/02/skos/core#altLabel>", '"JMML"')}
    assert [r["subject"] for r in rows] == sorted(r["subject"] for r in rows)


def test_a_construct_as_tsv_is_n_triples_a_line_each(cli):
    """A quote spanning lines came out as a Turtle long string, quoted again: no N-Triples line
    (rdflib's parser refused it), and a triple over several lines."""
    from rdflib import Graph

    query = 'CONSTRUCT { ?s oa:exact ?q } WHERE { ?s oa:exact ?q FILTER(CONTAINS(?q, "\\n")) }'
    result = cli("sparql", "-", "--format", "tsv", input=query)
    assert result.code == 0, result
    header, *lines = result.out.splitlines()
    assert header == "subject\tpredicate\tobject" and len(lines) > 3
    rows = list(csv.reader(io.StringIO(result.out), delimiter="\t"))[1:]     # as pandas reads TSV: quoted
    assert len(rows) == len(lines)
    graph = Graph().parse(data="".join(" ".join(row) + " .\n" for row in rows), format="nt")
    assert len(graph) == len(lines) and all("\n" in str(o) for o in graph.objects())


def test_tsv_is_a_row_a_line(cli):
    """SELECT as TSV wrote a quote's line breaks and tabs raw inside CSV quotes: 2,848 lines for
    2,815 rows; now escaped as \\n and \\t, as line tools read TSV."""
    query = 'SELECT ?q WHERE { ?s oa:exact ?q FILTER(CONTAINS(?q, "\\n\\t")) } ORDER BY ?q'
    tsv = cli("sparql", "-", "--format", "tsv", input=query)
    as_csv = cli("sparql", "-", "--format", "csv", input=query)
    rows = [r["q"] for r in csv.DictReader(io.StringIO(as_csv.out))]
    assert rows and any("\n\t" in r for r in rows)
    assert len(tsv.out.splitlines()) == 1 + len(rows)
    escaped = [r["q"] for r in csv.DictReader(io.StringIO(tsv.out), delimiter="\t")]
    assert escaped == [r.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n") for r in rows]
    # a value with a double quote reads back as it is (it lost its quotes, or broke the reader)
    quoted = cli("sparql", "-", "--format", "tsv",
                 input='SELECT ?a ?b WHERE { VALUES (?a ?b) { ("\\"unclosed quote" "x") ("say \\"hi\\"" "z") } }')
    assert [r["a"] for r in csv.DictReader(io.StringIO(quoted.out), delimiter="\t")] == ['"unclosed quote', 'say "hi"']


def test_a_queries_own_help(cli):
    """`graphkit query NAME --help` is that query's help: its parameters, what they take and
    their defaults, its example and expected answer (it printed the command's generic help)."""
    result = cli("query", "treatments-for-condition", "--help")
    assert result.code == 0, result
    assert result.out.startswith("graphkit query treatments-for-condition: Treatments stated for a disease")
    assert "  restricted         one of include, exclude, only, default include\n" in result.out
    assert "  condition          entity of kind Disease or DiseaseState or Phenotype or PatientGroup, default jmml\n" in result.out
    assert "example:\n  graphkit query treatments-for-condition --param condition=" in result.out
    assert "\nexpected (the example's answer):\n  3 rows, all NCI's (003): for standard-risk" in result.out
    assert cli("query", "--help").out.startswith("usage: graphkit query [-h]")
    assert cli("query", "--help", "treatments-for-condition").out == result.out     # the generic help before
    missing = cli("query", "nope", "--help")
    assert missing.code == 2 and "no query named 'nope'" in missing.err


def test_a_boolean_default_is_written_as_it_is_typed(cli, project):
    """A boolean default is shown as --param takes it, ``true``: --help, --list and
    queries/README.md had shown Python's ``True`` beside notes saying "include_subtypes=true"."""
    assert "  include_subtypes   boolean, default true\n" in cli("query", "symptoms-of-disease", "--help").out
    listed = cli("query", "--list", "symptoms").out
    assert "include_subtypes=true" in listed and "True" not in listed
    readme = (project.root / "queries" / "README.md").read_text(encoding="utf-8")
    assert "| `include_subtypes` | boolean | `true` |" in readme and "`True`" not in readme


def test_a_queries_own_help_reads_the_project_given_before_the_command(cli, tmp_path):
    """`graphkit --root DIR query NAME --help` read the catalogue of the project the command ran
    in, not DIR's."""
    result = cli("query", "treatments-for-condition", "--help", root=tmp_path)
    assert result.code == 3 and f"{tmp_path} is not a graphkit project" in result.err, result


def test_a_misspelt_query_form_is_named_where_it_is(cli):
    """The parser pointed at the token after it ("line 1, column 10: expected CONSTRUCT")."""
    result = cli("sparql", "PREFIX x: <http://x/>\nSELEC ?s WHERE { ?s ?p ?o }")
    assert (result.code, result.err) == (2, "graphkit sparql: malformed SPARQL at line 2, column 1: 'SELEC' is not a "
                                            "query form (did you mean SELECT?)\n")


def test_ad_hoc_query_files_with_a_faulty_header_are_one_line_naming_the_file(tmp_path):
    """A grlc-style list of params crashed with a traceback (exit 1); the messages named the
    file's stem only; `graphkit sparql ''` (an unset shell variable) read the current directory."""
    listed = tmp_path / "listed.rq"
    listed.write_text("#+ summary: s\n#+ params:\n#+   - disease: {type: entity, default: jmml}\n"
                      "SELECT ?s WHERE { ?disease gk:hasSymptom ?s }\n", encoding="utf-8")
    result = run_cli("sparql", str(listed))
    assert result.code == 2 and result.err.strip() == (
        f"graphkit sparql: {listed}: #+ params must map each parameter's name to its type and default, "
        "e.g. `#+   disease: {type: entity, default: jmml}`"), result
    misspelt = tmp_path / "misspelt.rq"
    misspelt.write_text("#+ summary: s\n#+ params:\n#+   disease: {type: entiti, default: jmml}\n"
                        "SELECT ?s WHERE { ?disease gk:hasSymptom ?s }\n", encoding="utf-8")
    result = run_cli("sparql", str(misspelt))
    assert result.code == 2 and result.err.strip() == (
        f"graphkit sparql: {misspelt}: parameter 'disease' has unknown type 'entiti' (did you mean 'entity'?)"), result
    bad_default = tmp_path / "bad_default.rq"      # the value was blamed as if the user had given it
    bad_default.write_text("#+ summary: s\n#+ params:\n#+   n: {type: integer, default: abc}\n"
                           "SELECT ?s WHERE { ?s ?p ?n } LIMIT 1\n", encoding="utf-8")
    result = run_cli("sparql", str(bad_default))
    assert result.code == 2 and result.err.strip() == (
        f"graphkit sparql: {bad_default}: the header's default: parameter n takes an integer (such as 42), got 'abc'")
    assert run_cli("sparql", str(bad_default), "--param", "n=3").code == 0      # a value given: the default unread
    shorthand = tmp_path / "shorthand.rq"          # was a text parameter whose default is "entity": 0 rows, no note
    shorthand.write_text("#+ summary: s\n#+ params:\n#+   disease: entity\nSELECT * WHERE { ?disease ?p ?o } LIMIT 1\n",
                         encoding="utf-8")
    result = run_cli("sparql", str(shorthand), "--param", "disease=jmml")
    assert result.code == 2 and result.err.strip() == (
        f"graphkit sparql: {shorthand}: parameter 'disease' needs its type and default: "
        "`disease: {type: entity, default: ...}`"), result
    empty = run_cli("sparql", "")
    assert empty.code == 2 and empty.err.strip() == "graphkit sparql: empty query", empty
    scalar = run_cli("sparql", "-", input="#+ summary: s\n#+ params: 5\nSELECT * WHERE {}\n")
    assert scalar.code == 2 and scalar.err.startswith("graphkit sparql: stdin: #+ params must map"), scalar


def test_a_catalogue_querys_header_faults_name_the_query_not_its_absolute_path(cli, mini, tmp_path):
    """A parameter with no default (`default: ~`) passed the header check and failed when run as
    "/abs/path/queries/no-default.rq: the header's default: empty entity name"; every header fault
    of a catalogue query named the file by its absolute path (an installed package's, say), not
    the name the user ran it by."""
    queries = mini.queries_dir
    (queries / "no-default.rq").write_text("#+ summary: s\n#+ params:\n#+   disease: {type: entity, default: ~}\n"
                                           "SELECT ?s WHERE { ?disease gk:hasSymptom ?s }\n", encoding="utf-8")
    (queries / "bad-default.rq").write_text("#+ summary: s\n#+ params:\n#+   n: {type: integer, default: abc}\n"
                                            "SELECT ?s WHERE { ?s ?p ?n } LIMIT 1\n", encoding="utf-8")
    (queries / "bad-example.rq").write_text("#+ summary: s\n#+ example: graphkit query other\n"
                                            "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    for args, message in (
            (("no-default",), "query no-default: parameter 'disease' needs a default that gives a meaningful answer"),
            (("no-default", "--param", "disease=jmml"),
             "query no-default: parameter 'disease' needs a default that gives a meaningful answer"),
            (("bad-default",), "query bad-default: the header's default: parameter n takes an integer (such as 42), "
                               "got 'abc'")):
        result = cli("query", *args, root=mini.root)
        assert (result.code, result.err) == (2, f"graphkit query: {message}\n"), result
    with pytest.raises(QueryError, match=r"^query bad-example: an example must run this query"):
        graphkit.catalogue.Catalogue(mini).get("bad-example").example_params
    for default in ("~", "''", "' '"):       # a file the user gave: the path as given
        (mini.root / "mine.rq").write_text(f"#+ params:\n#+   disease: {{type: entity, default: {default}}}\n"
                                           "SELECT ?s WHERE { ?disease gk:hasSymptom ?s }\n", encoding="utf-8")
        result = run_cli("sparql", "mine.rq", "--param", "disease=jmml", root=mini.root)
        assert (result.code, result.err) == (
            2, "graphkit sparql: mine.rq: parameter 'disease' needs a default that gives a meaningful answer\n"), result


def test_a_saved_query_without_a_header_is_left_out_of_the_listing_not_the_end_of_it(cli, mini):
    """`export --help` says a CONSTRUCT may be saved as queries/NAME.rq for `--construct NAME`; one
    saved so, with no header, stopped `graphkit query --list` (and `conformance`) with exit 2."""
    (mini.queries_dir / "mine.rq").write_text("CONSTRUCT { ?s gk:treatedWith ?o } WHERE { ?s gk:treatedWith ?o }\n",
                                              encoding="utf-8")
    (mini.queries_dir / "listed.rq").write_text("#+ summary: the listed one\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n",
                                                encoding="utf-8")
    result = cli("query", "--list", "--format", "csv", root=mini.root)
    assert result.code == 0, result
    assert [row["name"] for row in csv.DictReader(io.StringIO(result.out))] == ["listed"]
    assert result.err == "graphkit query: note: query mine: the header needs a summary (left out)\n"
    with pytest.raises(QueryError, match="^query mine: the header needs a summary$"):    # the catalogue's own check
        graphkit.catalogue.load_catalogue(mini.queries_dir)
    exported = cli("export", "--construct", "mine", "-f", "nt", "-o", "-", root=mini.root)
    assert exported.code == 0 and exported.out.count(" .\n") >= 1, exported
    (mini.root / "mine.rq").write_text("#+ params:\n#+   disease: {type: entity, default: ~, optional: true}\n"
                                       "SELECT ?s WHERE { ?disease gk:hasSymptom ?s } LIMIT 1\n", encoding="utf-8")
    assert run_cli("sparql", "mine.rq", root=mini.root).code == 0      # optional: no default leaves it open


@pytest.mark.slow
def test_an_unknown_identifier_prefix_gets_a_did_you_mean_or_the_list(cli):
    """`prefix=FOO` said only "unknown identifier prefix 'FOO'"."""
    close = cli("query", "entities-with-xref", "--param", "prefix=HPO")
    assert close.code == 2 and close.err.strip() == (
        "graphkit query: parameter prefix: unknown identifier prefix 'HPO'; did you mean 'HP'?"), close
    far = cli("query", "entities-with-xref", "--param", "prefix=zzzzzz")
    assert far.code == 2 and "(the prefixes: " in far.err and "MONDO" in far.err and "HP" in far.err, far


def test_a_british_spelling_in_a_text_parameter_notes_the_american_one(cli):
    """search-entities with `leukaemia` found only the WHO code titles (4 rows), with no hint that
    the graph's own names say `leukemia` (105 rows)."""
    british = cli("query", "search-entities", "--param", "text=leukaemia", "--format", "csv")
    assert british.code == 0 and british.out.count("\n") == 5, british     # the header and the 4 WHO titles
    assert british.err == ("graphkit query: note: text = 'leukaemia' is matched as typed; the graph's own names are "
                           "spelled the American way: --param text=leukemia\n"), british
    american = cli("query", "search-entities", "--param", "text=leukemia", "--format", "csv")
    assert american.code == 0 and american.err == "" and american.out.count("\n") > 100, american


def test_a_search_with_no_rows_names_the_names_spelled_nearly_so(cli):
    """search-entities with a typo (`leukemai`) gave "(0 rows)" and nothing on standard error,
    where the search page suggests leukemia; the note names what the page finds, else the names
    spelled nearly so, with the --param that asks, and the answer is still an answer (exit 0)."""
    typo = cli("query", "search-entities", "--param", "text=leukemai", "--format", "csv")
    assert (typo.code, typo.out, typo.err) == (
        0, "entity,label,type_label,matched,match\n",
        "graphkit query: note: no rows: no label or synonym holds 'leukemai' as typed; names spelled nearly so: "
        "leukemia (gke:leukemia) (--param text=leukemia)\n"), typo
    hyphen = cli("query", "search-entities", "--param", "text=CAR-T cell", "--format", "csv")
    assert (hyphen.code, hyphen.err) == (
        0, "graphkit query: note: no rows: no label or synonym holds 'CAR-T cell' as typed; names the search page "
           "finds for it: CAR T cell (gke:car_t_cell); CAR T-cell therapy (gke:car_t_cell_therapy) "
           "(--param 'text=CAR T cell')\n"), hyphen
    nothing = cli("query", "search-entities", "--param", "text=xyzzy", "--format", "csv")
    assert (nothing.code, nothing.err) == (
        0, "graphkit query: note: no rows: no label or synonym holds 'xyzzy', and none is spelled nearly so\n"), nothing


def test_a_search_with_no_rows_suggests_names_where_the_release_is_in_the_default_graph(cli, project):
    """A store holding the release in its default graph alone (as a triple store's bulk loader
    puts all.ttl) has no asserted graph to read the names from: the note said nothing, where the
    embedded store's suggests leukemia. The names are read from the default graph."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(project.all_ttl), format=ox.RdfFormat.TURTLE)
    with StoreEndpoint(store) as endpoint:
        typo = cli("query", "search-entities", "--param", "text=leukemai", "--endpoint", endpoint.url, "--format", "csv")
    assert (typo.code, typo.out, typo.err) == (
        0, "entity,label,type_label,matched,match\n",
        "graphkit query: note: no rows: no label or synonym holds 'leukemai' as typed; names spelled nearly so: "
        "leukemia (gke:leukemia) (--param text=leukemia)\n"), typo


def test_a_query_file_with_a_byte_order_mark(cli, tmp_path):
    """Windows editors begin UTF-8 files with a byte-order mark: the query was 'malformed SPARQL at
    line 1, column 10: expected CONSTRUCT'."""
    path = tmp_path / "bom.rq"
    path.write_bytes(b"\xef\xbb\xbfASK { ?s ?p ?o }")
    result = cli("sparql", str(path), "--format", "json")
    assert result.code == 0 and json.loads(result.out)["boolean"] is True, result


def test_list_with_a_word_lists_the_queries_that_hold_it(cli):
    """`query --list risk` listed the whole catalogue, the word unread."""
    result = cli("query", "--list", "RISK", "--format", "csv")
    names = [line.split(",")[0] for line in result.out.splitlines()[1:]]
    assert result.code == 0 and "risk-factors-of-disease" in names and "subtypes-of" not in names
    result = cli("query", "--list", "zzz")
    assert result.code == 2 and "no query has 'zzz' in its name, summary or tags" in result.err
    # by a tag of the header (parsed, and until now read by nothing): "comparison" is in no name or summary
    tagged = cli("query", "--list", "Comparison", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(tagged.out)))
    assert {r["name"] for r in rows} == {"drugs-sharing-side-effects-with", "shared-risk-factors", "shared-symptoms"}
    assert all("comparison" in r["tags"].split(", ") for r in rows)
    # a word within a tag: a clinician's `--list gene` for the genes of childhood ALL's risk had
    # missed the risk and prognostic factors (genetic syndromes, changes in the genes)
    genes = cli("query", "--list", "gene", "--format", "csv")
    names = [line.split(",")[0] for line in genes.out.splitlines()[1:]]
    assert {"genetic-abnormalities", "risk-factors-of-disease", "prognostic-factors"} <= set(names), names


def test_a_parameter_in_another_case_is_named(cli):
    result = cli("query", "symptoms-of-disease", "--param", "DISEASE=jmml")
    assert result.code == 2 and "no parameter 'DISEASE' (did you mean 'disease'?)" in result.err


def test_an_answer_cut_at_the_querys_limit_says_so(cli):
    """path-between gave exactly its LIMIT of 25 paths and did not say there may be more."""
    cut = cli("query", "path-between", "--param", "from=jmml", "--param", "to=childhood_all", "--format", "csv")
    assert cut.code == 0 and len(cut.out.splitlines()) == 1 + 25
    assert "note: the first 25 rows: the query stops there (its LIMIT 25); there may be more" in cut.err
    whole = cli("query", "path-between", "--param", "from=jmml", "--param", "to=fatigue", "--format", "csv")
    assert len(whole.out.splitlines()) - 1 < 25 and "LIMIT" not in whole.err


def test_an_empty_value_is_refused_naming_its_parameter(cli):
    """search-entities with text="" listed all 1,608 names, each a match; an empty entity, code or
    term was "empty entity name", naming neither the parameter nor what it takes."""
    for query, param, takes in (("search-entities", "text", "a word or phrase"),
                                ("symptoms-of-disease", "disease", "the disease (id, label, synonym, CURIE or IRI)"),
                                ("diseases-under-icd10-code", "code", None),
                                ("phenotypes-under-hpo-term", "hpo_term", None)):
        for value in ("", "  "):
            result = cli("query", query, "--param", f"{param}={value}")
            assert result.code == 2 and result.err.startswith(f"graphkit query: parameter {param} is empty: give "), \
                result
            assert takes is None or result.err == f"graphkit query: parameter {param} is empty: give {takes}\n"


def test_a_construct_answer_is_written_as_the_pages_write_a_graph(cli):
    """The command wrote rdflib's Turtle (its order its store's) and JSON-LD, the pages graphkit's
    canonical Turtle and compact JSON-LD: one graph, two texts."""
    from rdflib import Graph

    from graphkit.graphtext import graph_text

    text = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a gk:Drug ; rdfs:label ?l }"
    turtle = cli("sparql", text)
    assert turtle.code == 0 and turtle.out == graph_text(Graph().parse(data=turtle.out, format="turtle"), "turtle")
    assert cli("sparql", text).out == turtle.out                                     # the same bytes again
    as_json = cli("sparql", text, "--format", "json")
    assert as_json.code == 0 and as_json.out == graph_text(Graph().parse(data=turtle.out, format="turtle"), "jsonld")
    # a blank node two triples share, which the canonical writer cannot place: rdflib's Turtle
    shared = cli("sparql", "CONSTRUCT { ?s <http://x/p> _:b . ?t <http://x/p> _:b } WHERE { "
                           "VALUES (?s ?t) { (gke:fever gke:fatigue) } }")
    assert shared.code == 0 and len(Graph().parse(data=shared.out, format="turtle")) == 2


@pytest.mark.parametrize("header, said", [
    ("#+ params:\n#+   therapy: {type: entity, default: folate, description: the therapy, drug or food}\n",
     "parameter 'therapy' has unknown field 'drug or food' (a description holding a comma needs quotes); its fields: "
     "choices, default, description, kinds, optional, type"),
    ("#+ params:\n#+   therapy: {type: entity, default: folate, descripton: a therapy}\n",
     "parameter 'therapy' has unknown field 'descripton' (did you mean 'description'?); its fields: choices, default, "
     "description, kinds, optional, type"),
    ("#+ params:\n#+   therapy: {type: entity, default: folate}\n#+ expected:\n#+   - '6 rows'\n#+   - '2 rows'\n",
     "expected is one text (quote it, or fold it with >-), not a list"),
])
def test_a_header_mistake_yaml_reads_quietly_is_refused(header, said):
    """A contributor's unquoted comma cut a parameter's description to "the therapy" (YAML read the
    rest as keys), and an `expected:` written as a list was shown as Python's ['6 rows', ...]."""
    text = f"#+ summary: s\n{header}SELECT ?x WHERE {{ ?therapy ?p ?x }}\n"
    with pytest.raises(QueryError) as failed:
        graphkit.catalogue.parse_query_text(text, "mine", where="query mine")
    assert str(failed.value) == f"query mine: {said}"
