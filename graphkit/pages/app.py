"""The pages of ``graphkit serve``: routes, content negotiation and downloads.

:class:`Pages` answers every request that is not for the SPARQL endpoints (``/query``,
``/update``, ``/store``), which the gateway forwards to Oxigraph unchanged. It only reads: GET
and HEAD, and POST for the query editor's form. Every page is computed from SPARQL queries on
the store it was given (in ``graphkit serve`` the Oxigraph server behind the gateway).

======================================  =====================================================
``/``                                   kinds of entities with counts, the sources, the catalogue
``/search?q=TEXT``                      entities by label, synonym, id or CURIE (one exact hit: redirect)
``/search?kind=gk:Drug``                the entities of a kind
``/entity/ID``, ``/graphkit/entity/ID`` an entity (ID: ``jmml``, ``ICD10CM:C93.32``); ``Accept`` or
                                        ``?format=`` picks HTML, Turtle, N-Triples or JSON-LD; a long
                                        one's sections on pages, ``?page=N``, ``?quote=ID`` the page of a quote
``/source/ID``                          a source's text with every quoted passage marked (``#start-end``),
                                        its statements 100 passages a page, ``?page=N``
``/catalogue``, ``/catalogue/NAME``     the catalogue; a query's form and results
``/catalogue/NAME.csv``, ``.json``      its results as CSV or SPARQL 1.1 Query Results JSON
``/sparql``                             the query editor (``.csv``, ``.json`` for downloads)
======================================  =====================================================
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from .. import entitynames
from ..answertext import answer_text
from ..catalogue.files import Catalogue
from ..catalogue.params import CERTAINTY, convert_param, entities_of_kinds, entity_names, suggested_entities
from ..catalogue.runner import ad_hoc_query, answer_notes, prepare, run
from ..errors import GraphkitError, QueryError, QueryTimeout, StoppedByServer, shorten
from ..identifiers import LEVELS, Mappings
from ..iris import bare_icd10_curies, external_iri
from ..namespaces import GK, GKE, TURTLE_PREFIXES, compact
from ..graphtext import graph_text
from ..header import release_attributes
from ..project import Project
from ..sparql import is_update
from ..store import Store
from . import lookup, render

STATIC = Path(__file__).with_name("static")
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".png": "image/png",
                ".svg": "image/svg+xml"}
HTML = "text/html; charset=utf-8"
# What an entity's URL offers, in the order preferred when a client accepts several equally.
# application/json last: JSON-LD is JSON (a client asking for JSON got a 406)
ENTITY_TYPES = {"text/html": "html", "text/turtle": "turtle", "application/ld+json": "jsonld",
                "application/n-triples": "ntriples", "application/rdf+xml": "rdfxml", "application/json": "jsonld"}
RDF_MEDIA = {"turtle": "text/turtle; charset=utf-8", "jsonld": "application/ld+json",
             "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml"}
# ?format= as `graphkit export --format` spells it too
FORMAT_ALIASES = {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "json-ld": "jsonld", "rdf": "rdfxml",
                  "xml": "rdfxml", "owl": "rdfxml"}
ENTITY_PATHS = ("/entity/", urllib.parse.urlsplit(str(GKE)).path)        # ... and the path of the IRI itself
UPSTREAM_ROUTES = ("/query", "/update", "/store")
DOWNLOAD_SUFFIXES = (".csv", ".tsv", ".json", ".jsonld", ".ttl", ".nt")
PLAIN = "text/plain; charset=utf-8"
SECURITY_HEADERS = [("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'"),
                    ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin")]
EDITOR_START = "SELECT ?entity ?label WHERE {\n  ?entity a gk:Disease ; rdfs:label ?label .\n}\nORDER BY ?label\nLIMIT 50\n"
EDITOR_PATHS = ("/sparql", "/sparql.csv", "/sparql.tsv", "/sparql.json")


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = HTML
    headers: list[tuple[str, str]] = field(default_factory=list)


def plain_line(status: int, line: str, headers: list[tuple[str, str]] = ()) -> Response:
    """An answer for a program (a download, an RDF format, a refusal): one line of plain text."""
    return Response(status, (line + "\n").encode("utf-8"), PLAIN, list(headers))


def is_page(path: str) -> bool:
    """Whether a request path is for the pages (not for the SPARQL endpoints)."""
    route = urllib.parse.urlsplit(path).path.rstrip("/")
    return not any(route == r or route.startswith(r + "/") for r in UPSTREAM_ROUTES)


def negotiate(accept: str | None, offered: dict[str, str]) -> str | None:
    """The value in ``offered`` (media type -> name) for an ``Accept`` header: each type takes the
    quality of the most specific range that matches it (RFC 9110: ``text/html;q=0, */*;q=0.1``
    refuses HTML), the highest quality wins, then the order of ``offered``; no header or ``*/*``
    gives the first, and a type of quality 0 (or a quality that is no number) is never chosen.

    >>> negotiate("text/html;q=0, */*;q=0.1", {"text/html": "html", "text/turtle": "turtle"})
    'turtle'
    """
    if not accept or not accept.strip():
        return next(iter(offered.values()))
    best, best_q = None, 0.0
    for media, name in offered.items():
        matched = None                      # (specificity, quality) of the most specific matching range
        for part in accept.split(","):
            kind, *params = [x.strip() for x in part.split(";")]
            q = 1.0
            for param in params:
                if param.lower().startswith("q="):
                    try:
                        q = float(param[2:])
                    except ValueError:
                        q = 0.0
            kind = kind.lower()
            if kind == media or kind == "*/*" or (kind.endswith("/*") and media.startswith(kind[:-1])):
                specific = 2 if kind == media else 1 if kind != "*/*" else 0
                if matched is None or specific > matched[0]:
                    matched = (specific, q)
        quality = matched[1] if matched is not None and 0 < matched[1] <= 1 else 0.0
        if quality > best_q + 1e-9:
            best, best_q = name, quality
    return best


def _as_written(value) -> str:
    """A parameter's default as a form writes it: a YAML default true is Python's True, the menu's "true"."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def wants_text(path: str, params: dict, headers) -> bool:
    """Whether a request is a program's (a download, ``?format=``, an ``Accept`` that is not for
    HTML): its errors are a line of plain text, not a page."""
    return (path.endswith(DOWNLOAD_SUFFIXES) or "format" in params
            or negotiate(headers.get("Accept"), {"text/html": "html", "text/plain": "text"}) != "html")


class Pages:
    """The pages over ``store``; ``respond`` answers one request."""

    def __init__(self, store: Store, project: Project, unchanging: bool = True,
                 on_timeout: Callable[[], None] | None = None):
        """``unchanging``: the store does not change while the pages run (``graphkit serve``
        without ``--writable``), so what many pages ask alike (the kinds with their counts, the
        sources, every entity's label, every term's name, the passages of a source, which each of
        its pages marks) is asked once and kept; the rest is asked on every request.
        ``on_timeout``: called when a query of a page runs past its time (the engine may still be
        at it: ``graphkit serve`` restarts it)."""
        self.store = store
        self.on_timeout = on_timeout
        self.project = project
        self.unchanging = unchanging
        self.catalogue = Catalogue(project)
        self.skipped_queries: list[str] = []        # queries/*.rq files with no catalogue header, left out
        self.queries = list(self.catalogue.queries(self.skipped_queries).values())   # the .rq files, read once
        self._kept: dict = {}

    def _shared(self, ask, *args):
        """``ask(store, *args)``, kept for the next requests when the store is unchanging."""
        if not self.unchanging:
            return ask(self.store, *args)
        if (ask, *args) not in self._kept:
            self._kept[(ask, *args)] = ask(self.store, *args)
        return self._kept[(ask, *args)]

    # -- dispatch ------------------------------------------------------------------------------

    def respond(self, method: str, target: str, headers, body: bytes | None = None,
                refusal: str | None = None) -> Response:
        """The page at ``target``; ``refusal``: why the server refuses the query it carries (a
        SERVICE clause), shown by the editor beside the query instead of running it."""
        parts = urllib.parse.urlsplit(target)
        path = urllib.parse.unquote(parts.path)
        pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        form = (headers.get("Content-Type") or "").lower().startswith("application/x-www-form-urlencoded")
        if method == "POST" and form:
            pairs += urllib.parse.parse_qsl((body or b"").decode("utf-8", "replace"), keep_blank_values=True)
        # A form's field left blank is sent empty: it is not a value, and the page says what ran instead.
        blank = frozenset(name for name, value in pairs if not value)
        pairs = [(name, value) for name, value in pairs if value]
        params = dict(pairs)
        if method not in ("GET", "HEAD") and not (method == "POST" and path == "/sparql"):
            return plain_line(405, "the pages are read-only: GET or HEAD (POST for the query editor's form); "
                                   "SPARQL queries go to /query", [("Allow", "GET, HEAD")])
        try:
            twice = sorted({name for name, value in pairs if params[name] != value})
            if twice:           # the last one silently won: disease=jmml&disease=childhood_all gave childhood ALL
                values = ", ".join(repr(v) for n, v in pairs if n == twice[0])
                raise QueryError(f"the parameter {twice[0]!r} is given more than once ({values}): give it once")
            if refusal is not None:
                response = self.editor(path, params, refusal) if path in EDITOR_PATHS else plain_line(403, refusal)
            elif (page := _without_added_slash(parts.path)) is not None:
                response = Response(303, b"", headers=[("Location", page + (f"?{parts.query}" if parts.query else ""))])
            else:
                response = self._route(path, params, headers, blank)
        except QueryError as exc:
            response = self._error(400, "Bad request", exc, path, params, headers)
        except QueryTimeout as exc:
            if self.on_timeout is not None and not isinstance(exc, StoppedByServer):
                self.on_timeout()
            response = self._error(503, "The query ran past its time", exc, path, params, headers)
        except GraphkitError as exc:
            response = self._error(502, "The SPARQL server failed", exc, path, params, headers)
        except Exception as exc:            # a defect of a page: one line for the visitor, the server keeps going
            response = plain_line(500, f"the page failed: {exc.__class__.__name__}: {exc}")
        response.headers = SECURITY_HEADERS + response.headers
        return response

    def _route(self, path: str, params: dict, headers, blank: frozenset = frozenset()) -> Response:
        if path == "/":
            kinds, sources, labels = lookup.at_once(lambda: self._shared(lookup.kinds), lambda: self._shared(lookup.sources),
                                                    lambda: self._shared(lookup.labels))
            return self._html(render.home_page(kinds, sources, self.queries, entities=len(labels)))
        if path == "/search":
            return self.search(params)
        for prefix in ENTITY_PATHS:
            if path.startswith(prefix) and len(path) > len(prefix):
                return self.entity(path[len(prefix):], params, headers)
        if path.startswith("/source/"):
            return self.source(path[len("/source/"):], params)
        if path.rstrip("/") == "/catalogue":
            return self._html(render.catalogue_list(self.queries))
        if path.startswith("/catalogue/"):
            return self.catalogue_query(path[len("/catalogue/"):], params, blank)
        if path in EDITOR_PATHS:
            return self.editor(path, params)
        if path.startswith("/static/"):
            return self.static(path[len("/static/"):])
        return self._html(render.not_found_page(f"There is no page at {shorten(path)}.", []))

    def _html(self, page: render.Page, headers: list[tuple[str, str]] = ()) -> Response:
        return Response(page.status, render.layout(page, self._release()).encode("utf-8"), HTML, list(headers))

    def _release(self) -> dict[str, str]:
        """The release's header for the footer; none when the store cannot answer, so that the page
        saying the store failed does not fail on it."""
        try:
            return self._shared(release_attributes)
        except GraphkitError:
            return {}

    def _error(self, status: int, title: str, exc: Exception, path: str, params: dict, headers) -> Response:
        """A request's failure: a line for a program (:func:`wants_text`), a page for a browser."""
        message = self._public(str(exc))
        if wants_text(path, params, headers):
            return plain_line(status, message)
        return self._html(render.Page(title, render.alert(message), status=status))

    def _public(self, message: str) -> str:
        """``message`` without the private address of the server behind the pages (it bypasses
        every check of the gateway, and means nothing to a visitor)."""
        url = getattr(self.store, "url", "")
        if not url:
            return message
        for said in (f"the endpoint {url} ", f"endpoint {url} ", url):
            message = message.replace(said, "the SPARQL server " if said.endswith(" ") else "the SPARQL server")
        return message

    # -- pages ---------------------------------------------------------------------------------

    def search(self, params: dict) -> Response:
        kind = params.get("kind", "").strip()
        if kind:
            kinds = self._shared(lookup.kinds)
            iri = lookup.kind_named(kinds, kind)
            if iri is None:
                return self._html(render.unknown_kind_page(kind, kinds))
            hits = [entitynames.Hit(e, label, label, "", 0) for e, label in lookup.of_kind(self.store, URIRef(iri))]
            if iri == str(GK.QuantityValue):    # values of one name, told apart by what states them
                uses = self._shared(lookup.quantity_uses)
                hits = [entitynames.Hit(h.iri, h.label, h.matched, uses.get(h.iri, ""), 0) for h in hits]
            label = next(name for kind_iri, name, _ in kinds if kind_iri == iri)
            return self._html(render.search_page("", hits, title=f"Kind: {label} ({compact(iri)})"))
        text = params.get("q", "").strip()
        if not text:
            return Response(303, b"", headers=[("Location", "/")])
        found, note = self._named_by(text)
        # a CURIE, IRI or OBO id (MONDO_0011908) names one entity: go there
        if len(found) == 1 and (":" in text or external_iri(text) is not None) and note is None:
            return Response(303, b"", headers=[("Location", render.entity_href(found[0]))])
        names = self._shared(entitynames.names)
        hits = entitynames.search(names, text)
        # A bare ICD-10 code (C91.0) lists the entities carrying it exactly, as its CURIE
        # (ICD10CM:C91.0) goes to one, before the codes themselves.
        found = list(dict.fromkeys(self._code_carriers(text) + found))
        known = {h.iri for h in hits}
        hits = lookup.hits_named(self.store, [e for e in found if e not in known]) + hits
        # "NCI", "PDQ", "004", "Chang": whole words of the source's description ("ALL" found
        # document 004 by its "allogeneic")
        said = re.compile(rf"(?<!\w){re.escape(entitynames.folded(text))}(?!\w)")
        documents = [source for source in self._shared(lookup.sources)
                     if said.search(entitynames.folded(" ".join((source.id, source.doc, source.title, source.publisher,
                                                            source.kind))))]
        close = entitynames.close(names, text) if not hits else []      # a typo: the names spelled nearly so
        return self._html(render.search_page(text, hits, note=note, close=close, documents=documents))

    def _named_by(self, text: str) -> tuple[list[str], str | None]:
        """The entities (IRIs) ``text`` names as an identifier, and a note when it names them
        loosely: an external id by the entities' mappings (:mod:`graphkit.identifiers`, as
        ``graphkit query`` resolves a parameter), else an entity's id, CURIE or IRI itself."""
        found, note = [], None
        if external_iri(text) is not None:
            mappings = self._shared(Mappings.from_store)
            try:
                resolved = mappings.resolve(text)
            except QueryError as exc:       # several entities carry it at the closest level: all of them
                carriers = mappings.carriers[mappings.identifier(text)]
                closest = next(level for level in LEVELS if any(c.match in level for c in carriers))
                return sorted({c.entity for c in carriers if c.match in closest}), str(exc)
            if resolved is not None and resolved.note is None:
                return [resolved.entity], None
            if resolved is not None:
                found, note = [resolved.entity], resolved.note
        # The identifier's own page (an ICD-10-CM code, an imported term); a bare ICD-10 code
        # (C93.32) names the code of either edition the graph has.
        for candidate in bare_icd10_curies(text) or [text]:
            iri = lookup.iri_of(candidate)
            if iri is not None and str(iri) not in found and self.store.describes(iri):
                found.append(str(iri))
        return found, note

    def _code_carriers(self, text: str) -> list[str]:
        """The entities (IRIs) that carry the ICD-10 code ``text``, written without its system,
        as an exact mapping (C91.0: acute lymphoblastic leukemia)."""
        mappings = self._shared(Mappings.from_store)
        return [carrier.entity for curie in bare_icd10_curies(text)
                for carrier in mappings.carriers.get(mappings.identifier(curie), []) if carrier.match == "exact"]

    def entity(self, identifier: str, params: dict, headers) -> Response:
        iri = lookup.iri_of(identifier)
        fmt = params.get("format")
        fmt = FORMAT_ALIASES.get(fmt.lower(), fmt.lower()) if fmt is not None else None
        if fmt is not None and fmt not in ("html", *RDF_MEDIA):     # a typo in a link: the formats, not a 406
            return plain_line(400, f"no format {params['format']!r}: ?format=html, turtle, ntriples, jsonld or rdfxml")
        fmt = fmt or negotiate(headers.get("Accept"), ENTITY_TYPES)
        # An entity, code or term with triples of its own; an IRI the graph only names (UNII:...,
        # the object of an entity's mapping) has no page: the entity that carries it has
        described = iri is not None and self.store.describes(iri)
        vary = [("Vary", "Accept")]
        if fmt is None and not described:     # first: there is none
            return plain_line(404, f"no entity has the id {shorten(identifier)!r}", vary)
        if fmt is None:
            offered = ", ".join(ENTITY_TYPES)
            return plain_line(406, f"this entity is offered as {offered} (Accept header or ?format="
                                   f"html|turtle|ntriples|jsonld|rdfxml)", vary)
        if described and identifier != lookup.entity_id(str(iri)):     # mondo:0011908, MONDO:0011908/
            return _see_entity(str(iri), params)
        if described and fmt == "html":
            entity = lookup.outline(self.store, iri, lambda: self._shared(lookup.term_names))
            if entity is not None:
                return self._entity_page(entity, params, vary)
        elif described:
            graph = lookup.subgraph(self.store, iri)
            if len(graph):
                return Response(200, graph_text(graph, fmt).encode("utf-8"), RDF_MEDIA[fmt], vary)
        # An address that means an entity another way, for a browser and a program alike: the id
        # with a trailing slash or in another case (ICD10CM:C93.32/, icd10cm:c93.32), else what
        # search would go to (a bare ICD-10 code, an external id an entity carries)
        same = self._same_id(identifier)
        found, note = ([same], None) if same is not None else self._named_by(identifier.strip().rstrip("/"))
        if len(found) == 1 and note is None and found[0] != str(iri):
            return _see_entity(found[0], params)
        if fmt != "html":               # a program asked for RDF: a line, not a page
            return plain_line(404, f"no entity has the id {shorten(identifier)!r}", vary)
        words = re.sub(r"[_:]+", " ", identifier).strip()
        named = lookup.hits_named(self.store, found)        # C93.3: a code of each edition
        # The names the command line's error names for a value that names nothing (a misspelled
        # name or id: "vincristen", "gke:vincristen", "relapsed_jmml_after_transplant"), each
        # entity once, grouped by kind on the page
        meant = self._suggested_entities(identifier.strip(), limit=5) if words else []
        hits = named + [hit for hit in meant if hit.iri not in found]
        missing = self._html(render.not_found_page(f"No entity has the id {shorten(identifier)!r}.", hits, words,
                                                   by_kind=True))
        missing.headers.extend(vary)    # the same address answers a program in RDF: caches must tell them apart
        return missing

    def _entity_page(self, entity: lookup.Entity, params: dict, vary: list) -> Response:
        """Page ``?page=N`` of an entity, or the one holding the quote ``?quote=ANCHOR`` (a link
        from a source page or a statement to its quote): its sections' quotes are asked for, the
        other pages' are not."""
        inverses = self._shared(lookup.inverses)
        groups = render.groups_of(entity, inverses)
        pages = render.entity_pages(groups, entity.scoped)
        number = 1
        if "page" in params:
            number = _page_number(params, len(pages))
            if number is None:
                return self._html(_no_such_page(entity.label, render.entity_href(entity.iri), len(pages),
                                                params["page"]), vary)
        elif params.get("quote"):
            number = render.page_of_quote(pages, groups, params["quote"].strip()) or 1
        shown = render.edges_on_page(groups, pages[number - 1])
        lookup.with_evidence(self.store, entity, entity.evidence_nodes(shown))
        sources = {source.iri: source for source in self._shared(lookup.sources)}
        return self._html(render.entity_page(entity, groups, pages, number, sources), vary)

    def _same_id(self, identifier: str) -> str | None:
        """The IRI of the thing an address names by its own id, written with a trailing slash or
        in another case (codes are upper case); None if there is none."""
        text = identifier.strip().rstrip("/")
        prefix, colon, local = text.partition(":")
        # graphkit's own ids are lower case (JMML: jmml), codes upper case (c93.32: C93.32)
        spellings = [f"{prefix}:{local.upper()}"] if colon else [text.lower(), text.upper()]
        for candidate in dict.fromkeys([text, *spellings]):
            iri = lookup.iri_of(candidate)
            if iri is not None and self.store.describes(iri):
                return str(iri)
        return None

    def source(self, identifier: str, params: dict) -> Response:
        sources = self._shared(lookup.sources)
        source = next((s for s in sources if identifier in (s.id, s.doc)), None)     # by id or document number
        spelled_otherwise = next((s for s in sources if _same_source(identifier, s)), None)
        if source is None and spelled_otherwise is not None:       # ICD10_C93_32_PAGE, 1: to its address
            return Response(303, b"", headers=[("Location", render.source_href(spelled_otherwise.id))])
        if source is None:
            names = ", ".join(f"{s.id} ({s.doc})" for s in sources)
            return self._html(render.not_found_page(f"No source has the id {shorten(identifier)!r}; "
                                                    f"the sources: {names}.", []))
        path = self.project.root / source.file
        text = path.read_text(encoding="utf-8") if path.is_file() else None
        metadata = self._shared(lookup.source_metadata).get(source.iri, [])
        # every page of a source marks its text with all its passages (the places of NCI's 845
        # evidence nodes: 20 ms of the server's time); this request's own copies get their statements
        passages = [lookup.Passage(p.start, p.end, nodes=p.nodes) for p in self._shared(lookup.spans, source.iri)]
        pages = render.source_pages(passages)
        number = _page_number(params, len(pages))
        if number is None:
            return self._html(_no_such_page(source.title, render.source_href(source.id), len(pages), params["page"]))
        lookup.with_statements(self.store, pages[number - 1], lambda: self._shared(lookup.term_names))
        return self._html(render.source_page(source, metadata, text, passages, number))

    def catalogue_query(self, name: str, params: dict, blank: frozenset = frozenset()) -> Response:
        """A query's form and answer; ``blank``: the fields sent empty, which run their defaults."""
        name, _, suffix = name.partition(".")
        if suffix not in ("", "csv", "tsv", "json"):
            return self._html(render.not_found_page(f"No download format {suffix!r}: csv, tsv or json.", []))
        try:
            query = self.catalogue.get(name)
        except QueryError as exc:
            if suffix:                  # a download: a line, not a page
                return plain_line(404, str(exc))
            return self._html(render.unknown_query_page(name, self.catalogue.close(name)))
        values = {n: params.get(n, _as_written(p.default)) for n, p in query.params.items()}
        prepared = error = results = suggested = None
        try:
            # the parameters as given (prepare fills in the defaults), so that one the query does
            # not have is refused with a suggestion, as on the command line
            prepared = prepare(query, self.store, params, self.project)
            results = run(prepared, store=self.store)
            notes = tuple(f"{n} was left blank: the query ran with its default, {_as_written(query.params[n].default)}"
                          for n in query.params if n in blank and query.params[n].default is not None)
            if not suffix:              # a download shows no notes: the queries behind them are not run
                notes += answer_notes(query, prepared, results, self.store)
        except QueryError as exc:
            error, notes = str(exc), ()
            suggested = None if suffix else self._unknown_value(query, params)
        if suffix:
            if error:
                return plain_line(400, error)
            return self._download(results, download_name(name, {n: params[n] for n in query.params if n in params}),
                                  suffix)
        fields, lists = self._fields(query, values)
        page = render.catalogue_page(query, fields, lists, prepared.text if prepared else None, results, error,
                                     notes, named_entities=self._shared(lookup.named_entities), suggested=suggested)
        return self._html(page)

    def editor(self, path: str, params: dict, refusal: str | None = None) -> Response:
        text = params.get("query")
        if text is None:
            start = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in TURTLE_PREFIXES.items()) + "\n" + EDITOR_START
            return self._html(render.editor_page(start, None, None))
        results, error, notes = None, refusal, ()
        if refusal is None and is_update(text):
            error = ("the editor runs queries (SELECT, ASK, CONSTRUCT, DESCRIBE), not updates: "
                     + ("this server is read-only (graphkit serve --writable takes updates at /update)"
                        if self.unchanging else "send updates to /update"))
        elif refusal is None:
            try:
                results, notes = self._editor_answer(text)
            except QueryError as exc:
                # The server behind the pages is this site's own: its private address means nothing here.
                error = self._public(str(exc))
        status = 403 if refusal else 400
        if path != "/sparql":
            if error:
                return plain_line(status, error)
            if results.kind != "select":
                return plain_line(400, "only SELECT answers are tables to download")
            return self._download(results, "query", path.rsplit(".", 1)[-1])
        page = render.editor_page(text, results, error, notes)
        if refusal:
            page.status = 403
        return self._html(page)

    def _editor_answer(self, text: str):
        """The answer to an editor's query and its notes. A query with a ``#+ params`` header (a
        catalogue file pasted in) has its parameters bound to the header's defaults, as ``graphkit
        sparql`` binds them: run as it was, each parameter stayed an unbound variable and the answer
        was no question's (symptoms-of-disease.rq gave 10 rows about JMML in relapse and infection
        for the defaults' 79 about childhood ALL), without a word."""
        if not text.lstrip().startswith("#+"):
            return self.store.query(text), ()
        query = ad_hoc_query(text, "query")
        prepared = prepare(query, self.store)
        if not query.params:
            return self.store.query(prepared), prepared.notes
        defaults = ", ".join(f"{name} = {str(param.default).lower() if isinstance(param.default, bool) else param.default}"
                             for name, param in query.params.items())
        bound = (f"the #+ params header's parameters are bound to their defaults, as graphkit sparql binds them: "
                 f"{defaults} (change a default to ask for another value)")
        return self.store.query(prepared), (bound, *prepared.notes)

    @staticmethod
    def static(name: str) -> Response:
        path = STATIC / name
        if "/" in name or name.startswith(".") or not path.is_file() or path.suffix not in STATIC_TYPES:
            return plain_line(404, "not found")
        return Response(200, path.read_bytes(), STATIC_TYPES[path.suffix], [("Cache-Control", "max-age=300")])

    # -- helpers -------------------------------------------------------------------------------

    def _suggested_entities(self, value: str, kinds: tuple[str, ...] = (), limit: int = 3) -> list[entitynames.Hit]:
        """The entities the command line's error names for an entity ``value`` that names nothing
        (:func:`~graphkit.catalogue.params.suggested_entities`), from the names the pages keep."""
        return suggested_entities(self.store, value, kinds, limit, every=self._shared(entity_names),
                                  named=self._shared(entitynames.names))

    def _unknown_value(self, query, params: dict) -> tuple[str, list[entitynames.Hit]] | None:
        """The first entity or node parameter of ``query`` whose value in ``params`` names nothing,
        with the entities the command line's message names for it (those of the parameter's kinds
        first); None when every such value names something."""
        for name, param in query.params.items():
            value = params.get(name)
            if param.type not in ("entity", "node") or value is None or not str(value).strip():
                continue
            try:
                convert_param(self.store, param, value)
            except QueryError:
                return name, self._suggested_entities(str(value), param.kinds)
        return None

    @staticmethod
    def _download(results, name: str, fmt: str) -> Response:
        disposition = [("Content-Disposition", f'attachment; filename="{name}.{fmt}"')]
        media = {"json": "application/sparql-results+json", "tsv": "text/tab-separated-values; charset=utf-8",
                 "csv": "text/csv; charset=utf-8"}[fmt]
        return Response(200, answer_text(results, fmt).encode("utf-8"), media, disposition)

    def _fields(self, query, values: dict) -> tuple[list[render.Field], str]:
        fields, lists = [], {}
        for name, param in query.params.items():
            suggested = ""                  # the id of the datalist the field suggests from
            if param.type == "entity":      # the entities of its kinds (every entity without kinds)
                suggested = f"entities-{'-'.join(param.kinds)}" if param.kinds else "entities"
                if suggested not in lists:
                    wanted = self._shared(entities_of_kinds, param.kinds) if param.kinds else None
                    lists[suggested] = render.datalist(suggested, [
                        (lookup.entity_id(i), label) for i, label in self._shared(lookup.labels)
                        if wanted is None or i in wanted])
            options: list[tuple[str, str]] = []
            if param.choices:
                options = [(str(c), str(c)) for c in param.choices]
            elif param.type == "source":
                options = [(s.doc, f"{s.doc}: {s.title}") for s in self._shared(lookup.sources)]
            elif param.type == "certainty":
                options = [(c, c.replace("_", " ")) for c in CERTAINTY]
            elif param.type == "boolean":
                options = [("true", "true"), ("false", "false")]
            if options and param.optional:
                options = [("any", "any")] + options
            value = values[name]
            if options and value not in {v for v, _ in options}:
                options.append((value, value))
            fields.append(render.Field(name, value, param.description, param.optional, options, suggested))
        return fields, "".join(lists.values())


def _page_number(params: dict, pages: int) -> int | None:
    """The page ``?page=N`` asks for (1 without it); None for a number past the last page or what
    is no page number (:func:`_no_such_page` says which)."""
    text = params.get("page", "1").strip()
    return int(text) if text.isdigit() and 1 <= int(text) <= pages else None


def _no_such_page(title: str, address: str, pages: int, asked: str) -> render.Page:
    """A page number past the last (404) or what is no page number (400): how many pages there
    are, and the first page, which links to them all."""
    link = f'<a href="{render.esc(address)}">'
    where = f"{link}its page</a>." if pages == 1 else f"{link}its first page</a> links to them all."
    what = "one page" if pages == 1 else f"{pages} pages"
    asked = asked.strip()
    if asked.isdigit() and int(asked) > pages:
        return render.Page("Not found", f'<h1>Not found</h1>\n<p>{render.esc(title)} has {what}, not '
                                        f'{render.esc(shorten(asked))}: {where}</p>', status=404)
    return render.Page("Bad request", f'<h1>Bad request</h1>\n<p>page={render.esc(shorten(asked))} is no page '
                                      f'number: {render.esc(title)} has {what}, 1 to {pages}: {where}</p>', status=400)


def _same_source(identifier: str, source: lookup.Source) -> bool:
    """Whether ``identifier`` names ``source`` in another case (ICD10_C93_32_PAGE) or by its
    document number without its zeros (1 for 001)."""
    if identifier.casefold() == source.id.casefold():
        return True
    return identifier.isdigit() and source.doc.isdigit() and int(identifier) == int(source.doc)


def _without_added_slash(raw_path: str) -> str | None:
    """The page's address when ``raw_path`` (as the request wrote it) is one with slashes added
    (/source/001/, /search/), else None: a bookmark or a link some tool wrote so goes to the page.
    An entity's address does so on its own, with the other spellings of an id; ``/catalogue/``
    is the catalogue already. Never an address with ``//`` in it, which a browser would read as
    another site's.

    >>> _without_added_slash("/source/001/"), _without_added_slash("////evil.example/"), _without_added_slash("/%2F")
    ('/source/001', None, None)
    """
    if not raw_path.endswith("/") or raw_path in ("/", "/catalogue/", "/static/") or raw_path.startswith(ENTITY_PATHS):
        return None
    page = raw_path.rstrip("/")
    return page if page.startswith("/") and "//" not in page else None


def _see_entity(iri: str, params: dict) -> Response:
    """A redirect to the entity's own address (its id as its pages write it), in the format asked for."""
    kept = {name: params[name] for name in ("format", "page", "quote") if params.get(name)}
    location = render.entity_href(iri) + (f"?{urllib.parse.urlencode(kept)}" if kept else "")
    return Response(303, b"", headers=[("Location", location), ("Vary", "Accept")])


def download_name(query: str, given: dict[str, str], limit: int = 120) -> str:
    """The file name of a query's table: the query and the parameters given, so that two downloads
    with different parameters do not overwrite each other (characters a file name may not hold
    replaced by ``-``).

    >>> download_name("relapse-treatments-by-site", {"disease": "JMML in relapse"})
    'relapse-treatments-by-site_disease-JMML-in-relapse'
    """
    parts = [query] + [f"{key}-{value}" for key, value in given.items()]
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", "_".join(parts)).strip("-.")[:limit]
