"""The entities' names as search reads them: every label and synonym with its entity, the
search of the pages' search box (any case, British or American spelling, hyphen or space) and the
names spelled nearly as a text, which the search page and ``graphkit query search-entities``
(an answer with no rows) both suggest. Plain text in, plain records out: no rdflib, so the
``query`` command can use it without loading more than pyoxigraph.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .errors import close_names
from .iris import GK, GKE, GKQ, GRAPH_ASSERTED, ICD10_CODE_CLASSES
from .spelling import american, plain_apostrophes
from .store import Store

# The curated entities (and the ICD-10-CM codes) are the subjects of the asserted graph; their
# asserted types are their most specific kinds (the inferred graph adds the broader ones).
_PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX gk: <%s>
""" % GK
NAMES = _PREFIXES + """SELECT ?entity ?label ?matched ?kind_label WHERE {
  GRAPH <%s> { ?entity rdfs:label|skos:altLabel ?matched ; rdfs:label ?label ; a ?kind }
  FILTER(?kind != owl:NamedIndividual)
  ?kind rdfs:label ?kind_label .
}""" % GRAPH_ASSERTED
# The same names where the release was loaded into the default graph alone (as a triple store's
# bulk loader or `LOAD <all.ttl>` puts it), the asserted graph's subjects told apart by their
# namespaces and the code classes, and each entity's most specific kinds: the kinds the reasoner
# adds for a role (risk factor, adverse effect ... where the inferences are loaded too) and the
# groupings of kinds left out, as search-entities leaves them out. The same rows as the named-graph
# form on the release (a test compares them).
NAMES_IN_DEFAULT_GRAPH = _PREFIXES + """SELECT ?entity ?label ?matched ?kind_label WHERE {
  ?entity rdfs:label|skos:altLabel ?matched ; rdfs:label ?label ; a ?kind .
  FILTER(STRSTARTS(STR(?entity), "%s") || STRSTARTS(STR(?entity), "%s")
         || ?kind IN (%s))
  FILTER(?kind NOT IN (owl:NamedIndividual, gk:MedicalCondition, gk:TreatmentContext, gk:RiskFactor,
                       gk:PrognosticFactor, gk:AdverseEffect, gk:LateEffect))
  FILTER NOT EXISTS { ?entity a ?narrower . ?narrower rdfs:subClassOf ?kind . FILTER(?narrower != ?kind) }
  ?kind rdfs:label ?kind_label .
}""" % (GKE, GKQ, ICD10_CODE_CLASSES)


@dataclass
class Hit:
    iri: str
    label: str
    matched: str
    kind: str
    rank: int                       # see search: 0 exact ... 4 contains (x2, +1 for a synonym)


@dataclass(frozen=True, order=True)
class Name:
    """A label or synonym of an entity, with the entity's label and one of its kinds."""

    iri: str
    label: str
    name: str
    kind: str


def names(store: Store) -> list[Name]:
    """Every label and synonym of the entities: what :func:`search` looks through (one query
    for every search, which a server whose graph does not change asks once), read from the
    asserted graph, else (a store holding the release in its default graph alone) from the
    default graph. Sorted, so that of two names that match a text alike the same is found on
    every store (an engine returns rows in an order of its own)."""
    rows = (store.named_graphs and store.query(NAMES).texts()) or store.query(NAMES_IN_DEFAULT_GRAPH).texts()
    return sorted(Name(r["entity"], r["label"], r["matched"], r["kind_label"] or "") for r in rows)


def folded(text: str) -> str:
    """``text`` as search compares it: lower case, hyphens (any of Unicode's), dashes and
    underscores as spaces, apostrophes plain, British spellings as American ones.

    >>> folded("Acute lymphoblastic leukaemia"), folded("CAR–T"), folded("Paediatric_tumour")
    ('acute lymphoblastic leukemia', 'car t', 'pediatric tumor')
    >>> folded("Children’s hospitals")
    "children's hospitals"
    """
    return american(re.sub(r"[\s_\-\u2010-\u2015]+", " ", plain_apostrophes(text.lower())).strip())


ANY_ORDER = 5                       # the place of a name holding each word of the text, not the text


def _each_word(text: str) -> list[tuple[re.Pattern, bool]]:
    """For a text of several words, a pattern for each and whether it reads a name as written
    (else folded): a word of the name starting with the word (``relapse``: relapsed), and an
    acronym in capitals as that whole word in capitals (``ALL``, ``T-ALL``: not "all" nor "allergic").
    Nothing for one word."""
    words = text.split()        # "T-ALL" one word: its "T" alone would start "testicular"
    if len(words) < 2:
        return []
    return [(re.compile(rf"(?<!\w){re.escape(word)}(?!\w)"), True) if word.isupper() and len(word) > 1
            else (re.compile(rf"(?<!\w){re.escape(folded(word))}"), False) for word in words]


def search(known: list[Name], text: str, limit: int = 200) -> list[Hit]:
    """Entities whose label or synonym contains ``text`` (any case, British or American
    spelling, hyphen or space): exact matches first, then those holding it as whole words, then
    those that start with it, then those with a word that starts with it, then the rest, and
    last, for a text of several words, those holding a word starting with each word in another
    order ("ALL relapsed": relapsed childhood ALL); each entity once, its label before a synonym.

    >>> known = [Name("e:jmml", "JMML", "juvenile myelomonocytic leukemia", "Disease"), Name("e:jmml", "JMML", "JMML", "Disease")]
    >>> [(h.label, h.matched, h.rank) for h in search(known, "jmml")]
    [('JMML', 'JMML', 0)]
    >>> known = [Name("e:a", "allergic reaction", "allergic reaction", ""), Name("e:b", "B-ALL", "B-ALL", ""),
    ...          Name("e:c", "taking all medicines", "taking all medicines", "")]
    >>> [h.label for h in search(known, "ALL")]
    ['B-ALL', 'allergic reaction', 'taking all medicines']
    >>> [h.label for h in search(known, "all")]
    ['B-ALL', 'taking all medicines', 'allergic reaction']
    >>> known = [Name("e:r", "relapsed childhood ALL", "relapsed childhood ALL", ""),
    ...          Name("e:m", "all medicines relapsed", "all medicines relapsed", "")]
    >>> [h.label for h in search(known, "ALL relapse")]
    ['relapsed childhood ALL']
    """
    needle = folded(text)
    if not needle:
        return []
    whole, word_start = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)"), re.compile(rf"(?<!\w){re.escape(needle)}")
    # An acronym typed in capitals (ALL, CAR, NCI) is that word in capitals: "taking all
    # medicines" came before childhood ALL; and a short text inside a word is no hit ("NCI" in
    # "financial").
    stripped = text.strip()
    acronym = re.compile(rf"(?<!\w){re.escape(stripped)}(?!\w)") if stripped.isupper() and len(stripped) > 1 else None
    each_word = _each_word(stripped)
    best: dict[str, Hit] = {}
    for name in known:
        low = folded(name.name)
        if needle in low:
            place = (0 if low == needle else 1 if whole.search(low) else 2 if low.startswith(needle)
                     else 3 if word_start.search(low) else 4)
            if acronym is not None and not acronym.search(name.name):
                if place == 4:              # "T-ALL" inside "infant ALL"
                    continue
                place = max(place, 3)
            if place == 4 and len(needle) <= 3:
                continue
        elif each_word and all(word.search(name.name if as_written else low) for word, as_written in each_word):
            place = ANY_ORDER
        else:
            continue
        rank = place * 2 + (name.name != name.label)
        hit = Hit(name.iri, name.label, name.name, name.kind, rank)
        old = best.get(hit.iri)
        if old is None or (hit.rank, hit.kind) < (old.rank, old.kind):
            best[hit.iri] = hit
    # within a tier the shortest name matched first: the more of it the text is, the nearer the
    # entity ("childhood ALL" before "high-risk childhood ALL"), then labels before synonyms
    return sorted(best.values(), key=lambda h: (h.rank // 2, len(h.matched), h.rank % 2, len(h.label),
                                                h.label.lower()))[:limit]


def close(known: list[Name], text: str, limit: int = 5) -> list[Hit]:
    """Entities with a name spelled nearly as ``text`` (a typo: "leukemai", "vincristen"), the
    closest first; each entity once.

    >>> known = [Name("e:v", "vincristine", "vincristine", "Drug"), Name("e:b", "bone pain", "bone pain", "")]
    >>> [h.label for h in close(known, "vincristen")]
    ['vincristine']
    """
    by_name: dict[str, list[Name]] = defaultdict(list)
    for name in known:
        by_name[folded(name.name)].append(name)
    hits: dict[str, Hit] = {}
    for rank, match in enumerate(close_names(folded(text), list(by_name), n=limit * 2, cutoff=0.75)):
        for name in by_name[match]:
            hits.setdefault(name.iri, Hit(name.iri, name.label, name.name, name.kind, rank))
    return list(hits.values())[:limit]
