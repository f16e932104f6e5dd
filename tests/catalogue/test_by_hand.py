"""queries/README.md for people without graphkit: each parameter type's term, written by hand in
the short forms the text allows (`true`, `gk:Disease`, `gke:jmml_in_relapse`) in place of its
variable in the raw file, answers as `graphkit query` does; and an external identifier, written
with the namespace the README's table gives its prefix, finds its entity by the README's recipe."""

from __future__ import annotations

import re

import pytest

from graphkit.catalogue import load_catalogue
from graphkit.catalogue.doc import mapped_namespaces, parameter_terms
from graphkit.catalogue.params import convert_param
from graphkit.catalogue.runner import prepare, run
from graphkit.iris import GK, GKE
from graphkit.sparql import concat_columns, sorted_parts
from graphkit.terms import sparql_text

from ..conftest import ROOT


@pytest.fixture(scope="module")
def queries(project):
    return load_catalogue(project.queries_dir)


def by_hand(term_text: str) -> str:
    """The short form the README allows for a term: a boolean bare, the schema's and the
    entities' IRIs with the files' gk: and gke: prefixes; every other term as --show writes it."""
    boolean = re.fullmatch(r'"(true|false)"\^\^<http://www.w3.org/2001/XMLSchema#boolean>', term_text)
    if boolean:
        return boolean.group(1)
    for prefix, namespace in (("gk", GK), ("gke", GKE)):
        if term_text.startswith(f"<{namespace}"):
            return f"{prefix}:{term_text[len(namespace) + 1:-1]}"
    return term_text


def rows(results, text: str) -> list[tuple]:
    """The rows as text, each GROUP_CONCAT's parts in order (SPARQL leaves it to the engine)."""
    concat = concat_columns(text)
    return sorted(tuple(sorted_parts(str(row.get(v)), concat[v]) if v in concat else str(row.get(v))
                        for v in results.variables) for row in results.rows)


def test_every_parameter_type_has_a_term_in_the_readme(queries, store):
    types = {param.type for query in queries.values() for param in query.params.values()}
    table = parameter_terms(queries, store)
    assert {kind for kind, _, _ in table} == types
    readme = (ROOT / "queries" / "README.md").read_text(encoding="utf-8")
    for kind, example, text in table:
        assert f"| `{kind}` | {example} | `{text}` |" in readme


def test_terms_written_by_hand_give_graphkits_answers(queries, store):
    for kind, example, _ in parameter_terms(queries, store):
        name, assignment = example.split(": ", 1)
        pname, value = assignment.strip("`").split("=", 1)
        query = queries[name]
        expected = run(prepare(query, store, {pname: value}), store=store)
        text = query.body
        for other in query.params.values():
            term = convert_param(store, other, value if other.name == pname else other.default)
            if term is None:            # an optional parameter left as `any`: the variable stays
                continue
            text = re.sub(r"[?$]" + other.name + r"(?!\w)", lambda _: by_hand(sparql_text(term)), text)
        assert rows(store.query(text), text) == rows(expected, text), (kind, example)
        assert expected.rows, (kind, example)        # an empty answer would prove nothing


def test_an_external_id_finds_its_entity_with_the_readmes_namespace(store):
    namespaces = {prefix: namespace for prefix, namespace, _, _ in mapped_namespaces(store)}
    for curie, entity in (("MONDO:0011908", "jmml"), ("DOID:0050458", "jmml"),
                          ("ICD10CM:C93.32", "jmml_in_relapse")):
        prefix, local = curie.split(":")
        found = store.query(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            f"SELECT ?entity WHERE {{ ?entity skos:exactMatch <{namespaces[prefix]}{local}> "
            f'FILTER(STRSTARTS(STR(?entity), "{GKE}")) }}').rows
        assert [str(row["entity"]) for row in found] == [GKE + entity], curie
