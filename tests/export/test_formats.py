"""Exports read back: GraphML/GEXF with networkx, RDF with rdflib, KGX against the Biolink Model."""

import csv
import io
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

from graphkit import export, nxview
from graphkit.export import Context, render
from graphkit.namespaces import GK, GKEV, GKQ, GKSRC, is_curie
from graphkit.select import Selection, SelectionError, select


@pytest.fixture(scope="module")
def view(store):
    return nxview.from_store(store)


@pytest.fixture(scope="module")
def ctx(view, store):
    return Context(view, store, progress=False)


# Documents 001 and 004 are fully curated; the others grow on the curation branch.
JMML_DOCS = ["icd10_c93_32_page", "chang_2004_jmml_second_hsct"]


@pytest.fixture(scope="module")
def jmml(view, store):
    """The issue's example: two hops around JMML in relapse (as documents 001 and 004 state it)."""
    return select(view, Selection(seeds=["JMML in relapse"], hops=2, sources=JMML_DOCS), store)



def _edges(G):
    return {(u, v, d["id"]): d for u, v, d in G.edges(data=True)}


def test_graphml_round_trip(jmml, ctx):
    text = render("graphml", jmml, ctx)[""]
    back = nx.read_graphml(io.StringIO(text), force_multigraph=True)
    assert set(back) == set(jmml) and len(jmml) == 39
    for node, data in jmml.nodes(data=True):
        assert back.nodes[node] == {**data, "color": back.nodes[node]["color"]}
        assert re.fullmatch(r"#[0-9a-f]{6}", back.nodes[node]["color"])
    assert _edges(back) == _edges(jmml) and len(_edges(back)) == jmml.number_of_edges() == 52


def test_gexf_round_trip(jmml, ctx):
    text = render("gexf", jmml, ctx)[""]
    assert 'lastmodifieddate="1970-01-01"' in text     # reproducible file
    back = nx.read_gexf(io.StringIO(text))
    assert set(back) == set(jmml)
    for node, data in jmml.nodes(data=True):
        got = dict(back.nodes[node])
        assert got.pop("viz")["color"]["r"] >= 0
        got.pop("color")
        assert {**got, "id": node} == data
    assert _edges(back) == _edges(jmml)


def test_graphml_declares_one_type_per_attribute(view, ctx):
    # float and int quantity values in one file: the attribute is declared double, read back as floats
    sub = select(view, Selection(entities=["chang2004_overall_finding"], construct=None))
    sub.add_node("gkq:x", **{**view.nodes["gkq:0d5d6bebb70b"], "value": 54.5})
    sub.add_node("gkq:0d5d6bebb70b", **view.nodes["gkq:0d5d6bebb70b"])
    back = nx.read_graphml(io.StringIO(render("graphml", sub, ctx)[""]))
    assert back.nodes["gkq:0d5d6bebb70b"]["value"] == 13.0 and back.nodes["gkq:x"]["value"] == 54.5


def _expected_rdf(release_graph: Graph, sub, view) -> Graph:
    """The export's promise, computed independently from ontology/all.ttl."""
    iri = {n: URIRef(d["iri"]) for n, d in view.nodes(data=True)}
    view_edges = {(iri[u], URIRef(d["predicate_iri"]), iri[v]) for u, v, d in view.edges(data=True)}
    chosen = {(iri[u], URIRef(d["predicate_iri"]), iri[v]) for u, v, d in sub.edges(data=True)}
    triples = {t for n in sub for t in release_graph.triples((iri[n], None, None))
               if t not in view_edges or t in chosen}
    for _, _, o in list(triples):
        if str(o).startswith(str(GKQ)):
            triples |= set(release_graph.triples((o, None, None)))
    statements = {t for t in triples if not str(t[0]).startswith(str(GKQ))}
    for ax in set(release_graph.subjects(GK.evidence)):
        stated = (release_graph.value(ax, OWL.annotatedSource), release_graph.value(ax, OWL.annotatedProperty),
                  release_graph.value(ax, OWL.annotatedTarget))
        if stated in statements:
            todo = [ax]
            while todo:
                node = todo.pop()
                for p, o in release_graph.predicate_objects(node):
                    if (node, p, o) not in triples:
                        triples.add((node, p, o))
                        if str(o).startswith((str(GKEV), str(GKSRC))):
                            todo.append(o)
    expected = Graph()
    for triple in triples:
        expected.add(triple)
    return expected


def test_turtle_has_exactly_the_selected_triples_and_their_evidence(jmml, view, ctx, release_graph):
    parsed = Graph().parse(data=render("turtle", jmml, ctx)[""], format="turtle")
    expected = _expected_rdf(release_graph, jmml, view)
    assert isomorphic(parsed, expected) and len(parsed) == len(expected)
    # the selection's edges are there, edges leaving it are not
    assert (URIRef("https://w3id.org/graphkit/entity/jmml_in_relapse"), GK.hasSymptom,
            URIRef("https://w3id.org/graphkit/entity/fatigue")) in parsed
    outside = [(u, v) for u, v in view.edges() if (u in jmml) != (v in jmml)]
    assert outside, "the 2-hop selection has edges leaving it"
    for u, v in outside:
        assert not set(parsed.triples((URIRef(view.nodes[u]["iri"]), None, URIRef(view.nodes[v]["iri"]))))
    # every selected edge keeps its evidence: quote, offsets, source
    for u, v, d in jmml.edges(data=True):
        for ev in d["evidence"].split("|"):
            ev_iri = GKEV[ev.split(":", 1)[1]]
            axiom = parsed.value(predicate=GK.evidence, object=ev_iri)
            assert (axiom, OWL.annotatedSource, URIRef(view.nodes[u]["iri"])) in parsed
            assert parsed.value(URIRef(f"{ev_iri}-quote"), URIRef("http://www.w3.org/ns/oa#exact")) is not None
            assert parsed.value(URIRef(f"{ev_iri}-position"), URIRef("http://www.w3.org/ns/oa#start")) is not None
    # the sources of the selected edges (other documents may add synonyms or notes to the nodes)
    assert set(parsed.subjects(RDF.type, GK.SourceDocument)) >= {GKSRC.icd10_c93_32_page,
                                                                 GKSRC.chang_2004_jmml_second_hsct}


def test_small_selection_exact_rdf(view, ctx, release_graph):
    sub = select(view, Selection(entities=["jmml_early_relapse_after_hsct", "Second allogeneic hematopoietic stem cell transplantation"],
                                 sources=JMML_DOCS))
    assert [k for *_, k in sub.edges(keys=True)] == ["treatedWith"]
    parsed = Graph().parse(data=render("turtle", sub, ctx)[""], format="turtle")
    assert isomorphic(parsed, _expected_rdf(release_graph, sub, view))
    evidence = set(parsed.subjects(RDF.type, GK.Evidence))
    assert {str(parsed.value(parsed.value(predicate=GK.evidence, object=e), OWL.annotatedProperty)).rsplit("#", 1)[-1]
            for e in evidence} >= {"treatedWith"}
    assert (URIRef("https://w3id.org/graphkit/entity/jmml_early_relapse_after_hsct"), GK.subtypeOf, None) not in parsed


@pytest.mark.parametrize("fmt,parser", [("nt", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_other_rdf_formats_hold_the_same_triples(fmt, parser, jmml, ctx):
    turtle = Graph().parse(data=render("turtle", jmml, ctx)[""], format="turtle")
    text = render(fmt, jmml, ctx)[""]
    assert isomorphic(Graph().parse(data=text, format=parser), turtle)
    if fmt == "jsonld":
        context = json.loads(text)["@context"]
        assert context["gke"] == "https://w3id.org/graphkit/entity/" and context["gk"].endswith("schema#")
    if fmt == "nt":
        assert text.splitlines() == sorted(text.splitlines())


def _biolink():
    biolink_model = pytest.importorskip("biolink_model")
    import yaml

    package_dir = Path(next(iter(biolink_model.__path__)))
    model = yaml.safe_load((package_dir / "schema" / "biolink_model.yaml").read_text())
    classes, slots = model["classes"], model["slots"]

    def camel(name):
        return re.sub(r"(?:^| )(\w)", lambda m: m.group(1).upper(), name)

    def ancestors(table, name):
        out = []
        while name:
            out.append(name)
            name = table.get(name, {}).get("is_a")
        return out

    categories = {f"biolink:{camel(name)}" for name, spec in classes.items()
                  if "named thing" in ancestors(classes, name) and not (spec or {}).get("mixin")}
    predicates = {f"biolink:{name.replace(' ', '_')}" for name in slots if "related to" in ancestors(slots, name)}
    return categories, predicates, {name.replace(" ", "_") for name in slots}


def _tsv(text):
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


def test_kgx_nodes_and_edges_are_valid_biolink(view, ctx):
    categories, predicates, slot_names = _biolink()
    files = render("kgx", select(view, Selection()), ctx)
    nodes, edges = _tsv(files["nodes.tsv"]), _tsv(files["edges.tsv"])
    assert len(nodes) == view.number_of_nodes() and len(edges) == view.number_of_edges()
    for column in ("id", "category", "name", "provided_by"):
        assert column in nodes[0]
    for column in ("id", "subject", "predicate", "object", "knowledge_level", "agent_type", "primary_knowledge_source",
                   "publications", "supporting_text"):
        assert column in edges[0]
    # property columns are Biolink slots (extra provenance columns are ours, documented)
    ours = {"iri", "original_type", "value", "min_inclusive", "min_exclusive", "max_inclusive", "max_exclusive", "unit",
            "source_documents", "evidence", "evidence_count", "certainty", "frequency", "original_subject",
            "original_object"}
    assert set(nodes[0]) | set(edges[0]) <= slot_names | ours | {"id", "category", "name", "description", "xref",
                                                                 "synonym", "provided_by", "subject", "object"}
    ids = {row["id"] for row in nodes}
    curie = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*:[^\s|]+$")
    for row in nodes:
        assert curie.match(row["id"]), row["id"]
        assert is_curie(row["id"]) or row["id"].split(":")[0] in ("gke", "gkq"), row["id"]
        for category in row["category"].split("|"):
            assert category in categories, f"{category} is not a Biolink category"
        for xref in filter(None, row["xref"].split("|")):
            assert curie.match(xref) and is_curie(xref), xref
    for row in edges:
        assert row["subject"] in ids and row["object"] in ids
        assert row["predicate"] in predicates, f"{row['predicate']} is not a Biolink predicate"
        assert row["knowledge_level"] == "knowledge_assertion" and row["agent_type"] == "manual_agent"
        assert row["primary_knowledge_source"] == "infores:graphkit"
        for publication in row["publications"].split("|"):
            assert curie.match(publication), publication
        assert row["supporting_text"]
    by_id = {row["id"]: row for row in edges}
    symptom = by_id["gke:jmml_in_relapse|hasSymptom|gke:fatigue"]
    assert (symptom["subject"], symptom["predicate"], symptom["object"]) == (
        "gke:jmml_in_relapse", "biolink:has_phenotype", "gke:fatigue")
    assert symptom["original_predicate"] == "gk:hasSymptom"
    chang = by_id["gke:jmml_early_relapse_after_hsct|treatedWith|gke:second_allogeneic_hsct"]
    assert (chang["predicate"], chang["publications"]) == ("biolink:treated_by", "DOI:10.1097/00043426-200403000-00009")
    # no Biolink mapping of its own: the inverse's mapping, written in the other direction
    risk = by_id["gke:jmml_in_relapse|hasRiskFactor|gke:minimal_residual_disease"]
    assert (risk["subject"], risk["predicate"], risk["object"]) == (
        "gke:minimal_residual_disease", "biolink:predisposes_to_condition", "gke:jmml_in_relapse")
    assert risk["original_subject"] == "gke:jmml_in_relapse"
    code = by_id["gke:jmml_in_relapse|hasICD10Code|ICD10CM:C93.32"]
    assert code["predicate"] == "biolink:related_to" and code["object"] == "ICD10CM:C93.32"
    finding = {row["id"]: row for row in nodes}["gke:chang2004_overall_finding"]
    assert finding["category"] == "biolink:StudyResult"


def test_csv_and_cytoscape(jmml, ctx):
    files = render("csv", jmml, ctx)
    nodes = list(csv.DictReader(io.StringIO(files["nodes.csv"])))
    edges = list(csv.DictReader(io.StringIO(files["edges.csv"])))
    assert {r["id"] for r in nodes} == set(jmml) and len(edges) == 52
    assert list(nodes[0])[:5] == ["id", "label", "type", "kind", "category"]
    assert {(r["source"], r["target"], r["key"]) for r in edges} == set(jmml.edges(keys=True))
    document = json.loads(render("cyjs", jmml, ctx)[""])
    elements = document["elements"]
    assert {n["data"]["id"] for n in elements["nodes"]} == set(jmml)
    assert {(e["data"]["source"], e["data"]["target"], e["data"]["interaction"]) for e in elements["edges"]} == \
        set(jmml.edges(keys=True))
    assert document["data"]["selection"] == ("2 hop(s) around JMML in relapse; stated by icd10_c93_32_page, "
                                             "chang_2004_jmml_second_hsct")


def test_construct_selection(view, store, tmp_path):
    query = "CONSTRUCT { ?d gk:hasSymptom ?s } WHERE { ?d gk:hasSymptom ?s }"
    sub = select(view, Selection(construct=query), store)
    assert set(sub.edges(keys=True)) == {(u, v, k) for u, v, k in view.edges(keys=True) if k == "hasSymptom"}
    assert set(sub) == {n for e in sub.edges() for n in e}
    rq = tmp_path / "relapse.rq"
    rq.write_text("CONSTRUCT { ?x gk:stateOf gke:jmml } WHERE { ?x gk:stateOf gke:jmml }\n")
    from graphkit.select import construct_text

    sub = select(view, Selection(construct=construct_text(str(rq))), store)
    assert set(sub.edges(keys=True)) == {e for e in view.edges(keys=True) if e[1:] == ("jmml", "stateOf")}
    assert {("jmml_in_relapse", "jmml", "stateOf"), ("jmml_relapse_after_hsct", "jmml", "stateOf")} <= set(sub.edges(keys=True))
    with pytest.raises(SelectionError, match="needs a CONSTRUCT or DESCRIBE query, got a SELECT"):
        select(view, Selection(construct="SELECT * WHERE { ?s ?p ?o } LIMIT 1"), store)
    with pytest.raises(SelectionError, match="neither a CONSTRUCT"):
        construct_text("no_such_query", tmp_path)
    with pytest.raises(SelectionError, match="the selection is empty"):
        select(view, Selection(construct="CONSTRUCT { ?s ?p ?o } WHERE { ?s gk:noSuchProperty ?o }"), store)


def test_large_picture_needs_force(view, ctx, monkeypatch, tmp_path):
    monkeypatch.setattr(export.registry, "LARGE_PICTURE", 10)
    everything = select(view, Selection())
    counts = f"{everything.number_of_nodes():,} nodes and {everything.number_of_edges():,} edges"
    with pytest.raises(SelectionError, match=rf"the selection has {counts}; a picture \(html\) of more "
                                             r"than 10 nodes .* pass --force"):
        render("html", everything, ctx)
    forced = Context(view, ctx.store, progress=False, force=True)
    assert render("html", everything, forced)[""].startswith("<!DOCTYPE html>")


def test_static_pictures(jmml, ctx):
    png = render("png", jmml, ctx)[""]
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    svg = render("svg", jmml, ctx)[""]
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "juvenile myelomonocytic" in svg
    assert svg == render("svg", jmml, ctx)[""], "the same selection gives the same picture"


def test_html_is_self_contained(jmml, ctx):
    page = render("html", jmml, ctx)[""]
    assert "cytoscape" in page and "$h.version=\"3.34.4\"" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "no network references"
    data = page.split('<script id="graph-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    elements = json.loads(data)["elements"]
    assert len(elements["nodes"]) == 39 and len(elements["edges"]) == 52
