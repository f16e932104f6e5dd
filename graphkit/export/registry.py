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

from ..errors import close_names
from ..fileio import refuse_a_non_file
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
    """The format ``--format name`` means: its name or an alias, in any case. An unknown name is
    an error that names the formats whose files end so (``json``: cyjs) and those spelled nearly
    so (jsonld), then all of them.

    >>> format_named("json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graphkit.nxview.SelectionError: unknown format 'json' (did you mean cyjs or jsonld?); choose one of turtle, nt, jsonld, ...
    """
    key = name.lower()
    for fmt in FORMATS.values():
        if key == fmt.name or key in fmt.aliases:
            return fmt
    names = {n: fmt.name for fmt in FORMATS.values() for n in (fmt.name, *fmt.aliases)}
    hint = list(dict.fromkeys([fmt.name for fmt in FORMATS.values() if "." + key.lstrip(".") in fmt.suffixes]
                              + close_names(key, names, cutoff=0.75, shown=names)))
    meant = f" (did you mean {' or '.join(hint)}?)" if hint else ""
    raise SelectionError(f"unknown format {name!r}{meant}; choose one of {', '.join(FORMATS)}")


def format_for_path(path: str) -> Format | None:
    """The format a file name suggests (``jmml.graphml`` -> graphml), if any."""
    suffix = Path(path).suffix.lower()
    return next((fmt for fmt in FORMATS.values() if suffix and suffix in fmt.suffixes), None)


def output_format(name: str | None, output: str | None, notes: list | None = None) -> tuple[Format, str]:
    """The format and the output (``-``: standard output) of an export asked for with the format
    ``name`` and the path ``output``, either of which may be missing: the format is the path's
    suffix's when no name is given; a name its suffix contradicts is kept, with a note to
    ``notes`` (JSON-LD into x.json may be on purpose). A :class:`SelectionError` when neither
    tells the format, or when the output cannot take it (a multi-file format to standard output
    or to a path named like one of its files)."""
    if output == "":
        refuse_a_non_file(output, "give a file or directory name")
    path_format = format_for_path(output) if output and output != "-" else None
    if name:
        fmt = format_named(name)
        refuse_a_file_for_a_directory(fmt, output or "-")       # before a note that it is written as fmt
        if path_format is not None and path_format.name != fmt.name and notes is not None:
            notes.append(f"{output} is written as {fmt.name} (--format {name}), though its suffix is "
                         f"{path_format.name}'s")
    elif path_format is not None:
        fmt = path_format
    else:
        several = _writes_files_like(output or "")
        if several:
            raise SelectionError(f"-o {output}: --format {several.name} writes {' and '.join(several.files)} "
                                 f"into a directory; give -f {several.name} -o DIR")
        raise SelectionError("give --format (one of " + ", ".join(FORMATS) + ") or an -o file name with a known suffix")
    output = output or "-"
    if output == "-" and not fmt.to_stdout:
        raise SelectionError(f"--format {fmt.name} needs -o " + ("DIR" if fmt.files else "FILE")
                             + " (it cannot go to standard output)")
    if fmt.files and _writes_files_like(output) and not Path(output).is_dir():
        raise SelectionError(f"--format {fmt.name} writes {' and '.join(fmt.files)} into a directory, and -o {output} "
                             f"names a file; give a directory (-o {Path(output).with_suffix('')}/)")
    return fmt, output


def refuse_a_file_for_a_directory(fmt: Format, output: str) -> None:
    """A :class:`SelectionError` when ``fmt`` writes several files into a directory and
    ``output`` is an existing file (which the export would not replace by a directory)."""
    if fmt.files and output != "-" and Path(output).exists() and not Path(output).is_dir():
        raise SelectionError(f"--format {fmt.name} writes {' and '.join(fmt.files)}: -o must be a directory, "
                             f"and {output} is a file")


def _writes_files_like(output: str) -> Format | None:
    """The multi-file format whose files end like ``output`` (``x.csv``: csv), if any."""
    suffix = Path(output).suffix.lower()
    return next((f for f in FORMATS.values() if suffix and any(name.endswith(suffix) for name in f.files)), None)


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
