"""Replace a set of files as one unit (the release: ``ontology/all.ttl``, ``inferred.ttl``, ...).

No file system renames several files at once, so the switch is a redo log:

1. **stage**: every new file is written to a temporary file beside its target (same directory,
   so the rename cannot cross file systems), synced, with the target's permissions. Any
   failure here (no space, a read-only directory) removes the temporary files and raises:
   nothing was replaced.
2. **commit**: a journal (``.graphkit-build.journal`` in the project) lists every temporary
   file, its target and the SHA-256 of its content; it is written atomically and synced. From
   this moment the switch is decided.
3. **switch**: the temporary files are renamed over their targets in a fixed order; then the
   journal is removed.

A process killed during 3 leaves the journal: the next build, and every command that loads the
release (:func:`reading`), renames the rest and checks each target against the journal before
it reads anything; ``graphkit build --check`` reports a half-switched release as stale. A
process killed during 1 or 2 leaves temporary files and no journal: the old release is whole,
and the next build removes them (:func:`remove_stale`).

Two locks (``flock``, released by the kernel when their process dies, so a killed process
never leaves one behind): one build at a time holds ``.graphkit-build.lock`` (:class:`BuildLock`;
a second build stops at once with the pid of the first); steps 2 and 3 hold
``.graphkit-release.lock`` exclusively, and readers hold it shared while they read the files
(:func:`reading`), so a command that loads the release while a build switches it waits the
milliseconds of the renames and reads the old release or the new one, never a mix.

Test hook (for the fault-injection tests only, never set it otherwise): when the environment
variable ``GRAPHKIT_TEST_KILL_BUILD_AT`` names a point (``staged``, ``journaled``,
``renamed-N`` after the N-th rename, ``switched``), the process kills itself with SIGKILL there.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import EnvironmentProblem
from .fileio import TEMPORARY_SUFFIX, failure, fsync_directory, temporary_name, write_temporary

LOCK = ".graphkit-build.lock"
RELEASE_LOCK = ".graphkit-release.lock"
JOURNAL = ".graphkit-build.journal"
KILL_AT = "GRAPHKIT_TEST_KILL_BUILD_AT"


def _test_kill(point: str) -> None:
    if os.environ.get(KILL_AT) == point:
        os.kill(os.getpid(), signal.SIGKILL)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _relative(root: Path, path: Path) -> str:
    return os.path.relpath(path, root)


def _lock_file(path: Path, shared: bool = False) -> int:
    """The lock file opened (made if missing); for a ``shared`` lock, read-only when it cannot be
    written (a read-only mount: a reader's shared lock needs no write)."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        if not shared or not path.exists():
            raise failure(path, exc) from None
        return os.open(path, os.O_RDONLY)


class BuildLock:
    """An exclusive lock on the project's builds (a context manager): a second one fails at once."""

    def __init__(self, root: Path):
        self.path = Path(root) / LOCK
        self._fd: int | None = None

    def __enter__(self) -> "BuildLock":
        fd = _lock_file(self.path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            raise EnvironmentProblem(f"another graphkit build is running in {self.path.parent}"
                                     + (f" (pid {holder})" if holder else "") + "; wait for it to finish") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


@contextmanager
def release_lock(root: Path, exclusive: bool = False):
    """The release lock, exclusive (a switch) or shared (reading), waited for."""
    fd = _lock_file(Path(root) / RELEASE_LOCK, shared=not exclusive)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)            # releases the lock


@dataclass(frozen=True)
class Staged:
    temporary: Path
    target: Path
    sha256: str


def stage(texts: dict[Path, str | bytes]) -> list[Staged]:
    """Step 1: a synced temporary file beside each target (its directory created: the targets
    are declared products). Nothing is left behind when one fails."""
    staged: list[Staged] = []
    try:
        for target, text in texts.items():
            target = Path(target)
            data = text if isinstance(text, bytes) else text.encode("utf-8")
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                temporary = write_temporary(Path(os.path.realpath(target)), lambda tmp: tmp.write_bytes(data))
            except OSError as exc:
                raise failure(target, exc) from None
            staged.append(Staged(temporary, target, _sha256(data)))
    except BaseException:
        for item in staged:
            item.temporary.unlink(missing_ok=True)
        raise
    return staged


def replace_all(root: Path, texts: dict[Path, str]) -> None:
    """Replace every file of ``texts`` (path -> new text) as one unit; see the module documentation.
    The caller holds the :class:`BuildLock`."""
    root = Path(root)
    staged = stage(texts)
    _test_kill("staged")
    journal = root / JOURNAL
    entries = [{"temporary": _relative(root, s.temporary), "target": _relative(root, s.target), "sha256": s.sha256}
               for s in staged]
    try:
        with release_lock(root, exclusive=True):
            try:
                tmp = write_temporary(journal, lambda path: path.write_text(json.dumps({"files": entries}, indent=1)
                                                                            + "\n"))
                os.replace(tmp, journal)
                fsync_directory(root)
            except OSError as exc:
                raise failure(journal, exc) from None
            _test_kill("journaled")
            _roll_forward(root, journal)
    finally:
        if not pending(root):                # none is left after a switch; all of them after a failed commit
            for item in staged:
                item.temporary.unlink(missing_ok=True)


def complete_pending(root: Path) -> list[str]:
    """Complete a switch that a killed process left half-done; the targets it renamed."""
    if pending(root) is None:
        return []
    with release_lock(root, exclusive=True):
        journal = pending(root)               # another process may have completed it meanwhile
        return _roll_forward(Path(root), journal) if journal else []


def _roll_forward(root: Path, journal: Path) -> list[str]:
    """Step 3 (and the completion of an interrupted one): rename what is left, check every
    target against the journal, remove the journal. Returns the targets it renamed."""
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError) as exc:
        raise EnvironmentProblem(f"cannot read the build journal {journal}: {exc}; remove it and run "
                                 f"`graphkit build`") from None
    renamed = []
    try:
        for n, entry in enumerate(entries, 1):
            temporary, target = root / entry["temporary"], root / entry["target"]
            if temporary.exists():
                os.replace(temporary, os.path.realpath(target))
                renamed.append(entry["target"])
            _test_kill(f"renamed-{n}")
        for directory in sorted({Path(os.path.realpath(root / e["target"])).parent for e in entries}):
            fsync_directory(directory)
    except OSError as exc:
        raise EnvironmentProblem(f"the release is half-switched: cannot rename {exc.filename or ''}: "
                                 f"{exc.strerror or exc}; run `graphkit build` again (its journal "
                                 f"{JOURNAL} completes the switch)") from None
    _test_kill("switched")
    wrong = [e["target"] for e in entries
             if not (root / e["target"]).exists() or _sha256((root / e["target"]).read_bytes()) != e["sha256"]]
    journal.unlink()
    fsync_directory(root)
    if wrong:
        raise EnvironmentProblem(f"an interrupted build could not be completed ({', '.join(wrong)} changed since); "
                                 f"run `graphkit build`")
    return renamed


def pending(root: Path) -> Path | None:
    """The journal of a switch that did not finish, if there is one."""
    journal = Path(root) / JOURNAL
    return journal if journal.exists() else None


@contextmanager
def reading(root: Path):
    """Hold the release still while it is read (a context manager): a switch under way finishes
    first, one that a killed build left half-done is completed first."""
    root = Path(root)
    complete_pending(root)
    if not (root / RELEASE_LOCK).exists() and not os.access(root, os.W_OK):
        yield                                   # a read-only project: no build can switch it
        return
    with release_lock(root):
        yield


def remove_stale(targets, root: Path) -> list[Path]:
    """Remove temporary files that a killed build left beside ``targets`` (and its journal's).
    The caller holds the :class:`BuildLock`, so no build is writing them."""
    removed = []
    places = [Path(os.path.realpath(t)) for t in targets] + [Path(root) / JOURNAL]
    for target in places:
        if not target.parent.is_dir():
            continue
        for path in target.parent.glob(f"{temporary_name(target)}*{TEMPORARY_SUFFIX}"):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
