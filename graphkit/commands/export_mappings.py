"""``graphkit export-mappings``: the registry's cross-references as an SSSOM mapping set."""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version

from loaders.registry import load_registry

from ..fileio import atomic_write_text, refuse_a_non_file
from ..linking.reference import Reference
from ..linking.sssom import render
from ..project import Project
from ..schema import Schema


HELP = """\
Write every cross-reference of the entity registry as an SSSOM mapping set: a TSV with a YAML
metadata header (curie_map, mapping_set_id, licence, creator...). Object labels come from the
offline reference data; each row names its author and, where a tool proposed it, the tool and
the reviewer; the mapping date is the day its registry line was committed (git); chained rows
name the MONDO term and Mondo mapping set they came through; unverified xrefs are marked in the
comment column. The output is the same for the same commit.

  graphkit export-mappings -o mappings.sssom.tsv     write the file (atomically; a device is written in place)
  graphkit export-mappings -o -                      write to standard output

Exit codes: 0 written; 2 bad options, a directory for -o, a curation error; 3 the file could not
be written (its directory missing without --mkdir, no space, read-only).
"""


def register(p) -> None:
    p.add_argument("-o", "--output", required=True, help="output file, or - for standard output")
    p.add_argument("--mkdir", action="store_true", help="create the directory of -o if it is missing")
    p.add_argument("--no-labels", action="store_true", help="leave object_label empty (faster: no reference data)")
    p.set_defaults(run=run)


def run(args) -> int:
    refuse_a_non_file(args.output)
    project = Project.locate(args.root)
    registry = load_registry(project.entities_dir, Schema.of_project(project), project.root)
    meta = project.config.ontology
    try:
        tool_version = version("graphkit")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        tool_version = ""
    text = render(registry, None if args.no_labels else Reference(project.cache_dir / "reference"), meta.version, meta.license, project.root,
                  tool_version, project.cache_dir, project.config.imports)
    project.refuse_to_overwrite(args.output)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        atomic_write_text(args.output, text, mkdir=args.mkdir)
        rows = sum(1 for line in text.splitlines() if not line.startswith("#")) - 1
        print(f"{args.output}: {rows} mappings", file=sys.stderr)
    return 0
