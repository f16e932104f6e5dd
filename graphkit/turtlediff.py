"""What changed between two versions of a Turtle file written by :mod:`graphkit.turtle`, as the
triples removed and added, found from the text of its statements instead of parsing both files.

The canonical writer puts each subject's triples in one statement, statements apart by a blank
line, after a header of ``@prefix`` lines. An edit of the curation changes a few statements of
the release; comparing the statements as text finds them in milliseconds, and only those are
parsed. The saved store (:mod:`graphkit.storecache`) is then updated by those triples instead of
being loaded again (the load was most of a build's time).

Any text this cannot read for certain gives None, and the caller loads the whole file: a changed
statement with a blank node other than its own subject (a fresh parse names it anew, and only a
statement's own node is told by what it says), a subject written in two statements, a prefix bound
to another namespace, a statement that does not parse on its own, or more changed statements than
a load would cost.

>>> old = '@prefix x: <http://x/> .\\n\\nx:a x:p "1" .\\n\\nx:b x:p "2" ;\\n    x:q "3" .\\n'
>>> new = '@prefix x: <http://x/> .\\n\\nx:a x:p "1" .\\n\\nx:b x:p "2" ;\\n    x:q "4" .\\n'
>>> found = changes(old, new)
>>> [str(t) for t in found.removed], [str(t) for t in found.added]
(['<http://x/b> <http://x/q> "3"'], ['<http://x/b> <http://x/q> "4"'])
>>> changes(old, new.replace('x:q "4"', 'x:q [ x:r "5" ]')) is None      # a nested blank node
True
>>> found = changes(old, new + '\\n[] x:p x:a ;\\n    x:q "5" .\\n')  # a statement about a blank node
>>> [(p.value, str(o)) for p, o in sorted(found.removed_nodes)], sorted(str(t.object) for t in found.added)
([], ['"4"', '"5"', '<http://x/a>'])
>>> found = changes(new + '\\n[] x:p x:a .\\n', new)
>>> [sorted((p.value, o.value) for p, o in node) for node in found.removed_nodes]
[[('http://x/p', 'http://x/a')]]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox

from .terms import PLAIN_LOCAL_NAME

# More changed statements than this share of the file (and than a small file's few): loading it
# whole is about as fast.
MAX_CHANGED_SHARE, MAX_CHANGED_FEW = 0.2, 50
_PREFIX = re.compile(r"@prefix ([A-Za-z][A-Za-z0-9_.\-]*)?: <([^<>\"{}|^`\\\s]*)> \.")
_HEADER = re.compile(r"(?:@prefix[^\n]*\n)*")
_HEAD = re.compile(r"\S+")
_HEADS = re.compile(r"\n\n(\S+)")
_LONG_QUOTES = re.compile(r'(?<!\\)"""')


class _Text:
    """A file's prefixes and its statements as written (either None when they cannot be read here)."""

    def __init__(self, text: str):
        header = _HEADER.match(text).group()
        self.header = header
        self.prefixes: dict[str, str] | None = {}
        for line in header.splitlines():
            match = _PREFIX.fullmatch(line)
            if match is None or self.prefixes.get(match[1] or "", match[2]) != match[2]:
                self.prefixes = None
                break
            self.prefixes[match[1] or ""] = match[2]
        body = text[len(header):]
        self._body = body
        pieces = body.split("\n\n")
        # a blank line inside a """long string""" (a quote's context spanning paragraphs) splits
        # no statement: the pieces from one opening to its closing are one
        odd = [i for i, piece in enumerate(pieces) if '"""' in piece and len(_LONG_QUOTES.findall(piece)) % 2]
        self.statements: list[str] | None = None
        if len(odd) % 2 == 0:
            for first, last in reversed(list(zip(odd[::2], odd[1::2]))):
                pieces[first:last + 1] = ["\n\n".join(pieces[first:last + 1])]
            self.statements = [piece.strip() for piece in pieces if piece and not piece.isspace()]

    @cached_property
    def heads(self) -> Counter:
        """What each statement starts with (and, harmlessly, a word after a blank line in a literal)."""
        return Counter(_HEADS.findall("\n\n" + self._body))

    def spellings(self, iri: str) -> set[str]:
        """How a subject ``iri`` can be written here: in full, or with any prefix of its namespace."""
        return {f"<{iri}>"} | {f"{prefix}:{iri[len(ns):]}" for prefix, ns in self.prefixes.items()
                               if iri.startswith(ns)}

    def subject(self, statement: str) -> str | None:
        """The IRI a statement starts with (None: a blank node or a form not read here)."""
        head = _HEAD.match(statement).group()
        if head.startswith("<") and head.endswith(">") and "\\" not in head:
            return head[1:-1]
        prefix, colon, local = head.partition(":")
        if colon and prefix in self.prefixes and (not local or PLAIN_LOCAL_NAME.fullmatch(local)):
            return self.prefixes[prefix] + local
        return None

    def read(self, statements: list[str]) -> tuple[set, list] | None:
        """The triples of ``statements`` (parsed at once): those of statements about a named
        subject, and those of each statement about a blank node of its own (``[] ...``); None
        if any holds another blank node, or a subject other than the one it starts with."""
        named, blank = set(), 0
        for statement in statements:
            subject = self.subject(statement)
            if subject is not None:
                named.add(subject)
            elif statement.startswith("[]"):
                blank += 1
            else:
                return None
        try:
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(
                input=self.header + "\n" + "\n\n".join(statements) + "\n", format=ox.RdfFormat.TURTLE)]
        except SyntaxError:
            return None
        of_named, of_node = set(), {}
        for t in triples:
            if not isinstance(t.object, (ox.NamedNode, ox.Literal)):
                return None
            if isinstance(t.subject, ox.BlankNode):
                of_node.setdefault(t.subject, set()).add(t)
            elif t.subject.value in named:
                of_named.add(t)
            else:
                return None
        if len(of_node) != blank or len({t.subject.value for t in of_named}) != len(named):
            return None
        return of_named, list(of_node.values())


@dataclass
class Changes:
    """What a file's new text no longer has and has anew. A blank node is a node of its own
    statement (``[] ...``, such as an ``owl:Axiom`` annotating a statement): an added one is a
    new node, a removed one is told by what it says, its (predicate, object) pairs."""

    removed: set = field(default_factory=set)          # triples with a named subject
    added: set = field(default_factory=set)            # any triples
    removed_nodes: list = field(default_factory=list)  # frozensets of (predicate, object)


def _difference(these: list[str], those: list[str]) -> list[str]:
    """The statements of ``these`` not in ``those``, each as often as it is more in ``these``."""
    unique, other = set(these), set(those)
    if len(unique) == len(these) and len(other) == len(those):
        return list(unique - other)
    return list((Counter(these) - Counter(those)).elements())     # a statement written twice


def changes(old: str, new: str) -> Changes | None:
    """What changed from ``old`` to ``new`` (pyoxigraph terms), or None when it cannot be told
    from the changed statements alone."""
    before, after = _Text(old), _Text(new)
    if None in (before.prefixes, after.prefixes, before.statements, after.statements):
        return None
    if any(after.prefixes[p] != ns for p, ns in before.prefixes.items() if p in after.prefixes):
        return None                     # an unchanged statement would mean other IRIs
    gone, came = _difference(before.statements, after.statements), _difference(after.statements, before.statements)
    if len(gone) + len(came) > max(MAX_CHANGED_SHARE * len(after.statements), MAX_CHANGED_FEW):
        return None
    read_before, read_after = before.read(gone), after.read(came)
    if read_before is None or read_after is None:
        return None
    (removed, removed_nodes), (added, added_nodes) = read_before, read_after
    changed = Counter(_HEADS.findall("\n\n" + "\n\n".join(came)))
    for subject in {t.subject.value for t in removed}:
        spellings = after.spellings(subject)
        if sum(after.heads[s] - changed[s] for s in spellings):
            return None                 # also said by a statement that stays: not removed
    found = Changes(removed_nodes=[frozenset((t.predicate, t.object) for t in node) for node in removed_nodes])
    for node in added_nodes:
        found.added |= node
    found.removed = removed - added
    found.added |= added - removed
    return found
