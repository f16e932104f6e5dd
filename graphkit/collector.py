"""Python's cyclic garbage collector, paused around work that makes many objects that outlive it.

A collection scans every tracked object of its generations, and objects that survive two are
scanned again at each full collection: work that builds ~10^5 containers that all live until it
ends (the build's records, indexes and graphs; the canonical writer's index) paid for scans that
could free nothing of them. Paused, that work leaves its garbage (if any) to the next collection.

>>> import gc
>>> with paused():
...     gc.isenabled()
False
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused():
    """The collector disabled while the block runs (and enabled again only if it was)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
