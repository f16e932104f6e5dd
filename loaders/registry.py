"""The entity registry: every node of the graph, with id, type, label, synonyms and xrefs.

The registry is the set of YAML files in ``ontology/curation/entities/`` (one per kind of
entity, for easier review); together they form one registry: an id is defined once.
An entry::

    - id: jmml_in_relapse                 # local id ([a-z0-9_]) or external CURIE (ICD10CM:C93.32)
      type: DiseaseInState                # schema class, or a list of them
      label: juvenile myelomonocytic leukemia, in relapse
      synonyms: [JMML in relapse]
      xrefs:
        - ICD10CM:C93.32                  # exact match, manual curation
        - {id: MONDO:0011908, match: broad, note: "MONDO has no relapse-specific class"}
        - {id: NCIT:C0000, unverified: true, note: why it is kept}
      comment: curator note (not a source fact)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from graphkit import yamlio
from graphkit.errors import CurationError, Location, suggestion
from graphkit.namespaces import ENTITY_ID, is_curie, standardize_curie
from graphkit.schema import Schema

# Characters an IRI may not hold (RFC 3987: spaces, controls, <>"{}|^`\): a CURIE holding one
# became an IRI the reasoner panicked on (a Rust traceback, exit 1) after every check had passed.
NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')


# A control character in a name (a NUL written as YAML's "\0" escape, a tab, a line break inside
# a quoted label) is no part of a name the sources give; it had been built into the labels, exit 0.
CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def iri_unsafe(curie: str) -> str:
    """The first character of ``curie`` an IRI may not hold, as ``repr`` writes it, or ""."""
    found = NOT_IN_IRI.search(curie)
    return repr(found.group()) if found else ""


ENTITY_FIELDS = {"id", "type", "label", "synonyms", "xrefs", "comment"}
XREF_FIELDS = {"id", "match", "justification", "unverified", "note"}
# An xref's match and justification as curated -> the local name of its SKOS mapping property
# and of its SEMAPV justification: the one table every writer of mappings derives its own from.
MATCHES = {"exact": "exactMatch", "close": "closeMatch", "broad": "broadMatch", "narrow": "narrowMatch",
           "related": "relatedMatch"}
JUSTIFICATIONS = {"manual": "ManualMappingCuration", "lexical": "LexicalMatching", "via_mondo": "MappingChaining"}


@dataclass(frozen=True)
class Xref:
    curie: str
    match: str = "exact"
    justification: str = "manual"
    unverified: bool = False
    note: str = ""
    location: Location | None = field(default=None, compare=False)   # its line in the registry


@dataclass
class Entity:
    id: str
    types: list[str]
    label: str
    synonyms: list[str] = field(default_factory=list)
    xrefs: list[Xref] = field(default_factory=list)
    comment: str = ""
    location: Location = Location("?")


class Registry(dict):
    """Entity id -> :class:`Entity`."""


def load_registry(directory: Path, schema: Schema, display_root: Path | None = None,
                  read: Callable = yamlio.load) -> Registry:
    """The entity files of ``directory``; ``read`` reads a YAML file (path, display name)."""
    files = sorted(directory.glob("*.yaml"))
    problems: list[tuple[Location, str]] = []
    registry = Registry()
    if not files:
        raise CurationError([(Location(directory), "no entity files (*.yaml) in the registry directory")])
    for path in files:
        display = str(path.relative_to(display_root)) if display_root else str(path)
        try:
            doc = read(path, display)
        except CurationError as exc:
            problems.extend(exc.problems)
            continue
        entries = doc.get("entities") if isinstance(doc, dict) else None
        if not isinstance(entries, list) or not entries:
            # an emptied file would otherwise show as an "unknown entity" line per statement that names one of its entities
            problems.append((Location(display, 1), "an entity file holds a non-empty 'entities:' list"
                                                   + (" (this one is empty)" if not doc else "")))
            continue
        for key in sorted(set(doc) - {"entities"}):
            problems.append((doc.location(key), f"unknown key {key!r} (an entity file holds 'entities:' only)"))
        for entry in entries:
            _read_entity(entry, display, schema, registry, problems)
    if problems:
        raise CurationError(problems)
    return registry


def _read_entity(entry, display, schema: Schema, registry: Registry, problems) -> None:
    if not isinstance(entry, yamlio.Located):
        problems.append((Location(display), f"entity entry must be a mapping, got {entry!r}"))
        return
    where = entry.location()
    for key in sorted(set(entry) - ENTITY_FIELDS):     # each on its own line, with the field it may be a slip for
        hint = suggestion(str(key), ENTITY_FIELDS) or f" (allowed: {sorted(ENTITY_FIELDS)})"
        problems.append((entry.location(key), f"unknown field {key!r}{hint}"))
    ident = entry.get("id")
    if not isinstance(ident, str) or not ident:
        problems.append((where, "entity without id"))
        return
    if not ENTITY_ID.match(ident):
        if not is_curie(ident):
            problems.append((entry.location("id"), f"id {ident!r} is neither a local id ([a-z0-9_]) "
                                                   "nor a CURIE with a known prefix"))
            return
        if standardize_curie(ident) != ident:
            problems.append((entry.location("id"), f"CURIE id {ident!r} should be written {standardize_curie(ident)!r}"))
            return
        if iri_unsafe(ident):
            problems.append((entry.location("id"), f"CURIE id {ident!r} holds {iri_unsafe(ident)}, which no IRI "
                                                   "may hold"))
            return
    if ident in registry:
        problems.append((where, f"duplicate entity id {ident!r} (first defined at {registry[ident].location})"))
        return
    types = entry.get("type")
    types = [types] if isinstance(types, str) else types
    if not types:
        problems.append((where, f"entity {ident!r} has no type"))
        return
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        # `type: 12` had been a traceback ('int' object is not iterable)
        problems.append((entry.location("type"), f"entity {ident!r}: type is a class of the schema or a list of "
                                                 f"them, not {entry.get('type')!r:.60}"))
        return
    bad = [t for t in types if t not in schema.classes]
    if bad:
        hint = suggestion(str(bad[0]), schema.classes) if len(bad) == 1 else ""
        problems.append((entry.location("type"), f"entity {ident!r}: unknown type(s) {bad}{hint}"))
        return
    for i, a in enumerate(types):
        for b in types[i + 1:]:
            if schema.disjoint(a, b):
                problems.append((entry.location("type"), f"entity {ident!r}: types {a} and {b} are disjoint"))
    label = entry.get("label")
    if label is not None and not isinstance(label, str):
        problems.append((entry.location("label"), f"entity {ident!r}: the label is one text, not {label!r:.60}"))
        return
    if not isinstance(label, str) or not label.strip():
        problems.append((where, f"entity {ident!r} has no label"))
        return
    synonyms = entry.get("synonyms") or []
    if not isinstance(synonyms, list) or not all(isinstance(s, str) and s.strip() for s in synonyms):
        problems.append((entry.location("synonyms"), f"entity {ident!r}: synonyms must be a list of strings"))
        synonyms = []
    for field_name, what, name in [("label", "label", label)] + [("synonyms", "synonym", s) for s in synonyms]:
        control = CONTROL_IN_NAME.search(name.strip())
        if control:
            problems.append((entry.location(field_name), f"entity {ident!r}: {what} {name.strip()!r:.60} holds the "
                                                         f"control character {control.group()!r}, which no name holds"))
    comment = entry.get("comment")
    if comment is not None and (not isinstance(comment, str) or not comment.strip()):
        # `comment: [a, b]` had become the text "['a', 'b']", and `comment: 0` had been dropped
        problems.append((entry.location("comment"), f"entity {ident!r}: the comment is a sentence (a curator's "
                                                    f"note, skos:editorialNote), not {comment!r:.60}"))
        comment = None
    xrefs = []
    for raw in entry.get("xrefs") or []:
        xref = _read_xref(raw, entry, ident, problems)
        if xref:
            xrefs.append(xref)
    registry[ident] = Entity(
        id=ident, types=list(types), label=label.strip(), synonyms=[s.strip() for s in synonyms],
        xrefs=xrefs, comment=comment or "", location=where,
    )


def xref_as_written(raw) -> Xref | None:
    """An xref entry as written (a CURIE, or a mapping with ``id``) with the registry's defaults,
    unchecked: the registry's reader checks it, and a past version of a file is read as it was
    (:mod:`graphkit.linking.history`). None if it has no ``id``."""
    if isinstance(raw, str):
        raw = {"id": raw}
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        return None
    return Xref(curie=raw["id"], match=raw.get("match", "exact"), justification=raw.get("justification", "manual"),
                unverified=bool(raw.get("unverified", False)), note=str(raw.get("note") or ""))


def _read_xref(raw, entry, ident, problems) -> Xref | None:
    where = raw.location() if isinstance(raw, yamlio.Located) else entry.location("xrefs")
    xref = xref_as_written(raw)
    if xref is None:
        problems.append((where, f"entity {ident!r}: an xref is a CURIE or a mapping with 'id'"))
        return None
    for key in sorted(set(raw) - XREF_FIELDS if isinstance(raw, dict) else ()):
        hint = suggestion(str(key), XREF_FIELDS) or f" (allowed: {sorted(XREF_FIELDS)})"
        problems.append((where, f"entity {ident!r}: unknown xref field {key!r}{hint}"))
    curie = xref.curie
    standard = standardize_curie(curie) if ":" in curie else None
    if standard is None:
        problems.append((where, f"entity {ident!r}: xref {curie!r} has no known CURIE prefix"))
        return None
    if standard != curie:
        problems.append((where, f"entity {ident!r}: write xref {curie!r} as {standard!r}"))
        return None
    if iri_unsafe(curie):
        problems.append((where, f"entity {ident!r}: xref {curie!r} holds {iri_unsafe(curie)}, which no IRI may hold"))
        return None
    if xref.match not in MATCHES:
        problems.append((where, f"entity {ident!r}: xref match {xref.match!r} not in {sorted(MATCHES)}"))
        return None
    if xref.justification not in JUSTIFICATIONS:
        problems.append((where, f"entity {ident!r}: xref justification {xref.justification!r} not in "
                                f"{sorted(JUSTIFICATIONS)}"))
        return None
    if xref.unverified and not xref.note:
        problems.append((where, f"entity {ident!r}: unverified xref {curie} needs a 'note' saying why it is kept"))
    return replace(xref, location=where)
