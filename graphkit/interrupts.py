"""Ctrl-C held back while native code calls back into Python.

A KeyboardInterrupt raised inside Python code that a Rust extension calls (the ``reasonable``
reasoner reads the graph's terms and makes the closure's) reaches the extension as an error it
does not expect: it panicked (``PanicException``, a 100-line traceback, exit 1) or the
interpreter printed "Exception ignored" and went on, the build finishing as if nothing had been
asked. While :func:`deferred` holds, Ctrl-C is recorded and raised when the block ends: a
fraction of a second later, with the usual "interrupted" and exit code 130.

>>> import os, signal
>>> try:
...     with deferred():
...         os.kill(os.getpid(), signal.SIGINT)
...         print("the block ends first")
... except KeyboardInterrupt:
...     print("then the interrupt")
the block ends first
then the interrupt
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


@contextmanager
def deferred():
    """SIGINT recorded, not raised, while the block runs, then raised as KeyboardInterrupt (in the
    main thread, where Python handles signals; elsewhere the block runs as it is)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received and previous is not signal.SIG_IGN:
        raise KeyboardInterrupt
