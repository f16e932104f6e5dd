"""The benchmark report in docs/benchmarks.md and its summary in the README are what
benchmarks/run.py renders from benchmarks/results.json: nobody edits the numbers by hand, and a
change to the renderer is followed by `python benchmarks/run.py --render`. The timings are the
machine's and are never checked here."""

from __future__ import annotations

import importlib.util
import json

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("benchmark_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def results(bench):
    return json.loads(bench.RESULTS_JSON.read_text(encoding="utf-8"))


def _generated(path, start, end) -> str:
    text = path.read_text(encoding="utf-8")
    assert text.count(start) == 1, f"{path.name}: one generated block"
    return start + text.split(start, 1)[1].split(end, 1)[0] + end + "\n"


def test_docs_benchmarks_is_rendered_from_the_results(bench, results):
    assert _generated(bench.REPORT_MD, bench.START, bench.END) == bench.render(results), \
        "run: python benchmarks/run.py --render"


def test_readme_summary_is_rendered_from_the_results(bench, results):
    summary = _generated(bench.README_MD, bench.README_START, bench.END)
    assert summary == bench.render_summary(results), "run: python benchmarks/run.py --render"
    # Every target the run measured is in the summary, with its verdict.
    targets = bench.targets_of(results)
    assert len(targets) >= len(bench.TARGETS)
    for target, _, hit in targets:
        assert f"| {target} |" in summary
        assert f"| {'hit' if hit else '**missed**'} |" in summary
    assert summary.count("| hit |") + summary.count("| **missed** |") == len(targets)


def test_a_file_without_the_markers_is_never_replaced(bench, tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "ROOT", tmp_path)
    page = tmp_path / "README.md"
    page.write_text("# Written by hand\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="README.md: no '<!-- generated"):
        bench.write_generated(page, "the summary", start=bench.README_START)
    assert page.read_text(encoding="utf-8") == "# Written by hand\n"
