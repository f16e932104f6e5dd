"""OBO flat files: the one stanza reader, and the converter's OBO-to-OWL mapping checked
against counts taken straight from the file's lines."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from graphkit.obo import OBO, OIO, OWL, RDFS, OboConverter, OboSyntaxError, read_obo_file, read_stanzas

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.obo"
MINI_IRI = "http://purl.obolibrary.org/obo/MINI_"


def raw_counts(path: Path) -> Counter:
    """Counts taken straight from the OBO lines (independently of the converter)."""
    counts, stanza = Counter(), None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            stanza = line.strip("[]")
            counts[f"[{stanza}]"] += 1
            continue
        tag = line.split(":", 1)[0]
        if stanza is not None and line.strip():
            counts[f"{stanza}.{tag}"] += 1
            if line.strip() == "is_obsolete: true":
                counts[f"{stanza}.obsolete"] += 1
    return counts


def test_obo_counts_match_the_file():
    converter = OboConverter.from_path(MINI)
    triples = list(converter.triples())
    raw, stats = raw_counts(MINI), converter.stats
    assert stats.terms == raw["[Term]"] == 7
    assert stats.typedefs == raw["[Typedef]"] == 1
    assert stats.obsolete_terms == raw["Term.obsolete"] == 1
    assert stats.is_a == raw["Term.is_a"] == 5
    assert stats.synonyms == raw["Term.synonym"] == 5
    assert stats.xrefs == raw["Term.xref"] + raw["Typedef.xref"] == 4
    assert stats.definitions == raw["Term.def"] == 2
    assert stats.triples == len(triples) == len(set(triples))
    assert dict(stats.skipped) == {}


def _objects(triples, subject: str, predicate: str) -> set:
    return {t.object for t in triples if t.subject == ox.NamedNode(subject) and t.predicate == ox.NamedNode(predicate)}


def test_obo_mapping_follows_the_obo_to_owl_conventions():
    triples = list(OboConverter.from_path(MINI).triples())
    term = MINI_IRI + "0000002"
    assert _objects(triples, term, RDFS + "label") == {ox.Literal("Abnormality of blood")}
    assert _objects(triples, term, OBO + "IAO_0000115") == {ox.Literal('A "blood" abnormality; see [refs].')}
    assert _objects(triples, term, OIO + "hasExactSynonym") == {ox.Literal("Blood problem")}
    assert _objects(triples, term, OIO + "hasRelatedSynonym") == {ox.Literal("Hematologic abnormality")}
    assert _objects(triples, term, OIO + "hasDbXref") == {ox.Literal("UMLS:C0018939")}
    assert _objects(triples, term, OIO + "inSubset") == {ox.NamedNode(OBO + "mini#core_slim")}
    assert _objects(triples, term, OIO + "hasOBONamespace") == {ox.Literal("mini_phenotype")}
    # the definition's references and the synonym's type are axiom annotations
    axioms = {t.subject for t in triples if t.predicate == ox.NamedNode(OWL + "annotatedSource")
              and t.object == ox.NamedNode(term)}
    annotations = {(t.predicate.value, t.object) for t in triples if t.subject in axioms}
    assert (OIO + "hasDbXref", ox.Literal("PMID:1")) in annotations
    assert (OIO + "hasSynonymType", ox.NamedNode(OBO + "mini#layperson")) in annotations
    # trailing "! comment" and "{qualifiers}" are not part of values
    assert _objects(triples, MINI_IRI + "0000004", RDFS + "label") == {ox.Literal("Neutropenia")}
    assert _objects(triples, MINI_IRI + "0000004", RDFS + "subClassOf") >= {ox.NamedNode(MINI_IRI + "0000002")}
    assert _objects(triples, MINI_IRI + "0000003", OIO + "hasExactSynonym") == {ox.Literal("Anaemia")}
    assert _objects(triples, MINI_IRI + "0000007", OIO + "hasNarrowSynonym") == {ox.Literal('Marrow "medulla" ossium')}
    # obsolete terms
    old = MINI_IRI + "0000006"
    assert _objects(triples, old, OWL + "deprecated") == {ox.Literal("true", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#boolean"))}
    assert _objects(triples, old, OBO + "IAO_0100001") == {ox.NamedNode(MINI_IRI + "0000003")}
    # a relation named by shorthand takes the IRI of its xref; relationships are restrictions
    assert _objects(triples, OBO + "BFO_0000050", RDFS + "label") == {ox.Literal("part of")}
    restriction = next(o for o in _objects(triples, MINI_IRI + "0000004", RDFS + "subClassOf")
                       if isinstance(o, ox.BlankNode))
    on = {(t.predicate.value, t.object) for t in triples if t.subject == restriction}
    assert (OWL + "onProperty", ox.NamedNode(OBO + "BFO_0000050")) in on
    assert (OWL + "someValuesFrom", ox.NamedNode(MINI_IRI + "0000002")) in on


def test_obo_syntax_error_names_the_line():
    with pytest.raises(ValueError, match=r"line 4: synonym"):
        list(OboConverter.from_text('ontology: x\n\n[Term]\nsynonym: "unterminated EXACT []\nid: X:1\n').triples())


# --- the stanza reader ---------------------------------------------------------------------------


def test_stanzas_and_header_with_their_lines():
    doc = read_stanzas(["format-version: 1.2", "! a comment", "ontology: x", "", "[Term]", "id: X:1",
                        "name:  padded  ", "[Typedef]", "id: part_of", "[Unknown]", "id: Y:1", "[Instance]",
                        "id: X:2"])
    assert doc.header == [("format-version", "1.2", 1), ("ontology", "x", 3)]
    assert [(s.kind, s.line, s.clauses) for s in doc.stanzas] == [
        ("Term", 5, [("id", "X:1", 6), ("name", "padded", 7)]),
        ("Typedef", 8, [("id", "part_of", 9)]),
        ("Instance", 12, [("id", "X:2", 13)])]
    assert doc.skipped == Counter({"[Unknown]": 1})
    assert doc.stanzas[0].first("name") == "padded" and doc.stanzas[0].first("def") is None


def test_a_line_without_a_tag_names_its_number():
    with pytest.raises(OboSyntaxError, match=r"^line 3: expected 'tag: value'"):
        read_stanzas(["format-version: 1.2", "[Term]", "no colon here"])


def test_the_file_reader_reads_gzip_too(tmp_path):
    packed = tmp_path / "mini.obo.gz"
    packed.write_bytes(gzip.compress(MINI.read_bytes()))
    plain, zipped = read_obo_file(MINI), read_obo_file(packed)
    assert [(s.kind, s.clauses) for s in zipped.stanzas] == [(s.kind, s.clauses) for s in plain.stanzas]
    assert len(plain.stanzas) == raw_counts(MINI)["[Term]"] + raw_counts(MINI)["[Typedef]"]
