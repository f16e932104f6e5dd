"""``graphkit dump`` read by Apache Jena's own ``arq.sparql`` command: the named graphs a user's
store gets from the N-Quads and TriG files are the ones graphkit's store holds, triple for
triple, and a query naming a graph answers there as in graphkit; docs/serving.md's Jena commands
and its Virtuoso bulk-loader lines (a first load, and a later release over it), run as written."""

from pathlib import Path

import pytest

from ..conftest import ROOT
from .jena import arq_select, jena_missing
from tools.engines.virtuoso import VirtuosoServer, virtuoso_missing

pytestmark = pytest.mark.slow

GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
# The symptoms asserted for JMML in relapse, asked of the asserted graph by name.
SYMPTOMS = """PREFIX gk: <https://w3id.org/graphkit/schema#>
SELECT ?symptom WHERE {
  GRAPH <https://w3id.org/graphkit/graph/asserted> {
    <https://w3id.org/graphkit/entity/jmml_in_relapse> gk:hasSymptom ?symptom } }
ORDER BY ?symptom"""


@pytest.fixture(scope="module")
def graph_counts(store):
    return {str(row["g"]): str(row["n"]) for row in store.query(GRAPHS).rows}


@pytest.mark.parametrize("suffix", [".nq", ".trig"])
def test_jena_reads_the_named_graphs_of_a_dump(cli, project, tmp_path, graph_counts, suffix):
    if jena_missing():
        pytest.skip(jena_missing())
    dump = tmp_path / f"release{suffix}"
    result = cli("dump", "-o", str(dump), "--no-inferred" if suffix == ".trig" else "--format=nquads",
                 root=project.root)
    assert result.code == 0, result
    expected = {g: n for g, n in graph_counts.items()
                if suffix == ".nq" or not g.endswith("/graph/inferred")}
    assert {row["g"]: row["n"] for row in arq_select([dump], GRAPHS, tmp_path)} == expected
    assert f"graphkit dump: {sum(map(int, expected.values())):,} quads in {len(expected)} named graphs" in result.err
    symptoms = [row["symptom"].rsplit("/", 1)[-1] for row in arq_select([dump], SYMPTOMS, tmp_path)]
    assert symptoms == ["bone_pain", "fatigue", "frequent_infections", "hepatomegaly", "pallor", "splenomegaly"]


def _docs_loading_commands() -> tuple[str, str]:
    """The command block of docs/serving.md that loads the release into other stores: its Jena
    lines, and its Virtuoso lines (for a server the block does not start)."""
    text = (ROOT / "docs" / "serving.md").read_text(encoding="utf-8")
    block = text.split("Commands that load the release so", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    jena, virtuoso = block.split("# Virtuoso", 1)
    return jena, "# Virtuoso" + virtuoso


def _table_rows(output: str) -> list[list[str]]:
    """The rows of each table Jena's commands print (``| a | b |`` lines between the ``===`` rule
    under the header and the closing ``---`` rule)."""
    tables, rows = [], None
    for line in output.splitlines():
        if line.startswith("==="):
            rows = []
            tables.append(rows)
        elif line.startswith("---"):
            rows = None
        elif rows is not None and line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return tables


def test_the_docs_jena_commands_give_the_catalogues_answers(cli, project, tmp_path):
    """docs/serving.md's Jena commands, run as written (TDB2 with tdb2:unionDefaultGraph, and arq on
    the Turtle files), answer a catalogue query's --show text with graphkit's rows; TDB1's name for
    the setting, which the docs warn of, gives no rows on TDB2 (a newcomer's whole run did)."""
    import os
    import subprocess
    import sys

    if jena_missing():
        pytest.skip(jena_missing())
    shown = cli("query", "subtypes-of", "--show", root=project.root)
    expected = cli("query", "subtypes-of", "--format", "csv", root=project.root)
    assert shown.code == expected.code == 0
    (tmp_path / "QUERY.rq").write_text(shown.out, encoding="utf-8")
    (tmp_path / "ontology").symlink_to(project.root / "ontology")
    script = _docs_loading_commands()[0] + (
        'java -cp "$CP" tdb2.tdbquery --loc jena-db --set tdb:unionDefaultGraph=true --query QUERY.rq\n')
    env = {**os.environ, "GRAPHKIT_ROOT": str(project.root),
           "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    proc = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    tdb2, in_memory, tdb1_name = _table_rows(proc.stdout)
    rows = len(expected.out.splitlines()) - 1
    assert rows == 34 and len(tdb2) == len(in_memory) == rows
    assert sorted(row[0] for row in tdb2) == sorted(row[0] for row in in_memory)
    assert "gke:second_relapse_childhood_all" in {row[0] for row in tdb2}     # the query's prefixes
    assert tdb1_name == []


def test_the_docs_virtuoso_lines_load_the_named_graphs(cli, project, tmp_path, graph_counts):
    """docs/serving.md's bulk-loader lines, run as written on a Virtuoso of the test's own (its port,
    password and load directory put in for 1111, PASSWORD and DIR): the first keeps each quad's
    graph (the graphs hold what graphkit's store holds, and a catalogue query answers with
    graphkit's rows); the second, for a later release, replaces what the first loaded: a triple the
    old release had is gone and no blank node is loaded twice (a newcomer's second load, without
    it, held 85,247 provenance triples for 68,656, or nothing new at all)."""
    import subprocess

    if virtuoso_missing():
        pytest.skip(virtuoso_missing())
    lines = [line for line in _docs_loading_commands()[1].splitlines() if line.startswith("isql-vt")]
    assert len(lines) == 2 and all("isql-vt 1111 dba PASSWORD exec=" in line and "'DIR'" in line for line in lines)
    with VirtuosoServer() as server:
        server.start()
        result = cli("dump", "--format=nquads", "-o", str(server.load_dir / "release.nq"), root=project.root)
        assert result.code == 0, result
        user, password = server.credentials

        def run_docs_line(line: str) -> None:
            script = line.replace("isql-vt 1111 dba PASSWORD", f"isql-vt 127.0.0.1:{server.sql_port} {user} {password}")
            script = script.replace("'DIR", f"'{server.load_dir}")
            proc = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True, timeout=600,
                                  stdin=subprocess.DEVNULL)
            assert proc.returncode == 0 and "*** Error" not in proc.stdout, proc.stdout[-2000:] + proc.stderr[-2000:]

        def counts() -> dict[str, str]:
            answer = cli("sparql", "--endpoint", server.query_url, "--format", "csv", GRAPHS.replace(
                "WHERE {", "WHERE { VALUES ?g { %s }" % " ".join(f"<{g}>" for g in graph_counts)), root=project.root)
            assert answer.code == 0, answer
            return dict(line.split(",") for line in answer.out.splitlines()[1:])

        run_docs_line(lines[0])
        assert counts() == graph_counts
        expected = cli("query", "subtypes-of", "--format", "csv", root=project.root)
        answered = cli("query", "subtypes-of", "--format", "csv", "--endpoint", server.query_url, root=project.root)
        assert answered.code == expected.code == 0, answered
        assert sorted(answered.out.splitlines()) == sorted(expected.out.splitlines())
        assert len(expected.out.splitlines()) - 1 == 34
        # what an older release had and this one has not
        server.isql("SPARQL INSERT DATA { GRAPH <https://w3id.org/graphkit/graph/asserted> { "
                    "<https://w3id.org/graphkit/entity/old_entity> <http://www.w3.org/2000/01/rdf-schema#label> "
                    "'gone' } };")
        assert counts() != graph_counts
        run_docs_line(lines[1])
        assert counts() == graph_counts


def test_jena_reads_the_names_search_suggests_from_the_default_graph(project, store, tmp_path):
    """all.ttl and inferred.ttl given to ARQ as they are (the triples in its default graph, as a
    user's bulk load puts them): graphkit's query for the entities' names in a default graph
    (what an empty search suggests from) gives on Jena the names the embedded store's asserted
    graph gives."""
    if jena_missing():
        pytest.skip(jena_missing())
    from graphkit import entitynames

    rows = arq_select([project.all_ttl, project.inferred_ttl], entitynames.NAMES_IN_DEFAULT_GRAPH, tmp_path)
    on_jena = {(row["entity"], row["label"], row["matched"], row["kind_label"]) for row in rows}
    assert on_jena == {(n.iri, n.label, n.name, n.kind) for n in entitynames.names(store)}


def test_the_docs_qc_recipe_gives_validates_findings(cli, project, oxigraph_release):
    """docs/serving.md, "The QC checks of queries/qc/ on your store": `graphkit sparql` on each check
    with the three graphs of all.ttl as the default graph finds, on a server holding the release's
    named graphs, what `graphkit validate` finds; on the union of all the graphs three checks find
    what the reasoner and the import modules add (the docs give their counts)."""
    import json

    report = cli("validate", "--format", "json", root=project.root)
    expected = {r["rule"]: r["findings"] for r in json.loads(report.out)["rules"] if r["check"] == "query"}
    checks = sorted((project.root / "queries" / "qc").glob("*.rq"))
    assert len(checks) == len(expected) > 30
    named = [arg for g in ("schema", "asserted", "provenance")
             for arg in ("--default-graph", f"https://w3id.org/graphkit/graph/{g}")]
    on_union = {}
    for path in checks:
        rule = path.stem.rsplit("-", 1)[0]
        command = ("sparql", str(path), "--endpoint", oxigraph_release.query_url, "--format", "csv")
        result = cli(*command, *named, root=project.root)
        assert result.code == 0 and len(result.out.splitlines()) - 1 == expected[rule], (rule, result)
        union = cli(*command, root=project.root)
        assert union.code == 0, (rule, union)
        on_union[rule] = len(union.out.splitlines()) - 1
    differ = {rule: n for rule, n in on_union.items() if n != expected[rule]}
    docs = (ROOT / "docs" / "serving.md").read_text(encoding="utf-8").split("The QC checks of", 1)[1]
    assert set(differ) == {"dangling-reference", "duplicate_label", "edge-without-evidence"}, differ
    for rule, n in differ.items():
        assert f"`{rule}` {n:,}" in docs, (rule, n)
