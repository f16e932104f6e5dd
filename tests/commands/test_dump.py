"""``graphkit dump``: its options and faults (Jena reading the files: tests/engines/test_dump.py)."""

import pyoxigraph as ox
import pytest


@pytest.mark.slow
def test_a_dump_to_standard_output_is_n_quads_of_the_named_graphs(cli, project):
    import io
    import sys

    buffer = io.BytesIO()
    wrapper = io.TextIOWrapper(buffer, encoding="utf-8")          # the dump writes bytes to its buffer
    original, sys.stdout = sys.stdout, wrapper
    try:
        result = cli("dump", "-o", "-", "--no-inferred", root=project.root)
    finally:
        sys.stdout = original
    assert result.code == 0, result
    wrapper.flush()
    quads = list(ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value.rsplit("/graph/", 1)[-1] for q in quads}
    assert {"schema", "asserted", "provenance"} <= graphs and "inferred" not in graphs
    assert f"graphkit dump: {len(quads):,} quads in {len(graphs)} named graphs -> nquads: standard output" in result.err
    # each graph's count, to check a store loaded from the file against
    per_graph = {}
    for q in quads:
        per_graph[q.graph_name.value] = per_graph.get(q.graph_name.value, 0) + 1
    assert result.err.splitlines()[1:] == [f"  {g}  {n:,} triples" for g, n in sorted(per_graph.items())]


@pytest.mark.slow
def test_a_dump_without_a_format_or_a_place_to_write_writes_nothing(cli, project, tmp_path):
    unknown = cli("dump", "-o", str(tmp_path / "release.ttl"), root=project.root)
    assert unknown.code == 2 and "give --format (nquads or trig) or a file ending in .nq, .nquads, .trig" in unknown.err
    missing = cli("dump", "-o", str(tmp_path / "no" / "such" / "release.nq"), root=project.root)
    assert missing.code == 3 and "no/such" in missing.err, missing
    assert list(tmp_path.rglob("*")) == []


def test_a_dump_to_a_directory_is_refused_and_writes_nothing(cli, project, tmp_path):
    """-o out.nq/ wrote a file named out.nq (Path() drops the slash that says a directory was
    meant); -o DIR asked for --format."""
    (tmp_path / "existing").mkdir()
    for output in (f"{tmp_path / 'new.nq'}/", str(tmp_path / "existing")):
        result = cli("dump", "-o", output, root=project.root)
        assert (result.code, result.err) == (2, f"graphkit dump: -o {output} is a directory; give a file name\n"), result
    assert [p.name for p in tmp_path.iterdir()] == ["existing"] and not list((tmp_path / "existing").iterdir())
    empty = cli("dump", "-o", "", root=project.root)          # -o "$OUT" with OUT unset
    assert (empty.code, empty.err) == (2, "graphkit dump: -o is empty; give a file name, or - for standard output\n")


@pytest.mark.slow
def test_a_dump_with_mkdir_creates_the_directory_its_error_names(cli, project, tmp_path):
    """The missing directory's error says "--mkdir creates it"; dump had no --mkdir (exit 2)."""
    target = tmp_path / "new" / "release.trig"
    missing = cli("dump", "-o", str(target), root=project.root)
    assert missing.code == 3 and "(--mkdir creates it)" in missing.err, missing
    made = cli("dump", "--mkdir", "--no-inferred", "-o", str(target), root=project.root)
    assert made.code == 0, made
    assert [p.name for p in target.parent.iterdir()] == ["release.trig"]
    assert target.read_text(encoding="utf-8").startswith("@prefix ")


@pytest.mark.slow
def test_two_dumps_are_byte_identical(cli, project, tmp_path):
    """The store gives its blank nodes new random labels at each load, so two dumps of the same
    release differed from the first axiom on: canonical labels (RDFC-1.0) and sorted quads."""
    for name in ("a.nq", "b.nq", "a.trig", "b.trig"):
        assert cli("dump", "-o", str(tmp_path / name), root=project.root).code == 0
    assert (tmp_path / "a.nq").read_bytes() == (tmp_path / "b.nq").read_bytes()
    assert (tmp_path / "a.trig").read_bytes() == (tmp_path / "b.trig").read_bytes()
    lines = (tmp_path / "a.nq").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("_:c14n") for line in lines)
    assert ox.Dataset(ox.parse(path=str(tmp_path / "a.trig"), format=ox.RdfFormat.TRIG)).__len__() == len(lines)
