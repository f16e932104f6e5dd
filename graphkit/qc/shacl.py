"""SHACL validation: pyshacl (the reference) and a fast engine for the SHACL Core subset we use.

pyshacl needs ~4 ms per evidence node on this graph (9 s for 1,150 statements), far over the
build budget, so the build validates with the fast engine (:class:`FastValidator`): the same
shapes graph, evaluated in plain Python over indexes of the QC data's pyoxigraph terms (SHACL
Core: targets incl. SHACL-AF SPARQL targets, predicate and inverse paths, cardinality, value
type, value range, string, property-pair, logical, shape-based and qualified constraints). It
refuses any shape feature it does not implement (:class:`UnsupportedShape`), and the test suite
checks that it returns exactly pyshacl's results on the built graph and on broken copies.

Both engines return :class:`Result` tuples: :func:`validate_fast` and :func:`validate_pyshacl`
take and return rdflib terms, :class:`FastValidator` pyoxigraph terms (the QC data's).

>>> from rdflib import Graph
>>> data = Graph().parse(data='<http://ex/a> a <http://ex/C> .', format="turtle")
>>> shapes = Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
...   <http://ex/S> sh:targetClass <http://ex/C> ; sh:property [ sh:path <http://ex/p> ; sh:minCount 1 ] .''',
...   format="turtle")
>>> [(str(r.focus), r.component) for r in validate_fast(data, shapes)]
[('http://ex/a', 'MinCountConstraintComponent')]
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from decimal import Decimal
from typing import Callable, NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from ..closure import reachable
from ..terms import from_oxigraph, oxigraph_triples, text, to_oxigraph


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

    def with_terms(self, convert: Callable) -> "Result":
        """The result with its data terms (focus, path, value) converted by ``convert``, e.g.
        :func:`~graphkit.terms.from_oxigraph`."""
        def term(t):
            if t is None:
                return None
            return (t[0], convert(t[1])) if isinstance(t, tuple) else convert(t)
        return self._replace(focus=convert(self.focus), path=term(self.path), value=term(self.value))

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


# sh: parameters that are not constraints: a shape with none but these (gksh:NamedIndividual,
# which only gathers property shapes) gives no result of its own.
_NOT_CONSTRAINTS = frozenset(("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target",
                              "property", "path", "severity", "message", "name", "description", "deactivated",
                              "order", "group", "select", "prefixes", "parameter", "declare", "flags"))


def evaluated_rules(shapes: Graph, parameters: dict | None = None) -> list[tuple[str, str]]:
    """(level, rule) of every shape a validation evaluates and reports on, whether it finds
    something or not: the shapes with a target and their property shapes (``sh:property``, to any
    depth), deactivated ones left out, those with a constraint of their own; the rule is
    :func:`rule_name`'s and the level the shape's severity, as in the results (a result of a
    nested shape, ``sh:node`` or ``sh:or``, is the shape's that names it). ``parameters``: shape ->
    sh: local name -> values, as :class:`FastValidator` reads them (read here when not given).

    >>> shapes = Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/#> .
    ...   ex:S sh:targetClass ex:C ; sh:property ex:p-one, [ sh:path ex:q ; sh:minCount 1 ] .
    ...   ex:p-one sh:path ex:p ; sh:maxCount 1 ; sh:severity sh:Warning .
    ...   ex:off sh:targetClass ex:C ; sh:deactivated true ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .
    ...   ex:unused sh:path ex:p ; sh:minCount 1 .''', format="turtle")
    >>> evaluated_rules(shapes)
    [('violation', 'S'), ('warning', 'p-one')]
    """
    if parameters is None:
        parameters = defaultdict(lambda: defaultdict(list))
        for s, p, o in shapes:
            if p.startswith(_SH):
                parameters[s][p[len(_SH):]].append(o)
    rules, seen = set(), set()
    todo = [s for s, params in parameters.items() if any(params.get(t) for t in _TARGET_NAMES)]
    while todo:
        node = todo.pop()
        params = parameters.get(node, {})
        if node in seen or _TRUE in params.get("deactivated", ()):
            continue
        seen.add(node)
        todo += params.get("property", ())
        if any(values for name, values in params.items() if name not in _NOT_CONSTRAINTS):
            severity = _SEVERITIES.get(next(iter(params.get("severity", ())), None), "Violation")
            rules.add((severity.lower(), rule_name(shapes, node)))
    return sorted(rules, key=lambda r: (r[1], r[0]))


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
    SH.IRI: (ox.NamedNode,), SH.BlankNode: (ox.BlankNode,), SH.Literal: (ox.Literal,),
    SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode), SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
    SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
_TARGET_NAMES = tuple(str(t)[len(str(SH)):] for t in _TARGETS)
_SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
# Shape parameters the engine understands (local names in the sh: namespace); any other sh:
# parameter is refused.
_KNOWN = {"targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target", "property", "path", "severity",
          "message", "name", "description", "deactivated", "class", "datatype", "nodeKind", "pattern", "flags", "in",
          "minLength", "maxLength", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "minCount",
          "maxCount", "equals", "lessThan", "node", "not", "and", "or", "xone", "qualifiedValueShape",
          "qualifiedMinCount", "qualifiedMaxCount", "hasValue", "order", "group", "select", "prefixes", "parameter",
          "declare"}
_SH = str(SH)
_TRUE = Literal(True)


# The data's terms the engine looks up for every focus node and value, made once.
_RDF_TYPE, _SUBCLASS_OF = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(RDFS.subClassOf))
_INVERSE_TYPE = ("inverse", _RDF_TYPE)
_XSD_STRING, _RDF_LANGSTRING = ox.NamedNode(str(XSD.string)), ox.NamedNode(str(RDF.langString))
_XSD_INTEGER = ox.NamedNode(str(XSD.integer))
_CANONICAL_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_NUMERIC = frozenset((XSD.integer, XSD.decimal, XSD.int, XSD.long, XSD.double, XSD.float, XSD.nonNegativeInteger))


class _Index:
    """Per-predicate indexes of the data triples, each made when a shape first asks about its
    predicate, and SHACL class membership."""

    def __init__(self, with_predicate: Callable):
        self._with_predicate = with_predicate        # predicate -> the data triples with it
        self._forward: dict = {}
        self._inverse: dict = {}
        self._superclasses: dict = {}
        self._instances: dict = {}

    def _subjects(self, predicate) -> dict:
        """Subject -> its values of ``predicate``."""
        found = self._forward.get(predicate)
        if found is None:
            found = defaultdict(list)
            for t in self._with_predicate(predicate):
                found[t.subject].append(t.object)
            found = self._forward[predicate] = dict(found)
        return found

    def table(self, path) -> dict:
        """Node -> its values along ``path`` (a predicate, or ("inverse", predicate))."""
        if isinstance(path, tuple):
            index = self._inverse.get(path[1])
            if index is None:
                index = self._inverse[path[1]] = defaultdict(list)
                for s, objects in self._subjects(path[1]).items():
                    for o in objects:
                        index[o].append(s)
            return index
        return self._subjects(path)

    def values(self, node, path) -> list:
        return self.table(path).get(node, [])

    def subjects_of(self, p) -> set:
        return set(self._subjects(p))

    def objects_of(self, p) -> set:
        return {o for objects in self._subjects(p).values() for o in objects}

    def superclasses(self, cls) -> set:
        found = self._superclasses.get(cls)
        if found is None:
            found = self._superclasses[cls] = set(reachable(cls, lambda c: self.values(c, _SUBCLASS_OF)))
        return found

    def instances(self, cls) -> set:
        """The nodes typed with ``cls`` or a subclass of it (made once per class: sh:class checks
        a set of values against it)."""
        found = self._instances.get(cls)
        if found is None:
            classes = self.subjects_of(_SUBCLASS_OF) | {cls}
            found = self._instances[cls] = {s for c in classes if cls in self.superclasses(c)
                                            for s in self.values(c, _INVERSE_TYPE)}
        return found


def _literal_value(term):
    """The value of an rdflib literal that value ranges compare (None: not comparable)."""
    if isinstance(term, Literal) and term.datatype in _NUMERIC:
        value = term.toPython()
        return value if isinstance(value, (int, float, Decimal)) else None
    if isinstance(term, Literal):
        return term.toPython()
    return None


def _less(va, vb, strict: bool) -> bool:
    """``va`` < ``vb`` (``strict``) or <=, for values of :func:`_literal_value`."""
    if va is None or vb is None:
        return False
    try:
        return va < vb if strict else va <= vb
    except TypeError:
        return False


class _Shape:
    """One shape, compiled: its path, its counting constraints and a list of value checks. The
    shapes graph is rdflib's; the data terms a shape names (path, classes, values) are converted
    to pyoxigraph terms here, once."""

    def __init__(self, engine: "FastValidator", node):
        g = engine.shapes
        self.node = node
        params = engine.parameters[node]
        unknown = sorted(set(params) - _KNOWN)
        if unknown:
            raise UnsupportedShape(f"shape {node} uses {_SH}{unknown[0]}, which the fast SHACL engine does not "
                                   "implement")
        path = params["path"][0] if params["path"] else None
        if isinstance(path, BNode):
            inverse = g.value(path, SH.inversePath)
            if inverse is None or len(list(g.predicate_objects(path))) != 1:
                raise UnsupportedShape(f"shape {node}: only predicate and inverse paths are implemented")
            path = ("inverse", to_oxigraph(inverse))
        elif path is not None:
            path = to_oxigraph(path)
        self.path = path
        self.values_of = engine.index.table(path) if path is not None else None   # looked up for each focus node
        self.severity = _SEVERITIES.get(next(iter(params["severity"]), None), "Violation")
        self.message = str(next(iter(params["message"]), ""))
        self.deactivated = _TRUE in params["deactivated"]
        self.properties = params["property"]
        self.min_count = [int(n) for n in params["minCount"]]
        self.max_count = [int(n) for n in params["maxCount"]]
        self.equals = [to_oxigraph(p) for p in params["equals"]]
        self.less_than = [to_oxigraph(p) for p in params["lessThan"]]
        self.qualified = params["qualifiedValueShape"]
        self.qualified_min = [int(n) for n in params["qualifiedMinCount"]]
        self.qualified_max = [int(n) for n in params["qualifiedMaxCount"]]
        self.has_value = [to_oxigraph(v) for v in params["hasValue"]]
        self.counts = bool(self.min_count or self.max_count or self.equals or self.less_than or self.qualified
                           or self.has_value)
        self.checks = self._compile(engine, g, params)

    def _compile(self, engine, g, p) -> list:
        """(component, test) pairs; ``test(values)`` takes a set of value nodes and returns those
        that do not conform (a nested shape is evaluated for all of them at once)."""
        index, value = engine.index, engine.comparable
        checks = []
        for cls in p["class"]:
            checks.append(("ClassConstraintComponent", lambda vs, c=to_oxigraph(cls): vs - index.instances(c)))
        for datatype in p["datatype"]:
            checks.append(("DatatypeConstraintComponent",
                           _each(lambda v, d=to_oxigraph(datatype): engine.has_datatype(v, d))))
        for kind in p["nodeKind"]:
            checks.append(("NodeKindConstraintComponent", _each(lambda v, k=_NODE_KINDS[kind]: isinstance(v, k))))
        flags = "".join(str(f) for f in p["flags"])
        for pattern in p["pattern"]:
            compiled = re.compile(str(pattern), re.IGNORECASE if "i" in flags else 0)
            checks.append(("PatternConstraintComponent", _each(
                lambda v, r=compiled: not isinstance(v, ox.BlankNode) and r.search(v.value) is not None)))
        for n in p["minLength"]:
            checks.append(("MinLengthConstraintComponent",
                           _each(lambda v, n=int(n): not isinstance(v, ox.BlankNode) and len(v.value) >= n)))
        for n in p["maxLength"]:
            checks.append(("MaxLengthConstraintComponent",
                           _each(lambda v, n=int(n): not isinstance(v, ox.BlankNode) and len(v.value) <= n)))
        for key, exclusive in (("minInclusive", False), ("maxInclusive", False), ("minExclusive", True),
                               ("maxExclusive", True)):
            below = key.startswith("max")              # the value below the bound, else above it
            for b in p[key]:
                checks.append((key[0].upper() + key[1:] + "ConstraintComponent", _each(
                    lambda v, b=_literal_value(b), x=exclusive, below=below:
                    _less(value(v), b, x) if below else _less(b, value(v), x))))
        for head in p["in"]:
            checks.append(("InConstraintComponent",
                           lambda vs, m=frozenset(to_oxigraph(x) for x in Collection(g, head)): vs - m))
        for node in p["node"]:
            checks.append(("NodeConstraintComponent", lambda vs, n=node: engine.nonconforming(n, vs)))
        for node in p["not"]:
            checks.append(("NotConstraintComponent", lambda vs, n=node: vs - engine.nonconforming(n, vs)))
        for head in p["and"]:
            checks.append(("AndConstraintComponent", lambda vs, m=list(Collection(g, head)): engine.failing_any(m, vs)))
        for head in p["or"]:
            checks.append(("OrConstraintComponent", lambda vs, m=list(Collection(g, head)): engine.failing_all(m, vs)))
        for head in p["xone"]:
            checks.append(("XoneConstraintComponent",
                           lambda vs, m=list(Collection(g, head)): engine.not_exactly_one(m, vs)))
        return checks


def _each(test: Callable) -> Callable[[set], set]:
    """The set test of a per-value test: the values ``test`` rejects."""
    return lambda values: {v for v in values if not test(v)}


_NONE: list = []


class FastValidator:
    """Evaluate a shapes graph (rdflib) over one graph of pyoxigraph terms: ``triples``, its
    triples (or quads), or a function giving those with a predicate (read as the shapes ask, so
    that triples of no predicate they name are never read). ``sparql`` answers SHACL-AF SPARQL
    targets with the first column's pyoxigraph terms (default: a store of the triples; required
    with a function). Results hold pyoxigraph terms."""

    def __init__(self, triples, shapes: Graph, sparql: Callable[[str], list] | None = None):
        self.shapes = shapes
        # Shape node -> sh: parameter (local name) -> values, read in one pass: rdflib's lookups
        # node by node took ~0.05 s a build (measured).
        self.parameters: dict = defaultdict(lambda: defaultdict(list))
        for s, p, o in shapes:
            if p.startswith(_SH):
                self.parameters[s][p[len(_SH):]].append(o)
        if callable(triples):
            if sparql is None:
                raise ValueError("SPARQL targets need a `sparql` function when the triples are read by predicate")
            self.index = _Index(triples)
        else:
            triples = list(triples)
            by_predicate: dict = defaultdict(list)
            for t in triples:
                by_predicate[t.predicate].append(t)
            self.index = _Index(lambda p: by_predicate.get(p, _NONE))
        self.sparql = sparql or _store_sparql(triples)
        self._shapes: dict = {}
        self._conforms_cache: dict = {}
        self._rdflib_terms: dict = {}

    def shape(self, node) -> _Shape:
        shape = self._shapes.get(node)
        if shape is None:
            shape = self._shapes[node] = _Shape(self, node)
        return shape

    # rdflib's reading of a literal (its Python value, whether it is ill-typed) decides value
    # ranges and datatypes, as in pyshacl; an xsd:integer in canonical form, the common case
    # (~10^4 quote offsets), is read here without making an rdflib literal.

    def comparable(self, term):
        """The value of a data term that value ranges compare (None: not comparable)."""
        if isinstance(term, ox.Literal) and term.datatype == _XSD_INTEGER and _CANONICAL_INTEGER.fullmatch(term.value):
            return int(term.value)
        return _literal_value(from_oxigraph(term, self._rdflib_terms))

    def has_datatype(self, term, datatype) -> bool:
        if not isinstance(term, ox.Literal):
            return False
        if term.language:
            return datatype == _RDF_LANGSTRING
        if term.datatype != datatype:
            return False
        if datatype == _XSD_STRING or (datatype == _XSD_INTEGER and _CANONICAL_INTEGER.fullmatch(term.value)):
            return True
        return not getattr(from_oxigraph(term, self._rdflib_terms), "ill_typed", False)

    # -- targets ------------------------------------------------------------------------------

    def targets(self, node) -> set:
        params, index = self.parameters[node], self.index
        focus = {to_oxigraph(n) for n in params["targetNode"]}
        for cls in params["targetClass"]:
            focus |= index.instances(to_oxigraph(cls))
        for p in params["targetSubjectsOf"]:
            focus |= index.subjects_of(to_oxigraph(p))
        for p in params["targetObjectsOf"]:
            focus |= index.objects_of(to_oxigraph(p))
        for target in params["target"]:
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
        roots = {s for p in _TARGETS for s in self.shapes.subjects(p)}
        for root in sorted(roots, key=str):
            self._evaluate(self.shape(root), list(self.targets(root)), results)
        # The compiled shapes refer back to the engine (their tests call nonconforming()): dropped
        # here, the engine and its indexes (~3x10^5 objects) are freed as soon as the caller lets
        # go, not left to the cyclic garbage collector.
        self._shapes.clear()
        return results

    # A shape is evaluated for all its focus nodes at once, constraint by constraint: one Python
    # call per (shape, focus node) was most of a build's validation time (1.2x10^5 calls).

    def nonconforming(self, shape_node, nodes: set) -> set:
        """The ``nodes`` that do not conform to the shape ``shape_node`` (remembered per node:
        nested shapes such as gksh:Number are asked about the same nodes from several places)."""
        known = self._conforms_cache.setdefault(shape_node, {})
        new = [n for n in nodes if n not in known]
        if new:
            failing = self._evaluate(self.shape(shape_node), new, None)
            for n in new:
                known[n] = n not in failing
        return {n for n in nodes if not known[n]}

    def failing_any(self, shape_nodes: list, nodes: set) -> set:
        """The ``nodes`` that fail at least one of the shapes (sh:and)."""
        failing: set = set()
        for shape_node in shape_nodes:
            failing |= self.nonconforming(shape_node, nodes - failing)
        return failing

    def failing_all(self, shape_nodes: list, nodes: set) -> set:
        """The ``nodes`` that fail every one of the shapes (sh:or)."""
        for shape_node in shape_nodes:
            nodes = self.nonconforming(shape_node, nodes)
        return nodes

    def not_exactly_one(self, shape_nodes: list, nodes: set) -> set:
        """The ``nodes`` that conform to none or to several of the shapes (sh:xone)."""
        conforming: dict = defaultdict(int)
        for shape_node in shape_nodes:
            for n in nodes - self.nonconforming(shape_node, nodes):
                conforming[n] += 1
        return {n for n in nodes if conforming[n] != 1}

    def _evaluate(self, shape: _Shape, foci: list, results: list | None) -> set:
        """The ``foci`` that do not conform to ``shape``; with ``results``, add the result of
        every failure (a focus listed twice is reported twice)."""
        failing: set = set()
        if shape.deactivated or not foci:
            return failing
        path = shape.path

        def fail(focus, component, value=None):
            failing.add(focus)
            if results is not None:
                results.append(Result(focus, path, value, shape.node, component, shape.severity, shape.message))

        if path is None:
            value_lists = [(focus, (focus,)) for focus in foci]
        else:
            values_of = shape.values_of
            value_lists = [(focus, values_of.get(focus, _NONE)) for focus in foci]
        if path is not None and shape.counts:
            self._count(shape, value_lists, fail)
        elif path is None and shape.has_value:
            for focus in foci:
                if any(v != focus for v in shape.has_value):
                    fail(focus, "HasValueConstraintComponent", focus)
        if shape.checks:
            distinct = {v for _, values in value_lists for v in values}
            for component, test in shape.checks:
                rejected = test(distinct)
                if rejected:
                    for focus, values in value_lists:
                        for value in values:
                            if value in rejected:
                                fail(focus, component, value)
        for prop in shape.properties:
            if results is None and failing:
                # Only conformance asked (a nested shape): a focus that failed is not looked at
                # again, as a one-node check would stop at its first failure. Half the nodes
                # given to gksh:QuoteSelector are position selectors, which fail its sh:class.
                value_lists = [fv for fv in value_lists if fv[0] not in failing]
            rejected = self._evaluate(self.shape(prop), [v for _, values in value_lists for v in values], results)
            if rejected:
                failing.update(focus for focus, values in value_lists if any(v in rejected for v in values))
        return failing

    def _count(self, shape: _Shape, value_lists: list, fail: Callable) -> None:
        """The constraints on the values of a property shape together (counts, equality,
        order, qualified counts, required values)."""
        for qualified in shape.qualified:
            conforming = {v for _, values in value_lists for v in values}
            conforming -= self.nonconforming(qualified, conforming)
            counts = ((focus, len(conforming.intersection(values))) for focus, values in value_lists)
            for focus, component in _outside(counts, shape.qualified_min, shape.qualified_max, "Qualified"):
                fail(focus, component)
        if shape.min_count or shape.max_count:
            # A value list holds each value once (the index is of one graph's triples), so its
            # length is the count.
            counts = ((focus, len(values)) for focus, values in value_lists)
            for focus, component in _outside(counts, shape.min_count, shape.max_count):
                fail(focus, component)
        for other in shape.equals:
            theirs = self.index.table(other)
            for focus, values in value_lists:
                for value in sorted(set(values) ^ set(theirs.get(focus, _NONE)), key=text):
                    fail(focus, "EqualsConstraintComponent", value)
        for other in shape.less_than:
            theirs = self.index.table(other)
            for focus, values in value_lists:
                bounds = [self.comparable(o) for o in theirs.get(focus, _NONE)]
                for value in values:
                    mine = self.comparable(value)
                    if not all(_less(mine, bound, True) for bound in bounds):
                        fail(focus, "LessThanConstraintComponent", value)
        for value in shape.has_value:
            for focus, values in value_lists:
                if value not in values:
                    fail(focus, "HasValueConstraintComponent")


def _outside(counts, minimums: list, maximums: list, kind: str = "") -> list[tuple]:
    """(focus, component) for each (focus, count) of ``counts`` outside the bounds (``kind``:
    "" or "Qualified")."""
    lowest, highest = max(minimums, default=0), min(maximums, default=math.inf)
    failures: list = []
    for focus, count in counts:
        if lowest <= count <= highest:
            continue
        failures += [(focus, f"{kind}MinCountConstraintComponent") for n in minimums if count < n]
        failures += [(focus, f"{kind}MaxCountConstraintComponent") for n in maximums if count > n]
    return failures


def _store_sparql(triples) -> Callable[[str], list]:
    """SPARQL targets answered by a pyoxigraph store of ``triples``, made on the first query."""
    store = None

    def run(query: str) -> list:
        nonlocal store
        if store is None:
            store = ox.Store()
            store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        return [row[0] for row in store.query(query) if row[0] is not None]
    return run


def validate_fast(data, shapes: Graph) -> list[Result]:
    """Validate ``data`` (an rdflib graph or triples) against ``shapes`` with the fast engine:
    the same results as pyshacl, in rdflib terms."""
    memo: dict = {}
    results = FastValidator(list(oxigraph_triples(data)), shapes).validate()
    return [r.with_terms(lambda term: from_oxigraph(term, memo)) for r in results]
