"""Errors that carry where they came from, so every message can name a file and line.

Exit codes of the command line (documented in the README):

==== =========================================================================
code meaning
==== =========================================================================
0    success (validation may have printed warnings)
1    a check failed: stale build, validation violations, xref check failures
2    bad input: curation errors, malformed SPARQL, unknown query or parameter
3    environment: endpoint unreachable, server failed, port in use, file missing, a query
     that ran past its time (``--timeout``)
130  interrupted (Ctrl-C)
143  terminated (SIGTERM)
==== =========================================================================
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from pathlib import Path

EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_ENVIRONMENT = 3
# The longest wait graphkit takes: a year. Longer ones overflow the platform's clocks (a timeout of
# 1e10 s ended in "OverflowError: timestamp out of range for platform time_t"); 0 is no limit.
MAX_TIMEOUT = 365 * 24 * 3600


def timeout_problem(value) -> str | None:
    """What is wrong with ``value`` as a timeout in seconds (0: no limit), or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"a timeout is a number of seconds, or 0 for no limit; got {shorten(repr(value))}"
    if not 0 <= value <= MAX_TIMEOUT:            # NaN fails both comparisons
        # a whole number in full (31,536,001, where :g wrote 3.1536e+07: the limit looked met)
        got = f"{int(value):,}" if float(value).is_integer() and abs(value) < 1e18 else f"{value:g}"
        return f"a timeout takes 0 (no limit) to {MAX_TIMEOUT:,} seconds (a year); got {got}"
    return None


EXIT_INTERRUPTED = 130                # 128 + SIGINT, as a shell reports it
EXIT_TERMINATED = 143                 # 128 + SIGTERM


@dataclass(frozen=True)
class Location:
    """A place in a curated file: path and 1-based line (0 when unknown)."""

    path: Path | str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else f"{self.path}"


class GraphkitError(Exception):
    """Base class; ``exit_code`` tells the CLI how to exit."""

    exit_code = EXIT_BAD_INPUT


class CurationError(GraphkitError):
    """One or more problems in curated input, each with its location.

    >>> err = CurationError([(Location("entities.yaml", 3), "entity 'x' has no label")])
    >>> str(err)
    "entities.yaml:3: entity 'x' has no label"
    """

    def __init__(self, problems: list[tuple[Location, str]]):
        self.problems = list(problems)
        super().__init__("\n".join(f"{loc}: {msg}" for loc, msg in self.problems))


class QueryError(GraphkitError):
    """A query could not be prepared or run: unknown name, bad parameter, syntax error."""


class EndpointError(GraphkitError):
    """A remote SPARQL endpoint failed or could not be reached."""

    exit_code = EXIT_ENVIRONMENT


class QueryTimeout(GraphkitError):
    """A query ran past the time it was given (on the embedded store or an endpoint)."""

    exit_code = EXIT_ENVIRONMENT


class EndpointTimeout(EndpointError, QueryTimeout):
    """A remote SPARQL endpoint did not answer in time."""


class StoppedByServer(EndpointTimeout):
    """A SPARQL server stopped the query at its own query timeout and said so in its answer: its
    engine is free again (nothing to restart)."""


class EnvironmentProblem(GraphkitError):
    """Something outside the input is missing or broken: a built file, a free port, a binary."""

    exit_code = EXIT_ENVIRONMENT


class CheckFailed(GraphkitError):
    """A check ran and found problems (stale build, violations)."""

    exit_code = EXIT_CHECK_FAILED


# ---------------------------------------------------------------------------------------------
# Values in messages: one line, short, readable


def names_several(text: str, chosen: str, others: list[str]) -> str:
    """The note on a name several entities have, read as ``chosen`` (each ``label (id)``)."""
    return f"{shorten(text)!r} is {chosen}; it also names {' and '.join(others)}: give the id to mean that"


def shorten(value, limit: int = 80) -> str:
    """``value`` as it goes into a message: cut at ``limit`` characters, saying how long it was.

    >>> shorten("x" * 100_000)[-24:]
    'xxx… (100000 characters)'
    >>> shorten("JMML")
    'JMML'
    """
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


# Control characters a terminal acts on (an escape sequence clears the screen or retitles the
# window, a carriage return writes over what came before): none but tab and line break printed as is.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    r"""``text`` with the control characters a terminal would act on written as Python escapes.

    >>> printable("a\x1b[2Jb\rc\td")
    'a\\x1b[2Jb\\rc\td'
    """
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], text)


def not_http(exc: Exception) -> str:
    """What a server that answered bytes that are no HTTP said (``http.client.BadStatusLine``: its
    text is those bytes, a NUL or a line break among them), as one printable line.

    >>> not_http(ValueError("\\x00 garbage\\r\\n"))
    "did not answer in HTTP (ValueError: '\\\\x00 garbage')"
    """
    return f"did not answer in HTTP ({type(exc).__name__}: '{excerpt(str(exc), 60)}')"


def excerpt(body: bytes | str, limit: int = 200) -> str:
    """A short, decoded, one-line excerpt of a response body: the text of an HTML page (its title
    first), any other body decoded as UTF-8, whitespace collapsed.

    >>> excerpt(b"<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>")
    '502 Bad Gateway: nginx'
    """
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    if re.search(r"(?i)<(!doctype html|html|body|head)\b", text):
        title = re.search(r"(?is)<title[^>]*>(.*?)</title>", text)
        text = re.sub(r"(?is)<(script|style|title)\b.*?</\1\s*>", " ", text)
        text = re.sub(r"<[^>]+>", " ", text)
        text = html.unescape(text)
        if title and title.group(1).strip():
            heading = " ".join(html.unescape(title.group(1)).split())
            rest = " ".join(text.split())
            rest = rest[len(heading):].strip() if rest.startswith(heading) else rest
            text = f"{heading}: {rest}" if rest else heading
    return shorten(printable(" ".join(text.split())), limit)


def close_names(word: str, names, n: int = 3, cutoff: float = 0.6, shown=None) -> list:
    """The ``names`` spelled most like ``word``, nearest first: the one measure of closeness
    behind every "did you mean" hint. With ``shown`` (a mapping from each name compared, a name
    lower-cased say, to what the user is shown), those, each once.

    >>> close_names("hasSymptoms", ["symptomOf", "hasSymptom", "treatedWith"])
    ['hasSymptom', 'symptomOf']
    >>> close_names("cd19", ["cd19", "cd22", "bcr"], n=1, shown={"cd19": "CD19", "cd22": "CD22", "bcr": "BCR"})
    ['CD19']
    """
    close = difflib.get_close_matches(word, list(names), n=n, cutoff=cutoff)
    return close if shown is None else list(dict.fromkeys(shown[name] for name in close))


def did_you_mean(names, limit: int = 3, separator: str = " or ", quoted: bool = True) -> str:
    """``; did you mean 'a' or 'b'?`` for the first ``limit`` distinct ``names`` (empty without any);
    unquoted for names that are written as the user types them (``--param``, ``gk:Drug``).

    >>> did_you_mean(["hasSymptom", "hasSymptom", "hasSymptom"])
    "; did you mean 'hasSymptom'?"
    >>> did_you_mean(["MONDO:0011908", "MONDO:0011909"], quoted=False)
    '; did you mean MONDO:0011908 or MONDO:0011909?'
    """
    distinct = list(dict.fromkeys(names))[:limit]
    written = (repr(shorten(n)) if quoted else shorten(n) for n in distinct)
    return f"; did you mean {separator.join(written)}?" if distinct else ""


def suggestion(word: str, choices, n: int = 3, shown=None) -> str:
    """`` (did you mean 'a', 'b'?)`` naming the ``choices`` close to ``word``: the hint a curation
    error gives for a misspelled field, id, type or unit (empty when none is close).

    >>> suggestion("qoute", ["quote", "section"])
    " (did you mean 'quote'?)"
    """
    close = close_names(word, choices, n=n, shown=shown)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
