"""The export formats: each module of :mod:`graphkit.export` that writes a format registers it here.

A :class:`Format` names the format, the file suffixes and other names it answers to, the
function that renders a selection (``write(sub, ctx)`` -> ``{"": content}`` for one file,
``{file name: content}`` for a directory of files) and whether it can go to standard output.
:func:`render` runs a format's writer; :mod:`.files` writes the result atomically.

>>> from graphkit import export
>>> export.format_named("ttl").name, export.format_for_path("jmml.graphml").name
('turtle', 'graphml')
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..nxview import SelectionError

# Pictures of more nodes are slow to draw and hard to read; --force draws them anyway.
LARGE_PICTURE = 2000


@dataclass(frozen=True)
class Format:
    name: str
    description: str                  # one line, shown by `graphkit export --help`
    write: Callable                   # (subgraph, Context) -> {"": content} or {file name: content}
    suffixes: tuple[str, ...] = ()    # file suffixes that choose this format (the first is its own)
    aliases: tuple[str, ...] = ()     # other names accepted by --format
    files: tuple[str, ...] = ()       # fixed file names, written into the directory -o names
    to_stdout: bool = True            # can go to standard output (-o -)
    picture: bool = False             # a drawing: refused above LARGE_PICTURE nodes without --force
    order: int = 100                  # place in listings


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add ``fmt`` to :data:`FORMATS` (kept in ``order``); a name or suffix taken twice is an error."""
    taken = {name: f.name for f in FORMATS.values() for name in (f.name, *f.aliases, *f.suffixes)}
    clash = [name for name in (fmt.name, *fmt.aliases, *fmt.suffixes) if name in taken and taken[name] != fmt.name]
    if clash:
        raise ValueError(f"export format {fmt.name}: {', '.join(clash)} already name another format")
    FORMATS[fmt.name] = fmt
    for name in sorted(FORMATS, key=lambda n: (FORMATS[n].order, n)):
        FORMATS[name] = FORMATS.pop(name)
    return fmt


def format_named(name: str) -> Format:
    key = name.lower()
    for fmt in FORMATS.values():
        if key == fmt.name or key in fmt.aliases:
            return fmt
    raise SelectionError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")


def format_for_path(path: str) -> Format | None:
    """The format a file name suggests (``jmml.graphml`` -> graphml), if any."""
    suffix = Path(path).suffix.lower()
    return next((fmt for fmt in FORMATS.values() if suffix and suffix in fmt.suffixes), None)


def render(fmt: str | Format, sub, ctx) -> dict[str, str | bytes]:
    """The files of one export, in memory: ``{"": content}`` for single-file formats,
    ``{file name: content}`` for multi-file formats."""
    fmt = format_named(fmt) if isinstance(fmt, str) else fmt
    if fmt.picture and sub.number_of_nodes() > LARGE_PICTURE and not ctx.force:
        raise SelectionError(
            f"the selection has {sub.number_of_nodes():,} nodes and {sub.number_of_edges():,} edges; a picture "
            f"({fmt.name}) of more than {LARGE_PICTURE:,} nodes is slow to draw and hard to read. Narrow the selection "
            "(--seed, --hops, --type, --predicate) or pass --force to write it anyway")
    return fmt.write(sub, ctx)
