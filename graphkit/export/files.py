"""Writing rendered exports: a file, a directory of files (csv, kgx), or standard output.

Every file goes through :mod:`graphkit.fileio`: a regular file is written to a temporary file
renamed over the target (a failure leaves no partial file), a device or a FIFO is written in
place and never replaced; ``-`` writes a text format to standard output. A missing directory is
an error unless ``mkdir`` is given (the output directory of a multi-file format is created when
its parent exists).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..fileio import atomic_writer, ensure_directory
from ..nxview import SelectionError
from .registry import Format


@dataclass
class Written:
    paths: list[Path] = field(default_factory=list)
    stdout: bool = False


def write(fmt: Format, files: dict[str, str | bytes], output: str, mkdir: bool = False) -> Written:
    """Write rendered files: a file path, a directory for multi-file formats, or ``-`` for
    standard output (text formats only)."""
    if output == "-":
        if not fmt.to_stdout:
            what = f"{' and '.join(fmt.files)} into a directory" if fmt.files else "binary data"
            raise SelectionError(f"--format {fmt.name} writes {what}; give -o PATH, not standard output")
        sys.stdout.write(files[""])
        sys.stdout.flush()
        return Written(stdout=True)
    target = Path(output)
    if fmt.files:
        if target.exists() and not target.is_dir():
            raise SelectionError(f"--format {fmt.name} writes {' and '.join(fmt.files)}: -o must be a directory, "
                                 f"and {output} is a file")
        ensure_directory(target.parent, output, mkdir)
        ensure_directory(target, output, mkdir=True)       # the output directory itself, in an existing one
        paths = [target / name for name in fmt.files]
    else:
        if target.is_dir():
            raise SelectionError(f"-o {output} is a directory; give a file name for --format {fmt.name}")
        paths = [target]
    written = Written()
    ordered = sorted(files.items(), key=lambda kv: fmt.files.index(kv[0]) if fmt.files else 0)
    for path, (_, content) in zip(paths, ordered):
        with atomic_writer(path, "wb" if isinstance(content, bytes) else "w", mkdir=mkdir) as handle:
            handle.write(content)
        written.paths.append(path)
    return written
