r"""Rows out: a plain-text table for people; CSV, TSV or JSON for machines.

>>> print(table([{"a": 1, "b": "x"}, {"a": 22, "b": None}], ["a", "b"]))
a   b
--  -
1   x
22

TSV is one row per line, for line tools (``cut``, ``awk``, ``sort``): a tab, line break or
backslash in a value is written ``\t``, ``\n``, ``\r`` or ``\\`` (the "linear TSV" of
PostgreSQL's text format); a value that holds a double quote is quoted as CSV quotes it, so that
pandas' ``read_csv(sep="\t")`` and Python's csv module read it back. CSV quotes every value that
needs it and keeps line breaks as they are (RFC 4180, what spreadsheets read).

>>> print(tsv([{"a": "two\nlines", "b": 'a "quote" here'}], ["a", "b"]).replace("\t", " | "), end="")
a | b
two\nlines | "a ""quote"" here"
"""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Iterable, Sequence

from .errors import printable

FORMATS = ("table", "csv", "tsv", "json")


def counted(number: int, noun: str) -> str:
    """``number`` of ``noun``, its plural made with an s.

    >>> counted(1, "row"), counted(2_815, "row"), counted(0, "graph")
    ('1 row', '2,815 rows', '0 graphs')
    """
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _cell(value) -> str:
    """A value as a table or CSV cell: a boolean as XSD and SPARQL's CSV results write it (``true``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def table(rows: Sequence[dict], columns: Sequence[str], max_width: int = 80, keep_end: Sequence[str] = ()) -> str:
    """A plain-text table, each value cut to ``max_width`` characters at its end, or at its start
    for the columns in ``keep_end`` (a location: its line number is at the end).

    >>> print(table([{"where": "statements/002b_guide.yaml:1300"}], ["where"], max_width=16, keep_end=["where"]))
    where
    ----------------
    …guide.yaml:1300
    """
    # An answer's escape sequences and carriage returns (an endpoint's, say) are shown, not obeyed.
    cells = [[printable(_cell(r.get(c))) for c in columns] for r in rows]
    widths = [min(max_width, max([len(c)] + [len(row[i]) for row in cells])) for i, c in enumerate(columns)]
    from_start = [c in keep_end for c in columns]

    def line(values):
        parts = []
        for value, width, cut_start in zip(values, widths, from_start):
            if len(value) > width:
                value = "…" + value[len(value) - width + 1:] if cut_start else value[: width - 1] + "…"
            parts.append(value.ljust(width))
        return "  ".join(parts).rstrip()

    out = [line(columns), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    return "\n".join(out)


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def tsv(rows: Iterable[dict], columns: Sequence[str]) -> str:
    """Rows as TSV: each value with its tabs, line breaks and backslashes escaped, then quoted as
    CSV quotes it where it holds a double quote (nothing else needs it once escaped)."""
    escaped = ({c: _cell(r.get(c)).translate(_TSV_ESCAPES) for c in columns} for r in rows)
    return delimited(escaped, columns, "\t")


def delimited(rows: Iterable[dict], columns: Sequence[str], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def rows_text(rows: Sequence[dict], columns: Sequence[str], fmt: str) -> str:
    """Rows in ``fmt`` (table, csv, tsv or json: a list of objects), as text ending in a line break."""
    if fmt == "table":
        return table(rows, columns) + "\n"
    if fmt == "csv":
        return delimited(rows, columns, ",")
    if fmt == "tsv":
        return tsv(rows, columns)
    if fmt == "json":
        return json.dumps([{c: r.get(c) for c in columns} for r in rows], indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown format {fmt!r}; choose one of {FORMATS}")


def emit(rows: Sequence[dict], columns: Sequence[str], fmt: str, stream=None) -> None:
    """Write rows in ``fmt`` (:func:`rows_text`)."""
    (stream or sys.stdout).write(rows_text(rows, columns, fmt))
