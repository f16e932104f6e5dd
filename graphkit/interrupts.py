"""Ctrl-C held back while native code calls back into Python, and SIGTERM handled as Ctrl-C is.

A KeyboardInterrupt raised inside Python code that a Rust extension calls (the ``reasonable``
reasoner reads the graph's terms and makes the closure's) reaches the extension as an error it
does not expect: it panicked (``PanicException``, a 100-line traceback, exit 1) or the
interpreter printed "Exception ignored" and went on, the build finishing as if nothing had been
asked. While :func:`deferred` holds, Ctrl-C is recorded and raised when the block ends: a
fraction of a second later, with the usual "interrupted" and exit code 130.

SIGTERM (``kill``, a service manager or a CI job stopping graphkit) ended the process at once and
silently (exit 143 from the shell, a half-loaded store left in the cache). Once
:func:`terminate_as_interrupt` is called (the ``graphkit`` command does), it raises
:class:`Terminated`, a KeyboardInterrupt: the same clean-up runs (temporary files removed, nothing
replaced), then ``terminated`` and exit code 143, as a shell reports a process SIGTERM ended.

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


class Terminated(KeyboardInterrupt):
    """SIGTERM received (after :func:`terminate_as_interrupt`)."""


def _raise_terminated(signum, frame):
    raise Terminated


def terminate_as_interrupt() -> None:
    """From now on SIGTERM raises :class:`Terminated` in the main thread (the process's entry point
    calls this; a library leaves the host's handlers alone)."""
    signal.signal(signal.SIGTERM, _raise_terminated)


@contextmanager
def deferred():
    """SIGINT and SIGTERM recorded, not acted on, while the block runs, then handled as they would
    have been (KeyboardInterrupt, :class:`Terminated`, or the default action: the process ends)
    (in the main thread, where Python handles signals; elsewhere the block runs as it is)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {signum: signal.signal(signum, lambda signum, frame: received.append(signum))
                for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    for signum in dict.fromkeys(received):
        handler = previous[signum]
        if callable(handler):
            handler(signum, None)
        elif handler == signal.SIG_DFL:
            signal.raise_signal(signum)


@contextmanager
def finishing(done: str):
    """The block runs to its end (as under :func:`deferred`); a Ctrl-C or SIGTERM that came meanwhile
    is then raised with ``done`` as its note, so that the message says what was completed.

    >>> import os, signal
    >>> try:
    ...     with finishing("after the files were written"):
    ...         os.kill(os.getpid(), signal.SIGINT)
    ... except KeyboardInterrupt as exc:
    ...     print(exc.__notes__)
    ['after the files were written']
    """
    try:
        with deferred():
            yield
    except KeyboardInterrupt as exc:
        exc.add_note(done)
        raise
