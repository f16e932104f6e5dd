"""``graphkit dump``: the release in its named graphs, as N-Quads or TriG, for another triple store."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import GraphkitError
from ..fileio import refuse_a_non_file
from ..project import Project
from ..store import DATASET_FORMATS, DATASET_SUFFIXES, graph_counts, write_dataset

HELP = """\
Write the built release in the named graphs graphkit loads it into (schema, asserted, provenance,
inferred, imports/<module>), as N-Quads or TriG: load the file into your own triple store
(Jena, Virtuoso, GraphDB, Oxigraph, Stardog ...) and a query naming a graph (GRAPH <...>) gives
graphkit's answer there too. The catalogue's queries name no graph: run them with the union of
the graphs as the default graph, as graphkit does (Jena TDB2: tdb2:unionDefaultGraph, TDB1:
tdb:unionDefaultGraph; rdflib: Dataset(default_union=True); oxigraph serve
--union-default-graph), or they find nothing.

ontology/all.ttl is plain Turtle: graphkit splits it into graphs when it loads it, so a store
loading the Turtle files holds everything in one graph (enough for every catalogue query;
docs/serving.md lists the graphs). The same release gives the same bytes.

  graphkit dump -o graphkit.nq                     N-Quads (the format from the suffix: .nq, .trig)
  graphkit dump -o graphkit.trig --no-inferred     TriG without the OWL RL inferences
  graphkit dump --format nquads -o - | gzip > graphkit.nq.gz

The file is written whole or not at all; a missing directory is an error (a typo), unless --mkdir.

Exit codes: 0 written; 2 bad options, a directory for -o; 3 no built release, or the file could not be
written.
"""


def register(p) -> None:
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write, or - for standard output")
    p.add_argument("--mkdir", action="store_true", help="create the directory of -o if it is missing")
    p.add_argument("--format", choices=sorted(DATASET_FORMATS), type=str.lower,
                   help="nquads or trig (default: from the file's suffix; nquads for -)")
    p.add_argument("--no-inferred", action="store_true", help="leave out the inferred graph (ontology/inferred.ttl)")
    p.add_argument("--include-external", action="store_true",
                   help="add the external ontologies of `graphkit load-external` (graphs external/*)")
    p.set_defaults(run=run)


def run(args) -> int:
    refuse_a_non_file(args.output)
    project = Project.locate(args.root)
    project.refuse_to_overwrite(args.output)
    fmt = args.format or ("nquads" if args.output == "-" else DATASET_SUFFIXES.get(Path(args.output).suffix.lower()))
    if fmt is None:
        raise GraphkitError(f"--output {args.output}: give --format (nquads or trig) or a file ending in "
                            f"{', '.join(sorted(DATASET_SUFFIXES))}")
    output = sys.stdout.buffer if args.output == "-" else Path(args.output)
    store = write_dataset(project, output, fmt, include_inferred=not args.no_inferred,
                          include_external=args.include_external, mkdir=args.mkdir)
    counts = graph_counts(store)
    where = "standard output" if args.output == "-" else args.output
    print(f"graphkit dump: {sum(counts.values()):,} quads in {len(counts)} named graphs -> {fmt}: {where}",
          file=sys.stderr)
    # Each graph's count, as push prints it: what a store loaded from the file must hold
    # (docs/serving.md, "Check the load").
    for graph, count in sorted(counts.items()):
        print(f"  {graph}  {count:,} triples", file=sys.stderr)
    return 0
