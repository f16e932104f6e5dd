"""Large external ontologies next to the graph (``graphkit load-external``).

An external ontology (OBO, OWL as RDF/XML, Turtle, N-Triples, N-Quads, TriG; optionally gzipped)
is converted once to N-Triples in the project's cache directory::

    .graphkit-cache/external/<name>.nt     the triples (OBO converted with graphkit.obo)
    .graphkit-cache/external/<name>.json   where it came from (path, SHA-256), its counts

and every command that opens the embedded store (``query``, ``sparql``, ``serve``, ``push
--include-external``) loads it into its own named graph, ``https://w3id.org/graphkit/graph/external/<name>``,
beside the release (pyoxigraph parses N-Triples at about 400k triples a second, so the full HPO
adds under a second to a command). The cache is local (git-ignored); ``$GRAPHKIT_CACHE`` moves it.

An import module (``ontology/imports/<m>.ttl``, an extract of the same ontology) whose triples the
external graph all contains is not loaded beside it, so queries over the union of the graphs
see each fact once.

>>> default_name(Path("downloads/hp.obo.gz"))
'hp'
>>> str(external_graph("hp"))
'https://w3id.org/graphkit/graph/external/hp'
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import CheckFailed, EnvironmentProblem, QueryError, close_names, did_you_mean
from .fileio import atomic_path, atomic_write_text, sha256_file, where_not_utf8
from .iris import GKG
from .obo import OboConverter, OboSyntaxError, read_back_counts
from .progress import Progress
from .project import Project

FORMATS = {
    "obo": None,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "n3": ox.RdfFormat.N3,
}
SUFFIXES = {".obo": "obo", ".owl": "rdfxml", ".rdf": "rdfxml", ".xml": "rdfxml", ".ttl": "turtle",
            ".nt": "ntriples", ".nq": "nquads", ".trig": "trig", ".n3": "n3"}
NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


@dataclass(frozen=True)
class External:
    """One converted external ontology in the cache."""

    name: str
    data: Path
    meta: dict

    @property
    def graph(self):
        """The named graph (an rdflib URIRef)."""
        return external_graph(self.name)

    @property
    def graph_iri(self) -> str:
        """The named graph's IRI as text."""
        return external_graph_iri(self.name)

    @property
    def triples(self) -> int:
        return int(self.meta.get("triples", 0))


def external_graph_iri(name: str) -> str:
    """The IRI of the named graph of external ontology ``name``."""
    return f"{GKG}external/{name}"


def external_graph(name: str):
    """The named graph of external ontology ``name`` (an rdflib URIRef)."""
    from rdflib import URIRef

    return URIRef(external_graph_iri(name))


def external_dir(project: Project) -> Path:
    return project.cache_dir / "external"


def default_name(path: Path) -> str:
    stem = Path(path).name
    stem = stem[:-3] if stem.endswith(".gz") else stem
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return re.sub(r"[^a-z0-9_.-]+", "-", stem.lower()).strip("-.") or "external"


def list_external(project: Project) -> list[External]:
    """The converted external ontologies of ``project``, by name."""
    directory = external_dir(project)
    found = []
    for meta_path in sorted(directory.glob("*.json")) if directory.exists() else []:
        data = meta_path.with_suffix(".nt")
        if not data.exists():
            continue
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except ValueError:
            raise EnvironmentProblem(f"{meta_path}: unreadable; remove it and run `graphkit load-external` again") \
                from None
        found.append(External(meta_path.stem, data, meta))
    return found


def remove_external(project: Project, name: str) -> External:
    for ext in list_external(project):
        if ext.name == name:
            ext.data.unlink(missing_ok=True)
            ext.data.with_suffix(".json").unlink(missing_ok=True)
            return ext
    loaded = [e.name for e in list_external(project)]
    if not loaded:
        raise QueryError(f"no external ontology named {name!r}: none is loaded")
    raise QueryError(f"no external ontology named {name!r} (loaded: {', '.join(loaded)})"
                     f"{did_you_mean(close_names(name, loaded))}")


# ---------------------------------------------------------------------------------------------
# Converting


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The format of ``path``: ``fmt`` if given, else from its suffix (after ``.gz``), checked
    against its first bytes for the OWL syntaxes that are not RDF."""
    if fmt:
        if fmt not in FORMATS:
            raise QueryError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return fmt
    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    head = _head(path)
    stripped = head.lstrip()
    if stripped.startswith(("Prefix(", "Ontology(")):
        raise QueryError(f"{path}: OWL functional syntax is not RDF; convert it first "
                         f"(e.g. `robot convert -i {path.name} -o {Path(name).stem}.owl`)")
    if "<Ontology" in head and "rdf:RDF" not in head and "RDF" not in head.split("<Ontology")[0]:
        raise QueryError(f"{path}: OWL/XML is not RDF; convert it to RDF/XML or Turtle first (e.g. with ROBOT)")
    suffix = Path(name).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if stripped.startswith("format-version:") or "\n[Term]" in head:
        return "obo"
    if stripped.startswith("<?xml") or "<rdf:RDF" in head:
        return "rdfxml"
    raise QueryError(f"{path}: cannot tell the format from the name; give --format ({', '.join(FORMATS)})")


# What reading a truncated or damaged .gz raises.
_DAMAGED_GZIP = (EOFError, zlib.error, gzip.BadGzipFile)


def _damaged(path: Path, exc: Exception) -> EnvironmentProblem:
    return EnvironmentProblem(f"cannot read the ontology file {path}: damaged compressed file ({exc})")


def _open(path: Path, mode: str = "rb"):
    return gzip.open(path, mode) if path.name.endswith(".gz") else open(path, mode)


def _head(path: Path, size: int = 4096) -> str:
    try:
        with _open(path) as handle:
            return handle.read(size).decode("utf-8", "replace")
    except _DAMAGED_GZIP as exc:         # a .gz cut short within its first bytes
        raise _damaged(path, exc) from None
    except OSError as exc:
        raise EnvironmentProblem(f"cannot read the ontology file {path}: {exc.strerror or exc}") from None


class _CountingReader:
    """A binary file wrapper that advances a progress bar as the parser reads."""

    def __init__(self, handle, progress: Progress):
        self.handle = handle
        self.progress = progress

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.progress.advance(len(data))
        return data

    def readinto(self, buffer) -> int:
        n = self.handle.readinto(buffer)
        self.progress.advance(n or 0)
        return n


def _convert_obo(source: Path, dest: Path, progress: bool | None) -> dict:
    size = None if source.name.endswith(".gz") else source.stat().st_size
    try:
        with Progress(f"reading {source.name}", total=size, enabled=progress) as bar:
            converter = OboConverter.from_path(source, bar)
            bar.done = size or bar.done       # counted in characters; the file is read to its end
        with Progress(f"writing the triples of {len(converter.stanzas):,} stanzas", enabled=progress) as bar:
            def counted():
                for triple in converter.triples():
                    bar.advance()
                    yield triple
            ox.serialize(counted(), output=str(dest), format=ox.RdfFormat.N_TRIPLES)
    except OboSyntaxError as exc:
        raise QueryError(f"{source}:{exc.line}: {str(exc).split(': ', 1)[1]}") from None
    except UnicodeDecodeError:
        with _open(source) as handle:
            line, problem = where_not_utf8(handle.read())
        raise QueryError(f"{source}:{line}: {problem}") from None
    stats = converter.stats.as_dict()
    back = read_back_counts(dest)
    differ = {k: (stats[k], v) for k, v in back.items() if stats[k] != v}
    if differ:
        raise CheckFailed(f"{source}: the converted file does not hold what was read: "
                          + ", ".join(f"{k} read {a}, written {b}" for k, (a, b) in differ.items()))
    version = next((v for t, v, _ in converter.header if t == "data-version"), "")
    return {"triples": stats["triples"], "obo": stats, "version": version}


def _convert_rdf(source: Path, dest: Path, fmt: str, progress: bool | None) -> dict:
    size = None if source.name.endswith(".gz") else source.stat().st_size
    count = 0
    with _open(source) as handle, Progress(f"reading {source.name}", total=size, enabled=progress) as bar:
        def triples():
            nonlocal count
            for item in ox.parse(input=_CountingReader(handle, bar), format=FORMATS[fmt],
                                 base_iri=source.resolve().as_uri()):
                count += 1
                yield item if isinstance(item, ox.Triple) else ox.Triple(item.subject, item.predicate, item.object)
        try:
            ox.serialize(triples(), output=str(dest), format=ox.RdfFormat.N_TRIPLES)
        except SyntaxError as exc:
            raise QueryError(f"{source}: not valid {fmt}: {exc}") from None
    return {"triples": count}


def load_external(project: Project, source: Path, name: str | None = None, fmt: str | None = None,
                  progress: bool | None = None) -> External:
    """Convert ``source`` into the cache as external ontology ``name`` (replacing one of that name)."""
    source = Path(source)
    if not source.is_file():         # worded as every command's missing file (graphkit.fileio.read_text)
        problem = "Is a directory" if source.is_dir() else "not a regular file (a device or a pipe: give a file)" \
            if source.exists() else "No such file or directory"
        raise EnvironmentProblem(f"cannot read the ontology file {source}: {problem}")
    name = default_name(source) if name is None else name      # --name "" (an unset variable) is no name
    if not NAME.match(name):
        raise QueryError(f"invalid name {name!r}: use lower-case letters, digits, '_', '-' or '.'")
    fmt = detect_format(source, fmt)
    directory = external_dir(project)
    directory.mkdir(parents=True, exist_ok=True)
    data = directory / f"{name}.nt"
    with atomic_path(data) as partial:
        try:
            info = (_convert_obo(source, partial, progress) if fmt == "obo"
                    else _convert_rdf(source, partial, fmt, progress))
        except _DAMAGED_GZIP as exc:     # a truncated or damaged .gz
            raise _damaged(source, exc) from None
        # An empty file parses as an empty graph in every format (an OBO file as its header alone):
        # loading it replaced an ontology of the same name with nothing, exit 0 (a truncated
        # download, the wrong file).
        what = "stanzas" if fmt == "obo" else "triples"
        if not (sum(info["obo"][k] for k in ("terms", "typedefs", "instances")) if fmt == "obo" else info["triples"]):
            raise QueryError(f"{source}: no {what} in this {fmt} file: nothing loaded")
    meta = {"name": name, "graph": external_graph_iri(name), "source": str(source.resolve()),
            "source_bytes": source.stat().st_size, "source_sha256": sha256_file(source), "format": fmt, **info}
    atomic_write_text(data.with_suffix(".json"), json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return External(name, data, meta)


# ---------------------------------------------------------------------------------------------
# Loading beside the release


def module_triples(path: Path) -> list[ox.Triple]:
    """The triples of an import module, without its ``owl:Ontology`` header."""
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    ontology_type = ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology")
    headers = {t.subject for t in triples if t.object == ontology_type}
    return [t for t in triples if t.subject not in headers]


def covering_graph(store: ox.Store, module: Path, graphs: list):
    """The external graph that holds every triple of the import module at ``module``, if any."""
    triples = module_triples(module)
    if not triples:
        return None
    for graph in graphs:
        target = ox.NamedNode(str(graph))
        if all(ox.Quad(t.subject, t.predicate, t.object, target) in store for t in triples):
            return graph
    return None
