"""``graphkit export`` as a user runs it: every format (real commands, slow), and bad input with
clear errors and no file (in process)."""

import csv
import io
import json
import os
import re
import stat
from concurrent.futures import ThreadPoolExecutor

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from graphkit.namespaces import GK

from ..conftest import ROOT, run_cli
from ..faults import fifo_reader

# Documents 001 and 004 are fully curated (the others grow on the curation branch).
JMML_DOCS = ["--source", "icd10_c93_32_page", "--source", "chang_2004_jmml_second_hsct"]
SEED = ["--seed", "JMML in relapse", "--hops", "2", *JMML_DOCS]        # 40 nodes, 61 edges
SMALL = ["--seed", "JMML relapse after HSCT", "--hops", "1", *JMML_DOCS]   # 8 nodes, 12 edges: quick pictures
FORMATS = {   # format -> output name; _check below reads each output back
    "turtle": "jmml.ttl", "nt": "jmml.nt", "jsonld": "jmml.jsonld", "rdfxml": "jmml.rdf",
    "graphml": "jmml.graphml", "gexf": "jmml.gexf", "cyjs": "jmml.cyjs", "cytoscape": "cytoscape",
    "csv": "csv", "kgx": "kgx",
    "html": "jmml.html", "png": "jmml.png", "svg": "jmml.svg",
}


def test_every_registered_format_is_run_from_the_command_line():
    """A format added to the registry (graphkit/export/registry.py) is in FORMATS below, so the
    slow test runs it as a user would."""
    from graphkit.export import FORMATS as REGISTERED

    assert set(FORMATS) == set(REGISTERED)


def _check(fmt, path):
    if fmt in ("turtle", "nt", "jsonld", "rdfxml"):
        parser = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}[fmt]
        graph = Graph().parse(path, format=parser)
        return len(set(graph.subjects(RDF.type, GK.Evidence))) >= 9
    if fmt == "graphml":
        return nx.read_graphml(path, force_multigraph=True).number_of_nodes() == 8
    if fmt == "gexf":
        return nx.read_gexf(path).number_of_nodes() == 8
    if fmt == "cyjs":
        return nx.cytoscape_graph(json.loads(path.read_text())).number_of_edges() == 12
    if fmt == "cytoscape":
        return nx.cytoscape_graph(json.loads((path / "network.cyjs").read_text())).number_of_nodes() == 8 and \
            (path / "styles.xml").read_text().startswith("<?xml")
    if fmt == "csv":
        return len(list(csv.DictReader(io.StringIO((path / "nodes.csv").read_text())))) == 8
    if fmt == "kgx":       # the 8 nodes after the release's own (a biolink:Dataset)
        rows = list(csv.DictReader(io.StringIO((path / "nodes.tsv").read_text()), delimiter="\t"))
        return len(rows) == 9 and rows[0]["category"] == "biolink:Dataset"
    if fmt == "html":
        return path.read_text().startswith("<!DOCTYPE html>")
    if fmt == "png":
        return path.read_bytes()[:4] == b"\x89PNG"
    if fmt == "svg":
        return "<svg" in path.read_text()
    # a newcomer's new format failed as a picture: say what to do
    raise AssertionError(f"no check for --format {fmt}: add one to _check in tests/commands/test_export.py")


def _run_all(commands):
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda args: run_cli(*args), commands))


@pytest.mark.slow
def test_every_format_from_the_command_line(tmp_path):
    commands = [("export", *SMALL, "--format", fmt, "-o", str(tmp_path / name)) for fmt, name in FORMATS.items()]
    for (fmt, name), result in zip(FORMATS.items(), _run_all(commands)):
        assert result.code == 0, (fmt, result)
        assert "8 nodes, 12 edges" in result.err, result
        assert _check(fmt, tmp_path / name), fmt
    leftovers = [p.name for p in tmp_path.rglob(".*.tmp")]
    assert not leftovers


@pytest.mark.slow
def test_every_format_gives_the_same_bytes_whatever_the_hash_seed(tmp_path):
    """Python's hash seed changes the order of sets from one run to the next: RDF/XML, written by
    rdflib from its store's sets, differed between runs before it was written sorted."""
    runs = [(seed, ("export", "--seed", "JMML in relapse", "--hops", "1", "--include-schema", "--format", fmt,
                    "-o", str(tmp_path / seed / name), "--mkdir"))
            for seed in ("1", "2") for fmt, name in FORMATS.items()]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda run: run_cli(*run[1], env={"PYTHONHASHSEED": run[0]}), runs))
    assert all(r.code == 0 for r in results), [r for r in results if r.code]
    first = {p.relative_to(tmp_path / "1"): p.read_bytes() for p in (tmp_path / "1").rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "2"): p.read_bytes() for p in (tmp_path / "2").rglob("*") if p.is_file()}
    assert len(first) >= len(FORMATS) and first.keys() == second.keys()
    assert [str(path) for path in first if first[path] != second[path]] == []


@pytest.mark.slow
def test_format_from_suffix_stdout_and_the_schema(tmp_path, cli):
    guessed, stdout, schema, listed = [cli(*args) for args in [
        ("export", *SEED, "-o", str(tmp_path / "guessed.graphml")),
        ("export", "--seed", "jmml_relapse_after_hsct", "--hops", "0", "--format", "nt", "-o", "-"),
        ("export", "--schema", "--format", "graphml", "-o", "-"),
        ("export", "--entity", "jmml", "--entity", "fatigue", "--entity", "JMML in relapse", *JMML_DOCS, "-f", "cyjs"),
    ]]
    assert guessed.code == 0 and nx.read_graphml(tmp_path / "guessed.graphml").number_of_nodes() == 45
    assert stdout.code == 0 and stdout.out.startswith("<http")         # N-Triples, sorted
    assert '<https://w3id.org/graphkit/entity/jmml_relapse_after_hsct> <http://www.w3.org/2000/01/rdf-schema#label> ' \
           '"juvenile myelomonocytic leukemia relapsed after hematopoietic stem cell transplantation" .' in stdout.out
    schema_graph = nx.read_graphml(io.StringIO(schema.out), force_multigraph=True)
    assert schema_graph.has_edge("gk:Drug", "gk:Therapy")
    assert listed.code == 0, listed
    edges = {(e["data"]["source"], e["data"]["interaction"], e["data"]["target"])
             for e in json.loads(listed.out)["elements"]["edges"]}
    assert edges == {("jmml_in_relapse", "hasSymptom", "fatigue"), ("jmml_in_relapse", "stateOf", "jmml")}


def test_entities_file_and_construct_file(tmp_path, cli):
    (tmp_path / "list.txt").write_text("# JMML and its relapse\njmml\njuvenile myelomonocytic leukemia, in relapse\n")
    (tmp_path / "q.rq").write_text("CONSTRUCT { ?d gk:hasSymptom ?s } WHERE { ?d gk:hasSymptom ?s }\n")
    listed, constructed = [cli(*args) for args in [
        ("export", "--entities", str(tmp_path / "list.txt"), "-f", "csv", "-o", str(tmp_path / "listed")),
        ("export", "--construct", str(tmp_path / "q.rq"), "--source", "icd10_c93_32_page", "-f", "csv", "-o",
         str(tmp_path / "constructed")),
    ]]
    assert listed.code == 0 and constructed.code == 0, (listed, constructed)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "listed" / "edges.csv").read_text())))
    assert [(r["source"], r["key"], r["target"]) for r in rows] == [("jmml_in_relapse", "stateOf", "jmml")]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "constructed" / "edges.csv").read_text())))
    assert {r["key"] for r in rows} == {"hasSymptom"} and len(rows) == 6


BAD = [   # arguments, expected message
    (["--seed", "JMML in relaps", "--format", "graphml"], "unknown entity 'JMML in relaps'; did you mean 'JMML in relapse' (jmml_in_relapse) or "),
    (["--seed", "jmml", "--format", "pdf"], "unknown format 'pdf'; choose one of turtle, nt, jsonld"),
    (["--seed", "jmml", "--format", "json"], "unknown format 'json' (did you mean cyjs or jsonld?); choose one of "),
    (["--seed", "jmml", "--hops", "-1", "--format", "graphml"], "--hops must be 0 or more, not -1"),
    (["--seed", "jmml", "--hops", "two", "--format", "graphml"], "argument --hops: invalid int value: 'two'"),
    (["--hops", "2", "--format", "graphml"], "--hops applies to --seed"),
    (["--direction", "out", "--format", "graphml"], "--direction out applies to --seed; give a seed entity"),
    (["--construct", "", "--format", "graphml"], "--construct is empty: give a CONSTRUCT or DESCRIBE query"),
    (["--seed", "jmml", "--predicate", "hasSymptoms", "--format", "graphml"], "unknown predicate 'hasSymptoms'"),
    (["--seed", "jmml", "--type", "Drugg", "--format", "graphml"], "unknown type 'Drugg'"),
    (["--construct", "SELECT * WHERE { ?s ?p ?o }", "--format", "graphml"], "got a SELECT query"),
    (["--construct", "CONSTRUCT { ?s ?p }", "--format", "graphml"], "malformed SPARQL"),
    (["--seed", "jmml"], "give --format (one of turtle"),
    (["--seed", "jmml", "--source", "chang2004", "--format", "graphml"], "unknown source 'chang2004'"),
    (["--with-subtypes", "--format", "graphml"], "--with-subtypes applies to --seed and --entity"),
]


@pytest.mark.parametrize("index", range(len(BAD)))
@pytest.mark.slow
def test_bad_input_exits_2_and_writes_nothing(index, tmp_path, cli):
    args, message = BAD[index]
    target = tmp_path / "out.data"
    result = cli("export", *args, "-o", str(target))
    assert result.code == 2, result
    assert message in result.err, result
    assert not target.exists() and not list(tmp_path.iterdir()), "no partial file"


def test_output_that_cannot_be_written_as_asked(tmp_path, cli):
    (tmp_path / "afile").write_text("x")
    png_stdout, csv_onto_file, graphml_onto_dir = [cli(*args) for args in [
        ("export", "--seed", "jmml", "--format", "png", "-o", "-"),
        ("export", "--seed", "jmml", "--format", "csv", "-o", str(tmp_path / "afile")),
        ("export", "--seed", "jmml", "--format", "graphml", "-o", str(tmp_path)),
    ]]
    assert png_stdout.code == 2 and "--format png needs -o FILE" in png_stdout.err
    assert csv_onto_file.code == 2 and "-o must be a directory" in csv_onto_file.err
    assert graphml_onto_dir.code == 2 and "is a directory" in graphml_onto_dir.err
    assert (tmp_path / "afile").read_text() == "x"


def test_a_format_of_several_files_onto_a_file_named_for_another_is_one_line_and_leaves_it(tmp_path, cli):
    """-f csv -o old.graphml (an existing file) first noted "old.graphml is written as csv",
    which it was not, then loaded and rendered the graph before it refused the file."""
    existing = tmp_path / "old.graphml"
    existing.write_text("x")
    result = cli("export", "--seed", "jmml", "-f", "csv", "-o", str(existing))
    assert (result.code, result.err) == (2, f"graphkit export: --format csv writes nodes.csv and edges.csv: -o must "
                                            f"be a directory, and {existing} is a file\n"), result
    assert existing.read_text() == "x" and [p.name for p in tmp_path.iterdir()] == ["old.graphml"]


def test_a_predicate_with_scope_is_no_unknown_predicate(cli, tmp_path):
    """--scope maintenance --predicate hasSymptom: no symptom is stated for the maintenance phase,
    which said "unknown predicate 'hasSymptom' (not used by any edge)", of the release's most used
    predicates; with treatedWith, the edges the two filters keep."""
    result = cli("export", "--scope", "maintenance", "--predicate", "hasSymptom", "-f", "csv", "-o", str(tmp_path / "s"))
    assert (result.code, result.err) == (2, "graphkit export: the selection is empty (no edge of hasSymptom scoped to "
                                            "maintenance): nothing to export\n"), result
    kept = cli("export", "--scope", "maintenance", "--predicate", "treatedWith", "-f", "csv", "-o", str(tmp_path / "t"))
    assert kept.code == 0, kept
    rows = list(csv.DictReader(io.StringIO((tmp_path / "t" / "edges.csv").read_text(encoding="utf-8"))))
    assert rows and {r["key"] for r in rows} == {"treatedWith"}
    assert all("maintenance" in r["in_phase"].split("|") for r in rows)


def test_a_predicate_only_the_reasoner_gives_says_to_include_inferred_edges(cli):
    """symptomOf (the inverse of the stated hasSymptom) is on inferred edges only: the message had
    been 'unknown predicate ... did you mean hasSymptom'."""
    result = cli("export", "--seed", "jmml", "--predicate", "symptomOf", "--format", "graphml")
    assert result.code == 2 and result.err.strip().endswith(
        "predicate 'symptomOf' is on the reasoner's edges only (an inverse or a broader property of stated ones): "
        "add --include-inferred"), result
    typo = cli("export", "--seed", "jmml", "--predicate", "hasSymptoms", "--format", "graphml")
    assert typo.code == 2 and "unknown predicate 'hasSymptoms' (not used by any edge); did you mean 'hasSymptom'?" in typo.err
    assert cli("export", "--seed", "jmml", "--predicate", "symptomOf", "--include-inferred", "--format", "graphml").code == 0
    by_label = cli("export", "--seed", "jmml", "--predicate", "symptom of", "--format", "graphml")
    assert by_label.code == 2 and "predicate 'symptom of' is on the reasoner's edges only" in by_label.err
    value = cli("export", "--seed", "jmml", "--predicate", "note", "--format", "graphml")      # text values: no edges
    assert value.code == 2 and "unknown predicate 'note' (not used by any edge)" in value.err, value


def test_a_one_file_format_onto_a_path_ending_in_a_slash_is_refused(tmp_path, cli):
    """-f graphml -o newdir/ (newdir missing) wrote a file named newdir: Path() drops the slash that
    says a directory was meant."""
    result = cli("export", "--seed", "jmml", "--format", "graphml", "-o", f"{tmp_path / 'newdir'}/")
    assert result.code == 2 and "is a directory; give a file name for --format graphml" in result.err, result
    assert not (tmp_path / "newdir").exists()


def test_an_empty_output_is_refused_not_read_as_standard_output(cli):
    """-o "$OUT" with OUT unset wrote the export to standard output, as no -o does."""
    for fmt in ("graphml", "csv"):
        result = cli("export", "--seed", "jmml", "-f", fmt, "-o", "")
        assert (result.code, result.out, result.err) == (2, "", "graphkit export: -o is empty; give a file or directory "
                                                                "name, or - for standard output\n"), result


def test_a_format_the_suffix_contradicts_is_noted(tmp_path, cli):
    result = cli("export", "--seed", "jmml", "-f", "graphml", "-o", str(tmp_path / "j.svg"))
    assert result.code == 0 and result.err.startswith(
        f"graphkit export: note: {tmp_path / 'j.svg'} is written as graphml (--format graphml), though its suffix is svg's\n")
    assert (tmp_path / "j.svg").read_text().startswith("<?xml") and "<graphml" in (tmp_path / "j.svg").read_text()


def test_a_typed_walk_names_the_nodes_of_its_type_it_leaves_out(tmp_path, cli):
    """--seed jmml --hops 2 --type Drug gave the seed alone and said nothing: the drug two hops
    away is reached through JMML in relapse, a disease state, which --type leaves out of the path."""
    result = cli("export", "--seed", "jmml", "--hops", "2", "--type", "Drug", "-f", "csv", "-o", str(tmp_path / "d"))
    assert result.code == 0 and result.err.splitlines()[0] == (
        "graphkit export: note: 1 more node(s) of type Drug within 2 hop(s) are reached only through nodes of other "
        "types, which --type leaves out of the path: pain_relief_medication (without --type they are in)")
    assert "1 node, 0 edges" in result.err.splitlines()[1]


@pytest.mark.slow
def test_a_filter_that_leaves_the_seed_alone_says_so_whatever_the_filter(tmp_path, cli):
    """--seed jmml --type Drug (no drug within the hop, none beyond another type either) gave the
    seed alone and said nothing, where --predicate and --source said "the selection is the seed
    alone"; with --include-schema the seed's classes hid that from the check too."""
    typed = cli("export", "--seed", "jmml", "--type", "Drug", "-f", "csv", "-o", str(tmp_path / "t"))
    assert typed.code == 0 and typed.err.splitlines()[0] == (
        "graphkit export: note: jmml has no edge with a node of type Drug: the selection is the seed alone")
    both = cli("export", "--seed", "jmml", "--type", "Drug", "--predicate", "hasSymptom", "-f", "csv",
               "-o", str(tmp_path / "b"))
    assert both.code == 0 and both.err.splitlines()[0] == (
        "graphkit export: note: jmml has no edge of hasSymptom with a node of type Drug: the selection is the seed "
        "alone")
    classes = cli("export", "--seed", "jmml", "--predicate", "hasSymptom", "--include-schema", "-f", "csv",
                  "-o", str(tmp_path / "c"))
    assert classes.code == 0 and classes.err.splitlines()[0] == (
        "graphkit export: note: jmml has no edge of hasSymptom: the selection is the seed alone")
    assert "4 nodes, 3 edges" in classes.err           # the seed with its classes (instanceOf, subClassOf)


def test_an_empty_entity_list_is_not_the_whole_graph(tmp_path, cli):
    (tmp_path / "none.txt").write_text("# nothing yet\n\n", encoding="utf-8")
    result = cli("export", "--entities", str(tmp_path / "none.txt"), "-f", "graphml", "-o", str(tmp_path / "g.graphml"))
    assert result.code == 2 and result.err == (f"graphkit export: --entities {tmp_path / 'none.txt'} names no entity "
                                               f"(one a line; # starts a comment)\n")
    assert not (tmp_path / "g.graphml").exists()


def test_an_entity_list_with_a_byte_order_mark_and_an_unknown_name_on_line_3(tmp_path, cli):
    listed = tmp_path / "entities.txt"
    listed.write_bytes("\ufeffjmml\n# the symptom\nfatigue\n".encode("utf-8"))
    ok = cli("export", "--entities", str(listed), "-f", "csv", "-o", str(tmp_path / "ok"))
    assert ok.code == 0 and "2 nodes" in ok.err, ok
    listed.write_text("jmml\n\njmml,fatigue\n", encoding="utf-8")
    bad = cli("export", "--entities", str(listed), "-f", "csv", "-o", str(tmp_path / "bad"))
    assert bad.code == 2 and bad.err == f"{listed}:3: unknown entity 'jmml,fatigue'; did you mean 'fatigue'?\n", bad
    assert not (tmp_path / "bad").exists()


def test_a_file_name_for_a_format_of_several_files_is_refused(tmp_path, cli):
    """-f csv -o x.csv used to make a directory named x.csv; -o x.csv alone said only "give --format"."""
    with_format, without = [cli("export", "--seed", "jmml", *args) for args in [
        ("-f", "csv", "-o", str(tmp_path / "x.csv")), ("-o", str(tmp_path / "x.tsv"))]]
    assert with_format.code == 2 and with_format.err.count("\n") == 1, with_format
    assert (f"--format csv writes nodes.csv and edges.csv into a directory, and -o {tmp_path / 'x.csv'} names a "
            f"file; give a directory (-o {tmp_path / 'x'}/)") in with_format.err
    assert without.code == 2 and "--format kgx writes nodes.tsv and edges.tsv into a directory; give -f kgx -o DIR" \
        in without.err, without
    assert not list(tmp_path.iterdir())


@pytest.fixture
def mini_export(cli, mini_built):
    """``graphkit export --seed jmml ARGS`` on the mini project (small: quick)."""
    return lambda *args: cli("export", "--seed", "jmml", *args, root=mini_built.root)


def test_output_is_written_through_to_what_is_not_a_regular_file(tmp_path, cli, mini_built, mini_export):
    """-o never replaces a device, a FIFO or a symbolic link; a write error is one line, exit 3."""
    full = mini_export("--format", "turtle", "-o", "/dev/full")
    assert full.code == 3 and full.err == "graphkit export: cannot write /dev/full: No space left on device\n", full
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    mappings = cli("export-mappings", "--no-labels", "-o", "/dev/full", root=mini_built.root)
    assert mappings.code == 3 and "cannot write /dev/full: No space left on device" in mappings.err
    assert mini_export("--format", "nt", "-o", "/dev/null").code == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    with fifo_reader(tmp_path / "pipe") as received:
        assert mini_export("--format", "nt", "-o", str(tmp_path / "pipe")).code == 0
    assert received[0].count(b"\n") > 10 and stat.S_ISFIFO((tmp_path / "pipe").stat().st_mode)
    real, link = tmp_path / "real.nt", tmp_path / "link.nt"
    real.write_text("old\n")
    real.chmod(0o640)
    link.symlink_to(real.name)
    assert mini_export("--format", "nt", "-o", str(link)).code == 0
    assert link.is_symlink() and real.read_text() != "old\n" and stat.S_IMODE(real.stat().st_mode) == 0o640


def test_a_missing_output_directory_needs_mkdir(tmp_path, cli, mini_built, mini_export):
    typo = tmp_path / "exprots" / "jmml.nt"
    result = mini_export("--format", "nt", "-o", str(typo))
    assert result.code == 3 and result.err == (f"graphkit export: cannot write {typo}: the directory {typo.parent} "
                                               f"does not exist (--mkdir creates it)\n")
    assert not typo.parent.exists()
    csv_dir = mini_export("--format", "csv", "-o", str(tmp_path / "missing" / "csv"))
    assert csv_dir.code == 3 and "does not exist (--mkdir creates it)" in csv_dir.err
    assert mini_export("--format", "csv", "-o", str(tmp_path / "csv")).code == 0          # the leaf is made
    assert mini_export("--format", "nt", "-o", str(typo), "--mkdir").code == 0 and typo.exists()
    mappings = cli("export-mappings", "--no-labels", "-o", str(tmp_path / "sssom" / "m.tsv"), root=mini_built.root)
    assert mappings.code == 3 and "(--mkdir creates it)" in mappings.err


def test_the_files_of_one_export_are_written_together_or_not_at_all(tmp_path, mini_export):
    """When one file of a two-file format cannot be written, the other is neither written nor
    replaced: before, nodes.csv was left beside a failed edges.csv, and kgx replaced an old
    nodes.tsv."""
    (tmp_path / "csv" / "edges.csv").mkdir(parents=True)
    failed = mini_export("--format", "csv", "-o", str(tmp_path / "csv"))
    assert failed.code == 3 and failed.err == (f"graphkit export: cannot write {tmp_path / 'csv' / 'edges.csv'}: it "
                                               f"exists and is not a regular file; nothing was written\n"), failed
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == ["edges.csv"]
    kgx = tmp_path / "kgx"
    assert mini_export("--format", "kgx", "-o", str(kgx)).code == 0
    (kgx / "nodes.tsv").write_text("old\n")
    (kgx / "edges.tsv").unlink()
    (kgx / "edges.tsv").mkdir()
    assert mini_export("--format", "kgx", "-o", str(kgx)).code == 3
    assert (kgx / "nodes.tsv").read_text() == "old\n" and not list(kgx.glob(".*"))


def test_ctrl_c_while_the_files_are_renamed_leaves_them_all_new_and_says_so(tmp_path, monkeypatch, capsys):
    """Ctrl-C between the renames of a two-file export had left a new nodes.tsv beside an old
    edges.tsv, and the staged file behind; it is now held until every file is in place, and the
    message says they were written."""
    import signal

    from graphkit import cli
    from graphkit.export import files

    for name in ("nodes.tsv", "edges.tsv"):
        (tmp_path / name).write_text("old\n")
    replace = os.replace

    def replace_then_ctrl_c(source, target):
        replace(source, target)
        os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(files.os, "replace", replace_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt) as raised:
        files.write_together({tmp_path / "nodes.tsv": "new nodes\n", tmp_path / "edges.tsv": "new edges\n"})
    assert [(tmp_path / name).read_text() for name in ("nodes.tsv", "edges.tsv")] == ["new nodes\n", "new edges\n"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edges.tsv", "nodes.tsv"]
    assert cli.interrupted_exit(raised.value) == 130
    assert capsys.readouterr().err == (f"interrupted after {tmp_path / 'nodes.tsv'}, {tmp_path / 'edges.tsv'} "
                                       f"were written in full\n")


def test_the_exports_state_the_release_as_release_yaml_declares_it(mini, cli, tmp_path):
    """The licence, version and title a KGX or GraphML export states come from the release's
    declaration (ontology/release.yaml, through the built release's header), not from graphkit's
    code: another declaration, built, is what the exports state."""
    declared = {"version": "0.2.0-rc.1", "title": "a mini release",
                "license": "https://creativecommons.org/publicdomain/zero/1.0/"}
    text = mini.release_config.read_text(encoding="utf-8")
    for field, value in declared.items():
        text, replaced = re.subn(rf"(?m)^  {field}: .*$", f"  {field}: {value}", text, count=1)
        assert replaced == 1, field
    mini.release_config.write_text(text, encoding="utf-8")
    assert cli("build", root=mini.root).code == 0
    kgx = cli("export", "--seed", "jmml", "--format", "kgx", "-o", str(tmp_path / "kgx"), root=mini.root)
    assert kgx.code == 0, kgx
    release = next(csv.DictReader(io.StringIO((tmp_path / "kgx" / "nodes.tsv").read_text()), delimiter="\t"))
    assert (release["id"], release["name"], release["version"], release["license"], release["xref"]) == (
        "gkrelease:0.2.0-rc.1", "a mini release", "0.2.0-rc.1", declared["license"],
        "https://w3id.org/graphkit/releases/0.2.0-rc.1/all")
    graphml = cli("export", "--seed", "jmml", "--format", "graphml", "-o", "-", root=mini.root)
    back = nx.read_graphml(io.StringIO(graphml.out))
    assert {key: back.graph[key] for key in declared} == declared


def test_a_selection_without_edges_gives_files_with_their_header(tmp_path, mini_export):
    """pandas and kgx read an edges file with a header and no rows; an empty file they refuse."""
    csv_run, kgx_run = (mini_export("--hops", "0", "--format", fmt, "-o", str(tmp_path / fmt)) for fmt in ("csv", "kgx"))
    assert csv_run.code == 0 and kgx_run.code == 0
    assert csv_run.err.startswith("graphkit export: 1 node, 0 edges (0 hop(s) around jmml)"), csv_run
    assert (tmp_path / "csv" / "edges.csv").read_text() == (
        "id,source,target,key,predicate,label,evidence_count,sources,source_documents,certainty,frequency,quotes\n")
    assert (tmp_path / "kgx" / "edges.tsv").read_text() == (
        "id\tsubject\tpredicate\tobject\tcategory\tknowledge_level\tagent_type\tprimary_knowledge_source\t"
        "publications\tsupporting_text\toriginal_predicate\toriginal_subject\toriginal_object\n")
    assert [row["id"] for row in csv.DictReader(io.StringIO((tmp_path / "csv" / "nodes.csv").read_text()))] == ["jmml"]


@pytest.mark.slow
def test_export_shows_its_stages_on_standard_error_only_when_asked(cli):
    """The stages (load, view, selection, writing) as a bar on standard error, on a terminal or
    with --progress (or GRAPHKIT_PROGRESS=1); standard output, the export itself, is the same."""
    quiet, shown, by_env = (cli("export", *SMALL, "--format", "nt", "-o", "-", *extra, env=env) for extra, env in
                            [((), None), (("--progress",), None), ((), {"GRAPHKIT_PROGRESS": "1"})])
    assert quiet.code == shown.code == by_env.code == 0, (quiet, shown)
    assert shown.out == quiet.out == by_env.out and "\n<https://w3id.org/graphkit/entity/" in quiet.out
    assert "\r" not in quiet.err and quiet.err.splitlines()[-1].startswith("graphkit export: 8 nodes, 12 edges")
    for result in (shown, by_env):
        drawn = result.err.split("\r")
        for stage in ("export: loading the graph", "export: building the view", "export: selecting",
                      "export: writing nt"):
            assert any(part.startswith(stage) for part in drawn), (stage, result.err)
        assert "export: writing nt [##############################] 4/4" in result.err
        assert result.err.splitlines()[-1].startswith("graphkit export: 8 nodes, 12 edges")   # the summary after the bar


def test_a_seed_named_by_a_name_is_said_as_the_entity_it_was_read_as(tmp_path):
    """"around ALL" did not say which entity ALL was taken for; "leukaemia" was unknown."""
    result = run_cli("export", "--seed", "ALL", "--seed", "acute lymphoblastic leukaemia", "--hops", "0",
                     "--format", "csv", "-o", str(tmp_path / "out"), "--mkdir")
    assert result.code == 0, result
    assert result.err.splitlines()[:2] == [
        "graphkit export: note: seed 'ALL' is acute lymphoblastic leukemia (acute_lymphoblastic_leukemia)",
        "graphkit export: note: seed 'acute lymphoblastic leukaemia' is acute lymphoblastic leukemia "
        "(acute_lymphoblastic_leukemia)"]
    named = run_cli("export", "--seed", "jmml", "--hops", "0", "--format", "csv", "-o", str(tmp_path / "j"), "--mkdir")
    assert named.code == 0 and "note" not in named.err, named


def test_a_seed_may_be_a_bare_icd10_code_as_query_parameters_take_it(tmp_path):
    """`export --seed C93.32` was an unknown entity while `query --param disease=C93.32` read it
    in ICD-10-CM. A code with a node of its own is that node; one only carried as a mapping
    (C91.0) names the entity that carries it; a code that is neither stays unknown."""
    coded = run_cli("export", "--seed", "C93.32", "--hops", "1", "--format", "csv", "-o", str(tmp_path / "c"), "--mkdir")
    assert coded.code == 0, coded
    assert coded.err.splitlines()[0] == ("graphkit export: note: seed 'C93.32' is Juvenile myelomonocytic leukemia, "
                                         "in relapse (ICD10CM:C93.32)")
    mapped = run_cli("export", "--seed", "c91.0", "--hops", "0", "--format", "csv", "-o", str(tmp_path / "m"), "--mkdir")
    assert mapped.code == 0, mapped
    assert mapped.err.splitlines()[0] == ("graphkit export: note: seed 'c91.0' is acute lymphoblastic leukemia "
                                          "(acute_lymphoblastic_leukemia)")
    unknown = run_cli("export", "--seed", "C99.9", "--format", "csv", "-o", str(tmp_path / "u"), "--mkdir")
    assert unknown.code == 2 and unknown.err.strip() == "graphkit export: unknown entity 'C99.9'", unknown


def test_the_summary_gives_the_rows_each_table_file_holds(tmp_path):
    """The KGX summary said 866 nodes, 1,805 edges while the files held 813 and 1,642 rows (a
    quantity or route is a column, parallel edges one row): an analyst checking the load was misled."""
    result = run_cli("export", "--format", "kgx", "-o", str(tmp_path / "kgx"), "--mkdir")
    assert result.code == 0, result
    counted = {}
    for name in ("nodes.tsv", "edges.tsv"):
        with open(tmp_path / "kgx" / name, encoding="utf-8", newline="") as handle:
            counted[name] = sum(1 for _ in csv.reader(handle, delimiter="\t")) - 1
    summary = result.err.splitlines()[-1]
    assert (f"-> kgx: {tmp_path / 'kgx' / 'nodes.tsv'} ({counted['nodes.tsv']:,} rows), "
            f"{tmp_path / 'kgx' / 'edges.tsv'} ({counted['edges.tsv']:,} rows)") in summary, summary
    assert counted["edges.tsv"] < int(summary.split(" nodes, ")[1].split(" edges")[0].replace(",", ""))
    docs = " ".join((ROOT / "docs" / "export.md").read_text(encoding="utf-8").split())     # the example it gives
    shown = summary.split("graphkit export: ", 1)[1].split(" [load")[0].replace(str(tmp_path) + "/", "")
    assert f"`{shown}`" in docs, shown


def test_gexf_reads_as_a_multigraph_only_with_parallel_edges_as_the_docs_say(tmp_path):
    """docs/export.md said read_gexf keeps the predicate as the key; networkx gives a DiGraph
    (no keys) when no two edges share their ends, as for document 004 alone."""
    one = run_cli("export", "--source", "chang_2004_jmml_second_hsct", "--format", "gexf", "-o", str(tmp_path / "c.gexf"))
    both = run_cli("export", "--seed", "jmml_in_relapse", "--hops", "2", "--format", "gexf", "-o", str(tmp_path / "j.gexf"))
    assert one.code == both.code == 0, (one, both)
    single, multi = nx.read_gexf(tmp_path / "c.gexf"), nx.read_gexf(tmp_path / "j.gexf")
    assert type(single) is nx.DiGraph and type(multi) is nx.MultiDiGraph
    assert {d["predicate"] for *_, d in single.edges(data=True)} >= {"gk:cohortSize"}
    assert multi.edges["jmml_in_relapse", "fatigue", "hasSymptom"]["predicate"] == "gk:hasSymptom"


def test_listed_entities_take_external_identifiers_as_seeds_do(tmp_path, cli):
    """`--seed HP:0001945` was fever, `--entity HP:0001945` an unknown entity."""
    (tmp_path / "ids.txt").write_text("HP:0001945\nMONDO:0011908  # JMML\n", encoding="utf-8")
    result = cli("export", "--entity", "HP:0001945", "--entities", str(tmp_path / "ids.txt"), "-f", "csv",
                 "-o", str(tmp_path / "out"))
    assert result.code == 0, result
    assert result.err.splitlines()[:3] == [
        "graphkit export: note: entity 'HP:0001945' is fever (fever)",
        "graphkit export: note: entity 'HP:0001945' is fever (fever)",
        "graphkit export: note: entity 'MONDO:0011908' is juvenile myelomonocytic leukemia (jmml)"]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "nodes.csv").read_text())))
    assert sorted(r["id"] for r in rows) == ["fever", "jmml"]


@pytest.mark.slow
def test_the_schema_comes_along_with_a_selection(tmp_path, cli):
    """--include-schema added one class to a seed's neighbourhood (the one a hop away) and none to
    an entity list: a class is no step of a walk; the classes of the selected entities, and theirs,
    come along."""
    listed = cli("export", "--entity", "jmml", "--entity", "fatigue", "--include-schema", "-f", "csv",
                 "-o", str(tmp_path / "listed"))
    assert listed.code == 0, listed
    edges = {(r["source"], r["key"], r["target"])
             for r in csv.DictReader(io.StringIO((tmp_path / "listed" / "edges.csv").read_text()))}
    assert {("jmml", "instanceOf", "gk:Disease"), ("fatigue", "instanceOf", "gk:Phenotype")} <= edges
    assert all(k in ("instanceOf", "subClassOf") for _, k, _ in edges)
    plain, schema = (cli("export", "--seed", "jmml_in_relapse", *extra, "-f", "csv", "-o", str(tmp_path / name))
                     for name, extra in (("plain", ()), ("schema", ("--include-schema",))))
    entities = {r["id"] for r in csv.DictReader(io.StringIO((tmp_path / "plain" / "nodes.csv").read_text()))}
    nodes = list(csv.DictReader(io.StringIO((tmp_path / "schema" / "nodes.csv").read_text())))
    assert {r["id"] for r in nodes if r["type"] != "Class"} == entities        # the walk is the same
    assert {"gk:DiseaseInState", "gk:Disease", "gk:Phenotype", "gk:Drug"} <= {r["id"] for r in nodes}


@pytest.mark.slow
def test_what_a_selection_leaves_out_or_ignores_is_noted(tmp_path, cli):
    inferred = cli("export", "--construct", "CONSTRUCT { ?d gk:treatedWith ?t } WHERE { gke:jmml gk:treatedWith ?t "
                   "BIND(gke:jmml AS ?d) }", "-f", "csv", "-o", str(tmp_path / "c"))
    assert inferred.code == 0 and inferred.err.splitlines()[0] == (
        "graphkit export: note: 1 triple of the CONSTRUCT answer between nodes of the view is no edge of it and left "
        "out (the view's edges are the asserted statements; --include-inferred adds the inferred ones)"), inferred
    with_inferred = cli("export", "--construct", "CONSTRUCT { gke:jmml gk:treatedWith ?t } WHERE { gke:jmml "
                        "gk:treatedWith ?t }", "--include-inferred", "-f", "csv", "-o", str(tmp_path / "i"))
    assert with_inferred.code == 0 and "note" not in with_inferred.err and "2 nodes, 1 edge " in with_inferred.err
    none = cli("export", "--seed", "jmml", "--predicate", "has symptom", "--source", "003", "--title", "T", "-f", "csv",
               "-o", str(tmp_path / "n"))
    assert none.code == 0 and none.err.splitlines()[:2] == [
        "graphkit export: note: --title applies to pictures (html, png, svg), not csv: ignored",
        "graphkit export: note: jmml has no edge of hasSymptom stated by nci_pdq_childhood_all: the selection is the "
        "seed alone"]
    schema = cli("export", "--schema", "--seed", "jmml", "-f", "csv", "-o", str(tmp_path / "s"))
    assert schema.code == 2 and "the schema's nodes are its classes (gk:Disease, Drug ...)" in schema.err
    # The schema view is the same whatever the entities' view would add: they were ignored unsaid.
    options = cli("export", "--schema", "--include-provenance", "--quantities", "attributes", "-f", "csv",
                  "-o", str(tmp_path / "o"))
    assert options.code == 0 and options.err.splitlines()[:2] == [
        f"graphkit export: note: {option} applies to the entities' view, not to --schema (its classes and "
        "properties): ignored" for option in ("--include-provenance", "--quantities attributes")], options


@pytest.mark.parametrize("args", [
    ("export", "--seed", "jmml", "-o", "ontology/all.ttl"),
    ("export-mappings", "-o", "ontology/curation/entities/diseases.yaml"),
    ("dump", "-o", "sources/release.nq"),
    ("export", "--seed", "jmml", "--format", "csv", "-o", "queries"),
])
def test_an_output_into_the_projects_own_files_is_refused(mini, cli, args):
    """`export --seed jmml -o ontology/all.ttl` replaced the release with a 15-node subgraph."""
    before = {p: p.read_bytes() for folder in ("ontology", "sources") for p in (mini.root / folder).rglob("*")
              if p.is_file()}
    target = str(mini.root / args[-1])
    result = cli(*args[:-1], target, root=mini.root)
    assert result.code == 2 and "refusing to write into" in result.err, result
    after = {p: p.read_bytes() for folder in ("ontology", "sources") for p in (mini.root / folder).rglob("*")
             if p.is_file()}
    assert after == before


def test_an_output_over_a_product_the_cache_or_the_commands_own_input_is_refused(mini, cli, tmp_path):
    """`export -o docs/coverage.md` replaced a release product outside ontology/, and `export
    --entities list.txt -o list.txt` the list it had read; both with exit 0."""
    coverage = mini.root / "docs" / "coverage.md"
    before = coverage.read_bytes()
    result = cli("export", "--seed", "jmml", "-f", "ttl", "-o", str(coverage), root=mini.root)
    assert result.code == 2 and "refusing to write over docs/coverage.md, a product of the release" in result.err
    assert coverage.read_bytes() == before
    listed = tmp_path / "list.txt"
    listed.write_text("jmml\n", encoding="utf-8")
    result = cli("export", "--entities", str(listed), "-f", "ttl", "-o", str(listed), root=mini.root)
    assert result.code == 2 and f"refusing to write over {listed}, which this command reads" in result.err
    assert listed.read_text(encoding="utf-8") == "jmml\n"
    result = cli("export", "--seed", "jmml", "-f", "ttl", "-o", str(mini.cache_dir / "x.ttl"), root=mini.root)
    assert result.code == 2 and "refusing to write into the cache" in result.err


def test_the_schema_comes_along_whatever_the_filters(tmp_path, cli):
    """With --predicate, --include-schema had added no class (the filter dropped the instanceOf
    edges); with --type, the seed's own class was missing and a class was counted among the
    nodes the typed walk left out."""
    result = cli("export", "--seed", "vincristine", "--predicate", "hasAdverseEffect", "--include-schema", "-f", "csv",
                 "-o", str(tmp_path / "p"))
    nodes = {r["id"] for r in csv.DictReader(io.StringIO((tmp_path / "p" / "nodes.csv").read_text()))}
    assert result.code == 0 and {"vincristine", "gk:Drug", "gk:Therapy", "gk:Phenotype"} <= nodes, result
    typed = cli("export", "--seed", "jmml", "--hops", "2", "--type", "Therapy", "--include-schema", "-f", "csv",
                "-o", str(tmp_path / "t"))
    nodes = {r["id"] for r in csv.DictReader(io.StringIO((tmp_path / "t" / "nodes.csv").read_text()))}
    assert typed.code == 0 and "gk:Disease" in nodes and "gk:Drug" not in typed.err.splitlines()[0], typed


@pytest.mark.slow
def test_validate_reads_an_export_in_each_rdf_format_as_the_turtle_one(tmp_path, cli):
    """`graphkit export --seed jmml -o jmml.owl`, then `graphkit validate jmml.owl`: "not valid
    Turtle (column 1): Invalid IRI code point ' '", exit 2; the JSON-LD export likewise. Every RDF
    format of one selection gives the Turtle export's report; a broken RDF/XML file is one line
    naming it and its syntax."""
    reports = {}
    for name in ("part.ttl", "part.nt", "part.jsonld", "part.owl", "part.rdf"):
        assert cli("export", "--seed", "jmml", "-o", str(tmp_path / name)).code == 0
        checked = cli("validate", str(tmp_path / name), "--level", "info", "--format", "csv")
        assert checked.code == 0, checked
        reports[name] = checked.out
    assert reports["part.ttl"].count("\n") > 1 and all(r == reports["part.ttl"] for r in reports.values())
    broken = tmp_path / "broken.owl"
    broken.write_text((tmp_path / "part.owl").read_text(encoding="utf-8").replace("<rdf:RDF", "<rdf:RDF <", 1),
                      encoding="utf-8")
    result = cli("validate", str(broken))
    assert result.code == 2 and result.err.startswith(f"graphkit validate: {broken}: not valid RDF/XML: ") \
        and result.err.count("\n") == 1, result


@pytest.mark.parametrize("selection", [["--entity", "childhood_all"], ["--seed", "JMML in relapse", "--hops", "2"]])
@pytest.mark.slow
def test_an_export_passes_the_projects_own_checks(tmp_path, cli, selection):
    """`graphkit validate` of an export of childhood ALL found 4 violations: evidence a
    disagreement named without its statement, and a population the evidence named that the
    export did not define; and one of the header rules once the export had its own header. Two
    hops around JMML in relapse found 12: the periods, lines of therapy and states its evidence
    names had their labels only, so no value of gk:duringPeriod was a gk:TimePeriod."""
    out = tmp_path / "part.ttl"
    assert cli("export", *selection, "-f", "turtle", "-o", str(out)).code == 0
    checked = cli("validate", str(out), "--level", "violation", "--format", "csv")
    assert checked.code == 0 and checked.out.splitlines()[1:] == [], checked.out


def test_a_title_no_xml_can_hold_is_refused(cli, tmp_path):
    """`--title` with a control character had given an SVG that is no XML (the title is written
    into a comment), exit 0."""
    result = cli("export", "--seed", "jmml", "-f", "svg", "--title", "a\x01b", "-o", str(tmp_path / "x.svg"))
    assert (result.code, result.err) == (2, "graphkit export: --title 'a\\x01b' holds a control character, which a "
                                            "picture's title cannot hold\n"), result
    assert not (tmp_path / "x.svg").exists()


@pytest.mark.parametrize("word, suggested", [
    # 'brain_tumor' was named by its id, where a catalogue parameter names it 'brain tumor'
    ("blinatumomb", "'blinatumomab' or 'brain tumor' (brain_tumor)"),
    ("leukmia", "'leukemia' or 'CNS leukemia' (cns_leukemia) or 'leukopenia'"),
])
def test_a_seed_that_names_nothing_is_suggested_what_a_parameter_of_any_kind_is(cli, tmp_path, word, suggested):
    """A seed may be of any kind: its suggestions are the entities a catalogue parameter of no kind
    (describe-entity's) suggests, in its order and by its names, each with its id."""
    seed = cli("export", "--seed", word, "--format", "csv", "-o", str(tmp_path / "out"))
    assert seed.code == 2 and seed.err == f"graphkit export: unknown entity {word!r}; did you mean {suggested}?\n", seed
    param = cli("query", "describe-entity", "--param", f"entity={word}")
    named = re.findall(r"'([^']+)'", param.err.split("did you mean ")[1])
    assert [n for n in re.findall(r"'([^']+)'", suggested)] == [n for n in named if n != "BLINCYTO"]   # blinatumomab's synonym
