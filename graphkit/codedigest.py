"""A digest of graphkit's own code, for caches whose contents graphkit's code computes.

A cache keyed by its inputs alone would hand an edited parser (or another version of graphkit)
what the old code made; keyed by this digest too, any edit of any module makes a new entry.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

_CODE = (Path(__file__).parent, Path(__file__).parent.parent / "loaders")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of graphkit's code (the packages ``graphkit`` and ``loaders``): an edit of any
    module, or another version, gives another."""
    digest = hashlib.sha256()
    for package in _CODE:
        for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".json") and p.is_file()):
            digest.update(f"{path.relative_to(package.parent)}\0{path.stat().st_size}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
