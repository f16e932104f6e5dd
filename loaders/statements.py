"""Curated statements: one YAML file per source document.

A file names its source and lists statements::

    source: chang_2004_jmml_second_hsct
    statements:
      - s: chang2004_overall_finding        # subject: a registry id
        p: patientsWithOutcome               # a schema property (or skos:altLabel / skos:definition)
        quantity: {value: 7, unit: patient}  # or  o: entity | [entities]   or  value: text/number
        quote: "Seven of the 13 JMML patients (54%) were alive and disease-free"
        certainty: established               # established | possible | under_study | unclear
        frequency: always                    # optional: always | usually | often | sometimes | rarely
        phase: [maintenance]                 # optional scope qualifiers (registry ids), see QUALIFIERS
        population: [infants_with_all]
        state: [relapse]
        members: some                        # optional, on a class's statement: the source says "some",
                                             # "certain" or "many of" its members; queries do not give it to each
        scope_note: the source states it for the broad subject   # optional: why a scope check may pass
        section: Abstract                    # optional: look for the quote in this section only
        start: 1234                          # optional: offset, when the quote occurs more than once
        id: chang_overall_alive              # optional: name to refer to it (disagreements.yaml)

Every statement is checked: the subject, object and qualifiers exist in the registry; the
property exists and its domain and range fit the entities' types; a quantity has a unit;
text values occur inside the quote (white space read as one space, and written so); the quote
occurs verbatim in the source text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable

from graphkit import yamlio
from graphkit.errors import CurationError, Location, shorten, suggestion
from graphkit.iris import short_digest
from graphkit.schema import Prop, Schema

from .registry import Registry
from .sources import Source

# Scope qualifiers: YAML field -> schema property of the evidence node (its range, if any, is
# the class every value must have).
QUALIFIERS = {"phase": "inPhase", "population": "forPopulation", "state": "forState",
              "line": "forLineOfTherapy", "period": "duringPeriod"}
STATEMENT_FIELDS = {
    "s", "p", "o", "value", "quantity", "quote", "certainty", "frequency", *QUALIFIERS, "members", "scope_note",
    "section", "start", "id",
}
CERTAINTIES = {"established": "Established", "possible": "Possible", "under_study": "UnderStudy",
               "unclear": "Unclear"}
FREQUENCIES = {"always": "Always", "usually": "Usually", "often": "Often", "sometimes": "Sometimes",
               "rarely": "Rarely"}
# A quantity's numbers: its value, or the bounds of a range (the names of its YAML keys and fields).
BOUNDS = ("value", "min_inclusive", "min_exclusive", "max_inclusive", "max_exclusive")
QUANTITY_FIELDS = {*BOUNDS, "unit", "approximate"}
UNITS = {"year", "month", "week", "day", "hour", "percent", "cells_per_microliter", "patient", "chromosome",
         "times_per_day", "times_per_week"}


@dataclass(frozen=True)
class Quantity:
    unit: str
    value: Decimal | None = None
    min_inclusive: Decimal | None = None
    min_exclusive: Decimal | None = None
    max_inclusive: Decimal | None = None
    max_exclusive: Decimal | None = None
    approximate: bool = False

    def key(self) -> str:
        parts = [f"{k}={getattr(self, k)}" for k in BOUNDS if getattr(self, k) is not None]
        return ";".join(parts + [f"unit={self.unit}", f"approx={self.approximate}"])


@dataclass
class Statement:
    source: Source
    subject: str
    prop: Prop
    quote: str
    start: int
    end: int
    section: str
    location: Location
    obj: str | None = None              # registry id
    value: object = None                # str / int / Decimal for datatype properties
    quantity: Quantity | None = None
    certainty: str = "Established"
    frequency: str | None = None
    qualifiers: dict[str, list[str]] = field(default_factory=dict)   # YAML field -> registry ids
    scope_note: str | None = None
    name: str | None = None
    some_members: bool = False          # stated for some members of the subject class, not for each

    def object_key(self) -> str:
        if self.obj is not None:
            return f"o={self.obj}"
        if self.quantity is not None:
            return f"q={self.quantity.key()}"
        return f"v={self.value!r}"

    @property
    def digest(self) -> str:
        return short_digest(self.source.id, self.subject, str(self.prop.iri), self.object_key(), str(self.start),
                            str(self.end))


def load_statement_files(directory: Path, schema: Schema, registry: Registry, sources: dict[str, Source],
                         display_root: Path | None = None, read: Callable = yamlio.load) -> list[Statement]:
    """The statement files of ``directory``; ``read`` reads a YAML file (path, display name)."""
    shown = str(directory.relative_to(display_root)) if display_root else str(directory)
    if not directory.is_dir():
        raise CurationError([(Location(shown), "the statements directory is missing: the release would have no "
                                               "statements (each source's curation is a *.yaml file there)")])
    problems: list[tuple[Location, str]] = []
    statements: list[Statement] = []
    for path in sorted(directory.glob("*.yaml")):
        display = str(path.relative_to(display_root)) if display_root else str(path)
        try:
            statements.extend(load_statement_file(path, display, schema, registry, sources, read))
        except CurationError as exc:
            problems.extend(exc.problems)
    if not problems:
        # A source whose file went missing (moved, renamed to *.bak) would otherwise build a release
        # without its statements, and replace the one that had them.
        curated = {st.source.id for st in statements}
        problems.extend((source.location, f"source {source.id!r} ({source.number}) has no statements: no file in "
                                          f"{shown}/ names it (source: {source.id})")
                        for source in sources.values() if source.id not in curated)
    seen: dict[tuple, Statement] = {}
    names: dict[str, Statement] = {}
    for st in statements:
        key = (st.source.id, st.subject, st.prop.name, st.object_key(), st.start)
        if key in seen:
            problems.append((st.location, f"duplicate statement (same as {seen[key].location})"))
        seen.setdefault(key, st)
        if st.name:
            if st.name in names:
                problems.append((st.location, f"duplicate statement id {st.name!r} (also at {names[st.name].location})"))
            names.setdefault(st.name, st)
    if problems:
        raise CurationError(problems)
    return statements


def load_statement_file(path: Path, display: str, schema: Schema, registry: Registry,
                        sources: dict[str, Source], read: Callable = yamlio.load) -> list[Statement]:
    doc = read(path, display)
    if not isinstance(doc, yamlio.Located) or "source" not in doc:
        raise CurationError([(Location(display, 1), "a statement file needs 'source:' and 'statements:'")])
    unknown = set(doc) - {"source", "statements"}
    if unknown:
        raise CurationError([(doc.location(), f"unknown top-level field(s) {sorted(unknown)}")])
    if not isinstance(doc["source"], str):     # `source: [a, b]` had been a traceback (unhashable type)
        raise CurationError([(doc.location("source"), f"source: names one source of sources/manifest.yaml by its id, "
                                                      f"not {doc['source']!r:.60}")])
    source = sources.get(doc["source"])
    if source is None:
        raise CurationError([(doc.location("source"),
                              f"unknown source {doc['source']!r}{suggestion(str(doc['source']), sources)}")])
    problems: list[tuple[Location, str]] = []
    result: list[Statement] = []
    for entry in doc.get("statements") or []:
        if not isinstance(entry, yamlio.Located):
            problems.append((doc.location("statements"), f"a statement must be a mapping, got {entry!r}"))
            continue
        result.extend(_read_statement(entry, source, schema, registry, problems))
    if problems:
        raise CurationError(problems)
    return result


def _read_statement(entry: yamlio.Located, source: Source, schema: Schema, registry: Registry,
                    problems: list) -> list[Statement]:
    where = entry.location()
    before = len(problems)
    unknown = sorted(set(entry) - STATEMENT_FIELDS)
    for key in unknown:         # each on its own line, with the field it may be a slip for
        hint = suggestion(key, STATEMENT_FIELDS) or f" (allowed: {sorted(STATEMENT_FIELDS)})"
        problems.append((entry.location(key), f"unknown field {key!r}{hint}"))
    subject, pname, quote = entry.get("s"), entry.get("p"), entry.get("quote")
    if not isinstance(subject, str) or not isinstance(pname, str) or not isinstance(quote, str) or not quote:
        wrong = [(key, value) for key, value in (("s", subject), ("p", pname), ("quote", quote))
                 if value is not None and (not isinstance(value, str) or not value)]
        for key, value in wrong:    # there, but not one text: `s: [a, b]`, `quote: 12345`, `quote: ""`
            what = "the source's words, in quotes" if key == "quote" else "one id (a list goes in `o:`)" if key == "s" \
                else "one property name"
            problems.append((entry.location(key), f"{key} must be {what}, not {value!r:.60}"))
        if not unknown and not wrong:   # a misspelled s, p or quote is reported above, once
            problems.append((where, "a statement needs s, p and quote"))
        return []
    # Texts the statement is named or placed by: `id: [a]` and `section: 12` had been tracebacks.
    for key, what in (("id", "a name for the statement (disagreements.yaml names it)"),
                      ("section", "the title of a section of the manifest")):
        if key in entry and not (isinstance(entry[key], str) and entry[key].strip()):
            problems.append((entry.location(key), f"{key} must be {what}, not {entry[key]!r:.60}"))
    if subject not in registry:
        problems.append((entry.location("s"), f"unknown entity id {subject!r}{suggestion(subject, registry)}"))
    prop = schema.prop(pname)
    if prop is None:
        problems.append((entry.location("p"), f"unknown predicate {pname!r}{suggestion(pname, schema.props)}"))
    stated = _how_stated(entry, schema, registry, problems)
    span = _locate_quote(entry, quote, source, problems)
    if prop is None or subject not in registry or len(problems) > before:
        if prop is not None and prop.kind == "object" and "o" in entry:
            # the objects too, so that one build names every problem of the statement
            for obj in _objects(entry):
                _known_object_types(entry, obj, registry, schema, problems)
        return []
    if prop.domain and not schema.is_compatible(set(registry[subject].types), prop.domain):
        problems.append((entry.location("s"), f"subject {subject!r} ({'/'.join(registry[subject].types)}) "
                                              f"is outside the domain {prop.domain} of {prop.name}"))
        return []
    if entry.get("id") is not None and isinstance(entry.get("o"), list) and len(entry["o"]) > 1:
        problems.append((entry.location("id"), f"id {entry['id']!r} names one statement, and this entry makes "
                                               f"{len(entry['o'])} (one per object): give the object it names "
                                               "a statement of its own"))
        return []
    start, end = span
    section = source.section_at(start)
    common = dict(source=source, subject=subject, prop=prop, quote=quote, start=start, end=end,
                  section=section.title if section else "", location=where, name=entry.get("id"), **stated)
    given = [k for k in ("o", "value", "quantity") if k in entry]
    expected = {"object": "o", "datatype": "value", "quantity": "quantity"}[prop.kind]
    if given != [expected]:
        hint = ""
        if prop.kind == "quantity" and "value" in entry:
            hint = "; a number for this property needs a unit: write quantity: {value: N, unit: ...}"
        problems.append((where, f"{prop.name} takes '{expected}:' (got {given or 'nothing'}){hint}"))
        return []
    if prop.kind == "object":
        result = []
        for obj in _objects(entry):
            types = _known_object_types(entry, obj, registry, schema, problems)
            if types is None:
                continue
            rng = prop.range_local
            if rng and not schema.is_compatible(types, rng):
                problems.append((entry.location("o"), f"object {obj!r} ({'/'.join(sorted(types))}) does "
                                                      f"not fit the range {rng} of {prop.name}"))
                continue
            result.append(Statement(obj=obj, **common))
        return result
    if prop.kind == "quantity":
        quantity = _read_quantity(entry, quote, problems)
        return [Statement(quantity=quantity, **common)] if quantity else []
    value = _read_value(entry, prop, quote, problems)
    return [Statement(value=value, **common)] if value is not None else []


def _how_stated(entry: yamlio.Located, schema: Schema, registry: Registry, problems: list) -> dict:
    """How the source states a statement, as :class:`Statement` fields: its certainty and
    frequency, its scope (the qualifiers, each value checked against the range of its property,
    and the scope note) and whether it holds for some members only; each field that is wrong is
    added to ``problems``."""
    certainty = CERTAINTIES.get(str(entry.get("certainty", "established")))
    if certainty is None:
        problems.append((entry.location("certainty"),
                         f"certainty {entry.get('certainty')!r} not in {sorted(CERTAINTIES)}"))
    frequency = None
    if "frequency" in entry:
        frequency = FREQUENCIES.get(str(entry["frequency"]))
        if frequency is None:
            problems.append((entry.location("frequency"),
                             f"frequency {entry['frequency']!r} not in {sorted(FREQUENCIES)}"))
    qualifiers = {}
    for key, qualifier_prop in QUALIFIERS.items():
        ids = _id_list(entry, key, registry, problems)
        if not ids:
            continue
        required = schema.prop(qualifier_prop).range_local
        for ident in ids:
            if required and not schema.is_compatible(set(registry[ident].types), required):
                problems.append((entry.location(key), f"qualifier {key} {ident!r} is not a {required}"))
        qualifiers[key] = ids
    members = entry.get("members")
    if members is not None and members != "some":
        problems.append((entry.location("members"), f"members takes 'some' (the source says some, certain or many "
                                                     f"of the class's members), not {shorten(str(members))!r}"))
    scope_note = entry.get("scope_note")
    if scope_note is not None and (not isinstance(scope_note, str) or not scope_note.strip()):
        problems.append((entry.location("scope_note"), "scope_note takes a sentence: why the scope is right"))
    return dict(certainty=certainty, frequency=frequency, qualifiers=qualifiers, scope_note=scope_note,
                some_members=members == "some")


def _objects(entry) -> list:
    """A statement's objects: its ``o:``, one id or a list of them (one statement each)."""
    return entry["o"] if isinstance(entry["o"], list) else [entry["o"]]


def _known_object_types(entry, obj, registry: Registry, schema: Schema, problems: list) -> set[str] | None:
    """The types of ``obj``, an object of ``entry`` (:func:`_object_types`); None, with the
    problem noted, for an id the registry does not have."""
    types = _object_types(obj, registry, schema)
    if types is None:
        problems.append((entry.location("o"), f"unknown entity id {obj!r}{suggestion(str(obj), registry)}"))
    return types


def _object_types(obj, registry: Registry, schema: Schema) -> set[str] | None:
    """Types of a statement object: a registry entity, or a schema value-set member (gk:AllOf)."""
    if not isinstance(obj, str):
        return None
    if obj in registry:
        return set(registry[obj].types)
    if obj.startswith("gk:") and obj[3:] in schema.individuals:
        return schema.individuals[obj[3:]]
    return None


def _id_list(entry, key, registry, problems) -> list[str]:
    raw = entry.get(key) or []
    ids = raw if isinstance(raw, list) else [raw]
    for ident in ids:
        if not isinstance(ident, str):      # `population: {a: 1}` had been a traceback (unhashable type)
            problems.append((entry.location(key), f"{key} takes entity ids (one, or a list), not {ident!r:.60}"))
        elif ident not in registry:
            problems.append((entry.location(key), f"unknown entity id {ident!r} in {key}{suggestion(str(ident), registry)}"))
    return [i for i in ids if isinstance(i, str) and i in registry]


def _locate_quote(entry, quote: str, source: Source, problems) -> tuple[int, int]:
    if len(quote) > len(source.text):      # no near miss to look for (a 10 MB quote took 36 s to refuse)
        problems.append((entry.location("quote"), f"the quote ({len(quote):,} characters) is longer than the whole "
                                                   f"of {source.path.name} ({len(source.text):,})"))
        return (0, 0)
    within = None
    if isinstance(entry.get("section"), str):    # one of another kind is said by _read_statement
        within = source.section_named(entry["section"])
        if within is None:
            titles = [s.title for s in source.sections]
            hint = suggestion(entry["section"], titles) or f"; its sections: {', '.join(map(repr, titles))}"
            problems.append((entry.location("section"), f"no section {entry['section']!r} in {source.id}{hint}"))
            return (0, 0)
    if "start" in entry:
        start = entry["start"]
        if isinstance(start, bool) or not isinstance(start, int) or start < 0:
            problems.append((entry.location("start"), f"start: takes the quote's character offset in "
                                                      f"{source.path.name}, a whole number, not {start!r}"))
            return (0, 0)
        if source.text[start:start + len(quote)] != quote:
            hits = source.occurrences(quote)
            problems.append((entry.location("start"), f"quote is not at offset {start} of {source.path.name}"
                                                      f" (it occurs at {hits[:5]})"))
            return (0, 0)
        return (start, start + len(quote))
    hits = source.occurrences(quote, within)
    if len(hits) == 1:
        return (hits[0], hits[0] + len(quote))
    elsewhere = source.occurrences(quote) if within is not None and not hits else []
    if elsewhere:
        places = [f"{section.title!r} (offset {offset})" if section else f"offset {offset}"
                  for offset, section in ((offset, source.section_at(offset)) for offset in elsewhere[:3])]
        problems.append((entry.location("section"), f"the quote is not in section {within.title!r} of "
                                                    f"{source.path.name}; it is in {', '.join(places)}"))
    elif not hits:
        hint = source.near_miss(quote)
        problems.append((entry.location("quote"), f"quote not found verbatim in {source.path.name}"
                                                  + (f"; near miss: {hint}" if hint else "")
                                                  + f": {quote[:80]!r}"))
    else:
        problems.append((entry.location("quote"), f"quote occurs {len(hits)} times in {source.path.name} "
                                                  f"(offsets {hits[:6]}); add 'start:' or 'section:' to choose"))
    return (0, 0)


def _number(raw, where, problems) -> Decimal | None:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        problems.append((where, f"{raw!r} is not a number"))
        return None
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        problems.append((where, f"{raw!r} is not a number"))
        return None
    if not number.is_finite():                   # YAML's .nan and .inf
        problems.append((where, f"{raw!r} is not a finite number"))
        return None
    return number


# How the sources write small numbers in words ("Seven of the 13", "once or twice a day", "daily",
# "under the age of four", "after the first month").
_NUMBER_WORDS = {1: ("one", "once", "first", "single", "daily", "weekly"), 2: ("two", "twice", "second"),
                 3: ("three", "third"), 4: ("four", "fourth"), 5: ("five", "fifth"), 6: ("six", "sixth"),
                 7: ("seven",), 8: ("eight",), 9: ("nine",), 10: ("ten",), 11: ("eleven",), 12: ("twelve",)}


def _stated(number: Decimal, quote: str) -> bool:
    """Whether ``quote`` writes ``number``: in digits (``13``, ``1,000``, ``0.5``) or, up to
    twelve, in words."""
    written = {format(number.normalize(), "f")}
    words: tuple[str, ...] = ()
    if number == number.to_integral_value():
        whole = int(number)
        written |= {str(whole), f"{whole:,}"}
        words = _NUMBER_WORDS.get(whole, ())
    return any(re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", quote) for form in written) \
        or any(re.search(rf"\b{word}\b", quote, re.IGNORECASE) for word in words)


def _read_quantity(entry, quote: str, problems) -> Quantity | None:
    raw = entry["quantity"]
    where = entry.location("quantity")
    if not isinstance(raw, dict):
        problems.append((where, "quantity must be a mapping such as {value: 7, unit: patient}"))
        return None
    unknown = set(raw) - QUANTITY_FIELDS
    if unknown:
        problems.append((where, f"unknown quantity field(s) {sorted(unknown)} (allowed: {sorted(QUANTITY_FIELDS)})"))
        return None
    unit = raw.get("unit")
    if not unit:
        problems.append((where, "number without unit: add unit (one of " + ", ".join(sorted(UNITS)) + ")"))
        return None
    if unit not in UNITS:
        problems.append((where, f"unknown unit {unit!r}{suggestion(str(unit), UNITS)}"))
        return None
    numbers = {}
    for key in BOUNDS:
        if key in raw:
            numbers[key] = _number(raw[key], where, problems)
            if numbers[key] is None:
                return None
    if not numbers:
        problems.append((where, "quantity needs value or a bound (min_inclusive, max_exclusive, ...)"))
        return None
    if "value" in numbers and len(numbers) > 1:
        problems.append((where, "quantity has either value or bounds, not both"))
        return None
    if ("min_inclusive" in numbers and "min_exclusive" in numbers) or \
            ("max_inclusive" in numbers and "max_exclusive" in numbers):
        problems.append((where, "quantity has at most one lower and one upper bound"))
        return None
    # Every unit counts, measures a time or a share: a number the quote does not write (a typo:
    # 540 for "(54%)"), a negative one or a share past 100% had built, and the catalogue showed it.
    for key, number in numbers.items():
        if number < 0:
            problems.append((where, f"{key} {number} is negative: every unit here counts, measures a time or a share"))
            return None
        if unit == "percent" and number > 100:
            problems.append((where, f"{key} {number} is more than 100 percent"))
            return None
        if not _stated(number, quote):
            problems.append((where, f"{key} {number} does not occur in the quote (in digits, or up to twelve in words)"))
            return None
    low = numbers.get("min_inclusive", numbers.get("min_exclusive"))
    high = numbers.get("max_inclusive", numbers.get("max_exclusive"))
    if low is not None and high is not None and low > high:
        problems.append((where, f"the lower bound {low} is above the upper bound {high}"))
        return None
    return Quantity(unit=unit, approximate=bool(raw.get("approximate", False)), **numbers)


def _read_value(entry, prop: Prop, quote: str, problems):
    raw = entry["value"]
    where = entry.location("value")
    range_name = str(prop.range).rsplit("#", 1)[-1] if prop.range is not None else "string"
    if range_name == "integer":
        if isinstance(raw, bool) or not isinstance(raw, int):
            problems.append((where, f"{prop.name} takes an integer, got {raw!r}"))
            return None
        if prop.quoted and str(raw) not in quote:
            problems.append((where, f"{prop.name} value {raw} does not occur in the quote"))
            return None
        return raw
    if not isinstance(raw, str) or not raw.strip():
        problems.append((where, f"{prop.name} takes text, got {raw!r}"))
        return None
    # White space is compared as one space: a quote keeps the source's line breaks and indents
    # (the HTML's layout), which a definition or note shown to a reader should not.
    if prop.quoted and " ".join(raw.split()) not in " ".join(quote.split()):
        problems.append((where, f"text value {raw!r} of {prop.name} must occur verbatim in the quote"))
        return None
    return " ".join(raw.split())
