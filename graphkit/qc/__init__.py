"""Quality gates: SHACL shapes, consistency of the OWL RL closure, QC queries, quotes vs sources.

``graphkit build`` runs them on the compiled release before writing it (a violation fails the
build and writes nothing); ``graphkit validate`` runs them on the built files or on any Turtle
file. The checks and their levels are documented in ``docs/quality.md``.

- :mod:`.shapes` — ``ontology/shapes.ttl`` plus domain/range shapes derived from the schema
- :mod:`.shacl` — the SHACL engines: a fast one for the build, pyshacl as the reference
- :mod:`.consistency` — disjointness, owl:Nothing, property characteristics, with explanations
- :mod:`.queries` — the ROBOT-style SPARQL checks in ``queries/qc/*.rq``
- :mod:`.sources` — every quote at its offsets of its source text
- :mod:`.findings` — findings and the report (table, TSV, CSV, JSON)
"""

from .findings import Finding, Report
from .run import validate_built, validate_file, validate_release

__all__ = ["Finding", "Report", "validate_built", "validate_file", "validate_release"]
