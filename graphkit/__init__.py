"""graphkit: the pediatric leukemia knowledge graph.

Five medical documents curated into an RDF/OWL graph in which every asserted edge carries
its source and a verbatim quote with character offsets; a catalogue of SPARQL queries over
an embedded store or any SPARQL endpoint; a NetworkX view and exports.

>>> import graphkit                                                   # doctest: +SKIP
>>> graphkit.query("symptoms-of-disease", {"disease": "JMML"}).records()  # doctest: +SKIP
>>> release = graphkit.compile_release(graphkit.Project.locate())     # doctest: +SKIP
"""

from . import query
from .build import build, compile_release
from .project import Project

__all__ = ["Project", "build", "compile_release", "query"]
__version__ = "0.1.0"
