"""Does a SPARQL endpoint give graphkit's answers? The whole catalogue, run on both and compared.

Every catalogue query runs with its defaults and with each documented example (the header's
``example:`` command lines), on the endpoint and on the embedded store of the built release.
Parameters are resolved once, on the embedded store, and the same bound query text (see
:class:`graphkit.catalogue.Prepared`) goes to both, so a difference is the engine's and not the
parameter lookup's. Researchers who push the graph into their own triple store run it
(``graphkit conformance --endpoint URL``) to know whether their engine answers correctly.

Answers are compared as multisets of rows (:meth:`graphkit.store.Results.canonical`); order is
not compared. The only normalisations, each because SPARQL leaves the point open or because
RDF 1.1 says the two forms are one term:

- the members of a ``GROUP_CONCAT`` are sorted (SPARQL does not define their order);
- an empty ``GROUP_CONCAT`` counts as unbound (pyoxigraph leaves it unbound, Virtuoso and
  Comunica give ``""``);
- a plain literal and the same string typed ``xsd:string`` are one value (RDF 1.1; Virtuoso's
  JSON results type every plain string).

A run is ``same``, ``differs`` (with the first row the endpoint lacks and the first it adds),
``error`` (the endpoint refused or failed the query) or ``timeout``. A run that is not ``same``
and that ``queries/engine-defects.yaml`` lists for the endpoint's engine (recognised by its HTTP
``Server`` header) is also a *known engine defect*, with the reason from that file
(:func:`load_engines`, :func:`identify`).

Like is compared with like: the queries whose header says ``needs: inferred`` (the exploration
queries, which show the edges the store holds) give graphkit's answers only where
``ontology/inferred.ttl`` is loaded too. When the endpoint does not hold it (:func:`holds_inferred`
asks for the inferred ontology's header), those runs are compared with the embedded store
*without* the inferred graph, the same data the endpoint holds, and the report says so; every other
query needs no reasoner and is compared with the whole release either way.

>>> summary_line(Report("http://x/sparql", [], [Outcome("q", "defaults", {}, "same", 3, 3, 0.1, 0.0)]))
'1/1 queries same (1 run) on http://x/sparql; endpoint 100 ms, embedded store 0 ms'
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from pathlib import Path

from . import yamlio
from .catalogue.files import CatalogueQuery
from .catalogue.runner import prepare
from .errors import CurationError, EndpointTimeout, GraphkitError, QueryError, shorten
from .header import INFERRED_ONTOLOGY
from .iris import GKG
from .namespaces import OWL, readable
from .output import counted
from .sparql import concat_columns
from .store import Results, Store
from .terms import key

STATUSES = ("same", "differs", "error", "timeout")
QUERY_TIMEOUT = 300.0        # seconds an endpoint has for each query: Comunica took 63 s on one
WITHOUT_INFERRED = "release without inferred.ttl"     # the reference of a needs-inferred run, when so compared
SHOWN_ROWS = 3          # differing rows kept per run (first missing, first extra, ...)


@dataclass(frozen=True)
class Run:
    """One query with one set of parameters, bound on the embedded store."""

    query: str
    label: str            # "defaults", "example", "example 2", ...
    params: dict
    text: str             # the bound SPARQL sent to both stores
    concatenated: dict    # GROUP_CONCAT variables -> separator
    needs_inferred: bool = False   # the header's ``needs: inferred``


@dataclass
class Outcome:
    query: str
    label: str
    params: dict
    status: str
    expected_rows: int
    found_rows: int | None
    seconds: float                     # on the endpoint
    reference_seconds: float           # on the embedded store
    missing: list[tuple] = field(default_factory=list)   # rows of graphkit's answer the endpoint lacks
    extra: list[tuple] = field(default_factory=list)     # rows the endpoint adds
    message: str = ""
    known_defect: str = ""             # the reason, when the engine's known defects list this run
    reference: str = "release"         # what the embedded store held: the release, or WITHOUT_INFERRED

    def to_json(self) -> dict:
        return {"query": self.query, "run": self.label, "params": self.params, "status": self.status,
                "known_defect": self.known_defect or None, "reference": self.reference,
                "expected_rows": self.expected_rows, "found_rows": self.found_rows,
                "seconds": round(self.seconds, 3), "reference_seconds": round(self.reference_seconds, 4),
                "missing": [list(r) for r in self.missing], "extra": [list(r) for r in self.extra],
                "message": self.message}


# ---------------------------------------------------------------------------------------------
# Known engine defects (queries/engine-defects.yaml)


@dataclass(frozen=True)
class KnownDefect:
    query: str
    runs: tuple[str, ...]          # the run labels that show it: "defaults", "example", "example 2" ...
    reason: str
    some_instances: bool = False   # shows on some fresh databases of the engine, not on all


@dataclass(frozen=True)
class Engine:
    key: str                       # virtuoso
    name: str                      # Virtuoso 7.2
    server: str                    # the start of its HTTP Server header
    defects: dict                  # query name -> KnownDefect

    def defect(self, query: str, label: str) -> KnownDefect | None:
        found = self.defects.get(query)
        return found if found and label in found.runs else None


def load_engines(path: Path, queries: dict | None = None) -> dict[str, Engine]:
    """The engines and their known defects from ``path`` (``queries/engine-defects.yaml``); a
    query that ``queries`` (the catalogue) lacks, or a malformed entry, is an error naming the line."""
    if not path.exists():
        return {}
    data = yamlio.load(path) or {}
    engines = {}
    for engine_id, entry in data.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("name"), str) and isinstance(entry.get("server"), str)):
            raise CurationError([(data.location(engine_id), f"engine {engine_id!r} needs a name and a server (text)")])
        defects, listed = {}, entry.get("defects") or {}
        for query, defect in listed.items():
            runs = defect.get("runs") if isinstance(defect, dict) else None
            if not (isinstance(runs, list) and runs and all(isinstance(r, str) for r in runs)
                    and isinstance(defect.get("reason"), str)):
                raise CurationError([(listed.location(query), f"known defect {query!r} of {engine_id} needs runs "
                                                              f"(a list) and a reason")])
            if queries is not None and query not in queries:
                raise CurationError([(listed.location(query), f"known defect of {engine_id}: no query named {query!r}")])
            defects[query] = KnownDefect(query, tuple(runs), defect["reason"], bool(defect.get("some_instances")))
        engines[engine_id] = Engine(engine_id, entry["name"], entry["server"], defects)
    return engines


def identify(engines: dict[str, Engine], server_header: str) -> Engine | None:
    """The engine whose Server header ``server_header`` is, if any.

    >>> identify({"v": Engine("v", "V 7", "Virtuoso/07.", {})}, "Virtuoso/07.20.3233 (Linux)").name
    'V 7'
    """
    return next((e for e in engines.values() if server_header.startswith(e.server)), None)


@dataclass
class Report:
    endpoint: str
    default_graphs: list[str]
    outcomes: list[Outcome]
    engine: Engine | None = None
    holds_inferred: bool | None = None   # whether the endpoint holds inferred.ttl; None: not asked
    skipped: list[str] = field(default_factory=list)   # queries/*.rq files left out: no catalogue header
    notes: list[str] = field(default_factory=list)     # about the endpoint's data (graph_count_note)

    @property
    def unexplained(self) -> list[Outcome]:
        """Runs that are not the same and that no known defect of the engine explains."""
        return [o for o in self.outcomes if o.status != "same" and not o.known_defect]

    def by_query(self) -> dict[str, list[Outcome]]:
        grouped: dict[str, list[Outcome]] = {}
        for outcome in self.outcomes:
            grouped.setdefault(outcome.query, []).append(outcome)
        return grouped

    def query_status(self, outcomes: list[Outcome]) -> str:
        """``same`` when every run is; else the first other status, in run order."""
        return next((o.status for o in outcomes if o.status != "same"), "same")

    def failed(self, allow_known_defects: bool = False) -> list[Outcome]:
        """The runs that fail the check: every run not the same, or with ``allow_known_defects``
        those that no known defect of the engine explains."""
        return self.unexplained if allow_known_defects else [o for o in self.outcomes if o.status != "same"]

    @property
    def compared_without_inferred(self) -> list[str]:
        """The queries compared with the embedded store without the inferred graph."""
        return sorted({o.query for o in self.outcomes if o.reference == WITHOUT_INFERRED})

    def counts(self) -> Counter:
        return Counter(self.query_status(runs) for runs in self.by_query().values())

    def to_json(self) -> dict:
        counts = self.counts()
        return {"endpoint": self.endpoint, "default_graphs": self.default_graphs,
                "engine": self.engine.name if self.engine else None,
                "inferred_graph": {"endpoint_holds": self.holds_inferred,
                                   "compared_without": self.compared_without_inferred},
                "summary": {"queries": len(self.by_query()), **{s: counts.get(s, 0) for s in STATUSES},
                            "known_defects": len({o.query for o in self.outcomes if o.known_defect}),
                            "runs": len(self.outcomes),
                            "runs_same": sum(o.status == "same" for o in self.outcomes),
                            "endpoint_seconds": round(sum(o.seconds for o in self.outcomes), 2),
                            "reference_seconds": round(sum(o.reference_seconds for o in self.outcomes), 3)},
                "queries": [{"query": name, "status": self.query_status(runs), "runs": [o.to_json() for o in runs]}
                            for name, runs in self.by_query().items()],
                "skipped": self.skipped, "notes": self.notes}


def catalogue_runs(queries: dict[str, CatalogueQuery], reference: Store, examples: bool = True) -> list[Run]:
    """Each query with its defaults, then with each documented example whose bound text differs
    from the runs before it (an example that only changes the output format adds nothing)."""
    runs = []
    for name, query in queries.items():
        choices = [("defaults", {})]
        if examples:
            numbered = len(query.example_params) > 1
            choices += [(f"example {i}" if numbered else "example", params)
                        for i, params in enumerate(query.example_params, 1)]
        seen = set()
        for label, params in choices:
            text = prepare(query, reference, params).text
            if text not in seen:
                seen.add(text)
                runs.append(Run(name, label, params, text, concat_columns(query.body), "inferred" in query.needs))
    return runs


def compare(expected: Results, found: Results, concatenated: dict) -> tuple[list[tuple], list[tuple]]:
    """The rows of ``expected`` missing from ``found`` and the rows ``found`` adds (as
    :meth:`~graphkit.store.Results.canonical` tuples, sorted; repeated rows count)."""
    if expected.kind != found.kind:
        return [(f"a {expected.kind} answer",)], [(f"a {found.kind} answer",)]
    if expected.kind == "ask":
        same = expected.boolean == found.boolean
        return ([] if same else [(str(expected.boolean).lower(),)]), ([] if same else [(str(found.boolean).lower(),)])
    if expected.kind == "graph":
        want, got = ({tuple(key(t) for t in triple) for triple in r.graph} for r in (expected, found))
        return sorted(want - got), sorted(got - want)
    if expected.variables != found.variables and set(expected.variables) != set(found.variables):
        return [tuple(expected.variables)], [tuple(found.variables)]
    found = Results(found.kind, variables=expected.variables, rows=found.rows)
    want, got = Counter(expected.canonical(concatenated)), Counter(found.canonical(concatenated))
    return sorted((want - got).elements()), sorted((got - want).elements())


GRAPH_COUNTS = f"""SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
  FILTER(STRSTARTS(STR(?g), "{GKG}")) }} GROUP BY ?g"""


def graph_counts(store: Store) -> dict[str, int]:
    """The triples of each of graphkit's named graphs ``store`` holds."""
    return {str(row["g"]): int(str(row["n"])) for row in store.query(GRAPH_COUNTS).rows}


def graph_count_note(endpoint: Store, reference: Store) -> str | None:
    """What to say when a graph of graphkit's that the endpoint holds has another number of
    triples than the release's graph of that name: a dump loaded twice (its blank nodes are new
    nodes the second time) or another release. None when every such graph agrees, or when the
    endpoint holds none of them by name (the Turtle files in one graph). The count is an aside: an
    endpoint that cannot give it (a timeout on a store of many graphs) is said so, and the
    queries are compared all the same."""
    try:
        found = graph_counts(endpoint)
    except GraphkitError as exc:
        return f"graphkit's graphs on the endpoint were not counted ({shorten(str(exc), 200)})"
    release = graph_counts(reference)
    differ = [(g, found[g], release[g]) for g in sorted(found) if g in release and found[g] != release[g]]
    if not differ:
        return None
    (graph, n, want), more = differ[0], len(differ) - 1
    return (f"the endpoint's graph <{graph}> holds {n:,} triples where the release's holds {want:,}"
            + (f" ({more} more graph{'s' if more > 1 else ''} differ{'' if more > 1 else 's'})" if more else "")
            + ": " + ("more, as when a dump is loaded into a store that holds it already (docs/serving.md, "
                      "\"Load once\")" if n > want else "another release, or a load that stopped")
            + "; answers that differ may come from that")


def holds_inferred(endpoint: Store) -> bool:
    """Whether ``endpoint`` holds graphkit's ``ontology/inferred.ttl`` (its ontology header)."""
    return endpoint.query(f"ASK {{ <{INFERRED_ONTOLOGY}> a <{OWL.Ontology}> }}").boolean


def run_one(run: Run, endpoint: Store, reference: Store) -> Outcome:
    started = time.perf_counter()
    expected = reference.query(run.text)
    reference_seconds = time.perf_counter() - started
    started = time.perf_counter()
    try:
        found = endpoint.query(run.text)
    except EndpointTimeout as exc:
        return Outcome(run.query, run.label, run.params, "timeout", len(expected.rows), None,
                       time.perf_counter() - started, reference_seconds, message=str(exc))
    except GraphkitError as exc:
        return Outcome(run.query, run.label, run.params, "error", len(expected.rows), None,
                       time.perf_counter() - started, reference_seconds, message=str(exc).splitlines()[0][:300])
    seconds = time.perf_counter() - started
    missing, extra = compare(expected, found, run.concatenated)
    status = "same" if not (missing or extra) else "differs"
    rows = len(found.rows) if found.kind == "select" else None
    return Outcome(run.query, run.label, run.params, status, len(expected.rows), rows, seconds, reference_seconds,
                   missing[:SHOWN_ROWS], extra[:SHOWN_ROWS])


def check(endpoint: Store, reference: Store, runs: list[Run], endpoint_url: str = "",
          default_graphs: list[str] | None = None,
          progress: Callable[[int, int, Outcome], None] | None = None, engine: Engine | None = None,
          without_inferred: Store | None = None, holds: bool | None = None) -> Report:
    """Run every :class:`Run` on both stores and compare; ``progress(i, total, outcome)`` after each.
    A run that is not the same and that ``engine`` lists as a known defect carries its reason.
    Given ``without_inferred`` (the embedded store without the inferred graph), the runs of the
    queries that need inferred.ttl are compared with it instead of ``reference``; ``holds`` is
    what the report says about the endpoint holding inferred.ttl."""
    outcomes = []
    for i, run in enumerate(runs, 1):
        plain = without_inferred is not None and run.needs_inferred
        outcome = run_one(run, endpoint, without_inferred if plain else reference)
        if plain:
            outcome.reference = WITHOUT_INFERRED
        defect = engine.defect(run.query, run.label) if engine and outcome.status != "same" else None
        if defect:
            outcome.known_defect = defect.reason
        outcomes.append(outcome)
        if progress:
            progress(i, len(runs), outcome)
    return Report(endpoint_url or getattr(endpoint, "url", ""), list(default_graphs or []), outcomes, engine, holds)


# ---------------------------------------------------------------------------------------------
# For people


def check_endpoint(project, url: str, *, only: tuple = (), timeout: float = QUERY_TIMEOUT, default_graphs: tuple = (),
                   release_graphs: bool = False, include_external: bool = True, engine: str | None = None,
                   examples: bool = True, inferred: str = "auto", progress: Callable | None = None) -> Report:
    """The catalogue (the queries named in ``only``, else all) run on the endpoint at ``url`` and
    on ``project``'s embedded store, compared (:func:`check`): ``default_graphs`` (and, with
    ``release_graphs``, the release's) sent as ``default-graph-uri``; ``engine`` the name of its
    engine in ``queries/engine-defects.yaml`` (None: told by its Server header; ``"none"``: no
    known defects); ``inferred`` ``auto``, ``yes`` or ``no``: whether the endpoint holds
    ``inferred.ttl`` (auto: asked). An unknown query or engine is a :class:`QueryError`; an
    unreachable endpoint an :class:`EndpointError` before anything runs."""
    from .catalogue import Catalogue, load_catalogue
    from .store import EndpointStore, OxigraphStore, release_graph_names

    skipped: list[str] = []
    catalogue = load_catalogue(project.queries_dir, skipped)
    wanted = {Catalogue(project).get(name).name for name in only}      # as graphkit query reads a name
    queries = {name: q for name, q in catalogue.items() if name in wanted} if only else catalogue
    engines = load_engines(project.queries_dir / "engine-defects.yaml", catalogue)
    if engine and engine != "none" and engine not in engines:
        raise QueryError(f"--engine {engine!r}: queries/engine-defects.yaml knows "
                         f"{', '.join(sorted(engines)) or 'no engine'} (or none)")
    graphs = list(default_graphs)
    if release_graphs:
        graphs += [g for g in release_graph_names(project, include_external) if g not in graphs]
    reference = OxigraphStore.from_project(project, include_external=include_external)
    endpoint = EndpointStore(url, timeout=timeout, default_graphs=graphs)
    endpoint.query("ASK {}")        # unreachable or refusing: said before anything else
    endpoint.require_entities()     # holding nothing of the release: said instead of a difference per query
    endpoint.require_imports()      # all.ttl without the import modules: likewise
    known = engines.get(engine) if engine else identify(engines, getattr(endpoint, "server", ""))
    runs = catalogue_runs(queries, reference, examples=examples)
    holds = holds_inferred(endpoint) if inferred == "auto" else None
    without_inferred = None
    if (holds is False or inferred == "no") and any(run.needs_inferred for run in runs):
        without_inferred = OxigraphStore.from_project(project, include_inferred=False,
                                                      include_external=include_external)
    # the endpoint's own graphs, counted: only when no dataset is sent (it would hide them)
    note = None if graphs else graph_count_note(endpoint, reference)
    report = check(endpoint, reference, runs, url, graphs, progress, known, without_inferred, holds)
    report.skipped = skipped
    report.notes = [note] if note else []
    return report


def row_text(row: tuple) -> str:
    """A canonical row as people read it: IRIs compacted, literals without quotes or datatype."""
    cells = []
    for cell in row:
        if cell.startswith("<") and cell.endswith(">"):
            cells.append(readable(cell[1:-1]))
        elif cell.startswith('"'):
            cells.append(cell[1:cell.rindex('"')] if cell.count('"') > 1 else cell)
        else:
            cells.append(cell or "-")
    text = ", ".join(cells)
    return f"({text if len(text) <= 160 else text[:159] + '…'})"


def first_difference(outcome: Outcome) -> str:
    if outcome.known_defect:
        return f"known engine defect: {outcome.known_defect}"
    if outcome.status in ("error", "timeout"):
        return outcome.message
    parts = []
    if outcome.missing:
        parts.append(f"missing {row_text(outcome.missing[0])}")
    if outcome.extra:
        parts.append(f"extra {row_text(outcome.extra[0])}")
    return "; ".join(parts)


def duration(seconds: float) -> str:
    """A time as a person reads it: milliseconds under a second (a query on Oxigraph takes a
    few), seconds above.

    >>> duration(0.0042), duration(0.25), duration(63.4)
    ('4 ms', '250 ms', '63.4 s')
    """
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def progress_line(i: int, total: int, outcome: Outcome) -> str:
    rows = "-" if outcome.found_rows is None else outcome.found_rows
    known = " (known engine defect)" if outcome.known_defect else ""
    return (f"[{i}/{total}] {outcome.query} ({outcome.label}): {outcome.status}{known}, "
            f"{rows}/{outcome.expected_rows} rows, {duration(outcome.seconds)}")


def table_rows(report: Report) -> list[dict]:
    """One row per query: the status of each run, the rows found/expected and the first difference."""
    rows = []
    for name, runs in report.by_query().items():
        worst = next((o for o in runs if o.status != "same"), runs[0])
        example_runs = [o for o in runs if o.label != "defaults"]
        rows.append({
            "query": name,
            "defaults": next((o.status for o in runs if o.label == "defaults"), ""),
            "examples": " ".join(o.status for o in example_runs) or "-",
            "rows": f"{'-' if worst.found_rows is None else worst.found_rows}/{worst.expected_rows}",
            "time": duration(sum(o.seconds for o in runs)),
            "first difference": (f"{worst.label}: {first_difference(worst)}" if worst.status != "same" else ""),
        })
    return rows


TABLE_COLUMNS = ["query", "defaults", "examples", "rows", "time", "first difference"]


def summary_line(report: Report) -> str:
    queries = report.by_query()
    counts = report.counts()
    others = ", ".join(f"{counts[s]} {s}" for s in STATUSES[1:] if counts.get(s))
    runs = len(report.outcomes)
    endpoint_seconds = sum(o.seconds for o in report.outcomes)
    reference_seconds = sum(o.reference_seconds for o in report.outcomes)
    known = len({o.query for o in report.outcomes if o.known_defect})
    if known:
        unexplained = len({o.query for o in report.unexplained})
        others += (f"; {'all ' if not unexplained else ''}{known} of them known defects of {report.engine.name} "
                   f"(queries/engine-defects.yaml)")
    plain = report.compared_without_inferred
    why = "the endpoint does not hold it" if report.holds_inferred is False else "as asked with --inferred no"
    return (f"{counts.get('same', 0)}/{len(queries)} queries same{' (' + others + ')' if others else ''} "
            f"({counted(runs, 'run')}) on {report.endpoint}; endpoint {duration(endpoint_seconds)}, "
            f"embedded store {duration(reference_seconds)}"
            + (f"; {', '.join(plain)} compared without inferred.ttl ({why})" if plain else ""))
