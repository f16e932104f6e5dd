"""Choosing a subgraph: by seed entity and hops, by a list of entities, or by a SPARQL
CONSTRUCT query. One :class:`Selection` serves every export format.

- **Seeds** (``--seed``): each seed (id, CURIE, label or synonym, case-insensitive, or an
  external identifier the entity carries as a mapping: ``MONDO:0011908``, ``HP:0001945``; see
  :mod:`graphkit.identifiers`) and every node within ``hops`` of it, following only edges of ``predicates`` and reaching only nodes of
  ``types`` (by class, superclass or inferred role); every such edge among those nodes.
- **Entities** (``--entity``/``--entities``): exactly these nodes and the edges among them
  (of ``predicates``, if given).
- **Sources** (``--source``): keep only edges stated by these source documents (with any of
  the parts above, or alone: everything those documents state, i.e. their edges and the nodes
  these touch; ``--predicate`` alone likewise).
- **CONSTRUCT** (``--construct``): the query's text, a ``.rq`` file, or the name of a CONSTRUCT
  query saved in ``queries/`` (the catalogue's own are SELECTs). Every node of the view that the
  result mentions is selected, and every result triple that is an edge of the view (other triples
  only mark their nodes).

The parts combine as a union. No part at all selects the whole view.

>>> from graphkit import nxview
>>> G = nxview.load()
>>> jmml_docs = ["icd10_c93_32_page", "chang_2004_jmml_second_hsct"]          # documents 001 and 004
>>> sub = select(G, Selection(seeds=["jmml_early_relapse_after_hsct"], hops=1, types=["Therapy"], sources=jmml_docs))
>>> sorted(sub)
['hsct', 'jmml_early_relapse_after_hsct', 'second_allogeneic_hsct']
>>> sorted(select(G, Selection(entities=["jmml", "JMML in relapse", "fatigue"])).edges(keys=True))
[('jmml_in_relapse', 'fatigue', 'hasSymptom'), ('jmml_in_relapse', 'jmml', 'stateOf')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .biolink import ALIGNMENT_MATCHES, RDF_ALIGNMENTS, ROOT_PREDICATE, Model
from .catalogue.params import bare_code, resolve_source_document, schema_term
from .errors import QueryError, close_names, did_you_mean, shorten
from .fileio import read_text
from .identifiers import resolve as resolve_identifier
from .iris import BIOLINK, GKSRC, GRAPH_INFERRED, compact
from .output import counted
from .nxview import (SEP, SelectionError, evidence_kept, filtered, is_context, neighbourhood, node_key, resolve,
                     resolve_certainty, resolve_predicate, resolve_source, resolve_type, scoped_to, stated_by,
                     subtypes_of, with_context, with_narrower)

__all__ = ["Selection", "SelectionError", "select", "resolve_seed", "read_entity_list", "construct_text"]


@dataclass
class Selection:
    seeds: list[str] = field(default_factory=list)
    hops: int = 1
    predicates: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    direction: str = "both"
    entities: list[str] = field(default_factory=list)
    construct: str | None = None
    sources: list[str] = field(default_factory=list)
    certainties: list[str] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)
    with_subtypes: bool = False

    def is_everything(self) -> bool:
        return not (self.seeds or self.entities or self.construct)

    def describe(self) -> str:
        """One line saying what was selected (kept in the exported files' metadata)."""
        parts = []
        subtypes = " with their subtypes and disease states" if self.with_subtypes else ""    # seeds' and entities'
        if self.seeds:
            parts.append(f"{self.hops} hop(s) around {', '.join(self.seeds)}{subtypes}")
        if self.entities:
            parts.append(f"{len(self.entities)} listed entit{'y' if len(self.entities) == 1 else 'ies'}{subtypes}")
        if self.construct:
            parts.append("a CONSTRUCT query")
        text = " + ".join(parts) or ("everything" if self.sources or self.predicates or self.certainties or self.scopes
                                     else "the whole graph")
        if self.predicates:
            text += f"; predicates {', '.join(self.predicates)}"
        if self.types:
            text += f"; types {', '.join(self.types)}"
        if self.sources:
            text += f"; stated by {', '.join(self.sources)}"
        if self.certainties:
            text += f"; certainty {', '.join(self.certainties)}"
        if self.scopes:
            text += f"; scoped to {', '.join(self.scopes)}"
        if self.direction != "both" and self.seeds:
            text += f"; direction {self.direction}"
        return text


class ListedName(str):
    """An entity name read from a file, which knows where (``FILE:LINE``) for error messages."""

    __slots__ = ("where",)

    def __new__(cls, name: str, where: str):
        listed = super().__new__(cls, name)
        listed.where = where
        return listed


def read_entity_list(path: str | Path) -> list[str]:
    """Entity names from a file, one a line (``#`` comments and blank lines ignored; a UTF-8 byte
    order mark, as some editors write, too). Each name knows its line, so that an unknown one is
    named with its file and line."""
    lines = read_text(path, "the entity list").removeprefix("\ufeff").splitlines()
    return [ListedName(line.split("#", 1)[0].strip(), f"{path}:{number}") for number, line in enumerate(lines, 1)
            if line.split("#", 1)[0].strip()]


def _resolve_listed(G: nx.MultiDiGraph, name: str, store=None, notes: list | None = None) -> str:
    """A listed entity, named as a seed is (:func:`resolve_seed`: an external identifier too)."""
    try:
        return resolve_seed(G, name, store, notes)
    except SelectionError as exc:
        if isinstance(name, ListedName):
            raise SelectionError(f"{name.where}: {exc}") from None
        raise


def construct_text(spec: str, queries_dir: Path | None = None) -> str:
    """The query text of ``--construct``: a file, a catalogue name (``queries/NAME.rq``) or the text."""
    if re.search(r"(?is)\b(CONSTRUCT|DESCRIBE|SELECT|ASK)\b.*[{]", spec) or re.search(r"(?i)\bDESCRIBE\b", spec):
        return spec
    path = Path(spec)
    if path.suffix == ".rq" or path.exists():
        return read_text(path, "the query file")
    if queries_dir is not None:
        matches = sorted(queries_dir.rglob(f"{spec}.rq"))
        if matches:
            return matches[0].read_text(encoding="utf-8")
    raise SelectionError(f"--construct {spec!r} is neither a CONSTRUCT/DESCRIBE query, a .rq file, nor a "
                         "query of the catalogue (queries/NAME.rq)")


def _construct(G: nx.MultiDiGraph, store, text: str, notes: list | None = None) -> tuple[set[str], set[tuple[str, str, str]]]:
    if store is None:
        raise SelectionError("a CONSTRUCT selection needs a store to run the query on")
    try:
        result = store.query(text)
    except QueryError as exc:
        raise SelectionError(f"the CONSTRUCT query failed: {exc}") from None
    if result.kind != "graph":
        kind = result.kind.upper()
        raise SelectionError(f"--construct needs a CONSTRUCT or DESCRIBE query, got {'an' if kind == 'ASK' else 'a'} "
                             f"{kind} query")
    nodes, edges, not_edges = set(), set(), 0
    for s, p, o in result.graph:
        keys = [node_key(t) for t in (s, o)]
        nodes.update(k for k in keys if k in G)
        edge = (keys[0], keys[1], node_key(p).removeprefix("gk:"))
        if G.has_edge(*edge):
            edges.add(edge)
        elif keys[0] in G and keys[1] in G:
            not_edges += 1
    if not_edges and notes is not None:
        inferred = "" if G.graph.get("include_inferred") else "; --include-inferred adds the inferred ones"
        notes.append(f"{counted(not_edges, 'triple')} of the CONSTRUCT answer between nodes of "
                     f"the view {'are' if not_edges != 1 else 'is'} no edge of it and left out (the view's edges are "
                     f"the asserted statements{inferred})")
    return nodes, edges


def resolve_seed(G: nx.MultiDiGraph, text: str, store=None, notes: list | None = None) -> str:
    """The node a seed names: a node of the view by id, CURIE, label or synonym
    (:func:`graphkit.nxview.resolve`; an ICD-10 code node is itself), else, with a ``store``,
    a bare ICD-10 code (``C93.32``, read in ICD-10-CM) or the entity that carries the identifier
    as a mapping (a note on a loose mapping goes to ``notes``)."""
    try:
        return resolve(G, text, notes)
    except SelectionError as unknown:
        if G.graph.get("schema_only"):
            raise SelectionError(f"{unknown}; the schema's nodes are its classes (gk:Disease, Drug ...): "
                                 "without --schema the nodes are the entities") from None
        if store is None:
            raise
        code = bare_code(store, text)      # C93.32: in ICD-10-CM, as the catalogue's parameters read it
        if code is not None:
            if node_key(code.value) in G:
                return node_key(code.value)
            text = node_key(code.value)
        try:
            resolved, mappings = resolve_identifier(store, text)
        except QueryError as exc:
            raise SelectionError(str(exc)) from None
        if resolved is None or node_key(resolved.entity) not in G:
            close = mappings.close_identifiers(text)
            if mappings.identifier(text) is None and close:
                raise SelectionError(f"no entity carries the identifier {shorten(text)!r}"
                                     f"{did_you_mean(close, quoted=False)}") from None
            raise
        if resolved.note and notes is not None:
            notes.append(resolved.note)
        return node_key(resolved.entity)


def _source_id(text: str, store) -> str:
    """A source document's id from its id, ``gksrc:`` CURIE or, where a store can say which
    document it is, its number (``004``, as the catalogue's ``source`` parameter takes it)."""
    if store is None:
        return text
    try:
        return resolve_source_document(store, text).value[len(GKSRC):]
    except QueryError as exc:
        raise SelectionError(str(exc)) from None


def _scope(G: nx.MultiDiGraph, text: str, store, notes: list | None) -> str:
    """The entity ``--scope text`` names (:func:`resolve_seed`), which a statement must be scoped to:
    no statement is scoped to Down syndrome (the genetic syndrome), several to Down
    syndrome-associated ALL, which the message names (it had said the selection was empty)."""
    node = resolve_seed(G, text, store, notes)
    used = {entity for *_, d in G.edges(keys=True, data=True)
            for scope in d.get("evidence_scopes", "").split(SEP) for entity in scoped_to(scope)}
    if node in used:
        return node
    names = {**{u.lower(): u for u in used}, **{G.nodes[u].get("label", u).lower(): u for u in used if u in G}}
    close = [n for word in (str(text).strip().lower(), node.lower()) for n in close_names(word, names, shown=names)]
    hint = " or ".join(f"{G.nodes[n].get('label', n)!r} ({n})" if n in G else repr(n) for n in dict.fromkeys(close))
    raise SelectionError(f"no statement is scoped to {shorten(str(text))!r} ({node})"
                         + (f"; did you mean {hint}?" if hint else ""))


def _predicates(G: nx.MultiDiGraph, text: str, store, notes: list | None) -> list[str]:
    """The edge keys ``--predicate text`` keeps: one (:func:`_predicate`), or for a Biolink
    predicate (``biolink:treats``), with a store to read the schema's alignments from, each of
    :func:`_aligned_with`."""
    if text.strip().startswith("biolink:") and store is not None:
        return _aligned_with(G, text.strip(), store, notes)
    return [_predicate(G, text, store)]


_ALIGNED = """SELECT DISTINCT ?property WHERE {
  VALUES ?match { ?matches }
  VALUES ?slot { ?slots }
  { ?property ?match ?slot }
  UNION { ?aligned ?match ?slot . ?aligned owl:inverseOf ?property }
  UNION { ?aligned ?match ?slot . ?property owl:inverseOf ?aligned }
} ORDER BY ?property"""


def _aligned_with(G: nx.MultiDiGraph, text: str, store, notes: list | None) -> list[str]:
    """The edge keys of the graphkit properties the schema aligns (exactly, closely or under it:
    :data:`~graphkit.biolink.ALIGNMENT_MATCHES`, as the KGX export reads them) with the Biolink
    predicate ``text``, with its inverse (``treated_by`` for ``treats``: the same edges read
    backwards) or with a predicate under either; their sub-properties come along as with any
    ``--predicate``. A note says which properties it was read as."""
    model = Model.load()
    slot = text.removeprefix("biolink:")
    if slot not in model.predicates:
        close = close_names(slot, sorted(model.predicates), n=6)
        raise SelectionError(f"no Biolink predicate {shorten(text)!r} (Biolink Model {model.version})"
                             f"{did_you_mean([f'biolink:{c}' for c in close], quoted=False)}")
    if slot == ROOT_PREDICATE:          # every edge is one, the unaligned ones too (KGX writes them so)
        if notes is not None:
            notes.append(f"predicate {shorten(text)!r} is every edge (Biolink's root predicate)")
        return sorted({key for *_, key in G.edges(keys=True)})
    slots = set().union(*(model.narrower_predicates(name) for name in {slot, model.inverse(slot)} if name))
    query = _ALIGNED.replace("?matches", " ".join(f"<{m}>" for m in ALIGNMENT_MATCHES)) \
                    .replace("?slots", " ".join(f"<{BIOLINK}{s}>" for s in sorted(slots)))
    aligned = [row["property"] for row in store.query(query).texts()] + \
        [prop for prop, slots_of in RDF_ALIGNMENTS.items() if any(found in slots for found, *_ in slots_of)]
    keys = []
    for prop in aligned:
        try:
            keys.append(resolve_predicate(G, prop))
        except SelectionError:          # a property no edge of the view has (the reasoner's inverse)
            continue
    keys = list(dict.fromkeys(keys))
    if not aligned:
        raise SelectionError(f"no property of graphkit's schema is aligned with {shorten(text)!r}, its inverse "
                             f"or a predicate under them")
    if not keys:
        raise SelectionError(f"no edge of the view is of a property aligned with {shorten(text)!r} (the schema "
                             f"aligns {', '.join(compact(p) for p in aligned)} with it)")
    if notes is not None:
        notes.append(f"predicate {shorten(text)!r} is {', '.join(keys)} (the schema's alignments with Biolink)")
    return keys


def _predicate(G: nx.MultiDiGraph, text: str, store) -> str:
    """An edge key of ``G`` (:func:`resolve_predicate`); a property only the reasoner's edges have
    (``symptomOf``, the inverse of the stated ``hasSymptom``), in a view without them, is named so."""
    try:
        return resolve_predicate(G, text)
    except SelectionError as unknown:
        if store is None or G.graph.get("include_inferred"):
            raise
        try:
            prop = schema_term(store, "--predicate", "predicate", text)
        except QueryError:
            raise unknown from None
        inferred_edge = f"ASK {{ GRAPH <{GRAPH_INFERRED}> {{ ?s {prop} ?o FILTER(isIRI(?o)) }} }}"
        if not store.query(inferred_edge).boolean:
            raise
        raise SelectionError(f"predicate {shorten(text)!r} is on the reasoner's edges only (an inverse or a broader "
                             f"property of stated ones): add --include-inferred") from None


def select(G: nx.MultiDiGraph, selection: Selection, store=None, notes: list | None = None) -> nx.MultiDiGraph:
    """The subgraph of ``G`` that ``selection`` describes (a new graph; ``G`` is unchanged).
    With a ``store``, seeds may also be external identifiers of entities (:func:`resolve_seed`);
    notes on how a seed was read are appended to ``notes``."""
    predicates = list(dict.fromkeys(key for p in selection.predicates for key in _predicates(G, p, store, notes)))
    types = [resolve_type(G, t) for t in selection.types]
    sources = [resolve_source(G, _source_id(s, store)) for s in selection.sources]
    certainties = [resolve_certainty(c) for c in selection.certainties]
    scopes = [_scope(G, s, store, notes) for s in selection.scopes]
    _note_read_as(G, "scope", selection.scopes, scopes, notes)
    whole, stated = G, sources
    if certainties or scopes:
        # the selection is made among the edges one evidence of which meets them all, the sources
        # too (so they are not asked of the edges again); an edge that states nothing (a class's)
        # is left out, as --source leaves it, and comes back as context
        # The predicates are kept here too, as the keys they were read as: read again in the
        # filtered view, a predicate none of whose edges is kept was "unknown" (--scope maintenance
        # --predicate hasSymptom)
        sources, of_predicates = [], with_narrower(whole, predicates)
        G = nx.subgraph_view(whole, filter_edge=lambda u, v, k: (not predicates or k in of_predicates)
                             and evidence_kept(whole.edges[u, v, k], stated, certainties, scopes))
        walk = []
    else:
        walk = predicates
    if selection.hops < 0:
        raise SelectionError(f"--hops must be 0 or more, not {selection.hops}")
    if selection.with_subtypes and not (selection.seeds or selection.entities):
        raise SelectionError("--with-subtypes applies to --seed and --entity; give a seed or an entity")
    if selection.is_everything():
        sub = filtered(G, walk or None, types or None, sources=sources or None).copy()
        if predicates or stated or certainties or scopes:   # what these state: the nodes their edges touch
            sub.remove_nodes_from([n for n in list(sub) if sub.degree(n) == 0])
    else:
        sub = nx.MultiDiGraph()
        sub.graph.update(G.graph)
        if selection.seeds:
            seeds = [resolve_seed(G, s, store, notes) for s in selection.seeds]
            _note_read_as(G, "seed", selection.seeds, seeds, notes)
            if selection.with_subtypes:
                seeds = _with_subtypes(whole, seeds, "seed", notes)
            sub = nx.compose(sub, neighbourhood(G, seeds, selection.hops, walk or None, types or None,
                                                selection.direction, sources or None))
            if notes is not None and (predicates or types or stated or certainties or scopes) and selection.hops:
                notes.extend(_filtered_to_the_seeds(G, seeds, selection, predicates, types, sources, sub, stated,
                                                    walk))
        if selection.entities:
            named = [_resolve_listed(G, e, store, notes) for e in selection.entities]
            _note_read_as(G, "entity", selection.entities, named, notes)
            if selection.with_subtypes:
                named = _with_subtypes(whole, named, "entity", notes)
            induced = G.subgraph(named)
            sub.add_nodes_from((n, G.nodes[n]) for n in named)
            kept = with_narrower(G, predicates)
            sub.add_edges_from((u, v, k, d) for u, v, k, d in induced.edges(keys=True, data=True)
                               if (not predicates or k in kept) and (not sources or stated_by(d, sources)))
        if selection.construct:
            nodes, edges = _construct(G, store, selection.construct, notes)
            sub.add_nodes_from((n, G.nodes[n]) for n in sorted(nodes))
            sub.add_edges_from((u, v, k, G.edges[u, v, k]) for u, v, k in sorted(edges)
                               if not sources or stated_by(G.edges[u, v, k], sources))
    if sub.number_of_nodes() == 0:
        # the filters alone select nothing: say which (--scope fatigue, a name no statement is scoped to)
        asked = " ".join(_asked(selection, predicates, types, stated)) if selection.is_everything() else ""
        raise SelectionError(f"the selection is empty{f' (no edge {asked})' if asked else ''}: nothing to export")
    # the evidence of the selected edges and the classes of the selected nodes, which the filters
    # above leave out (an evidence node is of no type asked for, its edges of no predicate)
    sub = with_context(whole, sub)
    sub.graph.update(whole.graph)
    sub.graph["selection"] = ("schema: " if whole.graph.get("schema_only") else "") + selection.describe()
    return _sorted(sub)


def _with_subtypes(G: nx.MultiDiGraph, nodes: list[str], what: str, notes: list | None) -> list[str]:
    """``nodes`` and every subtype and disease state of each, and theirs (:func:`~graphkit.nxview.subtypes_of`,
    in the whole view: the filters choose edges, not which entities a condition's subtypes are),
    in order, each once; a note says how many each brought."""
    out: dict[str, None] = dict.fromkeys(nodes)
    for node in nodes:
        found = [n for n in subtypes_of(G, node) if n != node]
        out.update(dict.fromkeys(found))
        if notes is not None:
            brought = f"{len(found):,} subtype(s) and disease state(s)" if found else "no subtype or disease state"
            notes.append(f"--with-subtypes: {what} {node} brings {brought}")
    return list(out)


def _note_read_as(G: nx.MultiDiGraph, what: str, texts: list[str], nodes: list[str], notes: list | None) -> None:
    """A note for each name or identifier that is not its node's id or label: what it was read as
    ("ALL", "HP:0001945")."""
    if notes is not None:
        noted = list(notes)       # a name of several entities has had its note as it was read
        notes.extend(f"{what} {str(text)!r} is {G.nodes[node].get('label', node)} ({node})"
                     for text, node in zip(texts, nodes)
                     if text.strip().lower() not in (node.lower(), G.nodes[node].get("label", "").lower())
                     and not any(note.startswith(f"{shorten(str(text))!r} is ") for note in noted))


def _filtered_to_the_seeds(G, seeds, selection, predicates, types, sources, sub, stated, walk) -> list[str]:
    """A note where the filters left out what the hops would reach: the nodes of ``types`` reached
    only through other types (:func:`_typed_out_of_reach`), else, where the seeds are all that is
    left of the walk (what comes along, their classes, is not counted), that they are alone.
    ``sources`` filter the walk's edges; ``stated`` are the documents and ``predicates`` the
    properties asked for, which the view ``G`` may have applied already (then ``walk`` is empty)."""
    out_of_reach = _typed_out_of_reach(G, seeds, selection, walk, types, sources, sub) if types else []
    if out_of_reach or {n for n, kind in sub.nodes(data="type") if not is_context(kind)} != set(seeds):
        return out_of_reach
    asked = _asked(selection, predicates, types, stated)
    return [f"{', '.join(seeds)} {'has' if len(seeds) == 1 else 'have'} no edge {' '.join(asked)}: "
            f"the selection is the seed{'s' if len(seeds) > 1 else ''} alone"]


def _asked(selection, predicates, types, stated) -> list[str]:
    """What the filters ask of an edge, as a note or message says it: ``of hasSymptom``, ``stated
    by 004``, ``of certainty under study``, ``scoped to maintenance`` (the names as given)."""
    return [f"of {' or '.join(predicates)}"] * bool(predicates) + \
        [f"with a node of type {' or '.join(types)}"] * bool(types) + \
        [f"stated by {' or '.join(stated)}"] * bool(stated) + \
        [f"of certainty {' or '.join(selection.certainties)}"] * bool(selection.certainties) + \
        [f"scoped to {' or '.join(selection.scopes)}"] * bool(selection.scopes)


def _typed_out_of_reach(G, seeds, selection, predicates, types, sources, sub) -> list[str]:
    """A note on the nodes of ``types`` within the hops that the typed walk did not reach:
    ``--type`` keeps every node of the path, so a drug two hops away through a disease state is
    left out (``--seed jmml --hops 2 --type Drug`` gave the seed alone, silently)."""
    of_type = {n for n, kind in filtered(G, None, types).nodes(data="type") if not is_context(kind)}
    wider = neighbourhood(G, seeds, selection.hops, predicates or None, None, selection.direction, sources or None)
    missed = sorted((set(wider) & of_type) - set(sub))
    if not missed:
        return []
    shown = ", ".join(missed[:5]) + (", ..." if len(missed) > 5 else "")
    return [f"{len(missed)} more node(s) of type {' or '.join(types)} within {selection.hops} hop(s) are reached only "
            f"through nodes of other types, which --type leaves out of the path: {shown} (without --type they are in)"]


def _sorted(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same graph with nodes and edges in a stable order (files are reproducible)."""
    out = nx.MultiDiGraph()
    out.graph.update(G.graph)
    out.add_nodes_from(sorted(G.nodes(data=True), key=lambda item: item[0]))
    out.add_edges_from(sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])))
    return out
