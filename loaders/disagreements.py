"""Curated disagreements between statements (``ontology/curation/disagreements.yaml``)::

    disagreements:
      - id: car_t_certainty
        statements: [nci_car_t_relapse_under_study, guide_tisagenlecleucel_approved]
        note: NCI says CAR T-cell therapy is being studied for a second relapse; the guide
              says tisagenlecleucel is FDA-approved for it.

``statements`` name statements by their ``id:``. The note is the curator's description.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from graphkit import yamlio
from graphkit.errors import CurationError, Location
from graphkit.iris import ENTITY_ID

from .statements import Statement


@dataclass
class Disagreement:
    id: str
    statements: list[Statement]
    note: str
    location: Location


def load_disagreements(path: Path, statements: list[Statement], display: str,
                       read: Callable = yamlio.load) -> list[Disagreement]:
    """The disagreements file (none when it is missing); ``read`` reads a YAML file (path, display name).
    A file that is there holds the key ``disagreements`` and nothing else: an empty file or a
    misspelt key would drop every record without a word."""
    if not path.exists():
        return []
    doc = read(path, display)
    if not isinstance(doc, dict) or "disagreements" not in doc:
        where = doc.location() if isinstance(doc, yamlio.Located) else Location(display)
        raise CurationError([(where, "the file holds no 'disagreements:' list (write 'disagreements: []' for none, "
                                     "or delete the file)")])
    problems = [(doc.location(key), f"unknown key {key!r} (the file holds 'disagreements:' only)")
                for key in doc if key != "disagreements"]
    records = doc["disagreements"] if doc["disagreements"] is not None else []
    if not isinstance(records, list):
        raise CurationError(problems + [(doc.location("disagreements"), "'disagreements' must be a list of records")])
    by_name = {st.name: st for st in statements if st.name}
    result, seen = [], set()
    for entry in records:
        where = entry.location() if isinstance(entry, yamlio.Located) else doc.location("disagreements")
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("note"):
            problems.append((where, f"a disagreement needs id, statements and note, not {entry!r:.60}"))
            continue
        if not isinstance(entry["id"], str) or not ENTITY_ID.match(entry["id"]):
            # the id names the disagreement's node: `id: [a]` and `id: 12` had been tracebacks, `id: a"b` an IRI
            # that no parser reads
            problems.append((entry.location("id") if isinstance(entry, yamlio.Located) else where,
                             f"a disagreement's id is a local id ([a-z0-9_]), not {entry['id']!r:.60}"))
            continue
        if not isinstance(entry["note"], str) or not entry["note"].strip():
            problems.append((entry.location("note") if isinstance(entry, yamlio.Located) else where,
                             f"a disagreement's note is a text, not {entry['note']!r:.60}"))
            continue
        if set(entry) - {"id", "statements", "note"}:
            problems.append((where, f"unknown field(s) {sorted(set(entry) - {'id', 'statements', 'note'})}"))
        if entry["id"] in seen:
            problems.append((where, f"duplicate disagreement id {entry['id']!r}"))
        seen.add(entry["id"])
        names = entry.get("statements") or []
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            problems.append((where, "'statements' must be a list of statement ids"))
            continue
        if len(names) < 2:
            problems.append((where, "a disagreement names at least two statements"))
            continue
        missing = [n for n in names if n not in by_name]
        if missing:
            problems.append((where, f"unknown statement id(s) {missing}: give those statements an 'id:'"))
            continue
        result.append(Disagreement(entry["id"], [by_name[n] for n in names], str(entry["note"]).strip(), where))
    if problems:
        raise CurationError(problems)
    return result
