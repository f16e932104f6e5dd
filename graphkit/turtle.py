"""Canonical Turtle: the same graph always serializes to the same bytes.

rdflib's serializer is readable but its output order and blank-node handling are not
promised stable across versions, and the release file must be byte-identical across runs
and machines. This writer sorts everything by the text it writes: subjects grouped by
namespace (schema, entities, quantities, sources, evidence), ``rdf:type`` first,
then ``rdfs:label`` (and an axiom's annotated source, property and target), then the other
predicates; objects sorted. A blank node that is the object of one triple is written inline
(``[ ... ]``, or ``( ... )`` for RDF lists: the schema's restrictions); a blank node that is
no triple's object (an ``owl:Axiom`` annotating a statement or a mapping) is a ``[] ...`` block
after the named subjects, the blocks ordered by their text. A graph whose blank nodes are shared
or cyclic is rejected rather than written unstably.

>>> from rdflib import Graph
>>> g = Graph().parse(data='<http://x/b> <http://x/p> "two", "one" . <http://x/a> a <http://x/C> .', format="turtle")
>>> print(serialize(g, {"x": "http://x/"}), end="")
@prefix x: <http://x/> .
<BLANKLINE>
x:a a x:C .
<BLANKLINE>
x:b x:p "one", "two" .
"""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .namespaces import BASE
from .terms import string_literal

_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?\d*\.\d+")
_SUBJECT_GROUPS = [BASE + "schema", BASE + "entity/", BASE + "quantity/", BASE + "source/", BASE + "evidence/"]
_PREDICATE_FIRST = [str(RDF.type), str(RDFS.label), str(OWL.annotatedSource), str(OWL.annotatedProperty),
                    str(OWL.annotatedTarget)]
_PREDICATE_RANK = {p: i for i, p in enumerate(_PREDICATE_FIRST)}
# Terms as text, compared as text: rdflib terms hash and compare in Python, which this writer,
# touching every term several times, would pay for on each (measured: half its time).
_RDF_TYPE, _RDF_FIRST, _RDF_REST, _RDF_NIL = str(RDF.type), str(RDF.first), str(RDF.rest), str(RDF.nil)
_XSD_STRING, _XSD_INTEGER, _XSD_DECIMAL, _XSD_BOOLEAN = (str(XSD.string), str(XSD.integer), str(XSD.decimal),
                                                         str(XSD.boolean))
_LIST_LINKS = sorted([_RDF_FIRST, _RDF_REST])
_NOT_BLANK = (URIRef, Literal)


class UnstableGraph(ValueError):
    """The graph has blank nodes that cannot be written deterministically."""


class _Writer:
    def __init__(self, graph, prefixes: dict[str, str]):
        # Longest namespace first, so gkev: wins over gk: where both match: the namespaces by
        # length, each length's by text (an IRI is tried against one namespace per length).
        self.namespaces: dict[int, dict[str, str]] = {}
        for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
            self.namespaces.setdefault(len(ns), {}).setdefault(ns, prefix)
        self.declared = prefixes
        self.used: set[str] = set()
        self.object_refs: dict[BNode, int] = defaultdict(int)
        self.index: dict = defaultdict(list)         # subject -> [(predicate text, object)]
        for s, p, o in graph:
            self.index[s].append((str(p), o))
            if type(o) not in _NOT_BLANK and isinstance(o, BNode):   # isinstance on rdflib terms is slow
                self.object_refs[o] += 1
        self._iri_cache: dict[str, str] = {}
        self._literal_cache: dict[tuple, str] = {}
        self._predicate_order: dict[str, tuple] = {}
        self._in_progress: set[BNode] = set()
        self.written: set[BNode] = set()

    def iri(self, iri) -> str:
        text = str(iri)
        cached = self._iri_cache.get(text)
        if cached is None:
            cached = self._iri_cache[text] = self._format_iri(text)
        return cached

    def _format_iri(self, text: str) -> str:
        if text == _RDF_TYPE:
            return "a"
        for length, by_text in self.namespaces.items():
            prefix = by_text.get(text[:length])
            if prefix is not None and _PN_LOCAL.match(text[length:]):
                self.used.add(prefix)
                return f"{prefix}:{text[length:]}"
        return f"<{text}>"

    def literal(self, lit: Literal) -> str:
        lex = str(lit)
        language = lit.language
        if language:
            return f"{string_literal(lex)}@{language}"
        dt = lit.datatype
        dt = str(dt) if dt is not None else None
        if dt is None or dt == _XSD_STRING:
            return string_literal(lex)
        if dt == _XSD_INTEGER and _INTEGER.fullmatch(lex):
            return lex
        if dt == _XSD_DECIMAL and _DECIMAL.fullmatch(lex):
            return lex
        if dt == _XSD_BOOLEAN and lex in ("true", "false"):
            return lex
        return f"{string_literal(lex)}^^{self.iri(dt)}"

    def term(self, term, indent: int) -> str:
        kind = type(term)
        if kind is URIRef or (kind is not Literal and kind is not BNode and isinstance(term, URIRef)):
            return self.iri(term)
        if kind is Literal or isinstance(term, Literal):
            return self.literal(term)
        if isinstance(term, BNode):
            return self.inline(term, indent)
        raise UnstableGraph(f"cannot write term {term!r}")

    def _value(self, subject, predicate: str):
        return next((o for p, o in self.index.get(subject, ()) if p == predicate), None)

    def _as_list(self, node: BNode) -> list | None:
        items, current, seen = [], node, set()
        while not (isinstance(current, URIRef) and str(current) == _RDF_NIL):
            if not isinstance(current, BNode) or current in seen:
                return None
            seen.add(current)
            pairs = self.index.get(current, ())
            if sorted(p for p, _ in pairs) != _LIST_LINKS:
                return None
            if current != node and self.object_refs[current] != 1:
                return None
            items.append(self._value(current, _RDF_FIRST))
            current = self._value(current, _RDF_REST)
        return items

    def _list_cells(self, node: BNode) -> list[BNode]:
        cells = []
        while not (isinstance(node, URIRef) and str(node) == _RDF_NIL):
            cells.append(node)
            node = self._value(node, _RDF_REST)
        return cells

    def inline(self, node: BNode, indent: int) -> str:
        if self.object_refs[node] > 1 or node in self._in_progress:
            raise UnstableGraph("a blank node is shared or cyclic; give it an IRI")
        self._in_progress.add(node)
        self.written.add(node)
        try:
            items = self._as_list(node)
            if items is not None:
                self.written.update(self._list_cells(node))
                return "( " + " ".join(self.term(item, indent + 4) for item in items) + " )"
            body = self.predicate_list(node, indent + 4)
            return "[ " + body + " ]"
        finally:
            self._in_progress.discard(node)

    def _order(self, predicate: str) -> tuple:
        order = self._predicate_order.get(predicate)
        if order is None:
            order = self._predicate_order[predicate] = (_PREDICATE_RANK.get(predicate, len(_PREDICATE_FIRST)),
                                                        self.iri(predicate))
        return order

    def predicate_list(self, subject, indent: int) -> str:
        by_predicate: dict[str, list[str]] = {}
        iris, literals = self._iri_cache, self._literal_cache
        for p, o in self.index.get(subject, ()):
            # The common terms formatted here, by their plain text: a dict lookup keyed by an rdflib
            # term calls its Python __eq__, and this runs once per triple.
            kind = type(o)
            if kind is URIRef:
                text = str(o)
                written = iris.get(text)
                if written is None:
                    written = iris[text] = self._format_iri(text)
            elif kind is Literal and o.language is None:
                key = (str(o), o.datatype)
                written = literals.get(key)
                if written is None:
                    written = literals[key] = self.literal(o)
            else:
                written = self.term(o, indent)
            objects = by_predicate.get(p)
            if objects is None:
                by_predicate[p] = [written]
            else:
                objects.append(written)
        pad = " ;\n" + " " * indent
        order = self._order
        return pad.join(f"{order(key)[1]} " + (objects[0] if len(objects) == 1 else ", ".join(sorted(set(objects))))
                        for key, objects in sorted(by_predicate.items(), key=lambda item: order(item[0])))

    def blocks(self) -> list[str]:
        """Each subject's block: the named subjects by group and IRI, then the free blank nodes
        (owl:Axiom annotations) by their text."""
        def rank(subject) -> tuple:
            text = str(subject)
            for i, ns in enumerate(_SUBJECT_GROUPS):
                if text.startswith(ns):
                    return (i, text)
            return (len(_SUBJECT_GROUPS), text)

        named, blank = [], []
        for s in self.index:
            if type(s) is URIRef:
                named.append(s)
            elif isinstance(s, BNode):
                blank.append(s)
            elif isinstance(s, Literal):
                raise UnstableGraph(f"literal subject {s!r} is not RDF")
            else:
                named.append(s)
        blocks = [self.iri(subject) + " " + self.predicate_list(subject, 4) + " ."
                  for subject in sorted(named, key=rank)]
        free = [self.predicate_list(s, 4) for s in blank if self.object_refs.get(s, 0) == 0]
        return blocks + ["[] " + body + " ." for body in sorted(free)]

    def write(self) -> str:
        blocks = self.blocks()
        if {b for b, n in self.object_refs.items() if n} - self.written:
            raise UnstableGraph("blank nodes reachable only through a cycle; give them IRIs")
        header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in self.declared.items() if p in self.used)
        return header + "\n" + "\n\n".join(blocks) + "\n"


def serialize(graph, prefixes: dict[str, str]) -> str:
    """Canonical Turtle text of ``graph`` (an rdflib Graph or any iterable of triples) using
    ``prefixes`` (only the ones used are declared)."""
    return _Writer(graph, prefixes).write()
