"""``graphkit link``: verify, propagate and suggest cross-references; regenerate import modules."""

from __future__ import annotations

import json
import sys

from loaders.registry import load_registry

from ..errors import CheckFailed, CurationError, Location, suggestion
from ..linking.check import STATUS_ORDER, Row, check_registry
from ..linking.imports import stale_imports, write_imports, write_xrefs
from ..linking.propagate import Implied, implied_xrefs
from ..linking.reference import Reference
from ..linking.suggest import Candidate, accepted, suggest
from ..output import FORMATS, emit, table
from ..progress import Progress
from ..project import Project
from ..schema import Schema


HELP = """\
Cross-references of the entity registry, checked offline against the vendored reference data
(MONDO mapping sets, Disease Ontology, ChEBI, HGNC, SYMP) and the HPO, ICD-10-CM, WHO ICD-10
and FDA UNII data shipped in Python packages.

  graphkit link                        same as --check
  graphkit link --check [--all]        verify every xref: the id exists, is not obsolete, and its
                                       label agrees with the entity's names; one exact match per
                                       entity and vocabulary, one entity per exact id; exit 1 on
                                       unknown or obsolete ids, label contradictions, exact matches
                                       that only a chain supports (chain-only), cardinality breaks,
                                       two xrefs that Mondo's mapping sets relate otherwise
                                       (conflict), unverifiable ids not marked unverified, or stale
                                       ontology/imports/. The table lists the problems, the
                                       mappings to review and the unverified ones (--all: every
                                       xref), then coverage per entity type.
  graphkit link --propagate [--write]  xrefs implied by verified exact MONDO xrefs through MONDO's
                                       mapping sets (justification via_mondo); --write adds those
                                       that pass --check (an exact one only if its label is one of
                                       the entity's names and the vocabulary has no exact match of
                                       the entity yet) to the registry YAML files
  graphkit link --suggest [--write]    candidate ids for entities without xrefs, by exact label or
                                       synonym match; --write accepts the unambiguous label/synonym
                                       matches of each type's primary vocabularies (lexical)
  graphkit link --update-imports       regenerate ontology/imports/*.ttl (terms used + ancestors)

  ENTITY ...                           restrict to these registry ids

Exit codes: 0 done, nothing to fix; 1 --check found a problem; 2 bad options, an unknown ENTITY
id, a curation error; 3 a file it writes (--write, --update-imports) that cannot be written.
"""


def register(p) -> None:
    action = p.add_mutually_exclusive_group()
    action.add_argument("--check", action="store_true", help="verify every xref (default)")
    action.add_argument("--propagate", action="store_true", help="xrefs implied through MONDO's mapping sets")
    action.add_argument("--suggest", action="store_true", help="candidate xrefs by label match")
    action.add_argument("--update-imports", action="store_true", help="regenerate ontology/imports/*.ttl")
    p.add_argument("--write", action="store_true", help="with --propagate/--suggest: write into the registry YAML")
    p.add_argument("--all", action="store_true", help="with --check: list every xref, not only those to look at; "
                                                      "with --suggest: also entities that have xrefs")
    p.add_argument("--format", choices=FORMATS, type=str.lower, default="table", help="output format")
    p.add_argument("--progress", action="store_true", default=None,
                   help="with --check: show its stages on standard error even when not on a terminal")
    p.add_argument("entities", nargs="*", metavar="ENTITY", help="restrict to these entity ids")
    p.set_defaults(run=run)


def _load(project: Project):
    schema = Schema.of_project(project)
    return schema, load_registry(project.entities_dir, schema, project.root)


def _meant(name: str, registry) -> str:
    """What an unknown ENTITY may stand for: the entity whose label or synonym it is (query and
    export take names, link takes registry ids), else the ids spelled nearly so."""
    key = name.casefold()
    named = [e.id for e in registry.values() if key in {e.label.casefold(), *(s.casefold() for s in e.synonyms)}]
    if named:
        return f" (the name of {' or '.join(repr(i) for i in named)}: link takes registry ids)"
    return suggestion(name, registry)


def run(args) -> int:
    project = Project.locate(args.root)
    schema, registry = _load(project)
    only = set(args.entities) or None
    unknown = sorted((only or set()) - set(registry))
    if unknown:
        named = ", ".join(name + _meant(name, registry) for name in unknown)
        raise CurationError([(Location("command line"), f"unknown entity id(s): {named}")])
    if args.write and not (args.propagate or args.suggest):
        raise CurationError([(Location("command line"), "--write goes with --propagate or --suggest")])
    reference = Reference(project.cache_dir / "reference")
    if args.update_imports:
        return _update_imports(project, registry, reference)
    if args.propagate:
        return _propagate(args, project, schema, registry, reference, only)
    if args.suggest:
        return _suggest(args, project, schema, registry, reference, only)
    return _check(args, project, schema, registry, reference, only)


def _check(args, project, schema, registry, reference, only) -> int:
    with Progress("link", total=0 if only else 1, enabled=args.progress) as bar:   # a bar on a terminal
        result = check_registry(registry, reference, schema, only, bar)
        stale = []
        if not only:
            bar.step("link: import modules")
            stale = stale_imports(project, registry, reference)
            bar.advance()
    rows = result.rows if (args.all or args.format != "table") else [r for r in result.rows if r.status != "ok"]
    rows = sorted(rows, key=lambda r: (STATUS_ORDER.index(r.status), r.location.rsplit(":", 1)[0], r.entity, r.xref))
    if args.format == "json":
        json.dump({"xrefs": [r.as_dict() for r in rows], "counts": result.counts(), "coverage": result.coverage(),
                   "stale_imports": stale}, sys.stdout, indent=2, ensure_ascii=False)
        print()
    elif args.format != "table":
        emit([r.as_dict() for r in rows], list(rows[0].as_dict()) if rows else ["entity"], args.format)
    else:
        if rows:
            print(table([r.as_dict() for r in rows], Row.COLUMNS, max_width=70))
            print()
        if not only:
            print(table(result.coverage(), ["type", "entities", "with_verified_xref", "share"]))
            print()
        counts = ", ".join(f"{n} {s}" for s, n in result.counts().items())
        print(f"{len(result.rows)} xrefs checked: {counts or 'none'}")
    problems = [f"{r.location}: {r.entity} -> {r.xref}: {r.status}: {r.detail}" for r in result.failed]
    problems += [f"{path}: stale import module (run `graphkit link --update-imports`)" for path in stale]
    if problems:
        raise CheckFailed("\n".join(problems))
    return 0


def _propagate(args, project, schema, registry, reference, only) -> int:
    implied = implied_xrefs(registry, reference, check_registry(registry, reference, schema, only), only)
    emit([i.as_dict() for i in implied], Implied.COLUMNS, args.format)
    written = [(i.entity, i.xref) for i in implied if not i.judge] if args.write else []
    if written:
        _write(project, schema, registry, written, reference)
    if args.format == "table":
        judged = len(implied) - len(written) if args.write else 0
        print(f"{len(implied)} implied xrefs" + (f": {len(written)} written to the registry" if args.write else "")
              + (f", {judged} left to judge (see the table)" if judged else ""), file=sys.stderr)
    return 0


def _suggest(args, project, schema, registry, reference, only) -> int:
    candidates = suggest(registry, schema, reference, only, missing_only=not args.all)
    emit([c.as_dict() for c in candidates], Candidate.COLUMNS + ("writable",), args.format)
    if args.write:
        chosen = accepted(candidates)
        pairs = [(e, x) for e, xs in chosen.items() for x in xs]
        if pairs:
            _write(project, schema, registry, pairs, reference)
        if args.format == "table":
            print(f"{len(pairs)} xrefs written to the registry", file=sys.stderr)
    return 0


def _write(project, schema, registry, pairs, reference) -> None:
    for path, count in write_xrefs(project, schema, registry, pairs, reference):
        print(f"{project.relative(path)}: {count} terms", file=sys.stderr)


def _update_imports(project, registry, reference) -> int:
    for path, count in write_imports(project, registry, reference):
        print(f"{project.relative(path)}: {count} terms")
    return 0
