"""tools/catalogue_check.py, the developer's loop for rewriting catalogue queries: its ``plan``
check shows the operators pyoxigraph's engine runs for one query, with the rows each gave, and its
``timings`` check the planning time beside the whole."""

import subprocess
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "catalogue_check.py"


def tool(*args) -> str:
    proc = subprocess.run([sys.executable, str(TOOL), *args], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("params, rows", [([], 34), (["--param", "entity=jmml"], 4)])
@pytest.mark.slow
def test_the_plan_of_a_query_shows_its_operators_and_the_rows_each_gave(params, rows):
    lines = tool("plan", "subtypes-of", *params).splitlines()
    assert lines[0].startswith("planning ") and lines[0].endswith(" ms")
    # The root is the query's projection, with as many rows as the query answers (the 23 subtypes
    # and states of ALL the documents give; JMML's four states: in relapse, relapsed after HSCT,
    # in early relapse after HSCT, with autologous recovery after HSCT), and the subtype path is read.
    assert lines[1].startswith(f"Project(?subtype, ?label, ?relation)  [{rows} rows, ")
    assert any(line.lstrip().startswith("Path(?subtype ") for line in lines)
    assert all(line.endswith(" ms]") for line in lines[1:])


@pytest.mark.slow
def test_an_unknown_query_is_named():
    proc = subprocess.run([sys.executable, str(TOOL), "plan", "subtypes-off"], capture_output=True, text=True)
    assert proc.returncode == 1 and "no catalogue query 'subtypes-off'" in proc.stderr


def test_timings_give_the_planning_time_beside_the_whole():
    lines = tool("timings", "--only", "subtypes-of", "--repeat", "2", "--warmup", "1").splitlines()
    assert lines[0].split() == ["wall", "cpu", "plan", "(median", "ms;", "plan:", "the", "same", "text", "on",
                                "an", "empty", "store)"]
    # One line per run (its defaults and its example), slowest first, so in either order.
    runs = {}
    for line in lines[1:3]:
        wall, cpu, plan, *label = line.split()
        runs[" ".join(label)] = (float(wall), float(plan))
    assert sorted(runs) == ["subtypes-of (defaults)", "subtypes-of (example)"]
    assert all(plan > 0 and wall > 0 for wall, plan in runs.values())
