"""A minimal progress bar on stderr for long work (loading ontologies, exporting, benchmarks).

It draws only when stderr is a terminal (or ``GRAPHKIT_PROGRESS=1``), so pipes and tests stay
clean.

>>> with Progress("loading", total=3, enabled=False) as bar:
...     for _ in range(3):
...         bar.advance()
>>> bar.done
3
"""

from __future__ import annotations

import os
import sys
import time


class Progress:
    def __init__(self, label: str, total: int | None = None, enabled: bool | None = None, stream=None):
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = os.environ.get("GRAPHKIT_PROGRESS") == "1" or self.stream.isatty()
        self.enabled = enabled
        self._last = 0.0
        self._started = time.monotonic()

    def __enter__(self) -> "Progress":
        self._draw(force=True)
        return self

    def step(self, label: str) -> None:
        """Name the work now under way (a stage), redrawn at once."""
        self.label = label
        self._draw(force=True)

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._draw()

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        if self.total:
            width = 30
            filled = int(width * min(self.done, self.total) / self.total)
            bar = "#" * filled + "-" * (width - filled)
            text = f"\r{self.label} [{bar}] {self.done}/{self.total}"
        else:
            text = f"\r{self.label} {self.done}"
        self.stream.write(text + f" {now - self._started:.1f}s")
        self.stream.flush()

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()
