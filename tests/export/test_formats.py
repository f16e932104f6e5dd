"""Exports read back: GraphML/GEXF with networkx, RDF with rdflib, KGX against the Biolink Model."""

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from graphkit import export, nxview
from graphkit.export import Context, rdf, render
from graphkit.namespaces import GK, GKEV, GKQ, GKSRC, is_curie
from graphkit.select import Selection, SelectionError, select

from ..conftest import ROOT


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
    assert set(back) == set(jmml) and len(jmml) == 45
    for node, data in jmml.nodes(data=True):
        assert back.nodes[node] == {**data, "color": back.nodes[node]["color"]}
        assert re.fullmatch(r"#[0-9a-f]{6}", back.nodes[node]["color"])
    assert _edges(back) == _edges(jmml) and len(_edges(back)) == jmml.number_of_edges() == 69
    # as docs/export.md says: read_graphml keys an edge by its id, subject|predicate|object
    assert all(key == data["id"] == f"{u}|{data['predicate'].split(':', 1)[1]}|{v}"
               for u, v, key, data in back.edges(keys=True, data=True))


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
    assert set(back.edges(keys=True)) == set(jmml.edges(keys=True))     # read_gexf keeps the predicate as the key


@pytest.mark.slow
def test_pandas_reads_the_csv_as_docs_export_says(store, tmp_path):
    """docs/export.md, "CSV": a document number reads as a float (3.0; the docs had said "the
    integer 3", which an entity's empty cell makes float64), NCI's PubMed id too, unless named
    str, and a text column empty on every row of a selection reads as float64 (Int64 with
    numpy_nullable), which `.str` refuses: what an analyst reading two selections alike meets
    with pandas."""
    pd = pytest.importorskip("pandas")
    with_provenance = nxview.from_store(store, include_provenance=True)
    part = select(with_provenance, Selection(seeds=["JMML in relapse"], hops=1, entities=["childhood_all"]), store)
    files = render("csv", part, Context(with_provenance, store, progress=False))
    (tmp_path / "nodes.csv").write_text(files["nodes.csv"], encoding="utf-8")
    plain = pd.read_csv(tmp_path / "nodes.csv")
    sources = plain.set_index("id")
    assert str(plain["document_number"].dtype) == str(plain["pmid"].dtype) == "float64"
    assert str(sources.loc["gksrc:icd10_c93_32_page", "document_number"]) == "1.0"
    assert str(sources.loc["gksrc:nci_pdq_childhood_all", "pmid"]) == "26389385.0"
    named = pd.read_csv(tmp_path / "nodes.csv", dtype={"document_number": str, "pmid": str, "narrow_mappings": str})
    assert named[named["id"] == "gksrc:icd10_c93_32_page"]["document_number"].tolist() == ["001"]
    assert named[named["id"] == "gksrc:nci_pdq_childhood_all"]["pmid"].tolist() == ["26389385"]
    assert plain["narrow_mappings"].isna().all() and str(plain["narrow_mappings"].dtype) == "float64"
    nullable = pd.read_csv(tmp_path / "nodes.csv", dtype_backend="numpy_nullable")
    assert str(nullable["narrow_mappings"].dtype) == "Int64"
    assert named["narrow_mappings"].str.split("|").isna().all()


def test_graphml_declares_one_type_per_attribute(view, ctx):
    # float and int quantity values in one file: the attribute is declared double, read back as floats
    sub = select(view, Selection(entities=["chang2004_overall_finding"], construct=None))
    sub.add_node("gkq:x", **{**view.nodes["gkq:0d5d6bebb70b"], "value": 54.5})
    sub.add_node("gkq:0d5d6bebb70b", **view.nodes["gkq:0d5d6bebb70b"])
    back = nx.read_graphml(io.StringIO(render("graphml", sub, ctx)[""]))
    assert back.nodes["gkq:0d5d6bebb70b"]["value"] == 13.0 and back.nodes["gkq:x"]["value"] == 54.5


@pytest.fixture(scope="module")
def schema_graph(project) -> Graph:
    """``ontology/schema.ttl`` as written (not the store's schema graph)."""
    return Graph().parse(project.schema_file, format="turtle")


def _declarations(schema: Graph, triples) -> set:
    """The schema's rdf:type and rdfs:label triples of each IRI ``triples`` use, and of the
    classes those declare them to be."""
    found, todo, seen = set(), [t for triple in triples for t in triple if isinstance(t, URIRef)], set()
    while todo:
        term = todo.pop()
        if term not in seen:
            seen.add(term)
            found |= set(schema.triples((term, RDF.type, None))) | set(schema.triples((term, RDFS.label, None)))
            todo += list(schema.objects(term, RDF.type))
    return found


@pytest.fixture(scope="module")
def import_modules(project) -> Graph:
    """The import modules (``ontology/imports/*.ttl``) as written, in one graph."""
    modules = Graph()
    for path in sorted(project.imports_dir.glob("*.ttl")):
        modules.parse(path)
    return modules


def _labels_of_mapped_terms(triples, modules: Graph) -> set:
    """The labels the import modules give the external terms ``triples`` map an entity to (the
    terms no triple describes)."""
    described = {s for s, _, _ in triples}
    mapped = {o for _, p, o in triples if p in nxview.MAPPING_PROPERTIES} - described
    return {(term, RDFS.label, label) for term in mapped for label in modules.objects(term, RDFS.label)}


def _expected_rdf(release_graph: Graph, sub, view, schema: Graph, modules: Graph) -> Graph:
    """The export's promise, computed independently from ontology/all.ttl, schema.ttl and the
    import modules."""
    iri = {n: URIRef(d["iri"]) for n, d in view.nodes(data=True)}
    view_edges = {(iri[u], URIRef(d["predicate_iri"]), iri[v]) for u, v, d in view.edges(data=True)}
    chosen = {(iri[u], URIRef(d["predicate_iri"]), iri[v]) for u, v, d in sub.edges(data=True)}
    triples = {t for n in sub for t in release_graph.triples((iri[n], None, None))
               if t not in view_edges or t in chosen}
    for _, _, o in list(triples):
        if str(o).startswith(str(GKQ)):
            triples |= set(release_graph.triples((o, None, None)))
    statements = {t for t in triples if not str(t[0]).startswith(str(GKQ))}

    def copy_trees(todo):          # the nodes' triples and those of the evidence and sources they lead to
        while todo:
            node = todo.pop()
            for p, o in release_graph.predicate_objects(node):
                if (node, p, o) not in triples:
                    triples.add((node, p, o))
                    if str(o).startswith((str(GKEV), str(GKSRC))):
                        todo.append(o)

    for ax in set(release_graph.subjects(OWL.annotatedSource)):     # a statement's evidence, a mapping's justification
        stated = (release_graph.value(ax, OWL.annotatedSource), release_graph.value(ax, OWL.annotatedProperty),
                  release_graph.value(ax, OWL.annotatedTarget))
        if stated in statements:
            copy_trees([ax])
    exported = {s for s, _, _ in triples}
    for disagreement in set(release_graph.subjects(RDF.type, GK.SourceDisagreement)):
        if set(release_graph.objects(disagreement, GK.disagreementStatement)) <= exported:
            triples |= set(release_graph.triples((disagreement, None, None)))
    described = {s for s, _, _ in triples}   # entities the evidence names but the selection lacks: who they are
    for entity in {o for _, _, o in triples if str(o).startswith("https://w3id.org/graphkit/entity/")} - described:
        for prop in (RDF.type, RDFS.label, SKOS.prefLabel, GK.curationFile):
            triples |= set(release_graph.triples((entity, prop, None)))
    triples |= _labels_of_mapped_terms(triples, modules)
    release, header = URIRef("https://w3id.org/graphkit/all"), BNode()
    triples |= {(header, RDF.type, OWL.Ontology), (header, DCTERMS.license, release_graph.value(release, DCTERMS.license)),
                (header, DCTERMS.rights, release_graph.value(release, DCTERMS.rights)),
                (header, PROV.wasDerivedFrom, release_graph.value(release, OWL.versionIRI)),
                (header, DCTERMS.title, Literal(f"{release_graph.value(release, DCTERMS.title)}: an export")),
                (header, DCTERMS.description, Literal(rdf.EXPORT_DESCRIPTION))}
    triples |= _declarations(schema, triples)
    expected = Graph()
    for triple in triples:
        expected.add(triple)
    return expected


@pytest.mark.slow
def test_the_whole_graphs_rdf_is_the_release_but_its_schema_and_ontology_header(view, ctx, release_graph, store,
                                                                                schema_graph, import_modules):
    """An analyst found 45 triples of all.ttl in no export: the release's licence and rights, and
    the five recorded disagreements between sources. The whole graph's export holds every triple
    of the release but the schema's and the release's header, which an export's own header (an
    anonymous ontology: no second ontology of the release's IRI) replaces with the licence, the
    rights and the release version it was derived from; of the schema, it keeps the declarations
    and labels of the terms it uses; of the import modules, which it does not import, the labels of
    the terms its entities are mapped to."""
    from graphkit.namespaces import GRAPH_SCHEMA

    parsed = Graph().parse(data=render("turtle", view, ctx)[""], format="turtle")
    release = URIRef("https://w3id.org/graphkit/all")
    header = set(release_graph.triples((release, None, None)))
    schema_ground = {t for t in store.graph(GRAPH_SCHEMA) if not any(isinstance(term, BNode) for term in t)}
    ground = {t for t in release_graph if not any(isinstance(term, BNode) for term in t)}
    assert ground - schema_ground - header <= set(parsed) and not set(parsed.triples((release, None, None)))
    declared = _declarations(schema_graph, set(parsed) - schema_ground)
    assert declared <= set(parsed) and len(declared) > 200
    mapped = _labels_of_mapped_terms(set(release_graph), import_modules)
    assert mapped <= set(parsed) and len(mapped) > 300
    assert len(parsed) == (len(release_graph) - len(store.graph(GRAPH_SCHEMA)) - len(header) + 6 + len(declared)
                           + len(mapped))
    assert len(set(parsed.subjects(RDF.type, GK.SourceDisagreement))) == 5
    (own,) = parsed.subjects(RDF.type, OWL.Ontology)
    assert isinstance(own, BNode) and parsed.value(own, PROV.wasDerivedFrom) == release_graph.value(release, OWL.versionIRI)
    assert parsed.value(own, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    # a part carries a disagreement only with every evidence it names (the project's own
    # validator had failed an export of childhood ALL: evidence nodes of no statement)
    part = Graph().parse(data=render("turtle", select(view, Selection(entities=["childhood_all"])), ctx)[""],
                         format="turtle")
    for disagreement in part.subjects(RDF.type, GK.SourceDisagreement):
        for evidence in part.objects(disagreement, GK.disagreementStatement):
            assert part.value(predicate=GK.evidence, object=evidence) is not None


def test_an_rdf_export_names_the_terms_its_entities_are_mapped_to(view, ctx):
    """A curator opening an export of JMML in Protégé saw MONDO_0011908, DOID_0050458 ... without
    a name: the release has their labels through its owl:imports of the import modules, an export
    imports nothing. Each mapped term now has the label its module gives it; MeSH has no module."""
    part = Graph().parse(data=render("turtle", select(view, Selection(seeds=["jmml"], hops=0)), ctx)[""],
                         format="turtle")
    mondo, doid, mesh = (URIRef(u) for u in ("http://purl.obolibrary.org/obo/MONDO_0011908",
                                             "http://purl.obolibrary.org/obo/DOID_0050458",
                                             "http://id.nlm.nih.gov/mesh/D054429"))
    assert {(t, part.value(t, RDFS.label)) for t in (mondo, doid, mesh)} == {
        (mondo, Literal("juvenile myelomonocytic leukemia")), (doid, Literal("juvenile myelomonocytic leukemia")),
        (mesh, None)}
    assert set(part.predicate_objects(mondo)) == {(RDFS.label, Literal("juvenile myelomonocytic leukemia"))}


def _release_as_declared(project) -> dict[str, str]:
    """The release's title, version, date, version IRI, licence and rights as ontology/release.yaml
    declares them (graphkit.header writes them into all.ttl), in the order of the view's graph
    attributes."""
    from graphkit.header import RELEASE_RIGHTS, version_iri

    meta = project.config.ontology
    return {"title": meta.title, "version": meta.version, "date": meta.date, "source": str(version_iri(meta, "all")),
            "license": meta.license, "rights": RELEASE_RIGHTS}


@pytest.mark.parametrize("schema", [False, True], ids=["data", "schema"])
def test_every_graph_format_states_the_release_it_was_made_from(schema, view, store, project):
    """An export for Cytoscape or Gephi named the release's licence and version but not the release
    (its version IRI) nor its title, and one of the schema (``--schema``) none of them: the graph
    attributes of GraphML and Cytoscape JSON (read back by networkx) and GEXF's <meta> description
    give the release's title, version, date, version IRI (``source``), licence and rights, as
    ontology/release.yaml declares them, for a part of the data as for the schema."""
    from xml.etree import ElementTree

    expected = _release_as_declared(project)
    whole = nxview.schema_view(store) if schema else view
    part = select(whole, Selection() if schema else Selection(seeds=["JMML in relapse"], hops=1))
    ctx = Context(whole, store, progress=False)
    for back in (nx.read_graphml(io.StringIO(render("graphml", part, ctx)[""])),
                 nx.cytoscape_graph(json.loads(render("cyjs", part, ctx)[""])),
                 nx.cytoscape_graph(json.loads(render("cytoscape", part, ctx)["network.cyjs"]))):
        assert {key: back.graph.get(key) for key in expected} == expected
    # read_gexf returns no <meta>: the file's own description holds them
    gexf = ElementTree.fromstring(render("gexf", part, ctx)[""])
    [description] = [e.text for e in gexf.iter() if e.tag.endswith("}description")]
    assert description == "; ".join(f"{key}: {value}" for key, value in expected.items())


@pytest.mark.slow
def test_every_picture_states_the_release_and_its_licence(jmml, ctx, project):
    """A picture copied into a slide lost where it came from and under which licence: the HTML
    view's side panel names the release (linked to its version IRI) and its licence
    (``rel="license"``, read here with the standard library's HTML parser); the PNG's text chunks
    (read with Pillow) and the SVG's Dublin Core metadata give the title, version IRI, licence and
    rights; both also print a line under the picture (in the SVG, the comment before its paths)."""
    from html.parser import HTMLParser
    from xml.etree import ElementTree

    from PIL import Image

    declared = _release_as_declared(project)
    title = f"{declared['title']} {declared['version']}"

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.links, self.text, self._in = [], [], False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            self._in = self._in or attrs.get("id") == "release"
            if tag == "a" and self._in:
                self.links.append((attrs.get("rel"), attrs["href"]))

        def handle_endtag(self, tag):
            self._in = self._in and tag != "p"

        def handle_data(self, data):
            if self._in:
                self.text.append(data)

    page = Links()
    page.feed(render("html", jmml, ctx)[""])
    assert page.links == [(None, declared["source"]), ("license", declared["license"])]
    assert "".join(page.text) == (f"From {title} ({declared['date']}). Licence: {declared['license']}. "
                                  f"{declared['rights']}")
    chunks = Image.open(io.BytesIO(render("png", jmml, ctx)[""])).text
    assert chunks == {"Title": title, "Source": declared["source"],
                      "Copyright": f"Licence: {declared['license']}; {declared['rights']}"}
    svg_text = render("svg", jmml, ctx)[""]
    svg = ElementTree.fromstring(svg_text.encode("utf-8"))
    dc = "{http://purl.org/dc/elements/1.1/}"
    [work] = [e for e in svg.iter() if e.tag.endswith("}Work")]
    assert (work.find(f"{dc}title").text, work.find(f"{dc}source").text) == (title, declared["source"])
    assert [e.text for e in work.find(f"{dc}rights").iter(f"{dc}title")] == [
        f"Licence: {declared['license']}", declared["rights"]]
    footer = (f"From {title} ({declared['date']}), {declared['source']}. Licence: {declared['license']}")
    assert f"<!-- {footer} -->" in svg_text         # matplotlib draws text as paths, each after its words


def test_kgx_states_the_release_in_a_dataset_node(view, ctx, project):
    """kgx reads no graph-level metadata: the release is the first row of nodes.tsv, a
    biolink:Dataset with its title, version, date, licence and rights (Biolink's slots), its
    version IRI as xref, and no edge points to it. A selection without edges has it too."""
    declared = _release_as_declared(project)
    release_id = f"gkrelease:{declared['version']}"
    files = render("kgx", select(view, Selection(seeds=["JMML in relapse"], hops=1)), ctx)
    nodes, edges = _tsv(files["nodes.tsv"]), _tsv(files["edges.tsv"])
    assert {column: value for column, value in nodes[0].items() if value} == {
        "id": release_id, "category": "biolink:Dataset", "name": declared["title"], "xref": declared["source"],
        "iri": f"https://w3id.org/graphkit/releases/{declared['version']}", "provided_by": "infores:graphkit",
        "version": declared["version"], "creation_date": declared["date"], "license": declared["license"],
        "rights": declared["rights"]}
    assert [row["id"] for row in nodes if row["category"] == "biolink:Dataset"] == [release_id]
    assert len(edges) > 10 and not any("has_evidence" in row for row in edges)
    alone = render("kgx", select(view, Selection(entities=["jmml_relapse_after_hsct"])), ctx)
    assert [row["id"] for row in _tsv(alone["nodes.tsv"])][0] == release_id and not _tsv(alone["edges.tsv"])


def test_turtle_has_exactly_the_selected_triples_and_their_evidence(jmml, view, ctx, release_graph, schema_graph,
                                                                   import_modules):
    parsed = Graph().parse(data=render("turtle", jmml, ctx)[""], format="turtle")
    expected = _expected_rdf(release_graph, jmml, view, schema_graph, import_modules)
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
    # a mapping keeps its justification and CURIE (`graphkit validate` of an export warned that JMML
    # had no cross-reference: the missing-xref check reads them)
    mapping = parsed.value(predicate=GK.mappingCurie, object=Literal("MONDO:0011908"))
    assert (mapping, OWL.annotatedSource, URIRef("https://w3id.org/graphkit/entity/jmml")) in parsed
    assert parsed.value(mapping, GK.mappingJustification) is not None
    # the sources of the selected edges (other documents may add synonyms or notes to the nodes)
    assert set(parsed.subjects(RDF.type, GK.SourceDocument)) >= {GKSRC.icd10_c93_32_page,
                                                                 GKSRC.chang_2004_jmml_second_hsct}


def test_small_selection_exact_rdf(view, ctx, release_graph, schema_graph, import_modules):
    sub = select(view, Selection(entities=["jmml_early_relapse_after_hsct", "Second allogeneic hematopoietic stem cell transplantation"],
                                 sources=JMML_DOCS))
    assert [k for *_, k in sub.edges(keys=True)] == ["treatedWith"]
    parsed = Graph().parse(data=render("turtle", sub, ctx)[""], format="turtle")
    assert isomorphic(parsed, _expected_rdf(release_graph, sub, view, schema_graph, import_modules))
    evidence = set(parsed.subjects(RDF.type, GK.Evidence))
    assert {str(parsed.value(parsed.value(predicate=GK.evidence, object=e), OWL.annotatedProperty)).rsplit("#", 1)[-1]
            for e in evidence} >= {"treatedWith"}
    assert (URIRef("https://w3id.org/graphkit/entity/jmml_early_relapse_after_hsct"), GK.subtypeOf, None) not in parsed


@pytest.mark.parametrize("fmt,parser", [("nt", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")])
@pytest.mark.slow
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
    """The Biolink Model as the biolink-model package's YAML states it (read here, independently
    of graphkit's vendored slice): categories (concrete named things), edge predicates (under
    ``related to``, no mixin, not the inverse of a canonical predicate), slot names, and the
    id prefixes of each class."""
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
            name = (table.get(name) or {}).get("is_a")
        return out

    categories = {f"biolink:{camel(name)}" for name, spec in classes.items()
                  if "named thing" in ancestors(classes, name)
                  and not (spec or {}).get("mixin") and not (spec or {}).get("abstract")}
    canonical = {name for name, spec in slots.items() if ((spec or {}).get("annotations") or {}).get("canonical_predicate")}
    predicates = {f"biolink:{name.replace(' ', '_')}" for name, spec in slots.items()
                  if "related to" in ancestors(slots, name) and not (spec or {}).get("mixin")
                  and (spec or {}).get("inverse") not in canonical}
    id_prefixes = {f"biolink:{camel(name)}": (spec or {}).get("id_prefixes") or [] for name, spec in classes.items()}
    deliveries = set(model["enums"]["DrugDeliveryEnum"]["permissible_values"])
    return categories, predicates, {name.replace(" ", "_") for name in slots}, id_prefixes, deliveries


def _tsv(text):
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


def test_kgx_nodes_and_edges_are_valid_biolink(view, ctx):
    categories, predicates, slot_names, id_prefixes, deliveries = _biolink()
    files = render("kgx", select(view, Selection()), ctx)
    release, *nodes = _tsv(files["nodes.tsv"])             # the release's own node first (tested below)
    edges = _tsv(files["edges.tsv"])
    quantities = {n for n, d in view.nodes(data=True) if d["kind"] == "QuantityValue"}
    assert len(nodes) == view.number_of_nodes() - len(quantities)        # quantity values are columns, not nodes
    assert release["category"] == "biolink:Dataset" and release["id"] not in {row["id"] for row in nodes}
    for column in ("id", "category", "name", "provided_by"):
        assert column in nodes[0]
    for column in ("id", "subject", "predicate", "object", "knowledge_level", "agent_type", "primary_knowledge_source",
                   "publications", "supporting_text"):
        assert column in edges[0]
    # property columns are Biolink slots (extra provenance columns are ours, documented)
    ours = {"iri", "original_type", "source_documents", "in_phase", "for_population", "for_state", "for_line_of_therapy",
            "during_period", "scope_note", "for_some_members_only", "evidence", "evidence_count", "certainty", "frequency",
            "graphkit_statements", "evidence_details",
            "close_mappings", "broad_mappings", "narrow_mappings", "related_mappings", "regulatory_approval",
            "approval_line_of_therapy", "approval_maximum_patient_age",
            "state_combination", "site_combination", "criteria_combination", "condition_combination",
            "phase_order", "study_period_start"}
    folded_columns = {c for c in nodes[0] if c.startswith(("quantity_", "route_", "attribute_", "text_"))}
    assert not folded_columns & slot_names
    assert set(nodes[0]) - folded_columns | set(edges[0]) <= slot_names | ours | {
        "id", "category", "name", "description", "xref", "synonym", "provided_by", "subject", "object"}
    ids = {row["id"] for row in nodes}
    by_local = {}
    curie = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*:[^\s|]+$")
    for row in nodes:
        assert curie.match(row["id"]) and is_curie(row["id"]) or row["id"].startswith("gke:"), row["id"]
        assert row["category"] in categories, f"{row['category']} is not a concrete Biolink category"
        for xref in filter(None, row["xref"].split("|")):
            assert curie.match(xref) and (is_curie(xref) or xref.startswith("gke:")), xref
        # an entity keeps its graphkit CURIE as an xref when its id is an external one
        local = next((x for x in row["xref"].split("|") if x.startswith("gke:")), row["id"])
        by_local[local] = row
        assert "|" not in row["description"] and "|" not in row["name"]
    for row in edges:
        assert row["subject"] in ids and row["object"] in ids
        assert row["id"].startswith("urn:uuid:") and "|" not in row["id"]
        assert row["predicate"] in predicates, f"{row['predicate']} may not stand on an edge"
        assert row["knowledge_level"] == "knowledge_assertion" and row["agent_type"] == "manual_agent"
        assert row["primary_knowledge_source"] == "infores:graphkit"
        for publication in row["publications"].split("|"):
            assert curie.match(publication), publication
        assert row["supporting_text"]
    # KGX keys an edge by subject, predicate and object: no two rows share them; every curated
    # edge is in one of them (in graphkit_statements)
    assert len({(r["subject"], r["predicate"], r["object"]) for r in edges}) == len(edges)
    by_original = {tuple(statement.split(" ")): r for r in edges for statement in r["graphkit_statements"].split("|")}
    folded = [s for r in nodes for s in r["quantity_statements"].split("|") if s]
    routes = [s for r in nodes for s in r["route_statements"].split("|") if s]
    attributes = [s for r in nodes for s in r["attribute_statements"].split("|") if s]
    assert len(by_original) + len(folded) + len(routes) + len(attributes) == view.number_of_edges()
    assert len(folded) == sum(1 for _, v in view.edges() if v in quantities)
    # a drug's routes of administration are its routes_of_delivery (Biolink's enumeration), with
    # the statements and their evidence beside them; a procedure's route stays an edge
    assert {v for r in nodes for v in r["routes_of_delivery"].split("|") if v} <= deliveries
    cytarabine = by_local["gke:cytarabine"]
    assert cytarabine["routes_of_delivery"] == "injection|intravenous_injection|subcutaneous_injection"
    assert ("gke:cytarabine gk:administeredVia gke:intrathecal [during_period: gke:intensive_chemotherapy_blocks]"
            in cytarabine["route_statements"].split("|"))           # intrathecally during the intensive blocks
    assert cytarabine["route_evidence"] and cytarabine["route_supporting_text"] and cytarabine["route_publications"]
    assert len(routes) == 44
    assert [(r["original_subject"], r["object"]) for r in edges if r["original_predicate"] == "gk:administeredVia"] \
        == [("gke:hsct", "gke:intravenous")]
    assert len(edges) < view.number_of_edges()
    # node ids: the exact mapping whose prefix Biolink prefers for the category
    jmml = by_local["gke:jmml"]
    assert (jmml["id"], jmml["category"]) == ("MONDO:0011908", "biolink:Disease")
    assert {"gke:jmml", "DOID:0050458", "ICD10CM:C93.3"} <= set(jmml["xref"].split("|"))
    assert by_local["gke:fatigue"]["id"] == "HP:0012378"
    assert by_local["gke:jmml_in_relapse"]["id"] == "gke:jmml_in_relapse"      # exact only to ICD10CM, not a Disease prefix
    for local, row in by_local.items():
        if row["id"] != local:
            prefixes = id_prefixes[row["category"]]
            mapped = [x for x in row["xref"].split("|") if x.split(":")[0] in prefixes]
            assert row["id"].split(":")[0] in prefixes
            assert all(prefixes.index(row["id"].split(":")[0]) <= prefixes.index(x.split(":")[0]) for x in mapped)
    symptom = by_original["gke:jmml_in_relapse", "gk:hasSymptom", "gke:fatigue"]
    assert (symptom["subject"], symptom["predicate"], symptom["object"]) == (
        "gke:jmml_in_relapse", "biolink:has_phenotype", "HP:0012378")
    # no Biolink mapping of its own: the inverse's mapping, written in the other direction
    risk = by_original["gke:jmml_in_relapse", "gk:hasRiskFactor", "gke:minimal_residual_disease"]
    assert (risk["subject"], risk["predicate"], risk["object"]) == (
        "gke:minimal_residual_disease", "biolink:associated_with_increased_likelihood_of", "gke:jmml_in_relapse")
    assert risk["original_predicate"] == "gk:hasRiskFactor" and risk["original_subject"] == "gke:jmml_in_relapse"
    # treated_by and treats are mixins: a treatment is written as the therapy applied_to_treat the condition
    chang = by_original["gke:jmml_early_relapse_after_hsct", "gk:treatedWith", "gke:second_allogeneic_hsct"]
    assert (chang["subject"], chang["predicate"], chang["object"]) == (
        "gke:second_allogeneic_hsct", "biolink:applied_to_treat", "gke:jmml_early_relapse_after_hsct")
    assert chang["publications"] == "DOI:10.1097/00043426-200403000-00009"
    # the scope of the evidence goes with the edge: a risk factor stated for children
    radiation = by_original["gke:acute_leukemia", "gk:hasRiskFactor", "gke:high_dose_ionizing_radiation"]
    assert (radiation["predicate"], radiation["for_population"]) == (
        "biolink:associated_with_increased_likelihood_of", "gke:children")
    # a quantity value is a column of its subject, with the statement's evidence (and scope) beside it
    all_row = by_local["gke:childhood_all"]
    assert "gke:childhood_all gk:cureRate about 85 to 90 % [for_population: gke:children_in_high_income_settings]" \
        in all_row["quantity_statements"].split("|")
    finding = by_local["gke:chang2004_overall_finding"]
    assert (finding["quantity_cohort_size"], finding["quantity_percent_with_outcome"]) == ("13 patients", "54 %")
    assert "gke:chang2004_overall_finding gk:cohortSize 13 patients" in finding["quantity_statements"].split("|")
    assert "Seven of the 13 JMML patients (54%) were alive and disease-free" in finding["quantity_supporting_text"]
    assert finding["quantity_publications"] == "DOI:10.1097/00043426-200403000-00009"
    assert not any(row["object"].startswith("gkq:") for row in edges)
    related = Counter(row["original_predicate"] for row in edges if row["predicate"] == "biolink:related_to")
    # docs/export.md states the share and lists, property by property, the edges left at
    # related_to and why no Biolink predicate fits: both are the release's
    docs = " ".join((Path(__file__).resolve().parents[2] / "docs" / "export.md").read_text(encoding="utf-8").split())
    total = sum(related.values())
    assert (f"**{total:,} of {len(edges):,} KGX edges ({100 * total / len(edges):.1f}%) stay `biolink:related_to`**"
            in docs)
    listed = {}
    for names, counts in re.findall(r"\| ((?:`gk:\w+`(?:, )?)+) \| ([\d, ]+) \|", docs):
        listed.update(zip(re.findall(r"gk:\w+", names), (int(n) for n in counts.split(", "))))
    assert listed == dict(related)
    assert total / len(edges) < 0.12       # 13.6% before the states, approvals and tests were aligned
    # the edges that merge statements of several properties, which docs/export.md counts
    merged = sum(len({s.split(" ")[1] for s in row["graphkit_statements"].split("|")}) > 1 for row in edges)
    assert f"{merged:,} of the {len(edges):,} edges of the whole graph merge two or more properties" in docs
    # an FDA approval (an n-ary node) is Biolink's clinical_approval_status on the therapy-indication
    # edge, merged with the curated treatment; the approval node stays a node
    approval = by_original["gke:childhood_all", "gk:treatedWith", "gke:pegaspargase"]
    assert approval is by_original["gke:pegaspargase", "gk:hasRegulatoryApproval", "gke:pegaspargase_fda_approval"]
    assert (approval["predicate"], approval["clinical_approval_status"], approval["regulatory_approval"]) == (
        "biolink:applied_to_treat", "fda_approved_for_condition", "gke:pegaspargase_fda_approval")
    assert approval["original_predicate"] == "gk:treatedWith"
    assert approval["approval_line_of_therapy"] == "first-line"       # what limits the approval goes with it
    young = by_original["gke:tisagenlecleucel", "gk:hasRegulatoryApproval", "gke:tisagenlecleucel_fda_approval"]
    assert (young["approval_maximum_patient_age"], young["approval_line_of_therapy"]) == ("25 years", "")
    assert "gk:approvalIndication" not in {row["original_predicate"] for row in edges if
                                           row["predicate"] == "biolink:related_to"}
    assert by_local["gke:pegaspargase_fda_approval"]["category"] == "biolink:NamedThing"
    # a disease state is a Biolink attribute of the disease in that state, and how several combine
    # is said: relapsed or refractory is one of the two
    either = by_local["gke:relapsed_refractory_t_all"]
    assert (either["has_attribute"], either["state_combination"]) == ("gke:refractory_disease|gke:relapse", "any_of")
    assert "gke:relapsed_refractory_t_all gk:inState gke:relapse" in either["attribute_statements"].split("|")
    assert either["attribute_publications"]
    assert not any(row["original_predicate"] == "gk:inState" for row in edges)
    assert by_local["gke:very_high_risk"]["criteria_combination"] == "any_of"
    # the sources' text statements about an entity are node columns (every one the view has)
    assert by_local["gke:pegaspargase_fda_approval"]["text_line_of_therapy"] == "first-line"
    texts = {(n, a) for n, d in view.nodes(data=True) for a, value in d.items()
             if value and a not in nxview.ENTITY_FIELDS and not a.endswith("Combination") and d["kind"] != "QuantityValue"
             and isinstance(value, str)}
    assert len(texts) == sum(1 for row in nodes for c in row if c.startswith("text_") and row[c]) > 400
    # a number is no text statement: a column of its own (phaseOrder 1, 2, 3; studyPeriodStart 1988)
    numbers = sorted((a, value) for n, d in view.nodes(data=True) for a, value in d.items()
                     if isinstance(value, int) and not isinstance(value, bool) and d["kind"] != "QuantityValue")
    assert numbers == [("phaseOrder", 1), ("phaseOrder", 2), ("phaseOrder", 3), ("studyPeriodStart", 1988)]
    assert sorted(row["phase_order"] for row in nodes if row["phase_order"]) == ["1", "2", "3"]
    # the code a source gives for a condition: a close match (exact or broader)
    code = by_original["gke:jmml_in_relapse", "gk:hasICD10Code", "ICD10CM:C93.32"]
    assert (code["subject"], code["predicate"], code["object"]) == ("gke:jmml_in_relapse", "biolink:close_match",
                                                                    "ICD10CM:C93.32")
    # two curated edges, one Biolink statement (bone has part bone marrow; bone marrow part of
    # bone): one KGX edge with both quotes
    part = by_original["gke:bone_marrow", "gk:partOf", "gke:bone"]
    assert part is by_original["gke:bone", "gk:hasPart", "gke:bone_marrow"]
    assert (part["subject"], part["predicate"], part["object"]) == ("gke:bone", "biolink:has_part", "gke:bone_marrow")
    assert part["original_predicate"] == "gk:hasPart"
    assert part["graphkit_statements"] == "gke:bone gk:hasPart gke:bone_marrow|gke:bone_marrow gk:partOf gke:bone"
    assert int(part["evidence_count"]) == len(part["evidence"].split("|")) >= 2
    finding = by_local["gke:chang2004_overall_finding"]
    assert finding["category"] == "biolink:NamedThing"                       # StudyResult is abstract


def test_csv(jmml, ctx):
    files = render("csv", jmml, ctx)
    nodes = list(csv.DictReader(io.StringIO(files["nodes.csv"])))
    edges = list(csv.DictReader(io.StringIO(files["edges.csv"])))
    assert {r["id"] for r in nodes} == set(jmml) and len(edges) == 69
    assert list(nodes[0])[:5] == ["id", "label", "type", "kind", "category"]
    assert {(r["source"], r["target"], r["key"]) for r in edges} == set(jmml.edges(keys=True))


def test_csv_tables_have_their_documented_columns_without_rows(view, ctx):
    """A selection without edges wrote edges.csv with 5 columns (id, source, target, key,
    predicate): a script that reads `sources` or `quotes` of each export, as docs/export.md names
    the first columns, failed (KeyError) on the exports that happen to have no edge."""
    full = render("csv", select(view, Selection(seeds=["jmml"], hops=1)), ctx)
    alone = render("csv", select(view, Selection(entities=["jmml", "fatigue"])), ctx)
    header = {name: text.splitlines()[0].split(",") for name, text in full.items()}
    assert alone["edges.csv"].splitlines() == [",".join(header["edges.csv"][:12])]
    assert header["edges.csv"][:12] == ["id", "source", "target", "key", "predicate", "label", "evidence_count",
                                        "sources", "source_documents", "certainty", "frequency", "quotes"]
    assert alone["nodes.csv"].splitlines()[0].split(",")[:7] == header["nodes.csv"][:7] == [
        "id", "label", "type", "kind", "category", "curie", "iri"]


def test_cytoscape_json_round_trips_through_networkx(view, store, ctx):
    """``networkx.cytoscape_graph(json.load(open("x.cyjs")))`` gives back the selection: every
    node and its attributes, every edge with its key (parallel edges stay apart), the graph's
    attributes."""
    from graphkit.export.graphdata import exportable

    sub = select(view, Selection(seeds=["JMML in relapse"], hops=2), store)
    parallel = sub.number_of_edges() - len(set(sub.edges()))
    assert parallel > 0                                       # the case that used to merge
    document = json.loads(render("cyjs", sub, ctx)[""])
    assert (document["directed"], document["multigraph"]) == (True, True)
    back = nx.cytoscape_graph(document)
    assert isinstance(back, nx.MultiDiGraph)
    expected = exportable(sub)
    assert set(back) == set(expected)
    assert set(back.edges(keys=True)) == set(expected.edges(keys=True))
    added = {"id", "value", "name", "quantity_value"}
    for node, data in expected.nodes(data=True):
        got = back.nodes[node]
        assert {k: got["quantity_value" if k == "value" else k] for k in data} == data
        assert set(got) - set(data) <= added and got["name"] == data["label"]
    for u, v, k, data in expected.edges(keys=True, data=True):
        got = back.edges[u, v, k]
        assert {name: got[name] for name in data} == data
        assert (got["source"], got["target"], got["key"], got["interaction"]) == (u, v, k, k)
    assert back.graph == expected.graph and back.graph["selection"] == "2 hop(s) around JMML in relapse"


def test_cytoscape_json_keeps_each_quantitys_number(view, ctx):
    """A quantity's number (the view's ``value``) is ``quantity_value`` in the file: Cytoscape
    JSON's ``value`` is the node key, which used to overwrite it (53 months came out as its id)."""
    document = json.loads(render("cyjs", view, ctx)[""])
    back = nx.cytoscape_graph(document)
    numbers = {node: data["value"] for node, data in view.nodes(data=True) if "value" in data}
    assert len(numbers) >= 30
    assert {node: back.nodes[node]["quantity_value"] for node in numbers} == numbers
    months = [data for data in back.nodes.values() if data.get("label") == "53 months"]
    assert months and {(data["quantity_value"], data["unit_label"]) for data in months} == {(53, "month")}


def test_cytoscape_desktop_style_maps_columns_of_the_network(jmml, ctx):
    """The ``cytoscape`` format: the network and a vizmap style whose mappings name columns the
    network has, with values of the declared type (Cytoscape ignores a mapping of a missing
    column: no colours)."""
    import xml.etree.ElementTree as ET

    files = render("cytoscape", jmml, ctx)
    assert sorted(files) == ["network.cyjs", "styles.xml"]
    elements = json.loads(files["network.cyjs"])["elements"]
    root = ET.fromstring(files["styles.xml"])
    assert root.tag == "vizmap" and root.get("documentVersion") == "3.1"
    style = root.find("visualStyle")
    assert style.get("name") == "graphkit"
    types = {"string": str, "boolean": bool}
    for part, items in (("node", elements["nodes"]), ("edge", elements["edges"])):
        mapped = {}
        for prop in style.find(part).findall("visualProperty"):
            assert prop.get("name").startswith(part.upper() + "_") and prop.get("default") is not None
            for mapping in prop:
                column, kind = mapping.get("attributeName"), types[mapping.get("attributeType")]
                values = [item["data"][column] for item in items if column in item["data"]]
                assert values and all(isinstance(v, kind) for v in values), (prop.get("name"), column)
                mapped[prop.get("name")] = mapping
        assert mapped[f"{part.upper()}_LABEL"].get("attributeName") == ("name" if part == "node" else "label")
    fill = style.find("node/visualProperty[@name='NODE_FILL_COLOR']/passthroughMapping")
    assert fill.get("attributeName") == "color"
    assert all(re.fullmatch(r"#[0-9a-f]{6}", n["data"]["color"]) for n in elements["nodes"])
    jmml_node = next(n["data"] for n in elements["nodes"] if n["data"]["id"] == "jmml_in_relapse")
    assert jmml_node["color"] == "#d62728"                    # the colour of diseases in every picture


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
    with pytest.raises(SelectionError, match=r"^--construct needs a CONSTRUCT or DESCRIBE query, got an ASK query$"):
        select(view, Selection(construct="ASK { ?s ?p ?o }"), store)      # it said "got a ASK query"
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


@pytest.mark.slow
def test_static_pictures(jmml, ctx):
    png = render("png", jmml, ctx)[""]
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    svg = render("svg", jmml, ctx)[""]
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "juvenile myelomonocytic" in svg
    assert svg == render("svg", jmml, ctx)[""], "the same selection gives the same picture"
    titled = render("svg", jmml, Context(ctx.graph, ctx.store, progress=False, title=r"JMML $\alpha$ 50%_x^2"))[""]
    assert r"JMML $\alpha$ 50%_x^2" in titled, "a title is text, not matplotlib's math"


def test_html_is_self_contained(jmml, ctx):
    page = render("html", jmml, ctx)[""]
    assert "cytoscape" in page and "$h.version=\"3.34.4\"" in page
    # nothing the page loads comes from the network; its links (the release, its licence) load on a click
    assert not re.search(r"""(src\s*=|<link\b[^>]*\bhref\s*=)\s*["']?(https?:)?//""", page), "no network loads"
    data = page.split('<script id="graph-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    elements = json.loads(data)["elements"]
    assert len(elements["nodes"]) == 45 and len(elements["edges"]) == 69


def test_kgx_approval_in_a_selection_says_only_what_the_selection_holds(view, ctx):
    """One hop from pegaspargase holds its approval and its indication but not the agency: the
    edge says approved, not FDA-approved; without the indication the approval stays its edges."""
    def approval_edges(selection):
        edges = _tsv(render("kgx", select(view, selection), ctx)["edges.tsv"])
        return [row for row in edges if "gke:pegaspargase_fda_approval" in row["graphkit_statements"]]

    (near,) = approval_edges(Selection(seeds=["pegaspargase"], hops=1))
    assert (near["predicate"], near["clinical_approval_status"]) == ("biolink:applied_to_treat", "approved_for_condition")
    (far,) = approval_edges(Selection(seeds=["pegaspargase"], hops=2))
    assert far["clinical_approval_status"] == "fda_approved_for_condition"
    cut = approval_edges(Selection(entities=["pegaspargase", "pegaspargase_fda_approval", "fda"]))
    assert sorted((row["predicate"], row["original_predicate"]) for row in cut) == [
        ("biolink:related_to", "gk:hasRegulatoryApproval"), ("biolink:related_to", "gk:regulatoryAgency")]


def test_kgx_keeps_each_evidences_source_certainty_and_quote_together(view, ctx):
    """The guide's "still being studied" is UnderStudy, NCI's "possible" Possible: the distinct
    columns (sources alphabetical, certainty strongest first) do not say which is whose."""
    files = render("kgx", select(view, Selection(seeds=["prenatal_xray_exposure"], hops=1)), ctx)
    edge = next(row for row in _tsv(files["edges.tsv"]) if row["graphkit_statements"] ==
                "gke:childhood_all gk:hasRiskFactor gke:prenatal_xray_exposure")
    assert sorted(edge["evidence_details"].split("|")) == [
        "gkev:002-037ccab28d9d; source=gksrc:rxharun_pediatric_all_guide; certainty=UnderStudy; frequency=-; "
        "offsets=6571-6736; quote=Some studies suggest that repeated CT scans or X-rays in pregnancy or early life may "
        "slightly raise leukemia risk, but the increase is small and still being studied.",
        "gkev:003-cbfe10ab9dcc; source=gksrc:nci_pdq_childhood_all; certainty=Possible; frequency=-; offsets=4507-4588; "
        "quote=Other possible risk factors for ALL include: being exposed to x-rays before birth"]
    # the scope is the evidence's own: of the anthracyclines' two heart-problem statements, one is
    # for a high cumulative dose
    files = render("kgx", select(view, Selection(seeds=["anthracyclines"], hops=1)), ctx)
    edge = next(row for row in _tsv(files["edges.tsv"]) if row["graphkit_statements"] ==
                "gke:anthracyclines gk:hasAdverseEffect gke:heart_problems")
    details = edge["evidence_details"].split("|")
    assert edge["for_population"] == "gke:high_cumulative_anthracycline_dose" and len(details) == 2
    assert sum("; for_population=gke:high_cumulative_anthracycline_dose; offsets=" in d for d in details) == 1
    # named as the scope columns and the nodes name them: a population with an exact MONDO id by it
    files = render("kgx", select(view, Selection(entities=["hyperuricemia", "cancer_treatment"])), ctx)
    (edge,) = _tsv(files["edges.tsv"])
    assert edge["for_population"] == "MONDO:0000870" and edge["source_documents"] == "gksrc:rxharun_pediatric_all_guide"
    assert edge["evidence_details"].startswith("gkev:002-41b58861628a; source=gksrc:rxharun_pediatric_all_guide; "
                                               "certainty=Established; frequency=-; for_population=MONDO:0000870; "
                                               "during_period=gke:treatment_start; offsets=40621-40732; quote="), edge


def test_kgx_quotes_are_the_sources_text_at_their_offsets(view, ctx, project):
    """Every evidence's quote in ``evidence_details`` is the source's text at its offsets, a tab or
    line break a space (the cell is one line); runs of spaces kept (they had been collapsed in 78
    quotes), and a statement of some members of a class only says so."""
    from loaders.sources import load_sources

    texts = {source.id: source.text for source in load_sources(project.manifest).values()}
    edges = _tsv(render("kgx", view, ctx)["edges.tsv"])
    details = [d for row in edges for d in row["evidence_details"].split("|") if d]
    for detail in details:
        source, start, end, quote = re.search(r"source=gksrc:(\S+);.*?offsets=(\d+)-(\d+); quote=(.*)$", detail).groups()
        assert quote == re.sub(r"[\t\n\r]", " ", texts[source][int(start):int(end)]).replace("|", "¦"), detail
    assert len(details) > 1900 and sum("  " in d.split("; quote=")[1] for d in details) >= 30
    ivig = next(row for row in edges if row["graphkit_statements"] == "gke:antibody_deficiency gk:treatedWith gke:ivig")
    assert ivig["for_some_members_only"] == "true" and "; members=some; offsets=48180-48313; " in ivig["evidence_details"]


def test_kgx_edges_name_only_nodes_of_the_file_with_the_schema(store):
    """With --include-schema each quantity value's instanceOf edge to gk:QuantityValue was written
    (biolink:related_to, rdf:type) though the quantity is a column of its subject's row, not a
    node: 53 edges of the whole graph started from no node of nodes.tsv, and kgx transform made a
    bare NamedThing of each."""
    with_schema = nxview.from_store(store, include_schema=True)
    files = render("kgx", select(with_schema, Selection(seeds=["chang2004_overall_finding"], hops=1)),
                   Context(with_schema, store, progress=False))
    nodes, edges = _tsv(files["nodes.tsv"]), _tsv(files["edges.tsv"])
    ids = {row["id"] for row in nodes}
    assert {"gk:QuantityValue", "gk:StudyFinding"} <= ids
    assert [row for row in edges if row["subject"] not in ids or row["object"] not in ids] == []
    finding = next(row for row in nodes if row["id"] == "gke:chang2004_overall_finding")
    assert finding["quantity_cohort_size"] == "13 patients"          # the quantities are still its columns


def test_kgx_class_hierarchy_is_biolink_subclass_of(store):
    """`export --schema -f kgx` (and --include-schema) wrote every rdfs:subClassOf edge as
    biolink:related_to (33 of the schema's 93 edges): the schema aligns graphkit's own
    properties only, and Biolink's subclass_of is the exact mapping of rdfs:subClassOf."""
    schema = nxview.schema_view(store)
    edges = _tsv(render("kgx", select(schema, Selection()), Context(schema, store, progress=False))["edges.tsv"])
    hierarchy = [row for row in edges if row["original_predicate"] == "rdfs:subClassOf"]
    assert len(hierarchy) > 30 and {row["predicate"] for row in hierarchy} == {"biolink:subclass_of"}
    drug = next(row for row in hierarchy if row["original_subject"] == "gk:Drug")
    assert (drug["subject"], drug["object"]) == ("gk:Drug", "gk:Therapy")       # in its own direction


def test_the_kgx_counts_docs_export_states_are_the_views(view, ctx):
    """docs/export.md's KGX section: the statements whose object is a quantity value (each a
    column of its subject's row), the curated edges with a scope or a note, and the rows of the
    whole graph's edges.tsv they are."""
    text = " ".join((ROOT / "docs" / "export.md").read_text(encoding="utf-8").split())
    curated = [(v, d) for _, v, _, d in view.edges(keys=True, data=True) if d["evidence_count"]]
    quantities = sum(1 for v, _ in curated if view.nodes[v]["kind"] == "QuantityValue")
    scoped = sum(1 for _, d in curated if d["scope_note"] or any(d[a] for a in nxview.SCOPE_ATTRIBUTES.values()))
    columns = ["scope_note", *nxview.SCOPE_ATTRIBUTES.values()]
    rows = sum(1 for row in _tsv(render("kgx", view, ctx)["edges.tsv"]) if any(row[c] for c in columns))
    assert f"so each of the {quantities} statements whose object is a quantity value" in text
    assert f"({scoped} curated edges have a scope or a note); they are {rows} rows of the whole graph's" in text


@pytest.mark.slow
def test_the_json_ld_writer_makes_rdflibs_document(jmml, ctx, release_graph):
    """graphkit.jsonld writes what rdflib's JSON-LD writer makes of the same triples (3.7 s of
    the whole graph's export went to that writer and the Graph it needs): a selection with its
    evidence, and the schema's blank nodes and RDF lists (owl:AllDisjointClasses)."""
    from rdflib.namespace import RDFS

    from graphkit.export.jsonld import sorted_arrays
    from graphkit.export.rdf import rdf_triples, used_prefixes
    from graphkit.jsonld import compact_document
    from graphkit.iris import known_prefixes
    from graphkit.namespaces import GRAPH_SCHEMA

    schema = list(ctx.graph(GRAPH_SCHEMA))
    assert any(p == RDF.first for _, p, _ in schema) and any(o == OWL.AllDisjointClasses for *_, o in schema)
    for triples in (rdf_triples(jmml, ctx), schema, [schema[0]], []):
        context = {**used_prefixes(triples, known_prefixes()), "label": str(RDFS.label)}
        graph = Graph()
        graph.addN((*triple, graph) for triple in triples)
        expected = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
        assert sorted_arrays(compact_document(triples, context)) == sorted_arrays(expected)


def test_the_format_and_output_of_an_export_are_told_by_the_library(tmp_path):
    """The command had worked them out itself: a Python caller got none of it."""
    from graphkit.export.registry import output_format
    from graphkit.nxview import SelectionError

    notes = []
    assert [f.name for f in (output_format(None, "x.graphml")[0], output_format("ttl", None)[0])] == ["graphml", "turtle"]
    assert output_format("ttl", None)[1] == "-"
    fmt, _ = output_format("jsonld", "x.json", notes)                   # on purpose, or a slip: said
    assert fmt.name == "jsonld" and notes == ["x.json is written as jsonld (--format jsonld), though its suffix is "
                                              "cyjs's"]
    for name, output, message in ((None, "x.zzz", "give --format"), ("png", None, "needs -o FILE"),
                                  ("csv", None, "needs -o DIR"), ("csv", str(tmp_path / "nodes.csv"), "names a file")):
        with pytest.raises(SelectionError, match=message):
            output_format(name, output)


@pytest.mark.slow
def test_a_biolink_predicate_selects_every_edge_kgx_writes_with_it(view, ctx, store):
    """`--predicate biolink:has_phenotype`, as a KGX user names an edge, was "unknown predicate (not
    used by any edge)". It selects the properties the schema aligns with the Biolink predicate, its
    inverse or one under it, and every edge of the view the KGX export writes with that predicate
    is among them."""
    notes = []
    phenotypes = select(view, Selection(predicates=["biolink:has_phenotype"]), store, notes)
    assert {k for *_, k in phenotypes.edges(keys=True) if k in ("hasSymptom", "urgentWarningSign")} == \
        {"hasSymptom", "urgentWarningSign"}
    assert _edges(phenotypes) == _edges(select(view, Selection(predicates=["hasSymptom", "urgentWarningSign"])))
    assert notes == ["predicate 'biolink:has_phenotype' is hasSymptom, urgentWarningSign "
                     "(the schema's alignments with Biolink)"]
    whole = _tsv(render("kgx", view, ctx)["edges.tsv"])
    written = {}         # Biolink predicate -> the view's edges (as graphkit statements) KGX writes with it
    for row in whole:
        if "gk:hasRegulatoryApproval" not in row["graphkit_statements"]:   # an approval: three edges in one row
            written.setdefault(row["predicate"], set()).update(row["graphkit_statements"].split("|"))
    for predicate, statements in sorted(written.items()):
        selected = _tsv(render("kgx", select(view, Selection(predicates=[predicate]), store), ctx)["edges.tsv"])
        assert statements <= {s for r in selected for s in r["graphkit_statements"].split("|")}, predicate
    everything = []
    assert _edges(select(view, Selection(predicates=["biolink:related_to"]), store, everything)) == _edges(view)
    assert everything == ["predicate 'biolink:related_to' is every edge (Biolink's root predicate)"]
    # the inverse names the same edges, read the other way
    assert _edges(select(view, Selection(predicates=["biolink:treated_by"]), store)) == \
        _edges(select(view, Selection(predicates=["biolink:treats"]), store))
    with pytest.raises(SelectionError, match=r"^no Biolink predicate 'biolink:treatz' \(Biolink Model [\d.]+\); "
                                             r"did you mean biolink:treats or biolink:treated_by\?$"):
        select(view, Selection(predicates=["biolink:treatz"]), store)
    with pytest.raises(SelectionError, match=r"^no property of graphkit's schema is aligned with "
                                             r"'biolink:physically_interacts_with', its inverse or a predicate under them$"):
        select(view, Selection(predicates=["biolink:physically_interacts_with"]), store)


def test_a_scope_no_statement_has_is_named_with_the_scopes_near_it(view, store):
    """--scope 'Down syndrome' reads the genetic syndrome, to which no statement is scoped; the
    statements about Down syndrome are scoped to Down syndrome-associated ALL. It said "the
    selection is empty: nothing to export" (or, with a seed, left the seed alone)."""
    for selection in (Selection(scopes=["Down syndrome"]), Selection(seeds=["childhood_all"], scopes=["Down syndrome"])):
        with pytest.raises(SelectionError) as unscoped:
            select(view, selection, store)
        assert str(unscoped.value) == ("no statement is scoped to 'Down syndrome' (down_syndrome); did you mean "
                                       "'Down syndrome-associated acute lymphoblastic leukemia' (down_syndrome_all)?")
    with pytest.raises(SelectionError, match=r"^no statement is scoped to 'fatigue' \(fatigue\)$"):
        select(view, Selection(scopes=["fatigue"]), store)
    assert select(view, Selection(scopes=["down_syndrome_all"]), store).number_of_edges() > 0


def test_a_scope_keeps_the_edges_one_evidence_of_which_holds_for_it(view, store):
    """`--scope maintenance`: what the sources say of the maintenance phase, NCI's lower doses
    and the guide's multivitamin among it; with --source, one evidence must be of both."""
    notes = []
    maintenance = select(view, Selection(scopes=["Maintenance"]), store, notes)
    edges = {(u, k, v): d for u, v, k, d in maintenance.edges(keys=True, data=True) if d.get("evidence")}
    assert {("childhood_all", "treatedWith", "lower_dose_chemotherapy"), ("childhood_all", "treatedWith", "multivitamin"),
            ("medication_adherence", "lowersRiskOf", "relapse")} <= set(edges)
    assert all(any("maintenance" in scope for scope in d["evidence_scopes"].split("|")) for d in edges.values())
    assert maintenance.graph["selection"] == "everything; scoped to Maintenance" and notes == []
    guide = select(view, Selection(scopes=["maintenance"], sources=["002"]), store)
    assert {(u, k, v) for u, v, k in guide.edges(keys=True)} & set(edges) == \
        {key for key, d in edges.items() if any(
            source == "rxharun_pediatric_all_guide" and "maintenance" in scope
            for source, scope in zip(d["evidence_sources"].split("|"), d["evidence_scopes"].split("|")))}
    assert ("childhood_all", "treatedWith", "multivitamin") in {(u, k, v) for u, v, k in guide.edges(keys=True)}
    assert ("childhood_all", "treatedWith", "lower_dose_chemotherapy") not in {(u, k, v) for u, v, k in guide.edges(keys=True)}


def test_the_entities_of_one_qualifier_are_comma_separated_as_pandas_reads_them(view, ctx, store):
    """docs/export.md: `|` separates an edge's evidence in `evidence_scopes` (and KGX's
    `evidence_details`), so the phases of one evidence are joined with commas, which the docs had
    not said: NCI's CNS-directed therapy, in induction and consolidation/intensification, beside the
    guide's in maintenance. Read as an analyst reads them, with pandas."""
    pd = pytest.importorskip("pandas")
    part = select(view, Selection(entities=["childhood_all", "cns_directed_therapy"]), store)
    edges = pd.read_csv(io.StringIO(render("csv", part, ctx)["edges.csv"]), dtype=str)
    row = edges.set_index("id").loc["childhood_all|treatedWith|cns_directed_therapy"]
    assert row["evidence_scopes"] == "in_phase=maintenance|in_phase=consolidation_intensification,remission_induction"
    assert row["in_phase"] == "consolidation_intensification|maintenance|remission_induction"
    kgx = pd.read_csv(io.StringIO(render("kgx", part, ctx)["edges.tsv"]), sep="\t", dtype=str)
    details = kgx.set_index("original_object").loc["gke:cns_directed_therapy", "evidence_details"].split("|")
    assert [re.search(r"; (in_phase=[^;]*); ", d).group(1) for d in details] == [
        "in_phase=gke:maintenance", "in_phase=gke:consolidation_intensification,gke:remission_induction"]


def test_quantities_as_attributes_are_text_without_their_scope_as_docs_export_says(view, ctx, store):
    """docs/export.md: `--quantities attributes` folds a quantity into its subject's attribute, its
    label as text, without the statement's scope, which the quantity's edge keeps in the default
    view and KGX's `quantity_statements` names: childhood ALL's cure rate, stated for children in
    high-income settings. Read back with networkx and pandas."""
    pd = pytest.importorskip("pandas")
    folded = nxview.from_store(store, quantities="attributes")
    part = select(folded, Selection(entities=["childhood_all", "methotrexate"]), store)
    back = nx.read_graphml(io.StringIO(render("graphml", part, Context(folded, store, progress=False))[""]))
    assert back.nodes["childhood_all"]["cureRate"] == "about 85 to 90 %"
    assert back.nodes["methotrexate"]["dosingFrequency"] == "1 time per day|1 time per week"
    assert not any("high_income" in str(value) for value in back.nodes["childhood_all"].values())
    assert [(view.nodes[v]["label"], d["for_population"]) for _, v, k, d in
            view.out_edges("childhood_all", keys=True, data=True) if k == "cureRate"] == [
        ("about 85 to 90 %", "children_in_high_income_settings")]
    rate_part = select(view, Selection(seeds=["childhood_all"], predicates=["cureRate"]), store)
    nodes = pd.read_csv(io.StringIO(render("kgx", rate_part, ctx)["nodes.tsv"]), sep="\t", dtype=str)
    statements = [s for cell in nodes["quantity_statements"].dropna() for s in cell.split("|")]
    assert ("gke:childhood_all gk:cureRate about 85 to 90 % [for_population: gke:children_in_high_income_settings]"
            in statements)
