"""The SHACL shapes graph: ``ontology/shapes.ttl`` plus domain/range shapes derived from the schema.

One node shape per schema property and direction, named after the rule it checks:
``gksh:hasSymptom-domain`` (every subject of gk:hasSymptom is a gk:MedicalCondition) and
``gksh:hasSymptom-range`` (every object is a gk:Phenotype). They are derived from
``rdfs:domain``/``rdfs:range`` of ``ontology/schema.ttl`` each time, so they never drift from
the schema. A *role* range (gk:RiskFactor, gk:AdverseEffect ...) is inferred from the edge, not
asserted, so its shape only asks for an entity IRI.

>>> from graphkit.project import Project
>>> from graphkit.schema import Schema
>>> g = property_shapes(Schema.load(Project.locate().schema_file))
>>> from rdflib.namespace import SH
>>> str(g.value(GKSH["hasSymptom-domain"], SH["class"]))
'https://w3id.org/graphkit/schema#MedicalCondition'
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import RDF, SH, XSD

from ..namespaces import GK, schema_name
from ..rdfread import turtle_graph
from ..schema import Schema

GKSH = Namespace("https://w3id.org/graphkit/shapes#")
NUMBER_SHAPE = GKSH.Number


def _local(iri) -> str:
    return schema_name(iri) or str(iri)


def _range_constraint(graph: Graph, shape, schema: Schema, prop) -> str | None:
    """Add the constraint on the values of ``prop`` to ``shape``; return a readable expectation."""
    rng = prop.range
    if rng is not None and str(rng).startswith(str(GK)):
        name = _local(rng)
        if name in schema.classes and not schema.is_role(name):
            graph.add((shape, SH["class"], rng))
            return f"a gk:{name}"
        graph.add((shape, SH.nodeKind, SH.IRI))
        return f"an entity (the role gk:{name} is inferred from the edge)"
    if rng == XSD.decimal:
        graph.add((shape, SH.node, NUMBER_SHAPE))
        return "an xsd:integer or xsd:decimal"
    if rng is not None and str(rng).startswith(str(XSD)):
        graph.add((shape, SH.datatype, rng))
        return f"an xsd:{str(rng)[len(str(XSD)):]} literal"
    if prop.kind == "datatype":
        graph.add((shape, SH.nodeKind, SH.Literal))
        return "a literal"
    graph.add((shape, SH.nodeKind, SH.IRI))
    return "an IRI"


def property_shapes(schema: Schema, graph: Graph | None = None) -> Graph:
    """Domain and range shapes for every property of the schema's own namespace, added to
    ``graph`` (default: a new graph)."""
    graph = Graph() if graph is None else graph
    graph.bind("gksh", GKSH)
    graph.bind("gk", GK)
    graph.bind("sh", SH)
    for name in sorted(schema.props):
        prop = schema.props[name]
        if not str(prop.iri).startswith(str(GK)):
            continue
        if prop.domain and prop.domain in schema.classes and not schema.is_role(prop.domain):
            shape = GKSH[f"{name}-domain"]
            graph.add((shape, RDF.type, SH.NodeShape))
            graph.add((shape, SH.targetSubjectsOf, prop.iri))
            graph.add((shape, SH["class"], GK[prop.domain]))
            graph.add((shape, SH.severity, SH.Violation))
            graph.add((shape, SH.message, Literal(f"the subject of gk:{name} must be a gk:{prop.domain} (its domain)")))
        shape = GKSH[f"{name}-range"]
        values = BNode(f"range-{name}")
        graph.add((shape, RDF.type, SH.NodeShape))
        graph.add((shape, SH.targetSubjectsOf, prop.iri))
        graph.add((shape, SH.property, values))
        graph.add((values, RDF.type, SH.PropertyShape))
        graph.add((values, SH.path, prop.iri))
        expectation = _range_constraint(graph, values, schema, prop)
        graph.add((values, SH.severity, SH.Violation))
        graph.add((values, SH.message, Literal(f"the value of gk:{name} must be {expectation} (its range)")))
    return graph


def load_shapes(shapes_file, schema: Schema, shown=None) -> Graph:
    """The full shapes graph: the hand-written shapes plus the derived property shapes (made
    in place: copying them over from a graph of their own cost ~15 ms a build)."""
    return property_shapes(schema, turtle_graph(shapes_file, shown=shown))
