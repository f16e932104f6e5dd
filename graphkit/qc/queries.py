"""ROBOT-report-style checks written in SPARQL: ``queries/qc/<rule>-<level>.rq``.

Each query SELECTs ``?entity ?property ?value`` (one row per finding); the file name's suffix
``-violation``, ``-warning`` or ``-info`` sets the level, and the rule name is the rest of the
name. Header lines ``#+ summary: ...`` (the finding's message) and ``#+ description: ...``
document the rule. The release (``all.ttl``) is the default graph; the OWL RL inferences are
the named graph ``gkg:inferred``. The usual prefixes (gk:, gke:, rdf:, rdfs:, owl:, skos:,
dcterms:, oa:, prov:, gkg: ...) are predeclared.

>>> parse_name("duplicate-label-violation.rq")
('duplicate-label', 'violation')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..background import in_background
from ..errors import QueryError
from ..sparql import malformed, projected_variables
from .data import PREFIXES, QCData
from .findings import Finding

CHECK = "query"
REQUIRED = ("entity", "property", "value")
HEADER_KEYS = {"summary", "description"}


@dataclass(frozen=True)
class QCQuery:
    path: Path
    rule: str
    level: str
    summary: str
    description: str
    text: str


def parse_name(name: str) -> tuple[str, str]:
    match = re.fullmatch(r"(.+)-(violation|warning|info)\.rq", name)
    if not match:
        raise QueryError(f"{name}: a QC query is named <rule>-violation.rq, <rule>-warning.rq or <rule>-info.rq")
    return match.group(1), match.group(2)


def _check(path: Path, header: dict, text: str) -> None:
    """A check's file as the report needs it, or one line naming what is wrong: a misspelled
    header key would lose its text, a missing variable shows only once the check finds something."""
    unknown = sorted(set(header) - HEADER_KEYS)
    if unknown:
        raise QueryError(f"{path.name}: unknown header key {unknown[0]!r} (a QC query's header has "
                         f"{' and '.join(sorted(HEADER_KEYS))})")
    for key, what in (("summary", "the finding's text"), ("description", "what the rule checks, for docs/quality.md")):
        if not header.get(key):
            raise QueryError(f"{path.name}: the header needs a {key} (#+ {key}: ...), {what}")
    missing = [v for v in REQUIRED if v not in projected_variables(text)]
    if missing:
        raise QueryError(f"{path.name}: a QC query selects ?entity ?property ?value; it does not select ?{missing[0]}")


def load_queries(directory: Path) -> list[QCQuery]:
    queries = []
    for path in sorted(directory.glob("*.rq")):
        rule, level = parse_name(path.name)
        text = path.read_text(encoding="utf-8")
        header = dict(re.findall(r"^#\+\s*(\w+):\s*(.*)$", text, flags=re.MULTILINE))
        _check(path, header, text)
        queries.append(QCQuery(path, rule, level, header["summary"], header["description"], text))
    return queries


def run_query(data: QCData, query: QCQuery, answer: bytes | Exception) -> list[Finding]:
    """The findings of one query, from its ``answer`` (see :meth:`QCData.answer`), or what it
    raised as one line naming the query."""
    try:
        if isinstance(answer, Exception):
            raise answer
        rows = data.rows(answer)
    except SyntaxError as exc:
        raise QueryError(f"{query.path.name}: {malformed(exc, query.text, PREFIXES)}") from None
    except (OSError, ValueError) as exc:
        raise QueryError(f"{query.path.name}: query failed: {exc}") from None
    findings = []
    for row in rows:
        entity, prop, value = (row.get(v) for v in REQUIRED)
        if entity is None:
            raise QueryError(f"{query.path.name}: a QC query binds ?entity (and ?property, ?value) in every row")
        findings.append(Finding(query.level, query.rule, CHECK, data.short(entity), data.label(entity),
                                data.short(prop), data.short(value),
                                "; ".join(data.locations(entity, prop, value)), query.summary))
    return findings


def start_queries(data: QCData, queries: list[QCQuery]) -> Callable[[], list[Finding]]:
    """Evaluate ``queries`` (:func:`load_queries`) in a thread (:meth:`QCData.answer`), beside
    whatever the caller does next; the function returned waits for them and makes their findings,
    or raises the first error (a malformed query, one without ``?entity``) as :class:`QueryError`."""

    def evaluate() -> list:
        answers = []
        for query in queries:
            try:
                answers.append(data.answer(query.text))
            except (SyntaxError, OSError, ValueError) as exc:     # reported in its turn, as its query's
                answers.append(exc)
        return answers
    answers = in_background(evaluate, "graphkit-qc-queries")

    def findings() -> list[Finding]:
        found = []
        for query, answer in zip(queries, answers.result()):
            found.extend(run_query(data, query, answer))
        return found
    return findings
