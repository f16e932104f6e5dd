"""The embedded store saved on disk: loaded once per release, opened read-only by every command.

Parsing the release (and a large external ontology such as the full HPO) on every command costs
more than everything else a query does; a pyoxigraph database on disk opens in milliseconds. The
saved stores live in the project's cache directory (git-ignored; ``$GRAPHKIT_CACHE`` moves it)::

    .graphkit-cache/store/<key>/db/            the pyoxigraph (RocksDB) database
    .graphkit-cache/store/<key>/graphkit.json  what it holds: the inputs' digests, superseded imports
    .graphkit-cache/store/<key>/lock           held shared by every process reading the store
    .graphkit-cache/store/<key>/views/         NetworkX views built from it (graphkit.viewcache)
    .graphkit-cache/store/index.json           each variant's inputs as file stamps -> its key

``key`` is a SHA-256 of the contents of the inputs (:func:`fingerprint`: the release files, the
import modules, the external ontologies of ``graphkit load-external``) and of the store's layout,
so a store is never used for other inputs. A command compares the inputs' stamps (path, size,
mtime, inode) with the index, which costs a few ``stat`` calls; only when they differ does it hash
the files, and only when the hash is new does it load a store.

A build after an edit makes the new release's store from a copy of the last one (its table files
hard-linked), updated by the statements that changed (:func:`prepare_saved`, the caller's
``update``): a few milliseconds where a load takes a second; anything it cannot tell, or any
failure, and the store is loaded whole instead.

A store is loaded into a new directory and renamed into place once complete, so no reader ever
sees half of one; it is never written again (readers open it read-only, which pyoxigraph allows
only while nobody writes). Readers hold the release read lock (:func:`graphkit.switch.reading`)
while they check and load, so a store is of one release, never half of a build's switch. Stores
no longer in the index are removed when their lock is free (no reader has them open). When the
cache directory cannot be written, the store is loaded in memory instead, as before.

This module keeps the directories, keys and locks; what goes into a store is the caller's
(:meth:`graphkit.store.OxigraphStore.saved` passes its loader).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from .errors import EnvironmentProblem
from .external import list_external
from .fileio import atomic_write_text, sha256_file
from .project import Project, file_stat
from .switch import reading

# What a saved store holds and how; change it when the loading changes (graph placement, graphs).
# 3: a store's files are sealed (:func:`seal`).
LAYOUT = "graphkit-store-3"
META = "graphkit.json"
INDEX = "index.json"
LOCK = "lock"
PARTIAL = ".partial"


def store_root(project: Project) -> Path:
    return project.cache_dir / "store"


def release_files(project: Project) -> list[Path]:
    """The built files a store is loaded from (those that exist): the release and the import modules."""
    files = [project.all_ttl, project.inferred_ttl, *project.import_files()]
    return [f for f in files if f.exists()]


def input_files(project: Project, include_external: bool = True) -> list[Path]:
    """Every file a store is loaded from: the release files, and the external ontologies."""
    files = release_files(project)
    if include_external:
        files += [path for ext in list_external(project) for path in (ext.data, ext.data.with_suffix(".json"))
                  if path.exists()]
    return files


def stats(paths) -> tuple:
    """The :func:`~graphkit.project.file_stat` of each path."""
    return tuple(file_stat(path) for path in paths)


def stamp(project: Project, include_external: bool = True) -> list:
    """The inputs' file stamps: cheap to take, and changed by any rewrite of a file."""
    files = input_files(project, include_external)
    return [[str(path), *info] for path, info in zip(files, stats(files))]


def fingerprint(project: Project, include_external: bool = True, texts: dict[Path, str] | None = None) -> dict:
    """SHA-256 of every file the store is loaded from (a changed file means a reload); an
    external ontology by the digest of the file it was converted from and its triple count.
    ``texts`` (path -> text) stands for release files about to be written (as UTF-8)."""
    texts = texts or {}
    files = release_files(project) + [path for path in (project.all_ttl, project.inferred_ttl)
                                      if path in texts and not path.exists()]
    out = {project.relative(p): (hashlib.sha256(texts[p].encode("utf-8")).hexdigest() if p in texts
                                 else sha256_file(p)) for p in files}
    if include_external:
        for ext in list_external(project):
            out[f"external/{ext.name}"] = ext.meta.get("source_sha256", "") + f":{ext.triples}"
    return out


def store_key(digests: dict) -> str:
    text = json.dumps({"layout": LAYOUT, "pyoxigraph": ox.__version__, "inputs": digests},
                      sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _variant(include_external: bool) -> str:
    return "with-external" if include_external else "release"


def _read_index(root: Path) -> dict:
    """The index: variant -> its entry (dicts); anything else in the file is not an entry."""
    try:
        index = json.loads((root / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {variant: entry for variant, entry in index.items() if isinstance(entry, dict)} \
        if isinstance(index, dict) else {}


# The bytes of each database file a seal reads: its end, where a RocksDB table file keeps its
# footer (the sizes and places of its index blocks, with no checksum in format 5: a damaged size
# made RocksDB allocate a terabyte and abort the process, which no Python code can catch).
_SEALED_TAIL = 4096


def _database_files(database: Path) -> list[Path]:
    """The files of a closed database that hold its data (not its info logs or lock file)."""
    return sorted(path for path in database.iterdir() if path.name != "LOCK" and not path.name.startswith("LOG"))


def seal(database: Path) -> dict[str, list]:
    """Each data file of a closed database: its size and the SHA-256 of its last bytes. Checked
    before the database is opened (:class:`Saved`): well under a millisecond, where a damaged
    file could abort the process that opens it."""
    sealed = {}
    for path in _database_files(database):
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            handle.seek(max(0, size - _SEALED_TAIL))
            sealed[path.name] = [size, hashlib.sha256(handle.read()).hexdigest()]
    return sealed


def check_seal(database: Path, sealed) -> None:
    """Raise ValueError naming the first file of ``database`` that is not as :func:`seal` found it."""
    if not isinstance(sealed, dict):
        raise ValueError("it has no seal of its files")
    found = seal(database)
    for name in sorted(set(found) | set(sealed)):
        if found.get(name) != sealed.get(name):
            what = "is missing" if name not in found else "was added" if name not in sealed else "has changed"
            raise ValueError(f"its file {name} {what} since it was saved")


class ReaderLock:
    """A shared lock on a saved store, held while a process may read it: keep it as long as the
    store (it is released when it is garbage-collected, or when the process ends)."""

    fd = None

    def __init__(self, directory: Path):
        self.fd = os.open(directory / LOCK, os.O_RDONLY)
        fcntl.flock(self.fd, fcntl.LOCK_SH)

    def __del__(self):
        if self.fd is not None:
            os.close(self.fd)


class Saved:
    """A saved store opened read-only: the database, what it holds, and its reader lock."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.lock = ReaderLock(directory)
        if not (directory / "db").is_dir():            # removed while we waited for the lock
            raise FileNotFoundError(directory / "db")
        self.meta = json.loads((directory / META).read_text(encoding="utf-8"))
        if not isinstance(self.meta, dict) or self.meta.get("layout") != LAYOUT \
                or not isinstance(self.meta.get("superseded") or {}, dict):
            raise ValueError(f"its {META} is not a {LAYOUT} store's")
        check_seal(directory / "db", self.meta.get("seal"))
        self.database = ox.Store.read_only(str(directory / "db"))


def _open(directory: Path) -> Saved | None:
    """The saved store in ``directory``, or None when it is not there (any more) or is damaged: a
    damaged one (a disk fault, a file changed by hand) is set aside, so that the caller loads the
    store anew, and removed like a superseded one once no process reads it."""
    try:
        return Saved(directory)
    except FileNotFoundError:
        return None
    except (RuntimeError, ValueError) as exc:      # RocksDB: "Corruption: block checksum mismatch ..."; bad JSON
        set_aside(directory, exc)
        print(f"graphkit: the saved store {directory.name} was damaged ({str(exc)[:100]}); it is loaded anew",
              file=sys.stderr)
        return None


def set_aside(directory: Path, damage: Exception) -> None:
    """Move a damaged saved store out of the way (the next command that needs it loads it anew;
    it is removed like a superseded one once no process reads it)."""
    try:
        os.rename(directory, directory.with_name(f"{directory.name}.damaged-{os.getpid()}"))
    except FileNotFoundError:
        pass                                          # another process (or this one, earlier) set it aside
    except OSError:
        raise EnvironmentProblem(f"the saved store {directory} is damaged ({str(damage)[:100]}) and cannot be set "
                                 "aside: remove it and run the command again") from None


def _load(root: Path, key: str, digests: dict, fill: Callable[[ox.Store], dict],
          base: Path | None = None) -> Path:
    """Load a store with ``fill`` (which returns what to note about it) into a new directory and
    rename it to ``root/key`` (unless another process did first); returns the directory. With
    ``base`` (a store's directory), ``fill`` starts from a copy of that store's database."""
    root.mkdir(parents=True, exist_ok=True)
    final = root / key
    partial = Path(tempfile.mkdtemp(prefix=f".{key}.", suffix=PARTIAL, dir=root))
    try:
        (partial / LOCK).touch()
        owner = os.open(partial / LOCK, os.O_RDONLY)
        fcntl.flock(owner, fcntl.LOCK_EX)                # an unfinished store: never removed under us
        try:
            if base is not None:
                _copy_database(base / "db", partial / "db")
            database = ox.Store(str(partial / "db"))
            notes = fill(database)
            database.flush()
            del database                                  # closes it
            atomic_write_text(partial / META, json.dumps({"layout": LAYOUT, "inputs": digests, **notes,
                                                          "seal": seal(partial / "db")}, indent=1) + "\n")
            try:
                os.rename(partial, final)
            except OSError:
                if not (final / META).exists():          # not "another process published it first"
                    raise
        finally:
            os.close(owner)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return final


def _copy_database(source: Path, target: Path) -> None:
    """Copy a closed pyoxigraph (RocksDB) database. Its table files (``*.sst``) are never written
    again once made, so they are hard-linked (as RocksDB's own checkpoints do); the files it
    appends to or replaces are copied, and its info logs and lock file are not."""
    target.mkdir()
    for path in _database_files(source):
        if path.suffix == ".sst":
            try:
                os.link(path, target / path.name)
                continue
            except OSError:                               # no hard links here: a copy does
                pass
        shutil.copy2(path, target / path.name)


def _publish(root: Path, variant: str, stamps: list, key: str) -> None:
    """Record the variant's stamps and key in the index, and remove the stores it no longer names."""
    index = _read_index(root)
    index[variant] = {"stamp": stamps, "key": key, "layout": LAYOUT}
    atomic_write_text(root / INDEX, json.dumps(index, indent=1) + "\n")
    _remove_unlisted(root, index)


def _remove_unlisted(root: Path, index: dict) -> None:
    """Remove the stores the index no longer names, once no process reads them."""
    kept = {entry.get("key") for entry in index.values()}
    for directory in root.iterdir():
        if directory.is_dir() and directory.name not in kept:
            _remove_unused(directory)


def _remove_unused(directory: Path) -> None:
    """Remove a store (or a partial one) that no process holds."""
    try:
        fd = os.open(directory / LOCK, os.O_RDONLY)
    except FileNotFoundError:
        fd = None                                     # a partial store before its lock file exists
    except OSError:
        return
    try:
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return                                # a reader (or its loader) still has it
        elif directory.name.endswith(PARTIAL):
            return
        shutil.rmtree(directory, ignore_errors=True)
    finally:
        if fd is not None:
            os.close(fd)


def prepare_saved(project: Project, fill: Callable[[ox.Store], dict], texts: dict[Path, str],
                  include_external: bool = True, update: Updater | None = None) -> None:
    """Load the saved store of release files not written yet (``texts``: path -> text) under the
    key their contents will have, unless it is there already. The index is not touched: the
    first :func:`open_saved` after the files are written finds the store by that key and
    publishes it (a prepared store the index never names is removed like a superseded one).

    ``update`` (see :data:`Updater`) makes it from a copy of the store of the files written now,
    when there is one and ``update`` can tell their change; otherwise ``fill`` loads it whole."""
    digests = fingerprint(project, include_external, texts)
    root = store_root(project)
    key = store_key(digests)
    if (root / key / META).exists():
        return
    if update is not None and _update(project, root, key, digests, texts, include_external, update):
        return
    _load(root, key, digests, fill)


# Given the release files as written now (path -> text), what turns their saved store into the
# store of the new texts: a function of a copy of that store's database and of its notes,
# returning the new store's notes; or None when the change cannot be told (a load is needed).
Updater = Callable[[dict[Path, str]], Callable[[ox.Store, dict], dict] | None]


def _update(project: Project, root: Path, key: str, digests: dict, texts: dict[Path, str],
            include_external: bool, update: Updater) -> bool:
    """Make the store of ``texts`` from the complete store of the release files written now
    (found by the key of the very bytes ``update`` compares); False when there is none, when
    ``update`` cannot tell the change, or when applying it fails (the caller loads it whole)."""
    written = {}
    for path in texts:
        if path in (project.all_ttl, project.inferred_ttl):
            try:
                written[path] = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                return False
    base = root / store_key(fingerprint(project, include_external, written))
    try:
        lock = ReaderLock(base)                       # not removed while it is copied
    except OSError:
        return False
    try:
        if not (base / META).exists() or not (base / "db").is_dir():
            return False
        try:                                          # a damaged base is not copied: a load replaces it
            notes = json.loads((base / META).read_text(encoding="utf-8"))
            check_seal(base / "db", notes.get("seal"))
        except (OSError, ValueError, AttributeError):
            return False
        apply = update(written)
        if apply is None:
            return False
        notes = {name: value for name, value in notes.items() if name != "seal"}
        try:
            _load(root, key, digests, lambda database: {**apply(database, notes), "updated_from": base.name},
                  base=base)
        except Exception:                             # noqa: BLE001 -- a load replaces what failed
            return False
        return True
    finally:
        del lock


def open_saved(project: Project, fill: Callable[[ox.Store], dict], include_external: bool = True) -> Saved | None:
    """The saved store of ``project``'s built release (``include_external``: with the external
    ontologies), opened read-only; loaded first with ``fill`` when its inputs changed (``graphkit
    build`` and ``load-external`` open it, so the next command finds it ready). None when the cache
    directory cannot be written (the caller loads the release in memory)."""
    root = store_root(project)
    variant = _variant(include_external)
    with reading(project.root):                       # one release, never half of a build's switch
        project.require_release()
        stamps = stamp(project, include_external)
        index = _read_index(root)
        entry = index.get(variant, {})
        if entry.get("stamp") == stamps and entry.get("layout") == LAYOUT and entry.get("key"):
            saved = _open(root / entry["key"])
            if saved is not None:
                _remove_unlisted(root, index)       # those that were still read when they were replaced
                return saved
        digests = fingerprint(project, include_external)
        key = store_key(digests)
        try:
            saved = _open(root / key) or _open(_load(root, key, digests, fill))
            if saved is not None:
                _publish(root, variant, stamps, key)
            return saved
        except (OSError, EnvironmentProblem):         # a read-only or full cache (its index is written atomically)
            return None
