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

from .statements import Statement


@dataclass
class Disagreement:
    id: str
    statements: list[Statement]
    note: str
    location: Location


def load_disagreements(path: Path, statements: list[Statement], display: str,
                       read: Callable = yamlio.load) -> list[Disagreement]:
    """The disagreements file (none when it is missing); ``read`` reads a YAML file (path, display name)."""
    if not path.exists():
        return []
    doc = read(path, display)
    if doc is None:
        return []
    by_name = {st.name: st for st in statements if st.name}
    problems, result, seen = [], [], set()
    for entry in (doc.get("disagreements") or []) if isinstance(doc, dict) else []:
        where = entry.location() if isinstance(entry, yamlio.Located) else Location(display)
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("note"):
            problems.append((where, "a disagreement needs id, statements and note"))
            continue
        if set(entry) - {"id", "statements", "note"}:
            problems.append((where, f"unknown field(s) {sorted(set(entry) - {'id', 'statements', 'note'})}"))
        if entry["id"] in seen:
            problems.append((where, f"duplicate disagreement id {entry['id']!r}"))
        seen.add(entry["id"])
        names = entry.get("statements") or []
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
