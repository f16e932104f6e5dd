"""What an analyst's session found, read back with each ecosystem's own readers: edges name the
source documents by the ids of their nodes, KGX numbers are numbers, and a condition with its
subtypes and disease states is one option."""

import io
import json

import networkx as nx
import pytest

from graphkit import nxview
from graphkit.export import Context, render
from graphkit.export.kgx import QUANTITY_NUMBERS as NUMBERS, quantity_column
from graphkit.select import Selection, SelectionError, select

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def provenance(store):
    """One hop around JMML in relapse with its evidence and documents."""
    whole = nxview.from_store(store, include_provenance=True)
    return whole, select(whole, Selection(seeds=["jmml_in_relapse"], hops=1), store)


def _documents(values) -> set[str]:
    return {d for value in values if isinstance(value, str) for d in value.split("|") if d}


# -- 1. an edge's documents join the documents' nodes, in every format

def _assert_joined(nodes: dict, edges: list[dict]) -> None:
    """``nodes``: node id -> attributes; every edge's ``source_documents`` and every evidence
    node's ``source`` is the id of a document's node."""
    documents = {n for n, d in nodes.items() if d.get("type") == "SourceDocument"}
    assert len(documents) == 4
    named = _documents(e.get("source_documents") for e in edges)
    assert named and named <= documents
    evidence = [d for d in nodes.values() if d.get("type") == "Evidence"]
    assert evidence and {d["source"] for d in evidence} <= documents
    # and the bare ids of `sources` are the same documents
    assert {f"gksrc:{s}" for s in _documents(e.get("sources") for e in edges)} == named


def test_graphml_and_gexf_edges_name_their_documents_by_node_id(provenance):
    whole, sub = provenance
    ctx = Context(whole, progress=False)
    back = nx.read_graphml(io.StringIO(render("graphml", sub, ctx)[""]), force_multigraph=True)
    _assert_joined(dict(back.nodes(data=True)), [d for *_, d in back.edges(data=True)])
    back = nx.read_gexf(io.BytesIO(render("gexf", sub, ctx)[""].encode()))
    _assert_joined(dict(back.nodes(data=True)), [d for *_, d in back.edges(data=True)])


def test_cyjs_edges_name_their_documents_by_node_id(provenance):
    whole, sub = provenance
    back = nx.cytoscape_graph(json.loads(render("cyjs", sub, Context(whole, progress=False))[""]))
    _assert_joined(dict(back.nodes(data=True)), [d for *_, d in back.edges(data=True)])


def test_csv_edges_join_the_documents_rows_in_pandas(provenance):
    whole, sub = provenance
    files = render("csv", sub, Context(whole, progress=False))
    nodes = pd.read_csv(io.StringIO(files["nodes.csv"]), dtype=str, keep_default_na=False)
    edges = pd.read_csv(io.StringIO(files["edges.csv"]), dtype=str, keep_default_na=False)
    _assert_joined(nodes.set_index("id").to_dict("index"), edges.to_dict("records"))
    # the analyst's join: one row per edge and document, each with the document's title
    per_document = edges.assign(document=edges["source_documents"].str.split("|")).explode("document")
    per_document = per_document[per_document["document"] != ""]
    joined = per_document.merge(nodes[["id", "label"]], left_on="document", right_on="id", how="left")
    assert len(joined) == len(per_document) > 0 and joined["label_y"].ne("").all()


def test_kgx_evidence_rows_name_their_documents_by_node_id(provenance):
    whole, sub = provenance
    files = render("kgx", sub, Context(whole, progress=False))
    nodes = pd.read_csv(io.StringIO(files["nodes.tsv"]), sep="\t", dtype=str, keep_default_na=False)
    edges = pd.read_csv(io.StringIO(files["edges.tsv"]), sep="\t", dtype=str, keep_default_na=False)
    documents = set(nodes.loc[nodes["category"] == "biolink:Publication", "id"])
    assert len(documents) == 4
    assert _documents(edges["source_documents"]) <= documents
    evidence = nodes[nodes["original_type"] == "gk:Evidence"]
    assert len(evidence) > 0 and set(evidence["text_source"]) <= documents


def test_the_view_names_an_evidence_source_by_its_node(provenance):
    whole, _ = provenance
    edge = whole.edges["jmml_in_relapse", "fatigue", "hasSymptom"]
    assert edge["sources"] == "icd10_c93_32_page" and edge["source_documents"] == "gksrc:icd10_c93_32_page"
    for evidence in edge["evidence"].split("|"):
        assert whole.nodes[evidence]["source"] == "gksrc:icd10_c93_32_page"
        assert whole.has_edge(evidence, "gksrc:icd10_c93_32_page", "derivedFrom")


# -- 2. KGX numbers are numbers

@pytest.fixture(scope="module")
def view(store):
    return nxview.from_store(store)


@pytest.fixture(scope="module")
def kgx_release(view, store):
    files = render("kgx", select(view, Selection()), Context(view, store, progress=False))
    return (pd.read_csv(io.StringIO(files["nodes.tsv"]), sep="\t", dtype_backend="numpy_nullable"),
            pd.read_csv(io.StringIO(files["edges.tsv"]), sep="\t", dtype_backend="numpy_nullable"), files)


def test_kgx_quantities_have_their_numbers_as_numbers(kgx_release, view):
    nodes, _, _ = kgx_release
    finding = nodes.set_index("id").loc["gke:chang2004_overall_finding"]
    assert finding["quantity_cohort_size"] == "13 patients"
    assert finding["quantity_cohort_size_value"] == 13 and finding["quantity_cohort_size_unit"] == "{patients}"
    labels = {quantity_column(k) for _, v, k in view.edges(keys=True) if view.nodes[v]["kind"] == "QuantityValue"}
    numeric = [f"{label}_{name}" for label in sorted(labels) for name in NUMBERS if f"{label}_{name}" in nodes]
    assert numeric and all(pd.api.types.is_numeric_dtype(nodes[c]) for c in numeric), \
        {c: str(nodes[c].dtype) for c in numeric}
    # every number is the view's: one quantity of a property, its value or bounds
    checked = 0
    for u, v, k, d in view.edges(keys=True, data=True):
        q = view.nodes[v]
        if q["kind"] != "QuantityValue" or sum(1 for _, w, key in view.out_edges(u, keys=True)
                                               if key == k and view.nodes[w]["kind"] == "QuantityValue") != 1:
            continue
        row = nodes[nodes["xref"].fillna("").str.split("|").apply(lambda x: f"gke:{u}" in x)
                    | (nodes["id"] == f"gke:{u}")].iloc[0]
        column = quantity_column(k)
        for name in NUMBERS:
            if q.get(name) is not None:
                assert row[f"{column}_{name}"] == q[name], (u, k, name)
                checked += 1
    assert checked >= 46


def test_kgx_numbers_of_the_view_are_columns_of_numbers_not_text(kgx_release, view, store):
    nodes, edges, _ = kgx_release
    assert not [c for c in nodes if c in ("text_phase_order", "text_study_period_start")]
    assert pd.api.types.is_integer_dtype(nodes["phase_order"]) and \
        sorted(nodes["phase_order"].dropna().tolist()) == [1, 2, 3]
    assert nodes["study_period_start"].dropna().tolist() == [1988]
    assert pd.api.types.is_integer_dtype(edges["evidence_count"])
    whole = nxview.from_store(store, include_provenance=True)
    files = render("kgx", select(whole, Selection(seeds=["jmml_in_relapse"], hops=1)), Context(whole, progress=False))
    evidence = pd.read_csv(io.StringIO(files["nodes.tsv"]), sep="\t", dtype_backend="numpy_nullable")
    assert pd.api.types.is_integer_dtype(evidence["quote_start"]) and pd.api.types.is_integer_dtype(evidence["quote_end"])
    assert (evidence["quote_end"].dropna() > evidence["quote_start"].dropna()).all()
    # a document's number and PubMed id are identifiers, text: 004 is not 4
    text = pd.read_csv(io.StringIO(files["nodes.tsv"]), sep="\t", dtype=str, keep_default_na=False)
    assert sorted(v for v in text["text_document_number"] if v) == ["001", "002", "003", "004"]


@pytest.mark.slow
def test_kgx_validates_the_numbers_and_round_trips_them(kgx_release, tmp_path):
    """kgx validate finds no error, and kgx transform gives back every number as written: kgx's TSV
    source reads every cell as text, so the numerals come back equal, as text."""
    from tests.engines.kgx_offline import kgx_missing, kgx_transform, kgx_validate

    if kgx_missing():
        pytest.skip(kgx_missing())

    _, _, files = kgx_release
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    paths = [tmp_path / "nodes.tsv", tmp_path / "edges.tsv"]
    assert kgx_validate(paths) == []
    written = kgx_transform(paths, tmp_path / "back")
    back = pd.read_csv(next(p for p in written if "nodes" in p.name), sep="\t", dtype=str, keep_default_na=False)
    before = pd.read_csv(paths[0], sep="\t", dtype=str, keep_default_na=False)
    numeric = [c for c in before if c.startswith("quantity_") and c.endswith(tuple(NUMBERS))] + ["phase_order"]
    merged = before.set_index("id")[numeric].join(back.set_index("id")[numeric], rsuffix="_back")
    for column in numeric:
        assert (merged[column] == merged[f"{column}_back"]).all(), column


# -- 3. a condition and its subtypes and disease states

# The release's subtypes and disease states of childhood ALL and of JMML: the nodes with a path
# (gk:stateOf|^gk:hasStateVariant|gk:subtypeOf|^gk:hasSubtype)* to the condition, itself included.
CHILDHOOD_ALL = [
    "bone_marrow_relapse_childhood_all", "childhood_all", "childhood_b_all", "childhood_etv6_runx1_all",
    "childhood_hyperdiploid_all", "childhood_kmt2a_rearranged_all", "childhood_ph_positive_all", "childhood_t_all",
    "cns_childhood_all", "cns_relapse_any_childhood_all", "cns_relapse_childhood_all", "cns_spread_childhood_all",
    "extramedullary_relapse_childhood_all", "infant_all", "intermediate_risk_childhood_b_all",
    "refractory_childhood_all", "relapsed_childhood_all", "relapsed_or_refractory_childhood_all",
    "relapsed_refractory_bcp_all", "relapsed_refractory_t_all", "second_relapse_childhood_all",
    "testicular_childhood_all", "testicular_relapse_childhood_all"]
JMML = ["jmml", "jmml_autologous_recovery_after_hsct", "jmml_early_relapse_after_hsct", "jmml_in_relapse",
        "jmml_relapse_after_hsct"]
SUBTYPE_PATH = """PREFIX gk: <https://w3id.org/graphkit/schema#> PREFIX gke: <https://w3id.org/graphkit/entity/>
SELECT DISTINCT ?d WHERE {{ ?d (gk:stateOf|^gk:hasStateVariant|gk:subtypeOf|^gk:hasSubtype)* gke:{} }}"""


@pytest.mark.parametrize("condition, expected", [("childhood_all", CHILDHOOD_ALL), ("jmml", JMML)])
def test_subtypes_are_those_of_the_catalogues_path(view, store, condition, expected):
    assert nxview.subtypes_of(view, condition) == expected
    assert sorted(str(r["d"]).rsplit("/", 1)[1] for r in store.query(SUBTYPE_PATH.format(condition)).rows) == expected


@pytest.mark.parametrize("condition, nodes, edges", [("childhood_all", 23, 31), ("jmml", 5, 6)])
def test_an_entity_with_its_subtypes(view, store, condition, nodes, edges):
    notes = []
    sub = select(view, Selection(entities=[condition], with_subtypes=True), store, notes)
    assert sorted(sub) == (CHILDHOOD_ALL if condition == "childhood_all" else JMML)
    assert (sub.number_of_nodes(), sub.number_of_edges()) == (nodes, edges)
    assert f"--with-subtypes: entity {condition} brings {nodes - 1} subtype(s) and disease state(s)" in notes
    assert sub.graph["selection"] == "1 listed entity with their subtypes and disease states"
    # a seed with its subtypes walks its hops from each of them
    around = select(view, Selection(seeds=[condition], hops=1, with_subtypes=True), store)
    assert set(around) > set(sub)
    assert set(around) == set(nxview.neighbourhood(view, sub, 1))


def test_the_selection_says_whose_subtypes_it_has():
    both = Selection(seeds=["jmml"], entities=["childhood_all"], with_subtypes=True).describe()
    assert both == ("1 hop(s) around jmml with their subtypes and disease states + "
                    "1 listed entity with their subtypes and disease states")


def test_with_subtypes_needs_a_seed_or_an_entity(view):
    with pytest.raises(SelectionError, match="--with-subtypes applies to --seed and --entity"):
        select(view, Selection(with_subtypes=True))


def test_with_subtypes_from_the_command_line_read_back_and_reproducible(tmp_path):
    from ..conftest import run_cli

    outputs = [tmp_path / "a.graphml", tmp_path / "b.graphml"]
    for out in outputs:
        done = run_cli("export", "--seed", "jmml", "--with-subtypes", "--hops", "0", "-o", str(out))
        assert done.code == 0, done.err
    assert "--with-subtypes: seed jmml brings 4 subtype(s) and disease state(s)" in done.err
    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    back = nx.read_graphml(outputs[0], force_multigraph=True)
    assert sorted(back) == JMML and back.number_of_edges() == 6
