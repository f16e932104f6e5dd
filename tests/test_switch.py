"""The release is replaced as one unit: a build killed at any point, a full disk, a read-only
directory or a second build at the same time leave the old release or the new one, never a mix,
and no temporary file after the next build; permissions are kept; ``build --check`` reports a
half-switched release.

Builds are of copies of the mini project; the new release differs from the old one in every
product but the property shapes (a statement removed). Killed builds run in a subprocess that
kills itself at a named point (``GRAPHKIT_TEST_KILL_BUILD_AT``, a test-only hook; slow tier)."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest
from rdflib import BNode

from graphkit import switch
from graphkit.build import build
from graphkit.project import Project
from graphkit.store import release_quads

from .conftest import ROOT
from .faults import fill, read_only, tmpfs

STATEMENTS = "ontology/curation/statements/004_chang_2004_jmml_second_hsct.yaml"
REMOVED = """  - s: jmml
    p: subtypeOf
    o: myeloproliferative_disease
    quote: "Juvenile myelomonocytic leukemia (JMML) is a rare clonal myeloproliferative disease in young childhood."
"""


def products(project: Project) -> dict[str, bytes]:
    return {p.path: (project.root / p.path).read_bytes() for p in project.config.products}


def leftovers(project: Project) -> list[str]:
    """Temporary files and journals anywhere in the project."""
    return sorted(str(p.relative_to(project.root)) for p in project.root.rglob("*")
                  if p.name.endswith(".tmp") or p.name == switch.JOURNAL)


def change_curation(project: Project) -> None:
    path = project.root / STATEMENTS
    text = path.read_text(encoding="utf-8")
    assert REMOVED in text
    path.write_text(text.replace(REMOVED, "", 1), encoding="utf-8")


@pytest.fixture
def releases(mini, tmp_path):
    """(mini project holding the old release with the curation of the new one, old products,
    new products)."""
    old = products(mini)
    fresh = tmp_path / "fresh"
    shutil.copytree(mini.root, fresh)
    change_curation(Project(fresh))
    build(Project(fresh))
    new = products(Project(fresh))
    assert [path for path in old if old[path] != new[path]] == ["ontology/all.ttl", "ontology/inferred.ttl",
                                                                 "docs/coverage.md"]
    change_curation(mini)
    return mini, old, new


def test_a_build_keeps_permissions_and_removes_stale_temporary_files(mini, cli):
    mini.all_ttl.chmod(0o664)
    mini.coverage_report.chmod(0o600)
    stale = [mini.all_ttl.parent / ".all.ttl.k1ll3d.tmp", mini.coverage_report.parent / ".coverage.md.x.tmp"]
    for path in stale:
        path.write_bytes(b"half a file")
    result = cli("build", root=mini.root)
    assert result.code == 0, result
    assert stat.S_IMODE(mini.all_ttl.stat().st_mode) == 0o664
    assert stat.S_IMODE(mini.coverage_report.stat().st_mode) == 0o600
    assert stat.S_IMODE(mini.inferred_ttl.stat().st_mode) == 0o644
    assert leftovers(mini) == []


def test_a_failure_while_staging_replaces_nothing(releases, monkeypatch, cli):
    """No space for the third product: nothing is replaced, no temporary file is left."""
    mini, old, _ = releases
    real = switch.write_temporary
    calls = []

    def third_fails(target, write):
        calls.append(target)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(target, write)

    monkeypatch.setattr(switch, "write_temporary", third_fails)
    result = cli("build", root=mini.root)
    assert result.code == 3, result
    assert result.err == f"graphkit build: cannot write {mini.root / 'ontology/shapes-properties.ttl'}: " \
                         f"No space left on device\n"
    assert products(mini) == old and leftovers(mini) == []


def test_an_interrupted_switch_is_reported_by_check_and_completed_by_the_next_reader(releases, monkeypatch, cli):
    """A build that dies after its first rename (simulated in process: the hook raises where the
    real hook kills) leaves its journal: --check says so; the next command that loads the
    release completes the switch first."""
    mini, old, new = releases

    class Died(BaseException):
        pass

    def die(point):
        if point == "renamed-1":
            raise Died

    monkeypatch.setattr(switch, "_test_kill", die)
    with pytest.raises(Died):
        build(mini)
    monkeypatch.undo()
    state = products(mini)
    assert state["ontology/all.ttl"] == new["ontology/all.ttl"] and state["docs/coverage.md"] == old["docs/coverage.md"]
    check = cli("build", "--check", root=mini.root)
    assert check.code == 1 and "half-switched" in check.err, check
    answer = cli("sparql", "-", "--format", "csv", root=mini.root, input="ASK { ?s ?p ?o }")
    assert answer.code == 0, answer
    assert products(mini) == new and leftovers(mini) == []
    assert cli("build", "--check", root=mini.root).code == 0


def test_check_detects_a_mix_made_by_hand(releases, cli):
    mini, old, new = releases
    assert cli("build", root=mini.root).code == 0 and products(mini) == new
    (mini.root / "ontology/inferred.ttl").write_bytes(old["ontology/inferred.ttl"])     # an old product put back
    check = cli("build", "--check", root=mini.root)
    assert check.code == 1 and "stale build output" in check.err and "ontology/inferred.ttl" in check.err


def test_a_reader_waits_for_a_switch_under_way(releases):
    """A command that loads the release while a build renames its files (here: the test holds
    the release lock, as a build does between its renames) reads after the switch, never a mix."""
    mini, old, new = releases
    done: list = []

    def read():
        quads = list(release_quads(mini, include_imports=False, include_external=False))
        done.append((time.monotonic(), quads))

    with switch.release_lock(mini.root, exclusive=True):
        (mini.root / "ontology/all.ttl").write_bytes(new["ontology/all.ttl"])        # renamed: 1 of 2
        reader = threading.Thread(target=read)
        reader.start()
        reader.join(timeout=1.0)
        assert reader.is_alive() and done == []                                      # waiting
        (mini.root / "ontology/inferred.ttl").write_bytes(new["ontology/inferred.ttl"])  # renamed: 2 of 2
        switched = time.monotonic()
    reader.join(timeout=60)
    [(finished, quads)] = done
    assert finished > switched

    def named(quads):                   # blank nodes get new labels at every parse
        return {q for q in quads if not any(isinstance(term, BNode) for term in q)}

    assert named(quads) == named(release_quads(mini, include_imports=False, include_external=False))


def test_one_build_at_a_time(mini, cli):
    before = products(mini)
    with switch.BuildLock(mini.root):
        result = cli("build", root=mini.root)
    assert result.code == 3
    assert result.err == (f"graphkit build: another graphkit build is running in {mini.root} (pid {os.getpid()}); "
                          f"wait for it to finish\n")
    assert products(mini) == before
    assert cli("build", root=mini.root).code == 0                     # the lock went with its holder


def test_a_read_only_directory(releases, cli):
    mini, old, _ = releases
    docs = mini.coverage_report.parent
    saved = docs.parent / "docs-saved"
    shutil.move(docs, saved)
    with tmpfs(docs, 256):
        shutil.copy2(saved / mini.coverage_report.name, docs)
        read_only(docs)
        result = cli("build", root=mini.root)
        assert result.code == 3, result
        assert result.err == f"graphkit build: cannot write {mini.coverage_report}: Read-only file system\n"
        assert products(mini) == old and leftovers(mini) == []


def test_a_full_disk(releases, tmp_path, cli):
    _, old, _ = releases
    with tmpfs(tmp_path / "small", 2048) as small:
        shutil.copytree(releases[0].root, small / "project")
        mini = Project(small / "project")
        fill(small, leave_bytes=64 * 1024)        # room for the lock and a part of all.ttl
        result = cli("build", root=mini.root)
        assert result.code == 3, result
        assert result.err.startswith("graphkit build: cannot write ") and \
            result.err.endswith(": No space left on device\n") and len(result.err.splitlines()) == 1
        assert products(mini) == old and leftovers(mini) == []


# ---------------------------------------------------------------------------------------------
# Real kills (slow): the build process kills itself with SIGKILL at each point of the switch


def build_process(project: Project, kill_at: str | None = None, check: bool = False) -> subprocess.CompletedProcess:
    env = dict(os.environ, GRAPHKIT_ROOT=str(project.root))
    env.pop(switch.KILL_AT, None)
    if kill_at:
        env[switch.KILL_AT] = kill_at
    return subprocess.run([sys.executable, "-m", "graphkit", "build", *(["--check"] if check else [])],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


KILL_POINTS = ["staged", "journaled", "renamed-1", "renamed-2", "renamed-3", "switched"]


@pytest.mark.slow
@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_build_killed_at_any_point_leaves_old_or_new(releases, point):
    mini, old, new = releases
    killed = build_process(mini, point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if point in ("staged", "journaled"):
        assert products(mini) == old                        # nothing renamed yet
    assert build_process(mini, check=True).returncode == 1  # stale or half-switched: never "up to date"
    again = build_process(mini)
    assert again.returncode == 0, again.stderr
    assert products(mini) == new and leftovers(mini) == []
    renames_left = point not in ("staged", "switched")       # the journal lists files still to rename
    assert ("completed the release an interrupted build had half-switched" in again.stderr) == renames_left


@pytest.mark.slow
def test_two_builds_at_once(releases):
    mini, _, new = releases
    env = dict(os.environ, GRAPHKIT_ROOT=str(mini.root))
    processes = [subprocess.Popen([sys.executable, "-m", "graphkit", "build"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT) for _ in range(2)]
    outcomes = sorted((p.wait(timeout=300), p.stderr.read()) for p in processes)
    for p in processes:
        p.stdout.close()
        p.stderr.close()
    codes = [code for code, _ in outcomes]
    assert codes in ([0, 0], [0, 3]), outcomes              # the second waits for nothing: it stops at once
    if codes == [0, 3]:
        assert "another graphkit build is running in" in outcomes[1][1]
    assert products(mini) == new and leftovers(mini) == []


def test_a_read_only_project_can_be_read(mini, tmp_path, cli):
    """On a read-only mount, query, validate and export had failed: "cannot write
    .graphkit-release.lock: Read-only file system", though the lock file was there; a reader's
    shared lock needs no write."""
    with tmpfs(tmp_path / "ro", 32768) as mount:
        project, cache = mount / "project", {"GRAPHKIT_CACHE": str(mount / "cache")}
        shutil.copytree(mini.root, project)
        assert cli("sparql", "ASK { ?s ?p ?o }", root=project, env=cache).code == 0
        assert (project / switch.RELEASE_LOCK).exists()
        os.utime(project / "ontology" / "all.ttl")     # as a checkout leaves it: the saved store's index is stale
        read_only(mount)
        asked = cli("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s a gk:Evidence }", "--format", "csv", root=project,
                    env=cache)
        assert asked.code == 0 and asked.out.splitlines()[1].isdigit(), asked
        built = cli("build", root=project)
        assert built.code == 3 and "Read-only file system" in built.err, built
