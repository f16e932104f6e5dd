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
"""

from __future__ import annotations

import datetime
import subprocess
from collections.abc import Iterable
from pathlib import Path

import yaml

from loaders.registry import Entity, Xref, xref_as_written

# The xrefs a commit states: (entity id, CURIE) -> the xref as written there (compared without
# its location: its match, justification, note and ``unverified``).
Stated = dict[tuple[str, str], Xref]


def xref_dates(root: Path, entities: Iterable[Entity]) -> dict[tuple[str, str], str]:
    """(entity id, CURIE) -> the day (UTC, ``YYYY-MM-DD``) since which the last commit's registry
    has stated the xref as ``entities`` state it; xrefs changed since, or never committed, have none."""
    entities = list(entities)
    folders = sorted({str(Path(x.location.path).parent) for e in entities for x in e.xrefs
                      if x.location is not None and x.location.path})
    if not folders:
        return {}
    try:
        commits = _commits(root, tuple(f"{folder}/" for folder in folders))
        versions = _read_blobs(root, sorted({blob for *_, changed in commits for _, blob in changed if blob}))
    except (OSError, subprocess.SubprocessError, ValueError):
        return {}
    if not commits:
        return {}
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
    dates = {}
    for entity in entities:
        for xref in entity.xrefs:
            key = (entity.id, xref.curie)
            if stated[head].get(key) == xref:
                day = datetime.datetime.fromtimestamp(since[head][key], datetime.timezone.utc).date()
                dates[key] = day.isoformat()
    return dates


def _commits(root: Path, folders: tuple[str, ...]) -> list[tuple[str, list[str], int, list[tuple[str, str]]]]:
    """Every commit of HEAD's history, parents first: (hash, parents, author time, [(path, the
    blob the commit leaves there, "" if it deletes it)] for the YAML files in ``folders`` it
    changes from its first parent)."""
    proc = subprocess.run(["git", "log", "--topo-order", "--reverse", "--no-renames", "--diff-merges=first-parent",
                           "--raw", "--no-abbrev", "--format=%x00%H %at %P", "HEAD"],
                          cwd=root, capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise ValueError(proc.stderr.strip())
    commits = []
    for record in proc.stdout.split("\0")[1:]:
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
