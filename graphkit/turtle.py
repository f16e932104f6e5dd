"""Canonical Turtle: the same graph always serializes to the same bytes.

rdflib's serializer is readable but its output order and blank-node handling are not
promised stable across versions, and the release file must be byte-identical across runs
and machines. This writer sorts everything by the text it writes: subjects grouped by
namespace (schema, entities, quantities, sources, evidence, mappings), ``rdf:type`` first,
then ``rdfs:label`` (and an axiom's annotated source, property and target), then the other
predicates; objects sorted. A blank node that is the object of one triple is written inline
(``[ ... ]``, or ``( ... )`` for RDF lists: the schema's restrictions); a blank node that is
no triple's object (an ``owl:Axiom`` annotating a statement) is a ``[] ...`` block after the
named subjects, the blocks ordered by their text. A graph whose blank nodes are shared or
cyclic is rejected rather than written unstably.

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

_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_SUBJECT_GROUPS = [BASE + "schema", BASE + "entity/", BASE + "quantity/", BASE + "source/", BASE + "evidence/",
                   BASE + "mapping/"]
_PREDICATE_FIRST = [str(RDF.type), str(RDFS.label), str(OWL.annotatedSource), str(OWL.annotatedProperty),
                    str(OWL.annotatedTarget)]


class UnstableGraph(ValueError):
    """The graph has blank nodes that cannot be written deterministically."""


_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f]')


def escape_string(text: str) -> str:
    """Escape text for a double-quoted Turtle/SPARQL string literal."""
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(0), f"\\u{ord(m.group(0)):04X}"), text)


class _Writer:
    def __init__(self, graph, prefixes: dict[str, str]):
        # Longest namespace first, so gkev: wins over gk: where both match.
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
        self.declared = prefixes
        self.used: set[str] = set()
        self.object_refs: dict[BNode, int] = defaultdict(int)
        self.index: dict = defaultdict(list)
        for s, p, o in graph:
            self.index[s].append((p, o))
            if isinstance(o, BNode):
                self.object_refs[o] += 1
        self._iri_cache: dict[str, str] = {}
        self._in_progress: set[BNode] = set()
        self.written: set[BNode] = set()

    def iri(self, iri: URIRef) -> str:
        text = str(iri)
        cached = self._iri_cache.get(text)
        if cached is None:
            cached = self._iri_cache[text] = self._format_iri(text)
        return cached

    def _format_iri(self, text: str) -> str:
        if text == str(RDF.type):
            return "a"
        for prefix, ns in self.prefixes:
            if text.startswith(ns) and _PN_LOCAL.match(text[len(ns):]):
                self.used.add(prefix)
                return f"{prefix}:{text[len(ns):]}"
        return f"<{text}>"

    def literal(self, lit: Literal) -> str:
        lex = str(lit)
        if lit.language:
            return f'"{escape_string(lex)}"@{lit.language}'
        dt = lit.datatype
        if dt is None or dt == XSD.string:
            return f'"{escape_string(lex)}"'
        if dt == XSD.integer and re.fullmatch(r"[+-]?\d+", lex):
            return lex
        if dt == XSD.decimal and re.fullmatch(r"[+-]?\d*\.\d+", lex):
            return lex
        if dt == XSD.boolean and lex in ("true", "false"):
            return lex
        return f'"{escape_string(lex)}"^^{self.iri(dt)}'

    def term(self, term, indent: int) -> str:
        if isinstance(term, URIRef):
            return self.iri(term)
        if isinstance(term, Literal):
            return self.literal(term)
        if isinstance(term, BNode):
            return self.inline(term, indent)
        raise UnstableGraph(f"cannot write term {term!r}")

    def _value(self, subject, predicate):
        return next((o for p, o in self.index.get(subject, ()) if p == predicate), None)

    def _as_list(self, node: BNode) -> list | None:
        items, current, seen = [], node, set()
        while current != RDF.nil:
            if not isinstance(current, BNode) or current in seen:
                return None
            seen.add(current)
            pairs = self.index.get(current, ())
            if sorted(str(p) for p, _ in pairs) != sorted([str(RDF.first), str(RDF.rest)]):
                return None
            if current != node and self.object_refs[current] != 1:
                return None
            items.append(self._value(current, RDF.first))
            current = self._value(current, RDF.rest)
        return items

    def _list_cells(self, node: BNode) -> list[BNode]:
        cells = []
        while node != RDF.nil:
            cells.append(node)
            node = self._value(node, RDF.rest)
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

    def predicate_list(self, subject, indent: int) -> str:
        by_predicate: dict[str, list[str]] = defaultdict(list)
        order: dict[str, tuple] = {}
        for p, o in self.index.get(subject, ()):
            key = str(p)
            by_predicate[key].append(self.term(o, indent))
            rank = _PREDICATE_FIRST.index(key) if key in _PREDICATE_FIRST else len(_PREDICATE_FIRST)
            order[key] = (rank, self.iri(p))
        pad = " " * indent
        parts = []
        for key in sorted(by_predicate, key=lambda k: order[k]):
            objects = sorted(set(by_predicate[key]))
            parts.append(f"{order[key][1]} " + ", ".join(objects))
        return f" ;\n{pad}".join(parts)

    def subjects(self) -> list:
        def rank(subject) -> tuple:
            text = str(subject)
            for i, ns in enumerate(_SUBJECT_GROUPS):
                if text.startswith(ns):
                    return (i, text)
            return (len(_SUBJECT_GROUPS), text)

        named = sorted((s for s in self.index if not isinstance(s, BNode)), key=rank)
        free_bnodes = {s for s in self.index if isinstance(s, BNode) and self.object_refs.get(s, 0) == 0}
        for s in self.index:
            if isinstance(s, Literal):
                raise UnstableGraph(f"literal subject {s!r} is not RDF")
        return named + sorted(free_bnodes, key=lambda b: self.predicate_list(b, 4))

    def write(self) -> str:
        blocks = []
        for subject in self.subjects():
            if isinstance(subject, BNode):
                blocks.append("[] " + self.predicate_list(subject, 4) + " .")
            else:
                blocks.append(self.iri(subject) + " " + self.predicate_list(subject, 4) + " .")
        if {b for b, n in self.object_refs.items() if n} - self.written:
            raise UnstableGraph("blank nodes reachable only through a cycle; give them IRIs")
        header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in self.declared.items() if p in self.used)
        return header + "\n" + "\n\n".join(blocks) + "\n"


def serialize(graph, prefixes: dict[str, str]) -> str:
    """Canonical Turtle text of ``graph`` (an rdflib Graph or any iterable of triples) using
    ``prefixes`` (only the ones used are declared)."""
    return _Writer(graph, prefixes).write()
