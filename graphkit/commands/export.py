"""``graphkit export``: a subgraph to RDF, GraphML, GEXF, Cytoscape.js, CSV, KGX or a picture."""

from __future__ import annotations

import re
import sys
import textwrap

from ..errors import printable, shorten
from ..export import FORMATS
from ..export.job import export
from ..export.registry import LARGE_PICTURE, output_format
from ..nxview import SelectionError
from ..output import counted
from ..project import Project
from ..select import Selection, construct_text, read_entity_list


HELP = f"""\
Export the knowledge graph, or a part of it, for other tools.

Selection (parts combine as a union; none = the whole graph):
  --seed NAME [--hops N]     an entity (id, CURIE, label or synonym; case-insensitive; or an
                             identifier it carries as a mapping: MONDO:0011908, HP:0001945, UNII:...)
                             and all nodes within N hops (default 1), with every edge among them
  --entity NAME, --entities FILE
                             exactly these entities (FILE: one per line) and the edges among them
  --construct QUERY          a SPARQL CONSTRUCT/DESCRIBE query: its text, a .rq file, or the
                             name of one you saved as queries/NAME.rq (the catalogue's queries
                             are SELECTs); selects the nodes and edges it returns
  --predicate P, --type T    follow/keep only edges of these predicates and nodes of these types
                             (a type includes its subclasses and inferred roles: Therapy, RiskFactor);
                             both ends of an edge must be of a kept type: drugs and their side
                             effects are --type Drug --type AdverseEffect --predicate hasAdverseEffect;
                             a Biolink predicate (biolink:has_phenotype) keeps the properties the
                             schema aligns with it (a note names them)
  --with-subtypes            each --seed and --entity also names its subtypes and disease states,
                             and theirs (childhood_all: T-ALL, relapsed ALL, ...), following
                             subtypeOf, hasSubtype, stateOf and hasStateVariant
  --source ID                only edges stated by this source document (its id as in
                             sources/manifest.yaml, or its number: 000 to 004)
  --certainty LEVEL          only edges with evidence of this certainty: Established, Possible,
                             UnderStudy, Unclear
  --scope NAME               only edges with evidence scoped to this entity: the population, disease
                             state, period, treatment phase or line of therapy a statement holds for
                             (--scope maintenance, --scope "children with Down syndrome"); with
                             --source and --certainty, one evidence must meet them all
  --schema                   the schema instead of the data: classes, subclass edges, properties

Formats (--format, or guessed from the -o suffix):
{chr(10).join(f"  {f.name:<{max(map(len, FORMATS))}} {f.description}" for f in FORMATS.values())}

  -o FILE for one-file formats; without -o (or with -o -) a text format goes to standard output.
  -o DIR for {", ".join(f.name for f in FORMATS.values() if f.files)}: each writes its files into DIR.
{textwrap.fill("Suffixes that choose the format: " + "; ".join(f"{' '.join(f.suffixes)} {f.name}" for f in FORMATS.values() if f.suffixes) + ".", 96, initial_indent="  ", subsequent_indent="  ")}
  A file is replaced atomically (its permissions kept); a device or FIFO (/dev/stdout, a pipe)
  is written in place. A missing directory is an error (a typo), unless --mkdir. Pictures (html, png, svg) of more than {LARGE_PICTURE:,} nodes need --force.

Examples:
  graphkit export --seed "JMML in relapse" --hops 2 --format graphml -o jmml.graphml
  graphkit export --seed "JMML in relapse" --hops 2 -o jmml.html
  graphkit export --seed jmml_in_relapse --predicate hasSymptom --format csv -o symptoms/
  graphkit export --construct 'CONSTRUCT {{ ?d gk:hasSymptom ?s }} WHERE {{ ?d gk:hasSymptom ?s }}' -f turtle -o -
  graphkit export --type Drug --type AdverseEffect --predicate hasAdverseEffect -f csv -o side-effects/
  graphkit export --entity childhood_all --with-subtypes -f csv -o all-subtypes/
  graphkit export --source 004 -f kgx -o kgx-chang/
  graphkit export --format kgx -o kgx/
  graphkit export --schema --format png -o schema.png

Exit codes: 0 written; 2 an unknown entity, predicate, type, source or format, a picture of more
than {LARGE_PICTURE:,} nodes without --force, bad options; 3 a missing --entities or --construct file,
the directory of -o missing without --mkdir, a file that cannot be written, the graph not built.
"""


def register(p) -> None:
    sel = p.add_argument_group("selection")
    sel.add_argument("--seed", action="append", default=[], metavar="NAME", help="seed entity (repeatable)")
    sel.add_argument("--hops", type=int, default=None, metavar="N", help="hops around the seeds (default 1)")
    sel.add_argument("--direction", choices=("both", "out", "in"), default="both",
                     help="follow edges in both directions (default), only outgoing or only incoming")
    sel.add_argument("--entity", action="append", default=[], metavar="NAME", help="an entity to include (repeatable)")
    sel.add_argument("--entities", metavar="FILE", help="file with entities to include, one per line")
    sel.add_argument("--construct", metavar="QUERY", help="CONSTRUCT query text, .rq file or catalogue name")
    sel.add_argument("--predicate", action="append", default=[], metavar="P", help="only edges of this predicate")
    sel.add_argument("--type", action="append", default=[], metavar="T", help="only nodes of this type")
    sel.add_argument("--source", action="append", default=[], metavar="ID",
                     help="only edges stated by this source document (e.g. chang_2004_jmml_second_hsct, or 004)")
    sel.add_argument("--certainty", action="append", default=[], metavar="LEVEL",
                     help="only edges with evidence of this certainty (Established, Possible, UnderStudy, Unclear)")
    sel.add_argument("--scope", action="append", default=[], metavar="NAME",
                     help="only edges with evidence scoped to this entity (a population, state, period, phase "
                          "or line of therapy)")
    sel.add_argument("--with-subtypes", action="store_true",
                     help="each --seed and --entity also names its subtypes and disease states, and theirs "
                          "(subtypeOf, hasSubtype, stateOf, hasStateVariant)")
    sel.add_argument("--schema", action="store_true", help="export the schema (classes and properties)")
    view = p.add_argument_group("view")
    view.add_argument("--include-schema", action="store_true", help="add classes and instance-of edges")
    view.add_argument("--include-provenance", action="store_true",
                      help="add evidence and source nodes to graph formats (RDF formats always keep evidence); "
                           "--hops still counts steps between entities")
    view.add_argument("--include-inferred", action="store_true", help="add OWL RL inferred edges (dashed in html)")
    view.add_argument("--quantities", choices=("nodes", "attributes"), default="nodes",
                      help="quantity values as nodes (default) or as attributes of their subject")
    out = p.add_argument_group("output")
    out.add_argument("--format", "-f", metavar="FORMAT", help=f"one of {', '.join(FORMATS)}")
    out.add_argument("-o", "--output", metavar="PATH", help="output file or directory; - for standard output")
    out.add_argument("--mkdir", action="store_true", help="create the directory of -o if it is missing")
    out.add_argument("--title", default="", help="title of a picture")
    out.add_argument("--force", action="store_true", help=f"write a picture of more than {LARGE_PICTURE:,} nodes")
    out.add_argument("--progress", action="store_true", default=None, help="show progress even when not on a terminal")
    p.set_defaults(run=run)


def _check_arguments(args):
    notes: list[str] = []
    fmt, output = output_format(args.format, args.output, notes)
    for note in notes:
        print(f"graphkit export: note: {note}", file=sys.stderr)
    if args.hops is not None and not args.seed:
        raise SelectionError("--hops applies to --seed; give a seed entity")
    if args.direction != "both" and not args.seed:
        raise SelectionError(f"--direction {args.direction} applies to --seed; give a seed entity")
    if args.construct is not None and not args.construct.strip():
        raise SelectionError("--construct is empty: give a CONSTRUCT or DESCRIBE query, a .rq file or a catalogue name")
    if args.hops is not None and args.hops < 0:
        raise SelectionError(f"--hops must be 0 or more, not {args.hops}")
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", args.title):
        # an SVG whose title held one was no XML (written, exit 0): no XML 1.0 document holds these
        raise SelectionError(f"--title '{printable(shorten(args.title))}' holds a control character, which a "
                             "picture's title cannot hold")
    return fmt, output


def run(args) -> int:
    fmt, output = _check_arguments(args)
    project = Project.locate(args.root)
    listed = read_entity_list(args.entities) if args.entities else []
    if args.entities and not listed:        # an empty list is not "no selection": not the whole graph
        raise SelectionError(f"--entities {args.entities} names no entity (one a line; # starts a comment)")
    query = construct_text(args.construct, project.queries_dir) if args.construct else None
    project.refuse_to_overwrite(output, fmt.files, reading=(args.entities, args.construct))
    selection = Selection(seeds=args.seed, hops=1 if args.hops is None else args.hops, predicates=args.predicate,
                          types=args.type, direction=args.direction, entities=list(args.entity) + listed,
                          construct=query, sources=args.source, certainties=args.certainty, scopes=args.scope,
                          with_subtypes=args.with_subtypes)
    notes: list[str] = [f"{option} applies to pictures (html, png, svg), not {fmt.name}: ignored"
                        for option, given in (("--title", args.title), ("--force", args.force)) if given and not fmt.picture]
    notes += [f"{option} applies to the entities' view, not to --schema (its classes and properties): ignored"
              for option, given in (("--include-schema", args.include_schema),
                                    ("--include-provenance", args.include_provenance),
                                    ("--include-inferred", args.include_inferred),
                                    ("--quantities attributes", args.quantities != "nodes")) if given and args.schema]
    try:
        done = export(selection, fmt, output, project=project, schema=args.schema, include_schema=args.include_schema,
                      include_provenance=args.include_provenance, include_inferred=args.include_inferred,
                      quantities=args.quantities, title=args.title, force=args.force, mkdir=args.mkdir,
                      progress=args.progress, notes=notes)
    finally:                                # the notes also when the export then fails
        for note in notes:
            print(f"graphkit export: note: {note}", file=sys.stderr)
    rows = done.rows                # a table's rows are not the view's nodes and edges (KGX folds some)
    where = "standard output" if done.written.stdout else ", ".join(
        str(p) + (f" ({counted(rows[p.name], 'row')})" if p.name in rows else "") for p in done.written.paths)
    print(f"graphkit export: {counted(done.sub.number_of_nodes(), 'node')}, "
          f"{counted(done.sub.number_of_edges(), 'edge')} ({done.sub.graph['selection']}) "
          f"-> {fmt.name}: {where} [load {done.load_s:.2f}s, export {done.export_s:.2f}s]", file=sys.stderr)
    return 0
