"""The ontology headers of the release's files (graphkit/header.py): one ontology per file, a
version IRI per release, the imports, the metadata of ontology/release.yaml, and one data
licence stated the same in every product and in the SSSOM export. (That OWL tools read them so
is tests/engines/test_owlapi_release.py.)"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF

from graphkit.config import load_config
from graphkit.errors import CurationError
from graphkit.rdfread import turtle_triples
from graphkit.terms import from_oxigraph, rdflib_triples

BASE = "https://w3id.org/graphkit/"
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
MODULES = ["chebi", "doid", "ecto", "hgnc", "hp", "icd10cm", "icd10who", "maxo", "mondo", "ncbigene", "ncit", "orpha",
           "symp", "unii"]
_TYPE, _ONTOLOGY, _LICENSE = (ox.NamedNode(str(term)) for term in (RDF.type, OWL.Ontology, DCTERMS.license))


def _header(path) -> tuple[URIRef, Graph]:
    """The file's one ontology, and a graph of its header and of every licence the file states
    (read by pyoxigraph: rdflib's parser took 2.8 s for all.ttl, and four tests read it)."""
    triples = turtle_triples(path)
    [ontology] = [t.subject for t in triples if t.predicate == _TYPE and t.object == _ONTOLOGY]   # one file, one ontology
    graph = Graph()
    for triple in rdflib_triples(t for t in triples if t.subject == ontology or t.predicate == _LICENSE):
        graph.add(triple)
    return from_oxigraph(ontology), graph


@pytest.mark.slow
def test_the_release_is_its_own_versioned_ontology_that_imports_the_schema_and_the_modules(project):
    meta = project.config.ontology
    ontology, graph = _header(project.all_ttl)
    assert ontology == URIRef(BASE + "all")
    assert graph.value(ontology, OWL.versionIRI) == URIRef(f"{BASE}releases/{meta.version}/all")
    imports = sorted(map(str, graph.objects(ontology, OWL.imports)))
    assert imports == [BASE + f"imports/{m}" for m in MODULES] + [BASE + "schema"]
    assert {p: graph.value(ontology, p) for p in (OWL.versionInfo, DCTERMS.title, DCTERMS.description, DCTERMS.creator,
                                                  DCTERMS.date, DCTERMS.license, FOAF.homepage)} == {
        OWL.versionInfo: Literal(meta.version), DCTERMS.title: Literal(meta.title),
        DCTERMS.description: Literal(meta.description), DCTERMS.creator: Literal("graphkit curators"),
        DCTERMS.date: Literal(meta.date), DCTERMS.license: CC_BY, FOAF.homepage: URIRef(BASE)}


def test_inferred_imports_the_release_and_modules_import_the_schema(project):
    ontology, graph = _header(project.inferred_ttl)
    assert (ontology, list(graph.objects(ontology, OWL.imports))) == (URIRef(BASE + "inferred"), [URIRef(BASE + "all")])
    assert graph.value(ontology, OWL.versionIRI) == URIRef(f"{BASE}releases/{project.config.ontology.version}/inferred")
    for name in MODULES:
        module, graph = _header(project.imports_dir / f"{name}.ttl")
        assert module == URIRef(BASE + f"imports/{name}")
        assert list(graph.objects(module, OWL.imports)) == [URIRef(BASE + "schema")]
        # every ontology header has a title, a dcterms:description and a licence (ROBOT's report rules)
        assert all(graph.value(module, p) for p in (DCTERMS.title, DCTERMS.description, DCTERMS.license)), name


@pytest.mark.slow
def test_one_data_licence_everywhere(project, cli):
    files = [project.all_ttl, project.inferred_ttl, project.schema_file, *sorted(project.imports_dir.glob("*.ttl"))]
    licences = {project.relative(path): set(_header(path)[1].objects(None, DCTERMS.license)) for path in files}
    assert licences == {name: {CC_BY} for name in licences} and len(licences) == 17
    assert project.config.ontology.license == str(CC_BY)
    sssom = cli("export-mappings", "--no-labels", "-o", "-")
    assert f"# license: {CC_BY}\n" in sssom.out
    assert f"# mapping_set_version: {project.config.ontology.version}\n" in sssom.out


@pytest.mark.slow
def test_the_header_follows_the_declaration_not_the_clock(mini, cli):
    text = mini.release_config.read_text(encoding="utf-8")
    mini.release_config.write_text(text.replace("  version: 0.1.0\n", "  version: 0.2.0\n")
                                   .replace("  date: 2026-12-02\n", "  date: 2027-01-15\n"), encoding="utf-8")
    assert cli("build", root=mini.root).code == 0
    ontology, graph = _header(mini.all_ttl)
    assert graph.value(ontology, OWL.versionIRI) == URIRef(BASE + "releases/0.2.0/all")
    assert graph.value(ontology, DCTERMS.date) == Literal("2027-01-15")
    first = mini.all_ttl.read_bytes()
    assert cli("build", root=mini.root).code == 0 and mini.all_ttl.read_bytes() == first


@pytest.mark.parametrize("old, new, message", [
    ("  creator: graphkit curators\n", "", "ontology: missing field(s) ['creator']"),
    ("  date: 2026-12-02\n", "  date: December 2026\n", "ontology: date must be YYYY-MM-DD, not 'December 2026'"),
])
def test_a_bad_ontology_section_is_named_with_its_line(mini, old, new, message):
    text = mini.release_config.read_text(encoding="utf-8")
    assert text.count(old) == 1
    mini.release_config.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(CurationError) as info:
        load_config(mini.release_config, "ontology/release.yaml")
    assert str(info.value).startswith("ontology/release.yaml:") and message in str(info.value)


def test_the_catalog_maps_every_ontology_iri_to_its_file(project):
    """catalog-v001.xml, as Protégé and ROBOT read it: each entry names an ontology IRI and the
    file (relative to the catalog) whose header has that IRI; every owl:imports is covered."""
    import xml.etree.ElementTree as ET

    catalog = project.product("catalog")
    entries = {e.get("name"): catalog.parent / e.get("uri")
               for e in ET.parse(catalog).getroot().iter("{urn:oasis:names:tc:entity:xmlns:xml:catalog}uri")}
    assert len(entries) == 17
    imported = set()
    for iri, path in entries.items():
        ontology, graph = _header(path)
        assert str(ontology) == iri, path
        imported.update(str(o) for o in graph.objects(ontology, OWL.imports))
    assert imported <= set(entries)
