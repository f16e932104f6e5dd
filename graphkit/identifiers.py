"""External identifiers as names of the graph's entities.

Every entity carries its identifiers in other vocabularies as SKOS mappings (MONDO, DOID, NCIT,
HP, ICD10CM, ICD10WHO, UNII, CHEBI, HGNC, NCBIGene, ORPHA, OMIM, UMLS, MESH, SNOMEDCT ...).
:class:`Mappings` reads them once from a store and says which entity an identifier names:

- an identifier an entity carries as ``skos:exactMatch`` names that entity;
- one that entities carry only loosely (``closeMatch``, then ``narrowMatch``/``broadMatch``,
  then ``relatedMatch``) names the one entity at the closest such level, with a note saying how
  loosely (``MONDO:0035940`` is a close match of Ph+ ALL, not an exact one);
- several entities at that level, or none at all, is an error naming them, or the closest
  identifiers the graph knows.

Identifiers are CURIEs in any prefix spelling of the prefix map and any case (``mondo:0011908``,
``Orphanet:99``, ``icd10cm:c93.32``) or IRIs (:func:`graphkit.iris.external_iri`). Entities and
identifiers are IRIs as text (no RDF library: a query's parameters are resolved on the light path).

>>> jmml = "https://w3id.org/graphkit/entity/jmml"
>>> m = Mappings([(jmml, "JMML", "exact", "http://purl.obolibrary.org/obo/MONDO_0011908")])
>>> m.resolve("mondo:0011908")
Resolved(entity='https://w3id.org/graphkit/entity/jmml', note=None)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .errors import QueryError, close_names
from .iris import compact, external_iri
from .sparql import substitute
from .terms import IRI

# The mapping predicates from the closest to the loosest: an identifier names the entities at
# the closest level at which any entity carries it.
LEVELS = (("exact",), ("close",), ("narrow", "broad"), ("related",))
MATCH_WORDS = {"exact": "an exact", "close": "a close", "narrow": "a narrow", "broad": "a broad",
               "related": "a related"}

MAPPINGS_QUERY = """
SELECT DISTINCT ?entity ?label ?match ?target WHERE {
  VALUES ?match { skos:exactMatch skos:closeMatch skos:narrowMatch skos:broadMatch skos:relatedMatch }
  ?entity ?match ?target .
  FILTER(STRSTARTS(STR(?entity), "https://w3id.org/graphkit/entity/")
         && !STRSTARTS(STR(?target), "https://w3id.org/graphkit/"))
  ?entity rdfs:label ?label .
}"""
# What carries one identifier: ?target replaced by its IRI (a few rows instead of every mapping).
CARRIERS_QUERY = MAPPINGS_QUERY.replace("SELECT DISTINCT ?entity ?label ?match ?target", "SELECT DISTINCT ?entity ?label ?match")


@dataclass(frozen=True)
class Carrier:
    """An entity (its IRI) carrying an identifier, and how (``exact``, ``close``, ``broad``, ...)."""

    entity: str
    label: str
    match: str

    def describe(self) -> str:
        return f"{self.label} ({compact(self.entity)}, skos:{self.match}Match)"


@dataclass(frozen=True)
class Resolved:
    entity: str                     # the entity's IRI
    note: str | None = None


class Mappings:
    """The entities' mappings: identifier IRI -> the entities carrying it."""

    def __init__(self, rows):
        """``rows``: (entity IRI, label, match, target IRI), match one of exact, close, broad, narrow, related."""
        self.carriers: dict[str, list[Carrier]] = defaultdict(list)
        self.iris: dict[str, str] = {}        # case-folded IRI -> the IRI as the graph writes it
        for entity, label, match, target in rows:
            target = str(target)
            self.iris[target.casefold()] = target
            carrier = Carrier(str(entity), str(label), match)
            if carrier not in self.carriers[target]:
                self.carriers[target].append(carrier)

    @classmethod
    def from_store(cls, store, iri: str | None = None) -> "Mappings":
        """Every mapping of the entities in ``store``, or only those to ``iri``."""
        if iri is None:
            rows = store.query(MAPPINGS_QUERY).texts()
        else:
            rows = [{**r, "target": iri} for r in store.query(substitute(CARRIERS_QUERY, {"target": f"<{iri}>"})).texts()]
        return cls((r["entity"], r["label"], r["match"].rsplit("#", 1)[-1].removesuffix("Match"), r["target"])
                   for r in rows)

    def identifier(self, text: str) -> str | None:
        """The identifier's IRI as the graph writes it (any case, any known spelling), or None."""
        iri = external_iri(text)
        return None if iri is None else self.iris.get(iri.casefold())

    def exact(self) -> dict[str, list[Carrier]]:
        """Every identifier some entity carries as an exact match, with those entities."""
        return {iri: [c for c in carriers if c.match == "exact"] for iri, carriers in self.carriers.items()
                if any(c.match == "exact" for c in carriers)}

    def resolve(self, text: str, nearest=None) -> Resolved | None:
        """The entity the identifier ``text`` names (see the module documentation); None when no
        entity carries it; a :class:`QueryError` when several do at the closest level, unless
        ``nearest`` (entity IRIs, whether the identifier is narrower than them -> the one of them
        nearest to it through the subtypes, or None) finds one: MONDO's class of B-ALL with
        t(9;22) is a close match of Ph+ ALL and of its childhood form, a kind of it, and names
        Ph+ ALL; an identifier narrower than an entity and its subtype names the subtype."""
        iri = self.identifier(text)
        if iri is None:
            return None
        carriers = self.carriers[iri]
        curie = compact(iri)
        for level in LEVELS:
            found = sorted((c for c in carriers if c.match in level), key=lambda c: c.entity)
            entities = sorted({c.entity for c in found})
            matches = {c.match for c in found}
            chosen = None
            if len(entities) > 1 and level != ("exact",) and nearest is not None and len(matches) == 1:
                chosen = nearest(entities, matches == {"narrow"})
            if len(entities) > 1 and chosen is None:
                raise QueryError(f"{curie} is {'an exact' if level == ('exact',) else 'a'} mapping of several "
                                 f"entities: {', '.join(c.describe() for c in found)}; use an id")
            if entities:
                carrier = next(c for c in found if c.entity == (chosen or entities[0]))
                if carrier.match == "exact":
                    return Resolved(carrier.entity)
                also = [c.label for c in found if c.entity != carrier.entity]
                others = f" (as {'do' if len(also) > 1 else 'does'} {', '.join(also)})" if also else ""
                return Resolved(carrier.entity, f"{curie} is not an exact mapping of any entity: "
                                                f"{carrier.describe()} carries it as {MATCH_WORDS[carrier.match]} "
                                                f"match{others}; using {compact(carrier.entity)}")
        return None

    def close_identifiers(self, text: str, n: int = 3) -> list[str]:
        """The identifiers the graph knows that are spelt most like ``text`` (CURIEs)."""
        iri = external_iri(text) or text
        known = {compact(i).casefold(): compact(i) for i in self.carriers}
        wanted = compact(iri).casefold()
        return close_names(wanted, known, n=n, cutoff=0.75, shown=known)


def resolve(store, text: str) -> tuple[Resolved | None, Mappings]:
    """The entity the identifier ``text`` names in ``store`` (see :meth:`Mappings.resolve`), and
    the mappings read to decide: those to the identifier as written, else every mapping (for
    another case of a known identifier, and for suggestions)."""
    iri = external_iri(text)

    def nearest(entities: list[str], narrower: bool) -> str | None:
        """The entity every other is a subtype of (the most specific one, for an identifier
        narrower than them), or None."""
        for candidate in entities:
            others = " ".join(f"<{candidate}> gk:subtypeOf+ <{e}> ." if narrower else f"<{e}> gk:subtypeOf+ <{candidate}> ."
                              for e in entities if e != candidate)
            if store.query(f"ASK {{ {others} }}").boolean:
                return candidate
        return None

    if iri is not None and IRI.match(iri):
        found = Mappings.from_store(store, iri)
        resolved = found.resolve(iri, nearest)
        if resolved is not None:
            return resolved, found
    everything = Mappings.from_store(store)
    return everything.resolve(text, nearest), everything
