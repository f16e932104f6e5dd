"""graphkit conformance: the whole catalogue (defaults and every documented example) run on an
endpoint and on the embedded store, compared with the documented normalisations only; a
difference names its first rows, a failure or timeout its message, and the exit code says so.
The real engines (Virtuoso, Comunica, the Oxigraph server) are in tests/engines/test_conformance.py."""

import json

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graphkit.catalogue import load_catalogue, parse_query_text
from graphkit.conformance import (Engine, KnownDefect, catalogue_runs, check, compare, first_difference,
                                  identify, load_engines, summary_line, table_rows)
from graphkit.errors import CurationError, EndpointError, EndpointTimeout
from graphkit.iris import GKG
from graphkit.server import free_port
from graphkit.store import Results, Store

from .conftest import ROOT
from .httptools import Answer, FakeEndpoint


@pytest.fixture(scope="module")
def runs(project, store):
    return catalogue_runs(load_catalogue(project.queries_dir), store)


def test_every_query_runs_with_defaults_and_each_distinct_example(runs, project):
    queries = load_catalogue(project.queries_dir)
    assert {r.query for r in runs} == set(queries)
    assert [r.label for r in runs if r.query == "definitions"] == ["defaults", "example"]
    # every example asks what the defaults do not (tests/catalogue/test_examples.py): a run each
    assert len(runs) == len(queries) + sum(1 for q in queries.values() for p in q.example_params if p)
    example = next(r for r in runs if r.query == "drugs-by-target" and r.label == "example")
    assert example.params == {"target": "CD22"} and "<https://w3id.org/graphkit/entity/cd22>" in example.text
    assert "?target" not in example.text



def test_an_example_that_binds_what_the_defaults_bind_adds_no_run(project, store):
    """The same diseases by their labels, and another output format: the defaults' question again."""
    query = load_catalogue(project.queries_dir)["shared-symptoms"]
    example = next(line for line in query.text.splitlines() if line.startswith("#+ example:"))
    again = parse_query_text(query.text.replace(example, "#+ example: graphkit query shared-symptoms --param "
                                                "disease_a=\"childhood ALL\" --param disease_b=JMML --format csv"),
                             "shared-symptoms")
    assert [r.label for r in catalogue_runs({"shared-symptoms": again}, store)] == ["defaults"]

class Faulty(Store):
    """The embedded store, except: one query's answer loses a row and gains another, one fails,
    one times out."""

    def __init__(self, store, server=""):
        self.inner = store
        self.server = server

    def query(self, sparql):
        text = sparql if isinstance(sparql, str) else sparql.text
        if "?therapy_label" in text and "cd19" in text:
            answer = self.inner.query(text)
            return Results(answer.kind, answer.variables, answer.rows[1:] + [{"therapy": URIRef("https://example.org/x")}])
        if "?curation_file" in text:
            raise EndpointError("endpoint http://x/sparql failed: EndPointInternalError: SQ142")
        if "?finding" in text:
            raise EndpointTimeout("endpoint http://x/sparql did not answer within 1 s")
        return self.inner.query(text)


def test_a_report_names_each_kind_of_difference(runs, store):
    chosen = [r for r in runs if r.query in ("drugs-by-target", "evidence-for-edge", "study-findings", "subtypes-of")
              and r.label == "defaults"]
    report = check(Faulty(store), store, chosen, "http://x/sparql")
    status = {o.query: o.status for o in report.outcomes}
    assert status == {"drugs-by-target": "differs", "evidence-for-edge": "error", "study-findings": "timeout",
                      "subtypes-of": "same"}
    differs = next(o for o in report.outcomes if o.status == "differs")
    assert (differs.expected_rows, differs.found_rows) == (2, 2)
    assert first_difference(differs).startswith("missing (gke:blinatumomab, blinatumomab,")
    assert first_difference(differs).endswith("extra (https://example.org/x, -, -, -, -, -)")
    assert report.failed() and report.failed() == [o for o in report.outcomes if o.status != "same"]
    assert summary_line(report).startswith("1/4 queries same (1 differs, 1 error, 1 timeout) (4 runs) on http://x/sparql")
    as_json = report.to_json()
    assert as_json["summary"] | {"endpoint_seconds": 0, "reference_seconds": 0} == {
        "queries": 4, "same": 1, "differs": 1, "error": 1, "timeout": 1, "known_defects": 0, "runs": 4, "runs_same": 1,
        "endpoint_seconds": 0, "reference_seconds": 0}
    rows = {r["query"]: r for r in table_rows(report)}
    assert rows["study-findings"]["first difference"] == "defaults: endpoint http://x/sparql did not answer within 1 s"
    assert rows["evidence-for-edge"]["first difference"].endswith("EndPointInternalError: SQ142")


def test_normalisations_are_the_documented_ones_only():
    concat = {"names": "; "}
    ours = Results("select", ["x", "names", "n"], [{"x": URIRef("http://e/a"), "names": Literal("b; a"),
                                                   "n": Literal("2", datatype=XSD.integer)}, {"x": URIRef("http://e/b")}])
    theirs = Results("select", ["n", "x", "names"], [
        {"x": URIRef("http://e/a"), "names": Literal("a; b", datatype=XSD.string), "n": Literal("2", datatype=XSD.integer)},
        {"x": URIRef("http://e/b"), "names": Literal("")}])
    assert compare(ours, theirs, concat) == ([], [])              # member order, "" = unbound, xsd:string, column order
    other_number = Results("select", ["x", "names", "n"], [
        {"x": URIRef("http://e/a"), "names": Literal("a; b"), "n": Literal("2.0", datatype=XSD.decimal)},
        {"x": URIRef("http://e/b")}])
    missing, extra = compare(ours, other_number, concat)
    assert missing and extra                                      # 2 and 2.0 are different answers
    twice = Results("select", ["x"], [{"x": URIRef("http://e/a")}] * 2)
    assert compare(Results("select", ["x"], [{"x": URIRef("http://e/a")}]), twice, {}) == ([], [("<http://e/a>",)])


def test_cli_exit_codes_and_json(cli, project, store, monkeypatch):
    unreachable = cli("conformance", "--endpoint", f"http://127.0.0.1:{free_port()}/sparql")
    assert unreachable.code == 3 and "unreachable" in unreachable.err
    unknown = cli("conformance", "--endpoint", "http://127.0.0.1:1/sparql", "--only", "no-such-query")
    assert unknown.code == 2 and "no query named 'no-such-query'" in unknown.err
    misspelt = cli("conformance", "--endpoint", "http://127.0.0.1:1/sparql", "--only", "symptom-of-disease")
    assert (misspelt.code, misspelt.err) == (2, "graphkit conformance: no query named 'symptom-of-disease' in the "
                                                "catalogue; did you mean symptoms-of-disease, symptom-causes, "
                                                "risk-factors-of-disease?\n"), misspelt      # no suggestion before
    with FakeEndpoint(Answer(body=b'{"boolean": false}')) as empty:      # the release in named graphs only
        nothing = cli("conformance", "--endpoint", empty.url, "--quiet")
    assert nothing.code == 3 and nothing.out == "" and nothing.err.startswith(
        f"graphkit conformance: endpoint {empty.url} holds none of graphkit's entities in its default graph: ")
    import graphkit.store

    monkeypatch.setattr(graphkit.store, "EndpointStore", lambda url, timeout, default_graphs: Faulty(store))
    result = cli("conformance", "--endpoint", "http://x/sparql", "--only", "drugs-by-target", "--only", "subtypes-of",
                 "--format", "json")
    assert result.code == 1
    data = json.loads(result.out)
    assert [(q["query"], q["status"], [r["run"] for r in q["runs"]]) for q in data["queries"]] == [
        ("drugs-by-target", "differs", ["defaults", "example"]), ("subtypes-of", "same", ["defaults", "example"])]
    assert "[1/4] drugs-by-target (defaults): differs, 2/2 rows" in result.err
    table = cli("conformance", "--endpoint", "http://x/sparql", "--only", "Subtypes_Of", "--quiet")   # as query reads it
    assert table.code == 0 and table.err == ""
    assert table.out.splitlines()[-1].startswith("1/1 queries same (2 runs) on http://x/sparql")


def test_known_engine_defects_are_named_with_their_reason(runs, store):
    chosen = [r for r in runs if r.query in ("drugs-by-target", "evidence-for-edge", "subtypes-of")]
    engine = Engine("faulty", "Faulty 1.0", "Faulty/1.", {
        "drugs-by-target": KnownDefect("drugs-by-target", ("defaults",), "loses a row"),
        "subtypes-of": KnownDefect("subtypes-of", ("defaults", "example"), "never shows here")})
    report = check(Faulty(store), store, chosen, "http://x/sparql", engine=engine)
    known = {(o.query, o.label): o.known_defect for o in report.outcomes if o.status != "same"}
    # evidence-for-edge is not listed: its failures stay unexplained; a listed run that gives the
    # same answer (subtypes-of) is just the same.
    unexplained = [("evidence-for-edge", "defaults")] + [("evidence-for-edge", f"example {i}") for i in range(1, 6)]
    assert known == {("drugs-by-target", "defaults"): "loses a row", **dict.fromkeys(unexplained, "")}
    assert [(o.query, o.label) for o in report.unexplained] == unexplained
    assert first_difference(report.outcomes[0]) == "known engine defect: loses a row"
    assert "; 1 of them known defects of Faulty 1.0 (queries/engine-defects.yaml)" in summary_line(report)
    assert report.to_json()["engine"] == "Faulty 1.0" and report.to_json()["summary"]["known_defects"] == 1
    assert identify({"faulty": engine}, "Faulty/1.2 (Linux)") is engine and identify({"faulty": engine}, "Other") is None


def test_the_catalogues_known_defects_name_real_queries_and_runs(project, runs):
    engines = load_engines(project.queries_dir / "engine-defects.yaml", load_catalogue(project.queries_dir))
    labels = {(r.query, r.label) for r in runs}
    for engine in engines.values():
        for defect in engine.defects.values():
            assert defect.reason and {(defect.query, label) for label in defect.runs} <= labels, defect


def test_the_help_says_what_the_defects_file_lists(project):
    """`graphkit conformance --help` said the file "lists none today" while it listed a run of
    Virtuoso's: the help names each listed query's engine, and claims none only when there is none."""
    from graphkit.commands.conformance import HELP

    engines = load_engines(project.queries_dir / "engine-defects.yaml", load_catalogue(project.queries_dir))
    listed = [engine for engine in engines.values() if engine.defects]
    help_text = " ".join(HELP.split())
    assert ("lists none" in help_text) == (not listed)
    for engine in listed:
        assert engine.name in help_text and "but for what the file lists" in help_text


def test_a_malformed_defects_file_names_the_line(tmp_path, project):
    path = tmp_path / "engine-defects.yaml"
    path.write_text("v:\n  name: V\n  server: V/\n  defects:\n    no-such-query:\n      runs: [defaults]\n"
                    "      reason: r\n")
    with pytest.raises(CurationError, match=r"engine-defects.yaml:5.*no query named 'no-such-query'"):
        load_engines(path, load_catalogue(project.queries_dir))
    path.write_text("v:\n  name: V\n  server: V/\n  defects:\n    subtypes-of: {reason: r}\n")
    with pytest.raises(CurationError, match=r"engine-defects.yaml:5.*needs runs \(a list\) and a reason"):
        load_engines(path)


def test_cli_known_defects_and_their_exit_code(cli, store, monkeypatch, tmp_path):
    import graphkit.conformance
    import graphkit.store

    monkeypatch.setattr(graphkit.store, "EndpointStore",
                        lambda url, timeout, default_graphs: Faulty(store, "Virtuoso/07.20.3233 (Linux)"))
    monkeypatch.setattr(graphkit.conformance, "load_engines", lambda path, catalogue: {"virtuoso": Engine(
        "virtuoso", "Virtuoso 7.2", "Virtuoso/07.",
        {"drugs-by-target": KnownDefect("drugs-by-target", ("defaults", "example"), "loses a row")})})
    args = ("conformance", "--endpoint", "http://x/sparql", "--only", "drugs-by-target", "--quiet")
    plain, allowed = cli(*args), cli(*args, "--allow-known-defects")
    assert (plain.code, allowed.code) == (1, 0)
    assert "defaults: known engine defect: loses a row" in plain.out
    assert plain.out.splitlines()[-1].startswith(
        "0/1 queries same (1 differs; all 1 of them known defects of Virtuoso 7.2 (queries/engine-defects.yaml))")
    ignored = cli(*args, "--allow-known-defects", "--engine", "none")
    assert ignored.code == 1 and "known" not in ignored.out
    unknown = cli(*args, "--engine", "fuseki")
    assert unknown.code == 2 and "--engine 'fuseki': queries/engine-defects.yaml knows virtuoso (or none)" in unknown.err


@pytest.fixture(scope="module")
def plain_store(project):
    """The embedded store without the inferred graph: all.ttl and the import modules only."""
    from graphkit.store import OxigraphStore

    return OxigraphStore.from_project(project, include_inferred=False, include_external=False)


def test_without_the_inferred_graph_the_queries_that_need_it_are_compared_like_with_like(
        cli, store, plain_store, monkeypatch):
    import graphkit.store

    endpoints = {"http://plain/sparql": plain_store, "http://full/sparql": store}
    monkeypatch.setattr(graphkit.store, "EndpointStore", lambda url, timeout, default_graphs: endpoints[url])
    only = ("--only", "describe-entity", "--only", "path-between", "--only", "subtypes-of", "--quiet")
    result = cli("conformance", "--endpoint", "http://plain/sparql", *only, "--format", "json")
    assert result.code == 0, result.out
    data = json.loads(result.out)
    assert data["inferred_graph"] == {"endpoint_holds": False, "compared_without": ["describe-entity", "path-between"]}
    references = {(q["query"], r["run"]): r["reference"] for q in data["queries"] for r in q["runs"]}
    assert references == {("describe-entity", "defaults"): "release without inferred.ttl",
                          ("describe-entity", "example"): "release without inferred.ttl",
                          ("path-between", "defaults"): "release without inferred.ttl",
                          ("path-between", "example"): "release without inferred.ttl",
                          ("subtypes-of", "defaults"): "release", ("subtypes-of", "example"): "release"}
    table = cli("conformance", "--endpoint", "http://plain/sparql", *only)
    assert table.code == 0 and table.out.splitlines()[-1].startswith("3/3 queries same (6 runs)")
    assert table.out.splitlines()[-1].endswith(
        "; describe-entity, path-between compared without inferred.ttl (the endpoint does not hold it)")
    # Forced to compare with the whole release, the endpoint lacks the reasoner's rows: path-between
    # then finds no path where graphkit finds 25 (Down syndrome to HSCT connects through inverse edges).
    forced = json.loads(cli("conformance", "--endpoint", "http://plain/sparql", *only, "--format", "json",
                            "--inferred", "yes").out)
    assert forced["inferred_graph"] == {"endpoint_holds": None, "compared_without": []}
    status = {(q["query"], r["run"]): (r["status"], r["found_rows"], r["expected_rows"])
              for q in forced["queries"] for r in q["runs"]}
    assert status[("path-between", "defaults")] == ("differs", 0, 25)
    assert status[("describe-entity", "defaults")][0] == "differs"
    # An endpoint holding inferred.ttl is compared with the whole release; --inferred no is like with unlike there.
    full = json.loads(cli("conformance", "--endpoint", "http://full/sparql", *only, "--format", "json").out)
    assert full["inferred_graph"] == {"endpoint_holds": True, "compared_without": []}
    assert full["summary"]["same"] == 3
    forced_no = cli("conformance", "--endpoint", "http://full/sparql", *only, "--inferred", "no")
    assert forced_no.code == 1
    assert forced_no.out.splitlines()[-1].endswith("compared without inferred.ttl (as asked with --inferred no)")


def test_a_saved_query_without_a_header_is_left_out_and_said(cli, store, monkeypatch, tmp_path):
    """A CONSTRUCT saved as queries/NAME.rq (for `export --construct NAME`) has no catalogue
    header, and had stopped `graphkit conformance` with exit 2: it is left out, and said so on
    standard error and in the JSON report."""
    import graphkit.catalogue
    import graphkit.store

    real = graphkit.catalogue.load_catalogue
    saved = tmp_path / "queries"
    saved.mkdir()
    (saved / "mine.rq").write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n", encoding="utf-8")

    def with_a_saved_query(directory, skipped=None):
        real(saved, skipped)            # the saved file's fault, as the catalogue's own directory would give it
        return real(directory, skipped)

    monkeypatch.setattr(graphkit.catalogue, "load_catalogue", with_a_saved_query)
    monkeypatch.setattr(graphkit.store, "EndpointStore", lambda url, timeout, default_graphs: Faulty(store))
    result = cli("conformance", "--endpoint", "http://x/sparql", "--only", "subtypes-of", "--quiet", "--format", "json")
    assert result.code == 0, result
    assert result.err == "graphkit conformance: note: query mine: the header needs a summary (left out)\n"
    assert json.loads(result.out)["skipped"] == ["query mine: the header needs a summary (left out)"]


def test_an_endpoint_holding_the_dump_twice_is_said_so(cli, project, store, tmp_path, monkeypatch):
    """A newcomer loaded a new dump into the store that held the last one: its blank nodes came in
    a second time (provenance 85,247 triples for 68,656) and four queries gave rows twice, with
    nothing to say why. conformance now compares the endpoint's graphkit graphs with the release's
    and says which holds more, and where to read why (the embedded store loads the dump the way
    Jena's TDB2 loader and Virtuoso's did: its blank nodes anew each time)."""
    import pyoxigraph as ox

    import graphkit.store
    from graphkit.conformance import graph_count_note
    from graphkit.store import OxigraphStore

    dump = tmp_path / "release.nq"
    assert cli("dump", "-o", str(dump)).code == 0
    twice = ox.Store()
    for _ in range(2):
        twice.load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    endpoint = OxigraphStore(twice)
    assert graph_count_note(store, store) is None
    note = graph_count_note(endpoint, store)
    assert note.startswith("the endpoint's graph <https://w3id.org/graphkit/graph/provenance> holds ") and (
        'docs/serving.md, "Load once"' in note), note
    monkeypatch.setattr(graphkit.store, "EndpointStore", lambda url, timeout, default_graphs: endpoint)
    result = cli("conformance", "--endpoint", "http://x/sparql", "--only", "pharmacogenes", "--quiet")
    assert result.code == 1 and result.err == f"graphkit conformance: note: {note}\n", result
    assert "0/1 queries same (1 differs)" in result.out
    # a dataset named with --default-graph hides the endpoint's graphs: nothing counted, nothing said
    named = cli("conformance", "--endpoint", "http://x/sparql", "--only", "pharmacogenes", "--quiet",
                "--default-graph", "https://w3id.org/graphkit/graph/asserted")
    assert "note:" not in named.err
    serving = (ROOT / "docs" / "serving.md").read_text(encoding="utf-8")
    assert "**Load once.**" in serving


class Counted(Store):
    """A store whose graphkit graphs hold the given numbers of triples (or whose count fails)."""

    def __init__(self, counts: dict[str, int] | Exception):
        self.counts = counts

    def query(self, sparql):
        if isinstance(self.counts, Exception):
            raise self.counts
        return Results("select", ["g", "n"], [{"g": URIRef(GKG + g), "n": Literal(n)} for g, n in self.counts.items()])


def test_the_graph_count_note_says_which_graph_holds_how_many():
    """The note names the first graph that differs in name order, both counts, how many more
    differ, and the likely cause (more: loaded twice; fewer: another release or a stopped load);
    a graph the release does not have, or an endpoint holding none of them by name, says nothing;
    a count the endpoint cannot give is said, and the comparison goes on."""
    from graphkit.conformance import graph_count_note

    release = Counted({"asserted": 8058, "provenance": 68680, "schema": 1436})
    assert graph_count_note(Counted({}), release) is None
    assert graph_count_note(Counted({"asserted": 8058, "mine": 5}), release) is None
    assert graph_count_note(Counted({"provenance": 85247, "schema": 1510}), release) == (
        f"the endpoint's graph <{GKG}provenance> holds 85,247 triples where the release's holds 68,680 (1 more "
        "graph differs): more, as when a dump is loaded into a store that holds it already (docs/serving.md, "
        "\"Load once\"); answers that differ may come from that")
    assert graph_count_note(Counted({"asserted": 7000, "provenance": 1, "schema": 1}), release) == (
        f"the endpoint's graph <{GKG}asserted> holds 7,000 triples where the release's holds 8,058 (2 more graphs "
        "differ): another release, or a load that stopped; answers that differ may come from that")
    assert graph_count_note(Counted(EndpointTimeout("endpoint http://x/sparql did not answer in 120 s")), release) == (
        "graphkit's graphs on the endpoint were not counted (endpoint http://x/sparql did not answer in 120 s)")
