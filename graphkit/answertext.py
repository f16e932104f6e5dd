"""A query's answer as text: the table ``graphkit query`` prints for people, and the CSV, TSV
and JSON it prints for machines, which the pages' downloads hold too.

>>> from graphkit.store import OxigraphStore
>>> from graphkit.project import Project
>>> print(answer_text(OxigraphStore.from_project(Project.locate()).query("ASK { gke:jmml ?p ?o }"), "json"), end="")
{"head": {}, "boolean": true}
"""

from __future__ import annotations

import json

from . import terms
from .iris import readable
from .output import counted, delimited, rows_text

FORMATS = ("table", "csv", "tsv", "json")


def answer_text(results, fmt: str) -> str:
    """``results`` (a store's :class:`~graphkit.store.Results`) in ``fmt``: ``table``, ``csv``,
    ``tsv`` or ``json`` (SPARQL 1.1 Query Results JSON). An ASK answer is ``true`` or ``false``
    (its JSON in json); a graph (CONSTRUCT, DESCRIBE) is Turtle as a table, JSON-LD as json, and
    one row per triple (subject, predicate, object in N-Triples syntax) as csv or tsv."""
    if results.kind == "graph":
        return _graph_answer_text(results.graph, fmt)
    if fmt == "json":
        return json.dumps(results.to_json(), indent=2 if results.kind == "select" else None, ensure_ascii=False) + "\n"
    if results.kind == "ask":
        return ("true" if results.boolean else "false") + "\n"
    if fmt == "table":
        rows = [{v: None if row[v] is None else readable(row[v]) for v in results.variables}
                for row in results.texts(marked_blank_nodes=True)]
        return rows_text(rows, results.variables, "table") + f"({counted(len(rows), 'row')})\n"
    return rows_text(results.records(), results.variables, fmt)


def _graph_answer_text(graph, fmt: str) -> str:
    if fmt in ("csv", "tsv"):
        # one row per triple, each term in N-Triples syntax (lossless: datatypes and languages
        # kept; a line break escaped, where rdflib's n3() writes a Turtle long string); N-Triples
        # terms hold no tab or line break, and their backslashes are escapes: as TSV they are
        # only quoted as CSV quotes them (a literal starts with a double quote)
        columns = ["subject", "predicate", "object"]
        triples = sorted(tuple(str(terms.to_oxigraph(term)) for term in triple) for triple in graph)
        return delimited([dict(zip(columns, triple)) for triple in triples], columns, "\t" if fmt == "tsv" else ",")
    from .graphtext import graph_text      # its writers load rdflib: not for a query's rows (start-up, measured)

    return graph_text(graph, "jsonld" if fmt == "json" else "turtle")
