"""The format registry: every format registers itself once, renders a selection, and is found
by its name, aliases and file suffixes; a new format is one module that registers."""

from __future__ import annotations

import re

import pytest

from graphkit import export
from graphkit.export import FORMATS, Context, Format, format_for_path, format_named, register, render
from graphkit.export import registry
from graphkit.nxview import SelectionError
from graphkit.select import Selection, select


@pytest.fixture(scope="module")
def small(mini_view):
    return select(mini_view, Selection(seeds=["jmml"], hops=1))


def test_the_formats_in_their_order():
    assert list(FORMATS) == ["turtle", "nt", "jsonld", "rdfxml", "graphml", "gexf", "cyjs", "cytoscape", "csv", "kgx",
                             "html", "png", "svg"]


def test_docs_export_lists_every_format_in_its_table_of_formats(project):
    """docs/export.md's "format | output | open with" table names each registered format."""
    text = (project.root / "docs" / "export.md").read_text(encoding="utf-8")
    table = text[text.index("| format | output | open with |"):]
    table = table[:table.index("\n\n")]
    named = {name for cell in re.findall(r"^\| ([^|]+) \|", table, re.M) for name in re.findall(r"`([^`]+)`", cell)}
    assert named == set(FORMATS)


def test_docs_export_lists_the_suffixes_that_choose_a_format(project):
    """docs/export.md's list of the `-o` suffixes that choose a format without --format is the
    registry's, in its order."""
    text = " ".join((project.root / "docs" / "export.md").read_text(encoding="utf-8").split())
    listed = re.search(r"without it the suffix of `-o` decides \(`([^`]+)`\)", text)
    assert listed and listed.group(1).split() == [suffix for fmt in FORMATS.values() for suffix in fmt.suffixes]


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_renders_a_selection(name, small, mini_view, mini_store):
    fmt = FORMATS[name]
    files = render(fmt, small, Context(mini_view, mini_store, progress=False))
    assert sorted(files) == (sorted(fmt.files) if fmt.files else [""])
    assert all(content for content in files.values())
    assert fmt.to_stdout == (not fmt.files and not any(isinstance(c, bytes) for c in files.values()))


def test_graph_files_are_read_in_the_syntax_of_the_rdf_formats_suffixes():
    """`graphkit validate FILE` reads a file by its suffix as the RDF exports name them: an export
    to x.owl (RDF/XML) had been refused as "not valid Turtle"."""
    from graphkit.rdfread import SUFFIX_SYNTAX

    syntax = {"turtle": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD", "rdfxml": "RDF/XML"}
    assert SUFFIX_SYNTAX == {suffix: syntax[name] for name in syntax for suffix in FORMATS[name].suffixes}


def test_names_aliases_and_suffixes():
    assert [format_named(n).name for n in ("TTL", "n-triples", "json-ld", "owl", "cytoscape", "tsv")] == [
        "turtle", "nt", "jsonld", "rdfxml", "cytoscape", "kgx"]
    assert [format_for_path(p).name for p in ("a.ttl", "a.OWL", "a.json", "a.htm", "a.svg")] == [
        "turtle", "rdfxml", "cyjs", "html", "svg"]
    assert format_for_path("a.pdf") is None and format_for_path("directory") is None
    with pytest.raises(SelectionError, match="unknown format 'pdf'; choose one of turtle, nt, jsonld, rdfxml"):
        format_named("pdf")
    # a suffix given as a format names the format of such files, and a misspelling the nearest names
    with pytest.raises(SelectionError, match=r"unknown format 'json' \(did you mean cyjs or jsonld\?\); choose one of"):
        format_named("json")
    with pytest.raises(SelectionError, match=r"unknown format 'grafml' \(did you mean graphml\?\)"):
        format_named("grafml")


def test_a_new_format_is_one_registration(small, mini_view, monkeypatch):
    """What a new module in graphkit/export does: register a Format with its writer."""
    monkeypatch.setattr(registry, "FORMATS", dict(FORMATS))
    monkeypatch.setattr(export, "FORMATS", registry.FORMATS)
    register(Format("edgelist", "one edge a line", lambda sub, ctx: {"": "".join(
        f"{u} {k} {v}\n" for u, v, k in sub.edges(keys=True))}, suffixes=(".edges",), order=25))
    # Listed where its order puts it among the formats registered (not at a fixed index: a real
    # format of a nearby order would move it).
    others = [name for name in registry.FORMATS if name != "edgelist"]
    place = sum(1 for name in others if (registry.FORMATS[name].order, name) < (25, "edgelist"))
    assert list(registry.FORMATS) == others[:place] + ["edgelist"] + others[place:]
    assert format_for_path("x.edges").name == "edgelist"
    text = render("edgelist", small, Context(mini_view))[""]
    assert "jmml curativeTherapy hsct\n" in text


def test_a_name_or_suffix_is_taken_once(monkeypatch):
    monkeypatch.setattr(registry, "FORMATS", dict(FORMATS))
    with pytest.raises(ValueError, match=r"export format ttl2: \.ttl already name another format"):
        register(Format("ttl2", "another Turtle", lambda sub, ctx: {}, suffixes=(".ttl",)))
