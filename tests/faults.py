"""Real faults for the tests: a file system that is full or read-only (a tmpfs mounted for the
test, which needs root; the tests that use one skip without it), and a FIFO with a reader."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest


def _mount(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


@contextmanager
def tmpfs(path: Path, size_kb: int = 1024):
    """A tmpfs of ``size_kb`` KiB mounted at ``path`` for the duration (skips the test when this
    process may not mount one)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a small or read-only file system (tmpfs)")
    path.mkdir(parents=True, exist_ok=True)
    done = _mount("-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "tmpfs", str(path))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def read_only(path: Path) -> None:
    """Remount the tmpfs at ``path`` read-only."""
    done = _mount("-o", "remount,ro", str(path))
    assert done.returncode == 0, done.stderr


def fill(directory: Path, leave_bytes: int = 0) -> None:
    """Fill the file system of ``directory`` until at most ``leave_bytes`` are free."""
    stats = os.statvfs(directory)
    free = stats.f_bavail * stats.f_frsize - leave_bytes
    with open(directory / ".filler", "wb") as handle:
        block = b"\0" * 4096
        try:
            while free > 0:
                handle.write(block[:min(len(block), free)])
                free -= len(block)
            handle.flush()
        except OSError:          # full already
            pass


@contextmanager
def fifo_reader(path: Path):
    """A FIFO at ``path`` and a thread reading it; yields a list that holds what was read."""
    os.mkfifo(path)
    received: list[bytes] = []

    def read():
        with open(path, "rb") as handle:
            received.append(handle.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    try:
        yield received
    finally:
        thread.join(timeout=10)
