"""graphkit.query, the one-call Python API: a real function, a store kept for the process, the
answers as records, a DataFrame or rdflib terms."""

from __future__ import annotations

import builtins
import inspect

import pytest
from rdflib import URIRef

import graphkit
from graphkit.errors import EnvironmentProblem, QueryError
from graphkit.store import default_store
from graphkit.catalogue import runner


def test_query_is_a_function_with_a_signature_and_a_docstring():
    signature = inspect.signature(graphkit.query)
    assert list(signature.parameters)[:2] == ["name", "params"]
    assert signature.parameters["name"].kind is inspect.Parameter.POSITIONAL_ONLY
    assert {"endpoint", "store", "timeout"} <= {n for n, p in signature.parameters.items()
                                                if p.kind is inspect.Parameter.KEYWORD_ONLY}
    assert "default_store" in graphkit.query.__doc__


def test_the_default_store_is_loaded_once_per_process(mini, cache, monkeypatch):
    monkeypatch.setenv("GRAPHKIT_ROOT", str(mini.root))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    first = graphkit.query(count)
    assert default_store() is default_store()
    assert graphkit.query(count).records() == first.records() and first.records()[0]["n"] > 1000


def test_answers_as_records_rdflib_terms_and_json(store):
    results = graphkit.query("drugs-by-target", {"target": "CD19"}, store=store)
    records = results.records()
    assert {r["therapy_label"] for r in records} >= {"blinatumomab"}
    assert all(isinstance(row["therapy"], URIRef) for row in results.rows)
    assert [b["therapy"]["value"] for b in results.to_json()["results"]["bindings"]] == \
        [r["therapy"] for r in records]


def test_params_as_a_dict_and_keywords_together_and_a_parameter_given_twice(store):
    both = graphkit.query("symptoms-of-disease", {"disease": "JMML in relapse"}, store=store, include_subtypes="false")
    assert both.records() == graphkit.query("symptoms-of-disease", store=store, disease="jmml_in_relapse",
                                            include_subtypes=False).records() != []
    with pytest.raises(QueryError, match="parameter 'target' given twice: in params and as a keyword"):
        graphkit.query("drugs-by-target", {"target": "CD19"}, store=store, target="CD22")
    # None is the default, as a Python caller passes "not given" ("empty entity name" before)
    assert graphkit.query("drugs-by-target", store=store, target=None).records() == graphkit.query(
        "drugs-by-target", store=store).records() != []
    # a list is one value too many, not a name ("no entity with ... \"['CD19', 'CD22']\"" before)
    with pytest.raises(QueryError, match=r"parameter target takes one value, got list .*run the query once for each"):
        graphkit.query("drugs-by-target", store=store, target=["CD19", "CD22"])
    with pytest.raises(QueryError, match="takes one of established, possible, unclear, under_study or any"):
        graphkit.query("risk-factors-of-disease", store=store, certainty="maybe")


def test_an_ad_hoc_query_with_a_params_header_needs_no_summary(store):
    """A header of parameters alone had given "ad-hoc: the header needs a summary"."""
    text = "#+ params:\n#+   d: {type: entity, default: jmml}\nSELECT ?s WHERE { ?d gk:hasSymptom ?s }"
    assert len(graphkit.query(text, store=store, d="JMML in relapse").records()) == 6


def test_to_df_needs_pandas_and_says_so(store, monkeypatch):
    results = graphkit.query("drugs-by-target", {"target": "CD19"}, store=store)
    real_import = builtins.__import__

    def without_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_pandas)
    with pytest.raises(EnvironmentProblem, match="needs pandas.*pip install pandas"):
        results.to_df()


def test_to_df_gives_the_records(store):
    pandas = pytest.importorskip("pandas")
    results = graphkit.query("drugs-by-target", {"target": "CD19"}, store=store)
    frame = results.to_df()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == results.variables
    assert frame.to_dict("records") == results.records()


def test_to_df_keeps_counts_whole_where_some_rows_have_none(store):
    """study-findings' cohort and with_outcome came back as 7.0 and 10.0 (float64, for the rows
    without a number)."""
    pytest.importorskip("pandas")
    results = graphkit.query("study-findings", store=store)
    frame = results.to_df()
    for column in ("cohort", "with_outcome"):
        assert str(frame[column].dtype) == "Int64" and frame[column].isna().any()
        assert sorted(int(v) for v in frame[column].dropna()) == sorted(
            r[column] for r in results.records() if r[column] is not None)
    big = runner.run("SELECT ?n WHERE { VALUES ?n { 9007199254740993 100000000000000000000 UNDEF } }", store=store)
    exact = runner.run("SELECT ?n WHERE { VALUES ?n { 9007199254740993 UNDEF } }", store=store).to_df()
    assert exact["n"].iloc[0] == 9007199254740993                          # not 2**53 through a float
    assert list(big.to_df()["n"])[:2] == [9007199254740993, 100000000000000000000]   # out of Int64: as pandas makes it


def test_to_df_of_an_ask_or_a_graph_says_what_the_answer_is(store):
    """It said "this answer is a ask"."""
    pytest.importorskip("pandas")
    from graphkit.errors import QueryError

    with pytest.raises(QueryError, match=r"^to_df\(\) takes the rows of a SELECT query; this answer is an ASK answer"):
        graphkit.query("ASK { ?s ?p ?o }", store=store).to_df()
    with pytest.raises(QueryError, match=r"this answer is a graph \(CONSTRUCT or DESCRIBE: \.graph\)$"):
        graphkit.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1", store=store).to_df()


def test_records_of_an_ask_or_a_graph_say_what_the_answer_is(store):
    """records() gave [] for both, though the ASK was true and the CONSTRUCT had triples."""
    from graphkit.errors import QueryError

    with pytest.raises(QueryError, match=r"^records\(\) takes the rows of a SELECT query; this answer is an ASK "
                                         r"answer \(a boolean: \.boolean\)"):
        graphkit.query("ASK { ?s ?p ?o }", store=store).records()
    with pytest.raises(QueryError, match=r"^records\(\) .* a graph"):
        graphkit.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3", store=store).records()


def test_an_answer_carries_the_notes_the_command_line_prints(store):
    """A drug given for a disease: no rows, and the answer says what the parameter named (in its
    repr too, which is what a notebook shows); a loose mapping is noted beside its rows."""
    empty = graphkit.query("symptoms-of-disease", store=store, disease="vincristine")
    said = ("no rows for disease = vincristine (gke:vincristine), a drug (it asks for the disease (id, label, "
            "synonym, CURIE or IRI))")
    assert empty.row_count == 0 and empty.notes == (said,) and repr(empty).endswith(f"; note: {said}>")
    loose = graphkit.query("treatments-for-condition", store=store, condition="MONDO:0035940")
    assert loose.row_count > 0 and len(loose.notes) == 1
    assert loose.notes[0].startswith("MONDO:0035940 is not an exact mapping of any entity: Philadelphia")
    assert graphkit.query("symptoms-of-disease", store=store, disease="jmml").notes == ()


def test_an_answer_shows_itself_as_a_table_in_a_notebook(store):
    """A notebook cell showed only `<Results select: 6 rows of ...>`."""
    answer = graphkit.query("symptoms-of-disease", disease="JMML in relapse", store=store)
    table = answer._repr_html_()
    assert table.startswith("<table><thead><tr><th>symptom</th><th>symptom_label</th>")
    assert table.count("<tr>") == 7 and "<td>gke:bone_pain</td><td>bone pain</td>" in table
    assert table.endswith("<p>6 rows</p>")
    many = graphkit.query("search-entities", text="a", store=store)
    assert many._repr_html_().count("<tr>") == 51 and f"{len(many.rows) - 50:,} more rows" in many._repr_html_()
    empty = graphkit.query("symptoms-of-disease", disease="vincristine", store=store)._repr_html_()
    assert empty.startswith("<p><em>note: no rows for disease = vincristine (gke:vincristine), a drug")
