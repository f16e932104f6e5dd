"""The catalogue's files: one ``.rq`` file per question, each with a ``#+`` header.

The header is the block of ``#+ `` comment lines at the top of the file, read as YAML (a header
in the manner of grlc's decorators, with graphkit's own keys: grlc reads parameters from
variable names such as ``?_disease_iri``, which these files do not use)::

    #+ summary: Symptoms of a disease, including those stated for its subtypes
    #+ description: Every phenotype a source lists for the disease or for any of its subtypes.
    #+ params:
    #+   disease: {type: entity, default: childhood_all, description: the disease}
    #+ example: graphkit query symptoms-of-disease --param disease="JMML in relapse"
    #+ (or a list of such command lines)
    #+ expected: 6 rows, all stated for juvenile myelomonocytic leukemia, in relapse: bone pain, ...
    #+ tags: [disease, symptom]
    #+ needs: inferred      (only where the answers need ontology/inferred.ttl loaded too)

Parameters are SPARQL variables of the same name (``?disease``); :mod:`.runner` binds them by
replacing each variable with its value as an RDF term (an IRI or a typed literal), so a ``.rq``
file is also a plain SPARQL query that other tools can run with their own bindings.

Each ``example`` is a command line a user can paste; :attr:`CatalogueQuery.example_params` is
what it binds (its ``--param`` values), so ``graphkit conformance`` and the tests run exactly
the documented examples (a test checks that every example of the catalogue parses). An example
asks what the defaults do not, and ``expected`` says what the example above it gives, in the
answer's own labels (README, "How to add ... a catalogue query"; tests/catalogue/test_examples.py).

>>> q = parse_query_text("#+ summary: s\\n#+ params:\\n#+   n: {type: integer, default: 2}\\nSELECT ?n WHERE {}", "x")
>>> q.params["n"].type, q.params["n"].default
('integer', 2)
"""

from __future__ import annotations

import re
import shlex
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import QueryError, close_names, did_you_mean, shorten, suggestion
from ..project import Project
from ..sparql import variables

# libyaml's loader where PyYAML was built with it (10x faster than the pure-Python one).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# ``name`` is a ``string`` searched in the entities' labels and synonyms: an answer with no rows
# names the names spelled nearly so (runner.close_names_note).
PARAM_TYPES = ("entity", "node", "code", "term", "string", "name", "integer", "decimal", "boolean", "iri", "source", "predicate", "class",
               "certainty", "prefix")
# grlc's header keys (method, endpoint) are accepted so that the files serve grlc too; graphkit reads neither.
HEADER_KEYS = {"summary", "description", "params", "example", "expected", "tags", "method", "endpoint", "needs"}
# What a query's answers may need besides all.ttl and the import modules (the ``needs:`` key):
# ``inferred`` is ontology/inferred.ttl, the reasoner's triples.
NEEDS = ("inferred",)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: object
    description: str = ""
    optional: bool = False
    choices: tuple = ()
    kinds: tuple[str, ...] = ()     # the schema's classes (local names) an entity or node parameter takes

    @property
    def takes(self) -> str:
        """The parameter's type as help and ``queries/README.md`` say it, with its kinds.

        >>> Param("drug", "entity", "x", kinds=("Drug", "DrugClass")).takes
        'entity of kind Drug or DrugClass'
        """
        return f"{self.type} of kind {' or '.join(self.kinds)}" if self.kinds else self.type

    @property
    def written_default(self) -> str:
        """The default as a user writes it on the command line: a YAML default ``true`` (Python's
        True, which --help, --list and queries/README.md had shown) as ``true``."""
        return str(self.default).lower() if isinstance(self.default, bool) else str(self.default)


def as_query_name(text: str) -> str:
    """A query name as the catalogue spells it: lower case, hyphens for underscores and spaces.

    >>> as_query_name("Symptoms_Of disease")
    'symptoms-of-disease'
    """
    return re.sub(r"[_\s]+", "-", text.strip()).lower()


@dataclass
class CatalogueQuery:
    name: str
    path: Path | None
    summary: str
    description: str
    params: dict[str, Param]
    example: str            # the example command line(s), one per line
    expected: str
    tags: list[str] = field(default_factory=list)
    body: str = ""          # the query text without the header
    text: str = ""          # the whole file
    needs: tuple[str, ...] = ()   # of NEEDS: what its answers need besides all.ttl and the imports
    where: str = ""         # how messages name it: "query NAME" for the catalogue's, else the path as given

    @property
    def example_params(self) -> list[dict]:
        """The ``--param`` values of each example command line (a :class:`QueryError` when an
        example does not run this query or names a parameter it does not have)."""
        return [example_params(line, self.name, self.params, self.where) for line in self.example.splitlines() if line]

    def help(self) -> str:
        """The query's help, as ``graphkit query NAME --help`` prints it: what it answers, each
        parameter with its type, default and description, its examples and their expected answer."""
        lines = [f"graphkit query {self.name}: {self.summary}", "", textwrap.fill(self.description, 96), ""]
        if self.params:
            lines.append("parameters (--param NAME=VALUE):")
            for param in self.params.values():
                takes = f"one of {', '.join(map(str, param.choices))}" if param.choices else param.takes
                extra = "; optional: any leaves it open" if param.optional else ""
                lines.append(f"  {param.name:<18} {takes}, default {param.written_default}{extra}")
                if param.description:
                    lines.append(textwrap.fill(param.description, 96, initial_indent=" " * 21,
                                               subsequent_indent=" " * 21))
        else:
            lines.append("no parameters")
        if self.example:
            lines += ["", "example:", *(f"  {line}" for line in self.example.splitlines())]
        if self.expected:
            lines += ["", f"expected ({self.expected_of}):",
                      textwrap.fill(self.expected, 96, initial_indent="  ", subsequent_indent="  ")]
        lines += ["", "The options of every query: graphkit query --help."]
        return "\n".join(lines) + "\n"

    @property
    def expected_of(self) -> str:
        """What ``expected`` describes: the answer of the example above it, or of each example in turn."""
        return "the examples' answers, in order" if len(self.example.splitlines()) > 1 else "the example's answer"

    def mentions(self, word: str) -> bool:
        """Whether ``word`` (any case) is in the query's name (written with underscores or spaces
        too: "symptoms_of"), summary or one of its tags: what ``graphkit query --list WORD`` lists
        (``gene`` is in the tag "genetic syndrome": a whole tag only, it had missed the risk factors)."""
        wanted = word.lower()
        return (as_query_name(wanted) in self.name or wanted in self.summary.lower()
                or any(wanted in tag.lower() for tag in self.tags))


def parse_query_text(text: str, name: str, path: Path | None = None, summary: str | None = None,
                     where: str | None = None) -> CatalogueQuery:
    """The query of ``text`` (a ``#+`` YAML header, then SPARQL). ``summary``: the summary when the
    header gives none (an ad hoc query's); without it the header must give one (a catalogue file).
    ``where``: how messages name the query (default: ``path`` as given, else ``name``)."""
    header_lines, body_lines, in_header = [], [], True
    for line in text.splitlines():
        if in_header and line.startswith("#+"):
            header_lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        else:
            in_header = in_header and not line.strip()
            body_lines.append(line)
    where = where or str(path or name)
    try:
        header = yaml.load("\n".join(header_lines), Loader=_YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise QueryError(f"{where}: malformed #+ header{line}: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(header, dict):
        raise QueryError(f"{where}: the #+ header must be a YAML mapping")
    unknown = sorted(set(header) - HEADER_KEYS)
    if unknown:
        hint = suggestion(unknown[0], sorted(HEADER_KEYS), n=1) or f" (the keys: {', '.join(sorted(HEADER_KEYS))})"
        raise QueryError(f"{where}: unknown header key {unknown[0]!r}{hint}")
    declared = header.get("params") or {}
    if not isinstance(declared, dict):     # grlc writes a list; graphkit names each parameter once
        raise QueryError(f"{where}: #+ params must map each parameter's name to its type and default, "
                         f"e.g. `#+   disease: {{type: entity, default: jmml}}`")
    params = {}
    for pname, spec in declared.items():
        if not isinstance(spec, dict):      # `disease: entity` was read as a text parameter whose default is "entity"
            example = spec if spec in PARAM_TYPES else "string"
            raise QueryError(f"{where}: parameter {pname!r} needs its type and default: "
                             f"`{pname}: {{type: {example}, default: ...}}`")
        extra = [key for key in spec if key not in PARAM_FIELDS]
        if extra:       # `description: the therapy, drug or food` unquoted: YAML read "drug or food" as a key
            hint = suggestion(str(extra[0]), sorted(PARAM_FIELDS), n=1) or (
                " (a description holding a comma needs quotes)" if "description" in spec else "")
            raise QueryError(f"{where}: parameter {pname!r} has unknown field {str(extra[0])!r}{hint}; its fields: "
                             f"{', '.join(sorted(PARAM_FIELDS))}")
        ptype = spec.get("type", "string")
        if ptype not in PARAM_TYPES:
            raise QueryError(f"{where}: parameter {pname!r} has unknown type {ptype!r}"
                             f"{suggestion(str(ptype), PARAM_TYPES) or ' (the types: ' + ', '.join(PARAM_TYPES) + ')'}")
        if _lacks_default(spec):
            raise QueryError(f"{where}: parameter {pname!r} needs a default that gives a meaningful answer")
        params[pname] = Param(name=pname, type=ptype, default=spec["default"],
                              description=str(spec.get("description", "")),
                              optional=bool(spec.get("optional", False)),
                              choices=tuple(spec.get("choices", ())),
                              kinds=_kinds(spec, pname, ptype, where))
    body = "\n".join(body_lines).strip() + "\n"
    used = {name for _, _, name in variables(body)}
    unused = [pname for pname in params if pname not in used]
    if unused:      # a value given for it would change nothing, silently
        raise QueryError(f"{where}: parameter {unused[0]!r} is declared in the header but ?{unused[0]} is not in the query")
    summary = header.get("summary") or summary
    if not summary:
        raise QueryError(f"{where}: the header needs a summary")
    needs = header.get("needs") or []
    needs = tuple([needs] if isinstance(needs, str) else needs)
    if not set(needs) <= set(NEEDS):
        raise QueryError(f"{where}: needs: {list(needs)!r}: a query can need only {', '.join(NEEDS)}")
    for key in ("summary", "description", "expected"):
        if not isinstance(header.get(key, ""), str):     # a list had been shown as Python's ['6 rows: ...']
            raise QueryError(f"{where}: {key} is one text (quote it, or fold it with >-), not a "
                             f"{type(header[key]).__name__}")
    examples = header.get("example") or []
    examples = [str(e).strip() for e in ([examples] if isinstance(examples, str) else examples)]
    return CatalogueQuery(
        name=name, path=path, summary=str(summary).strip(),
        description=str(header.get("description", "")).strip(), params=params,
        example="\n".join(examples), expected=str(header.get("expected", "")).strip(),
        tags=list(header.get("tags") or []), body=body, text=text,
        needs=needs, where=where,
    )


# The fields of a parameter's header: `disease: {type: entity, default: jmml, description: ...}`.
PARAM_FIELDS = frozenset({"type", "default", "description", "optional", "choices", "kinds"})
# A kind as a header names it: a class of the schema by its local name (``Drug``), or as a ``gk:`` CURIE.
_KIND = re.compile(r"(gk:)?[A-Za-z][A-Za-z0-9]*")


def _kinds(spec: dict, pname: str, ptype: str, where: str) -> tuple[str, ...]:
    """The kinds of entity a parameter takes (``kinds: [Drug, Therapy]``), as the schema's class
    names (``gk:Drug`` is ``Drug``): what an unknown value's suggestions prefer. Whether the schema
    has them is :func:`unknown_kinds`'s to say (this module reads files, not the graph).

    >>> _kinds({"kinds": ["gk:Drug", "Therapy"]}, "drug", "entity", "q"), _kinds({"kinds": "Disease"}, "d", "node", "q")
    (('Drug', 'Therapy'), ('Disease',))
    """
    kinds = spec.get("kinds")
    if kinds is None:
        return ()
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if ptype not in ("entity", "node"):
        raise QueryError(f"{where}: parameter {pname!r} has kinds, which only an entity or node parameter takes")
    if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) and _KIND.fullmatch(k) for k in kinds):
        raise QueryError(f"{where}: parameter {pname!r}: kinds is a list of the schema's class names, "
                         f"e.g. `kinds: [Drug, Therapy]`, not {shorten(kinds)}")
    return tuple(dict.fromkeys(k.removeprefix("gk:") for k in kinds))


def unknown_kinds(query: "CatalogueQuery", classes) -> list[str]:
    """What is wrong with the kinds of ``query``'s parameters: one message for each kind that is
    none of ``classes`` (the schema's class names), naming the query's file and the parameter
    (empty when all are known). ``graphkit query`` refuses such a query; a catalogue test reads
    every file with it.

    >>> q = parse_query_text("#+ summary: s\\n#+ params:\\n#+   d: {type: entity, default: x, kinds: [Drugg]}\\nSELECT ?d {}", "q")
    >>> unknown_kinds(q, {"Drug", "Disease"})
    ["q: parameter 'd' has unknown kind 'Drugg' (did you mean 'Drug'?)"]
    """
    catalogues = query.path is not None and query.where == f"query {query.name}"    # else the path as given
    where = f"{query.path.parent.name}/{query.path.name}" if catalogues else query.where
    known = set(classes)
    return [f"{where}: parameter {param.name!r} has unknown kind {kind!r}"
            f"{suggestion(kind, sorted(known), n=1) or ' (kinds are the classes of ontology/schema.ttl, by local name)'}"
            for param in query.params.values() for kind in param.kinds if kind not in known]


def _lacks_default(spec: dict) -> bool:
    """Whether a parameter's header gives it no default: none at all, or nothing (``default: ~``,
    ``''``), which had passed and failed only when the query ran without a value; an optional
    parameter's nothing leaves it open.

    >>> _lacks_default({"default": None}), _lacks_default({"default": False}), _lacks_default({"default": None, "optional": True})
    (True, False, False)
    """
    if "default" not in spec:
        return True
    default = spec["default"]
    return not spec.get("optional") and (default is None or not str(default).strip())


def example_params(command: str, name: str, params: dict[str, Param], where: str = "") -> dict[str, str]:
    """The ``--param`` values of an example command line ``graphkit query NAME --param k=v ...``.

    >>> example_params('graphkit query q --param disease="JMML in relapse" --format csv', "q",
    ...                {"disease": Param("disease", "entity", "jmml")})
    {'disease': 'JMML in relapse'}
    """
    try:
        args = shlex.split(command)
    except ValueError as exc:
        raise QueryError(f"{where or name}: example {command!r}: {exc}") from None
    if args[:3] != ["graphkit", "query", name]:
        raise QueryError(f"{where or name}: an example must run this query: `graphkit query {name} ...`, "
                         f"got {command!r}")
    try:
        values = parse_params([value for flag, value in zip(args, args[1:]) if flag in ("--param", "-p")])
    except QueryError as exc:
        raise QueryError(f"{where or name}: example {command!r}: {exc}") from None
    unknown = [pname for pname in values if pname not in params]
    if unknown:
        raise QueryError(f"{where or name}: example {command!r} names no parameter of the query: {unknown[0]!r}")
    return values


def parse_params(pairs, names=None) -> dict[str, str]:
    """The values of ``--param NAME=VALUE`` options, by name (a :class:`QueryError` for one
    without ``=`` or a name given twice; with the query's parameter ``names``, one without ``=``
    is shown written for the first of them, or said to have none to name).

    >>> parse_params(["disease=JMML in relapse", " kind =Disease"])
    {'disease': 'JMML in relapse', 'kind': 'Disease'}
    >>> parse_params(["JMML in relapse"], ["disease", "include_subtypes"])
    Traceback (most recent call last):
    ...
    graphkit.errors.QueryError: --param takes NAME=VALUE, got 'JMML in relapse': write --param 'disease=JMML in relapse' (the query's parameters: disease, include_subtypes)
    """
    params: dict[str, str] = {}
    for pair in pairs or []:
        if "=" not in pair:
            if names is not None and not names:     # late-effects --param cranial: no parameter to give
                raise QueryError(f"--param takes NAME=VALUE, got {shorten(pair)!r}: the query has no parameters")
            names = list(names or ())
            if pair.strip() in names:       # the name without its value
                hint = f": write --param {pair.strip()}=VALUE"
            elif names:                     # the value without its name, the first parameter's as a rule
                written = param_option(names[0], pair) if len(pair) <= 80 else f"--param {names[0]}=VALUE"
                hint = f": write {written} (the query's parameters: {', '.join(names)})"
            else:
                hint = ""
            raise QueryError(f"--param takes NAME=VALUE, got {shorten(pair)!r}{hint}")
        name, value = pair.split("=", 1)
        name = name.strip()
        if name in params:
            raise QueryError(f"parameter {shorten(name)!r} given twice")
        params[name] = value
    return params


def param_option(name: str, value) -> str:
    """``--param NAME=VALUE`` as a shell reads it back (quoted where it must be).

    >>> param_option("disease", "JMML in relapse"), param_option("disease", "gke:jmml")
    ("--param 'disease=JMML in relapse'", '--param disease=gke:jmml')
    """
    return f"--param {shlex.quote(f'{name}={value}')}"


# Parsed query files: path -> ((size, mtime in ns, inode), query). A process parses each file once, and again
# only when it changes (graphkit.query in a loop pays no YAML per call).
_PARSED: dict[Path, tuple[tuple, CatalogueQuery]] = {}


def read_query(path: Path, name: str | None = None) -> CatalogueQuery:
    """The catalogue's query in the file at ``path`` (named after the file), parsed once per
    version of it. Messages name it as the user runs it, ``query NAME``: its path may be an
    installed package's, which the user never typed."""
    info = path.stat()
    version = (info.st_size, info.st_mtime_ns, info.st_ino)
    held = _PARSED.get(path)
    if held is not None and held[0] == version:
        return held[1]
    name = name or path.stem
    query = parse_query_text(path.read_text(encoding="utf-8"), name, path, where=f"query {name}")
    _PARSED[path] = (version, query)
    return query


def load_catalogue(directory: Path, skipped: list[str] | None = None) -> dict[str, CatalogueQuery]:
    """Every ``*.rq`` directly in ``directory`` (not the ``qc/`` checks), by name. A file whose
    header is faulty raises its :class:`QueryError`; with ``skipped``, it is left out and its
    message appended there (a listing of the others: a CONSTRUCT a user saved as
    ``queries/NAME.rq`` for ``export --construct NAME`` has no header, and had stopped
    ``graphkit query --list``)."""
    queries = {}
    for path in sorted(directory.glob("*.rq")):
        try:
            queries[path.stem] = read_query(path)
        except QueryError as exc:
            if skipped is None:
                raise
            skipped.append(f"{exc} (left out)")
    return queries


@dataclass
class Catalogue:
    """The named queries of a project (``queries/*.rq``)."""

    project: Project

    def queries(self, skipped: list[str] | None = None) -> dict[str, CatalogueQuery]:
        return load_catalogue(self.project.queries_dir, skipped)

    def names(self) -> list[str]:
        return sorted(path.stem for path in self.project.queries_dir.glob("*.rq"))

    def get(self, name: str) -> CatalogueQuery:
        """The query named ``name``; written in another case or with underscores or spaces for its
        hyphens (``Symptoms_Of_Disease``), the query of the name so written if there is none
        spelled exactly so."""
        for candidate in dict.fromkeys((name, as_query_name(name))):
            path = self.project.queries_dir / f"{candidate}.rq"
            if re.fullmatch(r"[A-Za-z0-9_.-]{1,200}", candidate) and path.exists():
                return read_query(path, candidate)
        hint = did_you_mean(self.close(name), separator=", ", quoted=False) or "; `graphkit query --list` shows them"
        raise QueryError(f"no query named {shorten(name)!r} in the catalogue{hint}")

    def close(self, name: str) -> list[str]:
        """The catalogue's names spelled nearly as ``name`` (a typo's suggestions)."""
        return close_names(name, self.names(), cutoff=0.5)
