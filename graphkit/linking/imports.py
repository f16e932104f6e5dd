"""ODK-style import modules: extracts of the external terms the registry uses, with ancestors.

The modules are declared in ``ontology/release.yaml`` (``imports:``: id, prefix, method, title,
source, licence); ``graphkit link --update-imports`` writes ``ontology/imports/<id>.ttl`` with
the canonical Turtle writer (byte-stable), and the store loads each into the named graph
``https://w3id.org/graphkit/graph/imports/<id>``. The release (``all.ttl``) never contains
them: they are what the external ontologies say, not what a source document says.

=================== ==========================================================================
method              content
=================== ==========================================================================
terms-and-ancestors the terms used by xrefs and MONDO mappings, plus all their ancestors:
                    label, rdfs:subClassOf (hp, doid)
code-hierarchy      the codes used (xrefs, code nodes, MONDO mappings of the MONDO terms used),
                    plus their ancestors up to the chapter: official title, skos:notation,
                    gk:parentCode (icd10cm, icd10who)
terms-and-mappings  the terms used: label, and their exact/broad/narrow mappings to ICD-10-CM,
                    WHO ICD-10 and DOID from the MONDO mapping sets (mondo), but for those that
                    say otherwise than a curated mapping (the release must not contradict itself)
labels              the terms used: label, as the reference data gives it (ncit, chebi, unii ...),
                    so that OWL tools show a name for every id and the build checks each xref
                    against a module; an id the data names only through the terms mapped to it
                    (MeSH, UMLS, SNOMED CT) has no module: that name is not the vocabulary's
=================== ==========================================================================

So "symptoms under HP:0001871" is ``?e skos:exactMatch ?hp . ?hp rdfs:subClassOf* HP:0001871``
and "diseases under block C81-C96" is ``?e skos:exactMatch ?c . ?c gk:parentCode* ICD10CM:C81-C96``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from loaders.registry import MATCHES, Registry, load_registry

from .. import turtle, yamlio
from ..config import ImportModule, OntologyHeader, ReleaseConfig
from ..errors import CurationError, GraphkitError
from ..fileio import atomic_write_text
from ..header import module_header
from ..iris import known_prefixes
from ..namespaces import GK, expand
from ..project import Project
from .conflicts import INVERSE_MATCH, SKOS_MATCH
from .reference import Reference
from .yamledit import insert_xrefs

# The mapping-set rows a module keeps: exact, broad and narrow (close and related say too little to join on).
MATCH_IRI = {match: SKOS[MATCHES[match]] for match in ("exact", "broad", "narrow")}
# Where the MONDO mapping sets lead: the prefixes whose codes and terms the mappings may add.
MAPPED_PREFIXES = ("ICD10CM", "ICD10WHO", "DOID")


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


def _header(graph: Graph, module: ImportModule, meta: OntologyHeader, reference: Reference) -> None:
    for triple in module_header(module, meta, reference.vocabulary(module.prefix).version):
        graph.add(triple)


def _mondo_mappings(reference: Reference, registry: Registry) -> list[tuple[str, str, str]]:
    """The mappings of the MONDO terms used to the codes and terms of :data:`MAPPED_PREFIXES`
    that the reference data has: MONDO also maps to ICD-10-CM chapter ranges (``A00-B99``) that
    are no code of the tabular, which would leave an IRI nothing describes."""
    out = []
    for mondo in sorted(_used(registry, "MONDO")):
        for row in reference.mappings_from(mondo):
            match = SKOS_MATCH.get(row["predicate_id"])
            if match in MATCH_IRI and row["object_id"].split(":", 1)[0] in MAPPED_PREFIXES:
                out.append((mondo, match, row["object_id"]))
    known = set()
    for prefix in MAPPED_PREFIXES:
        targets = sorted({target for _, _, target in out if target.startswith(prefix + ":")})
        known |= {curie for curie, term in reference.vocabulary(prefix).get_many(targets).items() if not term.obsolete}
    return [mapping for mapping in out if mapping[2] in known and not _contradicts_the_curation(mapping, registry)]


def _contradicts_the_curation(mapping: tuple[str, str, str], registry: Registry) -> bool:
    """Whether a MONDO row says otherwise than a curated mapping once SKOS reads them together: an
    entity exactly MONDO:M (or exactly X) is through ``M match X`` that to X (or the inverse to M),
    so that a curated other match between them would sit in one exact-match class with it (MONDO's
    cancer is exactly DOID's organ system cancer, which the graph's cancer is only narrower than;
    SKOS makes exactMatch disjoint with broadMatch and relatedMatch). Each such row is a
    ``conflict`` of ``graphkit link --check`` (:mod:`graphkit.linking.conflicts`) unless it is one to
    many or a note settles it, so the module leaves out only what a curator has judged."""
    mondo, match, target = mapping
    for entity in registry.values():
        matches = {x.curie: x.match for x in entity.xrefs}
        if matches.get(mondo) == "exact" and matches.get(target, match) != match:
            return True
        if matches.get(target) == "exact" and matches.get(mondo, INVERSE_MATCH[match]) != INVERSE_MATCH[match]:
            return True
    return False


def asserted_parent_codes(project: Project) -> set[tuple[str, str]]:
    """(code, parent) pairs stated with evidence in the curated statements (gk:parentCode)."""
    pairs = set()
    for path in sorted(project.statements_dir.glob("*.yaml")):
        doc = yamlio.load(path) or {}
        for st in doc.get("statements") or []:
            if isinstance(st, dict) and st.get("p") == "parentCode":
                objects = st.get("o") if isinstance(st.get("o"), list) else [st.get("o")]
                pairs.update((st.get("s"), o) for o in objects)
    return pairs


@dataclass
class _Extraction:
    registry: Registry
    reference: Reference
    mappings: list[tuple[str, str, str]]      # (MONDO id, match, target) of the MONDO terms used
    asserted: set[tuple[str, str]]            # (code, parent) pairs the release states itself


def _seeds(x: _Extraction, prefix: str) -> set[str]:
    """The terms of ``prefix`` a module extracts: those the registry uses and those the MONDO
    module maps to, so that every IRI the imports name is described in them."""
    return _used(x.registry, prefix) | {target for _, _, target in x.mappings if target.startswith(prefix + ":")}


def _terms_and_ancestors(graph: Graph, module: ImportModule, x: _Extraction) -> None:
    for curie, term in _closure(x.reference, module.prefix, _seeds(x, module.prefix)).items():
        node = expand(curie)
        graph.add((node, RDF.type, OWL.Class))
        graph.add((node, RDFS.label, Literal(term.label)))
        for parent in term.parents:
            graph.add((node, RDFS.subClassOf, expand(parent)))


def _code_hierarchy(graph: Graph, module: ImportModule, x: _Extraction) -> None:
    prefix = module.prefix
    for curie, term in _closure(x.reference, prefix, _seeds(x, prefix)).items():
        node = expand(curie)
        if curie not in x.registry:  # code nodes of the registry have type and title in the release
            graph.add((node, RDF.type, GK[module.code_class]))
            graph.add((node, RDFS.label, Literal(term.label)))
        graph.add((node, SKOS.notation, Literal(curie.split(":", 1)[1])))
        for parent in term.parents:
            if (curie, parent) not in x.asserted:
                graph.add((node, GK.parentCode, expand(parent)))


def _labelled_terms(graph: Graph, module: ImportModule, x: _Extraction) -> dict:
    """The terms used, each a class with its label; returns them."""
    terms = x.reference.lookup_many(_used(x.registry, module.prefix))
    for curie, term in terms.items():
        if term.derived_label:
            raise GraphkitError(f"ontology/release.yaml: import module {module.id}: the reference data has no "
                                f"{module.prefix} label of its own for {curie} (only the names of terms mapped to it); "
                                "declare no labels module for this prefix")
        graph.add((expand(curie), RDF.type, OWL.Class))
        graph.add((expand(curie), RDFS.label, Literal(term.label)))
    return terms


def _terms_and_mappings(graph: Graph, module: ImportModule, x: _Extraction) -> None:
    terms = _labelled_terms(graph, module, x)
    for source, match, target in x.mappings:
        if source in terms:
            graph.add((expand(source), MATCH_IRI[match], expand(target)))


METHODS = {"terms-and-ancestors": _terms_and_ancestors, "code-hierarchy": _code_hierarchy,
           "terms-and-mappings": _terms_and_mappings, "labels": _labelled_terms}


def build_imports(config: ReleaseConfig, registry: Registry, reference: Reference,
                  asserted: set[tuple[str, str]] = frozenset()) -> dict[str, Graph]:
    """The import graphs, by module id. Triples the release already has (type and title of the
    registry's code nodes, curated gk:parentCode edges) are left out, so that queries over the
    union of the named graphs see each fact once."""
    extraction = _Extraction(registry, reference, _mondo_mappings(reference, registry), asserted)
    graphs: dict[str, Graph] = {}
    for module in config.imports:
        graph = Graph()
        _header(graph, module, config.ontology, reference)
        METHODS[module.method](graph, module, extraction)
        graphs[module.id] = graph
    return graphs


def render_imports(project: Project, registry: Registry, reference: Reference) -> dict[str, str]:
    """Module name -> canonical Turtle text."""
    prefixes = known_prefixes()
    graphs = build_imports(project.config, registry, reference, asserted_parent_codes(project))
    return {name: turtle.serialize(graph, prefixes) for name, graph in sorted(graphs.items())}


def import_path(project: Project, name: str) -> Path:
    return project.imports_dir / f"{name}.ttl"


def write_imports(project: Project, registry: Registry, reference: Reference) -> list[tuple[Path, int]]:
    written = []
    prefixes = known_prefixes()
    for name, graph in sorted(build_imports(project.config, registry, reference,
                                            asserted_parent_codes(project)).items()):
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


def write_xrefs(project: Project, schema, registry: Registry, pairs, reference: Reference) -> list[tuple[Path, int]]:
    """Insert (entity id, Xref) pairs into the registry files that define the entities, as small
    text edits (:mod:`.yamledit`); the registry read again (a file it cannot read is put back as it
    was, and the error raised), and the import modules refreshed, since the build checks every
    xref against the module of its prefix. Returns the modules written and their term counts."""
    by_file: dict = defaultdict(lambda: defaultdict(list))
    for entity_id, xref in pairs:
        by_file[project.root / str(registry[entity_id].location.path)][entity_id].append(xref)
    originals = {path: path.read_text(encoding="utf-8") for path in by_file}
    for path, additions in by_file.items():
        atomic_write_text(path, insert_xrefs(originals[path], additions))
    try:
        registry = load_registry(project.entities_dir, schema, project.root)
    except CurationError:
        for path, text in originals.items():
            atomic_write_text(path, text)
        raise
    if not project.imports_dir.is_dir():        # a project without import modules (the mini test project)
        return []
    return write_imports(project, registry, reference)
