"""Findings of the quality checks and the report that lists them.

Every finding names its level, the rule, the entity (id and label), the property and value
concerned, the curated file and line it comes from, and what is wrong.

>>> f = Finding("violation", "entity-label", "shacl", "gke:x", "", "rdfs:label", "",
...             "ontology/curation/entities/diseases.yaml:3", "an entity has exactly one label")
>>> f.line()
'ontology/curation/entities/diseases.yaml:3: violation [entity-label] gke:x rdfs:label: an entity has exactly one label'
>>> Report([f]).exit_code
1
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from ..output import counted, delimited, table, tsv

LEVELS = ("violation", "warning", "info")
COLUMNS = ("level", "rule", "check", "entity", "label", "property", "value", "location", "message")


@dataclass(frozen=True, order=True)
class Finding:
    level: str          # violation | warning | info
    rule: str           # shape name, query name or check name
    check: str          # shacl | consistency | query | source
    entity: str         # compact id of the entity (or node) concerned
    label: str
    property: str
    value: str
    location: str       # curated file:line (several separated by "; ")
    message: str

    def sort_key(self):
        return (LEVELS.index(self.level), self.rule, _location_key(self.location), self.entity, self.property,
                self.value)

    def line(self) -> str:
        """``file:line: level [rule] entity "label" property value: message`` (one line)."""
        where = self.location.split("; ")[0] if self.location else "(no curated location)"
        name = f'{self.entity} "{self.label}"' if self.label else self.entity
        what = " ".join(x for x in (name, self.property, self.value) if x)
        return f"{where}: {self.level} [{self.rule}] {what}: {self.message}"


def _location_key(location: str) -> tuple:
    """``file:line`` in file order, then line number (``diseases.yaml:41`` before ``:104``).

    >>> sorted(["a.yaml:104", "a.yaml:41", "a.yaml:5", "", "b.yaml:2"], key=_location_key)
    ['', 'a.yaml:5', 'a.yaml:41', 'a.yaml:104', 'b.yaml:2']
    """
    parts = []
    for where in location.split("; ") if location else ():
        path, _, line = where.rpartition(":")
        parts.append((path, int(line)) if line.isdigit() else (where, 0))
    return tuple(parts)


@dataclass
class Report:
    findings: list[Finding]
    timings: dict[str, float] = field(default_factory=dict)
    target: str = ""
    fail_levels: tuple[str, ...] = ("violation",)   # the release declaration's fail_on and worse
    # The rules known to have run, (level, rule, check), those that found nothing too: the SHACL
    # shapes evaluated and the SPARQL checks of queries/qc/ (a check a contributor adds could not
    # be seen to run while it found nothing).
    checked: list[tuple[str, str, str]] = field(default_factory=list)

    def __post_init__(self):
        self.findings = sorted(set(self.findings), key=Finding.sort_key)

    def count(self, level: str) -> int:
        return sum(1 for f in self.findings if f.level == level)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "violation"]

    @property
    def failing(self) -> list[Finding]:
        """The findings that fail a build (and make ``graphkit validate`` exit 1)."""
        return [f for f in self.findings if f.level in self.fail_levels]

    @property
    def exit_code(self) -> int:
        return 1 if self.failing else 0

    def by_rule(self, every: bool = False) -> list[dict]:
        """Each rule with its number of findings; with ``every``, the :attr:`checked` rules that
        found nothing as well (0)."""
        counts = Counter((f.level, f.rule, f.check) for f in self.findings)
        if every:
            counts.update({key: 0 for key in self.checked if key not in counts})
        return [{"level": level, "rule": rule, "check": check, "findings": n}
                for (level, rule, check), n in sorted(counts.items(), key=lambda kv: (LEVELS.index(kv[0][0]), kv[0][1]))]

    def checked_line(self) -> str:
        """How many SHACL rules and SPARQL checks ran and how many of them found nothing ("" when
        none is known to have run)."""
        found = {(f.level, f.rule, f.check) for f in self.findings}
        parts = []
        for check, what in (("shacl", "SHACL rule"), ("query", "SPARQL check")):
            ran = {key for key in self.checked if key[2] == check}
            if ran:
                where = " of queries/qc/" if check == "query" else ""
                parts.append(f"{counted(len(ran), what)}{where} ran, {len(ran - found)} found nothing")
        if not parts:
            return ""
        return "; ".join(parts) + " (--format json lists every rule with its count)"

    def summary_line(self) -> str:
        violations, warnings = self.count("violation"), self.count("warning")
        return (f"{counted(violations, 'violation')}, {counted(warnings, 'warning')}, "
                f"{self.count('info')} info")

    def rows(self, min_level: str = "info") -> list[dict]:
        shown = LEVELS[: LEVELS.index(min_level) + 1]
        return [asdict(f) for f in self.findings if f.level in shown]

    def render(self, fmt: str = "table", min_level: str = "warning", per_rule: int = 10) -> str:
        """The report for people (``table``) or machines (``tsv``, ``csv``, ``json``)."""
        rows = self.rows(min_level)
        if fmt == "json":
            return json.dumps({"target": self.target, "summary": {lvl: self.count(lvl) for lvl in LEVELS},
                               "rules": self.by_rule(every=True), "findings": rows,
                               "timings_s": {k: round(v, 3) for k, v in self.timings.items()}},
                              indent=2, ensure_ascii=False) + "\n"
        if fmt == "tsv":
            return tsv(rows, COLUMNS)
        if fmt == "csv":
            return delimited(rows, COLUMNS, ",")
        return self._table(rows, min_level, per_rule)

    def _table(self, rows: list[dict], min_level: str, per_rule: int) -> str:
        """A summary table of the rules, then one table per rule (at most ``per_rule`` rows)."""
        out = [f"QC report of {self.target}: {self.summary_line()}" if self.target else self.summary_line()]
        out += [self.checked_line()] if self.checked else []
        groups: dict[tuple, list[dict]] = {}
        for row in rows:
            groups.setdefault((row["level"], row["rule"], row["check"]), []).append(row)
        if self.findings:
            every: dict[tuple, list[dict]] = {}
            for f in self.findings:
                every.setdefault((f.level, f.rule, f.check), []).append({"message": f.message})
            summary = [dict(r, message=_common_message(every[(r["level"], r["rule"], r["check"])]))
                       for r in self.by_rule()]
            out += ["", table(summary, ["level", "rule", "check", "findings", "message"], max_width=100)]
        for (level, rule, check), members in groups.items():
            varying = _common_message(members) == ""
            columns = ["entity", "label", "property", "value", "location"] + (["message"] if varying else [])
            shown = members[:per_rule] if per_rule else members
            out += ["", f"{level} {rule} ({check}, {len(members)}): {_common_message(members)}".rstrip(": "),
                    table(shown, columns, max_width=70, keep_end=["location"])]
            if len(shown) < len(members):
                out.append(f"... {len(members) - len(shown)} more (--all lists them; --format tsv or json for machines)")
        below = [lvl for lvl in LEVELS[LEVELS.index(min_level) + 1:] if self.count(lvl)]
        if below:
            out += ["", f"({', '.join(f'{self.count(lvl)} {lvl}' for lvl in below)} not listed: --level info lists them)"]
        return "\n".join(out) + "\n"


def _common_message(rows: list[dict]) -> str:
    messages = {r["message"] for r in rows}
    return messages.pop() if len(messages) == 1 else ""
