"""RDF terms in the three forms graphkit meets, and the conversions between them.

- rdflib terms (``URIRef``, ``BNode``, ``Literal``): what the library hands to callers, builds
  with and what the reference engine returns;
- pyoxigraph terms (``NamedNode``, ``BlankNode``, ``Literal``): the embedded store and the QC data,
  and what a query's answer holds until a caller asks for rdflib terms (so a query from the command
  line never imports rdflib: it is imported here only by the functions that make rdflib terms);
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

from .errors import QueryError
from .iris import XSD
from .sparql import substitute

_XSD_STRING = XSD + "string"
_INTEGERS = frozenset(XSD + name for name in ("integer", "int", "long", "nonNegativeInteger"))
_DECIMALS = frozenset(XSD + name for name in ("decimal", "double", "float"))
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f]')
# The local names of prefixed names written in Turtle (graphkit.turtle), read back by
# graphkit.turtlediff: the plain ones, which need no escape.
PLAIN_LOCAL_NAME = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")
# Characters an IRI reference may not hold (SPARQL 1.1 / Turtle IRIREF).
IRI = re.compile(r'^[^<>"{}|^`\\\x00-\x20]+$')


def escape_string(text: str) -> str:
    """Escape text for a double-quoted Turtle, N-Triples or SPARQL string literal."""
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(0), f"\\u{ord(m.group(0)):04X}"), text)


_LINE_BREAKS = re.compile(r"[\n\r\t]")
_NEEDS_ESCAPE_LONG = re.compile(r'[\\"\x00-\x08\x0b\x0c\x0e-\x1f]')


def string_literal(text: str) -> str:
    r'''A Turtle string literal: in double quotes, or in triple quotes with the line breaks and tabs
    as they are when the text has any. The OWL API's Turtle parser (Protégé, ROBOT) reads the
    escapes \n, \t and \r as the letters n, t and r, so a quote spanning lines would lose its breaks.

    >>> print(string_literal('a "b"'))
    "a \"b\""
    >>> print(string_literal('two\nlines'))
    """two
    lines"""
    '''
    if text.isprintable() and '"' not in text and "\\" not in text:     # most text (faster than the regexes)
        return f'"{text}"'
    if not _LINE_BREAKS.search(text):
        return f'"{escape_string(text)}"'
    return '"""' + _NEEDS_ESCAPE_LONG.sub(lambda m: _ESCAPES.get(m.group(0), f"\\u{ord(m.group(0)):04X}"), text) + '"""'


def plain(term):
    """``term`` with an ``xsd:string`` literal written as the plain literal it is."""
    from rdflib import Literal

    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) == _XSD_STRING:
        return Literal(str(term))
    return term


def _parts(term) -> tuple[str, str, str | None, str | None]:
    """(kind, text, language, datatype) of a pyoxigraph or rdflib term: kind is ``uri``,
    ``bnode`` or ``literal``; the datatype of a plain or ``xsd:string`` literal is None."""
    if isinstance(term, ox.NamedNode):
        return "uri", term.value, None, None
    if isinstance(term, ox.BlankNode):
        return "bnode", term.value, None, None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        return "literal", term.value, term.language, None if term.language or datatype == _XSD_STRING else datatype
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return "uri", str(term), None, None
    if isinstance(term, BNode):
        return "bnode", str(term), None, None
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype is not None else None
        return "literal", str(term), term.language, None if term.language or datatype == _XSD_STRING else datatype
    raise QueryError(f"not an RDF term: {term!r}")


# ---------------------------------------------------------------------------------------------
# rdflib <-> pyoxigraph


def to_oxigraph(term):
    """The pyoxigraph term of an rdflib term."""
    kind, text, language, datatype = _parts(term)
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":
        return ox.BlankNode(text)
    if language:
        return ox.Literal(text, language=language)
    return ox.Literal(text, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(text)


def from_oxigraph(term, memo: dict | None = None):
    """The rdflib term of a pyoxigraph term (``memo`` reuses terms already converted: large
    answers repeat the same IRIs many times)."""
    if memo is not None:
        found = memo.get(term)
        if found is not None:
            return found
    from rdflib import BNode, Literal, URIRef

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


def sorted_ntriples(triples: Iterable[tuple]) -> str:
    """N-Triples of rdflib triples, a triple a line, the lines sorted (a stable text to diff),
    written by pyoxigraph. Lines are split at "\\n" only: a literal may hold U+2028 or U+0085,
    which pyoxigraph leaves as they are and ``splitlines()`` would cut the triple at."""
    text = ox.serialize(oxigraph_triples(triples), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return "".join(sorted(line + "\n" for line in text.split("\n") if line.strip()))


def canonical_quads(quads: Iterable) -> list:
    """pyoxigraph ``quads`` with their RDFC-1.0 canonical blank-node labels, sorted by graph,
    subject, predicate and object: the same list for the same graph, however its blank nodes were
    labelled (a store gives new random labels at each load) and in whatever order it came."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


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


def text(term) -> str | None:
    """The text of a pyoxigraph or rdflib term: an IRI, a blank node's id or a literal's
    lexical form (None for unbound)."""
    if term is None:
        return None
    return term.value if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)) else str(term)


def marked_text(term) -> str | None:
    """:func:`text`, but a blank node as ``_:`` and its label."""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if term is not None and not isinstance(term, (ox.NamedNode, ox.Literal)):
        from rdflib import BNode

        if isinstance(term, BNode):
            return "_:" + str(term)
    return text(term)


def to_json(term) -> dict:
    """A SPARQL 1.1 Query Results JSON binding of a pyoxigraph or rdflib term."""
    kind, value, language, datatype = _parts(term)
    out = {"type": kind, "value": value}
    if language:
        out["xml:lang"] = language
    elif datatype:
        out["datatype"] = datatype
    return out


_RDFLIB_TERMS: tuple = ()        # rdflib's BNode, Literal and URIRef, imported by the first answer read


def _rdflib_terms() -> tuple:
    """rdflib's BNode, Literal and URIRef, imported once: an import statement in the readers took
    1.4 us a term (measured)."""
    global _RDFLIB_TERMS
    if not _RDFLIB_TERMS:
        from rdflib import BNode, Literal, URIRef
        _RDFLIB_TERMS = (BNode, Literal, URIRef)
    return _RDFLIB_TERMS


def from_json(binding: dict, memo: dict | None = None, iris: dict | None = None):
    """The rdflib term of a SPARQL 1.1 Query Results JSON binding. ``memo`` reuses the terms an
    answer has already converted (it repeats its predicates, graphs and labels on many rows): an
    IRI by its text (most of an answer's terms: no key to make), another term by its parts.
    ``iris`` (IRI text -> term), where given, holds the IRIs instead: those of every answer of a
    store that keeps them."""
    if memo is None:
        return _from_json(binding)
    if binding["type"] == "uri":
        table, key = (memo if iris is None else iris), binding["value"]
    else:
        table, key = memo, (binding["type"], binding["value"], binding.get("xml:lang"), binding.get("datatype"))
    found = table.get(key)
    if found is None:
        found = table[key] = _from_json(binding)
    return found


def _from_json(binding: dict):
    BNode, Literal, URIRef = _rdflib_terms()

    kind = binding["type"]
    if kind == "uri":
        return URIRef(binding["value"])
    if kind == "bnode":
        return BNode(binding["value"])
    datatype = binding.get("datatype")
    if datatype == _XSD_STRING:
        datatype = None
    return Literal(binding["value"], lang=binding.get("xml:lang"), datatype=datatype)


# The escapes of a quoted literal in SPARQL's TSV results (Turtle's: ECHAR and UCHAR).
_TSV_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_TSV_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
# Turtle's short forms of an integer, a decimal and a double (INTEGER, DECIMAL, DOUBLE: a decimal
# has a digit after its point, "5." is none of them).
_TSV_NUMBER = re.compile(r"[+-]?(?:[0-9]+|[0-9]*\.[0-9]+|(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+)")


def _tsv_unescaped(text: str) -> str:
    def one(match: re.Match) -> str:
        code = match[1] or match[2]
        return chr(int(code, 16)) if code else _TSV_ECHARS[match[3]]      # KeyError: no escape of Turtle's

    return _TSV_ESCAPE.sub(one, text) if "\\" in text else text


def from_tsv(cell: str):
    r"""The rdflib term of a cell of SPARQL 1.1 Query Results TSV (Turtle's syntax: ``<iri>``,
    ``"text"@en``, ``"5"^^<datatype>``, a bare number or boolean, ``_:label``); ValueError (or
    KeyError) for one it cannot read.

    >>> from_tsv('"say \\"hi\\""@en'), from_tsv("4.5")
    (rdflib.term.Literal('say "hi"', lang='en'), rdflib.term.Literal('4.5', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal')))
    """
    BNode, Literal, URIRef = _rdflib_terms()
    if cell.startswith("<") and not cell.startswith("<<") and cell.endswith(">"):
        return URIRef(cell[1:-1])
    if cell.startswith('"'):
        end = cell.rindex('"')          # the suffix (a language tag, a datatype IRI) holds no quote
        if end == 0:
            raise ValueError(f"not a literal: {cell[:100]!r}")
        text, suffix = _tsv_unescaped(cell[1:end]), cell[end + 1:]
        if suffix.startswith("@") and len(suffix) > 1:
            return Literal(text, lang=suffix[1:])
        if suffix.startswith("^^<") and suffix.endswith(">"):
            datatype = suffix[3:-1]
            return Literal(text) if datatype == _XSD_STRING else Literal(text, datatype=URIRef(datatype))
        if suffix:
            raise ValueError(f"not a literal: {cell[:100]!r}")
        return Literal(text)
    if cell.startswith("_:"):
        return BNode(cell[2:])
    if cell in ("true", "false"):
        return Literal(cell, datatype=URIRef(XSD + "boolean"))
    if not _TSV_NUMBER.fullmatch(cell):
        raise ValueError(f"not a term: {cell[:100]!r}")
    kind = "double" if "e" in cell or "E" in cell else "decimal" if "." in cell else "integer"
    return Literal(cell, datatype=URIRef(XSD + kind))


def to_python(term):
    """A plain Python value (str, int, float, bool, None) of a pyoxigraph or rdflib term, for
    tables and pandas: an IRI as its text, a blank node as ``_:`` and its label (as SPARQL's CSV
    results write it: without the ``_:`` it could not be told from a literal).

    >>> to_python(ox.BlankNode("b1")), to_python(ox.Literal("7", datatype=ox.NamedNode(XSD + "integer")))
    ('_:b1', 7)
    """
    if term is None:
        return None
    kind, value, _, datatype = _parts(term)
    if kind == "bnode":
        return "_:" + value
    if kind != "literal" or datatype is None:
        return value
    try:
        if datatype in _INTEGERS:
            return int(value)
        if datatype in _DECIMALS:
            number = float(value)
            return int(number) if number.is_integer() and datatype == XSD + "decimal" else number
        if datatype == XSD + "boolean":
            return value.strip() in ("true", "1")
    except ValueError:              # an ill-typed literal ("x"^^xsd:integer) stays text
        pass
    return value


def key(term) -> str:
    """The N-Triples text of a term ("" for unbound): answers of different engines compare equal
    when their keys do."""
    if term is None:
        return ""
    return plain(term).n3()


# ---------------------------------------------------------------------------------------------
# Terms in query text


def sparql_text(term) -> str:
    """A pyoxigraph or rdflib term as SPARQL text, checked and escaped: what replaces a
    parameter's variable."""
    try:
        kind, value, language, datatype = _parts(term)
    except QueryError:
        kind = None
    if kind == "uri":
        if not IRI.match(value):
            raise QueryError(f"not a valid IRI: {value!r}")
        return f"<{value}>"
    if kind == "literal":
        body = f'"{escape_string(value)}"'
        if language:
            return f"{body}@{language}"
        return f"{body}^^<{datatype}>" if datatype else body
    raise QueryError(f"cannot bind {term!r}")


def bound(text: str, /, **terms) -> str:
    """``text`` with each variable named in ``terms`` replaced by its RDF term (an rdflib or
    pyoxigraph term, written as SPARQL: never pasted as raw text). A variable may be called
    ``text`` too (search-entities has one).

    >>> import pyoxigraph as ox
    >>> print(bound('ASK { ?s rdfs:label ?text }', text=ox.Literal('say "hi"')))
    ASK { ?s rdfs:label "say \\"hi\\"" }
    """
    return substitute(text, {name: sparql_text(term) for name, term in terms.items()})
