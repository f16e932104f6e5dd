"""What an analyst's session found, read back with each ecosystem's own readers: edges name the
source documents by the ids of their nodes."""

import io
import json

import networkx as nx
import pytest

from graphkit import nxview
from graphkit.export import Context, render
from graphkit.select import Selection, select

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
