"""What changed between two canonical Turtle texts, told from the changed statements alone, and
every case it cannot tell given up (the saved store is then loaded whole)."""

from __future__ import annotations

import pyoxigraph as ox

from rdflib import OWL, RDFS, BNode, Literal, URIRef

from graphkit import iris, turtle, turtlediff
from graphkit.iris import known_prefixes

HEADER = "@prefix x: <http://x/> .\n@prefix y: <http://y/> .\n\n"


def _text(*statements: str, header: str = HEADER) -> str:
    return header + "\n\n".join(statements) + "\n"


def _triples(text: str) -> set:
    return set(ox.parse(input=text, format=ox.RdfFormat.TURTLE))


def test_the_changes_of_the_release_are_those_of_its_triples(release):
    """A label changed and a statement's blank owl:Axiom (its link to its evidence) removed."""
    old = release.outputs()[release.project.all_ttl]
    axiom = next(s for s, p, o in release.triples if isinstance(s, BNode) and o == OWL.Axiom)
    jmml = URIRef(iris.GKE + "jmml")
    label = next(t for t in release.triples if t[0] == jmml and t[1] == RDFS.label)
    edited = [t for t in release.triples if t[0] != axiom and t != label]
    new = turtle.serialize(edited + [(jmml, RDFS.label, Literal(label[2] + " (edited)"))], known_prefixes())
    found = turtlediff.changes(old, new)
    before, after = _triples(old), _triples(new)
    assert found.removed == {ox.Triple(ox.NamedNode(jmml), ox.NamedNode(RDFS.label), ox.Literal(label[2]))}
    assert found.added == {ox.Triple(ox.NamedNode(jmml), ox.NamedNode(RDFS.label), ox.Literal(label[2] + " (edited)"))}
    says = {(ox.NamedNode(p), ox.NamedNode(o) if isinstance(o, URIRef) else ox.Literal(o))
            for s, p, o in release.triples if s == axiom}
    assert found.removed_nodes == [says]
    assert len(before) - len(after) == len(says)


def test_a_changed_statement_with_a_long_string_over_a_blank_line_is_read_whole():
    quote = 'x:q x:prefix """Abstract\n\nBackground""" ;\n    x:exact "the quote" .'
    old = _text("x:a x:p x:b .", quote)
    new = _text("x:a x:p x:b .", quote.replace("the quote", "another quote"))
    found = turtlediff.changes(old, new)
    assert [str(t.object) for t in found.removed] == ['"the quote"']
    assert [str(t.object) for t in found.added] == ['"another quote"']


def test_blank_nodes_of_their_own_statements_are_told_by_what_they_say():
    axiom = '[] a x:Axiom ;\n    x:source x:a ;\n    x:note "one"'
    old = _text("x:a x:p x:b .", axiom + " .", axiom + " .")       # the same axiom twice
    new = _text("x:a x:p x:b .", axiom + " .")
    found = turtlediff.changes(old, new)
    assert len(found.removed_nodes) == 1 and not found.added and not found.removed
    assert found.removed_nodes[0] == {(ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                       ox.NamedNode("http://x/Axiom")),
                                      (ox.NamedNode("http://x/source"), ox.NamedNode("http://x/a")),
                                      (ox.NamedNode("http://x/note"), ox.Literal("one"))}


def test_what_cannot_be_told_from_the_changed_statements_is_given_up():
    base = _text("x:a x:p x:b .", "x:c x:p x:d .")
    cases = {
        "a prefix bound to another namespace": (base, base.replace("<http://y/>", "<http://z/>").replace(
            "x:c x:p x:d", "x:c x:p y:d").replace("@prefix x: <http://x/>", "@prefix x: <http://w/>")),
        "a nested blank node": (base, base.replace("x:c x:p x:d", "x:c x:p [ x:q x:d ]")),
        "a subject in two statements, one kept": (_text("x:a x:p x:b .", "x:a x:q x:d ."),
                                                   _text("x:a x:p x:b .", "x:a x:q x:e .")),
        "a statement that does not parse": (base, base.replace("x:c x:p x:d .", "x:c x:p .")),
        "a blank line left open in a long string": (base, base + 'x:e x:p """open\n\nstring .\n'),
    }
    for name, (old, new) in cases.items():
        assert turtlediff.changes(old, new) is None, name


def test_more_changes_than_a_load_costs_are_given_up():
    old = _text(*(f"x:s{i} x:p {i} ." for i in range(400)))
    few = _text(*(f"x:s{i} x:p {i + (i < 40)} ." for i in range(400)))      # 80 statements of 400
    many = _text(*(f"x:s{i} x:p {i + (i < 41)} ." for i in range(400)))
    assert len(turtlediff.changes(old, few).added) == 40
    assert turtlediff.changes(old, many) is None
