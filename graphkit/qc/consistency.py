"""Consistency of the OWL 2 RL closure, each inconsistency reported with the triples responsible.

The closure is the release plus its inferences (``inferred.ttl``). OWL RL's "false" rules
become findings (all violations):

- ``disjoint-classes`` (cax-dw, cax-adc): an individual in two disjoint classes, e.g. a drug
  that is also a disease. The explanation lists, for each class, the triples that put the
  individual there: its asserted ``rdf:type`` (registry file:line), or the edges whose domain or
  range implies the class (statement file:line).
- ``nothing-member`` (cls-nothing2): an individual of ``owl:Nothing``.
- ``unsatisfiable-class``: a schema class under two disjoint classes (or under owl:Nothing).
- ``functional-property`` (prp-fp), ``inverse-functional-property`` (prp-ifp),
  ``asymmetric-property`` (prp-asyp), ``irreflexive-property`` (prp-irp),
  ``disjoint-properties`` (prp-pdw, prp-adp), ``same-and-different`` (eq-diff1): a property
  used against its declared characteristics.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pyoxigraph as ox
from rdflib.namespace import OWL

from ..closure import reachable
from ..namespaces import compact
from ..terms import from_oxigraph, text as term_text
from .data import QCData
from .findings import Finding

CHECK = "consistency"


_NOTHING = ox.NamedNode(str(OWL.Nothing))


def _n3(term) -> str:
    """A pyoxigraph term in query text (it prints as N-Triples)."""
    return str(term)


class Consistency:
    def __init__(self, data: QCData):
        self.data = data
        self.parents = defaultdict(set)
        for row in data.select("SELECT ?c ?d WHERE { ?c rdfs:subClassOf ?d FILTER(isIRI(?c) && isIRI(?d)) }"):
            self.parents[row["c"]].add(row["d"])
        self.disjoint: set[frozenset] = set()
        for row in data.select("""
            SELECT DISTINCT ?a ?b WHERE {
              { ?ax a owl:AllDisjointClasses ; owl:members ?list . ?list rdf:rest*/rdf:first ?a, ?b }
              UNION { ?a owl:disjointWith ?b }
              FILTER(?a != ?b && isIRI(?a) && isIRI(?b)) }"""):
            self.disjoint.add(frozenset((row["a"], row["b"])))
        self.domains = defaultdict(set)
        self.ranges = defaultdict(set)
        for row in data.select("SELECT ?p ?k ?c WHERE { ?p ?k ?c VALUES ?k { rdfs:domain rdfs:range } FILTER(isIRI(?c)) }"):
            (self.domains if row["k"].value.endswith("domain") else self.ranges)[row["p"]].add(row["c"])

    def ancestors(self, cls) -> set:
        return set(reachable(cls, lambda c: self.parents.get(c, ())))

    # -- explanations ----------------------------------------------------------------------------

    def _edge(self, s, p, o) -> tuple[str, list[str]]:
        where = self.data.edge_locations(s, p, o)
        return f"{self.data.short(s)} {compact(p.value)} {self.data.short(o)}", where

    def why_member(self, node, cls) -> list[tuple[str, list[str]]]:
        """The asserted types and the edges (by domain or range) that make ``node`` a ``cls``."""
        reasons = []
        for row in self.data.select(f"SELECT ?t WHERE {{ {_n3(node)} a ?t }}"):
            if cls in self.ancestors(row["t"]):
                reasons.append((f"{self.data.short(node)} rdf:type {compact(row['t'].value)} (asserted)",
                                self.data.locations(node)))
        for row in self.data.select(f"SELECT ?p ?o WHERE {{ {_n3(node)} ?p ?o }}", union=True):
            if any(cls in self.ancestors(d) for d in self.domains.get(row["p"], ())):
                text, where = self._edge(node, row["p"], row["o"])
                reasons.append((f"{text} (domain of {compact(row['p'].value)})", where))
        for row in self.data.select(f"SELECT ?s ?p WHERE {{ ?s ?p {_n3(node)} }}", union=True):
            if any(cls in self.ancestors(r) for r in self.ranges.get(row["p"], ())):
                text, where = self._edge(row["s"], row["p"], node)
                reasons.append((f"{text} (range of {compact(row['p'].value)})", where))
        return reasons

    def _finding(self, rule, node, prop, value, message, reasons) -> Finding:
        locations = sorted({loc for _, where in reasons for loc in where})
        # Each reason's triple is asserted (a type, or an edge whose domain or range implies it):
        # where it is curated, or that no curated line holds it (a file given to validate).
        because = "; ".join(f"{text} [{', '.join(where) or 'no curated line'}]" for text, where in reasons)
        return Finding("violation", rule, CHECK, self.data.short(node), self.data.label(node),
                       prop, value, "; ".join(locations), f"{message}: {because}" if because else message)

    # -- checks ----------------------------------------------------------------------------------

    def disjoint_classes(self) -> list[Finding]:
        members = {c for pair in self.disjoint for c in pair}
        types = defaultdict(set)
        values = " ".join(_n3(c) for c in sorted(members, key=term_text))
        for row in self.data.select(f"SELECT DISTINCT ?x ?c WHERE {{ VALUES ?c {{ {values} }} ?x a ?c }}", union=True):
            types[row["x"]].add(row["c"])
        pairs_of = defaultdict(set)     # class -> the disjoint pairs it is in: not every pair for every node
        for pair in self.disjoint:
            for c in pair:
                pairs_of[c].add(pair)
        findings = []
        for node, classes in types.items():
            candidates = {pair for c in classes for pair in pairs_of[c]}
            for pair in sorted((p for p in candidates if p <= classes), key=lambda p: sorted(map(term_text, p))):
                a, b = sorted(pair, key=term_text)
                reasons = self.why_member(node, a) + self.why_member(node, b)
                findings.append(self._finding(
                    "disjoint-classes", node, "rdf:type", f"{compact(a.value)} and {compact(b.value)}",
                    f"{self.data.short(node)} is both a {compact(a.value)} and a {compact(b.value)}, which are disjoint",
                    reasons))
        return findings

    def nothing(self) -> list[Finding]:
        findings = []
        for row in self.data.select("SELECT DISTINCT ?x WHERE { ?x a owl:Nothing }", union=True):
            findings.append(self._finding("nothing-member", row["x"], "rdf:type", "owl:Nothing",
                                          "an individual of owl:Nothing (no individual can be)",
                                          self.why_member(row["x"], _NOTHING)))
        return findings

    def unsatisfiable(self) -> list[Finding]:
        findings = []
        classes = {c for c in self.parents if isinstance(c, ox.NamedNode)}
        for cls in sorted(classes, key=term_text):
            up = self.ancestors(cls)
            clashes = [sorted(p, key=term_text) for p in self.disjoint if p <= up]
            if _NOTHING in up and cls != _NOTHING:
                clashes.append([_NOTHING])
            for clash in clashes:
                findings.append(Finding("violation", "unsatisfiable-class", CHECK, compact(cls.value),
                                        self.data.label(cls), "rdfs:subClassOf", " and ".join(compact(c.value) for c in clash),
                                        "ontology/schema.ttl",
                                        "the class is a subclass of " + " and ".join(compact(c.value) for c in clash)
                                        + (", which are disjoint" if len(clash) > 1 else "") + ": it can have no members"))
        return findings

    def _pairs(self, rule, query, message) -> list[Finding]:
        findings = []
        seen = set()
        for row in self.data.select(query, union=True):
            triples = row_triples(row)
            key = frozenset(triples)
            if key in seen or _same_value(row):
                continue
            seen.add(key)
            reasons = [self._edge(*t) for t in triples]
            node, prop = triples[0][0], triples[0][1]
            value = ", ".join(self.data.short(t[2]) for t in triples)
            findings.append(self._finding(rule, node, compact(prop.value), value,
                                          message.format(p=compact(prop.value)), reasons))
        return findings

    def properties(self) -> list[Finding]:
        return (
            self._pairs("functional-property", """
                SELECT DISTINCT ?s1 ?p1 ?o1 ?s2 ?p2 ?o2 WHERE {
                  ?p1 a owl:FunctionalProperty . ?s1 ?p1 ?o1 . ?s1 ?p1 ?o2 .
                  BIND(?s1 AS ?s2) BIND(?p1 AS ?p2) FILTER(!sameTerm(?o1, ?o2) && STR(?o1) <= STR(?o2)) }""",
                        "{p} is functional but has two values")
            + self._pairs("inverse-functional-property", """
                SELECT DISTINCT ?s1 ?p1 ?o1 ?s2 ?p2 ?o2 WHERE {
                  ?p1 a owl:InverseFunctionalProperty . ?s1 ?p1 ?o1 . ?s2 ?p1 ?o1 .
                  BIND(?p1 AS ?p2) BIND(?o1 AS ?o2) FILTER(!sameTerm(?s1, ?s2) && STR(?s1) < STR(?s2)) }""",
                          "{p} is inverse-functional but two subjects share a value")
            + self._pairs("asymmetric-property", """
                SELECT DISTINCT ?s1 ?p1 ?o1 ?s2 ?p2 ?o2 WHERE {
                  ?p1 a owl:AsymmetricProperty . ?s1 ?p1 ?o1 . ?o1 ?p1 ?s1 .
                  BIND(?o1 AS ?s2) BIND(?p1 AS ?p2) BIND(?s1 AS ?o2) FILTER(STR(?s1) <= STR(?o1)) }""",
                          "{p} is asymmetric but holds both ways")
            + self._pairs("irreflexive-property", """
                SELECT DISTINCT ?s1 ?p1 ?o1 WHERE { ?p1 a owl:IrreflexiveProperty . ?s1 ?p1 ?s1 . BIND(?s1 AS ?o1) }""",
                          "{p} is irreflexive but relates a node to itself")
            + self.disjoint_properties()
            + self._pairs("same-and-different", """
                SELECT DISTINCT ?s1 ?p1 ?o1 ?s2 ?p2 ?o2 WHERE {
                  ?s1 owl:sameAs ?o1 . { ?s1 owl:differentFrom ?o1 } UNION { ?o1 owl:differentFrom ?s1 }
                  BIND(owl:sameAs AS ?p1) BIND(?s1 AS ?s2) BIND(owl:differentFrom AS ?p2) BIND(?o1 AS ?o2) }""",
                          "two nodes are both the same (owl:sameAs) and different (owl:differentFrom)")
        )

    def disjoint_properties(self) -> list[Finding]:
        # The declared pairs first, then their uses: joined in one query, pyoxigraph scanned every
        # triple of the closure for `?s1 ?p1 ?o1` (0.16 s a build) even when no pair is declared.
        # Only IRIs can be predicates (and VALUES holds no blank nodes).
        pairs = self.data.select("""
            SELECT DISTINCT ?p1 ?p2 WHERE {
              { ?p1 owl:propertyDisjointWith ?p2 }
              UNION { ?ax a owl:AllDisjointProperties ; owl:members ?l . ?l rdf:rest*/rdf:first ?p1, ?p2 FILTER(?p1 != ?p2) }
              FILTER(isIRI(?p1) && isIRI(?p2)) }""",
                                 union=True)
        if not pairs:
            return []
        values = " ".join(f"({_n3(row['p1'])} {_n3(row['p2'])})" for row in pairs)
        return self._pairs("disjoint-properties", f"""
            SELECT DISTINCT ?s1 ?p1 ?o1 ?s2 ?p2 ?o2 WHERE {{
              VALUES (?p1 ?p2) {{ {values} }}
              ?s1 ?p1 ?o1 . ?s1 ?p2 ?o1 . BIND(?s1 AS ?s2) BIND(?o1 AS ?o2) }}""",
                           "{p} and a property declared disjoint with it relate the same pair")

    def run(self) -> list[Finding]:
        return self.unsatisfiable() + self.nothing() + self.disjoint_classes() + self.properties()


def row_triples(row) -> list[tuple]:
    triples = [(row["s1"], row["p1"], row["o1"])]
    if "s2" in row:
        triples.append((row["s2"], row["p2"], row["o2"]))
    return triples


def _same_value(row) -> bool:
    """Numerically equal literals ("1"^^xsd:integer, "1.0"^^xsd:decimal) are one value in OWL."""
    a, b = row.get("o1"), row.get("o2")
    if isinstance(a, ox.Literal) and isinstance(b, ox.Literal) and "s2" in row and row["s1"] == row["s2"]:
        va, vb = from_oxigraph(a).toPython(), from_oxigraph(b).toPython()    # rdflib's reading of the number
        if isinstance(va, (int, float, Decimal)) and isinstance(vb, (int, float, Decimal)) \
                and not isinstance(va, bool) and not isinstance(vb, bool):
            return Decimal(str(va)) == Decimal(str(vb))
    return False


def check_consistency(data: QCData) -> list[Finding]:
    return Consistency(data).run()

