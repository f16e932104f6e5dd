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
from bisect import bisect_left

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from . import collector
from .namespaces import BASE
from .terms import PLAIN_LOCAL_NAME, string_literal

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?\d*\.\d+")
_SUBJECT_GROUPS = [BASE + "schema", BASE + "entity/", BASE + "quantity/", BASE + "source/", BASE + "evidence/"]
_PREDICATE_FIRST = [str(RDF.type), str(RDFS.label), str(OWL.annotatedSource), str(OWL.annotatedProperty),
                    str(OWL.annotatedTarget)]
# The writer works on the terms' text from its first look at a triple on: rdflib terms hash and
# compare in Python, and this writer, touching every term several times, paid for it on each
# (measured: half its time).
_RDF_TYPE, _RDF_FIRST, _RDF_REST, _RDF_NIL = str(RDF.type), str(RDF.first), str(RDF.rest), str(RDF.nil)
_LIST_LINKS = frozenset({_RDF_FIRST, _RDF_REST, _RDF_NIL})
_XSD_STRING, _XSD_INTEGER, _XSD_DECIMAL, _XSD_BOOLEAN = (str(XSD.string), str(XSD.integer), str(XSD.decimal),
                                                         str(XSD.boolean))


class UnstableGraph(ValueError):
    """The graph has blank nodes that cannot be written deterministically."""


class _ListLink(str):
    """How ``rdf:first``, ``rdf:rest`` or ``rdf:nil`` is written. An RDF list written as
    ``( ... )`` absorbs them, so their prefix is declared only where one is written."""

    __slots__ = ("prefix",)

    def __new__(cls, written: str, prefix: str | None):
        link = super().__new__(cls, written)
        link.prefix = prefix
        return link


class _Writer:
    """The graph indexed as text, each term written once: subject -> predicate's sort key ->
    the objects as written (a blank node object stays a node until it is written inline)."""

    def __init__(self, graph, prefixes: dict[str, str]):
        self.declared = prefixes
        self.used: set[str] = set()
        # An IRI is tried against the namespaces it starts with, longest first. Every namespace
        # ends with one of a few characters, so the namespaces an IRI starts with are those its
        # text up to the last of these characters (its stem) starts with: found once per stem.
        first_prefix: dict[str, str] = {}
        for prefix, ns in prefixes.items():
            first_prefix.setdefault(ns, prefix)
        self.namespaces = sorted(((len(ns), ns, prefix) for ns, prefix in first_prefix.items()), key=lambda n: -n[0])
        ends = "".join(sorted({ns[-1] for ns in first_prefix if ns}))
        self._stem = re.compile(f"(?s).*[{re.escape(ends)}]") if ends else re.compile("")
        self._stem_namespaces: dict[str, list[tuple[int, str]]] = {}
        self.iris: dict[str, str] = {}                     # IRI -> as written
        self.keys: dict[str, str] = {}                     # predicate IRI -> its sort key
        self.heads: dict[str, str] = {}                    # sort key -> the predicate as written, and a space
        self.named: dict[str, dict[str, list]] = {}        # subject IRI -> predicate's sort key -> objects
        self.blank: dict[str, dict[str, list]] = {}        # blank node id -> the same
        self.linked: set[int] = set()                      # ids of those dicts with blank nodes or list links
        self.object_refs: dict[str, int] = {}              # blank node id -> triples it is the object of
        self._in_progress: set[str] = set()
        self.written: set[str] = set()
        self._index(graph)

    def _index(self, graph) -> None:
        named, blank, linked = self.named, self.blank, self.linked
        iris, keys, literal = self.iris, self.keys, self.literal
        subject = by_key = None
        for s, p, o in graph:
            # An rdflib graph, or a parsed file, gives a subject's triples one after the other.
            if s is not subject:
                subject, kind = s, type(s)
                if kind is URIRef:
                    subjects = named
                elif kind is BNode or isinstance(s, BNode):
                    subjects = blank
                elif isinstance(s, Literal):
                    raise UnstableGraph(f"literal subject {s!r} is not RDF")
                else:
                    subjects = named
                text = str(s)
                by_key = subjects.get(text)
                if by_key is None:
                    by_key = subjects[text] = {}
            text = str(p)
            key = keys.get(text)
            if key is None:
                key = keys[text] = self._predicate_key(text)
            kind = type(o)
            if kind is Literal:
                written = literal(o)
            else:
                if kind is URIRef:
                    text = str(o)
                    written = iris.get(text)
                    if written is None:
                        written = iris[text] = self._format_iri(text)
                else:
                    written = self._other_object(o)
                if type(written) is not str:
                    linked.add(id(by_key))
            objects = by_key.get(key)
            if objects is None:
                by_key[key] = [written]
                if type(key) is not str:
                    linked.add(id(by_key))
            else:
                objects.append(written)

    def _other_object(self, term):
        """A blank node (counted, kept as a node) or a term of a subclass of rdflib's, as written."""
        if isinstance(term, BNode):
            text = str(term)
            self.object_refs[text] = self.object_refs.get(text, 0) + 1
            return term
        if isinstance(term, URIRef):
            return self.iri(str(term))
        if isinstance(term, Literal):
            return self.literal(term)
        raise UnstableGraph(f"cannot write term {term!r}")

    def _predicate_key(self, predicate: str) -> str:
        """The predicate's sort key: its rank and text (no written text holds a control character)."""
        written = "a" if predicate == _RDF_TYPE else self.iri(predicate)     # "a" only as a predicate
        rank = _PREDICATE_FIRST.index(predicate) if predicate in _PREDICATE_FIRST else len(_PREDICATE_FIRST)
        key, head = f"{chr(rank)}{written} ", f"{written} "
        if type(written) is _ListLink:
            key, head = _ListLink(key, written.prefix), _ListLink(head, written.prefix)
        self.heads[key] = head
        return key

    def iri(self, text: str) -> str:
        written = self.iris.get(text)
        if written is None:
            written = self.iris[text] = self._format_iri(text)
        return written

    def _format_iri(self, text: str) -> str:
        stem = self._stem.match(text)
        stem = stem.group() if stem else ""
        namespaces = self._stem_namespaces.get(stem)
        if namespaces is None:
            namespaces = self._stem_namespaces[stem] = [(length, prefix) for length, ns, prefix in self.namespaces
                                                        if stem.startswith(ns)]
        written, prefix = f"<{text}>", None
        for length, candidate in namespaces:
            if PLAIN_LOCAL_NAME.fullmatch(text[length:]):
                written, prefix = f"{candidate}:{text[length:]}", candidate
                break
        if text in _LIST_LINKS:
            return _ListLink(written, prefix)
        if prefix is not None:
            self.used.add(prefix)
        return written

    def _declare(self, written: str) -> str:
        """``written`` (a list link: its prefix declared)."""
        if type(written) is _ListLink:
            if written.prefix is not None:
                self.used.add(written.prefix)
            return str(written)
        return written

    def literal(self, lit: Literal) -> str:
        lex = str(lit)
        dt = lit.datatype
        if dt is None:
            language = lit.language
            return f"{string_literal(lex)}@{language}" if language else string_literal(lex)
        dt = str(dt)
        if dt == _XSD_STRING:
            return string_literal(lex)
        if dt == _XSD_INTEGER and _INTEGER.fullmatch(lex):
            return lex
        if dt == _XSD_DECIMAL and _DECIMAL.fullmatch(lex):
            return lex
        if dt == _XSD_BOOLEAN and lex in ("true", "false"):
            return lex
        return f"{string_literal(lex)}^^{self._declare(self.iri(dt))}"

    def term(self, term, indent: int) -> str:
        """An object as written (a blank node inline)."""
        if type(term) is str:
            return term
        if isinstance(term, BNode):
            return self.inline(term, indent)
        return self._declare(term)

    def _list_items(self, node: BNode) -> list | None:
        """The items of the RDF list that starts at ``node`` (None if it is not one), its cells
        marked written."""
        first, rest, nil = self.keys.get(_RDF_FIRST), self.keys.get(_RDF_REST), self.iris.get(_RDF_NIL)
        items, cells, current = [], [], node
        while current is not nil:
            if not isinstance(current, BNode) or str(current) in cells:
                return None
            cell = str(current)
            by_key = self.blank.get(cell, {})
            if len(by_key) != 2 or len(by_key.get(first, ())) != 1 or len(by_key.get(rest, ())) != 1:
                return None
            if current is not node and self.object_refs[cell] != 1:
                return None
            cells.append(cell)
            items.append(by_key[first][0])
            current = by_key[rest][0]
        self.written.update(cells)
        return items

    def inline(self, node: BNode, indent: int) -> str:
        text = str(node)
        if self.object_refs[text] > 1 or text in self._in_progress:
            raise UnstableGraph("a blank node is shared or cyclic; give it an IRI")
        self._in_progress.add(text)
        self.written.add(text)
        try:
            items = self._list_items(node)
            if items is not None:
                return "( " + " ".join(self.term(item, indent + 4) for item in items) + " )"
            return "[ " + self.predicate_list(self.blank.get(text, {}), indent + 4) + " ]"
        finally:
            self._in_progress.discard(text)

    def predicate_list(self, by_key: dict[str, list], indent: int) -> str:
        heads, pad = self.heads, " ;\n" + " " * indent
        if id(by_key) not in self.linked:
            # Every object already written: one pass, no call per object (most subjects).
            return pad.join([heads[key] + (objects[0] if len(objects) == 1 else ", ".join(sorted(set(objects))))
                             for key, objects in sorted(by_key.items())])
        return pad.join([self._declare(heads[key]) + ", ".join(sorted({self.term(o, indent) for o in objects}))
                         for key, objects in sorted(by_key.items())])

    def blocks(self) -> list[str]:
        """Each subject's block: the named subjects by group and IRI, then the free blank nodes
        (owl:Axiom annotations) by their text."""
        named = sorted(self.named)
        # A group's subjects are a run of the sorted IRIs (no group's namespace starts another's).
        runs = [(bisect_left(named, ns), bisect_left(named, ns + "\U0010ffff")) for ns in _SUBJECT_GROUPS]
        grouped = [subject for start, end in runs for subject in named[start:end]]
        in_group = set(grouped)
        ordered = grouped + [subject for subject in named if subject not in in_group]
        # Each block is made in the order the subjects were indexed, where their dicts lie in memory,
        # then placed in the sorted order: visiting them sorted made this pass 16% slower at 10x the
        # graph (its growth for 10x the triples 12.6, 11.6 so; 3% slower at 1x; measured, same bytes).
        made = {subject: f"{self._declare(self.iri(subject))} {self.predicate_list(by_key, 4)} ."
                for subject, by_key in self.named.items()}
        blocks = [made[subject] for subject in ordered]
        free = [self.predicate_list(by_key, 4) for node, by_key in self.blank.items() if node not in self.object_refs]
        return blocks + ["[] " + body + " ." for body in sorted(free)]

    def write(self) -> str:
        blocks = self.blocks() or [""]
        if set(self.object_refs) - self.written:
            raise UnstableGraph("blank nodes reachable only through a cycle; give them IRIs")
        header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in self.declared.items() if p in self.used)
        # The header and the last line break joined to the end blocks, so that the text (5 MB)
        # is copied once: adding them to the joined text copied it twice more (8% of the writer).
        blocks[0] = header + "\n" + blocks[0]
        blocks[-1] += "\n"
        return "\n\n".join(blocks)


def serialize(graph, prefixes: dict[str, str]) -> str:
    """Canonical Turtle text of ``graph`` (an rdflib Graph or any iterable of triples) using
    ``prefixes`` (only the ones used are declared)."""
    with collector.paused():      # its index, ~10^5 containers, lives until it returns
        return _Writer(graph, prefixes).write()
