"""Work run in a thread beside the caller's, its outcome a future.

pyoxigraph parses, serializes and bulk-loads without Python's interpreter lock, so such work in a
thread runs on the second core while the caller's Python goes on (the build parses the release
for its checks beside the reasoner, and loads the saved store beside validation; the QC queries
run beside the SHACL engine).

>>> in_background(lambda: 6 * 7, "answer").result()
42
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Callable


def in_background(function: Callable[[], object], name: str) -> Future:
    """``function`` run in a thread of its own (named ``name``); its future gives what it
    returned or raised."""
    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(function())
        except BaseException as exc:        # noqa: BLE001 -- handed to whoever waits for it
            future.set_exception(exc)
    threading.Thread(target=run, name=name, daemon=True).start()
    return future
