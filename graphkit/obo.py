"""OBO flat files (format 1.2/1.4) to RDF, following the OBO-to-OWL mapping the OBO Foundry uses.

Enough of the mapping for the ontologies a research group puts next to the graph (HPO, MONDO,
DOID, ...) to be queried like their official OWL releases:

======================== ====================================================================
OBO                      RDF
======================== ====================================================================
``[Term]`` ``id: HP:1``  ``<http://purl.obolibrary.org/obo/HP_1> a owl:Class`` + ``oboInOwl:id``
``name``                 ``rdfs:label``
``def: "t" [x]``         ``obo:IAO_0000115 "t"`` (+ an ``owl:Axiom`` carrying ``oboInOwl:hasDbXref``)
``synonym: "t" EXACT``   ``oboInOwl:hasExactSynonym`` / ``hasRelatedSynonym`` / ``hasBroadSynonym`` /
                         ``hasNarrowSynonym`` (+ axiom for the synonym type and xrefs)
``xref``                 ``oboInOwl:hasDbXref "X:1"`` (a string, as in the official releases)
``is_a``                 ``rdfs:subClassOf`` (``rdfs:subPropertyOf`` in a ``[Typedef]``)
``relationship: R X``    ``rdfs:subClassOf [ owl:onProperty R ; owl:someValuesFrom X ]``
``intersection_of``      ``owl:equivalentClass [ owl:intersectionOf ( ... ) ]``
``is_obsolete: true``    ``owl:deprecated true``; ``replaced_by`` -> ``obo:IAO_0100001``
``alt_id``, ``consider`` ``oboInOwl:hasAlternativeId``, ``oboInOwl:consider``
``subset``, ``comment``  ``oboInOwl:inSubset``, ``rdfs:comment``
``property_value``       the annotation, with the property and datatype expanded
======================== ====================================================================

Strings are written as plain literals (never ``^^xsd:string``), so they match the release.
Tags it does not map are counted in :attr:`OboStats.skipped` (nothing is dropped silently).

>>> text = '''format-version: 1.2
... ontology: tst
...
... [Term]
... id: TST:0000002
... name: child "term"
... is_a: TST:0000001 ! root
... synonym: "kid" EXACT []
... xref: UMLS:C1
... '''
>>> conv = OboConverter.from_text(text)
>>> sorted(t.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for t in conv.triples()
...        if t.subject == ox_named("http://purl.obolibrary.org/obo/TST_0000002"))
['hasDbXref', 'hasExactSynonym', 'id', 'label', 'subClassOf', 'type']
>>> conv.stats.terms, conv.stats.is_a, conv.stats.synonyms, conv.stats.xrefs
(1, 1, 1, 1)
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import pyoxigraph as ox

OBO = "http://purl.obolibrary.org/obo/"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DEFINITION = OBO + "IAO_0000115"        # IAO's "definition", what def: becomes
REPLACED_BY = OBO + "IAO_0100001"       # IAO's "term replaced by"

# Prefixes every OBO file may use without an idspace declaration.
BUILTIN_PREFIXES = {
    "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "oboInOwl": OIO,
    "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#", "foaf": "http://xmlns.com/foaf/0.1/",
}
SYNONYM_SCOPES = {"EXACT": "hasExactSynonym", "RELATED": "hasRelatedSynonym", "BROAD": "hasBroadSynonym",
                  "NARROW": "hasNarrowSynonym"}
STANZA_TYPES = {"Term": OWL + "Class", "Typedef": OWL + "ObjectProperty", "Instance": OWL + "NamedIndividual"}
TYPEDEF_FLAGS = {"is_transitive": "TransitiveProperty", "is_symmetric": "SymmetricProperty",
                 "is_reflexive": "ReflexiveProperty", "is_functional": "FunctionalProperty",
                 "is_inverse_functional": "InverseFunctionalProperty", "is_asymmetric": "AsymmetricProperty"}
LITERAL_TAGS = {"alt_id": OIO + "hasAlternativeId", "consider": OIO + "consider",
                "creation_date": OIO + "creation_date", "created_by": OIO + "created_by",
                "namespace": OIO + "hasOBONamespace", "comment": RDFS + "comment", "name": RDFS + "label"}

def ox_named(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


_TYPE = ox_named(RDF + "type")
_TRUE = ox.Literal("true", datatype=ox_named(XSD + "boolean"))


class OboSyntaxError(ValueError):
    """A line the converter cannot read, with its line number."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(f"line {line}: {message}")


@dataclass
class OboStats:
    """What the converter read; the counts a user can check against the OBO file."""

    terms: int = 0
    obsolete_terms: int = 0
    typedefs: int = 0
    instances: int = 0
    is_a: int = 0                   # in [Term] stanzas (rdfs:subClassOf to a named class)
    relationships: int = 0
    synonyms: int = 0
    xrefs: int = 0
    definitions: int = 0
    alt_ids: int = 0
    triples: int = 0
    skipped: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        out = {k: v for k, v in self.__dict__.items() if k != "skipped"}
        out["skipped_tags"] = dict(sorted(self.skipped.items()))
        return out


# ---------------------------------------------------------------------------------------------
# Reading values


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append({"n": "\n", "t": "\t", "W": " "}.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _strip_trailing(value: str) -> str:
    """``value`` without a trailing ``! comment`` and ``{qualifiers}`` (outside quotes)."""
    in_quote, i, cut = False, 0, len(value)
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            i += 2
            continue
        if ch == '"':
            in_quote = not in_quote
        elif ch == "!" and not in_quote and (i == 0 or value[i - 1] in " \t"):
            cut = i
            break
        i += 1
    value = value[:cut].rstrip()
    if value.endswith("}"):
        match = re.search(r'\s*\{[^{}"]*=[^{}]*\}$', value)
        if match and not _inside_quotes(value, match.start()):
            value = value[:match.start()].rstrip()
    return value


def _inside_quotes(text: str, index: int) -> bool:
    in_quote, i = False, 0
    while i < index:
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            in_quote = not in_quote
        i += 1
    return in_quote


def _quoted(value: str) -> tuple[str, str]:
    """(the unescaped leading ``"..."`` string, the rest); ValueError if none."""
    if not value.startswith('"'):
        raise ValueError("expected a quoted string")
    i = 1
    while i < len(value):
        if value[i] == "\\":
            i += 2
            continue
        if value[i] == '"':
            return _unescape(value[1:i]), value[i + 1:].strip()
        i += 1
    raise ValueError("unterminated quoted string")


def _xref_list(value: str) -> tuple[list[str], str]:
    """The ids of a ``[a, b "description"]`` list, and what follows it."""
    value = value.strip()
    if not value.startswith("["):
        return [], value
    items, current, i, in_quote = [], [], 1, False
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            current.append(value[i:i + 2])
            i += 2
            continue
        if ch == '"':
            in_quote = not in_quote
        elif not in_quote and ch in ",]":
            items.append("".join(current).strip())
            current = []
            if ch == "]":
                break
            i += 1
            continue
        current.append(ch)
        i += 1
    else:
        raise ValueError("unterminated [...] list")
    ids = [_unescape(item.split(" ", 1)[0]) for item in items if item]
    return ids, value[i + 1:].strip()


# ---------------------------------------------------------------------------------------------
# The converter


@dataclass
class Stanza:
    kind: str                       # Term | Typedef | Instance
    line: int
    clauses: list[tuple[str, str, int]] = field(default_factory=list)

    def first(self, tag: str) -> str | None:
        return next((v for t, v, _ in self.clauses if t == tag), None)


@dataclass
class OboDocument:
    """An OBO file read into clauses: ``(tag, value, line)``, value stripped, as written."""

    header: list[tuple[str, str, int]] = field(default_factory=list)
    stanzas: list[Stanza] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)       # stanzas of other kinds, by "[Kind]"


def read_stanzas(lines, progress=None) -> OboDocument:
    """The header clauses and the ``[Term]``, ``[Typedef]`` and ``[Instance]`` stanzas of an
    OBO file (the one OBO reader: the converter and the reference data use it).

    >>> doc = read_stanzas(["format-version: 1.2", "", "[Term]", "id: X:1", "name: one ! comment kept"])
    >>> doc.header, [(s.kind, s.clauses) for s in doc.stanzas]
    ([('format-version', '1.2', 1)], [('Term', [('id', 'X:1', 4), ('name', 'one ! comment kept', 5)])])
    """
    doc = OboDocument()
    current: Stanza | None = None
    in_other = False
    for number, line in enumerate(lines, 1):
        if progress is not None:
            progress.advance(len(line))
        line = line.rstrip("\r\n")
        stripped = line.strip()
        if not stripped or stripped.startswith("!"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            kind = stripped[1:-1].strip()
            in_other = kind not in STANZA_TYPES
            current = None if in_other else Stanza(kind, number)
            if current is not None:
                doc.stanzas.append(current)
            else:
                doc.skipped[f"[{kind}]"] += 1
            continue
        if in_other:
            continue
        tag, sep, value = line.partition(":")
        if not sep:
            raise OboSyntaxError(number, f"expected 'tag: value', got {line[:80]!r}")
        (doc.header if current is None else current.clauses).append((tag.strip(), value.strip(), number))
    return doc


def read_obo_file(path: Path, progress=None) -> OboDocument:
    """:func:`read_stanzas` of a file (``.gz`` too)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return read_stanzas(handle, progress)


class OboConverter:
    """Parse an OBO file once; :meth:`triples` yields its RDF as pyoxigraph triples."""

    def __init__(self, doc: OboDocument):
        self.header = doc.header
        self.stanzas = doc.stanzas
        self.stats = OboStats()
        self.stats.skipped.update(doc.skipped)
        self.idspaces: dict[str, str] = {}
        for tag, value, _ in self.header:
            parts = value.split()
            if tag == "idspace" and len(parts) >= 2:
                self.idspaces[parts[0]] = parts[1]
        self._bnodes = 0
        # "ontology: hp" (some files write "hp.obo"): the OBO Foundry id of the ontology.
        self.ontology = re.sub(r"\.(obo|owl)$", "", (self._header_value("ontology") or "ontology").strip())
        self.default_namespace = self._header_value("default-namespace")
        self.shorthands = self._typedef_shorthands()

    @classmethod
    def from_path(cls, path: Path, progress=None) -> "OboConverter":
        return cls(read_obo_file(path, progress))

    @classmethod
    def from_text(cls, text: str) -> "OboConverter":
        return cls(read_stanzas(text.splitlines(keepends=True)))

    def _header_value(self, tag: str) -> str | None:
        return next((v for t, v, _ in self.header if t == tag), None)

    def _typedef_shorthands(self) -> dict[str, str]:
        """Typedef ids without a prefix (``part_of``) -> IRI: the OBO id of their xref (BFO:0000050)
        when they have one, as the OBO Foundry's converter does; else ``obo:<ontology>#<id>``."""
        out = {}
        for stanza in self.stanzas:
            if stanza.kind != "Typedef":
                continue
            ident = _strip_trailing(stanza.first("id") or "")
            if not ident or ":" in ident:
                continue
            xrefs = [_strip_trailing(v).split(" ", 1)[0] for t, v, _ in stanza.clauses if t == "xref"]
            canonical = next((x for x in xrefs if re.fullmatch(r"[A-Za-z][\w.-]*:[\w.-]+", x)), None)
            out[ident] = self._expand_curie(canonical) if canonical else self._ontology_iri(ident)
        return out

    # -- IRIs ----------------------------------------------------------------------------------

    def _ontology_iri(self, ident: str) -> str:
        """``obo:<ontology>#<id>``: the IRI of an id without a prefix that names nothing else."""
        return f"{OBO}{self.ontology}#{ident}"

    def _expand_curie(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        if prefix in self.idspaces:
            return self.idspaces[prefix] + local
        if prefix in BUILTIN_PREFIXES:
            return BUILTIN_PREFIXES[prefix] + local
        return f"{OBO}{prefix}_{local}"

    def iri(self, ident: str) -> ox.NamedNode:
        """The IRI of an OBO identifier (CURIE, shorthand or URL)."""
        ident = _unescape(ident.strip())
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", ident) or ident.startswith("urn:"):
            text = ident
        elif ":" in ident:
            text = self._expand_curie(ident)
        else:
            text = self.shorthands.get(ident) or self._ontology_iri(ident)
        try:
            return ox.NamedNode(text)
        except ValueError:
            return ox.NamedNode(quote(text, safe=":/?#[]@!$&'()*+,;=%~"))

    def _bnode(self) -> ox.BlankNode:
        self._bnodes += 1
        return ox.BlankNode(f"b{self._bnodes}")

    # -- conversion ----------------------------------------------------------------------------

    def triples(self) -> Iterator[ox.Triple]:
        """Every triple, header first, then one stanza at a time (no duplicates within a stanza)."""
        yield from self._emit(self._header_triples())
        for stanza in self.stanzas:
            yield from self._emit(self._stanza_triples(stanza))

    def _emit(self, triples) -> Iterator[ox.Triple]:
        seen = set()
        for s, p, o in triples:
            triple = ox.Triple(s, p if isinstance(p, ox.NamedNode) else ox.NamedNode(p), o)
            if triple not in seen:
                seen.add(triple)
                self.stats.triples += 1
                yield triple

    def _header_triples(self):
        onto = ox.NamedNode(f"{OBO}{self.ontology}.owl")
        yield onto, _TYPE, ox.NamedNode(OWL + "Ontology")
        for tag, value, number in self.header:
            try:
                if tag == "data-version":
                    yield onto, OWL + "versionInfo", ox.Literal(value)
                elif tag == "format-version":
                    yield onto, OIO + "hasOBOFormatVersion", ox.Literal(value)
                elif tag == "remark":
                    yield onto, RDFS + "comment", ox.Literal(_unescape(_strip_trailing(value)))
                elif tag == "property_value":
                    yield from self._property_value(onto, value)
                elif tag in ("subsetdef", "synonymtypedef"):
                    ident, _, rest = _strip_trailing(value).partition(" ")
                    node = self._local_iri(ident)
                    kind = "SubsetProperty" if tag == "subsetdef" else "SynonymTypeProperty"
                    yield node, _TYPE, ox.NamedNode(OWL + "AnnotationProperty")
                    yield node, RDFS + "subPropertyOf", ox.NamedNode(OIO + kind)
                    if rest.strip().startswith('"'):
                        yield node, RDFS + "comment", ox.Literal(_quoted(rest.strip())[0])
                elif tag not in ("ontology", "idspace", "default-namespace"):
                    self.stats.skipped[tag] += 1
            except ValueError as exc:
                raise OboSyntaxError(number, f"{tag}: {exc}") from None

    def _local_iri(self, ident: str) -> ox.NamedNode:
        """Subsets and synonym types: ``obo:<ontology>#<id>`` unless the id has a prefix."""
        return self.iri(ident) if ":" in ident else ox.NamedNode(self._ontology_iri(ident))

    def _axiom(self, source, prop, target, annotations):
        node = self._bnode()
        yield node, _TYPE, ox.NamedNode(OWL + "Axiom")
        yield node, OWL + "annotatedSource", source
        yield node, OWL + "annotatedProperty", ox.NamedNode(prop)
        yield node, OWL + "annotatedTarget", target
        yield from ((node, p, o) for p, o in annotations)

    def _property_value(self, subject, value: str):
        value = _strip_trailing(value)
        prop, _, rest = value.partition(" ")
        rest = rest.strip()
        if rest.startswith('"'):
            text, datatype = _quoted(rest)
            datatype = datatype.split()[0] if datatype else ""
            dt_iri = self.iri(datatype).value if datatype else XSD + "string"
            literal = ox.Literal(text) if dt_iri == XSD + "string" else ox.Literal(text, datatype=ox.NamedNode(dt_iri))
            yield subject, self.iri(prop).value, literal
        else:
            target = rest.split()[0] if rest else ""
            if not target:
                raise ValueError("property_value without a value")
            yield subject, self.iri(prop).value, self.iri(target)

    def _stanza_triples(self, stanza: Stanza):
        ident = stanza.first("id")
        if ident is None:
            raise OboSyntaxError(stanza.line, f"[{stanza.kind}] stanza without an id")
        ident = _strip_trailing(ident)
        subject = self.iri(ident)
        is_typedef = stanza.kind == "Typedef"
        if stanza.kind == "Term":
            self.stats.terms += 1
        elif is_typedef:
            self.stats.typedefs += 1
        else:
            self.stats.instances += 1
        yield subject, _TYPE, ox.NamedNode(STANZA_TYPES[stanza.kind])
        yield subject, OIO + "id", ox.Literal(ident)
        if ":" not in ident:
            yield subject, OIO + "shorthand", ox.Literal(ident)
        if stanza.first("namespace") is None and self.default_namespace and not is_typedef:
            yield subject, OIO + "hasOBONamespace", ox.Literal(self.default_namespace)
        intersection, union = [], []
        for tag, value, number in stanza.clauses:
            try:
                yield from self._clause(subject, stanza, tag, value, intersection, union)
            except ValueError as exc:
                raise OboSyntaxError(number, f"{tag}: {exc}") from None
        for parts, operator in ((intersection, "intersectionOf"), (union, "unionOf")):
            if parts:
                expression = self._bnode()
                yield subject, OWL + "equivalentClass", expression
                yield expression, _TYPE, ox.NamedNode(OWL + "Class")
                head = yield from self._rdf_list(parts)
                yield expression, OWL + operator, head

    def _rdf_list(self, items):
        head = ox.NamedNode(RDF + "nil")
        for item in reversed(items):
            node = self._bnode()
            yield node, RDF + "first", item
            yield node, RDF + "rest", head
            head = node
        return head

    def _restriction(self, relation: str, target: str):
        node = self._bnode()
        yield node, _TYPE, ox.NamedNode(OWL + "Restriction")
        yield node, OWL + "onProperty", self.iri(relation)
        yield node, OWL + "someValuesFrom", self.iri(target)
        return node

    def _clause(self, subject, stanza: Stanza, tag: str, raw: str, intersection: list, union: list):
        stats = self.stats
        value = _strip_trailing(raw)
        if tag == "id":
            return
        if tag in ("name", "comment", "namespace", "alt_id", "consider", "creation_date", "created_by"):
            yield subject, LITERAL_TAGS[tag], ox.Literal(_unescape(value))
            stats.alt_ids += tag == "alt_id"
        elif tag == "def":
            text, rest = _quoted(value)
            xrefs, _ = _xref_list(rest)
            stats.definitions += 1
            literal = ox.Literal(text)
            yield subject, DEFINITION, literal
            if xrefs:
                yield from self._axiom(subject, DEFINITION, literal,
                                       [(OIO + "hasDbXref", ox.Literal(x)) for x in xrefs])
        elif tag == "synonym":
            text, rest = _quoted(value)
            scope, _, rest = rest.partition(" ")
            if scope not in SYNONYM_SCOPES:
                raise ValueError(f"unknown synonym scope {scope!r}")
            synonym_type = None
            rest = rest.strip()
            if rest and not rest.startswith("["):
                synonym_type, _, rest = rest.partition(" ")
            xrefs, _ = _xref_list(rest)
            stats.synonyms += 1
            prop, literal = OIO + SYNONYM_SCOPES[scope], ox.Literal(text)
            yield subject, prop, literal
            annotations = [(OIO + "hasDbXref", ox.Literal(x)) for x in xrefs]
            if synonym_type:
                annotations.append((OIO + "hasSynonymType", self._local_iri(synonym_type)))
            if annotations:
                yield from self._axiom(subject, prop, literal, annotations)
        elif tag == "xref":
            ident, _, rest = value.partition(" ")
            stats.xrefs += 1
            literal = ox.Literal(_unescape(ident))
            yield subject, OIO + "hasDbXref", literal
            if rest.strip().startswith('"'):
                yield from self._axiom(subject, OIO + "hasDbXref", literal,
                                       [(RDFS + "label", ox.Literal(_quoted(rest.strip())[0]))])
        elif tag == "is_a":
            stats.is_a += stanza.kind == "Term"
            target = value.split()[0]
            yield subject, RDFS + ("subPropertyOf" if stanza.kind == "Typedef" else "subClassOf"), self.iri(target)
        elif tag == "relationship":
            relation, target = (value.split() + ["", ""])[:2]
            if not target:
                raise ValueError("relationship needs a relation and a target")
            stats.relationships += 1
            node = yield from self._restriction(relation, target)
            yield subject, RDFS + "subClassOf", node
        elif tag in ("intersection_of", "union_of"):
            parts = value.split()
            if len(parts) >= 2 and tag == "intersection_of":
                node = yield from self._restriction(parts[0], parts[1])
                intersection.append(node)
            else:
                (intersection if tag == "intersection_of" else union).append(self.iri(parts[0]))
        elif tag in ("disjoint_from", "equivalent_to", "inverse_of", "domain", "range"):
            prop = {"disjoint_from": OWL + "disjointWith", "equivalent_to": OWL + "equivalentClass",
                    "inverse_of": OWL + "inverseOf", "domain": RDFS + "domain", "range": RDFS + "range"}[tag]
            if stanza.kind == "Typedef" and tag == "equivalent_to":
                prop = OWL + "equivalentProperty"
            yield subject, prop, self.iri(value.split()[0])
        elif tag == "subset":
            yield subject, OIO + "inSubset", self._local_iri(value.split()[0])
        elif tag == "is_obsolete":
            if value.strip() == "true":
                stats.obsolete_terms += stanza.kind == "Term"
                yield subject, OWL + "deprecated", _TRUE
        elif tag == "replaced_by":
            yield subject, REPLACED_BY, self.iri(value.split()[0])
        elif tag == "property_value":
            yield from self._property_value(subject, value)
        elif tag in TYPEDEF_FLAGS:
            if value.strip() == "true":
                yield subject, _TYPE, ox.NamedNode(OWL + TYPEDEF_FLAGS[tag])
        elif tag in ("holds_over_chain", "transitive_over", "equivalent_to_chain"):
            chain = [self.iri(p) for p in value.split()[:2]]
            if tag == "transitive_over":
                chain = [subject, chain[0]]
            head = yield from self._rdf_list(chain)
            yield subject, OWL + "propertyChainAxiom", head
        else:
            stats.skipped[tag] += 1


def read_back_counts(path: Path, fmt=ox.RdfFormat.N_TRIPLES) -> dict:
    """Counts in a converted file that correspond to :class:`OboStats` fields, to check the file
    holds what was read (terms, is_a, synonyms, xrefs, definitions, obsolete terms)."""
    classes, id_subjects, deprecated, counts = set(), set(), set(), Counter()
    synonym_props = {OIO + p for p in SYNONYM_SCOPES.values()}
    for t in ox.parse(path=str(path), format=fmt):
        if isinstance(t.subject, ox.BlankNode):
            continue
        p = t.predicate.value
        if p == RDF + "type" and t.object.value == OWL + "Class":
            classes.add(t.subject)
        elif p == OIO + "id":
            id_subjects.add(t.subject)
        elif p == OWL + "deprecated":
            deprecated.add(t.subject)
        elif p == RDFS + "subClassOf" and isinstance(t.object, ox.NamedNode):
            counts["is_a"] += 1
        elif p in synonym_props:
            counts["synonyms"] += 1
        elif p == OIO + "hasDbXref":
            counts["xrefs"] += 1
        elif p == DEFINITION:
            counts["definitions"] += 1
    return {"terms": len(classes & id_subjects), "obsolete_terms": len(deprecated & classes),
            "is_a": counts["is_a"], "synonyms": counts["synonyms"], "xrefs": counts["xrefs"],
            "definitions": counts["definitions"]}
