"""KGX TSV: ``nodes.tsv`` and ``edges.tsv`` for Biolink/KGX pipelines.

Node categories and edge predicates are Biolink's (the schema's alignments); every edge keeps
its provenance: the source documents (as publications), the quotes (``supporting_text``), the
evidence nodes, certainty and frequency.
"""

from __future__ import annotations

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ..namespaces import BIOLINK, GK, GKSRC, GRAPH_PROVENANCE, GRAPH_SCHEMA, compact
from ..nxview import SEP
from ..output import delimited
from .context import Context
from .graphdata import columns
from .registry import Format, register

FILES = ("nodes.tsv", "edges.tsv")
KGX_PROVIDER = "infores:graphkit"


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


def write(sub: nx.MultiDiGraph, ctx: Context) -> dict[str, str]:
    schema, provenance = ctx.graph(GRAPH_SCHEMA), ctx.graph(GRAPH_PROVENANCE)
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
    node_cols = columns(nodes, ["id", "category", "name", "description", "xref", "synonym", "iri", "provided_by",
                                "original_type"])
    edge_cols = columns(edges, ["id", "subject", "predicate", "object", "category", "knowledge_level", "agent_type",
                                "primary_knowledge_source", "publications", "supporting_text",
                                "original_predicate", "original_subject", "original_object"])
    clean = lambda rows: [{k: _tsv_value(v) for k, v in row.items()} for row in rows]  # noqa: E731
    return {"nodes.tsv": delimited(clean(nodes), node_cols, "\t"),
            "edges.tsv": delimited(clean(edges), edge_cols, "\t")}


register(Format("kgx", "KGX TSV: nodes.tsv + edges.tsv (Biolink)", write, aliases=("tsv",), files=FILES,
                to_stdout=False, order=31))
