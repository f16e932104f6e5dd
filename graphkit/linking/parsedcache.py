"""Parsed reference data kept between runs, in the project's cache directory.

Parsing the reference data was most of ``graphkit link --check`` (about 3 of its 4.8 s): the HPO
OBO file, the ICD-10-CM tabular XML and the vendored TSV tables, again on every run. What each
parses to is kept as JSON and read back in a fraction of that::

    .graphkit-cache/reference/<name>-<digest>.json

``digest`` covers the source file (its path, size and modification time) and graphkit's code
(:func:`graphkit.codedigest.code_digest`), so another release of a package, a re-vendored table
or an edited parser never reads an old parse. JSON, not pickle: reading a cache file runs no
code. A parse that cannot be written (a read-only project) or read back (a damaged file) is made
anew, silently: the cache only saves time. Without a directory nothing is kept.

>>> import tempfile
>>> calls = []
>>> def parse():
...     calls.append(1)
...     return {"HP:0001945": ["Fever", ["Pyrexia"]]}
>>> with tempfile.TemporaryDirectory() as directory:
...     cache = ParsedCache(Path(directory))
...     first = cache.get("demo", Path(__file__), parse)
...     again = ParsedCache(Path(directory)).get("demo", Path(__file__), parse)
>>> first == again, len(calls)
(True, 1)
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Callable

from ..codedigest import code_digest
from ..errors import EnvironmentProblem
from ..fileio import atomic_write_text

_DIGEST = 24        # hex digits of the key in a file's name


class ParsedCache:
    """Parses of reference files kept in ``directory`` (None: parsed on every call)."""

    def __init__(self, directory: Path | None):
        self.directory = directory

    def path(self, name: str, source: Path) -> Path:
        status = source.stat()
        key = json.dumps([str(source.resolve()), status.st_size, status.st_mtime_ns, code_digest()])
        return self.directory / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:_DIGEST]}.json"

    def get(self, name: str, source: Path, parse: Callable[[], Any]) -> Any:
        """What ``parse()`` gives for ``source`` (JSON data: lists, not tuples), kept as ``name``."""
        if self.directory is None:
            return parse()
        path = self.path(name, source)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        value = parse()
        try:
            atomic_write_text(path, json.dumps(value, ensure_ascii=False, separators=(",", ":")), mkdir=True)
            for old in path.parent.glob(f"{name}-{'?' * _DIGEST}.json"):      # the parses of older files or code
                if old != path:
                    old.unlink(missing_ok=True)
        except (OSError, EnvironmentProblem):          # fileio reports a failed write as the latter
            pass
        return value
