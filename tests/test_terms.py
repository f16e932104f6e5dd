"""Terms across rdflib, pyoxigraph and SPARQL JSON: every conversion round-trips, and a plain
string and an xsd:string are one term everywhere."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from graphkit import terms
from graphkit.errors import QueryError
from graphkit.sparql import query_form, substitute, with_prefixes

TERMS = [URIRef("http://x/a"), BNode("b1"), Literal("plain"), Literal("bêta", lang="fr"), Literal(7),
         Literal("2.5", datatype=XSD.decimal), Literal(True), Literal("2004", datatype=XSD.gYear)]


@pytest.mark.parametrize("term", TERMS, ids=repr)
def test_round_trips(term):
    assert terms.from_oxigraph(terms.to_oxigraph(term)) == term
    assert terms.from_json(terms.to_json(term)) == term


def test_xsd_string_is_the_plain_literal_in_every_form():
    typed = Literal("x", datatype=XSD.string)
    assert terms.to_oxigraph(typed) == ox.Literal("x")
    assert terms.from_oxigraph(ox.Literal("x", datatype=ox.NamedNode(str(XSD.string)))) == Literal("x")
    assert terms.to_json(typed) == {"type": "literal", "value": "x"}
    assert terms.from_json({"type": "literal", "value": "x", "datatype": str(XSD.string)}) == Literal("x")
    assert terms.key(typed) == terms.key(Literal("x")) == '"x"' and terms.key(None) == ""


def test_python_values():
    assert [terms.to_python(t) for t in (Literal(7), Literal("2.0", datatype=XSD.decimal), Literal("2.5", datatype=XSD.decimal),
                                         Literal(True), URIRef("http://x/a"), None)] == [7, 2, 2.5, True, "http://x/a", None]


def test_rows_of_any_engine():
    solutions = [{"a": 1, "b": None}, {"a": 2, "b": 3}]
    assert terms.solution_rows(["a", "b"], solutions, str) == [{"a": "1"}, {"a": "2", "b": "3"}]


def test_sparql_text_escapes_and_refuses():
    assert terms.sparql_text(Literal('a"b\\c\n')) == '"a\\"b\\\\c\\n"'
    assert terms.sparql_text(Literal("7", datatype=XSD.integer)) == '"7"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert terms.sparql_text(Literal("x", lang="en")) == '"x"@en'
    with pytest.raises(QueryError, match="not a valid IRI"):
        terms.sparql_text(URIRef("http://x/a b"))
    with pytest.raises(QueryError, match="cannot bind"):
        terms.sparql_text(BNode("b"))


def test_query_text_tools():
    assert query_form("# DESCRIBE in a comment\nPREFIX a: <http://ask/> CONSTRUCT WHERE { ?s ?p ?o }") == "CONSTRUCT"
    # a prefix the text declares is its own; one it uses is declared ahead; one it does not use is left out
    assert with_prefixes("PREFIX gk: <x:> SELECT * { ?s rdfs:label gk:a }",
                         {"gk": "http://g/", "rdfs": "http://r/", "HP": "http://h/"}) == \
        "PREFIX rdfs: <http://r/> PREFIX gk: <x:> SELECT * { ?s rdfs:label gk:a }"
    assert substitute('SELECT ?v WHERE { ?x ?p "?x" . ?x ?q ?v }', {"x": "<http://x/a>"}) == \
        'SELECT ?v WHERE { <http://x/a> ?p "?x" . <http://x/a> ?q ?v }'
    with pytest.raises(QueryError, match="a CONSTRUCT query needs an explicit WHERE clause"):
        substitute("CONSTRUCT { ?s ?p ?x }", {"x": "1"})


def test_sorted_ntriples_keeps_a_triple_with_a_unicode_line_separator_on_its_line():
    """pyoxigraph leaves U+2028 and U+0085 in a literal: splitlines() cut such a triple in two,
    and the N-Triples export could not be read back."""
    import pyoxigraph as ox
    from rdflib import Literal, URIRef

    from graphkit.terms import sorted_ntriples

    triples = [(URIRef("http://e/b"), URIRef("http://e/p"), Literal("one\u2028two\u0085three")),
               (URIRef("http://e/a"), URIRef("http://e/p"), Literal("x"))]
    text = sorted_ntriples(triples)
    assert text.count("\n") == 2 and text.startswith("<http://e/a>")
    assert {str(t.object.value) for t in ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES)} == {
        "x", "one\u2028two\u0085three"}


# Literals as Turtle writes them, stored by pyoxigraph as graphkit's server stores them: its TSV
# writes some bare (5, 1.5, true), the rest quoted with escapes (a tab, a newline, a quote).
TSV_DATA = """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://x/s> <http://x/p> "a\\tb", "one\\ntwo\\r", "say \\"hi\\" \\\\ é 😀", "tab\\t"@en, "x"@EN-us, "",
  "\\u0007bell", 5, -5, +5, 007, 1.5, .5, "1.0"^^xsd:decimal, 1.0E3, -.5e-3, "INF"^^xsd:double, true, false,
  "1"^^xsd:boolean, "abc"^^xsd:integer, "2.5"^^xsd:float, "x"^^xsd:string, "2004"^^xsd:gYear, _:b,
  <http://x/a%20b>, <http://x/é> .
"""


def test_tsv_cells_are_read_as_the_json_results_give_them():
    """The pages read the server's answers as TSV (Turtle's syntax, numbers and booleans bare,
    escapes in quoted text) where they read JSON: every cell pyoxigraph's TSV writer makes of
    these terms is the term its JSON writer's binding is, datatype and language tag included."""
    import json

    from graphkit.store import ServerStore

    from .httptools import Answer, FakeEndpoint

    store = ox.Store()
    store.load(TSV_DATA.encode(), format=ox.RdfFormat.TURTLE)
    query = "SELECT ?o WHERE { ?s ?p ?o } ORDER BY STR(?o)"
    tsv = store.query(query).serialize(format=ox.QueryResultsFormat.TSV)
    bindings = json.loads(store.query(query).serialize(format=ox.QueryResultsFormat.JSON))["results"]["bindings"]
    cells = tsv.decode("utf-8").removesuffix("\n").split("\n")[1:]
    assert len(cells) == len(bindings) >= 20       # pyoxigraph stores 5 and +5 as one term
    assert {"5", "-5", "1.5", "true", '"a\\tb"', '"tab\\t"@en'} <= set(cells)     # bare and escaped forms were read
    read = [terms.from_tsv(cell) for cell in cells]
    wanted = [terms.from_json(binding["o"]) for binding in bindings]
    assert [(type(t), t, getattr(t, "datatype", None), getattr(t, "language", None)) for t in read] == [
        (type(t), t, getattr(t, "datatype", None), getattr(t, "language", None)) for t in wanted]
    # and as the server store reads the whole answer, a line a row
    with FakeEndpoint(Answer(body=tsv, content_type="text/tab-separated-values; charset=utf-8")) as endpoint:
        assert ServerStore(endpoint.url, timeout=5).query(query).rows == [{"o": term} for term in wanted]


@pytest.mark.parametrize("cell", ['"', '"x', '"x"@', '"x"^^xsd:string', '"x"y', "5.", ".", "+", "e3", "1.2.3", "maybe",
                                  '"\\q"', '"\\uZZZZ"', "<<http://x/a>>"])
def test_a_tsv_cell_that_is_no_term_is_refused(cell):
    with pytest.raises((ValueError, KeyError)):
        terms.from_tsv(cell)
