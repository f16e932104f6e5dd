"""The Biolink Model, as far as graphkit's exports need it: which classes may stand as a node
category, which id prefixes a category prefers, which predicates may stand on an edge and in
which direction, and the domain and range of each predicate.

Read from ``graphkit/data/biolink/biolink_model.json``, a slice of the Biolink Model YAML that
``tools/vendor_biolink.py`` makes from the ``biolink-model`` package (CC0), so graphkit needs
neither that package nor its LinkML runtime; a test checks the slice against the package.

>>> model = Model.load()
>>> model.version
'4.4.6'
>>> model.is_category("Disease"), model.is_category("Outcome"), model.is_category("StudyResult")
(True, False, False)
>>> model.edge_predicate("treated_by")           # a mixin (and so is its inverse, treats)
>>> model.edge_predicate("treatment_applications_from")   # the inverse is canonical: write it reversed
('applied_to_treat', True)
>>> model.edge_predicate("has_phenotype")
('has_phenotype', False)
>>> model.preferred_prefixes("Disease")[:3]
['MONDO', 'DOID', 'OMIM']
>>> model.fits("has_phenotype", "Disease", "PhenotypicFeature")
(True, True)
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .closure import reachable

DATA = Path(__file__).parent / "data" / "biolink" / "biolink_model.json"
# The schema's mappings that make a graphkit property's edge one of a Biolink predicate, strongest
# first: exact, close, and broad (the Biolink predicate is the broader).
ALIGNMENT_MATCHES = tuple(f"http://www.w3.org/2004/02/skos/core#{m}" for m in ("exactMatch", "closeMatch", "broadMatch"))
# RDF's own properties on the view's edges, which the schema does not align (it aligns graphkit's
# properties), with their Biolink predicates as (slot, read backwards, strength): a class's
# superclass (--schema, --include-schema) is Biolink's subclass_of, whose exact mapping is rdfs:subClassOf.
RDF_ALIGNMENTS = {"http://www.w3.org/2000/01/rdf-schema#subClassOf": [("subclass_of", False, 0)]}
ROOT_PREDICATE = "related_to"


class Model:
    """The classes (CamelCase names, as in ``biolink:Disease``) and predicates (snake case, as in
    ``biolink:has_phenotype``) of one Biolink Model release."""

    def __init__(self, data: dict):
        self.version: str = data["version"]
        self.license: str = data["license"]
        self.classes: dict[str, dict] = data["classes"]
        self.predicates: dict[str, dict] = data["predicates"]
        self.prefixes: dict[str, str] = data["prefixes"]

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> "Model":
        return cls(json.loads(DATA.read_text(encoding="utf-8")))

    # -- classes
    def ancestors(self, name: str) -> set[str]:
        """The class, its ``is_a`` ancestors and their mixins (with theirs), as Biolink reads a
        domain or range."""
        def parents(current: str) -> list[str]:
            spec = self.classes[current]
            return [parent for parent in [spec.get("is_a"), *spec.get("mixins", ())] if parent in self.classes]

        return set(reachable(name, parents)) if name in self.classes else set()

    def is_category(self, name: str) -> bool:
        """May stand as a node's category: a named thing that is neither a mixin, abstract nor
        deprecated."""
        spec = self.classes.get(name)
        return bool(spec) and "NamedThing" in self.ancestors(name) and not (
            spec.get("mixin") or spec.get("abstract") or spec.get("deprecated"))

    def preferred_prefixes(self, category: str) -> list[str]:
        """The id prefixes Biolink prefers for nodes of ``category``, best first: the class's own
        ``id_prefixes`` (as in the model's ``preferred_prefixes_per_class.json``; not inherited)."""
        return list(self.classes.get(category, {}).get("id_prefixes", ()))

    # -- predicates
    def is_edge_predicate(self, name: str) -> bool:
        """May stand on an edge: a predicate that is neither a mixin, abstract nor deprecated."""
        spec = self.predicates.get(name)
        return bool(spec) and not (spec.get("mixin") or spec.get("abstract") or spec.get("deprecated"))

    def inverse(self, name: str) -> str | None:
        """The inverse of a predicate (declared on either side)."""
        spec = self.predicates.get(name, {})
        if spec.get("inverse"):
            return spec["inverse"]
        return next((other for other, s in sorted(self.predicates.items()) if s.get("inverse") == name), None)

    def narrower_predicates(self, name: str) -> set[str]:
        """The predicate and every predicate under it (``is_a``, transitively): an edge stated with
        any of them is an edge of ``name`` (a ``treats`` edge is a ``related_to`` edge).

        >>> sorted(Model.load().narrower_predicates("treats_or_applied_or_studied_to_treat"))
        ['treats', 'treats_or_applied_or_studied_to_treat']
        """
        under: dict[str, list[str]] = {}
        for other, spec in self.predicates.items():
            under.setdefault(spec.get("is_a", ""), []).append(other)
        return set(reachable(name, lambda current: under.get(current, []))) if name in self.predicates else set()

    def edge_predicate(self, name: str) -> tuple[str, bool] | None:
        """The predicate an edge stated with ``name`` is written with, in Biolink's canonical
        direction: ``(name, False)``, or ``(its inverse, True)`` (subject and object swapped) when
        the inverse is the canonical one; None if neither may stand on an edge."""
        spec = self.predicates.get(name)
        if spec is None:
            return None
        if spec.get("canonical") or spec.get("symmetric") or not self.inverse(name):
            return (name, False) if self.is_edge_predicate(name) else None
        inverse = self.inverse(name)
        if self.predicates.get(inverse, {}).get("canonical") and self.is_edge_predicate(inverse):
            return inverse, True
        return (name, False) if self.is_edge_predicate(name) else None

    def _inherited(self, name: str, key: str) -> str | None:
        while name in self.predicates:
            spec = self.predicates[name]
            if spec.get(key):
                return spec[key]
            name = spec.get("is_a")
        return None

    def domain(self, name: str) -> str | None:
        """The domain of a predicate, inherited from its ``is_a`` ancestors when it has none."""
        return self._inherited(name, "domain")

    def range(self, name: str) -> str | None:
        return self._inherited(name, "range")

    def fits(self, predicate: str, subject_category: str, object_category: str) -> tuple[bool, bool]:
        """Whether the subject's category is in the predicate's domain and the object's in its range."""
        domain, rng = self.domain(predicate), self.range(predicate)
        return (domain is None or domain in self.ancestors(subject_category),
                rng is None or rng in self.ancestors(object_category))
