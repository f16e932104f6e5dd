"""A user's words read as the view's nodes, predicates, sources and types (a label, synonym,
id, CURIE or mapped identifier), with "did you mean" when none fits."""

from __future__ import annotations

import re
from collections import defaultdict

import networkx as nx

from .. import entitynames
from ..errors import close_names, did_you_mean, names_several, shorten
from ..iris import bare_icd10_curies
from ..namespaces import GK
from ..spelling import american, loose_name
from .builder import CERTAINTY_ORDER, SEP, SelectionError


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())


def resolve(G: nx.MultiDiGraph, text: str, notes: list | None = None) -> str:
    """The node key of an entity named by id, CURIE, IRI, an external identifier it carries as an
    exact mapping (``MONDO:0011908``), label or synonym (case-insensitive).

    Ids first (the node's own, then the exact mappings), then labels and synonyms, then names
    written with commas, hyphens or dashes for spaces (a note says so). Where a name
    fits several nodes, as a catalogue parameter reads it: an entity wins over an ICD-10 code node
    with the same title, then the one named in the case typed, then the one whose label it is (a
    note on the others goes to ``notes``); otherwise it is an error.

    >>> from graphkit.nxview import load
    >>> G = load()
    >>> resolve(G, "JMML in relapse"), resolve(G, "gke:fatigue"), resolve(G, "icd10cm:c93.32")
    ('jmml_in_relapse', 'fatigue', 'ICD10CM:C93.32')
    >>> resolve(G, "MONDO:0011908"), resolve(G, "C93.32")
    ('jmml', 'ICD10CM:C93.32')
    >>> resolve(G, "JMML, in relapse")          # commas and hyphens as spaces, as a parameter reads a name
    'jmml_in_relapse'

    >>> resolve(G, "JMML in relaps")
    Traceback (most recent call last):
    ...
    graphkit.nxview.SelectionError: unknown entity 'JMML in relaps'; did you mean 'JMML in relapse' (jmml_in_relapse) or 'CNS relapse' (cns_relapse_any_childhood_all)?
    """
    if text in G:
        return text
    wanted = _norm(text)
    by_id: dict[str, str] = {}
    by_label: dict[str, set[str]] = defaultdict(set)
    by_synonym: dict[str, set[str]] = defaultdict(set)
    by_mapping: dict[str, set[str]] = defaultdict(set)
    for node, data in G.nodes(data=True):
        for form in (node, data.get("curie", ""), data.get("iri", "")):
            if form:
                by_id[_norm(form)] = node
        for mapped in filter(None, data.get("xrefs", "").split(SEP)):
            by_mapping[_norm(mapped)].add(node)
        by_label[_norm(data.get("label", ""))].add(node)
        for synonym in filter(None, data.get("synonyms", "").split(SEP)):
            by_synonym[_norm(synonym)].add(node)
    mapped = by_mapping.get(wanted, set())
    if wanted not in by_id and len(mapped) == 1:     # an external id no node has as its own: its entity
        return next(iter(mapped))
    for curie in bare_icd10_curies(text.strip()):     # C93.32: ICD-10-CM's code node, as a catalogue parameter reads it
        if curie in G:
            return curie
    for form in dict.fromkeys((wanted, american(wanted))):       # as typed, then "leukaemia" as "leukemia"
        found_node = _found(G, text, form, by_id, by_label, by_synonym, notes)
        if found_node is not None:
            return found_node
    loosely = _loosely_named(G, text, by_label, by_synonym)
    if len(loosely) == 1:             # "JMML, in relapse", as a catalogue parameter reads it
        (node, name), = loosely.items()
        if notes is not None:
            notes.append(f"{shorten(text)!r} read as {name!r}: {G.nodes[node].get('label', node)} ({node})")
        return node
    names = {}
    for index in (by_label, by_synonym):
        for name, nodes in index.items():
            names.setdefault(name, sorted(nodes)[0])
    for name, node in by_id.items():
        names.setdefault(name, node)
    # The names the search page finds first (the words in any order, a hyphen for a space:
    # "relapsed B-cell precursor ALL"), then those spelled nearly so, as a catalogue parameter's
    # suggestions (graphkit.catalogue.params)
    suggestions: dict[str, str] = {}
    for hit in entitynames.search(_names(G), text, 12):
        suggestions.setdefault(hit.iri, _norm(hit.matched))
    for close in close_names(wanted, names, n=12):
        suggestions.setdefault(names[close], close)
    hint = ""
    if suggestions:
        shown = [(_shown(G, c, n), n) for n, c in list(suggestions.items())[:3]]
        hint = "; did you mean " + " or ".join(f"{d!r}" + (f" ({n})" if d != n else "") for d, n in shown) + "?"
    raise SelectionError(f"unknown entity {shorten(text)!r}{hint}")


def _names(G) -> list[entitynames.Name]:
    """Every label and synonym of the view's nodes, as :func:`graphkit.entitynames.search` reads them."""
    return sorted(entitynames.Name(node, data.get("label") or node, name, data.get("kind", ""))
                  for node, data in G.nodes(data=True)
                  for name in filter(None, [data.get("label", ""), *data.get("synonyms", "").split(SEP)]))


def _found(G, text: str, wanted: str, by_id, by_label, by_synonym, notes: list | None = None) -> str | None:
    """The node ``wanted`` (a normalized name) names by id, else by a label or synonym; None if
    none; an error if several do and nothing below tells them apart (a note names the ones
    passed over when something does)."""
    if wanted in by_id:
        return by_id[wanted]
    found = named = by_label.get(wanted, set()) | by_synonym.get(wanted, set())
    typed = text.strip()
    # Of several, as a catalogue parameter reads a name: an entity over an ICD-10 code node with
    # the same title (codes are named by their code; case first made the source page's own title
    # name the code node), then the one named in the case typed ("FISH" is the test, its
    # synonym), then the one whose label it is ("fish" and "Fish" the food).
    preferences = (lambda n: G.nodes[n].get("kind") != "ICD10Code",
                   lambda n: typed in (G.nodes[n].get("label"), *G.nodes[n].get("synonyms", "").split(SEP)),
                   lambda n: n in by_label.get(wanted, ()))
    for preferred in preferences:
        if len(found) <= 1:
            break
        found = {n for n in found if preferred(n)} or found
    if len(found) == 1:
        chosen = next(iter(found))
        if len(named) > 1 and notes is not None:        # "Fish" is the food; "FISH" would have been the test
            notes.append(names_several(text, f"{G.nodes[chosen].get('label', chosen)} ({chosen})",
                                       [f"{G.nodes[n].get('label', n)} ({n})" for n in sorted(named - found)]))
        return chosen
    if found:
        names = ", ".join(f"{n} ({G.nodes[n]['label']})" for n in sorted(found))
        raise SelectionError(f"{shorten(text)!r} names several entities: {names}; use an id")
    return None


def _loosely_named(G, text: str, by_label, by_synonym) -> dict[str, str]:
    """Node -> its name, of the nodes one of whose names ``text`` is but for case, hyphens, dashes
    and commas (:func:`~graphkit.spelling.loose_name`)."""
    wanted = loose_name(text)
    if wanted is None:
        return {}
    return {node: _display(G, name, node) for index in (by_label, by_synonym) for name, nodes in index.items()
            if loose_name(name) == wanted for node in nodes}


def _shown(G, normalized: str, node: str) -> str:
    """How a suggestion names ``node``, met by ``normalized``: the name so written; a node met by
    its id (``brain_tumor`` for "blinatumomb", ``cns_leukemia`` for "leukmia") by the name the id
    spells ('CNS leukemia'), else its label ('brain tumor'), as a catalogue parameter's
    suggestions name them."""
    shown = _display(G, normalized, node)
    if shown != node:
        return shown
    spelled = _display(G, normalized.replace("_", " "), node)
    return spelled if spelled != node else G.nodes[node].get("label") or node


def _display(G, normalized: str, node: str) -> str:
    data = G.nodes[node]
    for form in [data.get("label", ""), *data.get("synonyms", "").split(SEP), node]:
        if _norm(form) == normalized:
            return form
    return node


def resolve_predicate(G: nx.MultiDiGraph, text: str) -> str:
    """An edge key (``hasSymptom``) from a local name, ``gk:`` CURIE, IRI or label."""
    keys = {}
    for _, _, key, data in G.edges(keys=True, data=True):
        for form in (key, data["predicate"], data["predicate_iri"], data["label"]):
            if form:
                keys[_norm(form)] = key
    for broader, narrower in G.graph.get("narrower_properties", {}).items():   # treatedWith: its curativeTherapy edges
        if any(_norm(name) in keys for name in narrower):
            for form in (broader, f"gk:{broader}", str(GK) + broader):
                keys.setdefault(_norm(form), broader)
    found = keys.get(_norm(text))
    if found:
        return found
    close = close_names(_norm(text), sorted(keys), n=12, shown=keys)
    raise SelectionError(f"unknown predicate {shorten(text)!r} (not used by any edge){did_you_mean(close)}")


def resolve_source(G: nx.MultiDiGraph, text: str) -> str:
    """A source document id (``chang_2004_jmml_second_hsct``) that states at least one edge, from
    its id, ``gksrc:`` CURIE or document number (``004``, the first part of its evidence ids).

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="p", sources="doc_x", evidence="gkev:004-1f", evidence_sources="doc_x")
    'p'
    >>> resolve_source(G, "004"), resolve_source(G, "gksrc:doc_x")
    ('doc_x', 'doc_x')
    """
    known = {s for *_, d in G.edges(keys=True, data=True) for s in d.get("sources", "").split(SEP) if s}
    wanted = text.removeprefix("gksrc:")
    if wanted in known:
        return wanted
    if wanted.isdigit():
        numbered = {evidence.removeprefix("gkev:").split("-", 1)[0]: source
                    for *_, d in G.edges(keys=True, data=True)
                    for evidence, source in zip(d.get("evidence", "").split(SEP), d.get("evidence_sources", "").split(SEP))
                    if evidence and source}
        if wanted in numbered:
            return numbered[wanted]
    hint = did_you_mean(close_names(wanted, sorted(known), cutoff=0.5)) or f"; sources stating edges: {', '.join(sorted(known))}"
    raise SelectionError(f"unknown source {shorten(text)!r} (no edge is stated by it){hint}")


def resolve_certainty(text: str) -> str:
    """A certainty of the evidence (:data:`~graphkit.nxview.CERTAINTY_ORDER`) from its name in any
    case, with or without spaces, hyphens or a ``gk:`` prefix.

    >>> resolve_certainty("established"), resolve_certainty("under study")
    ('Established', 'UnderStudy')
    """
    def squeezed(name: str) -> str:
        return re.sub(r"[\s_-]+", "", name.casefold())

    found = {squeezed(level): level for level in CERTAINTY_ORDER}.get(squeezed(text.strip().removeprefix("gk:")))
    if found is None:
        raise SelectionError(f"unknown certainty {shorten(text)!r}; the levels are {', '.join(CERTAINTY_ORDER)}")
    return found


def resolve_type(G: nx.MultiDiGraph, text: str) -> str:
    """A class name (``Drug``) from a local name, ``gk:`` CURIE or label."""
    classes = {}
    for _, data in G.nodes(data=True):
        for name in filter(None, data.get("classes", "").split(SEP)):
            classes[_norm(name)] = name
            classes[_norm(f"gk:{name}")] = name
    found = classes.get(_norm(text)) or classes.get(_norm(text).replace(" ", ""))
    if found:
        return found
    close = close_names(_norm(text), sorted(classes), n=12, shown=classes)
    raise SelectionError(f"unknown type {shorten(text)!r} (no node has it){did_you_mean(close)}")


