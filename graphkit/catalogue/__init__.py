"""The query catalogue: named, parameterized SPARQL questions in ``queries/*.rq``.

- :mod:`.files` reads the files: the ``#+`` YAML header (summary, description, params,
  example, expected), :class:`CatalogueQuery`, :class:`Catalogue` (queries by name, with a
  did-you-mean);
- :mod:`.params` turns ``--param`` values into RDF terms (entities by id, label, CURIE or IRI);
- :mod:`.runner` binds them into a :class:`Prepared` query and runs it on any store;
- :mod:`.doc` writes ``queries/README.md`` from the headers and real answers.

``graphkit.query(name, ...)`` is the one-call form; the command line (``graphkit query``,
``graphkit sparql``) calls :func:`load_query`, :func:`prepare` and :func:`run`.

>>> from graphkit.project import Project
>>> Catalogue(Project.locate()).get("subtypes-of").params["entity"].type
'entity'
"""

from .files import Catalogue, CatalogueQuery, Param, load_catalogue, parse_query_text

# The runner needs the store and rdflib (~0.3 s to import, measured); `graphkit query --list`
# and `--help` need only the files, so the runner's names load on first use.
_RUNNER_NAMES = {"Prepared", "load_query", "prepare", "run"}


def __getattr__(name: str):
    if name in _RUNNER_NAMES:
        from . import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Catalogue", "CatalogueQuery", "Param", "Prepared", "load_catalogue", "load_query", "parse_query_text",
           "prepare", "run"]
