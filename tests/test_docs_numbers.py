"""Numbers the documentation states about the release, checked against the release, so they
never go stale: the triples and named graphs `graphkit serve` prints (docs/serving.md), the node
and edge counts of the export timings (docs/export.md), and the commands in the picture
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


def _export_counts(cli, *selection: str, tmp_path) -> tuple[int, int]:
    result = cli("export", *selection, "--format", "csv", "-o", str(tmp_path / "out"), "--mkdir")
    assert result.code == 0, result
    found = re.search(r"graphkit export: (\d+) nodes, (\d+) edges", result.err)
    return int(found.group(1)), int(found.group(2))


def test_export_counts_in_the_docs_are_the_releases(cli, tmp_path):
    text = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    stated = re.search(r"The whole graph is now ([\d,]+) nodes and ([\d,]+) edges; two hops around JMML in relapse "
                       r"stated by\s+documents 001 and 004 are (\d+) nodes and (\d+) edges", text)
    assert stated, "docs/export.md no longer states the current counts"
    whole = _export_counts(cli, tmp_path=tmp_path / "whole")
    hops = _export_counts(cli, "--seed", "JMML in relapse", "--hops", "2", "--source", "icd10_c93_32_page",
                          "--source", "chang_2004_jmml_second_hsct", tmp_path=tmp_path / "hops")
    assert tuple(_count(g) for g in stated.groups()) == (*whole, *hops)


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
