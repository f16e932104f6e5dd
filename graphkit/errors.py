"""Errors that carry where they came from, so every message can name a file and line.

Exit codes of the command line (documented in the README):

==== =========================================================================
code meaning
==== =========================================================================
0    success (validation may have printed warnings)
1    a check failed: stale build, validation violations, xref check failures
2    bad input: curation errors, malformed SPARQL, unknown query or parameter
3    environment: endpoint unreachable, server failed, port in use, file missing
==== =========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_ENVIRONMENT = 3


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


class EndpointTimeout(EndpointError):
    """A remote SPARQL endpoint did not answer in time."""


class EnvironmentProblem(GraphkitError):
    """Something outside the input is missing or broken: a built file, a free port, a binary."""

    exit_code = EXIT_ENVIRONMENT


class CheckFailed(GraphkitError):
    """A check ran and found problems (stale build, violations)."""

    exit_code = EXIT_CHECK_FAILED
