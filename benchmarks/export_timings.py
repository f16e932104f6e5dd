#!/usr/bin/env python3
"""The export timing table of docs/export.md: every export format on two selections of the
built graph (two hops around JMML in relapse stated by documents 001 and 004; the whole graph).

    .venv/bin/python benchmarks/export_timings.py              # measure, rewrite the table
    .venv/bin/python benchmarks/export_timings.py --no-write   # measure, print it only

Each export runs in this process as ``graphkit export`` runs it after loading (selection, a new
export context, the writer, the files written to a temporary directory), formats interleaved
round by round; each figure is the median CPU time of this process over the rounds (on a loaded
machine CPU time moves less than the wall clock; exports run on one core, so on an idle machine
the two agree). Opening the saved store and reading the NetworkX view kept beside it, which
every ``graphkit export`` does first, is measured once a round and given on its own. The
node and edge counts in the table are the selections' own (tests/test_docs_numbers.py checks
them against the release); the timings are the machine's and are never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import END, ROOT, machine, write_generated  # noqa: E402 (the benchmark script beside this one)

EXPORT_MD = ROOT / "docs" / "export.md"
START = "<!-- generated: benchmarks/export_timings.py writes from here -->"
JMML_DOCS = ["icd10_c93_32_page", "chang_2004_jmml_second_hsct"]
SELECTIONS = {
    "2 hops of JMML in relapse, documents 001 and 004": {"seeds": ["JMML in relapse"], "hops": 2,
                                                          "sources": JMML_DOCS},
    "whole graph": {},
}


def cpu_seconds(work) -> tuple[float, object]:
    started = time.process_time()
    result = work()
    return time.process_time() - started, result


def measure(rounds: int, pictures_whole: int) -> dict:
    from graphkit import nxview
    from graphkit.export import FORMATS, Context, render, write
    from graphkit.project import Project
    from graphkit.select import Selection, select
    from graphkit.store import OxigraphStore

    project = Project.locate(ROOT)
    loads, times = [], {name: {fmt: [] for fmt in FORMATS} for name in SELECTIONS}
    counts = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(rounds + 1):                      # round 0 warms up (imports, caches) and is not counted
            # As `graphkit export` does: the saved store opened, its view read back (round 0 builds it).
            took, (store, view) = cpu_seconds(lambda: (lambda s: (s, nxview.from_store(s)))(
                OxigraphStore.saved(project)))
            if n:
                loads.append(took)
            for name, selection in SELECTIONS.items():
                sub = select(view, Selection(**selection), store, [])
                counts[name] = (sub.number_of_nodes(), sub.number_of_edges())
                for fmt_name, fmt in FORMATS.items():
                    large_picture = fmt.picture and not selection      # the small pictures warm matplotlib up
                    if n > (pictures_whole if large_picture else rounds) or (n == 0 and large_picture):
                        continue
                    where = Path(tmp) / f"{n}-{list(SELECTIONS).index(name)}-{fmt_name}"
                    output = str(where / ("out" if fmt.files else f"out.{fmt_name}"))
                    took, _ = cpu_seconds(lambda: write(fmt, render(fmt, sub, Context(view, store, progress=False)),
                                                        output, mkdir=True))
                    if n:
                        times[name][fmt_name].append(took)
            print(f"round {n} of {rounds} done", file=sys.stderr, flush=True)
    return {"load_s": statistics.median(loads), "counts": counts, "rounds": rounds,
            "times": {name: {fmt: statistics.median(ts) for fmt, ts in by_format.items() if ts}
                      for name, by_format in times.items()},
            "runs": {name: {fmt: len(ts) for fmt, ts in by_format.items()} for name, by_format in times.items()},
            "cpu": machine()["cpu"], "date": time.strftime("%Y-%m-%d"), "load_average": os.getloadavg()[0]}


def seconds(value: float) -> str:
    if value < 0.01:
        return "<0.01 s"
    return f"{value:.2f} s" if value < 1 else f"{value:.1f} s"


def table(result: dict) -> str:
    formats = list(next(iter(result["times"].values())))
    lines = [START, "",
             f"Measured on {result['date']} with `python benchmarks/export_timings.py` on {result['cpu']} (load average "
             f"{result['load_average']:.1f}): CPU time of each export after loading, the median of "
             f"{result['rounds']} rounds (pictures of the whole graph: "
             f"{result['runs']['whole graph'].get('png', 0)}). Opening the saved store and reading the view "
             f"kept beside it (`graphkit.viewcache`), which every `graphkit export` does first, took "
             f"{seconds(result['load_s'])} (building the view, once per release, about a second).", "",
             "| selection | " + " | ".join(formats) + " |", "|---|" + "---|" * len(formats)]
    for name, by_format in result["times"].items():
        nodes, edges = result["counts"][name]
        lines.append(f"| {name} ({nodes:,} nodes, {edges:,} edges) | "
                     + " | ".join(seconds(by_format[f]) if f in by_format else "–" for f in formats) + " |")
    return "\n".join(lines + ["", END]) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every format (default 3)")
    parser.add_argument("--picture-rounds", type=int, default=1,
                        help="rounds of the pictures (png, svg) of the whole graph, which take long (default 1)")
    parser.add_argument("--no-write", action="store_true", help="print the table, do not rewrite docs/export.md")
    args = parser.parse_args(argv)
    text = table(measure(args.rounds, args.picture_rounds))
    if args.no_write:
        print(text)
    else:
        write_generated(EXPORT_MD, text, START, heading="# Export")
        print(f"wrote the table in {EXPORT_MD.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
