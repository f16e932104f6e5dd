"""Source documents: the manifest, their texts, sections, and quote lookup.

Offsets are character offsets (Unicode code points) into the UTF-8-decoded text, 0-based,
end exclusive, as in a W3C Web Annotation ``TextPositionSelector``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from graphkit import yamlio
from graphkit.errors import CurationError, Location
from graphkit.iris import ENTITY_ID, HTTP_IRI, IRI_TEXT


SOURCE_FIELDS = {
    "id", "number", "file", "sha256", "title", "creator", "publisher", "date", "date_note",
    "url", "doi", "pmid", "citation", "type", "sections",
}
SECTION_KINDS = {"knowledge", "advice", "metadata", "chrome"}
# The fields that go into IRIs or are looked up by, and the form each must have. The others but
# `file` and `sections` are texts. The manifest had been read as it came: `number: [1]` went into
# the IRI of every evidence node (a traceback once the release was parsed), `id: [a]`, `url: 12` or
# a section that is a text were tracebacks, `title: [a, b]` became the text "['a', 'b']".
FIELD_FORMS = {
    "id": (ENTITY_ID, "a local id ([a-z0-9_])"),
    "number": (re.compile(r"\d+"), 'digits in quotes ("004"; unquoted, YAML reads 004 as the number 4)'),
    "sha256": (re.compile(r"[0-9a-f]{64}"), "the file's SHA-256 in 64 lowercase hexadecimal digits"),
    "url": (HTTP_IRI, "an http(s) URL"),
    "doi": (re.compile(r"10\.\d{4,9}/" + IRI_TEXT), "a DOI (10.NNNN/...)"),
    "pmid": (re.compile(r"\d+"), 'a PubMed id, digits in quotes ("26389385")'),
}


@dataclass(frozen=True)
class Section:
    title: str
    kind: str
    start: int
    end: int


@dataclass
class Source:
    id: str
    number: str
    path: Path
    title: str
    type: str
    text: str
    sha256: str
    metadata: dict
    sections: list[Section] = field(default_factory=list)
    location: Location = Location("sources/manifest.yaml")

    def section_at(self, offset: int) -> Section | None:
        for section in self.sections:
            if section.start <= offset < section.end:
                return section
        return None

    def section_named(self, title: str) -> Section | None:
        for section in self.sections:
            if section.title == title:
                return section
        return None

    def occurrences(self, quote: str, within: Section | None = None) -> list[int]:
        lo, hi = (within.start, within.end) if within else (0, len(self.text))
        found, pos = [], self.text.find(quote, lo)
        while pos != -1 and pos + len(quote) <= hi:
            found.append(pos)
            pos = self.text.find(quote, pos + 1)
        return found

    def near_miss(self, quote: str) -> str | None:
        """Where a quote that is not verbatim nearly matches, for hints: typographic quotes or
        dashes typed plainly, other spacing or case, or else how far it matches and what the
        source has where it stops matching.

        >>> source = Source("x", "000", Path("x.txt"), "t", "page", "The child’s hip bone is numbed.", "sha", {})
        >>> source.near_miss("The child's hip bone")
        "the source writes ’ where the quote has ' at offset 0: 'The child’s hip bone'"
        >>> source.near_miss("The child’s hip bones are numbed")
        "its first 20 characters match at offset 0; then the source has ' is numbed.' where the quote has 's are numbed'"
        >>> source.near_miss("The hip bone is numbed.")       # a word left out near the start
        "its last 20 characters match at offset 11; before them the source has 'The child’s' where the quote has 'The'"
        """
        at = self.text.translate(_TYPOGRAPHIC).find(quote.translate(_TYPOGRAPHIC))
        if at >= 0:
            found = self.text[at:at + len(quote)]
            differ = sorted({f"{a} where the quote has {b}" for a, b in zip(found, quote) if a != b})
            if differ:
                return f"the source writes {', '.join(differ)} at offset {at}: {found!r}"
        pattern = r"\s+".join(re.escape(word) for word in quote.split())
        if not pattern:
            return None
        for flags, what in ((0, "different spacing"), (re.IGNORECASE, "different case or spacing")):
            match = re.search(pattern, self.text, flags)
            if match:
                return f"{what} at offset {match.start()}: {match.group(0)!r}"
        first = self._longest_found(lambda n: quote[:n], len(quote))     # the longest start of the quote
        if first >= 20:
            at = self.text.find(quote[:first])
            return (f"its first {first} characters match at offset {at}; then the source has "
                    f"{self.text[at + first:at + first + 12]!r} where the quote has {quote[first:first + 12]!r}")
        last = self._longest_found(lambda n: quote[len(quote) - n:], len(quote))   # and the longest end
        if last >= 20:
            at = self.text.find(quote[len(quote) - last:])
            return (f"its last {last} characters match at offset {at}; before them the source has "
                    f"{self.text[max(0, at - 12):at].strip()!r} where the quote has "
                    f"{quote[:len(quote) - last][-12:].strip()!r}")
        return None

    def _longest_found(self, part, length: int) -> int:
        """The largest n <= length for which ``part(n)`` occurs in the text (found by halving:
        a part of a part that occurs occurs too)."""
        low, high = 0, length
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if part(middle) in self.text else (low, middle - 1)
        return low


# Typographic characters a quote typed by hand often has in their plain form (one character each,
# so offsets stay the same).
_TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_sources(manifest: Path, display: str = "sources/manifest.yaml",
                 read: Callable = yamlio.load) -> dict[str, Source]:
    """Read the manifest and every text it names; check hashes and section anchors. ``read``
    reads a YAML file (path, display name)."""
    doc = read(manifest, display)
    problems: list[tuple[Location, str]] = []
    sources: dict[str, Source] = {}
    if not isinstance(doc, dict) or not isinstance(doc.get("sources"), list):
        raise CurationError([(Location(display, 1), "manifest needs a 'sources:' list")])
    for entry in doc["sources"]:
        where = entry.location() if isinstance(entry, yamlio.Located) else Location(display)
        if not isinstance(entry, dict):
            problems.append((where, "each source must be a mapping"))
            continue
        unknown = set(entry) - SOURCE_FIELDS
        if unknown:
            problems.append((where, f"unknown field(s) {sorted(unknown)} in source entry"))
        missing = [k for k in ("id", "number", "file", "sha256", "title", "type") if entry.get(k) in (None, "")]
        if missing:
            problems.append((where, f"source entry lacks {missing}"))
            continue
        malformed = _malformed_fields(entry, where)
        if malformed:
            problems.extend(malformed)
            continue
        if entry["id"] in sources:
            problems.append((where, f"duplicate source id {entry['id']!r}"))
            continue
        # the number names the document too (`--source 004`, /source/004) and starts its evidence IRIs
        same_number = next((s for s in sources.values() if s.number == entry["number"]), None)
        if same_number is not None:
            problems.append((where, f"duplicate source number {entry['number']!r} "
                                                       f"(also {same_number.id!r}, at {same_number.location})"))
            continue
        name = str(entry["file"])
        if name != Path(name).name or name in (".", ".."):
            problems.append((where, f"source file {name!r}: give the name of a file beside the manifest "
                                    f"({manifest.parent.name}/), not a path"))
            continue
        path = manifest.parent / name
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            problems.append((where, f"source file {name!r} not found"))
            continue
        except OSError as exc:          # a folder of that name, a file it may not read
            problems.append((where, f"source file {name!r} cannot be read: {exc.strerror or exc}"))
            continue
        if _sha256(data) != entry["sha256"]:
            problems.append(
                (where, f"{entry['file']} changed: sha256 {_sha256(data)} differs from the manifest; "
                        "sources must stay byte-identical to the documents as received")
            )
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append((where, f"{name} is not UTF-8 text (byte {exc.start})"))
            continue
        metadata = {k: v for k, v in entry.items() if k not in {"sections"}}
        source = Source(
            id=entry["id"], number=str(entry["number"]), path=path, title=entry["title"],
            type=entry["type"], text=text, sha256=entry["sha256"], metadata=metadata, location=where,
        )
        sections_at = entry.location("sections") if isinstance(entry, yamlio.Located) and "sections" in entry else where
        problems.extend(_resolve_sections(source, entry.get("sections") or [], sections_at))
        sources[source.id] = source
    if problems:
        raise CurationError(problems)
    return sources


def _malformed_fields(entry: dict, where: Location) -> list[tuple[Location, str]]:
    """A problem at its line for each field of a source entry that is not of its form
    (:data:`FIELD_FORMS`; a text for the others)."""
    problems = []
    at = entry.location if isinstance(entry, yamlio.Located) else (lambda key: where)
    for key, value in entry.items():
        if key not in SOURCE_FIELDS or key == "file" or value is None:
            continue        # an unknown field is said already; `file` is checked as a name beside the manifest
        if key == "sections":
            if not isinstance(value, list):
                problems.append((at(key), f"sections must be a list of {{anchor, title, kind}}, not {value!r:.80}"))
        elif key in FIELD_FORMS:
            pattern, form = FIELD_FORMS[key]
            if not (isinstance(value, str) and pattern.fullmatch(value)):
                problems.append((at(key), f"{key} must be {form}, not {value!r:.80}"))
        elif key == "date" and isinstance(value, date):
            continue        # an unquoted 2023-10-09, which YAML reads as a date: written as it reads
        elif not (isinstance(value, str) and value.strip()):
            problems.append((at(key), f"{key} must be a text, not {value!r:.80}"))
    return problems


def _resolve_sections(source: Source, specs: list, listed_at: Location) -> list[tuple[Location, str]]:
    problems, starts = [], []
    for spec in specs:
        where = spec.location() if isinstance(spec, yamlio.Located) else listed_at
        anchor, title, kind = (spec.get("anchor"), spec.get("title"), spec.get("kind")) if isinstance(spec, dict) \
            else (None, None, None)
        if not isinstance(anchor, str) or not anchor or not isinstance(title, str) or not title.strip() \
                or kind not in SECTION_KINDS:
            problems.append((where, f"a section is {{anchor, title, kind}}: an anchor and a title as texts, the kind "
                                    f"one of {sorted(SECTION_KINDS)}; not {spec!r:.80}"))
            continue
        hits = source.occurrences(anchor)
        if len(hits) != 1:
            problems.append((where, f"section anchor {anchor!r} occurs {len(hits)} times in {source.path.name}; "
                                    "it must occur exactly once"))
            continue
        starts.append((hits[0], str(title), kind))
    starts.sort()
    if starts and starts[0][0] != 0:
        starts.insert(0, (0, "Preamble", "chrome"))
    for i, (start, title, kind) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(source.text)
        source.sections.append(Section(title, kind, start, end))
    return problems
