"""What the schema allows: classes, their hierarchy and disjointness, and each property's
kind, domain and range. The loader checks every curated statement against this index.

>>> from graphkit.project import Project
>>> schema = Schema.load(Project.locate().schema_file)
>>> schema.prop("hasSymptom").range_local
'Phenotype'
>>> schema.is_compatible({"Drug"}, "Phenotype")
False
>>> schema.is_compatible({"GeneticSyndrome"}, "RiskFactor")   # a role any kind can play
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from .closure import reachable
from .errors import CurationError, Location, close_names, did_you_mean
from .namespaces import GK, compact, schema_name
from .rdfread import turtle_graph

if TYPE_CHECKING:
    from .project import Project

# Where the schema names a class: a gk: term there must be a declared class (a typo in a range
# would otherwise be a new class, inferred onto every entity the property reaches).
CLASS_POSITIONS = (RDFS.domain, RDFS.range, RDFS.subClassOf, OWL.disjointWith, OWL.equivalentClass,
                   OWL.someValuesFrom, OWL.allValuesFrom, OWL.onClass, OWL.complementOf)
CLASS_LISTS = (OWL.unionOf, OWL.intersectionOf, OWL.members)

# Predicates from standard vocabularies that statements may use besides the schema's own.
EXTERNAL_STATEMENT_PREDICATES = {
    "skos:altLabel": SKOS.altLabel,
    "skos:definition": SKOS.definition,
}


@dataclass(frozen=True)
class Prop:
    iri: URIRef
    name: str               # as written in curation: "hasSymptom" or "skos:altLabel"
    kind: str               # "object", "datatype", "quantity"
    domain: str | None      # local class name
    range: URIRef | None
    quoted: bool            # literal values must occur in the quote

    @property
    def range_local(self) -> str | None:
        return schema_name(self.range)


class Schema:
    def __init__(self, graph: Graph):
        self.graph = graph
        self.classes: dict[str, URIRef] = {}
        self._parents: dict[str, set[str]] = {}
        for cls in graph.subjects(RDF.type, OWL.Class):
            if isinstance(cls, URIRef) and str(cls).startswith(str(GK)):
                name = str(cls)[len(str(GK)):]
                self.classes[name] = cls
        for name, cls in self.classes.items():
            self._parents[name] = {
                str(p)[len(str(GK)):] for p in graph.objects(cls, RDFS.subClassOf) if str(p).startswith(str(GK))
            }
        self.kinds: set[str] = set()
        self._disjoint: set[frozenset[str]] = set()
        for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
            members = [schema_name(m) for m in Collection(graph, graph.value(axiom, OWL.members))]
            self.kinds.update(m for m in members if m)
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    self._disjoint.add(frozenset((a, b)))
        for a, b in graph.subject_objects(OWL.disjointWith):
            self._disjoint.add(frozenset((schema_name(a), schema_name(b))))
        self.props: dict[str, Prop] = {}
        for kind_iri in (OWL.ObjectProperty, OWL.DatatypeProperty):
            for p in graph.subjects(RDF.type, kind_iri):
                if not str(p).startswith(str(GK)):
                    continue
                name = str(p)[len(str(GK)):]
                quantity = (p, GK.quantityProperty, None) in graph
                kind = "quantity" if quantity else ("object" if kind_iri == OWL.ObjectProperty else "datatype")
                domain = graph.value(p, RDFS.domain)
                self.props[name] = Prop(
                    iri=p, name=name, kind=kind,
                    domain=schema_name(domain) if domain is not None else None,
                    range=graph.value(p, RDFS.range),
                    quoted=(p, GK.literalValueMustBeQuoted, None) in graph,
                )
        # Value-set members declared in the schema (gk:AllOf, gk:Established, gk:unit_year, ...).
        self.individuals: dict[str, set[str]] = {}
        for name, cls in self.classes.items():
            for member in graph.subjects(RDF.type, cls):
                local = schema_name(member)
                if local and local not in self.classes and local not in self.props:
                    self.individuals.setdefault(local, set()).add(name)
        for curie, iri in EXTERNAL_STATEMENT_PREDICATES.items():
            self.props[curie] = Prop(iri=iri, name=curie, kind="datatype", domain=None,
                                     range=XSD.string, quoted=True)

    @classmethod
    def load(cls, path: Path, shown=None) -> "Schema":
        """The schema in the Turtle file ``path`` (a fault names it as ``shown``)."""
        return cls(turtle_graph(path, shown=shown))

    @classmethod
    def of_project(cls, project: "Project") -> "Schema":
        """The project's ``ontology/schema.ttl`` (a fault names it by its path in the project);
        a ``gk:`` class it names but does not declare is a :class:`CurationError` at its line."""
        shown = project.relative(project.schema_file)
        schema = cls.load(project.schema_file, shown)
        undeclared = schema.undeclared_classes()
        if undeclared:
            lines = project.schema_file.read_text(encoding="utf-8").splitlines()
            problems = []
            for name, where in undeclared.items():
                line = next((n for n, text in enumerate(lines, 1) if re.search(rf"\bgk:{re.escape(name)}(?![\w-])", text)), 0)
                hint = did_you_mean(("gk:" + close for close in close_names(name, schema.classes, n=1)), quoted=False)
                problems.append((Location(shown, line), f"gk:{name} is used as a class ({where}) but not declared "
                                                        f"as an owl:Class{hint}"))
            raise CurationError(problems)
        return schema

    def undeclared_classes(self) -> dict[str, str]:
        """The ``gk:`` terms the schema uses as classes without declaring them, each with where
        (the first use found, in the file's order of subjects)."""
        found: dict[str, str] = {}
        members = {item for head in (o for p in CLASS_LISTS for o in self.graph.objects(None, p))
                   for item in Collection(self.graph, head)}
        uses = [(s, p, o) for p in CLASS_POSITIONS for s, o in self.graph.subject_objects(p)]
        uses += [(None, None, item) for item in members]
        for subject, predicate, term in sorted(uses, key=lambda u: str(u[2])):
            name = schema_name(term) if isinstance(term, URIRef) else None
            if name and name not in self.classes and name not in found:
                found[name] = (f"{compact(str(predicate))} of {compact(str(subject))}"
                               if predicate is not None else "a member of a class list")
        return found

    def prop(self, name: str) -> Prop | None:
        """A property by local name (``hasSymptom``), ``gk:`` CURIE, or allowed external CURIE."""
        if name.startswith("gk:"):
            name = name[3:]
        return self.props.get(name)

    def parents(self, name: str) -> set[str]:
        """The class's direct superclasses in the schema (local names)."""
        return set(self._parents.get(name, ()))

    def ancestors(self, name: str) -> set[str]:
        """The class and all its superclasses (local names)."""
        return set(reachable(name, lambda c: self._parents.get(c, ())))

    @cached_property
    def _kind_descendants(self) -> dict[str, set[str]]:
        """For each class, the kinds that are subclasses of it."""
        result: dict[str, set[str]] = {name: set() for name in self.classes}
        for kind in self.kinds:
            for ancestor in self.ancestors(kind):
                result.setdefault(ancestor, set()).add(kind)
        return result

    def is_role(self, name: str) -> bool:
        """A role class (risk factor, adverse effect...) is played by entities of any kind."""
        return not (self.ancestors(name) & self.kinds) and not self._kind_descendants.get(name)

    def disjoint(self, a: str, b: str) -> bool:
        return any(frozenset((x, y)) in self._disjoint for x in self.ancestors(a) for y in self.ancestors(b))

    def is_compatible(self, types: set[str], required: str) -> bool:
        """Can an entity of ``types`` stand where ``required`` is declared (domain or range)?"""
        closure = set().union(*(self.ancestors(t) for t in types)) if types else set()
        if required in closure:
            return True
        if self.is_role(required):
            return not any(self.disjoint(t, required) for t in types)
        return False

    def kind_of(self, types: set[str]) -> set[str]:
        return set().union(*(self.ancestors(t) for t in types)) & self.kinds
