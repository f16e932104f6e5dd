"""``graphkit dump`` read by Apache Jena's own ``arq.sparql`` command: the named graphs a user's
store gets from the N-Quads and TriG files are the ones graphkit's store holds, triple for
triple, and a query naming a graph answers there as in graphkit."""

import pytest

from .jena import arq_select, jena_missing

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
