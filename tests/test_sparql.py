"""SPARQL text read as a parser reads it: updates and SERVICE clauses are found by their keyword
tokens, never inside strings, IRIs, comments or prefixed names, in any case, after any prologue."""

from __future__ import annotations

import pytest

from graphkit.errors import QueryError
from graphkit.sparql import is_update, query_form, refuse_service, refuse_update, services, undeclared_prefixes

from .conftest import ROOT

UPDATES = [
    "DROP ALL",
    "drop all",
    "  \n# a comment\nDrOp SILENT GRAPH <http://g>",
    "PREFIX x: <http://x/>\nBASE <http://b/>\nPREFIX y: <http://y/>\nINSERT DATA { x:a x:b x:c }",
    "DELETE WHERE { ?s ?p ?o }",
    "WITH <http://g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl> INTO GRAPH <http://g>",
    "CLEAR DEFAULT", "CREATE GRAPH <http://g>", "ADD <http://a> TO <http://b>",
    "MOVE DEFAULT TO <http://b>", "COPY <http://a> TO DEFAULT",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",                      # an update smuggled after a query
    'INSERT DATA { <http://a> <http://b> "SELECT" }',
    r"\u0044ROP ALL",                                               # escapes decoded before parsing (SPARQL 1.1 19.2)
    "PREFIX : <http://x/> INSERT DATA { :a :b :c }",
]
QUERIES = [
    'SELECT * WHERE { ?s ?p "DROP ALL" }',
    "SELECT * WHERE { ?s ?p 'INSERT DATA { <a> <b> <c> }' }",
    'SELECT * WHERE { ?s ?p """multi\nline\nDELETE WHERE { ?s ?p ?o }""" }',
    "SELECT * WHERE { ?s <http://example.org/DELETE> ?o }",
    "# DROP ALL\nSELECT * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } # ; DROP ALL",
    "PREFIX drop: <http://x/>\nPREFIX insert: <http://y/>\nSELECT * WHERE { ?s drop:all insert:data }",
    "SELECT ?load ?delete ?with WHERE { ?load ?delete ?with }",
    "select ?s where { ?s ?p ?o } limit 1",
    "ASK { ?s ?p ?o FILTER(?o < 3 && ?s > 1) }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DESCRIBE <http://example.org/COPY>",
]


@pytest.mark.parametrize("text", UPDATES)
def test_updates_are_found(text):
    assert is_update(text)
    with pytest.raises(QueryError, match=r"^updates are not supported \(use the server's update endpoint yourself\)$"):
        refuse_update(text)


@pytest.mark.parametrize("text", QUERIES)
def test_queries_are_not_updates(text):
    assert not is_update(text)
    refuse_update(text)


def test_query_forms_after_prologues_and_comments():
    assert query_form("BASE <http://b/> PREFIX ask: <http://a/> # CONSTRUCT\nselect * { ?s ask:x ?o }") == "SELECT"
    assert query_form('PREFIX x: <http://x/> DESCRIBE ?s WHERE { ?s x:p "ASK" }') == "DESCRIBE"


def test_services_are_found_by_their_keyword():
    assert services("SELECT * WHERE { SERVICE <http://127.0.0.1:18999/internal-admin?secret=1> { ?s ?p ?o } }") \
        == ["<http://127.0.0.1:18999/internal-admin?secret=1>"]
    assert services("select * where { service SILENT ?endpoint { ?s ?p ?o } VALUES ?endpoint { <http://h/> } }") \
        == ["?endpoint"]
    assert services("PREFIX s: <http://x/> SELECT * { s:x s:y ?o }") == []
    assert services(r"SELECT * { \u0053ERVICE <http://h/> { ?s ?p ?o } }") == ["<http://h/>"]
    for text in ('SELECT * { ?s ?p "SERVICE <http://h/> {}" }', "SELECT ?service { ?service <http://x/SERVICE> ?o }",
                 "# SERVICE <http://h/>\nSELECT * { ?s ?p ?o }"):
        assert services(text) == [], text
        refuse_service(text)
    with pytest.raises(QueryError, match=r"^SERVICE <http://h/> refused: .*--allow-service"):
        refuse_service("SELECT * { SERVICE <http://h/> { ?s ?p ?o } }")


def test_undeclared_prefixes_are_named_with_their_place():
    text = "PREFIX ex: <http://x/>\nSELECT * WHERE {\n  ?s ex:a ?o ; foo:bar ?x ; rdfs:label ?l }"
    assert undeclared_prefixes(text, {"rdfs"}) == [("foo", 3, 16)]


@pytest.mark.parametrize("text", [
    "SELECT ((" + "(" * 20000 + "1" + ")" * 20000 + ") AS ?x) {}",
    "SELECT * " + "{" * 5000 + "}" * 5000,
    "SELECT * { FILTER(" + "!" * 100000 + "true) }",
])
def test_a_query_nesting_deeper_than_the_parser_takes_is_refused(store, text):
    """Oxigraph's parser overflowed its stack on these: the command died of a segmentation fault
    and `graphkit serve` lost its server."""
    with pytest.raises(QueryError, match="nests deeper than 256 levels"):
        store.query(text)


CHAINS = {
    "operators": "SELECT (" + "+".join(["1"] * 20000) + " AS ?x) {}",
    "triple patterns": "ASK { " + "?s ?p ?o . " * 10000 + "}",
    "object list": "ASK { ?s ?p " + ", ".join(f"?o{i}" for i in range(10000)) + " }",
    "unions": "ASK { " + " UNION ".join(["{ ?s ?p ?o }"] * 10000) + " }",
    "optionals": "ASK { ?s ?p ?o " + "OPTIONAL { ?s ?p ?x } " * 10000 + "}",
    "and": "ASK { ?s ?p ?o FILTER(" + " && ".join(["true"] * 10000) + ") }",
    # a collection is two triple patterns an item: 5,000 items killed `graphkit sparql` (exit 139)
    # and, in a 10 KB GET, the server; so did 20,000 groups side by side
    "collection": "ASK { ?s <p:p> (" + " 1" * 5000 + ") }",
    "collection of collections": "ASK { ?s <p:p> (" + " (1)" * 5000 + ") }",
    "collection of blank nodes": "ASK { ?s <p:p> (" + " [ <p:q> 1 ]" * 5000 + ") }",
    "groups side by side": "SELECT * {" + " { ?s ?p ?o }" * 20000 + " }",
}


@pytest.mark.parametrize("text", CHAINS.values(), ids=CHAINS.keys())
def test_a_query_chaining_more_than_the_engine_takes_is_refused(store, text):
    """Oxigraph walks a chain of joined patterns or operators recursively: 20,000 terms of a sum
    killed `graphkit sparql` with a segmentation fault, 10,000 triple patterns, unions, optionals
    or conjunctions aborted the server (measured); lists no longer than these are not refused."""
    with pytest.raises(QueryError, match="chains more than 4,000 patterns or operators"):
        store.query(text)


def test_long_lists_are_no_chain(store):
    """VALUES, IN and function arguments are flat lists the engine took 50,000 items of."""
    values = "SELECT (COUNT(*) AS ?n) { VALUES ?x { " + " ".join(f"<http://x/{i}>" for i in range(50000)) + " } }"
    assert store.query(values).texts() == [{"n": "50000"}]
    listed = "ASK { FILTER(3 IN (" + ", ".join(str(i) for i in range(20000)) + ")) }"
    assert store.query(listed).boolean is True
    rows = "SELECT (COUNT(*) AS ?n) { VALUES (?x ?y) { " + " ".join(f"({i} {i + 1})" for i in range(20000)) + " } }"
    assert store.query(rows).texts() == [{"n": "20000"}]          # a table's rows are no collection
    # a function's arguments are no collection either: typed values in an IN list ran before the
    # collection check, and were refused by its first version
    typed = ("ASK { FILTER(3 IN (" + ", ".join(f'xsd:integer("{i}")' for i in range(2500)) + ")) }")
    assert store.query(typed).boolean is True
    joined = "SELECT (STRLEN(CONCAT(" + ", ".join(["xsd:string(?a)"] * 2000) + ")) AS ?n) { BIND('a' AS ?a) }"
    assert store.query(joined).texts() == [{"n": "2000"}]


def test_the_catalogue_nests_and_chains_far_less_than_the_limits():
    from graphkit.sparql import MAX_CHAIN, MAX_NESTING, chain, nesting

    texts = [path.read_text(encoding="utf-8") for path in (ROOT / "queries").rglob("*.rq")]
    assert 5 < max(map(nesting, texts)) < MAX_NESTING // 10
    assert 20 < max(map(chain, texts)) < MAX_CHAIN // 10
