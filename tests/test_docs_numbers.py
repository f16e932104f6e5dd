"""Numbers the documentation states about the release, checked against the release, so they
never go stale: the triples and named graphs `graphkit serve` prints and the queries and runs
`graphkit conformance` counts (docs/serving.md), the node and edge counts of the export timing
table (docs/export.md, written by benchmarks/export_timings.py), and the commands in the picture
captions, which must name the file they write (-o)."""

from __future__ import annotations

import re
import shlex

import pytest

from graphkit.cli import make_parser

from .conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _count(text: str) -> int:
    return int(text.replace(",", ""))


def test_serving_banner_counts_are_the_releases(store):
    text = (ROOT / "docs" / "serving.md").read_text(encoding="utf-8")
    loaded = re.search(r"graphkit serve: loaded ([\d,]+) triples in (\d+) named graphs", text)
    graphs = {str(g): n for g, n in ((row["g"], int(row["n"])) for row in store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows)}
    assert (_count(loaded.group(1)), int(loaded.group(2))) == (sum(graphs.values()), len(graphs))
    asserted = re.search(r"<https://w3id.org/graphkit/graph/asserted> ([\d,]+)", text)
    assert _count(asserted.group(1)) == graphs["https://w3id.org/graphkit/graph/asserted"]


def test_the_conformance_example_counts_the_catalogue(project, store):
    """docs/serving.md shows what `graphkit conformance` prints on a server that agrees: every
    query of the catalogue and its number of runs (defaults and each distinct example)."""
    from graphkit.catalogue import load_catalogue
    from graphkit.conformance import catalogue_runs

    text = (ROOT / "docs" / "serving.md").read_text(encoding="utf-8")
    shown = re.search(r"# (\d+)/(\d+) queries same \((\d+) runs\)", text)
    queries = load_catalogue(project.queries_dir)
    runs = len(catalogue_runs(queries, store))
    assert shown and tuple(map(int, shown.groups())) == (len(queries), len(queries), runs), (
        f"docs/serving.md: write '# {len(queries)}/{len(queries)} queries same ({runs} runs)'")


def _export_counts(cli, *selection: str, tmp_path) -> tuple[int, int]:
    result = cli("export", *selection, "--format", "csv", "-o", str(tmp_path / "out"), "--mkdir")
    assert result.code == 0, result
    found = re.search(r"graphkit export: ([\d,]+) nodes, ([\d,]+) edges", result.err)
    return _count(found.group(1)), _count(found.group(2))


def test_export_timing_table_counts_are_the_releases(cli, tmp_path):
    """The table benchmarks/export_timings.py writes: its node and edge counts are the release's
    (its timings are the machine's, never checked), and it has a column for every format."""
    from graphkit.export import FORMATS

    text = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    block = text.split("<!-- generated: benchmarks/export_timings.py writes from here -->", 1)[1]
    block = block.split("<!-- generated: end -->", 1)[0]
    header = re.search(r"^\| selection \| (.*) \|$", block, re.M)
    assert header and header.group(1).split(" | ") == list(FORMATS), "run benchmarks/export_timings.py"
    rows = dict(re.findall(r"^\| (.+?) \(([\d,]+ nodes, [\d,]+ edges)\) \|", block, re.M))
    whole = _export_counts(cli, tmp_path=tmp_path / "whole")
    hops = _export_counts(cli, "--seed", "JMML in relapse", "--hops", "2", "--source", "icd10_c93_32_page",
                          "--source", "chang_2004_jmml_second_hsct", tmp_path=tmp_path / "hops")
    assert rows == {"2 hops of JMML in relapse, documents 001 and 004": "{:,} nodes, {:,} edges".format(*hops),
                    "whole graph": "{:,} nodes, {:,} edges".format(*whole)}


def test_two_hops_of_jmml_in_relapse_as_docs_export_counts_them(cli, tmp_path):
    """docs/export.md gives the size of two hops around JMML in relapse, all sources, twice."""
    text = " ".join((ROOT / "docs" / "export.md").read_text(encoding="utf-8").split())
    counted = _export_counts(cli, "--seed", "JMML in relapse", "--hops", "2", tmp_path=tmp_path)
    stated = re.findall(r"into childhood ALL: ([\d,]+) nodes, ([\d,]+) edges|on the ([\d,]+) nodes and ([\d,]+) edges "
                        r"of two hops around JMML in relapse", text)
    assert len(stated) == 2
    assert {tuple(_count(n) for n in found if n) for found in stated} == {counted}


def test_import_module_term_counts(project):
    """docs/linking.md's table of the import modules: each module's number of terms (the subjects
    other than its ontology header, as `graphkit link --update-imports` counts them) is the file's."""
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF

    def terms(path) -> int:
        graph = Graph().parse(path)
        return len(set(graph.subjects()) - set(graph.subjects(RDF.type, OWL.Ontology)))

    text = (ROOT / "docs" / "linking.md").read_text(encoding="utf-8")
    stated = {name: int(count) for name, count in re.findall(r"^\| `(\w+)\.ttl` \| .*?\((\d+)(?: terms)?\) \|", text, re.M)}
    modules = sorted((ROOT / "ontology" / "imports").glob("*.ttl"))
    assert set(stated) == {path.stem for path in modules}
    assert stated == {path.stem: terms(path) for path in modules}


def _caption_commands():
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for picture in re.finditer(r"!\[[^\]]*\]\(([^)]+)\)\n\n\*(.*?)\*\n", text, re.S):
            for command in re.findall(r"`(graphkit export [^`]+)`", picture.group(2).replace("\n", " ")):
                yield path.name, picture.group(1), command


@pytest.mark.parametrize("doc,picture,command", list(_caption_commands()))
def test_picture_captions_name_the_file_they_write(doc, picture, command):
    words = shlex.split(command)
    args = make_parser("export").parse_args(words[1:])
    assert args.output, f"{doc}: the caption of {picture} does not say where the picture goes (-o)"
    if args.output.endswith((".png", ".svg")):
        assert args.output.rsplit("/", 1)[-1] == picture.rsplit("/", 1)[-1], (doc, picture, command)


def test_the_namespace_table_holds_every_external_prefix_of_the_release(project):
    """ontology/README.md lists the IRI namespace of each external prefix the release and its
    import modules use (a SPARQL user writes them out), as graphkit/prefixes.json has them."""
    import json

    table = {}
    for line in (ROOT / "ontology" / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and all(cells) and cells[0].endswith(":") and cells[1].startswith("http"):
            table.update({cells[0][:-1]: cells[1], cells[2][:-1]: cells[3]})
    release = project.all_ttl.read_text(encoding="utf-8") + "".join(
        path.read_text(encoding="utf-8") for path in sorted(project.imports_dir.glob("*.ttl")))
    records = json.loads((ROOT / "graphkit" / "prefixes.json").read_text(encoding="utf-8"))["records"]
    used = {r["prefix"]: r["uri_prefix"] for r in records
            if f"<{r['uri_prefix']}" in release and r["uri_prefix"].split("/")[2] not in ("w3id.org", "www.w3.org")}
    assert len(used) >= 18 and table == used


def test_the_axiom_counts_the_docs_state_are_the_releases(store):
    """docs/quality.md and ontology/README.md state how many annotated axioms the OWL API reads
    (tests/engines/test_owlapi_release.py counts them there); they are the release's."""
    counts = store.query("""
        SELECT (COUNT(DISTINCT ?ax) AS ?axioms) (COUNT(?ev) AS ?evidence) WHERE {
          GRAPH <https://w3id.org/graphkit/graph/provenance> { ?ax a owl:Axiom ; gk:evidence ?ev } }""").records()[0]
    mappings = store.query("""
        SELECT (COUNT(DISTINCT ?ax) AS ?n) WHERE {
          GRAPH <https://w3id.org/graphkit/graph/provenance> { ?ax a owl:Axiom ; gk:mappingJustification ?j } }""").records()[0]["n"]
    quality = " ".join((ROOT / "docs" / "quality.md").read_text(encoding="utf-8").split())
    assert (f"({counts['axioms']:,} statement axioms), each with exactly the `gk:evidence` values of its axiom node "
            f"({counts['evidence']:,} in all)") in quality
    assert f"each of the {mappings:,} mappings with its justification" in quality
    assert f"a test counts {mappings:,} annotated mappings" in (ROOT / "ontology" / "README.md").read_text(encoding="utf-8")


def test_the_robot_missing_label_count_the_docs_state_is_the_releases(store):
    """docs/quality.md says what ROBOT's own missing_label query (report_queries/missing_label.rq,
    which skips blank nodes and ontologies) lists on the release run as is: the evidence nodes
    with their targets and selectors only. It had drifted (11,509 written, 11,286 found), and the
    42 standard vocabulary terms the schema declared without a label now have their vocabularies'."""
    rows = store.query("""
        SELECT ?entity WHERE {
          { SELECT DISTINCT ?entity WHERE {
              ?entity ?any ?o .
              FILTER NOT EXISTS { ?entity rdfs:label ?value }
              FILTER NOT EXISTS { ?entity a owl:Ontology }
              FILTER NOT EXISTS { ?entity owl:deprecated ?dep . FILTER regex(str(?dep), "true") }
              FILTER (!isBlank(?entity)) } } }""").records()
    iris = [str(r["entity"]) for r in rows]
    evidence = sum(1 for i in iris if i.startswith("https://w3id.org/graphkit/evidence/"))
    others = [i for i in iris if not i.startswith("https://w3id.org/graphkit/")]
    assert len(iris) == evidence + len(others), "a graphkit term without a label: see the missing_label check"
    assert others == [], "a standard vocabulary term without its label: see tests/test_schema.py"
    quality = " ".join((ROOT / "docs" / "quality.md").read_text(encoding="utf-8").split())
    assert (f"lists {len(iris):,} IRIs, the {evidence:,} evidence nodes, quote targets and selectors "
            "(four per evidence node), and no term") in quality
