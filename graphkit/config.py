"""The release, declared: ``ontology/release.yaml`` (in the manner of an ODK project file).

It lists the release products (``graphkit build`` writes them; ``build --check`` compares
them), the QC level that fails a build (``fail_on``) and the import modules (``graphkit link
--update-imports`` extracts them). Every problem in the file is reported with its line.

>>> from graphkit.project import Project
>>> config = Project.locate().config
>>> config.product("release").path, config.fail_on
('ontology/all.ttl', 'violation')
>>> [module.id for module in config.imports][:5]
['hp', 'mondo', 'doid', 'icd10cm', 'icd10who']
>>> sorted({module.method for module in config.imports})
['code-hierarchy', 'labels', 'terms-and-ancestors', 'terms-and-mappings']
>>> config.ontology.version, config.ontology.license
('0.1.0', 'https://creativecommons.org/licenses/by/4.0/')
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from . import yamlio

from .errors import CurationError, EnvironmentProblem, Location
from .iris import HTTP_IRI

LEVELS = ("violation", "warning", "info")            # worst first
PRODUCT_CONTENTS = ("release", "inferred", "property-shapes", "coverage", "catalog")
IMPORT_METHODS = ("terms-and-ancestors", "code-hierarchy", "terms-and-mappings", "labels")
_PRODUCT_FIELDS = {"path", "content", "description"}
_ONTOLOGY_FIELDS = {"version", "date", "title", "description", "creator", "homepage", "license"}
_IMPORT_FIELDS = {"id", "prefix", "method", "code_class", "title", "source", "license", "description"}
# What a build reads or runs, which no product may be written over (a product named
# ontology/schema.ttl had replaced the schema with the coverage report).
CURATED = ("sources", "ontology/curation", "ontology/imports", "ontology/schema.ttl", "ontology/shapes.ttl",
           "ontology/release.yaml", "queries", "loaders", "graphkit")
PRODUCT_FOLDERS = ("ontology", "docs")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]*")
# The fields that become IRIs, and the form each must have; every other field is a text. They
# had been read with str(): `title: [a, b]` was built as the title "['a', 'b']", an import's
# `id: a"b` went into its module's IRI and the build failed with a parser's traceback.
_IRI = (HTTP_IRI, "an http(s) IRI")
_FIELD_FORMS = {
    "homepage": _IRI, "license": _IRI, "source": _IRI,
    "id": (re.compile(r"[a-z0-9][a-z0-9_-]*"), "a name of lowercase letters, digits, '_' or '-' (it names "
                                               "ontology/imports/<id>.ttl and the module's IRI)"),
    "prefix": (re.compile(r"[A-Za-z][A-Za-z0-9_.-]*"), "a CURIE prefix (HP, MONDO ...)"),
}


@dataclass(frozen=True)
class Product:
    path: str               # relative to the project root
    content: str            # one of PRODUCT_CONTENTS: what the build writes there
    description: str


@dataclass(frozen=True)
class OntologyHeader:
    """The release's ontology header (:mod:`graphkit.header` writes it): version, date, title,
    description, creator, homepage and the one data licence of every product."""

    version: str
    date: str               # YYYY-MM-DD, declared (builds never read the clock)
    title: str
    description: str
    creator: str
    homepage: str
    license: str


@dataclass(frozen=True)
class ImportModule:
    id: str                 # ontology/imports/<id>.ttl
    prefix: str             # the CURIE prefix of its terms
    method: str             # one of IMPORT_METHODS
    title: str
    source: str
    license: str
    description: str
    code_class: str = ""    # code-hierarchy: the schema class of the code nodes


@dataclass(frozen=True)
class ReleaseConfig:
    ontology: OntologyHeader
    products: tuple[Product, ...]
    fail_on: str
    imports: tuple[ImportModule, ...]

    def product(self, content: str) -> Product:
        return next(p for p in self.products if p.content == content)

    @property
    def failing_levels(self) -> tuple[str, ...]:
        """The QC levels that fail a build: ``fail_on`` and the worse ones."""
        return LEVELS[:LEVELS.index(self.fail_on) + 1]


def load_config(path: Path, display: str) -> ReleaseConfig:
    if not Path(path).exists():
        raise EnvironmentProblem(f"{display} not found: not a graphkit project (see the README's layout)")
    doc = yamlio.load(path, display)
    problems: list[tuple[Location, str]] = []
    if not isinstance(doc, dict) or not isinstance(doc.get("release"), dict) or not isinstance(doc.get("ontology"), dict):
        raise CurationError([(Location(display, 1),
                              "the file needs an 'ontology:' and a 'release:' mapping and an 'imports:' list")])
    ontology = _ontology_header(doc["ontology"], problems)
    release = doc["release"]
    products = tuple(_entries(release.get("products"), Product, _PRODUCT_FIELDS, display, problems,
                              lambda e: e.get("content") in PRODUCT_CONTENTS,
                              f"content must be one of {', '.join(PRODUCT_CONTENTS)}"))
    problems += _product_path_problems(release.get("products"), display, Path(path).resolve().parent.parent)
    missing = set(PRODUCT_CONTENTS) - {p.content for p in products}
    if missing and not problems:
        problems.append((release.location("products"), f"no product for {', '.join(sorted(missing))}"))
    fail_on = release.get("fail_on", "violation")
    if fail_on not in LEVELS:
        problems.append((release.location("fail_on"), f"fail_on must be one of {', '.join(LEVELS)}, not {fail_on!r}"))
    imports = tuple(_entries(doc.get("imports"), ImportModule, _IMPORT_FIELDS, display, problems,
                             lambda e: e.get("method") in IMPORT_METHODS
                             and (e.get("method") != "code-hierarchy" or bool(e.get("code_class"))),
                             f"method must be one of {', '.join(IMPORT_METHODS)} (code-hierarchy with a code_class)"))
    if problems:
        raise CurationError(problems)
    return ReleaseConfig(ontology, products, fail_on, imports)


def _ontology_header(raw, problems: list) -> OntologyHeader | None:
    unknown, absent = set(raw) - _ONTOLOGY_FIELDS, _ONTOLOGY_FIELDS - set(raw)
    if unknown or absent:
        problems.append((raw.location(), "ontology: " + "; ".join(filter(None, [
            f"unknown field(s) {sorted(unknown)}" if unknown else "",
            f"missing field(s) {sorted(absent)}" if absent else ""]))))
        return None
    fields = _texts(raw, problems, "ontology: ")
    if fields is None:
        return None
    if not _VERSION.fullmatch(fields["version"]):         # it goes into the release's version IRI
        problems.append((raw.location("version"), f"ontology: version must be letters, digits, '.', '+', '_' "
                                                   f"or '-', not {fields['version']!r}"))
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields["date"]):
        problems.append((raw.location("date"), f"ontology: date must be YYYY-MM-DD, not {fields['date']!r}"))
        return None
    return OntologyHeader(**fields)


def _product_path_problems(raw, display: str, root: Path) -> list[tuple[Location, str]]:
    """Where a product's path would take the build outside the project, over a curated input or
    another file of the project, or over another product: `path: ../../etc/x.ttl` had been
    written, `path: docs` left a half-switched release, and a link named as a product had the
    schema replaced, each with exit 0. A product goes into ontology/ or docs/ (:data:`PRODUCT_FOLDERS`),
    never through a link into what the build reads."""
    problems, seen = [], set()
    real_root = Path(os.path.realpath(root))
    curated = [Path(os.path.realpath(root / name)) for name in (*CURATED, ".git", ".graphkit-cache")]
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            continue            # no path, or one that is no text: said by _entries
        where = entry.location("path") if isinstance(entry, yamlio.Located) else Location(display)
        text = str(entry["path"]).strip()
        path = PurePosixPath(text)
        real = Path(os.path.realpath(root / text)) if text else real_root
        if not text or path.is_absolute() or ".." in path.parts or "\\" in text or str(path) == "." \
                or real_root not in real.parents:
            problems.append((where, f"a product's path is relative to the project and stays in it, not {text!r}"))
        elif any(real == own or own in real.parents for own in curated):
            problems.append((where, f"the product path {text!r} is a file the build reads or runs "
                                    f"({', '.join(CURATED)} are curated)"))
        elif path.parts[0] not in PRODUCT_FOLDERS or len(path.parts) < 2:
            problems.append((where, f"the product path {text!r} is outside {' and '.join(f'{f}/' for f in PRODUCT_FOLDERS)}, "
                                    f"where the products go (beside the project's code and files it would replace them)"))
        elif real.is_dir():
            problems.append((where, f"the product path {text!r} is a folder; a product is a file"))
        elif str(path) in seen:
            problems.append((where, f"two products have the path {text!r}"))
        seen.add(str(path))
    return problems


def _entries(raw, kind, fields: set, display: str, problems: list, valid, rule: str) -> list:
    out = []
    if raw is not None and not isinstance(raw, list):
        problems.append((Location(display), f"expected a list of entries, got {raw!r}"))
        return out
    for entry in raw:
        where = entry.location() if isinstance(entry, yamlio.Located) else Location(display)
        if not isinstance(entry, dict):
            problems.append((where, f"expected a mapping, got {entry!r}"))
            continue
        unknown, absent = set(entry) - fields, fields - {"code_class"} - set(entry)
        if unknown or absent:
            problems.append((where, "; ".join(filter(None, [
                f"unknown field(s) {sorted(unknown)}" if unknown else "",
                f"missing field(s) {sorted(absent)}" if absent else ""]))))
            continue
        if not valid(entry):
            problems.append((where, rule))
            continue
        texts = _texts(entry, problems)
        if texts is not None:
            out.append(kind(**texts))
    return out


def _texts(raw, problems: list, context: str = "") -> dict[str, str] | None:
    """The fields of ``raw`` as stripped texts, or None with a problem at the line of each that is
    no text or not of its form (:data:`_FIELD_FORMS`). A version or a date YAML reads as a number
    or a date (`version: 1.0`, `date: 2026-12-02` unquoted) is taken as written."""
    fields, ok = {}, True
    for key, value in raw.items():
        text = str(value).strip() if isinstance(value, (str, int, float, date)) and not isinstance(value, bool) \
            and (isinstance(value, str) or key in ("version", "date")) else None
        pattern, form = _FIELD_FORMS.get(key, (None, "a text"))
        if not text or (pattern is not None and not pattern.fullmatch(text)):
            where = raw.location(key) if isinstance(raw, yamlio.Located) else Location("ontology/release.yaml")
            problems.append((where, f"{context}{key} must be {form}, not {value!r:.80}"))
            ok = False
        fields[key] = text
    return fields if ok else None
