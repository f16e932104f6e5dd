"""graphkit: the pediatric leukemia knowledge graph.

Five medical documents curated into an RDF/OWL graph in which every asserted edge carries
its source and a verbatim quote with character offsets; a catalogue of SPARQL queries over
an embedded store or any SPARQL endpoint; a NetworkX view and exports.

>>> import graphkit
>>> sorted(r["symptom_label"] for r in graphkit.query("symptoms-of-disease", {"disease": "JMML"}).records())[:2]
['bone pain', 'fatigue']
>>> release = graphkit.compile_release(graphkit.Project.locate())
>>> release.summary()["statements"] > 2800
True
"""

from __future__ import annotations

from .project import Project

__all__ = ["Project", "compile_release", "query"]
__version__ = "0.1.0"


def query(name: str, params: dict | None = None, /, *, endpoint: str | None = None, store=None,
          timeout: float | None = None, **named_params):
    """Run the catalogue query ``name`` (``queries/NAME.rq``) and return its
    :class:`~graphkit.store.Results` (``.records()`` as plain values, ``.to_df()`` as a pandas
    DataFrame, ``.rows`` as rdflib terms, ``.to_json()`` as SPARQL JSON).

    Parameter values come as a dict (``params``) or as keywords, or both (a parameter in both is an
    error, as on the command line); each is bound as an RDF term (an entity by id, label, synonym,
    CURIE or IRI), and parameters not given, or given as None, take the query's defaults. The query runs on ``store``
    (any :class:`~graphkit.store.Store`, e.g. one opened with :func:`graphkit.store.open_store`),
    else on ``endpoint`` (a SPARQL 1.1 query URL), else on the embedded store of the built graph:
    loaded into memory on the first call and kept for the process, loaded again when the release
    or a loaded external ontology changes (:func:`graphkit.store.default_store`). A query that
    runs past ``timeout`` seconds (default: 30 on an endpoint, no limit on the embedded store)
    raises :class:`~graphkit.errors.QueryTimeout`; Ctrl-C (KeyboardInterrupt) stops the wait at
    once on the embedded store too. Query files are parsed once (again when they change).
    ``name`` may also be SPARQL text, with an optional ``#+`` header declaring parameters. Updates
    are refused (QueryError), and so is SERVICE unless the store allows it (``open_store(...,
    allow_service=True)``).

    >>> import graphkit
    >>> graphkit.query("drugs-by-target", {"target": "CD19"}).records()[0]["therapy_label"]
    'blinatumomab'
    >>> len(graphkit.query("symptoms-of-disease", disease="JMML in relapse").records())
    6
    >>> graphkit.query("subtypes-of", endpoint="http://127.0.0.1:7878/query")   # doctest: +SKIP
    """
    # Imported here: the runner pulls in the store and rdflib (~0.3 s, measured), and every
    # `graphkit` command imports this package first.
    from .catalogue.runner import run
    from .errors import QueryError, shorten

    twice = sorted(set(params or {}) & set(named_params))
    if twice:
        raise QueryError(f"parameter {shorten(twice[0])!r} given twice: in params and as a keyword")
    return run(name, {**(params or {}), **named_params}, store=store, endpoint=endpoint, timeout=timeout)


def __getattr__(name: str):
    # compile_release lives with the build, which imports rdflib and the reasoners: loaded on
    # first use for the same reason as above.
    if name == "compile_release":
        from .build import compile_release

        return compile_release
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
