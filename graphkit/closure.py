"""Transitive closure: everything reachable from a start by following one relation.

The schema's superclasses, the consistency check's ancestors, SHACL's class membership and the
exporters' evidence and blank-node trees all walk a relation this way; this is the one walk.

>>> parents = {"Drug": ["Therapy"], "Therapy": ["Thing"], "Thing": []}
>>> reachable("Drug", lambda c: parents.get(c, ()))
['Drug', 'Therapy', 'Thing']
"""

from __future__ import annotations

from typing import Callable, Hashable, Iterable


def reachable(start: Hashable, successors: Callable[[Hashable], Iterable[Hashable]]) -> list:
    """``start`` and every node reachable from it through ``successors``, each once, in the
    order a depth-first walk first reaches them (cycles are fine)."""
    seen: dict = {}
    todo = [start]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen[node] = None
            todo.extend(successors(node))
    return list(seen)
