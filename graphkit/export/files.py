"""Writing rendered exports: a file, a directory of files (csv, kgx), or standard output.

Every file goes through :mod:`graphkit.fileio`: a regular file is written to a temporary file
renamed over the target (a failure leaves no partial file), a device or a FIFO is written in
place and never replaced; ``-`` writes a text format to standard output. The files of a
multi-file format are all written (:func:`graphkit.switch.stage`) before any is renamed over its
target, so a failure while writing leaves every file as it was. A missing directory is
an error unless ``mkdir`` is given (the output directory of a multi-file format is created when
its parent exists).
"""

from __future__ import annotations

import csv
import io
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EnvironmentProblem
from ..fileio import atomic_writer, ensure_directory, failure, is_regular_target, refuse_a_non_file
from ..interrupts import finishing
from ..nxview import SelectionError
from ..switch import stage
from .registry import Format, refuse_a_file_for_a_directory


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
        refuse_a_file_for_a_directory(fmt, output)
        ensure_directory(target.parent, output, mkdir)
        ensure_directory(target, output, mkdir=True)       # the output directory itself, in an existing one
        return Written(paths=write_together({target / name: files[name] for name in fmt.files}))
    refuse_a_non_file(output, f"give a file name for --format {fmt.name}")
    with atomic_writer(target, "wb" if isinstance(files[""], bytes) else "w", mkdir=mkdir) as handle:
        handle.write(files[""])
    return Written(paths=[target])


def write_together(contents: dict[Path, str | bytes]) -> list[Path]:
    """Write the files of one export as a unit: each to a synced temporary file beside it, and
    only when all are written, each renamed over its target. A target that is no regular file (a
    directory of that name) is refused before anything is written."""
    for path in contents:
        if not is_regular_target(path):          # a directory of that name, a device, a FIFO
            raise EnvironmentProblem(f"cannot write {path}: it exists and is not a regular file; nothing was written")
    staged = stage(contents)
    try:
        # Ctrl-C is held back while the files are renamed, so that it never leaves some new and some old.
        with finishing(f"after {', '.join(str(path) for path in contents)} were written in full"):
            for item in staged:
                try:
                    os.replace(item.temporary, os.path.realpath(item.target))
                except OSError as exc:
                    raise failure(item.target, exc) from None
    except BaseException:             # a failed rename, or Ctrl-C before the renames began
        for item in staged:
            item.temporary.unlink(missing_ok=True)
        raise
    return list(contents)


def table_rows(files: dict[str, str | bytes]) -> dict[str, int]:
    """The rows (header not counted) of each CSV or TSV file among ``files``: what an analyst
    counts after loading it. A KGX export's rows are fewer than the view's nodes and edges (a
    quantity or route of delivery is a column of its subject's row; parallel edges are one row).

    >>> table_rows({"nodes.tsv": "id\\tname\\ngke:a\\ta\\n", "graph.graphml": "<graphml/>"})
    {'nodes.tsv': 1}
    """
    rows = {}
    for name, text in files.items():
        delimiter = {".csv": ",", ".tsv": "\t"}.get(Path(name).suffix)
        if delimiter and isinstance(text, str):
            rows[name] = max(sum(1 for _ in csv.reader(io.StringIO(text), delimiter=delimiter)) - 1, 0)
    return rows
