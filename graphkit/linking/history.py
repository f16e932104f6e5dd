"""When each xref of the registry was asserted: the day its own text was last changed in git.

The SSSOM ``mapping_date`` of a mapping. ``git blame`` dates lines, and an entity written on one
line (``- {id: fever, ..., xrefs: [HP:0001945]}``) has all its xrefs on the line of its label and
synonyms: adding a synonym re-dated every one of them. Here the registry's history is read once
(``git log`` of HEAD, each version of an entity file read by one ``git cat-file --batch``) and each
xref -- an entity id and a CURIE -- is dated by the commit since which it has said what it says
now (its match, justification, note and ``unverified``), wherever in the files it was written:
moving an entity to another file in one commit keeps its dates.

An xref that differs from the last commit's (or is not in it) is not yet asserted: no date.
Outside a git checkout, or if git fails, there are no dates.

Reading the history is about a second (most of it parsing the 146 past versions of the entity
files); it depends only on the last commit. So what the last commit states, and since when, is
kept in the project's cache (``xref-history.json``: JSON, reading it runs no code), keyed by the
commit, the folders and the code that reads them; after a commit the history is read once again.
A cache that cannot be read or written only costs the reading.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import subprocess
from collections.abc import Iterable
from pathlib import Path

import yaml

from loaders import registry
from loaders.registry import Entity, Xref, xref_as_written

from ..errors import EnvironmentProblem
from ..fileio import atomic_write_text

CACHE_FILE = "xref-history.json"

# The xrefs a commit states: (entity id, CURIE) -> the xref as written there (compared without
# its location: its match, justification, note and ``unverified``).
Stated = dict[tuple[str, str], Xref]


def xref_dates(root: Path, entities: Iterable[Entity], cache: Path | None = None) -> dict[tuple[str, str], str]:
    """(entity id, CURIE) -> the day (UTC, ``YYYY-MM-DD``) since which the last commit's registry
    has stated the xref as ``entities`` state it; xrefs changed since, or never committed, have none.
    ``cache``: a directory where the reading of the history is kept for the next call (see the module)."""
    entities = list(entities)
    folders = sorted({str(Path(x.location.path).parent) for e in entities for x in e.xrefs
                      if x.location is not None and x.location.path})
    if not folders:
        return {}
    try:
        head = _read_head(root, folders, cache)
    except (OSError, subprocess.SubprocessError, ValueError):
        return {}
    dates = {}
    for entity in entities:
        for xref in entity.xrefs:
            key = (entity.id, xref.curie)
            stated, time = head.get(key, (None, 0))
            if stated == xref:
                dates[key] = datetime.datetime.fromtimestamp(time, datetime.timezone.utc).date().isoformat()
    return dates


def _read_head(root: Path, folders: list[str], cache: Path | None) -> dict[tuple[str, str], tuple[Xref, int]]:
    """The xrefs the last commit states and the time since which each has said so: kept in
    ``cache`` for that commit, else read from the history (and kept)."""
    commit = _git(root, "rev-parse", "--verify", "-q", "HEAD").strip()
    if not commit:
        return {}
    path = cache / CACHE_FILE if cache is not None else None
    key = {"commit": commit, "folders": folders, "reader": _reader_digest()}
    if path is not None:
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            if saved["key"] == key:
                return {(ident, fields[0]): (Xref(*fields[:5]), fields[5]) for ident, fields in saved["xrefs"]}
        except (OSError, ValueError, TypeError, KeyError, IndexError):
            pass                  # missing, another commit's or damaged: read the history
    head = _history(root, folders)
    if path is not None:
        rows = [[ident, [x.curie, x.match, x.justification, x.unverified, x.note, time]]
                for (ident, _), (x, time) in sorted(head.items())]
        try:
            atomic_write_text(path, json.dumps({"key": key, "xrefs": rows}), mkdir=True)
        except (EnvironmentProblem, OSError):
            pass                  # an unwritable cache reads the history every time
    return head


def _reader_digest() -> str:
    """A digest of the code that reads the history (this module, and the registry's defaults of an
    xref): another version of either reads it again."""
    digest = hashlib.sha256()
    for module in (__file__, registry.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def _history(root: Path, folders: list[str]) -> dict[tuple[str, str], tuple[Xref, int]]:
    """The xrefs the last commit states, each with the author time of the commit since which it has
    said what it says: the whole history read."""
    commits = _commits(root, tuple(f"{folder}/" for folder in folders))
    if not commits:
        return {}
    versions = _read_blobs(root, sorted({blob for *_, changed in commits for _, blob in changed if blob}))
    # Each commit's files, xrefs and their days, from its parents' as git blame passes a line on:
    # an xref its first parent states alike keeps that parent's day, else a second parent's, else
    # it is the commit's own. A commit that changes no entity file shares its first parent's.
    files: dict[str, dict[str, Stated]] = {}
    stated: dict[str, Stated] = {}
    since: dict[str, dict[tuple[str, str], int]] = {}
    for commit, parents, time, changed in commits:
        parents = [p for p in parents if p in stated]
        first = parents[0] if parents else None
        if first is not None and not changed and len(parents) == 1:
            files[commit], stated[commit], since[commit] = files[first], stated[first], since[first]
            continue
        own = dict(files[first]) if first is not None else {}
        for path, blob in changed:
            if blob:
                own[path] = versions.get(blob, {})
            else:
                own.pop(path, None)
        now: Stated = {}
        for path in sorted(own):
            for key, value in own[path].items():
                now.setdefault(key, value)
        days = {}
        for key, value in now.items():
            kept = next((since[p][key] for p in parents if stated[p].get(key) == value), None)
            days[key] = time if kept is None else kept
        files[commit], stated[commit], since[commit] = own, now, days
    head = commits[-1][0]
    return {key: (xref, since[head][key]) for key, xref in stated[head].items()}


def _git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise ValueError(proc.stderr.strip())
    return proc.stdout


def _commits(root: Path, folders: tuple[str, ...]) -> list[tuple[str, list[str], int, list[tuple[str, str]]]]:
    """Every commit of HEAD's history, parents first: (hash, parents, author time, [(path, the
    blob the commit leaves there, "" if it deletes it)] for the YAML files in ``folders`` it
    changes from its first parent)."""
    log = _git(root, "log", "--topo-order", "--reverse", "--no-renames", "--diff-merges=first-parent", "--raw",
               "--no-abbrev", "--format=%x00%H %at %P", "HEAD")
    commits = []
    for record in log.split("\0")[1:]:
        head, *lines = record.strip("\n").split("\n")
        commit, time, *parents = head.split()
        changed = []
        for line in lines:          # :old-mode new-mode old-blob new-blob status<TAB>path
            if line.startswith(":") and "\t" in line:
                fields, path = line.split("\t", 1)
                if path.startswith(folders) and path.endswith(".yaml"):
                    blob = fields.split()[3]
                    changed.append((path, "" if blob.strip("0") == "" else blob))
        commits.append((commit, parents, int(time), changed))
    return commits


def _read_blobs(root: Path, blobs: list[str]) -> dict[str, Stated]:
    """Each of ``blobs`` -> the xrefs its text states, the blobs read by one ``git cat-file --batch``."""
    if not blobs:
        return {}
    proc = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input="\n".join(blobs).encode() + b"\n",
                          capture_output=True, timeout=60)
    if proc.returncode != 0:
        raise ValueError(proc.stderr.decode(errors="replace").strip())
    out, data, at = {}, proc.stdout, 0
    for blob in blobs:
        end = data.index(b"\n", at)
        header = data[at:end].split()
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            out[blob] = _stated(data[at:at + size].decode("utf-8", errors="replace"))
            at += size + 1
    return out


def _stated(text: str) -> Stated:
    """The xrefs one version of an entity file states (nothing where it cannot be read)."""
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    entries = data.get("entities") if isinstance(data, dict) else data
    out: Stated = {}
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            continue
        for item in entry.get("xrefs") or ():
            xref = xref_as_written(item)
            if xref is not None:
                out[(entry["id"], xref.curie)] = xref
    return out
