"""Build the release: curated sources -> the products of ``ontology/release.yaml``.

The build is a list of stages, each a function of the :class:`Release` being built:

1. :func:`load`: every curated input through its loader (:data:`INPUTS`), into records;
2. :func:`assemble`: the records into triples (:mod:`graphkit.assemble`);
3. :func:`serialize_release`: the release in canonical Turtle (it needs no reasoning), and
   :func:`prepare_checks`: parsed for the checks in a thread, beside the next stage;
4. :func:`reason`: OWL 2 RL over schema + asserted edges (:mod:`graphkit.reason`);
5. :func:`serialize`: every other product in memory (the inferences, the coverage report ...);
6. :func:`validate`: SHACL, consistency, QC queries, quotes (:mod:`graphkit.qc`);
7. :func:`write`: the products, switched as one unit (with ``--check``, :func:`compare` instead).
   With the saved store (commands), :func:`prepare_store` makes it beside validation, from the
   store of the files as written (:func:`preload_store` loads that one first when there is none).

Nothing is written unless every stage succeeded: a curation error (exit 2) or a QC finding at
the configured fail level (exit 1) leaves the previous release untouched. The products are
replaced all or none (:mod:`graphkit.switch`: staged beside their targets, a journal, renames
that a killed build's successor completes), one build at a time (a lock), keeping the files'
permissions; a full disk or a read-only directory is one line, exit 3, and the old release. A new kind of curated
input is a loader (``loaders/``), an ``add_<kind>`` function in :mod:`graphkit.assemble`, the
path of its file on :class:`Project`, and one line in :data:`INPUTS` (the README's "How to add
... a loader" has every step).

>>> result = compile_release(Project.locate())
>>> result.summary()["triples"] > 70_000
True
"""

from __future__ import annotations

import gc
import hashlib
import time
from concurrent.futures import Future
from itertools import chain
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


from loaders.disagreements import load_disagreements
from loaders.registry import load_registry
from loaders.sources import load_sources
from loaders.statements import load_statement_files

from . import assemble as assembly
from . import collector, coverage, turtle, yamlio
from .background import in_background
from .assemble import Curation
from .errors import CheckFailed, CurationError
from .header import catalog_xml, inferred_header
from .switch import BuildLock, complete_pending, pending, remove_stale, replace_all
from .iris import known_prefixes
from .namespaces import TURTLE_PREFIXES, triple_graphs
from .progress import Progress
from .project import Project
from .qc import validate_built, validate_file, validate_release
from .qc.data import parse_release
from .qc.shapes import GKSH, property_shapes
from .reason import DEFAULT_REASONER, infer, reasoning_input
from .schema import Schema
from .store import OxigraphStore

@dataclass(frozen=True)
class InputKind:
    """A kind of curated input: how its records are loaded (given the project, the records
    loaded before it and how to read a YAML file) and how they become triples."""

    name: str
    load: Callable[[Project, Curation, Callable], object]
    assemble: Callable[[assembly.Triples, Curation], None]


# The curated inputs, in load order.
INPUTS = (
    InputKind("schema", lambda p, c, read: Schema.of_project(p),
              assembly.add_schema),
    InputKind("sources", lambda p, c, read: load_sources(p.manifest, p.relative(p.manifest), read),
              assembly.add_sources),
    InputKind("registry", lambda p, c, read: load_registry(p.entities_dir, c["schema"], p.root, read),
              assembly.add_entities),
    InputKind("statements", lambda p, c, read: load_statement_files(p.statements_dir, c["schema"], c["registry"],
                                                                    c["sources"], p.root, read),
              assembly.add_statements),
    InputKind("disagreements", lambda p, c, read: load_disagreements(p.disagreements_file, c["statements"],
                                                                     p.relative(p.disagreements_file), read),
              assembly.add_disagreements),
)


class ValidationFailed(CheckFailed):
    """The release has QC findings at the fail level: one ``file:line: level [rule] ...`` line each."""

    def __init__(self, report, check: bool = False):
        self.report = report
        lines = [f.line() for f in report.failing]
        lines.append(f"{report.summary_line()}: " + (
            "the committed release does not pass validation (graphkit validate lists every finding)" if check else
            "nothing was written; the findings that fail are above (graphkit validate checks the release last "
            "written, not this build)"))
        super().__init__("\n".join(lines))


@dataclass
class Release:
    """What the build makes, stage by stage."""

    project: Project
    reasoner: str = DEFAULT_REASONER
    shacl_engine: str = "fast"
    checking: bool = False                # --check: compare the products with the files
    curation: Curation | None = None      # load: the records, by input kind
    triples: dict = field(default_factory=dict)   # assemble: schema + asserted + provenance (a set, in order)
    inferred: set | None = None           # reason
    texts: dict = field(default_factory=dict)   # serialize: path -> text of each product
    report: object = None                 # validate: graphkit.qc.Report
    timings: dict[str, float] = field(default_factory=dict)
    recovered: list[str] = field(default_factory=list)   # products a killed build's switch left, now in place
    checks_store: Future | None = None    # prepare_checks: the release parsed for the checks, beside reasoning
    store_preloader: Future | None = None  # preload_store: the saved store of the files as written
    store_loader: Future | None = None    # prepare_store: the saved store's load, beside validation

    @property
    def schema(self) -> Schema:
        return self.curation["schema"]

    @property
    def sources(self) -> dict:
        return self.curation["sources"]

    @property
    def registry(self):
        return self.curation["registry"]

    @property
    def statements(self) -> list:
        return self.curation["statements"]

    def outputs(self) -> dict:
        """Path -> text of every product (serialized on first use)."""
        if len(self.texts) < len(self.project.config.products):
            run_stages(self, (serialize,))
        return self.texts

    def summary(self) -> dict:
        # Counted by graph IRI and named after (the name of each triple's graph cost 40% more).
        by_graph = {str(graph).rsplit("/", 1)[-1]: n for graph, n in Counter(
            graph for _, graph in triple_graphs(self.triples)).items()}
        types = Counter()
        for entity in self.registry.values():
            types.update(entity.types)
        edges = Counter(st.prop.name for st in self.statements)
        per_source = Counter(st.source.id for st in self.statements)
        return {
            "triples": len(self.triples),
            "triples_by_graph": dict(sorted(by_graph.items())),
            "inferred_triples": len(self.inferred),
            "entities": len(self.registry),
            "entities_by_type": dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
            "statements": len(self.statements),
            "edges_by_predicate": dict(sorted(edges.items(), key=lambda kv: (-kv[1], kv[0]))),
            "statements_by_source": {sid: per_source.get(sid, 0) for sid in self.sources},
            "uncovered_sections": len(coverage.uncovered_sections(self.sources, self.statements)),
            "qc": ({lvl: self.report.count(lvl) for lvl in ("violation", "warning", "info")}
                   if self.report is not None else None),
            "timings_s": {k: round(v, 3) for k, v in self.timings.items()},
        }


# ---------------------------------------------------------------------------------------------
# The stages


def load(release: Release) -> None:
    """Read and check every curated input; a CurationError lists every problem found. The YAML
    files unchanged since the last build are read parsed from the cache (graphkit.yamlio)."""
    release.curation = Curation(release.project)
    # A folder per project: a cache shared by several ($GRAPHKIT_CACHE) is pruned per project.
    folder = hashlib.sha256(str(release.project.root).encode()).hexdigest()[:16]
    parsed = yamlio.ParsedCache(release.project.cache_dir / "yaml" / folder, keep=not release.checking)
    for kind in INPUTS:
        release.curation[kind.name] = kind.load(release.project, release.curation, parsed.load)
    parsed.prune()


def assemble(release: Release) -> None:
    triples = assembly.Triples()
    for kind in INPUTS:
        kind.assemble(triples, release.curation)
    release.triples = dict.fromkeys(triples)      # each triple once, in the order added


def reason(release: Release) -> None:
    release.inferred = infer(reasoning_input(release.triples), release.reasoner)


def serialize_release(release: Release) -> None:
    """The release's own product first: it needs no reasoning, so the store the checks read is
    parsed from it beside the reasoner (:func:`prepare_checks`)."""
    render = _renderers(release)
    release.texts = {release.project.root / p.path: render[p.content]()
                     for p in release.project.config.products if p.content == "release"}


def prepare_checks(release: Release) -> None:
    """Parse the release's text into the store the checks read, in a thread: pyoxigraph parses
    without the interpreter lock, so beside the reasoner it costs the build nothing (measured:
    0.44 -> 0.29 s for the two)."""
    text = release.texts[release.project.all_ttl]
    release.checks_store = in_background(lambda: parse_release(text), "graphkit-checks-store")


def serialize(release: Release) -> None:
    """Every product in memory (those serialized already kept), in the declared order."""
    render, done = _renderers(release), release.texts
    release.texts = {path: done[path] if path in done else render[p.content]()
                     for p in release.project.config.products for path in [release.project.root / p.path]}


def _renderers(release: Release) -> dict[str, Callable[[], str]]:
    prefixes = known_prefixes()
    return {
        "release": lambda: turtle.serialize(release.triples, prefixes),
        # the inferences under their own ontology header (graphkit.header; engine-neutral, so both
        # reasoners write the same bytes)
        "inferred": lambda: turtle.serialize(chain(inferred_header(release.project.config), release.inferred),
                                             prefixes),
        "property-shapes": lambda: _property_shapes_text(release.schema),
        "coverage": lambda: coverage.render(release.sources, release.statements),
        "catalog": lambda: catalog_xml(release.project),
    }


def validate(release: Release) -> None:
    parsed = release.checks_store.result() if release.checks_store is not None else None
    release.report = validate_release(release, release.shacl_engine, parsed)
    if release.report.failing:
        raise ValidationFailed(release.report, release.checking)


def write(release: Release) -> None:
    replace_all(release.project.root, release.texts)


def compare(release: Release) -> None:
    """Instead of writing (``--check``): fail when a product differs from the fresh build, or a
    killed build left the products half-switched."""
    project = release.project
    if pending(project.root):
        raise CheckFailed("a build was interrupted while it replaced the release, which is half-switched "
                          "(run `graphkit build`: it completes or replaces it)")
    stale = [project.relative(path) for path, text in release.texts.items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    if stale:
        raise CheckFailed("stale build output (run `graphkit build`): " + ", ".join(stale))


def preload_store(release: Release) -> None:
    """Start loading the saved store of the release files as they are on disk, when the cache has
    none (a first build, or files that git changed), in a thread beside the compile stages (once
    the curation has loaded: a curation error does not wait for it). The
    build then writes the same files (it is the store the next query opens) or changes a few
    statements (it is what :func:`prepare_store` updates): loaded now, at the start, instead of
    after the release is serialized. What fails here is left to :func:`prepare_store`."""
    project = release.project
    if project.all_ttl.exists():
        release.store_preloader = in_background(lambda: OxigraphStore.prepare_saved(project),
                                                 "graphkit-saved-store-preload")


def prepare_store(release: Release) -> None:
    """Start loading the saved store that commands open (:mod:`graphkit.storecache`) for the
    products just serialized, in a thread: pyoxigraph parses, places and writes it without the
    interpreter lock, so on a second core it costs the validation beside it nothing (it took as
    long as the rest of a build after it, run alone). A file it cannot read (a damaged import
    module) stops the build before anything is written (:func:`await_store`); any other failure is left
    to :func:`save_store`, which loads again as every command would, and reports what fails there."""
    def prepare() -> None:
        if release.store_preloader is not None:
            release.store_preloader.exception()     # waited for: the store it updates, if the release changed
        OxigraphStore.prepare_saved(release.project, release.texts)
    release.store_loader = in_background(prepare, "graphkit-saved-store")


def await_store(release: Release) -> None:
    """Wait for the saved store's load (what it takes beyond validation); a file it could not
    read stops the build here, before anything is written."""
    problem = release.store_loader.exception() if release.store_loader is not None else None
    if isinstance(problem, CurationError):
        raise problem


def save_store(release: Release) -> None:
    """The saved store of the written release (prepared beside validation), published for the
    next command; loaded here when it was not prepared."""
    OxigraphStore.saved(release.project)


def _await_store(release: Release) -> None:
    for loader in (release.store_preloader, release.store_loader):
        if loader is not None:
            loader.exception()                  # waits; what it raised is await_store's or save_store's


COMPILE = (load, assemble, reason)


def run_stages(release: Release, stages, progress: bool | None = False) -> Release:
    """Run ``stages`` in order, timing each; ``progress`` draws a bar of the stages on stderr
    (None: when it is a terminal). What the stages make lives until the build ends, so the
    garbage collector, which could free none of it, is paused while they run (measured: 0.25 s of
    2.1 s CPU in load and assemble, which make ~10^6 objects)."""
    with Progress("build", total=len(stages), enabled=progress) as bar, collector.paused():
        for stage in stages:
            bar.step(f"build: {stage.__name__:<10}")
            started = time.perf_counter()
            stage(release)
            release.timings[stage.__name__] = time.perf_counter() - started
            _settle()
            bar.advance()
    return release


def curated_lines_of(project: Project) -> dict[str, str]:
    """IRI -> the ``path:line`` its entity or statement is curated at, for the findings of
    ``graphkit validate`` on the built files (the release names the file alone); none when the
    curation does not load, whose errors are the build's to report."""
    release = Release(project)
    try:
        load(release)
    except CurationError:
        return {}
    return assembly.curated_lines(release.curation)


def validate_project(project: Project, graph_file: Path | None = None, shacl_engine: str = "fast",
                     reasoner: str = "reasonable", progress: bool | None = False):
    """The QC report (:mod:`graphkit.qc`) of the built release, or of ``graph_file`` (any Turtle
    file; ``reasoner`` computes its closure), each finding at the curated ``path:line`` of the
    entity or statement it is about: what ``graphkit validate`` prints."""
    lines = curated_lines_of(project)      # the release names the curated file alone
    if graph_file is not None:
        return validate_file(Path(graph_file), project, shacl_engine, reasoner, lines)
    return validate_built(project, shacl_engine, progress=progress, lines=lines)


def compile_release(project: Project, reasoner: str = DEFAULT_REASONER) -> Release:
    """Load and check everything, assemble the graph and its closure; write nothing."""
    return run_stages(Release(project, reasoner), COMPILE)


def build(project: Project, check: bool = False, reasoner: str = DEFAULT_REASONER,
          shacl_engine: str = "fast", progress: bool | None = False, saved_store: bool = False) -> Release:
    """Compile the release, validate it, and write it (or, with ``check``, compare it with the files).

    A release with QC findings at the fail level of ``ontology/release.yaml`` raises
    :class:`ValidationFailed` (exit 1) and writes nothing; other findings are counted in the
    summary (``graphkit validate`` lists them). ``progress`` draws the stages on stderr (None:
    when it is a terminal). ``saved_store`` also loads the saved store of the new release, which
    commands open (the load runs beside validation: :func:`prepare_store`).
    """
    release = Release(project, reasoner, shacl_engine, checking=check)
    try:
        # The products in memory, the release's text serialized before the reasoner runs so that the
        # checks' store is parsed from it beside the reasoner.
        produce = (assemble, serialize_release, prepare_checks, reason, serialize)
        if check:
            return run_stages(release, (load,) + produce + (validate, compare), progress)
        # The saved store's preload once the curation has loaded: a curation error stops the build
        # at once, not after the preload it would wait for.
        stages = ((load, preload_store) + produce + (prepare_store, validate, await_store, write, save_store)
                  if saved_store else (load,) + produce + (validate, write))
        with BuildLock(project.root):
            release.recovered = complete_pending(project.root)
            remove_stale([project.root / p.path for p in project.config.products], project.root)
            return run_stages(release, stages, progress)
    finally:
        _await_store(release)               # a failed build leaves no half-loaded store behind
        gc.unfreeze()


def _settle() -> None:
    """Move every object alive to the garbage collector's permanent generation. The graphs built
    so far live until the end of the build, and scanning their ~10^6 objects again at every
    collection made serializing and validating twice as slow (measured: 3.9 s -> 2.0 s CPU on
    a 68k-triple release). ``build`` unfreezes at its end; a compiled release (tests, benchmarks)
    stays frozen while it lives."""
    gc.freeze()


# ---------------------------------------------------------------------------------------------
# Products besides the release


def _property_shapes_text(schema: Schema) -> str:
    header = ("# Domain and range shapes derived from ontology/schema.ttl by `graphkit build` (never edited by hand).\n"
              "# graphkit derives them itself when it validates; this file is for other SHACL tools:\n"
              "#   cat ontology/shapes.ttl ontology/shapes-properties.ttl > shapes-all.ttl\n"
              "#   pyshacl --advanced --allow-warnings -s shapes-all.ttl ontology/all.ttl\n")
    prefixes = dict(TURTLE_PREFIXES, gksh=str(GKSH), sh="http://www.w3.org/ns/shacl#")
    return header + turtle.serialize(property_shapes(schema), prefixes)
