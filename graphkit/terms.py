"""RDF terms in the three forms graphkit meets, and the conversions between them.

- rdflib terms (``URIRef``, ``BNode``, ``Literal``): what the library hands to callers, builds
  with and what the reference engine returns;
- pyoxigraph terms (``NamedNode``, ``BlankNode``, ``Literal``): the embedded store and the QC data;
- SPARQL 1.1 Query Results JSON bindings: what endpoints send and ``--format json`` writes.

Every conversion writes a plain string literal and an ``xsd:string`` literal the same way
(plain): RDF 1.1 says they are one term, and rdflib would otherwise treat them as two.

>>> from rdflib import Literal, URIRef
>>> to_json(Literal("7", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")))
{'type': 'literal', 'value': '7', 'datatype': 'http://www.w3.org/2001/XMLSchema#integer'}
>>> from_oxigraph(to_oxigraph(Literal("x", datatype=URIRef("http://www.w3.org/2001/XMLSchema#string")))) == Literal("x")
True
>>> sparql_text(Literal('say "hi"\\n'))
'"say \\\\"hi\\\\"\\\\n"'
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from .errors import QueryError

_XSD_STRING = str(XSD.string)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f]')
# Characters an IRI reference may not hold (SPARQL 1.1 / Turtle IRIREF).
IRI = re.compile(r'^[^<>"{}|^`\\\x00-\x20]+$')


def escape_string(text: str) -> str:
    """Escape text for a double-quoted Turtle, N-Triples or SPARQL string literal."""
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(0), f"\\u{ord(m.group(0)):04X}"), text)


def plain(term):
    """``term`` with an ``xsd:string`` literal written as the plain literal it is."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


# ---------------------------------------------------------------------------------------------
# rdflib <-> pyoxigraph


def to_oxigraph(term):
    """The pyoxigraph term of an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype and term.datatype != XSD.string:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"not an RDF term: {term!r}")


def from_oxigraph(term, memo: dict | None = None):
    """The rdflib term of a pyoxigraph term (``memo`` reuses terms already converted: large
    answers repeat the same IRIs many times)."""
    if memo is not None:
        found = memo.get(term)
        if found is not None:
            return found
    if isinstance(term, ox.NamedNode):
        found = URIRef(term.value)
    elif isinstance(term, ox.BlankNode):
        found = BNode(term.value)
    elif isinstance(term, ox.Literal):
        if term.language:
            found = Literal(term.value, lang=term.language)
        else:
            datatype = term.datatype.value
            found = Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    else:
        raise QueryError(f"unsupported term in results: {term!r}")
    if memo is not None:
        memo[term] = found
    return found


def oxigraph_triples(triples: Iterable[tuple], graph=None):
    """pyoxigraph quads (in ``graph``, default: the default graph) of rdflib triples."""
    target = graph if graph is not None else ox.DefaultGraph()
    return (ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), target) for s, p, o in triples)


def rdflib_triples(triples: Iterable, memo: dict | None = None) -> list[tuple]:
    """rdflib triples of pyoxigraph triples or quads."""
    memo = {} if memo is None else memo
    return [(from_oxigraph(t.subject, memo), from_oxigraph(t.predicate, memo), from_oxigraph(t.object, memo))
            for t in triples]


# ---------------------------------------------------------------------------------------------
# SPARQL results


def solution_rows(variables: list[str], solutions: Iterable, convert: Callable) -> list[dict]:
    """Rows (variable -> term, unbound variables absent) of SELECT solutions of any engine;
    ``convert`` turns each bound value into the term a row holds."""
    rows = []
    for solution in solutions:
        row = {}
        for variable in variables:
            value = solution[variable]
            if value is not None:
                row[variable] = convert(value)
        rows.append(row)
    return rows


def to_json(term) -> dict:
    """A SPARQL 1.1 Query Results JSON binding of an rdflib term."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def from_json(binding: dict):
    """The rdflib term of a SPARQL 1.1 Query Results JSON binding."""
    kind = binding["type"]
    if kind == "uri":
        return URIRef(binding["value"])
    if kind == "bnode":
        return BNode(binding["value"])
    datatype = binding.get("datatype")
    if datatype == _XSD_STRING:
        datatype = None
    return Literal(binding["value"], lang=binding.get("xml:lang"), datatype=datatype)


def to_python(term):
    """A plain Python value (str, int, float, bool, None) for tables and pandas."""
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.datatype in (XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger):
            return int(term)
        if term.datatype in (XSD.decimal, XSD.double, XSD.float):
            value = term.toPython()
            return int(value) if float(value).is_integer() and term.datatype == XSD.decimal else float(value)
        if term.datatype == XSD.boolean:
            return term.toPython()
        return str(term)
    return str(term)


def key(term) -> str:
    """The N-Triples text of a term ("" for unbound): answers of different engines compare equal
    when their keys do."""
    if term is None:
        return ""
    return plain(term).n3()


# ---------------------------------------------------------------------------------------------
# Terms in query text


def sparql_text(term) -> str:
    """A term as SPARQL text, checked and escaped: what replaces a parameter's variable."""
    if isinstance(term, URIRef):
        if not IRI.match(str(term)):
            raise QueryError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        body = f'"{escape_string(str(term))}"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{body}^^<{term.datatype}>"
        return body
    raise QueryError(f"cannot bind {term!r}")
