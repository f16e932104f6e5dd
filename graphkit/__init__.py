"""graphkit: the pediatric leukemia knowledge graph.

Five medical documents curated into an RDF/OWL graph in which every asserted edge carries
its source and a verbatim quote with character offsets; a catalogue of SPARQL queries over
an embedded store or any SPARQL endpoint; a NetworkX view and exports.

>>> from graphkit import Project, compile_release      # doctest: +SKIP
>>> release = compile_release(Project.locate())         # doctest: +SKIP
"""

from .build import build, compile_release
from .project import Project

__all__ = ["Project", "build", "compile_release"]
__version__ = "0.1.0"
