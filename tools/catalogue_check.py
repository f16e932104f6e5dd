#!/usr/bin/env python3
"""The query catalogue on other engines and without the inferred graph, and its timings: the
developer's loop for rewriting ``queries/*.rq`` (issue 13: same answers on every engine; issue 15:
every query under 5 ms on the embedded store).

    .venv/bin/python tools/catalogue_check.py plain                  # without inferred.ttl vs with
    .venv/bin/python tools/catalogue_check.py engines virtuoso       # Virtuoso 7.2 vs the embedded store
    .venv/bin/python tools/catalogue_check.py engines comunica oxigraph --only subtypes-of
    .venv/bin/python tools/catalogue_check.py timings --repeat 15    # medians on the embedded store
    .venv/bin/python tools/catalogue_check.py plan treatments-for-condition --param condition=jmml

Every query runs with its defaults and with each documented example (the ``graphkit query`` lines
of its header), the runs and the comparison of ``graphkit conformance`` (which checks a running
endpoint: ``graphkit conformance --endpoint URL``). Answers are compared as row multisets by :meth:`graphkit.store.Results.canonical`
(GROUP_CONCAT members sorted, an empty GROUP_CONCAT read as unbound, ``xsd:string`` read as plain).
The engines come from ``tools/engines`` (which the slow tests in ``tests/engines`` use too): servers of their own on 127.0.0.1,
loaded with exactly the named graphs of the embedded store, stopped afterwards. Virtuoso runs
twice, without ``default-graph-uri`` and with the release's graphs as default graphs.

Timings are medians after warm-up, each query's runs interleaved with the others'; they are
printed, never asserted (the benchmark script holds the targets). Their "plan" column is the same
text on an empty store: parsing and planning, which pyoxigraph does again for every call and
which is a third to a half of the slowest queries' time.

``plan`` shows what pyoxigraph's engine does with one run: the Oxigraph command's ``query
--explain --stats`` on an on-disk copy of the embedded store, each operator with the rows it gave.
What to look for (docs/engines-findings.md, "Seventh round": the planner's rules): an OPTIONAL as
``LeftJoin(HashBuildRightProbeLeft)`` is evaluated on its own over the whole graph and then
joined, as ``ForLoopLeftJoin`` row by row; a ``Join(HashBuild...)`` side is evaluated once without
the other side's bindings; a ``Lateral`` right side runs for each row of its left.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphkit import conformance  # noqa: E402
from graphkit.catalogue import load_catalogue, prepare  # noqa: E402
from graphkit.catalogue.files import parse_params  # noqa: E402
from graphkit.project import Project  # noqa: E402
from graphkit.server import oxigraph_binary  # noqa: E402
from graphkit.store import OxigraphStore  # noqa: E402


QUERIES_DIR = None       # --queries: another catalogue's files (e.g. an earlier version) on this release


def catalogue_runs(project, store, only=()) -> list:
    """The runs :mod:`graphkit.conformance` makes of the catalogue (each query with its defaults
    and each example that binds another text), of the queries named in ``only`` (all if none)."""
    queries = load_catalogue(QUERIES_DIR or project.queries_dir)
    return conformance.catalogue_runs({name: q for name, q in queries.items() if not only or name in only}, store)


def compare(project, reference, other, only=(), show=3) -> Counter:
    """Run every catalogue run on ``reference`` and ``other`` (stores) as ``graphkit
    conformance`` does; print one line per run that differs or fails; return the counts."""
    counts = Counter()
    for run in catalogue_runs(project, reference, only):
        outcome = conformance.run_one(run, other, reference)
        counts[outcome.status] += 1
        label = f"{run.query} ({run.label})"
        if outcome.status in ("error", "timeout"):
            print(f"  {outcome.status.upper()}  {label}: {outcome.message}")
        elif outcome.status != "same":
            print(f"  DIFFER {label}: {outcome.found_rows} rows vs {outcome.expected_rows} ({outcome.seconds:.2f} s)")
            for row in outcome.missing[:show]:
                print(f"      missing {row}")
            for row in outcome.extra[:show]:
                print(f"      extra   {row}")
    print("  => " + ", ".join(f"{status} {counts[status]}" for status in conformance.STATUSES))
    return counts


def check_plain(project, only) -> None:
    full = OxigraphStore.from_project(project, include_external=False)
    plain = OxigraphStore.from_project(project, include_inferred=False, include_external=False)
    print("embedded store without inferred.ttl vs with it")
    compare(project, full, plain, only)


def check_engines(project, engines, only, inferred: bool) -> None:
    from tools.engines.comunica import ComunicaServer
    from tools.engines.oxigraph import OxigraphProcess
    from tools.engines.release import release_graph_files
    from tools.engines.virtuoso import VirtuosoServer

    servers = {"virtuoso": VirtuosoServer, "comunica": ComunicaServer, "oxigraph": OxigraphProcess}
    reference = OxigraphStore.from_project(project, include_inferred=inferred, include_external=False)
    with tempfile.TemporaryDirectory(prefix="graphkit-catalogue-check-") as directory:
        files = release_graph_files(project, Path(directory), inferred=inferred)
        for engine in engines:
            started = time.perf_counter()
            with servers[engine](files) as server:
                print(f"{engine} (loaded in {time.perf_counter() - started:.1f} s; inferred graph: {inferred})")
                modes = [[], list(files)] if engine == "virtuoso" else [[]]
                for default_graphs in modes:
                    if engine == "virtuoso":
                        print(f" default-graph-uri: {len(default_graphs) or 'none'}")
                    started = time.perf_counter()
                    compare(project, reference, server.store(default_graphs, timeout=600), only)
                    print(f"  catalogue in {time.perf_counter() - started:.1f} s")


def timings(project, only, repeat: int, warmup: int) -> None:
    """Median wall and CPU time of each run (CPU time: the process's own, which a machine shared
    with other work inflates less than wall time)."""
    store = OxigraphStore.from_project(project, include_external=False)
    empty = OxigraphStore()
    runs = [(f"{run.query} ({run.label})", run.text) for run in catalogue_runs(project, store, only)]
    wall = {label: [] for label, _ in runs}
    cpu = {label: [] for label, _ in runs}
    planning = {label: [] for label, _ in runs}
    for round_ in range(warmup + repeat):
        for label, text in runs:
            started, started_cpu = time.perf_counter(), time.process_time()
            store.query(text)
            if round_ >= warmup:
                wall[label].append((time.perf_counter() - started) * 1000)
                cpu[label].append((time.process_time() - started_cpu) * 1000)
            started = time.perf_counter()
            empty.query(text)
            if round_ >= warmup:
                planning[label].append((time.perf_counter() - started) * 1000)
    medians = {label: (statistics.median(wall[label]), statistics.median(cpu[label]),
                       statistics.median(planning[label])) for label in wall}
    print("    wall      cpu     plan   (median ms; plan: the same text on an empty store)")
    for label, (median, median_cpu, median_plan) in sorted(medians.items(), key=lambda item: -item[1][1]):
        print(f"{median:8.2f} {median_cpu:8.2f} {median_plan:8.2f}  {label}")
    for index, what in ((0, "wall"), (1, "cpu")):
        values = sorted(m[index] for m in medians.values())
        print(f"{what}: runs {len(values)}; max {values[-1]:.2f} ms; p50 {statistics.median(values):.2f} ms; "
              f"over 5 ms: {sum(v > 5 for v in values)}; total {sum(values):.1f} ms")


def explain(project, name: str, params: dict) -> str:
    """The Oxigraph command's plan of one catalogue run on an on-disk copy of the embedded store,
    as an indented tree: each operator with the rows it gave and its time (on disk, and with the
    statistics on: slower than in memory; compare rows and operators, not milliseconds)."""
    import json
    import subprocess

    import pyoxigraph as ox

    store = OxigraphStore.from_project(project, include_external=False)
    queries = load_catalogue(QUERIES_DIR or project.queries_dir)
    if name not in queries:
        raise SystemExit(f"no catalogue query {name!r}")
    text = prepare(queries[name], store, params).text
    with tempfile.TemporaryDirectory(prefix="graphkit-plan-") as directory:
        directory = Path(directory)
        disk = ox.Store(str(directory / "db"))
        disk.bulk_load(store.ox.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        disk.flush()
        del disk                                     # closed: the command opens the database itself
        (directory / "query.rq").write_text(text, encoding="utf-8")
        command = [oxigraph_binary(), "query", "--location", str(directory / "db"), "--union-default-graph",
                   "--query-file", str(directory / "query.rq"), "--results-format", "tsv",
                   "--explain-file", str(directory / "plan.json"), "--stats"]
        for _ in range(2):                           # the second run finds the files in the OS cache
            subprocess.run(command, check=True, capture_output=True, timeout=600)
        plan = json.loads((directory / "plan.json").read_text(encoding="utf-8"))
    lines = [f"planning {plan['planning duration in seconds'] * 1000:.2f} ms"]

    def walk(node, depth):
        lines.append(f"{'  ' * depth}{node['name']}  [{node.get('number of results')} rows, "
                     f"{node.get('duration in seconds', 0) * 1000:.2f} ms]")
        for child in node.get("children", []):
            walk(child, depth + 1)

    walk(plan["plan"], 0)
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("check", choices=["plain", "engines", "timings", "plan"])
    parser.add_argument("engines", nargs="*", default=[],
                        help="engines: virtuoso, comunica, oxigraph; plan: the query's name")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="plan: a parameter of the query (repeatable)")
    parser.add_argument("--only", action="append", default=[], help="a query name (repeatable)")
    parser.add_argument("--no-inferred", action="store_true", help="engines: load and compare without inferred.ttl")
    parser.add_argument("--repeat", type=int, default=9, help="timings: measured runs per query")
    parser.add_argument("--warmup", type=int, default=3, help="timings: runs per query not counted")
    parser.add_argument("--queries", type=Path, help="the .rq files of this folder instead of queries/")
    args = parser.parse_args(argv)
    global QUERIES_DIR
    QUERIES_DIR = args.queries
    project = Project.locate(ROOT)
    if args.check == "plain":
        check_plain(project, args.only)
    elif args.check == "engines":
        check_engines(project, args.engines or ["virtuoso"], args.only, inferred=not args.no_inferred)
    elif args.check == "plan":
        if len(args.engines) != 1:
            parser.error("plan takes one query name")
        print(explain(project, args.engines[0], parse_params(args.param)))
    else:
        timings(project, args.only, args.repeat, args.warmup)
    return 0


if __name__ == "__main__":
    sys.exit(main())
