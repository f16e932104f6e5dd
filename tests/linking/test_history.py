"""The SSSOM mapping_date of an xref: the day since which the committed registry has stated it
as it is (graphkit.linking.history), in a git repository made here."""

from __future__ import annotations

import datetime
import os
import subprocess

import pytest

from graphkit.linking.history import CACHE_FILE, xref_dates
from graphkit.schema import Schema
from loaders.registry import load_registry

from ..conftest import ROOT

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="git is not installed")

FEVER = "  - {id: fever, type: Phenotype, label: fever%s, xrefs: [{id: HP:0001945, justification: lexical}]}\n"
PALLOR = "  - {id: pallor, type: Phenotype, label: pallor, xrefs: [{id: HP:0000980%s}]}\n"


@pytest.fixture()
def repo(tmp_path):
    (tmp_path / "entities").mkdir()

    def git(*args, day=None):
        env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        if day:
            env.update(GIT_AUTHOR_DATE=f"{day}T12:00:00Z", GIT_COMMITTER_DATE=f"{day}T12:00:00Z")
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=tmp_path,
                       env=env, check=True, capture_output=True)

    def write(name, *entities):
        (tmp_path / "entities" / name).write_text("entities:\n" + "".join(entities), encoding="utf-8")

    git("init", "-q", "-b", "main")
    return tmp_path, git, write


def _dates(root):
    registry = load_registry(root / "entities", Schema.load(ROOT / "ontology" / "schema.ttl"), root)
    return xref_dates(root, registry.values())


def test_an_xref_keeps_its_day_when_the_rest_of_its_line_changes(repo):
    root, git, write = repo
    write("phenotypes.yaml", FEVER % "", PALLOR % "")
    git("add", "-A"), git("commit", "-qm", "first", day="2026-11-01")
    # a synonym on fever's one line (git blame re-dated its xref), pallor's match judged again
    write("phenotypes.yaml", FEVER % ", synonyms: [pyrexia]", PALLOR % ", match: close, note: pale skin")
    git("commit", "-qam", "second", day="2026-11-05")
    assert _dates(root) == {("fever", "HP:0001945"): "2026-11-01", ("pallor", "HP:0000980"): "2026-11-05"}
    # moved to another file in one commit: the same xrefs, the same days
    write("phenotypes.yaml", PALLOR % ", match: close, note: pale skin")
    write("signs.yaml", FEVER % ", synonyms: [pyrexia]")
    git("add", "-A"), git("commit", "-qm", "move", day="2026-11-09")
    assert _dates(root) == {("fever", "HP:0001945"): "2026-11-01", ("pallor", "HP:0000980"): "2026-11-05"}
    # changed and not committed: not asserted yet
    write("signs.yaml", FEVER.replace("lexical", "manual") % "")
    assert _dates(root) == {("pallor", "HP:0000980"): "2026-11-05"}


def test_a_merged_branch_keeps_the_day_of_its_own_commit(repo):
    """History is not a line: replayed in commit order, a side branch's version of a file hid what
    the main line had changed in it, and the merge then re-dated it (29 rows were re-dated so)."""
    root, git, write = repo
    anemia = "  - {id: anemia, type: Phenotype, label: anemia}\n"
    write("phenotypes.yaml", FEVER % "", anemia)
    git("add", "-A"), git("commit", "-qm", "first", day="2026-11-01")
    git("checkout", "-qb", "side")
    write("phenotypes.yaml", FEVER % "", anemia, PALLOR % "")
    git("commit", "-qam", "pallor on a branch", day="2026-11-03")
    git("checkout", "-q", "main")
    write("phenotypes.yaml", FEVER.replace("lexical", "manual") % "", anemia)
    git("commit", "-qam", "fever's xref judged again on main", day="2026-11-04")
    git("merge", "-q", "--no-edit", "side", day="2026-11-07")
    assert (root / "entities" / "phenotypes.yaml").read_text(encoding="utf-8").count("  - {id: ") == 3   # merged
    assert _dates(root) == {("fever", "HP:0001945"): "2026-11-04", ("pallor", "HP:0000980"): "2026-11-03"}


def test_outside_a_git_checkout_there_are_no_dates(tmp_path):
    (tmp_path / "entities").mkdir()
    (tmp_path / "entities" / "phenotypes.yaml").write_text("entities:\n" + FEVER % "", encoding="utf-8")
    assert _dates(tmp_path) == {}


def test_the_reading_is_kept_for_the_commit_and_read_again_after_the_next(repo, tmp_path_factory):
    root, git, write = repo
    cache = tmp_path_factory.mktemp("cache")
    registry = lambda: load_registry(root / "entities", Schema.load(ROOT / "ontology" / "schema.ttl"), root)  # noqa: E731
    write("phenotypes.yaml", FEVER % "", PALLOR % "")
    git("add", "-A"), git("commit", "-qm", "first", day="2026-11-01")
    first = {("fever", "HP:0001945"): "2026-11-01", ("pallor", "HP:0000980"): "2026-11-01"}
    assert xref_dates(root, registry().values(), cache) == first
    kept = (cache / CACHE_FILE).read_text(encoding="utf-8")
    # the kept reading answers without the history: a kept day, changed by hand, is what comes back
    (cache / CACHE_FILE).write_text(kept.replace(str(_time("2026-11-01")), str(_time("2020-01-02")), 1),
                                    encoding="utf-8")
    assert "2020-01-02" in xref_dates(root, registry().values(), cache).values()
    # a new commit is read from its history, and kept in place of the last
    write("phenotypes.yaml", FEVER % "", PALLOR % ", match: close")
    git("commit", "-qam", "second", day="2026-11-05")
    second = {("fever", "HP:0001945"): "2026-11-01", ("pallor", "HP:0000980"): "2026-11-05"}
    assert xref_dates(root, registry().values(), cache) == second
    # a damaged cache is read past, and an unwritable one only costs the reading
    (cache / CACHE_FILE).write_text("{not json", encoding="utf-8")
    assert xref_dates(root, registry().values(), cache) == second
    assert xref_dates(root, registry().values(), cache / CACHE_FILE / "inside-a-file") == second


def _time(day: str) -> int:
    return int(datetime.datetime.fromisoformat(f"{day}T12:00:00+00:00").timestamp())
