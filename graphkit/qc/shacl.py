"""SHACL validation: pyshacl (the reference) and a fast engine for the SHACL Core subset we use.

pyshacl needs ~4 ms per evidence node on this graph (9 s for 1,150 statements), far over the
build budget, so the build validates with :func:`validate_fast`: the same shapes graph,
evaluated over indexes of the rdflib graph in plain Python (SHACL Core: targets incl.
SHACL-AF SPARQL targets, predicate and inverse paths, cardinality, value type, value range,
string, property-pair, logical, shape-based and qualified constraints). It refuses any shape
feature it does not implement (:class:`UnsupportedShape`), and the test suite checks that it
returns exactly pyshacl's results on the built graph and on broken copies.

Both engines return :class:`Result` tuples.

>>> from rdflib import Graph
>>> data = Graph().parse(data='<http://ex/a> a <http://ex/C> .', format="turtle")
>>> shapes = Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
...   <http://ex/S> sh:targetClass <http://ex/C> ; sh:property [ sh:path <http://ex/p> ; sh:minCount 1 ] .''',
...   format="turtle")
>>> [(str(r.focus), r.component) for r in validate_fast(data, shapes)]
[('http://ex/a', 'MinCountConstraintComponent')]
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from typing import Callable, NamedTuple

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from ..closure import reachable


class UnsupportedShape(ValueError):
    """A shape uses a SHACL feature the fast engine does not implement."""


class Result(NamedTuple):
    focus: object
    path: object            # an IRI, ("inverse", IRI), or None for node shapes
    value: object           # the value node, or None (cardinality results)
    shape: object           # the source shape (IRI or blank node of the shapes graph)
    component: str          # local name of the constraint component
    severity: str           # "Violation" | "Warning" | "Info"
    message: str

    def key(self, shapes: Graph) -> tuple:
        """An engine-independent identity (blank nodes replaced by the named shape around them)."""
        return (self.focus, self.path, self.value, rule_name(shapes, self.shape), self.component, self.severity)


def rule_name(shapes: Graph, shape) -> str:
    """The named shape a result belongs to: the shape itself, or the nearest named shape that
    holds a blank property shape (``sh:property [...]``)."""
    seen = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        parent = next(iter(shapes.subjects(SH.property, shape)), None)
        if parent is None:
            break
        shape = parent
    text = str(shape)
    return text.rsplit("#", 1)[-1] if "#" in text else text


# ---------------------------------------------------------------------------------------------
# pyshacl (reference)


def validate_pyshacl(data: Graph, shapes: Graph) -> list[Result]:
    # Imported here: pyshacl (the reference, `--shacl-engine pyshacl`) takes ~0.25 s to import
    # (measured), which every build would otherwise pay.
    from pyshacl import validate

    _, report, _ = validate(data, shacl_graph=shapes, advanced=True, inference="none", allow_warnings=True,
                            allow_infos=True)
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(node, SH.resultPath)
        if isinstance(path, BNode):
            path = ("inverse", report.value(path, SH.inversePath))
        component = str(report.value(node, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        severity = str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1]
        message = report.value(node, SH.resultMessage)
        results.append(Result(report.value(node, SH.focusNode), path, report.value(node, SH.value),
                              report.value(node, SH.sourceShape), component, severity, str(message or "")))
    return results


# ---------------------------------------------------------------------------------------------
# The fast engine

_NODE_KINDS = {
    SH.IRI: (URIRef,), SH.BlankNode: (BNode,), SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef), SH.BlankNodeOrLiteral: (BNode, Literal), SH.IRIOrLiteral: (URIRef, Literal),
}
_SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
# Shape parameters the engine understands; anything else in the sh: namespace is refused.
_KNOWN = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.property, SH.path,
          SH.severity, SH.message, SH.name, SH.description, SH.deactivated, SH["class"], SH.datatype, SH.nodeKind,
          SH.pattern, SH.flags, SH["in"], SH.minLength, SH.maxLength, SH.minInclusive, SH.maxInclusive,
          SH.minExclusive, SH.maxExclusive, SH.minCount, SH.maxCount, SH.equals, SH.lessThan, SH.node, SH["not"],
          SH["and"], SH["or"], SH.xone, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
          SH.hasValue, SH.order, SH.group, SH.select, SH.prefixes, SH.parameter, SH.declare}


# Namespace members as constants: rdflib resolves ``RDF.type`` through a __getattr__ on each
# use, which the index, called for every focus node and value, paid ~300k times per build.
_RDF_TYPE, _RDF_LANGSTRING, _SUBCLASS_OF = RDF.type, RDF.langString, RDFS.subClassOf
_INVERSE_TYPE = ("inverse", RDF.type)
_XSD_STRING = XSD.string
_NUMERIC = frozenset((XSD.integer, XSD.decimal, XSD.int, XSD.long, XSD.double, XSD.float, XSD.nonNegativeInteger))


class _Index:
    """Per-predicate indexes of the data triples, and SHACL class membership."""

    def __init__(self, triples):
        forward: dict = defaultdict(lambda: defaultdict(list))
        for s, p, o in triples:
            forward[p][s].append(o)
        self._forward = forward
        self._inverse: dict = {}
        self._superclasses: dict = {}

    def values(self, node, path) -> list:
        if isinstance(path, tuple):
            index = self._inverse.get(path[1])
            if index is None:
                index = self._inverse[path[1]] = defaultdict(list)
                for s, objects in self._forward.get(path[1], {}).items():
                    for o in objects:
                        index[o].append(s)
            return index.get(node, [])
        index = self._forward.get(path)
        return index.get(node, []) if index is not None else []

    def subjects_of(self, p) -> set:
        return set(self._forward.get(p, {}))

    def objects_of(self, p) -> set:
        return {o for objects in self._forward.get(p, {}).values() for o in objects}

    def superclasses(self, cls) -> set:
        found = self._superclasses.get(cls)
        if found is None:
            found = self._superclasses[cls] = set(reachable(cls, lambda c: self.values(c, _SUBCLASS_OF)))
        return found

    def is_instance(self, node, cls) -> bool:
        return any(cls in self.superclasses(t) for t in self.values(node, _RDF_TYPE))

    def instances(self, cls) -> set:
        classes = self.subjects_of(_SUBCLASS_OF) | {cls}
        return {s for c in classes if cls in self.superclasses(c) for s in self.values(c, _INVERSE_TYPE)}


def _literal_value(term):
    if isinstance(term, Literal) and term.datatype in _NUMERIC:
        value = term.toPython()
        return value if isinstance(value, (int, float, Decimal)) else None
    if isinstance(term, Literal):
        return term.toPython()
    return None


def _less(a, b, strict: bool) -> bool:
    va, vb = _literal_value(a), _literal_value(b)
    if va is None or vb is None:
        return False
    try:
        return va < vb if strict else va <= vb
    except TypeError:
        return False


def _datatype_ok(term, datatype) -> bool:
    if not isinstance(term, Literal):
        return False
    if term.language:
        return datatype == _RDF_LANGSTRING
    actual = term.datatype or _XSD_STRING
    if actual != datatype:
        return False
    return not getattr(term, "ill_typed", False)


_S = {name: SH[name] for name in ("class", "in", "and", "or", "not")}
_SH = str(SH)


class _Shape:
    """One shape, compiled: its path, its counting constraints and a list of value checks."""

    def __init__(self, engine: "FastValidator", node):
        g = engine.shapes
        self.node = node
        params: dict = defaultdict(list)
        for p, o in g.predicate_objects(node):
            if str(p).startswith(_SH) and p not in _KNOWN:
                raise UnsupportedShape(f"shape {node} uses {p}, which the fast SHACL engine does not implement")
            params[p].append(o)
        path = params[SH.path][0] if params[SH.path] else None
        if isinstance(path, BNode):
            inverse = g.value(path, SH.inversePath)
            if inverse is None or len(list(g.predicate_objects(path))) != 1:
                raise UnsupportedShape(f"shape {node}: only predicate and inverse paths are implemented")
            path = ("inverse", inverse)
        self.path = path
        self.severity = _SEVERITIES.get(next(iter(params[SH.severity]), None), "Violation")
        self.message = str(next(iter(params[SH.message]), ""))
        self.deactivated = Literal(True) in params[SH.deactivated]
        self.properties = params[SH.property]
        self.min_count = [int(n) for n in params[SH.minCount]]
        self.max_count = [int(n) for n in params[SH.maxCount]]
        self.equals = params[SH.equals]
        self.less_than = params[SH.lessThan]
        self.qualified = params[SH.qualifiedValueShape]
        self.qualified_min = [int(n) for n in params[SH.qualifiedMinCount]]
        self.qualified_max = [int(n) for n in params[SH.qualifiedMaxCount]]
        self.has_value = params[SH.hasValue]
        self.counts = bool(self.min_count or self.max_count or self.equals or self.less_than or self.qualified
                           or self.has_value)
        self.checks = self._compile(engine, g, params)

    def _compile(self, engine, g, p) -> list:
        """(component, test) pairs; ``test(value)`` is True when the value conforms."""
        index = engine.index
        checks = []
        for cls in p[_S["class"]]:
            checks.append(("ClassConstraintComponent", lambda v, c=cls: index.is_instance(v, c)))
        for datatype in p[SH.datatype]:
            checks.append(("DatatypeConstraintComponent", lambda v, d=datatype: _datatype_ok(v, d)))
        for kind in p[SH.nodeKind]:
            checks.append(("NodeKindConstraintComponent", lambda v, k=_NODE_KINDS[kind]: isinstance(v, k)))
        flags = "".join(str(f) for f in p[SH.flags])
        for pattern in p[SH.pattern]:
            compiled = re.compile(str(pattern), re.IGNORECASE if "i" in flags else 0)
            checks.append(("PatternConstraintComponent",
                           lambda v, r=compiled: not isinstance(v, BNode) and r.search(str(v)) is not None))
        for n in p[SH.minLength]:
            checks.append(("MinLengthConstraintComponent",
                           lambda v, n=int(n): not isinstance(v, BNode) and len(str(v)) >= n))
        for n in p[SH.maxLength]:
            checks.append(("MaxLengthConstraintComponent",
                           lambda v, n=int(n): not isinstance(v, BNode) and len(str(v)) <= n))
        for b in p[SH.minInclusive]:
            checks.append(("MinInclusiveConstraintComponent", lambda v, b=b: _less(b, v, False)))
        for b in p[SH.maxInclusive]:
            checks.append(("MaxInclusiveConstraintComponent", lambda v, b=b: _less(v, b, False)))
        for b in p[SH.minExclusive]:
            checks.append(("MinExclusiveConstraintComponent", lambda v, b=b: _less(b, v, True)))
        for b in p[SH.maxExclusive]:
            checks.append(("MaxExclusiveConstraintComponent", lambda v, b=b: _less(v, b, True)))
        for head in p[_S["in"]]:
            checks.append(("InConstraintComponent", lambda v, m=frozenset(Collection(g, head)): v in m))
        for node in p[SH.node]:
            checks.append(("NodeConstraintComponent", lambda v, n=node: engine.conforms(n, v)))
        for node in p[_S["not"]]:
            checks.append(("NotConstraintComponent", lambda v, n=node: not engine.conforms(n, v)))
        for head in p[_S["and"]]:
            checks.append(("AndConstraintComponent",
                           lambda v, m=list(Collection(g, head)): all(engine.conforms(x, v) for x in m)))
        for head in p[_S["or"]]:
            checks.append(("OrConstraintComponent",
                           lambda v, m=list(Collection(g, head)): any(engine.conforms(x, v) for x in m)))
        for head in p[SH.xone]:
            checks.append(("XoneConstraintComponent",
                           lambda v, m=list(Collection(g, head)): sum(engine.conforms(x, v) for x in m) == 1))
        return checks


class FastValidator:
    """Evaluate a shapes graph over a data graph; ``sparql`` runs SPARQL target queries."""

    def __init__(self, data, shapes: Graph, sparql: Callable[[str], list] | None = None):
        self.shapes = shapes
        triples = list(data)
        self.index = _Index(triples)
        self.sparql = sparql or _rdflib_sparql(triples)
        self._shapes: dict = {}
        self._conforms_cache: dict = {}

    def shape(self, node) -> _Shape:
        shape = self._shapes.get(node)
        if shape is None:
            shape = self._shapes[node] = _Shape(self, node)
        return shape

    # -- targets ------------------------------------------------------------------------------

    def targets(self, node) -> set:
        g, index = self.shapes, self.index
        focus = set(g.objects(node, SH.targetNode))
        for cls in g.objects(node, SH.targetClass):
            focus |= index.instances(cls)
        for p in g.objects(node, SH.targetSubjectsOf):
            focus |= index.subjects_of(p)
        for p in g.objects(node, SH.targetObjectsOf):
            focus |= index.objects_of(p)
        for target in g.objects(node, SH.target):
            focus |= self._sparql_target(target)
        return focus

    def _prefix_lines(self, holder) -> str:
        lines = []
        for source in self.shapes.objects(holder, SH.prefixes):
            for decl in self.shapes.objects(source, SH.declare):
                lines.append(f"PREFIX {self.shapes.value(decl, SH.prefix)}: <{self.shapes.value(decl, SH.namespace)}>")
        return "\n".join(lines) + "\n"

    def _sparql_target(self, target) -> set:
        g = self.shapes
        select = g.value(target, SH.select)
        holder = target
        bindings = {}
        if select is None:
            kind = g.value(target, RDF.type)
            select = g.value(kind, SH.select)
            holder = kind
            if select is None:
                raise UnsupportedShape(f"target {target}: only SPARQL targets and target types are implemented")
            for parameter in g.objects(kind, SH.parameter):
                path = g.value(parameter, SH.path)
                name = str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                bindings[name] = g.value(target, path)
        query = str(select)
        for name, value in bindings.items():
            query = re.sub(rf"\${name}\b", value.n3(), query)
        query = self._prefix_lines(holder) + re.sub(r"\$this\b", "?this", query)
        return set(self.sparql(query))

    # -- validation ---------------------------------------------------------------------------

    def validate(self) -> list[Result]:
        results: list[Result] = []
        roots = {s for s in self.shapes.subjects() if any(
            (s, p, None) in self.shapes for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                                                   SH.targetObjectsOf, SH.target))}
        for root in sorted(roots, key=str):
            shape = self.shape(root)
            if shape.deactivated:
                continue
            for focus in self.targets(root):
                self._validate(shape, focus, results)
        return results

    def conforms(self, shape_node, focus) -> bool:
        key = (shape_node, focus)
        cached = self._conforms_cache.get(key)
        if cached is None:
            found: list[Result] = []
            self._validate(self.shape(shape_node), focus, found)
            cached = self._conforms_cache[key] = not found
        return cached

    def _validate(self, shape: _Shape, focus, results: list) -> None:
        if shape.deactivated:
            return
        path = shape.path
        values = [focus] if path is None else self.index.values(focus, path)

        def fail(component, value=None):
            results.append(Result(focus, path, value, shape.node, component, shape.severity, shape.message))

        if path is not None and shape.counts:
            count = len(set(values))
            for n in shape.min_count:
                if count < n:
                    fail("MinCountConstraintComponent")
            for n in shape.max_count:
                if count > n:
                    fail("MaxCountConstraintComponent")
            for other in shape.equals:
                mine, theirs = set(values), set(self.index.values(focus, other))
                for value in sorted(mine ^ theirs, key=str):
                    fail("EqualsConstraintComponent", value)
            for other in shape.less_than:
                theirs = self.index.values(focus, other)
                for value in values:
                    if not all(_less(value, o, True) for o in theirs):
                        fail("LessThanConstraintComponent", value)
            for qualified in shape.qualified:
                matching = sum(1 for v in set(values) if self.conforms(qualified, v))
                for n in shape.qualified_min:
                    if matching < n:
                        fail("QualifiedMinCountConstraintComponent")
                for n in shape.qualified_max:
                    if matching > n:
                        fail("QualifiedMaxCountConstraintComponent")
            for value in shape.has_value:
                if value not in values:
                    fail("HasValueConstraintComponent")
        elif path is None and any(v != focus for v in shape.has_value):
            fail("HasValueConstraintComponent", focus)
        for component, test in shape.checks:
            for value in values:
                if not test(value):
                    fail(component, value)
        for prop in shape.properties:
            for value in values:
                self._validate(self.shape(prop), value, results)


def _rdflib_sparql(triples):
    def run(query: str) -> list:
        graph = Graph()
        for triple in triples:
            graph.add(triple)
        return [row[0] for row in graph.query(query)]
    return run


def validate_fast(data, shapes: Graph, sparql: Callable[[str], list] | None = None) -> list[Result]:
    """Validate ``data`` (a graph or triples) against ``shapes`` with the fast engine (same
    results as pyshacl); ``sparql`` answers SHACL-AF SPARQL targets (first column)."""
    return FastValidator(data, shapes, sparql).validate()
