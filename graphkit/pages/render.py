"""HTML for the pages: the standard library's escaping and plain f-strings, no template engine.

Every value that comes from the graph, the request or a source document goes through
:func:`esc` (text and attribute values) or :func:`href` (URLs); nothing else is ever written
into a page. The pages use no inline script or style (the Content-Security-Policy forbids
them): the look is ``static/pages.css``, the one script ``static/pages.js``.

>>> esc('<script>alert("x")</script>')
'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
>>> href("/search", q="a&b c")
'/search?q=a%26b+c'
"""

from __future__ import annotations

import dataclasses
import html
from collections import Counter
import re
import shlex
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Literal, URIRef

from ..entitynames import Hit
from ..errors import close_names, shorten
from ..header import release_credit
from ..iris import OWL, RDF, RDFS, SEMAPV, XSD, known_prefixes
from ..namespaces import GKE, compact
from ..output import counted
from ..turtle import serialize
from .lookup import SKOS_ALT_LABEL, SKOS_DEFINITION, Entity, Evidence, Passage, Scoped, Source, Statement, entity_id

# The scope qualifiers (loaders.statements.QUALIFIERS) as a page names them.
SCOPE_NAMES = {"forPopulation": "population", "forState": "state", "forLineOfTherapy": "line of therapy",
               "duringPeriod": "period", "inPhase": "phase"}


def esc(value) -> str:
    """``value`` as HTML text; a NUL (which no HTML may hold) as the replacement character."""
    return html.escape("" if value is None else str(value), quote=True).replace("\0", "\ufffd")


def href(path: str, **params) -> str:
    """A same-site URL: ``path`` (its segments quoted) and query parameters (None ones left out)."""
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
    return urllib.parse.quote(path, safe="/:#-._~") + (f"?{query}" if query else "")


# The largest pages link the same few hundred entities and sources thousands of times: their
# URLs are made once (measured: a fifth of rendering the NCI summary's page).
@lru_cache(maxsize=8192)
def entity_href(iri: str) -> str:
    return href(f"/entity/{entity_id(iri)}")


@lru_cache(maxsize=64)
def _source_path(source_id: str) -> str:
    return href(f"/source/{source_id}")


def source_href(source_id: str, start: int | None = None, end: int | None = None) -> str:
    return _source_path(source_id) + (f"#{start}-{end}" if start is not None else "")


# Vocabularies whose terms the graph uses as values but never describes: no page to link to
# (a mapping's justification, semapv:LexicalMatching, linked to a 404; so did a datatype property's
# range, xsd:integer, and an individual's type, owl:NamedIndividual).
_VALUES_ONLY = (SEMAPV, RDF, RDFS, OWL, XSD)


def is_entity(term) -> bool:
    """Whether a term gets a page link (graphkit's entities and other IRIs the graph describes
    by a CURIE, such as ICD-10-CM codes)."""
    return isinstance(term, URIRef) and not str(term).startswith(_VALUES_ONLY) and (
        str(term).startswith(str(GKE)) or compact(str(term)) != str(term))


def link(term, label: str | None = None) -> str:
    """An entity as a link to its page; a literal or an IRI without a page as text (by its CURIE)."""
    if is_entity(term):
        return f'<a href="{esc(entity_href(str(term)))}">{esc(label or compact(str(term)))}</a>'
    if label is None and isinstance(term, URIRef):
        return esc(compact(str(term)))
    return esc(label if label is not None else term)


# ---------------------------------------------------------------------------------------------
# The frame of every page


@dataclass
class Page:
    title: str
    body: str
    status: int = 200
    query: str = ""                 # the search box's text


def layout(page: Page, release: dict[str, str] | None = None) -> str:
    """The page in the site's frame; its footer names the ``release`` the pages show (the
    attributes of :data:`graphkit.header.RELEASE_ATTRIBUTES`) and its licence."""
    credit = release_credit(release or {}, markup=True)
    release_line = f'\n<span class="release">{credit}</span>' if credit else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{"Error: " if page.status >= 400 else ""}{esc(page.title)} · graphkit</title>
<link rel="stylesheet" href="/static/pages.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<script src="/static/pages.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/">graphkit</a>
  <nav aria-label="Site">
    <a href="/">Home</a> <a href="/catalogue">Catalogue</a> <a href="/sparql">SPARQL editor</a>
  </nav>
  <form class="search" role="search" action="/search" method="get">
    <label for="q">Search</label>
    <input id="q" name="q" type="search" value="{esc(page.query)}" placeholder="label, synonym, id or CURIE" required>
    <button type="submit">Search</button>
  </form>
</header>
<main id="main" tabindex="-1">
{page.body}
</main>
<footer>Pediatric leukemia knowledge graph: every statement with its source and quote.
The same data answers SPARQL at <code>/query</code> (<a href="/sparql">the query editor</a>).{release_line}</footer>
</body>
</html>
"""


def table(columns: list[str], rows: list[list[str]], caption: str) -> str:
    """A table (cells already HTML) that scrolls sideways on a narrow screen."""
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    body = "\n".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (f'<div class="scroll" role="region" aria-label="{esc(caption)}" tabindex="0">'
            f'<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>\n<tbody>{body}</tbody></table></div>')


def alert(message: str) -> str:
    return f'<p class="error" role="alert">{esc(message)}</p>'


# ---------------------------------------------------------------------------------------------
# Entity


def _qualities(certainty: str, frequency: str | None, scope: dict[str, list[tuple[str, str | None]]]) -> str:
    """How a statement is stated: its certainty, frequency and scope (each a link to the page of
    the population, state, phase ... and the statements stated for it), as every page shows them."""
    facts = [f'<span class="certainty">{esc(certainty)}</span>']
    if frequency:
        facts.append(f'<span class="frequency">{esc(frequency)}</span>')
    for qualifier, names in scope.items():
        if qualifier == "forSomeMembersOnly":   # "certain antibody deficiencies": not every member of the class
            facts.append('<span class="scope">of some members only</span>')
            continue
        named = "; ".join(link(URIRef(iri), label) if iri else esc(label) for label, iri in names)
        facts.append(f'<span class="scope">{esc(SCOPE_NAMES.get(qualifier, qualifier))}: {named}</span>')
    return " · ".join(facts)


def _evidence(ev: Evidence, sources: dict) -> str:
    note = f'<p class="note">{esc(ev.note)}</p>' if ev.note else ""
    if ev.disagreement:
        note += (f'<p class="note disagreement"><strong>Sources disagree</strong> '
                 f'(<a href="/catalogue/source-disagreements">all disagreements</a>): {esc(ev.disagreement)}</p>')
    section = f", {esc(ev.section)}" if ev.section else ""
    return (f'<li class="evidence" id="{esc(ev.anchor)}">'
            f'<blockquote><a href="{esc(source_href(ev.source_id, ev.start, ev.end))}">{esc(ev.quote)}</a></blockquote>'
            f'<p class="cite">{_cited(ev, sources.get(ev.source))}{section}, characters {ev.start}–{ev.end} · '
            f'{_qualities(ev.certainty, ev.frequency, ev.scope)}</p>'
            f"{note}</li>")


def _said_in(cited: list[Evidence]) -> str:
    """Links to the quotes that state a synonym, each the anchor of its evidence."""
    return "".join(f' <a class="said" id="{esc(ev.anchor)}" title="{esc(ev.quote)}" '
                   f'href="{esc(source_href(ev.source_id, ev.start, ev.end))}">[document {esc(ev.doc)}]</a>'
                   for ev in cited)


def _cited(ev: Evidence, source: Source | None) -> str:
    """Which source says it: who (publisher, kind of document) and its number, linked to it."""
    if source is None:
        return f"document {esc(ev.doc)}"
    return f'<a href="{esc(source_href(source.id))}">{esc(source.who)}</a> ({esc(ev.doc)})'


def _restated(entity: Entity, inverses: dict[str, str]) -> set[tuple]:
    """The inferred edges that restate a quoted edge the other way round (``alopecia adverse
    effect of vincristine`` for ``vincristine has adverse effect alopecia``): the quoted one
    stands for both, so the page shows each fact once, with its quote."""
    quoted = {(edge.direction, edge.other) for edge in entity.edges if edge.nodes}
    restated = {(edge.direction, edge.predicate, edge.other) for edge in entity.edges
                if edge.inferred and not edge.nodes
                and ("in" if edge.direction == "out" else "out", edge.other) in quoted}
    # one fact inferred both ways ("has subtype X" and "X subtype of this"): shown once, the way out
    out = {(edge.predicate, edge.other) for edge in entity.edges if edge.direction == "out"}
    return restated | {("in", edge.predicate, edge.other) for edge in entity.edges
                       if edge.direction == "in" and edge.inferred and not edge.nodes
                       and (inverses.get(edge.predicate), edge.other) in out}


def groups_of(entity: Entity, inverses: dict[str, str]) -> dict[str, dict[str, list]]:
    """The entity's edges out and in, each way by predicate label in page order (restated
    inverses left out)."""
    groups: dict[str, dict[str, list]] = {"out": {}, "in": {}}
    restated = _restated(entity, inverses)
    for edge in entity.edges:
        if (edge.direction, edge.predicate, edge.other) not in restated:
            groups[edge.direction].setdefault(edge.predicate_label, []).append(edge)
    return groups


def _anchor(direction: str, predicate: str) -> str:
    return direction + "-" + "-".join(re.findall(r"[a-z0-9]+", predicate.lower()))


# What one page of an entity shows at most, in edges and quotes (a section larger than that is a
# page of its own): childhood ALL's 426 edges and 536 quotes made a 349 KB page that took 114 ms;
# its sections are on pages of this size, each linked from every page's list of sections (the
# quotes of a page cost the server and the pages about 0.15 ms each: measured).
ENTITY_PAGE_SIZE = 150
SCOPED = ("scoped", "")        # the section of the statements stated for it


def entity_pages(groups_by_direction: dict[str, dict[str, list]], scoped: list[Scoped] = (),
                 size: int = ENTITY_PAGE_SIZE) -> list[list[tuple[str, str]]]:
    """The sections of an entity's page (its :func:`groups_of`, then the statements stated for it),
    as (direction, predicate label), on pages of at most ``size`` edges and quotes each: whole
    sections in page order, a new page where the next one would not fit. A short entity has one."""
    sections = [((direction, predicate), sum(1 + len(edge.nodes) for edge in edges))
                for direction, by_predicate in groups_by_direction.items() for predicate, edges in by_predicate.items()]
    if scoped:
        sections.append((SCOPED, len(scoped)))
    pages: list[list[tuple[str, str]]] = [[]]
    filled = 0
    for section, weight in sections:
        if pages[-1] and filled + weight > size:
            pages.append([])
            filled = 0
        pages[-1].append(section)
        filled += weight
    return pages


def edges_on_page(groups_by_direction: dict[str, dict[str, list]], sections: list[tuple[str, str]]) -> list:
    """The edges of ``sections`` (one page of :func:`entity_pages`), in page order."""
    return [edge for direction, predicate in sections for edge in groups_by_direction.get(direction, {}).get(predicate, [])]


def page_of_quote(pages: list[list[tuple[str, str]]], groups_by_direction: dict[str, dict[str, list]],
                  anchor: str) -> int | None:
    """The number of the page (from 1) whose sections hold the quote of evidence ``anchor`` (the
    end of its node's IRI); None when no section does (a definition's or a synonym's quote is on
    every page)."""
    for number, sections in enumerate(pages, 1):
        if any(node.rsplit("/", 1)[-1] == anchor for edge in edges_on_page(groups_by_direction, sections)
               for node in edge.nodes):
            return number
    return None


def entity_page_href(entity_iri: str, number: int) -> str:
    """The address of page ``number`` of an entity (the first is the entity's own)."""
    return entity_href(entity_iri) + (f"?page={number}" if number > 1 else "")


def _section_name(direction: str, predicate: str) -> str:
    if (direction, predicate) == SCOPED:
        return "statements stated for it"
    return predicate if direction == "out" else "… " + predicate + " this"


def _section_anchor(direction: str, predicate: str) -> str:
    return "scoped" if (direction, predicate) == SCOPED else _anchor(direction, predicate)


def _contents(groups_by_direction: dict[str, dict[str, list]], pages: list[list[tuple[str, str]]] = (),
              number: int = 1, entity_iri: str = "", scoped: int = 0) -> str:
    """A long page's list of its sections (an entity with many kinds of edges runs to tens of
    thousands of pixels), each with its number of edges; an entity on several pages lists every
    page's sections, each linked to its place on its page."""
    counts = {(direction, predicate): len(edges) for direction, by_predicate in groups_by_direction.items()
              for predicate, edges in by_predicate.items()}
    counts[SCOPED] = scoped
    if len(pages) > 1:
        listed = []
        for at, sections in enumerate(pages, 1):
            here = "" if at == number else entity_page_href(entity_iri, at)
            items = "".join(f'<li><a href="{esc(here)}#{_section_anchor(*section)}">{esc(_section_name(*section))}</a> '
                            f'<span class="count">{counts[section]}</span></li>' for section in sections)
            title = (f'<strong>Page {at} (this page)</strong>' if at == number else
                     f'<a href="{esc(here)}">Page {at}</a>')
            current = ' aria-current="page"' if at == number else ""
            listed.append(f'<li{current}>{title}: <ul class="inline">{items}</ul></li>')
        return (f'<nav class="contents" aria-label="Sections and pages"><p>The sections, on {len(pages)} pages '
                f'(this is page {number}):</p><ol class="pages">{"".join(listed)}</ol></nav>')
    del counts[SCOPED]      # on one page, the counts above the sections link to those statements
    if len(counts) < 8:
        return ""
    items = "".join(f'<li><a href="#{_anchor(*section)}">{esc(_section_name(*section))}</a> '
                    f'<span class="count">{n}</span></li>' for section, n in counts.items())
    return f'<nav class="contents" aria-label="On this page"><p>On this page:</p><ul class="inline">{items}</ul></nav>'


def _pager(entity_iri: str, number: int, total: int) -> str:
    """Links to the page before and after this one of an entity on several pages."""
    if total < 2:
        return ""
    links = []
    if number > 1:
        links.append(f'<a rel="prev" href="{esc(entity_page_href(entity_iri, number - 1))}">Previous page '
                     f'({number - 1} of {total})</a>')
    if number < total:
        links.append(f'<a rel="next" href="{esc(entity_page_href(entity_iri, number + 1))}">Next page '
                     f'({number + 1} of {total})</a>')
    return (f'<nav class="pager" aria-label="Pages of this entity"><p>Page {number} of {total}: '
            f'{" · ".join(links)}</p></nav>')


def _edge_groups(groups: dict[str, list], direction: str, sources: dict) -> str:
    if not groups:
        return "<p>None.</p>"
    out = []
    for predicate, edges in groups.items():
        items = []
        # two entities of one name (JMML and MONDO's JMML under an ICD-10 code): each with its id
        alike = _same_labels([edge.other_label for edge in edges if not isinstance(edge.other, Literal)])
        for edge in edges:
            target = _target(edge.other, edge.other_label) + _told_apart(str(edge.other), edge.other_label, alike)
            if edge.evidence:
                quotes = "".join(_evidence(ev, sources) for ev in edge.evidence)
                items.append(f'<li>{target}<ul class="evidence-list">{quotes}</ul></li>')
            else:
                why = "inferred (OWL RL)" if edge.inferred else "no quote: schema, import or structure"
                items.append(f'<li>{target} <span class="inferred">{esc(why)}</span></li>')
        heading = _section_name(direction, predicate)
        out.append(f'<section class="predicate" id="{_anchor(direction, predicate)}"><h3>{esc(heading)} '
                   f'<span class="count">{len(edges)}</span></h3>'
                   f'<ul>{"".join(items)}</ul></section>')
    return "\n".join(out)


def _target(term, label: str) -> str:
    """An edge's other end: an entity as a link, a value as text."""
    return f'<span class="value">{esc(label)}</span>' if isinstance(term, Literal) else link(term, label)


def _at_its_evidence(statement: Scoped | Statement) -> str:
    """The URL of a statement's quote on its subject's page (the anchor of its evidence): the
    subject's page that holds it (``?quote=``), for an entity on several pages."""
    anchor = statement.evidence_anchor
    return f"{entity_href(statement.subject)}?quote={urllib.parse.quote(anchor, safe='-._~')}#{anchor}"


def _scoped(statements: list[Scoped]) -> str:
    """The statements stated for the entity (it is their population, state, phase ...), each a
    link to its quote on its subject's page."""
    if not statements:
        return ""
    by_qualifier: dict[str, list[str]] = {}
    for st in statements:
        by_qualifier.setdefault(st.qualifier, []).append(
            f'<li>{link(URIRef(st.subject), st.subject_label)} <span class="predicate">{esc(st.predicate_label)}</span> '
            f'{_target(st.object, st.object_label)} '
            f'<a class="said" href="{esc(_at_its_evidence(st))}">[document {esc(st.doc)}]</a></li>')
    sections = "".join(f'<section class="predicate"><h3>as its {esc(SCOPE_NAMES.get(q, q))} '
                       f'<span class="count">{len(items)}</span></h3><ul>{"".join(items)}</ul></section>'
                       for q, items in by_qualifier.items())
    return (f'<h2 id="scoped">Statements stated for it</h2>\n<p>The sources state these for it only '
            f'(the quote on the subject\'s page says so).</p>\n{sections}')


def _identifier(relation: str, iri: str, described: bool) -> str:
    curie = compact(iri)
    inside = f' (<a href="{esc(entity_href(iri))}">in this graph</a>)' if described else ""
    return (f'<li><span class="relation">{esc(relation)}</span> '
            f'<a href="{esc(iri)}" rel="external">{esc(curie)}</a>{inside}</li>')


# What the words under each quote mean: the schema's value sets, each term's page its definition.
_LEGEND = ('<p class="legend">Under each quote: how sure the source is ('
           + ", ".join(f'<a href="/entity/gk:{name}">{text}</a>' for name, text in
                       (("Established", "established"), ("Possible", "possible"), ("UnderStudy", "under study"),
                        ("Unclear", "unclear")))
           + ': “established” means the source states it without hedging, not a verdict on the evidence), '
           'how often it holds as the source says (always … rarely), and the scope it is stated for.</p>')


_EXACT_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"


def _graphs_own(entity: Entity) -> str:
    """For a term of another ontology or code system (an import): the graph's own entities that
    carry it exactly, where the sources' statements and quotes are (its page listed none)."""
    if entity.iri.startswith(str(GKE)) or entity.curation:      # the graph's own, or a curated code node
        return ""
    own = sorted({(edge.other_label, str(edge.other)) for edge in entity.edges if edge.direction == "in"
                  and edge.predicate == _EXACT_MATCH and str(edge.other).startswith(str(GKE))})
    if not own:
        return ""
    links = " and ".join(f'<a href="{esc(entity_href(iri))}">{esc(label)}</a> (<code>{esc(compact(iri))}</code>)'
                         for label, iri in own)
    return (f'<p class="note" role="note">{esc(compact(entity.iri))} is a term of another vocabulary, which the graph '
            f'imports; the graph\'s own entity with this identifier (an exact mapping), with what the sources say '
            f'about it, is {links}.</p>')


def entity_page(entity: Entity, groups: dict[str, dict[str, list]], pages: list[list[tuple[str, str]]],
                number: int = 1, sources: dict | None = None) -> Page:
    """Page ``number`` of an entity whose edges are ``groups`` (:func:`groups_of`) on ``pages``
    (:func:`entity_pages`: a short entity has one), as the server chose the page and asked for its
    quotes (:func:`graphkit.pages.lookup.with_evidence`: the quotes shown are those the edges were
    given); ``sources`` (IRI -> :class:`Source`) names who says each quote."""
    sources = sources or {}
    on_page = set(pages[number - 1])
    paged = len(pages) > 1
    kinds = ", ".join(esc(label) for _, label in entity.kinds) or "entity"
    # The header's definitions and synonyms with the quotes that state them (a source page's
    # "on the entity page" link lands on its evidence's id here).
    synonyms = "".join(f"<li>{esc(s)}{_said_in(entity.said.get((SKOS_ALT_LABEL, s), []))}</li>" for s in entity.synonyms)
    definitions = "".join(
        f'<p class="definition">{esc(d)}</p>' + (f'<ul class="evidence-list">'
                                                 f'{"".join(_evidence(ev, sources) for ev in cited)}</ul>' if cited else "")
        for d in entity.definitions for cited in [entity.said.get((SKOS_DEFINITION, d), [])])
    mappings = "".join(_identifier(*m) for m in entity.mappings)
    downloads = " ".join(f'<a href="{esc(href("/entity/" + entity.id, format=fmt))}" type="{esc(media)}">{esc(name)}</a>'
                         for fmt, media, name in (("turtle", "text/turtle", "Turtle"),
                                                  ("ntriples", "application/n-triples", "N-Triples"),
                                                  ("jsonld", "application/ld+json", "JSON-LD"),
                                                  ("rdfxml", "application/rdf+xml", "RDF/XML")))
    shown = [edge for by_predicate in groups.values() for edges in by_predicate.values() for edge in edges]
    counts = [counted(len(shown), "edge"), counted(sum(len(e.nodes) for e in shown), "quote")]
    if entity.scoped:
        there = "" if SCOPED in on_page else entity_page_href(entity.iri, len(pages))
        counts.append(f'<a href="{esc(there)}#scoped">{counted(len(entity.scoped), "statement")} stated for it</a>')
    on_pages = f" They are on {len(pages)} pages, by section (the list below links to each)." if paged else ""
    sections = []
    for direction, heading in (("out", "What the sources say about it"), ("in", "What points to it")):
        here = {predicate: edges for predicate, edges in groups[direction].items() if (direction, predicate) in on_page}
        if here or not paged:
            sections.append(f'<h2 id="{direction}">{heading}</h2>\n{_edge_groups(here, direction, sources)}')
    if SCOPED in on_page:
        sections.append(_scoped(entity.scoped))
    curated = f"<dt>Curated in</dt><dd>{', '.join(f'<code>{esc(c)}</code>' for c in entity.curation)}</dd>" \
        if entity.curation else ""
    notes = "".join(f"<dt>Curator's note</dt><dd>{esc(note)}</dd>" for note in entity.editorial_notes)
    body = f"""<article class="entity">
<h1>{esc(entity.label)}</h1>
<p class="kind">{kinds} · <code>{esc(compact(entity.iri))}</code> · <a href="{esc(entity.iri)}">{esc(entity.iri)}</a></p>
{_graphs_own(entity)}
{definitions}
<dl class="facts">
<dt>Synonyms</dt><dd>{f'<ul class="inline">{synonyms}</ul>' if synonyms else "none"}</dd>
<dt>External identifiers</dt><dd>{f'<ul class="ids">{mappings}</ul>' if mappings else "none"}</dd>
<dt>Data</dt><dd>{downloads} (this entity, its edges and their evidence)</dd>
{curated}
{notes}
</dl>
<p>{", ".join(counts)}.{on_pages} A relation the reasoner inferred from a quoted
statement the other way round is shown once, there, with its quote.</p>
{_LEGEND}
{_contents(groups, pages, number, entity.iri, len(entity.scoped))}
{chr(10).join(sections)}
{_pager(entity.iri, number, len(pages))}
</article>"""
    return Page(entity.label + (f" (page {number} of {len(pages)})" if paged else ""), body)


# ---------------------------------------------------------------------------------------------
# Source


def source_text(text: str, passages: list[Passage], listed_at: dict[str, str] | None = None) -> str:
    """The document's text with every quoted passage marked: each stretch of text is a link to
    the statements of the shortest passage covering it, and each passage starts with an anchor
    ``#start-end``. A stretch of white space alone (between two passages inside a third) is marked
    but no link: a link must have a name a screen reader can say, and a keyboard should not stop
    on a blank. ``listed_at``: passage anchor -> the address of the page that lists its
    statements, where it is not this one."""
    listed_at = listed_at or {}
    cuts = sorted({0, len(text), *(p.start for p in passages), *(p.end for p in passages)})
    opening: dict[int, list[Passage]] = {}
    for passage in passages:
        opening.setdefault(passage.start, []).append(passage)
    out, open_now = [], []
    for a, b in zip(cuts, cuts[1:]):
        open_now = [p for p in open_now if p.end > a] + opening.get(a, [])
        for passage in opening.get(a, []):
            out.append(f'<span class="anchor" id="{passage.anchor}"></span>')
        piece = esc(text[a:b])
        if open_now:
            inner = min(open_now, key=lambda p: (p.end - p.start, p.start))
            names = " ".join(p.anchor for p in open_now)
            if piece.strip():
                out.append(f'<a class="q" href="{esc(listed_at.get(inner.anchor, ""))}#st-{inner.anchor}" '
                           f'data-passages="{names}">{piece}</a>')
            else:
                out.append(f'<span class="q" data-passages="{names}">{piece}</span>')
        else:
            out.append(piece)
    return "".join(out)


# Passages a source page lists with their statements: NCI's summary listed its 422 passages and
# 845 statements on one page (506 KB, 111 ms to make); the text stays whole on every page.
PASSAGES_PER_PAGE = 100


def source_page_href(source_id: str, number: int) -> str:
    """The address of page ``number`` of a source (the first is the source's own)."""
    return _source_path(source_id) + (f"?page={number}" if number > 1 else "")


def source_pages(passages: list[Passage]) -> list[list[Passage]]:
    """A source's passages as its pages list them, :data:`PASSAGES_PER_PAGE` a page, in text order."""
    return [passages[i:i + PASSAGES_PER_PAGE] for i in range(0, len(passages), PASSAGES_PER_PAGE)] or [[]]


def _source_pager(source: Source, pages: list[list[Passage]], number: int) -> str:
    """The pages of a source's statements: each page's passages (by number, and the character the
    first starts at: passages overlap, so a page's last may end after the next one's first starts)."""
    if len(pages) < 2:
        return ""
    items, first = [], 1
    for at, listed in enumerate(pages, 1):
        what = f"Passages {first}–{first + len(listed) - 1} (from character {listed[0].start})"
        items.append(f'<li aria-current="page"><strong>{what}: this page</strong></li>' if at == number else
                     f'<li><a href="{esc(source_page_href(source.id, at))}#statements">{what}</a></li>')
        first += len(listed)
    return (f'<nav class="pager" aria-label="Pages of the statements"><p>The statements are listed on '
            f'{len(pages)} pages, by passage; this is page {number}:</p><ol>{"".join(items)}</ol></nav>')


def _passage_item(text: str, passage: Passage) -> str:
    statements = []
    for st in passage.statements:
        statements.append(f'<li>{link(URIRef(st.subject), st.subject_label)} <span class="predicate">'
                          f'{esc(st.predicate_label)}</span> {_target(st.object, st.object_label)} '
                          f'{_qualities(st.certainty, st.frequency, st.scope)}'
                          f' <a class="back" href="{esc(_at_its_evidence(st))}">on the entity page</a></li>')
    quote = text[passage.start:passage.end]
    return (f'<li id="st-{passage.anchor}"><a href="#{passage.anchor}">“{esc(quote)}”</a> '
            f'<span class="cite">{passage.start}–{passage.end}</span><ul>{"".join(statements)}</ul></li>')


def _fact_value(value: str) -> str:
    """A value of a source's description; a web address as a link."""
    if re.fullmatch(r"https?://[^\s<>\"]+", value):
        return f'<a href="{esc(value)}" rel="external">{esc(value)}</a>'
    return esc(value)


def source_page(source: Source, metadata: list[tuple[str, str, str]], text: str | None,
                passages: list[Passage], number: int = 1) -> Page:
    """Page ``number`` of a source: its whole text with every passage marked, and the statements
    of the passages of that page (:func:`source_pages`; given them by
    :func:`graphkit.pages.lookup.with_statements`)."""
    facts = "".join(f'<dt>{esc(name)} <code class="id">{esc(curie)}</code></dt><dd>{_fact_value(value)}</dd>'
                    for name, curie, value in metadata)
    pages = source_pages(passages)
    listed_at = {passage.anchor: source_page_href(source.id, at) for at, listed in enumerate(pages, 1)
                 if at != number for passage in listed}
    if text is None:
        shown = alert(f"the text file {source.file} is not in this project")
        listing = ""
    else:
        shown = f'<div class="text" lang="en">{source_text(text, passages, listed_at)}</div>'
        listing = "".join(_passage_item(text, p) for p in pages[number - 1])
    pager = _source_pager(source, pages, number)
    body = f"""<article class="source">
<h1>{esc(source.title)}</h1>
<p class="kind">document {esc(source.doc)} · {esc(source.kind)} · {source.statements} statements
from {len(passages)} quoted passages (highlighted; select one to see its statements)</p>
<p class="note" id="no-passage" role="status" hidden></p>
<details><summary>About this source</summary><dl class="facts">{facts}</dl></details>
<h2>Text</h2>
{shown}
<h2 id="statements">Statements by passage</h2>
{pager}
<ol class="passages" start="{1 + sum(len(listed) for listed in pages[:number - 1])}">{listing}</ol>
</article>"""
    return Page(source.title + (f" (page {number} of {len(pages)})" if len(pages) > 1 else ""), body)


# ---------------------------------------------------------------------------------------------
# Search and home


def _same_labels(labels: list[str]) -> set[str]:
    """The labels that several of a list's items have (each such item then shows its id too)."""
    return {label for label, n in Counter(labels).items() if n > 1}


def _told_apart(iri: str, label: str, alike: set[str]) -> str:
    return f' <code class="id">{esc(compact(iri))}</code>' if label in alike else ""


def hits_list(hits: list[Hit]) -> str:
    items = []
    alike = _same_labels([hit.label for hit in hits])
    for hit in hits:
        via = f' <span class="via">(synonym “{esc(hit.matched)}”)</span>' if hit.matched != hit.label else ""
        kind = f' <span class="kind">{esc(hit.kind)}</span>' if hit.kind else ""
        items.append(f'<li><a href="{esc(entity_href(hit.iri))}">{esc(hit.label)}</a>'
                     f'{_told_apart(hit.iri, hit.label, alike)}{kind}{via}</li>')
    return f'<ul class="hits">{"".join(items)}</ul>'


def search_page(text: str, hits: list[Hit], title: str | None = None, note: str | None = None,
                close: list[Hit] = (), documents: list[Source] = ()) -> Page:
    """The hits of a search; ``note`` says how loosely an identifier names its entities, ``close``
    are the entities named nearly as the text, where nothing holds it, and ``documents`` the
    sources whose id, number, title, publisher or kind holds it (listed first)."""
    heading = title or f"Search: {shorten(text)}"      # the box keeps the whole text
    sources = ""
    if documents:
        items = "".join(f'<li><a href="{esc(source_href(d.id))}">{esc(d.title)}</a> '
                        f'<span class="kind">document {esc(d.doc)} · {esc(d.who)}</span></li>' for d in documents)
        sources = f"<h2>Sources</h2><ul class=\"sources\">{items}</ul><h2>Entities</h2>"
    if note:
        found = f'<p class="note" role="note">{esc(note)}</p>{hits_list(hits)}'
    elif hits:
        found = f"<p>{len(hits)} {'entity' if len(hits) == 1 else 'entities'}.</p>{hits_list(hits)}"
    elif close:
        found = f"<p>Nothing holds “{esc(shorten(text))}”.</p><h2>Did you mean</h2>{hits_list(list(close))}"
    elif documents:
        found = "<p>No entity.</p>"
    else:
        found = "<p>Nothing found. Try part of a name (“relapse”), an id (<code>jmml</code>) or a CURIE " \
                "(<code>ICD10CM:C93.32</code>, <code>MONDO:0011908</code>).</p>"
    return Page(heading, f"<h1>{esc(heading)}</h1>\n{sources}{found}", query=text)


def unknown_kind_page(text: str, kinds: list[tuple[str, str, int]]) -> Page:
    """A kind nobody has: the kinds there are, those named nearly so first."""
    by_label = {label: iri for iri, label, _ in kinds}
    said = text.lower().strip()
    near = [label for label in by_label if said and said in label]          # part of the name ("chemo")
    bare = {label.removeprefix("kind of "): label for label in by_label}
    near += [label for label in close_names(said, bare, shown=bare) if label not in near]
    items = "".join(f'<li><a href="{esc(href("/search", kind=compact(by_label[label])))}">{esc(label)}</a></li>'
                    for label in near + sorted(set(by_label) - set(near)))
    lead = "Did you mean one of the first?" if near else "The kinds are:"
    said_as = shorten(text)
    body = f"<h1>Kind: {esc(said_as)}</h1>\n<p>No kind is called “{esc(said_as)}”. {lead}</p><ul>{items}</ul>"
    return Page(f"Kind: {said_as}", body, status=404)


def home_page(kinds: list[tuple[str, str, int]], sources: list[Source], catalogue: list, entities: int) -> Page:
    """The front page: ``entities`` in all (an entity of two kinds counts once here and under each kind)."""
    kind_items = "".join(f'<li><a href="{esc(href("/search", kind=compact(iri)))}">{esc(label)}</a> '
                         f'<span class="count">{n}</span></li>' for iri, label, n in kinds)
    source_items = "".join(f'<li><a href="{esc(source_href(s.id))}">{esc(s.title)}</a> '
                           f'<span class="kind">document {esc(s.doc)}, {esc(s.kind)}, {s.statements} statements</span></li>'
                           for s in sources)
    # the values of the statements' quantities are listed as a kind but are no entity of the count
    values = sum(n for iri, _, n in kinds if iri.endswith("#QuantityValue"))
    also = f" (and {counted(values, 'quantity value')} their statements give)" if values else ""
    body = f"""<h1>Pediatric leukemia knowledge graph</h1>
<p class="lead">{entities} entities{also} from five documents on childhood acute lymphoblastic leukemia and
juvenile myelomonocytic leukemia. Every statement carries its source and the sentence it was read from.</p>
<div class="columns">
<section><h2>Kinds of entities</h2><ul class="kinds">{kind_items}</ul></section>
<section><h2>Sources</h2><ul class="sources">{source_items}</ul>
<h2>Query catalogue</h2><ul class="catalogue">{_query_items(catalogue)}</ul></section>
</div>"""
    return Page("Home", body)


def not_found_page(what: str, hits: list[Hit], text: str = "", by_kind: bool = False) -> Page:
    """A 404 page: ``what`` is not there, ``hits`` the entities meant perhaps; ``by_kind``, those of
    each kind under its name, the kinds in the order of their closest hit."""
    if hits and by_kind and len({hit.kind for hit in hits}) > 1:
        kinds: dict[str, list[Hit]] = {}
        for hit in hits:
            kinds.setdefault(hit.kind, []).append(dataclasses.replace(hit, kind=""))
        listed = "".join(f'<h3>{esc(kind or "other")}</h3>{hits_list(of_kind)}' for kind, of_kind in kinds.items())
        suggestions = f"<h2>Did you mean</h2>{listed}"
    elif hits:
        suggestions = f"<h2>Did you mean</h2>{hits_list(hits)}"
    else:
        suggestions = '<p>Search for it above, or start from the <a href="/">home page</a>.</p>'
    return Page("Not found", f"<h1>Not found</h1>\n<p>{esc(what)}</p>\n{suggestions}", status=404, query=text)


# ---------------------------------------------------------------------------------------------
# The catalogue and the query editor


def unknown_query_page(name: str, close: list[str]) -> Page:
    """A catalogue address no query has: the names spelled nearly so, and the whole catalogue (the
    command line's message named `graphkit query --list`)."""
    items = "".join(f'<li><a href="{esc(href("/catalogue/" + n))}">{esc(n)}</a></li>' for n in close)
    suggestions = f"<h2>Did you mean</h2><ul>{items}</ul>" if close else ""
    return Page("Not found", f"<h1>Not found</h1>\n<p>No query named {esc(repr(shorten(name)))} in the catalogue.</p>\n"
                             f'{suggestions}<p><a href="/catalogue">The catalogue</a> lists them all.</p>', status=404)


# A value a note proposes, as the command line takes it: --param name=value, or quoted as a
# shell quotes it ('text=pediatric leukemia'; graphkit.catalogue.params writes it so). A bare
# value ends before the punctuation of the sentence around it ("(--param disease=gke:x);").
_PARAM_HINT = re.compile(r"--param ((\w+)=[^\s'\"]*[^\s'\");,.]|'(?:[^']|'\"'\"')*')")


def _note(note: str, query_name: str, params: dict[str, str]) -> str:
    """A note on an answer as HTML: a value it proposes (written for the command line, ``--param
    text=leukemia``) is a link that runs the query with it."""
    # Hints side by side (`--param subject=X --param predicate=Y --param object=Z`: an edge the
    # other way round) are one proposal: one link that sets them all.
    runs: list[list] = []
    for found in _PARAM_HINT.finditer(note):
        if runs and not note[runs[-1][-1].end():found.start()].strip():
            runs[-1].append(found)
        else:
            runs.append([found])
    out, last = [], 0
    for run in runs:
        values = dict(shlex.split(found.group(1))[0].partition("=")[::2] for found in run)
        rerun = href("/catalogue/" + query_name, **{**params, **values})
        shown = ", ".join(f"{name} = {value}" for name, value in values.items())
        out += [esc(note[last:run[0].start()]), f'<a href="{esc(rerun)}">{esc(shown)}</a>']
        last = run[-1].end()
    return "".join(out) + esc(note[last:])


def cell(term) -> str:
    """One result value: an entity as a link, anything else as text."""
    if term is None:
        return ""
    return link(term) if isinstance(term, URIRef) else esc(term)


SHOWN_ROWS = 1000           # rows of an answer a page shows: 81,730 made a 16.5 MB page
# Columns of the catalogue's answers that name source documents by number ("002,003"), and the
# quote a row's document, start and end place in its source.
_SOURCE_COLUMNS = {"doc", "source", "sources", "quote"}
_DOCUMENT_NUMBERS = re.compile(r"\d{3}(?:\s*[,;|]\s*\d{3})*")


def _to_sources(column: str, row: dict) -> str:
    """A document number linked to its source page, a quote to its place there (a catalogue
    answer's row has its document, start and end beside it)."""
    value = row.get(column)
    text = "" if value is None else str(value)
    if column == "quote":
        doc, start, end = (row.get(k) for k in ("doc", "start", "end"))
        if text and doc is not None and start is not None and end is not None:
            return f'<a href="{esc(source_href(str(doc), int(str(start)), int(str(end))))}">{esc(text)}</a>'
        return cell(value)
    if not _DOCUMENT_NUMBERS.fullmatch(text):
        return cell(value)
    return re.sub(r"\d{3}", lambda m: f'<a href="{esc(source_href(m.group()))}">{m.group()}</a>', esc(text))


def results_html(results, caption: str, readable: bool = False, named_entities: dict[str, str] | None = None) -> str:
    """A SELECT answer as a table, an ASK answer as yes or no, a graph as Turtle. ``readable``
    (a catalogue query's page) joins each entity column with its ``_label`` column, the entity
    linked by its name, links a ``_label`` column that comes without its entity (``stated_for``)
    where ``named_entities`` (label -> IRI, of labels only one entity has) knows the name, and
    writes the column names as words; the editor shows the variables as asked."""
    if results.kind == "ask":
        return f'<p class="answer">Answer: <strong>{"yes" if results.boolean else "no"}</strong></p>'
    if results.kind == "graph":
        return f'<pre class="turtle">{esc(serialize(results.graph, known_prefixes()))}</pre>'
    variables = results.variables
    named = {v: f"{v}_label" for v in variables if readable and f"{v}_label" in variables}
    columns = [v for v in variables if v not in named.values()]
    by_name = named_entities or {}
    lone = {v for v in columns if readable and v.endswith("_label") and by_name}    # a name without its entity

    def value(v: str, row: dict) -> str:
        if readable and v in _SOURCE_COLUMNS:
            return _to_sources(v, row)
        if v in named:
            if row.get(v) is None:
                return cell(row.get(named[v]))
            return link(row[v], str(row[named[v]]) if row.get(named[v]) is not None else None)
        if v in lone and row.get(v) is not None and str(row[v]) in by_name:
            return link(URIRef(by_name[str(row[v])]), str(row[v]))
        return cell(row.get(v))

    rows = [[value(v, row) for v in columns] for row in results.head(SHOWN_ROWS)]
    total = results.row_count
    count = f'<p class="count">{total:,} {"row" if total == 1 else "rows"}.</p>' if total <= SHOWN_ROWS else (
        f'<p class="count">{total:,} rows; the first {SHOWN_ROWS:,} are shown (the CSV and JSON downloads hold them '
        f'all).</p>')
    headers = [v.removesuffix("_label").replace("_", " ") for v in columns] if readable else columns
    return count + table(headers, rows, caption)


@dataclass
class Field:
    """One parameter of a catalogue query in its form."""

    name: str
    value: str
    description: str
    optional: bool
    options: list[tuple[str, str]]          # (value, text) for a <select>; [] for a text box
    suggestions: str = ""                   # the id of a <datalist>


def _field(field: Field) -> str:
    ident = f"param-{field.name}"
    hint = f"{field.description}" + (" (optional: “any” leaves it open)" if field.optional else "")
    label = f'<label for="{esc(ident)}">{esc(field.name)}</label><span class="hint" id="{esc(ident)}-hint">{esc(hint)}</span>'
    described = f'aria-describedby="{esc(ident)}-hint"'
    if field.options:
        options = "".join(f'<option value="{esc(v)}"{" selected" if v == field.value else ""}>{esc(t)}</option>'
                          for v, t in field.options)
        control = f'<select id="{esc(ident)}" name="{esc(field.name)}" {described}>{options}</select>'
    else:
        suggest = f' list="{esc(field.suggestions)}"' if field.suggestions else ""
        control = (f'<input id="{esc(ident)}" name="{esc(field.name)}" value="{esc(field.value)}"{suggest} '
                   f'{described} autocomplete="off">')
    return f'<div class="field">{label}{control}</div>'


def datalist(ident: str, options: list[tuple[str, str]]) -> str:
    items = "".join(f'<option value="{esc(v)}">{esc(t)}</option>' for v, t in options)
    return f'<datalist id="{esc(ident)}">{items}</datalist>'


def _query_items(queries: list) -> str:
    """The catalogue's queries as list items, each its name (a link to its form) and summary: the
    home page and the catalogue's page list them alike."""
    return "".join(f'<li><a href="{esc(href("/catalogue/" + q.name))}">{esc(q.name)}</a> '
                   f'<span class="summary">{esc(q.summary)}</span></li>' for q in queries)


def catalogue_list(queries: list) -> Page:
    return Page("Query catalogue", f"<h1>Query catalogue</h1>\n<p>{len(queries)} named questions, each a SPARQL "
                                   f"query with parameters.</p><ul class=\"catalogue\">{_query_items(queries)}</ul>")


def _downloads(path: str, params: dict) -> str:
    """Links to an answer as CSV, TSV and SPARQL 1.1 Query Results JSON."""
    links = " · ".join(f'<a href="{esc(href(f"{path}.{suffix}", **params))}" download>{name}</a>'
                       for suffix, name in (("csv", "CSV"), ("tsv", "TSV"), ("json", "JSON")))
    return f'<p class="downloads">Download: {links} (JSON as SPARQL 1.1 Query Results; TSV a row a line)</p>'


def editor_href(text: str) -> str:
    return href("/sparql", query=text)


def _examples(query) -> str:
    """The query's documented examples (``graphkit query NAME --param drug=blinatumomab``) as
    links that fill the form in and run it, then their expected answer, which describes them; an
    example without parameters runs the defaults, which the page shows already, so its expected
    answer describes the answer below."""
    runs = [params for params in query.example_params if params]
    if not runs:
        return f'<p class="example">Expected: {esc(query.expected)}</p>' if query.expected else ""
    links = " · ".join(f'<a href="{esc(href("/catalogue/" + query.name, **params))}">'
                       f'{esc(", ".join(f"{name}={value}" for name, value in params.items()))}</a>'
                       for params in runs)
    expected = f'<p class="example">Expected ({esc(query.expected_of)}): {esc(query.expected)}</p>' \
        if query.expected else ""
    return f'<p class="examples">Try: {links}</p>{expected}'


def catalogue_page(query, fields: list[Field], lists: str, bound_text: str | None, results,
                   error: str | None, notes=(), named_entities: dict[str, str] | None = None,
                   suggested: tuple[str, list[Hit]] | None = None) -> Page:
    """A catalogue query as a form, with its answer; ``notes``: how loosely a parameter named its
    entity, what it named when there are no rows (:func:`graphkit.catalogue.runner.answer_notes`);
    ``named_entities``: see :func:`results_html`; ``suggested``: a parameter whose value named
    nothing and the entities it may mean, each a link that runs the query with it."""
    form = "".join(_field(f) for f in fields) or "<p>This query has no parameters.</p>"
    downloads = ""
    answer = alert(error) if error else ""
    if error and suggested and suggested[1]:
        answer += _rerun_list(query.name, {f.name: f.value for f in fields}, *suggested)
    if results is not None:
        params = {f.name: f.value for f in fields}
        downloads = _downloads(f"/catalogue/{query.name}", params)
        answer = "".join(f'<p class="note" role="note">{_note(note, query.name, params)}</p>' for note in notes) + \
            results_html(results, f"{query.name}: results", readable=True, named_entities=named_entities)
    sparql = ""
    if bound_text is not None:
        sparql = (f'<details><summary>The SPARQL, with the parameters bound</summary><pre class="sparql">'
                  f'{esc(bound_text)}</pre></details><p><a href="{esc(editor_href(bound_text))}">Edit it in the '
                  f'query editor</a></p>')
    body = f"""<h1>{esc(query.name)}</h1>
<p class="lead">{esc(query.summary)}</p>
<p>{esc(query.description)}</p>
{_examples(query)}
<form class="params" action="{esc(href('/catalogue/' + query.name))}" method="get">
{form}
{lists}
<button type="submit">Run</button>
</form>
{downloads}
<section aria-live="polite" id="results">{answer}</section>
{sparql}"""
    return Page(query.name, body, status=400 if error else 200)


def _rerun_list(query_name: str, values: dict[str, str], name: str, hits: list[Hit]) -> str:
    """"Did you mean" for the parameter ``name`` of a query's form: each entity of ``hits`` a link
    that runs the query with it (by id) and the form's other values."""
    items = []
    for hit in hits:
        address = href(f"/catalogue/{query_name}") + "?" + urllib.parse.urlencode({**values, name: entity_id(hit.iri)})
        kind = f' <span class="kind">{esc(hit.kind)}</span>' if hit.kind else ""
        via = f' <span class="via">(synonym “{esc(hit.matched)}”)</span>' if hit.matched != hit.label else ""
        items.append(f'<li><a href="{esc(address)}">{esc(hit.label)}</a>{kind}{via}</li>')
    return f'<h2>Did you mean</h2><ul class="hits">{"".join(items)}</ul>'


def editor_page(text: str, results, error: str | None, notes: tuple[str, ...] = ()) -> Page:
    """The editor with ``text`` and its answer; ``notes`` above the answer (how a query's ``#+
    params`` header was bound)."""
    answer = alert(error) if error else ""
    downloads = ""
    if results is not None:
        answer = "".join(f'<p class="note" role="note">{esc(note)}</p>' for note in notes) + \
            results_html(results, "query results")
        if results.kind == "select":
            downloads = _downloads("/sparql", {"query": text})
        # The form posts (a query may be long), which leaves the address without the query: a
        # bookmark or a shared address opened the empty editor.
        downloads += f'<p class="share"><a href="{esc(editor_href(text))}">Link to this query and its answer</a></p>'
    body = f"""<h1>SPARQL editor</h1>
<p>Any SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the whole graph: the default graph is the union of
every named graph. Programs send the same queries to <code>/query</code>.</p>
<form class="editor" action="/sparql" method="post">
<label for="query">Query</label>
<textarea id="query" name="query" rows="18" spellcheck="false">{esc(text)}</textarea>
<button type="submit">Run</button>
</form>
{downloads}
<section aria-live="polite" id="results">{answer}</section>"""
    return Page("SPARQL editor", body, status=400 if error else 200)
