"""One module per ``graphkit`` subcommand.

Each module defines ``HELP`` (the command's description) and ``register(parser)``, which adds
the arguments to the command's parser and ``set_defaults(run=...)``. The module of command
``load-external`` is ``load_external``. :data:`COMMANDS` lists them with their one-line help, so
``graphkit --help`` lists every command without importing any, and a command imports only its
own module: adding a command is adding a file and a line here.
"""

# Command -> its one-line help, in the order of ``graphkit --help``.
COMMANDS = {
    "build": "build ontology/all.ttl from the curated sources",
    "validate": "QC report: SHACL, consistency, QC queries, quotes vs sources",
    "link": "verify, propagate and suggest cross-references to external ontologies",
    "query": "run a named query of the catalogue",
    "export-mappings": "write the registry's xrefs as an SSSOM mapping set",
    "sparql": "run an ad hoc SPARQL query (a .rq file, - for standard input, or the text)",
    "conformance": "check that a SPARQL endpoint answers the catalogue as graphkit does",
    "load-external": "add a large external ontology (OBO, OWL, Turtle) beside the graph",
    "export": "export a subgraph (RDF, GraphML, GEXF, Cytoscape, CSV, KGX, HTML, PNG/SVG)",
    "serve": "serve the graph: web pages with the evidence, and a SPARQL 1.1 server",
    "push": "upload the graph to a SPARQL Graph Store endpoint (replace per graph)",
    "dump": "write the release's named graphs as N-Quads or TriG, for another triple store",
}


def module_name(command: str) -> str:
    """The module of ``command`` in this package."""
    return f"{__name__}.{command.replace('-', '_')}"
