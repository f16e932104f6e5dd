"""Every cross-reference names a term of its import module: an xref whose prefix has a module
(``ontology/imports/<id>.ttl``, made from the reference data by ``graphkit link
--update-imports``) must be one of its terms, else it is not in the reference data (a typo, an
invented id) or the module is stale. ``graphkit link --check`` says which; this check needs no
reference data, so every build makes it.

- ``xref-not-in-import`` (violation): the mapping's target is not a term of the module of its
  prefix. A mapping the curator marked unverified (``gk:mappingVerified false``) is left alone.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..project import Project
from ..rdfread import turtle_triples
from .data import QCData
from .findings import Finding

CHECK = "imports"

MAPPINGS = """SELECT ?entity ?match ?target WHERE {
  ?axiom owl:annotatedSource ?entity ; owl:annotatedProperty ?match ; owl:annotatedTarget ?target ;
         gk:mappingCurie ?curie .
  FILTER NOT EXISTS { ?axiom gk:mappingVerified false }
}"""


def module_terms(path, shown) -> set[str]:
    """The IRIs a module describes (the subjects of its triples); a fault names it as ``shown``."""
    return {triple.subject.value for triple in turtle_triples(path, shown) if isinstance(triple.subject, ox.NamedNode)}


def check_import_coverage(data: QCData, project: Project) -> list[Finding]:
    modules = {m.prefix: project.imports_dir / f"{m.id}.ttl" for m in project.config.imports}
    modules = {prefix: path for prefix, path in modules.items() if path.is_file()}
    if not modules:
        return []
    terms: dict[str, set[str]] = {}
    findings = []
    for row in data.select(MAPPINGS):
        curie = data.short(row["target"])
        prefix = curie.split(":", 1)[0]
        if prefix not in modules:
            continue
        if prefix not in terms:
            terms[prefix] = module_terms(modules[prefix], project.relative(modules[prefix]))
        if row["target"].value in terms[prefix]:
            continue
        module = project.relative(modules[prefix])
        findings.append(Finding(
            "violation", "xref-not-in-import", CHECK, data.short(row["entity"]), data.label(row["entity"]),
            data.short(row["match"]), curie, "; ".join(data.locations(row["entity"])),
            f"{curie} is not a term of {module}: not in the reference data (a typo?), or the module is stale; "
            f"`graphkit link --check` says which, `graphkit link --update-imports` refreshes the module"))
    return findings
