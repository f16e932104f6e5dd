"""Write a selected subgraph for the analysts' tools.

============  ==========================  ==================================================
format        files                       for
============  ==========================  ==================================================
turtle        one ``.ttl``                RDF tools; the selected triples plus their evidence
nt            one ``.nt``                 N-Triples (sorted lines), same triples
jsonld        one ``.jsonld``             JSON-LD with an ``@context`` of the graph's prefixes
rdfxml        one ``.rdf``                RDF/XML (Protégé, OWL API)
graphml       one ``.graphml``            Gephi, Cytoscape, yEd, networkx, igraph
gexf          one ``.gexf``               Gephi (node colours by kind)
cyjs          one ``.cyjs``               Cytoscape.js JSON (Cytoscape desktop imports it)
csv           ``nodes.csv``, ``edges.csv``  pandas, spreadsheets
kgx           ``nodes.tsv``, ``edges.tsv``  Biolink/KGX pipelines
html          one ``.html``               an interactive picture in any browser (offline)
png, svg      one picture                 a static picture (matplotlib)
============  ==========================  ==================================================

Every file is rendered in memory first and written atomically (temp file + rename), so a
failure leaves no partial file; ``-`` writes a text format to standard output.

>>> from graphkit import nxview
>>> from graphkit.select import Selection, select
>>> G = nxview.load()
>>> sub = select(G, Selection(seeds=["jmml_early_relapse_after_hsct"], hops=1, sources=["chang_2004_jmml_second_hsct"]))
>>> files = render("kgx", sub, Context(G))
>>> sorted(files)
['edges.tsv', 'nodes.tsv']
>>> [line.split("\\t")[:4] for line in files["edges.tsv"].splitlines() if "|treatedWith|" in line]
[['gke:jmml_early_relapse_after_hsct|treatedWith|gke:second_allogeneic_hsct', 'gke:jmml_early_relapse_after_hsct', 'biolink:treated_by', 'gke:second_allogeneic_hsct']]
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import networkx as nx
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .errors import EnvironmentProblem
from .fileio import atomic_writer
from .namespaces import (BIOLINK, GK, GKEV, GKQ, GKSRC, GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_PROVENANCE,
                         GRAPH_SCHEMA, TURTLE_PREFIXES, compact)
from .nxview import SEP, SelectionError, _graph
from .progress import Progress


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    description: str
    files: tuple[str, ...] = ()      # fixed file names in the output directory (multi-file formats)
    binary: bool = False
    picture: bool = False

    @property
    def stdout_ok(self) -> bool:
        return not self.files and not self.binary


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("turtle", ".ttl", "RDF Turtle: selected triples + their evidence"),
    Format("nt", ".nt", "RDF N-Triples, sorted"),
    Format("jsonld", ".jsonld", "JSON-LD with a context"),
    Format("rdfxml", ".rdf", "RDF/XML"),
    Format("graphml", ".graphml", "GraphML (Gephi, Cytoscape, yEd, networkx)"),
    Format("gexf", ".gexf", "GEXF (Gephi), node colours by kind"),
    Format("cyjs", ".cyjs", "Cytoscape.js JSON"),
    Format("csv", "", "nodes.csv + edges.csv", files=("nodes.csv", "edges.csv")),
    Format("kgx", "", "KGX TSV: nodes.tsv + edges.tsv (Biolink)", files=("nodes.tsv", "edges.tsv")),
    Format("html", ".html", "interactive picture, one self-contained file", picture=True),
    Format("png", ".png", "static picture (PNG)", binary=True, picture=True),
    Format("svg", ".svg", "static picture (SVG)", picture=True),
)}
ALIASES = {"ttl": "turtle", "n-triples": "nt", "ntriples": "nt", "json-ld": "jsonld", "rdf": "rdfxml",
           "xml": "rdfxml", "owl": "rdfxml", "cytoscape": "cyjs", "tsv": "kgx"}
SUFFIXES = {**{f.suffix: f.name for f in FORMATS.values() if f.suffix}, ".json": "cyjs", ".owl": "rdfxml",
            ".xml": "rdfxml", ".htm": "html"}
LARGE_PICTURE = 2000
KGX_PROVIDER = "infores:graphkit"


def format_named(name: str) -> Format:
    key = ALIASES.get(name.lower(), name.lower())
    if key not in FORMATS:
        raise SelectionError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    return FORMATS[key]


def format_for_path(path: str) -> Format | None:
    """The format a file name suggests (``jmml.graphml`` -> graphml), if any."""
    name = SUFFIXES.get(Path(path).suffix.lower())
    return FORMATS[name] if name else None


# ---------------------------------------------------------------------------------------------
# What renderers need besides the subgraph


class Context:
    """The full view and the store behind it (RDF exports read triples and evidence from it)."""

    def __init__(self, view: nx.MultiDiGraph, store=None, progress: bool | None = None, title: str = "",
                 force: bool = False):
        self.view = view
        self._store = store
        self.progress = progress
        self.title = title
        self.force = force

    @property
    def store(self):
        if self._store is None:
            from .project import Project
            from .store import OxigraphStore

            self._store = OxigraphStore.from_project(Project.locate())
        return self._store

    @cached_property
    def asserted(self) -> Graph:
        return _graph(self.store, GRAPH_ASSERTED)

    @cached_property
    def provenance(self) -> Graph:
        return _graph(self.store, GRAPH_PROVENANCE)

    @cached_property
    def schema(self) -> Graph:
        return _graph(self.store, GRAPH_SCHEMA)

    @cached_property
    def inferred(self) -> Graph:
        return _graph(self.store, GRAPH_INFERRED)

    def bar(self, label: str, total: int) -> Progress:
        return Progress(label, total=total, enabled=self.progress)


# ---------------------------------------------------------------------------------------------
# RDF


def _prefixes() -> dict[str, str]:
    from .build import _prefixes_for

    return _prefixes_for()


def _evidence_index(provenance: Graph) -> dict[tuple, list[URIRef]]:
    index: dict[tuple, list[URIRef]] = {}
    for ev in provenance.subjects(RDF.type, GK.Evidence):
        key = (provenance.value(ev, RDF.subject), provenance.value(ev, RDF.predicate), provenance.value(ev, RDF.object))
        index.setdefault(key, []).append(ev)
    return index


def _closure(source: Graph, start, out: Graph, namespaces: tuple[str, ...]) -> None:
    """Copy ``start``'s triples and, recursively, those of objects in ``namespaces``."""
    todo, seen = [start], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in source.predicate_objects(node):
            out.add((node, p, o))
            if isinstance(o, URIRef) and str(o).startswith(namespaces):
                todo.append(o)


def rdf_graph(sub: nx.MultiDiGraph, ctx: Context) -> Graph:
    """The RDF of a selection: every asserted triple about a selected node except edges of the
    view that were not selected, the quantity values it points to, every evidence statement of
    those triples with its quote selectors and source document, and selected inferred edges.
    With a view that includes the schema, the schema too."""
    view = ctx.view
    if view.graph.get("schema_only"):
        return _schema_rdf(sub, ctx.schema)
    asserted, provenance = ctx.asserted, ctx.provenance
    iri = {n: URIRef(d["iri"]) for n, d in view.nodes(data=True)}
    view_edges = {(iri[u], URIRef(d["predicate_iri"]), iri[v]) for u, v, d in view.edges(data=True)
                  if d.get("predicate_iri")}
    chosen = {(iri[u], URIRef(d["predicate_iri"]), iri[v]) for u, v, d in sub.edges(data=True)
              if d.get("predicate_iri")}
    out = Graph()
    with ctx.bar("collecting triples", sub.number_of_nodes() + sub.number_of_edges()) as bar:
        for node in sub:
            bar.advance()
            subject = iri[node]
            for p, o in asserted.predicate_objects(subject):
                if (subject, p, o) in view_edges and (subject, p, o) not in chosen:
                    continue
                out.add((subject, p, o))
                if isinstance(o, URIRef) and str(o).startswith(str(GKQ)):
                    _closure(asserted, o, out, (str(GKQ),))
        for triple in chosen:
            bar.advance()
            if triple not in out and (triple in ctx.inferred):
                out.add(triple)
    index = _evidence_index(provenance)
    for triple in list(out):
        for ev in index.get(triple, ()):
            _closure(provenance, ev, out, (str(GKEV), str(GKSRC)))
    if view.graph.get("include_schema"):
        for triple in ctx.schema:
            out.add(triple)
    return out


def _schema_rdf(sub: nx.MultiDiGraph, schema: Graph) -> Graph:
    """The schema triples of the selected classes and of the properties on selected edges."""
    out = Graph()
    subjects = {URIRef(d["iri"]) for _, d in sub.nodes(data=True)}
    subjects |= {URIRef(d["predicate_iri"]) for *_, d in sub.edges(data=True)
                 if str(d.get("predicate_iri", "")).startswith(str(GK))}
    for subject in sorted(subjects):
        todo = [subject]
        while todo:
            node = todo.pop()
            for p, o in schema.predicate_objects(node):
                out.add((node, p, o))
                if isinstance(o, BNode):
                    todo.append(o)
    return out


def _rdf_text(fmt: str, graph: Graph) -> str:
    from . import turtle

    prefixes = _prefixes()
    if fmt == "turtle":
        return turtle.serialize(graph, prefixes)
    if fmt == "nt":
        lines = graph.serialize(format="nt").splitlines()
        return "".join(sorted(line + "\n" for line in lines if line.strip()))
    used = {p: ns for p, ns in prefixes.items()
            if any(str(t).startswith(ns) for triple in graph for t in triple if isinstance(t, URIRef))}
    if fmt == "jsonld":
        context = {**used, "label": str(RDFS.label)}
        data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
        if isinstance(data.get("@graph"), list):
            data["@graph"].sort(key=lambda item: str(item.get("@id", "")))
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    for prefix, ns in used.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph.serialize(format="xml")


# ---------------------------------------------------------------------------------------------
# Graph formats


def exportable(G: nx.MultiDiGraph, colours: bool = True) -> nx.MultiDiGraph:
    """A copy whose attributes have one scalar type per name (GraphML/GEXF declare one type per
    attribute): numbers mixing int and float become float, anything mixed with text becomes text.
    Adds ``color`` (hex, by kind) to nodes."""
    from .picture import colour_of

    H = G.copy()
    for items in (lambda: (d for _, d in H.nodes(data=True)), lambda: (d for *_, d in H.edges(keys=True, data=True))):
        types: dict[str, set[type]] = {}
        for data in items():
            for key, value in data.items():
                types.setdefault(key, set()).add(type(value))
        for data in items():
            for key, value in list(data.items()):
                kinds = types[key]
                if value is None:
                    del data[key]
                elif len(kinds) > 1 and kinds <= {int, float}:
                    data[key] = float(value)
                elif len(kinds) > 1 and not isinstance(value, str):
                    data[key] = str(value)
    if colours:
        for _, data in H.nodes(data=True):
            data["color"] = colour_of(data.get("kind", ""))
    H.graph = {k: v for k, v in G.graph.items() if isinstance(v, (str, int, float, bool))}
    return H


def _graphml(sub: nx.MultiDiGraph) -> str:
    buffer = io.BytesIO()
    nx.write_graphml(exportable(sub), buffer, edge_id_from_attribute="id")
    return buffer.getvalue().decode("utf-8")


def _gexf(sub: nx.MultiDiGraph) -> str:
    H = exportable(sub)
    for _, data in H.nodes(data=True):
        hex_colour = data["color"].lstrip("#")
        r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
        data["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "size": 10.0}
    buffer = io.BytesIO()
    nx.write_gexf(H, buffer)
    text = buffer.getvalue().decode("utf-8")
    # The writer stamps today's date; keep files reproducible.
    return re.sub(r'lastmodifieddate="[^"]*"', 'lastmodifieddate="1970-01-01"', text, count=1)


def cytoscape_elements(sub: nx.MultiDiGraph) -> dict:
    """Cytoscape.js elements: node ``data`` = attributes + ``name``; edge ``data`` = attributes +
    ``source``/``target``/``interaction`` (the predicate's local name)."""
    nodes = [{"data": {**data, "id": node, "name": data.get("label", node)}} for node, data in sub.nodes(data=True)]
    edges = [{"data": {**data, "id": data.get("id", f"{u}|{k}|{v}"), "source": u, "target": v, "interaction": k}}
             for u, v, k, data in sub.edges(keys=True, data=True)]
    return {"nodes": nodes, "edges": edges}


def _cyjs(sub: nx.MultiDiGraph) -> str:
    H = exportable(sub)
    document = {"format_version": "1.0", "generated_by": "graphkit", "target_cytoscapejs_version": "~3.34",
                "data": dict(H.graph), "elements": cytoscape_elements(H)}
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def _columns(rows: list[dict], first: list[str]) -> list[str]:
    rest = sorted({key for row in rows for key in row} - set(first))
    return [c for c in first if any(c in row for row in rows)] + rest


def _delimited(rows: list[dict], columns: list[str], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return buffer.getvalue()


def _csv(sub: nx.MultiDiGraph) -> dict[str, str]:
    nodes = [dict(data, id=node) for node, data in sub.nodes(data=True)]
    edges = [dict(data, source=u, target=v, key=k) for u, v, k, data in sub.edges(keys=True, data=True)]
    node_cols = _columns(nodes, ["id", "label", "type", "kind", "category", "curie", "iri"])
    edge_cols = _columns(edges, ["id", "source", "target", "key", "predicate", "label", "evidence_count",
                                 "sources", "certainty", "frequency", "quotes"])
    return {"nodes.csv": _delimited(nodes, node_cols, ","), "edges.csv": _delimited(edges, edge_cols, ",")}


# ---------------------------------------------------------------------------------------------
# KGX


def biolink_predicate(schema: Graph, predicate: URIRef) -> tuple[str, bool]:
    """The Biolink predicate for a schema property and whether the edge must be reversed.

    The property's own ``skos:exactMatch``/``closeMatch`` to a Biolink slot, else that of a
    super-property, else that of its inverse (the edge is then written object -> subject), else
    ``biolink:related_to``.
    """
    def mapped(prop, seen):
        if prop in seen:
            return None
        seen.add(prop)
        for match in (SKOS.exactMatch, SKOS.closeMatch):
            for target in sorted(schema.objects(prop, match)):
                local = str(target)[len(str(BIOLINK)):] if str(target).startswith(str(BIOLINK)) else ""
                if local[:1].islower():
                    return f"biolink:{local}"
        for parent in sorted(schema.objects(prop, RDFS.subPropertyOf)):
            if str(parent).startswith(str(GK)):
                found = mapped(parent, seen)
                if found:
                    return found
        return None

    own = mapped(predicate, set())
    if own:
        return own, False
    inverses = set(schema.objects(predicate, OWL.inverseOf)) | set(schema.subjects(OWL.inverseOf, predicate))
    for inverse in sorted(inverses):
        found = mapped(inverse, set())
        if found:
            return found, True
    return "biolink:related_to", False


def _tsv_value(value) -> str:
    """One KGX cell: whitespace normalized (TSV rows are single lines)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return " ".join(str(value).split())


def _kgx(sub: nx.MultiDiGraph, ctx: Context) -> dict[str, str]:
    schema, provenance = ctx.schema, ctx.provenance
    publications = {}
    for source in provenance.subjects(RDF.type, GK.SourceDocument):
        ids = [f"PMID:{v}" for v in provenance.objects(source, GK.pmid)] + \
              [f"DOI:{v}" for v in provenance.objects(source, GK.doi)]
        publications[str(source)[len(str(GKSRC)):]] = sorted(ids) or [compact(str(source))]
    curie = {n: d.get("curie") or n for n, d in sub.nodes(data=True)}
    nodes = []
    for node, data in sub.nodes(data=True):
        row = {"id": curie[node], "category": data.get("category", "biolink:NamedThing"),
               "name": data.get("label", ""), "description": data.get("definition", ""),
               "xref": data.get("xrefs", ""), "synonym": data.get("synonyms", ""), "iri": data.get("iri", ""),
               "provided_by": KGX_PROVIDER, "original_type": SEP.join(f"gk:{t}" for t in
                                                                     filter(None, data.get("types", "").split(SEP)))}
        for name in ("value", "min_inclusive", "min_exclusive", "max_inclusive", "max_exclusive", "unit"):
            if name in data:
                row[name] = data[name]
        nodes.append(row)
    edges = []
    with ctx.bar("writing KGX edges", sub.number_of_edges()) as bar:
        for u, v, k, data in sub.edges(keys=True, data=True):
            bar.advance()
            predicate_iri = data.get("predicate_iri")
            predicate, reverse = biolink_predicate(schema, URIRef(predicate_iri)) if predicate_iri else \
                ("biolink:related_to", False)
            subject, obj = (curie[v], curie[u]) if reverse else (curie[u], curie[v])
            sources = [s for s in data.get("sources", "").split(SEP) if s]
            row = {
                "id": f"{curie[u]}|{k}|{curie[v]}", "subject": subject, "predicate": predicate, "object": obj,
                "category": "biolink:Association",
                "knowledge_level": "knowledge_assertion" if not data.get("inferred") else "logical_entailment",
                "agent_type": "manual_agent" if not data.get("inferred") else "automated_agent",
                "primary_knowledge_source": KGX_PROVIDER,
                "publications": SEP.join(sorted({p for s in sources for p in publications.get(s, [f"gksrc:{s}"])})),
                "supporting_text": SEP.join(q.replace(SEP, "¦") for q in data.get("quotes", "").split(" | ") if q),
                "original_predicate": data.get("predicate", k),
                "original_subject": curie[u] if reverse else "", "original_object": curie[v] if reverse else "",
                "source_documents": SEP.join(f"gksrc:{s}" for s in sources),
                "evidence": data.get("evidence", ""), "evidence_count": data.get("evidence_count", 0),
                "certainty": data.get("certainty", ""), "frequency": data.get("frequency", ""),
            }
            edges.append(row)
    node_cols = _columns(nodes, ["id", "category", "name", "description", "xref", "synonym", "iri", "provided_by",
                                 "original_type"])
    edge_cols = _columns(edges, ["id", "subject", "predicate", "object", "category", "knowledge_level", "agent_type",
                                 "primary_knowledge_source", "publications", "supporting_text",
                                 "original_predicate", "original_subject", "original_object"])
    clean = lambda rows: [{k: _tsv_value(v) for k, v in row.items()} for row in rows]  # noqa: E731
    return {"nodes.tsv": _delimited(clean(nodes), node_cols, "\t"),
            "edges.tsv": _delimited(clean(edges), edge_cols, "\t")}


# ---------------------------------------------------------------------------------------------
# Rendering and writing


def render(fmt: str | Format, sub: nx.MultiDiGraph, ctx: Context) -> dict[str, str | bytes]:
    """The files of one export, in memory: ``{"": content}`` for single-file formats,
    ``{file name: content}`` for multi-file formats."""
    fmt = format_named(fmt) if isinstance(fmt, str) else fmt
    if fmt.picture and sub.number_of_nodes() > LARGE_PICTURE and not ctx.force:
        raise SelectionError(
            f"the selection has {sub.number_of_nodes():,} nodes and {sub.number_of_edges():,} edges; a picture "
            f"({fmt.name}) of more than {LARGE_PICTURE:,} nodes is slow to draw and hard to read. Narrow the selection "
            "(--seed, --hops, --type, --predicate) or pass --force to write it anyway")
    if fmt.name in ("turtle", "nt", "jsonld", "rdfxml"):
        return {"": _rdf_text(fmt.name, rdf_graph(sub, ctx))}
    if fmt.name == "graphml":
        return {"": _graphml(sub)}
    if fmt.name == "gexf":
        return {"": _gexf(sub)}
    if fmt.name == "cyjs":
        return {"": _cyjs(sub)}
    if fmt.name == "csv":
        return _csv(sub)
    if fmt.name == "kgx":
        return _kgx(sub, ctx)
    from . import picture

    if fmt.name == "html":
        return {"": picture.html(sub, title=ctx.title)}
    with ctx.bar(f"drawing {sub.number_of_nodes()} nodes ({fmt.name})", 1) as bar:
        drawn = picture.static(sub, fmt.name, title=ctx.title)
        bar.advance()
    return {"": drawn}


@dataclass
class Written:
    paths: list[Path] = field(default_factory=list)
    stdout: bool = False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write(fmt: Format, files: dict[str, str | bytes], output: str) -> Written:
    """Write rendered files atomically: a file path, a directory for multi-file formats, or
    ``-`` for standard output (text formats only)."""
    if output == "-":
        if not fmt.stdout_ok:
            what = f"{' and '.join(fmt.files)} into a directory" if fmt.files else "binary data"
            raise SelectionError(f"--format {fmt.name} writes {what}; give -o PATH, not standard output")
        sys.stdout.write(files[""])
        sys.stdout.flush()
        return Written(stdout=True)
    target = Path(output)
    if fmt.files:
        if target.exists() and not target.is_dir():
            raise SelectionError(f"--format {fmt.name} writes {' and '.join(fmt.files)}: -o must be a directory, "
                                 f"and {output} is a file")
        paths = [target / name for name in fmt.files]
    else:
        if target.is_dir():
            raise SelectionError(f"-o {output} is a directory; give a file name for --format {fmt.name}")
        paths = [target]
    written = Written()
    try:
        for path, (_, content) in zip(paths, sorted(files.items(), key=lambda kv: fmt.files.index(kv[0])
                                                     if fmt.files else 0)):
            binary = isinstance(content, bytes)
            with atomic_writer(path, "wb" if binary else "w") as handle:
                handle.write(content)
            os.chmod(path, 0o666 & ~_umask())  # temp files are private; exports are ordinary files
            written.paths.append(path)
    except OSError as exc:
        raise EnvironmentProblem(f"cannot write {output}: {exc.strerror or exc}") from None
    return written
